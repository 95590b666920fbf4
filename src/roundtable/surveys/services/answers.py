"""Answering (drafts, submitting), batches of responses, imports."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.audit.services import audit_record
from roundtable.people.models import Person
from roundtable.people.tokens import new_secret, secret_hash

from .. import answering, conf, policy
from ..models import (
    PendingResponse,
    Response,
    Survey,
    SurveyDraft,
    SurveyInvitation,
    SurveyStatus,
)
from ..responses import ResponseError, read_answers
from ._common import _require, check_workbook

# --- Answering -----------------------------------------------------------------------


@dataclass
class AnswerKey:
    """What an answering link stands for."""

    survey: Survey
    invitation: SurveyInvitation | None
    draft: SurveyDraft | None
    resume_hash: str | None


def _closed_error(survey: Survey) -> ValidationError:
    return ValidationError(_("This survey is closed. Thank you for your interest."), code="closed")


def answer_key(*, survey: Survey, key: str) -> AnswerKey:
    """The invitation or open-link draft behind ``key``, or why it cannot be used."""
    hashed = secret_hash(key or "")
    invitation = (
        SurveyInvitation.objects.filter(survey=survey, token_hash=hashed)
        .select_related("draft")
        .first()
    )
    if invitation is not None:
        if invitation.used:
            raise ValidationError(
                _("This link has already been used to answer. Each link can be used once."),
                code="used",
            )
        if not survey.is_open:
            raise _closed_error(survey)
        # A missing one-to-one raises an AttributeError subclass: getattr's default covers it.
        draft = getattr(invitation, "draft", None)
        return AnswerKey(survey, invitation, draft, None)
    draft = SurveyDraft.objects.filter(survey=survey, resume_hash=hashed).first()
    if draft is not None:
        if not survey.is_open:
            raise _closed_error(survey)
        return AnswerKey(survey, None, draft, hashed)
    raise ValidationError(
        _(
            "This link is not valid. Check that you copied the whole link; if you already "
            "answered, your answers were saved."
        ),
        code="invalid",
    )


@transaction.atomic
def open_link_start(*, survey: Survey, open_key: str, language: str = "") -> str:
    """Start answering through the open link; returns the respondent's resume key."""
    if (
        not survey.open_link
        or not survey.open_key
        or not secrets.compare_digest(survey.open_key, open_key or "")
    ):
        raise ValidationError(_("This link is not valid."), code="invalid")
    if not survey.is_open:
        raise _closed_error(survey)
    key = new_secret()
    SurveyDraft.objects.create(survey=survey, resume_hash=secret_hash(key), language=language[:10])
    return key


@transaction.atomic
def draft_save(*, access: AnswerKey, answers: dict[str, str], page: int, language: str) -> None:
    """Keep answers given so far (the respondent may come back with the same link)."""
    draft = access.draft
    if draft is None:
        draft = SurveyDraft(survey=access.survey, invitation=access.invitation)
    else:
        draft = SurveyDraft.objects.select_for_update().get(pk=draft.pk)
    draft.answers = answering.prune(access.survey.form, answers, timezone.localdate())
    draft.page = max(int(page), 0)
    draft.language = (language or "")[:10]
    draft.updated_at = timezone.now()
    draft.save()
    access.draft = draft


@transaction.atomic
def response_submit(*, access: AnswerKey, answers: dict[str, str]) -> None:
    """Store the answers anonymously and forget where they came from.

    In one transaction: the answers are checked again, stored as a pending
    response with no link to anyone, the draft is deleted and the invitation
    marked used. No e-mail, audit entry or timestamp records the moment.
    """
    survey = Survey.objects.select_for_update().get(pk=access.survey.pk)
    if not survey.is_open:
        raise _closed_error(survey)
    form = survey.form
    today = timezone.localdate()
    answers = answering.prune(form, answers, today)
    problems = answering.missing(form, answers, today)
    if problems:
        raise ValidationError(
            {
                name: [problem.render(form, form.default_language, _)]
                for name, problem in problems.items()
            }
        )
    if access.invitation is not None:
        claimed = SurveyInvitation.objects.filter(pk=access.invitation.pk, used=False).update(
            used=True
        )
        if not claimed:
            raise ValidationError(
                _("This link has already been used to answer. Each link can be used once."),
                code="used",
            )
        SurveyDraft.objects.filter(invitation_id=access.invitation.pk).delete()
    elif access.resume_hash:
        deleted = SurveyDraft.objects.filter(resume_hash=access.resume_hash).delete()[0]
        if not deleted:
            raise ValidationError(_("These answers were already submitted."), code="used")
    PendingResponse.objects.create(survey=survey, answers=answers)


