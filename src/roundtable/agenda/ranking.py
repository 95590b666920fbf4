"""Priority results from ratings or rankings, as pure functions on plain data.

No Django here: ``selectors.priority_results`` loads the votes and calls
``compute``; tests call it directly with hand-made votes.

Every vote is normalised to [0, 1] first (a rating ``score / scale_max``; a
ranking by truncated Borda points, see ``borda_value``), so ratings given on
different scales, and rankings, share one computation:

* **raw** score: the mean of every vote on the issue; a group with more
  members weighs more;
* **balanced** score: the mean of the stakeholder groups' means
  (``roundtable.analysis.balance.balanced_mean``): every group weighs the
  same, whatever its size, so no group can decide the order alone;
* **coverage**: the share of the voting groups that voted on the issue. An
  issue rated by too few groups (below ``min_coverage``) is ranked after the
  others, so that a group cannot put its own issue on top by being the only
  one to rate it;
* **spread**: how far apart the groups' means are (largest minus smallest),
  over the groups with at least ``min_cell`` voters: where groups disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from statistics import fmean

from roundtable.analysis.balance import balanced_mean


@dataclass(frozen=True)
class Vote:
    """One person's normalised vote on one issue."""

    issue: Hashable
    value: float  # in [0, 1]
    group: Hashable | None = None
    region: Hashable | None = None
    voter: Hashable | None = None


@dataclass(frozen=True)
class Cell:
    """The votes of one category (a stakeholder group or a region) on one issue."""

    mean: float
    count: int


@dataclass
class IssueResult:
    issue: Hashable
    count: int = 0
    raw: float | None = None
    balanced: float | None = None
    by_group: dict[Hashable, Cell] = field(default_factory=dict)
    by_region: dict[Hashable, Cell] = field(default_factory=dict)
    balanced_by_region: float | None = None
    coverage: float = 0.0
    enough_coverage: bool = False
    spread: float | None = None
    highest_group: Hashable | None = None
    lowest_group: Hashable | None = None
    rank: int | None = None  # balanced rank, 1 = top
    raw_rank: int | None = None

    @property
    def rank_change(self) -> int | None:
        """Places gained by balancing (positive: higher in the balanced ranking)."""
        if self.rank is None or self.raw_rank is None:
            return None
        return self.raw_rank - self.rank

    @property
    def places_up(self) -> int:
        return max(self.rank_change or 0, 0)

    @property
    def places_down(self) -> int:
        return max(-(self.rank_change or 0), 0)


@dataclass
class Results:
    issues: list[IssueResult]  # in balanced order
    groups: list[Hashable]  # groups that voted at all
    regions: list[Hashable]
    voters: int
    votes: int

    @property
    def raw_order(self) -> list[IssueResult]:
        return sorted(
            (item for item in self.issues if item.raw_rank is not None),
            key=lambda item: item.raw_rank,
        )

    def disagreements(self, limit: int) -> list[IssueResult]:
        """The issues on which the groups' means are furthest apart, largest first."""
        spread = [item for item in self.issues if item.spread is not None and item.spread > 0]
        spread.sort(key=lambda item: (-item.spread, item.rank or 0))
        return spread[:limit]


def rating_value(score: int, scale_max: int) -> float:
    """A rating on a 0..scale_max scale as a value in [0, 1]."""
    if scale_max <= 0:
        raise ValueError("scale_max must be positive")
    return max(0.0, min(1.0, score / scale_max))


def borda_value(position: int | None, max_ranked: int) -> float:
    """Truncated Borda points in [0, 1]: first place 1, each next place one
    ``max_ranked``-th less, unranked 0. A short ballot gets the same points per
    place as a full one, so ranking fewer issues gives them no extra weight."""
    if position is None or position < 1 or position > max_ranked:
        return 0.0
    return (max_ranked - position + 1) / max_ranked


def _cells(values: dict[Hashable, list[float]]) -> dict[Hashable, Cell]:
    return {key: Cell(fmean(vals), len(vals)) for key, vals in values.items() if vals}


def compute(
    issues: Sequence[Hashable],
    votes: Iterable[Vote],
    *,
    min_coverage: float = 0.5,
    min_cell: int = 1,
) -> Results:
    """Raw and balanced results for ``issues`` (others' votes are ignored).

    Votes without a stakeholder group count in the raw score but not in the
    balanced one: an unknown group cannot be given its equal share.
    """
    wanted = set(issues)
    by_issue: dict[Hashable, list[Vote]] = defaultdict(list)
    groups: set[Hashable] = set()
    regions: set[Hashable] = set()
    voters: set[Hashable] = set()
    total = 0
    for vote in votes:
        if vote.issue not in wanted:
            continue
        by_issue[vote.issue].append(vote)
        total += 1
        if vote.voter is not None:
            voters.add(vote.voter)
        if vote.group is not None:
            groups.add(vote.group)
        if vote.region is not None:
            regions.add(vote.region)
    results: list[IssueResult] = []
    for issue in issues:
        these = by_issue.get(issue, [])
        result = IssueResult(issue=issue, count=len(these))
        if these:
            per_group: dict[Hashable, list[float]] = defaultdict(list)
            per_region: dict[Hashable, list[float]] = defaultdict(list)
            for vote in these:
                if vote.group is not None:
                    per_group[vote.group].append(vote.value)
                if vote.region is not None:
                    per_region[vote.region].append(vote.value)
            result.raw = fmean(vote.value for vote in these)
            result.balanced = balanced_mean(per_group)
            result.balanced_by_region = balanced_mean(per_region)
            result.by_group = _cells(per_group)
            result.by_region = _cells(per_region)
            result.coverage = len(per_group) / len(groups) if groups else 0.0
            shown = {k: c for k, c in result.by_group.items() if c.count >= min_cell}
            if len(shown) >= 2:
                high = max(shown, key=lambda k: (shown[k].mean, str(k)))
                low = min(shown, key=lambda k: (shown[k].mean, str(k)))
                result.spread = shown[high].mean - shown[low].mean
                result.highest_group, result.lowest_group = high, low
        result.enough_coverage = bool(these) and result.coverage + 1e-9 >= min_coverage
        results.append(result)

    position = {issue: index for index, issue in enumerate(issues)}

    def balanced_key(item: IssueResult) -> tuple:
        score = item.balanced if item.balanced is not None else item.raw
        return (
            not item.enough_coverage,
            score is None,
            -(score or 0.0),
            -(item.raw or 0.0),
            -item.count,
            position[item.issue],
        )

    ordered = sorted(results, key=balanced_key)
    for rank, item in enumerate((i for i in ordered if i.count), start=1):
        item.rank = rank
    raw_ordered = sorted(
        (i for i in results if i.raw is not None),
        key=lambda item: (-(item.raw or 0.0), -item.count, position[item.issue]),
    )
    for rank, item in enumerate(raw_ordered, start=1):
        item.raw_rank = rank
    return Results(
        issues=ordered,
        groups=sorted(groups, key=str),
        regions=sorted(regions, key=str),
        voters=len(voters),
        votes=total,
    )
