"""Reads: schedules, the floor, speaking balance, minutes, attendance, calendars.

Every speaker named here is named through ``Speakers``, which calls
``roundtable.processes.attribution.attribute`` and nothing else. A
``Speakers`` is built for one purpose (the live floor, the record, the
secretariat's draft) and asks the policy whether that purpose may name.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.analysis.balance import dominant, shares, silent
from roundtable.people.models import Region, StakeholderGroup
from roundtable.processes.attribution import Attribution, attribute
from roundtable.processes.models import AttributionRule, Membership, Process, Role
from roundtable.processes.roles import is_authenticated, membership_of

from . import conf, policy
from .models import (
    PRESENT,
    ActionItem,
    AgendaItem,
    ApplicationStatus,
    Attendance,
    FloorRequest,
    FloorStatus,
    ObserverApplication,
    Registration,
    Session,
    SessionKind,
    Statement,
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


# --- Naming speakers --------------------------------------------------------------------------


@dataclass
class Categories:
    stakeholder_group: StakeholderGroup | None
    region: Region | None
    organisation: str


class Speakers:
    """Names the speakers of one session for one purpose, only through ``attribute``."""

    def __init__(self, session: Session, *, named: bool, viewer: Any = None) -> None:
        self.session = session
        self.named = named
        self.rule = AttributionRule.ATTRIBUTED if named else session.attribution_rule
        self.viewer_id = viewer.pk if is_authenticated(viewer) else None
        self.memberships = {
            m.person_id: m
            for m in Membership.objects.filter(process_id=session.process_id).select_related(
                "person", "stakeholder_group", "region", "organisation"
            )
        }
        self.registrations = {
            r.person_id: r
            for r in Registration.objects.filter(session=session).select_related(
                "person", "stakeholder_group", "region"
            )
        }

    @classmethod
    def for_floor(cls, session: Session, viewer: Any) -> Speakers:
        """The live queue: names for the chair and secretariat (see policy.can_name_speakers)."""
        return cls(session, named=policy.can_name_speakers(viewer, session), viewer=viewer)

    @classmethod
    def for_record(cls, session: Session) -> Speakers:
        """Minutes, reports, exports, feeds, e-mails, search: the session's rule, for everyone."""
        return cls(session, named=False)

    @classmethod
    def for_draft(cls, session: Session, viewer: Any) -> Speakers:
        """The secretariat's working copy of the minutes, before publication."""
        named = policy.can_record_minutes(viewer, session) and not session.minutes_published
        return cls(session, named=named, viewer=viewer)

    def categories(self, person_id: int) -> Categories:
        membership = self.memberships.get(person_id)
        registration = self.registrations.get(person_id)
        if membership is not None and membership.role == Role.MEMBER:
            return Categories(
                membership.stakeholder_group,
                membership.region,
                membership.organisation.name if membership.organisation else "",
            )
        if registration is not None and (registration.stakeholder_group or registration.region):
            return Categories(
                registration.stakeholder_group,
                registration.region,
                registration.organisation_name,
            )
        if membership is not None:
            return Categories(
                membership.stakeholder_group,
                membership.region,
                membership.organisation.name if membership.organisation else "",
            )
        return Categories(None, None, registration.organisation_name if registration else "")

    def attribution(self, person: Any, *, group: StakeholderGroup | None = None) -> Attribution:
        person_id = getattr(person, "pk", person)
        membership = self.memberships.get(person_id)
        process = self.session.process
        if membership is not None:
            return attribute(process=process, rule=self.rule, membership=membership)
        registration = self.registrations.get(person_id)
        if registration is not None:
            return attribute(
                process=process,
                rule=self.rule,
                name=registration.person.name,
                organisation=registration.organisation_name or None,
                stakeholder_group=registration.stakeholder_group or group,
            )
        name = getattr(person, "name", None)
        return attribute(process=process, rule=self.rule, name=name, stakeholder_group=group)

    def owner_label(self, person_id: int) -> str:
        """Who owns an action. An office (chair, secretariat) is named as the office under
        the Chatham House Rule: it says who must act, not who said what."""
        membership = self.memberships.get(person_id)
        if (
            self.rule == AttributionRule.CHATHAM_HOUSE
            and membership is not None
            and membership.role in (Role.CHAIR, Role.SECRETARIAT)
        ):
            return _("the chair") if membership.role == Role.CHAIR else _("the secretariat")
        return self.attribution(person_id).label

    def label(self, person: Any, *, group: StakeholderGroup | None = None) -> str:
        person_id = getattr(person, "pk", person)
        if self.viewer_id is not None and person_id == self.viewer_id:
            return _("You")
        return self.attribution(person, group=group).label

    def known(self, person_id: int) -> bool:
        return person_id in self.memberships or person_id in self.registrations


