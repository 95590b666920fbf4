"""Statements, minutes and observer applications."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Status
from ninja.pagination import LimitOffsetPagination, paginate

from roundtable.people.models import Person

from .. import policy, selectors, services
from ..models import (
    AgendaItem,
    ObserverApplication,
    Session,
    Statement,
)
from .common import PATH, process_for, require, router, session_for
from .schemas import ApplicationIn, ApplicationOut, DecisionIn, StatementIn, TranscriptIn

# --- Statements and minutes -------------------------------------------------------------------


def _minutes_speakers(request: HttpRequest, session: Session) -> selectors.Speakers:
    if session.minutes_published:
        return selectors.Speakers.for_record(session)
    return selectors.Speakers.for_draft(session, request.user)


@router.get(PATH + "/statements", summary="Statements, with the attribution rule applied")
def list_statements(request: HttpRequest, slug: str, session_id: int) -> list[dict[str, Any]]:
    session = session_for(request, slug, session_id)
    require(policy.can_view_minutes(request.user, session))
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
    session = session_for(request, slug, session_id)
    require(policy.can_record_minutes(request.user, session))
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
    session = session_for(request, slug, session_id)
    statements = services.transcript_import(
        actor=request.user,
        session=session,
        content=payload.text,
        agenda_item=_item_or_none(session, payload.agenda_item),
    )
    return Status(201, {"imported": len(statements)})


@router.get(PATH + "/minutes", summary="Minutes: statements, outcomes and actions per agenda item")
def get_minutes(request: HttpRequest, slug: str, session_id: int) -> dict[str, Any]:
    session = session_for(request, slug, session_id)
    require(policy.can_view_minutes(request.user, session))
    items = selectors.minutes(session=session, speakers=_minutes_speakers(request, session))
    return selectors.minutes_as_dict(session, items)


@router.post(PATH + "/minutes/publish", summary="Publish the minutes (secretariat)")
def publish_minutes(request: HttpRequest, slug: str, session_id: int) -> dict[str, Any]:
    session = session_for(request, slug, session_id)
    session = services.minutes_publish(actor=request.user, session=session)
    return {"published_at": session.minutes_published_at}


# --- Observers --------------------------------------------------------------------------------


@router.post("/processes/{slug}/observer-applications", response={201: ApplicationOut})
def apply_to_observe(request: HttpRequest, slug: str, payload: ApplicationIn) -> Any:
    process = process_for(request, slug)
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
    process = process_for(request, slug)
    require(policy.can_view_applications(request.user, process))
    return selectors.applications_for(process=process, status=status)


@router.post(
    "/processes/{slug}/observer-applications/{application_id}/decision",
    response=ApplicationOut,
    summary="Accredit or decline (secretariat)",
)
def decide_application(
    request: HttpRequest, slug: str, application_id: int, payload: DecisionIn
) -> Any:
    process = process_for(request, slug)
    application = get_object_or_404(ObserverApplication, pk=application_id, process=process)
    return services.observer_decide(
        actor=request.user, application=application, accredit=payload.accredit, note=payload.note
    )
