"""Writing to the audit log: the only way entries are created."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import AuditEntry, AuditHead


def _json_safe(value: Any) -> Any:
    """Reduce details to JSON types so the stored value hashes the same later."""
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(item) for item in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    return str(value)


def audit_record(
    *,
    actor: Any | None,
    action: str,
    obj: models.Model | None = None,
    process: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain, inside the caller's transaction.

    ``actor`` is a person or None (the system); ``process`` anything with a
    primary key (the audit app does not import the processes app).
    """
    with transaction.atomic():
        # The head row is created by a migration; get_or_create covers a
        # database whose tables were emptied (e.g. between transactional tests).
        head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            seq=head.last_seq + 1,
            created_at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            action=action,
            process_id=process.pk if process is not None else None,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=str(obj)[:200] if obj is not None else "",
            data=_json_safe(data or {}),
            prev_hash=head.last_hash,
        )
        entry.hash = entry.compute_hash()
        entry.save()
        AuditHead.objects.filter(pk=1).update(last_seq=entry.seq, last_hash=entry.hash)
    return entry
