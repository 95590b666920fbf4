"""Periodic jobs (mail flush, digests, reminders, deadlines), run by the worker.

An app lists its jobs in ``roundtable.<app>.periodic.JOBS`` as
``PeriodicJob(name, every, function)``. Jobs must be idempotent: safe to run
twice, never sending the same mail twice. A job is claimed with a conditional
UPDATE, so with several workers only one runs it per interval.
"""

from __future__ import annotations

import importlib
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import PeriodicJobState

logger = logging.getLogger("roundtable.periodic")


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    function: Callable[[], object]


@cache
def registered_jobs() -> tuple[PeriodicJob, ...]:
    jobs: list[PeriodicJob] = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("roundtable."):
            continue
        try:
            module = importlib.import_module(f"{app}.periodic")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.periodic":
                raise
            continue
        jobs.extend(getattr(module, "JOBS", []))
    return tuple(jobs)


def _claim(job: PeriodicJob, now: timezone.datetime, force: bool) -> bool:
    PeriodicJobState.objects.get_or_create(name=job.name)
    due = Q(last_started_at__isnull=True) | Q(last_started_at__lte=now - job.every)
    states = PeriodicJobState.objects.filter(name=job.name)
    if not force:
        states = states.filter(due)
    return states.update(last_started_at=now) == 1


def run_due_jobs(*, force: bool = False, only: set[str] | None = None) -> list[str]:
    """Run every job whose interval has passed (all of them with ``force``)."""
    ran = []
    for job in registered_jobs():
        if only and job.name not in only:
            continue
        if not _claim(job, timezone.now(), force):
            continue
        error = ""
        try:
            job.function()
        except Exception:
            error = traceback.format_exc()[-4000:]
            logger.exception("periodic job %s failed", job.name)
        PeriodicJobState.objects.filter(name=job.name).update(
            last_finished_at=timezone.now(), last_error=error
        )
        ran.append(job.name)
    return ran


def _flush_outbound_mail() -> None:
    from .mail import outbound_flush

    outbound_flush()


JOBS = [PeriodicJob("core.mail_flush", timedelta(minutes=5), _flush_outbound_mail)]
