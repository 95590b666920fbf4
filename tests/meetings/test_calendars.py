"""iCalendar: invitations by e-mail, updates and cancellations, feeds; parsed with icalendar."""

from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest
from django.test import Client

from roundtable.meetings import services
from roundtable.meetings.models import SessionKind
from tests.meetings.conftest import schedule

pytestmark = pytest.mark.django_db

UTC = dt.UTC
START = dt.datetime(2031, 6, 2, 7, 0, tzinfo=UTC)


def calendar_parts(message) -> list[tuple[str, icalendar.Calendar]]:
    """(iTIP method parameter, parsed calendar) of each text/calendar part of a message."""
    found = []
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            assert part.get_filename().startswith("session-")
            found.append(
                (
                    f"method={part.get_param('method')}",
                    icalendar.Calendar.from_ical(part.get_payload(decode=True)),
                )
            )
    return found


def only_event(calendar: icalendar.Calendar) -> icalendar.Event:
    [event] = calendar.walk("VEVENT")
    return event


def recipients(mailbox) -> set[str]:
    return {str(message["To"]) for message in mailbox.messages}


def test_invitations_updates_and_cancellation_keep_the_uid_and_raise_the_sequence(
    personas, mailbox, run_tasks
):
    session = schedule(
        personas,
        SessionKind.PLENARY,
        start=START,
        format="hybrid",
        online_url="https://meet.example.org/plenary",
    )
    services.agenda_item_add(
        actor=personas.secretariat, session=session, title="Working definition"
    )
    assert services.invitations_send(actor=personas.secretariat, session=session) == 4
    assert services.invitations_send(actor=personas.secretariat, session=session) == 0
    run_tasks()
    # Members, officers and observers of a plenary; not the public.
    assert recipients(mailbox) == {
        "chair@example.net",
        "secretariat@example.net",
        "member@example.net",
        "observer@example.net",
    }
    [message] = mailbox.to("member@example.net")
    assert message["Subject"] == "Invitation: plenary test"
    [(content_type, calendar)] = calendar_parts(message)
    assert "method=REQUEST" in content_type
    assert calendar["METHOD"] == "REQUEST"
    event = only_event(calendar)
    uid = str(event["UID"])
    assert uid == f"{session.uid}@testserver"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == START
    assert event.decoded("DTEND") == START + dt.timedelta(hours=3)
    assert str(event["ATTENDEE"]) == "mailto:member@example.net"
    assert "https://meet.example.org/plenary" in str(event["DESCRIPTION"])
    assert "1. Working definition" in str(event["DESCRIPTION"])
    assert "Join online: https://meet.example.org/plenary" in mailbox.text(message)

    mailbox.clear()
    services.session_update(
        actor=personas.secretariat,
        session=session,
        start=START + dt.timedelta(hours=1),
        end=START + dt.timedelta(hours=4),
        time_zone="UTC",
    )
    run_tasks()
    assert len(mailbox.messages) == 4
    [message] = mailbox.to("observer@example.net")
    assert message["Subject"] == "Updated: plenary test"
    event = only_event(calendar_parts(message)[0][1])
    assert (str(event["UID"]), event["SEQUENCE"]) == (uid, 1)
    assert event.decoded("DTSTART") == START + dt.timedelta(hours=1)

    mailbox.clear()
    services.session_cancel(actor=personas.secretariat, session=session, reason="Venue closed")
    run_tasks()
    [message] = mailbox.to("chair@example.net")
    assert message["Subject"] == "Cancelled: plenary test"
    [(content_type, calendar)] = calendar_parts(message)
    assert "method=CANCEL" in content_type and calendar["METHOD"] == "CANCEL"
    event = only_event(calendar)
    assert (str(event["UID"]), event["SEQUENCE"], str(event["STATUS"])) == (uid, 2, "CANCELLED")
    assert "Venue closed" in mailbox.text(message)


def test_closed_sessions_invite_no_observers(personas, mailbox, run_tasks):
    session = schedule(personas, SessionKind.CLOSED, start=START)
    services.invitations_send(actor=personas.secretariat, session=session)
    run_tasks()
    assert "observer@example.net" not in recipients(mailbox)
    assert "member@example.net" in recipients(mailbox)


