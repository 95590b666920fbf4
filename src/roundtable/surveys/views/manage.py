"""The secretariat's survey pages, and the survey list and page everyone sees."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roundtable.core.forms import apply_validation_error
from roundtable.processes.views import process_for

from .. import conf, policy, selectors, services
from ..assessment import SLUG as ASSESSMENT_SLUG
from ..assessment import assessment_xlsx
from ..forms import (
    CopyForm,
    FileForm,
    InvitationsForm,
    PublishForm,
    SurveyCreateForm,
    SurveySettingsForm,
)
from ..models import Survey, SurveyStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def survey_for(request: HttpRequest, slug: str, pk: int) -> Survey:
    """The survey, or 404 for anyone who may not see it (its existence included)."""
    process = process_for(request, slug)
    survey = get_object_or_404(Survey.objects.select_related("process"), pk=pk, process=process)
    if not policy.can_view_survey(request.user, survey):
        raise Http404
    return survey


def read_upload(upload, limit: int) -> bytes:
    if upload.size > limit:
        raise ValidationError(
            {
                "file": [
                    _("The file is larger than %(limit)d MB.")
                    % {"limit": max(1, limit // (1024 * 1024))}
                ]
            }
        )
    return upload.read()


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def survey_list(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_view_surveys(request.user, process))
    return render(
        request,
        "surveys/list.html",
        {
            "process": process,
            "surveys": selectors.surveys_visible_to(person=request.user, process=process),
            "can_manage": policy.can_manage_surveys(request.user, process),
            "waiting": selectors.waiting_invitations(person=request.user, process=process),
            "nav_current": "surveys",
        },
    )


def survey_new(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_manage_surveys(request.user, process))
    form = SurveyCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data.get("file")
            uploaded = form.cleaned_data["source"] == "upload"
            survey = services.survey_create(
                actor=request.user,
                process=process,
                title=form.cleaned_data["title"],
                template="" if uploaded else form.cleaned_data["source"],
                data=read_upload(upload, conf.max_form_bytes()) if uploaded else None,
                filename=upload.name if uploaded else "",
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The survey was created as a draft."))
            return redirect(survey)
    return render(
        request,
        "surveys/new.html",
        {"process": process, "form": form, "nav_current": "surveys"},
        status=400 if form.errors else 200,
    )


def assessment_download(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_view_surveys(request.user, process))
    return xlsx_response(assessment_xlsx(), f"{ASSESSMENT_SLUG}.xlsx")


def survey_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    survey = survey_for(request, slug, pk)
    person = request.user
    can_manage = policy.can_manage_surveys(person, survey.process)
    invitation = selectors.invitation_for(person=person, survey=survey)
    context = {
        "process": survey.process,
        "survey": survey,
        "form": survey.form,
        "can_manage": can_manage,
        "can_view_results": policy.can_view_results(person, survey),
        "invitation": invitation,
        "nav_current": "surveys",
        "questions": len(survey.form.questions),
    }
    if can_manage:
        context |= {
            "progress": selectors.survey_progress(survey=survey),
            "publish_form": PublishForm(initial={"audience": survey.results_audience}),
            "replace_form": FileForm() if survey.status == SurveyStatus.DRAFT else None,
            "copy_form": CopyForm(),
            "open_url": request.build_absolute_uri(
                f"/p/{survey.process.slug}/surveys/{survey.pk}/link/{survey.open_key}/"
            )
            if survey.open_link and survey.open_key
            else "",
            "release_batch": max(survey.min_cell, conf.release_batch()),
        }
    return render(request, "surveys/detail.html", context)


def survey_settings(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    survey = survey_for(request, slug, pk)
    require(policy.can_manage_surveys(request.user, survey.process))
    initial = {
        "title": survey.title,
        "description": survey.description,
        "closes_on": survey.closes_on,
        "min_cell": survey.min_cell,
        "open_link": survey.open_link,
    }
    form = SurveySettingsForm(request.POST or None, initial=initial)
    if survey.status != SurveyStatus.DRAFT:
        form.fields["min_cell"].disabled = True
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial[k]}
        try:
            if changes:
                services.survey_update(actor=request.user, survey=survey, **changes)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The survey's settings were saved."))
            return redirect(survey)
    return render(
        request,
        "surveys/settings.html",
        {"process": survey.process, "survey": survey, "form": form, "nav_current": "surveys"},
        status=400 if form.errors else 200,
    )


def _error_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_POST
def survey_replace_form(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    survey = survey_for(request, slug, pk)
    require(policy.can_manage_surveys(request.user, survey.process))
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the XLSForm file to upload."))
        return redirect(survey)
    upload = form.cleaned_data["file"]
    try:
        services.survey_replace_form(
            actor=request.user,
            survey=survey,
            data=read_upload(upload, conf.max_form_bytes()),
            filename=upload.name,
        )
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("The form was replaced."))
    return redirect(survey)


def survey_form_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    survey = survey_for(request, slug, pk)
    name = (
        survey.source_name if survey.source_name.endswith(".xlsx") else f"survey-{survey.pk}.xlsx"
    )
    return xlsx_response(bytes(survey.source), name.replace('"', ""))


@require_POST
def survey_copy(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    survey = survey_for(request, slug, pk)
    require(policy.can_manage_surveys(request.user, survey.process))
    form = CopyForm(request.POST)
    form.is_valid()
    copy = services.survey_copy(
        actor=request.user, survey=survey, title=form.cleaned_data.get("title", "")
    )
    messages.success(request, _("A copy was made as a new draft: adapt it, then open it."))
    return redirect(copy)


@require_POST
def survey_open(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    survey = survey_for(request, slug, pk)
    require(policy.can_manage_surveys(request.user, survey.process))
    try:
        services.survey_open(actor=request.user, survey=survey)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("The survey is open. Invite respondents now."))
    return redirect(survey)


@require_POST
def survey_close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    survey = survey_for(request, slug, pk)
    require(policy.can_manage_surveys(request.user, survey.process))
    try:
        services.survey_close(actor=request.user, survey=survey)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("The survey is closed; every response is in the results."))
    return redirect(survey)


@require_POST
def survey_publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    survey = survey_for(request, slug, pk)
    require(policy.can_manage_surveys(request.user, survey.process))
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose who may see the results."))
        return redirect(survey)
    services.survey_publish(
        actor=request.user, survey=survey, audience=form.cleaned_data["audience"]
    )
    messages.success(
        request,
        _("The results are now visible to %(audience)s.")
        % {"audience": survey.get_results_audience_display()},
    )
    return redirect(survey)


def survey_invitations(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    survey = survey_for(request, slug, pk)
    require(policy.can_view_invitations(request.user, survey))
    form = InvitationsForm(request.POST or None)
    if request.method == "POST":
        require(policy.can_manage_surveys(request.user, survey.process))
        if form.is_valid():
            try:
                sent = services.invitations_send(
                    actor=request.user,
                    survey=survey,
                    audience=form.cleaned_data["audience"],
                    emails=form.addresses(),
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(sent)d invitations sent; %(already)d already had one.")
                    % {"sent": sent.created, "already": sent.already_invited},
                )
                return redirect("surveys:invitations", slug=slug, pk=pk)
    page = Paginator(survey.invitations.order_by("email"), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/invitations.html",
        {
            "process": survey.process,
            "survey": survey,
            "form": form,
            "page": page,
            "progress": selectors.survey_progress(survey=survey),
            "nav_current": "surveys",
        },
        status=400 if form.errors else 200,
    )


def survey_import(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    survey = survey_for(request, slug, pk)
    require(policy.can_manage_surveys(request.user, survey.process))
    form = FileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = services.responses_import(
                actor=request.user,
                survey=survey,
                data=read_upload(upload, conf.max_import_bytes()),
                filename=upload.name,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(count)d responses were imported.") % {"count": count})
            return redirect(survey)
    return render(
        request,
        "surveys/import.html",
        {
            "process": survey.process,
            "survey": survey,
            "form": form,
            "columns": [
                (q.name, q.kind, [c.name for c in survey.form.choices_for(q)])
                for q in survey.form.questions
            ],
            "nav_current": "surveys",
        },
        status=400 if form.errors else 200,
    )
