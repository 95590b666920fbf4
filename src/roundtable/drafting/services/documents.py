"""Writes on documents, sections and paragraphs: drafting, brackets, alternatives, comments."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.agenda.models import Cluster
from roundtable.audit.services import audit_record
from roundtable.people.models import Person
from roundtable.processes.models import Process

from .. import conf, policy
from ..models import (
    AmendmentStatus,
    ChangeKind,
    Comment,
    Document,
    DocumentKind,
    DocumentStatus,
    Paragraph,
    ParagraphStatus,
    Section,
    SilenceStatus,
    Visibility,
)
from ..text import clean_text
from .base import (
    check_base,
    current_member,
    lock_document,
    lock_paragraph,
    new_version,
    next_position_after,
    open_revision,
    option_label,
    require,
    require_drafting,
    require_live,
    require_no_silence,
)


def _clean_title(value: str, field: str = "title") -> str:
    title = " ".join((value or "").split())
    if not title:
        raise ValidationError({field: [_("A title is needed.")]})
    if len(title) > conf.max_title_chars():
        raise ValidationError(
            {
                field: [
                    _("The title is too long (at most %(limit)d characters).")
                    % {"limit": conf.max_title_chars()}
                ]
            }
        )
    return title


def _check_choice(field: str, value: str, choices: Any) -> None:
    if value not in choices.values:
        raise ValidationError({field: [_("“%(value)s” is not a valid choice.") % {"value": value}]})


def _reason(value: str, *, required: bool = False, field: str = "reason") -> str:
    return clean_text(
        value, field_name=field, max_chars=conf.max_note_chars(), required=required, markdown=False
    )


# --- Documents ------------------------------------------------------------------------------


@transaction.atomic
def document_create(
    *,
    actor: Person,
    process: Process,
    title: str,
    kind: str = DocumentKind.REPORT,
    summary: str = "",
    visibility: str = Visibility.PROCESS,
) -> Document:
    require(policy.can_create_document(actor, process))
    _check_choice("kind", kind, DocumentKind)
    _check_choice("visibility", visibility, Visibility)
    document = Document.objects.create(
        process=process,
        title=_clean_title(title),
        kind=kind,
        summary=clean_text(
            summary, field_name="summary", max_chars=conf.max_statement_chars(), required=False
        ),
        visibility=visibility,
        created_by=actor,
    )
    open_revision(document=document, actor=actor, summary=_("Document created"))
    audit_record(
        actor=actor,
        action="document.created",
        obj=document,
        process=process,
        data={"kind": kind, "visibility": visibility},
    )
    return document


@transaction.atomic
def document_update(
    *,
    actor: Person,
    document: Document,
    title: str,
    kind: str,
    summary: str,
    visibility: str,
) -> Document:
    document = lock_document(document)
    require(policy.can_edit_document(actor, document))
    _check_choice("kind", kind, DocumentKind)
    _check_choice("visibility", visibility, Visibility)
    before = {"title": document.title, "kind": document.kind, "visibility": document.visibility}
    document.title = _clean_title(title)
    document.kind = kind
    document.summary = clean_text(
        summary, field_name="summary", max_chars=conf.max_statement_chars(), required=False
    )
    document.visibility = visibility
    document.updated_at = timezone.now()
    document.save(update_fields=["title", "kind", "summary", "visibility", "updated_at"])
    audit_record(
        actor=actor,
        action="document.updated",
        obj=document,
        process=document.process,
        data={"before": before, "after": {"title": title, "kind": kind, "visibility": visibility}},
    )
    return document


@transaction.atomic
def document_mark_final(*, actor: Person, document: Document) -> Document:
    """Final only when nothing is left open: nothing is agreed until everything is agreed."""
    document = lock_document(document)
    require(policy.can_mark_final(actor, document), _("Only the chair can mark a document final."))
    require_drafting(document)
    paragraphs = list(
        document.paragraphs.filter(removed_revision__isnull=True).select_related("current_version")
    )
    if not paragraphs:
        raise ValidationError(_("An empty document cannot be final."))
    from ..selectors import paragraph_numbers

    numbers = paragraph_numbers(document)
    unsettled = [
        p for p in paragraphs if p.current_version is None or not p.current_version.is_settled
    ]
    problems = []
    if unsettled:
        problems.append(
            _(
                "These paragraphs are neither agreed nor have their divergence recorded by a "
                "consensus call: %(numbers)s."
            )
            % {"numbers": ", ".join(str(numbers.get(p.pk, "?")) for p in unsettled[:30])}
        )
    open_amendments = document.amendments.filter(status=AmendmentStatus.OPEN).count()
    if open_amendments:
        problems.append(
            _("%(count)d amendments are still open; accept or decline them first.")
            % {"count": open_amendments}
        )
    if document.silence_procedures.filter(status=SilenceStatus.OPEN).exists():
        problems.append(_("A silence procedure is still open."))
    if problems:
        raise ValidationError(problems)
    document.status = DocumentStatus.FINAL
    document.final_revision = document.revision
    document.finalised_at = timezone.now()
    document.save(update_fields=["status", "final_revision", "finalised_at"])
    audit_record(
        actor=actor,
        action="document.finalised",
        obj=document,
        process=document.process,
        data={"revision": document.revision, "paragraphs": len(paragraphs)},
    )
    return document


@transaction.atomic
def document_reopen(*, actor: Person, document: Document, reason: str) -> Document:
    document = lock_document(document)
    require(policy.can_mark_final(actor, document), _("Only the chair can reopen a document."))
    if not document.is_final:
        raise ValidationError(_("This document is not final."))
    reason = _reason(reason, required=True)
    final_revision = document.final_revision
    document.status = DocumentStatus.DRAFTING
    document.final_revision = None
    document.finalised_at = None
    document.save(update_fields=["status", "final_revision", "finalised_at"])
    audit_record(
        actor=actor,
        action="document.reopened",
        obj=document,
        process=document.process,
        data={"final_revision": final_revision, "reason": reason},
    )
    return document


# --- Sections --------------------------------------------------------------------------------


def _cluster(document: Document, cluster: Cluster | int | None) -> Cluster | None:
    if cluster in (None, ""):
        return None
    cluster_id = cluster.pk if isinstance(cluster, Cluster) else int(cluster)
    found = Cluster.objects.filter(pk=cluster_id, process_id=document.process_id).first()
    if found is None:
        raise ValidationError({"cluster": [_("This cluster is not part of the process.")]})
    return found


@transaction.atomic
def section_create(
    *, actor: Person, document: Document, title: str, cluster: Cluster | int | None = None
) -> Section:
    document = lock_document(document)
    require(policy.can_edit_document(actor, document))
    live = document.sections.filter(removed_revision__isnull=True)
    if live.count() >= conf.max_sections_per_document():
        raise ValidationError(
            _("A document can have at most %(limit)d sections.")
            % {"limit": conf.max_sections_per_document()}
        )
    title = _clean_title(title)
    revision = open_revision(
        document=document, actor=actor, summary=_("Section added: %(title)s") % {"title": title}
    )
    last = document.sections.order_by("-position").first()
    section = Section.objects.create(
        document=document,
        title=title,
        cluster=_cluster(document, cluster),
        position=(last.position + 1) if last else 0,
        created_revision=revision,
    )
    audit_record(actor=actor, action="section.created", obj=section, process=document.process)
    return section


@transaction.atomic
def section_update(
    *, actor: Person, section: Section, title: str, cluster: Cluster | int | None = None
) -> Section:
    document = lock_document(section.document)
    require(policy.can_edit_document(actor, document))
    before = section.title
    section.title = _clean_title(title)
    section.cluster = _cluster(document, cluster)
    section.save(update_fields=["title", "cluster"])
    if before != section.title:
        open_revision(
            document=document,
            actor=actor,
            summary=_("Section renamed: %(title)s") % {"title": section.title},
        )
    audit_record(
        actor=actor,
        action="section.updated",
        obj=section,
        process=document.process,
        data={"before": before, "after": section.title, "cluster": section.cluster_id},
    )
    return section


@transaction.atomic
def section_remove(*, actor: Person, section: Section) -> Section:
    document = lock_document(section.document)
    require(policy.can_edit_document(actor, document))
    if section.paragraphs.filter(removed_revision__isnull=True).exists():
        raise ValidationError(_("Remove or move the section's paragraphs first."))
    revision = open_revision(
        document=document,
        actor=actor,
        summary=_("Section removed: %(title)s") % {"title": section.title},
    )
    section.removed_revision = revision
    section.save(update_fields=["removed_revision"])
    audit_record(actor=actor, action="section.removed", obj=section, process=document.process)
    return section


# --- Paragraphs: direct drafting by the secretariat ------------------------------------------


def _check_paragraph_room(document: Document) -> None:
    count = document.paragraphs.filter(removed_revision__isnull=True).count()
    if count >= conf.max_paragraphs_per_document():
        raise ValidationError(
            _("A document can have at most %(limit)d paragraphs.")
            % {"limit": conf.max_paragraphs_per_document()}
        )


def paragraph_insert(
    *,
    actor: Person | None,
    section: Section,
    text: str,
    revision: int,
    after: Paragraph | None = None,
    at_start: bool = False,
    is_recommendation: bool = False,
    reason: str = "",
    change: str = ChangeKind.CREATED,
    amendment: Any = None,
    credit: int = 0,
) -> Paragraph:
    """Create a paragraph and its first version (the caller holds the document lock)."""
    if after is not None:
        after = Paragraph.objects.get(pk=after.pk)  # its position may have moved since
    if after is not None and (after.section_id != section.pk or after.is_removed):
        raise ValidationError({"after": [_("Choose a paragraph of this section.")]})
    paragraph = Paragraph.objects.create(
        document=section.document,
        section=section,
        position=next_position_after(section.pk, after, at_end=after is None and not at_start),
        created_revision=revision,
    )
    new_version(
        paragraph=paragraph,
        revision=revision,
        actor=actor,
        change=change,
        reason=reason,
        amendment=amendment,
        credit=credit,
        text=text,
        is_recommendation=is_recommendation,
    )
    return paragraph


@transaction.atomic
def paragraph_create(
    *,
    actor: Person,
    section: Section,
    text: str,
    is_recommendation: bool = False,
    after: Paragraph | None = None,
    at_start: bool = False,
    reason: str = "",
) -> Paragraph:
    """Add a paragraph after ``after``; at the end of the section unless ``at_start``."""
    document = lock_document(section.document)
    require(policy.can_edit_document(actor, document))
    if section.is_removed:
        raise ValidationError(_("This section was removed."))
    _check_paragraph_room(document)
    text = clean_text(text)
    reason = _reason(reason)
    revision = open_revision(document=document, actor=actor, summary=_("Paragraph added"))
    paragraph = paragraph_insert(
        actor=actor,
        section=section,
        text=text,
        revision=revision,
        after=after,
        at_start=at_start,
        is_recommendation=is_recommendation,
        reason=reason,
    )
    audit_record(
        actor=actor,
        action="paragraph.created",
        obj=paragraph,
        process=document.process,
        data={"section": section.pk, "revision": revision},
    )
    return paragraph


@transaction.atomic
def paragraph_edit(
    *,
    actor: Person,
    paragraph: Paragraph,
    base_version: int | None,
    text: str,
    is_recommendation: bool | None = None,
    reason: str = "",
) -> Paragraph:
    """The secretariat's direct edit; refused if someone changed the paragraph meanwhile."""
    document = lock_document(paragraph.document)
    paragraph = lock_paragraph(paragraph)
    require(policy.can_edit_paragraph(actor, paragraph))
    require_live(paragraph)
    text = clean_text(text, required=paragraph.status != ParagraphStatus.ALTERNATIVES)
    reason = _reason(reason)
    check_base(paragraph, base_version)
    require_no_silence(paragraph)
    current = paragraph.current_version
    recommendation = current.is_recommendation if is_recommendation is None else is_recommendation
    if text == current.text and recommendation == current.is_recommendation:
        raise ValidationError({"text": [_("Nothing changed.")]})
    changes: dict[str, Any] = {"text": text, "is_recommendation": recommendation}
    if text != current.text and current.status in (
        ParagraphStatus.AGREED,
        ParagraphStatus.AD_REFERENDUM,
    ):
        # Agreed wording that changes needs agreeing again.
        changes.update(status=ParagraphStatus.OPEN, ad_referendum=[])
    revision = open_revision(document=document, actor=actor, summary=_("Paragraph edited"))
    version = new_version(
        paragraph=paragraph,
        revision=revision,
        actor=actor,
        change=ChangeKind.EDITED,
        reason=reason,
        **changes,
    )
    audit_record(
        actor=actor,
        action="paragraph.edited",
        obj=paragraph,
        process=document.process,
        data={"version": version.number, "from": current.number, "reason": reason},
    )
    return paragraph


