"""The audit log is append-only and any later change breaks its hash chain."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from roundtable.audit.models import GENESIS_HASH, AppendOnlyError, AuditEntry
from roundtable.audit.selectors import audit_chain_verify
from roundtable.audit.services import audit_record
from tests.factories import PersonFactory, ProcessFactory

pytestmark = pytest.mark.django_db


def _entries(count: int = 5) -> list[AuditEntry]:
    actor = PersonFactory()
    process = ProcessFactory()
    return [
        audit_record(
            actor=actor,
            action=f"test.action{i}",
            obj=process,
            process=process,
            data={"i": i, "note": "é"},
        )
        for i in range(count)
    ]


def _raw_update(entry: AuditEntry, column: str, value: object) -> None:
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, entry.pk])  # noqa: S608


def _raw_delete(entry: AuditEntry) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [entry.pk])  # noqa: S608


def test_entries_link_each_to_the_one_before():
    entries = _entries(3)
    assert entries[0].prev_hash == GENESIS_HASH
    assert entries[1].prev_hash == entries[0].hash
    assert entries[2].prev_hash == entries[1].hash
    assert [e.seq for e in entries] == [1, 2, 3]
    report = audit_chain_verify()
    assert report.ok and report.checked == 3


def test_entry_records_who_what_when_and_which_object():
    actor = PersonFactory(name="Ada Actor")
    process = ProcessFactory()
    entry = audit_record(
        actor=actor, action="process.updated", obj=process, process=process, data={"x": [1, 2]}
    )
    entry.refresh_from_db()
    assert entry.actor == actor
    assert entry.action == "process.updated"
    assert entry.object_type == "processes.process"
    assert entry.object_id == str(process.pk)
    assert entry.process_id == process.pk
    assert entry.data == {"x": [1, 2]}
    assert entry.created_at is not None
    # The stored row re-hashes to the same value it was written with.
    assert entry.compute_hash() == entry.hash


def test_changed_content_is_caught_and_named():
    entries = _entries(5)
    _raw_update(entries[2], "action", "test.forged")
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == 3
    assert report.broken_id == entries[2].pk
    assert report.checked == 2
    assert "changed" in report.reason


def test_changed_data_field_is_caught():
    entries = _entries(4)
    _raw_update(entries[1], "data", '{"i": 99}')
    report = audit_chain_verify()
    assert (report.ok, report.broken_seq) == (False, 2)


def test_removed_entry_in_the_middle_is_caught():
    entries = _entries(4)
    _raw_delete(entries[1])
    report = audit_chain_verify()
    assert (report.ok, report.broken_seq) == (False, 3)
    assert "removed" in report.reason


def test_removed_last_entry_is_caught_by_the_head():
    entries = _entries(3)
    _raw_delete(entries[-1])
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == 3
    assert "end" in report.reason


def test_rehashed_forgery_is_caught_by_the_next_link():
    """Someone who edits a row and recomputes its hash still breaks the next entry."""
    entries = _entries(3)
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.action = "test.forged"
    _raw_update(entries[1], "action", "test.forged")
    _raw_update(entries[1], "hash", forged.compute_hash())
    report = audit_chain_verify()
    assert (report.ok, report.broken_seq) == (False, 3)
    assert "link" in report.reason


def test_entries_cannot_be_changed_or_deleted_through_the_orm():
    entry = _entries(1)[0]
    entry.action = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert audit_chain_verify().ok


def test_verify_command_reports_intact_chain(capsys):
    _entries(2)
    call_command("audit", "verify")
    assert "2 entries verified" in capsys.readouterr().out


def test_verify_command_fails_naming_the_first_broken_entry():
    entries = _entries(3)
    _raw_update(entries[1], "object_repr", "tampered")
    with pytest.raises(CommandError, match=r"broken at entry #2"):
        call_command("audit", "verify")
