"""Export jobs: a document rendered at one revision to HTML, PDF, DOCX or ODT."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .documents import Document


class ExportFormat(models.TextChoices):
    HTML = "html", _("HTML (for the web and printing)")
    PDF = "pdf", _("PDF")
    DOCX = "docx", _("Word (DOCX)")
    ODT = "odt", _("OpenDocument text (ODT)")


class ExportView(models.TextChoices):
    CLEAN = "clean", _("clean: the text, brackets, alternatives and their sponsors")
    ANNOTATED = "annotated", _("annotated: also who asked for brackets, and open amendments")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("in progress")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


CONTENT_TYPES = {
    ExportFormat.HTML: "text/html; charset=utf-8",
    ExportFormat.PDF: "application/pdf",
    ExportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ExportFormat.ODT: "application/vnd.oasis.opendocument.text",
}


class ExportJob(models.Model):
    """One export. The file is stored with Django's storage API and only served by
    a view that checks the requester, because annexes from other apps depend on who asked."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="exports")
    revision = models.PositiveIntegerField(_("revision"))
    format = models.CharField(_("format"), max_length=10, choices=ExportFormat.choices)
    view = models.CharField(
        _("view"), max_length=20, choices=ExportView.choices, default=ExportView.CLEAN
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # For visitors without an account: a hash of their session key.
    requester_key = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    stage = models.CharField(max_length=100, blank=True)
    file = models.FileField(upload_to="drafting/exports/%Y/%m/", blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(format__in=ExportFormat.values), name="export_format_is_known"
            ),
            models.CheckConstraint(
                condition=Q(requested_by__isnull=False) | ~Q(requester_key=""),
                name="export_has_a_requester",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} r{self.revision} {self.format}"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return int(self.progress * 100 / self.total) if self.total else 0

    @property
    def is_pending(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[ExportFormat(self.format)]
