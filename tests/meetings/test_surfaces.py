"""Pages and API endpoints answer each role exactly as the policy tables say."""

from __future__ import annotations

import pytest

from roundtable.meetings import services
from roundtable.meetings.models import FloorRequest, SessionKind
from tests.factories import ROLES
from tests.meetings.test_policy import (
    CLOSED,
    CONSULTATION,
    CONSULTATION_REGISTERED,
    PLENARY,
    PROCESS_WIDE,
    held_session,
)
from tests.surfaces import client_for

pytestmark = pytest.mark.django_db


def allowed(response) -> bool:
    """200/201 and redirects that are not to the login page mean yes; 401/403/404 mean no."""
    status = response.status_code
    assert status in (200, 201, 204, 302, 401, 403, 404), (status, response.content[:300])
    if status == 302:
        return not response["Location"].startswith("/accounts/login/")
    return status in (200, 201, 204)


def prepared(personas, kind: str, *, registered: bool = False):
    session = held_session(personas, kind)
    services.agenda_item_add(actor=personas.secretariat, session=session, title="Item one")
    services.agenda_item_add(actor=personas.secretariat, session=session, title="Item two")
    if registered:
        for persona in ("member", "observer", "public"):
            services.registration_create(person=getattr(personas, persona), session=session)
    session.refresh_from_db()
    return session


def page_answers(personas, session, role: str) -> dict[str, bool]:
    client = client_for(personas, role)
    base = f"/p/{personas.process.slug}/meetings/{session.pk}"
    answers = {
        "view_session": allowed(client.get(base + "/")),
        "view_floor": allowed(client.get(base + "/floor/"))
        and allowed(client.get(base + "/floor/live/")),
        "edit_session": allowed(client.get(base + "/edit/")),
        "register": allowed(client.get(base + "/register/")),
        "view_report": allowed(client.get(base + "/report/"))
        and allowed(client.get(base + "/report.csv")),
        "record_minutes": allowed(client.get(base + "/minutes/edit/")),
        "view_draft_minutes": allowed(client.get(base + "/minutes/")),
    }
    # Writes: judged by what changed, not only by the status code.
    client.post(base + "/floor/request/")
    answers["request_floor"] = FloorRequest.objects.filter(
        session=session, person_id=getattr(getattr(personas, role), "pk", None)
    ).exists()
    second = session.agenda_items.order_by("-position").first()
    client.post(base + "/floor/item/", {"agenda_item": second.pk})
    session.refresh_from_db()
    answers["run_floor"] = session.current_agenda_item_id == second.pk
    client.post(base + "/attendance/", {f"status-{personas.chair.pk}": "excused"})
    answers["record_attendance"] = session.attendance.filter(
        person=personas.chair, status="excused"
    ).exists()
    services.statement_add(
        actor=personas.secretariat, session=session, speaker=personas.chair, text="We agree."
    )
    client.post(base + "/minutes/publish/")
    session.refresh_from_db()
    answers["publish_minutes"] = session.minutes_published
    if not session.minutes_published:
        services.minutes_publish(actor=personas.secretariat, session=session)
    answers["view_minutes"] = allowed(client.get(base + "/minutes/")) and allowed(
        client.get(base + "/minutes.txt")
    )
    return answers


