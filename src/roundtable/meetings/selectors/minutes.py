"""Minutes: statements, outcomes and actions per agenda item, speakers attributed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from roundtable.processes.attribution import Attribution

from ..models import (
    ActionItem,
    AgendaItem,
    Session,
    Statement,
)
from .speakers import Speakers

# --- Minutes ----------------------------------------------------------------------------------


@dataclass
class MinutesStatement:
    id: int
    attribution: Attribution
    text: str
    source: str


@dataclass
class MinutesAction:
    id: int
    text: str
    owner: str | None
    due_date: dt.date | None
    done: bool


@dataclass
class MinutesItem:
    item: AgendaItem | None
    title: str
    outcome: str
    statements: list[MinutesStatement]
    actions: list[MinutesAction]


def minutes(*, session: Session, speakers: Speakers) -> list[MinutesItem]:
    """Agenda items in order, each with its statements, outcome and actions;
    statements with no agenda item come first under "General"."""
    items = list(session.agenda_items.all())
    statements = list(Statement.objects.filter(session=session).select_related("stakeholder_group"))
    actions = list(
        ActionItem.objects.filter(agenda_item__session=session).order_by("due_date", "pk")
    )
    by_item: dict[int | None, list[MinutesStatement]] = defaultdict(list)
    for statement in statements:
        by_item[statement.agenda_item_id].append(
            MinutesStatement(
                statement.pk,
                speakers.attribution(statement.speaker_id, group=statement.stakeholder_group),
                statement.text,
                statement.source,
            )
        )
    actions_by_item: dict[int, list[MinutesAction]] = defaultdict(list)
    for action in actions:
        owner = speakers.owner_label(action.owner_id) if action.owner_id is not None else None
        actions_by_item[action.agenda_item_id].append(
            MinutesAction(
                action.pk, action.text, owner, action.due_date, action.done_at is not None
            )
        )
    result = []
    if by_item.get(None):
        result.append(MinutesItem(None, _("General"), "", by_item[None], []))
    for item in items:
        result.append(
            MinutesItem(
                item, item.title, item.outcome, by_item.get(item.pk, []), actions_by_item[item.pk]
            )
        )
    return result


def minutes_as_dict(session: Session, items: list[MinutesItem]) -> dict[str, Any]:
    return {
        "session": session.pk,
        "title": session.title,
        "attribution_rule": session.attribution_rule,
        "published_at": session.minutes_published_at.isoformat()
        if session.minutes_published_at
        else None,
        "items": [
            {
                "agenda_item": item.item.pk if item.item else None,
                "title": item.title,
                "outcome": item.outcome,
                "statements": [
                    {"id": s.id, "speaker": s.attribution.as_dict(), "text": s.text}
                    for s in item.statements
                ],
                "actions": [
                    {
                        "id": a.id,
                        "text": a.text,
                        "owner": a.owner,
                        "due_date": a.due_date.isoformat() if a.due_date else None,
                        "done": a.done,
                    }
                    for a in item.actions
                ],
            }
            for item in items
        ],
    }
