"""In Chromium: a member starts a thread and replies; a moderator approves, hides and locks."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from roundtable.discussions.models import Archive
from roundtable.processes.models import AttributionRule
from tests.browser.helpers import log_in
from tests.discussions.helpers import cluster, set_rules
from tests.factories import make_personas

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_starts_a_thread_and_posts_a_message(new_context, mailbox, run_tasks):
    personas = make_personas()
    set_rules(personas.process, archive=Archive.MEMBERS, moderate_first_posts=False)
    infra = cluster(personas.process, "Infrastructure")
    page = new_context().new_page()
    log_in(page, "member@example.net")
    page.goto(f"/p/{personas.process.slug}/")
    page.locator(".process-nav").get_by_role("link", name="Discussions").click()
    expect(page.get_by_role("heading", name="Discussions", level=1)).to_be_visible()
    page.get_by_role("link", name="Start a thread in this cluster").click()
    page.get_by_role("button", name="Start the thread").click()
    expect(page.get_by_text("Give the thread a title.")).to_be_visible()
    page.get_by_label("Title").fill("Root zone oversight")
    page.get_by_label("Message").fill("We need **four** models in the report.")
    page.get_by_role("button", name="Start the thread").click()
    expect(page.get_by_role("heading", name="Root zone oversight")).to_be_visible()
    expect(page.locator(".post strong", has_text="four")).to_be_visible()
    page.get_by_label("Message").fill("A second thought: model 2 has support.")
    page.get_by_role("button", name="Post message").click()
    expect(page.get_by_text("Your message was posted.")).to_be_visible()
    expect(page.locator(".post").nth(1)).to_contain_text("model 2 has support")
    assert page.url.endswith("#" + page.locator(".post").nth(1).get_attribute("id"))
    # The member follows the thread they started; choosing a digest instead.
    page.get_by_label("E-mail me").select_option("daily")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your choice was saved.")).to_be_visible()
    expect(page.get_by_label("E-mail me")).to_have_value("daily")
    page.goto(f"/p/{personas.process.slug}/discussions/")
    expect(page.get_by_role("link", name="Root zone oversight")).to_be_visible()
    assert infra.threads.count() == 1


def test_moderator_approves_hides_and_locks_without_javascript(new_context):
    personas = make_personas()
    set_rules(
        personas.process,
        archive=Archive.PUBLIC,
        attribution=AttributionRule.CHATHAM_HOUSE,
        moderate_first_posts=True,
    )
    from roundtable.discussions import services

    thread = services.thread_create(
        actor=personas.chair, process=personas.process, title="Spam", body="Opening"
    )
    services.message_post(actor=personas.member, thread=thread, body="First words from Mina")
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, "secretariat@example.net")
    page.goto(f"/p/{personas.process.slug}/discussions/")
    page.get_by_role("link", name="Moderation (1 waiting)").click()
    expect(page.get_by_text("First words from Mina")).to_be_visible()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("The message was approved and published.")).to_be_visible()
    page.goto(thread.get_absolute_url())
    message = page.locator(".post", has_text="First words from Mina")
    message.get_by_label("Reason for hiding").fill("Off topic")
    message.get_by_role("button", name="Hide").click()
    expect(page.get_by_text("This message was hidden by the moderators: Off topic")).to_be_visible()
    expect(page.get_by_text("first posts in this thread wait for approval.")).to_be_visible()
    page.get_by_role("button", name="Publish first posts at once").click()
    expect(
        page.get_by_text("first posts in this thread are now published at once.")
    ).to_be_visible()
    thread.refresh_from_db()
    assert thread.moderated is False
    page.get_by_label("Reason for locking").fill("Consensus reached")
    page.get_by_role("button", name="Lock the thread").click()
    expect(page.get_by_text("This thread is locked: Consensus reached")).to_be_visible()
    # The public sees the archive with no names under the Chatham House Rule.
    public = new_context().new_page()
    public.goto(thread.get_absolute_url())
    expect(public.get_by_text("Opening")).to_be_visible()
    expect(public.locator("#main")).not_to_contain_text("Charlotte")
    expect(public.locator("#main")).not_to_contain_text("First words from Mina")
    expect(public.get_by_role("button", name="Post message")).to_have_count(0)
