"""Text analytics for consultations, with no Django imports.

Near-duplicate campaigns and themes for anything from a dozen survey answers
to a million comments, on plain Python data::

    from roundtable.analysis import analyse, find_campaigns, find_themes, breakdown

    campaigns = find_campaigns(texts)          # list[Campaign], largest first
    themes = find_themes(texts)                # list[Theme], k chosen automatically
    by_group = breakdown(campaigns, groups)    # list[dict[str, int]]
    report = analyse(ids, texts, groups)       # the JSON shape of `roundtable analyse`

Indices in ``Campaign`` and ``Theme`` are positions in the input sequence;
``analyse`` maps them to row ids. Everything is deterministic for a given
``seed``. How it works and how fast it is: docs/performance.md.

The names are loaded on first use, so that importing a light sibling module
(``roundtable.analysis.balance``) does not pull in numpy, scipy and
scikit-learn.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .campaigns import Campaign, Settings, Similarity, find_campaigns
    from .engine import Result, analyse, breakdown, find_themes, run, to_json
    from .text import normalise, sentences, tokenise
    from .themes import Theme, ThemeSettings

_EXPORTS = {
    "Campaign": "campaigns",
    "Settings": "campaigns",
    "Similarity": "campaigns",
    "find_campaigns": "campaigns",
    "Result": "engine",
    "analyse": "engine",
    "breakdown": "engine",
    "find_themes": "engine",
    "run": "engine",
    "to_json": "engine",
    "normalise": "text",
    "sentences": "text",
    "tokenise": "text",
    "Theme": "themes",
    "ThemeSettings": "themes",
}

__all__ = [
    "Campaign",
    "Result",
    "Settings",
    "Similarity",
    "Theme",
    "ThemeSettings",
    "analyse",
    "breakdown",
    "find_campaigns",
    "find_themes",
    "normalise",
    "run",
    "sentences",
    "to_json",
    "tokenise",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
