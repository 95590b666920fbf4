"""Digests, run by the worker every hour; each run sends what is due and nothing twice."""

from __future__ import annotations

from datetime import timedelta

from roundtable.core.periodic import PeriodicJob


def _daily() -> None:
    from .digests import digests_send

    digests_send(kind="daily")


def _weekly() -> None:
    from .digests import digests_send

    digests_send(kind="weekly")


# Hourly, because "the morning after" comes at a different hour in each time zone.
JOBS = [
    PeriodicJob("discussions.daily_digests", timedelta(hours=1), _daily),
    PeriodicJob("discussions.weekly_digests", timedelta(hours=1), _weekly),
]
