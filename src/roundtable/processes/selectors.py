"""Reads about processes: what a person can see, the directory, and balance."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.analysis.balance import BreachKind, Target, check_targets, empty_cells
from roundtable.people.models import DevelopmentStatus, Region, StakeholderGroup

from .models import Access, CompositionTarget, Dimension, Membership, Process, Role
from .roles import is_authenticated, is_site_admin

# Balance is measured on the members: the chair, the secretariat (neutral by
# design) and observers are shown in the directory but not counted.
BALANCE_ROLES = (Role.MEMBER,)


def processes_visible_to(*, person: Any) -> QuerySet[Process]:
    processes = Process.objects.all()
    if is_site_admin(person):
        return processes
    condition = Q(access=Access.PUBLIC)
    if is_authenticated(person):
        condition |= Q(memberships__person_id=person.pk)
    return processes.filter(condition).distinct()


def current_memberships(*, process: Process) -> QuerySet[Membership]:
    today = timezone.localdate()
    return (
        Membership.objects.filter(process=process)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person", "stakeholder_group", "region", "organisation")
    )


def stakeholder_group_sizes(*, process: Process) -> dict[int, int]:
    """Current members per stakeholder group id, in one query.

    ``attribute`` counts these itself (one query per call) for the Chatham
    House small-group rule; callers naming many people pass them as ``peers``.
    """
    sizes = stakeholder_group_sizes_by_process(process_ids=[process.pk])
    return {group_id: count for (_process_id, group_id), count in sizes.items()}


def stakeholder_group_sizes_by_process(*, process_ids: Iterable[int]) -> dict[tuple[int, int], int]:
    """Current members per (process, stakeholder group), in one query for all."""
    today = timezone.localdate()
    rows = (
        Membership.objects.filter(process_id__in=list(process_ids), stakeholder_group__isnull=False)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by()
        .values("process_id", "stakeholder_group_id")
        .annotate(count=Count("pk"))
    )
    return {(row["process_id"], row["stakeholder_group_id"]): row["count"] for row in rows}


def member_directory(
    *,
    process: Process,
    stakeholder_group: str | None = None,
    region: str | None = None,
    role: str | None = None,
) -> QuerySet[Membership]:
    memberships = current_memberships(process=process)
    if stakeholder_group:
        memberships = memberships.filter(stakeholder_group__slug=stakeholder_group)
    if region:
        memberships = memberships.filter(region__slug=region)
    if role:
        memberships = memberships.filter(role=role)
    return memberships.order_by("person__name")


@dataclass
class MemberGroup:
    stakeholder_group: StakeholderGroup | None
    by_region: list[tuple[Region | None, list[Membership]]]

    @property
    def count(self) -> int:
        return sum(len(members) for _region, members in self.by_region)


def members_grouped(*, process: Process) -> dict[str, Any]:
    """Members by stakeholder group, then region; the other roles listed apart."""
    memberships = list(current_memberships(process=process).order_by("person__name"))
    groups = list(StakeholderGroup.objects.all())
    regions = list(Region.objects.all())
    members = [m for m in memberships if m.role == Role.MEMBER]
    grouped = []
    for group in [*groups, None]:
        in_group = [m for m in members if m.stakeholder_group_id == (group.pk if group else None)]
        if not in_group:
            continue
        by_region = []
        for region in [*regions, None]:
            in_region = [m for m in in_group if m.region_id == (region.pk if region else None)]
            if in_region:
                by_region.append((region, in_region))
        grouped.append(MemberGroup(group, by_region))
    return {
        "member_groups": grouped,
        "chairs": [m for m in memberships if m.role == Role.CHAIR],
        "secretariat": [m for m in memberships if m.role == Role.SECRETARIAT],
        "observers": [m for m in memberships if m.role == Role.OBSERVER],
        "member_count": len(members),
    }


@dataclass
class TargetStatus:
    target: CompositionTarget
    count: int
    share: float
    met: bool


@dataclass
class Balance:
    process: Process
    groups: list[StakeholderGroup]
    regions: list[Region]
    total: int
    cells: dict[tuple[int | None, int | None], int]
    group_counts: dict[int | None, int]
    region_counts: dict[int | None, int]
    development_counts: dict[str, int]
    targets: list[TargetStatus] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def group_share(self, group_id: int | None) -> float:
        return self.group_counts.get(group_id, 0) / self.total if self.total else 0.0

    def region_share(self, region_id: int | None) -> float:
        return self.region_counts.get(region_id, 0) / self.total if self.total else 0.0

    @property
    def rows(self) -> list[dict[str, Any]]:
        rows = []
        for group in self.groups:
            rows.append(
                {
                    "group": group,
                    "cells": [self.cells.get((group.pk, region.pk), 0) for region in self.regions],
                    "unassigned_region": self.cells.get((group.pk, None), 0),
                    "count": self.group_counts.get(group.pk, 0),
                    "share": self.group_share(group.pk),
                }
            )
        return rows

    @property
    def unassigned(self) -> int:
        return sum(count for (g, r), count in self.cells.items() if g is None or r is None)

    @property
    def development(self) -> list[dict[str, Any]]:
        counts = self.development_counts
        return [
            {
                "status": status,
                "label": status.label,
                "count": counts.get(status.value, 0),
                "share": counts.get(status.value, 0) / self.total if self.total else 0.0,
            }
            for status in DevelopmentStatus
        ]

    def chart(self, width: int = 760, bar_height: int = 26, label_width: int = 260) -> dict:
        """Geometry for the stacked-bar SVG: one bar per group, a segment per region."""
        palette = ["#1b6ca8", "#e0a526", "#3a9a5b", "#b8433a", "#7a4fa3", "#6b6b6b"]
        scale_width = width - label_width - 60
        largest = max(self.group_counts.values(), default=0) or 1
        bars = []
        for index, row in enumerate(self.rows):
            x = label_width
            segments = []
            for region_index, (region, count) in enumerate(
                zip(self.regions, row["cells"], strict=True)
            ):
                if not count:
                    continue
                segment_width = count / largest * scale_width
                segments.append(
                    {
                        "x": round(x, 1),
                        "width": round(segment_width, 1),
                        "colour": palette[region_index % len(palette)],
                        "label": f"{region.display_name}: {count}",
                    }
                )
                x += segment_width
            if row["unassigned_region"]:
                segment_width = row["unassigned_region"] / largest * scale_width
                segments.append(
                    {
                        "x": round(x, 1),
                        "width": round(segment_width, 1),
                        "colour": palette[-1],
                        "label": _("region not recorded: %(count)d")
                        % {"count": row["unassigned_region"]},
                    }
                )
                x += segment_width
            bars.append(
                {
                    "y": index * (bar_height + 8) + 4,
                    "label": row["group"].display_name,
                    "count": row["count"],
                    "share": row["share"],
                    "end": round(x + 6, 1),
                    "segments": segments,
                }
            )
        legend = [
            {"label": region.display_name, "colour": palette[i % len(palette)]}
            for i, region in enumerate(self.regions)
        ]
        return {
            "width": width,
            "height": len(bars) * (bar_height + 8) + 8,
            "bar_height": bar_height,
            "label_width": label_width,
            "text_y": bar_height // 2 + 5,
            "bars": bars,
            "legend": legend,
        }

    def as_dict(self) -> dict[str, Any]:
        """The API's shape: plain categories by slug."""
        group_slugs = {g.pk: g.slug for g in self.groups}
        region_slugs = {r.pk: r.slug for r in self.regions}
        return {
            "process": self.process.slug,
            "total_members": self.total,
            "stakeholder_groups": [
                {
                    "slug": g.slug,
                    "name": g.display_name,
                    "count": self.group_counts.get(g.pk, 0),
                    "share": round(self.group_share(g.pk), 4),
                }
                for g in self.groups
            ],
            "regions": [
                {
                    "slug": r.slug,
                    "name": r.display_name,
                    "count": self.region_counts.get(r.pk, 0),
                    "share": round(self.region_share(r.pk), 4),
                }
                for r in self.regions
            ],
            "development": [
                {"status": d["status"].value, "count": d["count"], "share": round(d["share"], 4)}
                for d in self.development
            ],
            "cells": [
                {
                    "stakeholder_group": group_slugs.get(g),
                    "region": region_slugs.get(r),
                    "count": count,
                }
                for (g, r), count in sorted(
                    self.cells.items(), key=lambda item: (str(item[0][0]), str(item[0][1]))
                )
            ],
            "targets": [
                {
                    "dimension": t.target.dimension,
                    "category": t.target.category_label,
                    "min_percent": t.target.min_percent,
                    "max_percent": t.target.max_percent,
                    "min_count": t.target.min_count,
                    "max_count": t.target.max_count,
                    "count": t.count,
                    "share": round(t.share, 4),
                    "met": t.met,
                }
                for t in self.targets
            ],
            "gaps": self.gaps,
            "missing_constituencies": self.missing,
        }


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


