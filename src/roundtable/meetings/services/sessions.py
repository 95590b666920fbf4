"""Scheduling sessions, their agendas, registration and attendance."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.agenda.models import Cluster, PolicyIssue
from roundtable.audit.services import audit_record
from roundtable.people.models import Person, Region, StakeholderGroup
from roundtable.processes.models import AttributionRule, Process

from .. import conf, policy
from ..models import (
    AgendaItem,
    Attendance,
    AttendanceMode,
    AttendanceStatus,
    Registration,
    Room,
    Session,
    SessionFormat,
    SessionKind,
)
from ..times import to_utc, zone_or_error
from ._common import clean_text, locked, require
from .invitations import invitations_send_cancellation, invitations_send_update, invite_person

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
                _("A speaking turn lasts between 10 seconds and %(minutes)d minutes.")
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
                _("A session lasts at most %(hours)d hours; split longer meetings into sessions.")
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


# --- Agenda -----------------------------------------------------------------------------------


def _resolve(model: type[models.Model], value: Any, process: Process, field: str) -> Any:
    if value in (None, ""):
        return None
    obj = value if isinstance(value, model) else model.objects.filter(pk=value).first()
    if obj is None or obj.process_id != process.pk:
        raise ValidationError({field: [_("Choose one from this process.")]})
    return obj


def resolve_document(value: Any, process: Process) -> tuple[ContentType, int] | None:
    """A document reference: a model instance, or ``("app_label.model", id)``.

    Only the models named in the MEETINGS_DOCUMENT_MODELS setting are
    accepted, and only documents of the same process.
    """
    if value in (None, "", ()):
        return None
    if isinstance(value, models.Model):
        label, obj = value._meta.label_lower, value
    else:
        try:
            label, pk = value
            label = str(label).lower()
            model = apps.get_model(label) if label in conf.document_models() else None
        except (ValueError, TypeError, LookupError):
            model = None
        obj = model.objects.filter(pk=pk).first() if model is not None else None
    if label not in conf.document_models() or obj is None:
        raise ValidationError({"document": [_("That document does not exist.")]})
    if getattr(obj, "process_id", process.pk) != process.pk:
        raise ValidationError({"document": [_("Choose a document of this process.")]})
    return ContentType.objects.get_for_model(obj), obj.pk


def _item_fields(item: AgendaItem, session: Session, changes: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    process = session.process
    if "title" in changes:
        title = " ".join((changes["title"] or "").split())
        if not title:
            errors["title"] = [_("Give the agenda item a title.")]
        item.title = title[:300]
    if "description" in changes:
        item.description = (changes["description"] or "").strip()[
            : settings.ROUNDTABLE["MAX_TEXT_CHARS"]
        ]
    if "planned_minutes" in changes:
        minutes = changes["planned_minutes"]
        if minutes is not None and not 0 < int(minutes) <= 24 * 60:
            errors["planned_minutes"] = [_("Give the planned time in minutes, up to a day.")]
        item.planned_minutes = minutes
    try:
        if "cluster" in changes:
            item.cluster = _resolve(Cluster, changes["cluster"], process, "cluster")
        if "policy_issue" in changes:
            item.policy_issue = _resolve(
                PolicyIssue, changes["policy_issue"], process, "policy_issue"
            )
        if "document" in changes:
            reference = resolve_document(changes["document"], process)
            item.document_type, item.document_id = reference if reference else (None, None)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agenda_item_add(*, actor: Person, session: Session, title: str, **fields: Any) -> AgendaItem:
    require(policy.can_edit_session(actor, session))
    session = locked(session)
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled; its agenda can no longer change."))
    count = session.agenda_items.count()
    if count >= conf.max_agenda_items():
        raise ValidationError(
            _("An agenda has at most %(limit)d items.") % {"limit": conf.max_agenda_items()}
        )
    unknown = set(fields) - {
        "description",
        "planned_minutes",
        "cluster",
        "policy_issue",
        "document",
    }
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    last = session.agenda_items.aggregate(models.Max("position"))["position__max"]
    item = AgendaItem(session=session, position=(last or 0) + 1 if count else 1)
    _item_fields(item, session, {"title": title, **fields})
    item.save()
    Session.objects.filter(pk=session.pk).update(updated_at=timezone.now())
    audit_record(
        actor=actor,
        action="agenda_item.added",
        obj=item,
        process=session.process,
        data={"session": session.pk},
    )
    return item


@transaction.atomic
def agenda_item_update(*, actor: Person, item: AgendaItem, **changes: Any) -> AgendaItem:
    session = item.session
    require(policy.can_edit_session(actor, session))
    unknown = set(changes) - {
        "title",
        "description",
        "planned_minutes",
        "cluster",
        "policy_issue",
        "document",
    }
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    _item_fields(item, session, changes)
    item.save()
    Session.objects.filter(pk=session.pk).update(updated_at=timezone.now())
    audit_record(
        actor=actor,
        action="agenda_item.updated",
        obj=item,
        process=session.process,
        data={"session": session.pk, "fields": sorted(changes)},
    )
    return item


@transaction.atomic
def agenda_item_remove(*, actor: Person, item: AgendaItem) -> None:
    session = item.session
    require(policy.can_edit_session(actor, session))
    if item.statements.exists() or item.floor_requests.exists() or item.actions.exists():
        raise ValidationError(
            _("This item has been discussed (statements, speaking turns or actions); keep it.")
        )
    audit_record(
        actor=actor,
        action="agenda_item.removed",
        obj=item,
        process=session.process,
        data={"session": session.pk, "title": item.title},
    )
    item.delete()
    Session.objects.filter(pk=session.pk).update(updated_at=timezone.now())


@transaction.atomic
def agenda_item_move(*, actor: Person, item: AgendaItem, direction: int) -> None:
    """Swap the item with its neighbour above (-1) or below (+1)."""
    session = item.session
    require(policy.can_edit_session(actor, session))
    items = list(session.agenda_items.select_for_update().order_by("position", "pk"))
    index = next(i for i, candidate in enumerate(items) if candidate.pk == item.pk)
    other = index + (1 if direction > 0 else -1)
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, candidate in enumerate(items, start=1):
        if candidate.position != position:
            AgendaItem.objects.filter(pk=candidate.pk).update(position=position)
    audit_record(
        actor=actor,
        action="agenda_item.moved",
        obj=item,
        process=session.process,
        data={"session": session.pk, "direction": direction},
    )


# --- Registration and attendance --------------------------------------------------------------


def _open_for_registration(session: Session) -> None:
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled."))
    if session.ended_at is not None or session.end <= timezone.now():
        raise ValidationError(_("This session is over; registration is closed."))


@transaction.atomic
def registration_create(
    *,
    person: Person,
    session: Session,
    mode: str = AttendanceMode.IN_PERSON,
    stakeholder_group: StakeholderGroup | str | None = None,
    region: Region | str | None = None,
    organisation_name: str = "",
) -> Registration:
    """Register (or change one's registration). People with no role say who they are,
    so an open room's balance can be measured; the calendar invitation follows."""
    from roundtable.processes.services import resolve_region, resolve_stakeholder_group

    require(policy.can_register(person, session))
    session = locked(session)
    _open_for_registration(session)
    errors: dict[str, list[str]] = {}
    _choice(errors, "mode", mode, AttendanceMode)
    if mode == AttendanceMode.IN_PERSON and session.format == SessionFormat.ONLINE:
        errors.setdefault("mode", []).append(_("This session is online only."))
    if mode == AttendanceMode.REMOTE and session.format == SessionFormat.IN_PERSON:
        errors.setdefault("mode", []).append(_("This session is in person only."))
    group = place = None
    try:
        group = resolve_stakeholder_group(stakeholder_group)
        place = resolve_region(region)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    registration, created = Registration.objects.select_for_update().get_or_create(
        session=session, person=person, defaults={"mode": mode}
    )
    registration.mode = mode
    registration.stakeholder_group = group
    registration.region = place
    registration.organisation_name = " ".join((organisation_name or "").split())[:200]
    reactivated = registration.cancelled_at is not None
    registration.cancelled_at = None
    registration.save()
    audit_record(
        actor=person,
        action="registration.created" if created or reactivated else "registration.changed",
        obj=registration,
        process=session.process,
        data={"session": session.pk, "mode": mode},
    )
    invite_person(session=session, person=person)
    return registration


@transaction.atomic
def registration_cancel(*, person: Person, session: Session) -> Registration:
    registration = (
        Registration.objects.select_for_update()
        .filter(session=session, person=person, cancelled_at__isnull=True)
        .first()
    )
    if registration is None:
        raise ValidationError(_("You are not registered for this session."))
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["cancelled_at"])
    audit_record(
        actor=person,
        action="registration.cancelled",
        obj=registration,
        process=session.process,
        data={"session": session.pk},
    )
    if not policy.can_attend_session(person, session):
        # They no longer attend: their calendar is told, like any removed attendee.
        from .invitations import uninvite_person

        uninvite_person(session=session, person=person)
    return registration


