"""Who may do what with processes, memberships and invitations.

One plain function per action; views, the API and e-mail handlers ask these
and nothing else decides. ``tests/processes/test_policy.py`` walks every role
against every action.
"""

from __future__ import annotations

from typing import Any

from .models import Membership, Process
from .roles import (
    can_read_process,
    is_authenticated,
    is_chair_or_secretariat,
    is_secretariat,
    is_site_admin,
)


def can_view_process(person: Any, process: Process) -> bool:
    return can_read_process(person, process)


def can_view_member_directory(person: Any, process: Process) -> bool:
    return can_read_process(person, process)


def can_view_member_page(person: Any, membership: Membership) -> bool:
    return can_read_process(person, membership.process)


def can_view_balance(person: Any, process: Process) -> bool:
    return can_read_process(person, process)


def can_create_process(person: Any) -> bool:
    return is_site_admin(person)


def can_edit_process(person: Any, process: Process) -> bool:
    """Mandate, deliverables and composition targets."""
    return is_secretariat(person, process)


def can_invite_member(person: Any, process: Process) -> bool:
    return is_secretariat(person, process)


def can_view_invitations(person: Any, process: Process) -> bool:
    return is_secretariat(person, process)


def can_change_role(person: Any, process: Process) -> bool:
    return is_secretariat(person, process)


def can_declare_interests(person: Any, membership: Membership) -> bool:
    """Only members declare, and only for themselves."""
    return is_authenticated(person) and membership.person_id == person.pk and membership.is_current


def can_view_audit_log(person: Any, process: Process) -> bool:
    return is_chair_or_secretariat(person, process)
