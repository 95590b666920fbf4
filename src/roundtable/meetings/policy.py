"""Who may do what with sessions: the only place these decisions are made.

The kinds of session follow DOMAIN.md:

| kind | who attends | who speaks | record |
| --- | --- | --- | --- |
| closed working session | members, chair, secretariat | members | private minutes |
| plenary | plus observers (by role, or accredited for one session) | members | public minutes |
| open consultation | anyone registered | anyone registered given the floor | public record |

"Record" (minutes, attendance list, speaking report) is decided by
``can_view_record``: the one place a closed session is kept private. Where a
speaker may be *named* is decided by ``can_name_speakers`` (the live floor,
for the chair and secretariat who give the floor) and ``can_record_minutes``
(the secretariat's draft); every other surface passes speakers through
``roundtable.processes.attribution.attribute``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from roundtable.processes.models import AttributionRule, Process, Role
from roundtable.processes.roles import (
    can_read_process,
    is_authenticated,
    is_chair_or_secretariat,
    is_member,
    is_observer,
    is_secretariat,
    role_of,
)

from .models import (
    ApplicationStatus,
    FloorRequest,
    FloorStatus,
    ObserverApplication,
    Registration,
    Session,
    SessionKind,
)

# Roles that attend and speak by right, per kind. Open consultations admit by registration.
ATTENDING_ROLES = {
    SessionKind.CLOSED: {Role.CHAIR, Role.SECRETARIAT, Role.MEMBER},
    SessionKind.PLENARY: {Role.CHAIR, Role.SECRETARIAT, Role.MEMBER, Role.OBSERVER},
    SessionKind.CONSULTATION: {Role.CHAIR, Role.SECRETARIAT},
}
SPEAKING_ROLES = {
    SessionKind.CLOSED: {Role.MEMBER},
    SessionKind.PLENARY: {Role.MEMBER},
}
# Roles whose record of a session they may read even when it is private.
RECORD_ROLES = {Role.CHAIR, Role.SECRETARIAT, Role.MEMBER}


def _has_registration(person: Any, session: Session) -> bool:
    return Registration.objects.filter(
        session=session, person_id=person.pk, cancelled_at__isnull=True
    ).exists()


def is_accredited_for_session(person: Any, session: Session) -> bool:
    """An observer accredited by the secretariat for this one session."""
    if not is_authenticated(person):
        return False
    return ObserverApplication.objects.filter(
        session=session, person_id=person.pk, status=ApplicationStatus.ACCREDITED
    ).exists()


# --- Seeing sessions --------------------------------------------------------------------------


def can_view_sessions(person: Any, process: Process) -> bool:
    """The schedule (titles, times, agendas) is as public as the process."""
    return can_read_process(person, process)


def can_view_session(person: Any, session: Session) -> bool:
    return can_read_process(person, session.process)


def can_view_process_calendar(person: Any, process: Process) -> bool:
    return can_read_process(person, process)


def can_subscribe_calendar(person: Any) -> bool:
    return is_authenticated(person) and person.is_active


# --- Attending --------------------------------------------------------------------------------


def can_attend_session(person: Any, session: Session) -> bool:
    """May be in the room (and so sees the online link and the live floor)."""
    if not is_authenticated(person) or not can_read_process(person, session.process):
        return False
    role = role_of(person, session.process)
    if role in ATTENDING_ROLES[session.kind]:
        return True
    if session.kind == SessionKind.PLENARY:
        return is_accredited_for_session(person, session)
    if session.kind == SessionKind.CONSULTATION:
        return _has_registration(person, session)
    return False


def can_register(person: Any, session: Session) -> bool:
    """Anyone may register for an open consultation; others register if they may attend."""
    if not is_authenticated(person) or not can_read_process(person, session.process):
        return False
    if session.kind == SessionKind.CONSULTATION:
        return True
    return can_attend_session(person, session)


def can_see_online_link(person: Any, session: Session) -> bool:
    return can_attend_session(person, session)


def can_record_attendance(person: Any, session: Session) -> bool:
    return is_chair_or_secretariat(person, session.process)


# --- Managing sessions ------------------------------------------------------------------------


def can_manage_sessions(person: Any, process: Process) -> bool:
    """Schedule, edit, cancel, set the agenda and send invitations: the secretariat organises."""
    return is_secretariat(person, process)


def can_edit_session(person: Any, session: Session) -> bool:
    return can_manage_sessions(person, session.process)


# --- The floor --------------------------------------------------------------------------------


def can_view_floor(person: Any, session: Session) -> bool:
    """The live queue is for those in the room."""
    return can_attend_session(person, session)


def can_request_floor(person: Any, session: Session) -> bool:
    """Entitled to speak: members in closed sessions and plenaries (never observers);
    anyone registered in an open consultation. The chair and secretariat run the floor."""
    if not is_authenticated(person) or not can_read_process(person, session.process):
        return False
    role = role_of(person, session.process)
    if session.kind in SPEAKING_ROLES:
        return role in SPEAKING_ROLES[session.kind]
    if role in (Role.CHAIR, Role.SECRETARIAT):
        return False
    return _has_registration(person, session)


def can_withdraw_floor_request(person: Any, request: FloorRequest) -> bool:
    if request.status != FloorStatus.WAITING:
        return False
    own = is_authenticated(person) and request.person_id == person.pk
    return own or can_run_floor(person, request.session)


def can_run_floor(person: Any, session: Session) -> bool:
    """Open and close the session, give the floor, set time limits, end a turn."""
    return is_chair_or_secretariat(person, session.process)


def can_name_speakers(person: Any, session: Session) -> bool:
    """Whether live surfaces (queue, current speaker, per-person time) show real names.

    Under an attributed rule the names are public anyway. Under the Chatham
    House Rule only the chair and secretariat see them, and only while the
    session runs: they must know whom they give the floor to. Afterwards the
    record is anonymous for everyone.
    """
    if session.attribution_rule == AttributionRule.ATTRIBUTED:
        return can_view_floor(person, session) or can_view_record(person, session)
    return can_run_floor(person, session) and session.ended_at is None


# --- The record: minutes, attendance list, speaking report ------------------------------------


def can_view_record(person: Any, session: Session) -> bool:
    """A closed session's record is private to the chair, secretariat and members;
    the record of plenaries and open consultations is as public as the process."""
    if session.kind == SessionKind.CLOSED:
        return role_of(person, session.process) in RECORD_ROLES
    return can_read_process(person, session.process)


def can_view_attendance_names(person: Any, session: Session) -> bool:
    """Names on the attendance list. Under the Chatham House Rule the list is not
    circulated beyond the members and officers of the process; others see counts."""
    if role_of(person, session.process) in RECORD_ROLES:
        return True
    if session.attribution_rule == AttributionRule.CHATHAM_HOUSE:
        return False
    return can_view_record(person, session)


def can_view_speaking_report(person: Any, session: Session) -> bool:
    """Speaking time by stakeholder group and region, once the session is held."""
    if can_run_floor(person, session):
        return True
    return can_view_record(person, session) and session.started_at is not None


def can_view_minutes(person: Any, session: Session) -> bool:
    if session.minutes_published:
        return can_view_record(person, session)
    return is_chair_or_secretariat(person, session.process)


def can_record_minutes(person: Any, session: Session) -> bool:
    """Record statements, import transcripts, write outcomes and action items."""
    return is_secretariat(person, session.process)


def can_publish_minutes(person: Any, session: Session) -> bool:
    return is_secretariat(person, session.process)


# --- Observers --------------------------------------------------------------------------------


def can_apply_to_observe(person: Any, process: Process) -> bool:
    """Anyone with an account and no role yet in the process."""
    return (
        is_authenticated(person)
        and can_read_process(person, process)
        and role_of(person, process) is None
    )


def can_decide_accreditation(person: Any, process: Process) -> bool:
    return is_secretariat(person, process)


def can_view_applications(person: Any, process: Process) -> bool:
    return is_secretariat(person, process)


def is_officer_or_member(person: Any, process: Process) -> bool:
    """Chair, secretariat or member: people bound by (and privy to) a closed room."""
    return is_chair_or_secretariat(person, process) or is_member(person, process)


def can_end_turn(person: Any, request: FloorRequest) -> bool:
    """The chair or secretariat closes a speaker; a speaker may also yield the floor."""
    if request.status != FloorStatus.SPEAKING:
        return False
    own = is_authenticated(person) and request.person_id == person.pk
    return own or can_run_floor(person, request.session)


def floor_refusal_reason(person: Any, session: Session) -> str:
    """Why ``can_request_floor`` says no, in words for the page and the API."""
    if session.kind == SessionKind.PLENARY and (
        is_observer(person, session.process) or is_accredited_for_session(person, session)
    ):
        return _("Observers attend plenary sessions without the right to speak.")
    if can_run_floor(person, session):
        return _("The chair and the secretariat run the floor; they do not queue for it.")
    if session.kind == SessionKind.CONSULTATION:
        return _("Register for this consultation to ask for the floor.")
    return _("Only members may ask for the floor in this session.")