@transaction.atomic
def attendance_record(
    *, actor: Person, session: Session, person: Person, status: str
) -> Attendance | None:
    """Record (or, with an empty status, clear) one person's attendance."""
    require(policy.can_record_attendance(actor, session))
    session = locked(session)
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled."))
    if status and status not in AttendanceStatus.values:
        raise ValidationError(
            {"status": [_("“%(value)s” is not a valid choice.") % {"value": status}]}
        )
    if status in (AttendanceStatus.IN_PERSON, AttendanceStatus.REMOTE) and not (
        policy.can_attend_session(person, session)
    ):
        raise ValidationError(
            {"person": [_("%(name)s may not attend this session.") % {"name": person.name}]}
        )
    existing = Attendance.objects.select_for_update().filter(session=session, person=person).first()
    if not status:
        if existing is not None:
            existing.delete()
        return None
    attendance = existing or Attendance(session=session, person=person)
    attendance.status = status
    attendance.recorded_by = actor
    attendance.recorded_at = timezone.now()
    attendance.save()
    audit_record(
        actor=actor,
        action="attendance.recorded",
        obj=attendance,
        process=session.process,
        data={"session": session.pk, "status": status},
    )
    return attendance


def ensure_present(*, session: Session, person: Person, mode: str | None = None) -> Attendance:
    """Someone in the room (checking in, or asking for the floor) is present. Not a decision."""
    existing = Attendance.objects.filter(session=session, person=person).first()
    if existing is not None and existing.is_present:
        return existing
    if mode is None:
        registration = Registration.objects.filter(session=session, person=person).first()
        if registration is not None:
            mode = registration.mode
        else:
            mode = (
                AttendanceStatus.REMOTE
                if session.format == SessionFormat.ONLINE
                else AttendanceStatus.IN_PERSON
            )
    try:
        with transaction.atomic():
            attendance, _created = Attendance.objects.update_or_create(
                session=session, person=person, defaults={"status": mode, "recorded_by": person}
            )
    except IntegrityError:
        attendance = Attendance.objects.get(session=session, person=person)
    return attendance


@transaction.atomic
def attendance_check_in(*, person: Person, session: Session, mode: str) -> Attendance:
    """Say "I am here", in the room or online, while the session runs."""
    require(policy.can_attend_session(person, session))
    session = locked(session)
    if not session.is_live:
        raise ValidationError(_("You can check in while the session is open."))
    if mode not in (AttendanceStatus.IN_PERSON, AttendanceStatus.REMOTE):
        raise ValidationError({"mode": [_("“%(value)s” is not a valid choice.") % {"value": mode}]})
    return ensure_present(session=session, person=person, mode=mode)
