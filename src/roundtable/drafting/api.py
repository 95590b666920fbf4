"""The drafting API: documents, versions, amendments, positions, consensus calls, exports.

Names of people always come through the attribution rule (``Attribution.as_dict``).
An edit or amendment written against a version that is no longer current gets
409 with the word-level diff of what changed meanwhile.
"""

import datetime as dt
from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from roundtable.processes.views import process_for as _process_for

from . import policy, selectors, services
from .models import (
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    Document,
    DocumentKind,
    ExportFormat,
    ExportJob,
    ExportStatus,
    ExportView,
    Finding,
    Paragraph,
    ParagraphVersion,
    Section,
    SilenceProcedure,
    Stance,
    Visibility,
)
from .text import diff_html, diff_segments, diff_text
from .views.common import amendment_for, document_for, paragraph_for, require

router = Router(tags=["drafting"])

BASE = "/processes/{slug}/documents"
DOC = BASE + "/{document_id}"
PAR = DOC + "/paragraphs/{paragraph_id}"
AMD = DOC + "/amendments/{amendment_id}"


# --- Schemas -------------------------------------------------------------------------------


class Person(Schema):
    label: str
    name: str | None
    organisation: str | None
    stakeholder_group: str | None
    anonymous: bool


class Counts(Schema):
    paragraphs: int
    agreed: int
    ad_referendum: int
    bracketed: int
    alternatives: int
    options: int
    open: int
    divergence: int


class DocumentSummary(Schema):
    id: int
    title: str
    kind: str
    visibility: str
    status: str
    revision: int
    final_revision: int | None
    updated_at: dt.datetime
    url: str


class DocumentIn(Schema):
    title: str
    kind: DocumentKind = DocumentKind.REPORT
    summary: str = ""
    visibility: Visibility = Visibility.PROCESS


class DocumentPatch(Schema):
    title: str | None = None
    kind: DocumentKind | None = None
    summary: str | None = None
    visibility: Visibility | None = None


class Option(Schema):
    label: str
    text: str
    sponsors: list[Person]
    from_amendment: int | None


class Bracket(Schema):
    requested_by: Person
    reason: str


class Confirmation(Schema):
    member: Person
    confirmed: bool


class ParagraphOut(Schema):
    id: int
    number: int
    section_id: int
    version: int
    status: str
    is_recommendation: bool
    recommendation_number: int | None
    text: str
    options: list[Option]
    brackets: list[Bracket]
    ad_referendum: list[Confirmation]
    divergence_recorded: bool
    note: str
    url: str


class SectionOut(Schema):
    id: int
    title: str
    cluster_id: int | None
    counts: Counts
    paragraphs: list[ParagraphOut]
    minority_statements: list[dict[str, Any]]


class DocumentOut(DocumentSummary):
    summary: str
    at_revision: int
    counts: Counts
    sections: list[SectionOut]


class SectionIn(Schema):
    title: str
    cluster_id: int | None = None


class ParagraphIn(Schema):
    text: str
    is_recommendation: bool = False
    after_id: int | None = Field(None, description="paragraph of the section it follows")
    at_start: bool = Field(False, description="without after_id: start (else end) of section")
    reason: str = ""


class ParagraphEdit(Schema):
    base_version: int = Field(..., description="the version the edit started from")
    text: str
    is_recommendation: bool | None = None
    reason: str = ""


class VersionOut(Schema):
    number: int
    document_revision: int
    change: str
    status: str
    text: str
    is_recommendation: bool
    alternatives: list[dict[str, Any]]
    reason: str
    author: Person
    amendment: int | None
    created_at: dt.datetime


class DiffOut(Schema):
    from_version: int
    to_version: int
    html: str
    text: str
    segments: list[dict[str, str]]


class Conflict(Schema):
    message: str
    base_version: int | None
    current_version: int
    current_text: str
    diff_html: str
    diff_text: str


class AmendmentIn(Schema):
    kind: AmendmentKind
    rationale: str
    text: str = ""
    paragraph_id: int | None = None
    base_version: int | None = None
    section_id: int | None = None
    after_id: int | None = None
    at_start: bool = False


