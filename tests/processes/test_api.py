"""The API: tokens, JSON errors with field errors, CSRF on session writes."""

from __future__ import annotations

import pytest
from django.test import Client

from roundtable.people.services import api_token_create, api_token_revoke
from roundtable.processes.models import Invitation

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_openapi_document_lists_the_operations(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/processes/{slug}/balance" in paths
    assert "post" in paths["/api/processes/{slug}/invitations"]
    assert response.json()["components"]["securitySchemes"]


def test_token_authenticates_as_its_person(personas):
    _token, secret = api_token_create(person=personas.secretariat, label="script")
    response = Client().get("/api/me", **bearer(secret))
    assert response.status_code == 200
    assert response.json()["email"] == "secretariat@example.net"


def test_wrong_or_revoked_token_is_401_not_anonymous(personas):
    token, secret = api_token_create(person=personas.secretariat, label="script")
    assert Client().get("/api/processes", **bearer("rt_wrong")).status_code == 401
    api_token_revoke(person=personas.secretariat, token=token)
    response = Client().get("/api/processes", **bearer(secret))
    assert response.status_code == 401
    assert response.json() == {"message": "The API token is not valid or was revoked."}


def test_anonymous_reads_public_data(personas):
    response = Client().get(f"/api/processes/{personas.process.slug}/memberships")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    names = {item["name"] for item in body["items"]}
    assert "Mina Member" in names
    # E-mail addresses are not public.
    assert all("email" not in item for item in body["items"])


def test_memberships_filter_and_paginate(personas):
    client = Client()
    response = client.get(
        f"/api/processes/{personas.process.slug}/memberships",
        {"stakeholder_group": "civil-society"},
    )
    assert [m["name"] for m in response.json()["items"]] == ["Mina Member"]
    page = client.get(
        f"/api/processes/{personas.process.slug}/memberships", {"limit": 2, "offset": 2}
    )
    assert page.json()["count"] == 4 and len(page.json()["items"]) == 2


def test_invitation_by_token_and_field_errors(personas):
    _token, secret = api_token_create(person=personas.secretariat, label="script")
    url = f"/api/processes/{personas.process.slug}/invitations"
    good = Client().post(
        url,
        {
            "email": "api.person@example.net",
            "role": "member",
            "stakeholder_group": "academia",
            "region": "weog",
        },
        content_type="application/json",
        **bearer(secret),
    )
    assert good.status_code == 201, good.json()
    assert good.json()["status"] == "pending"
    bad = Client().post(
        url,
        {"email": "nope", "role": "member", "stakeholder_group": "wizards", "region": "weog"},
        content_type="application/json",
        **bearer(secret),
    )
    assert bad.status_code == 400
    body = bad.json()
    assert body["message"]
    assert set(body["errors"]) & {"email", "stakeholder_group"}
    missing = Client().post(
        url, {"role": "member"}, content_type="application/json", **bearer(secret)
    )
    assert missing.status_code == 400
    assert "email" in missing.json()["errors"]
    assert Invitation.objects.count() == 1


def test_unknown_role_is_a_field_error(personas):
    _token, secret = api_token_create(person=personas.secretariat, label="script")
    response = Client().post(
        f"/api/processes/{personas.process.slug}/invitations",
        {"email": "x@example.net", "role": "emperor"},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 400
    assert "role" in response.json()["errors"]


def test_session_writes_need_the_csrf_token(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.secretariat)
    url = f"/api/processes/{personas.process.slug}/invitations"
    payload = {"email": "csrf@example.net", "role": "observer"}
    refused = client.post(url, payload, content_type="application/json")
    assert refused.status_code == 403
    assert not Invitation.objects.exists()
    client.get(f"/p/{personas.process.slug}/invitations/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(url, payload, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


def test_unauthenticated_write_is_401(personas):
    response = Client().post(
        f"/api/processes/{personas.process.slug}/invitations",
        {"email": "x@example.net", "role": "observer"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["message"]


def test_last_secretariat_cannot_be_demoted_through_the_api(personas):
    _token, secret = api_token_create(person=personas.secretariat, label="script")
    response = Client().patch(
        f"/api/processes/{personas.process.slug}/memberships/{personas.memberships.secretariat.pk}",
        {"role": "observer"},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 400
    assert response.json()["errors"]["role"] == ["A process needs at least one secretariat member."]


def test_balance_endpoint(personas):
    body = Client().get(f"/api/processes/{personas.process.slug}/balance").json()
    assert body["total_members"] == 1
    assert {"stakeholder_group": "civil-society", "region": "africa", "count": 1} in body["cells"]


def test_error_messages_follow_the_language(personas):
    response = Client().get("/api/processes/nope", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert response.json()["message"] == "Introuvable."
