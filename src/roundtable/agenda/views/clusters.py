"""Clusters, their drafting teams, and suggested clusterings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roundtable.core.forms import apply_validation_error

from .. import policy, selectors, services
from ..forms import AcceptForm, AssignForm, ClusterForm, SuggestForm, TeamForm
from ..models import Cluster, PolicyIssue, SuggestedCluster
from .common import cluster_for, flash_errors, process_for, require


def cluster_list(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_view_agenda(request.user, process))
    can_manage = policy.can_manage_clusters(request.user, process)
    candidates = list(selectors.team_candidates(process=process)) if can_manage else []
    form = ClusterForm(request.POST or None, candidates=candidates) if can_manage else None
    if request.method == "POST":
        require(can_manage)
        if form.is_valid():
            try:
                cluster = services.cluster_create(
                    actor=request.user,
                    process=process,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    coordinator=form.cleaned_data["coordinator"] or None,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The cluster was created."))
                return redirect("agenda:cluster", slug=process.slug, cluster_id=cluster.pk)
    unclustered = selectors.issues_for(process=process, cluster="none")
    return render(
        request,
        "agenda/cluster_list.html",
        {
            "process": process,
            "clusters": selectors.clusters_for(process=process),
            "unclustered": unclustered,
            "form": form,
            "can_manage": can_manage,
            "can_view_suggestions": policy.can_view_suggestions(request.user, process),
            "nav_current": "clusters",
        },
        status=400 if form is not None and form.errors else 200,
    )


def cluster_detail(request: HttpRequest, slug: str, cluster_id: int) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_view_agenda(request.user, process))
    cluster = cluster_for(process, cluster_id)
    can_manage = policy.can_manage_clusters(request.user, process)
    issues = selectors.issues_for(process=process, cluster=cluster.pk)
    view = selectors.priority_results(process=process)
    scores = {row.issue.pk: row for row in view.rows}
    context = {
        "process": process,
        "cluster": cluster,
        "issues": [
            (
                issue,
                scores[issue.pk].result.rank if issue.pk in scores else None,
                view.display(scores[issue.pk].result.balanced) if issue.pk in scores else None,
            )
            for issue in issues
        ],
        "view": view,
        "team": cluster.team.select_related("person"),
        "can_manage": can_manage,
        "nav_current": "clusters",
    }
    if can_manage:
        candidates = list(selectors.team_candidates(process=process))
        context["edit_form"] = ClusterForm(
            candidates=candidates,
            initial={
                "title": cluster.title,
                "description": cluster.description,
                "coordinator": cluster.coordinator_id or "",
            },
        )
        context["team_form"] = TeamForm(
            candidates=candidates,
            initial={
                "people": [str(pk) for pk in cluster.team.values_list("person_id", flat=True)]
            },
        )
        context["add_form"] = AssignForm(
            issues=selectors.issues_for(process=process, cluster="none"),
            clusters=[cluster],
            initial={"cluster": cluster.pk},
        )
    return render(request, "agenda/cluster_detail.html", context)


@require_POST
def cluster_edit(request: HttpRequest, slug: str, cluster_id: int) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_manage_clusters(request.user, process))
    cluster = cluster_for(process, cluster_id)
    form = ClusterForm(request.POST, candidates=list(selectors.team_candidates(process=process)))
    if form.is_valid():
        try:
            services.cluster_update(
                actor=request.user,
                cluster=cluster,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                coordinator=form.cleaned_data["coordinator"] or None,
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("The cluster was saved."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("agenda:cluster", slug=process.slug, cluster_id=cluster.pk)


@require_POST
def cluster_team(request: HttpRequest, slug: str, cluster_id: int) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_manage_clusters(request.user, process))
    cluster = cluster_for(process, cluster_id)
    try:
        services.cluster_set_team(
            actor=request.user,
            cluster=cluster,
            people=[value for value in request.POST.getlist("people") if value.isdigit()],
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The drafting team was saved."))
    return redirect("agenda:cluster", slug=process.slug, cluster_id=cluster.pk)


@require_POST
def cluster_delete(request: HttpRequest, slug: str, cluster_id: int) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_manage_clusters(request.user, process))
    cluster = cluster_for(process, cluster_id)
    try:
        services.cluster_delete(actor=request.user, cluster=cluster)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("agenda:cluster", slug=process.slug, cluster_id=cluster.pk)
    messages.success(request, _("The cluster was deleted; its issues are unclustered."))
    return redirect("agenda:clusters", slug=process.slug)


def suggestions(request: HttpRequest, slug: str) -> HttpResponse:
    """Compute a suggested clustering (POST) and show the latest one for acceptance."""
    process = process_for(request, slug)
    require(policy.can_view_suggestions(request.user, process))
    can_suggest = policy.can_suggest_clusters(request.user, process)
    form = SuggestForm(request.POST or None)
    if request.method == "POST":
        require(can_suggest)
        if form.is_valid():
            try:
                services.suggestion_create(
                    actor=request.user,
                    process=process,
                    clusters=form.cleaned_data["clusters"],
                    only_unclustered=form.cleaned_data["only_unclustered"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("A new clustering was suggested."))
                return redirect("agenda:suggestions", slug=process.slug)
    suggestion = selectors.latest_suggestion(process=process)
    clusters = list(Cluster.objects.filter(process=process))
    blocks = []
    placed: set[int] = set()
    if suggestion is not None:
        issues = {
            issue.pk: issue
            for issue in PolicyIssue.objects.filter(process=process).select_related("cluster")
        }
        for suggested in suggestion.clusters.all():
            members = [issues[pk] for pk in suggested.issue_ids if pk in issues]
            placed.update(suggested.issue_ids)
            active = [issue for issue in members if issue.is_active]
            accept_form = None
            if can_suggest and suggested.accepted_at is None and active:
                accept_form = AcceptForm(
                    issues=active,
                    clusters=clusters,
                    prefix=f"s{suggested.pk}",
                    initial={
                        "issues": [str(issue.pk) for issue in active],
                        "title": suggested.label,
                    },
                )
            blocks.append(
                {
                    "suggested": suggested,
                    "issues": members,
                    "representatives": [
                        issues[pk] for pk in suggested.representative_ids[:3] if pk in issues
                    ],
                    "form": accept_form,
                }
            )
    unplaced = []
    if suggestion is not None:
        unplaced = [
            issue
            for issue in selectors.active_issues(process=process)
            if issue.pk not in placed
            and (not suggestion.only_unclustered or issue.cluster_id is None)
            and issue.created_at <= suggestion.created_at
        ]
    return render(
        request,
        "agenda/suggestions.html",
        {
            "process": process,
            "form": form if can_suggest else None,
            "suggestion": suggestion,
            "blocks": blocks,
            "unplaced": unplaced,
            "nav_current": "clusters",
        },
        status=400 if form.errors else 200,
    )


@require_POST
def suggestion_accept(request: HttpRequest, slug: str, suggested_id: int) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_suggest_clusters(request.user, process))
    suggested = get_object_or_404(
        SuggestedCluster.objects.select_related("suggestion__process"),
        pk=suggested_id,
        suggestion__process=process,
    )
    prefix = f"s{suggested.pk}-"
    try:
        cluster = services.suggestion_accept(
            actor=request.user,
            suggested=suggested,
            issue_ids=request.POST.getlist(prefix + "issues"),
            title=request.POST.get(prefix + "title", ""),
            cluster=request.POST.get(prefix + "cluster") or None,
        )
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("agenda:suggestions", slug=process.slug)
    messages.success(
        request,
        _("Accepted: the chosen issues are now in “%(title)s”.") % {"title": cluster.title},
    )
    return redirect("agenda:suggestions", slug=process.slug)