class AmendmentOut(Schema):
    id: int
    number: int
    kind: str
    status: str
    paragraph_id: int | None
    section_id: int
    base_version: int | None
    text: str
    rationale: str
    author: Person
    support: int
    oppose: int
    created_at: dt.datetime
    decided_at: dt.datetime | None
    decision_reason: str
    url: str


class DecisionIn(Schema):
    decision: str = Field(..., pattern="^(accept|decline)$")
    reason: str = ""


class PositionIn(Schema):
    stance: Stance
    comment: str = ""


class PositionOut(Schema):
    stance: str
    comment: str
    member: Person
    created_at: dt.datetime


class ObjectionIn(Schema):
    membership_id: int
    reason: str = ""


class ConsensusIn(Schema):
    finding: Finding
    paragraph_id: int | None = None
    section_id: int | None = None
    note: str = ""
    adopted_option: str = ""
    objections: list[ObjectionIn] = []
    ad_referendum: list[int] = Field([], description="membership ids who must confirm")
    base_version: int | None = Field(None, description="for a paragraph: the version read")


class ConsensusOut(Schema):
    id: int
    finding: str
    paragraph_id: int | None
    section_id: int | None
    note: str
    adopted_option: str
    objections: list[dict[str, Any]]
    document_revision: int
    created_at: dt.datetime


class SilenceIn(Schema):
    deadline: dt.datetime
    paragraph_id: int | None = None
    section_id: int | None = None
    message: str = ""


class SilenceOut(Schema):
    id: int
    status: str
    paragraph_id: int | None
    section_id: int | None
    deadline: dt.datetime
    message: str
    objections: int


class ReasonIn(Schema):
    reason: str = ""


class SponsorIn(Schema):
    label: str
    sponsor: bool = True


class CommentIn(Schema):
    text: str


class CommentOut(Schema):
    id: int
    text: str
    author: Person
    version: int
    created_at: dt.datetime


class ExportIn(Schema):
    format: ExportFormat
    view: ExportView = ExportView.CLEAN
    revision: int | None = None


class ExportOut(Schema):
    id: int
    status: str
    format: str
    view: str
    revision: int
    progress: int
    total: int
    percent: int
    stage: str
    download_url: str | None


class RevisionOut(Schema):
    number: int
    summary: str
    author: Person
    created_at: dt.datetime


# --- Builders ----------------------------------------------------------------------------------


def _summary(document: Document) -> dict[str, Any]:
    return {
        "id": document.pk,
        "title": document.title,
        "kind": document.kind,
        "visibility": document.visibility,
        "status": document.status,
        "revision": document.revision,
        "final_revision": document.final_revision,
        "updated_at": document.updated_at,
        "url": document.get_absolute_url(),
    }


def _paragraph(view: selectors.ParagraphView) -> dict[str, Any]:
    version = view.version
    return {
        "id": view.paragraph.pk,
        "number": view.number,
        "section_id": view.paragraph.section_id,
        "version": version.number,
        "status": version.status,
        "is_recommendation": version.is_recommendation,
        "recommendation_number": view.recommendation_number,
        "text": version.text,
        "options": [
            {
                "label": o.label,
                "text": o.text,
                "sponsors": [s.as_dict() for s in o.sponsors],
                "from_amendment": o.amendment_number,
            }
            for o in view.options
        ],
        "brackets": [{"requested_by": a.as_dict(), "reason": r} for a, r in view.brackets],
        "ad_referendum": [{"member": a.as_dict(), "confirmed": c} for a, c in view.ad_referendum],
        "divergence_recorded": version.divergence_recorded,
        "note": version.note,
        "url": view.paragraph.get_absolute_url(),
    }


