"""In Chromium: a silence procedure broken by an objection; a large export in the background;
right-to-left pages; the document without JavaScript."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.utils import timezone
from odf import teletype
from odf.opendocument import load as load_odt
from odf.text import P
from playwright.sync_api import expect

from roundtable.drafting import services
from roundtable.drafting.models import ExportJob, Paragraph, SilenceProcedure
from tests.browser.helpers import log_in
from tests.drafting.conftest import build_draft
from tests.factories import make_personas

pytestmark = pytest.mark.django_db(transaction=True)


def test_silence_procedure_and_an_objection(new_context, run_tasks, mailbox):
    personas = make_personas()
    draft = build_draft(personas)
    chair = new_context(timezone_id="Asia/Kolkata").new_page()
    log_in(chair, "chair@example.net")
    chair.goto(Paragraph.objects.get(pk=draft.first.pk).get_absolute_url())
    chair.get_by_role("link", name="Start a silence procedure").click()
    deadline = timezone.localtime(timezone.now() + dt.timedelta(days=2))
    chair.get_by_label("Deadline (your time zone)").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    chair.get_by_label("Message to members").fill("No objection was heard in the room.")
    chair.get_by_role("button", name="Start the silence procedure").click()
    expect(
        chair.get_by_text("The silence procedure started; members were notified.")
    ).to_be_visible()
    procedure = SilenceProcedure.objects.get()
    assert procedure.is_open

    run_tasks()
    [message] = mailbox.to("gov@example.net")
    link = next(line for line in mailbox.text(message).splitlines() if "/silence/" in line)

    gov = new_context().new_page()
    log_in(gov, "gov@example.net")
    gov.goto(link.replace("http://testserver", ""))
    expect(gov.get_by_text("No objection was heard in the room.")).to_be_visible()
    gov.get_by_label("Your objection").fill("My capital has not seen it.")
    gov.get_by_role("button", name="Break the silence").click()
    expect(gov.get_by_text("Your objection was recorded")).to_be_visible()
    expect(gov.get_by_text("broken by an objection")).to_be_visible()
    expect(gov.get_by_text("A participant (Government)")).to_be_visible()
    assert Paragraph.objects.get(pk=draft.first.pk).status == "open"
    assert services.silence_close_due(now=timezone.now() + dt.timedelta(days=3)) == []


def test_large_export_shows_progress_and_downloads(new_context, settings):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "DRAFTING_EXPORT_INLINE_MAX_ITEMS": 2}
    personas = make_personas()
    draft = build_draft(personas)
    page = new_context(accept_downloads=True).new_page()
    log_in(page, "member@example.net")
    page.goto(draft.document.get_absolute_url() + "export/")
    page.get_by_label("ODT").check()
    page.get_by_role("button", name="Export").click()
    expect(page.get_by_text("the export runs in the background")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Waiting for the worker")).to_be_visible()

    # The worker runs beside the browser; htmx polls the progress until the file is ready.
    from tests.conftest import run_queued_tasks

    worker = threading.Thread(target=run_queued_tasks)
    worker.start()
    worker.join(timeout=60)
    expect(page.get_by_text("The file is ready.")).to_be_visible(timeout=20_000)
    expect(page.locator("progress")).to_have_attribute("value", "100")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    with open(download.value.path(), "rb") as handle:
        document = load_odt(io.BytesIO(handle.read()))
    text = "\n".join(teletype.extractText(p) for p in document.getElementsByType(P))
    assert "Create a forum for multistakeholder policy dialogue." in text
    assert ExportJob.objects.get().status == "done"


def test_arabic_document_page_is_right_to_left(new_context):
    personas = make_personas()
    draft = build_draft(personas)
    services.paragraph_create(
        actor=personas.secretariat, section=draft.intro, text="حوكمة الإنترنت مسؤولية مشتركة."
    )
    page = new_context(locale="ar").new_page()  # the browser asks for Arabic
    page.goto(draft.document.get_absolute_url())
    assert page.locator("html").get_attribute("dir") == "rtl"
    arabic = page.locator(".paragraph .text", has_text="حوكمة")
    assert arabic.get_attribute("dir") == "auto"
    # dir="auto" sets each paragraph's direction from its own text: the Arabic paragraph's
    # number sits at its right-hand start, the English one's at the left.
    for text, right in (("حوكمة", True), ("The group met", False)):
        paragraph = page.locator(".paragraph .text", has_text=text)
        number = paragraph.locator(".num").bounding_box()
        block = paragraph.bounding_box()
        assert (number["x"] > block["x"] + block["width"] / 2) is right
    expect(page.get_by_role("link", name="العرض المشروح")).to_be_visible()


def test_member_works_without_javascript(new_context):
    personas = make_personas()
    draft = build_draft(personas)
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, "member@example.net")
    page.goto(Paragraph.objects.get(pk=draft.first.pk).get_absolute_url())
    page.get_by_label("Why do you ask for brackets? (optional)").fill("Check the number.")
    page.get_by_role("button", name="Put this paragraph in brackets").click()
    expect(page.get_by_text("The paragraph is now in brackets at your request.")).to_be_visible()
    page.get_by_label("Your comment").fill("Was it four or five?")
    page.get_by_role("button", name="Add the comment").click()
    expect(page.get_by_text("Was it four or five?")).to_be_visible()
    page.goto(draft.document.get_absolute_url() + "?view=annotated")
    expect(page.locator(".paragraph").first.locator(".bracket").first).to_have_text("[")
    expect(
        page.get_by_text("Bracketed at the request of: A participant (Civil society)")
    ).to_be_visible()
