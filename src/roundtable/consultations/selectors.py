"""Reads shared by pages, API, feeds, exports and hooks.

Authors are named only through ``roundtable.processes.attribution.attribute``,
and only where the submission is published with a name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.core.hooks import collect
from roundtable.processes.attribution import Attribution, attribute
from roundtable.processes.models import AttributionRule, Process
from roundtable.processes.roles import is_chair_or_secretariat
from roundtable.processes.selectors import stakeholder_group_sizes

from . import policy
from .models import (
    Call,
    CallAnalysis,
    CallState,
    Disposition,
    Submission,
    SubmissionStatus,
)
from .services._common import describe_target, url_of

# --- Calls ---------------------------------------------------------------------------


def calls_for(*, person: Any, process: Process) -> QuerySet[Call]:
    calls = Call.objects.filter(process=process).select_related("process", "target_type")
    if not is_chair_or_secretariat(person, process):
        calls = calls.filter(published_at__isnull=False)
    return calls.order_by("-closes_at", "-pk")


def calls_grouped(*, person: Any, process: Process) -> dict[str, list[Call]]:
    groups: dict[str, list[Call]] = {state: [] for state in CallState.values}
    now = timezone.now()
    for call in calls_for(person=person, process=process):
        groups[call.state_at(now)].append(call)
    return groups


def call_target(call: Call) -> dict[str, str] | None:
    """What the call is about, as text and link, or None for the whole process."""
    if call.target_type_id is None:
        return None
    model = call.target_type.model_class()
    obj = model._default_manager.filter(pk=call.target_id).first() if model else None
    if obj is None:
        return {"label": _("an item that no longer exists"), "url": "", "kind": call.target_label}
    return {"label": describe_target(obj), "url": url_of(obj), "kind": call.target_label}


@dataclass
class CallCounts:
    """Counts shown on the call page; ``received`` equals the rows of every export."""

    received: int
    published: int
    pending: int
    approved: int
    rejected: int
    withdrawn: int
    changes_requested: int
    disposed: int

    @property
    def progress(self) -> float | None:
        """Share of approved submissions that have a disposition."""
        return (self.disposed / self.approved) if self.approved else None


def call_counts(call: Call) -> CallCounts:
    by_status = dict(
        Submission.objects.filter(call=call)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    published = Submission.objects.filter(
        call=call, status=SubmissionStatus.APPROVED, consent_to_publish=True
    ).count()
    disposed = Disposition.objects.filter(
        submission__call=call, submission__status=SubmissionStatus.APPROVED
    ).count()
    return CallCounts(
        received=call.received_count,
        published=published,
        pending=by_status.get(SubmissionStatus.PENDING, 0),
        approved=by_status.get(SubmissionStatus.APPROVED, 0),
        rejected=by_status.get(SubmissionStatus.REJECTED, 0),
        withdrawn=by_status.get(SubmissionStatus.WITHDRAWN, 0),
        changes_requested=by_status.get(SubmissionStatus.CHANGES_REQUESTED, 0),
        disposed=disposed,
    )


# --- Submissions -------------------------------------------------------------------------


def author_of(
    submission: Submission,
    *,
    reveal: bool = False,
    group_sizes: Mapping[int, int] | None = None,
) -> Attribution:
    """How to name the author: by name only if published with a name (or ``reveal``).

    Lists pass ``group_sizes`` (``stakeholder_group_sizes``, read once) so an
    anonymous author's group is judged without a query per submission.
    """
    call = submission.call
    rule = (
        AttributionRule.ATTRIBUTED
        if reveal or not submission.anonymous
        else AttributionRule.CHATHAM_HOUSE
    )
    peers = None
    if group_sizes is not None and submission.stakeholder_group_id:
        peers = group_sizes.get(submission.stakeholder_group_id, 0)
    return attribute(
        process=call.process,
        rule=rule,
        name=submission.name,
        organisation=submission.organisation or None,
        stakeholder_group=submission.stakeholder_group,
        peers=peers,
    )


def published_submissions(call: Call) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(
            call=call, status=SubmissionStatus.APPROVED, consent_to_publish=True
        )
        .select_related("call__process", "stakeholder_group", "region", "disposition")
        .prefetch_related("answers__question", "attachments")
        .order_by("number")
    )


def submissions_visible_to(*, person: Any, call: Call) -> QuerySet[Submission]:
    if policy.can_view_unpublished(person, call):
        return (
            Submission.objects.filter(call=call)
            .select_related("call__process", "stakeholder_group", "region", "disposition")
            .prefetch_related("answers__question", "attachments")
            .order_by("number")
        )
    return published_submissions(call)


def analysis_of(call: Call) -> CallAnalysis | None:
    return CallAnalysis.objects.filter(call=call).first()


def analysis_filters(
    call: Call, *, campaign: int | None = None, theme: int | None = None
) -> set[int] | None:
    """Receipt numbers in one campaign (named by its representative) or theme, or None."""
    if campaign is None and theme is None:
        return None
    state = analysis_of(call)
    result = (state.result if state else None) or {}
    numbers: set[int] = set()
    if campaign is not None:
        for group in result.get("campaigns", []):
            if group.get("representative") == campaign:
                numbers = set(group.get("members", []))
    if theme is not None:
        theme_numbers: set[int] = set()
        for item in result.get("themes", []):
            if item.get("id") == theme:
                theme_numbers = set(item.get("members", []))
        numbers = theme_numbers if campaign is None else numbers & theme_numbers
    return numbers


def queue(
    *,
    call: Call,
    statuses: tuple[str, ...],
    campaign: int | None = None,
    theme: int | None = None,
    undisposed_only: bool = False,
) -> QuerySet[Submission]:
    submissions = (
        Submission.objects.filter(call=call, status__in=statuses)
        .select_related("call__process", "stakeholder_group", "region", "disposition")
        .prefetch_related("answers__question", "attachments")
        .order_by("number")
    )
    numbers = analysis_filters(call, campaign=campaign, theme=theme)
    if numbers is not None:
        submissions = submissions.filter(number__in=numbers)
    if undisposed_only:
        submissions = submissions.filter(disposition__isnull=True)
    return submissions


def campaign_of(call: Call, representative: int) -> dict[str, Any] | None:
    state = analysis_of(call)
    for group in ((state.result if state else None) or {}).get("campaigns", []):
        if group.get("representative") == representative:
            return group
    return None


def campaign_by_number(call: Call) -> dict[int, dict[str, Any]]:
    """Each submission's campaign (if any), by receipt number."""
    state = analysis_of(call)
    found: dict[int, dict[str, Any]] = {}
    for group in ((state.result if state else None) or {}).get("campaigns", []):
        for number in group.get("members", []):
            found[number] = group
    return found