def _amendment(amendment: Amendment, namer: selectors.Namer) -> dict[str, Any]:
    author = (
        namer.membership(amendment.membership_id)
        if amendment.membership_id
        else namer.person(amendment.author_id)
    )
    return {
        "id": amendment.pk,
        "number": amendment.number,
        "kind": amendment.kind,
        "status": amendment.status,
        "paragraph_id": amendment.paragraph_id,
        "section_id": amendment.section_id,
        "base_version": amendment.base_version.number if amendment.base_version_id else None,
        "text": amendment.text,
        "rationale": amendment.rationale,
        "author": author.as_dict(),
        "support": _count(amendment, Stance.SUPPORT),
        "oppose": _count(amendment, Stance.OPPOSE),
        "created_at": amendment.created_at,
        "decided_at": amendment.decided_at,
        "decision_reason": amendment.decision_reason,
        "url": amendment.get_absolute_url(),
    }


def _count(amendment: Amendment, stance: str) -> int:
    annotated = getattr(amendment, stance, None)  # from selectors.amendments_for
    if annotated is not None:
        return annotated
    return amendment.positions.filter(stance=stance).count()


def _conflict(error: services.StaleVersion) -> Status:
    return Status(
        409,
        {
            "message": error.messages[0],
            "base_version": error.base.number if error.base else None,
            "current_version": error.current.number,
            "current_text": error.current.text,
            "diff_html": str(error.diff_html),
            "diff_text": error.diff_text,
        },
    )


def _job(job: ExportJob, document: Document) -> dict[str, Any]:
    return {
        "id": job.pk,
        "status": job.status,
        "format": job.format,
        "view": job.view,
        "revision": job.revision,
        "progress": job.progress,
        "total": job.total,
        "percent": job.percent,
        "stage": job.stage,
        "download_url": f"/api{DOC}/exports/{job.pk}/file".format(
            slug=document.process.slug, document_id=document.pk
        )
        if job.status == ExportStatus.DONE
        else None,
    }


# --- Documents ---------------------------------------------------------------------------------


@router.get(BASE, response=list[DocumentSummary], summary="Documents the caller may read")
def list_documents(request: HttpRequest, slug: str) -> Any:
    process = _process_for(request, slug)
    require(policy.can_view_drafts(request.user, process))
    return [_summary(d) for d in selectors.readable_documents(process=process, person=request.user)]


@router.post(BASE, response={201: DocumentSummary})
def create_document(request: HttpRequest, slug: str, payload: DocumentIn) -> Any:
    process = _process_for(request, slug)
    require(policy.can_create_document(request.user, process))
    document = services.document_create(actor=request.user, process=process, **payload.dict())
    return Status(201, _summary(document))


@router.get(DOC, response=DocumentOut, summary="A document with its text, at any revision")
def get_document(
    request: HttpRequest, slug: str, document_id: int, revision: int | None = None
) -> Any:
    document = document_for(request, slug, document_id)
    view = selectors.document_view(document, revision=revision, person=request.user)
    return {
        **_summary(document),
        "summary": document.summary,
        "at_revision": view.revision,
        "counts": view.totals,
        "sections": [
            {
                "id": s.section.pk,
                "title": s.section.title,
                "cluster_id": s.section.cluster_id,
                "counts": s.counts,
                "paragraphs": [_paragraph(p) for p in s.paragraphs],
                "minority_statements": [
                    {
                        "id": m.statement.pk,
                        "title": m.statement.title,
                        "text": m.statement.text,
                        "author": m.author.as_dict(),
                        "joined_by": [a.as_dict() for a in m.supporters],
                    }
                    for m in s.statements
                ],
            }
            for s in view.sections
        ],
    }


@router.patch(DOC, response=DocumentSummary)
def update_document(
    request: HttpRequest, slug: str, document_id: int, payload: DocumentPatch
) -> Any:
    document = document_for(request, slug, document_id)
    require(policy.can_edit_document(request.user, document))
    changes = payload.dict(exclude_unset=True)
    document = services.document_update(
        actor=request.user,
        document=document,
        title=changes.get("title", document.title),
        kind=changes.get("kind", document.kind),
        summary=changes.get("summary", document.summary),
        visibility=changes.get("visibility", document.visibility),
    )
    return _summary(document)


