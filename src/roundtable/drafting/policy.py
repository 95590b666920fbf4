"""Who may do what in drafting. The only place these decisions are made.

The secretariat drafts (on request) and keeps the text; members propose
amendments, take positions, ask for brackets, sponsor alternatives, comment,
object and write minority statements; the chair decides: consensus calls,
silence procedures, finality. Amendments are accepted or declined by the
chair or the secretariat. ``tests/drafting/test_policy.py`` walks every role
against every action.
"""

from __future__ import annotations

from typing import Any

from roundtable.processes.roles import (
    can_read_process,
    is_authenticated,
    is_chair,
    is_chair_or_secretariat,
    is_member,
    is_participant,
    is_secretariat,
    is_site_admin,
    membership_of,
)

from .models import (
    Amendment,
    Comment,
    Document,
    ExportJob,
    MinorityStatement,
    Paragraph,
    SilenceProcedure,
    Visibility,
)


def can_view_drafts(person: Any, process: Any) -> bool:
    """The list of documents (each then filtered by ``can_view_document``)."""
    return can_read_process(person, process)


def can_view_document(person: Any, document: Document) -> bool:
    process = document.process
    if not can_read_process(person, process):
        return False
    if document.visibility == Visibility.PARTICIPANTS:
        return is_participant(person, process) or is_site_admin(person)
    return True


def can_create_document(person: Any, process: Any) -> bool:
    return is_secretariat(person, process)


def can_edit_document(person: Any, document: Document) -> bool:
    """Title, summary, sections, and paragraph text directly (drafting on request)."""
    return not document.is_final and is_secretariat(person, document.process)


def can_edit_paragraph(person: Any, paragraph: Paragraph) -> bool:
    return not paragraph.is_removed and can_edit_document(person, paragraph.document)


def can_propose_amendment(person: Any, document: Document) -> bool:
    return not document.is_final and is_member(person, document.process)


def can_take_position(person: Any, amendment: Amendment) -> bool:
    return (
        amendment.is_open
        and not amendment.document.is_final
        and is_member(person, amendment.document.process)
        and amendment.author_id != getattr(person, "pk", None)
    )


def can_decide_amendment(person: Any, amendment: Amendment) -> bool:
    return (
        amendment.is_open
        and not amendment.document.is_final
        and is_chair_or_secretariat(person, amendment.document.process)
    )


def can_withdraw_amendment(person: Any, amendment: Amendment) -> bool:
    return (
        amendment.is_open
        and is_authenticated(person)
        and amendment.author_id == person.pk
        and is_member(person, amendment.document.process)
    )


def can_request_brackets(person: Any, paragraph: Paragraph) -> bool:
    """Any member may bracket text that is not yet agreed, or withdraw their own request."""
    return (
        not paragraph.is_removed
        and not paragraph.document.is_final
        and is_member(person, paragraph.document.process)
    )


def can_sponsor_alternative(person: Any, paragraph: Paragraph) -> bool:
    return can_request_brackets(person, paragraph)


def can_confirm_ad_referendum(person: Any, paragraph: Paragraph) -> bool:
    """Only a member named as awaiting their principals' confirmation."""
    membership = membership_of(person, paragraph.document.process)
    if membership is None or paragraph.document.is_final or paragraph.current_version is None:
        return False
    return any(
        entry.get("membership") == membership.pk and not entry.get("confirmed_at")
        for entry in paragraph.current_version.ad_referendum
    )


def can_comment(person: Any, paragraph: Paragraph) -> bool:
    process = paragraph.document.process
    return (
        not paragraph.is_removed
        and (is_member(person, process) or is_chair_or_secretariat(person, process))
        and can_view_document(person, paragraph.document)
    )


def can_delete_comment(person: Any, comment: Comment) -> bool:
    """The author, or the secretariat moderating."""
    process = comment.paragraph.document.process
    return (is_authenticated(person) and comment.author_id == person.pk) or is_secretariat(
        person, process
    )


def can_call_consensus(person: Any, document: Document) -> bool:
    return not document.is_final and is_chair(person, document.process)


def can_start_silence(person: Any, document: Document) -> bool:
    return not document.is_final and is_chair(person, document.process)


def can_cancel_silence(person: Any, procedure: SilenceProcedure) -> bool:
    return procedure.is_open and is_chair(person, procedure.document.process)


def can_object_in_silence(person: Any, procedure: SilenceProcedure) -> bool:
    return procedure.is_open and is_member(person, procedure.document.process)


def can_write_minority_statement(person: Any, document: Document) -> bool:
    return is_member(person, document.process) and not document.is_final


def can_join_minority_statement(person: Any, statement: MinorityStatement) -> bool:
    document = statement.section.document
    return (
        not statement.is_withdrawn
        and not document.is_final
        and is_member(person, document.process)
        and statement.author_id != getattr(person, "pk", None)
    )


def can_withdraw_minority_statement(person: Any, statement: MinorityStatement) -> bool:
    return (
        not statement.is_withdrawn
        and not statement.section.document.is_final
        and is_authenticated(person)
        and statement.author_id == person.pk
    )


def can_mark_final(person: Any, document: Document) -> bool:
    """Mark final, or reopen a final document: the chair's decision."""
    return is_chair(person, document.process)


def can_export(person: Any, document: Document) -> bool:
    return can_view_document(person, document)


def can_download_export(person: Any, job: ExportJob, requester_key: str = "") -> bool:
    """Only whoever asked: annexes from other apps depend on what the requester may read."""
    if not can_view_document(person, job.document):
        return False
    if job.requested_by_id is not None:
        return is_authenticated(person) and job.requested_by_id == person.pk
    return bool(requester_key) and job.requester_key == requester_key


def can_view_authorship(person: Any, document: Document) -> bool:
    return can_view_document(person, document)