def paragraph_drop(
    *, actor: Person | None, paragraph: Paragraph, revision: int, reason: str, **version_kwargs: Any
) -> None:
    """Remove a paragraph (caller holds the lock); its open amendments lapse."""
    new_version(
        paragraph=paragraph,
        revision=revision,
        actor=actor,
        change=ChangeKind.REMOVED,
        reason=reason,
        **version_kwargs,
    )
    paragraph.removed_revision = revision
    paragraph.save(update_fields=["removed_revision"])
    now = timezone.now()
    for amendment in paragraph.amendments.filter(status=AmendmentStatus.OPEN):
        amendment.status = AmendmentStatus.DECLINED
        amendment.decided_at = now
        amendment.decided_revision = revision
        amendment.decided_by = actor if getattr(actor, "pk", None) else None
        amendment.decision_reason = _("The paragraph was removed.")
        amendment.save(
            update_fields=[
                "status",
                "decided_at",
                "decided_revision",
                "decided_by",
                "decision_reason",
            ]
        )
        audit_record(
            actor=actor,
            action="amendment.lapsed",
            obj=amendment,
            process=paragraph.document.process,
            data={"paragraph": paragraph.pk},
        )


@transaction.atomic
def paragraph_remove(
    *, actor: Person, paragraph: Paragraph, base_version: int | None, reason: str
) -> Paragraph:
    document = lock_document(paragraph.document)
    paragraph = lock_paragraph(paragraph)
    require(policy.can_edit_paragraph(actor, paragraph))
    require_live(paragraph)
    reason = _reason(reason, required=True)
    check_base(paragraph, base_version)
    require_no_silence(paragraph)
    revision = open_revision(document=document, actor=actor, summary=_("Paragraph removed"))
    paragraph_drop(actor=actor, paragraph=paragraph, revision=revision, reason=reason)
    audit_record(
        actor=actor,
        action="paragraph.removed",
        obj=paragraph,
        process=document.process,
        data={"reason": reason},
    )
    return paragraph