@router.post(DOC + "/final", response=DocumentSummary, summary="Mark final (the chair)")
def mark_final(request: HttpRequest, slug: str, document_id: int) -> Any:
    document = document_for(request, slug, document_id)
    require(policy.can_mark_final(request.user, document))
    return _summary(services.document_mark_final(actor=request.user, document=document))


@router.post(DOC + "/reopen", response=DocumentSummary, summary="Reopen a final document")
def reopen(request: HttpRequest, slug: str, document_id: int, payload: ReasonIn) -> Any:
    document = document_for(request, slug, document_id)
    require(policy.can_mark_final(request.user, document))
    return _summary(
        services.document_reopen(actor=request.user, document=document, reason=payload.reason)
    )


@router.get(DOC + "/revisions", response=list[RevisionOut])
@paginate(LimitOffsetPagination)
def list_revisions(request: HttpRequest, slug: str, document_id: int) -> Any:
    document = document_for(request, slug, document_id)
    namer = selectors.Namer(document.process)
    return [
        {
            "number": r.number,
            "summary": r.summary,
            "author": namer.person(r.author_id).as_dict(),
            "created_at": r.created_at,
        }
        for r in document.revisions.order_by("-number")
    ]


@router.get(DOC + "/authorship", summary="Share of the text contributed through amendments")
def get_authorship(
    request: HttpRequest, slug: str, document_id: int, revision: int | None = None
) -> dict[str, Any]:
    document = document_for(request, slug, document_id)
    require(policy.can_view_authorship(request.user, document))
    return selectors.authorship_balance(document, revision=revision).as_dict()


@router.post(DOC + "/sections", response={201: dict[str, Any]})
def create_section(request: HttpRequest, slug: str, document_id: int, payload: SectionIn) -> Any:
    document = document_for(request, slug, document_id)
    require(policy.can_edit_document(request.user, document))
    section = services.section_create(
        actor=request.user, document=document, title=payload.title, cluster=payload.cluster_id
    )
    return Status(201, {"id": section.pk, "title": section.title, "cluster_id": section.cluster_id})


# --- Paragraphs and versions --------------------------------------------------------------------


@router.post(DOC + "/sections/{section_id}/paragraphs", response={201: ParagraphOut})
def create_paragraph(
    request: HttpRequest, slug: str, document_id: int, section_id: int, payload: ParagraphIn
) -> Any:
    document = document_for(request, slug, document_id)
    require(policy.can_edit_document(request.user, document))
    section = get_object_or_404(Section, pk=section_id, document=document)
    section.document = document
    after = (
        get_object_or_404(Paragraph, pk=payload.after_id, section=section)
        if payload.after_id
        else None
    )
    paragraph = services.paragraph_create(
        actor=request.user,
        section=section,
        text=payload.text,
        is_recommendation=payload.is_recommendation,
        after=after,
        at_start=payload.at_start,
        reason=payload.reason,
    )
    paragraph.document = document
    return Status(201, _paragraph(selectors.paragraph_view(paragraph)))


@router.get(PAR, response=ParagraphOut)
def get_paragraph(request: HttpRequest, slug: str, document_id: int, paragraph_id: int) -> Any:
    document = document_for(request, slug, document_id)
    return _paragraph(selectors.paragraph_view(paragraph_for(document, paragraph_id)))


@router.put(
    PAR,
    response={200: ParagraphOut, 409: Conflict},
    summary="Edit (the secretariat); 409 with the diff if the paragraph changed meanwhile",
)
def edit_paragraph(
    request: HttpRequest, slug: str, document_id: int, paragraph_id: int, payload: ParagraphEdit
) -> Any:
    document = document_for(request, slug, document_id)
    paragraph = paragraph_for(document, paragraph_id)
    require(policy.can_edit_paragraph(request.user, paragraph))
    try:
        services.paragraph_edit(actor=request.user, paragraph=paragraph, **payload.dict())
    except services.StaleVersion as error:
        return _conflict(error)
    return _paragraph(selectors.paragraph_view(paragraph_for(document, paragraph_id)))


