"""Schedules, registrations, observer applications, calendars and the agenda-share hook."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from roundtable.processes.models import Membership, Process
from roundtable.processes.roles import is_authenticated, membership_of

from .. import conf, policy
from ..models import (
    AgendaItem,
    ApplicationStatus,
    FloorRequest,
    ObserverApplication,
    Registration,
    Session,
)

# --- Schedules --------------------------------------------------------------------------------


def session_queryset() -> QuerySet[Session]:
    return Session.objects.select_related("process", "room").prefetch_related(
        Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position", "pk"))
    )


def sessions_for_process(*, process: Process, when: str = "all") -> QuerySet[Session]:
    """``upcoming`` (not yet over, soonest first), ``past`` (latest first) or ``all``."""
    sessions = session_queryset().filter(process=process)
    now = timezone.now()
    if when == "upcoming":
        return sessions.filter(end__gt=now, ended_at__isnull=True).order_by("start", "pk")
    if when == "past":
        return sessions.filter(Q(end__lte=now) | Q(ended_at__isnull=False)).order_by(
            "-start", "-pk"
        )
    return sessions.order_by("start", "pk")


def calendar_sessions_for_process(*, process: Process) -> QuerySet[Session]:
    since = timezone.now() - dt.timedelta(days=conf.calendar_past_days())
    return session_queryset().filter(process=process, end__gte=since).order_by("start", "pk")


def calendar_sessions_for_person(*, person: Any) -> list[Session]:
    """Sessions the person may attend, in every process, within the feed's window."""
    since = timezone.now() - dt.timedelta(days=conf.calendar_past_days())
    process_ids = Membership.objects.filter(person_id=person.pk).values("process_id")
    candidates = (
        session_queryset()
        .filter(end__gte=since)
        .filter(
            Q(process_id__in=process_ids)
            | Q(registrations__person_id=person.pk, registrations__cancelled_at__isnull=True)
            | Q(
                observer_applications__person_id=person.pk,
                observer_applications__status=ApplicationStatus.ACCREDITED,
            )
        )
        .distinct()
        .order_by("start", "pk")
    )
    return [session for session in candidates if policy.can_attend_session(person, session)]


def upcoming_for_panel(*, process: Process, limit: int = 3) -> list[Session]:
    return list(sessions_for_process(process=process, when="upcoming")[:limit])


def room_names(*, process: Process) -> list[str]:
    return list(process.rooms.values_list("name", flat=True))


def registration_of(*, session: Session, person: Any) -> Registration | None:
    if not is_authenticated(person):
        return None
    return Registration.objects.filter(session=session, person_id=person.pk).first()


# --- Observer applications --------------------------------------------------------------------


def applications_for(*, process: Process, status: str | None = None) -> QuerySet:
    applications = ObserverApplication.objects.filter(process=process).select_related(
        "session", "stakeholder_group", "person", "decided_by"
    )
    if status:
        applications = applications.filter(status=status)
    return applications.order_by("status", "-created_at")


def my_applications(*, process: Process, person: Any) -> QuerySet:
    if not is_authenticated(person):
        return ObserverApplication.objects.none()
    return ObserverApplication.objects.filter(process=process, person_id=person.pk).select_related(
        "session"
    )


# --- Agenda share (hook for the agenda app) ---------------------------------------------------


def cluster_attention(*, process: Process) -> dict[int, dict[str, float]]:
    """Minutes of agenda time each cluster received, across the process's sessions.

    An item linked to a cluster (directly, or through its policy issue)
    counts its actual speaking time when the floor was used on it, else its
    planned minutes. Cancelled sessions count nothing.
    """
    items = (
        AgendaItem.objects.filter(session__process=process, session__cancelled_at__isnull=True)
        .filter(Q(cluster__isnull=False) | Q(policy_issue__cluster__isnull=False))
        .select_related("policy_issue")
    )
    spoken: Counter[int] = Counter()
    now = timezone.now()
    for turn in FloorRequest.objects.filter(agenda_item__in=items, granted_at__isnull=False).only(
        "agenda_item_id", "granted_at", "ended_at"
    ):
        spoken[turn.agenda_item_id] += turn.speaking_seconds(now)
    result: dict[int, dict[str, float]] = {}
    for item in items:
        cluster_id = item.effective_cluster_id
        if cluster_id is None:
            continue
        minutes_ = spoken[item.pk] / 60 if spoken.get(item.pk) else float(item.planned_minutes or 0)
        entry = result.setdefault(cluster_id, {"agenda_minutes": 0.0})
        entry["agenda_minutes"] = round(entry["agenda_minutes"] + minutes_, 1)
    return result


def my_membership(*, process: Process, person: Any) -> Membership | None:
    return membership_of(person, process)
