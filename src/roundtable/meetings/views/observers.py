"""Applying to observe, and the secretariat's accreditation desk."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roundtable.core.forms import apply_validation_error

from .. import policy, selectors, services
from ..forms import DecisionForm, ObserverApplicationForm
from ..models import ApplicationStatus, ObserverApplication, Session, SessionKind
from ._common import process_for, refused, require


def _open_plenaries(process) -> list[Session]:
    return list(
        Session.objects.filter(
            process=process,
            kind=SessionKind.PLENARY,
            cancelled_at__isnull=True,
            ended_at__isnull=True,
            end__gt=timezone.now(),
        ).order_by("start")
    )


def observer_apply(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    mine = selectors.my_applications(process=process, person=request.user)
    if not policy.can_apply_to_observe(request.user, process):
        return refused(
            request,
            _("You already take part in this process; there is nothing to apply for."),
            process,
        )
    plenaries = _open_plenaries(process)
    initial = {"name": request.user.name}
    if request.GET.get("session", "").isdigit():
        initial["session"] = int(request.GET["session"])
    form = ObserverApplicationForm(request.POST or None, plenaries=plenaries, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        session_id = data.pop("session")
        session = next((s for s in plenaries if s.pk == session_id), None)
        try:
            services.observer_apply(person=request.user, process=process, session=session, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Your application was sent. The secretariat will answer by e-mail."),
            )
            return redirect("meetings:observer_apply", slug=process.slug)
    return render(
        request,
        "meetings/observer_apply.html",
        {"process": process, "form": form, "mine": mine, "nav_current": "meetings"},
        status=400 if form.errors else 200,
    )


def observers(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_view_applications(request.user, process))
    applications = list(selectors.applications_for(process=process))
    return render(
        request,
        "meetings/observers.html",
        {
            "process": process,
            "pending": [a for a in applications if a.status == ApplicationStatus.PENDING],
            "decided": [a for a in applications if a.status != ApplicationStatus.PENDING],
            "form": DecisionForm(),
            "nav_current": "meetings",
        },
    )


@require_POST
def observer_decide(request: HttpRequest, slug: str, application_id: int) -> HttpResponse:
    process = process_for(request, slug)
    application = get_object_or_404(ObserverApplication, pk=application_id, process=process)
    form = DecisionForm(request.POST)
    note = form.data.get("note", "")
    accredit = request.POST.get("decision") == "accredit"
    try:
        services.observer_decide(
            actor=request.user, application=application, accredit=accredit, note=note
        )
    except PermissionDenied as error:
        return refused(request, str(error), process)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if accredit:
            messages.success(request, _("%(name)s is accredited.") % {"name": application.name})
        else:
            messages.success(
                request, _("The application of %(name)s was declined.") % {"name": application.name}
            )
    return redirect("meetings:observers", slug=process.slug)