@router.get(PAR + "/versions", response=list[VersionOut])
@paginate(LimitOffsetPagination)
def list_versions(request: HttpRequest, slug: str, document_id: int, paragraph_id: int) -> Any:
    document = document_for(request, slug, document_id)
    paragraph = paragraph_for(document, paragraph_id)
    return [_version(item) for item in selectors.paragraph_history(paragraph)]


def _version(item: selectors.VersionView) -> dict[str, Any]:
    version = item.version
    return {
        "number": version.number,
        "document_revision": version.document_revision,
        "change": version.change,
        "status": version.status,
        "text": version.text,
        "is_recommendation": version.is_recommendation,
        "alternatives": [
            {"label": a["label"], "text": a["text"], "sponsor_count": len(a.get("sponsors", []))}
            for a in version.alternatives
        ],
        "reason": version.reason,
        "author": item.author.as_dict(),
        "amendment": item.amendment_number,
        "created_at": version.created_at,
    }


@router.get(PAR + "/versions/{number}", response=VersionOut)
def get_version(
    request: HttpRequest, slug: str, document_id: int, paragraph_id: int, number: int
) -> Any:
    document = document_for(request, slug, document_id)
    paragraph = paragraph_for(document, paragraph_id)
    for item in selectors.paragraph_history(paragraph):
        if item.version.number == number:
            return _version(item)
    raise Http404


class DiffQuery(Schema):
    from_version: int = Field(..., alias="from")
    to_version: int = Field(..., alias="to")


@router.get(PAR + "/diff", response=DiffOut, summary="Word-level diff between two versions")
def get_diff(
    request: HttpRequest,
    slug: str,
    document_id: int,
    paragraph_id: int,
    query: Query[DiffQuery],
) -> Any:
    document = document_for(request, slug, document_id)
    paragraph = paragraph_for(document, paragraph_id)
    versions = {
        v.number: v
        for v in ParagraphVersion.objects.filter(
            paragraph=paragraph, number__in=[query.from_version, query.to_version]
        )
    }
    if query.from_version not in versions or query.to_version not in versions:
        raise Http404
    old, new = versions[query.from_version].text, versions[query.to_version].text
    return {
        "from_version": query.from_version,
        "to_version": query.to_version,
        "html": str(diff_html(old, new, labels=False)),
        "text": diff_text(old, new),
        "segments": [{"op": s.op, "text": s.text} for s in diff_segments(old, new)],
    }


@router.post(PAR + "/brackets", response=ParagraphOut, summary="Ask for brackets (a member)")
def request_brackets(
    request: HttpRequest, slug: str, document_id: int, paragraph_id: int, payload: ReasonIn
) -> Any:
    document = document_for(request, slug, document_id)
    paragraph = paragraph_for(document, paragraph_id)
    require(policy.can_request_brackets(request.user, paragraph))
    services.brackets_request(actor=request.user, paragraph=paragraph, reason=payload.reason)
    return _paragraph(selectors.paragraph_view(paragraph_for(document, paragraph_id)))


@router.delete(PAR + "/brackets", response=ParagraphOut, summary="Withdraw one's request")
def withdraw_brackets(request: HttpRequest, slug: str, document_id: int, paragraph_id: int) -> Any:
    document = document_for(request, slug, document_id)
    paragraph = paragraph_for(document, paragraph_id)
    require(policy.can_request_brackets(request.user, paragraph))
    services.brackets_withdraw(actor=request.user, paragraph=paragraph)
    return _paragraph(selectors.paragraph_view(paragraph_for(document, paragraph_id)))


@router.post(PAR + "/sponsorship", response=ParagraphOut, summary="Sponsor an option, or stop")
def sponsor_option(
    request: HttpRequest, slug: str, document_id: int, paragraph_id: int, payload: SponsorIn
) -> Any:
    document = document_for(request, slug, document_id)
    paragraph = paragraph_for(document, paragraph_id)
    require(policy.can_sponsor_alternative(request.user, paragraph))
    services.alternative_sponsor(
        actor=request.user, paragraph=paragraph, label=payload.label, sponsor=payload.sponsor
    )
    return _paragraph(selectors.paragraph_view(paragraph_for(document, paragraph_id)))


