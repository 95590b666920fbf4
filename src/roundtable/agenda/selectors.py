"""Reads for the agenda: calls, issue lists, provenance, priority results, agenda share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.core.hooks import collect
from roundtable.people.models import Region, StakeholderGroup
from roundtable.processes.attribution import Attribution, attribute
from roundtable.processes.models import Membership, Process, Role

from . import conf, ranking, share
from .models import (
    Cluster,
    ClusterSuggestion,
    IssueCall,
    IssueProposal,
    IssueStatus,
    PolicyIssue,
    RankingEntry,
    Rating,
)

ACTIVE_STATUSES = (IssueStatus.PROPOSED, IssueStatus.ACCEPTED)


class Method:
    """How priorities were expressed."""

    RATINGS = "ratings"
    RANKINGS = "rankings"
    ALL = (RATINGS, RANKINGS)


# --- Calls for issues -----------------------------------------------------------


def open_call(*, process: Process, now: dt.datetime | None = None) -> IssueCall | None:
    now = now or timezone.now()
    return (
        IssueCall.objects.filter(process=process, opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at")
        .first()
    )


def call_to_show(*, process: Process, now: dt.datetime | None = None) -> IssueCall | None:
    """The open call, else the next one, else the last one that closed."""
    now = now or timezone.now()
    calls = IssueCall.objects.filter(process=process)
    return (
        open_call(process=process, now=now)
        or calls.filter(opens_at__gt=now).order_by("opens_at").first()
        or calls.filter(closes_at__lte=now).order_by("-closes_at").first()
    )


# --- Issues ---------------------------------------------------------------------------


def issues_for(
    *,
    process: Process,
    status: str | None = None,
    cluster: int | str | None = None,
    stakeholder_group: str | None = None,
    query: str | None = None,
    include_inactive: bool = False,
) -> QuerySet[PolicyIssue]:
    """Issues of a process, with their cluster and how many people proposed each.

    ``cluster="none"`` gives the unclustered issues. Merged and withdrawn
    issues are left out unless ``status`` asks for them or ``include_inactive``.
    """
    issues = (
        PolicyIssue.objects.filter(process=process)
        .select_related("cluster", "proposer_stakeholder_group", "merged_into")
        .annotate(proposal_count=Count("proposals", distinct=True))
    )
    if status:
        issues = issues.filter(status=status)
    elif not include_inactive:
        issues = issues.filter(status__in=ACTIVE_STATUSES)
    if cluster == "none":
        issues = issues.filter(cluster__isnull=True)
    elif cluster:
        issues = issues.filter(cluster_id=cluster)
    if stakeholder_group:
        issues = issues.filter(proposals__stakeholder_group__slug=stakeholder_group).distinct()
    if query:
        issues = issues.filter(Q(title__icontains=query) | Q(description__icontains=query))
    return issues.order_by("pk")


def active_issues(*, process: Process) -> QuerySet[PolicyIssue]:
    return PolicyIssue.objects.filter(process=process, status__in=ACTIVE_STATUSES).order_by("pk")


@dataclass
class ProposalView:
    proposal: IssueProposal
    attribution: Attribution

    @property
    def merged(self) -> bool:
        return self.proposal.original_issue_id != self.proposal.issue_id


def proposals_for(*, issue: PolicyIssue) -> list[ProposalView]:
    """Every proposal behind an issue (its own and those merged in), attribution applied."""
    process = issue.process
    proposals = (
        IssueProposal.objects.filter(issue=issue)
        .select_related("proposer", "stakeholder_group", "original_issue")
        .order_by("created_at", "pk")
    )
    return [
        ProposalView(proposal, proposer_attribution(process=process, proposal=proposal))
        for proposal in proposals
    ]


def proposer_attribution(*, process: Process, proposal: IssueProposal) -> Attribution:
    """How a proposer is named: through the one attribution function, under the
    process's default rule. A public proposer's group is the one they declared."""
    if proposal.proposer is None:
        return attribute(
            process=process,
            rule=process.default_attribution,
            name=_("Former participant"),
            stakeholder_group=proposal.stakeholder_group,
        )
    membership = None
    if not proposal.self_declared:
        membership = (
            Membership.objects.select_related("stakeholder_group", "organisation", "person")
            .filter(person_id=proposal.proposer_id, process=process)
            .first()
        )
    if membership is not None:
        return attribute(process=process, rule=process.default_attribution, membership=membership)
    return attribute(
        process=process,
        rule=process.default_attribution,
        name=proposal.proposer.name,
        stakeholder_group=proposal.stakeholder_group,
    )


def proposal_group_counts(*, process: Process) -> list[tuple[StakeholderGroup | None, int]]:
    """How many proposals came from each stakeholder group (all of them, merged included)."""
    counts = dict(
        IssueProposal.objects.filter(issue__process=process)
        .values_list("stakeholder_group")
        .annotate(n=Count("pk"))
        .values_list("stakeholder_group", "n")
    )
    rows: list[tuple[StakeholderGroup | None, int]] = [
        (group, counts.get(group.pk, 0)) for group in StakeholderGroup.objects.all()
    ]
    if counts.get(None):
        rows.append((None, counts[None]))
    return rows


# --- Clusters ---------------------------------------------------------------------------


def clusters_for(*, process: Process) -> QuerySet[Cluster]:
    active = PolicyIssue.objects.filter(status__in=ACTIVE_STATUSES).order_by("pk")
    return (
        Cluster.objects.filter(process=process)
        .select_related("coordinator")
        .prefetch_related(
            Prefetch("issues", queryset=active, to_attr="active_issues"),
            "team__person",
        )
    )


def team_candidates(*, process: Process) -> QuerySet[Membership]:
    """People who may coordinate a cluster or sit on its drafting team."""
    today = timezone.localdate()
    return (
        Membership.objects.filter(
            process=process, role__in=(Role.MEMBER, Role.CHAIR, Role.SECRETARIAT)
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person", "stakeholder_group")
        .order_by("person__name")
    )


def latest_suggestion(*, process: Process) -> ClusterSuggestion | None:
    return (
        ClusterSuggestion.objects.filter(process=process)
        .prefetch_related("clusters__accepted_cluster")
        .first()
    )


# --- Priorities -----------------------------------------------------------------------------


@dataclass
class Row:
    """One issue's result with the objects a page needs.

    Values are in [0, 1] on ``result``; the properties give them on the scale
    shown (``factor``: the rating scale's top, or 100 points for rankings).
    """

    issue: PolicyIssue
    result: ranking.IssueResult
    group_cells: list[ranking.Cell | None]
    region_cells: list[ranking.Cell | None]
    factor: float = 1.0

    def _shown(self, value: float | None) -> float | None:
        return None if value is None else value * self.factor

    @property
    def balanced(self) -> float | None:
        return self._shown(self.result.balanced)

    @property
    def raw(self) -> float | None:
        return self._shown(self.result.raw)

    @property
    def spread(self) -> float | None:
        return self._shown(self.result.spread)

    @property
    def balanced_by_region(self) -> float | None:
        return self._shown(self.result.balanced_by_region)

    @property
    def groups(self) -> list[tuple[float | None, int]]:
        """(mean shown, count) per group; the mean is None for cells too small to show."""
        return [(self._shown(c.mean), c.count) if c else (None, 0) for c in self.group_cells]

    @property
    def regions(self) -> list[tuple[float | None, int]]:
        return [(self._shown(c.mean), c.count) if c else (None, 0) for c in self.region_cells]

    def group_mean(self, key: int | None) -> float | None:
        cell = self.result.by_group.get(key)
        return self._shown(cell.mean) if cell else None

    @property
    def highest(self) -> float | None:
        return self.group_mean(self.result.highest_group)

    @property
    def lowest(self) -> float | None:
        return self.group_mean(self.result.lowest_group)


@dataclass
class PriorityView:
    """Results of one method, ready for a page, the API or a CSV file."""

    process: Process
    method: str
    results: ranking.Results
    rows: list[Row]  # balanced order
    groups: list[StakeholderGroup]
    regions: list[Region]
    scale_max: int
    max_ranked: int
    min_cell: int
    min_coverage: float
    members_by_group: dict[int, int]

    def display(self, value: float | None) -> float | None:
        """A [0, 1] value on the scale the page shows: the rating scale, or points out of 100."""
        if value is None:
            return None
        return value * (self.scale_max if self.method == Method.RATINGS else 100)

    @property
    def has_votes(self) -> bool:
        return self.results.votes > 0

    @property
    def raw_rows(self) -> list[Row]:
        return sorted(
            (row for row in self.rows if row.result.raw_rank is not None),
            key=lambda row: row.result.raw_rank,
        )

    @property
    def top_differs(self) -> bool:
        ranked = [row for row in self.rows if row.result.rank == 1]
        raw = self.raw_rows[:1]
        return bool(ranked and raw and ranked[0].issue.pk != raw[0].issue.pk)

    def disagreements(self, limit: int | None = None) -> list[Row]:
        by_issue = {row.issue.pk: row for row in self.rows}
        return [
            by_issue[item.issue]
            for item in self.results.disagreements(limit or conf.disagreement_rows())
        ]

    def group_name(self, pk: int | None) -> str:
        for group in self.groups:
            if group.pk == pk:
                return group.display_name
        return _("Stakeholder group not recorded")

    def member_shares(self) -> list[tuple[StakeholderGroup, int, float]]:
        """Members per group who voted, and their share: what raw counting weighs."""
        total = sum(self.members_by_group.values())
        return [
            (group, self.members_by_group.get(group.pk, 0),
             self.members_by_group.get(group.pk, 0) / total if total else 0.0)
            for group in self.groups
        ]  # fmt: skip


def _member_categories(process: Process) -> dict[int, tuple[int | None, int | None]]:
    """Current members' (stakeholder group, region) by person: who counts in results."""
    today = timezone.localdate()
    return {
        person: (group, region)
        for person, group, region in Membership.objects.filter(process=process, role=Role.MEMBER)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values_list("person_id", "stakeholder_group_id", "region_id")
    }


def votes_for(*, process: Process, method: str) -> list[ranking.Vote]:
    """Normalised votes of the current members on the process's active issues."""
    categories = _member_categories(process)
    votes: list[ranking.Vote] = []
    if method == Method.RANKINGS:
        max_ranked = conf.max_ranked()
        entries = RankingEntry.objects.filter(
            process=process, issue__status__in=ACTIVE_STATUSES
        ).values_list("person_id", "issue_id", "position")
        ballots: dict[int, dict[int, int]] = {}
        for person, issue, position in entries:
            if person in categories:
                ballots.setdefault(person, {})[issue] = position
        issue_ids = list(active_issues(process=process).values_list("pk", flat=True))
        for person, ballot in ballots.items():
            group, region = categories[person]
            for issue in issue_ids:
                votes.append(
                    ranking.Vote(
                        issue=issue,
                        value=ranking.borda_value(ballot.get(issue), max_ranked),
                        group=group,
                        region=region,
                        voter=person,
                    )
                )
        return votes
    ratings = Rating.objects.filter(
        issue__process=process, issue__status__in=ACTIVE_STATUSES
    ).values_list("person_id", "issue_id", "score", "scale_max")
    for person, issue, score, scale_max in ratings:
        if person not in categories:
            continue
        group, region = categories[person]
        votes.append(
            ranking.Vote(
                issue=issue,
                value=ranking.rating_value(score, scale_max),
                group=group,
                region=region,
                voter=person,
            )
        )
    return votes


def priority_results(*, process: Process, method: str = Method.RATINGS) -> PriorityView:
    if method not in Method.ALL:
        method = Method.RATINGS
    issues = list(active_issues(process=process).select_related("cluster"))
    votes = votes_for(process=process, method=method)
    min_cell = conf.min_raters_shown()
    min_coverage = conf.min_group_coverage()
    results = ranking.compute(
        [issue.pk for issue in issues], votes, min_coverage=min_coverage, min_cell=min_cell
    )
    group_ids = set(results.groups)
    region_ids = set(results.regions)
    groups = [g for g in StakeholderGroup.objects.all() if g.pk in group_ids]
    regions = [r for r in Region.objects.all() if r.pk in region_ids]
    by_pk = {issue.pk: issue for issue in issues}

    def cell(cells: dict, key: int) -> ranking.Cell | None:
        found = cells.get(key)
        return found if found is not None and found.count >= min_cell else None

    factor = float(conf.rating_scale_max() if method == Method.RATINGS else 100)
    rows = [
        Row(
            issue=by_pk[item.issue],
            result=item,
            group_cells=[cell(item.by_group, g.pk) for g in groups],
            region_cells=[cell(item.by_region, r.pk) for r in regions],
            factor=factor,
        )
        for item in results.issues
    ]
    voters: dict[int, int | None] = {}
    for vote in votes:
        voters[vote.voter] = vote.group
    members_by_group: dict[int, int] = {}
    for group in voters.values():
        if group is not None:
            members_by_group[group] = members_by_group.get(group, 0) + 1
    return PriorityView(
        process=process,
        method=method,
        results=results,
        rows=rows,
        groups=groups,
        regions=regions,
        scale_max=conf.rating_scale_max(),
        max_ranked=conf.max_ranked(),
        min_cell=min_cell,
        min_coverage=min_coverage,
        members_by_group=members_by_group,
    )


def my_ratings(*, process: Process, person: Any) -> dict[int, int]:
    """issue id -> score the person gave (on the current scale's terms)."""
    if not getattr(person, "is_authenticated", False):
        return {}
    return dict(
        Rating.objects.filter(issue__process=process, person=person).values_list(
            "issue_id", "score"
        )
    )


def my_ranking(*, process: Process, person: Any) -> list[int]:
    """The person's ranked issue ids, first place first (active issues only)."""
    if not getattr(person, "is_authenticated", False):
        return []
    return list(
        RankingEntry.objects.filter(
            process=process, person=person, issue__status__in=ACTIVE_STATUSES
        )
        .order_by("position")
        .values_list("issue_id", flat=True)
    )


# --- Agenda share ------------------------------------------------------------------------------


@dataclass
class ShareView:
    report: share.ShareReport
    clusters: dict[int, Cluster]
    basis: str  # "ratings", "rankings" or "issues": what the priority was measured on
    answered: int  # how many apps answered the hook

    def cluster(self, key: int) -> Cluster | None:
        return self.clusters.get(key)


def cluster_priorities(*, process: Process, view: PriorityView) -> dict[int, float]:
    """Each cluster's priority: the sum of its issues' balanced scores (in [0, 1])."""
    weights = {cluster.pk: 0.0 for cluster in Cluster.objects.filter(process=process)}
    for row in view.rows:
        cluster_id = row.issue.cluster_id
        score = row.result.balanced if row.result.balanced is not None else row.result.raw
        if cluster_id in weights and score is not None:
            weights[cluster_id] += score
    return weights


def agenda_share_report(*, process: Process) -> ShareView:
    """Attention per cluster (from every app that answers) against priority.

    Priority comes from the ratings, else the rankings; with neither, from the
    number of active issues in each cluster, and the page says so.
    """
    clusters = {c.pk: c for c in Cluster.objects.filter(process=process)}
    basis = Method.RATINGS
    view = priority_results(process=process, method=Method.RATINGS)
    if not view.has_votes:
        ranked = priority_results(process=process, method=Method.RANKINGS)
        if ranked.has_votes:
            view, basis = ranked, Method.RANKINGS
    if view.has_votes:
        priority = cluster_priorities(process=process, view=view)
    else:
        basis = "issues"
        counts = dict(
            PolicyIssue.objects.filter(process=process, status__in=ACTIVE_STATUSES)
            .exclude(cluster__isnull=True)
            .values_list("cluster")
            .annotate(n=Count("pk"))
            .values_list("cluster", "n")
        )
        priority = {key: float(counts.get(key, 0)) for key in clusters}
    answers = collect("cluster_attention", process=process)
    attention = share.merge_attention(answers, clusters=clusters)
    report = share.agenda_share(priority, attention, threshold=conf.dominance_threshold())
    return ShareView(report=report, clusters=clusters, basis=basis, answered=len(answers))


def issue_source_texts(*, process: Process, person: Any, source: str) -> dict[str, str] | None:
    """The texts to propose an issue from another app's object (``issue_source``
    hook: e.g. ``submission:12``), or ``None`` if no app has one ``person`` may read."""
    answers = collect("issue_source", process=process, person=person, source=source)
    texts = next((texts for texts in answers if texts), None)
    if texts is None:
        return None
    return {key: texts.get(key, "") for key in ("title", "description", "references", "language")}
