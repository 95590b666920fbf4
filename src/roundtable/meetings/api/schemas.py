"""Input and output schemas of the meetings API."""

import datetime as dt
from typing import Any

from ninja import Field, Schema

from .. import ics, policy
from ..models import (
    AgendaItem,
    AttendanceMode,
    ObserverApplication,
    Session,
    SessionFormat,
    SessionKind,
)

# Schemas ----------------------------------------------------------------------------------


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
