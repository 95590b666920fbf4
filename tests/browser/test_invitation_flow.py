"""In Chromium: the secretariat invites a member, the member accepts, the balance shows it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import make_personas

pytestmark = pytest.mark.django_db(transaction=True)


def balance_cell(page, group: str, column: int) -> str:
    row = page.locator("table").first.locator("tbody tr", has=page.locator("th", has_text=group))
    return row.locator("td").nth(column).inner_text()


def test_invite_accept_and_balance(new_context, mailbox, run_tasks):
    personas = make_personas()
    slug = personas.process.slug

    secretariat = new_context().new_page()
    log_in(secretariat, "secretariat@example.net")
    secretariat.goto(f"/p/{slug}/balance/")
    # Academia x Asia-Pacific is empty, and academia has no member at all.
    expect(secretariat.get_by_text("No Academia member at all")).to_be_visible()

    secretariat.get_by_role("link", name="Invitations").click()
    secretariat.get_by_label("E-mail address").fill("not-an-address")
    secretariat.get_by_role("button", name="Send invitation").click()
    expect(secretariat.get_by_text("is not a valid e-mail address")).to_be_visible()

    secretariat.get_by_label("E-mail address").fill("zhang.new@example.net")
    secretariat.get_by_label("Name").fill("Zhang New")
    secretariat.get_by_label("Role").select_option("member")
    secretariat.get_by_label("Stakeholder group").select_option("academia")
    secretariat.get_by_label("Region").select_option("asia-pacific")
    secretariat.get_by_role("button", name="Send invitation").click()
    expect(
        secretariat.get_by_text("An invitation was sent to zhang.new@example.net")
    ).to_be_visible()
    expect(secretariat.locator("table")).to_contain_text("pending")

    run_tasks()
    [message] = mailbox.to("zhang.new@example.net")
    link = re.search(r"http://testserver(/invitations/\S+/)", mailbox.text(message)).group(1)

    invitee = new_context().new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", name="Join Working Group on Testing")).to_be_visible()
    invitee.get_by_label("Choose a password").fill("short")
    invitee.get_by_role("button", name="Accept and create my account").click()
    expect(invitee.get_by_text("This password is too short")).to_be_visible()
    invitee.get_by_label("Choose a password").fill("a good long pass phrase")
    invitee.get_by_role("button", name="Accept and create my account").click()
    expect(invitee.get_by_text("You are now member")).to_be_visible()
    expect(invitee.locator("#main").get_by_role("link", name="Zhang New")).to_be_visible()

    # The link works once.
    invitee.goto(link)
    expect(invitee.get_by_text("already been used")).to_be_visible()

    secretariat.goto(f"/p/{slug}/balance/")
    expect(secretariat.get_by_text("No Academia member at all")).to_have_count(0)
    assert balance_cell(secretariat, "Academia", 1) == "1"  # column 0 is Africa, 1 Asia-Pacific
    expect(secretariat.get_by_text("2 members are counted.")).to_be_visible()


def test_arabic_pages_are_right_to_left_and_keyboard_reachable(page, db):
    make_personas()
    page.goto("/")
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    # The first Tab reaches the skip link, which moves focus to the main content.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_pages_work_without_javascript(new_context):
    personas = make_personas()
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, "member@example.net")
    page.goto(f"/p/{personas.process.slug}/members/{personas.memberships.member.pk}/")
    page.get_by_role("textbox", name="Declaration of interests").fill(
        "Trustee of the Open Networks Trust."
    )
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Your declaration of interests was published.")).to_be_visible()
    expect(page.get_by_text("Trustee of the Open Networks Trust.")).to_be_visible()
