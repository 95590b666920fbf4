"""Who may do what with calls, submissions, dispositions and working papers.

The only place these decisions are made: pages, API, feeds, exports and
hooks all ask here. ``tests/consultations/test_policy.py`` walks every role
against every action.

Someone without an account proves they wrote a submission with the secret
from their receipt (the "manage" link); functions that take ``token`` check
it against the stored hash.
"""

from __future__ import annotations

from typing import Any

from roundtable.processes.models import Process
from roundtable.processes.roles import (
    can_read_process,
    is_authenticated,
    is_chair_or_secretariat,
    is_secretariat,
)

from .models import Call, CallState, Submission, SubmissionStatus, WorkingPaper
from .tokens import token_matches

EDITABLE_STATUSES = (
    SubmissionStatus.PENDING,
    SubmissionStatus.APPROVED,
    SubmissionStatus.CHANGES_REQUESTED,
)


# --- Calls -------------------------------------------------------------------------


def can_list_calls(person: Any, process: Process) -> bool:
    return can_read_process(person, process)


def can_view_call(person: Any, call: Call) -> bool:
    """Announced calls are as public as their process; drafts are the secretariat's."""
    if not can_read_process(person, call.process):
        return False
    return call.published_at is not None or is_chair_or_secretariat(person, call.process)


def can_create_call(person: Any, process: Process) -> bool:
    return is_secretariat(person, process)


def can_edit_call(person: Any, call: Call) -> bool:
    return is_secretariat(person, call.process)


def can_submit(person: Any, call: Call) -> bool:
    """Anyone who can read an open call; without an account, after verifying an address."""
    return can_view_call(person, call) and call.state == CallState.OPEN


def can_submit_without_account(person: Any, call: Call) -> bool:
    return can_submit(person, call) and not is_authenticated(person)


# --- Submissions -------------------------------------------------------------------


def is_author(person: Any, submission: Submission, token: str = "") -> bool:
    if is_authenticated(person) and submission.author_id == person.pk:
        return True
    return token_matches(submission, token)


def can_view_unpublished(person: Any, call: Call) -> bool:
    """The moderation queue, names of anonymous authors, unpublished text."""
    return can_view_call(person, call) and is_chair_or_secretariat(person, call.process)


def can_view_submission(person: Any, submission: Submission, token: str = "") -> bool:
    call = submission.call
    if not can_view_call(person, call):
        return is_author(person, submission, token)
    if submission.is_published:
        return True
    return can_view_unpublished(person, call) or is_author(person, submission, token)


def can_edit_submission(person: Any, submission: Submission, token: str = "") -> bool:
    """The author, until the call closes, unless it was rejected or withdrawn."""
    return (
        is_author(person, submission, token)
        and submission.call.state == CallState.OPEN
        and submission.status in EDITABLE_STATUSES
    )


def can_withdraw_submission(person: Any, submission: Submission, token: str = "") -> bool:
    return can_edit_submission(person, submission, token)


def can_moderate(person: Any, call: Call) -> bool:
    return is_secretariat(person, call.process)


def can_dispose(person: Any, call: Call) -> bool:
    return is_secretariat(person, call.process)


def can_react_to_disposition(person: Any, submission: Submission, token: str = "") -> bool:
    """The author says whether they accept the disposition or object to it."""
    return is_author(person, submission, token) and hasattr(submission, "disposition")


def can_download_attachment(person: Any, submission: Submission, token: str = "") -> bool:
    if submission.status == SubmissionStatus.WITHDRAWN:
        return can_view_unpublished(person, submission.call) or is_author(person, submission, token)
    return can_view_submission(person, submission, token)


def can_view_report(person: Any, call: Call) -> bool:
    """Public once the call has closed; a preview for the secretariat and chair before."""
    if not can_view_call(person, call):
        return False
    return call.state == CallState.CLOSED or is_chair_or_secretariat(person, call.process)


def can_view_analysis(person: Any, call: Call) -> bool:
    return can_view_unpublished(person, call)


def can_export_contact_data(person: Any, call: Call) -> bool:
    """The full data with e-mail addresses: the secretariat only, and audited."""
    return is_secretariat(person, call.process)


# --- Working papers ------------------------------------------------------------------


def can_view_library(person: Any, process: Process) -> bool:
    return can_read_process(person, process)


def can_submit_paper(person: Any, process: Process) -> bool:
    """Members and the public with an account (anyone logged in who can read the process)."""
    return is_authenticated(person) and person.is_active and can_read_process(person, process)


def can_manage_papers(person: Any, process: Process) -> bool:
    return is_secretariat(person, process)


def can_view_paper(person: Any, paper: WorkingPaper) -> bool:
    if paper.published_at is not None and can_read_process(person, paper.process):
        return True
    if is_chair_or_secretariat(person, paper.process):
        return True
    return is_authenticated(person) and paper.submitted_by_id == person.pk


def can_add_paper_version(person: Any, paper: WorkingPaper) -> bool:
    """The secretariat at any time; the submitter until the paper is published."""
    if can_manage_papers(person, paper.process):
        return True
    return (
        is_authenticated(person)
        and paper.submitted_by_id == person.pk
        and paper.published_at is None
    )
