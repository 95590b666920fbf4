import datetime as dt
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, File, Form, Schema, Status, UploadedFile

from .. import policy, services
from ..models import PaperSeries, PaperStatus, WorkingPaper
from .common import process_for, require, router


class SeriesIn(Schema):
    prefix: str
    title: str


class SeriesOut(Schema):
    id: int
    prefix: str
    title: str


class VersionOut(Schema):
    id: int
    language: str
    title: str
    filename: str
    content_type: str
    size: int
    sha256: str
    url: str


class PaperOut(Schema):
    id: int
    url: str
    symbol: str
    title: str
    abstract: str
    authors: str
    language: str
    status: str
    issues: list[int]
    published_at: dt.datetime | None
    submitted_at: dt.datetime
    versions: list[VersionOut]


class PaperIn(Schema):
    title: str
    authors: str
    language: str
    abstract: str = ""


class PaperPatch(Schema):
    series: int | None = Field(None, description="id of a series: gives the next symbol, once")
    status: PaperStatus | None = None
    issues: list[int] | None = None
    title: str | None = None
    abstract: str | None = None
    authors: str | None = None


class VersionIn(Schema):
    language: str
    title: str = ""


def paper_out(paper: WorkingPaper) -> dict[str, Any]:
    slug = paper.process.slug
    return {
        "id": paper.pk,
        "url": settings.SITE_URL + paper.get_absolute_url(),
        "symbol": paper.symbol,
        "title": paper.title,
        "abstract": paper.abstract,
        "authors": paper.authors,
        "language": paper.language,
        "status": paper.status,
        "issues": sorted(paper.issues.values_list("pk", flat=True)),
        "published_at": paper.published_at,
        "submitted_at": paper.submitted_at,
        "versions": [
            {
                "id": v.pk,
                "language": v.language,
                "title": v.title,
                "filename": v.filename,
                "content_type": v.content_type,
                "size": v.size,
                "sha256": v.sha256,
                "url": settings.SITE_URL
                + reverse(
                    "consultations:paper_file",
                    kwargs={"slug": slug, "paper_id": paper.pk, "version_id": v.pk},
                ),
            }
            for v in paper.versions.all()
        ],
    }


def paper_for(request: HttpRequest, slug: str, paper_id: int) -> WorkingPaper:
    process = process_for(request, slug)
    paper = get_object_or_404(
        WorkingPaper.objects.select_related("process", "series"), pk=paper_id, process=process
    )
    if not policy.can_view_paper(request.user, paper):
        raise Http404
    return paper


@router.get("/processes/{slug}/papers", response=list[PaperOut], summary="Published working papers")
def list_papers(request: HttpRequest, slug: str) -> Any:
    process = process_for(request, slug)
    require(policy.can_view_library(request.user, process))
    papers = WorkingPaper.objects.filter(process=process).select_related("process", "series")
    if not policy.can_manage_papers(request.user, process):
        papers = papers.filter(published_at__isnull=False)
    return [paper_out(p) for p in papers.prefetch_related("versions")]


@router.post(
    "/processes/{slug}/papers", response={201: PaperOut}, summary="Submit a paper (multipart)"
)
def submit_paper(
    request: HttpRequest, slug: str, payload: Form[PaperIn], file: File[UploadedFile]
) -> Any:
    process = process_for(request, slug)
    require(policy.can_submit_paper(request.user, process))
    paper = services.paper_submit(actor=request.user, process=process, file=file, **payload.dict())
    return Status(201, paper_out(paper))


@router.get("/processes/{slug}/papers/{paper_id}", response=PaperOut)
def get_paper(request: HttpRequest, slug: str, paper_id: int) -> Any:
    return paper_out(paper_for(request, slug, paper_id))


@router.patch(
    "/processes/{slug}/papers/{paper_id}",
    response=PaperOut,
    summary="Symbol, status, issues (secretariat)",
)
def patch_paper(request: HttpRequest, slug: str, paper_id: int, payload: PaperPatch) -> Any:
    paper = paper_for(request, slug, paper_id)
    require(policy.can_manage_papers(request.user, paper.process))
    paper = services.paper_update(
        actor=request.user, paper=paper, **payload.dict(exclude_unset=True)
    )
    return paper_out(paper)


@router.post("/processes/{slug}/papers/{paper_id}/publish", response=PaperOut)
def publish_paper(request: HttpRequest, slug: str, paper_id: int) -> Any:
    paper = paper_for(request, slug, paper_id)
    require(policy.can_manage_papers(request.user, paper.process))
    return paper_out(services.paper_publish(actor=request.user, paper=paper))


@router.post(
    "/processes/{slug}/papers/{paper_id}/versions",
    response={201: PaperOut},
    summary="Add a language version (multipart)",
)
def add_version(
    request: HttpRequest,
    slug: str,
    paper_id: int,
    payload: Form[VersionIn],
    file: File[UploadedFile],
) -> Any:
    paper = paper_for(request, slug, paper_id)
    require(policy.can_add_paper_version(request.user, paper))
    services.paper_add_version(actor=request.user, paper=paper, file=file, **payload.dict())
    return Status(201, paper_out(WorkingPaper.objects.get(pk=paper.pk)))


@router.get("/processes/{slug}/paper-series", response=list[SeriesOut])
def list_series(request: HttpRequest, slug: str) -> Any:
    process = process_for(request, slug)
    require(policy.can_view_library(request.user, process))
    return list(PaperSeries.objects.filter(process=process))


@router.post("/processes/{slug}/paper-series", response={201: SeriesOut})
def create_series(request: HttpRequest, slug: str, payload: SeriesIn) -> Any:
    process = process_for(request, slug)
    require(policy.can_manage_papers(request.user, process))
    return Status(
        201, services.series_create(actor=request.user, process=process, **payload.dict())
    )