@router.get(PAR + "/comments", response=list[CommentOut])
def list_comments(request: HttpRequest, slug: str, document_id: int, paragraph_id: int) -> Any:
    document = document_for(request, slug, document_id)
    paragraph = paragraph_for(document, paragraph_id)
    namer = selectors.Namer(document.process)
    return [
        {
            "id": c.pk,
            "text": c.text,
            "author": namer.person(c.author_id).as_dict(),
            "version": c.version_number,
            "created_at": c.created_at,
        }
        for c in paragraph.comments.all()
    ]


@router.post(PAR + "/comments", response={201: CommentOut})
def create_comment(
    request: HttpRequest, slug: str, document_id: int, paragraph_id: int, payload: CommentIn
) -> Any:
    document = document_for(request, slug, document_id)
    paragraph = paragraph_for(document, paragraph_id)
    require(policy.can_comment(request.user, paragraph))
    comment = services.comment_create(actor=request.user, paragraph=paragraph, text=payload.text)
    namer = selectors.Namer(document.process)
    return Status(
        201,
        {
            "id": comment.pk,
            "text": comment.text,
            "author": namer.person(comment.author_id).as_dict(),
            "version": comment.version_number,
            "created_at": comment.created_at,
        },
    )


# --- Amendments and positions -----------------------------------------------------------------


@router.get(DOC + "/amendments", response=list[AmendmentOut])
@paginate(LimitOffsetPagination)
def list_amendments(
    request: HttpRequest, slug: str, document_id: int, status: AmendmentStatus | None = None
) -> Any:
    document = document_for(request, slug, document_id)
    namer = selectors.Namer(document.process)
    return [_amendment(a, namer) for a in selectors.amendments_for(document, status=status)]


@router.post(DOC + "/amendments", response={201: AmendmentOut, 409: Conflict})
def propose_amendment(
    request: HttpRequest, slug: str, document_id: int, payload: AmendmentIn
) -> Any:
    document = document_for(request, slug, document_id)
    require(policy.can_propose_amendment(request.user, document))
    paragraph = paragraph_for(document, payload.paragraph_id) if payload.paragraph_id else None
    section = (
        get_object_or_404(Section, pk=payload.section_id, document=document)
        if payload.section_id
        else None
    )
    after = (
        get_object_or_404(Paragraph, pk=payload.after_id, document=document)
        if payload.after_id
        else None
    )
    try:
        amendment = services.amendment_propose(
            actor=request.user,
            document=document,
            kind=payload.kind,
            rationale=payload.rationale,
            text=payload.text,
            paragraph=paragraph,
            base_version=payload.base_version,
            section=section,
            after=after,
            at_start=payload.at_start,
        )
    except services.StaleVersion as error:
        return _conflict(error)
    return Status(201, _amendment(amendment, selectors.Namer(document.process)))


@router.get(AMD, response=AmendmentOut)
def get_amendment(request: HttpRequest, slug: str, document_id: int, amendment_id: int) -> Any:
    document = document_for(request, slug, document_id)
    return _amendment(amendment_for(document, amendment_id), selectors.Namer(document.process))


@router.post(
    AMD + "/decision",
    response={200: AmendmentOut, 409: Conflict},
    summary="Accept or decline (the chair or secretariat)",
)
def decide_amendment(
    request: HttpRequest, slug: str, document_id: int, amendment_id: int, payload: DecisionIn
) -> Any:
    document = document_for(request, slug, document_id)
    amendment = amendment_for(document, amendment_id)
    require(policy.can_decide_amendment(request.user, amendment))
    try:
        if payload.decision == "accept":
            amendment = services.amendment_accept(
                actor=request.user, amendment=amendment, reason=payload.reason
            )
        else:
            amendment = services.amendment_decline(
                actor=request.user, amendment=amendment, reason=payload.reason
            )
    except services.StaleVersion as error:
        return _conflict(error)
    return _amendment(amendment_for(document, amendment_id), selectors.Namer(document.process))


