"""Amendments: members propose; others support or oppose; the chair or secretariat decides."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.audit.services import audit_record
from roundtable.core.mail import mail_queue, mail_render
from roundtable.people.models import Person

from .. import conf, policy
from ..models import (
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    ChangeKind,
    Document,
    Paragraph,
    ParagraphStatus,
    ParagraphVersion,
    Position,
    Section,
    Stance,
)
from ..text import clean_text
from .base import (
    StaleVersion,
    check_base,
    current_member,
    lock_document,
    lock_paragraph,
    new_version,
    open_revision,
    option_label,
    require,
    require_drafting,
    require_live,
    require_no_silence,
)
from .documents import _check_paragraph_room, paragraph_drop, paragraph_insert


def _rationale(value: str) -> str:
    return clean_text(
        value, field_name="rationale", max_chars=conf.max_note_chars(), markdown=False
    )


def _validate_target(
    *,
    document: Document,
    kind: str,
    paragraph: Paragraph | None,
    section: Section | None,
    after: Paragraph | None,
) -> Section:
    if kind not in AmendmentKind.values:
        raise ValidationError({"kind": [_("“%(value)s” is not a valid choice.") % {"value": kind}]})
    if kind == AmendmentKind.INSERT:
        if section is None or section.document_id != document.pk or section.is_removed:
            raise ValidationError({"section": [_("Choose a section of this document.")]})
        if after is not None and (after.section_id != section.pk or after.is_removed):
            raise ValidationError({"after": [_("Choose a paragraph of this section.")]})
        return section
    if paragraph is None or paragraph.document_id != document.pk:
        raise ValidationError({"paragraph": [_("Choose a paragraph of this document.")]})
    require_live(paragraph)
    return paragraph.section


@transaction.atomic
def amendment_propose(
    *,
    actor: Person,
    document: Document,
    kind: str,
    rationale: str,
    text: str = "",
    paragraph: Paragraph | None = None,
    base_version: int | None = None,
    section: Section | None = None,
    after: Paragraph | None = None,
    at_start: bool = False,
) -> Amendment:
    """Propose to replace, insert or delete a paragraph, or to add an alternative wording.

    An amendment names the version it was written against; if the paragraph
    changed meanwhile it is refused, with the changes to read.
    """
    document = lock_document(document)
    require(policy.can_propose_amendment(actor, document), _("Only members propose amendments."))
    require_drafting(document)
    membership = current_member(actor, document)
    if paragraph is not None:
        paragraph = lock_paragraph(paragraph)
    target_section = _validate_target(
        document=document, kind=kind, paragraph=paragraph, section=section, after=after
    )
    errors: dict[str, list[str]] = {}
    if kind == AmendmentKind.DELETE:
        text = ""
    else:
        try:
            text = clean_text(text)
        except ValidationError as error:
            errors.update(error.message_dict)
    try:
        rationale = _rationale(rationale)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    base = None
    if kind != AmendmentKind.INSERT:
        check_base(paragraph, base_version)
        base = paragraph.current_version
        if kind == AmendmentKind.REPLACE and text == base.text:
            raise ValidationError(
                {"text": [_("The proposed text is the same as the current text.")]}
            )
        if kind == AmendmentKind.ALTERNATIVE:
            existing = len(base.alternatives) or 1
            if existing + 1 > conf.max_alternatives():
                raise ValidationError(
                    _("This paragraph already has the most options allowed (%(limit)d).")
                    % {"limit": conf.max_alternatives()}
                )
    open_count = Amendment.objects.filter(
        document=document, author=actor, status=AmendmentStatus.OPEN
    ).count()
    if open_count >= conf.max_open_amendments_per_member():
        raise ValidationError(
            _("You have %(count)d open amendments on this document, the most allowed.")
            % {"count": open_count}
        )
    number = (document.amendments.aggregate(m=Max("number"))["m"] or 0) + 1
    amendment = Amendment.objects.create(
        document=document,
        kind=kind,
        paragraph=paragraph if kind != AmendmentKind.INSERT else None,
        base_version=base,
        section=target_section,
        after=after if kind == AmendmentKind.INSERT else None,
        at_start=kind == AmendmentKind.INSERT and after is None and at_start,
        text=text,
        rationale=rationale,
        author=actor,
        membership=membership,
        stakeholder_group=membership.stakeholder_group,
        region=membership.region,
        number=number,
        created_revision=document.revision,
    )
    audit_record(
        actor=actor,
        action="amendment.proposed",
        obj=amendment,
        process=document.process,
        data={"kind": kind, "paragraph": paragraph.pk if paragraph else None, "number": number},
    )
    return amendment


@transaction.atomic
def amendment_revise(
    *,
    actor: Person,
    amendment: Amendment,
    text: str,
    rationale: str,
    base_version: int | None = None,
) -> Amendment:
    """The author rewrites an open amendment, e.g. onto the current text after a change.

    Positions taken on the earlier wording are cleared: they were about other words.
    """
    document = lock_document(amendment.document)
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    require(policy.can_withdraw_amendment(actor, amendment))
    require_drafting(document)
    errors: dict[str, list[str]] = {}
    if amendment.kind != AmendmentKind.DELETE:
        try:
            text = clean_text(text)
        except ValidationError as error:
            errors.update(error.message_dict)
    else:
        text = ""
    try:
        rationale = _rationale(rationale)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if amendment.paragraph_id is not None:
        paragraph = lock_paragraph(amendment.paragraph)
        require_live(paragraph)
        check_base(paragraph, base_version)
        amendment.base_version = paragraph.current_version
    cleared = amendment.positions.count() if text != amendment.text else 0
    if cleared:
        amendment.positions.all().delete()
    amendment.text = text
    amendment.rationale = rationale
    amendment.save(update_fields=["text", "rationale", "base_version"])
    audit_record(
        actor=actor,
        action="amendment.revised",
        obj=amendment,
        process=document.process,
        data={"positions_cleared": cleared},
    )
    return amendment


@transaction.atomic
def amendment_withdraw(*, actor: Person, amendment: Amendment) -> Amendment:
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    require(policy.can_withdraw_amendment(actor, amendment))
    amendment.status = AmendmentStatus.WITHDRAWN
    amendment.decided_at = timezone.now()
    amendment.decided_by = actor
    amendment.decided_revision = amendment.document.revision
    amendment.save(update_fields=["status", "decided_at", "decided_by", "decided_revision"])
    audit_record(
        actor=actor, action="amendment.withdrawn", obj=amendment, process=amendment.document.process
    )
    return amendment


@transaction.atomic
def position_set(
    *, actor: Person, amendment: Amendment, stance: str, comment: str = ""
) -> Position:
    require(policy.can_take_position(actor, amendment))
    membership = current_member(actor, amendment.document)
    if stance not in Stance.values:
        raise ValidationError(
            {"stance": [_("“%(value)s” is not a valid choice.") % {"value": stance}]}
        )
    comment = clean_text(
        comment, field_name="comment", max_chars=conf.max_note_chars(), required=False
    )
    position, created = Position.objects.update_or_create(
        amendment=amendment,
        person=actor,
        defaults={
            "membership": membership,
            "stakeholder_group": membership.stakeholder_group,
            "stance": stance,
            "comment": comment,
            "updated_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action="position.set",
        obj=amendment,
        process=amendment.document.process,
        data={"stance": stance, "changed": not created},
    )
    return position


@transaction.atomic
def position_remove(*, actor: Person, amendment: Amendment) -> None:
    require(policy.can_take_position(actor, amendment))
    deleted, _detail = Position.objects.filter(amendment=amendment, person=actor).delete()
    if not deleted:
        raise ValidationError(_("You have not taken a position on this amendment."))
    audit_record(
        actor=actor,
        action="position.removed",
        obj=amendment,
        process=amendment.document.process,
    )


def _notify_author(amendment: Amendment) -> None:
    author = amendment.author
    process = amendment.document.process
    subject, text, html = mail_render(
        template="drafting/email/amendment_decided",
        context={
            "amendment": amendment,
            "document": amendment.document,
            "process": process,
            "accepted": amendment.status == AmendmentStatus.ACCEPTED,
            "url": settings.SITE_URL
            + reverse(
                "drafting:amendment",
                kwargs={
                    "slug": process.slug,
                    "document_id": amendment.document_id,
                    "amendment_id": amendment.pk,
                },
            ),
        },
        language=author.preferred_language,
    )
    mail_queue(to=author.email, subject=subject, text=text, html=html, kind="drafting")


def _decide(
    amendment: Amendment, *, actor: Person, status: str, reason: str, revision: int
) -> None:
    amendment.status = status
    amendment.decided_by = actor
    amendment.decided_at = timezone.now()
    amendment.decided_revision = revision
    amendment.decision_reason = reason
    amendment.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decided_revision",
            "decision_reason",
            "result_version",
        ]
    )


@transaction.atomic
def amendment_accept(*, actor: Person, amendment: Amendment, reason: str = "") -> Amendment:
    """Apply the amendment as a new version, credited to its author.

    Refused (with the changes to read) if the paragraph changed since the
    amendment was written: the author revises it onto the current text.
    """
    document = lock_document(amendment.document)
    amendment = (
        Amendment.objects.select_for_update(of=("self",))
        .select_related("base_version")
        .get(pk=amendment.pk)
    )
    require(
        policy.can_decide_amendment(actor, amendment),
        _("Only the chair or the secretariat accepts or declines amendments."),
    )
    require_drafting(document)
    reason = clean_text(
        reason, field_name="reason", max_chars=conf.max_note_chars(), required=False, markdown=False
    )
    credit_reason = reason or amendment.rationale
    paragraph = None
    if amendment.kind != AmendmentKind.INSERT:
        paragraph = lock_paragraph(amendment.paragraph)
        require_live(paragraph)
        if paragraph.current_version_id != amendment.base_version_id:
            raise StaleVersion(
                paragraph=paragraph, base=amendment.base_version, current=paragraph.current_version
            )
        require_no_silence(paragraph)
    summary = _("Amendment %(number)d accepted") % {"number": amendment.number}
    revision = open_revision(document=document, actor=actor, summary=summary)
    version: ParagraphVersion | None = None
    if amendment.kind == AmendmentKind.INSERT:
        _check_paragraph_room(document)
        after = amendment.after if amendment.after and not amendment.after.is_removed else None
        # The paragraph it was to follow was removed meanwhile: keep it at the end.
        at_start = amendment.at_start and amendment.after_id is None
        paragraph = paragraph_insert(
            actor=actor,
            section=amendment.section,
            text=amendment.text,
            revision=revision,
            after=after,
            at_start=at_start,
            reason=credit_reason,
            change=ChangeKind.AMENDMENT,
            amendment=amendment,
            credit=amendment.pk,
        )
        version = paragraph.current_version
    elif amendment.kind == AmendmentKind.REPLACE:
        current = paragraph.current_version
        changes = {"text": amendment.text}
        if current.status in (ParagraphStatus.AGREED, ParagraphStatus.AD_REFERENDUM):
            changes.update(status=ParagraphStatus.OPEN, ad_referendum=[])
        version = new_version(
            paragraph=paragraph,
            revision=revision,
            actor=actor,
            change=ChangeKind.AMENDMENT,
            reason=credit_reason,
            amendment=amendment,
            credit=amendment.pk,
            **changes,
        )
    elif amendment.kind == AmendmentKind.DELETE:
        paragraph_drop(
            actor=actor,
            paragraph=paragraph,
            revision=revision,
            reason=credit_reason,
            amendment=amendment,
        )
        version = paragraph.current_version
    else:
        version = _add_alternative(amendment, paragraph, actor, revision, credit_reason)
    amendment.result_version = version
    _decide(
        amendment, actor=actor, status=AmendmentStatus.ACCEPTED, reason=reason, revision=revision
    )
    audit_record(
        actor=actor,
        action="amendment.accepted",
        obj=amendment,
        process=document.process,
        data={
            "kind": amendment.kind,
            "paragraph": paragraph.pk if paragraph else None,
            "version": version.number if version else None,
            "revision": revision,
        },
    )
    _notify_author(amendment)
    return amendment


def _add_alternative(
    amendment: Amendment, paragraph: Paragraph, actor: Person, revision: int, reason: str
) -> ParagraphVersion:
    """The first alternative turns the text into option A and the proposal into option B."""
    current = paragraph.current_version
    alternatives = [dict(a, sponsors=list(a["sponsors"])) for a in current.alternatives]
    lead = current.text
    if not alternatives:
        alternatives = [
            {
                "label": option_label(0),
                "text": current.text,
                "sponsors": [],
                "amendment": None,
                "origins": list(current.origins or []),
            }
        ]
        lead = ""
    sponsor = amendment.membership_id
    for alternative in alternatives:
        if sponsor in alternative["sponsors"]:
            alternative["sponsors"].remove(sponsor)
    alternatives.append(
        {
            "label": option_label(len(alternatives)),
            "text": amendment.text,
            "sponsors": [sponsor] if sponsor else [],
            "amendment": amendment.pk,
            "origins": [],
        }
    )
    return new_version(
        paragraph=paragraph,
        revision=revision,
        actor=actor,
        change=ChangeKind.AMENDMENT,
        reason=reason,
        amendment=amendment,
        credit=amendment.pk,
        text=lead,
        alternatives=alternatives,
        status=ParagraphStatus.ALTERNATIVES,
        ad_referendum=[],
    )


@transaction.atomic
def amendment_decline(*, actor: Person, amendment: Amendment, reason: str) -> Amendment:
    document = lock_document(amendment.document)
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    require(
        policy.can_decide_amendment(actor, amendment),
        _("Only the chair or the secretariat accepts or declines amendments."),
    )
    require_drafting(document)
    reason = clean_text(
        reason, field_name="reason", max_chars=conf.max_note_chars(), markdown=False
    )
    _decide(
        amendment,
        actor=actor,
        status=AmendmentStatus.DECLINED,
        reason=reason,
        revision=document.revision,
    )
    audit_record(
        actor=actor,
        action="amendment.declined",
        obj=amendment,
        process=document.process,
        data={"reason": reason},
    )
    _notify_author(amendment)
    return amendment
