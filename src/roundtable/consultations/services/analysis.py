"""Keeping each call's campaigns-and-themes analysis fresh, in the background.

Submissions mark the analysis stale; a task recomputes it at most once per
``CONSULTATION_ANALYSIS_INTERVAL_SECONDS``. A failed run keeps the last good
result and records the error, so the dashboard degrades instead of breaking.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..conf import limit
from ..models import Call, CallAnalysis, Submission, SubmissionStatus

logger = logging.getLogger("roundtable.consultations")

# What the analysis covers: everything a moderator or drafter still has to read.
ANALYSED_STATUSES = (
    SubmissionStatus.PENDING,
    SubmissionStatus.APPROVED,
    SubmissionStatus.CHANGES_REQUESTED,
)
# A queued run older than this is assumed lost (a worker died) and re-queued.
STALE_SCHEDULE = dt.timedelta(minutes=15)


class AnalysisRefused(Exception):
    """The run cannot be done with the configured limits."""


def analysis_request(*, call: Call, now: dt.datetime | None = None) -> CallAnalysis:
    """Mark ``call``'s analysis stale and make sure one run is queued (not more)."""
    from ..tasks import analyse_call

    now = now or timezone.now()
    with transaction.atomic():
        CallAnalysis.objects.get_or_create(call=call)
        state = CallAnalysis.objects.select_for_update().get(call=call)
        if state.requested_at is None:
            state.requested_at = now
        fields = ["requested_at"]
        queued = state.scheduled_for is not None and state.scheduled_for > now - STALE_SCHEDULE
        if not queued:
            interval = dt.timedelta(seconds=limit("CONSULTATION_ANALYSIS_INTERVAL_SECONDS"))
            run_after = max(now, (state.started_at + interval) if state.started_at else now)
            # Enqueued in this transaction: the task exists exactly when the change does.
            if run_after > now:
                analyse_call.using(run_after=run_after).enqueue(call_id=call.pk)
            else:
                analyse_call.enqueue(call_id=call.pk)
            state.scheduled_for = run_after
            fields.append("scheduled_for")
        state.save(update_fields=fields)
    return state


def _rows(call_id: int) -> tuple[list[int], list[str], list[str | None]]:
    submissions = (
        Submission.objects.filter(call_id=call_id, status__in=ANALYSED_STATUSES)
        .select_related("stakeholder_group")
        .prefetch_related("answers")
        .order_by("number")
    )
    maximum = limit("CONSULTATION_ANALYSIS_MAX_SUBMISSIONS")
    count = submissions.count()
    if count > maximum:
        raise AnalysisRefused(
            _(
                "Too many submissions for the analysis: %(count)d, limit %(limit)d "
                "(CONSULTATION_ANALYSIS_MAX_SUBMISSIONS)."
            )
            % {"count": count, "limit": maximum}
        )
    numbers, texts, groups = [], [], []
    for submission in submissions.iterator(chunk_size=2000):
        parts = [submission.text, *(answer.text for answer in submission.answers.all())]
        numbers.append(submission.number)
        texts.append("\n\n".join(part for part in parts if part))
        groups.append(submission.stakeholder_group.slug if submission.stakeholder_group else None)
    return numbers, texts, groups


def compute(numbers: list[int], texts: list[str], groups: list[str | None]) -> dict[str, Any]:
    """The engine's JSON, with each theme's members added (to filter queues by theme)."""
    import warnings

    from roundtable.analysis import run, to_json

    with warnings.catch_warnings():
        # A call with a handful of near-identical texts is normal, not a warning;
        # scikit-learn warns about such degenerate inputs.
        warnings.filterwarnings("ignore", message="Number of distinct clusters")
        warnings.filterwarnings("ignore", category=RuntimeWarning, module="sklearn")
        result = run(texts, seed=0)
    data = to_json(result, numbers, groups)
    for theme_json, theme in zip(data["themes"], result.themes, strict=True):
        theme_json["members"] = [numbers[index] for index in theme.members]
    return data


def analysis_run(*, call_id: int, force: bool = False) -> str:
    """Recompute one call's analysis. Returns ``ok``, ``failed`` or ``skipped``."""
    now = timezone.now()
    with transaction.atomic():
        state = CallAnalysis.objects.select_for_update().filter(call_id=call_id).first()
        if state is None:
            return "skipped"
        if state.requested_at is None and state.computed_at is not None and not force:
            state.scheduled_for = None
            state.save(update_fields=["scheduled_for"])
            return "skipped"
        # Submissions that arrive during the run ask for the next one.
        state.requested_at = None
        state.scheduled_for = None
        state.started_at = now
        state.save(update_fields=["requested_at", "scheduled_for", "started_at"])
    try:
        numbers, texts, groups = _rows(call_id)
        data = compute(numbers, texts, groups)
    except Exception as error:
        logger.exception("analysis of call %s failed", call_id)
        message = (
            str(error) if isinstance(error, AnalysisRefused) else traceback.format_exc()[-3000:]
        )
        CallAnalysis.objects.filter(call_id=call_id).update(failed_at=timezone.now(), error=message)
        return "failed"
    CallAnalysis.objects.filter(call_id=call_id).update(
        result=data, computed_at=timezone.now(), rows=len(numbers), error=""
    )
    return "ok"


def analysis_requeue_stale(*, now: dt.datetime | None = None) -> int:
    """Periodic safety net: re-queue requested runs whose task was lost."""
    now = now or timezone.now()
    count = 0
    for state in CallAnalysis.objects.filter(requested_at__isnull=False).select_related("call"):
        if state.scheduled_for is None or state.scheduled_for < now - STALE_SCHEDULE:
            analysis_request(call=state.call, now=now)
            count += 1
    return count