# --- The disposition report -----------------------------------------------------------------


def _status_note(submission: Submission) -> str:
    if submission.is_published:
        return ""
    if submission.status == SubmissionStatus.APPROVED:
        return _("Not published, at the author's request.")
    if submission.status == SubmissionStatus.REJECTED:
        return _("Rejected by moderation: %(reason)s.") % {
            "reason": submission.get_rejection_reason_display()
        }
    if submission.status == SubmissionStatus.WITHDRAWN:
        return _("Withdrawn by the author.")
    if submission.status == SubmissionStatus.CHANGES_REQUESTED:
        return _("Returned to the author for editing.")
    return _("Awaiting moderation.")


@dataclass
class ReportRow:
    submission: Submission
    reference: str
    number: int
    received_at: dt.datetime
    status: str
    status_label: str
    note: str
    author: str
    stakeholder_group: str
    language: str
    text: str
    answers: list[tuple[str, str]]
    outcome: str
    outcome_label: str
    response: str
    links: list[dict[str, str]] = field(default_factory=list)
    group: str = ""
    reaction: str = ""
    reaction_label: str = ""
    reaction_comment: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "number": self.number,
            "received_at": self.received_at.isoformat(),
            "status": self.status,
            "note": self.note,
            "author": self.author,
            "stakeholder_group": self.stakeholder_group,
            "language": self.language,
            "text": self.text,
            "answers": [{"question": q, "answer": a} for q, a in self.answers],
            "outcome": self.outcome,
            "response": self.response,
            "links": self.links,
            "group": self.group,
            "reaction": self.reaction,
            "reaction_comment": self.reaction_comment,
        }


