"""The live floor and the speaking balance of a room."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.analysis.balance import dominant, shares, silent
from roundtable.people.models import Region, StakeholderGroup
from roundtable.processes.attribution import Attribution
from roundtable.processes.models import Role

from .. import conf
from ..models import (
    PRESENT,
    Attendance,
    FloorRequest,
    FloorStatus,
    Session,
    SessionKind,
)
from .speakers import Categories, Speakers

# --- The floor --------------------------------------------------------------------------------


@dataclass
class FloorEntry:
    id: int
    label: str
    status: str
    requested_at: dt.datetime
    mine: bool
    agenda_item: str | None
    position: int = 0
    granted_at: dt.datetime | None = None
    time_limit_seconds: int | None = None
    elapsed_seconds: float = 0.0

    @property
    def over_time(self) -> bool:
        return bool(self.time_limit_seconds) and self.elapsed_seconds > self.time_limit_seconds

    @property
    def remaining_seconds(self) -> int | None:
        if not self.time_limit_seconds:
            return None
        return max(int(self.time_limit_seconds - self.elapsed_seconds), 0)

    def as_dict(self, attribution: Attribution | None) -> dict[str, Any]:
        return {
            "id": self.id,
            "speaker": attribution.as_dict() if attribution else None,
            "label": self.label,
            "status": self.status,
            "position": self.position,
            "mine": self.mine,
            "agenda_item": self.agenda_item,
            "requested_at": self.requested_at.isoformat(),
            "granted_at": self.granted_at.isoformat() if self.granted_at else None,
            "time_limit_seconds": self.time_limit_seconds,
            "elapsed_seconds": round(self.elapsed_seconds),
            "over_time": self.over_time,
        }


@dataclass
class FloorState:
    session: Session
    speaking: FloorEntry | None
    queue: list[FloorEntry]
    recent: list[FloorEntry]
    my_request: FloorEntry | None
    named: bool
    attributions: dict[int, Attribution] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        def entry(item: FloorEntry | None) -> dict[str, Any] | None:
            return item.as_dict(self.attributions.get(item.id)) if item else None

        return {
            "session": self.session.pk,
            "state": self.session.state,
            "live": self.session.is_live,
            "current_agenda_item": self.session.current_agenda_item.title
            if self.session.current_agenda_item_id
            else None,
            "speaking": entry(self.speaking),
            "queue": [entry(item) for item in self.queue],
            "recent": [entry(item) for item in self.recent],
            "my_request": entry(self.my_request),
        }


def floor_state(*, session: Session, viewer: Any, recent: int = 5) -> FloorState:
    speakers = Speakers.for_floor(session, viewer)
    now = timezone.now()
    requests = list(
        session.floor_requests.select_related("agenda_item", "stakeholder_group").order_by(
            "requested_at", "pk"
        )
    )
    attributions: dict[int, Attribution] = {}

    def make(request: FloorRequest, position: int = 0) -> FloorEntry:
        attributions[request.pk] = speakers.attribution(
            request.person_id, group=request.stakeholder_group
        )
        return FloorEntry(
            id=request.pk,
            label=speakers.label(request.person_id, group=request.stakeholder_group),
            status=request.status,
            requested_at=request.requested_at,
            mine=speakers.viewer_id == request.person_id,
            agenda_item=request.agenda_item.title if request.agenda_item_id else None,
            position=position,
            granted_at=request.granted_at,
            time_limit_seconds=request.time_limit_seconds,
            elapsed_seconds=request.speaking_seconds(now),
        )

    speaking = next((make(r) for r in requests if r.status == FloorStatus.SPEAKING), None)
    queue = [
        make(r, position)
        for position, r in enumerate(
            (r for r in requests if r.status == FloorStatus.WAITING), start=1
        )
    ]
    done = [r for r in requests if r.status == FloorStatus.DONE]
    done.sort(key=lambda r: r.ended_at or r.requested_at, reverse=True)
    history = [make(r) for r in done[:recent]]
    mine = None
    if speakers.viewer_id is not None:
        mine = next((e for e in [speaking, *queue] if e is not None and e.mine), None)
    return FloorState(session, speaking, queue, history, mine, speakers.named, attributions)


# --- Speaking balance -------------------------------------------------------------------------


@dataclass
class BalanceRow:
    key: Any
    label: str
    present: int
    present_share: float
    turns: int
    seconds: float
    seconds_share: float

    @property
    def ratio(self) -> float | None:
        if not self.present_share:
            return None
        return self.seconds_share / self.present_share

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": getattr(self.key, "slug", None),
            "name": self.label,
            "present": self.present,
            "present_share": round(self.present_share, 4),
            "turns": self.turns,
            "seconds": round(self.seconds),
            "speaking_share": round(self.seconds_share, 4),
            "ratio": round(self.ratio, 2) if self.ratio is not None else None,
        }


@dataclass
class PersonRow:
    person_id: int
    group: StakeholderGroup | None
    turns: int
    seconds: float
    label: str = ""


@dataclass
class SpeakingBalance:
    session: Session
    threshold: float
    groups: list[BalanceRow]
    regions: list[BalanceRow]
    persons: list[PersonRow]
    items: list[dict[str, Any]]
    alerts: list[str]
    total_turns: int
    total_seconds: float
    present: int

    def as_dict(self, *, with_persons: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        body = {
            "session": self.session.pk,
            "threshold": self.threshold,
            "present": self.present,
            "total_turns": self.total_turns,
            "total_seconds": round(self.total_seconds),
            "stakeholder_groups": [row.as_dict() for row in self.groups],
            "regions": [row.as_dict() for row in self.regions],
            "agenda_items": [
                {"title": item["title"], "turns": item["turns"], "seconds": round(item["seconds"])}
                for item in self.items
            ],
            "alerts": self.alerts,
        }
        if with_persons is not None:
            body["speakers"] = with_persons
        return body


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


def room_composition(*, session: Session, speakers: Speakers) -> dict[int, Categories]:
    """Who was present and entitled to speak, with the categories balance is measured on.

    The chair and secretariat run the room; observers of a plenary may not
    speak: neither counts in the baseline speaking time is compared with.
    """
    present = Attendance.objects.filter(session=session, status__in=PRESENT).select_related(
        "person"
    )
    composition = {}
    for attendance in present:
        membership = speakers.memberships.get(attendance.person_id)
        role = membership.role if membership and membership.is_current else None
        if role in (Role.CHAIR, Role.SECRETARIAT):
            continue
        if session.kind != SessionKind.CONSULTATION and role != Role.MEMBER:
            continue
        composition[attendance.person_id] = speakers.categories(attendance.person_id)
    return composition


def speaking_balance(*, session: Session, threshold: float | None = None) -> SpeakingBalance:
    """Turns and speaking time by stakeholder group and region against who is in the room.

    Alerts: a group whose share of speaking time exceeds ``threshold`` times
    its share of those present, and (once anyone has spoken) a present group
    that has not spoken.
    """
    threshold = conf.dominance_threshold() if threshold is None else threshold
    speakers = Speakers.for_record(session)
    now = timezone.now()
    composition = room_composition(session=session, speakers=speakers)
    turns = list(
        session.floor_requests.filter(granted_at__isnull=False).select_related(
            "stakeholder_group", "region", "agenda_item"
        )
    )
    groups = {g.pk: g for g in StakeholderGroup.objects.all()}
    regions = {r.pk: r for r in Region.objects.all()}

    present_groups: Counter[int] = Counter()
    present_regions: Counter[int] = Counter()
    for categories in composition.values():
        if categories.stakeholder_group is not None:
            present_groups[categories.stakeholder_group.pk] += 1
        if categories.region is not None:
            present_regions[categories.region.pk] += 1

    seconds_groups: Counter[int] = Counter()
    seconds_regions: Counter[int] = Counter()
    turns_groups: Counter[int] = Counter()
    turns_regions: Counter[int] = Counter()
    per_person: dict[int, PersonRow] = {}
    per_item: dict[int | None, dict[str, Any]] = {}
    for turn in turns:
        seconds = turn.speaking_seconds(now)
        if turn.stakeholder_group_id:
            seconds_groups[turn.stakeholder_group_id] += seconds
            turns_groups[turn.stakeholder_group_id] += 1
        if turn.region_id:
            seconds_regions[turn.region_id] += seconds
            turns_regions[turn.region_id] += 1
        row = per_person.setdefault(
            turn.person_id, PersonRow(turn.person_id, turn.stakeholder_group, 0, 0.0)
        )
        row.turns += 1
        row.seconds += seconds
        item = per_item.setdefault(
            turn.agenda_item_id,
            {
                "title": turn.agenda_item.title if turn.agenda_item_id else _("No agenda item"),
                "turns": 0,
                "seconds": 0.0,
            },
        )
        item["turns"] += 1
        item["seconds"] += seconds

    def rows(
        categories: dict[int, Any],
        present: Counter[int],
        seconds: Counter[int],
        count: Counter[int],
    ) -> list[BalanceRow]:
        present_share = shares(present)
        seconds_share = shares(seconds)
        return [
            BalanceRow(
                key=category,
                label=category.display_name,
                present=present.get(pk, 0),
                present_share=present_share.get(pk, 0.0),
                turns=count.get(pk, 0),
                seconds=seconds.get(pk, 0.0),
                seconds_share=seconds_share.get(pk, 0.0),
            )
            for pk, category in categories.items()
            if present.get(pk) or count.get(pk)
        ]

    alerts = []
    for found in dominant(seconds_groups, present_groups, threshold=threshold):
        group = groups[found.key]
        if found.baseline_share:
            alerts.append(
                _(
                    "%(group)s has %(share)s of the speaking time but %(present)s of those "
                    "present (%(ratio)s×, above the %(threshold)s× alert threshold)."
                )
                % {
                    "group": group.display_name,
                    "share": _percent(found.share),
                    "present": _percent(found.baseline_share),
                    "ratio": f"{found.ratio:.1f}",
                    "threshold": f"{threshold:g}",
                }
            )
        else:
            alerts.append(
                _("%(group)s has %(share)s of the speaking time but nobody recorded as present.")
                % {"group": group.display_name, "share": _percent(found.share)}
            )
    if turns:
        for key in silent(seconds_groups, present_groups):
            alerts.append(
                _("%(group)s is present but has not spoken.") % {"group": groups[key].display_name}
            )

    persons = sorted(per_person.values(), key=lambda row: -row.seconds)
    items_order = {item.pk: position for position, item in enumerate(session.agenda_items.all())}
    items = [
        per_item[key]
        for key in sorted(per_item, key=lambda key: items_order.get(key, len(items_order)))
    ]
    return SpeakingBalance(
        session=session,
        threshold=threshold,
        groups=rows(groups, present_groups, seconds_groups, turns_groups),
        regions=rows(regions, present_regions, seconds_regions, turns_regions),
        persons=persons,
        items=items,
        alerts=alerts,
        total_turns=len(turns),
        total_seconds=sum(row.seconds for row in persons),
        present=len(composition),
    )


def label_person_rows(balance: SpeakingBalance, speakers: Speakers) -> list[dict[str, Any]]:
    """Per-person rows with labels, for viewers the policy lets see names."""
    rows = []
    for row in balance.persons:
        attribution = speakers.attribution(row.person_id, group=row.group)
        row.label = attribution.label
        rows.append(
            {
                "speaker": attribution.as_dict(),
                "turns": row.turns,
                "seconds": round(row.seconds),
            }
        )
    return rows
