"""In Chromium: the secretariat runs the built-in assessment, a member answers with
JavaScript disabled (skip logic on the server, rules, save and resume, another
language), and the secretariat reads the results, breakdown and scorecard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from roundtable.surveys.models import PendingResponse
from tests.browser.helpers import log_in
from tests.factories import make_personas

pytestmark = pytest.mark.django_db(transaction=True)

PAPER = (
    "stakeholder_group,participation,mark_purpose,mark_reach,mark_sustainability,mark_value,mark_fit,change\n"
    "government,in_person,5,4,4,5,5,More translation of documents\n"
    "government,online,4,4,3,4,4,Translation of documents came late\n"
    "civil_society,both,2,3,2,4,3,Fewer e-mails please\n"
)


def choose(page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def test_run_answer_without_javascript_and_read_results(new_context, mailbox, run_tasks, tmp_path):
    personas = make_personas()
    slug = personas.process.slug

    # The secretariat starts from the built-in assessment, opens it and invites the members.
    secretariat = new_context().new_page()
    log_in(secretariat, "secretariat@example.net")
    secretariat.goto(f"/p/{slug}/")
    secretariat.get_by_role("link", name="Surveys").click()
    secretariat.get_by_role("link", name="New survey").click()
    secretariat.get_by_label("The built-in partnership assessment").check()
    secretariat.get_by_label("Title").fill("Mid-term assessment")
    secretariat.get_by_role("button", name="Create the survey").click()
    expect(secretariat.get_by_text("The survey was created as a draft.")).to_be_visible()
    secretariat.get_by_role("button", name="Open the survey").click()
    expect(secretariat.get_by_text("The survey is open.")).to_be_visible()
    survey_url = secretariat.url
    secretariat.get_by_role("link", name="Invitations and reminders").click()
    secretariat.get_by_label("Every member, plus the addresses below").check()
    secretariat.get_by_label("E-mail addresses").fill("ex.colleague@example.net")
    secretariat.get_by_role("button", name="Send invitations").click()
    expect(secretariat.get_by_text("2 invitations sent; 0 already had one.")).to_be_visible()
    run_tasks()
    [message] = mailbox.to("member@example.net")
    link = re.search(r"http://testserver(/p/\S+/a/\w+/)", mailbox.text(message)).group(1)

    # The member answers with JavaScript off.
    member = new_context(java_script_enabled=False).new_page()
    member.goto(link)
    expect(member.get_by_role("heading", name="Mid-term assessment")).to_be_visible()
    expect(member.get_by_text("Page 1 of")).to_be_visible()
    choose(member, "Which stakeholder group do you belong to?", "Civil society")
    choose(member, "How did you mostly take part in meetings?", "Online")
    member.get_by_role("button", name="Next").click()
    # A required question left out: the page says which, and keeps the other answers.
    choose(member, "The group did what it set out to do.", "Agree")
    choose(
        member,
        "Our work has made a difference beyond the people and organisations in the group.",
        "Disagree",
    )
    member.get_by_role("button", name="Next").click()
    alert = member.get_by_role("alert")
    expect(alert).to_contain_text("Please check these answers")
    expect(alert).to_contain_text("This question needs an answer.")
    expect(
        member.get_by_role("group", name="The group did what it set out to do.").get_by_label(
            "Agree", exact=True
        )
    ).to_be_checked()
    choose(member, "What we started will last after the group ends.", "Neither agree nor disagree")
    choose(member, "Taking part added value to my own work or organisation.", "Strongly agree")
    choose(
        member,
        "Working together across stakeholder groups was the best way to do this job.",
        "Agree",
    )
    member.get_by_role("button", name="Next").click()
    # "Disagree" on the effect beyond the group: its follow-up question comes next.
    member.get_by_label("What kept our work from reaching further?").fill(
        "Nobody outside heard of our work."
    )
    # Save and come back later, from another browser, with the same link.
    member.get_by_role("button", name="Save and continue later").click()
    expect(member.get_by_text("Your answers are saved.")).to_be_visible()
    member.context.close()
    member = new_context(java_script_enabled=False).new_page()
    member.goto(link)
    expect(member.get_by_label("What kept our work from reaching further?")).to_have_value(
        "Nobody outside heard of our work."
    )
    # The same page in Arabic, right to left; then on in French.
    member.get_by_role("link", name="العربية").click()
    assert member.locator("html").get_attribute("dir") == "rtl"
    expect(member.get_by_label("ما الذي منع عملنا من الوصول إلى مدى أبعد؟")).to_be_visible()
    member.get_by_role("link", name="Français").click()
    expect(
        member.get_by_label(
            "Qu'est-ce qui a empêché notre travail d'avoir une plus grande portée ?"
        )
    ).to_be_visible()
    member.get_by_role("link", name="English").click()
    member.get_by_role("button", name="Next").click()
    member.get_by_role("button", name="Next").click()  # how we worked: nothing is required
    member.get_by_role("button", name="Next").click()  # what held us back
    member.get_by_role(
        "group", name="What helped the group most? Choose all that apply."
    ).get_by_label("Something else").check()
    member.get_by_role(
        "group", name="What helped the group most? Choose all that apply."
    ).get_by_label("Support from the secretariat").check()
    member.get_by_role("button", name="Next").click()
    # "Something else" was ticked: the page asks what.
    member.get_by_label("What else helped?").fill("The coffee breaks")
    member.get_by_label(
        "Overall, how would you rate the group's work, from 0 (very poor) to 10 (excellent)?"
    ).fill("11")
    member.get_by_label("What one thing would you change in how the group worked?").fill(
        "Fewer e-mails, more summaries"
    )
    member.get_by_role("button", name="Submit my answers").click()
    expect(member.get_by_role("alert")).to_contain_text("Enter a whole number from 0 to 10.")
    member.get_by_label(
        "Overall, how would you rate the group's work, from 0 (very poor) to 10 (excellent)?"
    ).fill("8")
    member.get_by_role("button", name="Submit my answers").click()
    expect(member.get_by_text("Thank you. Your answers were received.")).to_be_visible()
    member.goto(link)
    expect(member.get_by_text("This link has already been used to answer.")).to_be_visible()
    assert PendingResponse.objects.count() == 1

    # Answers collected on paper are imported; then the secretariat closes the survey.
    paper = tmp_path / "paper.csv"
    paper.write_text(PAPER, encoding="utf-8")
    secretariat.goto(survey_url)
    secretariat.get_by_role(
        "link", name="Import responses collected elsewhere (CSV or XLSX)"
    ).click()
    secretariat.get_by_label("File").set_input_files(str(paper))
    secretariat.get_by_role("button", name="Import").click()
    expect(secretariat.get_by_text("3 responses were imported.")).to_be_visible()
    expect(secretariat.locator("dl.facts")).to_contain_text("Waiting to join the results")
    secretariat.get_by_role("button", name="Close the survey now").click()
    expect(
        secretariat.get_by_text("The survey is closed; every response is in the results.")
    ).to_be_visible()

    secretariat.get_by_role("link", name="See the results").click()
    expect(secretariat.get_by_text("4 responses.")).to_be_visible()
    reach = secretariat.locator("#q-mark_reach")
    expect(reach).to_contain_text("4 answered, 0 skipped")
    expect(reach.get_by_role("row", name=re.compile("^Disagree"))).to_contain_text("25.00%")
    expect(reach.locator("svg")).to_have_count(1)
    expect(secretariat.get_by_role("heading", name="Scorecard")).to_be_visible()
    expect(secretariat.locator("#q-change")).to_contain_text("Fewer e-mails, more summaries")
    # Broken down by stakeholder group: small cells hidden.
    secretariat.get_by_label("Break down by").select_option("stakeholder_group")
    secretariat.get_by_role("button", name="Show").click()
    purpose = secretariat.locator("#q-mark_purpose")
    expect(purpose.get_by_role("columnheader", name="Government", exact=True)).to_be_visible()
    # Government has 2 respondents, fewer than 3: its whole column is hidden.
    government = purpose.locator("tbody tr").first.locator("td").nth(2)
    expect(government).to_contain_text("hidden")
    expect(secretariat.get_by_text("Open answers are never shown by group.")).to_be_visible()
    # The report downloads (the PDF is the same HTML, checked in tests/surveys/test_exports.py).
    with secretariat.expect_download() as download:
        secretariat.get_by_role("link", name="HTML report").click()
    assert download.value.suggested_filename.endswith("-by-stakeholder_group.html")
    report = download.value.path().read_text(encoding="utf-8")
    assert "Mid-term assessment" in report and "Scorecard" in report

    # Published to members, the member reads the results too (never anyone's answers).
    secretariat.goto(survey_url)
    secretariat.get_by_label("Results visible to").select_option("members")
    secretariat.get_by_role("button", name="Save").click()
    reader = new_context(java_script_enabled=False).new_page()
    log_in(reader, "member@example.net")
    reader.goto(survey_url)
    expect(reader.get_by_text("You have answered this survey. Thank you.")).to_be_visible()
    reader.get_by_role("link", name="See the results").click()
    expect(reader.get_by_text("4 responses.")).to_be_visible()


def test_open_link_in_spanish_without_an_account(new_context):
    """The secretariat opens the survey to anyone with its link; a visitor without an
    account answers in Spanish, keyboard only, with JavaScript off."""
    personas = make_personas()
    secretariat = new_context().new_page()
    log_in(secretariat, "secretariat@example.net")
    secretariat.goto(f"/p/{personas.process.slug}/surveys/new/")
    secretariat.get_by_role("button", name="Create the survey").click()
    secretariat.get_by_role(
        "link", name="Settings: title, introduction, closing date, open link"
    ).click()
    secretariat.get_by_label("Introduction").fill("Diez minutos, **anónimo**.")
    secretariat.get_by_label("Closes on").fill("2099-12-31")
    secretariat.get_by_label(
        "Open link: anyone with the survey's link may answer, without an invitation"
    ).check()
    secretariat.get_by_role("button", name="Save").click()
    expect(secretariat.get_by_text("The survey's settings were saved.")).to_be_visible()
    secretariat.get_by_role("button", name="Open the survey").click()
    open_link = secretariat.locator(".secret").inner_text()
    assert "/link/" in open_link

    visitor = new_context(java_script_enabled=False, locale="es-ES").new_page()
    visitor.goto(open_link.replace("http://testserver", ""))
    visitor.get_by_role("link", name="Español").click()
    expect(visitor.locator("strong", has_text="anónimo")).to_be_visible()
    visitor.get_by_role("button", name="Empezar la encuesta").click()
    expect(visitor.get_by_text("¿A qué grupo de partes interesadas pertenece?")).to_be_visible()
    # Keyboard only: Tab to the first radio button, choose with the arrow keys.
    group = visitor.get_by_role("group", name="¿A qué grupo de partes interesadas pertenece?")
    group.get_by_label("Gobierno").focus()
    visitor.keyboard.press("ArrowDown")
    expect(group.get_by_label("Sector privado")).to_be_checked()
    visitor.get_by_role("button", name="Siguiente").click()
    expect(visitor.get_by_text("Página 2 de")).to_be_visible()
    assert visitor.locator("html").get_attribute("lang") == "es"
