"""Periodic survey jobs, run by the worker (or ``roundtable periodic``); all idempotent."""

from __future__ import annotations

from datetime import timedelta

from roundtable.core.periodic import PeriodicJob


def _close_due() -> None:
    from .services import surveys_close_due

    surveys_close_due()


def _release() -> None:
    from .services import responses_release

    responses_release()


def _remind() -> None:
    from .services import reminders_send

    reminders_send()


JOBS = [
    # Closing first: a survey past its date releases everything in one batch.
    PeriodicJob("surveys.close_due", timedelta(hours=1), _close_due),
    PeriodicJob("surveys.release_responses", timedelta(minutes=10), _release),
    PeriodicJob("surveys.reminders", timedelta(hours=6), _remind),
]
