"""In Chromium: an administrator opens a process; its secretariat sets the mandate and deliverables."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import make_personas

pytestmark = pytest.mark.django_db(transaction=True)


def test_open_a_process_and_set_it_up(new_context):
    personas = make_personas()
    personas.public.is_staff = True
    personas.public.save()

    admin = new_context().new_page()
    log_in(admin, "public@example.net")
    admin.get_by_role("link", name="Open a new process").click()
    admin.get_by_label("Name", exact=False).first.fill("Expert Group on Data Flows")
    admin.get_by_label("Short name").fill("egdf")
    admin.get_by_label("Start date").fill("2026-06-01")
    admin.get_by_label("Secretariat").fill("secretariat@example.net")
    admin.get_by_role("button", name="Create the process").click()
    expect(admin.get_by_role("heading", name="Expert Group on Data Flows")).to_be_visible()

    secretariat = new_context().new_page()
    log_in(secretariat, "secretariat@example.net")
    secretariat.goto("/p/egdf/")
    secretariat.get_by_role("link", name="Settings").click()
    secretariat.get_by_role("textbox", name="Mandate").fill(
        "Map **cross-border data flows** and report."
    )
    secretariat.get_by_label("Arabic").check()
    secretariat.get_by_role("button", name="Save settings").click()
    expect(secretariat.get_by_text("The process settings were saved.")).to_be_visible()
    secretariat.get_by_label("Deliverable", exact=False).last.fill("Issues paper")
    secretariat.get_by_label("Due").fill("2026-09-30")
    secretariat.get_by_role("button", name="Add", exact=True).click()
    expect(secretariat.get_by_text("The deliverable was added.")).to_be_visible()
    secretariat.get_by_role("link", name="Overview").click()
    expect(secretariat.locator("strong", has_text="cross-border data flows")).to_be_visible()
    expect(secretariat.get_by_role("cell", name="Issues paper")).to_be_visible()
