"""Drafting's periodic jobs, run by ``roundtable worker``. Both are idempotent."""

from __future__ import annotations

from datetime import timedelta

from roundtable.core.periodic import PeriodicJob


def _close_silence_procedures() -> None:
    from .services import silence_close_due

    silence_close_due()


def _clean_exports() -> None:
    from .services import export_cleanup

    export_cleanup()


JOBS = [
    # Each procedure is claimed with a conditional update: running twice agrees nothing twice.
    PeriodicJob("drafting.silence_deadlines", timedelta(minutes=1), _close_silence_procedures),
    PeriodicJob("drafting.export_cleanup", timedelta(hours=6), _clean_exports),
]
