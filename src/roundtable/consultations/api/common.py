import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema

from roundtable.core.text import render_markdown
from roundtable.processes.models import Process
from roundtable.processes.views import process_for as _page_process_for

from .. import policy, selectors
from ..models import Call, Submission

router = Router(tags=["consultations"])
TOKEN_HEADER = "X-Submission-Token"  # noqa: S105 - a header name, not a secret


def process_for(request: HttpRequest, slug: str) -> Process:
    return _page_process_for(request, slug)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def call_for(request: HttpRequest, slug: str, call_id: int) -> Call:
    process = process_for(request, slug)
    call = get_object_or_404(Call.objects.select_related("process"), pk=call_id, process=process)
    if not policy.can_view_call(request.user, call):
        raise Http404
    return call


def token_of(request: HttpRequest) -> str:
    return request.headers.get(TOKEN_HEADER, "")


def submission_for(request: HttpRequest, call: Call, number: int) -> Submission:
    submission = get_object_or_404(
        Submission.objects.select_related("call__process", "stakeholder_group", "region"),
        call=call,
        number=number,
    )
    if not policy.can_view_submission(request.user, submission, token_of(request)):
        raise Http404
    return submission


class ErrorOut(Schema):
    message: str
    errors: dict[str, list[str]] | None = None


class QuestionOut(Schema):
    id: int
    text: str
    required: bool


class CountsOut(Schema):
    received: int
    published: int
    pending: int
    approved: int
    rejected: int
    withdrawn: int
    changes_requested: int
    disposed: int
    progress: float | None


class CallOut(Schema):
    id: int
    url: str
    title: str
    description: str
    state: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    time_zone: str
    languages: list[str]
    publication: str
    moderation_rules: str
    target: dict[str, Any] | None
    questions: list[QuestionOut]
    received_count: int
    rules_frozen: bool
    published_at: dt.datetime | None
    counts: CountsOut | None = None


def call_out(call: Call, *, counts: bool = False) -> dict[str, Any]:
    target = None
    if call.target_type_id:
        target = {
            "type": call.target_label,
            "id": call.target_id,
            **(selectors.call_target(call) or {}),
        }
    data = {
        "id": call.pk,
        "url": settings.SITE_URL + call.get_absolute_url(),
        "title": call.title,
        "description": call.description,
        "state": call.state,
        "opens_at": call.opens_at,
        "closes_at": call.closes_at,
        "time_zone": call.time_zone,
        "languages": call.languages,
        "publication": call.publication,
        "moderation_rules": call.moderation_rules,
        "target": target,
        "questions": [
            {"id": q.pk, "text": q.text, "required": q.required} for q in call.questions.all()
        ],
        "received_count": call.received_count,
        "rules_frozen": call.rules_frozen,
        "published_at": call.published_at,
    }
    if counts:
        c = selectors.call_counts(call)
        data["counts"] = {**c.__dict__, "progress": c.progress}
    return data


class AttributionOut(Schema):
    label: str
    name: str | None
    organisation: str | None
    stakeholder_group: str | None
    anonymous: bool


class AnswerOut(Schema):
    question_id: int
    question: str
    text: str


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    url: str


class LinkOut(Schema):
    type: str
    id: int
    label: str


class DispositionOut(Schema):
    outcome: str
    outcome_label: str
    response: str
    response_html: str
    links: list[LinkOut]
    decided_at: dt.datetime
    campaign_representative: str | None
    campaign_size: int | None
    reaction: str
    reaction_comment: str
    reacted_at: dt.datetime | None


class SubmissionOut(Schema):
    reference: str
    number: int
    url: str
    received_at: dt.datetime
    updated_at: dt.datetime | None
    status: str
    published: bool
    author: AttributionOut
    language: str
    text: str
    text_html: str
    answers: list[AnswerOut]
    attachments: list[AttachmentOut]
    disposition: DispositionOut | None
    # Only for the secretariat, the chair and the author.
    email: str | None = None
    consent_to_publish: bool | None = None
    anonymous: bool | None = None
    rejection_reason: str | None = None
    moderation_message: str | None = None


def disposition_out(submission: Submission) -> dict[str, Any] | None:
    disposition = getattr(submission, "disposition", None)
    if disposition is None:
        return None
    return {
        "outcome": disposition.outcome,
        "outcome_label": disposition.get_outcome_display(),
        "response": disposition.response,
        "response_html": str(render_markdown(disposition.response)),
        "links": [
            {
                "type": f"{link.target_type.app_label}.{link.target_type.model}",
                "id": link.target_id,
                "label": link.label,
            }
            for link in disposition.links.select_related("target_type")
        ],
        "decided_at": disposition.decided_at,
        "campaign_representative": disposition.campaign_representative.reference
        if disposition.campaign_representative_id
        else None,
        "campaign_size": disposition.campaign_size,
        "reaction": disposition.reaction,
        "reaction_comment": disposition.reaction_comment,
        "reacted_at": disposition.reacted_at,
    }


def submission_out(
    request: HttpRequest, submission: Submission, token: str | None = None
) -> dict[str, Any]:
    call = submission.call
    token = token if token is not None else token_of(request)
    private = policy.can_view_unpublished(request.user, call) or policy.is_author(
        request.user, submission, token
    )
    # Withdrawn text leaves every view but the secretariat's and the author's.
    hidden = submission.status == "withdrawn" and not private
    data = {
        "reference": submission.reference,
        "number": submission.number,
        "url": settings.SITE_URL + submission.get_absolute_url(),
        "received_at": submission.received_at,
        "updated_at": submission.updated_at,
        "status": submission.status,
        "published": submission.is_published,
        "author": selectors.author_of(submission, reveal=private).as_dict(),
        "language": submission.language,
        "text": "" if hidden else submission.text,
        "text_html": "" if hidden else str(render_markdown(submission.text)),
        "answers": []
        if hidden
        else [
            {"question_id": a.question_id, "question": a.question.text, "text": a.text}
            for a in submission.answers.select_related("question")
        ],
        "attachments": []
        if hidden
        else [
            {
                "id": a.pk,
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "url": settings.SITE_URL
                + reverse(
                    "consultations:attachment",
                    kwargs={"slug": call.process.slug, "call_id": call.pk, "attachment_id": a.pk},
                ),
            }
            for a in submission.attachments.all()
        ],
        "disposition": disposition_out(submission) if submission.status == "approved" else None,
    }
    if private:
        data.update(
            email=submission.email,
            consent_to_publish=submission.consent_to_publish,
            anonymous=submission.anonymous,
            rejection_reason=submission.rejection_reason,
            moderation_message=submission.moderation_message,
        )
    return data
