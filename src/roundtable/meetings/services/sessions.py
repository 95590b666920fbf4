"""Scheduling sessions: times, rooms, formats, changes and cancellation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from roundtable.audit.services import audit_record
from roundtable.people.models import Person
from roundtable.processes.models import AttributionRule, Process

from .. import conf, policy
from ..models import (
    Room,
    Session,
    SessionFormat,
    SessionKind,
)
from ..times import to_utc, zone_or_error
from ._common import clean_text, locked, require
from .invitations import invitations_send_cancellation, invitations_send_update

# A change to any of these is one a calendar must pick up: SEQUENCE rises and
# everyone already invited is sent the update.
CALENDAR_FIELDS = ("title", "kind", "format", "room_id", "online_url", "start", "end")
EDITABLE_FIELDS = (
    "title",
    "kind",
    "format",
    "description",
    "room_name",
    "room_address",
    "online_url",
    "start",
    "end",
    "time_zone",
    "attribution_rule",
    "default_speaking_seconds",
)


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _choice(errors: dict, field: str, value: str, choices: Any) -> None:
    if value not in choices.values:
        errors.setdefault(field, []).append(
            _("“%(value)s” is not a valid choice.") % {"value": value}
        )


def _room_for(process: Process, name: str, address: str) -> Room | None:
    name = " ".join((name or "").split())[:200]
    if not name:
        return None
    room = Room.objects.filter(process=process, name__iexact=name).first()
    if room is None:
        room = Room.objects.create(
            process=process, name=name, address=(address or "").strip()[:300]
        )
    elif address and address.strip() and room.address != address.strip():
        room.address = address.strip()[:300]
        room.save(update_fields=["address"])
    # Lock the room: two bookings checked at once cannot both pass the overlap check.
    return Room.objects.select_for_update().get(pk=room.pk)


def _apply(session: Session, changes: dict[str, Any], *, creating: bool) -> None:
    """Validate and set ``changes`` on ``session`` (not saved). All errors at once."""
    errors: dict[str, list[str]] = {}
    process = session.process

    if "title" in changes:
        title = " ".join((changes["title"] or "").split())
        if not title:
            errors["title"] = [_("Give the session a title.")]
        session.title = title[:200]
    if "kind" in changes:
        _choice(errors, "kind", changes["kind"], SessionKind)
        if not creating and changes["kind"] != session.kind and session.started_at:
            errors.setdefault("kind", []).append(
                _("The session has been opened; its kind can no longer change.")
            )
        session.kind = changes["kind"]
    if "format" in changes:
        _choice(errors, "format", changes["format"], SessionFormat)
        session.format = changes["format"]
    if "description" in changes:
        try:
            session.description = clean_text(
                changes["description"],
                field="description",
                limit=settings.ROUNDTABLE["MAX_TEXT_CHARS"],
            )
        except ValidationError as error:
            errors.update(error.message_dict)
    if "online_url" in changes:
        url = (changes["online_url"] or "").strip()
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                errors["online_url"] = [
                    _("Give the full address of the online meeting, starting with https://.")
                ]
        session.online_url = url[:500]
    if "attribution_rule" in changes:
        rule = changes["attribution_rule"] or process.default_attribution
        _choice(errors, "attribution_rule", rule, AttributionRule)
        relaxing = (
            not creating
            and session.attribution_rule == AttributionRule.CHATHAM_HOUSE
            and rule == AttributionRule.ATTRIBUTED
        )
        if relaxing and (
            session.started_at or session.statements.exists() or session.floor_requests.exists()
        ):
            errors.setdefault("attribution_rule", []).append(
                _(
                    "People have already spoken in this session under the Chatham House Rule; "
                    "it cannot be changed to attributed."
                )
            )
        session.attribution_rule = rule
    if "default_speaking_seconds" in changes:
        seconds = changes["default_speaking_seconds"]
        if seconds is None:
            seconds = conf.default_speaking_seconds()
        if not 10 <= int(seconds) <= conf.max_speaking_seconds():
            errors["default_speaking_seconds"] = [
                ngettext(
                    "A speaking turn lasts between 10 seconds and %(minutes)d minute.",
                    "A speaking turn lasts between 10 seconds and %(minutes)d minutes.",
                    conf.max_speaking_seconds() // 60,
                )
                % {"minutes": conf.max_speaking_seconds() // 60}
            ]
        session.default_speaking_seconds = int(seconds)

    if "time_zone" in changes:
        try:
            session.time_zone = zone_or_error(changes["time_zone"]).key
        except ValidationError as error:
            errors.update(error.message_dict)
    for field in ("start", "end"):
        if field in changes:
            value = changes[field]
            if value is None:
                errors[field] = [_("This field is required.")]
                continue
            if "time_zone" in errors:
                continue
            try:
                setattr(session, field, to_utc(value, session.time_zone, field=field))
            except ValidationError as error:
                errors.update(error.message_dict)

    room_changed = "room_name" in changes or "format" in changes
    if room_changed:
        name = changes.get("room_name", session.room.name if session.room_id else "")
        if session.format == SessionFormat.ONLINE:
            session.room = None
        else:
            session.room = _room_for(process, name or "", changes.get("room_address", ""))
    elif "room_address" in changes and session.room_id and changes["room_address"]:
        _room_for(process, session.room.name, changes["room_address"])

    if session.format in (SessionFormat.IN_PERSON, SessionFormat.HYBRID) and not session.room_id:
        errors.setdefault("room_name", []).append(
            _("A session in person or hybrid needs a room or place.")
        )
    if session.format in (SessionFormat.ONLINE, SessionFormat.HYBRID) and not session.online_url:
        errors.setdefault("online_url", []).append(
            _("An online or hybrid session needs the link to join.")
        )

    start, end = getattr(session, "start", None), getattr(session, "end", None)
    if start and end and not ({"start", "end"} & set(errors)):
        if end <= start:
            errors["end"] = [
                _("The session ends (%(end)s) before it starts (%(start)s).")
                % {"end": _local(end), "start": _local(start)}
                if end < start
                else _("The session must end after it starts.")
            ]
        elif end - start > dt.timedelta(hours=conf.max_session_hours()):
            errors["end"] = [
                ngettext(
                    "A session lasts at most %(hours)d hour; split longer meetings into sessions.",
                    "A session lasts at most %(hours)d hours; split longer meetings into sessions.",
                    conf.max_session_hours(),
                )
                % {"hours": conf.max_session_hours()}
            ]
        elif session.room_id:
            clash = (
                Session.objects.filter(
                    room_id=session.room_id, cancelled_at__isnull=True, start__lt=end, end__gt=start
                )
                .exclude(pk=session.pk)
                .order_by("start")
                .first()
            )
            if clash is not None:
                errors.setdefault("room_name", []).append(
                    _(
                        "%(room)s is already booked from %(start)s to %(end)s (%(zone)s) "
                        "for “%(title)s”."
                    )
                    % {
                        "room": session.room.name,
                        "start": _local(clash.start),
                        "end": _local(clash.end),
                        "zone": timezone.get_current_timezone_name(),
                        "title": clash.title,
                    }
                )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def session_create(
    *,
    actor: Person,
    process: Process,
    title: str,
    kind: str,
    start: dt.datetime,
    end: dt.datetime,
    time_zone: str,
    format: str = SessionFormat.IN_PERSON,
    room_name: str = "",
    room_address: str = "",
    online_url: str = "",
    description: str = "",
    attribution_rule: str | None = None,
    default_speaking_seconds: int | None = None,
) -> Session:
    """Schedule a session. Naive times are wall-clock times in ``time_zone``."""
    require(policy.can_manage_sessions(actor, process))
    session = Session(process=process, created_by=actor)
    _apply(
        session,
        {
            "title": title,
            "kind": kind,
            "format": format,
            "description": description,
            "room_name": room_name,
            "room_address": room_address,
            "online_url": online_url,
            "time_zone": time_zone,
            "start": start,
            "end": end,
            "attribution_rule": attribution_rule or process.default_attribution,
            "default_speaking_seconds": default_speaking_seconds,
        },
        creating=True,
    )
    session.updated_at = timezone.now()
    session.save()
    audit_record(
        actor=actor,
        action="session.created",
        obj=session,
        process=process,
        data={"kind": session.kind, "start": session.start.isoformat()},
    )
    return session


@transaction.atomic
def session_update(*, actor: Person, session: Session, **changes: Any) -> Session:
    """Change a session; a change calendars must see raises SEQUENCE and is sent to invitees."""
    require(policy.can_edit_session(actor, session))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    session = locked(session)
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled; it can no longer be changed."))
    if session.ended_at is not None and ({"start", "end", "kind", "format"} & set(changes)):
        raise ValidationError(_("This session has been held; its schedule can no longer change."))
    before = {field: getattr(session, field) for field in CALENDAR_FIELDS}
    before_rule = session.attribution_rule
    _apply(session, changes, creating=False)
    changed = [field for field in CALENDAR_FIELDS if getattr(session, field) != before[field]]
    if changed:
        session.sequence += 1
    session.updated_at = timezone.now()
    session.save()
    audit_record(
        actor=actor,
        action="session.updated",
        obj=session,
        process=session.process,
        data={
            "changed": changed,
            "sequence": session.sequence,
            "attribution_rule": [before_rule, session.attribution_rule],
        },
    )
    if changed:
        invitations_send_update(session=session)
    return session


@transaction.atomic
def session_cancel(*, actor: Person, session: Session, reason: str = "") -> Session:
    require(policy.can_edit_session(actor, session))
    session = locked(session)
    if session.is_cancelled:
        raise ValidationError(_("This session is already cancelled."))
    if session.started_at is not None:
        raise ValidationError(_("This session has been opened; close it instead of cancelling it."))
    session.cancelled_at = timezone.now()
    session.cancellation_reason = clean_text(reason, field="reason", limit=2000)
    session.sequence += 1
    session.updated_at = timezone.now()
    session.save()
    audit_record(
        actor=actor,
        action="session.cancelled",
        obj=session,
        process=session.process,
        data={"sequence": session.sequence},
    )
    invitations_send_cancellation(session=session)
    return session
