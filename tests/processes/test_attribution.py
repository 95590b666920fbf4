"""The one function that names speakers: Chatham House hides identity and affiliation."""

from __future__ import annotations

import pytest

from roundtable.processes.attribution import attribute
from roundtable.processes.models import AttributionRule
from tests.factories import MembershipFactory, OrganisationFactory, group

pytestmark = pytest.mark.django_db


def test_attributed_names_person_and_organisation(personas):
    result = attribute(
        process=personas.process,
        rule=AttributionRule.ATTRIBUTED,
        membership=personas.memberships.member,
    )
    assert result.label == "Mina Member (Open Networks Trust)"
    assert result.person_id == personas.member.pk
    assert result.as_dict()["organisation"] == "Open Networks Trust"


def test_chatham_house_reveals_neither_identity_nor_affiliation(personas):
    result = attribute(
        process=personas.process,
        rule=AttributionRule.CHATHAM_HOUSE,
        membership=personas.memberships.member,
    )
    assert result.label == "A participant (Civil society)"
    assert result.anonymous
    assert (result.person_id, result.name, result.organisation) == (None, None, None)
    data = result.as_dict()
    assert set(data) == {"label", "name", "organisation", "stakeholder_group", "anonymous"}
    assert "Mina" not in str(data) and "Open Networks" not in str(data)


def test_the_process_may_hide_the_stakeholder_group_too(personas):
    personas.process.chatham_house_shows_stakeholder_group = False
    personas.process.save()
    result = attribute(
        process=personas.process, rule=AttributionRule.CHATHAM_HOUSE, person=personas.member
    )
    assert result.label == "A participant"
    assert result.stakeholder_group is None


@pytest.mark.parametrize(("others", "shown"), [(0, False), (1, False), (2, True)])
def test_a_group_too_small_to_hide_in_is_not_shown(settings, personas, others, shown):
    """With the default threshold of 3, a group of one or two would point at its speaker."""
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "CHATHAM_HOUSE_MIN_GROUP": 3}
    for _ in range(others):
        MembershipFactory(process=personas.process, stakeholder_group=group("civil-society"))
    result = attribute(
        process=personas.process,
        rule=AttributionRule.CHATHAM_HOUSE,
        membership=personas.memberships.member,
    )
    assert (result.label == "A participant (Civil society)") is shown
    assert (result.label == "A participant") is (not shown)


def test_peers_in_the_room_decide_when_given(settings, personas):
    settings.ROUNDTABLE = {**settings.ROUNDTABLE, "CHATHAM_HOUSE_MIN_GROUP": 3}
    membership = personas.memberships.member
    rule = AttributionRule.CHATHAM_HOUSE
    assert (
        attribute(process=personas.process, rule=rule, membership=membership, peers=1).label
        == "A participant"
    )
    assert (
        attribute(process=personas.process, rule=rule, membership=membership, peers=5).label
        == "A participant (Civil society)"
    )


def test_public_speaker_without_account(personas):
    org = OrganisationFactory(name="Village Wi-Fi")
    attributed = attribute(
        process=personas.process,
        rule=AttributionRule.ATTRIBUTED,
        name="Ana Citizen",
        organisation=org.name,
    )
    assert attributed.label == "Ana Citizen (Village Wi-Fi)"
    hidden = attribute(
        process=personas.process,
        rule=AttributionRule.CHATHAM_HOUSE,
        name="Ana Citizen",
        organisation=org.name,
        stakeholder_group=group("civil-society"),
        peers=10,
    )
    assert hidden.label == "A participant (Civil society)" and "Ana" not in str(hidden.as_dict())
