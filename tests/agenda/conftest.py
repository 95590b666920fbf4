"""Helpers for the agenda tests: members in given stakeholder groups, issues, a call."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from roundtable.agenda import services
from roundtable.agenda.models import IssueCall
from roundtable.processes.models import Role
from tests.factories import MembershipFactory, PersonFactory, group, region


def add_member(process, stakeholder_group: str, region_slug: str = "africa", name: str = ""):
    person = PersonFactory(**({"name": name} if name else {}))
    MembershipFactory(
        person=person,
        process=process,
        role=Role.MEMBER,
        stakeholder_group=group(stakeholder_group),
        region=region(region_slug),
    )
    return person


def open_call(process, days: int = 7, creator=None) -> IssueCall:
    now = timezone.now()
    return IssueCall.objects.create(
        process=process,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=days),
        created_by=creator,
    )


def propose(personas, title: str, description: str = "", actor=None):
    return services.issue_propose(
        actor=actor or personas.member,
        process=personas.process,
        title=title,
        description=description,
    )


@pytest.fixture
def issues(personas):
    """Three issues proposed by the member."""
    return [
        propose(personas, "Root zone oversight", "Who authorises changes to the root zone."),
        propose(personas, "Interconnection costs", "Developing countries pay for both ends."),
        propose(personas, "Spam", "Unsolicited bulk e-mail across borders."),
    ]
