"""In Chromium: a call run from submission to a published disposition report."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from roundtable.consultations import services
from roundtable.consultations.models import Submission, WorkingPaper
from tests.browser.helpers import log_in
from tests.consultations.conftest import close_call, make_call
from tests.factories import make_personas

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_analysis(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "CONSULTATION_ANALYSIS_INTERVAL_SECONDS": 0}


def link_from(mailbox, address: str, pattern: str) -> str:
    for message in reversed(mailbox.to(address)):
        found = re.search(r"http://testserver(" + pattern + r"\S*)", mailbox.text(message))
        if found:
            return found.group(1)
    raise AssertionError(f"no link {pattern} for {address}")


def test_public_submits_with_a_file_and_the_secretariat_disposes(
    new_context, mailbox, run_tasks, tmp_path
):
    personas = make_personas()
    call = make_call(personas)
    reference = f"C{call.pk}-0001"
    paper = tmp_path / "Position paper.pdf"
    paper.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")

    citizen = new_context().new_page()
    citizen.goto(call.get_absolute_url())
    expect(citizen.get_by_role("status").first).to_contain_text("0 submissions received")
    citizen.get_by_label("Your e-mail address").fill("amara@example.org")
    citizen.get_by_role("button", name="Send me the link").click()
    expect(citizen.get_by_role("heading", name="Check your inbox")).to_be_visible()
    run_tasks()
    citizen.goto(link_from(mailbox, "amara@example.org", "/calls/verify/"))
    expect(citizen.get_by_text("Your address amara@example.org is confirmed")).to_be_visible()
    citizen.get_by_label("Your name").fill("Amara Okafor")
    citizen.get_by_label("Stakeholder group").select_option("civil-society")
    citizen.get_by_label("Language of your submission").select_option("en")
    citizen.get_by_label("Your comment").fill(
        "Providers should publish how they filter spam. <script>alert(1)</script>"
    )
    citizen.get_by_label("Attach files (optional)").set_input_files(str(paper))
    # An impatient double click sends the form twice; one submission results.
    citizen.get_by_role("button", name="Send my submission").dblclick()
    expect(
        citizen.get_by_text(f"Your submission was received with the reference {reference}")
    ).to_be_visible()
    assert Submission.objects.count() == 1
    with citizen.expect_download() as download:
        citizen.get_by_role("link", name="Position paper.pdf").click()
    assert download.value.suggested_filename == "Position paper.pdf"

    secretariat = new_context().new_page()
    log_in(secretariat, "secretariat@example.net")
    secretariat.goto(call.get_absolute_url())
    secretariat.get_by_role("link", name="1 submission awaits moderation").click()
    secretariat.get_by_role("checkbox", name=reference).check()
    secretariat.get_by_label("Approve").check()
    secretariat.get_by_role("button", name="Apply").click()
    expect(secretariat.get_by_text("Decision recorded for 1 submission.")).to_be_visible()
    secretariat.get_by_role("link", name="Dispositions").first.click()
    expect(secretariat.get_by_role("status")).to_contain_text("0 of 1 approved submissions")
    secretariat.get_by_role("link", name="Record the disposition").click()
    secretariat.get_by_label("partly accepted").check()
    secretariat.get_by_label("Response").fill("Transparency reports are now recommended.")
    secretariat.get_by_role("button", name="Save the disposition").click()
    expect(secretariat.get_by_text(f"Disposition of {reference} recorded")).to_be_visible()
    expect(
        secretariat.get_by_text("1 of 1 approved submissions have a disposition.")
    ).to_be_visible()

    run_tasks()
    citizen.goto(link_from(mailbox, "amara@example.org", r"/p/wgt/calls/\d+/submissions/1/manage/"))
    citizen.get_by_label("objects to the disposition").check()
    citizen.get_by_label("Comment").fill("Reports alone will not stop spam.")
    citizen.get_by_role("button", name="Record my view").click()
    expect(citizen.get_by_text("your view was recorded beside the disposition")).to_be_visible()

    close_call(call)
    reader = new_context(java_script_enabled=False).new_page()
    reader.goto(call.get_absolute_url())
    reader.get_by_role("link", name="Read the disposition report").click()
    row = reader.locator("tr", has_text=reference)
    expect(row).to_contain_text("Amara Okafor")
    expect(row).to_contain_text("partly accepted")
    expect(row).to_contain_text("objects to the disposition")
    expect(row).to_contain_text("Reports alone will not stop spam.")
    expect(row).to_contain_text("<script>alert(1)</script>")  # shown as text, never run
    with reader.expect_download() as download:
        reader.get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename.endswith("-dispositions.xlsx")


def test_a_member_writes_in_arabic_without_javascript(new_context, run_tasks):
    personas = make_personas()
    call = make_call(personas)
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, "member@example.net")
    page.goto("/")
    page.locator("#language-select").select_option("ar")
    page.locator(".language-switcher button").click()
    page.goto(f"/p/wgt/calls/{call.pk}/submit/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("#id_language").select_option("ar")
    page.locator("#id_text").fill("يجب أن تكون مرشحات البريد المزعج شفافة.")
    page.locator("form button[type=submit]").last.click()
    submission = Submission.objects.get()
    assert submission.language == "ar" and submission.contact_language == "ar"
    expect(page.locator(".prose[dir=auto]")).to_have_text("يجب أن تكون مرشحات البريد المزعج شفافة.")


def test_the_secretariat_opens_a_call_and_decides_once_for_a_campaign(new_context, run_tasks):
    personas = make_personas()
    page = new_context().new_page()
    log_in(page, "secretariat@example.net")
    page.goto("/p/wgt/calls/")
    page.get_by_role("link", name="New call for input").click()
    page.get_by_label("Title").fill("Call on net neutrality")
    page.get_by_label("What input is wanted, and why").fill(
        "Should providers treat all traffic alike?"
    )
    page.get_by_label("Opens").fill("2026-01-01T09:00")
    page.get_by_label("Closes").fill("2040-01-01T17:00")
    page.get_by_label("Time zone of these dates").select_option("Africa/Nairobi")
    page.get_by_role("button", name="Save and announce").click()
    expect(page.get_by_text("The call was announced.")).to_be_visible()
    expect(page.get_by_text("(Africa/Nairobi)").first).to_be_visible()
    call = personas.process.calls.get()

    letter = (
        "Protect net neutrality now. Internet providers must not slow down or block any "
        "lawful content, and the Working Group should say so clearly in its report."
    )
    people = [personas.public, personas.member, personas.observer, personas.chair]
    for person, extra in zip(
        people, ["", "", "As a teacher in Accra I see this daily.", ""], strict=True
    ):
        submission, _s, _c = services.submission_create(
            call=call,
            author=person,
            name=person.name,
            language="en",
            text=letter + (f"\n\n{extra}" if extra else ""),
        )
        services.submission_moderate(
            actor=personas.secretariat, submission=submission, decision="approve"
        )
    run_tasks()
    page.goto(f"/p/wgt/calls/{call.pk}/analysis/")
    page.get_by_role("link", name="4 copies").click()
    expect(page.get_by_text("As a teacher in Accra I see this daily.")).to_be_visible()
    page.get_by_label("accepted", exact=True).check()
    page.get_by_label("Response").fill(
        "The report recommends non-discrimination of lawful traffic."
    )
    page.get_by_role("button", name="Apply to the group").click()
    expect(page.get_by_text("Copies given it: 4")).to_be_visible()
    assert {s.disposition.outcome for s in Submission.objects.all()} == {"accepted"}


def test_a_paper_is_submitted_numbered_and_published(new_context, tmp_path):
    make_personas()
    file = tmp_path / "remote.txt"
    file.write_text("Remote participation worked when sessions were recorded.", encoding="utf-8")
    member = new_context().new_page()
    log_in(member, "member@example.net")
    member.goto("/p/wgt/papers/")
    member.get_by_role("link", name="Submit a paper").click()
    member.get_by_label("Title").fill("Remote participation")
    member.get_by_label("Authors").fill("Mina Member")
    member.get_by_label("The paper").set_input_files(str(file))
    member.get_by_role("button", name="Submit the paper").click()
    expect(member.get_by_text("Your paper was submitted.")).to_be_visible()

    secretariat = new_context().new_page()
    log_in(secretariat, "secretariat@example.net")
    secretariat.goto("/p/wgt/papers/series/")
    secretariat.get_by_label("Symbol prefix").fill("WGT/WP")
    secretariat.get_by_label("Title").fill("Working papers")
    secretariat.get_by_role("button", name="Create").click()
    secretariat.goto("/p/wgt/papers/")
    secretariat.get_by_role("link", name="Remote participation").click()
    secretariat.get_by_label("Series (gives the document symbol)").select_option(
        label="WGT/WP — Working papers"
    )
    secretariat.get_by_label("Status").select_option("final")
    secretariat.get_by_role("button", name="Save and publish in the library").click()
    expect(secretariat.get_by_text("WGT/WP/1 was published in the library.")).to_be_visible()
    assert WorkingPaper.objects.get().symbol == "WGT/WP/1"
    reader = new_context().new_page()
    reader.goto("/p/wgt/papers/")
    expect(reader.get_by_role("link", name="WGT/WP/1")).to_be_visible()
