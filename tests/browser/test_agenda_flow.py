"""In Chromium: from an open call for issues to a clustered, prioritised list.

The secretariat opens a call; a member of the public and a member propose
issues; the secretariat merges a duplicate, asks for suggested clusters and
accepts one in part under a new name; members rate; the balanced ranking shows
that the largest group did not decide the top issue alone.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from roundtable.agenda import services
from roundtable.agenda.models import Cluster, PolicyIssue
from tests.agenda.conftest import add_member
from tests.browser.helpers import log_in
from tests.factories import make_personas

pytestmark = pytest.mark.django_db(transaction=True)


def propose(page, slug: str, title: str, description: str, group: str | None = None) -> None:
    page.goto(f"/p/{slug}/agenda/")
    page.get_by_role("link", name="Propose an issue").first.click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill(description)
    if group:
        page.get_by_label("Your stakeholder group").select_option(group)
    page.get_by_role("button", name="Propose this issue").click()
    expect(page.get_by_text("Thank you: your issue was proposed.")).to_be_visible()


def test_from_proposal_to_clustering_to_ranking(new_context):
    personas = make_personas()
    slug = personas.process.slug
    now = timezone.now()

    secretariat = new_context().new_page()
    log_in(secretariat, "secretariat@example.net")
    secretariat.goto(f"/p/{slug}/agenda/")
    secretariat.get_by_role("link", name="Manage the call for issues").click()
    fmt = "%Y-%m-%dT%H:%M"
    secretariat.get_by_label("Opens").fill((now - dt.timedelta(hours=1)).strftime(fmt))
    secretariat.get_by_label("Closes").fill((now - dt.timedelta(hours=2)).strftime(fmt))
    secretariat.get_by_role("button", name="Save the call").click()
    expect(secretariat.get_by_text("The call must close after it opens.")).to_be_visible()
    secretariat.get_by_label("Closes").fill((now + dt.timedelta(days=14)).strftime(fmt))
    secretariat.get_by_role("button", name="Save the call").click()
    expect(secretariat.get_by_text("The call for issues was saved.")).to_be_visible()
    expect(secretariat.locator("table")).to_contain_text("open")

    # A member of the public answers the call, in Arabic, declaring their group.
    public = new_context().new_page()
    log_in(public, "public@example.net")
    public.goto(f"/p/{slug}/agenda/")
    expect(public.get_by_text("The call for issues is open.")).to_be_visible()
    propose(
        public,
        slug,
        "بناء القدرات في البلدان النامية",
        "تدريب الخبراء على المشاركة في التفاوض",
        group="academia",
    )
    expect(public.get_by_role("heading", level=1)).to_have_attribute("dir", "auto")
    expect(public.get_by_text("stakeholder group declared by the proposer")).to_be_visible()

    member = new_context().new_page()
    log_in(member, "member@example.net")
    propose(member, slug, "Spam across borders", "Unsolicited bulk e-mail and spam laws.")
    propose(member, slug, "Spam e-mail", "Spam floods mailboxes; bulk e-mail across borders.")
    propose(
        member,
        slug,
        "Capacity building",
        "Capacity building and training for developing countries.",
    )
    propose(member, slug, "Root zone oversight", "Who authorises changes to the root zone.")
    first_spam = PolicyIssue.objects.get(title="Spam across borders")
    duplicate = PolicyIssue.objects.get(title="Spam e-mail")

    # The secretariat merges the duplicate: both proposers and texts stay visible.
    secretariat.goto(f"/p/{slug}/agenda/issues/{duplicate.pk}/")
    options = secretariat.get_by_label("Merge this issue into").locator("option")
    assert str(duplicate.pk) not in [
        options.nth(i).get_attribute("value") for i in range(options.count())
    ]
    secretariat.get_by_label("Merge this issue into").select_option(str(first_spam.pk))
    secretariat.get_by_role("button", name="Merge as a duplicate").click()
    expect(secretariat.get_by_role("heading", name="Spam across borders")).to_be_visible()
    expect(secretariat.get_by_role("heading", name="Proposed by 2 participants")).to_be_visible()
    secretariat.get_by_text(f"Proposed as #{duplicate.pk}, merged here").click()
    expect(secretariat.get_by_text("Spam floods mailboxes")).to_be_visible()

    # Suggested clusters, accepted in part with a new name.
    secretariat.get_by_role("link", name="Clusters").first.click()
    secretariat.get_by_role("link", name="Suggested clusters").click()
    secretariat.get_by_label("Number of clusters").fill("2")
    secretariat.get_by_role("button", name="Suggest clusters").click()
    expect(secretariat.get_by_text("A new clustering was suggested.")).to_be_visible()
    sections = secretariat.locator("section.suggestion")
    expect(sections).to_have_count(2)
    chosen = None
    for index in range(2):
        if sections.nth(index).get_by_role("checkbox").count() >= 2:
            chosen = sections.nth(index)
            break
    assert chosen is not None
    boxes = chosen.get_by_role("checkbox")
    total = boxes.count()
    left_out = boxes.last.get_attribute("value")
    boxes.last.uncheck()
    chosen.get_by_label("Name of the new cluster").fill("Priority issues, first pass")
    chosen.get_by_role("button", name="Accept this cluster").click()
    expect(
        secretariat.get_by_text(
            "Accepted: the chosen issues are now in “Priority issues, first pass”."
        )
    ).to_be_visible()
    expect(secretariat.get_by_text(f"Accepted: {total - 1} of {total} issues")).to_be_visible()
    cluster = Cluster.objects.get(title="Priority issues, first pass")
    assert cluster.issues.count() == total - 1
    assert PolicyIssue.objects.get(pk=int(left_out)).cluster is None

    # Members rate. Five government members (the largest group, 5 of 8) rate first;
    # then the civil-society member and two others rate in the browser.
    capacity = PolicyIssue.objects.get(title="Capacity building")
    root = PolicyIssue.objects.get(title="Root zone oversight")
    for _ in range(5):
        gov = add_member(personas.process, "government", "weog")
        services.ratings_set_many(
            actor=gov, process=personas.process, scores={root.pk: 4, capacity.pk: 0}
        )
    emails = ["member@example.net"] + [
        add_member(personas.process, group, "asia-pacific", name=name).email
        for name, group in (("Ada Academic", "academia"), ("Tess Technical", "technical-community"))
    ]
    for email in emails:
        page = member
        if email != "member@example.net":
            page = new_context().new_page()
            log_in(page, email)
        page.goto(f"/p/{slug}/agenda/priorities/")
        page.get_by_role("link", name="Rate the issues").first.click()
        page.get_by_role("group", name=f"#{capacity.pk} Capacity building").get_by_label(
            "3"
        ).check()
        page.get_by_role("group", name=f"#{root.pk} Root zone oversight").get_by_label("1").check()
        page.get_by_role("button", name="Save my ratings").click()
        expect(page.get_by_text("Your ratings were saved (2 changed, 0 removed).")).to_be_visible()

    public.goto(f"/p/{slug}/agenda/priorities/")
    expect(public.get_by_role("heading", name="8 members took part")).to_be_visible()
    notice = public.locator("p.notice")
    expect(notice).to_contain_text(
        "With every group weighing the same, Capacity building comes first."
    )
    expect(notice).to_contain_text("Counted by head, Root zone oversight would have come first.")
    first_row = public.locator("table").nth(1).locator("tbody tr").first
    expect(first_row).to_contain_text("Capacity building")
    expect(
        public.get_by_role("heading", name="Where the stakeholder groups disagree most")
    ).to_be_visible()


def test_rating_sheet_in_arabic_without_javascript(new_context):
    personas = make_personas()
    slug = personas.process.slug
    issue = services.issue_propose(
        actor=personas.member, process=personas.process, title="حياد الشبكة"
    )
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, "member@example.net")
    page.goto("/")
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.goto(f"/p/{slug}/agenda/rate/")
    expect(page.get_by_role("heading", name="تقييم القضايا", level=1)).to_be_visible()
    group = page.get_by_role("group", name=f"#{issue.pk} حياد الشبكة")
    group.get_by_label("3").check()
    page.locator("form.rating-sheet button[type=submit]").click()
    expect(page.locator("[role=status]").first).to_be_visible()
    assert issue.ratings.get().score == 3
    # The page still says which rating is saved, in the right-to-left layout.
    assert page.get_by_role("group", name=f"#{issue.pk} حياد الشبكة").get_by_label("3").is_checked()