@router.post(AMD + "/withdraw", response=AmendmentOut)
def withdraw_amendment(request: HttpRequest, slug: str, document_id: int, amendment_id: int) -> Any:
    document = document_for(request, slug, document_id)
    amendment = amendment_for(document, amendment_id)
    require(policy.can_withdraw_amendment(request.user, amendment))
    services.amendment_withdraw(actor=request.user, amendment=amendment)
    return _amendment(amendment_for(document, amendment_id), selectors.Namer(document.process))


@router.get(AMD + "/positions", response=list[PositionOut])
def list_positions(request: HttpRequest, slug: str, document_id: int, amendment_id: int) -> Any:
    document = document_for(request, slug, document_id)
    amendment = amendment_for(document, amendment_id)
    namer = selectors.Namer(document.process)
    return [
        {
            "stance": p.stance,
            "comment": p.comment,
            "member": (
                namer.membership(p.membership_id) if p.membership_id else namer.person(p.person_id)
            ).as_dict(),
            "created_at": p.created_at,
        }
        for p in amendment.positions.all()
    ]


@router.put(AMD + "/positions/me", response=PositionOut, summary="Support or oppose (a member)")
def set_position(
    request: HttpRequest, slug: str, document_id: int, amendment_id: int, payload: PositionIn
) -> Any:
    document = document_for(request, slug, document_id)
    amendment = amendment_for(document, amendment_id)
    require(policy.can_take_position(request.user, amendment))
    position = services.position_set(
        actor=request.user, amendment=amendment, stance=payload.stance, comment=payload.comment
    )
    namer = selectors.Namer(document.process)
    return {
        "stance": position.stance,
        "comment": position.comment,
        "member": namer.membership(position.membership_id).as_dict(),
        "created_at": position.created_at,
    }


@router.delete(AMD + "/positions/me", response={204: None})
def remove_position(request: HttpRequest, slug: str, document_id: int, amendment_id: int) -> Any:
    document = document_for(request, slug, document_id)
    amendment = amendment_for(document, amendment_id)
    require(policy.can_take_position(request.user, amendment))
    services.position_remove(actor=request.user, amendment=amendment)
    return Status(204, None)


# --- Consensus calls and silence procedures ----------------------------------------------------


def _call(call: Any, namer: selectors.Namer) -> dict[str, Any]:
    return {
        "id": call.pk,
        "finding": call.finding,
        "paragraph_id": call.paragraph_id,
        "section_id": call.section_id,
        "note": call.note,
        "adopted_option": call.adopted_option,
        "objections": [
            {"by": who.as_dict(), "reason": reason}
            for who, reason in selectors.objections_named(call, namer)
        ],
        "document_revision": call.document_revision,
        "created_at": call.created_at,
    }


@router.get(DOC + "/consensus-calls", response=list[ConsensusOut])
def list_calls(request: HttpRequest, slug: str, document_id: int) -> Any:
    document = document_for(request, slug, document_id)
    namer = selectors.Namer(document.process)
    return [_call(c, namer) for c in document.consensus_calls.prefetch_related("objections")]


@router.post(
    DOC + "/consensus-calls",
    response={201: ConsensusOut, 409: Conflict},
    summary="The chair's finding; 409 if the paragraph changed since base_version",
)
def create_call(request: HttpRequest, slug: str, document_id: int, payload: ConsensusIn) -> Any:
    document = document_for(request, slug, document_id)
    require(policy.can_call_consensus(request.user, document))
    paragraph = paragraph_for(document, payload.paragraph_id) if payload.paragraph_id else None
    section = (
        get_object_or_404(Section, pk=payload.section_id, document=document)
        if payload.section_id
        else None
    )
    if section is not None:
        section.document = document
    try:
        call = services.consensus_call(
            actor=request.user,
            document=document,
            finding=payload.finding,
            paragraph=paragraph,
            section=section,
            note=payload.note,
            adopted_option=payload.adopted_option,
            objections=[(o.membership_id, o.reason) for o in payload.objections],
            ad_referendum=payload.ad_referendum,
            base_version=payload.base_version,
        )
    except services.StaleVersion as error:
        return _conflict(error)
    return Status(201, _call(call, selectors.Namer(document.process)))


