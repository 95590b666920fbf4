"""The floor and the speaking report."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Status

from .. import policy, selectors, services
from ..models import (
    AgendaItem,
    FloorRequest,
    Session,
)
from .common import PATH, require, router, session_for
from .schemas import FloorRequestIn, GrantIn

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
    session = session_for(request, slug, session_id)
    require(policy.can_view_floor(request.user, session))
    return _floor(request, session)


@router.post(PATH + "/open", summary="Open the session (chair, secretariat)")
def open_session(request: HttpRequest, slug: str, session_id: int) -> dict[str, Any]:
    session = session_for(request, slug, session_id)
    session = services.session_open(actor=request.user, session=session)
    return _floor(request, session)


@router.post(PATH + "/close", summary="Close the session (chair, secretariat)")
def close_session(request: HttpRequest, slug: str, session_id: int) -> dict[str, Any]:
    session = session_for(request, slug, session_id)
    session = services.session_close(actor=request.user, session=session)
    return _floor(request, session)


@router.post(PATH + "/floor", response={201: dict}, summary="Ask for the floor")
def request_floor(request: HttpRequest, slug: str, session_id: int, payload: FloorRequestIn) -> Any:
    session = session_for(request, slug, session_id)
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
    session = session_for(request, slug, session_id)
    floor_request = get_object_or_404(FloorRequest, pk=request_id, session=session)
    services.floor_grant(
        actor=request.user, request=floor_request, time_limit_seconds=payload.time_limit_seconds
    )
    return _floor(request, session)


@router.post(PATH + "/floor/{request_id}/withdraw")
def withdraw_floor(
    request: HttpRequest, slug: str, session_id: int, request_id: int
) -> dict[str, Any]:
    session = session_for(request, slug, session_id)
    floor_request = get_object_or_404(FloorRequest, pk=request_id, session=session)
    services.floor_request_withdraw(actor=request.user, request=floor_request)
    return _floor(request, session)


@router.post(PATH + "/floor/end-turn", summary="End the current turn (or yield it)")
def end_turn(request: HttpRequest, slug: str, session_id: int) -> dict[str, Any]:
    session = session_for(request, slug, session_id)
    services.floor_end_turn(actor=request.user, session=session)
    return _floor(request, session)


@router.get(PATH + "/speaking-report", summary="Turns and time by stakeholder group and region")
def speaking_report(request: HttpRequest, slug: str, session_id: int) -> dict[str, Any]:
    session = session_for(request, slug, session_id)
    require(policy.can_view_speaking_report(request.user, session))
    balance = selectors.speaking_balance(session=session)
    persons = None
    if policy.can_name_speakers(request.user, session):
        persons = selectors.label_person_rows(
            balance, selectors.Speakers.for_floor(session, request.user)
        )
    return balance.as_dict(with_persons=persons)
