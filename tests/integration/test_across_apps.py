"""The apps working together through their hooks, with real data from each.

Each app tests its own side of a hook; these tests check the joins: agenda
share fed by meetings, discussions and drafting; the process search page
fed by every app; a session agenda item about a draft document; consultation
input turned into policy issues, and the call for issues listed with the
calls for input. (A call for input on a draft paragraph is tested in
tests/drafting/test_with_consultations.py.)
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from roundtable.agenda import services as agenda
from roundtable.agenda.selectors import agenda_share_report
from roundtable.discussions import services as discussions
from roundtable.drafting import services as drafting
from roundtable.meetings import services as meetings
from roundtable.meetings.models import SessionKind
from roundtable.processes.models import AttributionRule
from tests.discussions.helpers import set_rules
from tests.factories import MembershipFactory, PersonFactory, ProcessFactory, group, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    """Two clusters with equal priority; one gets nearly all the attention."""
    process, secretariat = personas.process, personas.secretariat
    infrastructure = agenda.cluster_create(
        actor=secretariat, process=process, title="Infrastructure"
    )
    development = agenda.cluster_create(actor=secretariat, process=process, title="Development")
    root = agenda.issue_propose(actor=personas.member, process=process, title="Root zone oversight")
    capacity = agenda.issue_propose(
        actor=personas.member, process=process, title="Capacity building"
    )
    agenda.issues_assign_cluster(
        actor=secretariat, process=process, issue_ids=[root.pk], cluster=infrastructure
    )
    agenda.issues_assign_cluster(
        actor=secretariat, process=process, issue_ids=[capacity.pk], cluster=development
    )
    for issue in (root, capacity):
        agenda.rating_set(actor=personas.member, issue=issue, score=4)
    return personas, infrastructure, development, root


def test_agenda_share_sees_sessions_messages_and_paragraphs(world):
    personas, infrastructure, development, root = world
    process, secretariat = personas.process, personas.secretariat

    # Meetings: two hours on infrastructure, nothing on development.
    start = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)
    session = meetings.session_create(
        actor=secretariat,
        process=process,
        title="Second meeting",
        kind=SessionKind.CLOSED,
        start=start,
        end=start + dt.timedelta(hours=3),
        time_zone="Europe/Zurich",
        room_name="Room XVII",
    )
    meetings.agenda_item_add(
        actor=secretariat,
        session=session,
        title="Oversight",
        policy_issue=root.pk,
        planned_minutes=120,
    )
    # Discussions: three messages on infrastructure.
    set_rules(process)
    thread = discussions.thread_create(
        actor=secretariat,
        process=process,
        title="Root zone",
        body="Opening.",
        cluster=infrastructure,
    )
    for body in ("First view.", "Second view."):
        discussions.message_post(actor=personas.member, thread=thread, body=body)
    # Drafting: two paragraphs in a section on infrastructure.
    document = drafting.document_create(actor=secretariat, process=process, title="Report")
    section = drafting.section_create(actor=secretariat, document=document, title="Oversight")
    drafting.section_update(
        actor=secretariat, section=section, title="Oversight", cluster=infrastructure
    )
    first = drafting.paragraph_create(
        actor=secretariat, section=section, text="The root zone is managed well."
    )
    drafting.paragraph_create(
        actor=secretariat, section=section, text="Oversight should evolve.", after=first
    )

    view = agenda_share_report(process=process)
    report = view.report
    assert view.answered >= 3
    assert set(report.kinds) == {"agenda_minutes", "messages", "paragraphs"}
    rows = {row.cluster: row for row in report.rows}
    assert rows[infrastructure.pk].attention == {
        "agenda_minutes": 120.0,
        "messages": 3.0,
        "paragraphs": 2.0,
    }
    assert rows[development.pk].attention == {
        "agenda_minutes": 0.0,
        "messages": 0.0,
        "paragraphs": 0.0,
    }
    assert rows[infrastructure.pk].priority_share == pytest.approx(0.5)
    assert "overall" in rows[infrastructure.pk].dominant_in
    assert rows[development.pk].crowded_out

    client = Client()
    client.force_login(personas.member)
    page = client.get(f"/p/{process.slug}/agenda/share/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Infrastructure" in html and "Development" in html
    assert "No data yet" not in html


def test_process_search_gathers_every_app_and_names_no_chatham_house_speaker(world):
    personas = world[0]
    process, secretariat = personas.process, personas.secretariat
    process.default_attribution = AttributionRule.CHATHAM_HOUSE
    process.save()
    # A distinctive word in each app's content.
    set_rules(process, archive="public", attribution=AttributionRule.CHATHAM_HOUSE)
    discussions.thread_create(
        actor=personas.member,
        process=process,
        title="Zanzibar routing",
        body="Zanzibar peering matters.",
    )
    document = drafting.document_create(
        actor=secretariat, process=process, title="Zanzibar report", visibility="process"
    )
    section = drafting.section_create(
        actor=secretariat, document=document, title="Zanzibar section"
    )
    drafting.paragraph_create(actor=secretariat, section=section, text="Zanzibar exchange points.")
    start = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)
    meetings.session_create(
        actor=secretariat,
        process=process,
        title="Zanzibar plenary",
        kind=SessionKind.PLENARY,
        start=start,
        end=start + dt.timedelta(hours=2),
        time_zone="UTC",
        room_name="Room I",
    )
    agenda.issue_propose(actor=personas.member, process=process, title="Zanzibar connectivity")

    client = Client()
    client.force_login(personas.member)
    html = client.get(f"/p/{process.slug}/search/", {"q": "zanzibar"}).content.decode()
    for kind in ("Session", "Draft document", "Policy issue"):
        assert kind in html, kind
    assert "Zanzibar connectivity" in html and "Zanzibar routing" in html
    # The public sees what is public, and no name under the Chatham House Rule.
    public_html = Client().get(f"/p/{process.slug}/search/", {"q": "zanzibar"}).content.decode()
    assert "Zanzibar" in public_html
    assert "Mina Member" not in public_html and "Open Networks Trust" not in public_html


def test_session_agenda_item_links_to_a_draft_document(world):
    personas, *_ = world
    process, secretariat = personas.process, personas.secretariat
    document = drafting.document_create(actor=secretariat, process=process, title="Draft report")
    start = (timezone.now() + dt.timedelta(days=5)).replace(microsecond=0)
    session = meetings.session_create(
        actor=secretariat,
        process=process,
        title="Reading of the draft",
        kind=SessionKind.CLOSED,
        start=start,
        end=start + dt.timedelta(hours=2),
        time_zone="UTC",
        room_name="Room II",
    )
    # A bare id is not a document reference: a clear error, not a crash.
    with pytest.raises(ValidationError, match="does not exist"):
        meetings.agenda_item_add(
            actor=secretariat, session=session, title="First reading", document=document.pk
        )
    item = meetings.agenda_item_add(
        actor=secretariat, session=session, title="First reading", document=document
    )
    assert item.document == document
    client = Client()
    client.force_login(personas.member)
    html = client.get(session.get_absolute_url()).content.decode()
    assert document.get_absolute_url() in html


def test_member_added_to_a_process_shows_up_in_every_apps_balance(personas):
    """One membership record feeds every app's stakeholder view."""
    person = PersonFactory(name="Tariq Technical")
    MembershipFactory(
        person=person,
        process=personas.process,
        stakeholder_group=group("technical-community"),
        region=region("weog"),
    )
    body = Client().get(f"/api/processes/{personas.process.slug}/balance").json()
    assert {"stakeholder_group": "technical-community", "region": "weog", "count": 1} in body[
        "cells"
    ]


