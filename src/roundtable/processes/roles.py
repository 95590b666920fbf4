"""Role helpers every app's policy builds on.

A person's membership in a process is looked up once per person object and
cached on it, so a page that asks many policy questions costs one query.
"""

from __future__ import annotations

from typing import Any

from .models import Membership, Process, Role

_CACHE_ATTRIBUTE = "_roundtable_memberships"


def is_authenticated(person: Any) -> bool:
    return bool(person is not None and getattr(person, "is_authenticated", False))


def membership_of(person: Any, process: Process) -> Membership | None:
    """The person's current membership in the process, or None."""
    if not is_authenticated(person) or not person.is_active:
        return None
    cache: dict[int, Membership | None] = person.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
    if process.pk not in cache:
        membership = (
            Membership.objects.select_related("stakeholder_group", "region", "organisation")
            .filter(person_id=person.pk, process_id=process.pk)
            .first()
        )
        cache[process.pk] = membership if membership and membership.is_current else None
    return cache[process.pk]


def forget_memberships(person: Any) -> None:
    """Drop the cache after a role change, so later questions see the new role."""
    if person is not None:
        person.__dict__.pop(_CACHE_ATTRIBUTE, None)


def role_of(person: Any, process: Process) -> str | None:
    membership = membership_of(person, process)
    return membership.role if membership else None


def is_chair(person: Any, process: Process) -> bool:
    return role_of(person, process) == Role.CHAIR


def is_secretariat(person: Any, process: Process) -> bool:
    return role_of(person, process) == Role.SECRETARIAT


def is_member(person: Any, process: Process) -> bool:
    return role_of(person, process) == Role.MEMBER


def is_observer(person: Any, process: Process) -> bool:
    return role_of(person, process) == Role.OBSERVER


def is_chair_or_secretariat(person: Any, process: Process) -> bool:
    return role_of(person, process) in (Role.CHAIR, Role.SECRETARIAT)


def is_participant(person: Any, process: Process) -> bool:
    """Holds any role in the process (chair, secretariat, member or observer)."""
    return role_of(person, process) is not None


def is_site_admin(person: Any) -> bool:
    return is_authenticated(person) and person.is_active and person.is_staff


def can_read_process(person: Any, process: Process) -> bool:
    """The base reading right every app's policy starts from."""
    return process.is_public or is_participant(person, process) or is_site_admin(person)
