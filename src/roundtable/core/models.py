"""Shared infrastructure: the outbox every e-mail goes through."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MailBodyField(models.TextField):
    """A text column for mail bodies (hundreds of KB in a digest).

    Having ``get_placeholder`` keeps Django's PostgreSQL ``bulk_create`` off
    its UNNEST path: that path sends each column as one array, and psycopg's
    client-side quoting escapes every quote in an array of large HTML texts
    with a regex callback (two thirds of the time of a 10,000-member digest
    run). The plain VALUES path quotes each text in C.
    """

    def get_placeholder(self, value, compiler, connection) -> str:
        return "%s"


class OutboundMessage(models.Model):
    """One e-mail to one recipient, written in the same transaction as its cause.

    The row is the source of truth: a delivery task sends it and stamps
    ``sent_at``; if SMTP is down the task retries with back-off, and
    ``roundtable mail flush`` re-queues anything overdue. Delivery claims the
    row with a lease and checks ``sent_at`` first, so duplicate tasks never
    send twice; only a crash between the SMTP reply and the stamp could.
    """

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    text = MailBodyField(_("plain text"))
    html = MailBodyField(_("HTML"), blank=True)
    from_email = models.CharField(max_length=300, blank=True)
    reply_to = models.CharField(max_length=300, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(
        default=list, blank=True, help_text="[{filename, content_type, content_b64}]"
    )
    kind = models.CharField(_("kind"), max_length=50, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # A short lease taken by the worker that is sending, so two workers never
    # send the same row; SMTP is never spoken inside a database transaction.
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "failed_at", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class PeriodicJobState(models.Model):
    """When each periodic job last ran, shared by all workers so only one runs it."""

    name = models.CharField(max_length=100, unique=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name
