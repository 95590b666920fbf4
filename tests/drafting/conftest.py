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
