"""The issue list, proposals, one issue's page, the secretariat's decisions, the call."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from roundtable.core.forms import apply_validation_error
from roundtable.people.models import StakeholderGroup
from roundtable.processes.roles import membership_of

from .. import policy, selectors, services
from ..forms import (
    AssignForm,
    CallForm,
    IssueClusterForm,
    IssueForm,
    MergeForm,
    RatingForm,
    StatusForm,
)
from ..models import Cluster, IssueCall, IssueStatus, PolicyIssue
from .common import csv_response, flash_errors, issue_for, process_for, require


def issue_list(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_view_agenda(request.user, process))
    status = request.GET.get("status") or ""
    if status not in IssueStatus.values:
        status = ""
    cluster = request.GET.get("cluster") or ""
    group = request.GET.get("stakeholder_group") or ""
    query = (request.GET.get("q") or "").strip()[:200]
    issues = selectors.issues_for(
        process=process,
        status=status or None,
        cluster=cluster if cluster == "none" or cluster.isdigit() else None,
        stakeholder_group=group or None,
        query=query or None,
    )
    page = Paginator(issues, 100).get_page(request.GET.get("page"))
    clusters = list(Cluster.objects.filter(process=process))
    can_manage = policy.can_manage_clusters(request.user, process)
    return render(
        request,
        "agenda/issue_list.html",
        {
            "process": process,
            "page": page,
            "call": selectors.call_to_show(process=process),
            "open_call": selectors.open_call(process=process),
            "now": timezone.now(),
            "can_propose": policy.can_propose_issue(request.user, process),
            "can_manage_call": policy.can_manage_call(request.user, process),
            "can_rate": policy.can_rate_issues(request.user, process),
            "can_manage": can_manage,
            "assign_form": AssignForm(issues=page.object_list, clusters=clusters)
            if can_manage
            else None,
            "clusters": clusters,
            "groups": StakeholderGroup.objects.all(),
            "statuses": IssueStatus.choices,
            "selected": {
                "status": status,
                "cluster": cluster,
                "stakeholder_group": group,
                "q": query,
            },
            "group_counts": selectors.proposal_group_counts(process=process),
            "nav_current": "agenda",
        },
    )


def issue_csv(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_export(request.user, process))
    view = selectors.priority_results(process=process)
    results = {row.issue.pk: row.result for row in view.rows}
    issues = selectors.issues_for(process=process, include_inactive=True).prefetch_related(
        "proposals__stakeholder_group"
    )
    header = [
        "number",
        "title",
        "status",
        "cluster",
        "proposed_by",
        "proposer_stakeholder_group",
        "proposals",
        "proposal_stakeholder_groups",
        "language",
        "created_utc",
        "merged_into",
        "balanced_rating",
        "raw_rating",
        "ratings",
        "description",
        "references",
    ]

    def rows():
        for issue in issues.iterator(chunk_size=500):
            proposals = list(issue.proposals.all())
            first = next((p for p in proposals if p.original_issue_id == issue.pk), None)
            by = (
                str(selectors.proposer_attribution(process=process, proposal=first))
                if first
                else ""
            )
            result = results.get(issue.pk)
            groups = sorted({p.stakeholder_group.slug for p in proposals if p.stakeholder_group})
            yield [
                issue.pk,
                issue.title,
                issue.status,
                issue.cluster.title if issue.cluster else "",
                by,
                issue.proposer_stakeholder_group.slug if issue.proposer_stakeholder_group else "",
                len(proposals),
                " ".join(groups),
                issue.language,
                issue.created_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
                issue.merged_into_id or "",
                _fmt(view.display(result.balanced) if result else None),
                _fmt(view.display(result.raw) if result else None),
                result.count if result else 0,
                issue.description,
                issue.references,
            ]

    return csv_response(f"{process.slug}-policy-issues.csv", header, rows())


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def issue_propose(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    call = selectors.open_call(process=process)
    if not request.user.is_authenticated and call is not None:
        return redirect(f"{reverse('login')}?next={request.path}")
    if not policy.can_propose_issue(request.user, process):
        return render(
            request,
            "agenda/propose_closed.html",
            {
                "process": process,
                "call": selectors.call_to_show(process=process),
                "nav_current": "agenda",
            },
            status=403,
        )
    public = policy.proposes_as_public(request.user, process)
    initial = {"language": (request.LANGUAGE_CODE or "").lower()}
    # Started from another app's object (a consultation submission): that app
    # fills in the texts, if the person may read it.
    source = request.GET.get("source", "")
    if source:
        initial.update(
            selectors.issue_source_texts(process=process, person=request.user, source=source) or {}
        )
    form = IssueForm(request.POST or None, public=public, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_propose(actor=request.user, process=process, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Thank you: your issue was proposed."))
            return redirect("agenda:issue", slug=process.slug, issue_id=issue.pk)
    return render(
        request,
        "agenda/issue_form.html",
        {
            "process": process,
            "form": form,
            "call": call,
            "public": public,
            "membership": membership_of(request.user, process),
            "nav_current": "agenda",
        },
        status=400 if form.errors else 200,
    )


def issue_detail(request: HttpRequest, slug: str, issue_id: int) -> HttpResponse:
    process = process_for(request, slug)
    issue = issue_for(process, issue_id)
    require(policy.can_view_issue(request.user, issue))
    can_manage = policy.can_manage_issues(request.user, process)
    can_rate = policy.can_rate_issues(request.user, process) and issue.is_active
    others = selectors.active_issues(process=process).exclude(pk=issue.pk)
    clusters = Cluster.objects.filter(process=process)
    my_score = selectors.my_ratings(process=process, person=request.user).get(issue.pk)
    view = selectors.priority_results(process=process)
    priority = next((row for row in view.rows if row.issue.pk == issue.pk), None)
    return render(
        request,
        "agenda/issue_detail.html",
        {
            "process": process,
            "issue": issue,
            "proposals": selectors.proposals_for(issue=issue),
            "merged_here": issue.merged_issues.order_by("pk"),
            "priority": priority if priority is not None and priority.result.count else None,
            "view": view,
            "can_edit": policy.can_edit_issue(request.user, issue),
            "can_manage": can_manage,
            "can_rate": can_rate,
            "my_score": my_score,
            "rating_form": RatingForm(initial={"score": "" if my_score is None else str(my_score)})
            if can_rate
            else None,
            "status_form": StatusForm(initial={"status": issue.status})
            if can_manage and issue.status != IssueStatus.MERGED
            else None,
            "merge_form": MergeForm(issues=others) if can_manage and issue.is_active else None,
            "cluster_form": IssueClusterForm(
                clusters=clusters, initial={"cluster": issue.cluster_id or ""}
            )
            if can_manage and issue.is_active
            else None,
            "nav_current": "agenda",
        },
    )


def issue_edit(request: HttpRequest, slug: str, issue_id: int) -> HttpResponse:
    process = process_for(request, slug)
    issue = issue_for(process, issue_id)
    require(policy.can_edit_issue(request.user, issue))
    form = IssueForm(
        request.POST or None,
        initial={
            "title": issue.title,
            "description": issue.description,
            "references": issue.references,
            "language": issue.language,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_update(actor=request.user, issue=issue, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The issue was saved."))
            return redirect("agenda:issue", slug=process.slug, issue_id=issue.pk)
    return render(
        request,
        "agenda/issue_edit.html",
        {"process": process, "issue": issue, "form": form, "nav_current": "agenda"},
        status=400 if form.errors else 200,
    )


def _back_to(issue: PolicyIssue) -> HttpResponse:
    return redirect("agenda:issue", slug=issue.process.slug, issue_id=issue.pk)


@require_POST
def issue_status(request: HttpRequest, slug: str, issue_id: int) -> HttpResponse:
    process = process_for(request, slug)
    issue = issue_for(process, issue_id)
    require(policy.can_manage_issues(request.user, process))
    try:
        services.issue_set_status(
            actor=request.user, issue=issue, status=request.POST.get("status", "")
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The status was changed."))
    return _back_to(issue)


@require_POST
def issue_merge(request: HttpRequest, slug: str, issue_id: int) -> HttpResponse:
    process = process_for(request, slug)
    issue = issue_for(process, issue_id)
    require(policy.can_manage_issues(request.user, process))
    into_id = request.POST.get("into", "")
    into = (
        PolicyIssue.objects.filter(process=process, pk=int(into_id)).first()
        if into_id.isdigit()
        else None
    )
    if into is None:
        messages.error(request, _("Choose the issue to merge this one into."))
        return _back_to(issue)
    try:
        services.issue_merge(actor=request.user, issue=issue, into=into)
    except ValidationError as error:
        flash_errors(request, error)
        return _back_to(issue)
    messages.success(
        request,
        _("“%(title)s” was merged into this issue; its proposers and text are kept below.")
        % {"title": issue.title},
    )
    return _back_to(into)


@require_POST
def issue_cluster(request: HttpRequest, slug: str, issue_id: int) -> HttpResponse:
    process = process_for(request, slug)
    issue = issue_for(process, issue_id)
    require(policy.can_manage_clusters(request.user, process))
    try:
        services.issues_assign_cluster(
            actor=request.user,
            process=process,
            issue_ids=[issue.pk],
            cluster=request.POST.get("cluster") or None,
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The issue's cluster was changed."))
    next_url = request.POST.get("next", "")
    if next_url.startswith(f"/p/{process.slug}/agenda/"):
        return redirect(next_url)
    return _back_to(issue)


@require_POST
def issues_assign(request: HttpRequest, slug: str) -> HttpResponse:
    """The issue list's "put the selected issues in a cluster" form."""
    process = process_for(request, slug)
    require(policy.can_manage_clusters(request.user, process))
    try:
        count = services.issues_assign_cluster(
            actor=request.user,
            process=process,
            issue_ids=request.POST.getlist("issues"),
            cluster=request.POST.get("cluster") or None,
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            ngettext("%(count)d issue moved.", "%(count)d issues moved.", count) % {"count": count},
        )
    next_url = request.POST.get("next", "")
    if next_url.startswith(f"/p/{process.slug}/agenda/"):
        return redirect(next_url)
    return redirect("agenda:issues", slug=process.slug)


