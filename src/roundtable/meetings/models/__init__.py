"""Sessions, their agendas, attendance, the floor, minutes, accreditation and calendars.

Who may do what with these is decided in ``policy.py`` only. How a speaker is
named when anything leaves the system is decided by
``roundtable.processes.attribution.attribute`` only; nothing here renders a
speaker. That is why the ``__str__`` of every row that points at a speaker
(floor requests, statements, attendance) names the row, never the person:
``str(obj)`` ends up in the audit log.
"""

from .attendance import (
    PRESENT,
    ApplicationStatus,
    Attendance,
    AttendanceMode,
    AttendanceStatus,
    CalendarFeed,
    ObserverApplication,
    Registration,
    SessionInvitation,
)
from .record import (
    OPEN_FLOOR_STATUSES,
    ActionItem,
    FloorRequest,
    FloorStatus,
    Statement,
    StatementSource,
)
from .sessions import AgendaItem, Room, Session, SessionFormat, SessionKind

__all__ = [
    "OPEN_FLOOR_STATUSES",
    "PRESENT",
    "ActionItem",
    "AgendaItem",
    "ApplicationStatus",
    "Attendance",
    "AttendanceMode",
    "AttendanceStatus",
    "CalendarFeed",
    "FloorRequest",
    "FloorStatus",
    "ObserverApplication",
    "Registration",
    "Room",
    "Session",
    "SessionFormat",
    "SessionInvitation",
    "SessionKind",
    "Statement",
    "StatementSource",
]
