"""Sessions, agendas, registration and attendance."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Status
from ninja.pagination import LimitOffsetPagination, paginate

from roundtable.people.models import Person

from .. import policy, selectors, services
from ..models import (
    AgendaItem,
    Session,
)
from .common import PATH, process_for, require, router, session_for, viewer_zone
from .schemas import (
    AgendaItemIn,
    AgendaItemOut,
    AgendaItemPatch,
    AttendanceIn,
    CancelIn,
    RegistrationIn,
    RegistrationOut,
    SessionFilter,
    SessionIn,
    SessionOut,
    SessionPatch,
)

# --- Sessions ---------------------------------------------------------------------------------


@router.get(
    "/processes/{slug}/sessions", response=list[SessionOut], summary="Sessions of a process"
)
@paginate(LimitOffsetPagination)
def list_sessions(request: HttpRequest, slug: str, filters: Query[SessionFilter]) -> Any:
    process = process_for(request, slug)
    require(policy.can_view_sessions(request.user, process))
    sessions = selectors.sessions_for_process(process=process, when=filters.when)
    if filters.kind:
        sessions = sessions.filter(kind=filters.kind)
    return sessions


@router.post("/processes/{slug}/sessions", response={201: SessionOut}, summary="Schedule a session")
def create_session(request: HttpRequest, slug: str, payload: SessionIn) -> Any:
    process = process_for(request, slug)
    require(policy.can_manage_sessions(request.user, process))
    data = payload.dict()
    data["time_zone"] = viewer_zone(request, data["time_zone"])
    session = services.session_create(actor=request.user, process=process, **data)
    return Status(201, session)


@router.get(PATH, response=SessionOut)
def get_session(request: HttpRequest, slug: str, session_id: int) -> Any:
    return session_for(request, slug, session_id)


@router.patch(PATH, response=SessionOut, summary="Change a session (invitees get the update)")
def patch_session(request: HttpRequest, slug: str, session_id: int, payload: SessionPatch) -> Any:
    session = session_for(request, slug, session_id)
    require(policy.can_edit_session(request.user, session))
    changes = payload.dict(exclude_unset=True)
    return services.session_update(actor=request.user, session=session, **changes)


@router.post(PATH + "/cancel", response=SessionOut)
def cancel_session(request: HttpRequest, slug: str, session_id: int, payload: CancelIn) -> Any:
    session = session_for(request, slug, session_id)
    return services.session_cancel(actor=request.user, session=session, reason=payload.reason)


@router.post(
    PATH + "/invitations", summary="Send the calendar invitation to everyone who may attend"
)
def send_invitations(request: HttpRequest, slug: str, session_id: int) -> dict[str, int]:
    session = session_for(request, slug, session_id)
    return {"sent": services.invitations_send(actor=request.user, session=session)}


# --- Agenda -----------------------------------------------------------------------------------


def _agenda_fields(data: dict[str, Any]) -> dict[str, Any]:
    if "document" in data:
        document = data["document"]
        data["document"] = (document["type"], document["id"]) if document else None
    return data


@router.post(PATH + "/agenda", response={201: AgendaItemOut})
def add_agenda_item(request: HttpRequest, slug: str, session_id: int, payload: AgendaItemIn) -> Any:
    session = session_for(request, slug, session_id)
    data = _agenda_fields(payload.dict())
    item = services.agenda_item_add(
        actor=request.user, session=session, title=data.pop("title"), **data
    )
    return Status(201, item)


@router.patch(PATH + "/agenda/{item_id}", response=AgendaItemOut)
def patch_agenda_item(
    request: HttpRequest, slug: str, session_id: int, item_id: int, payload: AgendaItemPatch
) -> Any:
    session = session_for(request, slug, session_id)
    item = get_object_or_404(AgendaItem, pk=item_id, session=session)
    data = _agenda_fields(payload.dict(exclude_unset=True))
    return services.agenda_item_update(actor=request.user, item=item, **data)


@router.delete(PATH + "/agenda/{item_id}", response={204: None})
def delete_agenda_item(request: HttpRequest, slug: str, session_id: int, item_id: int) -> Any:
    session = session_for(request, slug, session_id)
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
    session = session_for(request, slug, session_id)
    require(request.user.is_authenticated)
    return _registration_out(request, session)


@router.put(PATH + "/registration", response=RegistrationOut, summary="Register (or change it)")
def put_registration(
    request: HttpRequest, slug: str, session_id: int, payload: RegistrationIn
) -> Any:
    session = session_for(request, slug, session_id)
    services.registration_create(person=request.user, session=session, **payload.dict())
    return _registration_out(request, session)


@router.delete(PATH + "/registration", response={204: None})
def delete_registration(request: HttpRequest, slug: str, session_id: int) -> Any:
    session = session_for(request, slug, session_id)
    require(request.user.is_authenticated)
    services.registration_cancel(person=request.user, session=session)
    return Status(204, None)


@router.get(PATH + "/attendance", summary="Counts; names only where the attribution rule allows")
def get_attendance(request: HttpRequest, slug: str, session_id: int) -> dict[str, Any]:
    session = session_for(request, slug, session_id)
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
    session = session_for(request, slug, session_id)
    require(policy.can_record_attendance(request.user, session))
    person = get_object_or_404(Person, pk=payload.person_id)
    record = services.attendance_record(
        actor=request.user, session=session, person=person, status=payload.status
    )
    return {"person_id": person.pk, "status": record.status if record else None}
