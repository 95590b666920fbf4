"""Answers to other apps' questions (see docs/developing.md, "Hooks")."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from roundtable.core.hooks import SearchHit
from roundtable.processes.models import Process

from . import policy, selectors
from .models import AgendaItem, Session, Statement

MAX_HITS = 50


def _snippet(text: str, query: str, width: int = 160) -> str:
    flat = " ".join(text.split())
    at = flat.casefold().find(query.casefold())
    if at < 0 or len(flat) <= width:
        return flat[:width] + ("…" if len(flat) > width else "")
    start = max(at - width // 3, 0)
    piece = flat[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(flat) else "")


def search(*, process: Process, query: str, person: Any) -> list[SearchHit]:
    """Sessions, agenda items, outcomes and statements the person may read.

    Only content is searched, never who spoke: a search for a speaker's name
    must not find what they said in a Chatham House session. Statements are
    labelled with the session's attribution rule.
    """
    if not policy.can_view_sessions(person, process):
        return []
    hits: list[SearchHit] = []
    sessions = (
        Session.objects.filter(process=process)
        .filter(
            Q(title__icontains=query)
            | Q(description__icontains=query)
            | Q(agenda_items__title__icontains=query)
            | Q(agenda_items__description__icontains=query)
        )
        .distinct()
        .order_by("-start")[:MAX_HITS]
    )
    for session in sessions:
        if not policy.can_view_session(person, session):
            continue
        matching = [session.description] + [
            f"{item.title} {item.description}" for item in session.agenda_items.all()
        ]
        text = next((t for t in matching if query.casefold() in t.casefold()), session.title)
        hits.append(
            SearchHit(
                kind=_("Session"),
                title=session.title,
                url=session.get_absolute_url(),
                snippet=_snippet(text, query),
                when=session.start,
            )
        )
    outcomes = AgendaItem.objects.filter(
        session__process=process, outcome__icontains=query
    ).select_related("session", "session__process")[:MAX_HITS]
    for item in outcomes:
        if not policy.can_view_minutes(person, item.session):
            continue
        hits.append(
            SearchHit(
                kind=_("Outcome"),
                title=_("%(item)s (%(session)s)")
                % {"item": item.title, "session": item.session.title},
                url=_minutes_url(item.session) + f"#item-{item.pk}",
                snippet=_snippet(item.outcome, query),
                when=item.session.start,
            )
        )
    statements = (
        Statement.objects.filter(session__process=process, text__icontains=query)
        .select_related("session", "session__process", "stakeholder_group")
        .order_by("-session__start", "position")[: MAX_HITS * 2]
    )
    speakers: dict[int, selectors.Speakers] = {}
    for statement in statements:
        session = statement.session
        if not policy.can_view_minutes(person, session):
            continue
        if session.pk not in speakers:
            speakers[session.pk] = selectors.Speakers.for_record(session)
        label = (
            speakers[session.pk]
            .attribution(statement.speaker_id, group=statement.stakeholder_group)
            .label
        )
        hits.append(
            SearchHit(
                kind=_("Statement"),
                title=_("Minutes of %(session)s") % {"session": session.title},
                url=_minutes_url(session) + f"#statement-{statement.pk}",
                snippet=f"{label}: {_snippet(statement.text, query)}",
                when=session.start,
            )
        )
        if len(hits) >= MAX_HITS * 3:
            break
    return hits


def _minutes_url(session: Session) -> str:
    return reverse(
        "meetings:minutes", kwargs={"slug": session.process.slug, "session_id": session.pk}
    )


def cluster_attention(*, process: Process) -> dict[int, dict[str, float]]:
    """Agenda minutes per cluster: ``{cluster_id: {"agenda_minutes": n}}``."""
    return selectors.cluster_attention(process=process)
