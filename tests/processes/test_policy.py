"""Every role against every action of the foundation, as a table.

The same table drives the HTTP checks in test_surfaces.py, so pages and API
are held to the policy functions.
"""

from __future__ import annotations

import pytest

from roundtable.processes import policy
from roundtable.processes.models import Access
from tests.factories import ROLES

pytestmark = pytest.mark.django_db

#                         chair  secr.  member observer public anonymous
EXPECTED = {
    "view_process":        (1,     1,     1,     1,       1,     1),
    "view_directory":      (1,     1,     1,     1,       1,     1),
    "view_balance":        (1,     1,     1,     1,       1,     1),
    "view_member_page":    (1,     1,     1,     1,       1,     1),
    "create_process":      (0,     0,     0,     0,       0,     0),
    "edit_process":        (0,     1,     0,     0,       0,     0),
    "invite_member":       (0,     1,     0,     0,       0,     0),
    "view_invitations":    (0,     1,     0,     0,       0,     0),
    "change_role":         (0,     1,     0,     0,       0,     0),
    "declare_own_interests": (1,   1,     1,     1,       0,     0),
    "declare_for_member":  (0,     0,     1,     0,       0,     0),
    "view_audit_log":      (1,     1,     0,     0,       0,     0),
}  # fmt: skip

# In a participants-only process, reading is for people with a role.
EXPECTED_MEMBERS_ONLY = {
    "view_process":        (1,     1,     1,     1,       0,     0),
    "view_directory":      (1,     1,     1,     1,       0,     0),
    "view_balance":        (1,     1,     1,     1,       0,     0),
    "view_member_page":    (1,     1,     1,     1,       0,     0),
}  # fmt: skip


def ask(action: str, person, personas) -> bool:
    process = personas.process
    own = getattr(personas.memberships, _role_of(person, personas), None)
    return {
        "view_process": lambda: policy.can_view_process(person, process),
        "view_directory": lambda: policy.can_view_member_directory(person, process),
        "view_balance": lambda: policy.can_view_balance(person, process),
        "view_member_page": lambda: policy.can_view_member_page(
            person, personas.memberships.member
        ),
        "create_process": lambda: policy.can_create_process(person),
        "edit_process": lambda: policy.can_edit_process(person, process),
        "invite_member": lambda: policy.can_invite_member(person, process),
        "view_invitations": lambda: policy.can_view_invitations(person, process),
        "change_role": lambda: policy.can_change_role(person, process),
        "declare_own_interests": lambda: (
            own is not None and policy.can_declare_interests(person, own)
        ),
        "declare_for_member": lambda: policy.can_declare_interests(
            person, personas.memberships.member
        ),
        "view_audit_log": lambda: policy.can_view_audit_log(person, process),
    }[action]()


def _role_of(person, personas) -> str:
    for role in ROLES:
        if getattr(personas, role) is person:
            return role
    raise AssertionError("unknown persona")


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_public_process(personas, action, role):
    expected = bool(EXPECTED[action][ROLES.index(role)])
    assert ask(action, getattr(personas, role), personas) is expected


@pytest.mark.parametrize("action", sorted(EXPECTED_MEMBERS_ONLY))
@pytest.mark.parametrize("role", ROLES)
def test_participants_only_process(personas, action, role):
    personas.process.access = Access.MEMBERS
    personas.process.save()
    expected = bool(EXPECTED_MEMBERS_ONLY[action][ROLES.index(role)])
    assert ask(action, getattr(personas, role), personas) is expected


def test_site_admin_may_create_processes_and_read_private_ones(personas):
    personas.public.is_staff = True
    personas.public.save()
    personas.process.access = Access.MEMBERS
    personas.process.save()
    assert policy.can_create_process(personas.public)
    assert policy.can_view_process(personas.public, personas.process)
    # Reading is not running the process: an admin is not the secretariat.
    assert not policy.can_invite_member(personas.public, personas.process)


def test_ended_membership_gives_no_rights(personas):
    import datetime as dt

    membership = personas.memberships.secretariat
    membership.end_date = dt.date(2026, 2, 1)
    membership.save()
    personas.secretariat.__dict__.pop("_roundtable_memberships", None)
    assert not policy.can_invite_member(personas.secretariat, personas.process)


def test_inactive_person_has_no_role(personas):
    personas.secretariat.is_active = False
    assert not policy.can_invite_member(personas.secretariat, personas.process)


def test_role_in_one_process_gives_nothing_in_another(personas):
    from tests.factories import ProcessFactory

    other = ProcessFactory(access=Access.MEMBERS)
    assert not policy.can_view_process(personas.secretariat, other)
    assert not policy.can_invite_member(personas.secretariat, other)
