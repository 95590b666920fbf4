"""The router and the loading helpers every endpoint uses.

``process_for`` is the processes API's: 404 for anyone who may not see the process.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from roundtable.processes.api import process_for

from .. import policy
from ..models import (
    Session,
)

router = Router(tags=["meetings"])

PATH = "/processes/{slug}/sessions/{session_id}"


def session_for(request: HttpRequest, slug: str, session_id: int) -> Session:
    process = process_for(request, slug)
    session = get_object_or_404(
        Session.objects.select_related("process", "room", "current_agenda_item"),
        pk=session_id,
        process=process,
    )
    if not policy.can_view_session(request.user, session):
        raise Http404
    return session


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def viewer_zone(request: HttpRequest, given: str | None) -> str:
    return given or getattr(request.user, "time_zone", None) or "UTC"
