"""Every role against every drafting action, as a table.

The same table drives the page and API checks in test_surfaces.py.
"""

from __future__ import annotations

import pytest

from roundtable.drafting import policy
from roundtable.processes.models import Access
from tests.factories import ROLES

pytestmark = pytest.mark.django_db

#                               chair secr. member observer public anonymous
EXPECTED = {
    "view_drafts":              (1,    1,    1,     1,       1,     1),
    "view_document":            (1,    1,    1,     1,       1,     1),
    "view_participants_doc":    (1,    1,    1,     1,       0,     0),
    "create_document":          (0,    1,    0,     0,       0,     0),
    "edit_document":            (0,    1,    0,     0,       0,     0),
    "edit_paragraph":           (0,    1,    0,     0,       0,     0),
    "propose_amendment":        (0,    0,    1,     0,       0,     0),
    "take_position":            (0,    0,    1,     0,       0,     0),
    "decide_amendment":         (1,    1,    0,     0,       0,     0),
    "withdraw_amendment":       (0,    0,    1,     0,       0,     0),
    "request_brackets":         (0,    0,    1,     0,       0,     0),
    "sponsor_alternative":      (0,    0,    1,     0,       0,     0),
    "confirm_ad_referendum":    (0,    0,    1,     0,       0,     0),
    "comment":                  (1,    1,    1,     0,       0,     0),
    "call_consensus":           (1,    0,    0,     0,       0,     0),
    "start_silence":            (1,    0,    0,     0,       0,     0),
    "object_in_silence":        (0,    0,    1,     0,       0,     0),
    "cancel_silence":           (1,    0,    0,     0,       0,     0),
    "write_minority_statement": (0,    0,    1,     0,       0,     0),
    "mark_final":               (1,    0,    0,     0,       0,     0),
    "export":                   (1,    1,    1,     1,       1,     1),
    "view_authorship":          (1,    1,    1,     1,       1,     1),
}  # fmt: skip

# In a participants-only process, nobody outside reads anything.
EXPECTED_MEMBERS_ONLY = {
    "view_drafts":              (1,    1,    1,     1,       0,     0),
    "view_document":            (1,    1,    1,     1,       0,     0),
    "export":                   (1,    1,    1,     1,       0,     0),
    "view_authorship":          (1,    1,    1,     1,       0,     0),
}  # fmt: skip


def ask(action: str, person, personas, world) -> bool:
    return {
        "view_drafts": lambda: policy.can_view_drafts(person, personas.process),
        "view_document": lambda: policy.can_view_document(person, world.document),
        "view_participants_doc": lambda: policy.can_view_document(person, world.private),
        "create_document": lambda: policy.can_create_document(person, personas.process),
        "edit_document": lambda: policy.can_edit_document(person, world.document),
        "edit_paragraph": lambda: policy.can_edit_paragraph(person, world.first),
        "propose_amendment": lambda: policy.can_propose_amendment(person, world.document),
        "take_position": lambda: policy.can_take_position(person, world.gov_amendment),
        "decide_amendment": lambda: policy.can_decide_amendment(person, world.gov_amendment),
        "withdraw_amendment": lambda: policy.can_withdraw_amendment(person, world.member_amendment),
        "request_brackets": lambda: policy.can_request_brackets(person, world.first),
        "sponsor_alternative": lambda: policy.can_sponsor_alternative(person, world.recommendation),
        "confirm_ad_referendum": lambda: policy.can_confirm_ad_referendum(
            person, world.ad_referendum
        ),
        "comment": lambda: policy.can_comment(person, world.first),
        "call_consensus": lambda: policy.can_call_consensus(person, world.document),
        "start_silence": lambda: policy.can_start_silence(person, world.document),
        "object_in_silence": lambda: policy.can_object_in_silence(person, world.silence),
        "cancel_silence": lambda: policy.can_cancel_silence(person, world.silence),
        "write_minority_statement": lambda: policy.can_write_minority_statement(
            person, world.document
        ),
        "mark_final": lambda: policy.can_mark_final(person, world.final),
        "export": lambda: policy.can_export(person, world.document),
        "view_authorship": lambda: policy.can_view_authorship(person, world.document),
    }[action]()


def wrong_answers(table: dict, action: str, personas, world) -> list[str]:
    """Roles for which the policy disagrees with the table (one world per action, all roles)."""
    wrong = []
    for role in ROLES:
        expected = bool(table[action][ROLES.index(role)])
        if ask(action, getattr(personas, role), personas, world) is not expected:
            wrong.append(f"{role}: expected {expected}")
    return wrong


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_public_process(personas, world, action):
    assert wrong_answers(EXPECTED, action, personas, world) == []


@pytest.mark.parametrize("action", sorted(EXPECTED_MEMBERS_ONLY))
def test_participants_only_process(personas, world, action):
    personas.process.access = Access.MEMBERS
    personas.process.save()
    assert wrong_answers(EXPECTED_MEMBERS_ONLY, action, personas, world) == []


def test_a_final_document_is_read_only_for_everyone(personas, world):
    from roundtable.drafting import services

    document = services.document_mark_final(actor=personas.chair, document=world.final)
    paragraph = document.paragraphs.get()
    for person in (personas.chair, personas.secretariat, personas.member):
        assert not policy.can_edit_document(person, document)
        assert not policy.can_propose_amendment(person, document)
        assert not policy.can_call_consensus(person, document)
        assert not policy.can_request_brackets(person, paragraph)
    assert policy.can_mark_final(personas.chair, document)  # to reopen it
    assert policy.can_export(personas.member, document)


def test_only_the_requester_downloads_an_export(personas, world):
    from roundtable.drafting import services

    job, _queued = services.export_request(
        actor=personas.member, document=world.document, format="html"
    )
    assert policy.can_download_export(personas.member, job)
    for role in ("chair", "secretariat", "observer", "public", "anonymous"):
        assert not policy.can_download_export(getattr(personas, role), job)
    anonymous_job, _queued = services.export_request(
        actor=personas.anonymous, document=world.document, format="html", requester_key="k" * 64
    )
    assert policy.can_download_export(personas.anonymous, anonymous_job, "k" * 64)
    assert not policy.can_download_export(personas.anonymous, anonymous_job, "x" * 64)
    assert not policy.can_download_export(personas.anonymous, anonymous_job, "")
