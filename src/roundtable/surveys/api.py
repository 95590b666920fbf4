"""The surveys API: surveys, invitations, response imports, results and exports.

The same policy as the pages decides. Results come as aggregates only, with
the same small-cell suppression; no endpoint returns an individual response.
Answering is done on the web form (the link in the invitation).
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from roundtable.processes.api import process_for

from . import conf, policy, selectors, services
from .models import ResultsAudience, Survey
from .views.manage import XLSX
from .views.results import FORMATS, export

router = Router(tags=["surveys"])

BASE = "/processes/{slug}/surveys"
ONE = BASE + "/{survey_id}"


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def survey_for(request: HttpRequest, slug: str, survey_id: int) -> Survey:
    process = process_for(request, slug)
    survey = get_object_or_404(
        Survey.objects.select_related("process"), pk=survey_id, process=process
    )
    if not policy.can_view_survey(request.user, survey):
        raise Http404
    return survey


class SurveyOut(Schema):
    id: int
    title: str
    description: str
    status: str
    closes_on: dt.date | None
    min_cell: int
    open_link: bool
    results_audience: str
    published_at: dt.datetime | None
    template: str
    questions: int
    languages: list[str]


class ChoiceOut(Schema):
    name: str
    label: str


class QuestionOut(Schema):
    name: str
    type: str
    label: str
    required: bool
    relevant: str
    constraint: str
    choices: list[ChoiceOut]
    scorecard: list[str]


class ProgressOut(Schema):
    invited: int
    answered_by_invitation: int
    waiting: int
    responses: int
    imported: int
    drafts: int


class SurveyDetailOut(SurveyOut):
    form: list[QuestionOut]
    progress: ProgressOut | None = None


class SurveyIn(Schema):
    title: str = ""
    template: str = "partnership-assessment"
    description: str = ""


class SurveyPatch(Schema):
    title: str | None = None
    description: str | None = None
    closes_on: dt.date | None = None
    min_cell: int | None = None
    open_link: bool | None = None


class PublishIn(Schema):
    audience: ResultsAudience


class InvitationsIn(Schema):
    audience: str = ""
    emails: list[str] = []


class InvitationsOut(Schema):
    sent: int
    already_invited: int


class InvitationOut(Schema):
    email: str
    sent_at: dt.datetime | None
    reminders_sent: int
    used: bool


class ImportOut(Schema):
    imported: int


class ResultsQuery(Schema):
    by: str | None = None
    lang: str | None = None


class ExportQuery(Schema):
    format: str = "csv"
    by: str | None = None


def _summary(survey: Survey) -> dict[str, Any]:
    fields = (
        "id", "title", "description", "status", "closes_on", "min_cell", "open_link",
        "results_audience", "published_at", "template",
    )  # fmt: skip
    return {
        **{name: getattr(survey, name) for name in fields},
        "questions": len(survey.form.questions),
        "languages": survey.form.languages,
    }


def _detail(request: HttpRequest, survey: Survey, language: str | None = None) -> dict[str, Any]:
    form = survey.form
    lang = form.language(language or translation.get_language())
    data = _summary(survey)
    data["form"] = [
        {
            "name": q.name,
            "type": q.kind,
            "label": form.label(q, lang),
            "required": q.required,
            "relevant": q.relevant,
            "constraint": q.constraint,
            "choices": [
                {"name": c.name, "label": form.choice_label(c, lang)} for c in form.choices_for(q)
            ],
            "scorecard": q.scorecard,
        }
        for q in form.questions
    ]
    if policy.can_manage_surveys(request.user, survey.process):
        data["progress"] = vars(selectors.survey_progress(survey=survey))
    return data


@router.get(BASE, response=list[SurveyOut], summary="Surveys of the process the caller may see")
def list_surveys(request: HttpRequest, slug: str) -> Any:
    process = process_for(request, slug)
    require(policy.can_view_surveys(request.user, process))
    return [
        _summary(survey)
        for survey in selectors.surveys_visible_to(person=request.user, process=process)
    ]


@router.post(
    BASE, response={201: SurveyDetailOut}, summary="Create a draft from a built-in template"
)
def create_survey(request: HttpRequest, slug: str, payload: SurveyIn) -> Any:
    process = process_for(request, slug)
    require(policy.can_manage_surveys(request.user, process))
    survey = services.survey_create(
        actor=request.user,
        process=process,
        title=payload.title,
        template=payload.template,
        description=payload.description,
    )
    return Status(201, _detail(request, survey))


@router.post(
    BASE + "/upload", response={201: SurveyDetailOut}, summary="Create a draft from an XLSForm"
)
def upload_survey(
    request: HttpRequest, slug: str, file: File[UploadedFile], title: Form[str] = ""
) -> Any:
    process = process_for(request, slug)
    require(policy.can_manage_surveys(request.user, process))
    data = _read(file, conf.max_form_bytes())
    survey = services.survey_create(
        actor=request.user, process=process, title=title, data=data, filename=file.name or ""
    )
    return Status(201, _detail(request, survey))


def _read(upload: UploadedFile, limit: int) -> bytes:
    if upload.size and upload.size > limit:
        raise ValidationError(
            {
                "file": [
                    _("The file is larger than %(limit)d MB.")
                    % {"limit": max(1, limit // (1024 * 1024))}
                ]
            }
        )
    return upload.read()


@router.get(ONE, response=SurveyDetailOut)
def get_survey(request: HttpRequest, slug: str, survey_id: int, lang: str | None = None) -> Any:
    return _detail(request, survey_for(request, slug, survey_id), lang)


@router.patch(ONE, response=SurveyDetailOut)
def patch_survey(request: HttpRequest, slug: str, survey_id: int, payload: SurveyPatch) -> Any:
    survey = survey_for(request, slug, survey_id)
    require(policy.can_manage_surveys(request.user, survey.process))
    changes = payload.dict(exclude_unset=True)
    if changes:
        services.survey_update(actor=request.user, survey=survey, **changes)
    return _detail(request, survey)


@router.post(ONE + "/open", response=SurveyDetailOut)
def open_survey(request: HttpRequest, slug: str, survey_id: int) -> Any:
    survey = survey_for(request, slug, survey_id)
    require(policy.can_manage_surveys(request.user, survey.process))
    return _detail(request, services.survey_open(actor=request.user, survey=survey))


@router.post(ONE + "/close", response=SurveyDetailOut)
def close_survey(request: HttpRequest, slug: str, survey_id: int) -> Any:
    survey = survey_for(request, slug, survey_id)
    require(policy.can_manage_surveys(request.user, survey.process))
    return _detail(request, services.survey_close(actor=request.user, survey=survey))


@router.post(ONE + "/publish", response=SurveyDetailOut, summary="Choose who may see the results")
def publish_survey(request: HttpRequest, slug: str, survey_id: int, payload: PublishIn) -> Any:
    survey = survey_for(request, slug, survey_id)
    require(policy.can_manage_surveys(request.user, survey.process))
    services.survey_publish(actor=request.user, survey=survey, audience=payload.audience)
    return _detail(request, survey)


@router.get(ONE + "/form.xlsx", summary="The questions as an XLSForm")
def form_xlsx(request: HttpRequest, slug: str, survey_id: int) -> HttpResponse:
    survey = survey_for(request, slug, survey_id)
    response = HttpResponse(bytes(survey.source), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.xlsx"'
    return response


@router.get(ONE + "/invitations", response=list[InvitationOut])
@paginate(LimitOffsetPagination)
def list_invitations(request: HttpRequest, slug: str, survey_id: int) -> Any:
    survey = survey_for(request, slug, survey_id)
    require(policy.can_view_invitations(request.user, survey))
    return survey.invitations.order_by("email")


@router.post(ONE + "/invitations", response={201: InvitationsOut}, summary="Invite by e-mail")
def send_invitations(
    request: HttpRequest, slug: str, survey_id: int, payload: InvitationsIn
) -> Any:
    survey = survey_for(request, slug, survey_id)
    require(policy.can_manage_surveys(request.user, survey.process))
    sent = services.invitations_send(
        actor=request.user, survey=survey, audience=payload.audience, emails=payload.emails
    )
    return Status(201, {"sent": sent.created, "already_invited": sent.already_invited})


@router.post(ONE + "/responses", response={201: ImportOut}, summary="Import responses (CSV, XLSX)")
def import_responses(
    request: HttpRequest, slug: str, survey_id: int, file: File[UploadedFile]
) -> Any:
    survey = survey_for(request, slug, survey_id)
    require(policy.can_manage_surveys(request.user, survey.process))
    count = services.responses_import(
        actor=request.user,
        survey=survey,
        data=_read(file, conf.max_import_bytes()),
        filename=file.name or "",
    )
    return Status(201, {"imported": count})


@router.get(ONE + "/results", summary="Results: per question, breakdown, themes, scorecard")
def get_results(
    request: HttpRequest, slug: str, survey_id: int, query: Query[ResultsQuery]
) -> dict[str, Any]:
    survey = survey_for(request, slug, survey_id)
    require(policy.can_view_results(request.user, survey))
    if query.by and selectors.valid_by(survey, query.by) is None:
        raise ValidationError(
            {"by": [_("Results can only be broken down by a select_one question.")]}
        )
    language = survey.form.language(query.lang or translation.get_language())
    results = selectors.survey_results(survey=survey, by=query.by, language=language)
    if results is None:
        return {
            "available": False,
            "min_cell": survey.min_cell,
            "message": _("Results appear once at least %(count)d responses are in.")
            % {"count": survey.min_cell},
        }
    scores = selectors.survey_scorecard(survey=survey, results=results)
    return {
        "available": True,
        **results.as_dict(),
        "scorecard": [item.as_dict(translation.gettext) for item in scores],
    }


@router.get(ONE + "/results/export", summary="Results as CSV, XLSX, HTML or PDF")
def export_results(
    request: HttpRequest, slug: str, survey_id: int, query: Query[ExportQuery]
) -> HttpResponse:
    survey = survey_for(request, slug, survey_id)
    require(policy.can_export_results(request.user, survey))
    if query.format not in FORMATS:
        raise ValidationError(
            {"format": [_("Choose one of: %(formats)s.") % {"formats": ", ".join(FORMATS)}]}
        )
    return export(
        survey,
        by=selectors.valid_by(survey, query.by),
        file_format=query.format,
        actor=request.user,
    )


def register(api: Any) -> None:
    api.add_router("/", router)
