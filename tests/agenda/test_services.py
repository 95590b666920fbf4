"""Services: proposals, calls, merges with provenance, clusters, ratings and rankings.

Bad input gets a clear error and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from roundtable.agenda import services
from roundtable.agenda.models import (
    Cluster,
    IssueCall,
    IssueProposal,
    IssueStatus,
    PolicyIssue,
    RankingEntry,
    Rating,
)
from roundtable.audit.models import AuditEntry
from roundtable.processes.models import Membership, Role
from tests.agenda.conftest import add_member, open_call, propose
from tests.factories import PersonFactory, ProcessFactory, make_personas

pytestmark = pytest.mark.django_db


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- Proposals -------------------------------------------------------------------


def test_member_proposes_with_the_group_from_their_membership(personas):
    issue = propose(personas, "  Spam   across\nborders ", "Unsolicited bulk e-mail.")
    assert issue.title == "Spam across borders"
    assert issue.proposer == personas.member
    assert issue.proposer_stakeholder_group.slug == "civil-society"
    [proposal] = issue.proposals.all()
    assert proposal.original_issue == issue and proposal.proposer_role == "member"
    assert proposal.stakeholder_group.slug == "civil-society" and not proposal.self_declared
    assert proposal.region.slug == "africa"
    assert AuditEntry.objects.filter(action="issue.proposed", object_id=str(issue.pk)).exists()


def test_public_proposes_only_while_a_call_is_open_and_declares_a_group(personas):
    process = personas.process
    with pytest.raises(PermissionDenied, match="only while a call for issues is open"):
        services.issue_propose(
            actor=personas.public,
            process=process,
            title="Net neutrality",
            stakeholder_group="academia",
        )
    call = open_call(process)
    with pytest.raises(ValidationError) as excinfo:
        services.issue_propose(actor=personas.public, process=process, title="Net neutrality")
    assert "stakeholder_group" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.issue_propose(
            actor=personas.public,
            process=process,
            title="Net neutrality",
            stakeholder_group="pirates",
        )
    assert "Unknown stakeholder group" in errors_of(excinfo)["stakeholder_group"][0]
    issue = services.issue_propose(
        actor=personas.public,
        process=process,
        title="حياد الشبكة",
        language="ar",
        stakeholder_group="academia",
    )
    assert issue.call == call and issue.language == "ar"
    proposal = issue.proposals.get()
    assert proposal.self_declared and proposal.proposer_role == "public"
    assert proposal.stakeholder_group.slug == "academia" and proposal.region is None
    # After the call closes, the public can no longer propose; members still can.
    call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    call.save()
    with pytest.raises(PermissionDenied):
        services.issue_propose(
            actor=personas.public, process=process, title="Late", stakeholder_group="academia"
        )
    assert propose(personas, "A member may propose at any time").pk


def test_observer_proposes_like_the_public_and_keeps_their_role(personas):
    open_call(personas.process)
    issue = services.issue_propose(
        actor=personas.observer,
        process=personas.process,
        title="Observer's issue",
        stakeholder_group="private-sector",
    )
    proposal = issue.proposals.get()
    assert proposal.proposer_role == "observer" and proposal.self_declared


def test_anonymous_cannot_propose(personas):
    open_call(personas.process)
    with pytest.raises(PermissionDenied):
        services.issue_propose(actor=personas.anonymous, process=personas.process, title="x")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"title": "ok", "description": "d" * 5001}, "description"),
        ({"title": "ok", "references": "r" * 3001}, "references"),
        ({"title": "ok", "language": "klingon"}, "language"),
    ],
)
def test_bad_proposals_are_refused_and_nothing_is_written(personas, fields, field):
    with pytest.raises(ValidationError) as excinfo:
        services.issue_propose(actor=personas.member, process=personas.process, **fields)
    assert field in errors_of(excinfo)
    assert not PolicyIssue.objects.exists() and not IssueProposal.objects.exists()


def test_nul_characters_are_removed(personas):
    issue = propose(personas, "Spam\x00 filters", "bad\x00byte")
    assert issue.title == "Spam filters" and issue.description == "badbyte"


def test_proposals_per_person_are_limited(personas, settings):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "AGENDA_MAX_ISSUES_PER_PERSON": 2}
    propose(personas, "One")
    propose(personas, "Two")
    with pytest.raises(ValidationError, match="limit of 2 proposals"):
        propose(personas, "Three")


def test_proposer_edits_while_proposed_and_the_first_text_is_kept(personas, issues):
    issue = issues[0]
    services.issue_update(actor=personas.member, issue=issue, title="Root zone authority")
    issue.refresh_from_db()
    assert issue.title == "Root zone authority"
    assert issue.proposals.get().title == "Root zone oversight"
    services.issue_set_status(actor=personas.secretariat, issue=issue, status="accepted")
    with pytest.raises(PermissionDenied):
        services.issue_update(actor=personas.member, issue=issue, title="Again")
    services.issue_update(actor=personas.secretariat, issue=issue, title="Root zone")
    with pytest.raises(ValidationError):
        services.issue_update(actor=personas.secretariat, issue=issue, title="")
    issue.refresh_from_db()
    assert issue.title == "Root zone"


def test_status_changes(personas, issues):
    issue = issues[0]
    services.issue_set_status(actor=personas.secretariat, issue=issue, status="withdrawn")
    assert PolicyIssue.objects.get(pk=issue.pk).status == "withdrawn"
    with pytest.raises(ValidationError):
        services.issue_set_status(actor=personas.secretariat, issue=issue, status="merged")
    with pytest.raises(PermissionDenied):
        services.issue_set_status(actor=personas.chair, issue=issue, status="accepted")


# --- Merges ------------------------------------------------------------------------


def test_merge_keeps_every_proposer_and_text(personas, issues):
    other = add_member(personas.process, "government", "weog", name="Gil Government")
    duplicate = services.issue_propose(
        actor=other,
        process=personas.process,
        title="Who controls the root?",
        description="One government signs off every change.",
        references="See the 1998 paper.",
    )
    target = issues[0]
    services.issue_merge(actor=personas.secretariat, issue=duplicate, into=target)
    duplicate.refresh_from_db()
    assert duplicate.status == IssueStatus.MERGED and duplicate.merged_into == target
    proposals = list(target.proposals.order_by("pk"))
    assert [p.proposer for p in proposals] == [personas.member, other]
    moved = proposals[1]
    assert moved.original_issue == duplicate and moved.merged_by == personas.secretariat
    assert moved.title == "Who controls the root?"
    assert moved.description == "One government signs off every change."
    assert moved.references == "See the 1998 paper."
    assert moved.stakeholder_group.slug == "government"
    entry = AuditEntry.objects.get(action="issue.merged")
    assert entry.data["into"] == target.pk and entry.data["proposals_moved"] == 1


def test_merge_into_itself_is_refused(personas, issues):
    with pytest.raises(ValidationError, match="cannot be merged into itself"):
        services.issue_merge(actor=personas.secretariat, issue=issues[0], into=issues[0])
    assert PolicyIssue.objects.get(pk=issues[0].pk).status == "proposed"


def test_merges_never_form_chains(personas, issues):
    a, b, c = issues
    services.issue_merge(actor=personas.secretariat, issue=a, into=b)
    # B -> C would leave A -> B -> C: A is re-pointed to C directly.
    services.issue_merge(actor=personas.secretariat, issue=b, into=c)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.merged_into == c and b.merged_into == c
    assert c.proposals.count() == 3
    assert {p.original_issue_id for p in c.proposals.all()} == {a.pk, b.pk, c.pk}
    # Merging into a merged issue would make a chain: refused, naming the real target.
    d = propose(personas, "Spam again")
    with pytest.raises(ValidationError, match=rf"merge into #{c.pk} instead"):
        services.issue_merge(actor=personas.secretariat, issue=d, into=a)
    with pytest.raises(ValidationError, match="already merged"):
        services.issue_merge(actor=personas.secretariat, issue=a, into=d)
    assert PolicyIssue.objects.get(pk=d.pk).status == "proposed"


def test_merge_refuses_withdrawn_targets_and_other_processes(personas, issues):
    a, b, _c = issues
    services.issue_set_status(actor=personas.secretariat, issue=b, status="withdrawn")
    with pytest.raises(ValidationError, match="withdrawn"):
        services.issue_merge(actor=personas.secretariat, issue=a, into=b)
    other = make_personas(ProcessFactory(slug="other"))
    foreign = services.issue_propose(actor=other.member, process=other.process, title="Foreign")
    with pytest.raises(ValidationError, match="within one process"):
        services.issue_merge(actor=personas.secretariat, issue=a, into=foreign)


def test_only_the_secretariat_merges(personas, issues):
    for role in ("chair", "member", "observer", "public"):
        with pytest.raises(PermissionDenied):
            services.issue_merge(actor=getattr(personas, role), issue=issues[0], into=issues[1])


def test_merge_carries_ratings_and_rankings_over(personas, issues):
    a, b, c = issues
    gov = add_member(personas.process, "government")
    services.rating_set(actor=personas.member, issue=a, score=4)
    services.rating_set(actor=gov, issue=a, score=1)
    services.rating_set(actor=gov, issue=b, score=3)
    services.ranking_set(actor=personas.member, process=personas.process, issue_ids=[c.pk, a.pk])
    services.ranking_set(actor=gov, process=personas.process, issue_ids=[a.pk, c.pk, b.pk])
    services.issue_merge(actor=personas.secretariat, issue=a, into=b)
    # The member had not rated B: their rating of A now counts for B. The government
    # member had: their own rating of B stands.
    assert Rating.objects.get(person=personas.member, issue=b).score == 4
    assert Rating.objects.get(person=gov, issue=b).score == 3
    assert list(
        RankingEntry.objects.filter(person=personas.member).values_list("issue_id", "position")
    ) == [(c.pk, 1), (b.pk, 2)]
    # The government member ranked both: B takes A's better place, the gap closes.
    assert list(RankingEntry.objects.filter(person=gov).values_list("issue_id", "position")) == [
        (b.pk, 1),
        (c.pk, 2),
    ]


# --- Calls --------------------------------------------------------------------------


def test_calls_have_aware_ordered_dates_and_do_not_overlap(personas):
    process = personas.process
    geneva = zoneinfo.ZoneInfo("Europe/Zurich")
    opens = dt.datetime(2026, 3, 1, 9, 0, tzinfo=geneva)
    call = services.call_set(
        actor=personas.secretariat,
        process=process,
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=30),
    )
    assert call.opens_at == dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as excinfo:
        services.call_set(
            actor=personas.secretariat,
            process=process,
            opens_at=dt.datetime(2026, 4, 1, 9, 0),
            closes_at=dt.datetime(2026, 5, 1, 9, 0),
        )
    assert "time zone" in errors_of(excinfo)["opens_at"][0]
    with pytest.raises(ValidationError) as excinfo:
        services.call_set(
            actor=personas.secretariat, process=process, opens_at=opens, closes_at=opens
        )
    assert "close after it opens" in errors_of(excinfo)["closes_at"][0]
    with pytest.raises(ValidationError, match="Another call"):
        services.call_set(
            actor=personas.secretariat,
            process=process,
            opens_at=opens + dt.timedelta(days=10),
            closes_at=opens + dt.timedelta(days=40),
        )
    # Changing the call itself is not an overlap.
    services.call_set(
        actor=personas.secretariat,
        process=process,
        call=call,
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=40),
    )
    assert IssueCall.objects.count() == 1
    with pytest.raises(PermissionDenied):
        services.call_set(actor=personas.chair, process=process, opens_at=opens, closes_at=opens)


def test_closing_a_call_now(personas):
    call = open_call(personas.process)
    services.call_close(actor=personas.secretariat, call=call)
    call.refresh_from_db()
    assert not call.is_open()
    with pytest.raises(ValidationError, match="not open"):
        services.call_close(actor=personas.secretariat, call=call)


# --- Clusters -----------------------------------------------------------------------


def test_clusters_with_coordinator_team_and_issues(personas, issues):
    cluster = services.cluster_create(
        actor=personas.secretariat,
        process=personas.process,
        title="Infrastructure",
        coordinator=personas.member,
    )
    assert cluster.coordinator == personas.member
    services.cluster_set_team(
        actor=personas.secretariat, cluster=cluster, people=[personas.member, personas.chair.pk]
    )
    assert set(cluster.team.values_list("person__name", flat=True)) == {
        "Mina Member",
        "Charlotte Chair",
    }
    services.cluster_set_team(actor=personas.secretariat, cluster=cluster, people=[personas.chair])
    assert list(cluster.team.values_list("person__name", flat=True)) == ["Charlotte Chair"]
    count = services.issues_assign_cluster(
        actor=personas.secretariat,
        process=personas.process,
        issue_ids=[issues[0].pk, issues[1].pk],
        cluster=cluster,
    )
    assert count == 2 and set(cluster.issues.all()) == {issues[0], issues[1]}


def test_observers_and_outsiders_cannot_be_on_a_drafting_team(personas):
    cluster = services.cluster_create(
        actor=personas.secretariat, process=personas.process, title="Use"
    )
    for person in (personas.observer, personas.public):
        with pytest.raises(ValidationError):
            services.cluster_set_team(actor=personas.secretariat, cluster=cluster, people=[person])
        with pytest.raises(ValidationError) as excinfo:
            services.cluster_create(
                actor=personas.secretariat, process=personas.process, title="X", coordinator=person
            )
        assert "coordinator" in errors_of(excinfo)
    assert Cluster.objects.count() == 1 and not cluster.team.exists()


def test_assigning_is_all_or_nothing(personas, issues):
    cluster = services.cluster_create(
        actor=personas.secretariat, process=personas.process, title="Use"
    )
    services.issue_merge(actor=personas.secretariat, issue=issues[2], into=issues[1])
    with pytest.raises(ValidationError, match="Merged or withdrawn"):
        services.issues_assign_cluster(
            actor=personas.secretariat,
            process=personas.process,
            issue_ids=[issues[0].pk, issues[2].pk],
            cluster=cluster,
        )
    with pytest.raises(ValidationError, match="not in this process"):
        services.issues_assign_cluster(
            actor=personas.secretariat,
            process=personas.process,
            issue_ids=[issues[0].pk, 99999],
            cluster=cluster,
        )
    with pytest.raises(ValidationError):
        services.issues_assign_cluster(
            actor=personas.secretariat, process=personas.process, issue_ids=[], cluster=cluster
        )
    assert not cluster.issues.exists()


def test_deleting_a_cluster_keeps_its_issues(personas, issues):
    cluster = services.cluster_create(
        actor=personas.secretariat, process=personas.process, title="Use"
    )
    services.issues_assign_cluster(
        actor=personas.secretariat,
        process=personas.process,
        issue_ids=[issues[0].pk],
        cluster=cluster,
    )
    services.cluster_delete(actor=personas.secretariat, cluster=cluster)
    assert not Cluster.objects.exists()
    assert PolicyIssue.objects.get(pk=issues[0].pk).cluster is None


def test_cluster_needs_a_title(personas):
    with pytest.raises(ValidationError) as excinfo:
        services.cluster_create(actor=personas.secretariat, process=personas.process, title=" ")
    assert "title" in errors_of(excinfo)


# --- Ratings and rankings ----------------------------------------------------------------------


def test_rating_twice_updates(personas, issues):
    first = services.rating_set(actor=personas.member, issue=issues[0], score=2)
    second = services.rating_set(actor=personas.member, issue=issues[0], score="4")
    assert first.pk == second.pk and Rating.objects.get().score == 4
    assert second.scale_max == 4


@pytest.mark.parametrize("score", [-1, 5, "3.5", "", None, "four", True])
def test_rating_outside_the_scale_is_refused(personas, issues, score):
    services.rating_set(actor=personas.member, issue=issues[0], score=1)
    with pytest.raises(ValidationError) as excinfo:
        services.rating_set(actor=personas.member, issue=issues[0], score=score)
    assert "score" in errors_of(excinfo)
    assert Rating.objects.get().score == 1


def test_the_scale_is_a_setting(personas, issues, settings):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "AGENDA_RATING_SCALE_MAX": 10}
    rating = services.rating_set(actor=personas.member, issue=issues[0], score=9)
    assert (rating.score, rating.scale_max) == (9, 10)
    with pytest.raises(ValidationError, match="0 to 10"):
        services.rating_set(actor=personas.member, issue=issues[0], score=11)


def test_merged_and_withdrawn_issues_cannot_be_rated(personas, issues):
    services.issue_merge(actor=personas.secretariat, issue=issues[0], into=issues[1])
    issues[0].refresh_from_db()
    with pytest.raises(ValidationError, match=f"merged into #{issues[1].pk}"):
        services.rating_set(actor=personas.member, issue=issues[0], score=3)
    services.issue_set_status(actor=personas.secretariat, issue=issues[2], status="withdrawn")
    issues[2].refresh_from_db()
    with pytest.raises(ValidationError, match="withdrawn"):
        services.rating_set(actor=personas.member, issue=issues[2], score=3)


@pytest.mark.parametrize("role", ["chair", "secretariat", "observer", "public", "anonymous"])
def test_only_members_rate(personas, issues, role):
    with pytest.raises(PermissionDenied):
        services.rating_set(actor=getattr(personas, role), issue=issues[0], score=3)


def test_rating_sheet_is_all_or_nothing(personas, issues):
    a, b, c = issues
    services.rating_set(actor=personas.member, issue=c, score=2)
    with pytest.raises(ValidationError) as excinfo:
        services.ratings_set_many(
            actor=personas.member, process=personas.process, scores={a.pk: 3, b.pk: 7, c.pk: ""}
        )
    assert f"issue_{b.pk}" in errors_of(excinfo)
    assert list(Rating.objects.values_list("issue_id", "score")) == [(c.pk, 2)]
    counts = services.ratings_set_many(
        actor=personas.member, process=personas.process, scores={a.pk: 3, b.pk: "0", c.pk: None}
    )
    assert counts == {"set": 2, "cleared": 1}
    assert dict(Rating.objects.values_list("issue_id", "score")) == {a.pk: 3, b.pk: 0}


def test_ranking_rules(personas, issues, settings):
    a, b, c = issues
    process = personas.process
    services.ranking_set(actor=personas.member, process=process, issue_ids=[c.pk, a.pk])
    assert list(RankingEntry.objects.values_list("issue_id", "position")) == [(c.pk, 1), (a.pk, 2)]
    with pytest.raises(ValidationError, match="only once"):
        services.ranking_set(actor=personas.member, process=process, issue_ids=[a.pk, a.pk])
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "AGENDA_MAX_RANKED": 2}
    with pytest.raises(ValidationError, match="at most 2"):
        services.ranking_set(actor=personas.member, process=process, issue_ids=[a.pk, b.pk, c.pk])
    with pytest.raises(ValidationError, match="not in this process"):
        services.ranking_set(actor=personas.member, process=process, issue_ids=[424242])
    services.issue_set_status(actor=personas.secretariat, issue=b, status="withdrawn")
    b.refresh_from_db()
    with pytest.raises(ValidationError, match="withdrawn"):
        services.ranking_set(actor=personas.member, process=process, issue_ids=[b.pk])
    # Nothing above changed the ranking; an empty list withdraws it.
    assert RankingEntry.objects.count() == 2
    services.ranking_set(actor=personas.member, process=process, issue_ids=[])
    assert not RankingEntry.objects.exists()


def test_ratings_are_not_audited(personas, issues):
    services.rating_set(actor=personas.member, issue=issues[0], score=3)
    assert not AuditEntry.objects.filter(action__startswith="rating").exists()


def test_ended_membership_stops_rating_and_leaves_the_results(personas, issues):
    from roundtable.agenda import selectors

    services.rating_set(actor=personas.member, issue=issues[0], score=3)
    assert selectors.priority_results(process=personas.process).results.votes == 1
    Membership.objects.filter(person=personas.member).update(
        end_date=dt.date(2026, 1, 2), role=Role.MEMBER
    )
    member = PersonFactory(email="member@example.net")  # a fresh object: no cached role
    with pytest.raises(PermissionDenied):
        services.rating_set(actor=member, issue=issues[0], score=1)
    assert selectors.priority_results(process=personas.process).results.votes == 0


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@example(float("inf"))
@example(float("nan"))
@example("٣")  # an Arabic-Indic digit: int() would read it; refused as not a plain number
@given(st.one_of(st.text(max_size=12), st.integers(-10, 10), st.floats(), st.none(), st.booleans()))
def test_any_score_input_is_stored_exactly_or_refused_clearly(personas, value):
    """Whatever a form or an API client sends as a score: a whole number on the
    scale is stored; anything else is a ValidationError naming the field."""
    issue = PolicyIssue.objects.filter(process=personas.process).first() or propose(
        personas, "Spam"
    )
    before = Rating.objects.filter(issue=issue).values_list("score", flat=True).first()
    try:
        rating = services.rating_set(actor=personas.member, issue=issue, score=value)
    except ValidationError as error:
        assert "score" in error.message_dict
        assert Rating.objects.filter(issue=issue).values_list("score", flat=True).first() == before
    else:
        assert 0 <= rating.score <= 4
        assert str(rating.score) == str(value).strip() or rating.score == value
