"""Fixtures for the meetings tests: the personas' process with sessions of each kind."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from roundtable.meetings import services
from roundtable.meetings.models import Session, SessionKind
from roundtable.processes.models import Role
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, group, region


def schedule(
    personas,
    kind: str = SessionKind.PLENARY,
    *,
    title: str | None = None,
    start: dt.datetime | None = None,
    hours: float = 3,
    room: str = "Room XVII",
    **extra,
) -> Session:
    """A session scheduled by the secretariat through the service, in UTC."""
    start = start or (timezone.now() + dt.timedelta(days=7)).replace(microsecond=0)
    return services.session_create(
        actor=personas.secretariat,
        process=personas.process,
        title=title or f"{SessionKind(kind).label} test",
        kind=kind,
        start=start,
        end=start + dt.timedelta(hours=hours),
        time_zone="Europe/Zurich",
        room_name=room,
        **extra,
    )


def add_member(personas, name: str, email: str, group_slug: str, region_slug: str, org: str = ""):
    person = PersonFactory(name=name, email=email)
    MembershipFactory(
        person=person,
        process=personas.process,
        role=Role.MEMBER,
        stakeholder_group=group(group_slug),
        region=region(region_slug),
        organisation=OrganisationFactory(name=org) if org else None,
    )
    return person


@pytest.fixture
def room(personas):
    """Personas plus a second member (government) so the room has more than one group."""
    second = add_member(
        personas, "Gustavo Government", "gustavo@example.net", "government", "weog", "Ministry X"
    )
    return SimpleNamespace(personas=personas, second=second)


@pytest.fixture
def live_plenary(room):
    """A plenary in session now, with its agenda."""
    personas = room.personas
    session = schedule(personas, SessionKind.PLENARY, start=timezone.now() - dt.timedelta(hours=1))
    services.agenda_item_add(actor=personas.secretariat, session=session, title="Definition")
    services.session_open(actor=personas.chair, session=session)
    session.refresh_from_db()
    room.session = session
    return room