@transaction.atomic
def alternatives_set(
    *,
    actor: Person,
    paragraph: Paragraph,
    base_version: int | None,
    lead: str,
    options: list[str],
    reason: str = "",
) -> Paragraph:
    """The secretariat writes the options (A, B, C...). Sponsors stay with their label.

    Two or more options make the paragraph "alternatives"; none turns it back
    into plain text (the lead); one alone is refused.
    """
    document = lock_document(paragraph.document)
    paragraph = lock_paragraph(paragraph)
    require(policy.can_edit_paragraph(actor, paragraph))
    require_live(paragraph)
    reason = _reason(reason)
    cleaned = []
    errors: dict[str, list[str]] = {}
    for index, option in enumerate(o for o in options if (o or "").strip()):
        try:
            cleaned.append(clean_text(option, field_name=f"option_{index}"))
        except ValidationError as error:
            errors.update(error.message_dict)
    if len(cleaned) == 1:
        errors.setdefault("options", []).append(
            _("Alternatives need at least two options; or write one text and no options.")
        )
    if len(cleaned) > conf.max_alternatives():
        errors.setdefault("options", []).append(
            _("At most %(limit)d options.") % {"limit": conf.max_alternatives()}
        )
    try:
        lead = clean_text(lead, field_name="lead", required=not cleaned)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    check_base(paragraph, base_version)
    require_no_silence(paragraph)
    current = paragraph.current_version
    old = current.alternatives or []
    alternatives = []
    for index, option_text in enumerate(cleaned):
        label = option_label(index)
        before = old[index] if index < len(old) else None
        alternatives.append(
            {
                "label": label,
                "text": option_text,
                "sponsors": list(before["sponsors"]) if before else [],
                "amendment": before.get("amendment") if before else None,
                "origins": before.get("origins", []) if before else [],
            }
        )
    status = ParagraphStatus.ALTERNATIVES if alternatives else ParagraphStatus.OPEN
    if [(a["label"], a["text"]) for a in alternatives] == [
        (a["label"], a["text"]) for a in old
    ] and lead == current.text:
        raise ValidationError({"options": [_("Nothing changed.")]})
    revision = open_revision(document=document, actor=actor, summary=_("Alternatives written"))
    version = new_version(
        paragraph=paragraph,
        revision=revision,
        actor=actor,
        change=ChangeKind.ALTERNATIVES,
        reason=reason,
        text=lead,
        alternatives=alternatives,
        status=status,
        ad_referendum=[],
    )
    audit_record(
        actor=actor,
        action="paragraph.alternatives_set",
        obj=paragraph,
        process=document.process,
        data={"version": version.number, "options": len(alternatives)},
    )
    return paragraph