def report_rows(call: Call) -> list[ReportRow]:
    """One row per receipt issued, in receipt order: the public disposition report.

    Text and author appear only for published submissions; the others are
    still counted and say why they are not shown.
    """
    submissions = (
        Submission.objects.filter(call=call)
        .select_related(
            "call__process",
            "stakeholder_group",
            "disposition",
            "disposition__campaign_representative",
        )
        .prefetch_related("answers__question", "disposition__links")
        .order_by("number")
    )
    rows = []
    sizes = stakeholder_group_sizes(process=call.process)
    for submission in submissions.iterator(chunk_size=1000):
        published = submission.is_published
        disposition: Disposition | None = getattr(submission, "disposition", None)
        if disposition is not None and submission.status != SubmissionStatus.APPROVED:
            disposition = None
        author = author_of(submission, group_sizes=sizes) if published else None
        group = ""
        if disposition is not None and disposition.campaign_representative_id:
            group = _("Decided for the campaign group of %(reference)s (copies: %(count)d)") % {
                "reference": disposition.campaign_representative.reference,
                "count": disposition.campaign_size or 0,
            }
        rows.append(
            ReportRow(
                submission=submission,
                reference=submission.reference,
                number=submission.number,
                received_at=timezone.localtime(submission.received_at, call.zone),
                status=submission.status,
                status_label=submission.get_status_display(),
                note=_status_note(submission),
                author=str(author) if author else "",
                stakeholder_group=((author.stakeholder_group or "") if author is not None else ""),
                language=submission.language,
                text=submission.text if published else "",
                answers=[(a.question.text, a.text) for a in submission.answers.all()]
                if published
                else [],
                outcome=disposition.outcome if disposition else "",
                outcome_label=disposition.get_outcome_display() if disposition else "",
                response=disposition.response if disposition else "",
                links=[
                    {"label": link.label, "url": url_of(link.target) if link.target else ""}
                    for link in disposition.links.all()
                ]
                if disposition
                else [],
                group=group,
                reaction=disposition.reaction if disposition else "",
                reaction_label=disposition.get_reaction_display()
                if disposition and disposition.reaction
                else "",
                reaction_comment=disposition.reaction_comment if disposition else "",
            )
        )
    return rows


def outcome_totals(rows: list[ReportRow]) -> list[tuple[str, int]]:
    from .models import Outcome

    totals = {value: 0 for value in Outcome.values}
    for row in rows:
        if row.outcome:
            totals[row.outcome] += 1
    return [(Outcome(value).label, count) for value, count in totals.items()]


def calls_on(*, label: str, target_ids: list[int], person: Any) -> list[Call]:
    """Announced calls about the given objects that ``person`` may see."""
    from django.contrib.contenttypes.models import ContentType

    app_label, model = label.split(".")
    content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
    if content_type is None or not target_ids:
        return []
    calls = Call.objects.filter(target_type=content_type, target_id__in=target_ids).select_related(
        "process"
    )
    return [call for call in calls if policy.can_view_call(person, call)]


def search_submissions(*, process: Process, query: str, person: Any) -> list[Submission]:
    """Published submissions matching ``query`` in text or answers, or in a published name."""
    calls = [call for call in calls_for(person=person, process=process)]
    visible = [call.pk for call in calls if policy.can_view_call(person, call)]
    matches = Q(text__icontains=query) | Q(answers__text__icontains=query)
    # An anonymous author's name and organisation are never searchable.
    matches |= Q(anonymous=False) & (Q(name__icontains=query) | Q(organisation__icontains=query))
    return list(
        Submission.objects.filter(
            call_id__in=visible, status=SubmissionStatus.APPROVED, consent_to_publish=True
        )
        .filter(matches)
        .select_related("call__process", "stakeholder_group")
        .distinct()
        .order_by("-received_at")[:100]
    )


def issue_proposal_link(*, submission: Any, person: Any) -> str | None:
    """Where ``person`` may propose a policy issue started from ``submission``
    (the agenda app decides who may), or ``None``."""
    if not submission.is_published:
        return None
    urls = collect(
        "issue_proposal_url",
        process=submission.call.process,
        person=person,
        source=f"submission:{submission.pk}",
    )
    return next((url for url in urls if url), None)
