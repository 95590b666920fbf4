"""The agenda API: issues, proposals, calls, clusters, suggestions, ratings, results."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from roundtable.processes.api import process_for, require

from . import conf, policy, selectors, services
from .models import (
    Cluster,
    ClusterSuggestion,
    IssueCall,
    IssueStatus,
    PolicyIssue,
    Rating,
    SuggestedCluster,
)
from .selectors import Method, PriorityView

router = Router(tags=["agenda"])
BASE = "/processes/{slug}/agenda"


def register(api: Any) -> None:
    api.add_router("/", router)


# --- Schemas --------------------------------------------------------------------------


class AttributionOut(Schema):
    label: str
    name: str | None
    organisation: str | None
    stakeholder_group: str | None
    anonymous: bool


class IssueOut(Schema):
    id: int
    title: str
    description: str
    references: str
    language: str
    status: str
    cluster: int | None
    merged_into: int | None
    proposer_stakeholder_group: str | None
    proposals: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_cluster(issue: PolicyIssue) -> int | None:
        return issue.cluster_id

    @staticmethod
    def resolve_merged_into(issue: PolicyIssue) -> int | None:
        return issue.merged_into_id

    @staticmethod
    def resolve_proposer_stakeholder_group(issue: PolicyIssue) -> str | None:
        group = issue.proposer_stakeholder_group
        return group.slug if group else None

    @staticmethod
    def resolve_proposals(issue: PolicyIssue) -> int:
        count = getattr(issue, "proposal_count", None)
        return count if count is not None else issue.proposals.count()


class ProposalOut(Schema):
    proposer: AttributionOut
    role: str
    stakeholder_group: str | None
    self_declared: bool
    title: str
    description: str
    references: str
    language: str
    original_issue: int
    created_at: dt.datetime
    merged_at: dt.datetime | None


class IssueDetailOut(IssueOut):
    provenance: list[ProposalOut]


class IssueFilter(Schema):
    status: IssueStatus | None = None
    cluster: str | None = Field(None, description='a cluster id, or "none" for unclustered')
    stakeholder_group: str | None = Field(None, description="slug of a proposer's group")
    q: str | None = Field(None, max_length=200)


class IssueIn(Schema):
    title: str
    description: str = ""
    references: str = ""
    language: str = ""
    stakeholder_group: str | None = Field(
        None, description="slug; required from the public (self-declared), ignored for members"
    )


class IssuePatch(Schema):
    title: str | None = None
    description: str | None = None
    references: str | None = None
    language: str | None = None
    status: str | None = Field(None, description="proposed, accepted or withdrawn")
    cluster: int | None = Field(None, description="cluster id; null takes the issue out")


class MergeIn(Schema):
    into: int


class RatingIn(Schema):
    score: int


class RatingOut(Schema):
    issue: int
    score: int
    scale_max: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_issue(rating: Any) -> int:
        return rating.issue_id


class RankingIn(Schema):
    issues: list[int] = Field(description="issue ids, first place first")


class RankingOut(Schema):
    issues: list[int]
    max_ranked: int


class CallOut(Schema):
    id: int
    opens_at: dt.datetime
    closes_at: dt.datetime
    introduction: str
    is_open: bool

    @staticmethod
    def resolve_is_open(call: IssueCall) -> bool:
        return call.is_open()


class CallsOut(Schema):
    open: CallOut | None
    calls: list[CallOut]


class CallIn(Schema):
    opens_at: dt.datetime = Field(description="ISO 8601 with a time-zone offset")
    closes_at: dt.datetime = Field(description="ISO 8601 with a time-zone offset")
    introduction: str = ""


class ClusterOut(Schema):
    id: int
    title: str
    description: str
    position: int
    coordinator: str | None
    team: list[str]
    issues: list[int]

    @staticmethod
    def resolve_coordinator(cluster: Cluster) -> str | None:
        return cluster.coordinator.name if cluster.coordinator else None

    @staticmethod
    def resolve_team(cluster: Cluster) -> list[str]:
        return [seat.person.name for seat in cluster.team.all()]

    @staticmethod
    def resolve_issues(cluster: Cluster) -> list[int]:
        active = getattr(cluster, "active_issues", None)
        if active is None:
            active = selectors.active_issues(process=cluster.process).filter(cluster=cluster)
        return [issue.pk for issue in active]


class ClusterIn(Schema):
    title: str
    description: str = ""
    coordinator: int | None = Field(None, description="person id of a member, chair or secretariat")


class ClusterPatch(Schema):
    title: str | None = None
    description: str | None = None
    coordinator: int | None = None


class TeamIn(Schema):
    people: list[int]


class IssuesIn(Schema):
    issues: list[int]


class SuggestedClusterOut(Schema):
    id: int
    terms: list[str]
    issues: list[int]
    representatives: list[int]
    accepted_cluster: int | None
    accepted_issues: list[int]

    @staticmethod
    def resolve_issues(item: SuggestedCluster) -> list[int]:
        return list(item.issue_ids)

    @staticmethod
    def resolve_representatives(item: SuggestedCluster) -> list[int]:
        return list(item.representative_ids)

    @staticmethod
    def resolve_accepted_cluster(item: SuggestedCluster) -> int | None:
        return item.accepted_cluster_id

    @staticmethod
    def resolve_accepted_issues(item: SuggestedCluster) -> list[int]:
        return list(item.accepted_issue_ids)


class SuggestionOut(Schema):
    id: int
    created_at: dt.datetime
    issue_count: int
    requested_clusters: int | None
    only_unclustered: bool
    clusters: list[SuggestedClusterOut]

    @staticmethod
    def resolve_clusters(suggestion: ClusterSuggestion) -> list[SuggestedCluster]:
        return list(suggestion.clusters.all())


class SuggestionIn(Schema):
    clusters: int | None = Field(None, description="how many clusters; chosen if omitted")
    only_unclustered: bool = False


class AcceptIn(Schema):
    issues: list[int] = Field(description="the part of the suggested cluster to accept")
    title: str = Field("", description="name of the new cluster")
    description: str = ""
    cluster: int | None = Field(None, description="an existing cluster to add them to instead")


class ResultsFilter(Schema):
    method: str = Field(Method.RATINGS, description="ratings or rankings")


# --- Helpers ---------------------------------------------------------------------------


def issue_for(request: HttpRequest, slug: str, issue_id: int) -> tuple[Any, PolicyIssue]:
    process = process_for(request, slug)
    require(policy.can_view_agenda(request.user, process))
    issue = get_object_or_404(
        PolicyIssue.objects.select_related("process", "proposer_stakeholder_group"),
        pk=issue_id,
        process=process,
    )
    return process, issue


def issue_detail(issue: PolicyIssue) -> PolicyIssue:
    """The issue with its provenance attached, for ``IssueDetailOut``."""
    issue.provenance = [
        {
            "proposer": item.attribution.as_dict(),
            "role": item.proposal.proposer_role,
            "stakeholder_group": item.proposal.stakeholder_group.slug
            if item.proposal.stakeholder_group
            else None,
            "self_declared": item.proposal.self_declared,
            "title": item.proposal.title,
            "description": item.proposal.description,
            "references": item.proposal.references,
            "language": item.proposal.language,
            "original_issue": item.proposal.original_issue_id,
            "created_at": item.proposal.created_at,
            "merged_at": item.proposal.merged_at,
        }
        for item in selectors.proposals_for(issue=issue)
    ]
    return issue


def cluster_for(request: HttpRequest, slug: str, cluster_id: int) -> Cluster:
    process = process_for(request, slug)
    require(policy.can_view_agenda(request.user, process))
    return get_object_or_404(
        Cluster.objects.select_related("process", "coordinator"), pk=cluster_id, process=process
    )


def _value(view: PriorityView, value: float | None) -> float | None:
    shown = view.display(value)
    return None if shown is None else round(shown, 4)


def results_json(view: PriorityView) -> dict[str, Any]:
    group_slug = {g.pk: g.slug for g in view.groups}

    def cells(row_cells: list, keys: list) -> dict[str, Any]:
        return {
            key.slug: ({"mean": _value(view, c.mean), "count": c.count} if c else None)
            for key, c in zip(keys, row_cells, strict=True)
        }

    ranking = []
    for row in view.rows:
        result = row.result
        ranking.append(
            {
                "rank": result.rank,
                "raw_rank": result.raw_rank,
                "issue": row.issue.pk,
                "title": row.issue.title,
                "cluster": row.issue.cluster_id,
                "balanced": _value(view, result.balanced),
                "raw": _value(view, result.raw),
                "votes": result.count,
                "group_coverage": round(result.coverage, 4),
                "enough_coverage": result.enough_coverage,
                "spread": _value(view, result.spread),
                "by_group": cells(row.group_cells, view.groups),
                "by_region": cells(row.region_cells, view.regions),
                "balanced_by_region": _value(view, result.balanced_by_region),
            }
        )
    return {
        "method": view.method,
        "scale": {"min": 0, "max": view.scale_max}
        if view.method == Method.RATINGS
        else {"min": 0, "max": 100},
        "voters": view.results.voters,
        "votes": view.results.votes,
        "stakeholder_groups": [g.slug for g in view.groups],
        "regions": [r.slug for r in view.regions],
        "min_cell": view.min_cell,
        "min_coverage": view.min_coverage,
        "ranking": ranking,
        "disagreements": [
            {
                "issue": row.issue.pk,
                "spread": _value(view, row.result.spread),
                "highest": group_slug.get(row.result.highest_group),
                "lowest": group_slug.get(row.result.lowest_group),
            }
            for row in view.disagreements()
        ],
    }


# --- Issues ------------------------------------------------------------------------------


@router.get(BASE + "/issues", response=list[IssueOut], summary="Policy issues")
@paginate(LimitOffsetPagination)
def list_issues(request: HttpRequest, slug: str, filters: Query[IssueFilter]) -> Any:
    process = process_for(request, slug)
    require(policy.can_view_agenda(request.user, process))
    return selectors.issues_for(
        process=process,
        status=filters.status,
        cluster=filters.cluster,
        stakeholder_group=filters.stakeholder_group,
        query=filters.q,
    )


class IssueDraftOut(Schema):
    title: str
    description: str
    references: str
    language: str


@router.get(
    BASE + "/issue-draft",
    response=IssueDraftOut,
    summary="The texts to propose an issue from another app's object",
    description=(
        "``source`` names it, e.g. ``submission:12`` (a published consultation "
        "submission): the same texts the proposal form is filled with. Edit them "
        "and POST to ``issues``. 404 if nothing the caller may read answers."
    ),
)
def issue_draft(request: HttpRequest, slug: str, source: str) -> Any:
    process = process_for(request, slug)
    require(policy.can_view_agenda(request.user, process))
    texts = selectors.issue_source_texts(process=process, person=request.user, source=source)
    if texts is None:
        raise HttpError(404, _("Nothing to propose an issue from was found."))
    return texts


@router.post(BASE + "/issues", response={201: IssueDetailOut}, summary="Propose an issue")
def propose_issue(request: HttpRequest, slug: str, payload: IssueIn) -> Any:
    process = process_for(request, slug)
    issue = services.issue_propose(actor=request.user, process=process, **payload.dict())
    return Status(201, issue_detail(issue))


@router.get(
    BASE + "/issues/{issue_id}", response=IssueDetailOut, summary="One issue, with provenance"
)
def get_issue(request: HttpRequest, slug: str, issue_id: int) -> Any:
    _process, issue = issue_for(request, slug, issue_id)
    return issue_detail(issue)


@router.patch(BASE + "/issues/{issue_id}", response=IssueDetailOut)
def patch_issue(request: HttpRequest, slug: str, issue_id: int, payload: IssuePatch) -> Any:
    process, issue = issue_for(request, slug, issue_id)
    changes = payload.dict(exclude_unset=True)
    text = {"title", "description", "references", "language"} & set(changes)
    if text:
        services.issue_update(
            actor=request.user,
            issue=issue,
            title=changes.get("title", issue.title),
            description=changes.get("description", issue.description),
            references=changes.get("references", issue.references),
            language=changes.get("language", issue.language),
        )
    if changes.get("status") is not None:
        services.issue_set_status(actor=request.user, issue=issue, status=changes["status"])
    if "cluster" in changes:
        services.issues_assign_cluster(
            actor=request.user, process=process, issue_ids=[issue.pk], cluster=changes["cluster"]
        )
    if not changes:
        require(policy.can_edit_issue(request.user, issue))
    issue.refresh_from_db()
    return issue_detail(issue)


@router.post(
    BASE + "/issues/{issue_id}/merge", response=IssueDetailOut, summary="Merge a duplicate"
)
def merge_issue(request: HttpRequest, slug: str, issue_id: int, payload: MergeIn) -> Any:
    process, issue = issue_for(request, slug, issue_id)
    require(policy.can_manage_issues(request.user, process))
    into = PolicyIssue.objects.filter(process=process, pk=payload.into).first()
    if into is None:
        raise ValidationError({"into": [_("Choose an issue of this process to merge into.")]})
    into = services.issue_merge(actor=request.user, issue=issue, into=into)
    return issue_detail(into)


@router.put(BASE + "/issues/{issue_id}/rating", response=RatingOut, summary="Rate (again)")
def put_rating(request: HttpRequest, slug: str, issue_id: int, payload: RatingIn) -> Any:
    _process, issue = issue_for(request, slug, issue_id)
    return services.rating_set(actor=request.user, issue=issue, score=payload.score)


@router.delete(BASE + "/issues/{issue_id}/rating", response={204: None})
def delete_rating(request: HttpRequest, slug: str, issue_id: int) -> Any:
    _process, issue = issue_for(request, slug, issue_id)
    services.rating_clear(actor=request.user, issue=issue)
    return Status(204, None)


@router.get(BASE + "/ratings/mine", response=list[RatingOut], summary="The caller's ratings")
def my_ratings(request: HttpRequest, slug: str) -> Any:
    process = process_for(request, slug)
    require(policy.can_rate_issues(request.user, process))
    return Rating.objects.filter(issue__process=process, person=request.user).order_by("issue_id")


@router.get(BASE + "/ranking/mine", response=RankingOut, summary="The caller's ranking")
def my_ranking(request: HttpRequest, slug: str) -> Any:
    process = process_for(request, slug)
    require(policy.can_rate_issues(request.user, process))
    return {
        "issues": selectors.my_ranking(process=process, person=request.user),
        "max_ranked": conf.max_ranked(),
    }


@router.put(BASE + "/ranking/mine", response=RankingOut, summary="Replace the caller's ranking")
def put_ranking(request: HttpRequest, slug: str, payload: RankingIn) -> Any:
    process = process_for(request, slug)
    services.ranking_set(actor=request.user, process=process, issue_ids=payload.issues)
    return {
        "issues": selectors.my_ranking(process=process, person=request.user),
        "max_ranked": conf.max_ranked(),
    }


# --- Results ------------------------------------------------------------------------------------


@router.get(BASE + "/results", summary="Raw and balanced priorities, by group and region")
def get_results(request: HttpRequest, slug: str, filters: Query[ResultsFilter]) -> dict[str, Any]:
    process = process_for(request, slug)
    require(policy.can_view_results(request.user, process))
    if filters.method not in Method.ALL:
        raise ValidationError({"method": [_("Choose “ratings” or “rankings”.")]})
    return results_json(selectors.priority_results(process=process, method=filters.method))


@router.get(BASE + "/share", summary="Attention per cluster against its priority")
def get_share(request: HttpRequest, slug: str) -> dict[str, Any]:
    process = process_for(request, slug)
    require(policy.can_view_agenda_share(request.user, process))
    view = selectors.agenda_share_report(process=process)
    report = view.report
    return {
        "has_data": report.has_data,
        "priority_basis": view.basis,
        "kinds": report.kinds,
        "totals": report.totals,
        "threshold": report.threshold,
        "clusters": [
            {
                "cluster": row.cluster,
                "title": view.clusters[row.cluster].title,
                "priority_share": round(row.priority_share, 4),
                "attention": row.attention,
                "attention_share": {k: round(v, 4) for k, v in row.attention_share.items()},
                "overall_share": None if row.overall_share is None else round(row.overall_share, 4),
                "ratio": None if row.ratio is None else round(row.ratio, 4),
                "dominant_in": row.dominant_in,
                "crowded_out": row.crowded_out,
            }
            for row in report.rows
        ],
    }


# --- Calls for issues --------------------------------------------------------------------------


@router.get(BASE + "/calls", response=CallsOut, summary="Calls for issues")
def list_calls(request: HttpRequest, slug: str) -> Any:
    process = process_for(request, slug)
    require(policy.can_view_agenda(request.user, process))
    return {
        "open": selectors.open_call(process=process),
        "calls": list(IssueCall.objects.filter(process=process)),
    }


@router.post(BASE + "/calls", response={201: CallOut}, summary="Open a call for issues")
def create_call(request: HttpRequest, slug: str, payload: CallIn) -> Any:
    process = process_for(request, slug)
    call = services.call_set(actor=request.user, process=process, **payload.dict())
    return Status(201, call)


@router.put(BASE + "/calls/{call_id}", response=CallOut, summary="Change a call's dates")
def change_call(request: HttpRequest, slug: str, call_id: int, payload: CallIn) -> Any:
    process = process_for(request, slug)
    require(policy.can_manage_call(request.user, process))
    call = get_object_or_404(IssueCall, pk=call_id, process=process)
    return services.call_set(actor=request.user, process=process, call=call, **payload.dict())


@router.post(BASE + "/calls/{call_id}/close", response=CallOut, summary="Close a call now")
def close_call(request: HttpRequest, slug: str, call_id: int) -> Any:
    process = process_for(request, slug)
    require(policy.can_manage_call(request.user, process))
    call = get_object_or_404(IssueCall, pk=call_id, process=process)
    return services.call_close(actor=request.user, call=call)


# --- Clusters ------------------------------------------------------------------------------------


@router.get(BASE + "/clusters", response=list[ClusterOut], summary="Clusters and their issues")
def list_clusters(request: HttpRequest, slug: str) -> Any:
    process = process_for(request, slug)
    require(policy.can_view_agenda(request.user, process))
    return list(selectors.clusters_for(process=process))


@router.post(BASE + "/clusters", response={201: ClusterOut})
def create_cluster(request: HttpRequest, slug: str, payload: ClusterIn) -> Any:
    process = process_for(request, slug)
    cluster = services.cluster_create(actor=request.user, process=process, **payload.dict())
    return Status(201, cluster)


@router.get(BASE + "/clusters/{cluster_id}", response=ClusterOut)
def get_cluster(request: HttpRequest, slug: str, cluster_id: int) -> Any:
    return cluster_for(request, slug, cluster_id)


@router.patch(BASE + "/clusters/{cluster_id}", response=ClusterOut)
def patch_cluster(request: HttpRequest, slug: str, cluster_id: int, payload: ClusterPatch) -> Any:
    cluster = cluster_for(request, slug, cluster_id)
    changes = payload.dict(exclude_unset=True)
    return services.cluster_update(
        actor=request.user,
        cluster=cluster,
        title=changes.get("title", cluster.title),
        description=changes.get("description", cluster.description),
        coordinator=changes.get("coordinator", cluster.coordinator_id),
    )


@router.delete(BASE + "/clusters/{cluster_id}", response={204: None})
def delete_cluster(request: HttpRequest, slug: str, cluster_id: int) -> Any:
    cluster = cluster_for(request, slug, cluster_id)
    services.cluster_delete(actor=request.user, cluster=cluster)
    return Status(204, None)


@router.put(BASE + "/clusters/{cluster_id}/team", response=ClusterOut)
def put_team(request: HttpRequest, slug: str, cluster_id: int, payload: TeamIn) -> Any:
    cluster = cluster_for(request, slug, cluster_id)
    services.cluster_set_team(actor=request.user, cluster=cluster, people=payload.people)
    return cluster


@router.post(BASE + "/clusters/{cluster_id}/issues", response=ClusterOut, summary="Add issues")
def add_issues(request: HttpRequest, slug: str, cluster_id: int, payload: IssuesIn) -> Any:
    cluster = cluster_for(request, slug, cluster_id)
    services.issues_assign_cluster(
        actor=request.user, process=cluster.process, issue_ids=payload.issues, cluster=cluster
    )
    return cluster


# --- Suggestions ---------------------------------------------------------------------------------


@router.get(BASE + "/suggestions/latest", response=SuggestionOut, summary="The latest suggestion")
def latest_suggestion(request: HttpRequest, slug: str) -> Any:
    process = process_for(request, slug)
    require(policy.can_view_suggestions(request.user, process))
    suggestion = selectors.latest_suggestion(process=process)
    if suggestion is None:
        raise Http404
    return suggestion


@router.post(BASE + "/suggestions", response={201: SuggestionOut}, summary="Suggest clusters")
def create_suggestion(request: HttpRequest, slug: str, payload: SuggestionIn) -> Any:
    process = process_for(request, slug)
    suggestion = services.suggestion_create(
        actor=request.user,
        process=process,
        clusters=payload.clusters,
        only_unclustered=payload.only_unclustered,
    )
    return Status(201, suggestion)


@router.post(
    BASE + "/suggestions/{suggestion_id}/clusters/{suggested_id}/accept",
    response={201: ClusterOut},
    summary="Accept one suggested cluster, in whole or in part",
)
def accept_suggestion(
    request: HttpRequest, slug: str, suggestion_id: int, suggested_id: int, payload: AcceptIn
) -> Any:
    process = process_for(request, slug)
    require(policy.can_view_suggestions(request.user, process))
    suggested = get_object_or_404(
        SuggestedCluster.objects.select_related("suggestion__process"),
        pk=suggested_id,
        suggestion_id=suggestion_id,
        suggestion__process=process,
    )
    cluster = services.suggestion_accept(
        actor=request.user,
        suggested=suggested,
        issue_ids=payload.issues,
        title=payload.title,
        description=payload.description,
        cluster=payload.cluster,
    )
    return Status(201, cluster)