def test_a_draft_document_lists_its_discussions_and_starts_one(world):
    personas = world[0]
    process, secretariat = personas.process, personas.secretariat
    set_rules(process)
    document = drafting.document_create(actor=secretariat, process=process, title="Draft report")
    client = Client()
    client.force_login(personas.member)
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Nobody has started a discussion about this document yet." in page
    start = f"/p/{process.slug}/discussions/new/?about=drafting.document:{document.pk}"
    assert start.replace("&", "&amp;") in page
    response = client.post(start, {"title": "Is the definition too narrow?", "body": "I think so."})
    assert response.status_code == 302
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Is the definition too narrow?" in page
    # Outside the process's participants (members-only archive), nothing is shown.
    outsider = Client()
    outsider.force_login(personas.public)
    assert (
        "Is the definition too narrow?"
        not in outsider.get(document.get_absolute_url()).content.decode()
    )


# --- Consultation input becomes policy issues ------------------------------------------


def open_call_for_issues(personas) -> None:
    now = timezone.now()
    agenda.call_set(
        actor=personas.secretariat,
        process=personas.process,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=2),
    )


@pytest.fixture
def consultation(personas, settings, tmp_path):
    """A call for input with a published anonymous submission, a published named
    one with answers, and one still waiting for moderation."""
    from roundtable.consultations import services as consultations
    from tests.consultations.conftest import make_call

    settings.MEDIA_ROOT = tmp_path / "media"
    call = make_call(personas, title="Call for input on spam")
    question = call.questions.get()

    def submit(text: str, **fields):
        submission, _secret, _new = consultations.submission_create(
            call=call,
            author=personas.public,
            name="Pat Public",
            text=text,
            language="fr",
            stakeholder_group="civil-society",
            ip="10.0.0.9",
            **fields,
        )
        return submission

    anonymous = submit(
        "Le spam coûte cher aux petits fournisseurs.\n\nIl faut une coopération "
        "internationale entre les autorités.",
        show_name=False,
    )
    named = submit("Spam and phishing", answers={question.pk: "Filter at the source."})
    pending = submit("A secret plan that nobody approved yet.")
    for submission in (anonymous, named):
        consultations.submission_moderate(
            actor=personas.secretariat, submission=submission, decision="approve"
        )
        submission.refresh_from_db()
    return call, anonymous, named, pending


