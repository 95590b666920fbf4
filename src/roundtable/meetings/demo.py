"""The meetings part of the demo: past and upcoming sessions of the demo process.

Held: an open consultation (attributed, public minutes), a closed working
session (private minutes) and a plenary with observers under the Chatham
House Rule, with a floor history whose balance report raises alerts, and
published minutes. Coming up: one session of each kind. Plus observer
applications in each state. All fictional; idempotent (sessions are found
by title, and a session that exists is left as it is).

History is written directly (times in the past, no e-mail); new sessions go
through ``session_create`` so the demo obeys the same rules as everyone.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from typing import Any

from django.utils import timezone

from roundtable.agenda.models import Cluster
from roundtable.people.models import Person, StakeholderGroup
from roundtable.processes.models import AttributionRule, Membership

from . import services
from .models import (
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
    StatementSource,
)

ZONE = "Europe/Zurich"
ROOM = "Salle Lac, Lakeside Conference Centre"
ADDRESS = "Rue des Délégués 4, 1202 Geneva"

PUBLIC = [
    (
        "Inès Moreau",
        "ines.moreau@example.org",
        "civil-society",
        "Observatoire citoyen du numérique",
    ),
    ("Tomasz Zieliński", "tomasz.zielinski@example.org", "private-sector", "Baltic ISP Forum"),
    ("Adaeze Nwosu", "adaeze.nwosu@example.org", "academia", "Lagos Policy Lab"),
]

DEFINITION_STATEMENTS = [
    (
        "government",
        "A working definition should make room for the role of governments in public "
        "policy while recognising that day-to-day operation rests with others.",
    ),
    (
        "civil-society",
        "Any definition that leaves out human rights and the people who use the Internet "
        "will not be accepted outside this room.",
    ),
    (
        "private-sector",
        "Investment follows predictability. The definition should describe shared "
        "responsibilities rather than assign control.",
    ),
    (
        "government",
        "Developing countries need to see their concerns about cost and capacity in the "
        "first paragraph, not in an annex.",
    ),
    (
        "technical-community",
        "The definition should distinguish the infrastructure layer from the use of the "
        "Internet; the issues are different.",
    ),
    (
        "academia",
        "We suggest “the development and application by governments, the private sector "
        "and civil society, in their respective roles, of shared principles…”.",
    ),
    (
        "government",
        "We can accept the academic proposal as a basis, with “respective roles” kept.",
    ),
]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    zone = zoneinfo.ZoneInfo(ZONE)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone).astimezone(dt.UTC)


def _memberships(context: Any) -> dict[int, Membership]:
    return {
        m.person_id: m
        for m in Membership.objects.filter(process=context.process).select_related(
            "stakeholder_group", "region"
        )
    }


def _public_people() -> list[tuple[Person, str, str]]:
    people = []
    for name, email, group, organisation in PUBLIC:
        person, _created = Person.objects.get_or_create(
            email=email, defaults={"name": name, "time_zone": "Europe/Paris"}
        )
        if _created:
            person.set_unusable_password()
            person.save(update_fields=["password"])
        people.append((person, group, organisation))
    return people


def _create(context: Any, title: str, **fields: Any) -> tuple[Session, bool]:
    existing = Session.objects.filter(process=context.process, title=title).first()
    if existing is not None:
        return existing, False
    session = services.session_create(
        actor=context.secretariat[0],
        process=context.process,
        title=title,
        time_zone=ZONE,
        **fields,
    )
    return session, True


def _agenda(context: Any, session: Session, items: list[tuple[str, int]]) -> list[AgendaItem]:
    clusters = list(Cluster.objects.filter(process=context.process).order_by("position", "pk"))
    created = []
    for index, (title, minutes) in enumerate(items):
        created.append(
            services.agenda_item_add(
                actor=context.secretariat[0],
                session=session,
                title=title,
                planned_minutes=minutes,
                cluster=clusters[index % len(clusters)].pk if clusters else None,
            )
        )
    return created


def _hold(session: Session, chair: Person, *, minutes_after: int) -> None:
    Session.objects.filter(pk=session.pk).update(
        started_at=session.start,
        ended_at=session.start + dt.timedelta(minutes=minutes_after),
    )
    session.refresh_from_db()


def _publish(session: Session, secretariat: Person) -> None:
    Session.objects.filter(pk=session.pk).update(
        minutes_published_at=session.ended_at + dt.timedelta(days=2),
        minutes_published_by=secretariat,
    )


def _consultation_held(context: Any, day: dt.date) -> None:
    session, created = _create(
        context,
        "First open consultation: the scope of Internet stewardship",
        kind=SessionKind.CONSULTATION,
        format="hybrid",
        room_name=ROOM,
        room_address=ADDRESS,
        online_url="https://meet.example.org/wgis-consultation-1",
        start=_at(day, 10),
        end=_at(day, 13),
        attribution_rule=AttributionRule.ATTRIBUTED,
        description="Open to anyone who registers. Contributions are attributed in the record.",
    )
    if not created:
        return
    [scope, gaps] = _agenda(
        context,
        session,
        [("What should the working group cover?", 90), ("Whose voice is missing?", 60)],
    )
    _hold(session, context.chair, minutes_after=170)
    public = _public_people()
    for person, group, organisation in public:
        Registration.objects.create(
            session=session,
            person=person,
            mode="remote" if group == "academia" else "in_person",
            stakeholder_group=StakeholderGroup.objects.get(slug=group),
            organisation_name=organisation,
        )
        Attendance.objects.create(session=session, person=person, status="in_person")
    texts = [
        (public[0][0], scope, "Please include the affordability of access in the scope."),
        (public[1][0], scope, "Small operators need a voice in any future forum."),
        (public[2][0], gaps, "African research networks were not consulted so far."),
    ]
    for position, (person, item, text) in enumerate(texts, start=1):
        Statement.objects.create(
            session=session,
            agenda_item=item,
            speaker=person,
            stakeholder_group=Registration.objects.get(
                session=session, person=person
            ).stakeholder_group,
            text=text,
            position=position,
            created_by=context.secretariat[0],
        )
    AgendaItem.objects.filter(pk=scope.pk).update(
        outcome="The secretariat will summarise the scope suggestions for the first plenary."
    )
    _publish(session, context.secretariat[0])


def _closed_held(context: Any, day: dt.date) -> None:
    session, created = _create(
        context,
        "First closed working session: method of work",
        kind=SessionKind.CLOSED,
        format="in_person",
        room_name=ROOM,
        room_address=ADDRESS,
        start=_at(day, 9, 30),
        end=_at(day, 12, 30),
        attribution_rule=AttributionRule.CHATHAM_HOUSE,
    )
    if not created:
        return
    [method] = _agenda(context, session, [("Method of work and timeline", 120)])
    _hold(session, context.chair, minutes_after=150)
    memberships = _memberships(context)
    for position, person in enumerate(context.members[:3], start=1):
        Attendance.objects.create(session=session, person=person, status="in_person")
        Statement.objects.create(
            session=session,
            agenda_item=method,
            speaker=person,
            stakeholder_group=memberships[person.pk].stakeholder_group,
            text=[
                "We propose to work by clusters, with one coordinator each.",
                "The timeline should leave four weeks for each consultation.",
                "Drafting should start before the second plenary.",
            ][position - 1],
            position=position,
            created_by=context.secretariat[0],
        )
    AgendaItem.objects.filter(pk=method.pk).update(
        outcome="The group will work by clusters, each with a coordinator."
    )
    ActionItem.objects.create(
        agenda_item=method,
        text="Propose cluster coordinators",
        owner=context.secretariat[0],
        due_date=day + dt.timedelta(days=10),
        done_at=timezone.now(),
    )
    _publish(session, context.secretariat[0])


def _plenary_held(context: Any, day: dt.date) -> None:
    session, created = _create(
        context,
        "First plenary: a working definition",
        kind=SessionKind.PLENARY,
        format="hybrid",
        room_name=ROOM,
        room_address=ADDRESS,
        online_url="https://meet.example.org/wgis-plenary-1",
        start=_at(day, 14),
        end=_at(day, 17, 30),
        attribution_rule=AttributionRule.CHATHAM_HOUSE,
        description="Observers attend without the right to speak.",
    )
    if not created:
        return
    definition, issues = _agenda(
        context,
        session,
        [("Towards a working definition", 120), ("First list of public policy issues", 60)],
    )
    _hold(session, context.chair, minutes_after=200)
    memberships = _memberships(context)
    rng = random.Random(2005)  # noqa: S311 - the same demo history on every machine
    present = [p for p in context.members if rng.random() < 0.75]
    for person in present:
        status = "remote" if rng.random() < 0.3 else "in_person"
        Attendance.objects.create(session=session, person=person, status=status)
    for person in context.observers[:3]:
        Attendance.objects.create(session=session, person=person, status="in_person")
    by_group: dict[str, list[Person]] = {}
    for person in present:
        by_group.setdefault(memberships[person.pk].stakeholder_group.slug, []).append(person)
    # Governments take the floor most and longest: the report's alert, as in the WGIG.
    plan = (
        ["government"] * 11
        + ["private-sector"] * 4
        + ["civil-society"] * 4
        + ["technical-community"] * 2
        + ["academia"] * 2
    )
    rng.shuffle(plan)
    clock = session.start + dt.timedelta(minutes=10)
    turns: dict[str, list[FloorRequest]] = {}
    for index, group in enumerate(plan):
        speakers = by_group.get(group) or by_group["government"]
        person = speakers[index % len(speakers)]
        seconds = rng.randint(260, 380) if group == "government" else rng.randint(90, 190)
        membership = memberships[person.pk]
        turn = FloorRequest.objects.create(
            session=session,
            person=person,
            agenda_item=definition if index < 17 else issues,
            status=FloorStatus.DONE,
            stakeholder_group=membership.stakeholder_group,
            region=membership.region,
            requested_at=clock - dt.timedelta(minutes=3),
            granted_at=clock,
            ended_at=clock + dt.timedelta(seconds=seconds),
            time_limit_seconds=240,
            granted_by=context.chair,
        )
        turns.setdefault(group, []).append(turn)
        clock += dt.timedelta(seconds=seconds + 30)
    used: dict[str, int] = {}
    for position, (group, text) in enumerate(DEFINITION_STATEMENTS, start=1):
        group_turns = turns.get(group) or turns["government"]
        turn = group_turns[used.get(group, 0) % len(group_turns)]
        used[group] = used.get(group, 0) + 1
        Statement.objects.create(
            session=session,
            agenda_item=definition,
            speaker=turn.person,
            stakeholder_group=turn.stakeholder_group,
            text=text,
            position=position,
            source=StatementSource.TRANSCRIPT if position > 4 else StatementSource.RECORDED,
            created_by=context.secretariat[0],
        )
    AgendaItem.objects.filter(pk=definition.pk).update(
        outcome="Broad support for the academic proposal as a basis, keeping "
        "“in their respective roles”. The secretariat will circulate a clean text."
    )
    ActionItem.objects.create(
        agenda_item=definition,
        text="Circulate a clean text of the working definition",
        owner=context.secretariat[0],
        due_date=day + dt.timedelta(days=7),
    )
    ActionItem.objects.create(
        agenda_item=issues,
        text="Merge duplicate issues before the second plenary",
        owner=context.secretariat[1] if len(context.secretariat) > 1 else None,
        due_date=day + dt.timedelta(days=21),
    )
    _publish(session, context.secretariat[0])


def _upcoming(context: Any, today: dt.date) -> None:
    consultation, created = _create(
        context,
        "Second open consultation: public policy issues",
        kind=SessionKind.CONSULTATION,
        format="online",
        online_url="https://meet.example.org/wgis-consultation-2",
        start=_at(today + dt.timedelta(days=5), 15),
        end=_at(today + dt.timedelta(days=5), 17),
        attribution_rule=AttributionRule.ATTRIBUTED,
        description="Anyone may register and ask for the floor.",
    )
    if created:
        _agenda(context, consultation, [("Comments on the draft list of issues", 100)])
    closed, created = _create(
        context,
        "Second closed working session: clustering the issues",
        kind=SessionKind.CLOSED,
        format="in_person",
        room_name=ROOM,
        room_address=ADDRESS,
        start=_at(today + dt.timedelta(days=6), 9, 30),
        end=_at(today + dt.timedelta(days=6), 12, 30),
    )
    if created:
        _agenda(context, closed, [("Four clusters", 90), ("Coordinators' reports", 60)])
    plenary, created = _create(
        context,
        "Second plenary: roles and responsibilities",
        kind=SessionKind.PLENARY,
        format="hybrid",
        room_name=ROOM,
        room_address=ADDRESS,
        online_url="https://meet.example.org/wgis-plenary-2",
        start=_at(today + dt.timedelta(days=7), 14),
        end=_at(today + dt.timedelta(days=7), 17, 30),
        description="Observers attend without the right to speak.",
    )
    if created:
        _agenda(
            context,
            plenary,
            [
                ("Roles of governments", 45),
                ("Roles of the private sector and civil society", 45),
                ("Roles of the technical and academic communities", 45),
            ],
        )
        _applications(context, plenary)


def _applications(context: Any, plenary: Session) -> None:
    people = _public_people()
    (ines, group_i, org_i), (tomasz, group_t, org_t), (adaeze, group_a, org_a) = people
    groups = {g.slug: g for g in StakeholderGroup.objects.all()}
    for person, group, organisation, session, status, purpose in (
        (
            ines,
            group_i,
            org_i,
            None,
            ApplicationStatus.PENDING,
            "We follow Internet policy for a network of French-speaking community groups.",
        ),
        (
            tomasz,
            group_t,
            org_t,
            plenary,
            ApplicationStatus.ACCREDITED,
            "Our members operate small networks; we wish to follow the roles discussion.",
        ),
        (
            adaeze,
            group_a,
            org_a,
            plenary,
            ApplicationStatus.DECLINED,
            "Research on multistakeholder processes.",
        ),
    ):
        ObserverApplication.objects.get_or_create(
            process=context.process,
            person=person,
            session=session,
            defaults={
                "name": person.name,
                "organisation_name": organisation,
                "stakeholder_group": groups[group],
                "purpose": purpose,
                "status": status,
                "decided_by": None
                if status == ApplicationStatus.PENDING
                else context.secretariat[0],
                "decided_at": None if status == ApplicationStatus.PENDING else timezone.now(),
                "decision_note": "The room is full for this session; please apply for the next."
                if status == ApplicationStatus.DECLINED
                else "",
            },
        )


def load(context: Any) -> None:
    today = context.today
    _consultation_held(context, today - dt.timedelta(days=30))
    _closed_held(context, today - dt.timedelta(days=29))
    _plenary_held(context, today - dt.timedelta(days=29))
    _upcoming(context, today)
