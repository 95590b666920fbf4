"""The whole consultation through the API: create, verify, submit, moderate, dispose, report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.utils import timezone

from roundtable.consultations.models import Submission
from roundtable.people.services import api_token_create
from tests.consultations.conftest import close_call, pdf_file

pytestmark = pytest.mark.django_db


def bearer(person) -> dict[str, str]:
    _token, secret = api_token_create(person=person, label="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_call_from_opening_to_report_through_the_api(personas, mailbox, run_tasks):
    secretariat = bearer(personas.secretariat)
    client = Client()
    now = timezone.now()
    response = client.post(
        "/api/processes/wgt/calls",
        {
            "title": "API call",
            "description": "Tell us about spam.",
            "opens_at": (now - dt.timedelta(minutes=5)).isoformat(),
            "closes_at": (now + dt.timedelta(days=3)).isoformat(),
            "time_zone": "Europe/Zurich",
            "languages": ["en", "fr"],
            "publication": "author_choice",
            "questions": [{"text": "What should providers do?", "required": True}],
            "publish": True,
        },
        content_type="application/json",
        **secretariat,
    )
    assert response.status_code == 201, response.content
    call = response.json()
    assert call["state"] == "open" and call["rules_frozen"] is True
    question = call["questions"][0]["id"]
    base = f"/api/processes/wgt/calls/{call['id']}"

    # Someone without an account verifies an address, then submits.
    assert (
        client.post(
            f"{base}/verifications", {"email": "li@example.org"}, content_type="application/json"
        ).status_code
        == 202
    )
    run_tasks()
    [mail] = mailbox.to("li@example.org")
    token = re.search(r"/calls/verify/(\S+)/", mailbox.text(mail)).group(1)
    payload = {
        "name": "Li Hua",
        "language": "fr",
        "text": "",
        "answers": {str(question): "Authentifier les expéditeurs."},
        "stakeholder_group": "academia",
        "show_name": False,
        "verification_token": token,
    }
    first = client.post(
        f"{base}/submissions",
        payload,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="retry-key-0001",
    )
    assert first.status_code == 201, first.content
    created = first.json()
    manage = created["manage_token"]
    assert created["submission"]["reference"] == f"C{call['id']}-0001"
    assert created["submission"]["email"] == "li@example.org"
    again = client.post(
        f"{base}/submissions",
        payload,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="retry-key-0001",
    )
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["submission"]["reference"] == created["submission"]["reference"]
    assert Submission.objects.count() == 1

    # The author adds a file with the manage token; a bad one is refused.
    author = {"HTTP_X_SUBMISSION_TOKEN": manage}
    bad = client.post(
        f"{base}/submissions/1/attachments",
        {"file": io.BytesIO(b"MZ\x90\x00" + bytes(100))},
        **author,
    )
    assert bad.status_code == 400 and "attachments" in bad.json()["errors"]
    good = client.post(f"{base}/submissions/1/attachments", {"file": pdf_file()}, **author)
    assert good.status_code == 201 and len(good.json()["attachments"]) == 1
    assert client.get(f"{base}/submissions/1").status_code == 404  # pending: not public
    assert client.get(f"{base}/submissions/1", **author).status_code == 200

    # The secretariat moderates and disposes.
    queue = client.get(f"{base}/submissions?status=pending", **secretariat).json()
    assert [s["reference"] for s in queue["items"]] == [created["submission"]["reference"]]
    assert (
        client.post(
            f"{base}/submissions/1/moderation",
            {"decision": "approve"},
            content_type="application/json",
            **secretariat,
        ).status_code
        == 200
    )
    public = client.get(f"{base}/submissions").json()
    assert public["count"] == 1
    item = public["items"][0]
    assert item["author"]["anonymous"] is True and item["author"]["name"] is None
    assert item["email"] is None and "Li Hua" not in str(item)
    response = client.put(
        f"{base}/submissions/1/disposition",
        {"outcome": "accepted", "response": "Sender authentication is now recommended."},
        content_type="application/json",
        **secretariat,
    )
    assert response.json()["disposition"]["outcome"] == "accepted"
    reaction = client.post(
        f"{base}/submissions/1/disposition/reaction",
        {"reaction": "accepts"},
        content_type="application/json",
        **author,
    )
    assert reaction.json()["disposition"]["reaction"] == "accepts"

    # Rules are frozen; the deadline can be extended.
    frozen = client.patch(
        base, {"title": "Changed"}, content_type="application/json", **secretariat
    )
    assert frozen.status_code == 400 and "frozen" in frozen.json()["message"]
    later = (dt.datetime.fromisoformat(call["closes_at"]) + dt.timedelta(days=2)).isoformat()
    assert (
        client.patch(
            base, {"closes_at": later}, content_type="application/json", **secretariat
        ).status_code
        == 200
    )

    # When it closes, the report is public in every format.
    close_call(Submission.objects.get().call)
    report = client.get(f"{base}/report").json()
    assert report["closed"] is True and len(report["rows"]) == 1
    assert report["rows"][0]["outcome"] == "accepted" and report["rows"][0]["reaction"] == "accepts"
    rows = list(
        csv.reader(io.StringIO(client.get(f"{base}/report?format=csv").content.decode("utf-8-sig")))
    )
    assert len(rows) == 2
    assert client.get(f"{base}/report?format=xlsx")["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_bad_input_is_a_json_error_in_the_callers_language(personas, open_call):
    headers = bearer(personas.public)
    response = Client().post(
        f"/api/processes/wgt/calls/{open_call.pk}/submissions",
        {"name": "Pat", "language": "en", "text": "  "},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
        **headers,
    )
    assert response.status_code == 400
    body = response.json()
    assert body["errors"]["text"] == [
        "Écrivez votre commentaire, ou répondez à au moins une question."
    ]
    assert Submission.objects.count() == 0


def test_anonymous_submission_without_a_token_is_refused(personas, open_call):
    response = Client().post(
        f"/api/processes/wgt/calls/{open_call.pk}/submissions",
        {"name": "X", "language": "en", "text": "Hello"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert Submission.objects.count() == 0


def test_papers_through_the_api(personas):
    member, secretariat = bearer(personas.member), bearer(personas.secretariat)
    client = Client()
    response = client.post(
        "/api/processes/wgt/papers",
        {"title": "Spam", "authors": "Mina", "language": "en", "file": pdf_file()},
        **member,
    )
    assert response.status_code == 201, response.content
    paper = response.json()
    assert paper["symbol"] == "" and client.get("/api/processes/wgt/papers").json() == []
    series = client.post(
        "/api/processes/wgt/paper-series",
        {"prefix": "WGT/WP", "title": "WP"},
        content_type="application/json",
        **secretariat,
    ).json()
    updated = client.patch(
        f"/api/processes/wgt/papers/{paper['id']}",
        {"series": series["id"], "status": "final"},
        content_type="application/json",
        **secretariat,
    ).json()
    assert updated["symbol"] == "WGT/WP/1"
    client.post(
        f"/api/processes/wgt/papers/{paper['id']}/versions",
        {"language": "fr", "title": "Le spam", "file": pdf_file()},
        **secretariat,
    )
    client.post(f"/api/processes/wgt/papers/{paper['id']}/publish", **secretariat)
    [listed] = client.get("/api/processes/wgt/papers").json()
    assert [v["language"] for v in listed["versions"]] == ["en", "fr"]