def test_a_published_submission_becomes_a_policy_issue_with_its_receipt_as_reference(
    personas, consultation
):
    _call, anonymous, named, _pending = consultation
    client = Client()
    client.force_login(personas.secretariat)
    page = client.get(anonymous.get_absolute_url()).content.decode()
    link = f"/p/{personas.process.slug}/agenda/propose/?source=submission%3A{anonymous.pk}"
    assert f'href="{link}"' in page
    assert "Propose as a policy issue" in page

    form = client.get(link).content.decode()
    assert "Le spam coûte cher aux petits fournisseurs." in form
    receipt = f"[{anonymous.reference}](http://testserver{anonymous.get_absolute_url()})"
    assert f"Submission {receipt} to the call “Call for input on spam”" in form
    assert "Pat Public" not in form  # published without the name: the issue cites the receipt

    response = client.post(
        link,
        {
            "title": "Spam and small providers",
            "description": "Le spam coûte cher aux petits fournisseurs.",
            "references": f"Submission {anonymous.reference}: {anonymous.get_absolute_url()}",
            "language": "fr",
        },
    )
    assert response.status_code == 302
    issue = personas.process.policy_issues.get(title="Spam and small providers")
    assert anonymous.reference in issue.references
    issue_page = client.get(response["Location"]).content.decode()
    assert anonymous.get_absolute_url() in issue_page

    # Answers to the call's questions come along with their question.
    form = Client()
    form.force_login(personas.member)
    filled = form.get(f"{link.rsplit('%3A', 1)[0]}%3A{named.pk}").content.decode()
    assert "What should providers do?" in filled
    assert "Filter at the source." in filled


def test_nothing_unpublished_or_foreign_fills_an_issue(personas, consultation):
    _call, anonymous, _named, pending = consultation
    client = Client()
    client.force_login(personas.secretariat)
    page = client.get(pending.get_absolute_url()).content.decode()
    assert "Propose as a policy issue" not in page
    base = f"/p/{personas.process.slug}/agenda/propose/?source="
    for source in (f"submission:{pending.pk}", "submission:999999", "submission:x", "paper:1"):
        form = client.get(base + source).content.decode()
        assert "A secret plan" not in form
        assert 'name="title" value=' not in form, source
    other = ProcessFactory(name="Another group", slug="other")
    MembershipFactory(person=personas.secretariat, process=other, role="secretariat")
    form = client.get(f"/p/other/agenda/propose/?source=submission:{anonymous.pk}").content.decode()
    assert "petits fournisseurs" not in form


def test_who_sees_the_link_is_who_may_propose_an_issue(personas, consultation):
    _call, anonymous, _named, _pending = consultation
    url = anonymous.get_absolute_url()
    seen = {}
    for role in ("chair", "secretariat", "member", "observer", "public", "anonymous"):
        client = Client()
        if role != "anonymous":
            client.force_login(getattr(personas, role))
        seen[role] = "Propose as a policy issue" in client.get(url).content.decode()
    # Members, the chair and the secretariat propose at any time; observers and
    # the public only while a call for issues is open (none is).
    assert seen == {
        "chair": True,
        "secretariat": True,
        "member": True,
        "observer": False,
        "public": False,
        "anonymous": False,
    }
    open_call_for_issues(personas)
    client = Client()
    client.force_login(personas.public)
    assert "Propose as a policy issue" in client.get(url).content.decode()


def test_the_open_call_for_issues_is_listed_with_the_calls_for_input(personas, consultation):
    listing = f"/p/{personas.process.slug}/calls/"
    assert "Call for issues" not in Client().get(listing).content.decode()
    open_call_for_issues(personas)
    page = Client().get(listing).content.decode()
    assert "Call for issues" in page
    assert f'href="/p/{personas.process.slug}/agenda/"' in page
    assert "Call for input on spam" in page


def test_the_api_gives_the_same_draft_and_the_issue_is_proposed_from_it(personas, consultation):
    from roundtable.people.services import api_token_create

    _call, anonymous, _named, pending = consultation
    _token, secret = api_token_create(person=personas.member, label="test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    base = f"/api/processes/{personas.process.slug}/agenda"

    draft = client.get(f"{base}/issue-draft", {"source": f"submission:{anonymous.pk}"})
    assert draft.status_code == 200
    texts = draft.json()
    assert texts["language"] == "fr"
    assert texts["description"].startswith("Le spam coûte cher aux petits fournisseurs.")
    assert anonymous.reference in texts["references"]
    assert "Pat Public" not in draft.content.decode()

    for source in (f"submission:{pending.pk}", "submission:0", "nothing"):
        refused = client.get(f"{base}/issue-draft", {"source": source})
        assert refused.status_code == 404, source
        assert refused.json()["message"] == "Nothing to propose an issue from was found."
        assert "secret plan" not in refused.content.decode()

    created = client.post(
        f"{base}/issues",
        {**texts, "title": "Spam and small providers"},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert anonymous.reference in created.json()["references"]
