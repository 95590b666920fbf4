"""In Chromium: a draft goes from amendment to consensus call to a minority statement to a PDF."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from roundtable.drafting import services
from roundtable.drafting.models import Amendment, Paragraph
from tests.browser.helpers import log_in
from tests.drafting.conftest import build_draft
from tests.factories import make_personas

pytestmark = pytest.mark.django_db(transaction=True)


def test_amendment_to_consensus_to_pdf(new_context, run_tasks, mailbox):
    personas = make_personas()
    draft = build_draft(personas)
    services.brackets_request(actor=draft.gov, paragraph=draft.first, reason="Check the number")
    base = f"/p/{personas.process.slug}/drafts/{draft.document.pk}/"

    # A member proposes new wording for paragraph 2.
    member = new_context().new_page()
    log_in(member, "member@example.net")
    member.goto(base)
    member.get_by_role("link", name="Paragraph 2: history, amendments, comments").click()
    member.get_by_role("link", name="Propose an amendment").click()
    member.get_by_label("Proposed text").fill("Internet governance is <b>shared</b>.")
    member.get_by_label("Rationale").fill("Name the stakeholders.")
    member.get_by_role("button", name="Propose the amendment").click()
    expect(member.get_by_text("HTML is not accepted (found “<b>”)")).to_be_visible()
    member.get_by_label("Proposed text").fill(
        "Internet governance is the development and application by governments, the private "
        "sector and civil society of shared principles."
    )
    member.get_by_role("button", name="Propose the amendment").click()
    expect(member.get_by_text("Amendment 1 was proposed.")).to_be_visible()
    expect(member.locator(".diff ins").first).to_contain_text("by governments")

    # Another member supports it.
    gov = new_context().new_page()
    log_in(gov, "gov@example.net")
    gov.goto(Amendment.objects.get().get_absolute_url())
    gov.get_by_label("support").check()
    gov.get_by_label("Comment (optional)").fill("Yes, all of us.")
    gov.get_by_role("button", name="Record my position").click()
    expect(gov.get_by_text("Your position was recorded.")).to_be_visible()

    # The chair accepts it: a new version crediting the author.
    chair = new_context().new_page()
    log_in(chair, "chair@example.net")
    chair.goto(Amendment.objects.get().get_absolute_url())
    expect(chair.get_by_text("Yes, all of us.")).to_be_visible()
    chair.get_by_label("Accept").check()
    chair.get_by_role("button", name="Record the decision").click()
    expect(chair.get_by_text("The amendment was accepted")).to_be_visible()
    chair.goto(Paragraph.objects.get(pk=draft.second.pk).get_absolute_url())
    expect(
        chair.get_by_text("Credit: amendment 1 by A participant (Civil society)")
    ).to_be_visible()
    expect(chair.locator(".diff-box del")).to_have_count(0)  # 1 -> 2 only inserts
    expect(chair.locator(".diff-box ins").first).to_contain_text("by governments")

    # Rough consensus, with the government member's objection.
    chair.get_by_role("link", name="Call consensus").click()
    chair.get_by_label("rough consensus").check()
    objecting = chair.get_by_role("group", name="Objecting members (rough consensus)")
    objecting.get_by_label("Gita Government — Government").check()
    chair.get_by_label("The objections, in brief").fill("The role of governments.")
    chair.get_by_role("button", name="Record the finding").click()
    expect(chair.get_by_text("The consensus call was recorded.")).to_be_visible()
    expect(chair.get_by_text("Objection: A participant (Government)")).to_be_visible()

    # The member attaches a minority statement to the oversight section.
    member.goto(base)
    member.locator(f"#s-{draft.oversight.pk}").get_by_role(
        "link", name="Write a minority statement"
    ).click()
    member.get_by_label("Title").fill("On the forum")
    member.get_by_label("Statement").fill("A forum without a budget will not last.")
    member.get_by_role("button", name="Attach the statement").click()
    expect(member.get_by_role("heading", name="Minority statement: On the forum")).to_be_visible()
    expect(member.get_by_text("1 of 3 paragraphs agreed")).to_be_visible()

    # Anyone exports the PDF; brackets, the credit and the statement are in it.
    visitor = new_context(accept_downloads=True).new_page()
    visitor.goto(base)
    visitor.get_by_role("link", name="Export or print").click()
    visitor.get_by_label("PDF").check()
    with visitor.expect_download() as download:
        visitor.get_by_role("button", name="Export").click()
    with open(download.value.path(), "rb") as handle:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    text = " ".join(text.split())
    assert "1. [The group met four times in Geneva and held open consultations.]" in text
    assert "Bracketed at the request of: A participant (Government)" in text
    assert "by governments, the private sector and civil society" in text
    assert "Minority statement: On the forum" in text
    assert "Objection: A participant (Government)" in text

    run_tasks()
    assert any("accepted" in str(m["Subject"]) for m in mailbox.to("member@example.net"))
