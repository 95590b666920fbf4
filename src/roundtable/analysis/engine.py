"""The whole analysis on rows: campaigns, themes, breakdowns, in one pass.

``analyse`` is the one path shared by the command line and the web app: it
takes row ids, texts and optional group values (stakeholder group, region,
...) and returns the JSON-shaped result the CLI prints.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .campaigns import (
    Campaign,
    Distinct,
    Grouping,
    Progress,
    Settings,
    campaigns_from,
    distinct_texts,
    group,
    link,
)
from .themes import Theme, ThemeSettings, cluster

NO_GROUP = "(none)"


@dataclass
class Result:
    """Campaigns and themes of one input (indices into it), with figures."""

    campaigns: list[Campaign]
    themes: list[Theme]
    rows: int
    distinct: int
    empty: int
    seconds: float


def _campaign_pass(
    texts: Sequence[str],
    seed: int,
    settings: Settings | None,
    progress: Progress | None,
    additions: bool = True,
) -> tuple[Distinct, Grouping]:
    distinct = distinct_texts(texts, seed=seed, settings=settings, progress=progress)
    root = link(distinct, settings=settings, progress=progress)
    grouping = group(
        texts, distinct, root, settings=settings, progress=progress, additions=additions
    )
    return distinct, grouping


def _themes_from(
    texts: Sequence[str],
    distinct: Distinct,
    grouping: Grouping,
    k: int | None,
    seed: int,
    settings: ThemeSettings | None,
    progress: Progress | None,
) -> list[Theme]:
    """Cluster one text per campaign plus the originals; members are all rows."""
    campaign_of_doc = grouping.campaign_of_doc
    n_campaigns = len(grouping.rep_doc)
    loners = np.flatnonzero(campaign_of_doc < 0)
    item_docs = np.concatenate([grouping.rep_doc, loners]).astype(np.int64)
    item_rows = distinct.first_row[item_docs]
    weights = np.concatenate([grouping.rows, distinct.count[loners]])
    labels, terms, reps = cluster(
        [texts[i] for i in item_rows.tolist()],
        weights,
        k,
        seed=seed,
        settings=settings,
        progress=progress,
    )
    # Theme of every row: through its campaign, or its own distinct text.
    item_of_doc = np.full(distinct.n, -1, dtype=np.int64)
    item_of_doc[loners] = n_campaigns + np.arange(len(loners))
    in_campaign = campaign_of_doc >= 0
    item_of_doc[in_campaign] = campaign_of_doc[in_campaign]
    doc_of_row = distinct.doc_of_row
    rows = np.flatnonzero(doc_of_row >= 0)
    row_item = item_of_doc[doc_of_row[rows]]
    row_theme = labels[row_item]
    valid = row_theme >= 0
    rows, row_theme = rows[valid], row_theme[valid]
    order = np.argsort(row_theme, kind="stable")
    rows, row_theme = rows[order], row_theme[order]
    k_found = len(terms)
    bounds = np.searchsorted(row_theme, np.arange(k_found + 1))
    distinct_per = np.bincount(labels[labels >= 0], minlength=k_found)
    themes = []
    for t in range(k_found):
        members = rows[bounds[t] : bounds[t + 1]].tolist()
        if not members:
            continue
        themes.append(
            Theme(
                id=0,
                size=len(members),
                terms=terms[t],
                representatives=[int(item_rows[i]) for i in reps[t]],
                members=members,
                distinct=int(distinct_per[t]),
            )
        )
    themes.sort(key=lambda th: (-th.size, th.members[0]))
    for i, th in enumerate(themes, start=1):
        th.id = i
    return themes


def find_themes(
    texts: Sequence[str],
    k: int | None = None,
    *,
    seed: int = 0,
    settings: ThemeSettings | None = None,
    progress: Progress | None = None,
) -> list[Theme]:
    """Cluster ``texts`` into themes, largest first.

    Campaigns are found first and count once each (by their representative),
    originals once each; a theme's ``members`` are the indices of every
    comment it covers. ``k`` themes when given, otherwise chosen automatically.
    Deterministic for a given ``seed``; 0 texts give no theme.
    """
    if not texts:
        return []
    distinct, grouping = _campaign_pass(texts, seed, None, progress, additions=False)
    return _themes_from(texts, distinct, grouping, k, seed, settings, progress)


def run(
    texts: Sequence[str],
    *,
    k: int | None = None,
    seed: int = 0,
    settings: Settings | None = None,
    theme_settings: ThemeSettings | None = None,
    progress: Progress | None = None,
) -> Result:
    """Campaigns (with additions) and themes of ``texts`` in one pass."""
    started = time.perf_counter()
    distinct, grouping = _campaign_pass(texts, seed, settings, progress)
    campaigns = campaigns_from(distinct, grouping)
    themes = (
        _themes_from(texts, distinct, grouping, k, seed, theme_settings, progress)
        if distinct.n
        else []
    )
    return Result(
        campaigns=campaigns,
        themes=themes,
        rows=len(texts),
        distinct=distinct.n,
        empty=int((distinct.doc_of_row < 0).sum()),
        seconds=time.perf_counter() - started,
    )


def breakdown(
    items: Iterable[Campaign | Theme | Sequence[int]], values: Sequence[str | None]
) -> list[dict[str, int]]:
    """Count each item's members by a categorical column.

    ``items`` are campaigns, themes or plain lists of row indices; ``values``
    gives each input row's category (stakeholder group, region, ...). Missing
    or blank values count as ``"(none)"``. Each dict is ordered by count,
    largest first, then by name.
    """
    codes, names = _codes(values)
    out = []
    for item in items:
        members = item.members if isinstance(item, Campaign | Theme) else item
        counts = np.bincount(codes[np.asarray(members, dtype=np.int64)], minlength=len(names))
        present = np.flatnonzero(counts)
        pairs = sorted(
            ((names[i], int(counts[i])) for i in present), key=lambda kv: (-kv[1], kv[0])
        )
        out.append(dict(pairs))
    return out


def _codes(values: Sequence[str | None]) -> tuple[np.ndarray, list[str]]:
    """A category code per value (blank and missing merged) and the names."""
    code_of: dict[str | None, int] = {}
    raw = np.fromiter(
        (code_of.setdefault(v, len(code_of)) for v in values), dtype=np.int64, count=len(values)
    )
    names: list[str] = []
    merged: dict[str, int] = {}
    remap = np.empty(len(code_of), dtype=np.int64)
    for value, code in code_of.items():
        name = _category(value)
        remap[code] = merged.setdefault(name, len(merged))
        if len(names) < len(merged):
            names.append(name)
    return (remap[raw] if len(raw) else raw), names


def _category(value: str | None) -> str:
    if value is None:
        return NO_GROUP
    value = str(value).strip()
    return value or NO_GROUP


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def analyse(
    ids: Sequence[Any],
    texts: Sequence[str],
    groups: Sequence[str | None] | None = None,
    *,
    k: int | None = None,
    seed: int = 0,
    settings: Settings | None = None,
    theme_settings: ThemeSettings | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The whole analysis of rows, as the JSON-shaped structure the CLI writes.

    ``ids`` name the rows in the output (members, representatives and the
    keys of additions are row ids); ``groups`` (optional) gives each row's
    category for the ``by_group`` breakdowns. Campaigns of one comment are
    not listed. See docs/performance.md for the shape and the figures.
    """
    if len(ids) != len(texts) or (groups is not None and len(groups) != len(texts)):
        raise ValueError("ids, texts and groups must have the same length")
    result = run(
        texts,
        k=k,
        seed=seed,
        settings=settings,
        theme_settings=theme_settings,
        progress=progress,
    )
    return to_json(result, ids, groups)


