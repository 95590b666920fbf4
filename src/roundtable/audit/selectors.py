"""Reading and checking the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from .models import GENESIS_HASH, AuditEntry, AuditHead


@dataclass(frozen=True)
class ChainReport:
    checked: int
    ok: bool
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str = ""


def audit_chain_verify(*, chunk_size: int = 2000) -> ChainReport:
    """Re-compute the chain; name the first entry where it breaks."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        reason = ""
        if entry.seq != expected_seq:
            reason = f"sequence jumps from {expected_seq - 1} to {entry.seq} (entries removed)"
        elif entry.prev_hash != expected_prev:
            reason = "does not link to the entry before it"
        elif entry.compute_hash() != entry.hash:
            reason = "content does not match its hash (changed after it was written)"
        if reason:
            return ChainReport(checked, False, entry.seq, entry.pk, reason)
        checked += 1
        expected_prev = entry.hash
        expected_seq += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != expected_prev):
        return ChainReport(
            checked,
            False,
            checked + 1,
            None,
            f"the chain ends at #{checked} but {head.last_seq} entries were written "
            "(entries removed from the end)",
        )
    return ChainReport(checked, True)


def audit_entries_for_process(*, process_id: int) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(process_id=process_id).select_related("actor").order_by("-seq")
