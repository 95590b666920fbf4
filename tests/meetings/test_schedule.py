"""Scheduling: UTC storage, local entry, DST gaps and folds, rooms, formats, changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from roundtable.meetings import services
from roundtable.meetings.models import Room, Session, SessionKind
from roundtable.processes.models import AttributionRule
from tests.meetings.conftest import schedule

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def create(personas, **overrides):
    fields = {
        "actor": personas.secretariat,
        "process": personas.process,
        "title": "Second plenary",
        "kind": SessionKind.PLENARY,
        "start": dt.datetime(2031, 3, 10, 9, 0),
        "end": dt.datetime(2031, 3, 10, 12, 0),
        "time_zone": "Europe/Zurich",
        "room_name": "Room XVII",
    }
    fields.update(overrides)
    return services.session_create(**fields)


def errors_of(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_wall_clock_times_are_read_in_the_given_zone_and_stored_in_utc(personas):
    session = create(personas, start=dt.datetime(2031, 7, 1, 9, 0), end=dt.datetime(2031, 7, 1, 12))
    assert session.start == dt.datetime(2031, 7, 1, 7, 0, tzinfo=UTC)  # Zurich is UTC+2 in July
    assert session.time_zone == "Europe/Zurich"
    aware = create(
        personas,
        title="Aware",
        room_name="Room B",
        start=dt.datetime(2031, 7, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        end=dt.datetime(2031, 7, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
    )
    assert aware.start == dt.datetime(2031, 7, 2, 14, 0, tzinfo=UTC)


def test_a_time_skipped_by_daylight_saving_is_a_clear_error(personas):
    # Zurich, last Sunday of March 2031: clocks jump from 02:00 to 03:00.
    errors = errors_of(
        lambda: create(
            personas, start=dt.datetime(2031, 3, 30, 2, 30), end=dt.datetime(2031, 3, 30, 5)
        )
    )
    assert errors["start"] == [
        "2031-03-30 02:30 does not exist in Europe/Zurich: the clocks skip it when "
        "daylight-saving time begins. Choose a time outside the change."
    ]
    assert not Session.objects.exists() and not Room.objects.exists()


def test_a_time_that_happens_twice_is_a_clear_error(personas):
    # Zurich, last Sunday of October 2031: 02:00-03:00 happens twice.
    errors = errors_of(
        lambda: create(
            personas, start=dt.datetime(2031, 10, 26, 1, 0), end=dt.datetime(2031, 10, 26, 2, 30)
        )
    )
    assert "happens twice in Europe/Zurich" in errors["end"][0]
    assert not Session.objects.exists()


def test_end_before_start_is_refused_with_both_times(personas):
    errors = errors_of(
        lambda: create(
            personas, start=dt.datetime(2031, 3, 10, 12), end=dt.datetime(2031, 3, 10, 9)
        )
    )
    assert errors["end"] == [
        "The session ends (2031-03-10 08:00) before it starts (2031-03-10 11:00)."
    ]
    equal = errors_of(
        lambda: create(personas, start=dt.datetime(2031, 3, 10, 9), end=dt.datetime(2031, 3, 10, 9))
    )
    assert equal["end"] == ["The session must end after it starts."]
    assert not Session.objects.exists()


def test_sessions_may_not_overlap_in_one_room(personas):
    first = create(personas)
    errors = errors_of(
        lambda: create(
            personas,
            title="Clash",
            room_name="room xvii",  # the same room, whatever the case
            start=dt.datetime(2031, 3, 10, 11, 30),
            end=dt.datetime(2031, 3, 10, 13, 0),
        )
    )
    assert errors["room_name"] == [
        "Room XVII is already booked from 2031-03-10 08:00 to 2031-03-10 11:00 (UTC) "
        "for “Second plenary”."
    ]
    # Back to back is fine, as is another room, or the slot of a cancelled session.
    create(
        personas,
        title="After",
        start=dt.datetime(2031, 3, 10, 12),
        end=dt.datetime(2031, 3, 10, 13),
    )
    create(personas, title="Elsewhere", room_name="Room XX")
    services.session_cancel(actor=personas.secretariat, session=first)
    create(personas, title="Instead")
    assert Session.objects.count() == 4


def test_moving_a_session_onto_another_is_refused_and_changes_nothing(personas):
    create(personas)
    other = create(
        personas,
        title="Later",
        start=dt.datetime(2031, 3, 10, 14),
        end=dt.datetime(2031, 3, 10, 16),
    )
    errors_of(
        lambda: services.session_update(
            actor=personas.secretariat,
            session=other,
            start=dt.datetime(2031, 3, 10, 10),
            time_zone="Europe/Zurich",
        )
    )
    other.refresh_from_db()
    assert other.start == dt.datetime(2031, 3, 10, 13, tzinfo=UTC)
    assert other.sequence == 0


def test_format_needs_its_room_or_link(personas):
    errors = errors_of(lambda: create(personas, format="in_person", room_name=""))
    assert errors["room_name"] == ["A session in person or hybrid needs a room or place."]
    errors = errors_of(lambda: create(personas, format="hybrid", online_url=""))
    assert errors["online_url"] == ["An online or hybrid session needs the link to join."]
    errors = errors_of(lambda: create(personas, format="online", online_url="javascript:alert(1)"))
    assert errors["online_url"] == [
        "Give the full address of the online meeting, starting with https://."
    ]
    online = create(
        personas, format="online", online_url="https://meet.example.org/wg", room_name="x"
    )
    assert online.room is None


def test_limits_and_unknown_zones(personas, settings):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "MEETINGS_MAX_SESSION_HOURS": 8}
    errors = errors_of(lambda: create(personas, end=dt.datetime(2031, 3, 10, 18)))
    assert errors["end"] == [
        "A session lasts at most 8 hours; split longer meetings into sessions."
    ]
    errors = errors_of(lambda: create(personas, time_zone="Mars/Olympus"))
    assert errors["time_zone"] == ["“Mars/Olympus” is not a known time zone."]


def test_a_change_calendars_must_see_raises_the_sequence(personas):
    session = create(personas)
    services.session_update(actor=personas.secretariat, session=session, description="Bring ideas.")
    session.refresh_from_db()
    assert session.sequence == 0
    services.session_update(actor=personas.secretariat, session=session, room_name="Room XX")
    session.refresh_from_db()
    assert (session.sequence, session.room.name) == (1, "Room XX")
    services.session_cancel(actor=personas.secretariat, session=session, reason="Strike")
    session.refresh_from_db()
    assert session.sequence == 2
    with pytest.raises(ValidationError):
        services.session_update(actor=personas.secretariat, session=session, title="Back")


def test_chatham_house_cannot_be_relaxed_once_people_have_spoken(live_plenary):
    personas, session = live_plenary.personas, live_plenary.session
    errors = errors_of(
        lambda: services.session_update(
            actor=personas.secretariat,
            session=session,
            attribution_rule=AttributionRule.ATTRIBUTED,
        )
    )
    assert "cannot be changed to attributed" in errors["attribution_rule"][0]
    kind = errors_of(
        lambda: services.session_update(
            actor=personas.secretariat, session=session, kind=SessionKind.CLOSED
        )
    )
    assert kind["kind"] == ["The session has been opened; its kind can no longer change."]
    # The other way round protects speakers more, so it is allowed.
    upcoming = schedule(personas, attribution_rule=AttributionRule.ATTRIBUTED, room="Room B")
    services.session_update(
        actor=personas.secretariat,
        session=upcoming,
        attribution_rule=AttributionRule.CHATHAM_HOUSE,
    )


def test_the_form_shows_daylight_saving_errors_in_the_secretariats_zone(personas):
    client = Client()
    client.force_login(personas.secretariat)
    response = client.post(
        f"/p/{personas.process.slug}/meetings/new/",
        {
            "title": "Spring plenary",
            "kind": "plenary",
            "format": "in_person",
            "room_name": "Room XVII",
            "start": "2031-03-30T02:15",
            "end": "2031-03-30T05:00",
            "time_zone": "Europe/Zurich",
            "attribution_rule": "chatham_house",
            "speaking_minutes": "3",
        },
    )
    assert response.status_code == 400
    assert "does not exist in Europe/Zurich" in response.content.decode()
    assert not Session.objects.exists()


def test_each_viewer_sees_their_own_time_zone_and_the_venues(personas):
    session = create(personas, start=dt.datetime(2031, 7, 1, 9), end=dt.datetime(2031, 7, 1, 12))
    personas.member.time_zone = "Asia/Tokyo"
    personas.member.save()
    client = Client()
    client.force_login(personas.member)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "16:00" in page and "(Asia/Tokyo)" in page  # 07:00 UTC
    assert "At the venue: 1 July, 09:00–12:00 (Europe/Zurich)" in page
    anonymous = Client().get(session.get_absolute_url()).content.decode()
    assert "07:00" in anonymous and "(UTC)" in anonymous


def test_past_sessions_list_newest_first(personas):
    now = timezone.now()
    old = schedule(personas, title="Old", start=now - dt.timedelta(days=30))
    recent = schedule(personas, title="Recent", start=now - dt.timedelta(days=3), room="B")
    page = Client().get(f"/p/{personas.process.slug}/meetings/").content.decode()
    assert page.index(recent.title) < page.index(old.title)
