"""Creating, changing, opening, closing and publishing surveys."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.audit.services import audit_record
from roundtable.people.models import Person
from roundtable.processes.models import Process

from .. import conf, policy
from ..models import (
    Response,
    ResultsAudience,
    Survey,
    SurveyStatus,
)
from ._common import TEMPLATES, _form_from, _require, _title

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
    closes_on = changes.get("closes_on")
    if closes_on is not None and closes_on < timezone.localdate() and closes_on != survey.closes_on:
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
