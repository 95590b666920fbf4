"""Every role against every agenda action, as a table.

test_surfaces.py holds the pages and the API to the same table.
"""

from __future__ import annotations

import pytest

from roundtable.agenda import policy
from roundtable.processes.models import Access
from tests.agenda.conftest import open_call, propose
from tests.factories import ROLES

pytestmark = pytest.mark.django_db

#                          chair  secr.  member observer public anonymous
EXPECTED = {
    "view_agenda":          (1,     1,     1,     1,       1,     1),
    "view_issue":           (1,     1,     1,     1,       1,     1),
    "propose_issue":        (1,     1,     1,     0,       0,     0),
    "propose_during_call":  (1,     1,     1,     1,       1,     0),
    "edit_members_issue":   (0,     1,     1,     0,       0,     0),
    "manage_issues":        (0,     1,     0,     0,       0,     0),
    "manage_call":          (0,     1,     0,     0,       0,     0),
    "manage_clusters":      (0,     1,     0,     0,       0,     0),
    "view_suggestions":     (1,     1,     0,     0,       0,     0),
    "suggest_clusters":     (0,     1,     0,     0,       0,     0),
    "rate_issues":          (0,     0,     1,     0,       0,     0),
    "view_results":         (1,     1,     1,     1,       1,     1),
    "view_agenda_share":    (1,     1,     1,     1,       1,     1),
    "export":               (1,     1,     1,     1,       1,     1),
}  # fmt: skip

# In a participants-only process, reading (and answering a call) is for people with a role.
EXPECTED_MEMBERS_ONLY = {
    "view_agenda":          (1,     1,     1,     1,       0,     0),
    "view_issue":           (1,     1,     1,     1,       0,     0),
    "propose_during_call":  (1,     1,     1,     1,       0,     0),
    "view_results":         (1,     1,     1,     1,       0,     0),
    "view_agenda_share":    (1,     1,     1,     1,       0,     0),
    "export":               (1,     1,     1,     1,       0,     0),
}  # fmt: skip


def ask(action: str, person, personas, issue) -> bool:
    process = personas.process
    if action == "propose_during_call":
        open_call(process)
    return {
        "view_agenda": lambda: policy.can_view_agenda(person, process),
        "view_issue": lambda: policy.can_view_issue(person, issue),
        "propose_issue": lambda: policy.can_propose_issue(person, process),
        "propose_during_call": lambda: policy.can_propose_issue(person, process),
        "edit_members_issue": lambda: policy.can_edit_issue(person, issue),
        "manage_issues": lambda: policy.can_manage_issues(person, process),
        "manage_call": lambda: policy.can_manage_call(person, process),
        "manage_clusters": lambda: policy.can_manage_clusters(person, process),
        "view_suggestions": lambda: policy.can_view_suggestions(person, process),
        "suggest_clusters": lambda: policy.can_suggest_clusters(person, process),
        "rate_issues": lambda: policy.can_rate_issues(person, process),
        "view_results": lambda: policy.can_view_results(person, process),
        "view_agenda_share": lambda: policy.can_view_agenda_share(person, process),
        "export": lambda: policy.can_export(person, process),
    }[action]()


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_public_process(personas, action, role):
    issue = propose(personas, "Spam")
    expected = bool(EXPECTED[action][ROLES.index(role)])
    assert ask(action, getattr(personas, role), personas, issue) is expected


@pytest.mark.parametrize("action", sorted(EXPECTED_MEMBERS_ONLY))
@pytest.mark.parametrize("role", ROLES)
def test_participants_only_process(personas, action, role):
    personas.process.access = Access.MEMBERS
    personas.process.save()
    issue = propose(personas, "Spam")
    expected = bool(EXPECTED_MEMBERS_ONLY[action][ROLES.index(role)])
    assert ask(action, getattr(personas, role), personas, issue) is expected


def test_a_proposer_from_the_public_may_edit_their_issue_until_it_is_accepted(personas):
    from roundtable.agenda import services

    open_call(personas.process)
    issue = services.issue_propose(
        actor=personas.public,
        process=personas.process,
        title="Mine",
        stakeholder_group="academia",
    )
    assert policy.can_edit_issue(personas.public, issue)
    assert not policy.can_edit_issue(personas.member, issue)
    issue.status = "accepted"
    assert not policy.can_edit_issue(personas.public, issue)
    assert policy.can_edit_issue(personas.secretariat, issue)


def test_inactive_person_cannot_propose(personas):
    personas.member.is_active = False
    assert not policy.can_propose_issue(personas.member, personas.process)
