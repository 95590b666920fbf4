"""The meetings API: sessions, agendas, registration, attendance, the floor, minutes, observers.

Speakers appear only as ``speaker`` objects made by the attribution
function: ``{"label", "name", "organisation", "stakeholder_group",
"anonymous"}``. Under the Chatham House Rule ``name`` and ``organisation``
are null (the keys stay, so nothing hints at what was hidden) and no person
id is given. Names appear only on the live floor for the chair and
secretariat, and in the secretariat's draft of the minutes.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from roundtable.people.models import Person

from . import ics, policy, selectors, services
from .models import (
    AgendaItem,
    AttendanceMode,
    FloorRequest,
    ObserverApplication,
    Session,
    SessionFormat,
    SessionKind,
    Statement,
)

router = Router(tags=["meetings"])

PATH = "/processes/{slug}/sessions/{session_id}"


def _process(request: HttpRequest, slug: str) -> Any:
    from roundtable.processes.api import process_for

    return process_for(request, slug)


def _session(request: HttpRequest, slug: str, session_id: int) -> Session:
    process = _process(request, slug)
    session = get_object_or_404(
        Session.objects.select_related("process", "room", "current_agenda_item"),
        pk=session_id,
        process=process,
    )
    if not policy.can_view_session(request.user, session):
        raise Http404
    return session


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _viewer_zone(request: HttpRequest, given: str | None) -> str:
    return given or getattr(request.user, "time_zone", None) or "UTC"


# --- Schemas ----------------------------------------------------------------------------------


class DocumentRef(Schema):
    type: str = Field(..., description="app_label.model, e.g. drafting.document")
    id: int


class AgendaItemOut(Schema):
    id: int
    position: int
    title: str
    description: str
    planned_minutes: int | None
    cluster: int | None = Field(None, alias="cluster_id")
    policy_issue: int | None = Field(None, alias="policy_issue_id")
    document: DocumentRef | None = None

    @staticmethod
    def resolve_document(item: AgendaItem) -> dict | None:
        if not item.document_type_id:
            return None
        content_type = item.document_type
        return {"type": f"{content_type.app_label}.{content_type.model}", "id": item.document_id}


class SessionOut(Schema):
    id: int
    process: str
    title: str
    kind: str
    format: str
    description: str
    start: dt.datetime
    end: dt.datetime
    time_zone: str
    room: str | None
    room_address: str | None
    online_url: str | None = Field(None, description="Only for those who may attend")
    attribution_rule: str
    default_speaking_seconds: int
    state: str
    ical_uid: str
    sequence: int
    minutes_published: bool
    url: str
    agenda: list[AgendaItemOut]

    @staticmethod
    def resolve_process(session: Session) -> str:
        return session.process.slug

    @staticmethod
    def resolve_room(session: Session) -> str | None:
        return session.room.name if session.room_id else None

    @staticmethod
    def resolve_room_address(session: Session) -> str | None:
        return session.room.address if session.room_id else None

    @staticmethod
    def resolve_online_url(session: Session, context: Any) -> str | None:
        request = context["request"]
        if session.online_url and policy.can_see_online_link(request.user, session):
            return session.online_url
        return None

    @staticmethod
    def resolve_ical_uid(session: Session) -> str:
        return ics.session_uid(session)

    @staticmethod
    def resolve_url(session: Session) -> str:
        return ics.session_url(session)

    @staticmethod
    def resolve_agenda(session: Session) -> list[AgendaItem]:
        return list(session.agenda_items.all())


class SessionFilter(Schema):
    when: str = Field("all", pattern="^(all|upcoming|past)$")
    kind: SessionKind | None = None


class SessionIn(Schema):
    title: str
    kind: SessionKind
    format: SessionFormat = SessionFormat.IN_PERSON
    start: dt.datetime = Field(..., description="With an offset, or wall-clock time in time_zone")
    end: dt.datetime
    time_zone: str | None = Field(None, description="Default: your profile's time zone")
    room_name: str = ""
    room_address: str = ""
    online_url: str = ""
    description: str = ""
    attribution_rule: str | None = None
    default_speaking_seconds: int | None = None


class SessionPatch(Schema):
    title: str | None = None
    kind: SessionKind | None = None
    format: SessionFormat | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    time_zone: str | None = None
    room_name: str | None = None
    room_address: str | None = None
    online_url: str | None = None
    description: str | None = None
    attribution_rule: str | None = None
    default_speaking_seconds: int | None = None


class CancelIn(Schema):
    reason: str = ""


class AgendaItemIn(Schema):
    title: str
    description: str = ""
    planned_minutes: int | None = None
    cluster: int | None = None
    policy_issue: int | None = None
    document: DocumentRef | None = None


class AgendaItemPatch(Schema):
    title: str | None = None
    description: str | None = None
    planned_minutes: int | None = None
    cluster: int | None = None
    policy_issue: int | None = None
    document: DocumentRef | None = None


class RegistrationIn(Schema):
    mode: AttendanceMode = AttendanceMode.IN_PERSON
    stakeholder_group: str | None = Field(None, description="slug; for people with no role")
    region: str | None = None
    organisation_name: str = ""


class RegistrationOut(Schema):
    session: int
    registered: bool
    mode: str | None
    may_attend: bool


class AttendanceIn(Schema):
    person_id: int
    status: str = Field(..., description="in_person, remote, excused, or empty to clear")


class FloorRequestIn(Schema):
    agenda_item: int | None = None


class GrantIn(Schema):
    time_limit_seconds: int | None = None


class StatementIn(Schema):
    speaker_id: int
    text: str
    agenda_item: int | None = None


class TranscriptIn(Schema):
    text: str = Field(..., description="Plain text, one “Speaker: text” line per statement")
    agenda_item: int | None = None


class ApplicationIn(Schema):
    name: str
    purpose: str
    organisation_name: str = ""
    stakeholder_group: str | None = None
    session: int | None = None


class ApplicationOut(Schema):
    id: int
    name: str
    organisation_name: str
    stakeholder_group: str | None
    session: int | None = Field(None, alias="session_id")
    purpose: str
    status: str
    created_at: dt.datetime
    decided_at: dt.datetime | None

    @staticmethod
    def resolve_stakeholder_group(application: ObserverApplication) -> str | None:
        group = application.stakeholder_group
        return group.slug if group else None


class DecisionIn(Schema):
    accredit: bool
    note: str = ""


# --- Sessions ---------------------------------------------------------------------------------


@router.get(
    "/processes/{slug}/sessions", response=list[SessionOut], summary="Sessions of a process"
)
@paginate(LimitOffsetPagination)
def list_sessions(request: HttpRequest, slug: str, filters: Query[SessionFilter]) -> Any:
    process = _process(request, slug)
    _require(policy.can_view_sessions(request.user, process))
    sessions = selectors.sessions_for_process(process=process, when=filters.when)
    if filters.kind:
        sessions = sessions.filter(kind=filters.kind)
    return sessions


@router.post("/processes/{slug}/sessions", response={201: SessionOut}, summary="Schedule a session")
def create_session(request: HttpRequest, slug: str, payload: SessionIn) -> Any:
    process = _process(request, slug)
    _require(policy.can_manage_sessions(request.user, process))
    data = payload.dict()
    data["time_zone"] = _viewer_zone(request, data["time_zone"])
    session = services.session_create(actor=request.user, process=process, **data)
    return Status(201, session)


@router.get(PATH, response=SessionOut)
def get_session(request: HttpRequest, slug: str, session_id: int) -> Any:
    return _session(request, slug, session_id)


@router.patch(PATH, response=SessionOut, summary="Change a session (invitees get the update)")
def patch_session(request: HttpRequest, slug: str, session_id: int, payload: SessionPatch) -> Any:
    session = _session(request, slug, session_id)
    _require(policy.can_edit_session(request.user, session))
    changes = payload.dict(exclude_unset=True)
    return services.session_update(actor=request.user, session=session, **changes)


@router.post(PATH + "/cancel", response=SessionOut)
def cancel_session(request: HttpRequest, slug: str, session_id: int, payload: CancelIn) -> Any:
    session = _session(request, slug, session_id)
    return services.session_cancel(actor=request.user, session=session, reason=payload.reason)


@router.post(
    PATH + "/invitations", summary="Send the calendar invitation to everyone who may attend"
)
def send_invitations(request: HttpRequest, slug: str, session_id: int) -> dict[str, int]:
    session = _session(request, slug, session_id)
    return {"sent": services.invitations_send(actor=request.user, session=session)}


# --- Agenda -----------------------------------------------------------------------------------


def _agenda_fields(data: dict[str, Any]) -> dict[str, Any]:
    if "document" in data:
        document = data["document"]
        data["document"] = (document["type"], document["id"]) if document else None
    return data


@router.post(PATH + "/agenda", response={201: AgendaItemOut})
def add_agenda_item(request: HttpRequest, slug: str, session_id: int, payload: AgendaItemIn) -> Any:
    session = _session(request, slug, session_id)
    data = _agenda_fields(payload.dict())
    item = services.agenda_item_add(
        actor=request.user, session=session, title=data.pop("title"), **data
    )
    return Status(201, item)


@router.patch(PATH + "/agenda/{item_id}", response=AgendaItemOut)
def patch_agenda_item(
    request: HttpRequest, slug: str, session_id: int, item_id: int, payload: AgendaItemPatch
) -> Any:
    session = _session(request, slug, session_id)
    item = get_object_or_404(AgendaItem, pk=item_id, session=session)
    data = _agenda_fields(payload.dict(exclude_unset=True))
    return services.agenda_item_update(actor=request.user, item=item, **data)


@router.delete(PATH + "/agenda/{item_id}", response={204: None})
def delete_agenda_item(request: HttpRequest, slug: str, session_id: int, item_id: int) -> Any:
    session = _session(request, slug, session_id)
    item = get_object_or_404(AgendaItem, pk=item_id, session=session)
    services.agenda_item_remove(actor=request.user, item=item)
    return Status(204, None)


# --- Registration and attendance --------------------------------------------------------------


def _registration_out(request: HttpRequest, session: Session) -> dict[str, Any]:
    registration = selectors.registration_of(session=session, person=request.user)
    active = registration is not None and registration.is_active
    return {
        "session": session.pk,
        "registered": active,
        "mode": registration.mode if active else None,
        "may_attend": policy.can_attend_session(request.user, session),
    }


@router.get(PATH + "/registration", response=RegistrationOut, summary="Your registration")
def get_registration(request: HttpRequest, slug: str, session_id: int) -> Any:
    session = _session(request, slug, session_id)
    _require(request.user.is_authenticated)
    return _registration_out(request, session)


@router.put(PATH + "/registration", response=RegistrationOut, summary="Register (or change it)")
def put_registration(
    request: HttpRequest, slug: str, session_id: int, payload: RegistrationIn
) -> Any:
    session = _session(request, slug, session_id)
    services.registration_create(person=request.user, session=session, **payload.dict())
    return _registration_out(request, session)


@router.delete(PATH + "/registration", response={204: None})
def delete_registration(request: HttpRequest, slug: str, session_id: int) -> Any:
    session = _session(request, slug, session_id)
    _require(request.user.is_authenticated)
    services.registration_cancel(person=request.user, session=session)
    return Status(204, None)


@router.get(PATH + "/attendance", summary="Counts; names only where the attribution rule allows")
def get_attendance(request: HttpRequest, slug: str, session_id: int) -> dict[str, Any]:
    session = _session(request, slug, session_id)
    people = None
    if policy.can_view_attendance_names(request.user, session):
        people = [
            {
                "name": line.name,
                "organisation": line.organisation,
                "role": line.role_label,
                "registered": line.registered or None,
                "attendance": line.status or None,
                "accredited_observer": line.accredited_observer,
            }
            for line in selectors.attendance_lines(session=session)
        ]
    return {"counts": selectors.attendance_counts(session=session), "people": people}


@router.put(PATH + "/attendance", summary="Record one person's attendance (chair, secretariat)")
def put_attendance(
    request: HttpRequest, slug: str, session_id: int, payload: AttendanceIn
) -> dict[str, Any]:
    session = _session(request, slug, session_id)
    _require(policy.can_record_attendance(request.user, session))
    person = get_object_or_404(Person, pk=payload.person_id)
    record = services.attendance_record(
        actor=request.user, session=session, person=person, status=payload.status
    )
    return {"person_id": person.pk, "status": record.status if record else None}


# --- The floor --------------------------------------------------------------------------------


def _floor(request: HttpRequest, session: Session) -> dict[str, Any]:
    state = selectors.floor_state(session=session, viewer=request.user).as_dict()
    balance = selectors.speaking_balance(session=session)
    persons = None
    if policy.can_name_speakers(request.user, session):
        persons = selectors.label_person_rows(
            balance, selectors.Speakers.for_floor(session, request.user)
        )
    state["can_request"] = policy.can_request_floor(request.user, session)
    state["balance"] = balance.as_dict(with_persons=persons)
    return state


@router.get(PATH + "/floor", summary="The live queue, current speaker and balance panel")
def get_floor(request: HttpRequest, slug: str, session_id: int) -> dict[str, Any]:
    session = _session(request, slug, session_id)
    _require(policy.can_view_floor(request.user, session))
    return _floor(request, session)


@router.post(PATH + "/open", summary="Open the session (chair, secretariat)")
def open_session(request: HttpRequest, slug: str, session_id: int) -> dict[str, Any]:
    session = _session(request, slug, session_id)
    session = services.session_open(actor=request.user, session=session)
    return _floor(request, session)


@router.post(PATH + "/close", summary="Close the session (chair, secretariat)")
def close_session(request: HttpRequest, slug: str, session_id: int) -> dict[str, Any]:
    session = _session(request, slug, session_id)
    session = services.session_close(actor=request.user, session=session)
    return _floor(request, session)


@router.post(PATH + "/floor", response={201: dict}, summary="Ask for the floor")
def request_floor(request: HttpRequest, slug: str, session_id: int, payload: FloorRequestIn) -> Any:
    session = _session(request, slug, session_id)
    item = None
    if payload.agenda_item is not None:
        item = get_object_or_404(AgendaItem, pk=payload.agenda_item, session=session)
    services.floor_request_create(person=request.user, session=session, agenda_item=item)
    session.refresh_from_db()
    return Status(201, _floor(request, session))


@router.post(PATH + "/floor/{request_id}/grant", summary="Give the floor (chair, secretariat)")
def grant_floor(
    request: HttpRequest, slug: str, session_id: int, request_id: int, payload: GrantIn
) -> dict[str, Any]:
    session = _session(request, slug, session_id)
    floor_request = get_object_or_404(FloorRequest, pk=request_id, session=session)
    services.floor_grant(
        actor=request.user, request=floor_request, time_limit_seconds=payload.time_limit_seconds
    )
    return _floor(request, session)


@router.post(PATH + "/floor/{request_id}/withdraw")
def withdraw_floor(
    request: HttpRequest, slug: str, session_id: int, request_id: int
) -> dict[str, Any]:
    session = _session(request, slug, session_id)
    floor_request = get_object_or_404(FloorRequest, pk=request_id, session=session)
    services.floor_request_withdraw(actor=request.user, request=floor_request)
    return _floor(request, session)


@router.post(PATH + "/floor/end-turn", summary="End the current turn (or yield it)")
def end_turn(request: HttpRequest, slug: str, session_id: int) -> dict[str, Any]:
    session = _session(request, slug, session_id)
    services.floor_end_turn(actor=request.user, session=session)
    return _floor(request, session)


@router.get(PATH + "/speaking-report", summary="Turns and time by stakeholder group and region")
def speaking_report(request: HttpRequest, slug: str, session_id: int) -> dict[str, Any]:
    session = _session(request, slug, session_id)
    _require(policy.can_view_speaking_report(request.user, session))
    balance = selectors.speaking_balance(session=session)
    persons = None
    if policy.can_name_speakers(request.user, session):
        persons = selectors.label_person_rows(
            balance, selectors.Speakers.for_floor(session, request.user)
        )
    return balance.as_dict(with_persons=persons)


# --- Statements and minutes -------------------------------------------------------------------


def _minutes_speakers(request: HttpRequest, session: Session) -> selectors.Speakers:
    if session.minutes_published:
        return selectors.Speakers.for_record(session)
    return selectors.Speakers.for_draft(session, request.user)


@router.get(PATH + "/statements", summary="Statements, with the attribution rule applied")
def list_statements(request: HttpRequest, slug: str, session_id: int) -> list[dict[str, Any]]:
    session = _session(request, slug, session_id)
    _require(policy.can_view_minutes(request.user, session))
    speakers = _minutes_speakers(request, session)
    return [
        {
            "id": statement.pk,
            "agenda_item": statement.agenda_item_id,
            "speaker": speakers.attribution(
                statement.speaker_id, group=statement.stakeholder_group
            ).as_dict(),
            "text": statement.text,
        }
        for statement in Statement.objects.filter(session=session).select_related(
            "stakeholder_group"
        )
    ]


def _item_or_none(session: Session, item_id: int | None) -> AgendaItem | None:
    if item_id is None:
        return None
    return get_object_or_404(AgendaItem, pk=item_id, session=session)


@router.post(PATH + "/statements", response={201: dict}, summary="Record a statement (secretariat)")
def add_statement(request: HttpRequest, slug: str, session_id: int, payload: StatementIn) -> Any:
    session = _session(request, slug, session_id)
    _require(policy.can_record_minutes(request.user, session))
    speaker = Person.objects.filter(pk=payload.speaker_id).first()
    if speaker is None:
        raise ValidationError({"speaker_id": [_("Choose someone who may speak in this session.")]})
    statement = services.statement_add(
        actor=request.user,
        session=session,
        speaker=speaker,
        text=payload.text,
        agenda_item=_item_or_none(session, payload.agenda_item),
    )
    return Status(201, {"id": statement.pk})


@router.post(PATH + "/transcript", response={201: dict}, summary="Import a transcript")
def import_transcript(
    request: HttpRequest, slug: str, session_id: int, payload: TranscriptIn
) -> Any:
    session = _session(request, slug, session_id)
    statements = services.transcript_import(
        actor=request.user,
        session=session,
        content=payload.text,
        agenda_item=_item_or_none(session, payload.agenda_item),
    )
    return Status(201, {"imported": len(statements)})


@router.get(PATH + "/minutes", summary="Minutes: statements, outcomes and actions per agenda item")
def get_minutes(request: HttpRequest, slug: str, session_id: int) -> dict[str, Any]:
    session = _session(request, slug, session_id)
    _require(policy.can_view_minutes(request.user, session))
    items = selectors.minutes(session=session, speakers=_minutes_speakers(request, session))
    return selectors.minutes_as_dict(session, items)


@router.post(PATH + "/minutes/publish", summary="Publish the minutes (secretariat)")
def publish_minutes(request: HttpRequest, slug: str, session_id: int) -> dict[str, Any]:
    session = _session(request, slug, session_id)
    session = services.minutes_publish(actor=request.user, session=session)
    return {"published_at": session.minutes_published_at}


# --- Observers --------------------------------------------------------------------------------


@router.post("/processes/{slug}/observer-applications", response={201: ApplicationOut})
def apply_to_observe(request: HttpRequest, slug: str, payload: ApplicationIn) -> Any:
    process = _process(request, slug)
    data = payload.dict()
    session_id = data.pop("session")
    session = None
    if session_id is not None:
        session = get_object_or_404(Session, pk=session_id, process=process)
    application = services.observer_apply(
        person=request.user, process=process, session=session, **data
    )
    return Status(201, application)


@router.get("/processes/{slug}/observer-applications", response=list[ApplicationOut])
@paginate(LimitOffsetPagination)
def list_applications(request: HttpRequest, slug: str, status: str | None = None) -> Any:
    process = _process(request, slug)
    _require(policy.can_view_applications(request.user, process))
    return selectors.applications_for(process=process, status=status)


@router.post(
    "/processes/{slug}/observer-applications/{application_id}/decision",
    response=ApplicationOut,
    summary="Accredit or decline (secretariat)",
)
def decide_application(
    request: HttpRequest, slug: str, application_id: int, payload: DecisionIn
) -> Any:
    process = _process(request, slug)
    application = get_object_or_404(ObserverApplication, pk=application_id, process=process)
    return services.observer_decide(
        actor=request.user, application=application, accredit=payload.accredit, note=payload.note
    )


def register(api: Any) -> None:
    api.add_router("/", router)
