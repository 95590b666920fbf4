"""Calendar invitations by e-mail: REQUEST for new and changed sessions, CANCEL otherwise.

Every message carries the session's UID and current SEQUENCE, so a
calendar client updates the event it already has instead of adding another.
``SessionInvitation`` remembers who was sent which SEQUENCE: updates and
cancellations go to exactly those people.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.audit.services import audit_record
from roundtable.people.models import Person
from roundtable.processes.models import Membership

from .. import ics, policy
from ..models import ApplicationStatus, Registration, Session, SessionInvitation, SessionKind
from ._common import locked, mail_person, require


def _send(*, session: Session, person: Any, mode: str) -> None:
    """``mode``: ``invitation``, ``update`` or ``cancellation``."""
    cancel = mode == "cancellation"
    content = ics.invitation(session, attendee=person.email, cancel=cancel)
    method = "CANCEL" if cancel else "REQUEST"
    mail_person(
        person=person,
        template=f"meetings/email/{mode}",
        context={
            "session": session,
            "process": session.process,
            "agenda_items": list(session.agenda_items.all()),
            "session_url": ics.session_url(session),
            "show_link": not cancel and policy.can_see_online_link(person, session),
        },
        kind=f"meeting.{mode}",
        attachments=[
            (
                ics.ics_filename(session, "-cancel" if cancel else ""),
                f"text/calendar; method={method}",
                content,
            )
        ],
    )


def invitees(*, session: Session) -> list[Any]:
    """Who is sent the invitation: everyone who may attend by role or accreditation,
    and for open consultations the officers and everyone registered."""
    people: dict[int, Any] = {}
    for membership in Membership.objects.filter(process_id=session.process_id).select_related(
        "person"
    ):
        if membership.is_current and membership.person.is_active:
            people[membership.person_id] = membership.person
    for application in session.observer_applications.filter(
        status=ApplicationStatus.ACCREDITED
    ).select_related("person"):
        people[application.person_id] = application.person
    if session.kind == SessionKind.CONSULTATION:
        for registration in Registration.objects.filter(
            session=session, cancelled_at__isnull=True
        ).select_related("person"):
            people[registration.person_id] = registration.person
    return [person for person in people.values() if policy.can_attend_session(person, session)]


def invite_person(*, session: Session, person: Any) -> bool:
    """Send one person the current version unless they already have it."""
    if session.is_cancelled or session.end <= timezone.now():
        return False
    record = SessionInvitation.objects.filter(session=session, person=person).first()
    if record is not None and record.sequence >= session.sequence:
        return False
    _send(session=session, person=person, mode="invitation" if record is None else "update")
    SessionInvitation.objects.update_or_create(
        session=session,
        person=person,
        defaults={"sequence": session.sequence, "sent_at": timezone.now()},
    )
    return True


def uninvite_person(*, session: Session, person: Any) -> None:
    record = SessionInvitation.objects.filter(session=session, person=person).first()
    if record is not None:
        _send(session=session, person=person, mode="cancellation")
        record.delete()


@transaction.atomic
def invitations_send(*, actor: Person, session: Session) -> int:
    """Send the invitation to everyone who may attend and does not have this version yet."""
    require(policy.can_edit_session(actor, session))
    session = locked(session)
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled."))
    if session.end <= timezone.now():
        raise ValidationError(_("This session is over; there is nobody left to invite."))
    sent = sum(
        invite_person(session=session, person=person) for person in invitees(session=session)
    )
    audit_record(
        actor=actor,
        action="session.invitations_sent",
        obj=session,
        process=session.process,
        data={"count": sent, "sequence": session.sequence},
    )
    return sent


def invitations_send_update(*, session: Session) -> int:
    """After a change: everyone already invited gets the new version (same UID, higher SEQUENCE)."""
    if session.end <= timezone.now():
        return 0
    count = 0
    for record in SessionInvitation.objects.filter(session=session).select_related("person"):
        if record.sequence >= session.sequence:
            continue
        if policy.can_attend_session(record.person, session):
            _send(session=session, person=record.person, mode="update")
        else:
            _send(session=session, person=record.person, mode="cancellation")
        record.sequence = session.sequence
        record.sent_at = timezone.now()
        record.save(update_fields=["sequence", "sent_at"])
        count += 1
    return count


def invitations_send_cancellation(*, session: Session) -> int:
    count = 0
    for record in SessionInvitation.objects.filter(session=session).select_related("person"):
        _send(session=session, person=record.person, mode="cancellation")
        record.sequence = session.sequence
        record.sent_at = timezone.now()
        record.save(update_fields=["sequence", "sent_at"])
        count += 1
    return count
