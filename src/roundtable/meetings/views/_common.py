"""Loading helpers shared by the meetings views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from roundtable.processes.views import process_for, require

from .. import policy
from ..models import Session

__all__ = ["act", "process_for", "refused", "require", "session_for"]


def session_for(request: HttpRequest, slug: str, session_id: int) -> Session:
    """The session, or 404 for anyone who may not see its process."""
    process = process_for(request, slug)
    session = get_object_or_404(
        Session.objects.select_related("process", "room", "current_agenda_item"),
        pk=session_id,
        process=process,
    )
    require(policy.can_view_session(request.user, session))
    return session


def refused(request: HttpRequest, message: str, process: Any = None) -> HttpResponse:
    """A 403 page that says why (e.g. "Observers attend ... without the right to speak")."""
    return render(
        request,
        "meetings/refused.html",
        {"message": message, "process": process, "nav_current": "meetings"},
        status=403,
    )


def act(
    request: HttpRequest,
    call: Callable[[], Any],
    *,
    success: str | None,
    then: str,
    process: Any = None,
) -> HttpResponse:
    """Run one service call for a POST button; errors become messages, refusals a 403 page."""
    try:
        call()
    except PermissionDenied as error:
        return refused(request, str(error), process)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if success:
            messages.success(request, success)
    return redirect(then)
