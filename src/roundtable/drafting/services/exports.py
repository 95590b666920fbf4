"""Export jobs: requested in a transaction, run in the request (small) or by the worker (large)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from roundtable.audit.services import audit_record

from .. import conf, policy
from ..models import (
    AmendmentStatus,
    Document,
    ExportFormat,
    ExportJob,
    ExportStatus,
    ExportView,
    Paragraph,
    Visibility,
)
from .base import require

logger = logging.getLogger("roundtable.drafting")


def requester_key_for(session_key: str | None) -> str:
    """What identifies a visitor without an account: a hash of their session key."""
    return hashlib.sha256((session_key or "").encode()).hexdigest() if session_key else ""


def export_size(document: Document, revision: int, annotated: bool) -> int:
    """Paragraphs plus printed amendments: what decides between the request and the worker."""
    paragraphs = Paragraph.objects.filter(document=document, created_revision__lte=revision).filter(
        Q(removed_revision__isnull=True) | Q(removed_revision__gt=revision)
    )
    size = paragraphs.count()
    if annotated:
        amendments = document.amendments.filter(created_revision__lte=revision).filter(
            Q(status=AmendmentStatus.OPEN)
            if revision >= document.revision
            else Q(decided_revision__isnull=True) | Q(decided_revision__gt=revision)
        )
        size += amendments.count()
    return size


@transaction.atomic
def export_request(
    *,
    actor: Any,
    document: Document,
    format: str,
    view: str = ExportView.CLEAN,
    revision: int | None = None,
    language: str = "en",
    requester_key: str = "",
) -> tuple[ExportJob, bool]:
    """Record an export; returns the job and whether it was queued for the worker.

    A job that is not queued is small: the caller runs ``export_run`` at once.
    """
    require(policy.can_export(actor, document))
    errors: dict[str, list[str]] = {}
    if format not in ExportFormat.values:
        errors["format"] = [_("“%(value)s” is not a valid choice.") % {"value": format}]
    if view not in ExportView.values:
        errors["view"] = [_("“%(value)s” is not a valid choice.") % {"value": view}]
    if revision is None:
        revision = document.revision
    if not 1 <= int(revision) <= document.revision:
        errors["revision"] = [
            _("Choose a revision between 1 and %(last)d.") % {"last": document.revision}
        ]
    authenticated = bool(getattr(actor, "is_authenticated", False))
    if not authenticated and not requester_key:
        errors["__all__"] = [_("Your browser must accept cookies to export a document.")]
    if errors:
        raise ValidationError(errors)
    mine = ExportJob.objects.filter(status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING])
    mine = (
        mine.filter(requested_by=actor)
        if authenticated
        else mine.filter(requester_key=requester_key)
    )
    if mine.count() >= conf.max_pending_exports_per_person():
        raise ValidationError(
            _("You already have %(count)d exports in progress; wait for them to finish.")
            % {"count": mine.count()}
        )
    annotated = view == ExportView.ANNOTATED
    size = export_size(document, int(revision), annotated)
    job = ExportJob.objects.create(
        document=document,
        revision=int(revision),
        format=format,
        view=view,
        language=language if language in dict(_languages()) else "en",
        requested_by=actor if authenticated else None,
        requester_key="" if authenticated else requester_key,
        total=size,
    )
    if document.visibility == Visibility.PARTICIPANTS or annotated:
        audit_record(
            actor=actor if authenticated else None,
            action="document.exported",
            obj=document,
            process=document.process,
            data={"format": format, "view": view, "revision": revision, "job": job.pk},
        )
    queued = size > conf.export_inline_max_items()
    if queued:
        from ..tasks import run_export

        run_export.enqueue(job.pk)
    return job, queued


def _languages() -> list[tuple[str, str]]:
    from django.conf import settings

    return settings.LANGUAGES


def export_run(*, job_id: int) -> str:
    """Render the job's file and store it. Idempotent: a job already claimed is left alone."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=now, stage=""
    )
    if not claimed:
        return "skipped"
    job = ExportJob.objects.select_related("document__process", "requested_by").get(pk=job_id)
    last = [0.0]

    def progress(done: int, total: int, stage: str) -> None:
        # At most a few writes a second, whatever the size.
        moment = time.monotonic()
        if moment - last[0] < 0.25 and done < total:
            return
        last[0] = moment
        ExportJob.objects.filter(pk=job_id).update(progress=done, total=max(total, 1), stage=stage)

    from ..export import gather, render

    try:
        with translation.override(job.language):
            person = job.requested_by
            if person is None:
                from django.contrib.auth.models import AnonymousUser

                person = AnonymousUser()
            if not policy.can_export(person, job.document):
                raise PermissionError("the requester may no longer read this document")
            data = gather(
                job.document,
                revision=job.revision,
                person=person,
                annotated=job.view == ExportView.ANNOTATED,
                progress=progress,
            )
            content = render(data, job.format, progress)
    except Exception as error:
        logger.exception("export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportStatus.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        return "failed"
    name = f"{slugify(job.document.title)[:60] or 'document'}-r{job.revision}.{job.format}"
    job.file.save(name, ContentFile(content), save=False)
    ExportJob.objects.filter(pk=job_id).update(
        file=job.file.name,
        file_size=len(content),
        status=ExportStatus.DONE,
        progress=job.total,
        finished_at=timezone.now(),
    )
    return "done"


def export_cleanup(*, now: dt.datetime | None = None) -> int:
    """Delete exports past their retention; fail jobs a crashed worker left running."""
    now = now or timezone.now()
    ExportJob.objects.filter(
        status=ExportStatus.RUNNING, started_at__lt=now - dt.timedelta(hours=6)
    ).update(status=ExportStatus.FAILED, finished_at=now, error="abandoned")
    old = ExportJob.objects.filter(
        created_at__lt=now - dt.timedelta(days=conf.export_retention_days())
    )
    removed = 0
    for job in old:
        if job.file:
            job.file.delete(save=False)
        job.delete()
        removed += 1
    return removed