def api_answers(personas, session, role: str) -> dict[str, bool]:
    client = client_for(personas, role)
    base = f"/api/processes/{personas.process.slug}/sessions/{session.pk}"
    person = getattr(personas, role)
    answers = {
        "view_session": allowed(client.get(base)),
        "view_floor": allowed(client.get(base + "/floor")),
        "view_report": allowed(client.get(base + "/speaking-report")),
        "view_draft_minutes": allowed(client.get(base + "/minutes")),
    }
    attendance = client.get(base + "/attendance")
    answers["view_attendance_names"] = (
        attendance.status_code == 200 and attendance.json()["people"] is not None
    )
    patch = client.patch(base, {"description": f"by {role}"}, content_type="application/json")
    answers["edit_session"] = allowed(patch)
    client.post(base + "/floor", {}, content_type="application/json")
    answers["request_floor"] = FloorRequest.objects.filter(
        session=session, person_id=getattr(person, "pk", None)
    ).exists()
    recorded = client.put(
        base + "/attendance",
        {"person_id": personas.chair.pk, "status": "excused"},
        content_type="application/json",
    )
    answers["record_attendance"] = allowed(recorded)
    statement = client.post(
        base + "/statements",
        {"speaker_id": personas.chair.pk, "text": f"Said, recorded by {role}."},
        content_type="application/json",
    )
    answers["record_minutes"] = allowed(statement)
    if not answers["record_minutes"]:
        services.statement_add(
            actor=personas.secretariat, session=session, speaker=personas.chair, text="Yes."
        )
    published = client.post(base + "/minutes/publish")
    answers["publish_minutes"] = allowed(published)
    if not answers["publish_minutes"]:
        services.minutes_publish(actor=personas.secretariat, session=session)
    answers["view_minutes"] = allowed(client.get(base + "/minutes")) and allowed(
        client.get(base + "/statements")
    )
    closed = client.post(base + "/close")
    answers["run_floor"] = allowed(closed)
    assert all(
        response["Content-Type"].startswith("application/json")
        for response in (patch, recorded, statement, published, closed)
    )
    return answers


def compare(table: dict, answers: dict, role: str) -> None:
    wrong = {
        action: (bool(table[action][ROLES.index(role)]), got)
        for action, got in answers.items()
        if got is not bool(table[action][ROLES.index(role)])
    }
    assert not wrong, f"{role}: (expected, got) {wrong}"


KINDS = [
    (SessionKind.CLOSED, CLOSED, False),
    (SessionKind.PLENARY, PLENARY, False),
    (SessionKind.CONSULTATION, CONSULTATION, False),
    (SessionKind.CONSULTATION, CONSULTATION_REGISTERED, True),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("kind", "table", "registered"), KINDS)
def test_pages_follow_policy(personas, role, kind, table, registered):
    session = prepared(personas, kind, registered=registered)
    compare(table, page_answers(personas, session, role), role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("kind", "table", "registered"), KINDS)
def test_api_follows_policy(personas, role, kind, table, registered):
    session = prepared(personas, kind, registered=registered)
    compare(table, api_answers(personas, session, role), role)


@pytest.mark.parametrize("role", ROLES)
def test_process_wide_pages_and_api(personas, role):
    client = client_for(personas, role)
    slug = personas.process.slug
    expected = {action: bool(row[ROLES.index(role)]) for action, row in PROCESS_WIDE.items()}
    assert allowed(client.get(f"/p/{slug}/meetings/")) is expected["view_sessions"]
    assert allowed(client.get(f"/api/processes/{slug}/sessions")) is expected["view_sessions"]
    assert allowed(client.get(f"/p/{slug}/meetings/new/")) is expected["manage_sessions"]
    assert allowed(client.get(f"/p/{slug}/meetings/observers/")) is expected["view_applications"]
    assert (
        allowed(client.get(f"/api/processes/{slug}/observer-applications"))
        is expected["view_applications"]
    )
    assert (
        allowed(client.get(f"/p/{slug}/meetings/observers/apply/")) is expected["apply_to_observe"]
    )
    assert (
        allowed(client.get(f"/p/{slug}/meetings/calendar.ics")) is expected["view_process_calendar"]
    )
    created = client.post(
        f"/api/processes/{slug}/sessions",
        {
            "title": f"Scheduled by {role}",
            "kind": "plenary",
            "format": "online",
            "online_url": "https://meet.example.org/r",
            "start": "2031-05-05T09:00:00",
            "end": "2031-05-05T12:00:00",
            "time_zone": "UTC",
        },
        content_type="application/json",
    )
    assert allowed(created) is expected["manage_sessions"]
    applied = client.post(
        f"/api/processes/{slug}/observer-applications",
        {"name": "Someone", "purpose": "To follow the work."},
        content_type="application/json",
    )
    assert allowed(applied) is expected["apply_to_observe"]
