"""Registration, attendance, observer accreditation, invitations and calendar links."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roundtable.people.models import Region, StakeholderGroup
from roundtable.processes.models import Process

from .sessions import Session


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    REMOTE = "remote", _("remotely")


class Registration(models.Model):
    """Someone says they will attend. For an open consultation it is what admits them.

    People with no role in the process give their stakeholder group, region
    and organisation here, so the balance of an open room can be measured.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_registrations"
    )
    mode = models.CharField(
        _("I will attend"),
        max_length=20,
        choices=AttendanceMode.choices,
        default=AttendanceMode.IN_PERSON,
    )
    stakeholder_group = models.ForeignKey(
        StakeholderGroup,
        verbose_name=_("stakeholder group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="one_registration_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"registration #{self.pk} (session #{self.session_id})"

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None


class AttendanceStatus(models.TextChoices):
    IN_PERSON = "in_person", _("present in person")
    REMOTE = "remote", _("present remotely")
    EXCUSED = "excused", _("excused")


PRESENT = (AttendanceStatus.IN_PERSON, AttendanceStatus.REMOTE)


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_attendance"
    )
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="one_attendance_per_session"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values), name="attendance_status_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"attendance #{self.pk} (session #{self.session_id})"

    @property
    def is_present(self) -> bool:
        return self.status in PRESENT


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    ACCREDITED = "accredited", _("accredited")
    DECLINED = "declined", _("declined")


class ObserverApplication(models.Model):
    """A request to observe a process (``session`` empty) or one plenary session."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="observer_applications"
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="observer_applications",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="observer_applications"
    )
    name = models.CharField(_("name"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    stakeholder_group = models.ForeignKey(
        StakeholderGroup,
        verbose_name=_("stakeholder group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    purpose = models.TextField(_("why you wish to observe"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note to the applicant"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("observer application")
        verbose_name_plural = _("observer applications")
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["process", "status"])]

    def __str__(self) -> str:
        return f"observer application #{self.pk}"


class CalendarFeed(models.Model):
    """A personal calendar link. Calendar clients cannot log in, so the link is the key.

    Only the hash of the secret is stored; making a new link revokes the old one.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"calendar link #{self.pk}"


class SessionInvitation(models.Model):
    """That a person was sent the session's calendar invitation, and at which SEQUENCE.

    Updates and cancellations go to everyone recorded here.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sequence = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_invitation_per_session")
        ]

    def __str__(self) -> str:
        return f"session invitation #{self.pk}"
