"""Counts and shares by stakeholder group x region, targets and gaps in words."""

from __future__ import annotations

import pytest

from roundtable.processes import services
from roundtable.processes.models import Role
from roundtable.processes.selectors import process_balance
from tests.factories import MembershipFactory, group, region

pytestmark = pytest.mark.django_db


def add_members(process, spec):
    for group_slug, region_slug, count, status in spec:
        for _ in range(count):
            MembershipFactory(
                process=process,
                stakeholder_group=group(group_slug),
                region=region(region_slug),
                development_status=status,
            )


def test_counts_cells_totals_and_shares(personas):
    process = personas.process
    # personas already hold one member: civil society, Africa (no development status)
    add_members(
        process,
        [
            ("government", "weog", 4, "developed"),
            ("government", "africa", 2, "developing"),
            ("academia", "asia-pacific", 3, "developing"),
        ],
    )
    balance = process_balance(process=process)
    gov, civ, aca = group("government"), group("civil-society"), group("academia")
    assert balance.total == 10
    assert balance.cells[(gov.pk, region("weog").pk)] == 4
    assert balance.cells[(gov.pk, region("africa").pk)] == 2
    assert balance.group_counts == {gov.pk: 6, civ.pk: 1, aca.pk: 3}
    assert balance.group_share(gov.pk) == pytest.approx(0.6)
    assert balance.region_counts[region("africa").pk] == 3
    assert balance.development_counts == {"developed": 4, "developing": 5}
    data = balance.as_dict()
    assert data["total_members"] == 10
    by_slug = {g["slug"]: g for g in data["stakeholder_groups"]}
    assert by_slug["government"] == {
        "slug": "government",
        "name": "Government",
        "count": 6,
        "share": 0.6,
    }


def test_only_current_members_are_counted(personas):
    import datetime as dt

    add_members(personas.process, [("government", "weog", 2, "")])
    ended = MembershipFactory(process=personas.process, stakeholder_group=group("academia"))
    ended.end_date = dt.date(2026, 1, 2)
    ended.save()
    balance = process_balance(process=personas.process)
    # chair, secretariat and observer are not counted; the ended member neither
    assert balance.total == 3


def test_gaps_in_words(personas):
    process = personas.process
    add_members(process, [("government", "weog", 9, ""), ("technical-community", "weog", 1, "")])
    for category, limits in [("government", {"max_percent": 30}), ("academia", {"min_count": 2})]:
        services.composition_target_set(
            actor=personas.secretariat,
            process=process,
            dimension="stakeholder_group",
            category=category,
            **limits,
        )
    services.composition_target_set(
        actor=personas.secretariat,
        process=process,
        dimension="region",
        category="africa",
        min_percent=25,
    )
    balance = process_balance(process=process)
    assert "Government share 82% > target 30%" in balance.gaps
    assert "Academia: 0 members < minimum 2" in balance.gaps
    assert "African States share 9% < target 25%" in balance.gaps
    assert "No Technical community member from African States" in balance.missing
    assert "No Academia member at all" in balance.missing
    assert "No member from Asia-Pacific States" in balance.missing
    # A group absent everywhere is said once, not once per region.
    assert not any("Academia member from" in line for line in balance.missing)
    met = {t.target.category_label: t.met for t in balance.targets}
    assert met == {"Government": False, "Academia": False, "African States": False}


def test_targets_met_produce_no_gap(personas):
    services.composition_target_set(
        actor=personas.secretariat,
        process=personas.process,
        dimension="stakeholder_group",
        category="civil-society",
        min_percent=50,
    )
    balance = process_balance(process=personas.process)
    assert balance.gaps == []
    assert balance.targets[0].met


def test_empty_process_has_no_share_gaps(personas):
    personas.memberships.member.role = Role.OBSERVER
    personas.memberships.member.save()
    services.composition_target_set(
        actor=personas.secretariat,
        process=personas.process,
        dimension="region",
        category="africa",
        min_percent=10,
    )
    balance = process_balance(process=personas.process)
    assert balance.total == 0
    assert balance.gaps == [] and balance.missing == []


def test_chart_geometry_matches_counts(personas):
    add_members(personas.process, [("government", "weog", 2, ""), ("government", "africa", 2, "")])
    chart = process_balance(process=personas.process).chart()
    bars = {bar["label"]: bar for bar in chart["bars"]}
    government = bars["Government"]
    assert government["count"] == 4
    assert len(government["segments"]) == 2
    # the largest group spans the whole scale; a segment of half of it is half as wide
    widths = [s["width"] for s in government["segments"]]
    assert widths[0] == pytest.approx(widths[1])
    assert bars["Civil society"]["segments"][0]["width"] == pytest.approx(widths[0] / 2, abs=0.2)
