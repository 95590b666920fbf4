"""Receiving submissions: magic links, checks, receipts, edits and withdrawals.

A submission is written, its receipt number allocated and its receipt e-mail
queued in one transaction: a receipt exists exactly when the submission does,
and the call's ``received_count`` always equals the number of submissions.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from roundtable.audit.services import audit_record
from roundtable.core.mail import mail_queue, mail_render
from roundtable.core.uploads import CheckedFile, check_count, discard, human_size, store
from roundtable.people.models import Person, Region, StakeholderGroup
from roundtable.people.tokens import new_secret, secret_hash
from roundtable.processes.roles import is_authenticated

from .. import policy
from ..conf import limit
from ..models import (
    Answer,
    Attachment,
    Call,
    CallState,
    EmailVerification,
    Publication,
    Submission,
    SubmissionStatus,
)
from ..uploads import check_upload
from ._common import ip_hash, language_codes, require, resolve_group, resolve_region

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_\-]{8,64}$")


def _normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": [_("“%(email)s” is not a valid e-mail address.") % {"email": email}]}
        ) from None
    return email


def _interface_language(language: str | None) -> str:
    language = language or get_language() or settings.LANGUAGE_CODE
    return language if language in language_codes() else settings.LANGUAGE_CODE


def _require_open(call: Call, now: dt.datetime | None = None) -> None:
    state = call.state_at(now)
    if state == CallState.CLOSED:
        raise ValidationError(
            _("This call closed on %(date)s; submissions are no longer accepted.")
            % {"date": timezone.localtime(call.closes_at, call.zone).strftime("%Y-%m-%d %H:%M %Z")}
        )
    if state != CallState.OPEN:
        raise ValidationError(
            _("This call is not open yet; it opens on %(date)s.")
            % {"date": timezone.localtime(call.opens_at, call.zone).strftime("%Y-%m-%d %H:%M %Z")}
        )


def _check_honeypot(honeypot: str) -> None:
    if (honeypot or "").strip():
        raise ValidationError(
            _(
                "Your submission was not accepted because a field that must stay empty was "
                "filled in (this catches automated spam). Leave that field empty and try again."
            )
        )


# --- Magic links -------------------------------------------------------------------


@transaction.atomic
def verification_request(
    *,
    call: Call,
    email: str,
    ip: str = "",
    language: str | None = None,
    honeypot: str = "",
) -> tuple[EmailVerification, str]:
    """E-mail a link that lets the owner of ``email`` submit to ``call`` without an account."""
    _check_honeypot(honeypot)
    if not policy.can_view_call(None, call):
        raise PermissionDenied(_("You are not allowed to do this."))
    _require_open(call)
    email = _normalise_email(email)
    now = timezone.now()
    hashed_ip = ip_hash(ip)
    hour_ago = now - dt.timedelta(hours=1)
    per_address = limit("CONSULTATION_MAX_VERIFICATIONS_PER_ADDRESS_PER_HOUR")
    per_ip = limit("CONSULTATION_MAX_VERIFICATIONS_PER_IP_PER_HOUR")
    if (
        EmailVerification.objects.filter(email=email, created_at__gte=hour_ago).count()
        >= per_address
    ):
        raise ValidationError(
            {
                "email": [
                    _(
                        "Too many links were sent to this address in the last hour. Check your "
                        "inbox (and spam folder), or try again later."
                    )
                ]
            }
        )
    if (
        hashed_ip
        and EmailVerification.objects.filter(ip_hash=hashed_ip, created_at__gte=hour_ago).count()
        >= per_ip
    ):
        raise ValidationError(
            _("Too many links were requested from your network in the last hour. Try again later.")
        )
    secret = new_secret()
    verification = EmailVerification.objects.create(
        call=call,
        email=email,
        token_hash=secret_hash(secret),
        ip_hash=hashed_ip,
        created_at=now,
        expires_at=now + dt.timedelta(hours=limit("CONSULTATION_VERIFICATION_VALID_HOURS")),
    )
    language = _interface_language(language)
    subject, text, html = mail_render(
        template="consultations/email/verify",
        context={
            "call": call,
            "process": call.process,
            "verify_url": settings.SITE_URL
            + reverse("consultations:verify", kwargs={"token": secret}),
            "valid_hours": limit("CONSULTATION_VERIFICATION_VALID_HOURS"),
            "closes_at": timezone.localtime(call.closes_at, call.zone),
        },
        language=language,
    )
    mail_queue(to=email, subject=subject, text=text, html=html, kind="consultation.verify")
    return verification, secret


def verification_for_token(secret: str) -> EmailVerification:
    """The unexpired, unused verification a link stands for, or a clear error."""
    verification = (
        EmailVerification.objects.select_related("call", "call__process")
        .filter(token_hash=secret_hash(secret or ""))
        .first()
    )
    if verification is None:
        raise ValidationError(_("This link is not valid. Check that you copied all of it."))
    if verification.used_at is not None:
        raise ValidationError(
            _(
                "This link has already been used for a submission. Use the link in your "
                "receipt to edit it, or ask for a new link to send another."
            )
        )
    if verification.expires_at <= timezone.now():
        raise ValidationError(_("This link has expired. Ask for a new one on the call's page."))
    return verification


@transaction.atomic
def verification_confirm(*, secret: str) -> EmailVerification:
    verification = verification_for_token(secret)
    if verification.verified_at is None:
        verification.verified_at = timezone.now()
        verification.save(update_fields=["verified_at"])
    return verification


# --- Receiving -------------------------------------------------------------------------


def _clean_text(text: str) -> str:
    text = (text or "").replace("\x00", "").strip()
    if len(text) > limit("CONSULTATION_MAX_TEXT_CHARS"):
        raise ValidationError(
            {
                "text": [
                    _("Keep your comment under %(limit)d characters (it has %(count)d).")
                    % {"limit": limit("CONSULTATION_MAX_TEXT_CHARS"), "count": len(text)}
                ]
            }
        )
    return text


def _clean_answers(call: Call, answers: dict[Any, str] | None) -> dict[int, str]:
    questions = {q.pk: q for q in call.questions.all()}
    cleaned: dict[int, str] = {}
    errors: dict[str, list[str]] = {}
    for key, value in (answers or {}).items():
        try:
            question_id = int(key)
        except (TypeError, ValueError):
            question_id = -1
        if question_id not in questions:
            raise ValidationError(
                {"answers": [_("An answer refers to a question this call does not ask.")]}
            )
        value = (value or "").replace("\x00", "").strip()
        if len(value) > limit("CONSULTATION_MAX_ANSWER_CHARS"):
            errors[f"answer_{question_id}"] = [
                _("Keep each answer under %(limit)d characters.")
                % {"limit": limit("CONSULTATION_MAX_ANSWER_CHARS")}
            ]
        if value:
            cleaned[question_id] = value
    for question in questions.values():
        if question.required and question.pk not in cleaned:
            errors[f"answer_{question.pk}"] = [_("This question needs an answer.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_language(call: Call, language: str) -> str:
    if language not in (call.languages or language_codes()):
        raise ValidationError(
            {
                "language": [
                    _("This call accepts submissions in: %(languages)s.")
                    % {"languages": ", ".join(call.languages)}
                ]
            }
        )
    return language


def _check_attachments(
    files: Sequence[Any], *, already: int = 0
) -> list[tuple[IO[bytes], CheckedFile]]:
    files = [f for f in files or [] if f is not None]
    check_count(already + len(files), maximum=limit("CONSULTATION_MAX_ATTACHMENTS"))
    max_bytes = limit("CONSULTATION_MAX_ATTACHMENT_BYTES")
    checked = []
    for upload in files:
        checked.append(
            (upload, check_upload(upload, getattr(upload, "name", "") or "", max_bytes=max_bytes))
        )
    return checked


def _store_attachments(
    submission: Submission, checked: list[tuple[IO[bytes], CheckedFile]], stored: list[str]
) -> None:
    for handle, info in checked:
        name = store(handle, info, folder=f"consultations/{submission.call_id}")
        stored.append(name)
        Attachment.objects.create(
            submission=submission,
            file=name,
            filename=info.filename,
            content_type=info.kind.content_type,
            size=info.size,
            sha256=info.sha256,
        )


def _check_rate_limits(email: str, hashed_ip: str, now: dt.datetime) -> None:
    per_address = limit("CONSULTATION_MAX_SUBMISSIONS_PER_ADDRESS_PER_DAY")
    if (
        Submission.objects.filter(email=email, received_at__gte=now - dt.timedelta(days=1)).count()
        >= per_address
    ):
        raise ValidationError(
            _(
                "This address has sent %(limit)d submissions in the last 24 hours, the most "
                "allowed. Try again tomorrow, or edit a submission you already sent."
            )
            % {"limit": per_address}
        )
    per_ip = limit("CONSULTATION_MAX_SUBMISSIONS_PER_IP_PER_HOUR")
    if (
        hashed_ip
        and Submission.objects.filter(
            ip_hash=hashed_ip, received_at__gte=now - dt.timedelta(hours=1)
        ).count()
        >= per_ip
    ):
        raise ValidationError(
            _("Too many submissions came from your network in the last hour. Try again later.")
        )


def _publication_choice(call: Call, show_name: bool) -> bool:
    """Whether the submission is published without a name."""
    if call.publication == Publication.NAMED:
        return False
    if call.publication == Publication.ANONYMOUS:
        return True
    return not show_name


_MANAGE_SALT = "roundtable.consultations.submission_manage"


def _manage_secret(call: Call, key: str, email: str) -> str:
    """The secret of the author's link, derived from the form's idempotency key and
    the verified address (unguessable without SECRET_KEY).

    A double click can send the form twice at once: the second request waits, finds
    the first submission and must give this browser the same link, or whichever
    session is saved last loses it.
    """
    value = f"{call.pk}:{key}:{email}"
    return salted_hmac(_MANAGE_SALT, value, algorithm="sha256").hexdigest()


def _replayed(
    existing: Submission, call: Call, key: str, email: str
) -> tuple[Submission, str | None, bool]:
    """A replay of the form that made ``existing``: its link's secret, if it is the one
    derived from this form (always, unless the link was replaced since)."""
    secret = _manage_secret(call, key, email)
    return existing, secret if secret_hash(secret) == existing.manage_token_hash else None, False


def _existing_for_key(call: Call, key: str, email: str) -> Submission | None:
    existing = Submission.objects.filter(call=call, idempotency_key=key).first()
    if existing is None:
        return None
    if existing.email != email:
        raise ValidationError(_("This form was already used. Reload the page and try again."))
    return existing


@transaction.atomic
def submission_create(
    *,
    call: Call,
    author: Person | None = None,
    verification_secret: str = "",
    name: str,
    text: str = "",
    language: str,
    answers: dict[Any, str] | None = None,
    organisation: str = "",
    stakeholder_group: StakeholderGroup | str | None = None,
    region: Region | str | None = None,
    consent_to_publish: bool = True,
    show_name: bool = True,
    attachments: Sequence[Any] = (),
    idempotency_key: str = "",
    ip: str = "",
    honeypot: str = "",
    interface_language: str | None = None,
) -> tuple[Submission, str | None, bool]:
    """Receive a submission; returns it, the secret of its manage link, and whether it is new.

    A second request with the same ``idempotency_key`` (a double click, a
    retried upload) from the same address returns the first submission, with the
    same secret, and stores nothing.
    """
    _check_honeypot(honeypot)
    if not policy.can_view_call(author, call):
        raise PermissionDenied(_("You are not allowed to do this."))
    verification = None
    if is_authenticated(author):
        email = author.email.lower()
    else:
        author = None
        if not verification_secret:
            raise PermissionDenied(
                _("Log in, or confirm your e-mail address with the link we send you, first.")
            )
        # A replayed request carries a link already spent on the first one: look the
        # address up first, so the replay is recognised rather than refused.
        spent = EmailVerification.objects.filter(
            token_hash=secret_hash(verification_secret), call=call
        ).first()
        email = spent.email if spent else ""
    key = (idempotency_key or "").strip() or secrets.token_urlsafe(24)
    if not IDEMPOTENCY_KEY.match(key):
        raise ValidationError(_("The form is damaged. Reload the page and try again."))
    existing = _existing_for_key(call, key, email) if email else None
    if existing is not None:
        return _replayed(existing, call, key, email)
    if author is None:
        verification = verification_for_token(verification_secret)
        if verification.call_id != call.pk:
            raise ValidationError(_("This link was sent for another call."))
    now = timezone.now()
    _require_open(call, now)

    errors: dict[str, list[str]] = {}
    name = (name or "").strip()[:200]
    if not name:
        errors["name"] = [_("Please give your name (it is published only if you agree).")]
    text = _clean_text(text)
    cleaned_answers = _clean_answers(call, answers)
    if not text and not cleaned_answers:
        errors["text"] = [_("Write your comment, or answer at least one question.")]
    if errors:
        raise ValidationError(errors)
    language = _clean_language(call, language)
    group = resolve_group(stakeholder_group)
    place = resolve_region(region)
    hashed_ip = ip_hash(ip)
    _check_rate_limits(email, hashed_ip, now)
    checked = _check_attachments(attachments)

    # Allocate the receipt number under a row lock: numbers are gapless.
    locked = Call.objects.select_for_update().get(pk=call.pk)
    # A second click may have waited on the lock while the first committed.
    existing = _existing_for_key(call, key, email)
    if existing is not None:
        return _replayed(existing, call, key, email)
    secret = _manage_secret(call, key, email)
    stored: list[str] = []
    try:
        try:
            with transaction.atomic():
                submission = Submission.objects.create(
                    call=call,
                    number=locked.received_count + 1,
                    author=author,
                    email=email,
                    name=name,
                    organisation=(organisation or "").strip()[:200],
                    stakeholder_group=group,
                    region=place,
                    language=language,
                    contact_language=_interface_language(interface_language),
                    text=text,
                    consent_to_publish=bool(consent_to_publish),
                    anonymous=_publication_choice(call, show_name),
                    idempotency_key=key,
                    ip_hash=hashed_ip,
                    manage_token_hash=secret_hash(secret),
                    received_at=now,
                )
        except IntegrityError:
            # Another request with the same key won the race (PostgreSQL, READ COMMITTED).
            existing = _existing_for_key(call, key, email)
            if existing is not None:
                return _replayed(existing, call, key, email)
            raise
        Call.objects.filter(pk=call.pk).update(received_count=locked.received_count + 1)
        call.received_count = locked.received_count + 1
        Answer.objects.bulk_create(
            Answer(submission=submission, question_id=question_id, text=value)
            for question_id, value in cleaned_answers.items()
        )
        _store_attachments(submission, checked, stored)
        if verification is not None:
            EmailVerification.objects.filter(pk=verification.pk).update(used_at=now)
        audit_record(
            actor=author,
            action="submission.received",
            obj=submission,
            process=call.process,
            data={
                "call": call.pk,
                "reference": submission.reference,
                "attachments": len(checked),
                "verified_by_email": verification is not None,
            },
        )
        _send_receipt(submission, secret)
        from .analysis import analysis_request

        analysis_request(call=call)
    except BaseException:
        # Files are not transactional: remove what this attempt saved. (A rollback
        # later in the caller's transaction is covered by the periodic orphan sweep.)
        discard(stored)
        raise
    return submission, secret, True


def manage_url(submission: Submission, secret: str) -> str:
    return settings.SITE_URL + reverse(
        "consultations:manage",
        kwargs={
            "slug": submission.call.process.slug,
            "call_id": submission.call_id,
            "number": submission.number,
            "token": secret,
        },
    )


def permalink(submission: Submission) -> str:
    return settings.SITE_URL + submission.get_absolute_url()


def _send_receipt(submission: Submission, secret: str) -> None:
    call = submission.call
    subject, text, html = mail_render(
        template="consultations/email/receipt",
        context={
            "submission": submission,
            "call": call,
            "process": call.process,
            "permalink": permalink(submission),
            "manage_url": manage_url(submission, secret),
            "closes_at": timezone.localtime(call.closes_at, call.zone),
            "received_at": timezone.localtime(submission.received_at, call.zone),
            "attachments": list(submission.attachments.all()),
        },
        language=submission.contact_language,
    )
    mail_queue(
        to=submission.email,
        subject=subject,
        text=text,
        html=html,
        kind="consultation.receipt",
        headers={"X-Roundtable-Receipt": submission.reference},
    )


# --- Editing and withdrawing ---------------------------------------------------------------


@transaction.atomic
def submission_update(
    *,
    submission: Submission,
    actor: Any = None,
    token: str = "",
    text: str | None = None,
    answers: dict[Any, str] | None = None,
    name: str | None = None,
    organisation: str | None = None,
    stakeholder_group: StakeholderGroup | str | None = None,
    region: Region | str | None = None,
    language: str | None = None,
    consent_to_publish: bool | None = None,
    show_name: bool | None = None,
    add_attachments: Sequence[Any] = (),
    remove_attachments: Sequence[int] = (),
) -> Submission:
    """The author edits until the call closes; an approved text goes back to moderation."""
    submission = (
        Submission.objects.select_for_update().select_related("call__process").get(pk=submission.pk)
    )
    call = submission.call
    if not policy.is_author(actor, submission, token):
        raise PermissionDenied(_("You are not allowed to do this."))
    _require_open(call)
    require(policy.can_edit_submission(actor, submission, token))
    changes: dict[str, Any] = {}
    if text is not None:
        changes["text"] = _clean_text(text)
    if name is not None:
        name = name.strip()[:200]
        if not name:
            raise ValidationError({"name": [_("Please give your name.")]})
        changes["name"] = name
    if organisation is not None:
        changes["organisation"] = organisation.strip()[:200]
    if stakeholder_group is not None:
        changes["stakeholder_group"] = resolve_group(stakeholder_group)
    if region is not None:
        changes["region"] = resolve_region(region)
    if language is not None:
        changes["language"] = _clean_language(call, language)
    if consent_to_publish is not None:
        changes["consent_to_publish"] = bool(consent_to_publish)
    if show_name is not None:
        changes["anonymous"] = _publication_choice(call, show_name)
    new_answers = _clean_answers(call, answers) if answers is not None else None
    final_text = changes.get("text", submission.text)
    final_answers = (
        new_answers
        if new_answers is not None
        else {a.question_id: a.text for a in submission.answers.all()}
    )
    if not final_text and not final_answers:
        raise ValidationError({"text": [_("Write your comment, or answer at least one question.")]})
    removable = set(submission.attachments.values_list("pk", flat=True))
    remove = {int(pk) for pk in remove_attachments or []}
    if remove - removable:
        raise ValidationError({"attachments": [_("That file is not part of this submission.")]})
    checked = _check_attachments(add_attachments, already=len(removable - remove))

    changed = sorted(
        field for field, value in changes.items() if getattr(submission, field) != value
    )
    if new_answers is not None and new_answers != {
        a.question_id: a.text for a in submission.answers.all()
    }:
        changed.append("answers")
    if remove:
        changed.append("attachments_removed")
    if checked:
        changed.append("attachments_added")
    if not changed:
        return submission
    for field, value in changes.items():
        setattr(submission, field, value)
    before_status = submission.status
    # What moderators approved is not what is there now: it is checked again.
    content_changed = {"text", "answers", "attachments_added", "name", "organisation"} & set(
        changed
    )
    if content_changed and submission.status in (
        SubmissionStatus.APPROVED,
        SubmissionStatus.CHANGES_REQUESTED,
    ):
        submission.status = SubmissionStatus.PENDING
    submission.updated_at = timezone.now()
    stored: list[str] = []
    try:
        submission.save()
        if new_answers is not None:
            submission.answers.all().delete()
            Answer.objects.bulk_create(
                Answer(submission=submission, question_id=qid, text=value)
                for qid, value in new_answers.items()
            )
        if remove:
            for attachment in submission.attachments.filter(pk__in=remove):
                stored_name = attachment.file.name
                attachment.delete()
                transaction.on_commit(lambda name=stored_name: discard([name]))
        _store_attachments(submission, checked, stored)
    except BaseException:
        discard(stored)
        raise
    audit_record(
        actor=actor if is_authenticated(actor) else None,
        action="submission.edited",
        obj=submission,
        process=call.process,
        data={"changed": changed, "status_before": before_status, "status": submission.status},
    )
    from .analysis import analysis_request

    analysis_request(call=call)
    return submission


@transaction.atomic
def submission_withdraw(
    *, submission: Submission, actor: Any = None, token: str = ""
) -> Submission:
    """Withdrawn, not deleted: the receipt stays countable, the text leaves every public view."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not policy.is_author(actor, submission, token):
        raise PermissionDenied(_("You are not allowed to do this."))
    _require_open(submission.call)
    require(policy.can_withdraw_submission(actor, submission, token))
    before = submission.status
    submission.status = SubmissionStatus.WITHDRAWN
    submission.withdrawn_at = timezone.now()
    submission.save(update_fields=["status", "withdrawn_at"])
    audit_record(
        actor=actor if is_authenticated(actor) else None,
        action="submission.withdrawn",
        obj=submission,
        process=submission.call.process,
        data={"status_before": before},
    )
    from .analysis import analysis_request

    analysis_request(call=submission.call)
    return submission


def attachment_limits() -> dict[str, Any]:
    """The limits to tell people before they upload."""
    return {
        "max_files": limit("CONSULTATION_MAX_ATTACHMENTS"),
        "max_size": human_size(limit("CONSULTATION_MAX_ATTACHMENT_BYTES")),
    }
