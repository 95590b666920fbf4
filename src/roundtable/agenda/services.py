"""Writes about policy issues, clusters, calls for issues and priorities.

Each function is keyword-only, runs in one transaction, checks the policy,
validates before it writes anything (so bad input changes nothing), and records
decisions in the audit log. Ratings and rankings are votes, not decisions, and
are not audited (that would tie a person to their vote in the log).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.audit.services import audit_record
from roundtable.people.models import Person, StakeholderGroup
from roundtable.processes.models import Process
from roundtable.processes.roles import membership_of
from roundtable.processes.services import resolve_stakeholder_group

from . import conf, policy, selectors
from .models import (
    Cluster,
    ClusterMember,
    ClusterSuggestion,
    IssueCall,
    IssueProposal,
    IssueStatus,
    PolicyIssue,
    ProposerRole,
    RankingEntry,
    Rating,
    SuggestedCluster,
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))


def _text(value: Any) -> str:
    """Untrusted text, trimmed; NUL characters (refused by PostgreSQL) removed."""
    return str(value or "").replace("\x00", "").strip()


def _check_length(errors: dict[str, list[str]], field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.setdefault(field, []).append(
            _("Keep this under %(limit)d characters (it has %(count)d).")
            % {"limit": limit, "count": len(value)}
        )


def _language(value: str, errors: dict[str, list[str]]) -> str:
    value = _text(value).lower()
    if value and value not in dict(settings.LANGUAGES):
        errors.setdefault("language", []).append(
            _("“%(value)s” is not one of the site's languages.") % {"value": value}
        )
    return value


def _issue_fields(
    *, title: Any, description: Any, references: Any, language: Any
) -> tuple[dict[str, str], dict[str, list[str]]]:
    fields = {
        "title": " ".join(_text(title).split()),
        "description": _text(description),
        "references": _text(references),
    }
    errors: dict[str, list[str]] = {}
    if not fields["title"]:
        errors["title"] = [_("Give the issue a title.")]
    _check_length(errors, "title", fields["title"], conf.max_title_chars())
    _check_length(errors, "description", fields["description"], conf.max_description_chars())
    _check_length(errors, "references", fields["references"], conf.max_references_chars())
    fields["language"] = _language(language, errors)
    return fields, errors


# --- Calls for issues -------------------------------------------------------------------


def _aware(value: Any, field: str, errors: dict[str, list[str]]) -> dt.datetime | None:
    if not isinstance(value, dt.datetime):
        errors[field] = [_("Give a date and time.")]
        return None
    if timezone.is_naive(value):
        errors[field] = [_("Give the time with its time zone.")]
        return None
    return value


@transaction.atomic
def call_set(
    *,
    actor: Person,
    process: Process,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    introduction: str = "",
    call: IssueCall | None = None,
) -> IssueCall:
    """Open a call for issues (or change one): public proposals are accepted
    from ``opens_at`` until ``closes_at``. Calls of one process may not overlap."""
    _require(policy.can_manage_call(actor, process))
    if call is not None and call.process_id != process.pk:
        raise ValidationError(_("This call belongs to another process."))
    errors: dict[str, list[str]] = {}
    opens = _aware(opens_at, "opens_at", errors)
    closes = _aware(closes_at, "closes_at", errors)
    introduction = _text(introduction)
    _check_length(errors, "introduction", introduction, conf.max_description_chars())
    if opens and closes and closes <= opens:
        errors["closes_at"] = [_("The call must close after it opens.")]
    if opens and closes and not errors:
        overlapping = IssueCall.objects.filter(
            process=process, opens_at__lt=closes, closes_at__gt=opens
        )
        if call is not None:
            overlapping = overlapping.exclude(pk=call.pk)
        if overlapping.exists():
            errors["opens_at"] = [_("Another call for issues is open during these dates.")]
    if errors:
        raise ValidationError(errors)
    created = call is None
    call = call or IssueCall(process=process, created_by=actor)
    before = None if created else {"opens_at": call.opens_at, "closes_at": call.closes_at}
    call.opens_at, call.closes_at, call.introduction = opens, closes, introduction
    call.save()
    audit_record(
        actor=actor,
        action="issue_call.opened" if created else "issue_call.changed",
        obj=call,
        process=process,
        data={"opens_at": opens, "closes_at": closes, "before": before},
    )
    return call


@transaction.atomic
def call_close(*, actor: Person, call: IssueCall, now: dt.datetime | None = None) -> IssueCall:
    """Close an open call now."""
    _require(policy.can_manage_call(actor, call.process))
    now = now or timezone.now()
    if not call.is_open(now):
        raise ValidationError(_("This call for issues is not open."))
    call.closes_at = now
    call.save(update_fields=["closes_at"])
    audit_record(actor=actor, action="issue_call.closed", obj=call, process=call.process)
    return call


# --- Issues -----------------------------------------------------------------------------------


@transaction.atomic
def issue_propose(
    *,
    actor: Person,
    process: Process,
    title: str,
    description: str = "",
    references: str = "",
    language: str = "",
    stakeholder_group: StakeholderGroup | str | None = None,
    now: dt.datetime | None = None,
) -> PolicyIssue:
    """Propose a policy issue.

    Members, the chair and the secretariat propose at any time and their
    stakeholder group comes from their membership; anyone else logged in may
    propose while a call for issues is open, declaring their own group.
    """
    now = now or timezone.now()
    if not policy.can_propose_issue(actor, process, now):
        if getattr(actor, "is_authenticated", False) and policy.can_view_agenda(actor, process):
            raise PermissionDenied(
                _("Issues can be proposed by the public only while a call for issues is open.")
            )
        _require(False)
    fields, errors = _issue_fields(
        title=title, description=description, references=references, language=language
    )
    public = policy.proposes_as_public(actor, process)
    membership = membership_of(actor, process)
    group = region = None
    if public:
        try:
            group = resolve_stakeholder_group(stakeholder_group or None)
        except ValidationError as error:
            errors.update(error.message_dict)
        else:
            if group is None:
                errors["stakeholder_group"] = [_("Choose the stakeholder group you belong to.")]
    elif membership is not None:
        group, region = membership.stakeholder_group, membership.region
    limit = conf.max_issues_per_person()
    if IssueProposal.objects.filter(issue__process=process, proposer=actor).count() >= limit:
        errors.setdefault("__all__", []).append(
            _("You have reached the limit of %(limit)d proposals in this process.")
            % {"limit": limit}
        )
    if errors:
        raise ValidationError(errors)
    # An observer proposes like the public but keeps their role on the record.
    role = membership.role if membership is not None else ProposerRole.PUBLIC
    issue = PolicyIssue.objects.create(
        process=process,
        proposer=actor,
        proposer_stakeholder_group=group,
        call=selectors.open_call(process=process, now=now),
        created_at=now,
        updated_at=now,
        **fields,
    )
    IssueProposal.objects.create(
        issue=issue,
        original_issue=issue,
        proposer=actor,
        proposer_role=role,
        stakeholder_group=group,
        region=region,
        self_declared=public,
        created_at=now,
        **fields,
    )
    audit_record(
        actor=actor,
        action="issue.proposed",
        obj=issue,
        process=process,
        data={
            "role": role,
            "stakeholder_group": group.slug if group else None,
            "self_declared": public,
        },
    )
    return issue


@transaction.atomic
def issue_update(
    *,
    actor: Person,
    issue: PolicyIssue,
    title: str,
    description: str = "",
    references: str = "",
    language: str = "",
) -> PolicyIssue:
    """Change the wording of an issue. The proposals keep their original text."""
    issue = PolicyIssue.objects.select_for_update().select_related("process").get(pk=issue.pk)
    _require(policy.can_edit_issue(actor, issue))
    fields, errors = _issue_fields(
        title=title, description=description, references=references, language=language
    )
    if errors:
        raise ValidationError(errors)
    before = {name: getattr(issue, name) for name in fields}
    for name, value in fields.items():
        setattr(issue, name, value)
    issue.updated_at = timezone.now()
    issue.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=actor,
        action="issue.edited",
        obj=issue,
        process=issue.process,
        data={"before": before, "after": fields},
    )
    return issue


SETTABLE_STATUSES = (IssueStatus.PROPOSED, IssueStatus.ACCEPTED, IssueStatus.WITHDRAWN)


@transaction.atomic
def issue_set_status(*, actor: Person, issue: PolicyIssue, status: str) -> PolicyIssue:
    """Put an issue on the list, withdraw it, or return it to proposed. Merging is separate."""
    _require(policy.can_manage_issues(actor, issue.process))
    if status not in SETTABLE_STATUSES:
        raise ValidationError({"status": [_("Choose a status from the list.")]})
    issue = PolicyIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status == IssueStatus.MERGED:
        raise ValidationError(
            {
                "status": [
                    _("A merged issue keeps its status; its text lives on in the other issue.")
                ]
            }
        )
    before = issue.status
    if before == status:
        return issue
    issue.status = status
    issue.updated_at = timezone.now()
    issue.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="issue.status_changed",
        obj=issue,
        process=issue.process,
        data={"before": before, "after": status},
    )
    return issue


def _cluster_of(process: Process, cluster: Cluster | int | str | None) -> Cluster | None:
    if cluster in (None, ""):
        return None
    if isinstance(cluster, Cluster):
        found = cluster if cluster.process_id == process.pk else None
    else:
        try:
            found = Cluster.objects.filter(process=process, pk=int(cluster)).first()
        except (TypeError, ValueError, OverflowError):
            found = None
    if found is None:
        raise ValidationError({"cluster": [_("Choose a cluster of this process.")]})
    return found


@transaction.atomic
def issues_assign_cluster(
    *,
    actor: Person,
    process: Process,
    issue_ids: Iterable[int],
    cluster: Cluster | int | str | None,
) -> int:
    """Put issues in a cluster (or take them out with ``cluster=None``). All or none."""
    _require(policy.can_manage_clusters(actor, process))
    target = _cluster_of(process, cluster)
    ids = _issue_ids(issue_ids)
    issues = list(
        PolicyIssue.objects.select_for_update().filter(process=process, pk__in=ids).order_by("pk")
    )
    _check_issues(ids, issues)
    for issue in issues:
        issue.cluster = target
        issue.updated_at = timezone.now()
    PolicyIssue.objects.bulk_update(issues, ["cluster", "updated_at"])
    audit_record(
        actor=actor,
        action="issue.clustered",
        obj=target,
        process=process,
        data={"issues": ids, "cluster": target.pk if target else None},
    )
    return len(issues)


def _issue_ids(values: Iterable[Any]) -> list[int]:
    ids: list[int] = []
    try:
        for value in values:
            number = int(value)
            if number not in ids:
                ids.append(number)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError({"issues": [_("Issues are named by their numbers.")]}) from None
    if not ids:
        raise ValidationError({"issues": [_("Choose at least one issue.")]})
    return ids


def _check_issues(ids: Sequence[int], issues: Sequence[PolicyIssue]) -> None:
    found = {issue.pk: issue for issue in issues}
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise ValidationError(
            {
                "issues": [
                    _("These issues are not in this process: %(ids)s") % {"ids": ", ".join(missing)}
                ]
            }
        )
    inactive = [f"#{issue.pk}" for issue in issues if not issue.is_active]
    if inactive:
        raise ValidationError(
            {
                "issues": [
                    _("Merged or withdrawn issues cannot be clustered: %(ids)s")
                    % {"ids": ", ".join(inactive)}
                ]
            }
        )


@transaction.atomic
def issue_merge(*, actor: Person, issue: PolicyIssue, into: PolicyIssue) -> PolicyIssue:
    """Merge a duplicate ``issue`` into ``into``, keeping every proposer and text.

    The duplicate's proposals move to ``into`` (remembering where they began);
    issues merged earlier into the duplicate now point at ``into`` directly, so
    merges never form chains. Members' ratings and rankings of the duplicate
    carry over where they have not already judged ``into``.
    """
    _require(policy.can_manage_issues(actor, issue.process))
    if issue.pk == into.pk:
        raise ValidationError({"into": [_("An issue cannot be merged into itself.")]})
    if issue.process_id != into.process_id:
        raise ValidationError({"into": [_("Issues can only be merged within one process.")]})
    locked = {
        i.pk: i for i in PolicyIssue.objects.select_for_update().filter(pk__in=[issue.pk, into.pk])
    }
    issue, into = locked[issue.pk], locked[into.pk]
    if issue.status == IssueStatus.MERGED:
        raise ValidationError(
            {
                "into": [
                    _("This issue was already merged into #%(id)d.") % {"id": issue.merged_into_id}
                ]
            }
        )
    if into.status == IssueStatus.MERGED:
        raise ValidationError(
            {
                "into": [
                    _(
                        "#%(id)d was itself merged into #%(target)d: merge into #%(target)d "
                        "instead, so merges do not form a chain."
                    )
                    % {"id": into.pk, "target": into.merged_into_id}
                ]
            }
        )
    if into.status == IssueStatus.WITHDRAWN:
        raise ValidationError(
            {"into": [_("#%(id)d was withdrawn; choose an issue on the list.") % {"id": into.pk}]}
        )
    now = timezone.now()
    IssueProposal.objects.filter(issue=issue, merged_at__isnull=True).update(
        merged_at=now, merged_by=actor
    )
    moved = IssueProposal.objects.filter(issue=issue).update(issue=into)
    flattened = list(PolicyIssue.objects.filter(merged_into=issue).values_list("pk", flat=True))
    PolicyIssue.objects.filter(merged_into=issue).update(merged_into=into)
    rated_into = Rating.objects.filter(issue=into).values_list("person_id", flat=True)
    ratings_moved = (
        Rating.objects.filter(issue=issue).exclude(person_id__in=rated_into).update(issue=into)
    )
    _carry_rankings(issue=issue, into=into)
    issue.status = IssueStatus.MERGED
    issue.merged_into = into
    issue.updated_at = now
    issue.save(update_fields=["status", "merged_into", "updated_at"])
    into.updated_at = now
    into.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        action="issue.merged",
        obj=issue,
        process=issue.process,
        data={
            "into": into.pk,
            "proposals_moved": moved,
            "earlier_merges_repointed": flattened,
            "ratings_carried": ratings_moved,
        },
    )
    return into


def _carry_rankings(*, issue: PolicyIssue, into: PolicyIssue) -> None:
    """Where a ballot ranks the duplicate, rank ``into`` in its place; where it
    ranks both, keep the better place and close the gap."""
    for entry in RankingEntry.objects.filter(issue=issue).order_by("person_id"):
        other = RankingEntry.objects.filter(
            process=entry.process_id, person=entry.person_id, issue=into
        ).first()
        if other is None:
            entry.issue = into
            entry.save(update_fields=["issue"])
            continue
        best = min(entry.position, other.position)
        gap = max(entry.position, other.position)
        entry.delete()
        if other.position != best:
            other.position = best
            other.save(update_fields=["position"])
        later = RankingEntry.objects.filter(
            process=entry.process_id, person=entry.person_id, position__gt=gap
        ).order_by("position")
        for moving in later:
            moving.position = F("position") - 1
            moving.save(update_fields=["position"])


# --- Clusters ------------------------------------------------------------------------------


def _team_person(process: Process, person: Person | int | None, field: str) -> Person | None:
    if person in (None, ""):
        return None
    pk = person.pk if isinstance(person, Person) else person
    membership = selectors.team_candidates(process=process).filter(person_id=pk).first()
    if membership is None:
        raise ValidationError(
            {field: [_("Choose a member, the chair or the secretariat of this process.")]}
        )
    return membership.person


def _cluster_fields(title: Any, description: Any) -> tuple[str, str, dict[str, list[str]]]:
    title = " ".join(_text(title).split())
    description = _text(description)
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the cluster a title.")]
    _check_length(errors, "title", title, 200)
    _check_length(errors, "description", description, conf.max_description_chars())
    return title, description, errors


@transaction.atomic
def cluster_create(
    *,
    actor: Person,
    process: Process,
    title: str,
    description: str = "",
    coordinator: Person | int | None = None,
) -> Cluster:
    _require(policy.can_manage_clusters(actor, process))
    title, description, errors = _cluster_fields(title, description)
    try:
        coordinator = _team_person(process, coordinator, "coordinator")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    cluster = Cluster.objects.create(
        process=process,
        title=title,
        description=description,
        coordinator=coordinator,
        position=Cluster.objects.filter(process=process).count(),
    )
    audit_record(
        actor=actor,
        action="cluster.created",
        obj=cluster,
        process=process,
        data={"coordinator": coordinator.pk if coordinator else None},
    )
    return cluster


@transaction.atomic
def cluster_update(
    *,
    actor: Person,
    cluster: Cluster,
    title: str,
    description: str = "",
    coordinator: Person | int | None = None,
) -> Cluster:
    process = cluster.process
    _require(policy.can_manage_clusters(actor, process))
    title, description, errors = _cluster_fields(title, description)
    try:
        coordinator = _team_person(process, coordinator, "coordinator")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    before = {
        "title": cluster.title,
        "description": cluster.description,
        "coordinator": cluster.coordinator_id,
    }
    cluster.title, cluster.description, cluster.coordinator = title, description, coordinator
    cluster.save(update_fields=["title", "description", "coordinator"])
    audit_record(
        actor=actor,
        action="cluster.changed",
        obj=cluster,
        process=process,
        data={
            "before": before,
            "after": {
                "title": title,
                "description": description,
                "coordinator": coordinator.pk if coordinator else None,
            },
        },
    )
    return cluster


@transaction.atomic
def cluster_set_team(
    *, actor: Person, cluster: Cluster, people: Iterable[Person | int]
) -> list[ClusterMember]:
    """Replace a cluster's drafting team."""
    process = cluster.process
    _require(policy.can_manage_clusters(actor, process))
    chosen: list[Person] = []
    for person in people:
        found = _team_person(process, person, "team")
        if found is not None and found not in chosen:
            chosen.append(found)
    before = sorted(cluster.team.values_list("person_id", flat=True))
    cluster.team.exclude(person__in=chosen).delete()
    existing = set(cluster.team.values_list("person_id", flat=True))
    for person in chosen:
        if person.pk not in existing:
            ClusterMember.objects.create(cluster=cluster, person=person)
    after = sorted(person.pk for person in chosen)
    if before != after:
        audit_record(
            actor=actor,
            action="cluster.team_changed",
            obj=cluster,
            process=process,
            data={"before": before, "after": after},
        )
    return list(cluster.team.select_related("person"))