# --- Brackets and sponsors: members' own statements ------------------------------------------


@transaction.atomic
def brackets_request(*, actor: Person, paragraph: Paragraph, reason: str = "") -> Paragraph:
    document = lock_document(paragraph.document)
    paragraph = lock_paragraph(paragraph)
    require(policy.can_request_brackets(actor, paragraph))
    membership = current_member(actor, document)
    require_live(paragraph)
    reason = _reason(reason)
    current = paragraph.current_version
    if current.status == ParagraphStatus.ALTERNATIVES:
        raise ValidationError(
            _("This paragraph already has alternatives: sponsor one, or propose another.")
        )
    if current.status in (ParagraphStatus.AGREED, ParagraphStatus.AD_REFERENDUM):
        raise ValidationError(
            _("This text has been agreed. Propose an amendment; the chair decides on reopening it.")
        )
    require_no_silence(paragraph)
    if any(entry["membership"] == membership.pk for entry in current.brackets):
        raise ValidationError(_("You have already asked for brackets on this paragraph."))
    brackets = [*current.brackets, {"membership": membership.pk, "reason": reason}]
    revision = open_revision(document=document, actor=actor, summary=_("Brackets requested"))
    new_version(
        paragraph=paragraph,
        revision=revision,
        actor=actor,
        change=ChangeKind.BRACKETS,
        reason=reason,
        brackets=brackets,
        status=ParagraphStatus.BRACKETED,
    )
    audit_record(
        actor=actor,
        action="paragraph.bracketed",
        obj=paragraph,
        process=document.process,
        data={"reason": reason},
    )
    return paragraph


