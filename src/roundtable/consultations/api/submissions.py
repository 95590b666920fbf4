from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, File, Query, Schema, Status, UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from .. import policy, selectors, services
from ..models import Outcome, Reaction, RejectionReason, Submission
from ..views.common import client_ip
from .common import (
    SubmissionOut,
    call_for,
    require,
    router,
    submission_for,
    submission_out,
    token_of,
)


class VerificationIn(Schema):
    email: str


class SubmissionIn(Schema):
    name: str
    language: str
    text: str = ""
    answers: dict[int, str] = Field(default_factory=dict, description="question id -> answer")
    organisation: str = ""
    stakeholder_group: str | None = Field(None, description="slug")
    region: str | None = Field(None, description="slug")
    consent_to_publish: bool = True
    show_name: bool = True
    verification_token: str = Field(
        "", description="from the e-mailed link, for someone without an account"
    )


class SubmissionCreated(Schema):
    submission: SubmissionOut
    manage_token: str | None = Field(
        None, description="send as X-Submission-Token to edit or withdraw; shown once"
    )
    created: bool


class SubmissionPatch(Schema):
    name: str | None = None
    language: str | None = None
    text: str | None = None
    answers: dict[int, str] | None = None
    organisation: str | None = None
    stakeholder_group: str | None = None
    region: str | None = None
    consent_to_publish: bool | None = None
    show_name: bool | None = None
    remove_attachments: list[int] = Field(default_factory=list)


class SubmissionFilter(Schema):
    status: str | None = Field(None, description="secretariat and chair only")
    campaign: int | None = Field(None, description="receipt number of a campaign's representative")
    theme: int | None = None


class ModerationIn(Schema):
    decision: str = Field(description="approve, reject or request_changes")
    reason: RejectionReason | None = None
    message: str = ""


class LinkIn(Schema):
    type: str = Field(description="agenda.policyissue, agenda.cluster, drafting.paragraph, ...")
    id: int


class DispositionIn(Schema):
    outcome: Outcome
    response: str
    links: list[LinkIn] = Field(default_factory=list)


class GroupDispositionIn(DispositionIn):
    replace: bool = False


class ReactionIn(Schema):
    reaction: Reaction
    comment: str = ""


CALL = "/processes/{slug}/calls/{call_id}"
SUBMISSION = CALL + "/submissions/{number}"


@router.post(
    CALL + "/verifications",
    response={202: dict},
    summary="E-mail a link that lets someone without an account submit",
)
def request_verification(
    request: HttpRequest, slug: str, call_id: int, payload: VerificationIn
) -> Any:
    call = call_for(request, slug, call_id)
    services.verification_request(
        call=call, email=payload.email, ip=client_ip(request), language=get_language()
    )
    return Status(202, {"message": "sent"})


@router.post(
    CALL + "/submissions",
    response={201: SubmissionCreated, 200: SubmissionCreated},
    summary="Submit (logged in, or with verification_token); Idempotency-Key header",
)
def create_submission(request: HttpRequest, slug: str, call_id: int, payload: SubmissionIn) -> Any:
    call = call_for(request, slug, call_id)
    data = payload.dict()
    submission, secret, created = services.submission_create(
        call=call,
        author=request.user if request.user.is_authenticated else None,
        verification_secret=data["verification_token"],
        name=data["name"],
        language=data["language"],
        text=data["text"],
        answers=data["answers"],
        organisation=data["organisation"],
        stakeholder_group=data["stakeholder_group"],
        region=data["region"],
        consent_to_publish=data["consent_to_publish"],
        show_name=data["show_name"],
        idempotency_key=request.headers.get("Idempotency-Key", ""),
        ip=client_ip(request),
        interface_language=get_language(),
    )
    # A replay gets the public view only: the token went to whoever created it.
    body = {
        "submission": submission_out(request, submission, token=secret)
        if created
        else _out_for_replay(submission),
        "manage_token": secret if created else None,
        "created": created,
    }
    return Status(201 if created else 200, body)


def _out_for_replay(submission: Submission) -> dict[str, Any]:
    # A replayed request does not carry the secret: answer with what is public about it.
    from django.conf import settings

    return {
        "reference": submission.reference,
        "number": submission.number,
        "url": settings.SITE_URL + submission.get_absolute_url(),
        "received_at": submission.received_at,
        "updated_at": submission.updated_at,
        "status": submission.status,
        "published": submission.is_published,
        "author": selectors.author_of(submission).as_dict(),
        "language": submission.language,
        "text": "",
        "text_html": "",
        "answers": [],
        "attachments": [],
        "disposition": None,
    }


