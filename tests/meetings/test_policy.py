"""Every role against every meetings action, for each kind of session, as tables.

The same tables drive the page and API checks in test_surfaces.py.
Sessions here are held under the Chatham House Rule and are in progress,
unless a table says otherwise.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from roundtable.meetings import policy, services
from roundtable.meetings.models import SessionKind
from roundtable.processes.models import Access, AttributionRule
from tests.factories import ROLES
from tests.meetings.conftest import schedule

pytestmark = pytest.mark.django_db

#                          chair  secr.  member observer public anonymous
CLOSED = {
    "view_session":         (1,    1,     1,     1,       1,     1),
    "attend":               (1,    1,     1,     0,       0,     0),
    "register":             (1,    1,     1,     0,       0,     0),
    "see_online_link":      (1,    1,     1,     0,       0,     0),
    "view_floor":           (1,    1,     1,     0,       0,     0),
    "request_floor":        (0,    0,     1,     0,       0,     0),
    "run_floor":            (1,    1,     0,     0,       0,     0),
    "name_speakers":        (1,    1,     0,     0,       0,     0),
    "edit_session":         (0,    1,     0,     0,       0,     0),
    "record_attendance":    (1,    1,     0,     0,       0,     0),
    "view_record":          (1,    1,     1,     0,       0,     0),
    "view_attendance_names": (1,   1,     1,     0,       0,     0),
    "view_report":          (1,    1,     1,     0,       0,     0),
    "view_minutes":         (1,    1,     1,     0,       0,     0),
    "view_draft_minutes":   (1,    1,     0,     0,       0,     0),
    "record_minutes":       (0,    1,     0,     0,       0,     0),
    "publish_minutes":      (0,    1,     0,     0,       0,     0),
}  # fmt: skip

PLENARY = {
    **CLOSED,
    "attend":               (1,    1,     1,     1,       0,     0),
    "register":             (1,    1,     1,     1,       0,     0),
    "see_online_link":      (1,    1,     1,     1,       0,     0),
    "view_floor":           (1,    1,     1,     1,       0,     0),
    "view_record":          (1,    1,     1,     1,       1,     1),
    "view_report":          (1,    1,     1,     1,       1,     1),
    "view_minutes":         (1,    1,     1,     1,       1,     1),
}  # fmt: skip

# Nobody registered yet: only the officers are in the room; anyone may register.
CONSULTATION = {
    **PLENARY,
    "attend":               (1,    1,     0,     0,       0,     0),
    "register":             (1,    1,     1,     1,       1,     0),
    "see_online_link":      (1,    1,     0,     0,       0,     0),
    "view_floor":           (1,    1,     0,     0,       0,     0),
    "request_floor":        (0,    0,     0,     0,       0,     0),
}  # fmt: skip

# Member, observer and the public person registered: all may attend and speak.
CONSULTATION_REGISTERED = {
    **CONSULTATION,
    "attend":               (1,    1,     1,     1,       1,     0),
    "see_online_link":      (1,    1,     1,     1,       1,     0),
    "view_floor":           (1,    1,     1,     1,       1,     0),
    "request_floor":        (0,    0,     1,     1,       1,     0),
}  # fmt: skip

# Under an attributed rule, names are public wherever the record is.
PLENARY_ATTRIBUTED = {
    **PLENARY,
    "name_speakers":        (1,    1,     1,     1,       1,     1),
    "view_attendance_names": (1,   1,     1,     1,       1,     1),
}  # fmt: skip

# After the session, the Chatham House record names nobody, not even to the chair.
PLENARY_CLOSED_AFTERWARDS = {**PLENARY, "name_speakers": (0, 0, 0, 0, 0, 0)}

PROCESS_WIDE = {
    "view_sessions":        (1,    1,     1,     1,       1,     1),
    "manage_sessions":      (0,    1,     0,     0,       0,     0),
    "apply_to_observe":     (0,    0,     0,     0,       1,     0),
    "decide_accreditation": (0,    1,     0,     0,       0,     0),
    "view_applications":    (0,    1,     0,     0,       0,     0),
    "view_process_calendar": (1,   1,     1,     1,       1,     1),
}  # fmt: skip

MEMBERS_ONLY = {
    "view_sessions":        (1,    1,     1,     1,       0,     0),
    "apply_to_observe":     (0,    0,     0,     0,       0,     0),
    "view_process_calendar": (1,   1,     1,     1,       0,     0),
}  # fmt: skip


def ask(action: str, person, session, published: bool = True) -> bool:
    """One policy question; minutes questions are asked of published or draft minutes."""
    if action == "view_minutes":
        session.minutes_published_at = timezone.now() if published else None
        return policy.can_view_minutes(person, session)
    if action == "view_draft_minutes":
        session.minutes_published_at = None
        return policy.can_view_minutes(person, session)
    return {
        "view_session": policy.can_view_session,
        "attend": policy.can_attend_session,
        "register": policy.can_register,
        "see_online_link": policy.can_see_online_link,
        "view_floor": policy.can_view_floor,
        "request_floor": policy.can_request_floor,
        "run_floor": policy.can_run_floor,
        "name_speakers": policy.can_name_speakers,
        "edit_session": policy.can_edit_session,
        "record_attendance": policy.can_record_attendance,
        "view_record": policy.can_view_record,
        "view_attendance_names": policy.can_view_attendance_names,
        "view_report": policy.can_view_speaking_report,
        "record_minutes": policy.can_record_minutes,
        "publish_minutes": policy.can_publish_minutes,
    }[action](person, session)


def ask_process(action: str, person, process) -> bool:
    return {
        "view_sessions": policy.can_view_sessions,
        "manage_sessions": policy.can_manage_sessions,
        "apply_to_observe": policy.can_apply_to_observe,
        "decide_accreditation": policy.can_decide_accreditation,
        "view_applications": policy.can_view_applications,
        "view_process_calendar": policy.can_view_process_calendar,
    }[action](person, process)


def held_session(personas, kind: str, rule: str = AttributionRule.CHATHAM_HOUSE):
    session = schedule(
        personas,
        kind,
        start=timezone.now() - dt.timedelta(hours=1),
        attribution_rule=rule,
    )
    services.session_open(actor=personas.chair, session=session)
    session.refresh_from_db()
    return session


def check(table: dict, personas, session, role: str) -> None:
    person = getattr(personas, role)
    wrong = {
        action: expected[ROLES.index(role)]
        for action, expected in table.items()
        if ask(action, person, session) is not bool(expected[ROLES.index(role)])
    }
    assert not wrong, f"{role}: expected {wrong}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("kind", "table"),
    [
        (SessionKind.CLOSED, CLOSED),
        (SessionKind.PLENARY, PLENARY),
        (SessionKind.CONSULTATION, CONSULTATION),
    ],
)
def test_each_kind_of_session(personas, role, kind, table):
    check(table, personas, held_session(personas, kind), role)


@pytest.mark.parametrize("role", ROLES)
def test_registered_people_attend_and_speak_in_an_open_consultation(personas, role):
    session = held_session(personas, SessionKind.CONSULTATION)
    for persona in ("member", "observer", "public"):
        services.registration_create(
            person=getattr(personas, persona), session=session, mode="in_person"
        )
    check(CONSULTATION_REGISTERED, personas, session, role)


@pytest.mark.parametrize("role", ROLES)
def test_attributed_plenary(personas, role):
    check(
        PLENARY_ATTRIBUTED,
        personas,
        held_session(personas, SessionKind.PLENARY, AttributionRule.ATTRIBUTED),
        role,
    )


@pytest.mark.parametrize("role", ROLES)
def test_chatham_house_names_nobody_once_the_session_is_closed(personas, role):
    session = held_session(personas, SessionKind.PLENARY)
    services.session_close(actor=personas.chair, session=session)
    session.refresh_from_db()
    check(PLENARY_CLOSED_AFTERWARDS, personas, session, role)


@pytest.mark.parametrize("role", ROLES)
def test_process_wide_actions(personas, role):
    for action, expected in PROCESS_WIDE.items():
        allowed = ask_process(action, getattr(personas, role), personas.process)
        assert allowed is bool(expected[ROLES.index(role)]), (role, action)


@pytest.mark.parametrize("role", ROLES)
def test_participants_only_process(personas, role):
    personas.process.access = Access.MEMBERS
    personas.process.save()
    for action, expected in MEMBERS_ONLY.items():
        allowed = ask_process(action, getattr(personas, role), personas.process)
        assert allowed is bool(expected[ROLES.index(role)]), (role, action)
    session = held_session(personas, SessionKind.PLENARY)
    assert policy.can_view_session(getattr(personas, role), session) is bool(
        MEMBERS_ONLY["view_sessions"][ROLES.index(role)]
    )


def test_an_observer_accredited_for_one_plenary_attends_it_but_never_speaks(personas):
    from roundtable.meetings.models import ObserverApplication

    plenary = held_session(personas, SessionKind.PLENARY)
    other = schedule(personas, SessionKind.PLENARY, room="Room XX")
    application = services.observer_apply(
        person=personas.public,
        process=personas.process,
        session=other,
        name="Pat Public",
        purpose="Reporting for a newsletter.",
    )
    services.observer_decide(actor=personas.secretariat, application=application, accredit=True)
    assert ObserverApplication.objects.get().status == "accredited"
    assert policy.can_attend_session(personas.public, other)
    assert not policy.can_request_floor(personas.public, other)
    assert not policy.can_attend_session(personas.public, plenary)
    assert policy.floor_refusal_reason(personas.public, other) == (
        "Observers attend plenary sessions without the right to speak."
    )


def test_speaker_yields_but_cannot_end_someone_elses_turn(live_plenary):
    personas, session = live_plenary.personas, live_plenary.session
    mine = services.floor_request_create(person=personas.member, session=session)
    services.floor_grant(actor=personas.chair, request=mine)
    mine.refresh_from_db()
    assert policy.can_end_turn(personas.member, mine)
    assert not policy.can_end_turn(live_plenary.second, mine)
    assert policy.can_end_turn(personas.secretariat, mine)
    waiting = services.floor_request_create(person=live_plenary.second, session=session)
    assert policy.can_withdraw_floor_request(live_plenary.second, waiting)
    assert not policy.can_withdraw_floor_request(personas.member, waiting)
    assert policy.can_withdraw_floor_request(personas.chair, waiting)
