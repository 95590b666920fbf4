"""In Chromium: a member of the public signs up in Spanish, verifies the address, is logged in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_and_verify(page, mailbox, run_tasks):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Your name").fill("Lucía Pérez")
    page.get_by_label("E-mail address").fill("lucia@example.net")
    page.get_by_label("Choose a password").fill("mountains and rivers")
    form = page.locator("form").filter(has=page.get_by_role("button", name="Create my account"))
    form.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("We sent a message to lucia@example.net")).to_be_visible()
    run_tasks()
    [message] = mailbox.to("lucia@example.net")
    link = re.search(r"http://testserver(/accounts/verify/\S+/)", mailbox.text(message)).group(1)
    page.goto(link)
    assert page.locator("html").get_attribute("lang") == "es"
    expect(page.get_by_role("link", name="Lucía Pérez")).to_be_visible()