def responses_release(*, survey: Survey | None = None) -> int:
    """Move waiting answers into the results in shuffled batches of at least k.

    Runs apart from submitting (a periodic job), so the transaction that
    marks an invitation used never writes a response row.
    """
    released = 0
    surveys = Survey.objects.filter(pending__isnull=False).distinct()
    if survey is not None:
        surveys = surveys.filter(pk=survey.pk)
    for item in surveys:
        with transaction.atomic():
            locked = Survey.objects.select_for_update().get(pk=item.pk)
            pending = list(locked.pending.all())
            if len(pending) < max(locked.min_cell, conf.release_batch()):
                continue
            random.SystemRandom().shuffle(pending)
            Response.objects.bulk_create(
                [Response(survey=locked, answers=row.answers) for row in pending]
            )
            PendingResponse.objects.filter(pk__in=[row.pk for row in pending]).delete()
            Survey.objects.filter(pk=locked.pk).update(results_version=F("results_version") + 1)
            audit_record(
                actor=None,
                action="survey.responses_added",
                obj=locked,
                process=locked.process,
                data={"count": len(pending)},
            )
            released += len(pending)
    return released


@transaction.atomic
def responses_import(*, actor: Person, survey: Survey, data: bytes, filename: str = "") -> int:
    """Add responses collected elsewhere (paper, Word, another tool) from CSV or XLSX.

    The whole file is checked first: a single problem and nothing is imported.
    """
    _require(policy.can_manage_surveys(actor, survey.process))
    if survey.status == SurveyStatus.CLOSED:
        raise ValidationError({"file": [_("A closed survey takes no more responses.")]})
    if len(data) > conf.max_import_bytes():
        raise ValidationError(
            {
                "file": [
                    _("The file is larger than %(limit)d MB.")
                    % {"limit": conf.max_import_bytes() // (1024 * 1024)}
                ]
            }
        )
    check_workbook(data, "file", filename or "responses.xlsx")
    try:
        rows = read_answers(
            survey.form,
            data,
            filename=filename,
            max_rows=conf.max_import_rows(),
            max_text_chars=conf.max_answer_chars(),
        )
    except ResponseError as error:
        raise ValidationError({"file": error.messages(_)}) from None
    rows = [row for row in rows if row]
    if not rows:
        raise ValidationError({"file": [_("The file has no responses.")]})
    random.SystemRandom().shuffle(rows)
    Response.objects.bulk_create([Response(survey=survey, answers=row) for row in rows])
    Survey.objects.filter(pk=survey.pk).update(
        results_version=F("results_version") + 1, imported_count=F("imported_count") + len(rows)
    )
    survey.refresh_from_db(fields=["results_version", "imported_count"])
    audit_record(
        actor=actor,
        action="survey.responses_imported",
        obj=survey,
        process=survey.process,
        data={"count": len(rows), "file": filename[:200]},
    )
    return len(rows)


def ui_language(form_language: str) -> str | None:
    """The site language that matches a form language (``zh`` -> ``zh-hans``), if any."""
    codes = [code for code, _name in settings.LANGUAGES]
    base = form_language.lower().split("-")[0]
    for code in codes:
        if code == form_language.lower():
            return code
    for code in codes:
        if code.split("-")[0] == base:
            return code
    return None
