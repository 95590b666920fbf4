"""iCalendar (RFC 5545) for sessions, built with the ``icalendar`` package.

One VEVENT per session whatever the route (feed, download, invitation):
the UID is the session's and never changes; SEQUENCE is the session's
sequence, raised by every change a calendar must pick up; a cancelled
session stays in feeds with STATUS:CANCELLED so subscribed calendars drop it.
Invitations (RFC 5546 iTIP) use METHOD:REQUEST, cancellations METHOD:CANCEL.

Events carry the schedule, place and agenda only: never minutes or speakers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from email.utils import parseaddr
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Session, SessionKind

PRODID = "-//Roundtable//Meetings//EN"


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def session_uid(session: Session) -> str:
    return f"{session.uid}@{_domain()}"


def session_url(session: Session) -> str:
    return settings.SITE_URL + session.get_absolute_url()


def _location(session: Session, include_link: bool) -> str:
    parts = []
    if session.room_id:
        parts.append(session.room.name)
        if session.room.address:
            parts.append(session.room.address)
    if session.is_online:
        parts.append(session.online_url if include_link and session.online_url else _("Online"))
    return ", ".join(parts)


def _description(session: Session, include_link: bool) -> str:
    lines = [f"{session.get_kind_display()} · {session.get_attribution_rule_display()}"]
    if session.is_cancelled and session.cancellation_reason:
        lines += ["", _("Cancelled: %(reason)s") % {"reason": session.cancellation_reason}]
    items = list(session.agenda_items.all())
    if items:
        lines += ["", _("Agenda")]
        lines += [f"{number}. {item.title}" for number, item in enumerate(items, start=1)]
    if include_link and session.is_online and session.online_url:
        lines += ["", _("Join online: %(url)s") % {"url": session.online_url}]
    lines += ["", session_url(session)]
    return "\n".join(lines)


def session_event(
    session: Session,
    *,
    include_link: bool,
    attendee: str | None = None,
    cancelled: bool | None = None,
) -> icalendar.Event:
    cancelled = session.is_cancelled if cancelled is None else cancelled
    event = icalendar.Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", timezone.now())
    event.add("created", session.created_at)
    event.add("last-modified", session.updated_at)
    event.add("sequence", session.sequence)
    event.add("dtstart", session.start)
    event.add("dtend", session.end)
    event.add("summary", session.title)
    event.add("description", _description(session, include_link))
    location = _location(session, include_link)
    if location:
        event.add("location", location)
    event.add("url", session_url(session))
    event.add("categories", [session.get_kind_display()])
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("class", "PUBLIC" if session.kind != SessionKind.CLOSED else "PRIVATE")
    if attendee:
        organiser_name, organiser_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        organiser = icalendar.vCalAddress(f"mailto:{organiser_address}")
        organiser.params["cn"] = icalendar.vText(organiser_name or settings.SITE_NAME)
        event.add("organizer", organiser)
        address = icalendar.vCalAddress(f"mailto:{attendee}")
        address.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        address.params["partstat"] = icalendar.vText("NEEDS-ACTION")
        address.params["rsvp"] = icalendar.vText("FALSE")
        event.add("attendee", address)
    return event


def _calendar(name: str | None, method: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-published-ttl", "PT1H")
    return calendar


def feed(
    sessions: Iterable[Session], *, name: str, include_link: Callable[[Session], bool]
) -> bytes:
    """A subscribable calendar of sessions (METHOD:PUBLISH)."""
    calendar = _calendar(name, "PUBLISH")
    for session in sessions:
        calendar.add_component(session_event(session, include_link=include_link(session)))
    return calendar.to_ical()


def single_event(session: Session, *, include_link: bool) -> bytes:
    calendar = _calendar(None, "PUBLISH")
    calendar.add_component(session_event(session, include_link=include_link))
    return calendar.to_ical()


def invitation(session: Session, *, attendee: str, cancel: bool = False) -> bytes:
    """An iTIP message for one recipient: REQUEST (new or changed) or CANCEL."""
    calendar = _calendar(None, "CANCEL" if cancel else "REQUEST")
    calendar.add_component(
        session_event(session, include_link=True, attendee=attendee, cancelled=cancel)
    )
    return calendar.to_ical()


def ics_filename(session: Session, suffix: str = "") -> str:
    """File names name the session by number only: never a speaker, never a title to escape."""
    return f"session-{session.pk}{suffix}.ics"