@transaction.atomic
def cluster_delete(*, actor: Person, cluster: Cluster) -> None:
    """Delete a cluster; its issues stay on the list, unclustered."""
    process = cluster.process
    _require(policy.can_manage_clusters(actor, process))
    title, pk = cluster.title, cluster.pk
    issues = list(cluster.issues.values_list("pk", flat=True))
    try:
        with transaction.atomic():
            cluster.delete()
    except ProtectedError:
        raise ValidationError(
            _(
                "Other parts of the process (sessions, threads or drafts) still refer to "
                "this cluster."
            )
        ) from None
    audit_record(
        actor=actor,
        action="cluster.deleted",
        process=process,
        data={"cluster": pk, "title": title, "issues": issues},
    )


# --- Suggested clusters -------------------------------------------------------------------


def _issue_text(issue: PolicyIssue) -> str:
    return f"{issue.title}.\n{issue.description}".strip()


@transaction.atomic
def suggestion_create(
    *,
    actor: Person,
    process: Process,
    clusters: int | None = None,
    only_unclustered: bool = False,
) -> ClusterSuggestion:
    """Suggest a clustering of the issue texts with ``roundtable.analysis.find_themes``.

    Near-duplicate issues count once; issue texts may be in any of the six
    languages. ``clusters`` fixes the number of clusters, else it is chosen
    from the texts.
    """
    from roundtable.analysis import find_themes

    _require(policy.can_suggest_clusters(actor, process))
    issues = list(selectors.active_issues(process=process))
    if only_unclustered:
        issues = [issue for issue in issues if issue.cluster_id is None]
    limit = conf.max_issues_for_suggestion()
    top = conf.max_suggested_clusters()
    if len(issues) < 2:
        raise ValidationError(_("At least two issues are needed to suggest clusters."))
    if len(issues) > limit:
        raise ValidationError(
            _("Suggestions are computed on at most %(limit)d issues; this process has %(count)d.")
            % {"limit": limit, "count": len(issues)}
        )
    if clusters is not None:
        try:
            clusters = int(clusters)
        except (TypeError, ValueError, OverflowError):
            clusters = 0
        if not 2 <= clusters <= min(top, len(issues)):
            raise ValidationError(
                {
                    "clusters": [
                        _("Ask for between 2 and %(max)d clusters.")
                        % {"max": min(top, len(issues))}
                    ]
                }
            )
    themes = find_themes([_issue_text(issue) for issue in issues], clusters, seed=0)
    suggestion = ClusterSuggestion.objects.create(
        process=process,
        created_by=actor,
        requested_clusters=clusters,
        only_unclustered=only_unclustered,
        issue_count=len(issues),
    )
    for position, theme in enumerate(themes):
        SuggestedCluster.objects.create(
            suggestion=suggestion,
            position=position,
            terms=list(theme.terms),
            issue_ids=[issues[index].pk for index in sorted(theme.members)],
            representative_ids=[issues[index].pk for index in theme.representatives],
        )
    audit_record(
        actor=actor,
        action="cluster_suggestion.created",
        obj=suggestion,
        process=process,
        data={"issues": len(issues), "clusters": len(themes), "requested": clusters},
    )
    return suggestion


