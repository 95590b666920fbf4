"""The list of calls, a call's public page, and creating and editing calls."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roundtable.core.forms import apply_validation_error
from roundtable.core.hooks import collect

from .. import policy, selectors, services
from ..forms import CallForm, VerificationForm
from ..models import CallState
from .common import call_for, process_for, require, verified_secret


def call_list(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_list_calls(request.user, process))
    groups = selectors.calls_grouped(person=request.user, process=process)
    return render(
        request,
        "consultations/call_list.html",
        {
            "process": process,
            "open_calls": groups[CallState.OPEN],
            "scheduled_calls": groups[CallState.SCHEDULED],
            "closed_calls": groups[CallState.CLOSED],
            "draft_calls": groups[CallState.DRAFT],
            # Other apps' open calls (the agenda's call for issues), listed beside ours.
            "other_open_calls": [
                other
                for answer in collect("open_calls", process=process, person=request.user)
                for other in answer
            ],
            "can_create": policy.can_create_call(request.user, process),
            "nav_current": "consultations",
        },
    )


def _person_zone(request: HttpRequest) -> str:
    user = request.user
    return getattr(user, "time_zone", "") or "UTC"


def call_create(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_create_call(request.user, process))
    form = CallForm(
        request.POST or None,
        process=process,
        initial={
            "time_zone": _person_zone(request),
            "languages": process.working_languages or ["en"],
        },
    )
    if request.method == "POST" and form.is_valid():
        label, target_id = form.split_target()
        data = form.cleaned_data
        try:
            # The form's date-times are wall-clock times in the chosen zone.
            call = services.call_create(
                actor=request.user,
                process=process,
                title=data["title"],
                description=data["description"],
                opens_at=timezone.make_naive(data["opens_at"]),
                closes_at=timezone.make_naive(data["closes_at"]),
                time_zone=data["time_zone"],
                languages=data["languages"],
                publication=data["publication"],
                moderation_rules=data["moderation_rules"],
                questions=form.question_list(),
                target_label=label,
                target_id=target_id,
                publish="publish" in request.POST,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("The call was announced.")
                if call.published_at
                else _("The call was saved as a draft. Announce it when it is ready."),
            )
            return redirect(call)
    return render(
        request,
        "consultations/call_form.html",
        {"process": process, "form": form, "nav_current": "consultations", "call": None},
        status=400 if form.errors else 200,
    )


def call_edit(request: HttpRequest, slug: str, call_id: int) -> HttpResponse:
    call = call_for(request, slug, call_id)
    require(policy.can_edit_call(request.user, call))
    process = call.process
    frozen = call.rules_frozen
    zone = call.zone
    initial = {
        "title": call.title,
        "description": call.description,
        "target": f"{call.target_label}:{call.target_id}" if call.target_id else "",
        "opens_at": timezone.localtime(call.opens_at, zone).replace(tzinfo=None),
        "closes_at": timezone.localtime(call.closes_at, zone).replace(tzinfo=None),
        "time_zone": call.time_zone,
        "languages": call.languages,
        "publication": call.publication,
        "questions": CallForm.questions_text(call),
        "moderation_rules": call.moderation_rules,
    }
    form = CallForm(request.POST or None, process=process, frozen=frozen, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {"closes_at": timezone.make_naive(data["closes_at"])}
        if not frozen:
            changes.update(
                title=data["title"],
                description=data["description"],
                opens_at=timezone.make_naive(data["opens_at"]),
                time_zone=data["time_zone"],
                languages=data["languages"],
                publication=data["publication"],
                moderation_rules=data["moderation_rules"],
                questions=form.question_list(),
                target=form.split_target(),
            )
        else:
            # Dates typed in the call's own zone.
            changes["time_zone"] = call.time_zone
        try:
            services.call_update(actor=request.user, call=call, **changes)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The call was saved."))
            return redirect(call)
    return render(
        request,
        "consultations/call_form.html",
        {
            "process": process,
            "form": form,
            "call": call,
            "frozen": frozen,
            "nav_current": "consultations",
        },
        status=400 if form.errors else 200,
    )


@require_POST
def call_publish(request: HttpRequest, slug: str, call_id: int) -> HttpResponse:
    call = call_for(request, slug, call_id)
    require(policy.can_edit_call(request.user, call))
    try:
        services.call_publish(actor=request.user, call=call)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The call was announced; its page is now public."))
    return redirect(call)


def call_detail(request: HttpRequest, slug: str, call_id: int) -> HttpResponse:
    call = call_for(request, slug, call_id)
    person = request.user
    counts = selectors.call_counts(call)
    can_submit = policy.can_submit(person, call)
    context = {
        "process": call.process,
        "call": call,
        "target": selectors.call_target(call),
        "questions": call.questions.all(),
        "counts": counts,
        "can_submit": can_submit,
        "verified": bool(verified_secret(request, call)),
        "verification_form": VerificationForm()
        if policy.can_submit_without_account(person, call)
        else None,
        "can_edit": policy.can_edit_call(person, call),
        "can_moderate": policy.can_moderate(person, call),
        "can_dispose": policy.can_dispose(person, call),
        "can_view_unpublished": policy.can_view_unpublished(person, call),
        "can_view_report": policy.can_view_report(person, call),
        "can_view_analysis": policy.can_view_analysis(person, call),
        "can_export": policy.can_export_contact_data(person, call),
        "recent": list(selectors.published_submissions(call).order_by("-number")[:5]),
        "my_submissions": list(
            call.submissions.filter(author=person).order_by("number")
            if person.is_authenticated
            else []
        ),
        "nav_current": "consultations",
    }
    return render(request, "consultations/call_detail.html", context)