@router.get(
    CALL + "/submissions",
    response=list[SubmissionOut],
    summary="Published submissions (all, for the secretariat)",
)
@paginate(LimitOffsetPagination)
def list_submissions(
    request: HttpRequest, slug: str, call_id: int, filters: Query[SubmissionFilter]
) -> Any:
    call = call_for(request, slug, call_id)
    if filters.status or filters.campaign or filters.theme:
        require(policy.can_view_unpublished(request.user, call))
        statuses = (
            (filters.status,)
            if filters.status
            else tuple(
                s for s in ("pending", "approved", "changes_requested", "rejected", "withdrawn")
            )
        )
        submissions = selectors.queue(
            call=call, statuses=statuses, campaign=filters.campaign, theme=filters.theme
        )
    else:
        submissions = selectors.published_submissions(call)
    return [submission_out(request, s) for s in submissions]


@router.get(SUBMISSION, response=SubmissionOut)
def get_submission(request: HttpRequest, slug: str, call_id: int, number: int) -> Any:
    call = call_for(request, slug, call_id)
    return submission_out(request, submission_for(request, call, number))


@router.patch(SUBMISSION, response=SubmissionOut, summary="The author edits, until the call closes")
def patch_submission(
    request: HttpRequest, slug: str, call_id: int, number: int, payload: SubmissionPatch
) -> Any:
    call = call_for(request, slug, call_id)
    submission = submission_for(request, call, number)
    changes = payload.dict(exclude_unset=True)
    remove = changes.pop("remove_attachments", [])
    submission = services.submission_update(
        submission=submission,
        actor=request.user,
        token=token_of(request),
        remove_attachments=remove,
        **changes,
    )
    return submission_out(request, Submission.objects.get(pk=submission.pk))


@router.post(
    SUBMISSION + "/attachments", response={201: SubmissionOut}, summary="The author adds a file"
)
def add_attachment(
    request: HttpRequest, slug: str, call_id: int, number: int, file: File[UploadedFile]
) -> Any:
    call = call_for(request, slug, call_id)
    submission = submission_for(request, call, number)
    services.submission_update(
        submission=submission, actor=request.user, token=token_of(request), add_attachments=[file]
    )
    return Status(201, submission_out(request, Submission.objects.get(pk=submission.pk)))


@router.post(SUBMISSION + "/withdraw", response=SubmissionOut)
def withdraw_submission(request: HttpRequest, slug: str, call_id: int, number: int) -> Any:
    call = call_for(request, slug, call_id)
    submission = submission_for(request, call, number)
    services.submission_withdraw(submission=submission, actor=request.user, token=token_of(request))
    return submission_out(request, Submission.objects.get(pk=submission.pk))


@router.post(
    SUBMISSION + "/moderation", response=SubmissionOut, summary="Approve, reject or ask for edits"
)
def moderate_submission(
    request: HttpRequest, slug: str, call_id: int, number: int, payload: ModerationIn
) -> Any:
    call = call_for(request, slug, call_id)
    if not policy.can_moderate(request.user, call):
        raise PermissionDenied
    submission = submission_for(request, call, number)
    services.submission_moderate(
        actor=request.user,
        submission=submission,
        decision=payload.decision,
        reason=payload.reason or "",
        message=payload.message,
    )
    return submission_out(request, Submission.objects.get(pk=submission.pk))


@router.put(
    SUBMISSION + "/disposition", response=SubmissionOut, summary="Record or revise the disposition"
)
def put_disposition(
    request: HttpRequest, slug: str, call_id: int, number: int, payload: DispositionIn
) -> Any:
    call = call_for(request, slug, call_id)
    if not policy.can_dispose(request.user, call):
        raise PermissionDenied
    submission = submission_for(request, call, number)
    services.disposition_set(
        actor=request.user,
        submission=submission,
        outcome=payload.outcome,
        response=payload.response,
        links=[(link.type, link.id) for link in payload.links],
    )
    return submission_out(request, Submission.objects.get(pk=submission.pk))


@router.post(
    SUBMISSION + "/disposition/reaction",
    response=SubmissionOut,
    summary="The author accepts the disposition or objects",
)
def react(request: HttpRequest, slug: str, call_id: int, number: int, payload: ReactionIn) -> Any:
    call = call_for(request, slug, call_id)
    submission = submission_for(request, call, number)
    services.disposition_react(
        submission=submission,
        actor=request.user,
        token=token_of(request),
        reaction=payload.reaction,
        comment=payload.comment,
    )
    return submission_out(request, Submission.objects.get(pk=submission.pk))


@router.post(
    CALL + "/campaigns/{representative}/disposition",
    response=dict,
    summary="One disposition for a whole campaign group (from the latest analysis)",
)
def group_disposition(
    request: HttpRequest, slug: str, call_id: int, representative: int, payload: GroupDispositionIn
) -> Any:
    call = call_for(request, slug, call_id)
    if not policy.can_dispose(request.user, call):
        raise PermissionDenied
    group = selectors.campaign_of(call, representative)
    if group is None:
        from django.http import Http404

        raise Http404
    return services.disposition_apply_to_group(
        actor=request.user,
        call=call,
        numbers=group["members"],
        representative_number=representative,
        outcome=payload.outcome,
        response=payload.response,
        links=[(link.type, link.id) for link in payload.links],
        replace=payload.replace,
    )
