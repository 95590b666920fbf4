"""Loading and permission helpers the page modules share."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from roundtable.processes.views import process_for

from .. import policy
from ..models import Call, Submission

SESSION_VERIFIED = "consultations.verified"
SESSION_TOKENS = "consultations.tokens"

__all__ = ["call_for", "client_ip", "process_for", "require", "submission_for"]


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def call_for(request: HttpRequest, slug: str, call_id: int) -> Call:
    """The call, or 404 for anyone who may not see it (drafts included)."""
    process = process_for(request, slug)
    call = get_object_or_404(
        Call.objects.select_related("process", "target_type"), pk=call_id, process=process
    )
    if not policy.can_view_call(request.user, call):
        raise Http404
    return call


def submission_for(request: HttpRequest, call: Call, number: int) -> Submission:
    """The submission, or 404 if the visitor may not see it (unpublished ones included)."""
    submission = get_object_or_404(
        Submission.objects.select_related(
            "call__process", "stakeholder_group", "region", "author"
        ).prefetch_related("answers__question", "attachments"),
        call=call,
        number=number,
    )
    if not policy.can_view_submission(request.user, submission, author_token(request, submission)):
        raise Http404
    return submission


def client_ip(request: HttpRequest) -> str:
    # Behind a proxy, configure it to set REMOTE_ADDR (see docs/consultations.md).
    return request.META.get("REMOTE_ADDR", "") or ""


def author_token(request: HttpRequest, submission: Submission) -> str:
    """The author link's token, if this browser opened it."""
    return (request.session.get(SESSION_TOKENS) or {}).get(str(submission.pk), "")


def remember_author_token(request: HttpRequest, submission: Submission, token: str) -> None:
    tokens = dict(request.session.get(SESSION_TOKENS) or {})
    tokens[str(submission.pk)] = token
    # Keep the session small: the latest few submissions are enough.
    request.session[SESSION_TOKENS] = dict(list(tokens.items())[-20:])


def verified_secret(request: HttpRequest, call: Call) -> str:
    return (request.session.get(SESSION_VERIFIED) or {}).get(str(call.pk), "")


def remember_verified(request: HttpRequest, call: Call, secret: str) -> None:
    verified = dict(request.session.get(SESSION_VERIFIED) or {})
    verified[str(call.pk)] = secret
    request.session[SESSION_VERIFIED] = dict(list(verified.items())[-20:])


def forget_verified(request: HttpRequest, call: Call) -> None:
    verified = dict(request.session.get(SESSION_VERIFIED) or {})
    verified.pop(str(call.pk), None)
    request.session[SESSION_VERIFIED] = verified


def int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
