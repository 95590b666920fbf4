"""The priority maths on plain data: raw and balanced scores, coverage, disagreement."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roundtable.agenda.ranking import Vote, borda_value, compute, rating_value


def votes(issue, group, values, region=None, start=0):
    return [
        Vote(issue=issue, value=v, group=group, region=region, voter=(group, start + i))
        for i, v in enumerate(values)
    ]


def test_a_group_with_60_percent_of_the_members_cannot_decide_the_top_issue_alone():
    """Six of ten voters are governments and put A first; the four other groups
    each prefer B. Counted by head A wins; with every group weighing the same, B does."""
    ballots = [
        *votes("A", "government", [1.0] * 6),
        *votes("B", "government", [0.25] * 6),
        *[vote for g in ("civil", "private", "academia", "technical") for vote in (
            Vote("A", 0.25, g, voter=g), Vote("B", 1.0, g, voter=g))],
    ]  # fmt: skip
    results = compute(["A", "B"], ballots)
    by_issue = {item.issue: item for item in results.issues}
    assert by_issue["A"].raw == pytest.approx(0.7)  # (6 x 1 + 4 x 0.25) / 10
    assert by_issue["B"].raw == pytest.approx(0.55)
    assert by_issue["A"].raw_rank == 1
    assert by_issue["A"].balanced == pytest.approx((1.0 + 4 * 0.25) / 5)
    assert by_issue["B"].balanced == pytest.approx((0.25 + 4 * 1.0) / 5)
    assert [item.issue for item in results.issues] == ["B", "A"]
    assert by_issue["B"].rank == 1 and by_issue["B"].rank_change == 1
    assert results.voters == 10 and results.votes == 20


def test_balanced_score_is_the_mean_of_group_means():
    ballots = votes("A", "g1", [1.0, 1.0, 1.0]) + votes("A", "g2", [0.0])
    [item] = compute(["A"], ballots).issues
    assert item.raw == pytest.approx(0.75)
    assert item.balanced == pytest.approx(0.5)
    assert item.by_group["g1"].count == 3 and item.by_group["g1"].mean == 1.0


def test_votes_without_a_group_count_by_head_only():
    ballots = [Vote("A", 1.0, None), Vote("A", 0.0, "g1")]
    [item] = compute(["A"], ballots).issues
    assert item.raw == pytest.approx(0.5)
    assert item.balanced == pytest.approx(0.0)
    assert set(item.by_group) == {"g1"}


def test_a_group_alone_cannot_put_its_issue_on_top_by_being_the_only_one_to_rate_it():
    """C is rated 4/4 by one group only; A is rated well by all three groups."""
    ballots = (
        votes("A", "g1", [0.75])
        + votes("A", "g2", [0.75])
        + votes("A", "g3", [0.75])
        + votes("C", "g1", [1.0])
    )
    results = compute(["A", "C"], ballots, min_coverage=0.5)
    order = [item.issue for item in results.issues]
    assert order == ["A", "C"]
    c = results.issues[1]
    assert c.coverage == pytest.approx(1 / 3) and not c.enough_coverage
    # With the rule off, C would be first: the rule is what holds it back.
    assert [i.issue for i in compute(["A", "C"], ballots, min_coverage=0).issues] == ["C", "A"]


def test_issues_without_votes_come_last_unranked():
    results = compute(["A", "B"], votes("B", "g1", [0.5]))
    assert [item.issue for item in results.issues] == ["B", "A"]
    assert results.issues[1].rank is None and results.issues[1].raw is None


def test_votes_on_other_issues_are_ignored():
    results = compute(["A"], votes("A", "g", [1.0]) + votes("Z", "g", [0.0]))
    assert results.votes == 1 and [i.issue for i in results.issues] == ["A"]


def test_spread_shows_where_groups_disagree_most_over_groups_large_enough():
    ballots = (
        votes("A", "g1", [1.0, 1.0])
        + votes("A", "g2", [0.0, 0.0])
        + votes("B", "g1", [0.5, 0.5])
        + votes("B", "g2", [0.75, 0.75])
        + votes("B", "g3", [0.0])  # too small to be shown with min_cell=2
    )
    results = compute(["A", "B"], ballots, min_cell=2)
    by_issue = {item.issue: item for item in results.issues}
    assert by_issue["A"].spread == pytest.approx(1.0)
    assert (by_issue["A"].highest_group, by_issue["A"].lowest_group) == ("g1", "g2")
    assert by_issue["B"].spread == pytest.approx(0.25)
    assert [item.issue for item in results.disagreements(5)] == ["A", "B"]
    assert [item.issue for item in results.disagreements(1)] == ["A"]


def test_regions_are_reported_and_can_be_balanced_too():
    ballots = [
        Vote("A", 1.0, "g1", "africa", 1),
        Vote("A", 1.0, "g1", "africa", 2),
        Vote("A", 0.0, "g2", "weog", 3),
    ]
    [item] = compute(["A"], ballots).issues
    assert item.by_region["africa"].mean == 1.0 and item.by_region["weog"].count == 1
    assert item.balanced_by_region == pytest.approx(0.5)


def test_rating_and_borda_values():
    assert rating_value(3, 4) == 0.75
    assert rating_value(0, 4) == 0.0
    assert rating_value(9, 4) == 1.0  # clipped
    with pytest.raises(ValueError):
        rating_value(1, 0)
    assert borda_value(1, 10) == 1.0
    assert borda_value(10, 10) == pytest.approx(0.1)
    assert borda_value(None, 10) == 0.0
    assert borda_value(11, 10) == 0.0


@given(
    st.dictionaries(
        st.sampled_from(["g1", "g2", "g3", "g4"]),
        st.lists(st.floats(0, 1), min_size=1, max_size=8),
        min_size=1,
    ),
    st.integers(1, 5),
)
def test_a_groups_weight_does_not_grow_with_its_size(by_group, copies):
    """Repeating every vote of one group changes the raw score but never the balanced one."""
    ballots = [Vote("A", v, g) for g, values in by_group.items() for v in values]
    first = next(iter(by_group))
    more = ballots + [Vote("A", v, first) for v in by_group[first] * copies]
    before = compute(["A"], ballots).issues[0]
    after = compute(["A"], more).issues[0]
    assert after.balanced == pytest.approx(before.balanced)
    assert 0.0 <= after.balanced <= 1.0 and 0.0 <= after.raw <= 1.0
