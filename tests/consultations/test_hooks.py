"""What this app gives other apps: search hits, dispositions annexes, paragraph sidebars,
the process menu and home panel; and the Atom feed."""

from __future__ import annotations

from types import SimpleNamespace
from xml.etree import ElementTree

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from roundtable.consultations import hooks, services
from roundtable.consultations.models import Call
from roundtable.core.hooks import collect
from tests.consultations.conftest import close_call, make_call

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def approve(personas, submission):
    services.submission_moderate(
        actor=personas.secretariat, submission=submission, decision="approve"
    )


def test_search_finds_published_text_and_never_an_anonymous_authors_name(
    personas, open_call, submit
):
    named = submit(open_call, person=personas.member, text="Blocklists help small providers.")
    anonymous = submit(
        open_call,
        person=personas.observer,
        text="Blocklists hurt small providers.",
        show_name=False,
    )
    private = submit(
        open_call, person=personas.chair, text="Blocklists, privately.", consent_to_publish=False
    )
    pending = submit(open_call, person=personas.public, text="Blocklists, pending.")
    for submission in (named, anonymous, private):
        approve(personas, submission)
    hits = hooks.search(process=personas.process, query="blocklists", person=None)
    # Other apps answer the same hook; this app's answer is one of them.
    assert hits in collect("search", process=personas.process, query="blocklists", person=None)
    assert sorted(h.title.split(" · ")[0] for h in hits) == sorted(
        [named.reference, anonymous.reference]
    )
    assert not any("Oscar" in h.title for h in hits)
    assert hooks.search(process=personas.process, query="Oscar", person=None) == []
    assert [
        h.title.split(" · ")[0]
        for h in hooks.search(process=personas.process, query="Mina", person=None)
    ] == [named.reference]
    assert pending.reference not in str(hits)
    # The process search page shows them.
    html = Client().get("/p/wgt/search/?q=blocklists").content.decode()
    assert named.reference in html and private.reference not in html


def fake_drafting_target(model: str, pk: int, call: Call) -> None:
    """Point a call at a drafting object by content type (the drafting app is built separately)."""
    content_type, _created = ContentType.objects.get_or_create(app_label="drafting", model=model)
    Call.objects.filter(pk=call.pk).update(target_type=content_type, target_id=pk)


def test_paragraph_sidebar_lists_the_calls_on_a_paragraph(personas, open_call):
    fake_drafting_target("paragraph", 7, open_call)
    draft = make_call(personas, title="A draft call", publish=False)
    fake_drafting_target("paragraph", 7, draft)
    [panels] = collect("paragraph_sidebar", paragraph=SimpleNamespace(pk=7), person=None)
    [html] = panels
    assert "Call for input on spam" in html and "A draft call" not in html
    assert hooks.paragraph_sidebar(paragraph=SimpleNamespace(pk=8), person=None) == []
    secretariat_view = hooks.paragraph_sidebar(
        paragraph=SimpleNamespace(pk=7), person=personas.secretariat
    )
    assert "A draft call" in secretariat_view[0]


def test_document_annexes_list_every_submission_with_its_disposition(personas, submit):
    call = make_call(personas)
    fake_drafting_target("document", 3, call)
    kept = submit(call, person=personas.member, text="Keep section 2.")
    spam = submit(call, person=personas.public, text="Buy now")
    approve(personas, kept)
    services.submission_moderate(
        actor=personas.secretariat, submission=spam, decision="reject", reason="spam"
    )
    services.disposition_set(
        actor=personas.secretariat, submission=kept, outcome="accepted", response="Kept."
    )
    document = SimpleNamespace(pk=3)
    # While the call is open the report is not public: only the secretariat gets an annex.
    assert hooks.document_annexes(document=document, person=None) == []
    assert len(hooks.document_annexes(document=document, person=personas.secretariat)) == 1
    close_call(call)
    [annexes] = collect("document_annexes", document=document, person=None)
    [annex] = annexes
    assert annex["title"] == "Disposition of comments: Call for input on spam"
    assert [row["Reference"] for row in annex["rows"]] == [kept.reference, spam.reference]
    assert annex["rows"][0]["Outcome"] == "accepted" and annex["rows"][0]["Response"] == "Kept."
    assert annex["rows"][1]["Comment"] == "Rejected by moderation: spam."


def test_the_menu_and_the_home_page_show_open_calls(personas, open_call):
    html = Client().get("/p/wgt/").content.decode()
    assert "Consultations" in html and "Working papers" in html
    assert "Open consultations" in html and "Call for input on spam" in html


def test_the_feed_carries_published_submissions_with_attribution(personas, submit):
    call = make_call(personas, publication="anonymous")
    shown = submit(
        call, person=personas.member, text="Visible comment", stakeholder_group="civil-society"
    )
    hidden = submit(call, person=personas.public, text="Waiting comment")
    approve(personas, shown)
    feed = ElementTree.fromstring(  # noqa: S314 - our own feed, in a test
        Client().get(f"/p/wgt/calls/{call.pk}/feed/").content
    )
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        f"{shown.reference}: A participant (Civil society)"
    ]
    assert entries[0].find(f"{ATOM}author/{ATOM}name").text == "A participant (Civil society)"
    raw = Client().get(f"/p/wgt/calls/{call.pk}/feed/").content.decode()
    assert "Mina" not in raw and "Waiting comment" not in raw and hidden.reference not in raw
    draft = make_call(personas, publish=False)
    assert Client().get(f"/p/wgt/calls/{draft.pk}/feed/").status_code == 404
