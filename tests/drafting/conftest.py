"""A draft with a bit of everything, built through the services, for drafting's tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from roundtable.drafting import services
from roundtable.processes.models import Role
from tests.factories import MembershipFactory, PersonFactory, group, region


def add_member(personas, name: str, email: str, stakeholder_group: str, place: str):
    person = PersonFactory(name=name, email=email)
    membership = MembershipFactory(
        person=person,
        process=personas.process,
        role=Role.MEMBER,
        stakeholder_group=group(stakeholder_group),
        region=region(place),
    )
    return person, membership


def build_draft(personas) -> SimpleNamespace:
    """A report with two sections; a second member from government, Asia-Pacific."""
    gov, gov_membership = add_member(
        personas, "Gita Government", "gov@example.net", "government", "asia-pacific"
    )
    secretariat = personas.secretariat
    document = services.document_create(
        actor=secretariat, process=personas.process, title="Report of the Working Group"
    )
    intro = services.section_create(actor=secretariat, document=document, title="Introduction")
    oversight = services.section_create(actor=secretariat, document=document, title="Oversight")
    first = services.paragraph_create(
        actor=secretariat,
        section=intro,
        text="The group met four times in Geneva and held open consultations.",
    )
    second = services.paragraph_create(
        actor=secretariat,
        section=intro,
        text="Internet governance is the development and application of shared principles.",
        after=first,
    )
    recommendation = services.paragraph_create(
        actor=secretariat,
        section=oversight,
        text="Create a forum for multistakeholder policy dialogue.",
        is_recommendation=True,
    )
    return SimpleNamespace(
        document=document,
        intro=intro,
        oversight=oversight,
        first=first,
        second=second,
        recommendation=recommendation,
        gov=gov,
        gov_membership=gov_membership,
    )


@pytest.fixture
def draft(personas):
    return build_draft(personas)


def build_world(personas) -> SimpleNamespace:
    """The draft plus one object for every action the permission tables check."""
    import datetime as dt

    from django.utils import timezone

    from roundtable.drafting.models import Paragraph

    world = build_draft(personas)
    secretariat, chair = personas.secretariat, personas.chair
    world.gov_amendment = services.amendment_propose(
        actor=world.gov,
        document=world.document,
        kind="replace",
        paragraph=world.second,
        base_version=1,
        text="Internet governance is shared work.",
        rationale="Shorter.",
    )
    world.member_amendment = services.amendment_propose(
        actor=personas.member,
        document=world.document,
        kind="replace",
        paragraph=world.first,
        base_version=1,
        text="The group met five times.",
        rationale="Count again.",
    )
    services.alternatives_set(
        actor=secretariat,
        paragraph=world.recommendation,
        base_version=1,
        lead="",
        options=["Create a forum.", "Strengthen existing bodies."],
    )
    world.ad_referendum = services.paragraph_create(
        actor=secretariat, section=world.intro, text="Governments set public policy."
    )
    services.consensus_call(
        actor=chair,
        document=world.document,
        paragraph=world.ad_referendum,
        finding="consensus",
        ad_referendum=[personas.memberships.member],
    )
    world.silent = services.paragraph_create(
        actor=secretariat, section=world.oversight, text="An observatory reports each year."
    )
    world.silence = services.silence_start(
        actor=chair,
        document=world.document,
        paragraph=world.silent,
        deadline=timezone.now() + dt.timedelta(days=3),
    )
    world.private = services.document_create(
        actor=secretariat,
        process=personas.process,
        title="Members' notes",
        visibility="participants",
    )
    world.final = services.document_create(
        actor=secretariat, process=personas.process, title="Working definition"
    )
    section = services.section_create(actor=secretariat, document=world.final, title="Definition")
    agreed = services.paragraph_create(actor=secretariat, section=section, text="A definition.")
    services.consensus_call(
        actor=chair, document=world.final, paragraph=agreed, finding="consensus"
    )
    for name in ("first", "second", "recommendation", "ad_referendum", "silent"):
        setattr(world, name, Paragraph.objects.get(pk=getattr(world, name).pk))
    for name in ("document", "private", "final"):
        getattr(world, name).refresh_from_db()
    return world


@pytest.fixture
def world(personas):
    return build_world(personas)