def test_registering_for_a_consultation_sends_the_entry_and_cancelling_removes_it(
    personas, mailbox, run_tasks
):
    session = schedule(personas, SessionKind.CONSULTATION, start=START)
    services.registration_create(person=personas.public, session=session)
    run_tasks()
    [message] = mailbox.to("public@example.net")
    event = only_event(calendar_parts(message)[0][1])
    assert str(event["UID"]) == f"{session.uid}@testserver"
    mailbox.clear()
    services.registration_cancel(person=personas.public, session=session)
    run_tasks()
    [message] = mailbox.to("public@example.net")
    [(_content_type, calendar)] = calendar_parts(message)
    assert calendar["METHOD"] == "CANCEL"
    assert "You are no longer expected" in mailbox.text(message)


def test_mail_shows_each_recipient_their_own_time(personas, mailbox, run_tasks):
    personas.member.time_zone = "Asia/Tokyo"
    personas.member.save()
    session = schedule(personas, SessionKind.PLENARY, start=START)
    services.invitations_send(actor=personas.secretariat, session=session)
    run_tasks()
    text = mailbox.text(mailbox.to("member@example.net")[0])
    assert "16:00–19:00 (Asia/Tokyo)" in text  # 07:00 UTC
    assert "07:00–10:00 (UTC)" in mailbox.text(mailbox.to("chair@example.net")[0])


def test_personal_feed_by_secret_link_can_be_revoked(personas):
    hybrid = schedule(
        personas,
        SessionKind.CLOSED,
        start=START,
        format="hybrid",
        online_url="https://meet.example.org/closed",
    )
    client = Client()
    client.force_login(personas.member)
    page = client.post("/meetings/calendar/", {"action": "create"}).content.decode()
    url = re.search(r"http://testserver(/meetings/calendar/cal_[^<\s]+\.ics)", page).group(1)
    feed = Client().get(url)  # no session: a calendar client
    assert feed.status_code == 200
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(feed.content)
    event = only_event(calendar)
    assert str(event["UID"]) == f"{hybrid.uid}@testserver"
    assert "https://meet.example.org/closed" in str(event["DESCRIPTION"])
    # The observer's own feed does not hold the closed session at all.
    _feed, secret = services.calendar_feed_create(person=personas.observer)
    observer_feed = icalendar.Calendar.from_ical(
        Client().get(f"/meetings/calendar/{secret}.ics").content
    )
    assert observer_feed.walk("VEVENT") == []
    # A new link replaces the old; stopping it leaves none.
    page = client.post("/meetings/calendar/", {"action": "create"}).content.decode()
    assert Client().get(url).status_code == 404
    new_url = re.search(r"http://testserver(/meetings/calendar/cal_[^<\s]+\.ics)", page).group(1)
    assert Client().get(new_url).status_code == 200
    client.post("/meetings/calendar/", {"action": "revoke"})
    assert Client().get(new_url).status_code == 404
    assert Client().get("/meetings/calendar/cal_guess.ics").status_code == 404


def test_process_feed_is_public_without_links_and_keeps_cancelled_sessions(personas):
    kept = schedule(
        personas,
        SessionKind.PLENARY,
        start=START,
        format="online",
        online_url="https://meet.example.org/secret-room",
    )
    cancelled = schedule(personas, SessionKind.CLOSED, start=START + dt.timedelta(days=1))
    services.session_cancel(actor=personas.secretariat, session=cancelled)
    response = Client().get(f"/p/{personas.process.slug}/meetings/calendar.ics")
    assert response.status_code == 200
    assert b"secret-room" not in response.content
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == personas.process.name
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert str(events[f"{kept.uid}@testserver"]["STATUS"]) == "CONFIRMED"
    assert str(events[f"{cancelled.uid}@testserver"]["STATUS"]) == "CANCELLED"
    assert events[f"{cancelled.uid}@testserver"]["SEQUENCE"] == 1


def test_members_only_process_feed_is_not_public(personas):
    personas.process.access = "members"
    personas.process.save()
    assert Client().get(f"/p/{personas.process.slug}/meetings/calendar.ics").status_code == 404


def test_single_event_download(personas):
    session = schedule(personas, SessionKind.PLENARY, start=START)
    response = Client().get(f"/p/{personas.process.slug}/meetings/{session.pk}/event.ics")
    assert response["Content-Disposition"] == f'attachment; filename="session-{session.pk}.ics"'
    event = only_event(icalendar.Calendar.from_ical(response.content))
    assert event.decoded("DTSTART") == START
    assert str(event["SUMMARY"]) == "plenary test"
