"""Pages and API endpoints answer each role exactly as the policy table says."""

from __future__ import annotations

import pytest

from roundtable.agenda import services
from roundtable.agenda.models import (
    Cluster,
    ClusterSuggestion,
    IssueCall,
    PolicyIssue,
    Rating,
)
from roundtable.processes.models import Access
from tests.agenda.conftest import open_call, propose
from tests.agenda.test_policy import EXPECTED, EXPECTED_MEMBERS_ONLY
from tests.factories import ROLES
from tests.surfaces import client_for

pytestmark = pytest.mark.django_db


def allowed(status: int) -> bool:
    assert status in (200, 201, 204, 302, 400, 401, 403, 404), status
    return status in (200, 201, 204, 302)


def expected(action: str, role: str, table=EXPECTED) -> bool:
    return bool(table[action][ROLES.index(role)])


@pytest.fixture
def world(personas):
    issue = propose(personas, "Root zone oversight", "Who authorises root zone changes.")
    other = propose(personas, "Who controls the root?", "The same issue again.")
    cluster = services.cluster_create(
        actor=personas.secretariat, process=personas.process, title="Infrastructure"
    )
    return personas, issue, other, cluster


def base(personas) -> str:
    return f"/p/{personas.process.slug}/agenda/"


def api(personas) -> str:
    return f"/api/processes/{personas.process.slug}/agenda/"


PAGES = {
    "view_agenda": lambda p, i, c: "",
    "view_issue": lambda p, i, c: f"issues/{i.pk}/",
    "view_results": lambda p, i, c: "priorities/",
    "view_agenda_share": lambda p, i, c: "share/",
    "export": lambda p, i, c: "issues.csv",
    "propose_issue": lambda p, i, c: "propose/",
    "edit_members_issue": lambda p, i, c: f"issues/{i.pk}/edit/",
    "manage_call": lambda p, i, c: "call/",
    "view_suggestions": lambda p, i, c: "clusters/suggest/",
    "rate_issues": lambda p, i, c: "rate/",
}
EXTRA_PAGES = {  # more pages under the same rules
    "view_agenda": ["clusters/", "clusters/{cluster}/"],
    "export": ["priorities.csv"],
    "rate_issues": ["rank/"],
}

API_READS = {
    "view_agenda": ["issues", "clusters", "calls", "clusters/{cluster}"],
    "view_issue": ["issues/{issue}"],
    "view_results": ["results", "results?method=rankings"],
    "view_agenda_share": ["share"],
    "rate_issues": ["ratings/mine", "ranking/mine"],
}


def urls(action, personas, issue, cluster):
    found = [PAGES[action](personas, issue, cluster)] if action in PAGES else []
    return [
        u.format(issue=issue.pk, cluster=cluster.pk) for u in found + EXTRA_PAGES.get(action, [])
    ]


