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
"""

from .campaigns import Campaign, Settings, Similarity, find_campaigns
from .engine import Result, analyse, breakdown, find_themes, run, to_json
from .text import normalise, sentences, tokenise
from .themes import Theme, ThemeSettings

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
