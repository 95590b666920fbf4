"""In Chromium, two browsers: concurrent edits never overwrite silently."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from roundtable.drafting.models import Paragraph
from roundtable.processes.models import Role
from tests.browser.helpers import log_in
from tests.drafting.conftest import build_draft
from tests.factories import MembershipFactory, PersonFactory, make_personas

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_second_save_is_refused_with_the_changes_and_keeps_its_text(new_context):
    personas = make_personas()
    draft = build_draft(personas)
    MembershipFactory(
        person=PersonFactory(name="Sasha Second", email="secretariat2@example.net"),
        process=personas.process,
        role=Role.SECRETARIAT,
        stakeholder_group=None,
        region=None,
    )
    url = Paragraph.objects.get(pk=draft.first.pk).get_absolute_url() + "edit/"
    first, second = new_context().new_page(), new_context().new_page()
    log_in(first, "secretariat@example.net")
    log_in(second, "secretariat2@example.net")
    first.goto(url)
    second.goto(url)  # both start from version 1

    first.get_by_label("Paragraph text").fill(
        "The group met five times in Geneva and held open consultations."
    )
    first.get_by_label("Why (shown in the history)").fill("A fifth meeting.")
    first.get_by_role("button", name="Save as a new version").click()
    expect(first.get_by_text("The paragraph was saved as a new version.")).to_be_visible()

    mine = "The group met four times in Geneva and Tunis, and held open consultations."
    second.get_by_label("Paragraph text").fill(mine)
    second.get_by_role("button", name="Save as a new version").click()
    alert = second.get_by_role("alert").filter(
        has_text="What changed between version 1 and version 2"
    )
    expect(alert).to_be_visible()
    expect(alert.locator("del")).to_contain_text("four")
    expect(alert.locator("ins")).to_contain_text("five")
    expect(second.get_by_label("Paragraph text")).to_have_value(mine)  # nothing lost
    assert Paragraph.objects.get(pk=draft.first.pk).current_version.text.startswith(
        "The group met five times"
    )

    # The second person applies their change to the current text and saves.
    second.get_by_label("Paragraph text").fill(
        "The group met five times in Geneva and Tunis, and held open consultations."
    )
    second.get_by_role("button", name="Save as a new version").click()
    expect(second.get_by_text("The paragraph was saved as a new version.")).to_be_visible()
    paragraph = Paragraph.objects.get(pk=draft.first.pk)
    assert paragraph.version_number == 3
    assert [v.author.email for v in paragraph.versions.order_by("number")][1:] == [
        "secretariat@example.net",
        "secretariat2@example.net",
    ]
