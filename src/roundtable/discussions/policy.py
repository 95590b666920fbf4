"""Who may do what in a process's discussions: the only place it is decided.

Pages, the API, the e-mail gateway, digests and search all ask these
functions. ``tests/discussions/test_policy.py`` walks every role against
every action.

Reading: the process's access comes first (a participants-only process shows
nothing to outsiders); within it, the discussion archive is either members
only (chair, secretariat and members; observers read only what is public) or
public (everyone who may read the process).

Naming authors (the Chatham House Rule, decided here and applied through
``roundtable.processes.attribution.attribute``): people with a role in the
process are "in the room" and see who wrote what; everyone else, on every
surface (pages, API, search, e-mail), sees authors named by the discussion
rule: under the Chatham House Rule, "A participant" with at most the
stakeholder group.
"""

from __future__ import annotations

from typing import Any

from roundtable.processes.models import AttributionRule, Process, Role
from roundtable.processes.roles import (
    can_read_process,
    is_authenticated,
    is_site_admin,
    role_of,
)

from .models import Archive, DiscussionSettings, Message, MessageStatus, Thread

MEMBERS_ARCHIVE_ROLES = (Role.CHAIR, Role.SECRETARIAT, Role.MEMBER)
POSTING_ROLES = (Role.CHAIR, Role.SECRETARIAT, Role.MEMBER)
MODERATING_ROLES = (Role.CHAIR, Role.SECRETARIAT)


def discussion_settings(process: Process) -> DiscussionSettings:
    """The process's discussion settings (defaults until the secretariat saves them)."""
    cached = process.__dict__.get("_discussion_settings")
    if cached is not None:
        return cached
    found = DiscussionSettings.objects.filter(process_id=process.pk).first()
    if found is None:
        found = DiscussionSettings(process=process, attribution=process.default_attribution)
    process.__dict__["_discussion_settings"] = found
    return found


def read_allowed(*, process: Process, archive: str, role: str | None, site_admin: bool) -> bool:
    """The reading rule on plain values, so digests can apply it to many people at once."""
    if site_admin:
        return True
    if not process.is_public and role is None:
        return False
    if archive == Archive.PUBLIC:
        return True
    return role in MEMBERS_ARCHIVE_ROLES


def names_shown(*, rule: str, role: str | None) -> bool:
    """Whether authors are named for a reader with ``role`` under the discussion ``rule``."""
    return rule == AttributionRule.ATTRIBUTED or role is not None


def attribution_rule_for(person: Any, process: Process) -> str:
    """The rule to pass to ``attribute`` when showing authors to ``person``."""
    rule = discussion_settings(process).attribution
    if names_shown(rule=rule, role=role_of(person, process)):
        return AttributionRule.ATTRIBUTED
    return rule


def can_read_discussions(person: Any, process: Process) -> bool:
    if not can_read_process(person, process):
        return False
    return read_allowed(
        process=process,
        archive=discussion_settings(process).archive,
        role=role_of(person, process),
        site_admin=is_site_admin(person),
    )


def can_read_thread(person: Any, thread: Thread) -> bool:
    return can_read_discussions(person, thread.process)


def can_start_thread(person: Any, process: Process) -> bool:
    return can_read_discussions(person, process) and role_of(person, process) in POSTING_ROLES


def can_post_message(person: Any, thread: Thread) -> bool:
    """Write in the thread: a posting role, and the thread not locked."""
    if thread.is_locked:
        return False
    return can_start_thread(person, thread.process)


def can_moderate(person: Any, process: Process) -> bool:
    return role_of(person, process) in MODERATING_ROLES


def can_view_message(person: Any, message: Message) -> bool:
    """Published messages for readers; pending ones for their author and moderators.

    Hidden messages show to readers as a notice with the reason; their text only
    to moderators (see ``can_read_hidden_text``).
    """
    process = message.thread.process
    if not can_read_discussions(person, process):
        return False
    if message.status == MessageStatus.PENDING:
        return can_moderate(person, process) or (
            is_authenticated(person) and message.author_id == person.pk
        )
    return True


def can_read_hidden_text(person: Any, message: Message) -> bool:
    return can_moderate(person, message.thread.process)


def can_subscribe(person: Any, process: Process) -> bool:
    return is_authenticated(person) and can_read_discussions(person, process)


def can_configure(person: Any, process: Process) -> bool:
    """Archive visibility, attribution rule and moderation default."""
    return role_of(person, process) == Role.SECRETARIAT


def moderation_needed(*, person: Any, thread: Thread, has_published_before: bool) -> bool:
    """First posts of new participants wait; moderators never wait."""
    if can_moderate(person, thread.process):
        return False
    if not (thread.moderated and discussion_settings(thread.process).moderate_first_posts):
        return False
    return not has_published_before