@transaction.atomic
def suggestion_accept(
    *,
    actor: Person,
    suggested: SuggestedCluster,
    issue_ids: Iterable[int],
    title: str = "",
    description: str = "",
    cluster: Cluster | int | str | None = None,
) -> Cluster:
    """Accept one suggested cluster in whole or in part.

    ``issue_ids`` is the part of the suggestion to keep; the issues go into
    ``cluster`` (an existing one) or into a new cluster called ``title``.
    """
    process = suggested.suggestion.process
    _require(policy.can_suggest_clusters(actor, process))
    suggested = SuggestedCluster.objects.select_for_update().get(pk=suggested.pk)
    if suggested.accepted_at is not None:
        raise ValidationError(_("This suggested cluster was already accepted."))
    ids = _issue_ids(issue_ids)
    outside = [str(pk) for pk in ids if pk not in suggested.issue_ids]
    if outside:
        raise ValidationError(
            {
                "issues": [
                    _("These issues are not in the suggested cluster: %(ids)s")
                    % {"ids": ", ".join(outside)}
                ]
            }
        )
    issues = list(
        PolicyIssue.objects.select_for_update().filter(process=process, pk__in=ids).order_by("pk")
    )
    _check_issues(ids, issues)
    target = _cluster_of(process, cluster)
    if target is None:
        target = cluster_create(
            actor=actor,
            process=process,
            title=title or suggested.label,
            description=description,
        )
    moved_from = {issue.pk: issue.cluster_id for issue in issues if issue.cluster_id}
    now = timezone.now()
    for issue in issues:
        issue.cluster = target
        issue.updated_at = now
    PolicyIssue.objects.bulk_update(issues, ["cluster", "updated_at"])
    suggested.accepted_cluster = target
    suggested.accepted_issue_ids = ids
    suggested.accepted_at = now
    suggested.accepted_by = actor
    suggested.save(
        update_fields=["accepted_cluster", "accepted_issue_ids", "accepted_at", "accepted_by"]
    )
    audit_record(
        actor=actor,
        action="cluster_suggestion.accepted",
        obj=target,
        process=process,
        data={
            "suggestion": suggested.suggestion_id,
            "suggested_cluster": suggested.pk,
            "issues": ids,
            "left_out": [pk for pk in suggested.issue_ids if pk not in ids],
            "moved_from": moved_from,
        },
    )
    return target


