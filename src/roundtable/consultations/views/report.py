"""The disposition report (HTML, CSV, XLSX), public once the call closes; the contact export."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from roundtable.audit.services import audit_record

from .. import exports, policy, selectors
from .common import call_for, require


def _filename(call, extension: str) -> str:
    return f"{call.process.slug}-call-{call.pk}-dispositions.{extension}"


def report(request: HttpRequest, slug: str, call_id: int) -> HttpResponse:
    call = call_for(request, slug, call_id)
    require(policy.can_view_report(request.user, call))
    rows = selectors.report_rows(call)
    return render(
        request,
        "consultations/report.html",
        {
            "process": call.process,
            "call": call,
            "rows": rows,
            "counts": selectors.call_counts(call),
            "totals": selectors.outcome_totals(rows),
            "preview": not call.is_closed,
            "nav_current": "consultations",
        },
    )


def report_csv(request: HttpRequest, slug: str, call_id: int) -> HttpResponse:
    call = call_for(request, slug, call_id)
    require(policy.can_view_report(request.user, call))
    response = HttpResponse(
        exports.report_csv(selectors.report_rows(call)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(call, "csv")}"'
    return response


def report_xlsx(request: HttpRequest, slug: str, call_id: int) -> HttpResponse:
    call = call_for(request, slug, call_id)
    require(policy.can_view_report(request.user, call))
    response = HttpResponse(
        exports.report_xlsx(call, selectors.report_rows(call)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(call, "xlsx")}"'
    return response


def contact_export(request: HttpRequest, slug: str, call_id: int) -> HttpResponse:
    """Private data (e-mail addresses): the secretariat only, and every export is audited."""
    call = call_for(request, slug, call_id)
    require(policy.can_export_contact_data(request.user, call))
    submissions = call.submissions.select_related("stakeholder_group", "region").order_by("number")
    audit_record(
        actor=request.user,
        action="call.contact_data_exported",
        obj=call,
        process=call.process,
        data={"rows": call.received_count},
    )
    response = HttpResponse(
        exports.contact_csv(submissions), content_type="text/csv; charset=utf-8"
    )
    name = slugify(f"{call.process.slug}-call-{call.pk}-contacts")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
