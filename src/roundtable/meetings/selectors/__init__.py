"""Reads: schedules, the floor, speaking balance, minutes, attendance, calendars.

Every speaker named here is named through ``Speakers``, which calls
``roundtable.processes.attribution.attribute`` and nothing else. A
``Speakers`` is built for one purpose (the live floor, the record, the
secretariat's draft) and asks the policy whether that purpose may name.
"""

from .attendance import AttendanceLine, attendance_counts, attendance_lines, expected_attendees
from .floor import (
    BalanceRow,
    FloorEntry,
    FloorState,
    PersonRow,
    SpeakingBalance,
    floor_state,
    label_person_rows,
    room_composition,
    speaking_balance,
)
from .minutes import MinutesAction, MinutesItem, MinutesStatement, minutes, minutes_as_dict
from .schedule import (
    applications_for,
    calendar_sessions_for_person,
    calendar_sessions_for_process,
    cluster_attention,
    my_applications,
    my_membership,
    registration_of,
    room_names,
    session_queryset,
    sessions_for_process,
    upcoming_for_panel,
)
from .speakers import Categories, Speakers, possible_speakers

__all__ = [
    "AttendanceLine",
    "BalanceRow",
    "Categories",
    "FloorEntry",
    "FloorState",
    "MinutesAction",
    "MinutesItem",
    "MinutesStatement",
    "PersonRow",
    "Speakers",
    "SpeakingBalance",
    "applications_for",
    "attendance_counts",
    "attendance_lines",
    "calendar_sessions_for_person",
    "calendar_sessions_for_process",
    "cluster_attention",
    "expected_attendees",
    "floor_state",
    "label_person_rows",
    "minutes",
    "minutes_as_dict",
    "my_applications",
    "my_membership",
    "possible_speakers",
    "registration_of",
    "room_composition",
    "room_names",
    "session_queryset",
    "sessions_for_process",
    "speaking_balance",
    "upcoming_for_panel",
]