# --- Ratings and rankings --------------------------------------------------------------------


def _score(value: Any, field: str, scale_max: int) -> int:
    try:
        if isinstance(value, bool) or value is None or value == "":
            raise ValueError
        number = int(value)
        if str(number) != str(value).strip() and not isinstance(value, int):
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(
            {field: [_("A rating is a whole number from 0 to %(max)d.") % {"max": scale_max}]}
        ) from None
    if not 0 <= number <= scale_max:
        raise ValidationError(
            {
                field: [
                    _("%(value)d is outside the scale: rate from 0 to %(max)d.")
                    % {"value": number, "max": scale_max}
                ]
            }
        )
    return number


def _rateable(issue: PolicyIssue, field: str = "issue") -> None:
    if issue.status == IssueStatus.MERGED:
        raise ValidationError(
            {
                field: [
                    _("“%(title)s” was merged into #%(id)d; rate that issue instead.")
                    % {"title": issue.title, "id": issue.merged_into_id}
                ]
            }
        )
    if issue.status == IssueStatus.WITHDRAWN:
        raise ValidationError(
            {field: [_("“%(title)s” was withdrawn and cannot be rated.") % {"title": issue.title}]}
        )


@transaction.atomic
def rating_set(*, actor: Person, issue: PolicyIssue, score: int) -> Rating:
    """Rate an issue from 0 to the configured maximum; rating again updates it."""
    _require(policy.can_rate_issues(actor, issue.process))
    scale_max = conf.rating_scale_max()
    score = _score(score, "score", scale_max)
    issue = PolicyIssue.objects.get(pk=issue.pk)  # the status now, not when it was loaded
    _rateable(issue)
    now = timezone.now()
    rating, _created = Rating.objects.update_or_create(
        issue=issue,
        person=actor,
        defaults={"score": score, "scale_max": scale_max, "updated_at": now},
        create_defaults={
            "score": score,
            "scale_max": scale_max,
            "created_at": now,
            "updated_at": now,
        },
    )
    return rating


