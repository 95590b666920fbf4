"""Periodic jobs of the meetings app (run by `roundtable worker`; idempotent)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from roundtable.audit.services import audit_record
from roundtable.core.periodic import PeriodicJob

from . import conf
from .models import Session


def close_forgotten_sessions() -> int:
    """Close sessions left open long after their scheduled end, so the floor and the
    speaking-time figures stop running. Safe to run any number of times."""
    cutoff = timezone.now() - timedelta(hours=conf.stale_session_hours())
    closed = 0
    for session_id in Session.objects.filter(
        started_at__isnull=False, ended_at__isnull=True, end__lt=cutoff
    ).values_list("pk", flat=True):
        from .services.floor import close_session

        with transaction.atomic():
            session = (
                Session.objects.select_for_update(of=("self",))
                .select_related("process")
                .get(pk=session_id)
            )
            if session.ended_at is not None:
                continue
            last_grant = session.floor_requests.aggregate(Max("granted_at"))["granted_at__max"]
            stamps = [session.end, session.started_at, last_grant]
            close_session(session, now=max(stamp for stamp in stamps if stamp is not None))
            audit_record(
                actor=None,
                action="session.closed_automatically",
                obj=session,
                process=session.process,
            )
            closed += 1
    return closed


JOBS = [
    PeriodicJob("meetings.close_forgotten_sessions", timedelta(hours=1), close_forgotten_sessions)
]
