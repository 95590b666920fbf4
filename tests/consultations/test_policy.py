"""Every role against every consultations action, as a table.

``test_surfaces.py`` holds the pages and the API to the same table.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from roundtable.consultations import policy, services
from roundtable.consultations.models import Publication
from roundtable.consultations.tokens import author_link_token
from roundtable.processes.models import Access, Process
from tests.consultations.conftest import close_call, make_call, pdf_file
from tests.factories import ROLES

pytestmark = pytest.mark.django_db

#                              chair  secr.  member observer public anonymous
EXPECTED = {
    "list_calls":               (1,     1,     1,     1,       1,     1),
    "view_call":                (1,     1,     1,     1,       1,     1),
    "view_draft_call":          (1,     1,     0,     0,       0,     0),
    "create_call":              (0,     1,     0,     0,       0,     0),
    "edit_call":                (0,     1,     0,     0,       0,     0),
    "submit":                   (1,     1,     1,     1,       1,     1),
    "submit_without_account":   (0,     0,     0,     0,       0,     1),
    "submit_to_closed_call":    (0,     0,     0,     0,       0,     0),
    "view_published":           (1,     1,     1,     1,       1,     1),
    "view_pending":             (1,     1,     1,     0,       0,     0),
    "view_unpublished_queue":   (1,     1,     0,     0,       0,     0),
    "edit_submission":          (0,     0,     1,     0,       0,     0),
    "withdraw_submission":      (0,     0,     1,     0,       0,     0),
    "download_pending_file":    (1,     1,     1,     0,       0,     0),
    "download_published_file":  (1,     1,     1,     1,       1,     1),
    "moderate":                 (0,     1,     0,     0,       0,     0),
    "dispose":                  (0,     1,     0,     0,       0,     0),
    "react_to_disposition":     (0,     0,     1,     0,       0,     0),
    "view_report_open_call":    (1,     1,     0,     0,       0,     0),
    "view_report_closed_call":  (1,     1,     1,     1,       1,     1),
    "view_analysis":            (1,     1,     0,     0,       0,     0),
    "export_contact_data":      (0,     1,     0,     0,       0,     0),
    "view_library":             (1,     1,     1,     1,       1,     1),
    "submit_paper":             (1,     1,     1,     1,       1,     0),
    "manage_papers":            (0,     1,     0,     0,       0,     0),
    "view_unpublished_paper":   (1,     1,     1,     0,       0,     0),
    "add_paper_version":        (0,     1,     1,     0,       0,     0),
}  # fmt: skip

# In a participants-only process, only people with a role see calls and submit.
EXPECTED_MEMBERS_ONLY = {
    "list_calls":               (1,     1,     1,     1,       0,     0),
    "view_call":                (1,     1,     1,     1,       0,     0),
    "submit":                   (1,     1,     1,     1,       0,     0),
    "view_published":           (1,     1,     1,     1,       0,     0),
    "view_report_closed_call":  (1,     1,     1,     1,       0,     0),
    "view_library":             (1,     1,     1,     1,       0,     0),
}  # fmt: skip


@pytest.fixture
def world(personas):
    """An open call with a pending submission and a published one (with a disposition),
    both by the member; a draft call; a closed call; an unpublished paper by the member."""
    call = make_call(personas)
    draft = make_call(personas, title="Draft call", publish=False)
    closed = close_call(make_call(personas, title="Closed call"))
    pending, _s, _c = services.submission_create(
        call=call,
        author=personas.member,
        name="Mina Member",
        text="Pending text",
        language="en",
        attachments=[pdf_file()],
    )
    published, _s, _c = services.submission_create(
        call=call,
        author=personas.member,
        name="Mina Member",
        text="Published text",
        language="en",
        attachments=[pdf_file()],
    )
    services.submission_moderate(
        actor=personas.secretariat, submission=published, decision="approve"
    )
    services.disposition_set(
        actor=personas.secretariat, submission=published, outcome="noted", response="Thanks."
    )
    published.refresh_from_db()
    paper = services.paper_submit(
        actor=personas.member,
        process=personas.process,
        title="A paper",
        authors="Mina Member",
        language="en",
        file=pdf_file(),
    )
    return SimpleNamespace(
        call=call,
        draft=draft,
        closed=closed,
        pending=pending,
        published=published,
        paper=paper,
    )


def ask(action: str, person, personas, world) -> bool:
    process = personas.process
    return {
        "list_calls": lambda: policy.can_list_calls(person, process),
        "view_call": lambda: policy.can_view_call(person, world.call),
        "view_draft_call": lambda: policy.can_view_call(person, world.draft),
        "create_call": lambda: policy.can_create_call(person, process),
        "edit_call": lambda: policy.can_edit_call(person, world.call),
        "submit": lambda: policy.can_submit(person, world.call),
        "submit_without_account": lambda: policy.can_submit_without_account(person, world.call),
        "submit_to_closed_call": lambda: policy.can_submit(person, world.closed),
        "view_published": lambda: policy.can_view_submission(person, world.published),
        "view_pending": lambda: policy.can_view_submission(person, world.pending),
        "view_unpublished_queue": lambda: policy.can_view_unpublished(person, world.call),
        "edit_submission": lambda: policy.can_edit_submission(person, world.pending),
        "withdraw_submission": lambda: policy.can_withdraw_submission(person, world.pending),
        "download_pending_file": lambda: policy.can_download_attachment(person, world.pending),
        "download_published_file": lambda: policy.can_download_attachment(person, world.published),
        "moderate": lambda: policy.can_moderate(person, world.call),
        "dispose": lambda: policy.can_dispose(person, world.call),
        "react_to_disposition": lambda: policy.can_react_to_disposition(person, world.published),
        "view_report_open_call": lambda: policy.can_view_report(person, world.call),
        "view_report_closed_call": lambda: policy.can_view_report(person, world.closed),
        "view_analysis": lambda: policy.can_view_analysis(person, world.call),
        "export_contact_data": lambda: policy.can_export_contact_data(person, world.call),
        "view_library": lambda: policy.can_view_library(person, process),
        "submit_paper": lambda: policy.can_submit_paper(person, process),
        "manage_papers": lambda: policy.can_manage_papers(person, process),
        "view_unpublished_paper": lambda: policy.can_view_paper(person, world.paper),
        "add_paper_version": lambda: policy.can_add_paper_version(person, world.paper),
    }[action]()


def answers(table: dict, role: str, personas, world) -> tuple[dict, dict]:
    """What the policy says for every action in ``table``, and what the table expects."""
    person = getattr(personas, role)
    got = {action: ask(action, person, personas, world) for action in table}
    expected = {action: bool(row[ROLES.index(role)]) for action, row in table.items()}
    return got, expected


@pytest.mark.parametrize("role", ROLES)
def test_public_process(personas, world, role):
    got, expected = answers(EXPECTED, role, personas, world)
    assert got == expected


@pytest.mark.parametrize("role", ROLES)
def test_participants_only_process(personas, world, role):
    Process.objects.filter(pk=personas.process.pk).update(access=Access.MEMBERS)
    for name in ("call", "draft", "closed", "pending", "published", "paper"):
        getattr(world, name).refresh_from_db()
    world.pending.call.refresh_from_db()
    world.published.call.refresh_from_db()
    for obj in (world.call, world.closed, world.pending.call, world.published.call, world.paper):
        obj.process.refresh_from_db()
    personas.process.refresh_from_db()
    got, expected = answers(EXPECTED_MEMBERS_ONLY, role, personas, world)
    assert got == expected


def test_the_author_link_stands_in_for_an_account(personas, world):
    """Someone without an account holds their submission's link, and nothing more."""
    token = author_link_token(world.pending)
    assert policy.can_view_submission(personas.anonymous, world.pending, token)
    assert policy.can_edit_submission(personas.anonymous, world.pending, token)
    assert not policy.can_edit_submission(personas.anonymous, world.published, token)
    assert not policy.can_view_submission(personas.anonymous, world.pending, token + "x")
    assert not policy.can_view_submission(personas.anonymous, world.pending, "garbage")


def test_authors_cannot_edit_after_the_call_closes(personas, world):
    close_call(world.call)
    world.pending.refresh_from_db()
    assert not policy.can_edit_submission(personas.member, world.pending)
    assert not policy.can_withdraw_submission(personas.member, world.pending)


def test_a_role_in_another_process_gives_nothing(personas, world):
    from tests.factories import MembershipFactory, ProcessFactory

    other = ProcessFactory()
    MembershipFactory(person=personas.public, process=other, role="secretariat")
    assert not policy.can_moderate(personas.public, world.call)
    assert not policy.can_view_unpublished(personas.public, world.call)


def test_publication_mode_is_not_a_permission(personas):
    call = make_call(personas, publication=Publication.ANONYMOUS)
    assert policy.can_submit(personas.anonymous, call)
