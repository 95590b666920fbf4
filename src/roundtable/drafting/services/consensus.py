"""Consensus calls, ad referendum confirmations, minority statements and silence procedures."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.audit.services import audit_record
from roundtable.core.mail import mail_queue, mail_render
from roundtable.people.models import Person
from roundtable.processes.models import Membership, Role

from .. import conf, policy
from ..models import (
    ChangeKind,
    ConsensusCall,
    Document,
    Finding,
    MinorityStatement,
    Objection,
    Paragraph,
    ParagraphStatus,
    Section,
    SilenceObjection,
    SilenceProcedure,
    SilenceStatus,
)
from ..text import clean_text
from .base import (
    check_base,
    current_member,
    lock_document,
    lock_paragraph,
    new_version,
    open_revision,
    open_silence_on,
    require,
    require_drafting,
    require_live,
)


def _note(value: str, *, required: bool = False, field: str = "note") -> str:
    return clean_text(
        value, field_name=field, max_chars=conf.max_note_chars(), required=required, markdown=False
    )


def _members(process: Any, memberships: list[Membership | int], field: str) -> list[Membership]:
    ids = [m.pk if isinstance(m, Membership) else int(m) for m in memberships]
    found = {
        m.pk: m
        for m in Membership.objects.filter(
            pk__in=ids, process=process, role=Role.MEMBER
        ).select_related("person", "stakeholder_group")
        if m.is_current
    }
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError({field: [_("Choose current members of this process.")]})
    return [found[i] for i in dict.fromkeys(ids)]


def _targets(
    document: Document, paragraph: Paragraph | None, section: Section | None
) -> list[Paragraph]:
    if (paragraph is None) == (section is None):
        raise ValidationError(_("Name one paragraph or one section."))
    if paragraph is not None:
        if paragraph.document_id != document.pk:
            raise ValidationError({"paragraph": [_("Choose a paragraph of this document.")]})
        paragraph = lock_paragraph(paragraph)
        require_live(paragraph)
        return [paragraph]
    if section.document_id != document.pk or section.is_removed:
        raise ValidationError({"section": [_("Choose a section of this document.")]})
    paragraphs = list(
        Paragraph.objects.select_for_update(of=("self",))
        .filter(section=section, removed_revision__isnull=True)
        .select_related("current_version", "document__process", "section")
        .order_by("position", "pk")
    )
    if not paragraphs:
        raise ValidationError({"section": [_("This section has no paragraphs.")]})
    return paragraphs


def _refuse_if_silence(paragraphs: list[Paragraph]) -> None:
    for paragraph in paragraphs:
        procedure = open_silence_on(paragraph)
        if procedure is not None:
            raise ValidationError(
                _(
                    "A silence procedure is open on this text until %(deadline)s; cancel it "
                    "first, or let it run."
                )
                % {"deadline": timezone.localtime(procedure.deadline).strftime("%Y-%m-%d %H:%M")}
            )


@transaction.atomic
def consensus_call(
    *,
    actor: Person,
    document: Document,
    finding: str,
    paragraph: Paragraph | None = None,
    section: Section | None = None,
    note: str = "",
    adopted_option: str = "",
    objections: list[tuple[Membership | int, str]] | None = None,
    ad_referendum: list[Membership | int] | None = None,
    base_version: int | None = None,
) -> ConsensusCall:
    """The chair's finding, applied to the text and audited.

    Consensus and rough consensus agree the text (ad referendum if members are
    named who must confirm with their principals); on a paragraph with
    alternatives the chair names the option adopted. No consensus keeps the
    divergence in the text, with the explanatory note. With ``base_version``
    (the version the chair was reading), a paragraph that changed meanwhile is
    refused: a finding is about particular words.
    """
    document = lock_document(document)
    require(policy.can_call_consensus(actor, document), _("Only the chair can call consensus."))
    require_drafting(document)
    if finding not in Finding.values:
        raise ValidationError(
            {"finding": [_("“%(value)s” is not a valid choice.") % {"value": finding}]}
        )
    objections = objections or []
    ad_referendum = ad_referendum or []
    errors: dict[str, list[str]] = {}
    note = _note(note, required=finding == Finding.NO_CONSENSUS)
    if finding == Finding.ROUGH_CONSENSUS and not objections:
        errors["objections"] = [
            _("Rough consensus records the objections: name at least one objecting member.")
        ]
    if finding != Finding.ROUGH_CONSENSUS and objections:
        errors["objections"] = [_("Objections are recorded only with a rough consensus.")]
    if finding == Finding.NO_CONSENSUS and ad_referendum:
        errors["ad_referendum"] = [_("Nothing is agreed ad referendum without consensus.")]
    if errors:
        raise ValidationError(errors)
    objecting = _members(document.process, [m for m, _reason in objections], "objections")
    reasons = {
        (m.pk if isinstance(m, Membership) else int(m)): _note(r, field="objections")
        for m, r in objections
    }
    confirming = _members(document.process, ad_referendum, "ad_referendum")
    paragraphs = _targets(document, paragraph, section)
    if paragraph is not None and base_version is not None:
        check_base(paragraphs[0], base_version)
    _refuse_if_silence(paragraphs)
    agreeing = finding in (Finding.CONSENSUS, Finding.ROUGH_CONSENSUS)
    adopted_option = (adopted_option or "").strip().upper()
    if agreeing:
        with_options = [p for p in paragraphs if p.status == ParagraphStatus.ALTERNATIVES]
        if section is not None and with_options:
            raise ValidationError(
                _(
                    "Some paragraphs of this section still have alternatives: call consensus on "
                    "each of them, naming the option adopted."
                )
            )
        if with_options:
            labels = [a["label"] for a in with_options[0].current_version.alternatives]
            if adopted_option not in labels:
                raise ValidationError(
                    {
                        "adopted_option": [
                            _("Name the option adopted: %(labels)s.")
                            % {"labels": ", ".join(labels)}
                        ]
                    }
                )
        elif adopted_option:
            raise ValidationError({"adopted_option": [_("This paragraph has no options.")]})
    call_summary = _("Consensus call: %(finding)s") % {"finding": Finding(finding).label}
    revision = open_revision(document=document, actor=actor, summary=call_summary)
    call = ConsensusCall.objects.create(
        document=document,
        paragraph=paragraph if paragraph is not None else None,
        section=section,
        finding=finding,
        note=note,
        adopted_option=adopted_option if agreeing else "",
        called_by=actor,
        document_revision=revision,
    )
    Objection.objects.bulk_create(
        Objection(
            call=call,
            membership=membership,
            stakeholder_group=membership.stakeholder_group,
            reason=reasons.get(membership.pk, ""),
        )
        for membership in objecting
    )
    changed = 0
    for target in paragraphs:
        changed += _apply_finding(
            target, call=call, actor=actor, revision=revision, confirming=confirming
        )
    audit_record(
        actor=actor,
        action="consensus_call.recorded",
        obj=call,
        process=document.process,
        data={
            "finding": finding,
            "paragraph": paragraph.pk if paragraph else None,
            "section": section.pk if section else None,
            "paragraphs_changed": changed,
            "adopted_option": call.adopted_option,
            "objections_by_group": dict(
                Counter(m.stakeholder_group.slug if m.stakeholder_group else "" for m in objecting)
            ),
            "ad_referendum": len(confirming),
            "note": note,
        },
    )
    return call


def _apply_finding(
    paragraph: Paragraph,
    *,
    call: ConsensusCall,
    actor: Person,
    revision: int,
    confirming: list[Membership],
) -> int:
    current = paragraph.current_version
    reason = call.note or call.get_finding_display()
    if call.finding == Finding.NO_CONSENSUS:
        changes: dict[str, Any] = {"divergence_recorded": True, "note": call.note}
        if current.status != ParagraphStatus.ALTERNATIVES:
            # With no options the divergence stays visible as brackets.
            changes["status"] = ParagraphStatus.BRACKETED
        changes["ad_referendum"] = []
    else:
        if current.status == ParagraphStatus.AGREED and not confirming:
            return 0
        changes = {
            "status": ParagraphStatus.AD_REFERENDUM if confirming else ParagraphStatus.AGREED,
            "brackets": [],
            "divergence_recorded": False,
            "note": call.note,
            "ad_referendum": [{"membership": m.pk, "confirmed_at": None} for m in confirming],
        }
        if call.adopted_option:
            option = next(a for a in current.alternatives if a["label"] == call.adopted_option)
            changes.update(text=option["text"], alternatives=[], origins=option.get("origins", []))
    new_version(
        paragraph=paragraph,
        revision=revision,
        actor=actor,
        change=ChangeKind.CONSENSUS,
        reason=reason,
        **changes,
    )
    return 1


@transaction.atomic
def ad_referendum_confirm(*, actor: Person, paragraph: Paragraph) -> Paragraph:
    """A named member confirms for their principals; the last confirmation agrees the text."""
    document = lock_document(paragraph.document)
    paragraph = lock_paragraph(paragraph)
    require(policy.can_confirm_ad_referendum(actor, paragraph))
    membership = current_member(actor, document)
    entries = [dict(entry) for entry in paragraph.current_version.ad_referendum]
    now = timezone.now()
    for entry in entries:
        if entry["membership"] == membership.pk:
            entry["confirmed_at"] = now.isoformat()
    complete = all(entry.get("confirmed_at") for entry in entries)
    revision = open_revision(
        document=document,
        actor=actor,
        summary=_("Ad referendum agreement confirmed") if complete else _("Confirmation received"),
    )
    new_version(
        paragraph=paragraph,
        revision=revision,
        actor=actor,
        change=ChangeKind.CONFIRMATION,
        ad_referendum=entries,
        status=ParagraphStatus.AGREED if complete else ParagraphStatus.AD_REFERENDUM,
    )
    audit_record(
        actor=actor,
        action="ad_referendum.confirmed",
        obj=paragraph,
        process=document.process,
        data={"complete": complete},
    )
    return paragraph


# --- Minority statements ---------------------------------------------------------------------


@transaction.atomic
def minority_statement_create(
    *, actor: Person, section: Section, title: str, text: str
) -> MinorityStatement:
    document = lock_document(section.document)
    require(policy.can_write_minority_statement(actor, document))
    current_member(actor, document)
    if section.is_removed:
        raise ValidationError(_("This section was removed."))
    from .documents import _clean_title

    errors: dict[str, list[str]] = {}
    try:
        title = _clean_title(title)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        text = clean_text(text, field_name="text", max_chars=conf.max_statement_chars())
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    revision = open_revision(
        document=document,
        actor=actor,
        summary=_("Minority statement: %(title)s") % {"title": title},
    )
    statement = MinorityStatement.objects.create(
        section=section, title=title, text=text, author=actor, created_revision=revision
    )
    audit_record(
        actor=actor,
        action="minority_statement.created",
        obj=statement,
        process=document.process,
        data={"section": section.pk},
    )
    return statement


@transaction.atomic
def minority_statement_join(
    *, actor: Person, statement: MinorityStatement, join: bool = True
) -> MinorityStatement:
    require(policy.can_join_minority_statement(actor, statement))
    membership = current_member(actor, statement.section.document)
    joined = statement.supporters.filter(pk=membership.pk).exists()
    if join == joined:
        raise ValidationError(
            _("You have already joined this statement.") if join else _("You have not joined it.")
        )
    if join:
        statement.supporters.add(membership)
    else:
        statement.supporters.remove(membership)
    audit_record(
        actor=actor,
        action="minority_statement.joined" if join else "minority_statement.left",
        obj=statement,
        process=statement.section.document.process,
    )
    return statement


@transaction.atomic
def minority_statement_withdraw(
    *, actor: Person, statement: MinorityStatement
) -> MinorityStatement:
    document = lock_document(statement.section.document)
    require(policy.can_withdraw_minority_statement(actor, statement))
    revision = open_revision(
        document=document,
        actor=actor,
        summary=_("Minority statement withdrawn: %(title)s") % {"title": statement.title},
    )
    statement.withdrawn_revision = revision
    statement.save(update_fields=["withdrawn_revision"])
    audit_record(
        actor=actor, action="minority_statement.withdrawn", obj=statement, process=document.process
    )
    return statement


# --- Silence procedures ----------------------------------------------------------------------


def _silence_url(procedure: SilenceProcedure) -> str:
    return settings.SITE_URL + reverse(
        "drafting:silence",
        kwargs={
            "slug": procedure.document.process.slug,
            "document_id": procedure.document_id,
            "procedure_id": procedure.pk,
        },
    )


@transaction.atomic
def silence_start(
    *,
    actor: Person,
    document: Document,
    deadline: dt.datetime,
    paragraph: Paragraph | None = None,
    section: Section | None = None,
    message: str = "",
    base_version: int | None = None,
) -> SilenceProcedure:
    """Circulate text under silence: it becomes agreed at the deadline unless a member objects."""
    document = lock_document(document)
    require(
        policy.can_start_silence(actor, document),
        _("Only the chair can start a silence procedure."),
    )
    require_drafting(document)
    message = _note(message, field="message")
    now = timezone.now()
    if timezone.is_naive(deadline):
        raise ValidationError({"deadline": [_("Give the deadline with its time zone.")]})
    if deadline < now + dt.timedelta(hours=conf.min_silence_hours()):
        raise ValidationError(
            {
                "deadline": [
                    _("Members need at least %(hours)d hours: choose a later deadline.")
                    % {"hours": conf.min_silence_hours()}
                ]
            }
        )
    if deadline > now + dt.timedelta(days=conf.max_silence_days()):
        raise ValidationError(
            {
                "deadline": [
                    _("A silence procedure lasts at most %(days)d days.")
                    % {"days": conf.max_silence_days()}
                ]
            }
        )
    paragraphs = _targets(document, paragraph, section)
    if paragraph is not None and base_version is not None:
        check_base(paragraphs[0], base_version)
    _refuse_if_silence(paragraphs)
    if any(p.status == ParagraphStatus.ALTERNATIVES for p in paragraphs):
        raise ValidationError(
            _(
                "Text with alternatives cannot go under silence: which option would be agreed? "
                "Settle the options first."
            )
        )
    pending = [p for p in paragraphs if p.status != ParagraphStatus.AGREED]
    if not pending:
        raise ValidationError(_("This text is already agreed."))
    procedure = SilenceProcedure.objects.create(
        document=document,
        paragraph=paragraph,
        section=section,
        deadline=deadline,
        message=message,
        started_by=actor,
        started_revision=document.revision,
        versions={str(p.pk): p.version_number for p in pending},
    )
    audit_record(
        actor=actor,
        action="silence.started",
        obj=procedure,
        process=document.process,
        data={
            "deadline": deadline.isoformat(),
            "paragraphs": {str(p.pk): p.version_number for p in pending},
        },
    )
    _mail_members(procedure, template="drafting/email/silence_started")
    return procedure


def _mail_members(procedure: SilenceProcedure, *, template: str) -> None:
    process = procedure.document.process
    members = (
        Membership.objects.filter(process=process, role=Role.MEMBER)
        .select_related("person")
        .order_by("pk")
    )
    url = _silence_url(procedure)
    for membership in members:
        if not membership.is_current or not membership.person.is_active:
            continue
        person = membership.person
        subject, text, html = mail_render(
            template=template,
            context={"procedure": procedure, "process": process, "url": url},
            language=person.preferred_language,
        )
        mail_queue(to=person.email, subject=subject, text=text, html=html, kind="drafting")


@transaction.atomic
def silence_object(*, actor: Person, procedure: SilenceProcedure, reason: str) -> SilenceProcedure:
    """An objection breaks the silence: the text stays open, and the objection is audited."""
    procedure = SilenceProcedure.objects.select_for_update().get(pk=procedure.pk)
    require(policy.can_object_in_silence(actor, procedure))
    membership = current_member(actor, procedure.document)
    reason = _note(reason, required=True, field="reason")
    if procedure.deadline <= timezone.now():
        raise ValidationError(_("The deadline has passed; objections are no longer accepted."))
    SilenceObjection.objects.create(
        procedure=procedure,
        membership=membership,
        stakeholder_group=membership.stakeholder_group,
        reason=reason,
    )
    procedure.status = SilenceStatus.BROKEN
    procedure.closed_at = timezone.now()
    procedure.save(update_fields=["status", "closed_at"])
    audit_record(
        actor=actor,
        action="silence.broken",
        obj=procedure,
        process=procedure.document.process,
        data={
            "stakeholder_group": membership.stakeholder_group.slug
            if membership.stakeholder_group
            else None,
            "reason": reason,
        },
    )
    return procedure


@transaction.atomic
def silence_cancel(
    *, actor: Person, procedure: SilenceProcedure, reason: str = ""
) -> SilenceProcedure:
    procedure = SilenceProcedure.objects.select_for_update().get(pk=procedure.pk)
    require(policy.can_cancel_silence(actor, procedure))
    reason = _note(reason, field="reason")
    procedure.status = SilenceStatus.CANCELLED
    procedure.closed_at = timezone.now()
    procedure.save(update_fields=["status", "closed_at"])
    audit_record(
        actor=actor,
        action="silence.cancelled",
        obj=procedure,
        process=procedure.document.process,
        data={"reason": reason},
    )
    return procedure


def silence_close_due(*, now: dt.datetime | None = None) -> list[int]:
    """Agree the text of every procedure whose deadline passed without objection.

    Safe to run twice and from several workers: each procedure is claimed with
    a conditional update, so only one run applies it. Each one is its own
    transaction and its own audit entry (actor: the system).
    """
    now = now or timezone.now()
    closed = []
    due = SilenceProcedure.objects.filter(status=SilenceStatus.OPEN, deadline__lte=now)
    for procedure_id in due.order_by("deadline").values_list("pk", flat=True):
        if _close_one(procedure_id, now):
            closed.append(procedure_id)
    return closed


@transaction.atomic
def _close_one(procedure_id: int, now: dt.datetime) -> bool:
    claimed = SilenceProcedure.objects.filter(
        pk=procedure_id, status=SilenceStatus.OPEN, deadline__lte=now
    ).update(status=SilenceStatus.AGREED, closed_at=now)
    if not claimed:
        return False
    procedure = SilenceProcedure.objects.select_related("document__process").get(pk=procedure_id)
    document = lock_document(procedure.document)
    paragraphs = (
        [procedure.paragraph]
        if procedure.paragraph_id
        else list(procedure.section.paragraphs.filter(removed_revision__isnull=True))
    )
    started = procedure.versions or {}
    revision = None
    agreed, skipped = [], []
    for paragraph in paragraphs:
        paragraph = lock_paragraph(paragraph)
        if paragraph.is_removed or paragraph.status in (
            ParagraphStatus.AGREED,
            ParagraphStatus.ALTERNATIVES,
        ):
            continue
        if str(paragraph.pk) not in started:
            continue  # added after the text was circulated
        # Text that changed after circulation was not what members stayed silent on.
        if started[str(paragraph.pk)] != paragraph.version_number:
            skipped.append(paragraph.pk)
            continue
        if revision is None:
            revision = open_revision(
                document=document,
                actor=None,
                summary=_("Silence procedure ended without objection"),
            )
        new_version(
            paragraph=paragraph,
            revision=revision,
            actor=None,
            change=ChangeKind.SILENCE,
            reason=_("Agreed: no objection by the deadline of the silence procedure."),
            status=ParagraphStatus.AGREED,
            brackets=[],
            ad_referendum=[],
            divergence_recorded=False,
        )
        agreed.append(paragraph.pk)
    audit_record(
        actor=None,
        action="silence.agreed",
        obj=procedure,
        process=document.process,
        data={"agreed": agreed, "skipped_changed": skipped, "revision": revision},
    )
    return True