def possible_speakers(*, session: Session) -> list[Any]:
    """People a statement may be attributed to: those entitled to speak, plus the chair
    and secretariat (who open, summarise and close)."""
    memberships = Membership.objects.filter(process_id=session.process_id).select_related("person")
    people = {}
    for membership in memberships:
        if not membership.is_current:
            continue
        if membership.role in (Role.CHAIR, Role.SECRETARIAT) or policy.can_request_floor(
            membership.person, session
        ):
            people[membership.person_id] = membership.person
    for registration in session.registrations.filter(cancelled_at__isnull=True).select_related(
        "person"
    ):
        if registration.person_id not in people and policy.can_request_floor(
            registration.person, session
        ):
            people[registration.person_id] = registration.person
    return sorted(people.values(), key=lambda person: person.name.casefold())


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


# --- Attendance -------------------------------------------------------------------------------


@dataclass
class AttendanceLine:
    person_id: int
    name: str
    organisation: str
    role_label: str
    registered: str  # mode label or ""
    status: str  # AttendanceStatus value or ""
    status_label: str
    accredited_observer: bool


def expected_attendees(*, session: Session) -> list[Any]:
    """Everyone who may attend and is expected or known: by role, registration or accreditation."""
    people: dict[int, Any] = {}
    memberships = Membership.objects.filter(process_id=session.process_id).select_related("person")
    attending_roles = policy.ATTENDING_ROLES[session.kind]
    for membership in memberships:
        if membership.is_current and membership.role in attending_roles:
            people[membership.person_id] = membership.person
    for registration in session.registrations.filter(cancelled_at__isnull=True).select_related(
        "person"
    ):
        people.setdefault(registration.person_id, registration.person)
    for application in session.observer_applications.filter(
        status=ApplicationStatus.ACCREDITED
    ).select_related("person"):
        people.setdefault(application.person_id, application.person)
    for attendance in session.attendance.select_related("person"):
        people.setdefault(attendance.person_id, attendance.person)
    return sorted(people.values(), key=lambda person: person.name.casefold())


def attendance_lines(*, session: Session) -> list[AttendanceLine]:
    """The attendance list with names; only for viewers ``policy.can_view_attendance_names``
    allows (the view checks)."""
    memberships = {
        m.person_id: m
        for m in Membership.objects.filter(process_id=session.process_id).select_related(
            "organisation"
        )
    }
    registrations = {r.person_id: r for r in session.registrations.all()}
    attendance = {a.person_id: a for a in session.attendance.all()}
    accredited = set(
        session.observer_applications.filter(status=ApplicationStatus.ACCREDITED).values_list(
            "person_id", flat=True
        )
    )
    applications = {
        a.person_id: a
        for a in ObserverApplication.objects.filter(
            process_id=session.process_id, status=ApplicationStatus.ACCREDITED
        )
    }
    lines = []
    for person in expected_attendees(session=session):
        membership = memberships.get(person.pk)
        registration = registrations.get(person.pk)
        record = attendance.get(person.pk)
        organisation = ""
        if membership and membership.organisation:
            organisation = membership.organisation.name
        elif registration and registration.organisation_name:
            organisation = registration.organisation_name
        elif person.pk in applications:
            organisation = applications[person.pk].organisation_name
        is_accredited = person.pk in accredited or (
            membership is not None
            and membership.role == Role.OBSERVER
            and person.pk in applications
        )
        if membership is not None and membership.is_current:
            role_label = membership.get_role_display()
        elif person.pk in accredited:
            role_label = _("observer")
        else:
            role_label = _("registered participant")
        lines.append(
            AttendanceLine(
                person_id=person.pk,
                name=person.name,
                organisation=organisation,
                role_label=role_label,
                registered=registration.get_mode_display()
                if registration and registration.is_active
                else "",
                status=record.status if record else "",
                status_label=record.get_status_display() if record else "",
                accredited_observer=is_accredited,
            )
        )
    return lines


def attendance_counts(*, session: Session) -> dict[str, Any]:
    """Counts only: what everyone who can see the session may know about the room."""
    records = Counter(session.attendance.values_list("status", flat=True))
    registered = Counter(
        session.registrations.filter(cancelled_at__isnull=True).values_list("mode", flat=True)
    )
    speakers = Speakers.for_record(session)
    composition = room_composition(session=session, speakers=speakers)
    by_group: Counter[str] = Counter()
    for categories in composition.values():
        if categories.stakeholder_group is not None:
            by_group[categories.stakeholder_group.display_name] += 1
    return {
        "registered": sum(registered.values()),
        "registered_in_person": registered.get("in_person", 0),
        "registered_remote": registered.get("remote", 0),
        "present_in_person": records.get("in_person", 0),
        "present_remote": records.get("remote", 0),
        "excused": records.get("excused", 0),
        "by_stakeholder_group": dict(sorted(by_group.items())),
    }


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
