"""Results: the page, and the CSV, XLSX, HTML and PDF exports (the same figures)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _

from roundtable.core.pdf import html_to_pdf

from .. import policy, selectors, services
from ..models import Survey
from ..report import ReportContext, Texts, render_csv, render_html, render_xlsx
from .manage import XLSX, require, survey_for

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX,
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


def report_texts() -> Texts:
    return Texts(
        gettext=gettext,
        ngettext=ngettext,
        number=lambda value, digits: formats.number_format(value, digits),
        language=translation.get_language() or "en",
        rtl=translation.get_language_bidi(),
    )


def results(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    survey = survey_for(request, slug, pk)
    require(policy.can_view_results(request.user, survey))
    by = selectors.valid_by(survey, request.GET.get("by"))
    tabulation = selectors.survey_results(survey=survey, by=by)
    progress = (
        selectors.survey_progress(survey=survey)
        if policy.can_manage_surveys(request.user, survey.process)
        else None
    )
    return render(
        request,
        "surveys/results.html",
        {
            "process": survey.process,
            "survey": survey,
            "results": tabulation,
            "scores": selectors.survey_scorecard(survey=survey, results=tabulation),
            "by": by,
            "by_choices": selectors.by_choices(survey, translation.get_language()),
            "progress": progress,
            "export_formats": [
                ("csv", "CSV"),
                ("xlsx", "Excel (XLSX)"),
                ("html", _("HTML report")),
                ("pdf", _("PDF report")),
            ],
            "nav_current": "surveys",
        },
    )


def export(survey: Survey, *, by: str | None, file_format: str, actor: object) -> HttpResponse:
    tabulation = selectors.survey_results(survey=survey, by=by)
    if tabulation is None:
        raise Http404
    services.results_export_record(actor=actor, survey=survey, file_format=file_format, by=by)
    scores = selectors.survey_scorecard(survey=survey, results=tabulation)
    texts = report_texts()
    stem = f"survey-{survey.pk}-results" + (f"-by-{by}" if by else "")
    if file_format == "csv":
        body: bytes | str = render_csv(tabulation)
    elif file_format == "xlsx":
        body = render_xlsx(tabulation, scores, texts=texts)
    else:
        status = _("published") if survey.is_published else _("not published")
        html = render_html(
            tabulation,
            scores,
            context=ReportContext(
                title=survey.title,
                subtitle=_("%(process)s · %(date)s · results %(status)s")
                % {
                    "process": survey.process.name,
                    "date": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
                    "status": status,
                },
            ),
            texts=texts,
        )
        body = html if file_format == "html" else html_to_pdf(html)
    response = HttpResponse(body, content_type=FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{file_format}"'
    return response


def results_export(request: HttpRequest, slug: str, pk: int, file_format: str) -> HttpResponse:
    survey = survey_for(request, slug, pk)
    require(policy.can_export_results(request.user, survey))
    if file_format not in FORMATS:
        raise Http404
    by = selectors.valid_by(survey, request.GET.get("by"))
    return export(survey, by=by, file_format=file_format, actor=request.user)
