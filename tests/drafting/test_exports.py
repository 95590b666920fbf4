"""Exports opened and read back: PDF (pypdf), DOCX (python-docx), ODT (odfpy), HTML."""

from __future__ import annotations

import html
import io
import sys
import types

import nh3
import pytest
from docx import Document as Docx
from odf import teletype
from odf.opendocument import load as load_odt
from odf.text import H, P
from pypdf import PdfReader

from roundtable.core import hooks
from roundtable.drafting import services
from roundtable.drafting.export import gather, render
from roundtable.drafting.models import ExportJob, Paragraph
from roundtable.processes.models import AttributionRule

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    document = Docx(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def odt_text(content: bytes) -> str:
    document = load_odt(io.BytesIO(content))
    elements = document.getElementsByType(H) + document.getElementsByType(P)
    return "\n".join(teletype.extractText(e) for e in elements)


READERS = {
    "pdf": pdf_text,
    "docx": docx_text,
    "odt": odt_text,
    "html": lambda content: html.unescape(nh3.clean(content.decode("utf-8"), tags=set())),
}


@pytest.fixture
def full_draft(personas, draft):
    """Brackets, alternatives with sponsors, a minority statement, a rough consensus call."""
    services.brackets_request(actor=draft.gov, paragraph=draft.first, reason="Check the number")
    services.alternatives_set(
        actor=personas.secretariat,
        paragraph=draft.recommendation,
        base_version=1,
        lead="Two models were proposed:",
        options=["**Model 1.** A council of governments.", "**Model 2.** No new body."],
    )
    paragraph = Paragraph.objects.get(pk=draft.recommendation.pk)
    services.alternative_sponsor(actor=draft.gov, paragraph=paragraph, label="A")
    services.alternative_sponsor(
        actor=personas.member, paragraph=Paragraph.objects.get(pk=paragraph.pk), label="B"
    )
    services.consensus_call(
        actor=personas.chair,
        document=draft.document,
        paragraph=draft.second,
        finding="rough_consensus",
        objections=[(draft.gov_membership, "Sovereignty")],
    )
    services.minority_statement_create(
        actor=personas.member,
        section=draft.oversight,
        title="Oversight without users",
        text="Users have no direct voice.",
    )
    services.amendment_propose(
        actor=draft.gov,
        document=draft.document,
        kind="replace",
        paragraph=draft.first,
        base_version=Paragraph.objects.get(pk=draft.first.pk).version_number,
        text="The group met five times.",
        rationale="Count again.",
    )
    return draft


@pytest.mark.parametrize("fmt", ["pdf", "docx", "odt", "html"])
def test_every_export_keeps_brackets_alternatives_sponsors_and_statements(
    personas, full_draft, fmt
):
    data = gather(full_draft.document, revision=None, person=personas.member, annotated=True)
    text = " ".join(READERS[fmt](render(data, fmt)).split())
    assert "Report of the Working Group" in text
    assert "1. [The group met four times in Geneva and held open consultations.]" in text
    assert "Bracketed at the request of: A participant (Government) (Check the number)" in text
    assert "Option A" in text and "Model 1." in text and "Option B" in text and "Model 2." in text
    assert "Sponsors: A participant (Government)" in text
    assert "Sponsors: A participant (Civil society)" in text
    assert "Recommendation 1" in text
    assert "Minority statement: Oversight without users" in text
    assert "By A participant (Civil society)" in text
    assert "Rough consensus" in text and "Objection: A participant (Government)" in text
    # Annotated: the open amendment is listed.
    assert "Amendment 1" in text and "The group met five times." in text
    # Members annex by stakeholder group; Chatham House keeps names out of the text itself.
    assert "Annex: members of the working group by stakeholder group" in text
    assert "Civil society (1)" in text and "Mina Member, Open Networks Trust" in text
    assert "Gita Government" in text  # in the annex only
    assert text.count("Gita Government") == 1


def test_clean_export_leaves_out_open_amendments(personas, full_draft):
    data = gather(full_draft.document, revision=None, person=personas.member, annotated=False)
    text = docx_text(render(data, "docx"))
    assert "Amendment 1" not in text
    assert "[The group met four times" in text


def test_attributed_process_names_people_in_exports(personas, full_draft):
    personas.process.default_attribution = AttributionRule.ATTRIBUTED
    personas.process.save()
    data = gather(full_draft.document, revision=None, person=personas.member, annotated=False)
    text = " ".join(odt_text(render(data, "odt")).split())
    assert "Sponsors: Gita Government" in text
    assert "Objection: Gita Government" in text


def test_export_at_an_earlier_revision(personas, draft):
    revision = draft.document.revisions.first().number
    services.paragraph_edit(
        actor=personas.secretariat, paragraph=draft.first, base_version=1, text="Rewritten later."
    )
    draft.document.refresh_from_db()
    then = pdf_text(
        render(gather(draft.document, revision=revision, person=None, annotated=False), "pdf")
    )
    now = pdf_text(
        render(gather(draft.document, revision=None, person=None, annotated=False), "pdf")
    )
    assert "four times in Geneva" in then and "Rewritten later." not in then
    assert "Rewritten later." in now
    assert f"revision {revision}" in then


def test_arabic_and_chinese_text_survive_every_format(personas, draft):
    services.paragraph_create(
        actor=personas.secretariat, section=draft.intro, text="حوكمة الإنترنت مسؤولية مشتركة."
    )
    services.paragraph_create(
        actor=personas.secretariat, section=draft.intro, text="互联网治理是共同的责任。"
    )
    data = gather(draft.document, revision=None, person=None, annotated=False)
    docx = Docx(io.BytesIO(render(data, "docx")))
    arabic = next(p for p in docx.paragraphs if "حوكمة" in p.text)
    assert (
        arabic._p.pPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi")
        is not None
    )
    assert "互联网治理是共同的责任。" in odt_text(render(data, "odt"))
    assert "互联网治理" in pdf_text(render(data, "pdf"))


@pytest.fixture
def annex_hook(monkeypatch):
    """Stands in for the consultations app, which answers document_annexes with dispositions."""
    module = types.ModuleType("consultations_stand_in_hooks")
    seen = {}

    def document_annexes(*, document, person):
        seen["person"] = person
        return [
            {
                "title": "Annex: dispositions of comments",
                "rows": [{"Comment": "Add users", "Disposition": "Accepted in paragraph 2"}],
            }
        ]

    module.document_annexes = document_annexes
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(hooks, "_hook_modules", lambda: [module])
    return seen


@pytest.mark.parametrize("fmt", ["pdf", "docx", "odt", "html"])
def test_annexes_from_other_apps_are_printed(personas, draft, annex_hook, fmt):
    data = gather(draft.document, revision=None, person=personas.member, annotated=False)
    text = " ".join(READERS[fmt](render(data, fmt)).split())
    assert "Annex: dispositions of comments" in text
    assert "Accepted in paragraph 2" in text
    assert annex_hook["person"] == personas.member


def test_exports_work_when_no_app_answers(personas, draft):
    data = gather(draft.document, revision=None, person=None, annotated=False)
    assert data.annexes == []
    assert render(data, "docx")


def test_small_export_downloads_at_once_and_only_for_whoever_asked(personas, draft, client):
    draft.document.refresh_from_db()
    client.force_login(personas.member)
    url = f"/p/{personas.process.slug}/drafts/{draft.document.pk}/export/"
    response = client.post(
        url, {"format": "docx", "view": "clean", "revision": draft.document.revision}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="report-of-the-working-group-r'
    )
    content = b"".join(response.streaming_content)
    assert "Create a forum" in docx_text(content)
    job = ExportJob.objects.get()
    assert job.status == "done" and job.file_size == len(content)
    download = f"/p/{personas.process.slug}/drafts/{draft.document.pk}/exports/{job.pk}/download/"
    assert client.get(download).status_code == 200
    client.force_login(draft.gov)
    assert client.get(download).status_code == 404


def test_large_export_runs_in_the_background_with_progress(
    personas, draft, client, run_tasks, settings
):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "DRAFTING_EXPORT_INLINE_MAX_ITEMS": 2}
    draft.document.refresh_from_db()
    client.force_login(personas.member)
    base = f"/p/{personas.process.slug}/drafts/{draft.document.pk}"
    response = client.post(
        f"{base}/export/",
        {"format": "odt", "view": "annotated", "revision": draft.document.revision},
    )
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{base}/exports/{job.pk}/"
    page = client.get(response["Location"])
    assert job.status == "queued" and b"Waiting for the worker" in page.content
    assert b'<meta http-equiv="refresh"' in page.content  # without JavaScript
    assert b'hx-trigger="every 2s"' in page.content  # with htmx
    run_tasks()
    job.refresh_from_db()
    assert job.status == "done" and job.percent == 100
    fragment = client.get(f"{base}/exports/{job.pk}/", HTTP_HX_REQUEST="true")
    assert b"The file is ready" in fragment.content and b"<html" not in fragment.content
    content = b"".join(client.get(f"{base}/exports/{job.pk}/download/").streaming_content)
    assert "Create a forum" in odt_text(content)


