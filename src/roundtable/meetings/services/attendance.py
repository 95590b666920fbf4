"""Registration and attendance."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.audit.services import audit_record
from roundtable.people.models import Person, Region, StakeholderGroup

from .. import policy
from ..models import (
    Attendance,
    AttendanceMode,
    AttendanceStatus,
    Registration,
    Session,
    SessionFormat,
)
from ._common import locked, require
from .invitations import invite_person


def _choice(errors: dict, field: str, value: str, choices: Any) -> None:
    if value not in choices.values:
        errors.setdefault(field, []).append(
            _("“%(value)s” is not a valid choice.") % {"value": value}
        )


# Registration and attendance --------------------------------------------------------------


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
