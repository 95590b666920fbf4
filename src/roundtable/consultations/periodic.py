"""Periodic jobs: idempotent, safe to run twice, sending no mail."""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.utils import timezone

from roundtable.core.periodic import PeriodicJob

ORPHAN_AGE = dt.timedelta(hours=2)


def purge_expired_verifications() -> int:
    """Unused magic links past their expiry hold an e-mail address for nothing: delete them."""
    from .models import EmailVerification

    deleted, _detail = EmailVerification.objects.filter(
        used_at__isnull=True, expires_at__lt=timezone.now() - dt.timedelta(days=1)
    ).delete()
    return deleted


def requeue_analyses() -> int:
    from .services.analysis import analysis_requeue_stale

    return analysis_requeue_stale()


def sweep_orphan_files() -> int:
    """Files saved by a write that was rolled back afterwards: no row refers to them."""
    from .models import Attachment, PaperVersion

    removed = 0
    cutoff = timezone.now() - ORPHAN_AGE
    for root, model in (("consultations", Attachment), ("papers", PaperVersion)):
        try:
            folders, _files = default_storage.listdir(root)
        except (FileNotFoundError, NotADirectoryError):
            continue
        for folder in folders:
            _dirs, files = default_storage.listdir(f"{root}/{folder}")
            names = [f"{root}/{folder}/{name}" for name in files]
            known = set(model.objects.filter(file__in=names).values_list("file", flat=True))
            for name in names:
                if name in known:
                    continue
                try:
                    modified = default_storage.get_modified_time(name)
                except (FileNotFoundError, NotImplementedError):
                    continue
                if modified < cutoff:
                    default_storage.delete(name)
                    removed += 1
    return removed


JOBS = [
    PeriodicJob(
        "consultations.purge_verifications", dt.timedelta(hours=6), purge_expired_verifications
    ),
    PeriodicJob("consultations.requeue_analyses", dt.timedelta(minutes=5), requeue_analyses),
    PeriodicJob("consultations.sweep_orphan_files", dt.timedelta(hours=6), sweep_orphan_files),
]
