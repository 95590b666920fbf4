"""Attendance lists (names only where the policy allows) and counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from roundtable.processes.models import Membership, Role

from .. import policy
from ..models import (
    ApplicationStatus,
    ObserverApplication,
    Session,
)
from .floor import room_composition
from .speakers import Speakers

# --- Attendance -------------------------------------------------------------------------------


@dataclass
class AttendanceLine:
    person_id: int
    name: str
    organisation: str
    role_label: str
    registered: str  # mode label or ""
    status: str  # AttendanceStatus value or ""
    status_label: str
    accredited_observer: bool


def expected_attendees(*, session: Session) -> list[Any]:
    """Everyone who may attend and is expected or known: by role, registration or accreditation."""
    people: dict[int, Any] = {}
    memberships = Membership.objects.filter(process_id=session.process_id).select_related("person")
    attending_roles = policy.ATTENDING_ROLES[session.kind]
    for membership in memberships:
        if membership.is_current and membership.role in attending_roles:
            people[membership.person_id] = membership.person
    for registration in session.registrations.filter(cancelled_at__isnull=True).select_related(
        "person"
    ):
        people.setdefault(registration.person_id, registration.person)
    for application in session.observer_applications.filter(
        status=ApplicationStatus.ACCREDITED
    ).select_related("person"):
        people.setdefault(application.person_id, application.person)
    for attendance in session.attendance.select_related("person"):
        people.setdefault(attendance.person_id, attendance.person)
    return sorted(people.values(), key=lambda person: person.name.casefold())


def attendance_lines(*, session: Session) -> list[AttendanceLine]:
    """The attendance list with names; only for viewers ``policy.can_view_attendance_names``
    allows (the view checks)."""
    memberships = {
        m.person_id: m
        for m in Membership.objects.filter(process_id=session.process_id).select_related(
            "organisation"
        )
    }
    registrations = {r.person_id: r for r in session.registrations.all()}
    attendance = {a.person_id: a for a in session.attendance.all()}
    accredited = set(
        session.observer_applications.filter(status=ApplicationStatus.ACCREDITED).values_list(
            "person_id", flat=True
        )
    )
    applications = {
        a.person_id: a
        for a in ObserverApplication.objects.filter(
            process_id=session.process_id, status=ApplicationStatus.ACCREDITED
        )
    }
    lines = []
    for person in expected_attendees(session=session):
        membership = memberships.get(person.pk)
        registration = registrations.get(person.pk)
        record = attendance.get(person.pk)
        organisation = ""
        if membership and membership.organisation:
            organisation = membership.organisation.name
        elif registration and registration.organisation_name:
            organisation = registration.organisation_name
        elif person.pk in applications:
            organisation = applications[person.pk].organisation_name
        is_accredited = person.pk in accredited or (
            membership is not None
            and membership.role == Role.OBSERVER
            and person.pk in applications
        )
        if membership is not None and membership.is_current:
            role_label = membership.get_role_display()
        elif person.pk in accredited:
            role_label = _("observer")
        else:
            role_label = _("registered participant")
        lines.append(
            AttendanceLine(
                person_id=person.pk,
                name=person.name,
                organisation=organisation,
                role_label=role_label,
                registered=registration.get_mode_display()
                if registration and registration.is_active
                else "",
                status=record.status if record else "",
                status_label=record.get_status_display() if record else "",
                accredited_observer=is_accredited,
            )
        )
    return lines


def attendance_counts(*, session: Session) -> dict[str, Any]:
    """Counts only: what everyone who can see the session may know about the room."""
    records = Counter(session.attendance.values_list("status", flat=True))
    registered = Counter(
        session.registrations.filter(cancelled_at__isnull=True).values_list("mode", flat=True)
    )
    speakers = Speakers.for_record(session)
    composition = room_composition(session=session, speakers=speakers)
    by_group: Counter[str] = Counter()
    for categories in composition.values():
        if categories.stakeholder_group is not None:
            by_group[categories.stakeholder_group.display_name] += 1
    return {
        "registered": sum(registered.values()),
        "registered_in_person": registered.get("in_person", 0),
        "registered_remote": registered.get("remote", 0),
        "present_in_person": records.get("in_person", 0),
        "present_remote": records.get("remote", 0),
        "excused": records.get("excused", 0),
        "by_stakeholder_group": dict(sorted(by_group.items())),
    }
