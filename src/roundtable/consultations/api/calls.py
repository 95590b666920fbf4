import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema, Status

from roundtable.audit.services import audit_record

from .. import exports, policy, selectors, services
from ..models import Publication
from .common import CallOut, call_for, call_out, process_for, require, router


class QuestionIn(Schema):
    text: str
    required: bool = False


class CallIn(Schema):
    title: str
    description: str
    opens_at: dt.datetime = Field(description="ISO 8601; without an offset, in `time_zone`")
    closes_at: dt.datetime
    time_zone: str = "UTC"
    languages: list[str] = Field(default_factory=lambda: ["en"])
    publication: Publication = Publication.AUTHOR_CHOICE
    moderation_rules: str = ""
    questions: list[QuestionIn] = Field(default_factory=list)
    target_type: str = Field(
        "",
        description=(
            "agenda.cluster, agenda.policyissue, drafting.document or drafting.paragraph; "
            "empty for the whole process"
        ),
    )
    target_id: int | None = None
    publish: bool = False


class CallPatch(Schema):
    title: str | None = None
    description: str | None = None
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None
    time_zone: str | None = None
    languages: list[str] | None = None
    publication: Publication | None = None
    moderation_rules: str | None = None
    questions: list[QuestionIn] | None = None
    target_type: str | None = None
    target_id: int | None = None


@router.get("/processes/{slug}/calls", response=list[CallOut], summary="Calls for input")
def list_calls(request: HttpRequest, slug: str) -> Any:
    process = process_for(request, slug)
    require(policy.can_list_calls(request.user, process))
    return [call_out(call) for call in selectors.calls_for(person=request.user, process=process)]


@router.post(
    "/processes/{slug}/calls", response={201: CallOut}, summary="Create a call (secretariat)"
)
def create_call(request: HttpRequest, slug: str, payload: CallIn) -> Any:
    process = process_for(request, slug)
    require(policy.can_create_call(request.user, process))
    data = payload.dict()
    call = services.call_create(
        actor=request.user,
        process=process,
        title=data["title"],
        description=data["description"],
        opens_at=data["opens_at"],
        closes_at=data["closes_at"],
        time_zone=data["time_zone"],
        languages=data["languages"],
        publication=data["publication"],
        moderation_rules=data["moderation_rules"],
        questions=data["questions"],
        target_label=data["target_type"],
        target_id=data["target_id"],
        publish=data["publish"],
    )
    return Status(201, call_out(call, counts=True))


@router.get("/processes/{slug}/calls/{call_id}", response=CallOut)
def get_call(request: HttpRequest, slug: str, call_id: int) -> Any:
    return call_out(call_for(request, slug, call_id), counts=True)


@router.patch(
    "/processes/{slug}/calls/{call_id}",
    response=CallOut,
    summary="Change a call; once open only closes_at may move, and only later",
)
def patch_call(request: HttpRequest, slug: str, call_id: int, payload: CallPatch) -> Any:
    call = call_for(request, slug, call_id)
    require(policy.can_edit_call(request.user, call))
    changes = payload.dict(exclude_unset=True)
    if "target_type" in changes or "target_id" in changes:
        changes["target"] = (changes.pop("target_type", "") or "", changes.pop("target_id", None))
    call = services.call_update(actor=request.user, call=call, **changes)
    return call_out(call, counts=True)


@router.post("/processes/{slug}/calls/{call_id}/announce", response=CallOut)
def announce_call(request: HttpRequest, slug: str, call_id: int) -> Any:
    call = call_for(request, slug, call_id)
    require(policy.can_edit_call(request.user, call))
    return call_out(services.call_publish(actor=request.user, call=call), counts=True)


@router.get(
    "/processes/{slug}/calls/{call_id}/report",
    summary="The disposition report: JSON, or format=csv|xlsx",
)
def get_report(request: HttpRequest, slug: str, call_id: int, format: str = "json") -> Any:
    call = call_for(request, slug, call_id)
    require(policy.can_view_report(request.user, call))
    rows = selectors.report_rows(call)
    name = f"{call.process.slug}-call-{call.pk}-dispositions"
    if format == "csv":
        response = HttpResponse(exports.report_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if format == "xlsx":
        response = HttpResponse(
            exports.report_xlsx(call, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    counts = selectors.call_counts(call)
    return {
        "call": call_out(call),
        "closed": call.is_closed,
        "counts": {**counts.__dict__, "progress": counts.progress},
        "rows": [row.as_dict() for row in rows],
    }


@router.get(
    "/processes/{slug}/calls/{call_id}/analysis",
    summary="Campaign groups and themes (last good result) and the state of the runs",
)
def get_analysis(request: HttpRequest, slug: str, call_id: int) -> dict[str, Any]:
    call = call_for(request, slug, call_id)
    require(policy.can_view_analysis(request.user, call))
    state = selectors.analysis_of(call)
    return {
        "result": state.result if state else None,
        "computed_at": state.computed_at if state else None,
        "rows": state.rows if state else 0,
        "stale": bool(state and state.requested_at),
        "last_run_failed": bool(state and state.last_run_failed),
        "failed_at": state.failed_at if state else None,
        "error": (state.error[:300] if state and state.last_run_failed else ""),
    }


@router.get(
    "/processes/{slug}/calls/{call_id}/contacts",
    summary="Every submission with contact details, as CSV (secretariat; audited)",
)
def get_contacts(request: HttpRequest, slug: str, call_id: int) -> Any:
    call = call_for(request, slug, call_id)
    if not policy.can_export_contact_data(request.user, call):
        raise PermissionDenied
    audit_record(
        actor=request.user,
        action="call.contact_data_exported",
        obj=call,
        process=call.process,
        data={"rows": call.received_count, "via": "api"},
    )
    submissions = call.submissions.select_related("stakeholder_group", "region").order_by("number")
    response = HttpResponse(
        exports.contact_csv(submissions), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{call.process.slug}-call-{call.pk}-contacts.csv"'
    )
    return response