@transaction.atomic
def brackets_withdraw(*, actor: Person, paragraph: Paragraph) -> Paragraph:
    """Withdraw one's own request; the last withdrawal lifts the brackets."""
    document = lock_document(paragraph.document)
    paragraph = lock_paragraph(paragraph)
    require(policy.can_request_brackets(actor, paragraph))
    membership = current_member(actor, document)
    current = paragraph.current_version
    remaining = [entry for entry in current.brackets if entry["membership"] != membership.pk]
    if len(remaining) == len(current.brackets):
        raise ValidationError(_("You have not asked for brackets on this paragraph."))
    changes: dict[str, Any] = {"brackets": remaining}
    if (
        not remaining
        and current.status == ParagraphStatus.BRACKETED
        and not current.divergence_recorded
    ):
        changes["status"] = ParagraphStatus.OPEN
    revision = open_revision(document=document, actor=actor, summary=_("Brackets withdrawn"))
    new_version(
        paragraph=paragraph,
        revision=revision,
        actor=actor,
        change=ChangeKind.BRACKETS,
        **changes,
    )
    audit_record(
        actor=actor, action="paragraph.brackets_withdrawn", obj=paragraph, process=document.process
    )
    return paragraph


@transaction.atomic
def alternative_sponsor(
    *, actor: Person, paragraph: Paragraph, label: str, sponsor: bool = True
) -> Paragraph:
    """Sponsor one option (a member sponsors at most one per paragraph), or stop sponsoring."""
    document = lock_document(paragraph.document)
    paragraph = lock_paragraph(paragraph)
    require(policy.can_sponsor_alternative(actor, paragraph))
    membership = current_member(actor, document)
    current = paragraph.current_version
    alternatives = [dict(a, sponsors=list(a["sponsors"])) for a in current.alternatives]
    target = next((a for a in alternatives if a["label"] == label), None)
    if current.status != ParagraphStatus.ALTERNATIVES or target is None:
        raise ValidationError({"label": [_("There is no option “%(label)s”.") % {"label": label}]})
    if sponsor == (membership.pk in target["sponsors"]):
        raise ValidationError(
            _("You already sponsor this option.")
            if sponsor
            else _("You do not sponsor this option.")
        )
    for alternative in alternatives:
        if membership.pk in alternative["sponsors"]:
            alternative["sponsors"].remove(membership.pk)
    if sponsor:
        target["sponsors"].append(membership.pk)
    revision = open_revision(
        document=document,
        actor=actor,
        summary=(_("Option %(label)s sponsored") if sponsor else _("Sponsorship withdrawn"))
        % {"label": label},
    )
    new_version(
        paragraph=paragraph,
        revision=revision,
        actor=actor,
        change=ChangeKind.SPONSORS,
        alternatives=alternatives,
    )
    audit_record(
        actor=actor,
        action="alternative.sponsored" if sponsor else "alternative.unsponsored",
        obj=paragraph,
        process=document.process,
        data={"label": label},
    )
    return paragraph


