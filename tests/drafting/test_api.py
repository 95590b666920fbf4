"""The drafting API end to end: documents, versions and diffs, amendments, positions, calls, exports."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from docx import Document as Docx

from roundtable.drafting.models import Document, Paragraph, ParagraphVersion

pytestmark = pytest.mark.django_db


def as_(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def call(client, method, url, data=None):
    return getattr(client, method)(url, data or {}, content_type="application/json")


def test_drafting_through_the_api(personas, draft):
    base = f"/api/processes/{personas.process.slug}/documents"
    secretariat, member, chair = (
        as_(personas.secretariat),
        as_(personas.member),
        as_(personas.chair),
    )
    gov = as_(draft.gov)

    created = call(
        secretariat, "post", base, {"title": "Background paper", "kind": "background_paper"}
    )
    assert created.status_code == 201
    doc_id = created.json()["id"]
    section = call(secretariat, "post", f"{base}/{doc_id}/sections", {"title": "Facts"}).json()
    paragraph = call(
        secretariat,
        "post",
        f"{base}/{doc_id}/sections/{section['id']}/paragraphs",
        {"text": "Most new users connect by mobile.", "is_recommendation": True},
    ).json()
    assert paragraph["number"] == 1 and paragraph["recommendation_number"] == 1
    url = f"{base}/{doc_id}/paragraphs/{paragraph['id']}"

    # Optimistic locking: the second edit from version 1 gets 409 and the diff.
    first = call(
        secretariat,
        "put",
        url,
        {"base_version": 1, "text": "Most new users connect by mobile phone."},
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = call(secretariat, "put", url, {"base_version": 1, "text": "Written against version 1."})
    assert stale.status_code == 409
    body = stale.json()
    assert body["current_version"] == 2 and body["base_version"] == 1
    assert body["diff_text"] == "Most new users connect by mobile{+ phone+}."
    assert "<ins>" in body["diff_html"]
    assert ParagraphVersion.objects.filter(paragraph_id=paragraph["id"]).count() == 2

    versions = Client().get(f"{url}/versions").json()
    assert [v["number"] for v in versions["items"]] == [2, 1]
    assert versions["items"][0]["author"]["label"] == "A participant"  # Chatham House
    diff = Client().get(f"{url}/diff?from=1&to=2").json()
    assert {"op": "insert", "text": " phone"} in diff["segments"]

    # An amendment, positions, a decision.
    amendment = call(
        member,
        "post",
        f"{base}/{doc_id}/amendments",
        {
            "kind": "replace",
            "paragraph_id": paragraph["id"],
            "base_version": 2,
            "text": "Most new users, women above all, connect by mobile phone.",
            "rationale": "Say who.",
        },
    )
    assert amendment.status_code == 201
    amendment = amendment.json()
    assert amendment["author"] == {
        "label": "A participant (Civil society)",
        "name": None,
        "organisation": None,
        "stakeholder_group": "civil-society",
        "anonymous": True,
    }
    amendment_url = f"{base}/{doc_id}/amendments/{amendment['id']}"
    assert (
        call(gov, "put", f"{amendment_url}/positions/me", {"stance": "support"}).status_code == 200
    )
    assert (
        call(member, "put", f"{amendment_url}/positions/me", {"stance": "support"}).status_code
        == 403
    )
    positions = Client().get(f"{amendment_url}/positions").json()
    assert [p["member"]["stakeholder_group"] for p in positions] == ["government"]
    decided = call(chair, "post", f"{amendment_url}/decision", {"decision": "accept"})
    assert decided.status_code == 200 and decided.json()["status"] == "accepted"
    current = Client().get(url).json()
    assert current["version"] == 3 and current["text"].startswith("Most new users, women")
    assert Client().get(f"{url}/versions/3").json()["amendment"] == amendment["number"]

    # The chair's call, with an objection named through attribution.
    objection = {"membership_id": draft.gov_membership.pk, "reason": "Too specific."}
    called = call(
        chair,
        "post",
        f"{base}/{doc_id}/consensus-calls",
        {"finding": "rough_consensus", "paragraph_id": paragraph["id"], "objections": [objection]},
    )
    assert called.status_code == 201
    assert called.json()["objections"][0]["by"]["label"] == "A participant (Government)"
    document = Client().get(f"{base}/{doc_id}").json()
    assert document["counts"]["agreed"] == 1
    assert document["sections"][0]["paragraphs"][0]["status"] == "agreed"

    authorship = Client().get(f"{base}/{doc_id}/authorship").json()
    assert authorship["words_through_amendments"] == 3  # "women above all"
    assert authorship["total_words"] == 10

    # Final, then exported as DOCX by an anonymous visitor.
    assert call(chair, "post", f"{base}/{doc_id}/final").status_code == 200
    visitor = Client()
    job = call(visitor, "post", f"{base}/{doc_id}/exports", {"format": "docx"})
    assert job.status_code == 201
    file = visitor.get(job.json()["download_url"])
    text = "\n".join(p.text for p in Docx(io.BytesIO(b"".join(file.streaming_content))).paragraphs)
    assert "1. Most new users, women above all, connect by mobile phone." in text
    assert "Final text" in text
    assert Client().get(job.json()["download_url"]).status_code == 404  # another visitor


def test_errors_are_json_translated_and_write_nothing(personas, draft):
    base = f"/api/processes/{personas.process.slug}/documents/{draft.document.pk}"
    client = as_(personas.secretariat)
    before = ParagraphVersion.objects.count()
    response = call(
        client,
        "put",
        f"{base}/paragraphs/{draft.first.pk}",
        {"base_version": 1, "text": "<script>alert(1)</script>"},
    )
    assert response.status_code == 400
    assert "HTML is not accepted" in response.json()["errors"]["text"][0]
    response = client.put(
        f"{base}/paragraphs/{draft.first.pk}",
        {"base_version": 1, "text": ""},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    assert ParagraphVersion.objects.count() == before
    response = call(
        as_(personas.member),
        "post",
        f"{base}/consensus-calls",
        {"finding": "consensus", "paragraph_id": draft.first.pk},
    )
    assert response.status_code == 403
    response = call(
        Client(),
        "post",
        f"{base}/consensus-calls",
        {"finding": "consensus", "paragraph_id": draft.first.pk},
    )
    assert response.status_code == 401
    assert call(client, "post", f"{base}/consensus-calls", {"finding": "maybe"}).status_code == 400


def test_document_at_a_revision_through_the_api(personas, draft):
    base = f"/api/processes/{personas.process.slug}/documents/{draft.document.pk}"
    revision = Document.objects.get(pk=draft.document.pk).revision
    call(
        as_(personas.secretariat),
        "put",
        f"{base}/paragraphs/{draft.first.pk}",
        {"base_version": 1, "text": "Changed."},
    )
    then = Client().get(f"{base}?revision={revision}").json()
    now = Client().get(base).json()
    assert then["at_revision"] == revision and now["at_revision"] == revision + 1
    assert then["sections"][0]["paragraphs"][0]["text"].startswith("The group met four")
    assert now["sections"][0]["paragraphs"][0]["text"] == "Changed."
    assert Paragraph.objects.get(pk=draft.first.pk).version_number == 2
