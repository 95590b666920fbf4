"""Pages, API, feed and exports answer each role exactly as the policy table says."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from roundtable.consultations.models import Call, Disposition, Submission
from tests.consultations.test_policy import EXPECTED, world  # noqa: F401 (fixture)
from tests.factories import ROLES
from tests.surfaces import allowed, client_for

pytestmark = pytest.mark.django_db


def pages(p, w) -> dict[str, list[str]]:
    slug = p.process.slug
    call = f"/p/{slug}/calls/{w.call.pk}"
    return {
        "list_calls": [f"/p/{slug}/calls/"],
        "view_call": [f"{call}/", f"{call}/feed/", f"{call}/submissions/"],
        "view_draft_call": [f"/p/{slug}/calls/{w.draft.pk}/"],
        "create_call": [f"/p/{slug}/calls/new/"],
        "edit_call": [f"{call}/edit/"],
        "view_published": [f"{call}/submissions/{w.published.number}/"],
        "view_pending": [f"{call}/submissions/{w.pending.number}/"],
        "view_unpublished_queue": [f"{call}/moderation/", f"{call}/dispositions/"],
        "download_pending_file": [f"{call}/attachments/{w.pending.attachments.get().pk}/"],
        "download_published_file": [f"{call}/attachments/{w.published.attachments.get().pk}/"],
        "dispose": [f"{call}/submissions/{w.published.number}/disposition/"],
        "edit_submission": [f"{call}/submissions/{w.pending.number}/edit/"],
        "view_report_open_call": [f"{call}/report/", f"{call}/report.csv", f"{call}/report.xlsx"],
        "view_report_closed_call": [
            f"/p/{slug}/calls/{w.closed.pk}/report/",
            f"/p/{slug}/calls/{w.closed.pk}/report.csv",
            f"/p/{slug}/calls/{w.closed.pk}/report.xlsx",
        ],
        "view_analysis": [f"{call}/analysis/"],
        "export_contact_data": [f"{call}/contacts.csv"],
        "view_library": [f"/p/{slug}/papers/"],
        "manage_papers": [f"/p/{slug}/papers/series/"],
        "view_unpublished_paper": [f"/p/{slug}/papers/{w.paper.pk}/"],
    }


def api_reads(p, w) -> dict[str, list[str]]:
    slug = p.process.slug
    call = f"/api/processes/{slug}/calls/{w.call.pk}"
    return {
        "list_calls": [f"/api/processes/{slug}/calls"],
        "view_call": [call, f"{call}/submissions"],
        "view_draft_call": [f"/api/processes/{slug}/calls/{w.draft.pk}"],
        "view_published": [f"{call}/submissions/{w.published.number}"],
        "view_pending": [f"{call}/submissions/{w.pending.number}"],
        "view_unpublished_queue": [f"{call}/submissions?status=pending"],
        "view_report_open_call": [f"{call}/report", f"{call}/report?format=csv"],
        "view_report_closed_call": [
            f"/api/processes/{slug}/calls/{w.closed.pk}/report",
            f"/api/processes/{slug}/calls/{w.closed.pk}/report?format=xlsx",
        ],
        "view_analysis": [f"{call}/analysis"],
        "export_contact_data": [f"{call}/contacts"],
        "view_library": [f"/api/processes/{slug}/papers", f"/api/processes/{slug}/paper-series"],
        "view_unpublished_paper": [f"/api/processes/{slug}/papers/{w.paper.pk}"],
    }


@pytest.mark.parametrize("role", ROLES)
def test_pages_follow_policy(personas, world, role):  # noqa: F811
    client = client_for(personas, role)
    got, expected = {}, {}
    for action, urls in pages(personas, world).items():
        for url in urls:
            got[url] = allowed(client.get(url).status_code)
            expected[url] = bool(EXPECTED[action][ROLES.index(role)])
    assert got == expected


@pytest.mark.parametrize("role", ROLES)
def test_api_reads_follow_policy(personas, world, role):  # noqa: F811
    client = client_for(personas, role)
    got, expected = {}, {}
    for action, urls in api_reads(personas, world).items():
        for url in urls:
            got[url] = allowed(client.get(url).status_code)
            expected[url] = bool(EXPECTED[action][ROLES.index(role)])
    assert got == expected


@pytest.mark.parametrize("role", ROLES)
def test_creating_a_call_follows_policy(personas, role):
    expected = bool(EXPECTED["create_call"][ROLES.index(role)])
    client = client_for(personas, role)
    opens = timezone.now() + dt.timedelta(days=1)
    form = {
        "title": f"Page call by {role}",
        "description": "Tell us.",
        "target": "",
        "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (opens + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": "UTC",
        "languages": ["en"],
        "publication": "named",
        "moderation_rules": "Be kind.",
    }
    assert (
        allowed(client.post(f"/p/{personas.process.slug}/calls/new/", form).status_code) is expected
    )
    response = client.post(
        f"/api/processes/{personas.process.slug}/calls",
        {
            "title": f"API call by {role}",
            "description": "Tell us.",
            "opens_at": opens.isoformat(),
            "closes_at": (opens + dt.timedelta(days=7)).isoformat(),
        },
        content_type="application/json",
    )
    assert allowed(response.status_code) is expected
    assert Call.objects.filter(title__endswith=f"by {role}").count() == (2 if expected else 0)


@pytest.mark.parametrize("role", ROLES)
def test_moderating_follows_policy(personas, world, role):  # noqa: F811
    expected = bool(EXPECTED["moderate"][ROLES.index(role)])
    client = client_for(personas, role)
    base = f"/p/{personas.process.slug}/calls/{world.call.pk}"
    client.post(f"{base}/submissions/{world.pending.number}/moderate/", {"decision": "approve"})
    world.pending.refresh_from_db()
    assert (world.pending.status == "approved") is expected
    Submission.objects.filter(pk=world.pending.pk).update(status="pending")
    response = client.post(
        f"/api/processes/{personas.process.slug}/calls/{world.call.pk}/submissions/{world.pending.number}/moderation",
        {"decision": "reject", "reason": "spam"},
        content_type="application/json",
    )
    assert allowed(response.status_code) is expected
    world.pending.refresh_from_db()
    assert (world.pending.status == "rejected") is expected
    # The bulk form of the queue too.
    Submission.objects.filter(pk=world.pending.pk).update(status="pending", rejection_reason="")
    client.post(f"{base}/moderation/", {"numbers": [world.pending.number], "decision": "approve"})
    world.pending.refresh_from_db()
    assert (world.pending.status == "approved") is expected


@pytest.mark.parametrize("role", ROLES)
def test_disposing_follows_policy(personas, world, role):  # noqa: F811
    expected = bool(EXPECTED["dispose"][ROLES.index(role)])
    client = client_for(personas, role)
    slug, call = personas.process.slug, world.call.pk
    client.post(
        f"/p/{slug}/calls/{call}/submissions/{world.published.number}/disposition/",
        {"outcome": "accepted", "response": f"Page by {role}"},
    )
    page_recorded = Disposition.objects.filter(response=f"Page by {role}").exists()
    assert page_recorded is expected
    response = client.put(
        f"/api/processes/{slug}/calls/{call}/submissions/{world.published.number}/disposition",
        {"outcome": "not_accepted", "response": f"API by {role}"},
        content_type="application/json",
    )
    assert allowed(response.status_code) is expected
    assert Disposition.objects.filter(response=f"API by {role}").exists() is expected


@pytest.mark.parametrize("role", ROLES)
def test_editing_and_reacting_follow_policy(personas, world, role):  # noqa: F811
    """Only the author edits their text or reacts to its disposition, on pages and API."""
    client = client_for(personas, role)
    slug, call = personas.process.slug, world.call.pk
    may_edit = bool(EXPECTED["edit_submission"][ROLES.index(role)])
    response = client.patch(
        f"/api/processes/{slug}/calls/{call}/submissions/{world.pending.number}",
        {"text": f"Edited by {role}"},
        content_type="application/json",
    )
    assert allowed(response.status_code) is may_edit
    world.pending.refresh_from_db()
    assert (world.pending.text == f"Edited by {role}") is may_edit
    may_react = bool(EXPECTED["react_to_disposition"][ROLES.index(role)])
    client.post(
        f"/p/{slug}/calls/{call}/submissions/{world.published.number}/reaction/",
        {"reaction": "accepts"},
    )
    world.published.disposition.refresh_from_db()
    assert (world.published.disposition.reaction == "accepts") is may_react
    response = client.post(
        f"/api/processes/{slug}/calls/{call}/submissions/{world.published.number}/disposition/reaction",
        {"reaction": "objects", "comment": "No."},
        content_type="application/json",
    )
    assert allowed(response.status_code) is may_react


@pytest.mark.parametrize("role", ROLES)
def test_editing_a_call_follows_policy(personas, world, role):  # noqa: F811
    expected = bool(EXPECTED["edit_call"][ROLES.index(role)])
    client = client_for(personas, role)
    later = world.call.closes_at + dt.timedelta(days=3)
    response = client.patch(
        f"/api/processes/{personas.process.slug}/calls/{world.call.pk}",
        {"closes_at": later.isoformat()},
        content_type="application/json",
    )
    assert allowed(response.status_code) is expected
    world.call.refresh_from_db()
    assert (world.call.closes_at == later) is expected
