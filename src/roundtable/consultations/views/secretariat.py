"""The secretariat's side: moderation, dispositions, campaign groups, the analysis dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from roundtable.core.forms import apply_validation_error

from .. import policy, selectors, services
from ..conf import limit
from ..forms import DispositionForm, GroupDispositionForm, ModerationForm
from ..models import Submission, SubmissionStatus
from .common import call_for, int_or_none, require

QUEUE_STATUSES = {
    "pending": (SubmissionStatus.PENDING,),
    "changes_requested": (SubmissionStatus.CHANGES_REQUESTED,),
    "approved": (SubmissionStatus.APPROVED,),
    "rejected": (SubmissionStatus.REJECTED,),
    "withdrawn": (SubmissionStatus.WITHDRAWN,),
}


def _filters(request: HttpRequest) -> dict[str, int | None]:
    return {
        "campaign": int_or_none(request.GET.get("campaign")),
        "theme": int_or_none(request.GET.get("theme")),
    }


def _analysis_options(call) -> dict[str, list]:
    state = selectors.analysis_of(call)
    result = (state.result if state else None) or {}
    return {
        "campaign_options": [
            (group["representative"], group["size"]) for group in result.get("campaigns", [])
        ],
        "theme_options": [
            (theme["id"], ", ".join(theme.get("terms", [])[:4]), theme["size"])
            for theme in result.get("themes", [])
        ],
    }


def moderation_queue(request: HttpRequest, slug: str, call_id: int) -> HttpResponse:
    call = call_for(request, slug, call_id)
    require(policy.can_view_unpublished(request.user, call))
    status = request.GET.get("status") or "pending"
    if status not in QUEUE_STATUSES:
        status = "pending"
    filters = _filters(request)
    if request.method == "POST":
        require(policy.can_moderate(request.user, call))
        form = ModerationForm(request.POST)
        numbers = [int_or_none(n) for n in request.POST.getlist("numbers")]
        if form.is_valid():
            try:
                count = services.submissions_moderate_many(
                    actor=request.user,
                    call=call,
                    numbers=[n for n in numbers if n is not None],
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                    message=form.cleaned_data["message"],
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Decision recorded for %(count)d submission.",
                        "Decision recorded for %(count)d submissions.",
                        count,
                    )
                    % {"count": count},
                )
        else:
            messages.error(request, _("Choose a decision."))
        return redirect(request.get_full_path())
    submissions = selectors.queue(call=call, statuses=QUEUE_STATUSES[status], **filters)
    page = Paginator(submissions, limit("CONSULTATION_PAGE_SIZE")).get_page(request.GET.get("page"))
    campaigns = selectors.campaign_by_number(call)
    return render(
        request,
        "consultations/moderation_queue.html",
        {
            "process": call.process,
            "call": call,
            "page": page,
            "rows": [
                (s, selectors.author_of(s, reveal=True), campaigns.get(s.number))
                for s in page.object_list
            ],
            "status": status,
            "statuses": [
                (key, SubmissionStatus(value[0]).label) for key, value in QUEUE_STATUSES.items()
            ],
            "filters": filters,
            "counts": selectors.call_counts(call),
            "form": ModerationForm(),
            "can_moderate": policy.can_moderate(request.user, call),
            "nav_current": "consultations",
            **_analysis_options(call),
        },
    )


@require_POST
def moderate(request: HttpRequest, slug: str, call_id: int, number: int) -> HttpResponse:
    call = call_for(request, slug, call_id)
    require(policy.can_moderate(request.user, call))
    submission = Submission.objects.filter(call=call, number=number).first()
    if submission is None:
        raise Http404
    form = ModerationForm(request.POST)
    if form.is_valid():
        try:
            services.submission_moderate(
                actor=request.user, submission=submission, **form.cleaned_data
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(reference)s: %(status)s.")
                % {
                    "reference": submission.reference,
                    "status": Submission.objects.get(pk=submission.pk).get_status_display(),
                },
            )
    else:
        messages.error(request, _("Choose a decision."))
    next_url = request.POST.get("next") or ""
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect(submission)


def disposition_queue(request: HttpRequest, slug: str, call_id: int) -> HttpResponse:
    call = call_for(request, slug, call_id)
    require(policy.can_view_unpublished(request.user, call))
    filters = _filters(request)
    undisposed = request.GET.get("show") != "all"
    submissions = selectors.queue(
        call=call,
        statuses=(SubmissionStatus.APPROVED,),
        undisposed_only=undisposed,
        **filters,
    )
    page = Paginator(submissions, limit("CONSULTATION_PAGE_SIZE")).get_page(request.GET.get("page"))
    campaigns = selectors.campaign_by_number(call)
    return render(
        request,
        "consultations/disposition_queue.html",
        {
            "process": call.process,
            "call": call,
            "page": page,
            "rows": [
                (s, selectors.author_of(s, reveal=True), campaigns.get(s.number))
                for s in page.object_list
            ],
            "counts": selectors.call_counts(call),
            "filters": filters,
            "undisposed": undisposed,
            "can_dispose": policy.can_dispose(request.user, call),
            "nav_current": "consultations",
            **_analysis_options(call),
        },
    )


def disposition_edit(request: HttpRequest, slug: str, call_id: int, number: int) -> HttpResponse:
    call = call_for(request, slug, call_id)
    require(policy.can_dispose(request.user, call))
    submission = Submission.objects.filter(call=call, number=number).first()
    if submission is None:
        raise Http404
    form = DispositionForm(request.POST or None, process=call.process)
    if request.method == "POST" and form.is_valid():
        try:
            services.disposition_set(
                actor=request.user,
                submission=submission,
                outcome=form.cleaned_data["outcome"],
                response=form.cleaned_data["response"],
                links=form.link_pairs(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Disposition of %(reference)s recorded; the author was told.")
                % {"reference": submission.reference},
            )
            next_url = request.POST.get("next") or ""
            if next_url.startswith("/") and not next_url.startswith("//"):
                return redirect(next_url)
            return redirect(submission)
    return render(
        request,
        "consultations/disposition_form.html",
        {
            "process": call.process,
            "call": call,
            "submission": submission,
            "form": form,
            "next": request.GET.get("next") or request.POST.get("next") or "",
            "nav_current": "consultations",
        },
        status=400 if form.errors else 200,
    )


def campaign(request: HttpRequest, slug: str, call_id: int, representative: int) -> HttpResponse:
    """One campaign group: the shared text once, what each copy adds, one disposition for all."""
    call = call_for(request, slug, call_id)
    require(policy.can_view_unpublished(request.user, call))
    group = selectors.campaign_of(call, representative)
    if group is None:
        raise Http404
    members = list(
        Submission.objects.filter(call=call, number__in=group["members"])
        .select_related("call__process", "stakeholder_group", "disposition")
        .order_by("number")
    )
    additions = {int(key): value for key, value in (group.get("additions") or {}).items()}
    form = GroupDispositionForm(request.POST or None, process=call.process)
    if request.method == "POST":
        require(policy.can_dispose(request.user, call))
        if form.is_valid():
            try:
                counts = services.disposition_apply_to_group(
                    actor=request.user,
                    call=call,
                    numbers=group["members"],
                    representative_number=representative,
                    outcome=form.cleaned_data["outcome"],
                    response=form.cleaned_data["response"],
                    links=form.link_pairs(),
                    replace=form.cleaned_data["replace"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Group disposition recorded. Copies given it: %(applied)d; kept their "
                        "own: %(kept)d; skipped (not approved): %(skipped)d."
                    )
                    % counts,
                )
                return redirect(request.path)
    rep = next((m for m in members if m.number == representative), None)
    return render(
        request,
        "consultations/campaign.html",
        {
            "process": call.process,
            "call": call,
            "group": group,
            "representative": rep,
            "rows": [
                (m, selectors.author_of(m, reveal=True), additions.get(m.number, ""))
                for m in members
            ],
            "form": form,
            "can_dispose": policy.can_dispose(request.user, call),
            "nav_current": "consultations",
        },
        status=400 if form.errors else 200,
    )


def analysis_dashboard(request: HttpRequest, slug: str, call_id: int) -> HttpResponse:
    call = call_for(request, slug, call_id)
    require(policy.can_view_analysis(request.user, call))
    state = selectors.analysis_of(call)
    result = (state.result if state else None) or {}
    wanted = set()
    for group in result.get("campaigns", []):
        wanted.add(group["representative"])
    for theme in result.get("themes", []):
        wanted.update(theme.get("representatives", [])[:3])
    texts = {
        s.number: s
        for s in Submission.objects.filter(call=call, number__in=wanted).select_related(
            "call__process", "stakeholder_group"
        )
    }
    from roundtable.people.models import StakeholderGroup

    group_names = {g.slug: g.display_name for g in StakeholderGroup.objects.all()}
    shares = (
        Submission.objects.filter(call=call)
        .exclude(status__in=[SubmissionStatus.REJECTED, SubmissionStatus.WITHDRAWN])
        .values_list("stakeholder_group__slug", flat=True)
    )
    from collections import Counter

    share_counts = Counter(shares)
    total = sum(share_counts.values())
    return render(
        request,
        "consultations/analysis.html",
        {
            "process": call.process,
            "call": call,
            "state": state,
            "campaigns": result.get("campaigns", []),
            "themes": result.get("themes", []),
            "stats": result.get("stats", {}),
            "texts": texts,
            "group_names": group_names,
            "shares": [
                (
                    group_names.get(slug, _("Not stated")) if slug else _("Not stated"),
                    count,
                    count / total if total else 0,
                )
                for slug, count in share_counts.most_common()
            ],
            "share_total": total,
            "nav_current": "consultations",
        },
    )