@pytest.mark.parametrize("action", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_pages_follow_policy(world, role, action):
    personas, issue, _other, cluster = world
    client = client_for(personas, role)
    for url in urls(action, personas, issue, cluster):
        response = client.get(base(personas) + url)
        if role == "anonymous" and action == "propose_issue":
            assert response.status_code == 403  # no call open: nothing to log in for
        assert allowed(response.status_code) is expected(action, role), url


@pytest.mark.parametrize("action", sorted(API_READS))
@pytest.mark.parametrize("role", ROLES)
def test_api_reads_follow_policy(world, role, action):
    personas, issue, _other, cluster = world
    client = client_for(personas, role)
    for url in API_READS[action]:
        response = client.get(api(personas) + url.format(issue=issue.pk, cluster=cluster.pk))
        assert allowed(response.status_code) is expected(action, role), url
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("action", sorted(EXPECTED_MEMBERS_ONLY))
@pytest.mark.parametrize("role", ROLES)
def test_participants_only_process_is_hidden_from_outsiders(world, role, action):
    personas, issue, _other, cluster = world
    personas.process.access = Access.MEMBERS
    personas.process.save()
    client = client_for(personas, role)
    allowed_here = expected(action, role, EXPECTED_MEMBERS_ONLY)
    for url in urls(action, personas, issue, cluster):
        response = client.get(base(personas) + url)
        assert allowed(response.status_code) is allowed_here, url
        if not allowed_here:
            assert response.status_code == 404  # the process's existence is not revealed
    for url in API_READS.get(action, []):
        response = client.get(api(personas) + url.format(issue=issue.pk, cluster=cluster.pk))
        assert allowed(response.status_code) is allowed_here


@pytest.mark.parametrize("role", ROLES)
def test_proposing_by_page_and_api_during_a_call(world, role):
    personas = world[0]
    open_call(personas.process)
    client = client_for(personas, role)
    page = client.post(
        base(personas) + "propose/",
        {"title": f"{role} page", "stakeholder_group": "academia", "language": "en"},
    )
    api_response = client.post(
        api(personas) + "issues",
        {"title": f"{role} api", "stakeholder_group": "academia"},
        content_type="application/json",
    )
    can = expected("propose_during_call", role)
    if role == "anonymous":
        assert page.status_code == 302 and "/accounts/login/" in page["Location"]
        assert api_response.status_code == 401
    else:
        assert allowed(page.status_code) is can and allowed(api_response.status_code) is can
    assert PolicyIssue.objects.filter(title__startswith=role).count() == (2 if can else 0)


@pytest.mark.parametrize("role", ROLES)
def test_merging_by_page_and_api(world, role):
    personas, issue, other, _cluster = world
    can = expected("manage_issues", role)
    client = client_for(personas, role)
    client.post(base(personas) + f"issues/{other.pk}/merge/", {"into": issue.pk})
    other.refresh_from_db()
    assert (other.status == "merged") is can
    third = propose(personas, "Root zone, third time")
    response = client.post(
        api(personas) + f"issues/{third.pk}/merge",
        {"into": issue.pk},
        content_type="application/json",
    )
    assert allowed(response.status_code) is can
    third.refresh_from_db()
    assert (third.status == "merged") is can


@pytest.mark.parametrize("role", ROLES)
def test_rating_by_page_and_api(world, role):
    personas, issue, other, _cluster = world
    can = expected("rate_issues", role)
    client = client_for(personas, role)
    client.post(base(personas) + f"issues/{issue.pk}/rate/", {"score": "3"})
    client.post(base(personas) + "rate/", {f"issue_{other.pk}": "2"})
    assert Rating.objects.count() == (2 if can else 0)
    response = client.put(
        api(personas) + f"issues/{issue.pk}/rating", {"score": 4}, content_type="application/json"
    )
    assert allowed(response.status_code) is can
    assert Rating.objects.filter(score=4).count() == (1 if can else 0)
    response = client.put(
        api(personas) + "ranking/mine", {"issues": [issue.pk]}, content_type="application/json"
    )
    assert allowed(response.status_code) is can


@pytest.mark.parametrize("role", ROLES)
def test_cluster_writes_by_page_and_api(world, role):
    personas, issue, _other, cluster = world
    can = expected("manage_clusters", role)
    client = client_for(personas, role)
    client.post(base(personas) + "clusters/", {"title": f"{role} page cluster"})
    client.post(
        api(personas) + "clusters",
        {"title": f"{role} api cluster"},
        content_type="application/json",
    )
    assert Cluster.objects.filter(title__startswith=role).count() == (2 if can else 0)
    client.post(base(personas) + "assign/", {"issues": [issue.pk], "cluster": cluster.pk})
    issue.refresh_from_db()
    assert (issue.cluster_id == cluster.pk) is can
    response = client.patch(
        api(personas) + f"clusters/{cluster.pk}",
        {"title": "Renamed"},
        content_type="application/json",
    )
    assert allowed(response.status_code) is can
    client.post(base(personas) + f"clusters/{cluster.pk}/delete/")
    assert Cluster.objects.filter(pk=cluster.pk).exists() is not can


@pytest.mark.parametrize("role", ROLES)
def test_suggesting_by_page_and_api(world, role):
    personas = world[0]
    can = expected("suggest_clusters", role)
    client = client_for(personas, role)
    client.post(base(personas) + "clusters/suggest/", {"clusters": ""})
    response = client.post(api(personas) + "suggestions", {}, content_type="application/json")
    assert allowed(response.status_code) is can
    assert ClusterSuggestion.objects.count() == (2 if can else 0)


@pytest.mark.parametrize("role", ROLES)
def test_opening_a_call_by_page_and_api(world, role):
    personas = world[0]
    can = expected("manage_call", role)
    client = client_for(personas, role)
    client.post(
        base(personas) + "call/",
        {"opens_at": "2026-03-01T09:00", "closes_at": "2026-03-31T18:00"},
    )
    response = client.post(
        api(personas) + "calls",
        {"opens_at": "2026-05-01T09:00:00+02:00", "closes_at": "2026-05-31T18:00:00+02:00"},
        content_type="application/json",
    )
    assert allowed(response.status_code) is can
    assert IssueCall.objects.count() == (2 if can else 0)


@pytest.mark.parametrize("role", ROLES)
def test_secretariat_decisions_by_page_and_api(world, role):
    """Status, wording, drafting team and closing the call: the secretariat only
    (and, for wording, the proposer while the issue is proposed)."""
    personas, issue, other, cluster = world
    manage = expected("manage_issues", role)
    client = client_for(personas, role)
    client.post(base(personas) + f"issues/{issue.pk}/status/", {"status": "accepted"})
    issue.refresh_from_db()
    assert (issue.status == "accepted") is manage
    response = client.patch(
        api(personas) + f"issues/{other.pk}",
        {"status": "withdrawn"},
        content_type="application/json",
    )
    assert allowed(response.status_code) is manage
    other.refresh_from_db()
    assert (other.status == "withdrawn") is manage

    fresh = propose(personas, "Fresh issue")
    client.post(base(personas) + f"issues/{fresh.pk}/edit/", {"title": f"Edited by {role}"})
    client.patch(
        api(personas) + f"issues/{fresh.pk}", {"description": role}, content_type="application/json"
    )
    fresh.refresh_from_db()
    can_edit = expected("edit_members_issue", role)
    assert (fresh.title == f"Edited by {role}") is can_edit
    assert (fresh.description == role) is can_edit

    client.post(base(personas) + f"clusters/{cluster.pk}/team/", {"people": [personas.member.pk]})
    response = client.put(
        api(personas) + f"clusters/{cluster.pk}/team",
        {"people": [personas.chair.pk]},
        content_type="application/json",
    )
    assert allowed(response.status_code) is expected("manage_clusters", role)
    team = set(cluster.team.values_list("person__name", flat=True))
    assert team == ({"Charlotte Chair"} if expected("manage_clusters", role) else set())

    call = open_call(personas.process)
    client.post(base(personas) + f"call/{call.pk}/close/")
    call.refresh_from_db()
    assert (not call.is_open()) is expected("manage_call", role)
    second = IssueCall.objects.create(
        process=personas.process,
        opens_at=call.closes_at.replace(year=2030),
        closes_at=call.closes_at.replace(year=2031),
    )
    response = client.put(
        api(personas) + f"calls/{second.pk}",
        {"opens_at": "2032-01-01T00:00:00Z", "closes_at": "2032-02-01T00:00:00Z"},
        content_type="application/json",
    )
    assert allowed(response.status_code) is expected("manage_call", role)


@pytest.mark.parametrize("role", ROLES)
def test_accepting_a_suggestion_by_page_and_api(world, role):
    personas = world[0]
    suggestion = services.suggestion_create(
        actor=personas.secretariat, process=personas.process, clusters=2
    )
    first, second = suggestion.clusters.all()
    client = client_for(personas, role)
    prefix = f"s{first.pk}-"
    client.post(
        base(personas) + f"clusters/suggest/{first.pk}/accept/",
        {prefix + "issues": first.issue_ids, prefix + "title": "From the page"},
    )
    response = client.post(
        api(personas) + f"suggestions/{suggestion.pk}/clusters/{second.pk}/accept",
        {"issues": second.issue_ids, "title": "From the API"},
        content_type="application/json",
    )
    can = expected("suggest_clusters", role)
    assert allowed(response.status_code) is can
    titles = set(Cluster.objects.values_list("title", flat=True))
    made = {"From the page", "From the API"} & titles
    assert made == ({"From the page", "From the API"} if can else set())