@transaction.atomic
def rating_clear(*, actor: Person, issue: PolicyIssue) -> bool:
    _require(policy.can_rate_issues(actor, issue.process))
    deleted, _detail = Rating.objects.filter(issue=issue, person=actor).delete()
    return bool(deleted)


@transaction.atomic
def ratings_set_many(
    *, actor: Person, process: Process, scores: Mapping[Any, Any]
) -> dict[str, int]:
    """Rate many issues at once (the rating sheet). ``None`` or "" clears a rating.

    Every score is checked before anything is written: one bad value changes
    nothing.
    """
    _require(policy.can_rate_issues(actor, process))
    scale_max = conf.rating_scale_max()
    wanted: dict[int, int | None] = {}
    errors: dict[str, list[str]] = {}
    for key, value in scores.items():
        try:
            pk = int(key)
        except (TypeError, ValueError, OverflowError):
            errors.setdefault("__all__", []).append(
                _("“%(value)s” is not an issue number.") % {"value": key}
            )
            continue
        if value is None or value == "":
            wanted[pk] = None
            continue
        try:
            wanted[pk] = _score(value, f"issue_{pk}", scale_max)
        except ValidationError as error:
            errors.update(error.message_dict)
    issues = {
        issue.pk: issue for issue in PolicyIssue.objects.filter(process=process, pk__in=wanted)
    }
    for pk, value in wanted.items():
        issue = issues.get(pk)
        if issue is None:
            errors.setdefault("__all__", []).append(
                _("Issue #%(id)d is not in this process.") % {"id": pk}
            )
        elif value is not None:
            try:
                _rateable(issue, f"issue_{pk}")
            except ValidationError as error:
                errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    counts = {"set": 0, "cleared": 0}
    existing = {r.issue_id: r for r in Rating.objects.filter(person=actor, issue_id__in=wanted)}
    for pk, value in wanted.items():
        rating = existing.get(pk)
        if value is None:
            if rating is not None:
                rating.delete()
                counts["cleared"] += 1
            continue
        if rating is None:
            Rating.objects.create(
                issue=issues[pk],
                person=actor,
                score=value,
                scale_max=scale_max,
                created_at=now,
                updated_at=now,
            )
            counts["set"] += 1
        elif rating.score != value or rating.scale_max != scale_max:
            rating.score, rating.scale_max, rating.updated_at = value, scale_max, now
            rating.save(update_fields=["score", "scale_max", "updated_at"])
            counts["set"] += 1
    return counts


