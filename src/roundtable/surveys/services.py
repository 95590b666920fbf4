"""Writes about surveys: each keyword-only, in one transaction, policy-checked, audited.

Answering is the exception to "audited": nothing about a respondent's
answering is written anywhere but the draft (deleted on submit), the
invitation's ``used`` flag and the anonymous pending response. See the
models' docstring for how anonymity is kept.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from roundtable.audit.services import audit_record
from roundtable.core.mail import mail_queue, mail_render
from roundtable.people.models import Person
from roundtable.people.tokens import new_secret, secret_hash
from roundtable.processes.models import Process, Role
from roundtable.processes.selectors import current_memberships

from . import answering, conf, policy
from .assessment import SLUG as ASSESSMENT_SLUG
from .assessment import assessment_xlsx
from .models import (
    PendingResponse,
    Response,
    ResultsAudience,
    Survey,
    SurveyDraft,
    SurveyInvitation,
    SurveyStatus,
)
from .responses import ResponseError, read_answers
from .xlsform import Form, FormError, read_xlsform

TEMPLATES = {ASSESSMENT_SLUG: assessment_xlsx}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))


def _form_from(data: bytes, field: str = "file") -> Form:
    try:
        return read_xlsform(data, limits=conf.form_limits())
    except FormError as error:
        raise ValidationError({field: error.messages(_)}) from None


def _title(title: str | None, form: Form) -> str:
    title = " ".join((title or "").split())[:200] or form.title[:200]
    if not title:
        raise ValidationError({"title": [_("Give the survey a title.")]})
    return title


# --- Surveys -----------------------------------------------------------------------


@transaction.atomic
def survey_create(
    *,
    actor: Person,
    process: Process,
    title: str = "",
    template: str = "",
    data: bytes | None = None,
    filename: str = "",
    description: str = "",
) -> Survey:
    """A draft survey from a built-in template or an uploaded XLSForm."""
    _require(policy.can_manage_surveys(actor, process))
    if data is None:
        if template not in TEMPLATES:
            raise ValidationError(
                {"template": [_("Choose the built-in assessment or upload an XLSForm.")]}
            )
        data = TEMPLATES[template]()
        filename = f"{template}.xlsx"
    else:
        template = ""
    form = _form_from(data)
    survey = Survey(
        process=process,
        title=_title(title, form),
        description=(description or "").strip()[: conf.max_answer_chars()],
        definition=form.to_dict(),
        source=data,
        source_name=(filename or "form.xlsx")[:200],
        template=template,
        min_cell=max(conf.min_cell_floor(), 3),
        created_by=actor,
    )
    survey.full_clean(exclude=["source"])
    survey.save()
    audit_record(
        actor=actor,
        action="survey.created",
        obj=survey,
        process=process,
        data={"template": template, "file": survey.source_name, "questions": len(form.questions)},
    )
    return survey


@transaction.atomic
def survey_copy(*, actor: Person, survey: Survey, title: str = "") -> Survey:
    """A new draft with the same form, to adapt (or to run again later)."""
    _require(policy.can_manage_surveys(actor, survey.process))
    copy = Survey(
        process=survey.process,
        title=(" ".join(title.split()) or _("Copy of %(title)s") % {"title": survey.title})[:200],
        description=survey.description,
        definition=survey.definition,
        source=bytes(survey.source),
        source_name=survey.source_name,
        template=survey.template,
        min_cell=survey.min_cell,
        created_by=actor,
    )
    copy.save()
    audit_record(
        actor=actor,
        action="survey.copied",
        obj=copy,
        process=survey.process,
        data={"from": survey.pk},
    )
    return copy


@transaction.atomic
def survey_replace_form(*, actor: Person, survey: Survey, data: bytes, filename: str) -> Survey:
    _require(policy.can_manage_surveys(actor, survey.process))
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError({"file": [_("The form cannot change once the survey has opened.")]})
    form = _form_from(data)
    survey.definition = form.to_dict()
    survey.source = data
    survey.source_name = (filename or "form.xlsx")[:200]
    survey.template = ""
    survey.save(update_fields=["definition", "source", "source_name", "template"])
    survey.__dict__.pop("form", None)
    audit_record(
        actor=actor,
        action="survey.form_replaced",
        obj=survey,
        process=survey.process,
        data={"file": survey.source_name, "questions": len(form.questions)},
    )
    return survey


EDITABLE = ("title", "description", "closes_on", "min_cell", "open_link")


@transaction.atomic
def survey_update(*, actor: Person, survey: Survey, **changes: Any) -> Survey:
    _require(policy.can_manage_surveys(actor, survey.process))
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    errors: dict[str, list[str]] = {}
    before = {name: getattr(survey, name) for name in changes}
    if "title" in changes:
        changes["title"] = " ".join((changes["title"] or "").split())[:200]
        if not changes["title"]:
            errors["title"] = [_("Give the survey a title.")]
    if "description" in changes:
        changes["description"] = (changes["description"] or "").strip()[: conf.max_answer_chars()]
    if "min_cell" in changes:
        value = changes["min_cell"]
        floor, ceiling = conf.min_cell_floor(), conf.min_cell_ceiling()
        if survey.status != SurveyStatus.DRAFT and value != survey.min_cell:
            errors["min_cell"] = [
                _("The smallest group shown is fixed once the survey has opened.")
            ]
        elif value is None or not floor <= int(value) <= ceiling:
            errors["min_cell"] = [
                _("Choose a number from %(floor)d to %(ceiling)d.")
                % {"floor": floor, "ceiling": ceiling}
            ]
    if changes.get("closes_on") is not None:
        if changes["closes_on"] < timezone.localdate() and changes["closes_on"] != survey.closes_on:
            errors["closes_on"] = [_("The closing date cannot be in the past.")]
    if survey.status == SurveyStatus.CLOSED and {"closes_on", "open_link"} & set(changes):
        errors["__all__"] = [_("A closed survey stays closed.")]
    if errors:
        raise ValidationError(errors)
    for name, value in changes.items():
        setattr(survey, name, value)
    if survey.open_link and not survey.open_key:
        survey.open_key = secrets.token_urlsafe(24)
    survey.full_clean(exclude=["source"])
    survey.save()
    audit_record(
        actor=actor,
        action="survey.updated",
        obj=survey,
        process=survey.process,
        data={"before": before, "after": changes},
    )
    return survey


@transaction.atomic
def survey_open(*, actor: Person, survey: Survey) -> Survey:
    _require(policy.can_manage_surveys(actor, survey.process))
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError(_("Only a draft survey can be opened."))
    if survey.closes_on is not None and survey.closes_on < timezone.localdate():
        raise ValidationError({"closes_on": [_("The closing date cannot be in the past.")]})
    survey.status = SurveyStatus.OPEN
    survey.opened_at = timezone.now()
    if survey.open_link and not survey.open_key:
        survey.open_key = secrets.token_urlsafe(24)
    survey.save(update_fields=["status", "opened_at", "open_key"])
    audit_record(actor=actor, action="survey.opened", obj=survey, process=survey.process)
    return survey


@transaction.atomic
def survey_close(*, actor: Person | None, survey: Survey) -> Survey:
    """Close answering (``actor`` None: the closing date passed).

    Unfinished drafts are deleted, every waiting answer joins the results,
    and all responses are rewritten in one shuffled batch, so that nothing in
    the tables shows which batch a response came in.
    """
    if actor is not None:
        _require(policy.can_manage_surveys(actor, survey.process))
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if locked.status != SurveyStatus.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    drafts = survey.drafts.all().delete()[0]
    answers = [row.answers for row in survey.responses.all()]
    answers += [row.answers for row in survey.pending.all()]
    survey.pending.all().delete()
    survey.responses.all().delete()
    random.SystemRandom().shuffle(answers)
    Response.objects.bulk_create([Response(survey=survey, answers=a) for a in answers])
    Survey.objects.filter(pk=survey.pk).update(results_version=F("results_version") + 1)
    survey.refresh_from_db(fields=["results_version"])
    audit_record(
        actor=actor,
        action="survey.closed",
        obj=survey,
        process=survey.process,
        data={"responses": len(answers), "unfinished_drafts_deleted": drafts},
    )
    return survey


@transaction.atomic
def survey_publish(*, actor: Person, survey: Survey, audience: str) -> Survey:
    _require(policy.can_manage_surveys(actor, survey.process))
    if audience not in ResultsAudience.values:
        raise ValidationError(
            {"audience": [_("“%(value)s” is not a valid choice.") % {"value": audience}]}
        )
    before = survey.results_audience
    survey.results_audience = audience
    survey.published_at = None if audience == ResultsAudience.SECRETARIAT else timezone.now()
    survey.save(update_fields=["results_audience", "published_at"])
    audit_record(
        actor=actor,
        action="survey.published" if survey.is_published else "survey.unpublished",
        obj=survey,
        process=survey.process,
        data={"before": before, "after": audience},
    )
    return survey


@transaction.atomic
def results_export_record(*, actor: Any, survey: Survey, file_format: str, by: str | None) -> None:
    """Exports of results not yet published are exports of private data: audited."""
    if survey.results_audience == ResultsAudience.PUBLIC:
        return
    audit_record(
        actor=actor,
        action="survey.results_exported",
        obj=survey,
        process=survey.process,
        data={"format": file_format, "by": by or ""},
    )


# --- Invitations ---------------------------------------------------------------------


def invitation_token(invitation: SurveyInvitation) -> str:
    """The invitation's secret link token, derived again from its nonce and the site's key."""
    return salted_hmac(
        "roundtable.surveys.invitation", invitation.nonce, algorithm="sha256"
    ).hexdigest()


def answer_url(survey: Survey, key: str) -> str:
    return settings.SITE_URL + reverse(
        "surveys:answer", kwargs={"slug": survey.process.slug, "pk": survey.pk, "key": key}
    )


def _invitation_mail(invitation: SurveyInvitation, *, template: str, actor: Any = None) -> None:
    survey = invitation.survey
    subject, text, html = mail_render(
        template=f"surveys/email/{template}",
        context={
            "survey": survey,
            "process": survey.process,
            "inviter": actor,
            "url": answer_url(survey, invitation_token(invitation)),
            "closes_on": survey.closes_on,
            "min_cell": survey.min_cell,
        },
        language=invitation.language or settings.LANGUAGE_CODE,
    )
    mail_queue(
        to=invitation.email, subject=subject, text=text, html=html, kind=f"survey.{template}"
    )


def invitation_new(
    *, survey: Survey, email: str, person: Person | None, sent_at: dt.datetime
) -> SurveyInvitation:
    """One invitation row with a fresh nonce (its caller sends the e-mail)."""
    invitation = SurveyInvitation(
        survey=survey,
        person=person,
        email=email,
        language=person.preferred_language if person else settings.LANGUAGE_CODE,
        nonce=secrets.token_hex(16),
        sent_at=sent_at,
    )
    invitation.token_hash = secret_hash(invitation_token(invitation))
    invitation.save()
    return invitation


@dataclass
class InvitationsSent:
    created: int
    already_invited: int


ROLE_GROUPS = {
    "members": (Role.MEMBER,),
    "participants": (Role.CHAIR, Role.SECRETARIAT, Role.MEMBER, Role.OBSERVER),
}


@transaction.atomic
def invitations_send(
    *,
    actor: Person,
    survey: Survey,
    audience: str = "",
    emails: Iterable[str] = (),
) -> InvitationsSent:
    """Invite a process's members (or all participants) and/or listed addresses.

    Each address is invited once per survey; the e-mail goes out with the
    commit. Only while the survey is open.
    """
    _require(policy.can_manage_surveys(actor, survey.process))
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError(_("Invitations can only be sent while the survey is open."))
    if audience and audience not in ROLE_GROUPS:
        raise ValidationError(
            {"audience": [_("“%(value)s” is not a valid choice.") % {"value": audience}]}
        )
    wanted: dict[str, Person | None] = {}
    if audience:
        memberships = current_memberships(process=survey.process).filter(
            role__in=ROLE_GROUPS[audience]
        )
        for membership in memberships:
            wanted[membership.person.email.lower()] = membership.person
    bad = []
    for raw in emails:
        email = (raw or "").strip().lower()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            bad.append(email)
            continue
        wanted.setdefault(email, None)
    if bad:
        raise ValidationError(
            {
                "emails": [
                    _("Not valid e-mail addresses: %(emails)s") % {"emails": ", ".join(bad[:10])}
                ]
            }
        )
    if not wanted:
        raise ValidationError(
            {"emails": [_("Choose whom to invite: members, all participants, or addresses.")]}
        )
    limit = conf.max_invitations_per_request()
    if len(wanted) > limit:
        raise ValidationError(
            {"emails": [_("At most %(limit)d invitations at once.") % {"limit": limit}]}
        )
    existing = set(
        survey.invitations.filter(email__in=list(wanted)).values_list("email", flat=True)
    )
    people = {p.email.lower(): p for p in Person.objects.filter(email__in=list(wanted))}
    now = timezone.now()
    created = 0
    for email, person in wanted.items():
        if email in existing:
            continue
        invitation = invitation_new(
            survey=survey, email=email, person=person or people.get(email), sent_at=now
        )
        _invitation_mail(invitation, template="invitation", actor=actor)
        created += 1
    audit_record(
        actor=actor,
        action="survey.invitations_sent",
        obj=survey,
        process=survey.process,
        data={"sent": created, "already_invited": len(existing), "audience": audience},
    )
    return InvitationsSent(created, len(existing))


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind those who have not answered; idempotent, each reminder sent once.

    A first reminder goes ``SURVEY_REMINDER_AFTER_DAYS`` after the invitation;
    another ``SURVEY_REMINDER_BEFORE_CLOSE_DAYS`` before the closing date,
    at most ``SURVEY_MAX_REMINDERS`` in all. Each invitation is claimed with
    a conditional update in the transaction that queues its e-mail, so two
    workers never send the same reminder.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    after = dt.timedelta(days=conf.reminder_after_days())
    before_close = dt.timedelta(days=conf.reminder_before_close_days())
    most = conf.max_reminders()
    sent = 0
    candidates = SurveyInvitation.objects.filter(
        survey__status=SurveyStatus.OPEN,
        used=False,
        reminders_sent__lt=most,
        sent_at__lte=now - after,
    ).select_related("survey", "survey__process")
    for invitation in candidates.iterator():
        survey = invitation.survey
        if survey.closes_on is not None and survey.closes_on < today:
            continue
        due = False
        if invitation.reminders_sent == 0:
            due = True
        elif survey.closes_on is not None and survey.closes_on - today <= before_close:
            # A second reminder near the close, if the last one was before that window.
            window_start = survey.closes_on - before_close
            last = invitation.last_reminded_at
            due = last is None or timezone.localdate(last) < window_start
        if not due:
            continue
        with transaction.atomic():
            claimed = SurveyInvitation.objects.filter(
                pk=invitation.pk, used=False, reminders_sent=invitation.reminders_sent
            ).update(reminders_sent=F("reminders_sent") + 1, last_reminded_at=now)
            if not claimed:
                continue
            _invitation_mail(invitation, template="reminder")
        sent += 1
    return sent


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


def surveys_close_due(*, today: dt.date | None = None) -> int:
    """Close open surveys whose closing date has passed (periodic)."""
    today = today or timezone.localdate()
    closed = 0
    for survey in Survey.objects.filter(status=SurveyStatus.OPEN, closes_on__lt=today):
        try:
            survey_close(actor=None, survey=survey)
        except ValidationError:
            continue  # closed meanwhile by someone else
        closed += 1
    return closed


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