@require_POST
def issue_rate(request: HttpRequest, slug: str, issue_id: int) -> HttpResponse:
    process = process_for(request, slug)
    issue = issue_for(process, issue_id)
    require(policy.can_rate_issues(request.user, process))
    try:
        if request.POST.get("clear"):
            services.rating_clear(actor=request.user, issue=issue)
            messages.success(request, _("Your rating was removed."))
        else:
            rating = services.rating_set(
                actor=request.user, issue=issue, score=request.POST.get("score", "")
            )
            messages.success(
                request,
                _("You rated this issue %(score)d of %(max)d.")
                % {"score": rating.score, "max": rating.scale_max},
            )
    except ValidationError as error:
        flash_errors(request, error)
    return _back_to(issue)


# --- The call for issues ---------------------------------------------------------------


def call_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """The secretariat opens, changes and closes calls for issues."""
    process = process_for(request, slug)
    require(policy.can_manage_call(request.user, process))
    editing = None
    edit_id = request.GET.get("edit") or request.POST.get("call") or ""
    if edit_id.isdigit():
        editing = get_object_or_404(IssueCall, pk=int(edit_id), process=process)
    initial = {}
    if editing is not None:
        initial = {
            "opens_at": timezone.localtime(editing.opens_at),
            "closes_at": timezone.localtime(editing.closes_at),
            "introduction": editing.introduction,
        }
    form = CallForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_set(
                actor=request.user, process=process, call=editing, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The call for issues was saved."))
            return redirect("agenda:call", slug=process.slug)
    return render(
        request,
        "agenda/call.html",
        {
            "process": process,
            "form": form,
            "editing": editing,
            "calls": IssueCall.objects.filter(process=process),
            "now": timezone.now(),
            "nav_current": "agenda",
        },
        status=400 if form.errors else 200,
    )


@require_POST
def call_close(request: HttpRequest, slug: str, call_id: int) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_manage_call(request.user, process))
    call = get_object_or_404(IssueCall, pk=call_id, process=process)
    try:
        services.call_close(actor=request.user, call=call)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The call for issues is closed."))
    return redirect("agenda:call", slug=process.slug)