@transaction.atomic
def ranking_set(*, actor: Person, process: Process, issue_ids: Sequence[Any]) -> list[RankingEntry]:
    """Replace the person's ranking: ``issue_ids`` in order, first place first.

    At most ``AGENDA_MAX_RANKED`` issues, each once, all on the list. An empty
    list withdraws the ranking.
    """
    _require(policy.can_rate_issues(actor, process))
    limit = conf.max_ranked()
    ids: list[int] = []
    try:
        ids = [int(value) for value in issue_ids]
    except (TypeError, ValueError, OverflowError):
        raise ValidationError({"issues": [_("Issues are named by their numbers.")]}) from None
    if len(ids) > limit:
        raise ValidationError({"issues": [_("Rank at most %(limit)d issues.") % {"limit": limit}]})
    duplicates = sorted({pk for pk in ids if ids.count(pk) > 1})
    if duplicates:
        raise ValidationError(
            {
                "issues": [
                    _("Each issue can be ranked only once (repeated: %(ids)s).")
                    % {"ids": ", ".join(f"#{pk}" for pk in duplicates)}
                ]
            }
        )
    issues = {issue.pk: issue for issue in PolicyIssue.objects.filter(process=process, pk__in=ids)}
    missing = [f"#{pk}" for pk in ids if pk not in issues]
    if missing:
        raise ValidationError(
            {
                "issues": [
                    _("These issues are not in this process: %(ids)s") % {"ids": ", ".join(missing)}
                ]
            }
        )
    for pk in ids:
        _rateable(issues[pk], "issues")
    RankingEntry.objects.filter(process=process, person=actor).delete()
    return RankingEntry.objects.bulk_create(
        [
            RankingEntry(process=process, person=actor, issue=issues[pk], position=position)
            for position, pk in enumerate(ids, start=1)
        ]
    )
