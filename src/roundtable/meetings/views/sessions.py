"""The schedule, one session's page, its agenda, registration and attendance."""

from __future__ import annotations

import zoneinfo

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from roundtable.core.forms import apply_validation_error
from roundtable.people.models import Person
from roundtable.processes.models import Role
from roundtable.processes.roles import role_of

from .. import policy, selectors, services
from ..forms import AgendaItemForm, CancelForm, RegistrationForm, SessionForm
from ..models import AgendaItem, AttendanceStatus, SessionKind
from ._common import act, process_for, refused, require, session_for


def sessions(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_view_sessions(request.user, process))
    past = Paginator(selectors.sessions_for_process(process=process, when="past"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "meetings/sessions.html",
        {
            "process": process,
            "upcoming": selectors.sessions_for_process(process=process, when="upcoming"),
            "page": past,
            "can_manage": policy.can_manage_sessions(request.user, process),
            "can_apply": policy.can_apply_to_observe(request.user, process),
            "can_view_applications": policy.can_view_applications(request.user, process),
            "nav_current": "meetings",
        },
    )


def _venue_times(session) -> dict | None:
    """The venue's zone, when the viewer's differs from the session's."""
    if session.time_zone == timezone.get_current_timezone_name():
        return None
    try:
        zoneinfo.ZoneInfo(session.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    return {"zone": session.time_zone}


def session(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    current = session_for(request, slug, session_id)
    person = request.user
    items = list(current.agenda_items.select_related("cluster", "policy_issue", "document_type"))
    return render(
        request,
        "meetings/session.html",
        {
            "process": current.process,
            "session": current,
            "items": items,
            "venue": _venue_times(current),
            "registration": selectors.registration_of(session=current, person=person),
            "can_edit": policy.can_edit_session(person, current),
            "can_register": policy.can_register(person, current),
            "can_attend": policy.can_attend_session(person, current),
            "can_see_link": policy.can_see_online_link(person, current),
            "can_view_floor": policy.can_view_floor(person, current),
            "can_view_minutes": policy.can_view_minutes(person, current),
            "can_view_report": policy.can_view_speaking_report(person, current),
            "can_apply": current.kind == SessionKind.PLENARY
            and policy.can_apply_to_observe(person, current.process),
            "counts": selectors.attendance_counts(session=current),
            "nav_current": "meetings",
        },
    )


def _session_form_page(request, process, form, session=None, status=200) -> HttpResponse:
    return render(
        request,
        "meetings/session_form.html",
        {
            "process": process,
            "session": session,
            "form": form,
            "rooms": selectors.room_names(process=process),
            "nav_current": "meetings",
        },
        status=status,
    )


def session_new(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_manage_sessions(request.user, process))
    form = SessionForm(request.POST or None, initial=SessionForm.initial_for(None, process))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.session_create(
                actor=request.user, process=process, **form.service_fields()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The session was scheduled. Now set its agenda."))
            return redirect("meetings:agenda", slug=process.slug, session_id=created.pk)
    return _session_form_page(request, process, form, status=400 if form.errors else 200)


def session_edit(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    current = session_for(request, slug, session_id)
    require(policy.can_edit_session(request.user, current))
    initial = SessionForm.initial_for(current, current.process)
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        changed = set(form.changed_data)
        if "speaking_minutes" in changed:
            changed.add("default_speaking_seconds")
        if "time_zone" in changed:
            # The same clock times, now read in another zone.
            changed |= {"start", "end"}
        if {"start", "end"} & changed:
            changed.add("time_zone")
        if "format" in changed:
            changed.add("room_name")
        changes = {key: value for key, value in fields.items() if key in changed}
        try:
            services.session_update(actor=request.user, session=current, **changes)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The session was saved."))
            return redirect(current)
    return _session_form_page(
        request, current.process, form, current, status=400 if form.errors else 200
    )


def session_cancel(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    current = session_for(request, slug, session_id)
    require(policy.can_edit_session(request.user, current))
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(
                actor=request.user, session=current, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The session was cancelled; everyone invited is told."))
            return redirect(current)
    return render(
        request,
        "meetings/session_cancel.html",
        {"process": current.process, "session": current, "form": form, "nav_current": "meetings"},
        status=400 if form.errors else 200,
    )


@require_POST
def session_invite(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    current = session_for(request, slug, session_id)
    require(policy.can_edit_session(request.user, current))
    try:
        count = services.invitations_send(actor=request.user, session=current)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if count:
            messages.success(
                request,
                ngettext(
                    "An invitation with a calendar entry was sent to %(count)d person.",
                    "Invitations with a calendar entry were sent to %(count)d people.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("Everyone who may attend already has the latest invitation."))
    return redirect(current)


# --- Agenda -----------------------------------------------------------------------------------


def agenda(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    current = session_for(request, slug, session_id)
    require(policy.can_edit_session(request.user, current))
    form = AgendaItemForm(request.POST or None, process=current.process)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            services.agenda_item_add(
                actor=request.user, session=current, title=fields.pop("title"), **fields
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The item was added to the agenda."))
            return redirect("meetings:agenda", slug=slug, session_id=current.pk)
    return render(
        request,
        "meetings/agenda.html",
        {
            "process": current.process,
            "session": current,
            "items": current.agenda_items.select_related("cluster", "policy_issue"),
            "form": form,
            "nav_current": "meetings",
        },
        status=400 if form.errors else 200,
    )


def agenda_item_edit(
    request: HttpRequest, slug: str, session_id: int, item_id: int
) -> HttpResponse:
    current = session_for(request, slug, session_id)
    require(policy.can_edit_session(request.user, current))
    item = get_object_or_404(AgendaItem, pk=item_id, session=current)
    initial = {
        "title": item.title,
        "description": item.description,
        "planned_minutes": item.planned_minutes,
        "cluster": item.cluster_id,
        "policy_issue": item.policy_issue_id,
        "document": f"{item.document_type.app_label}.{item.document_type.model}:{item.document_id}"
        if item.document_type_id
        else "",
    }
    form = AgendaItemForm(request.POST or None, process=current.process, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_update(actor=request.user, item=item, **form.service_fields())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The agenda item was saved."))
            return redirect("meetings:agenda", slug=slug, session_id=current.pk)
    return render(
        request,
        "meetings/agenda_item.html",
        {
            "process": current.process,
            "session": current,
            "item": item,
            "form": form,
            "nav_current": "meetings",
        },
        status=400 if form.errors else 200,
    )


@require_POST
def agenda_item_remove(
    request: HttpRequest, slug: str, session_id: int, item_id: int
) -> HttpResponse:
    current = session_for(request, slug, session_id)
    item = get_object_or_404(AgendaItem, pk=item_id, session=current)
    return act(
        request,
        lambda: services.agenda_item_remove(actor=request.user, item=item),
        success=_("The item was removed from the agenda."),
        then=reverse("meetings:agenda", kwargs={"slug": slug, "session_id": current.pk}),
        process=current.process,
    )


@require_POST
def agenda_item_move(
    request: HttpRequest, slug: str, session_id: int, item_id: int
) -> HttpResponse:
    current = session_for(request, slug, session_id)
    item = get_object_or_404(AgendaItem, pk=item_id, session=current)
    direction = -1 if request.POST.get("direction") == "up" else 1
    return act(
        request,
        lambda: services.agenda_item_move(actor=request.user, item=item, direction=direction),
        success=None,
        then=reverse("meetings:agenda", kwargs={"slug": slug, "session_id": current.pk}),
        process=current.process,
    )


# --- Registration and attendance --------------------------------------------------------------


def register(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    current = session_for(request, slug, session_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not policy.can_register(request.user, current):
        return refused(
            request,
            _("This session is for the members of the process; you cannot register."),
            current.process,
        )
    registration = selectors.registration_of(session=current, person=request.user)
    # People without a role say who they are, for the balance of the room.
    ask = role_of(request.user, current.process) is None
    initial = {}
    if registration is not None:
        initial = {
            "mode": registration.mode,
            "stakeholder_group": registration.stakeholder_group.slug
            if registration.stakeholder_group
            else "",
            "region": registration.region.slug if registration.region else "",
            "organisation_name": registration.organisation_name,
        }
    form = RegistrationForm(
        request.POST or None, session=current, ask_categories=ask, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_create(person=request.user, session=current, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("You are registered. A calendar invitation is on its way by e-mail."),
            )
            return redirect(current)
    return render(
        request,
        "meetings/register.html",
        {
            "process": current.process,
            "session": current,
            "form": form,
            "registration": registration,
            "nav_current": "meetings",
        },
        status=400 if form.errors else 200,
    )


@require_POST
def unregister(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    current = session_for(request, slug, session_id)
    if not request.user.is_authenticated:
        raise PermissionDenied
    return act(
        request,
        lambda: services.registration_cancel(person=request.user, session=current),
        success=_("Your registration was cancelled."),
        then=current.get_absolute_url(),
        process=current.process,
    )


def attendance(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    current = session_for(request, slug, session_id)
    person = request.user
    can_record = policy.can_record_attendance(person, current)
    if request.method == "POST":
        require(can_record)
        people = {p.pk: p for p in selectors.expected_attendees(session=current)}
        recorded = dict(current.attendance.values_list("person_id", "status"))
        extra = request.POST.get("person_email", "").strip()
        try:
            # One form, one transaction: either every line is saved or none.
            with transaction.atomic():
                for key, value in request.POST.items():
                    if not (key.startswith("status-") and key[7:].isdigit()):
                        continue
                    target = people.get(int(key[7:]))
                    if target is None or recorded.get(target.pk, "") == value:
                        continue
                    services.attendance_record(
                        actor=person, session=current, person=target, status=value
                    )
                if extra:
                    target = Person.objects.filter(email__iexact=extra).first()
                    if target is None:
                        raise ValidationError(
                            _("Nobody has the e-mail address %(email)s.") % {"email": extra}
                        )
                    services.attendance_record(
                        actor=person,
                        session=current,
                        person=target,
                        status=request.POST.get("person_status") or AttendanceStatus.IN_PERSON,
                    )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The attendance was saved."))
        return redirect("meetings:attendance", slug=slug, session_id=current.pk)
    names = policy.can_view_attendance_names(person, current)
    return render(
        request,
        "meetings/attendance.html",
        {
            "process": current.process,
            "session": current,
            "lines": selectors.attendance_lines(session=current) if names else None,
            "counts": selectors.attendance_counts(session=current),
            "can_record": can_record,
            "statuses": AttendanceStatus.choices,
            "observer_role": Role.OBSERVER,
            "nav_current": "meetings",
        },
    )