# --- Comments --------------------------------------------------------------------------------


@transaction.atomic
def comment_create(*, actor: Person, paragraph: Paragraph, text: str) -> Comment:
    require(policy.can_comment(actor, paragraph))
    text = clean_text(text, field_name="text", max_chars=conf.max_note_chars())
    if paragraph.comments.count() >= conf.max_comments_per_paragraph():
        raise ValidationError(
            _("This paragraph has reached the limit of %(limit)d comments.")
            % {"limit": conf.max_comments_per_paragraph()}
        )
    from roundtable.processes.roles import membership_of

    comment = Comment.objects.create(
        paragraph=paragraph,
        author=actor,
        membership=membership_of(actor, paragraph.document.process),
        version_number=paragraph.version_number,
        text=text,
    )
    audit_record(
        actor=actor,
        action="comment.created",
        obj=comment,
        process=paragraph.document.process,
        data={"paragraph": paragraph.pk},
    )
    return comment


@transaction.atomic
def comment_delete(*, actor: Person, comment: Comment) -> None:
    require(policy.can_delete_comment(actor, comment))
    paragraph = comment.paragraph
    audit_record(
        actor=actor,
        action="comment.deleted",
        obj=comment,
        process=paragraph.document.process,
        data={"paragraph": paragraph.pk, "by_author": comment.author_id == actor.pk},
    )
    comment.delete()
