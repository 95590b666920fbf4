"""Sessions, their agendas, attendance, the floor, minutes, accreditation and calendars.

Who may do what with these is decided in ``policy.py`` only. How a speaker is
named when anything leaves the system is decided by
``roundtable.processes.attribution.attribute`` only; nothing here renders a
speaker. That is why the ``__str__`` of every row that points at a speaker
(floor requests, statements, attendance) names the row, never the person:
``str(obj)`` ends up in the audit log.
"""

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
from roundtable.people.models import Region, StakeholderGroup
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
