"""The floor: requests, turns, time limits, speaking time and the balance alerts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from roundtable.meetings import selectors, services
from roundtable.meetings.models import Attendance, FloorRequest, FloorStatus, SessionKind
from roundtable.meetings.periodic import close_forgotten_sessions
from tests.meetings.conftest import add_member, schedule

pytestmark = pytest.mark.django_db


def client_of(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def spoke(request: FloorRequest, seconds: int, *, ago: int = 0) -> None:
    """Make a granted turn last ``seconds`` (ending ``ago`` seconds before now)."""
    end = timezone.now() - dt.timedelta(seconds=ago)
    FloorRequest.objects.filter(pk=request.pk).update(
        granted_at=end - dt.timedelta(seconds=seconds), ended_at=end, status=FloorStatus.DONE
    )


def test_queue_grant_and_turns(live_plenary):
    personas, session = live_plenary.personas, live_plenary.session
    first = services.floor_request_create(person=personas.member, session=session)
    second = services.floor_request_create(person=live_plenary.second, session=session)
    state = selectors.floor_state(session=session, viewer=personas.chair)
    assert [entry.label for entry in state.queue] == [
        "Mina Member (Open Networks Trust)",
        "Gustavo Government (Ministry X)",
    ]
    assert [entry.position for entry in state.queue] == [1, 2]
    # The chair may take the queue out of order; the speaker's turn ends when the next begins.
    services.floor_grant(actor=personas.chair, request=second, time_limit_seconds=60)
    services.floor_grant(actor=personas.secretariat, request=first)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.status == FloorStatus.DONE and second.ended_at is not None
    assert first.status == FloorStatus.SPEAKING
    assert first.time_limit_seconds == session.default_speaking_seconds == 180
    assert first.agenda_item == session.current_agenda_item
    # Whoever asks for the floor is present.
    assert set(Attendance.objects.values_list("person__name", flat=True)) == {
        "Mina Member",
        "Gustavo Government",
    }


def test_over_time_is_shown_to_everyone(live_plenary):
    personas, session = live_plenary.personas, live_plenary.session
    request = services.floor_request_create(person=personas.member, session=session)
    services.floor_grant(actor=personas.chair, request=request, time_limit_seconds=60)
    FloorRequest.objects.filter(pk=request.pk).update(
        granted_at=timezone.now() - dt.timedelta(seconds=75)
    )
    state = selectors.floor_state(session=session, viewer=live_plenary.second)
    assert state.speaking.over_time
    assert state.speaking.label == "A participant (Civil society)"
    page = client_of(live_plenary.second).get(
        f"/p/{personas.process.slug}/meetings/{session.pk}/floor/live/"
    )
    html = page.content.decode()
    assert re.search(r"1:1\d / 1:00", html) and "over time" in html


def test_bad_requests_are_refused_clearly(live_plenary):
    personas, session = live_plenary.personas, live_plenary.session
    services.floor_request_create(person=personas.member, session=session)
    with pytest.raises(ValidationError, match="already asked for the floor"):
        services.floor_request_create(person=personas.member, session=session)
    with pytest.raises(PermissionDenied, match="without the right to speak"):
        services.floor_request_create(person=personas.observer, session=session)
    with pytest.raises(PermissionDenied, match="run the floor"):
        services.floor_request_create(person=personas.chair, session=session)
    request = FloorRequest.objects.get()
    with pytest.raises(PermissionDenied):
        services.floor_grant(actor=live_plenary.second, request=request)
    with pytest.raises(ValidationError, match="between 10 seconds and 60 minutes"):
        services.floor_grant(actor=personas.chair, request=request, time_limit_seconds=5)
    assert FloorRequest.objects.get().status == FloorStatus.WAITING
    with pytest.raises(ValidationError, match="Nobody has the floor"):
        services.floor_end_turn(actor=personas.chair, session=session)
    upcoming = schedule(personas, room="Room B")
    with pytest.raises(ValidationError, match="only while the session is in progress"):
        services.floor_request_create(person=personas.member, session=upcoming)


def test_observer_is_refused_in_the_page_and_the_api(live_plenary):
    personas, session = live_plenary.personas, live_plenary.session
    client = client_of(personas.observer)
    base = f"/p/{personas.process.slug}/meetings/{session.pk}"
    page = client.get(base + "/floor/").content.decode()
    assert "Observers attend plenary sessions without the right to speak." in page
    assert "Ask for the floor" not in page
    refused = client.post(base + "/floor/request/")
    assert refused.status_code == 403
    assert "without the right to speak" in refused.content.decode()
    api = client.post(
        f"/api/processes/{personas.process.slug}/sessions/{session.pk}/floor",
        {},
        content_type="application/json",
    )
    assert api.status_code == 403
    assert api.json() == {
        "message": "Observers attend plenary sessions without the right to speak."
    }
    assert not FloorRequest.objects.exists()


def test_balance_alerts_on_dominance_and_silence(live_plenary, settings):
    personas, session = live_plenary.personas, live_plenary.session
    third = add_member(personas, "Ada Academic", "ada@example.net", "academia", "asia-pacific")
    for person in (personas.member, live_plenary.second, third, personas.observer):
        if person is not personas.observer:
            services.attendance_record(
                actor=personas.secretariat, session=session, person=person, status="in_person"
            )
    government = services.floor_request_create(person=live_plenary.second, session=session)
    spoke(government, 600, ago=200)
    civil = services.floor_request_create(person=personas.member, session=session)
    spoke(civil, 60)
    balance = selectors.speaking_balance(session=session)
    rows = {row.label: row for row in balance.groups}
    assert rows["Government"].present == 1 and rows["Government"].turns == 1
    assert round(rows["Government"].seconds_share, 3) == round(600 / 660, 3)
    assert round(rows["Government"].present_share, 3) == round(1 / 3, 3)
    assert balance.alerts == [
        "Government has 91% of the speaking time but 33% of those present "
        "(2.7×, above the 1.5× alert threshold).",
        "Academia is present but has not spoken.",
    ]
    # Observers and officers are not part of the room's composition.
    assert balance.present == 3
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "MEETINGS_SPEAKING_DOMINANCE_THRESHOLD": 3.0}
    assert selectors.speaking_balance(session=session).alerts == [
        "Academia is present but has not spoken."
    ]
    regions = {row.label: row for row in balance.regions}
    assert regions["Western European and other States"].turns == 1


def test_the_chair_sees_names_live_and_nobody_does_afterwards(live_plenary):
    personas, session = live_plenary.personas, live_plenary.session
    request = services.floor_request_create(person=personas.member, session=session)
    services.floor_grant(actor=personas.chair, request=request)
    url = f"/api/processes/{personas.process.slug}/sessions/{session.pk}/floor"
    chair_view = client_of(personas.chair).get(url).json()
    assert chair_view["speaking"]["speaker"]["name"] == "Mina Member"
    assert chair_view["balance"]["speakers"][0]["speaker"]["name"] == "Mina Member"
    member_view = client_of(live_plenary.second).get(url).json()
    assert member_view["speaking"]["speaker"] == {
        "label": "A participant (Civil society)",
        "name": None,
        "organisation": None,
        "stakeholder_group": "civil-society",
        "anonymous": True,
    }
    assert "speakers" not in member_view["balance"]
    services.session_close(actor=personas.chair, session=session)
    after = client_of(personas.chair).get(url).json()
    assert after["recent"][0]["speaker"]["name"] is None
    assert "speakers" not in after["balance"]
    report = client_of(personas.chair).get(
        f"/p/{personas.process.slug}/meetings/{session.pk}/report/"
    )
    assert "Mina Member" not in report.content.decode().split("<main")[1]


def test_polling_stops_when_the_session_closes(live_plenary):
    personas, session = live_plenary.personas, live_plenary.session
    url = f"/p/{personas.process.slug}/meetings/{session.pk}/floor/live/"
    client = client_of(personas.member)
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
    services.session_close(actor=personas.chair, session=session)
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 286
    assert "The session is closed." in response.content.decode()


def test_a_forgotten_session_is_closed_by_the_periodic_job(personas):
    session = schedule(
        personas, SessionKind.PLENARY, start=timezone.now() - dt.timedelta(hours=12), hours=2
    )
    services.session_open(actor=personas.chair, session=session)
    request = services.floor_request_create(person=personas.member, session=session)
    services.floor_grant(actor=personas.chair, request=request)
    assert close_forgotten_sessions() == 1
    assert close_forgotten_sessions() == 0
    session.refresh_from_db()
    request.refresh_from_db()
    assert session.ended_at is not None and request.status == FloorStatus.DONE
    assert request.ended_at >= request.granted_at


def test_speaking_time_per_agenda_item_feeds_the_cluster_report(live_plenary):
    from roundtable.agenda.models import Cluster, PolicyIssue
    from roundtable.meetings.hooks import cluster_attention

    personas, session = live_plenary.personas, live_plenary.session
    development = Cluster.objects.create(process=personas.process, title="Development")
    use = Cluster.objects.create(process=personas.process, title="Use of the Internet")
    spam = PolicyIssue.objects.create(process=personas.process, title="Spam", cluster=use)
    discussed = session.agenda_items.get()
    services.agenda_item_update(actor=personas.secretariat, item=discussed, cluster=development.pk)
    planned = services.agenda_item_add(
        actor=personas.secretariat,
        session=session,
        title="Spam",
        policy_issue=spam.pk,
        planned_minutes=45,
    )
    turn = services.floor_request_create(person=personas.member, session=session)
    spoke(turn, 30 * 60)
    assert cluster_attention(process=personas.process) == {
        development.pk: {"agenda_minutes": 30.0},
        use.pk: {"agenda_minutes": 45.0},
    }
    assert planned.effective_cluster_id == use.pk


def test_the_live_region_speaks_only_when_the_speaker_changes(live_plenary):
    personas, session = live_plenary.personas, live_plenary.session
    url = f"/p/{personas.process.slug}/meetings/{session.pk}/floor/live/"
    member = client_of(live_plenary.second)
    first = member.get(url, {"seen": "waiting"}, HTTP_HX_REQUEST="true").content.decode()
    assert '<div id="floor-announcer" hx-swap-oob="innerHTML">Nobody has the floor.</div>' in first
    assert (
        "hx-swap-oob"
        not in member.get(url, {"seen": "nobody"}, HTTP_HX_REQUEST="true").content.decode()
    )
    request = services.floor_request_create(person=personas.member, session=session)
    services.floor_grant(actor=personas.chair, request=request)
    news = member.get(url, {"seen": "nobody"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Now speaking: A participant (Civil society)</div>" in news
    assert (
        f"&quot;seen&quot;: &quot;{request.pk}&quot;" in news or f'"seen": "{request.pk}"' in news
    )
    again = member.get(url, {"seen": str(request.pk)}, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-swap-oob" not in again
    speaker = client_of(personas.member).get(url, {"seen": "nobody"}, HTTP_HX_REQUEST="true")
    assert "You have the floor.</div>" in speaker.content.decode()


def test_a_poll_costs_the_same_queries_however_long_the_queue(live_plenary):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    personas, session = live_plenary.personas, live_plenary.session
    client = client_of(personas.member)
    url = f"/p/{personas.process.slug}/meetings/{session.pk}/floor/live/"

    def queries() -> int:
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as captured:
            client.get(url, HTTP_HX_REQUEST="true")
        return len(captured.captured_queries)

    services.floor_request_create(person=live_plenary.second, session=session)
    few = queries()
    for index in range(8):
        person = add_member(
            personas, f"Extra {index}", f"extra{index}@example.net", "academia", "weog"
        )
        services.floor_request_create(person=person, session=session)
    assert queries() == few
