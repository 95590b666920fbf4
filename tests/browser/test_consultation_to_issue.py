"""In Chromium: public input in a call for input becomes a policy issue.

A member of the public's comment is published without their name; the
secretariat opens it, proposes it as a policy issue (the form comes filled in
with the comment and its receipt), and the issue cites the receipt, which
leads back to the comment. While a call for issues is open, the consultations
page lists it beside the calls for input.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from roundtable.agenda import services as agenda
from roundtable.consultations import services as consultations
from roundtable.consultations.models import Call
from tests.browser.helpers import log_in
from tests.factories import make_personas

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_public_comment_becomes_a_policy_issue(new_context, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url  # the receipt link the issue cites
    personas = make_personas()
    slug = personas.process.slug
    now = timezone.now()
    call = consultations.call_create(
        actor=personas.secretariat,
        process=personas.process,
        title="Call for input on spam",
        description="Tell us how spam affects you.",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
        time_zone="Europe/Zurich",
        languages=["en", "fr"],
        publication="author_choice",
        moderation_rules="No spam.",
        questions=[],
        publish=True,
    )
    submission, _secret, _new = consultations.submission_create(
        call=Call.objects.get(pk=call.pk),
        author=personas.public,
        name=personas.public.name,
        text="Spam costs small providers dearly.\n\nAuthorities should cooperate across borders.",
        language="en",
        stakeholder_group="civil-society",
        show_name=False,
        ip="10.0.0.7",
    )
    consultations.submission_moderate(
        actor=personas.secretariat, submission=submission, decision="approve"
    )
    submission.refresh_from_db()
    agenda.call_set(
        actor=personas.secretariat,
        process=personas.process,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=3),
    )

    visitor = new_context().new_page()
    visitor.goto(f"/p/{slug}/calls/")
    visitor.get_by_role("link", name="Call for issues").click()
    expect(visitor).to_have_url(f"{visitor.url.split('/p/')[0]}/p/{slug}/agenda/")

    page = new_context().new_page()
    log_in(page, "secretariat@example.net")
    page.goto(submission.get_absolute_url())
    page.get_by_role("link", name="Propose as a policy issue").click()
    expect(page.get_by_label("Description")).to_have_value(
        "Spam costs small providers dearly.\n\nAuthorities should cooperate across borders."
    )
    expect(page.get_by_label("Supporting references")).to_contain_text(submission.reference)
    expect(page.get_by_label("Title")).to_have_value("Spam costs small providers dearly.")
    page.get_by_label("Title").fill("Spam and small providers")
    page.get_by_role("button", name="Propose this issue").click()
    expect(page.get_by_text("Thank you: your issue was proposed.")).to_be_visible()
    expect(page.get_by_role("heading", name="Spam and small providers")).to_be_visible()
    expect(page.get_by_text(personas.public.name)).to_have_count(0)
    page.get_by_role("link", name=submission.reference).click()
    expect(page.get_by_role("heading", name=submission.reference)).to_be_visible()
