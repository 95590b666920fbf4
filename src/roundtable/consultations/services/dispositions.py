"""Dispositions: how each submission was taken into account, and the author's reaction.

As in W3C's disposition of comments, the author may say whether they accept
the disposition or object; the reaction is recorded beside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.audit.services import audit_record
from roundtable.core.mail import mail_queue, mail_render
from roundtable.people.models import Person
from roundtable.processes.roles import is_authenticated

from .. import policy
from ..conf import limit
from ..models import (
    Call,
    Disposition,
    DispositionLink,
    Outcome,
    Reaction,
    Submission,
    SubmissionStatus,
)
from ..tokens import author_link_token
from ._common import require, resolve_target
from .submissions import manage_url

MAX_LINKS = 20


def _clean(outcome: str, response: str) -> str:
    errors: dict[str, list[str]] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = [_("Choose an outcome.")]
    response = (response or "").strip()
    if not response:
        errors["response"] = [_("Write a response saying how the submission was considered.")]
    elif len(response) > limit("CONSULTATION_MAX_RESPONSE_CHARS"):
        errors["response"] = [_("The response is too long.")]
    if errors:
        raise ValidationError(errors)
    return response


def _resolve_links(call: Call, links: Sequence[tuple[str, Any]] | None) -> list[tuple[Any, Any]]:
    links = list(links or [])
    if len(links) > MAX_LINKS:
        raise ValidationError(
            {"links": [_("Link at most %(limit)d items.") % {"limit": MAX_LINKS}]}
        )
    resolved = []
    for label, target_id in links:
        content_type, obj = resolve_target(
            label=label, target_id=target_id, process=call.process, field="links"
        )
        resolved.append((content_type, obj))
    return resolved


def _write(
    *,
    actor: Person,
    submission: Submission,
    outcome: str,
    response: str,
    links: list[tuple[Any, Any]],
    representative: Submission | None = None,
    campaign_size: int | None = None,
) -> tuple[Disposition, bool]:
    if submission.status != SubmissionStatus.APPROVED:
        raise ValidationError(
            _("%(reference)s is not approved; only approved submissions get a disposition.")
            % {"reference": submission.reference}
        )
    disposition = Disposition.objects.filter(submission=submission).first()
    created = disposition is None
    changed = created or (disposition.outcome, disposition.response) != (outcome, response)
    if created:
        disposition = Disposition(submission=submission)
    disposition.outcome = outcome
    disposition.response = response
    disposition.campaign_representative = representative
    disposition.campaign_size = campaign_size
    disposition.decided_by = actor
    disposition.decided_at = timezone.now()
    if changed:
        # A reaction was to the earlier disposition; the author is asked again.
        disposition.reaction = ""
        disposition.reaction_comment = ""
        disposition.reacted_at = None
    disposition.save()
    disposition.links.all().delete()
    DispositionLink.objects.bulk_create(
        DispositionLink(
            disposition=disposition,
            target_type=content_type,
            target_id=obj.pk,
            label=str(obj)[:300],
        )
        for content_type, obj in links
    )
    if changed:
        _notify(disposition)
    return disposition, changed


@transaction.atomic
def disposition_set(
    *,
    actor: Person,
    submission: Submission,
    outcome: str,
    response: str,
    links: Sequence[tuple[str, Any]] | None = None,
) -> Disposition:
    """Record (or revise) the disposition of one approved submission."""
    require(policy.can_dispose(actor, submission.call))
    response = _clean(outcome, response)
    submission = (
        Submission.objects.select_for_update().select_related("call__process").get(pk=submission.pk)
    )
    resolved = _resolve_links(submission.call, links)
    disposition, changed = _write(
        actor=actor, submission=submission, outcome=outcome, response=response, links=resolved
    )
    audit_record(
        actor=actor,
        action="disposition.recorded",
        obj=submission,
        process=submission.call.process,
        data={
            "reference": submission.reference,
            "outcome": outcome,
            "links": [f"{ct.app_label}.{ct.model}:{obj.pk}" for ct, obj in resolved],
            "changed": changed,
        },
    )
    return disposition


@transaction.atomic
def disposition_apply_to_group(
    *,
    actor: Person,
    call: Call,
    numbers: Iterable[int],
    representative_number: int,
    outcome: str,
    response: str,
    links: Sequence[tuple[str, Any]] | None = None,
    replace: bool = False,
) -> dict[str, int]:
    """One disposition for a whole campaign group; each copy keeps its own record.

    Copies that already have a disposition keep it unless ``replace``; copies
    not approved (pending, rejected, withdrawn) are skipped and counted.
    """
    require(policy.can_dispose(actor, call))
    response = _clean(outcome, response)
    numbers = sorted({int(n) for n in numbers})
    if not numbers:
        raise ValidationError(_("The group is empty."))
    representative = Submission.objects.filter(call=call, number=representative_number).first()
    if representative is None or representative_number not in numbers:
        raise ValidationError(_("The group's representative is not one of its submissions."))
    resolved = _resolve_links(call, links)
    submissions = list(
        Submission.objects.select_for_update()
        .select_related("call__process")
        .filter(call=call, number__in=numbers)
    )
    counts = {"applied": 0, "kept": 0, "skipped": 0}
    applied: list[str] = []
    for submission in submissions:
        if submission.status != SubmissionStatus.APPROVED:
            counts["skipped"] += 1
            continue
        if not replace and hasattr(submission, "disposition"):
            counts["kept"] += 1
            continue
        _write(
            actor=actor,
            submission=submission,
            outcome=outcome,
            response=response,
            links=resolved,
            representative=representative,
            campaign_size=len(numbers),
        )
        counts["applied"] += 1
        applied.append(submission.reference)
    counts["skipped"] += len(numbers) - len(submissions)
    audit_record(
        actor=actor,
        action="disposition.recorded_for_group",
        obj=representative,
        process=call.process,
        data={"outcome": outcome, "applied_to": applied, **counts},
    )
    return counts


@transaction.atomic
def disposition_react(
    *,
    submission: Submission,
    reaction: str,
    comment: str = "",
    actor: Any = None,
    token: str = "",
) -> Disposition:
    """The author accepts the disposition or objects to it (and may say why)."""
    submission = Submission.objects.select_related("call__process").get(pk=submission.pk)
    if not policy.can_react_to_disposition(actor, submission, token):
        raise PermissionDenied(_("You are not allowed to do this."))
    if reaction not in Reaction.values:
        raise ValidationError({"reaction": [_("Say whether you accept it or object.")]})
    comment = (comment or "").strip()
    if len(comment) > limit("CONSULTATION_MAX_RESPONSE_CHARS"):
        raise ValidationError({"comment": [_("The comment is too long.")]})
    if reaction == Reaction.OBJECTS and not comment:
        raise ValidationError({"comment": [_("Say briefly why you object.")]})
    disposition = Disposition.objects.select_for_update().get(submission=submission)
    disposition.reaction = reaction
    disposition.reaction_comment = comment
    disposition.reacted_at = timezone.now()
    disposition.save(update_fields=["reaction", "reaction_comment", "reacted_at"])
    audit_record(
        actor=actor if is_authenticated(actor) else None,
        action="disposition.reaction",
        obj=submission,
        process=submission.call.process,
        data={"reference": submission.reference, "reaction": reaction},
    )
    return disposition


def _notify(disposition: Disposition) -> None:
    from django.urls import reverse

    submission = disposition.submission
    call = submission.call
    subject, text, html = mail_render(
        template="consultations/email/disposition",
        context={
            "submission": submission,
            "disposition": disposition,
            "call": call,
            "process": call.process,
            "permalink": settings.SITE_URL + submission.get_absolute_url(),
            "author_url": manage_url(submission, author_link_token(submission)),
            "report_url": settings.SITE_URL
            + reverse(
                "consultations:report", kwargs={"slug": call.process.slug, "call_id": call.pk}
            ),
        },
        language=submission.contact_language,
    )
    mail_queue(
        to=submission.email,
        subject=subject,
        text=text,
        html=html,
        kind="consultation.disposition",
    )
