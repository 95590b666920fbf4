"""Every role against every survey action, as a table (pages and API in test_surfaces.py)."""

from __future__ import annotations

import pytest

from roundtable.processes.models import Access
from roundtable.surveys import policy, services
from roundtable.surveys.models import ResultsAudience
from tests.factories import ROLES

pytestmark = pytest.mark.django_db

#                              chair  secr.  member observer public anonymous
EXPECTED = {
    "view_surveys":             (1,     1,     1,     1,       1,     1),
    "manage_surveys":           (0,     1,     0,     0,       0,     0),
    "view_draft_survey":        (0,     1,     0,     0,       0,     0),
    "view_open_survey":         (1,     1,     1,     1,       0,     0),
    "view_results_unpublished": (0,     1,     0,     0,       0,     0),
    "view_results_members":     (1,     1,     1,     0,       0,     0),
    "view_results_public":      (1,     1,     1,     1,       1,     1),
    "export_results_unpublished": (0,   1,     0,     0,       0,     0),
    "view_invitations":         (0,     1,     0,     0,       0,     0),
}  # fmt: skip

# In a participants-only process, outsiders see nothing, published or not.
EXPECTED_MEMBERS_ONLY = {
    "view_surveys":             (1,     1,     1,     1,       0,     0),
    "view_open_survey":         (1,     1,     1,     1,       0,     0),
    "view_results_public":      (1,     1,     1,     1,       0,     0),
}  # fmt: skip


def ask(action: str, person, personas, survey) -> bool:
    process = personas.process
    if action == "view_surveys":
        return policy.can_view_surveys(person, process)
    if action == "manage_surveys":
        return policy.can_manage_surveys(person, process)
    if action == "view_draft_survey":
        return policy.can_view_survey(person, survey)
    if action == "view_invitations":
        return policy.can_view_invitations(person, survey)
    services.survey_open(actor=personas.secretariat, survey=survey)
    if action == "view_open_survey":
        return policy.can_view_survey(person, survey)
    if action in ("view_results_unpublished", "export_results_unpublished"):
        check = policy.can_view_results if action.startswith("view") else policy.can_export_results
        return check(person, survey)
    audience = {
        "view_results_members": ResultsAudience.MEMBERS,
        "view_results_public": ResultsAudience.PUBLIC,
    }
    services.survey_publish(actor=personas.secretariat, survey=survey, audience=audience[action])
    return policy.can_view_results(person, survey) and policy.can_view_survey(person, survey)


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_public_process(personas, draft_survey, action, role):
    expected = bool(EXPECTED[action][ROLES.index(role)])
    assert ask(action, getattr(personas, role), personas, draft_survey) is expected


@pytest.mark.parametrize("action", sorted(EXPECTED_MEMBERS_ONLY))
@pytest.mark.parametrize("role", ROLES)
def test_participants_only_process(personas, draft_survey, action, role):
    personas.process.access = Access.MEMBERS
    personas.process.save()
    expected = bool(EXPECTED_MEMBERS_ONLY[action][ROLES.index(role)])
    assert ask(action, getattr(personas, role), personas, draft_survey) is expected


def test_site_admin_reads_but_does_not_run_surveys(personas, open_survey):
    personas.public.is_staff = True
    personas.public.save()
    assert not policy.can_manage_surveys(personas.public, personas.process)
    assert not policy.can_view_results(personas.public, open_survey)


def test_the_secretariat_of_another_process_has_no_say(personas, open_survey):
    from roundtable.processes.models import Role
    from tests.factories import MembershipFactory, ProcessFactory

    outsider = MembershipFactory(process=ProcessFactory(slug="other"), role=Role.SECRETARIAT).person
    assert not policy.can_manage_surveys(outsider, personas.process)
    assert not policy.can_view_results(outsider, open_survey)
    assert not policy.can_view_invitations(outsider, open_survey)