def _target_key(target: CompositionTarget) -> tuple[str, Any]:
    if target.dimension == Dimension.STAKEHOLDER_GROUP:
        return (Dimension.STAKEHOLDER_GROUP, target.stakeholder_group_id)
    if target.dimension == Dimension.REGION:
        return (Dimension.REGION, target.region_id)
    return (Dimension.DEVELOPMENT_STATUS, target.development_status)


def _breach_sentence(label: str, kind: BreachKind, count: int, share: float, limit: float) -> str:
    values = {"category": label, "share": _percent(share), "count": count}
    if kind == BreachKind.ABOVE_MAX_SHARE:
        return _("%(category)s share %(share)s > target %(limit)s") % {
            **values,
            "limit": _percent(limit),
        }
    if kind == BreachKind.BELOW_MIN_SHARE:
        return _("%(category)s share %(share)s < target %(limit)s") % {
            **values,
            "limit": _percent(limit),
        }
    if kind == BreachKind.BELOW_MIN_COUNT:
        return _("%(category)s: %(count)d members < minimum %(limit)d") % {
            **values,
            "limit": int(limit),
        }
    return _("%(category)s: %(count)d members > maximum %(limit)d") % {
        **values,
        "limit": int(limit),
    }


def process_balance(*, process: Process) -> Balance:
    """Counts and shares by stakeholder group x region, targets and gaps in words."""
    groups = list(StakeholderGroup.objects.all())
    regions = list(Region.objects.all())
    rows = current_memberships(process=process).filter(role__in=BALANCE_ROLES)
    cells: Counter[tuple[int | None, int | None]] = Counter()
    development: Counter[str] = Counter()
    for group_id, region_id, status in rows.values_list(
        "stakeholder_group_id", "region_id", "development_status"
    ):
        cells[(group_id, region_id)] += 1
        if status:
            development[status] += 1
    group_counts: Counter[int | None] = Counter()
    region_counts: Counter[int | None] = Counter()
    for (group_id, region_id), count in cells.items():
        group_counts[group_id] += count
        region_counts[region_id] += count
    total = sum(cells.values())
    balance = Balance(
        process=process,
        groups=groups,
        regions=regions,
        total=total,
        cells=dict(cells),
        group_counts=dict(group_counts),
        region_counts=dict(region_counts),
        development_counts=dict(development),
    )

    # Targets, judged by the shared balance maths.
    targets = list(
        process.composition_targets.select_related("stakeholder_group", "region").order_by(
            "dimension", "pk"
        )
    )
    counts_by_key: dict[tuple[str, Any], int] = {}
    for group_id, count in group_counts.items():
        counts_by_key[(Dimension.STAKEHOLDER_GROUP, group_id)] = count
    for region_id, count in region_counts.items():
        counts_by_key[(Dimension.REGION, region_id)] = count
    for status, count in development.items():
        counts_by_key[(Dimension.DEVELOPMENT_STATUS, status)] = count
    for target in targets:
        key = _target_key(target)
        dimension_total = sum(v for k, v in counts_by_key.items() if k[0] == key[0])
        count = counts_by_key.get(key, 0)
        dimension_counts = {k: v for k, v in counts_by_key.items() if k[0] == key[0]}
        # Development status is only known for some members: shares are of those.
        breaches = check_targets(
            dimension_counts,
            [
                Target(
                    key=key,
                    min_share=target.min_percent / 100 if target.min_percent is not None else None,
                    max_share=target.max_percent / 100 if target.max_percent is not None else None,
                    min_count=target.min_count,
                    max_count=target.max_count,
                )
            ],
        )
        share = count / dimension_total if dimension_total else 0.0
        balance.targets.append(TargetStatus(target, count, share, met=not breaches))
        for breach in breaches:
            balance.gaps.append(
                _breach_sentence(
                    target.category_label, breach.kind, breach.count, breach.share, breach.limit
                )
            )

    # Missing constituencies: whole groups or regions absent, then empty cells.
    if total:
        absent_groups = {g.pk for g in groups if not group_counts.get(g.pk)}
        absent_regions = {r.pk for r in regions if not region_counts.get(r.pk)}
        for group in groups:
            if group.pk in absent_groups:
                balance.missing.append(
                    _("No %(group)s member at all") % {"group": group.display_name}
                )
        for region in regions:
            if region.pk in absent_regions:
                balance.missing.append(
                    _("No member from %(region)s") % {"region": region.display_name}
                )
        present_groups = [g for g in groups if g.pk not in absent_groups]
        present_regions = [r for r in regions if r.pk not in absent_regions]
        by_pk_group = {g.pk: g for g in groups}
        by_pk_region = {r.pk: r for r in regions}
        for group_id, region_id in empty_cells(
            cells, [g.pk for g in present_groups], [r.pk for r in present_regions]
        ):
            balance.missing.append(
                _("No %(group)s member from %(region)s")
                % {
                    "group": by_pk_group[group_id].display_name,
                    "region": by_pk_region[region_id].display_name,
                }
            )
    return balance


def invitations_for(*, process: Process) -> QuerySet:
    return process.invitations.select_related(
        "stakeholder_group", "region", "invited_by", "accepted_by"
    ).order_by("-created_at")
