"""Moderation decisions on submissions: approve, reject with a reason, or ask for edits."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.audit.services import audit_record
from roundtable.core.mail import mail_queue, mail_render
from roundtable.people.models import Person

from .. import policy
from ..conf import limit
from ..models import Call, RejectionReason, Submission, SubmissionStatus
from ..tokens import author_link_token
from ._common import require
from .submissions import manage_url


class Decision:
    APPROVE = "approve"
    REJECT = "reject"
    REQUEST_CHANGES = "request_changes"
    ALL = (APPROVE, REJECT, REQUEST_CHANGES)


STATUS_FOR = {
    Decision.APPROVE: SubmissionStatus.APPROVED,
    Decision.REJECT: SubmissionStatus.REJECTED,
    Decision.REQUEST_CHANGES: SubmissionStatus.CHANGES_REQUESTED,
}


def _check(decision: str, reason: str, message: str) -> None:
    if decision not in Decision.ALL:
        raise ValidationError({"decision": [_("Choose approve, reject or ask for edits.")]})
    if decision == Decision.REJECT and reason not in RejectionReason.values:
        raise ValidationError(
            {"reason": [_("Say why it is rejected: spam, abusive or off-topic.")]}
        )
    if decision == Decision.REQUEST_CHANGES and not message.strip():
        raise ValidationError({"message": [_("Tell the author what to change.")]})
    if len(message) > limit("CONSULTATION_MAX_RESPONSE_CHARS"):
        raise ValidationError({"message": [_("The message is too long.")]})


def _moderate_one(
    *, actor: Person, submission: Submission, decision: str, reason: str, message: str
) -> Submission:
    if submission.status == SubmissionStatus.WITHDRAWN:
        raise ValidationError(
            _("%(reference)s was withdrawn by its author.") % {"reference": submission.reference}
        )
    if decision == Decision.REJECT and hasattr(submission, "disposition"):
        raise ValidationError(
            _("%(reference)s already has a disposition; it cannot be rejected now.")
            % {"reference": submission.reference}
        )
    before = submission.status
    submission.status = STATUS_FOR[decision]
    submission.rejection_reason = reason if decision == Decision.REJECT else ""
    submission.moderation_message = message.strip()
    submission.moderated_by = actor
    submission.moderated_at = timezone.now()
    submission.save(
        update_fields=[
            "status",
            "rejection_reason",
            "moderation_message",
            "moderated_by",
            "moderated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="submission.moderated",
        obj=submission,
        process=submission.call.process,
        data={
            "decision": decision,
            "reason": submission.rejection_reason,
            "status_before": before,
            "status": submission.status,
        },
    )
    if decision != Decision.APPROVE and before != submission.status:
        _notify(submission)
    return submission


@transaction.atomic
def submission_moderate(
    *,
    actor: Person,
    submission: Submission,
    decision: str,
    reason: str = "",
    message: str = "",
) -> Submission:
    require(policy.can_moderate(actor, submission.call))
    _check(decision, reason, message or "")
    submission = (
        Submission.objects.select_for_update().select_related("call__process").get(pk=submission.pk)
    )
    result = _moderate_one(
        actor=actor, submission=submission, decision=decision, reason=reason, message=message or ""
    )
    from .analysis import analysis_request

    analysis_request(call=submission.call)
    return result


@transaction.atomic
def submissions_moderate_many(
    *,
    actor: Person,
    call: Call,
    numbers: Iterable[int],
    decision: str,
    reason: str = "",
    message: str = "",
) -> int:
    """One decision on several submissions of a call (all or nothing)."""
    require(policy.can_moderate(actor, call))
    _check(decision, reason, message or "")
    numbers = sorted({int(n) for n in numbers})
    if not numbers:
        raise ValidationError(_("Select at least one submission."))
    submissions = list(
        Submission.objects.select_for_update()
        .select_related("call__process")
        .filter(call=call, number__in=numbers)
    )
    if len(submissions) != len(numbers):
        raise ValidationError(_("Some of the selected submissions do not exist."))
    for submission in submissions:
        _moderate_one(
            actor=actor,
            submission=submission,
            decision=decision,
            reason=reason,
            message=message or "",
        )
    from .analysis import analysis_request

    analysis_request(call=call)
    return len(submissions)


def _notify(submission: Submission) -> None:
    """Tell the author: a rejection with its reason, or what to edit (with the edit link)."""
    from django.urls import reverse

    call = submission.call
    subject, text, html = mail_render(
        template="consultations/email/moderated",
        context={
            "submission": submission,
            "call": call,
            "process": call.process,
            "rejected": submission.status == SubmissionStatus.REJECTED,
            "reason": submission.get_rejection_reason_display(),
            "message": submission.moderation_message,
            "permalink": settings.SITE_URL + submission.get_absolute_url(),
            "author_url": manage_url(submission, author_link_token(submission)),
            "rules_url": settings.SITE_URL
            + reverse("consultations:call", kwargs={"slug": call.process.slug, "call_id": call.pk})
            + "#rules",
            "closes_at": timezone.localtime(call.closes_at, call.zone),
        },
        language=submission.contact_language,
    )
    mail_queue(
        to=submission.email, subject=subject, text=text, html=html, kind="consultation.moderated"
    )
