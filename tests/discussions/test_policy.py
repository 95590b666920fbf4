"""Every role against every discussion action, as tables; pages and API follow them."""

from __future__ import annotations

import pytest

from roundtable.discussions import policy, services
from roundtable.discussions.models import Archive
from roundtable.processes.models import Access, AttributionRule
from tests.discussions.helpers import set_rules, start_thread
from tests.factories import ROLES

pytestmark = pytest.mark.django_db

#                       chair  secr.  member observer public anonymous
MEMBERS_ARCHIVE = {
    "read":             (1,     1,     1,     0,       0,     0),
    "start_thread":     (1,     1,     1,     0,       0,     0),
    "post_message":     (1,     1,     1,     0,       0,     0),
    "moderate":         (1,     1,     0,     0,       0,     0),
    "configure":        (0,     1,     0,     0,       0,     0),
    "subscribe":        (1,     1,     1,     0,       0,     0),
    "see_pending":      (1,     1,     1,     0,       0,     0),
    "see_names":        (1,     1,     1,     1,       0,     0),
}  # fmt: skip

PUBLIC_ARCHIVE = {
    "read":             (1,     1,     1,     1,       1,     1),
    "start_thread":     (1,     1,     1,     0,       0,     0),
    "post_message":     (1,     1,     1,     0,       0,     0),
    "moderate":         (1,     1,     0,     0,       0,     0),
    "configure":        (0,     1,     0,     0,       0,     0),
    "subscribe":        (1,     1,     1,     1,       1,     0),
    "see_pending":      (1,     1,     1,     0,       0,     0),
    "see_names":        (1,     1,     1,     1,       0,     0),
}  # fmt: skip

# A participants-only process: its public archive is public only to participants.
PARTICIPANTS_PROCESS_PUBLIC_ARCHIVE = {
    "read":             (1,     1,     1,     1,       0,     0),
    "subscribe":        (1,     1,     1,     1,       0,     0),
    "start_thread":     (1,     1,     1,     0,       0,     0),
}  # fmt: skip

TABLES = {"members": MEMBERS_ARCHIVE, "public": PUBLIC_ARCHIVE}


def arrange(personas, archive: str, access: str = Access.PUBLIC):
    personas.process.access = access
    personas.process.save()
    set_rules(
        personas.process,
        archive=archive,
        attribution=AttributionRule.CHATHAM_HOUSE,
        moderate_first_posts=True,
    )
    thread = start_thread(personas)
    pending = services.message_post(actor=personas.member, thread=thread, body="first")
    return thread, pending


def ask(action: str, person, personas, thread, pending) -> bool:
    process = personas.process
    return {
        "read": lambda: policy.can_read_discussions(person, process),
        "start_thread": lambda: policy.can_start_thread(person, process),
        "post_message": lambda: policy.can_post_message(person, thread),
        "moderate": lambda: policy.can_moderate(person, process),
        "configure": lambda: policy.can_configure(person, process),
        "subscribe": lambda: policy.can_subscribe(person, process),
        "see_pending": lambda: policy.can_view_message(person, pending),
        "see_names": lambda: policy.attribution_rule_for(person, process) == "attributed",
    }[action]()


@pytest.mark.parametrize("archive", sorted(TABLES))
@pytest.mark.parametrize("action", sorted(MEMBERS_ARCHIVE))
@pytest.mark.parametrize("role", ROLES)
def test_policy_table(personas, archive, action, role):
    thread, pending = arrange(personas, archive)
    expected = bool(TABLES[archive][action][ROLES.index(role)])
    assert ask(action, getattr(personas, role), personas, thread, pending) is expected


@pytest.mark.parametrize("action", sorted(PARTICIPANTS_PROCESS_PUBLIC_ARCHIVE))
@pytest.mark.parametrize("role", ROLES)
def test_participants_only_process(personas, action, role):
    thread, pending = arrange(personas, Archive.PUBLIC, Access.MEMBERS)
    expected = bool(PARTICIPANTS_PROCESS_PUBLIC_ARCHIVE[action][ROLES.index(role)])
    assert ask(action, getattr(personas, role), personas, thread, pending) is expected


def test_locked_thread_takes_no_posts_from_anyone(personas):
    thread, _pending = arrange(personas, Archive.MEMBERS)
    thread = services.thread_lock(actor=personas.chair, thread=thread)
    assert not any(policy.can_post_message(getattr(personas, role), thread) for role in ROLES)


def test_names_are_shown_to_everyone_when_attributed(personas):
    set_rules(personas.process, archive=Archive.PUBLIC, attribution=AttributionRule.ATTRIBUTED)
    assert all(
        policy.attribution_rule_for(getattr(personas, role), personas.process) == "attributed"
        for role in ROLES
    )


def test_default_rule_follows_the_process_until_set(personas):
    personas.process.default_attribution = AttributionRule.ATTRIBUTED
    personas.process.save()
    assert policy.discussion_settings(personas.process).attribution == "attributed"
    assert policy.discussion_settings(personas.process).archive == Archive.MEMBERS
