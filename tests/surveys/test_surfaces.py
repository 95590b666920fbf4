"""Pages, API and exports answer each role exactly as the policy table says."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from roundtable.processes.models import Access
from roundtable.surveys import services
from roundtable.surveys.models import Response, ResultsAudience, Survey
from tests.factories import ROLES
from tests.surfaces import allowed, client_for
from tests.surveys.conftest import complete
from tests.surveys.test_policy import EXPECTED, EXPECTED_MEMBERS_ONLY

pytestmark = pytest.mark.django_db


def with_responses(survey: Survey) -> Survey:
    Response.objects.bulk_create(
        [Response(survey=survey, answers=complete(mark_purpose=str(v))) for v in (3, 4, 4, 5)]
    )
    return survey


def prepare(action: str, personas, survey: Survey) -> Survey:
    if action == "view_draft_survey":
        return survey
    services.survey_open(actor=personas.secretariat, survey=survey)
    with_responses(survey)
    audience = {
        "view_results_members": ResultsAudience.MEMBERS,
        "view_results_public": ResultsAudience.PUBLIC,
    }.get(action)
    if audience:
        services.survey_publish(actor=personas.secretariat, survey=survey, audience=audience)
    return survey


def urls(action: str, p, survey: Survey) -> list[str]:
    base = f"/p/{p.process.slug}/surveys/"
    api = f"/api/processes/{p.process.slug}/surveys"
    one, api_one = f"{base}{survey.pk}/", f"{api}/{survey.pk}"
    return {
        "view_surveys": [base, api],
        "manage_surveys": [f"{base}new/", f"{one}settings/", f"{one}import/"],
        "view_draft_survey": [one, api_one, f"{one}form.xlsx", f"{api_one}/form.xlsx"],
        "view_open_survey": [one, api_one],
        "view_results_unpublished": [f"{one}results/", f"{api_one}/results"],
        "export_results_unpublished": [
            f"{one}results.csv",
            f"{one}results.xlsx",
            f"{api_one}/results/export?format=csv",
        ],
        "view_results_members": [
            f"{one}results/?by=stakeholder_group",
            f"{api_one}/results?by=stakeholder_group",
            f"{one}results.html",
        ],
        "view_results_public": [f"{one}results/", f"{api_one}/results", f"{one}results.csv"],
        "view_invitations": [f"{one}invitations/", f"{api_one}/invitations"],
    }[action]


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_reads_follow_policy(personas, draft_survey, role, action):
    survey = prepare(action, personas, draft_survey)
    expected = bool(EXPECTED[action][ROLES.index(role)])
    client = client_for(personas, role)
    for url in urls(action, personas, survey):
        response = client.get(url)
        assert allowed(response.status_code) is expected, (url, response.status_code)
        if "/api/" in url and "form.xlsx" not in url and "export" not in url:
            assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("action", sorted(EXPECTED_MEMBERS_ONLY))
@pytest.mark.parametrize("role", ROLES)
def test_participants_only_process_hides_surveys_from_outsiders(
    personas, draft_survey, role, action
):
    personas.process.access = Access.MEMBERS
    personas.process.save()
    survey = prepare(action, personas, draft_survey)
    expected = bool(EXPECTED_MEMBERS_ONLY[action][ROLES.index(role)])
    client = client_for(personas, role)
    for url in urls(action, personas, survey):
        status = client.get(url).status_code
        assert allowed(status) is expected, url
        if not expected and "/api/" not in url:
            assert status == 404  # the process's existence is not revealed


def secretariat_only(role: str) -> bool:
    return bool(EXPECTED["manage_surveys"][ROLES.index(role)])


@pytest.mark.parametrize("role", ROLES)
def test_creating_surveys(personas, role):
    client = client_for(personas, role)
    base = f"/p/{personas.process.slug}/surveys/"
    client.post(f"{base}new/", {"source": "partnership-assessment", "title": f"page {role}"})
    api = client.post(
        f"/api/processes/{personas.process.slug}/surveys",
        {"title": f"api {role}"},
        content_type="application/json",
    )
    assert allowed(api.status_code) is secretariat_only(role)
    assert Survey.objects.filter(title__endswith=role).count() == (
        2 if secretariat_only(role) else 0
    )


@pytest.mark.parametrize("role", ROLES)
def test_running_a_survey(personas, draft_survey, role):
    client = client_for(personas, role)
    one = f"/p/{personas.process.slug}/surveys/{draft_survey.pk}/"
    api_one = f"/api/processes/{personas.process.slug}/surveys/{draft_survey.pk}"
    expected = secretariat_only(role)
    client.post(f"{one}settings/", {"title": "Renamed", "min_cell": 4, "closes_on": "2099-01-01"})
    draft_survey.refresh_from_db()
    assert (draft_survey.title == "Renamed") is expected
    assert (
        allowed(
            client.patch(
                api_one, {"description": "New"}, content_type="application/json"
            ).status_code
        )
        is expected
    )
    client.post(f"{one}open/")
    draft_survey.refresh_from_db()
    assert (draft_survey.status == "open") is expected
    if not expected:
        services.survey_open(actor=personas.secretariat, survey=draft_survey)
    api = client.post(
        f"{api_one}/invitations", {"audience": "members"}, content_type="application/json"
    )
    assert allowed(api.status_code) is expected
    assert draft_survey.invitations.exists() is expected
    upload = SimpleUploadedFile(
        "paper.csv",
        b"stakeholder_group,mark_purpose,mark_reach,mark_sustainability,mark_value,mark_fit\nacademia,4,4,4,4,4\n",
    )
    assert allowed(client.post(f"{api_one}/responses", {"file": upload}).status_code) is expected
    client.post(f"{one}publish/", {"audience": "public"})
    draft_survey.refresh_from_db()
    assert (draft_survey.results_audience == "public") is expected
    assert allowed(client.post(f"{api_one}/close").status_code) is expected
    draft_survey.refresh_from_db()
    assert (draft_survey.status == "closed") is expected


@pytest.mark.parametrize("role", ROLES)
def test_search_finds_only_surveys_the_person_may_see(personas, draft_survey, role):
    services.survey_update(
        actor=personas.secretariat, survey=draft_survey, description="Midterm stocktaking"
    )
    page = client_for(personas, role).get(f"/p/{personas.process.slug}/search/?q=stocktaking")
    found = draft_survey.get_absolute_url() in page.content.decode()
    # A draft is the secretariat's alone; once open, participants find it too.
    assert found is bool(EXPECTED["view_draft_survey"][ROLES.index(role)])
    services.survey_open(actor=personas.secretariat, survey=draft_survey)
    page = client_for(personas, role).get(f"/p/{personas.process.slug}/search/?q=stocktaking")
    assert (draft_survey.get_absolute_url() in page.content.decode()) is bool(
        EXPECTED["view_open_survey"][ROLES.index(role)]
    )
