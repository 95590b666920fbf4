"""The floor and the minutes: requests and turns, statements, actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roundtable.people.models import Region, StakeholderGroup

from .sessions import AgendaItem, Session


class FloorStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    SPEAKING = "speaking", _("speaking")
    DONE = "done", _("spoke")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_FLOOR_STATUSES = (FloorStatus.WAITING, FloorStatus.SPEAKING)


class FloorRequest(models.Model):
    """A request for the floor; once granted it is a speaking turn with its duration.

    The speaker's stakeholder group and region are copied at request time, so
    a later change of membership does not rewrite the balance of a past room.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="floor_requests")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="floor_requests"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="floor_requests"
    )
    status = models.CharField(
        max_length=20, choices=FloorStatus.choices, default=FloorStatus.WAITING
    )
    stakeholder_group = models.ForeignKey(
        StakeholderGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    granted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    time_limit_seconds = models.PositiveIntegerField(null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("floor request")
        verbose_name_plural = _("floor requests")
        ordering = ["requested_at", "pk"]
        indexes = [models.Index(fields=["session", "status"])]
        constraints = [
            # The database itself refuses a second open request or a second speaker.
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=Q(status__in=["waiting", "speaking"]),
                name="one_open_floor_request_per_person",
            ),
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(status="speaking"),
                name="one_speaker_at_a_time",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True)
                | Q(granted_at__isnull=True)
                | Q(ended_at__gte=models.F("granted_at")),
                name="turn_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"floor request #{self.pk} (session #{self.session_id})"

    def speaking_seconds(self, now=None) -> float:
        """Seconds on the floor: the whole turn, or so far if still speaking."""
        if self.granted_at is None:
            return 0.0
        end = self.ended_at or (now or timezone.now())
        return max((end - self.granted_at).total_seconds(), 0.0)


class StatementSource(models.TextChoices):
    RECORDED = "recorded", _("recorded in the session")
    TRANSCRIPT = "transcript", _("imported from a transcript")


class Statement(models.Model):
    """What one speaker said, as recorded for the minutes."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="statements")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statements",
    )
    speaker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("speaker"),
        on_delete=models.PROTECT,
        related_name="statements",
    )
    stakeholder_group = models.ForeignKey(
        StakeholderGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("statement"))
    position = models.PositiveIntegerField(default=0)
    source = models.CharField(
        max_length=20, choices=StatementSource.choices, default=StatementSource.RECORDED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"statement #{self.pk} (session #{self.session_id})"


class ActionItem(models.Model):
    """Something to do that an agenda item decided, with an owner and a date."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(_("action"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return f"action #{self.pk}"
