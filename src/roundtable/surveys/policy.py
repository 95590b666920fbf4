"""Who may do what with surveys: the only place these decisions are made.

The secretariat runs surveys (it is the neutral broker). Anyone who holds an
invitation link, or the open link of a survey that has one, may answer once:
the link is the permission, so answering needs no account. Results are for
the secretariat until it publishes them to members or to everyone who can
read the process. No one, the secretariat included, ever sees an individual
response: there is no page, endpoint or export that shows one.
"""

from __future__ import annotations

from typing import Any

from roundtable.processes.models import Process, Role
from roundtable.processes.roles import can_read_process, is_secretariat, role_of

from .models import ResultsAudience, Survey, SurveyStatus

MEMBER_ROLES = (Role.CHAIR, Role.SECRETARIAT, Role.MEMBER)


def can_view_surveys(person: Any, process: Process) -> bool:
    """The process's survey list (each survey then filtered by ``can_view_survey``)."""
    return can_read_process(person, process)


def can_manage_surveys(person: Any, process: Process) -> bool:
    """Create, change, open, close, invite, import and publish."""
    return is_secretariat(person, process)


def can_view_survey(person: Any, survey: Survey) -> bool:
    """The survey's page: participants once it is open; others once results are public."""
    process = survey.process
    if is_secretariat(person, process):
        return True
    if not can_read_process(person, process):
        return False
    if survey.status != SurveyStatus.DRAFT and role_of(person, process) is not None:
        return True
    return can_view_results(person, survey)


def can_view_results(person: Any, survey: Survey) -> bool:
    process = survey.process
    if is_secretariat(person, process):
        return True
    if survey.results_audience == ResultsAudience.MEMBERS:
        return role_of(person, process) in MEMBER_ROLES
    if survey.results_audience == ResultsAudience.PUBLIC:
        return can_read_process(person, process)
    return False


def can_export_results(person: Any, survey: Survey) -> bool:
    return can_view_results(person, survey)


def can_view_invitations(person: Any, survey: Survey) -> bool:
    return is_secretariat(person, survey.process)
