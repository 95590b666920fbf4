"""Agenda share: the attention each cluster received against its priority.

Pure functions on plain data, no Django. The attention comes from other apps
through the ``cluster_attention`` hook (meetings: session agenda minutes;
discussions: messages; drafting: paragraphs), each answering
``{cluster_id: {kind: number}}``; the priority is each cluster's share of the
balanced priority of its issues.

A cluster is **dominant** in one kind of attention when its share of that
attention exceeds ``threshold`` times its share of priority
(``roundtable.analysis.balance.dominant``), and **crowded out** when its share
is below its priority share divided by ``threshold``: the WGIG's lesson that
development and human-rights issues were crowded out by one dominant topic.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from statistics import fmean

from roundtable.analysis.balance import dominant, shares

KINDS = ("agenda_minutes", "messages", "paragraphs")


def merge_attention(
    answers: Iterable[Mapping[object, Mapping[str, float]] | None],
    clusters: Iterable[Hashable] | None = None,
) -> dict[Hashable, dict[str, float]]:
    """Sum the hook answers per cluster and kind.

    Cluster keys may come as ints or numeric strings (JSON); with ``clusters``
    given, keys that are not among them are dropped. Negative, non-numeric
    and non-finite numbers are ignored rather than trusted.
    """
    known = set(clusters) if clusters is not None else None
    merged: dict[Hashable, dict[str, float]] = {}
    for answer in answers:
        if not answer:
            continue
        for raw_key, kinds in answer.items():
            key = _cluster_key(raw_key)
            if known is not None and key not in known:
                continue
            if not isinstance(kinds, Mapping):
                continue
            for kind, amount in kinds.items():
                number = _number(amount)
                if number is None:
                    continue
                slot = merged.setdefault(key, {})
                slot[str(kind)] = slot.get(str(kind), 0.0) + number
    return merged


def _cluster_key(value: object) -> Hashable:
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value  # type: ignore[return-value]


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if number != number or number in (float("inf"), float("-inf")) or number < 0:
        return None
    return number


@dataclass
class ShareRow:
    cluster: Hashable
    priority: float  # the cluster's priority weight
    priority_share: float
    attention: dict[str, float] = field(default_factory=dict)  # kind -> amount
    attention_share: dict[str, float] = field(default_factory=dict)  # kind -> share
    overall_share: float | None = None  # mean share over the kinds that have data
    ratio: float | None = None  # overall share / priority share
    dominant_in: list[str] = field(default_factory=list)
    crowded_out: bool = False

    @property
    def dominant(self) -> bool:
        return bool(self.dominant_in)


@dataclass
class ShareReport:
    rows: list[ShareRow]
    kinds: list[str]  # kinds with any attention, in KINDS order then others
    totals: dict[str, float]
    threshold: float

    @property
    def has_data(self) -> bool:
        return bool(self.kinds)

    @property
    def dominant_rows(self) -> list[ShareRow]:
        return [row for row in self.rows if row.dominant]

    @property
    def crowded_rows(self) -> list[ShareRow]:
        return [row for row in self.rows if row.crowded_out]


def agenda_share(
    priority: Mapping[Hashable, float],
    attention: Mapping[Hashable, Mapping[str, float]],
    *,
    threshold: float = 1.5,
) -> ShareReport:
    """Compare each cluster's share of each kind of attention with its share of priority.

    ``priority`` names every cluster to report on (a weight >= 0 each);
    attention for clusters not in it is left out. With no attention at all the
    report has no kinds and ``has_data`` is false.
    """
    clusters = list(priority)
    totals: dict[str, float] = {}
    for key in clusters:
        for kind, amount in attention.get(key, {}).items():
            totals[kind] = totals.get(kind, 0.0) + amount
    kinds = [k for k in KINDS if totals.get(k)] + sorted(
        k for k in totals if k not in KINDS and totals[k]
    )
    priority_shares = shares({key: max(0.0, float(priority[key])) for key in clusters})
    rows = {
        key: ShareRow(
            cluster=key, priority=float(priority[key]), priority_share=priority_shares[key]
        )
        for key in clusters
    }
    for kind in kinds:
        observed = {key: attention.get(key, {}).get(kind, 0.0) for key in clusters}
        kind_shares = shares(observed)
        for key in clusters:
            rows[key].attention[kind] = observed[key]
            rows[key].attention_share[kind] = kind_shares[key]
        for found in dominant(observed, priority_shares, threshold):
            rows[found.key].dominant_in.append(kind)
    if kinds:
        overall = {key: fmean(rows[key].attention_share[k] for k in kinds) for key in clusters}
        overall_dominant = {d.key for d in dominant(overall, priority_shares, threshold)}
        for key in clusters:
            row = rows[key]
            row.overall_share = overall[key]
            if row.priority_share > 0:
                row.ratio = overall[key] / row.priority_share
                row.crowded_out = overall[key] < row.priority_share / threshold
            if key in overall_dominant and "overall" not in row.dominant_in:
                row.dominant_in.append("overall")
    ordered = sorted(rows.values(), key=lambda r: (-r.priority_share, str(r.cluster)))
    return ShareReport(rows=ordered, kinds=kinds, totals=totals, threshold=threshold)
