"""Rating and ranking, the results (raw and balanced), and the agenda share."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from roundtable.core.forms import apply_validation_error

from .. import conf, policy, selectors, services
from ..forms import RankingForm, RatingSheetForm
from ..selectors import Method
from .common import csv_response, process_for, require


def rate(request: HttpRequest, slug: str) -> HttpResponse:
    """The rating sheet: every issue on the list, one submit."""
    process = process_for(request, slug)
    require(policy.can_rate_issues(request.user, process))
    issues = list(selectors.active_issues(process=process).select_related("cluster"))
    issues.sort(
        key=lambda i: (
            i.cluster is None,
            i.cluster.position if i.cluster else 0,
            i.cluster_id or 0,
            i.pk,
        )
    )
    mine = selectors.my_ratings(process=process, person=request.user)
    form = RatingSheetForm(
        request.POST or None,
        issues=issues,
        initial={f"issue_{pk}": str(score) for pk, score in mine.items()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.ratings_set_many(
                actor=request.user, process=process, scores=form.scores()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Your ratings were saved (%(set)d changed, %(cleared)d removed).") % counts,
            )
            return redirect("agenda:rate", slug=process.slug)
    sections: list[tuple[object, list]] = []
    for issue in issues:
        field = form[f"issue_{issue.pk}"]
        if not sections or sections[-1][0] != issue.cluster:
            sections.append((issue.cluster, []))
        sections[-1][1].append((issue, field))
    return render(
        request,
        "agenda/rate.html",
        {
            "process": process,
            "form": form,
            "sections": sections,
            "rated": len(mine),
            "scale_max": conf.rating_scale_max(),
            "nav_current": "priorities",
        },
        status=400 if form.errors else 200,
    )


def rank(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_rate_issues(request.user, process))
    issues = list(selectors.active_issues(process=process))
    mine = selectors.my_ranking(process=process, person=request.user)
    form = RankingForm(
        request.POST or None,
        issues=issues,
        initial={f"place_{place}": str(pk) for place, pk in enumerate(mine, start=1)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ranking_set(actor=request.user, process=process, issue_ids=form.issue_ids())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your ranking was saved."))
            return redirect("agenda:rank", slug=process.slug)
    return render(
        request,
        "agenda/rank.html",
        {
            "process": process,
            "form": form,
            "ranked": len(mine),
            "max_ranked": conf.max_ranked(),
            "nav_current": "priorities",
        },
        status=400 if form.errors else 200,
    )


def _method(request: HttpRequest) -> str:
    method = request.GET.get("method") or Method.RATINGS
    return method if method in Method.ALL else Method.RATINGS


def priorities(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_view_results(request.user, process))
    view = selectors.priority_results(process=process, method=_method(request))
    return render(
        request,
        "agenda/priorities.html",
        {
            "process": process,
            "view": view,
            "disagreements": [
                {
                    "row": row,
                    "high": view.group_name(row.result.highest_group),
                    "low": view.group_name(row.result.lowest_group),
                }
                for row in view.disagreements()
            ],
            "top": view.rows[0] if view.rows and view.rows[0].result.rank == 1 else None,
            "raw_top": (view.raw_rows or [None])[0],
            "can_rate": policy.can_rate_issues(request.user, process),
            "methods": [(Method.RATINGS, _("Ratings")), (Method.RANKINGS, _("Rankings"))],
            "nav_current": "priorities",
        },
    )


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def priorities_csv(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_export(request.user, process))
    view = selectors.priority_results(process=process, method=_method(request))
    header = [
        "balanced_rank",
        "raw_rank",
        "number",
        "title",
        "cluster",
        "balanced",
        "raw",
        "votes",
        "group_coverage",
        "enough_coverage",
        "spread",
        *[f"group:{group.slug}" for group in view.groups],
        *[f"region:{region.slug}" for region in view.regions],
        "balanced_by_region",
    ]

    def rows():
        for row in view.rows:
            result = row.result
            yield [
                result.rank or "",
                result.raw_rank or "",
                row.issue.pk,
                row.issue.title,
                row.issue.cluster.title if row.issue.cluster else "",
                _fmt(view.display(result.balanced)),
                _fmt(view.display(result.raw)),
                result.count,
                f"{result.coverage:.2f}",
                "yes" if result.enough_coverage else "no",
                _fmt(view.display(result.spread)),
                *[_fmt(view.display(cell.mean) if cell else None) for cell in row.group_cells],
                *[_fmt(view.display(cell.mean) if cell else None) for cell in row.region_cells],
                _fmt(view.display(result.balanced_by_region)),
            ]

    return csv_response(f"{process.slug}-priorities-{view.method}.csv", header, rows())


def kind_label(kind: str) -> str:
    labels = {
        "agenda_minutes": _("Session agenda time"),
        "messages": _("Discussion messages"),
        "paragraphs": _("Draft paragraphs"),
        "overall": _("Attention overall"),
    }
    return labels.get(kind, kind)


def agenda_share(request: HttpRequest, slug: str) -> HttpResponse:
    process = process_for(request, slug)
    require(policy.can_view_agenda_share(request.user, process))
    share_view = selectors.agenda_share_report(process=process)
    report = share_view.report
    rows = []
    for row in report.rows:
        rows.append(
            {
                "row": row,
                "cluster": share_view.cluster(row.cluster),
                "cells": [
                    (row.attention_share.get(kind, 0.0), row.attention.get(kind, 0.0))
                    for kind in report.kinds
                ],
                "dominant_in": [kind_label(kind) for kind in row.dominant_in],
            }
        )
    chart = _chart(rows, report.kinds)
    return render(
        request,
        "agenda/share.html",
        {
            "process": process,
            "share": share_view,
            "report": report,
            "rows": rows,
            "kinds": [(kind, kind_label(kind)) for kind in report.kinds],
            "chart": chart,
            "nav_current": "priorities",
        },
    )


def _chart(rows: list[dict], kinds: list[str]) -> dict:
    """Geometry for paired bars: priority share against overall attention share."""
    width, label_width, bar, gap = 640, 220, 14, 12
    scale = width - label_width - 70
    bars = []
    for index, item in enumerate(rows):
        row = item["row"]
        y = index * (2 * bar + gap) + 4
        attention = row.overall_share or 0.0
        bars.append(
            {
                "y": y,
                "label": item["cluster"].title if item["cluster"] else str(row.cluster),
                "priority_width": round(row.priority_share * scale, 1),
                "attention_width": round(attention * scale, 1),
                "priority": row.priority_share,
                "attention": attention,
                "flag": row.dominant,
                "crowded": row.crowded_out,
            }
        )
    return {
        "width": width,
        "height": len(rows) * (2 * bar + gap) + 8,
        "bar": bar,
        "label_width": label_width,
        "bars": bars,
        "has_attention": bool(kinds),
    }
