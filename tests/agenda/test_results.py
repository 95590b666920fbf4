"""Priority results from the database: who counts, per group and region, balanced vs raw."""

from __future__ import annotations

import pytest

from roundtable.agenda import selectors, services
from roundtable.agenda.models import Rating
from tests.agenda.conftest import add_member, propose

pytestmark = pytest.mark.django_db


def test_a_group_holding_60_percent_of_members_cannot_decide_the_top_issue_alone(
    personas, settings
):
    """Six government members (60% of the ten who rate) all put root zone oversight
    first; the four other stakeholder groups prefer capacity building. Counted by
    head the governments decide; in the balanced ranking they do not."""
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "AGENDA_MIN_RATERS_SHOWN": 1}
    process = personas.process
    root = propose(personas, "Root zone oversight")
    capacity = propose(personas, "Capacity building")
    governments = [add_member(process, "government", "weog") for _ in range(6)]
    others = [personas.member] + [
        add_member(process, slug, "asia-pacific")
        for slug in ("private-sector", "academia", "technical-community")
    ]
    for person in governments:
        services.ratings_set_many(
            actor=person, process=process, scores={root.pk: 4, capacity.pk: 1}
        )
    for person in others:
        services.ratings_set_many(
            actor=person, process=process, scores={root.pk: 1, capacity.pk: 4}
        )
    view = selectors.priority_results(process=process)
    assert view.results.voters == 10
    shares = {group.slug: share for group, _count, share in view.member_shares()}
    assert shares["government"] == pytest.approx(0.6)
    by_head = view.raw_rows
    assert by_head[0].issue == root  # (6 x 4 + 4 x 1) / 10 = 2.8 against 2.2
    assert by_head[0].raw == pytest.approx(2.8)
    assert view.rows[0].issue == capacity  # (1 + 4 x 4) / 5 = 3.4 against (4 + 4 x 1) / 5 = 1.6
    assert view.rows[0].balanced == pytest.approx(3.4)
    assert view.rows[1].balanced == pytest.approx(1.6)
    assert view.top_differs
    [disagreement] = view.disagreements(1)
    assert disagreement.issue in (root, capacity) and disagreement.spread == pytest.approx(3.0)


def test_only_current_members_count_and_groups_regions_come_from_memberships(personas):
    process = personas.process
    issue = propose(personas, "Spam")
    gov = add_member(process, "government", "weog")
    services.rating_set(actor=personas.member, issue=issue, score=4)
    services.rating_set(actor=gov, issue=issue, score=0)
    # A rating left by someone who is no longer a member does not count.
    outsider = add_member(process, "academia")
    services.rating_set(actor=outsider, issue=issue, score=4)
    outsider.memberships.update(role="observer")
    view = selectors.priority_results(process=process)
    [row] = view.rows
    assert row.result.count == 2
    assert [g.slug for g in view.groups] == ["government", "civil-society"]
    assert [r.slug for r in view.regions] == ["africa", "weog"]
    assert row.balanced == pytest.approx(2.0)


def test_small_cells_are_not_shown(personas, settings):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "AGENDA_MIN_RATERS_SHOWN": 2}
    process = personas.process
    issue = propose(personas, "Spam")
    services.rating_set(actor=personas.member, issue=issue, score=4)
    for _ in range(2):
        services.rating_set(actor=add_member(process, "government", "weog"), issue=issue, score=2)
    view = selectors.priority_results(process=process)
    [row] = view.rows
    cells = dict(zip([g.slug for g in view.groups], row.groups, strict=True))
    assert cells["government"] == (pytest.approx(2.0), 2)
    assert cells["civil-society"] == (None, 0)  # one rater: hidden
    assert row.balanced == pytest.approx(3.0)  # but still counted


def test_rankings_give_borda_points(personas, settings):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "AGENDA_MAX_RANKED": 4}
    process = personas.process
    a, b, _c = (propose(personas, t) for t in ("A", "B", "C"))
    gov = add_member(process, "government")
    services.ranking_set(actor=personas.member, process=process, issue_ids=[a.pk, b.pk])
    services.ranking_set(actor=gov, process=process, issue_ids=[b.pk])
    view = selectors.priority_results(process=process, method="rankings")
    scores = {row.issue.title: row.balanced for row in view.rows}
    # Member: A 100, B 75, C 0; government: B 100, A 0, C 0.
    assert scores == {"B": pytest.approx(87.5), "A": pytest.approx(50.0), "C": pytest.approx(0.0)}
    assert [row.issue.title for row in view.rows] == ["B", "A", "C"]


def test_ratings_on_an_older_scale_keep_their_meaning(personas, settings):
    issue = propose(personas, "Spam")
    Rating.objects.create(issue=issue, person=personas.member, score=5, scale_max=10)
    view = selectors.priority_results(process=personas.process)
    assert view.rows[0].raw == pytest.approx(2.0)  # 5 of 10 is 2 on today's 0-4 scale


def test_no_votes(personas):
    propose(personas, "Spam")
    view = selectors.priority_results(process=personas.process)
    assert not view.has_votes and view.rows[0].result.rank is None
