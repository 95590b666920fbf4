"""The working-paper library: submit, number, publish, language versions side by side."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roundtable.core.forms import apply_validation_error

from .. import policy, services
from ..forms import PaperForm, PaperManageForm, PaperVersionForm, SeriesForm, language_choices
from ..models import PaperVersion, WorkingPaper
from .common import process_for, require


def _language_names() -> dict[str, str]:
    return dict(language_choices())


def library(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_view_library(request.user, process))
    papers = (
        WorkingPaper.objects.filter(process=process, published_at__isnull=False)
        .select_related("series")
        .prefetch_related("versions", "issues")
    )
    manage = policy.can_manage_papers(request.user, process)
    awaiting = (
        WorkingPaper.objects.filter(process=process, published_at__isnull=True).select_related(
            "series", "submitted_by"
        )
        if manage
        else WorkingPaper.objects.none()
    )
    mine = (
        WorkingPaper.objects.filter(
            process=process, published_at__isnull=True, submitted_by=request.user
        )
        if request.user.is_authenticated and not manage
        else WorkingPaper.objects.none()
    )
    languages = sorted({v.language for p in papers for v in p.versions.all()})
    by_series: dict = {}
    for paper in papers:
        by_series.setdefault(paper.series, []).append(paper)
    return render(
        request,
        "consultations/library.html",
        {
            "process": process,
            "by_series": list(by_series.items()),
            "languages": languages,
            "language_names": _language_names(),
            "awaiting": awaiting,
            "mine": mine,
            "can_submit": policy.can_submit_paper(request.user, process),
            "can_manage": manage,
            "nav_current": "papers",
        },
    )


def paper_submit(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    require(policy.can_submit_paper(request.user, process))
    form = PaperForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            paper = services.paper_submit(actor=request.user, process=process, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your paper was submitted. The secretariat will give it a symbol and "
                    "publish it."
                ),
            )
            return redirect(paper)
    return render(
        request,
        "consultations/paper_submit.html",
        {"process": process, "form": form, "nav_current": "papers"},
        status=400 if form.errors else 200,
    )


def _paper_for(request: HttpRequest, slug: str, paper_id: int) -> WorkingPaper:
    process = process_for(request, slug)
    paper = get_object_or_404(
        WorkingPaper.objects.select_related("process", "series", "submitted_by").prefetch_related(
            Prefetch("versions", queryset=PaperVersion.objects.order_by("language")), "issues"
        ),
        pk=paper_id,
        process=process,
    )
    if not policy.can_view_paper(request.user, paper):
        raise Http404
    return paper


def paper_detail(request: HttpRequest, slug: str, paper_id: int) -> HttpResponse:
    paper = _paper_for(request, slug, paper_id)
    manage = policy.can_manage_papers(request.user, paper.process)
    return render(
        request,
        "consultations/paper_detail.html",
        {
            "process": paper.process,
            "paper": paper,
            "versions": list(paper.versions.all()),
            "language_names": _language_names(),
            "can_manage": manage,
            "can_add_version": policy.can_add_paper_version(request.user, paper),
            "manage_form": PaperManageForm(
                paper=paper,
                initial={
                    "series": str(paper.series_id or ""),
                    "status": paper.status,
                    "issues": [str(i.pk) for i in paper.issues.all()],
                },
            )
            if manage
            else None,
            "version_form": PaperVersionForm(),
            "nav_current": "papers",
        },
    )


@require_POST
def paper_manage(request: HttpRequest, slug: str, paper_id: int) -> HttpResponse:
    paper = _paper_for(request, slug, paper_id)
    require(policy.can_manage_papers(request.user, paper.process))
    form = PaperManageForm(request.POST, paper=paper)
    if form.is_valid():
        try:
            services.paper_update(
                actor=request.user,
                paper=paper,
                series=int(form.cleaned_data["series"]) if form.cleaned_data["series"] else None,
                status=form.cleaned_data["status"],
                issues=[int(i) for i in form.cleaned_data["issues"]],
            )
            if "publish" in request.POST:
                services.paper_publish(actor=request.user, paper=paper)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            paper.refresh_from_db()
            messages.success(
                request,
                _("%(symbol)s was published in the library.") % {"symbol": paper.symbol}
                if "publish" in request.POST
                else _("The paper was saved."),
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(paper)


@require_POST
def paper_version(request: HttpRequest, slug: str, paper_id: int) -> HttpResponse:
    paper = _paper_for(request, slug, paper_id)
    require(policy.can_add_paper_version(request.user, paper))
    form = PaperVersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.paper_add_version(actor=request.user, paper=paper, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The language version was added."))
            return redirect(paper)
    return render(
        request,
        "consultations/paper_detail.html",
        {
            "process": paper.process,
            "paper": paper,
            "versions": list(paper.versions.all()),
            "language_names": _language_names(),
            "can_manage": policy.can_manage_papers(request.user, paper.process),
            "can_add_version": True,
            "manage_form": None,
            "version_form": form,
            "nav_current": "papers",
        },
        status=400,
    )


def paper_file(request: HttpRequest, slug: str, paper_id: int, version_id: int) -> HttpResponse:
    paper = _paper_for(request, slug, paper_id)
    version = get_object_or_404(PaperVersion, pk=version_id, paper=paper)
    try:
        handle = version.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    name = version.filename
    if paper.symbol:
        name = f"{paper.symbol.replace('/', '-')}-{version.language}{name[name.rfind('.') :]}"
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=version.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def series(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_manage_papers(request.user, process))
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.series_create(actor=request.user, process=process, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The series was created."))
            return redirect("consultations:series", slug=process.slug)
    return render(
        request,
        "consultations/series.html",
        {
            "process": process,
            "form": form,
            "series_list": process.paper_series.all(),
            "nav_current": "papers",
        },
        status=400 if form.errors else 200,
    )
