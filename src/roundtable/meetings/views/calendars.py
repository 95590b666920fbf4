"""iCalendar downloads and feeds, and the page that manages one's personal calendar link."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import ics, policy, selectors, services
from ._common import process_for, require, session_for

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _calendar_response(content: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_GET
def event_ics(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = session_for(request, slug, session_id)
    content = ics.single_event(
        session, include_link=policy.can_see_online_link(request.user, session)
    )
    return _calendar_response(content, ics.ics_filename(session), attachment=True)


@require_GET
def process_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The public schedule of a process; online links are never in it (they are personal)."""
    process = process_for(request, slug)
    require(policy.can_view_process_calendar(request.user, process))
    content = ics.feed(
        selectors.calendar_sessions_for_process(process=process),
        name=process.name,
        include_link=lambda session: False,
    )
    return _calendar_response(content, f"{process.slug}-meetings.ics", attachment=False)


@require_GET
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's sessions across processes, for a calendar client holding the secret link."""
    person = services.person_for_calendar_token(token)
    if person is None:
        raise Http404
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        content = ics.feed(
            selectors.calendar_sessions_for_person(person=person),
            name=_("%(site)s meetings") % {"site": settings.SITE_NAME},
            include_link=lambda session: policy.can_see_online_link(person, session),
        )
    response = _calendar_response(content, "meetings.ics", attachment=False)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def my_calendar(request: HttpRequest) -> HttpResponse:
    require(policy.can_subscribe_calendar(request.user))
    secret = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(person=request.user)
            messages.success(request, _("Your calendar link no longer works."))
            return redirect("meetings:my_calendar")
        _feed, secret = services.calendar_feed_create(person=request.user)
    url = None
    if secret:
        url = settings.SITE_URL + reverse("meetings:personal_feed", kwargs={"token": secret})
    return render(
        request,
        "meetings/my_calendar.html",
        {
            "feed": services.calendar_feed_active(person=request.user),
            "url": url,
            "webcal_url": url.replace("https://", "webcal://").replace("http://", "webcal://")
            if url
            else None,
            "sessions": selectors.calendar_sessions_for_person(person=request.user)[:20],
        },
    )
