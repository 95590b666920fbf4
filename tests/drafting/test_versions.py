"""Every change makes a version; history, diffs, revisions and optimistic locking."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from roundtable.audit.models import AuditEntry
from roundtable.drafting import selectors, services
from roundtable.drafting.models import Paragraph, ParagraphVersion

pytestmark = pytest.mark.django_db


def test_each_edit_is_a_new_version_with_who_when_and_why(personas, draft):
    paragraph = draft.first
    services.paragraph_edit(
        actor=personas.secretariat,
        paragraph=paragraph,
        base_version=1,
        text="The group met five times in Geneva and held open consultations.",
        reason="A fifth meeting was added.",
    )
    paragraph.refresh_from_db()
    assert paragraph.version_number == 2
    versions = list(paragraph.versions.order_by("number"))
    assert [v.text for v in versions] == [
        "The group met four times in Geneva and held open consultations.",
        "The group met five times in Geneva and held open consultations.",
    ]
    assert versions[1].author == personas.secretariat
    assert versions[1].reason == "A fifth meeting was added."
    assert versions[1].document_revision > versions[0].document_revision
    history = selectors.paragraph_history(paragraph)
    assert [item.version.number for item in history] == [2, 1]
    assert AuditEntry.objects.filter(
        action="paragraph.edited", object_id=str(paragraph.pk)
    ).exists()


def test_stale_edit_is_refused_with_the_diff_and_writes_nothing(personas, draft):
    paragraph = draft.second
    services.paragraph_edit(
        actor=personas.secretariat,
        paragraph=paragraph,
        base_version=1,
        text="Internet governance is the development and application of common principles.",
    )
    before = ParagraphVersion.objects.count()
    revision = draft.document.revisions.count()
    with pytest.raises(services.StaleVersion) as error:
        services.paragraph_edit(
            actor=personas.secretariat,
            paragraph=Paragraph.objects.get(pk=paragraph.pk),
            base_version=1,
            text="Something written against version 1.",
        )
    assert error.value.current.number == 2
    assert error.value.base.number == 1
    assert "[-shared-]{+common+}" in error.value.diff_text
    assert "<del>" in error.value.diff_html and "<ins>" in error.value.diff_html
    assert "changed while you were working" in error.value.messages[0]
    assert ParagraphVersion.objects.count() == before
    assert draft.document.revisions.count() == revision


@pytest.mark.parametrize(
    "text",
    ["", "   ", "<p>html</p>", "an [open bracket", "x" * 10_001],
)
def test_bad_text_changes_nothing(personas, draft, text):
    before = (ParagraphVersion.objects.count(), draft.document.revisions.count())
    with pytest.raises(ValidationError):
        services.paragraph_edit(
            actor=personas.secretariat, paragraph=draft.first, base_version=1, text=text
        )
    with pytest.raises(ValidationError):
        services.paragraph_create(actor=personas.secretariat, section=draft.intro, text=text)
    assert (ParagraphVersion.objects.count(), draft.document.revisions.count()) == before


@pytest.mark.parametrize("role", ["chair", "member", "observer", "public"])
def test_only_the_secretariat_edits_directly(personas, draft, role):
    with pytest.raises(PermissionDenied):
        services.paragraph_edit(
            actor=getattr(personas, role), paragraph=draft.first, base_version=1, text="New text."
        )


def test_editing_agreed_text_reopens_it(personas, draft):
    services.consensus_call(
        actor=personas.chair, document=draft.document, paragraph=draft.first, finding="consensus"
    )
    paragraph = Paragraph.objects.get(pk=draft.first.pk)
    assert paragraph.status == "agreed"
    services.paragraph_edit(
        actor=personas.secretariat,
        paragraph=paragraph,
        base_version=paragraph.version_number,
        text="The group met four times.",
    )
    paragraph.refresh_from_db()
    assert paragraph.status == "open"


def test_document_at_an_earlier_revision(personas, draft):
    revision = draft.document.revisions.first().number  # the latest, before the changes below
    services.paragraph_edit(
        actor=personas.secretariat, paragraph=draft.first, base_version=1, text="Changed later."
    )
    services.paragraph_remove(
        actor=personas.secretariat, paragraph=draft.second, base_version=1, reason="Duplicate."
    )
    services.paragraph_create(actor=personas.secretariat, section=draft.intro, text="Added later.")
    draft.document.refresh_from_db()
    then = selectors.document_view(draft.document, revision=revision)
    now = selectors.document_view(draft.document)
    texts = lambda view: [p.version.text for p in view.paragraphs]  # noqa: E731
    assert texts(then) == [
        "The group met four times in Geneva and held open consultations.",
        "Internet governance is the development and application of shared principles.",
        "Create a forum for multistakeholder policy dialogue.",
    ]
    assert texts(now) == [
        "Changed later.",
        "Added later.",
        "Create a forum for multistakeholder policy dialogue.",
    ]
    assert not then.is_current and now.is_current
    assert [p.number for p in now.paragraphs] == [1, 2, 3]
    assert now.paragraphs[2].recommendation_number == 1


def test_paragraphs_are_placed_where_asked(personas, draft):
    start = services.paragraph_create(
        actor=personas.secretariat, section=draft.intro, text="At the start.", at_start=True
    )
    middle = services.paragraph_create(
        actor=personas.secretariat, section=draft.intro, text="In the middle.", after=draft.first
    )
    end = services.paragraph_create(
        actor=personas.secretariat, section=draft.intro, text="At the end."
    )
    numbers = selectors.paragraph_numbers(draft.document)
    order = sorted([start, draft.first, middle, draft.second, end], key=lambda p: numbers[p.pk])
    assert [p.pk for p in order] == [start.pk, draft.first.pk, middle.pk, draft.second.pk, end.pk]


def test_counts_per_section_show_distance_from_agreement(personas, draft):
    services.brackets_request(actor=personas.member, paragraph=draft.first, reason="Check")
    services.alternatives_set(
        actor=personas.secretariat,
        paragraph=draft.recommendation,
        base_version=1,
        lead="",
        options=["Create a forum.", "Strengthen existing bodies.", "Do nothing new."],
    )
    view = selectors.document_view(draft.document)
    intro, oversight = view.sections
    assert intro.counts["bracketed"] == 1 and intro.counts["alternatives"] == 0
    assert oversight.counts["alternatives"] == 1 and oversight.counts["options"] == 3
    assert view.totals["paragraphs"] == 3 and view.totals["agreed"] == 0


def test_alternatives_keep_sponsors_with_their_label(personas, draft):
    services.alternatives_set(
        actor=personas.secretariat,
        paragraph=draft.recommendation,
        base_version=1,
        lead="Two options:",
        options=["Create a forum.", "Strengthen existing bodies."],
    )
    services.alternative_sponsor(
        actor=personas.member,
        paragraph=Paragraph.objects.get(pk=draft.recommendation.pk),
        label="B",
    )
    services.alternative_sponsor(
        actor=draft.gov, paragraph=Paragraph.objects.get(pk=draft.recommendation.pk), label="A"
    )
    paragraph = Paragraph.objects.get(pk=draft.recommendation.pk)
    services.alternatives_set(
        actor=personas.secretariat,
        paragraph=paragraph,
        base_version=paragraph.version_number,
        lead="Two options:",
        options=["Create a forum for dialogue.", "Strengthen existing bodies."],
    )
    view = selectors.paragraph_view(Paragraph.objects.get(pk=draft.recommendation.pk))
    assert [(o.label, [s.stakeholder_group for s in o.sponsors]) for o in view.options] == [
        ("A", ["Government"]),
        ("B", ["Civil society"]),
    ]
    # A member sponsors one option at most: moving to A leaves B.
    services.alternative_sponsor(
        actor=personas.member,
        paragraph=Paragraph.objects.get(pk=draft.recommendation.pk),
        label="A",
    )
    view = selectors.paragraph_view(Paragraph.objects.get(pk=draft.recommendation.pk))
    assert [len(o.sponsors) for o in view.options] == [2, 0]


def test_one_option_alone_is_refused(personas, draft):
    with pytest.raises(ValidationError) as error:
        services.alternatives_set(
            actor=personas.secretariat,
            paragraph=draft.recommendation,
            base_version=1,
            lead="",
            options=["Only one."],
        )
    assert "at least two options" in error.value.messages[0]


def test_brackets_record_who_asked_and_lift_when_all_withdraw(personas, draft):
    services.brackets_request(actor=personas.member, paragraph=draft.first, reason="Not four")
    services.brackets_request(actor=draft.gov, paragraph=Paragraph.objects.get(pk=draft.first.pk))
    view = selectors.paragraph_view(Paragraph.objects.get(pk=draft.first.pk))
    assert view.status == "bracketed"
    assert [(str(who), reason) for who, reason in view.brackets] == [
        ("A participant (Civil society)", "Not four"),
        ("A participant (Government)", ""),
    ]
    with pytest.raises(ValidationError):
        services.brackets_request(
            actor=personas.member, paragraph=Paragraph.objects.get(pk=draft.first.pk)
        )
    services.brackets_withdraw(
        actor=personas.member, paragraph=Paragraph.objects.get(pk=draft.first.pk)
    )
    assert Paragraph.objects.get(pk=draft.first.pk).status == "bracketed"
    services.brackets_withdraw(actor=draft.gov, paragraph=Paragraph.objects.get(pk=draft.first.pk))
    assert Paragraph.objects.get(pk=draft.first.pk).status == "open"


def test_comments_name_their_author_through_attribution(personas, draft):
    comment = services.comment_create(actor=personas.member, paragraph=draft.first, text="Four?")
    namer = selectors.Namer(personas.process)
    assert str(namer.person(comment.author_id)) == "A participant (Civil society)"
    with pytest.raises(PermissionDenied):
        services.comment_create(actor=personas.observer, paragraph=draft.first, text="Hi")
    with pytest.raises(PermissionDenied):
        services.comment_delete(actor=draft.gov, comment=comment)
    services.comment_delete(actor=personas.secretariat, comment=comment)
    assert not draft.first.comments.exists()
