"""Running the floor: opening and closing a session, requests, turns and time limits.

Every write locks the session row first, so two clicks in the room (two
chairs' tabs, a member asking twice) are applied one after the other; the
database constraints (one open request per person, one speaker at a time)
are the last line of defence.

Requests for the floor are not audited: they are not decisions, and the
audit log must not become a list of who spoke in a Chatham House session.
The chair's decisions (grant, end of turn) are audited without the speaker.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from roundtable.audit.services import audit_record
from roundtable.people.models import Person

from .. import conf, policy
from ..models import AgendaItem, FloorRequest, FloorStatus, Session
from ..selectors import Speakers
from ._common import locked, require
from .attendance import ensure_present


def _lock(session: Session) -> Session:
    return locked(session)


def _close_current_turn(session: Session, now) -> FloorRequest | None:
    current = (
        FloorRequest.objects.select_for_update()
        .filter(session=session, status=FloorStatus.SPEAKING)
        .first()
    )
    if current is not None:
        current.status = FloorStatus.DONE
        current.ended_at = now
        current.save(update_fields=["status", "ended_at"])
    return current


@transaction.atomic
def session_open(*, actor: Person, session: Session) -> Session:
    """The chair opens the session: the floor can be requested from now on."""
    require(policy.can_run_floor(actor, session))
    session = _lock(session)
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled."))
    if session.ended_at is not None:
        raise ValidationError(_("This session has been closed; it cannot be opened again."))
    if session.started_at is not None:
        return session
    session.started_at = timezone.now()
    if session.current_agenda_item_id is None:
        session.current_agenda_item = session.agenda_items.order_by("position", "pk").first()
    session.save(update_fields=["started_at", "current_agenda_item"])
    audit_record(actor=actor, action="session.opened", obj=session, process=session.process)
    return session


def close_session(session: Session, *, now=None) -> None:
    """End the current turn, let waiting requests lapse, mark the session closed."""
    now = now or timezone.now()
    _close_current_turn(session, now)
    FloorRequest.objects.filter(session=session, status=FloorStatus.WAITING).update(
        status=FloorStatus.WITHDRAWN, ended_at=now
    )
    session.ended_at = now
    session.save(update_fields=["ended_at"])


@transaction.atomic
def session_close(*, actor: Person, session: Session) -> Session:
    require(policy.can_run_floor(actor, session))
    session = _lock(session)
    if not session.is_live:
        raise ValidationError(_("The session is not open."))
    close_session(session)
    audit_record(actor=actor, action="session.closed", obj=session, process=session.process)
    return session


@transaction.atomic
def session_set_current_item(
    *, actor: Person, session: Session, agenda_item: AgendaItem | None
) -> Session:
    require(policy.can_run_floor(actor, session))
    session = _lock(session)
    if agenda_item is not None and agenda_item.session_id != session.pk:
        raise ValidationError({"agenda_item": [_("Choose an item of this session's agenda.")]})
    session.current_agenda_item = agenda_item
    session.save(update_fields=["current_agenda_item"])
    audit_record(
        actor=actor,
        action="session.agenda_item_taken_up",
        obj=session,
        process=session.process,
        data={"agenda_item": agenda_item.pk if agenda_item else None},
    )
    return session


@transaction.atomic
def floor_request_create(
    *, person: Person, session: Session, agenda_item: AgendaItem | None = None
) -> FloorRequest:
    """Ask for the floor. Whoever asks is present; their categories are copied for the balance."""
    if not policy.can_request_floor(person, session):
        require(False, policy.floor_refusal_reason(person, session))
    session = _lock(session)
    if not session.is_live:
        raise ValidationError(_("The floor is open only while the session is in progress."))
    if FloorRequest.objects.filter(
        session=session, person=person, status__in=[FloorStatus.WAITING, FloorStatus.SPEAKING]
    ).exists():
        raise ValidationError(_("You have already asked for the floor."))
    if agenda_item is not None and agenda_item.session_id != session.pk:
        raise ValidationError({"agenda_item": [_("Choose an item of this session's agenda.")]})
    categories = Speakers.for_record(session).categories(person.pk)
    try:
        with transaction.atomic():
            request = FloorRequest.objects.create(
                session=session,
                person=person,
                agenda_item=agenda_item or session.current_agenda_item,
                stakeholder_group=categories.stakeholder_group,
                region=categories.region,
            )
    except IntegrityError:
        raise ValidationError(_("You have already asked for the floor.")) from None
    ensure_present(session=session, person=person)
    return request


@transaction.atomic
def floor_request_withdraw(*, actor: Person, request: FloorRequest) -> FloorRequest:
    session = _lock(request.session)
    request = FloorRequest.objects.select_for_update().get(pk=request.pk)
    request.session = session
    if request.status != FloorStatus.WAITING:
        raise ValidationError(_("This request is no longer waiting."))
    require(policy.can_withdraw_floor_request(actor, request))
    request.status = FloorStatus.WITHDRAWN
    request.ended_at = timezone.now()
    request.save(update_fields=["status", "ended_at"])
    if actor.pk != request.person_id:
        audit_record(
            actor=actor,
            action="floor.request_removed",
            obj=request,
            process=session.process,
            data={"session": session.pk},
        )
    return request


@transaction.atomic
def floor_grant(
    *, actor: Person, request: FloorRequest, time_limit_seconds: int | None = None
) -> FloorRequest:
    """Give the floor to a waiting request. Whoever was speaking is closed first."""
    session = _lock(request.session)
    require(policy.can_run_floor(actor, session))
    if not session.is_live:
        raise ValidationError(_("The floor is open only while the session is in progress."))
    request = FloorRequest.objects.select_for_update().get(pk=request.pk)
    if request.session_id != session.pk or request.status != FloorStatus.WAITING:
        raise ValidationError(_("This request is no longer waiting; reload the queue."))
    limit = session.default_speaking_seconds if time_limit_seconds is None else time_limit_seconds
    if limit is not None and not 10 <= int(limit) <= conf.max_speaking_seconds():
        raise ValidationError(
            {
                "time_limit_seconds": [
                    ngettext(
                        "A speaking turn lasts between 10 seconds and %(minutes)d minute.",
                        "A speaking turn lasts between 10 seconds and %(minutes)d minutes.",
                        conf.max_speaking_seconds() // 60,
                    )
                    % {"minutes": conf.max_speaking_seconds() // 60}
                ]
            }
        )
    now = timezone.now()
    _close_current_turn(session, now)
    request.status = FloorStatus.SPEAKING
    request.granted_at = now
    request.granted_by = actor
    request.time_limit_seconds = limit
    if request.agenda_item_id is None and session.current_agenda_item_id:
        request.agenda_item_id = session.current_agenda_item_id
    request.save(
        update_fields=["status", "granted_at", "granted_by", "time_limit_seconds", "agenda_item"]
    )
    audit_record(
        actor=actor,
        action="floor.granted",
        obj=request,
        process=session.process,
        data={"session": session.pk, "time_limit_seconds": limit},
    )
    return request


@transaction.atomic
def floor_end_turn(*, actor: Person, session: Session) -> FloorRequest:
    """Close the current speaker (the chair or secretariat; or the speaker yields)."""
    session = _lock(session)
    current = (
        FloorRequest.objects.select_for_update()
        .filter(session=session, status=FloorStatus.SPEAKING)
        .first()
    )
    if current is None:
        raise ValidationError(_("Nobody has the floor."))
    current.session = session
    require(policy.can_end_turn(actor, current))
    current.status = FloorStatus.DONE
    current.ended_at = timezone.now()
    current.save(update_fields=["status", "ended_at"])
    if not policy.can_run_floor(actor, session):
        return current  # a speaker yielding decides nothing, and must not be logged by name
    audit_record(
        actor=actor,
        action="floor.turn_ended",
        obj=current,
        process=session.process,
        data={"session": session.pk, "seconds": round(current.speaking_seconds())},
    )
    return current
