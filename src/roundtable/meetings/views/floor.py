"""The live floor (a page, and a fragment htmx polls) and the speaking report.

Without JavaScript the page works by reloading: every button is a plain form
that posts and comes back to the page. With htmx the queue, the current
speaker and the balance panel refresh every few seconds.
"""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import conf, policy, selectors, services
from ..forms import GrantForm
from ..models import AgendaItem, AttendanceStatus, FloorRequest
from ._common import act, refused, require, session_for

# htmx stops polling when a poll answers with this status.
STOP_POLLING = 286


def _announcement(state: selectors.FloorState) -> tuple[str, str]:
    """What the screen-reader live region should say, and a key that changes with it."""
    session = state.session
    if session.ended_at is not None:
        return "closed", _("The session is closed.")
    if not session.is_live:
        return "waiting", ""
    if state.speaking is None:
        return "nobody", _("Nobody has the floor.")
    if state.speaking.mine:
        return str(state.speaking.id), _("You have the floor.")
    return str(state.speaking.id), _("Now speaking: %(speaker)s") % {
        "speaker": state.speaking.label
    }


def _floor_context(request: HttpRequest, session) -> dict:
    person = request.user
    state = selectors.floor_state(session=session, viewer=person)
    # The live region outside the polled block is updated only when its news changes
    # (the poll sends back the key it last saw), so it is not re-read every second.
    seen, announcement = _announcement(state)
    changed = request.htmx and request.GET.get("seen") != seen
    balance = selectors.speaking_balance(session=session)
    named = policy.can_name_speakers(person, session)
    person_rows = (
        selectors.label_person_rows(balance, selectors.Speakers.for_floor(session, person))
        if named
        else None
    )
    can_request = policy.can_request_floor(person, session)
    refusal = None
    if not can_request and not policy.can_run_floor(person, session):
        refusal = policy.floor_refusal_reason(person, session)
    return {
        "process": session.process,
        "session": session,
        "floor": state,
        "balance": balance,
        "person_rows": person_rows,
        "can_run": policy.can_run_floor(person, session),
        "can_request": can_request,
        "refusal": refusal,
        "can_view_report": policy.can_view_speaking_report(person, session),
        "poll_seconds": conf.floor_poll_seconds(),
        "items": list(session.agenda_items.all()),
        "grant_form": GrantForm(
            initial={"time_limit_minutes": session.default_speaking_seconds / 60}
        ),
        "is_present": session.attendance.filter(
            person_id=getattr(person, "pk", None),
            status__in=[AttendanceStatus.IN_PERSON, AttendanceStatus.REMOTE],
        ).exists(),
        "seen": seen,
        "announcement": announcement if changed else None,
        "nav_current": "meetings",
    }