def test_export_fails_cleanly_if_the_requester_lost_access(personas, draft):
    import datetime as dt

    job, _queued = services.export_request(
        actor=personas.member, document=draft.document, format="pdf"
    )
    draft.document.visibility = "participants"
    draft.document.save()
    personas.memberships.member.end_date = dt.date(2026, 1, 2)
    personas.memberships.member.save()
    personas.member.__dict__.pop("_roundtable_memberships", None)
    assert services.export_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and not job.file
    # Running it again does nothing: it is no longer queued.
    assert services.export_run(job_id=job.pk) == "skipped"


def test_bad_export_requests_are_refused(personas, draft):
    from django.core.exceptions import ValidationError

    for kwargs in (
        {"format": "rtf"},
        {"format": "pdf", "revision": 999},
        {"format": "pdf", "view": "x"},
    ):
        with pytest.raises(ValidationError):
            services.export_request(actor=personas.member, document=draft.document, **kwargs)
    assert not ExportJob.objects.exists()


def test_old_exports_are_cleaned_up(personas, draft):
    import datetime as dt

    from django.utils import timezone

    job, _queued = services.export_request(
        actor=personas.member, document=draft.document, format="html"
    )
    services.export_run(job_id=job.pk)
    job.refresh_from_db()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    assert services.export_cleanup(now=timezone.now() + dt.timedelta(days=8)) == 1
    assert not storage.exists(name) and not ExportJob.objects.exists()


def test_gathering_an_export_costs_the_same_queries_however_many_people_are_named(
    personas, full_draft
):
    """Names go through the Chatham House rule with group sizes counted once,
    not one query per person named (an N+1 the large-report benchmark showed)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.drafting.conftest import add_member

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            gather(full_draft.document, revision=None, person=personas.member, annotated=True)
        return len(captured)

    before = queries()
    for n in range(6):
        author, _ = add_member(
            personas, f"Author {n}", f"author{n}@example.net", "civil-society", "africa"
        )
        services.amendment_propose(
            actor=author,
            document=full_draft.document,
            kind="replace",
            paragraph=full_draft.second,
            base_version=Paragraph.objects.get(pk=full_draft.second.pk).version_number,
            text=f"Wording number {n}.",
            rationale="Clearer.",
        )
    data = gather(full_draft.document, revision=None, person=personas.member, annotated=True)
    assert "Wording number 5." in render(data, "html").decode()
    assert queries() == before
