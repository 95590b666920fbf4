"""The meetings API end to end: scheduling in local time, agendas, registration, floor, minutes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from roundtable.meetings.models import AgendaItem, Session, Statement
from roundtable.people.services import api_token_create
from roundtable.processes.models import Deliverable

pytestmark = pytest.mark.django_db


def bearer(person) -> Client:
    _token, secret = api_token_create(person=person, label="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def post(client: Client, url: str, body: dict | None = None, method: str = "post"):
    return getattr(client, method)(url, body or {}, content_type="application/json")


def test_openapi_lists_the_meetings_operations(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/processes/{slug}/sessions",
        "/api/processes/{slug}/sessions/{session_id}/floor",
        "/api/processes/{slug}/sessions/{session_id}/registration",
        "/api/processes/{slug}/sessions/{session_id}/statements",
        "/api/processes/{slug}/sessions/{session_id}/minutes",
        "/api/processes/{slug}/observer-applications",
    ):
        assert path in paths, path


def test_schedule_in_local_time_with_field_errors(personas, settings):
    settings.ROUNDTABLE = {
        **settings.ROUNDTABLE,
        "MEETINGS_DOCUMENT_MODELS": "processes.deliverable",
    }
    secretariat = bearer(personas.secretariat)
    url = f"/api/processes/{personas.process.slug}/sessions"
    body = {
        "title": "Plenary in New York",
        "kind": "plenary",
        "format": "hybrid",
        "room_name": "Conference Room 4",
        "online_url": "https://meet.example.org/ny",
        "start": "2031-03-09T02:30:00",  # skipped in New York that night
        "end": "2031-03-09T05:00:00",
        "time_zone": "America/New_York",
    }
    refused = post(secretariat, url, body)
    assert refused.status_code == 400
    assert refused.json()["errors"]["start"][0].startswith(
        "2031-03-09 02:30 does not exist in America/New_York"
    )
    assert not Session.objects.exists()
    body.update(start="2031-03-10T10:00:00", end="2031-03-10T13:00:00")
    created = post(secretariat, url, body)
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["start"] == "2031-03-10T14:00:00Z"  # EDT is UTC-4
    assert data["online_url"] == "https://meet.example.org/ny"
    assert data["ical_uid"].endswith("@testserver")
    # Anonymous readers see the session but not the link.
    public = Client().get(f"{url}/{data['id']}").json()
    assert public["online_url"] is None and public["title"] == "Plenary in New York"

    deliverable = Deliverable.objects.create(process=personas.process, title="Working definition")
    item = post(
        secretariat,
        f"{url}/{data['id']}/agenda",
        {
            "title": "Definition",
            "planned_minutes": 40,
            "document": {"type": "processes.deliverable", "id": deliverable.pk},
        },
    )
    assert item.status_code == 201, item.json()
    assert item.json()["document"] == {"type": "processes.deliverable", "id": deliverable.pk}
    assert AgendaItem.objects.get().document == deliverable
    wrong = post(
        secretariat,
        f"{url}/{data['id']}/agenda",
        {"title": "Bad", "document": {"type": "people.person", "id": personas.member.pk}},
    )
    assert wrong.status_code == 400
    assert wrong.json()["errors"] == {"document": ["That document does not exist."]}

    moved = post(
        secretariat,
        f"{url}/{data['id']}",
        {"start": "2031-03-10T11:00:00-04:00", "end": "2031-03-10T14:00:00-04:00"},
        method="patch",
    )
    assert moved.json()["sequence"] == 1 and moved.json()["start"] == "2031-03-10T15:00:00Z"
    backwards = post(
        secretariat,
        f"{url}/{data['id']}",
        {"end": "2031-03-10T08:00:00Z"},
        method="patch",
    )
    assert backwards.status_code == 400
    assert "before it starts" in backwards.json()["errors"]["end"][0]


def test_register_take_the_floor_and_record_through_the_api(live_plenary):
    personas, session = live_plenary.personas, live_plenary.session
    base = f"/api/processes/{personas.process.slug}/sessions/{session.pk}"
    member = bearer(personas.member)
    registered = post(member, base + "/registration", {"mode": "in_person"}, method="put")
    assert registered.json() == {
        "session": session.pk,
        "registered": True,
        "mode": "in_person",
        "may_attend": True,
    }
    queued = post(member, base + "/floor")
    assert queued.status_code == 201
    mine = queued.json()["my_request"]
    assert mine["position"] == 1 and mine["mine"] and mine["speaker"]["name"] is None
    chair = bearer(personas.chair)
    granted = post(chair, base + f"/floor/{mine['id']}/grant", {"time_limit_seconds": 90})
    assert granted.json()["speaking"]["speaker"]["name"] == "Mina Member"
    assert granted.json()["speaking"]["time_limit_seconds"] == 90
    yielded = post(member, base + "/floor/end-turn")
    assert yielded.json()["speaking"] is None
    refused = post(member, base + f"/floor/{mine['id']}/grant")
    assert refused.status_code == 403

    secretariat = bearer(personas.secretariat)
    unknown = post(secretariat, base + "/transcript", {"text": "Nobody Known: hello"})
    assert unknown.status_code == 400
    assert unknown.json()["errors"]["transcript"] == [
        "Unknown speaker “Nobody Known” (line 1): check the spelling, or that this person may "
        "speak in this session."
    ]
    imported = post(secretariat, base + "/transcript", {"text": "Mina Member: Agreed."})
    assert imported.json() == {"imported": 1}
    assert Statement.objects.get().text == "Agreed."
    statements = secretariat.get(base + "/statements").json()
    assert statements[0]["speaker"]["name"] == "Mina Member"  # the secretariat's draft
    published = post(secretariat, base + "/minutes/publish")
    assert published.status_code == 200
    minutes = Client().get(base + "/minutes").json()
    assert (
        minutes["items"][0]["statements"][0]["speaker"]["label"] == "A participant (Civil society)"
    )
    assert minutes["items"][0]["statements"][0]["speaker"]["name"] is None


def test_cancelling_through_the_api_and_errors_are_json(personas):
    secretariat = bearer(personas.secretariat)
    url = f"/api/processes/{personas.process.slug}/sessions"
    created = post(
        secretariat,
        url,
        {
            "title": "Online consultation",
            "kind": "consultation",
            "format": "online",
            "online_url": "https://meet.example.org/c",
            "start": (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).isoformat(),
            "end": (dt.datetime.now(dt.UTC) + dt.timedelta(days=3, hours=2)).isoformat(),
        },
    ).json()
    public = bearer(personas.public)
    assert post(public, f"{url}/{created['id']}/registration", method="put").status_code == 400
    ok = post(public, f"{url}/{created['id']}/registration", {"mode": "remote"}, method="put")
    assert ok.json()["may_attend"] is True
    cancelled = post(secretariat, f"{url}/{created['id']}/cancel", {"reason": "Moved"})
    assert cancelled.json()["state"] == "cancelled" and cancelled.json()["sequence"] == 1
    again = post(secretariat, f"{url}/{created['id']}/cancel")
    assert again.status_code == 400
    assert again.json() == {
        "message": "This session is already cancelled.",
        "errors": {"__all__": ["This session is already cancelled."]},
    }
    assert Client().get(f"{url}/999999").status_code == 404