def floor(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = session_for(request, slug, session_id)
    if not policy.can_view_floor(request.user, session):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return refused(
            request, _("The floor is for those attending this session."), session.process
        )
    return render(request, "meetings/floor.html", _floor_context(request, session))


def floor_live(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = session_for(request, slug, session_id)
    require(policy.can_view_floor(request.user, session))
    response = render(request, "meetings/_floor_live.html", _floor_context(request, session))
    if request.htmx and (session.ended_at is not None or session.is_cancelled):
        response.status_code = STOP_POLLING
    return response


def _back(session) -> str:
    return reverse(
        "meetings:floor", kwargs={"slug": session.process.slug, "session_id": session.pk}
    )


@require_POST
def floor_open(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = session_for(request, slug, session_id)
    return act(
        request,
        lambda: services.session_open(actor=request.user, session=session),
        success=_("The session is open. Members can now ask for the floor."),
        then=_back(session),
        process=session.process,
    )


@require_POST
def floor_close(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = session_for(request, slug, session_id)
    return act(
        request,
        lambda: services.session_close(actor=request.user, session=session),
        success=_("The session is closed."),
        then=_back(session),
        process=session.process,
    )


@require_POST
def floor_request(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = session_for(request, slug, session_id)
    return act(
        request,
        lambda: services.floor_request_create(person=request.user, session=session),
        success=_("You are in the queue for the floor."),
        then=_back(session),
        process=session.process,
    )


@require_POST
def floor_withdraw(
    request: HttpRequest, slug: str, session_id: int, request_id: int
) -> HttpResponse:
    session = session_for(request, slug, session_id)
    floor_request_ = get_object_or_404(FloorRequest, pk=request_id, session=session)
    return act(
        request,
        lambda: services.floor_request_withdraw(actor=request.user, request=floor_request_),
        success=_("The request was withdrawn."),
        then=_back(session),
        process=session.process,
    )


@require_POST
def floor_grant(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = session_for(request, slug, session_id)
    require(policy.can_run_floor(request.user, session))
    form = GrantForm(request.POST)
    if not form.is_valid() or not form.cleaned_data.get("request"):
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        if not form.errors:
            messages.error(request, _("Choose whom to give the floor to."))
        return redirect(_back(session))
    floor_request_ = get_object_or_404(
        FloorRequest, pk=form.cleaned_data["request"], session=session
    )
    seconds = round(float(form.cleaned_data["time_limit_minutes"]) * 60)
    return act(
        request,
        lambda: services.floor_grant(
            actor=request.user, request=floor_request_, time_limit_seconds=seconds
        ),
        success=None,
        then=_back(session),
        process=session.process,
    )


@require_POST
def floor_end_turn(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = session_for(request, slug, session_id)
    return act(
        request,
        lambda: services.floor_end_turn(actor=request.user, session=session),
        success=None,
        then=_back(session),
        process=session.process,
    )


@require_POST
def floor_current_item(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = session_for(request, slug, session_id)
    raw = request.POST.get("agenda_item") or ""
    item = get_object_or_404(AgendaItem, pk=raw, session=session) if raw.isdigit() else None
    return act(
        request,
        lambda: services.session_set_current_item(
            actor=request.user, session=session, agenda_item=item
        ),
        success=_("The agenda item under discussion was changed."),
        then=_back(session),
        process=session.process,
    )


@require_POST
def floor_check_in(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = session_for(request, slug, session_id)
    mode = request.POST.get("mode") or AttendanceStatus.IN_PERSON
    return act(
        request,
        lambda: services.attendance_check_in(person=request.user, session=session, mode=mode),
        success=_("You are checked in."),
        then=_back(session),
        process=session.process,
    )


# --- The speaking report ----------------------------------------------------------------------


def _report_data(request: HttpRequest, session):
    balance = selectors.speaking_balance(session=session)
    rows = None
    if policy.can_name_speakers(request.user, session):
        rows = selectors.label_person_rows(
            balance, selectors.Speakers.for_floor(session, request.user)
        )
    return balance, rows


def report(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = session_for(request, slug, session_id)
    require(policy.can_view_speaking_report(request.user, session))
    balance, rows = _report_data(request, session)
    return render(
        request,
        "meetings/report.html",
        {
            "process": session.process,
            "session": session,
            "balance": balance,
            "person_rows": rows,
            "nav_current": "meetings",
        },
    )


def report_csv(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = session_for(request, slug, session_id)
    require(policy.can_view_speaking_report(request.user, session))
    balance, rows = _report_data(request, session)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Dimension"),
            _("Category"),
            _("Present"),
            _("Share of those present"),
            _("Turns"),
            _("Seconds"),
            _("Share of speaking time"),
        ]
    )
    for dimension, table in (
        (_("Stakeholder group"), balance.groups),
        (_("Region"), balance.regions),
    ):
        for row in table:
            writer.writerow(
                [
                    dimension,
                    row.label,
                    row.present,
                    f"{row.present_share:.4f}",
                    row.turns,
                    round(row.seconds),
                    f"{row.seconds_share:.4f}",
                ]
            )
    for item in balance.items:
        writer.writerow(
            [_("Agenda item"), item["title"], "", "", item["turns"], round(item["seconds"]), ""]
        )
    for row in rows or []:
        writer.writerow(
            [_("Speaker"), row["speaker"]["label"], "", "", row["turns"], row["seconds"], ""]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="speaking-session-{session.pk}.csv"'
    return response
