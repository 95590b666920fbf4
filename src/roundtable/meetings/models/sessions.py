"""Sessions, their rooms and agendas."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roundtable.agenda.models import Cluster, PolicyIssue
from roundtable.processes.models import AttributionRule, Process


class SessionKind(models.TextChoices):
    CLOSED = "closed", _("closed working session")
    PLENARY = "plenary", _("plenary")
    CONSULTATION = "consultation", _("open consultation")


class SessionFormat(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    HYBRID = "hybrid", _("hybrid (in person and online)")


class Room(models.Model):
    """A meeting room of a process; two sessions may not overlap in one room."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("room"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="one_room_name_per_process")
        ]

    def __str__(self) -> str:
        return self.name


def _new_uid() -> str:
    return uuid.uuid4().hex


class Session(models.Model):
    """One meeting of a process. Times are stored in UTC.

    ``time_zone`` is the zone the times were entered in (the venue's, as a
    rule); pages show each viewer their own zone and, when it differs, the
    venue's. ``uid`` and ``sequence`` are the iCalendar UID and SEQUENCE:
    the UID never changes, the sequence rises with every change a calendar
    must pick up.
    """

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind of session"), max_length=20, choices=SessionKind.choices)
    format = models.CharField(
        _("format"), max_length=20, choices=SessionFormat.choices, default=SessionFormat.IN_PERSON
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    online_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    attribution_rule = models.CharField(
        _("attribution rule"),
        max_length=20,
        choices=AttributionRule.choices,
        default=AttributionRule.CHATHAM_HOUSE,
    )
    default_speaking_seconds = models.PositiveIntegerField(_("speaking time per turn"), default=180)
    uid = models.CharField(max_length=64, unique=True, default=_new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    started_at = models.DateTimeField(_("opened"), null=True, blank=True)
    ended_at = models.DateTimeField(_("closed"), null=True, blank=True)
    current_agenda_item = models.ForeignKey(
        "AgendaItem",
        verbose_name=_("agenda item under discussion"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    minutes_published_at = models.DateTimeField(_("minutes published"), null=True, blank=True)
    minutes_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["process", "start"]),
            models.Index(fields=["room", "start"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SessionKind.values), name="session_kind_is_known"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(started_at__isnull=False),
                name="session_closed_only_after_opened",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "meetings:session", kwargs={"slug": self.process.slug, "session_id": self.pk}
        )

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_live(self) -> bool:
        """The floor is open: the chair opened the session and has not closed it."""
        return self.started_at is not None and self.ended_at is None and not self.is_cancelled

    @property
    def is_over(self) -> bool:
        return self.ended_at is not None or self.end <= timezone.now()

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    @property
    def minutes_published(self) -> bool:
        return self.minutes_published_at is not None

    @property
    def has_room(self) -> bool:
        return self.format in (SessionFormat.IN_PERSON, SessionFormat.HYBRID)

    @property
    def is_online(self) -> bool:
        return self.format in (SessionFormat.ONLINE, SessionFormat.HYBRID)

    @property
    def state(self) -> str:
        if self.is_cancelled:
            return "cancelled"
        if self.is_live:
            return "live"
        if self.ended_at is not None or self.end <= timezone.now():
            return "past"
        return "upcoming"

    def get_state_display(self) -> str:
        return {
            "cancelled": _("cancelled"),
            "live": _("in session"),
            "past": _("held"),
            "upcoming": _("upcoming"),
        }[self.state]


class AgendaItem(models.Model):
    """One item of a session's agenda, with its outcome once discussed.

    It may point at a cluster or policy issue (agenda app) and at a document
    through a generic reference, so this app never imports the drafting app.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    planned_minutes = models.PositiveIntegerField(_("planned minutes"), null=True, blank=True)
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cluster"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    policy_issue = models.ForeignKey(
        PolicyIssue,
        verbose_name=_("policy issue"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    document_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    document_id = models.PositiveBigIntegerField(null=True, blank=True)
    document = GenericForeignKey("document_type", "document_id")
    outcome = models.TextField(_("outcome"), blank=True, help_text=_("Markdown."))

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(document_type__isnull=True, document_id__isnull=True)
                | Q(document_type__isnull=False, document_id__isnull=False),
                name="agenda_document_reference_whole",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def effective_cluster_id(self) -> int | None:
        if self.cluster_id:
            return self.cluster_id
        if self.policy_issue_id and self.policy_issue and self.policy_issue.cluster_id:
            return self.policy_issue.cluster_id
        return None
