"""Pages and API endpoints answer each role exactly as the policy table says."""

from __future__ import annotations

import pytest

from roundtable.processes.models import Access, Invitation
from tests.factories import ROLES
from tests.processes.test_policy import EXPECTED, EXPECTED_MEMBERS_ONLY
from tests.surfaces import allowed, client_for

pytestmark = pytest.mark.django_db


PAGES = {
    "view_process": lambda p: f"/p/{p.process.slug}/",
    "view_directory": lambda p: f"/p/{p.process.slug}/members/",
    "view_balance": lambda p: f"/p/{p.process.slug}/balance/",
    "view_member_page": lambda p: f"/p/{p.process.slug}/members/{p.memberships.member.pk}/",
    "view_invitations": lambda p: f"/p/{p.process.slug}/invitations/",
    "edit_process": lambda p: f"/p/{p.process.slug}/balance/targets/",
    "create_process": lambda p: "/processes/new/",
    "view_audit_log": lambda p: f"/p/{p.process.slug}/audit/",
}

API_READS = {
    "view_process": lambda p: f"/api/processes/{p.process.slug}",
    "view_directory": lambda p: f"/api/processes/{p.process.slug}/memberships",
    "view_balance": lambda p: f"/api/processes/{p.process.slug}/balance",
    "view_invitations": lambda p: f"/api/processes/{p.process.slug}/invitations",
}


@pytest.mark.parametrize("action", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_pages_follow_policy(personas, role, action):
    response = client_for(personas, role).get(PAGES[action](personas))
    assert allowed(response.status_code) is bool(EXPECTED[action][ROLES.index(role)])


@pytest.mark.parametrize("role", ROLES)
def test_settings_page_and_its_forms_follow_policy(personas, role):
    expected = bool(EXPECTED["edit_process"][ROLES.index(role)])
    client = client_for(personas, role)
    url = f"/p/{personas.process.slug}/settings/"
    assert allowed(client.get(url).status_code) is expected
    client.post(url, {"add_deliverable": "1", "title": f"Report by {role}"})
    assert personas.process.deliverables.filter(title=f"Report by {role}").exists() is expected


@pytest.mark.parametrize("action", sorted(API_READS))
@pytest.mark.parametrize("role", ROLES)
def test_api_reads_follow_policy(personas, role, action):
    response = client_for(personas, role).get(API_READS[action](personas))
    assert allowed(response.status_code) is bool(EXPECTED[action][ROLES.index(role)])
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("action", sorted(EXPECTED_MEMBERS_ONLY))
@pytest.mark.parametrize("role", ROLES)
def test_participants_only_process_is_hidden_from_outsiders(personas, role, action):
    personas.process.access = Access.MEMBERS
    personas.process.save()
    expected = bool(EXPECTED_MEMBERS_ONLY[action][ROLES.index(role)])
    client = client_for(personas, role)
    assert allowed(client.get(PAGES[action](personas)).status_code) is expected
    if action in API_READS:
        assert allowed(client.get(API_READS[action](personas)).status_code) is expected
    # Outsiders get 404, not 403: the process's existence is not revealed.
    if not expected:
        assert client.get(PAGES[action](personas)).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_invite_page_and_api_follow_policy(personas, role):
    expected = bool(EXPECTED["invite_member"][ROLES.index(role)])
    client = client_for(personas, role)
    form = {
        "email": f"{role}-page@example.net",
        "role": "observer",
        "capacity": "personal",
    }
    page = client.post(f"/p/{personas.process.slug}/invitations/", form)
    assert allowed(page.status_code) is expected
    api = client.post(
        f"/api/processes/{personas.process.slug}/invitations",
        {"email": f"{role}-api@example.net", "role": "observer"},
        content_type="application/json",
    )
    assert allowed(api.status_code) is expected
    assert Invitation.objects.filter(email__startswith=role).count() == (2 if expected else 0)


@pytest.mark.parametrize("role", ROLES)
def test_role_change_page_and_api_follow_policy(personas, role):
    expected = bool(EXPECTED["change_role"][ROLES.index(role)])
    client = client_for(personas, role)
    target = personas.memberships.observer
    client.post(f"/p/{personas.process.slug}/members/{target.pk}/role/", {"role": "secretariat"})
    target.refresh_from_db()
    assert (target.role == "secretariat") is expected
    target.role = "observer"
    target.save()
    api = client.patch(
        f"/api/processes/{personas.process.slug}/memberships/{target.pk}",
        {"role": "secretariat"},
        content_type="application/json",
    )
    assert allowed(api.status_code) is expected
    target.refresh_from_db()
    assert (target.role == "secretariat") is expected


@pytest.mark.parametrize("role", ROLES)
def test_declaration_form_only_for_the_member_themself(personas, role):
    client = client_for(personas, role)
    url = f"/p/{personas.process.slug}/members/{personas.memberships.member.pk}/"
    response = client.post(url, {"text": f"Declared by {role}"})
    declared = personas.memberships.member.declarations.filter(text=f"Declared by {role}").exists()
    assert declared is (role == "member")
    if role != "member":
        assert response.status_code == 403
