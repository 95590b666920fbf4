"""Exports: the form, the print view, a job's progress, and the permission-checked download."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from roundtable.core.forms import apply_validation_error

from .. import policy, services
from ..export import gather
from ..export.html_writer import render_html
from ..forms import ExportForm
from ..models import ExportFormat, ExportJob, ExportStatus, ExportView
from .common import document_for, int_or_none, require


def _requester_key(request: HttpRequest, create: bool = False) -> str:
    if request.user.is_authenticated:
        return ""
    if create and not request.session.session_key:
        request.session.save()
    return services.requester_key_for(request.session.session_key)


def export_form(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    document = document_for(request, slug, document_id)
    require(policy.can_export(request.user, document))
    revisions = [
        (entry.number, f"{entry.number} · {entry.created_at:%Y-%m-%d %H:%M} · {entry.summary}")
        for entry in document.revisions.all()[:500]
    ]
    form = ExportForm(
        request.POST or None,
        revisions=revisions,
        initial={
            "format": ExportFormat.PDF,
            "view": ExportView.CLEAN,
            "revision": int_or_none(request.GET.get("revision")) or document.revision,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            job, queued = services.export_request(
                actor=request.user,
                document=document,
                language=translation.get_language() or "en",
                requester_key=_requester_key(request, create=True),
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if not queued:
                services.export_run(job_id=job.pk)
                job.refresh_from_db()
                if job.status == ExportStatus.DONE:
                    return _download(job)
            messages.info(
                request,
                _(
                    "This is a large document: the export runs in the background. "
                    "This page shows its progress."
                ),
            )
            return redirect(
                "drafting:export_job", slug=slug, document_id=document.pk, job_id=job.pk
            )
    jobs = ExportJob.objects.filter(document=document)
    if request.user.is_authenticated:
        jobs = jobs.filter(requested_by=request.user)
    else:
        key = _requester_key(request)
        jobs = jobs.filter(requester_key=key) if key else jobs.none()
    return render(
        request,
        "drafting/export_form.html",
        {
            "process": document.process,
            "document": document,
            "form": form,
            "jobs": jobs[:20],
            "nav_current": "drafting",
        },
        status=400 if form.errors else 200,
    )


def print_view(request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
    """The HTML export as a page on the site: print it from the browser."""
    document = document_for(request, slug, document_id)
    require(policy.can_export(request.user, document))
    revision = int_or_none(request.GET.get("revision"))
    data = gather(
        document,
        revision=revision,
        person=request.user,
        annotated=request.GET.get("view") == ExportView.ANNOTATED,
    )
    return HttpResponse(render_html(data, embed_css=False))


def _job_for(request: HttpRequest, slug: str, document_id: int, job_id: int) -> ExportJob:
    document = document_for(request, slug, document_id)
    job = get_object_or_404(ExportJob, pk=job_id, document=document)
    job.document = document
    if not policy.can_download_export(request.user, job, _requester_key(request)):
        raise Http404
    return job


def export_job(request: HttpRequest, slug: str, document_id: int, job_id: int) -> HttpResponse:
    job = _job_for(request, slug, document_id, job_id)
    template = (
        "drafting/_export_progress.html"
        if getattr(request, "htmx", False)
        else "drafting/export_job.html"
    )
    return render(
        request,
        template,
        {
            "process": job.document.process,
            "document": job.document,
            "job": job,
            "nav_current": "drafting",
        },
    )


def export_download(request: HttpRequest, slug: str, document_id: int, job_id: int) -> HttpResponse:
    job = _job_for(request, slug, document_id, job_id)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404
    return _download(job)


def _download(job: ExportJob) -> FileResponse:
    handle = job.file.open("rb")
    name = job.file.name.rsplit("/", 1)[-1]
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=job.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