def to_json(
    result: Result, ids: Sequence[Any], groups: Sequence[str | None] | None
) -> dict[str, Any]:
    """The JSON-shaped structure of a ``Result``, with row ids."""
    id_list = list(ids)
    campaign_groups = breakdown(result.campaigns, groups) if groups is not None else None
    theme_groups = breakdown(result.themes, groups) if groups is not None else None
    campaigns = []
    for i, c in enumerate(result.campaigns):
        campaigns.append(
            {
                "id": c.id,
                "size": c.size,
                "members": [id_list[m] for m in c.members],
                "representative": id_list[c.representative],
                "by_group": campaign_groups[i] if campaign_groups is not None else {},
                "additions": {id_list[m]: text for m, text in c.additions.items()},
                "exact_copies": c.exact_copies,
                "similarity": {"mean": c.similarity.mean, "min": c.similarity.min},
            }
        )
    themes = []
    for i, t in enumerate(result.themes):
        themes.append(
            {
                "id": t.id,
                "size": t.size,
                "distinct": t.distinct,
                "terms": list(t.terms),
                "representatives": [id_list[r] for r in t.representatives],
                "by_group": theme_groups[i] if theme_groups is not None else {},
            }
        )
    return {
        "campaigns": campaigns,
        "themes": themes,
        "stats": {
            "rows": result.rows,
            "distinct": result.distinct,
            "empty": result.empty,
            "campaigns": len(campaigns),
            "in_campaigns": sum(c.size for c in result.campaigns),
            "themes": len(themes),
            "seconds": round(result.seconds, 3),
            "peak_rss_mb": round(peak_rss_mb(), 1),
        },
    }