@router.get(DOC + "/silence-procedures", response=list[SilenceOut])
def list_silences(request: HttpRequest, slug: str, document_id: int) -> Any:
    document = document_for(request, slug, document_id)
    return [_silence(p) for p in document.silence_procedures.all()]


def _silence(procedure: SilenceProcedure) -> dict[str, Any]:
    return {
        "id": procedure.pk,
        "status": procedure.status,
        "paragraph_id": procedure.paragraph_id,
        "section_id": procedure.section_id,
        "deadline": procedure.deadline,
        "message": procedure.message,
        "objections": procedure.objections.count(),
    }


@router.post(DOC + "/silence-procedures", response={201: SilenceOut})
def start_silence(request: HttpRequest, slug: str, document_id: int, payload: SilenceIn) -> Any:
    document = document_for(request, slug, document_id)
    require(policy.can_start_silence(request.user, document))
    paragraph = paragraph_for(document, payload.paragraph_id) if payload.paragraph_id else None
    section = (
        get_object_or_404(Section, pk=payload.section_id, document=document)
        if payload.section_id
        else None
    )
    procedure = services.silence_start(
        actor=request.user,
        document=document,
        deadline=payload.deadline,
        paragraph=paragraph,
        section=section,
        message=payload.message,
    )
    return Status(201, _silence(procedure))


@router.post(DOC + "/silence-procedures/{procedure_id}/objection", response=SilenceOut)
def object_to_silence(
    request: HttpRequest, slug: str, document_id: int, procedure_id: int, payload: ReasonIn
) -> Any:
    document = document_for(request, slug, document_id)
    procedure = get_object_or_404(SilenceProcedure, pk=procedure_id, document=document)
    procedure.document = document
    require(policy.can_object_in_silence(request.user, procedure))
    return _silence(
        services.silence_object(actor=request.user, procedure=procedure, reason=payload.reason)
    )


# --- Exports ----------------------------------------------------------------------------------


def _requester_key(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return ""
    session = getattr(request, "session", None)
    if session is None:
        return ""
    if not session.session_key:
        session.save()
    return services.requester_key_for(session.session_key)


@router.post(DOC + "/exports", response={201: ExportOut, 202: ExportOut})
def create_export(request: HttpRequest, slug: str, document_id: int, payload: ExportIn) -> Any:
    """201 with the file ready for a small document; 202 while a large one is in progress."""
    document = document_for(request, slug, document_id)
    require(policy.can_export(request.user, document))
    job, queued = services.export_request(
        actor=request.user,
        document=document,
        format=payload.format,
        view=payload.view,
        revision=payload.revision,
        language=translation.get_language() or "en",
        requester_key=_requester_key(request),
    )
    if not queued:
        services.export_run(job_id=job.pk)
        job.refresh_from_db()
        return Status(201, _job(job, document))
    return Status(202, _job(job, document))


def _job_for(request: HttpRequest, slug: str, document_id: int, job_id: int) -> ExportJob:
    document = document_for(request, slug, document_id)
    job = get_object_or_404(ExportJob, pk=job_id, document=document)
    job.document = document
    if not policy.can_download_export(request.user, job, _requester_key(request)):
        raise Http404
    return job


@router.get(DOC + "/exports/{job_id}", response=ExportOut)
def get_export(request: HttpRequest, slug: str, document_id: int, job_id: int) -> Any:
    job = _job_for(request, slug, document_id, job_id)
    return _job(job, job.document)


@router.get(DOC + "/exports/{job_id}/file", summary="The exported file (whoever asked for it)")
def download_export(request: HttpRequest, slug: str, document_id: int, job_id: int) -> Any:
    job = _job_for(request, slug, document_id, job_id)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file.name.rsplit("/", 1)[-1],
        content_type=job.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def register(api: Any) -> None:
    api.add_router("/", router)
