"""The agenda API end to end: JSON shapes, clear errors, nothing half-written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from roundtable.agenda import services
from roundtable.agenda.models import Cluster, PolicyIssue, Rating
from roundtable.people.services import api_token_create
from roundtable.processes.models import AttributionRule
from tests.agenda.conftest import add_member, open_call, propose

pytestmark = pytest.mark.django_db


def token_client(person) -> Client:
    _token, secret = api_token_create(person=person, label="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def url(personas, path: str) -> str:
    return f"/api/processes/{personas.process.slug}/agenda/{path}"


def test_openapi_lists_the_agenda_operations(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "post" in paths["/api/processes/{slug}/agenda/issues"]
    assert "put" in paths["/api/processes/{slug}/agenda/issues/{issue_id}/rating"]
    assert "/api/processes/{slug}/agenda/results" in paths
    assert "/api/processes/{slug}/agenda/share" in paths
    assert "post" in paths["/api/processes/{slug}/agenda/suggestions"]


def test_propose_read_and_filter(personas):
    member = token_client(personas.member)
    response = member.post(
        url(personas, "issues"),
        {
            "title": "Spam",
            "description": "Bulk e-mail.",
            "references": "RFC 2505",
            "language": "en",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "Spam" and body["status"] == "proposed"
    assert body["proposer_stakeholder_group"] == "civil-society"
    [proposal] = body["provenance"]
    # The demo default is the Chatham House Rule: no name, the group only.
    assert proposal["proposer"] == {
        "label": "A participant (Civil society)",
        "name": None,
        "organisation": None,
        "stakeholder_group": "civil-society",
        "anonymous": True,
    }
    listing = Client().get(url(personas, "issues"), {"stakeholder_group": "civil-society"})
    assert listing.json()["count"] == 1
    assert Client().get(url(personas, "issues"), {"q": "nothing"}).json()["count"] == 0


def test_attributed_process_names_the_proposer(personas):
    personas.process.default_attribution = AttributionRule.ATTRIBUTED
    personas.process.save()
    issue = propose(personas, "Spam")
    body = Client().get(url(personas, f"issues/{issue.pk}")).json()
    assert body["provenance"][0]["proposer"]["name"] == "Mina Member"
    assert body["provenance"][0]["proposer"]["organisation"] == "Open Networks Trust"


def test_bad_input_gets_json_errors_and_changes_nothing(personas):
    member = token_client(personas.member)
    response = member.post(
        url(personas, "issues"), {"title": "  "}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"title": ["Give the issue a title."]}
    response = member.post(url(personas, "issues"), {}, content_type="application/json")
    assert response.status_code == 400 and "title" in response.json()["errors"]
    assert not PolicyIssue.objects.exists()


def test_public_proposal_needs_an_open_call(personas):
    public = token_client(personas.public)
    payload = {"title": "Net neutrality", "stakeholder_group": "academia"}
    response = public.post(url(personas, "issues"), payload, content_type="application/json")
    assert response.status_code == 403
    assert "call for issues is open" in response.json()["message"]
    open_call(personas.process)
    response = public.post(url(personas, "issues"), payload, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["provenance"][0]["self_declared"] is True


def test_rating_twice_updates_and_out_of_scale_is_refused(personas):
    issue = propose(personas, "Spam")
    member = token_client(personas.member)
    path = url(personas, f"issues/{issue.pk}/rating")
    assert member.put(path, {"score": 2}, content_type="application/json").json()["score"] == 2
    response = member.put(path, {"score": 3}, content_type="application/json")
    assert response.json() == {
        "issue": issue.pk,
        "score": 3,
        "scale_max": 4,
        "updated_at": response.json()["updated_at"],
    }
    bad = member.put(path, {"score": 7}, content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["errors"]["score"] == ["7 is outside the scale: rate from 0 to 4."]
    assert member.put(path, {"score": "x"}, content_type="application/json").status_code == 400
    assert Rating.objects.get().score == 3
    assert member.get(url(personas, "ratings/mine")).json()[0]["score"] == 3
    assert member.delete(path).status_code == 204
    assert not Rating.objects.exists()


def test_merge_errors(personas):
    a = propose(personas, "A")
    b = propose(personas, "B")
    secretariat = token_client(personas.secretariat)
    itself = secretariat.post(
        url(personas, f"issues/{a.pk}/merge"), {"into": a.pk}, content_type="application/json"
    )
    assert itself.status_code == 400
    assert itself.json()["errors"]["into"] == ["An issue cannot be merged into itself."]
    missing = secretariat.post(
        url(personas, f"issues/{a.pk}/merge"), {"into": 99999}, content_type="application/json"
    )
    assert missing.status_code == 400
    merged = secretariat.post(
        url(personas, f"issues/{a.pk}/merge"), {"into": b.pk}, content_type="application/json"
    )
    assert merged.status_code == 200
    # Both proposals, oldest first, each remembering the issue it began as.
    assert [p["original_issue"] for p in merged.json()["provenance"]] == [a.pk, b.pk]
    chain = secretariat.post(
        url(personas, f"issues/{b.pk}/merge"), {"into": a.pk}, content_type="application/json"
    )
    assert chain.status_code == 400 and "chain" in chain.json()["message"]


def test_patch_issue_status_and_cluster(personas):
    issue = propose(personas, "Spam")
    cluster = services.cluster_create(
        actor=personas.secretariat, process=personas.process, title="Use"
    )
    secretariat = token_client(personas.secretariat)
    response = secretariat.patch(
        url(personas, f"issues/{issue.pk}"),
        {"status": "accepted", "cluster": cluster.pk, "title": "Spam and phishing"},
        content_type="application/json",
    )
    body = response.json()
    assert (body["status"], body["cluster"], body["title"]) == (
        "accepted",
        cluster.pk,
        "Spam and phishing",
    )
    response = secretariat.patch(
        url(personas, f"issues/{issue.pk}"), {"status": "merged"}, content_type="application/json"
    )
    assert response.status_code == 400
    response = secretariat.patch(
        url(personas, f"issues/{issue.pk}"), {"cluster": None}, content_type="application/json"
    )
    assert response.json()["cluster"] is None


def test_clusters_team_and_issues(personas):
    issue = propose(personas, "Spam")
    secretariat = token_client(personas.secretariat)
    created = secretariat.post(
        url(personas, "clusters"),
        {"title": "Use of the Internet", "coordinator": personas.member.pk},
        content_type="application/json",
    )
    assert created.status_code == 201
    cluster_id = created.json()["id"]
    assert created.json()["coordinator"] == "Mina Member"
    team = secretariat.put(
        url(personas, f"clusters/{cluster_id}/team"),
        {"people": [personas.member.pk, personas.chair.pk]},
        content_type="application/json",
    )
    assert sorted(team.json()["team"]) == ["Charlotte Chair", "Mina Member"]
    added = secretariat.post(
        url(personas, f"clusters/{cluster_id}/issues"),
        {"issues": [issue.pk]},
        content_type="application/json",
    )
    assert added.json()["issues"] == [issue.pk]
    bad = secretariat.put(
        url(personas, f"clusters/{cluster_id}/team"),
        {"people": [personas.public.pk]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert Client().get(url(personas, "clusters")).json()[0]["team"] == [
        "Charlotte Chair",
        "Mina Member",
    ]


def test_suggest_and_accept_in_part(personas):
    issues = [
        propose(personas, "Spam", "spam e-mail spam"),
        propose(personas, "Spam laws", "spam laws across borders spam"),
        propose(personas, "Capacity", "capacity building training"),
        propose(personas, "Capacity for policy", "capacity building policy training"),
    ]
    secretariat = token_client(personas.secretariat)
    assert secretariat.get(url(personas, "suggestions/latest")).status_code == 404
    made = secretariat.post(
        url(personas, "suggestions"), {"clusters": 2}, content_type="application/json"
    )
    assert made.status_code == 201
    suggestion = made.json()
    assert len(suggestion["clusters"]) == 2
    first = suggestion["clusters"][0]
    keep = first["issues"][:1]
    accepted = secretariat.post(
        url(personas, f"suggestions/{suggestion['id']}/clusters/{first['id']}/accept"),
        {"issues": keep, "title": "Renamed"},
        content_type="application/json",
    )
    assert accepted.status_code == 201
    assert accepted.json()["title"] == "Renamed" and accepted.json()["issues"] == keep
    latest = secretariat.get(url(personas, "suggestions/latest")).json()
    assert latest["clusters"][0]["accepted_issues"] == keep
    assert Cluster.objects.get().title == "Renamed"
    assert sum(len(c["issues"]) for c in latest["clusters"]) == len(issues)
    too_many = secretariat.post(
        url(personas, "suggestions"), {"clusters": 50}, content_type="application/json"
    )
    assert too_many.status_code == 400 and "clusters" in too_many.json()["errors"]


def test_results_json(personas, settings):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "AGENDA_MIN_RATERS_SHOWN": 1}
    a = propose(personas, "A")
    b = propose(personas, "B")
    gov = add_member(personas.process, "government", "weog")
    services.ratings_set_many(
        actor=personas.member, process=personas.process, scores={a.pk: 4, b.pk: 0}
    )
    services.ratings_set_many(actor=gov, process=personas.process, scores={a.pk: 0, b.pk: 2})
    body = Client().get(url(personas, "results")).json()
    assert body["method"] == "ratings" and body["scale"] == {"min": 0, "max": 4}
    assert body["voters"] == 2 and body["votes"] == 4
    assert body["stakeholder_groups"] == ["government", "civil-society"]
    top = body["ranking"][0]
    assert (top["issue"], top["rank"], top["balanced"], top["raw"]) == (a.pk, 1, 2.0, 2.0)
    assert top["by_group"] == {
        "government": {"mean": 0.0, "count": 1},
        "civil-society": {"mean": 4.0, "count": 1},
    }
    assert top["by_region"]["weog"] == {"mean": 0.0, "count": 1}
    assert body["disagreements"][0] == {
        "issue": a.pk,
        "spread": 4.0,
        "highest": "civil-society",
        "lowest": "government",
    }
    bad = Client().get(url(personas, "results"), {"method": "votes"})
    assert bad.status_code == 400


def test_share_json_says_when_there_is_no_data(personas):
    services.cluster_create(actor=personas.secretariat, process=personas.process, title="Use")
    body = Client().get(url(personas, "share")).json()
    assert body["has_data"] is False and body["kinds"] == []
    assert body["priority_basis"] == "issues"
    assert body["clusters"][0]["title"] == "Use"


def test_calls_need_a_time_zone(personas):
    secretariat = token_client(personas.secretariat)
    naive = secretariat.post(
        url(personas, "calls"),
        {"opens_at": "2026-03-01T09:00:00", "closes_at": "2026-03-31T09:00:00"},
        content_type="application/json",
    )
    assert naive.status_code == 400
    assert naive.json()["errors"]["opens_at"] == ["Give the time with its time zone."]
    made = secretariat.post(
        url(personas, "calls"),
        {"opens_at": "2026-03-01T09:00:00+01:00", "closes_at": "2026-03-31T09:00:00+02:00"},
        content_type="application/json",
    )
    assert made.status_code == 201
    opens = dt.datetime.fromisoformat(made.json()["opens_at"])
    assert opens == dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
    listing = Client().get(url(personas, "calls")).json()
    assert listing["open"] is None and len(listing["calls"]) == 1
