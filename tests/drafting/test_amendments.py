"""The amendment lifecycle: propose, support or oppose, accept (a credited version) or decline."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from roundtable.audit.models import AuditEntry
from roundtable.drafting import selectors, services
from roundtable.drafting.models import Amendment, Paragraph, ParagraphVersion

pytestmark = pytest.mark.django_db

NEW_DEFINITION = (
    "Internet governance is the development and application by governments, the private sector "
    "and civil society of shared principles."
)


def propose(personas, draft, **kwargs):
    values = {
        "actor": personas.member,
        "document": draft.document,
        "kind": "replace",
        "paragraph": draft.second,
        "base_version": 1,
        "text": NEW_DEFINITION,
        "rationale": "Name the stakeholders.",
    }
    values.update(kwargs)
    return services.amendment_propose(**values)


def test_accepted_amendment_is_a_new_version_crediting_its_author(
    personas, draft, mailbox, run_tasks
):
    amendment = propose(personas, draft)
    assert amendment.number == 1 and amendment.status == "open"
    assert amendment.stakeholder_group.slug == "civil-society"
    services.position_set(
        actor=draft.gov, amendment=amendment, stance="oppose", comment="Roles differ"
    )
    services.amendment_accept(actor=personas.chair, amendment=amendment, reason="Broad support")
    amendment.refresh_from_db()
    paragraph = Paragraph.objects.get(pk=draft.second.pk)
    assert amendment.status == "accepted" and amendment.decided_by == personas.chair
    assert paragraph.current_version.text == NEW_DEFINITION
    assert paragraph.current_version.amendment == amendment
    assert amendment.result_version == paragraph.current_version
    history = selectors.paragraph_history(paragraph)
    assert str(history[0].credit) == "A participant (Civil society)"
    assert history[0].amendment_number == 1
    assert AuditEntry.objects.filter(
        action="amendment.accepted", object_id=str(amendment.pk)
    ).exists()
    # The author hears of it by e-mail, in their language.
    run_tasks()
    [message] = mailbox.to("member@example.net")
    assert "Amendment 1" in message["Subject"] and "accepted" in message["Subject"]


def test_positions_one_per_member_and_not_on_ones_own(personas, draft):
    amendment = propose(personas, draft)
    services.position_set(actor=draft.gov, amendment=amendment, stance="oppose")
    services.position_set(
        actor=draft.gov, amendment=amendment, stance="support", comment="Convinced"
    )
    assert amendment.positions.get().stance == "support"
    assert selectors.positions_by_group(amendment) == [
        {"group": "Government", "support": 1, "oppose": 0}
    ]
    with pytest.raises(PermissionDenied):
        services.position_set(actor=personas.member, amendment=amendment, stance="support")
    with pytest.raises(PermissionDenied):
        services.position_set(actor=personas.chair, amendment=amendment, stance="support")
    with pytest.raises(ValidationError):
        services.position_set(actor=draft.gov, amendment=amendment, stance="maybe")
    services.position_remove(actor=draft.gov, amendment=amendment)
    assert not amendment.positions.exists()


def test_decline_needs_a_reason_and_changes_no_text(personas, draft):
    amendment = propose(personas, draft)
    with pytest.raises(ValidationError):
        services.amendment_decline(actor=personas.secretariat, amendment=amendment, reason=" ")
    services.amendment_decline(
        actor=personas.secretariat, amendment=amendment, reason="Outside the mandate."
    )
    amendment.refresh_from_db()
    assert amendment.status == "declined" and amendment.decision_reason == "Outside the mandate."
    assert Paragraph.objects.get(pk=draft.second.pk).version_number == 1


@pytest.mark.parametrize("role", ["member", "observer", "public"])
def test_only_chair_or_secretariat_decide(personas, draft, role):
    amendment = propose(personas, draft, actor=draft.gov)
    with pytest.raises(PermissionDenied):
        services.amendment_accept(actor=getattr(personas, role), amendment=amendment)


@pytest.mark.parametrize("role", ["chair", "secretariat", "observer", "public"])
def test_only_members_propose(personas, draft, role):
    with pytest.raises(PermissionDenied):
        propose(personas, draft, actor=getattr(personas, role))


def test_amendment_to_a_stale_version_is_refused(personas, draft):
    services.paragraph_edit(
        actor=personas.secretariat, paragraph=draft.second, base_version=1, text="Edited meanwhile."
    )
    with pytest.raises(services.StaleVersion) as error:
        propose(personas, draft, paragraph=Paragraph.objects.get(pk=draft.second.pk))
    assert error.value.current.number == 2
    assert not Amendment.objects.exists()


def test_accepting_a_stale_amendment_is_refused_until_revised(personas, draft):
    amendment = propose(personas, draft)
    services.position_set(actor=draft.gov, amendment=amendment, stance="support")
    services.paragraph_edit(
        actor=personas.secretariat,
        paragraph=draft.second,
        base_version=1,
        text="Internet governance is the development and application of common principles.",
    )
    versions = ParagraphVersion.objects.count()
    with pytest.raises(services.StaleVersion) as error:
        services.amendment_accept(actor=personas.chair, amendment=amendment)
    assert "{+common+}" in error.value.diff_text
    assert ParagraphVersion.objects.count() == versions
    assert Amendment.objects.get(pk=amendment.pk).status == "open"
    services.amendment_revise(
        actor=personas.member,
        amendment=amendment,
        text=NEW_DEFINITION.replace("shared", "common"),
        rationale="Rebased.",
        base_version=2,
    )
    amendment.refresh_from_db()
    assert amendment.base_version.number == 2
    assert not amendment.positions.exists()  # positions were on other words
    services.amendment_accept(actor=personas.chair, amendment=amendment)
    assert Paragraph.objects.get(pk=draft.second.pk).current_version.text.endswith(
        "common principles."
    )


def test_insert_amendment_adds_a_paragraph_where_proposed(personas, draft):
    amendment = propose(
        personas,
        draft,
        kind="insert",
        paragraph=None,
        base_version=None,
        section=draft.intro,
        after=draft.first,
        text="A new paragraph between the first two.",
    )
    services.amendment_accept(actor=personas.secretariat, amendment=amendment)
    view = selectors.document_view(draft.document)
    assert [p.version.text for p in view.sections[0].paragraphs][
        1
    ] == "A new paragraph between the first two."
    assert view.sections[0].paragraphs[1].version.amendment_id == amendment.pk


def test_delete_amendment_removes_the_paragraph_and_lapses_the_others(personas, draft):
    other = propose(personas, draft, actor=draft.gov, text="Another wording of the definition.")
    deletion = propose(personas, draft, kind="delete", text="", rationale="Redundant.")
    services.amendment_accept(actor=personas.chair, amendment=deletion)
    assert Paragraph.objects.get(pk=draft.second.pk).is_removed
    other.refresh_from_db()
    assert other.status == "declined" and other.decision_reason == "The paragraph was removed."
    assert [p.paragraph.pk for p in selectors.document_view(draft.document).paragraphs] == [
        draft.first.pk,
        draft.recommendation.pk,
    ]


def test_alternative_amendment_turns_text_into_options_with_the_author_as_sponsor(personas, draft):
    amendment = propose(
        personas,
        draft,
        kind="alternative",
        paragraph=draft.recommendation,
        text="Strengthen existing bodies instead.",
        rationale="Fewer bodies.",
    )
    services.amendment_accept(actor=personas.chair, amendment=amendment)
    view = selectors.paragraph_view(Paragraph.objects.get(pk=draft.recommendation.pk))
    assert view.status == "alternatives"
    assert [(o.label, o.text) for o in view.options] == [
        ("A", "Create a forum for multistakeholder policy dialogue."),
        ("B", "Strengthen existing bodies instead."),
    ]
    assert [str(s) for s in view.options[1].sponsors] == ["A participant (Civil society)"]
    assert view.options[1].amendment_number == amendment.number


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "<b>bold</b>"}, "text"),
        ({"text": "x" * 10_001}, "text"),
        ({"rationale": ""}, "rationale"),
        (
            {
                "text": "Internet governance is the development and application of shared principles."
            },
            "text",
        ),
        ({"kind": "rewrite"}, "kind"),
    ],
)
def test_bad_amendments_are_refused_and_nothing_is_written(personas, draft, changes, field):
    with pytest.raises(ValidationError) as error:
        propose(personas, draft, **changes)
    assert field in error.value.message_dict
    assert not Amendment.objects.exists()


def test_open_amendments_per_member_are_limited(personas, draft, settings):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "DRAFTING_MAX_OPEN_AMENDMENTS_PER_MEMBER": 1}
    propose(personas, draft)
    with pytest.raises(ValidationError):
        propose(personas, draft, text="A second wording.")
    assert Amendment.objects.count() == 1


def test_withdraw_is_for_the_author_only(personas, draft):
    amendment = propose(personas, draft)
    with pytest.raises(PermissionDenied):
        services.amendment_withdraw(actor=draft.gov, amendment=amendment)
    services.amendment_withdraw(actor=personas.member, amendment=amendment)
    assert Amendment.objects.get(pk=amendment.pk).status == "withdrawn"
    with pytest.raises(PermissionDenied):
        services.amendment_accept(
            actor=personas.chair, amendment=Amendment.objects.get(pk=amendment.pk)
        )
