"""Who may do what with policy issues, clusters, calls for issues and priorities.

One plain function per action; views, the API and the search hook ask these
and nothing else decides. ``tests/agenda/test_policy.py`` walks every role
against every action.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from roundtable.processes.models import Process
from roundtable.processes.roles import (
    can_read_process,
    is_authenticated,
    is_chair_or_secretariat,
    is_member,
    is_secretariat,
    role_of,
)

from .models import IssueStatus, PolicyIssue
from .selectors import open_call

# Roles that may propose issues at any time; everyone else logged in only while
# a call for issues is open.
PROPOSING_ROLES = ("chair", "secretariat", "member")


def can_view_agenda(person: Any, process: Process) -> bool:
    """The issue list, clusters, priorities and agenda share: public where the process is."""
    return can_read_process(person, process)


def can_view_issue(person: Any, issue: PolicyIssue) -> bool:
    return can_read_process(person, issue.process)


def can_propose_issue(person: Any, process: Process, now: dt.datetime | None = None) -> bool:
    """Members (and the chair and secretariat) at any time; anyone else logged in
    while a call for issues is open, if they may read the process."""
    if not is_authenticated(person) or not person.is_active:
        return False
    if role_of(person, process) in PROPOSING_ROLES:
        return True
    return can_read_process(person, process) and open_call(process=process, now=now) is not None


def proposes_as_public(person: Any, process: Process) -> bool:
    """Whether a proposer declares their own stakeholder group (no membership gives one)."""
    return role_of(person, process) not in PROPOSING_ROLES


def can_edit_issue(person: Any, issue: PolicyIssue) -> bool:
    """The secretariat; the proposer while the issue is still only proposed."""
    if is_secretariat(person, issue.process):
        return issue.status != IssueStatus.MERGED
    return (
        is_authenticated(person)
        and person.is_active
        and issue.proposer_id == person.pk
        and issue.status == IssueStatus.PROPOSED
        and can_read_process(person, issue.process)
    )


def can_manage_issues(person: Any, process: Process) -> bool:
    """Accept, withdraw, merge duplicates and assign issues to clusters."""
    return is_secretariat(person, process)


def can_manage_call(person: Any, process: Process) -> bool:
    return is_secretariat(person, process)


def can_manage_clusters(person: Any, process: Process) -> bool:
    """Create, edit and delete clusters; name coordinators and drafting teams."""
    return is_secretariat(person, process)


def can_view_suggestions(person: Any, process: Process) -> bool:
    """Suggested clusterings are working material for the chair and secretariat."""
    return is_chair_or_secretariat(person, process)


def can_suggest_clusters(person: Any, process: Process) -> bool:
    """Compute a suggestion and accept it (in whole or in part)."""
    return is_secretariat(person, process)


def can_rate_issues(person: Any, process: Process) -> bool:
    """Members rate and rank; the chair and secretariat stay neutral, observers and
    the public read the results."""
    return is_member(person, process)


def can_view_results(person: Any, process: Process) -> bool:
    return can_read_process(person, process)


def can_view_agenda_share(person: Any, process: Process) -> bool:
    return can_read_process(person, process)


def can_export(person: Any, process: Process) -> bool:
    return can_read_process(person, process)
