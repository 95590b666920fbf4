"""The secretariat edits the process; a site administrator opens new ones."""

from __future__ import annotations

import pytest
from django.test import Client

from roundtable.audit.models import AuditEntry
from roundtable.processes.models import Deliverable, Membership, Process, Role

pytestmark = pytest.mark.django_db


def secretariat_client(personas) -> Client:
    client = Client()
    client.force_login(personas.secretariat)
    return client


def settings_form(personas, **overrides) -> dict:
    data = {
        "save_process": "1",
        "name": personas.process.name,
        "mandate": "Study **Internet stewardship**.",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "working_languages": ["en", "ar"],
        "default_attribution": "attributed",
        "access": "public",
    }
    data.update(overrides)
    return data


def test_settings_change_is_saved_and_audited_with_before_and_after(personas):
    response = secretariat_client(personas).post(
        f"/p/{personas.process.slug}/settings/", settings_form(personas)
    )
    assert response.status_code == 302
    process = Process.objects.get(pk=personas.process.pk)
    assert process.working_languages == ["en", "ar"]
    assert process.default_attribution == "attributed"
    entry = AuditEntry.objects.get(action="process.updated")
    assert entry.data["before"]["default_attribution"] == "chatham_house"
    assert entry.data["after"]["default_attribution"] == "attributed"
    assert (
        "<strong>Internet stewardship</strong>"
        in Client().get(f"/p/{process.slug}/").content.decode()
    )


def test_end_before_start_is_refused_and_nothing_changes(personas):
    response = secretariat_client(personas).post(
        f"/p/{personas.process.slug}/settings/", settings_form(personas, end_date="2025-01-01")
    )
    assert response.status_code == 400
    assert Process.objects.get(pk=personas.process.pk).end_date is None
    assert not AuditEntry.objects.filter(action="process.updated").exists()


def test_deliverables_are_added_and_their_status_changed(personas):
    client = secretariat_client(personas)
    url = f"/p/{personas.process.slug}/settings/"
    client.post(
        url, {"add_deliverable": "1", "title": "Working definition", "due_date": "2026-03-01"}
    )
    deliverable = Deliverable.objects.get(title="Working definition")
    client.post(url, {"deliverable": deliverable.pk, "deliverable_status": "delivered"})
    deliverable.refresh_from_db()
    assert deliverable.status == "delivered"
    bad = client.post(
        url, {"deliverable": deliverable.pk, "deliverable_status": "imaginary"}, follow=True
    )
    assert "is not a valid choice" in bad.content.decode()
    deliverable.refresh_from_db()
    assert deliverable.status == "delivered"
    assert client.post(url, {"add_deliverable": "1", "title": ""}).status_code == 400
    home = Client().get(f"/p/{personas.process.slug}/").content.decode()
    assert "Working definition" in home and "delivered" in home


def test_site_admin_opens_a_process_with_its_secretariat(personas):
    personas.public.is_staff = True
    personas.public.save()
    client = Client()
    client.force_login(personas.public)
    data = {
        "name": "Expert Group on Data",
        "slug": "egd",
        "mandate": "",
        "start_date": "2026-05-01",
        "default_attribution": "chatham_house",
        "access": "members",
        "secretariat_email": "secretariat@example.net",
    }
    assert (
        client.post(
            "/processes/new/", {**data, "secretariat_email": "nobody@example.net"}
        ).status_code
        == 400
    )
    assert (
        client.post("/processes/new/", {**data, "slug": personas.process.slug}).status_code == 400
    )
    response = client.post("/processes/new/", data)
    assert response.status_code == 302
    process = Process.objects.get(slug="egd")
    assert not process.chatham_house_shows_stakeholder_group  # the unticked box
    assert Membership.objects.get(process=process).role == Role.SECRETARIAT
    assert {"process.created", "membership.created"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )
