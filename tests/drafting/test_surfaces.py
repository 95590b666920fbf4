"""Pages and API endpoints answer each role exactly as the policy table says.

Each action builds one world; each role's request runs in a savepoint that is
rolled back, so every role meets the same state.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from roundtable.processes.models import Access
from tests.drafting.test_policy import EXPECTED, EXPECTED_MEMBERS_ONLY
from tests.factories import ROLES

pytestmark = pytest.mark.django_db


def client_for(personas, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(personas, role))
    return client


def allowed(status: int) -> bool:
    assert status in (200, 201, 202, 204, 302, 400, 401, 403, 404, 405), status
    return status in (200, 201, 202, 204, 302)


def doc(w, *parts) -> str:
    return f"/p/{w.slug}/drafts/{w.document.pk}/" + "".join(parts)


def api(w, *parts) -> str:
    return f"/api/processes/{w.slug}/documents/{w.document.pk}" + "".join(parts)


# (method, url, data) for each action, on pages and on the API.
PAGES = {
    "view_drafts": lambda w: ("get", f"/p/{w.slug}/drafts/", None),
    "view_document": lambda w: ("get", doc(w), None),
    "view_participants_doc": lambda w: ("get", f"/p/{w.slug}/drafts/{w.private.pk}/", None),
    "create_document": lambda w: ("get", f"/p/{w.slug}/drafts/new/", None),
    "edit_document": lambda w: ("get", doc(w, "edit/"), None),
    "edit_paragraph": lambda w: ("get", doc(w, f"paragraphs/{w.first.pk}/edit/"), None),
    "propose_amendment": lambda w: ("get", doc(w, f"paragraphs/{w.first.pk}/amend/"), None),
    "take_position": lambda w: (
        "post",
        doc(w, f"amendments/{w.gov_amendment.pk}/position/"),
        {"stance": "support"},
    ),
    "decide_amendment": lambda w: (
        "post",
        doc(w, f"amendments/{w.gov_amendment.pk}/decide/"),
        {"decision": "decline", "reason": "No."},
    ),
    "withdraw_amendment": lambda w: (
        "post",
        doc(w, f"amendments/{w.member_amendment.pk}/withdraw/"),
        {},
    ),
    "request_brackets": lambda w: ("post", doc(w, f"paragraphs/{w.second.pk}/brackets/"), {}),
    "sponsor_alternative": lambda w: (
        "post",
        doc(w, f"paragraphs/{w.recommendation.pk}/sponsor/"),
        {"label": "A"},
    ),
    "confirm_ad_referendum": lambda w: (
        "post",
        doc(w, f"paragraphs/{w.ad_referendum.pk}/confirm/"),
        {},
    ),
    "comment": lambda w: ("post", doc(w, f"paragraphs/{w.first.pk}/comments/"), {"text": "Hi"}),
    "call_consensus": lambda w: ("get", doc(w, f"consensus/new/?paragraph={w.first.pk}"), None),
    "start_silence": lambda w: ("get", doc(w, f"silence/new/?paragraph={w.first.pk}"), None),
    "object_in_silence": lambda w: (
        "post",
        doc(w, f"silence/{w.silence.pk}/act/"),
        {"action": "object", "reason": "No."},
    ),
    "cancel_silence": lambda w: (
        "post",
        doc(w, f"silence/{w.silence.pk}/act/"),
        {"action": "cancel"},
    ),
    "write_minority_statement": lambda w: (
        "get",
        doc(w, f"sections/{w.oversight.pk}/minority/new/"),
        None,
    ),
    "mark_final": lambda w: ("post", f"/p/{w.slug}/drafts/{w.final.pk}/final/", {}),
    "export": lambda w: ("get", doc(w, "export/"), None),
    "view_authorship": lambda w: ("get", doc(w, "authorship/"), None),
}

APIS = {
    "view_drafts": lambda w: ("get", f"/api/processes/{w.slug}/documents", None),
    "view_document": lambda w: ("get", api(w), None),
    "view_participants_doc": lambda w: (
        "get",
        f"/api/processes/{w.slug}/documents/{w.private.pk}",
        None,
    ),
    "create_document": lambda w: (
        "post",
        f"/api/processes/{w.slug}/documents",
        {"title": "Background paper"},
    ),
    "edit_document": lambda w: ("patch", api(w), {"title": "Renamed"}),
    "edit_paragraph": lambda w: (
        "put",
        api(w, f"/paragraphs/{w.first.pk}"),
        {"base_version": w.first.version_number, "text": "New words."},
    ),
    "propose_amendment": lambda w: (
        "post",
        api(w, "/amendments"),
        {
            "kind": "replace",
            "paragraph_id": w.second.pk,
            "base_version": w.second.version_number,
            "text": "Other words.",
            "rationale": "Why not.",
        },
    ),
    "take_position": lambda w: (
        "put",
        api(w, f"/amendments/{w.gov_amendment.pk}/positions/me"),
        {"stance": "oppose"},
    ),
    "decide_amendment": lambda w: (
        "post",
        api(w, f"/amendments/{w.gov_amendment.pk}/decision"),
        {"decision": "accept"},
    ),
    "withdraw_amendment": lambda w: (
        "post",
        api(w, f"/amendments/{w.member_amendment.pk}/withdraw"),
        {},
    ),
    "request_brackets": lambda w: ("post", api(w, f"/paragraphs/{w.second.pk}/brackets"), {}),
    "sponsor_alternative": lambda w: (
        "post",
        api(w, f"/paragraphs/{w.recommendation.pk}/sponsorship"),
        {"label": "B"},
    ),
    "comment": lambda w: ("post", api(w, f"/paragraphs/{w.first.pk}/comments"), {"text": "Hi"}),
    "call_consensus": lambda w: (
        "post",
        api(w, "/consensus-calls"),
        {"finding": "consensus", "paragraph_id": w.second.pk},
    ),
    "start_silence": lambda w: (
        "post",
        api(w, "/silence-procedures"),
        {
            "paragraph_id": w.second.pk,
            "deadline": (timezone.now() + dt.timedelta(days=3)).isoformat(),
        },
    ),
    "object_in_silence": lambda w: (
        "post",
        api(w, f"/silence-procedures/{w.silence.pk}/objection"),
        {"reason": "No."},
    ),
    "mark_final": lambda w: ("post", f"/api/processes/{w.slug}/documents/{w.final.pk}/final", {}),
    "export": lambda w: ("post", api(w, "/exports"), {"format": "html"}),
    "view_authorship": lambda w: ("get", api(w, "/authorship"), None),
}


def send(client: Client, method: str, url: str, data, *, json: bool):
    if method == "get":
        return client.get(url)
    if json:
        return getattr(client, method)(url, data or {}, content_type="application/json")
    return client.post(url, data or {})


def check(table, surface, action, personas, world, *, json: bool) -> list[str]:
    world.slug = personas.process.slug
    wrong = []
    for role in ROLES:
        expected = bool(table[action][ROLES.index(role)])
        with transaction.atomic():
            method, url, data = surface[action](world)
            response = send(client_for(personas, role), method, url, data, json=json)
            if allowed(response.status_code) is not expected:
                wrong.append(f"{role}: {method} {url} -> {response.status_code}")
            if json:
                assert (
                    response["Content-Type"].startswith("application/json")
                    or response.status_code == 204
                )
            transaction.set_rollback(True)
    return wrong


@pytest.mark.parametrize("action", sorted(PAGES))
def test_pages_follow_policy(personas, world, action):
    assert check(EXPECTED, PAGES, action, personas, world, json=False) == []


@pytest.mark.parametrize("action", sorted(APIS))
def test_api_follows_policy(personas, world, action):
    assert check(EXPECTED, APIS, action, personas, world, json=True) == []


@pytest.mark.parametrize("action", sorted(EXPECTED_MEMBERS_ONLY))
def test_participants_only_process_is_hidden_from_outsiders(personas, world, action):
    personas.process.access = Access.MEMBERS
    personas.process.save()
    assert check(EXPECTED_MEMBERS_ONLY, PAGES, action, personas, world, json=False) == []
    assert check(EXPECTED_MEMBERS_ONLY, APIS, action, personas, world, json=True) == []
    # Outsiders get 404, not 403: the process's existence is not revealed.
    _method, url, _data = PAGES[action](world)
    assert client_for(personas, "public").get(url).status_code == 404


def test_participants_only_document_is_a_404_for_outsiders(personas, world):
    world.slug = personas.process.slug
    for role in ("public", "anonymous"):
        client = client_for(personas, role)
        assert client.get(f"/p/{world.slug}/drafts/{world.private.pk}/").status_code == 404
        assert client.get(f"/p/{world.slug}/drafts/{world.private.pk}/export/").status_code == 404
        listing = client.get(f"/api/processes/{world.slug}/documents").json()
        assert [d["title"] for d in listing] == [
            "Working definition",
            "Report of the Working Group",
        ]
