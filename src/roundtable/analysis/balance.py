"""Balance maths shared by membership, speaking time, comments and authorship.

Plain functions on counts keyed by any hashable category (a stakeholder group,
a region, a (group, region) cell); no Django. Shares are fractions in [0, 1].
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from statistics import fmean
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def shares(counts: Mapping[K, float]) -> dict[K, float]:
    """Each category's fraction of the total (all zero when the total is zero)."""
    total = float(sum(counts.values()))
    return {key: (value / total if total else 0.0) for key, value in counts.items()}


@dataclass(frozen=True)
class Target:
    """A wanted range for one category. Shares are fractions, counts whole numbers."""

    key: Hashable
    min_share: float | None = None
    max_share: float | None = None
    min_count: int | None = None
    max_count: int | None = None


class BreachKind(StrEnum):
    BELOW_MIN_SHARE = "below_min_share"
    ABOVE_MAX_SHARE = "above_max_share"
    BELOW_MIN_COUNT = "below_min_count"
    ABOVE_MAX_COUNT = "above_max_count"


@dataclass(frozen=True)
class Breach:
    key: Hashable
    kind: BreachKind
    count: int
    share: float
    limit: float


def check_targets(counts: Mapping[Hashable, int], targets: Iterable[Target]) -> list[Breach]:
    """Every target a composition misses, in the order the targets were given.

    Share targets are not judged on an empty composition: 0 of 0 is no share.
    """
    total = sum(counts.values())
    breaches: list[Breach] = []
    for target in targets:
        count = counts.get(target.key, 0)
        share = count / total if total else 0.0
        if total and target.min_share is not None and share < target.min_share:
            breaches.append(
                Breach(target.key, BreachKind.BELOW_MIN_SHARE, count, share, target.min_share)
            )
        if total and target.max_share is not None and share > target.max_share:
            breaches.append(
                Breach(target.key, BreachKind.ABOVE_MAX_SHARE, count, share, target.max_share)
            )
        if target.min_count is not None and count < target.min_count:
            breaches.append(
                Breach(target.key, BreachKind.BELOW_MIN_COUNT, count, share, target.min_count)
            )
        if target.max_count is not None and count > target.max_count:
            breaches.append(
                Breach(target.key, BreachKind.ABOVE_MAX_COUNT, count, share, target.max_count)
            )
    return breaches


def empty_cells(
    cells: Mapping[tuple[Hashable, Hashable], int],
    rows: Iterable[Hashable],
    columns: Iterable[Hashable],
) -> list[tuple[Hashable, Hashable]]:
    """The (row, column) combinations with nobody in them, row by row."""
    columns = list(columns)
    return [(row, column) for row in rows for column in columns if not cells.get((row, column))]


@dataclass(frozen=True)
class Dominance:
    key: Hashable
    share: float
    baseline_share: float
    ratio: float


def dominant(
    observed: Mapping[Hashable, float],
    baseline: Mapping[Hashable, float],
    threshold: float = 1.5,
) -> list[Dominance]:
    """Categories whose share of ``observed`` exceeds ``threshold`` x their share of ``baseline``.

    Used for speaking time against attendance, comments against membership,
    and adopted text against membership. Largest ratio first.
    """
    observed_shares = shares(observed)
    baseline_shares = shares(baseline)
    found = []
    for key, share in observed_shares.items():
        base = baseline_shares.get(key, 0.0)
        if share <= 0:
            continue
        ratio = share / base if base else float("inf")
        if ratio > threshold:
            found.append(Dominance(key, share, base, ratio))
    return sorted(found, key=lambda item: (-item.ratio, str(item.key)))


def silent(
    observed: Mapping[Hashable, float], baseline: Mapping[Hashable, float]
) -> list[Hashable]:
    """Categories present in ``baseline`` that have nothing in ``observed``."""
    return [key for key, value in baseline.items() if value > 0 and not observed.get(key)]


def balanced_mean(scores_by_group: Mapping[Hashable, Iterable[float]]) -> float | None:
    """The mean of the group means: every group weighs the same, whatever its size.

    Groups with no scores are left out rather than counted as zero.
    """
    means = [fmean(values) for values in (list(v) for v in scores_by_group.values()) if values]
    return fmean(means) if means else None
