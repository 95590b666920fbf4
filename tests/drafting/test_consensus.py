"""Consensus calls by role, findings, ad referendum, minority statements, finality, silence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from roundtable.audit.models import AuditEntry
from roundtable.core.periodic import run_due_jobs
from roundtable.drafting import selectors, services
from roundtable.drafting.models import (
    ConsensusCall,
    Document,
    Paragraph,
    SilenceProcedure,
)
from roundtable.processes.models import AttributionRule

pytestmark = pytest.mark.django_db


def fresh(paragraph):
    return Paragraph.objects.select_related("current_version").get(pk=paragraph.pk)


@pytest.mark.parametrize("role", ["secretariat", "member", "observer", "public", "anonymous"])
def test_only_the_chair_calls_consensus(personas, draft, role):
    with pytest.raises(PermissionDenied) as error:
        services.consensus_call(
            actor=getattr(personas, role),
            document=draft.document,
            paragraph=draft.first,
            finding="consensus",
        )
    assert "Only the chair" in str(error.value)
    assert not ConsensusCall.objects.exists()
    assert fresh(draft.first).status == "open"


def test_consensus_agrees_the_text_and_is_audited(personas, draft):
    services.brackets_request(actor=personas.member, paragraph=draft.first)
    call = services.consensus_call(
        actor=personas.chair, document=draft.document, paragraph=draft.first, finding="consensus"
    )
    paragraph = fresh(draft.first)
    assert paragraph.status == "agreed" and paragraph.current_version.brackets == []
    entry = AuditEntry.objects.get(action="consensus_call.recorded", object_id=str(call.pk))
    assert entry.actor == personas.chair and entry.data["finding"] == "consensus"


def test_rough_consensus_records_objections_by_stakeholder_group(personas, draft):
    with pytest.raises(ValidationError) as error:
        services.consensus_call(
            actor=personas.chair,
            document=draft.document,
            paragraph=draft.second,
            finding="rough_consensus",
        )
    assert "objections" in error.value.message_dict
    call = services.consensus_call(
        actor=personas.chair,
        document=draft.document,
        paragraph=draft.second,
        finding="rough_consensus",
        objections=[(draft.gov_membership, "Sovereignty is missing.")],
    )
    objection = call.objections.get()
    assert objection.stakeholder_group.slug == "government"
    assert fresh(draft.second).status == "agreed"
    entry = AuditEntry.objects.get(action="consensus_call.recorded")
    assert entry.data["objections_by_group"] == {"government": 1}
    # Named through the attribution rule: Chatham House shows only the group...
    namer = selectors.Namer(personas.process)
    [(who, reason)] = selectors.objections_named(call, namer)
    assert str(who) == "A participant (Government)" and who.name is None
    assert reason == "Sovereignty is missing."
    # ...and an attributed process shows the name.
    personas.process.default_attribution = AttributionRule.ATTRIBUTED
    personas.process.save()
    [(who, _reason)] = selectors.objections_named(call, selectors.Namer(personas.process))
    assert who.name == "Gita Government"


def test_objections_must_come_from_members_of_the_process(personas, draft):
    with pytest.raises(ValidationError):
        services.consensus_call(
            actor=personas.chair,
            document=draft.document,
            paragraph=draft.second,
            finding="rough_consensus",
            objections=[(personas.memberships.observer, "")],
        )


def test_no_consensus_keeps_divergence_in_the_text_with_a_note(personas, draft):
    with pytest.raises(ValidationError) as error:
        services.consensus_call(
            actor=personas.chair,
            document=draft.document,
            paragraph=draft.first,
            finding="no_consensus",
        )
    assert "note" in error.value.message_dict
    services.consensus_call(
        actor=personas.chair,
        document=draft.document,
        paragraph=draft.first,
        finding="no_consensus",
        note="Members differ on the number of meetings.",
    )
    version = fresh(draft.first).current_version
    assert version.status == "bracketed" and version.divergence_recorded
    assert version.note == "Members differ on the number of meetings."


def test_consensus_on_alternatives_names_the_option_adopted(personas, draft):
    services.alternatives_set(
        actor=personas.secretariat,
        paragraph=draft.recommendation,
        base_version=1,
        lead="",
        options=["Create a forum.", "Strengthen existing bodies."],
    )
    with pytest.raises(ValidationError) as error:
        services.consensus_call(
            actor=personas.chair,
            document=draft.document,
            paragraph=fresh(draft.recommendation),
            finding="consensus",
        )
    assert "adopted_option" in error.value.message_dict
    services.consensus_call(
        actor=personas.chair,
        document=draft.document,
        paragraph=fresh(draft.recommendation),
        finding="consensus",
        adopted_option="b",
    )
    version = fresh(draft.recommendation).current_version
    assert (version.status, version.text, version.alternatives) == (
        "agreed",
        "Strengthen existing bodies.",
        [],
    )


def test_section_call_agrees_every_paragraph_once(personas, draft):
    services.consensus_call(
        actor=personas.chair, document=draft.document, paragraph=draft.first, finding="consensus"
    )
    services.consensus_call(
        actor=personas.chair, document=draft.document, section=draft.intro, finding="consensus"
    )
    assert fresh(draft.first).version_number == 2  # already agreed: no new version
    assert fresh(draft.second).status == "agreed"


def test_ad_referendum_until_every_named_member_confirms(personas, draft):
    services.consensus_call(
        actor=personas.chair,
        document=draft.document,
        paragraph=draft.first,
        finding="consensus",
        ad_referendum=[personas.memberships.member, draft.gov_membership],
    )
    assert fresh(draft.first).status == "ad_referendum"
    with pytest.raises(PermissionDenied):
        services.ad_referendum_confirm(actor=personas.secretariat, paragraph=fresh(draft.first))
    services.ad_referendum_confirm(actor=personas.member, paragraph=fresh(draft.first))
    assert fresh(draft.first).status == "ad_referendum"
    with pytest.raises(PermissionDenied):  # once only
        services.ad_referendum_confirm(actor=personas.member, paragraph=fresh(draft.first))
    services.ad_referendum_confirm(actor=draft.gov, paragraph=fresh(draft.first))
    assert fresh(draft.first).status == "agreed"


def test_minority_statement_on_a_section(personas, draft):
    statement = services.minority_statement_create(
        actor=personas.member, section=draft.oversight, title="Dissent", text="We regret it."
    )
    services.minority_statement_join(actor=draft.gov, statement=statement)
    with pytest.raises(PermissionDenied):
        services.minority_statement_join(actor=personas.member, statement=statement)
    with pytest.raises(PermissionDenied):
        services.minority_statement_create(
            actor=personas.chair, section=draft.oversight, title="No", text="Chair does not."
        )
    view = selectors.document_view(draft.document)
    [item] = view.sections[1].statements
    assert str(item.author) == "A participant (Civil society)"
    assert [str(s) for s in item.supporters] == ["A participant (Government)"]
    services.minority_statement_withdraw(actor=personas.member, statement=statement)
    assert selectors.document_view(draft.document).sections[1].statements == []


def test_final_only_when_everything_is_agreed_or_divergence_recorded(personas, draft):
    with pytest.raises(PermissionDenied):
        services.document_mark_final(actor=personas.secretariat, document=draft.document)
    with pytest.raises(ValidationError) as error:
        services.document_mark_final(actor=personas.chair, document=draft.document)
    assert "1, 2, 3" in error.value.messages[0]
    services.consensus_call(
        actor=personas.chair, document=draft.document, section=draft.intro, finding="consensus"
    )
    services.consensus_call(
        actor=personas.chair,
        document=draft.document,
        paragraph=draft.recommendation,
        finding="no_consensus",
        note="Views differ.",
    )
    document = services.document_mark_final(actor=personas.chair, document=draft.document)
    assert document.is_final and document.final_revision == document.revision
    # Nothing changes a final document.
    with pytest.raises(PermissionDenied):
        services.paragraph_edit(
            actor=personas.secretariat, paragraph=fresh(draft.first), base_version=2, text="New."
        )
    services.document_reopen(actor=personas.chair, document=document, reason="Late correction.")
    assert not Document.objects.get(pk=document.pk).is_final
    assert AuditEntry.objects.filter(action="document.reopened").exists()


# --- Silence procedures ------------------------------------------------------------------------


def start(personas, draft, **kwargs):
    values = {
        "actor": personas.chair,
        "document": draft.document,
        "paragraph": draft.first,
        "deadline": timezone.now() + dt.timedelta(days=3),
        "message": "No objection heard in the room.",
    }
    values.update(kwargs)
    return services.silence_start(**values)


def test_silence_procedure_notifies_members(personas, draft, mailbox, run_tasks):
    procedure = start(personas, draft)
    run_tasks()
    recipients = sorted(str(m["To"]) for m in mailbox.messages)
    assert recipients == ["gov@example.net", "member@example.net"]
    assert "Silence procedure" in mailbox.messages[0]["Subject"]
    assert f"/silence/{procedure.pk}/" in mailbox.text(mailbox.messages[0])


@pytest.mark.parametrize("role", ["secretariat", "member", "observer", "public"])
def test_only_the_chair_starts_silence(personas, draft, role):
    with pytest.raises(PermissionDenied):
        start(personas, draft, actor=getattr(personas, role))


@pytest.mark.parametrize("hours", [1, 24 * 90])
def test_silence_deadline_within_limits(personas, draft, hours):
    with pytest.raises(ValidationError) as error:
        start(personas, draft, deadline=timezone.now() + dt.timedelta(hours=hours))
    assert "deadline" in error.value.message_dict
    assert not SilenceProcedure.objects.exists()


def test_silence_ends_in_agreement_once_even_if_run_twice(personas, draft):
    procedure = start(personas, draft)
    later = timezone.now() + dt.timedelta(days=4)
    assert services.silence_close_due(now=later) == [procedure.pk]
    assert services.silence_close_due(now=later) == []
    paragraph = fresh(draft.first)
    assert paragraph.status == "agreed"
    assert (
        paragraph.current_version.change == "silence" and paragraph.current_version.author is None
    )
    assert paragraph.version_number == 2
    entry = AuditEntry.objects.get(action="silence.agreed")
    assert entry.actor is None and entry.data["agreed"] == [paragraph.pk]


def test_periodic_job_closes_due_procedures(personas, draft):
    procedure = start(personas, draft)
    SilenceProcedure.objects.filter(pk=procedure.pk).update(
        deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    assert "drafting.silence_deadlines" in run_due_jobs(
        force=True, only={"drafting.silence_deadlines"}
    )
    assert SilenceProcedure.objects.get(pk=procedure.pk).status == "agreed"


def test_an_objection_breaks_the_silence_and_is_audited(personas, draft):
    procedure = start(personas, draft)
    with pytest.raises(PermissionDenied):
        services.silence_object(actor=personas.observer, procedure=procedure, reason="No")
    with pytest.raises(ValidationError):
        services.silence_object(actor=draft.gov, procedure=procedure, reason="")
    services.silence_object(actor=draft.gov, procedure=procedure, reason="Capital disagrees.")
    procedure.refresh_from_db()
    assert procedure.status == "broken"
    assert services.silence_close_due(now=timezone.now() + dt.timedelta(days=4)) == []
    assert fresh(draft.first).status == "open"
    entry = AuditEntry.objects.get(action="silence.broken")
    assert entry.data["stakeholder_group"] == "government"


def test_text_under_silence_cannot_change(personas, draft):
    start(personas, draft)
    with pytest.raises(ValidationError) as error:
        services.paragraph_edit(
            actor=personas.secretariat, paragraph=draft.first, base_version=1, text="Changed."
        )
    assert "silence procedure" in error.value.messages[0]
    with pytest.raises(ValidationError):
        services.brackets_request(actor=personas.member, paragraph=draft.first)
    with pytest.raises(ValidationError):
        services.consensus_call(
            actor=personas.chair,
            document=draft.document,
            paragraph=draft.first,
            finding="consensus",
        )


def test_silence_on_a_section_agrees_only_what_was_circulated(personas, draft):
    procedure = start(personas, draft, paragraph=None, section=draft.intro)
    late = services.paragraph_create(actor=personas.secretariat, section=draft.intro, text="Late.")
    services.silence_close_due(now=timezone.now() + dt.timedelta(days=4))
    assert SilenceProcedure.objects.get(pk=procedure.pk).status == "agreed"
    assert fresh(draft.first).status == "agreed" and fresh(draft.second).status == "agreed"
    assert fresh(late).status == "open"


def test_alternatives_cannot_go_under_silence(personas, draft):
    services.alternatives_set(
        actor=personas.secretariat,
        paragraph=draft.recommendation,
        base_version=1,
        lead="",
        options=["One.", "Two."],
    )
    with pytest.raises(ValidationError):
        start(personas, draft, paragraph=fresh(draft.recommendation))


def test_a_call_on_words_that_changed_meanwhile_is_refused(personas, draft, client):
    services.paragraph_edit(
        actor=personas.secretariat, paragraph=draft.first, base_version=1, text="Changed meanwhile."
    )
    with pytest.raises(services.StaleVersion):
        services.consensus_call(
            actor=personas.chair,
            document=draft.document,
            paragraph=fresh(draft.first),
            finding="consensus",
            base_version=1,
        )
    client.force_login(personas.chair)
    page = client.post(
        f"/p/{personas.process.slug}/drafts/{draft.document.pk}/consensus/new/?paragraph={draft.first.pk}",
        {"finding": "consensus", "paragraph": draft.first.pk, "base_version": 1},
    )
    assert page.status_code == 409 and "Changed meanwhile." in page.content.decode()
    api = client.post(
        f"/api/processes/{personas.process.slug}/documents/{draft.document.pk}/consensus-calls",
        {"finding": "consensus", "paragraph_id": draft.first.pk, "base_version": 1},
        content_type="application/json",
    )
    assert api.status_code == 409 and api.json()["current_version"] == 2
    assert not ConsensusCall.objects.exists()
    assert fresh(draft.first).status == "open"
