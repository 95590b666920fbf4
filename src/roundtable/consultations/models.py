"""Calls for input, submissions, moderation, dispositions and working papers.

A call's target is a generic reference: the process itself (no target), an
``agenda.Cluster`` or ``agenda.PolicyIssue``, or a drafting document or
paragraph, resolved through ContentType so this app never imports drafting.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roundtable.people.models import Region, StakeholderGroup
from roundtable.processes.models import Process

# The kinds of object a call (or a disposition link) may point at, by model label.
TARGET_LABELS = (
    "agenda.cluster",
    "agenda.policyissue",
    "drafting.document",
    "drafting.paragraph",
)


class Publication(models.TextChoices):
    NAMED = "named", _("with the author's name")
    ANONYMOUS = "anonymous", _("anonymously")
    AUTHOR_CHOICE = "author_choice", _("with or without the name, as each author chooses")


class CallState(models.TextChoices):
    DRAFT = "draft", _("draft (not announced)")
    SCHEDULED = "scheduled", _("announced, not yet open")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Call(models.Model):
    """A time-boxed, public request for input on a process, an issue or a draft."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="calls")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), help_text=_("Markdown."))
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    time_zone = models.CharField(_("time zone of the dates"), max_length=64, default="UTC")
    languages = models.JSONField(_("languages accepted"), default=list, blank=True)
    publication = models.CharField(
        _("submissions are published"),
        max_length=20,
        choices=Publication.choices,
        default=Publication.AUTHOR_CHOICE,
    )
    moderation_rules = models.TextField(_("moderation rules"), blank=True, help_text=_("Markdown."))
    published_at = models.DateTimeField(_("announced"), null=True, blank=True)
    # Receipts issued so far; also the allocator of receipt numbers (row-locked).
    received_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("call for input")
        verbose_name_plural = _("calls for input")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_it_opens"
            ),
            models.CheckConstraint(
                condition=Q(target_type__isnull=True, target_id__isnull=True)
                | Q(target_type__isnull=False, target_id__isnull=False),
                name="call_target_is_whole",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:call", kwargs={"slug": self.process.slug, "call_id": self.pk})

    def state_at(self, now: dt.datetime | None = None) -> str:
        now = now or timezone.now()
        if self.published_at is None:
            return CallState.DRAFT
        if now < self.opens_at:
            return CallState.SCHEDULED
        if now < self.closes_at:
            return CallState.OPEN
        return CallState.CLOSED

    @property
    def state(self) -> str:
        return self.state_at()

    def get_state_display(self) -> str:
        return CallState(self.state).label

    @property
    def is_open(self) -> bool:
        return self.state == CallState.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == CallState.CLOSED

    @property
    def rules_frozen(self) -> bool:
        """Once open, only the dates may change (and only to extend)."""
        return self.published_at is not None and timezone.now() >= self.opens_at

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def target_label(self) -> str:
        if self.target_type_id is None:
            return ""
        return f"{self.target_type.app_label}.{self.target_type.model}"


class Question(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("question"))
    required = models.BooleanField(_("an answer is required"), default=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", _("awaiting moderation")
    APPROVED = "approved", _("approved")
    CHANGES_REQUESTED = "changes_requested", _("returned to the author for editing")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn by the author")


class RejectionReason(models.TextChoices):
    SPAM = "spam", _("spam")
    ABUSIVE = "abusive", _("abusive")
    OFF_TOPIC = "off_topic", _("off-topic")


class Submission(models.Model):
    """One comment received on a call: a receipt was issued for it, so it is never deleted."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="submissions")
    number = models.PositiveIntegerField(_("receipt number"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_submissions",
    )
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    stakeholder_group = models.ForeignKey(
        StakeholderGroup,
        verbose_name=_("stakeholder group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True
    )
    language = models.CharField(_("language"), max_length=10)
    # The interface language at the time of submitting: later e-mails use it.
    contact_language = models.CharField(max_length=10, default="en")
    text = models.TextField(_("comment"), blank=True)
    consent_to_publish = models.BooleanField(_("may be published"), default=True)
    anonymous = models.BooleanField(_("published without the author's name"), default=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.PENDING,
    )
    idempotency_key = models.CharField(max_length=64)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    manage_token_hash = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    updated_at = models.DateTimeField(_("last edited"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    rejection_reason = models.CharField(
        _("reason"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    moderation_message = models.TextField(_("message to the author"), blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="one_receipt_number_per_call"),
            models.UniqueConstraint(
                fields=["call", "idempotency_key"], name="one_submission_per_idempotency_key"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SubmissionStatus.values), name="submission_status_is_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="rejection_has_a_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["call", "status"]),
            models.Index(fields=["email", "received_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference}"

    def get_absolute_url(self) -> str:
        return reverse(
            "consultations:submission",
            kwargs={
                "slug": self.call.process.slug,
                "call_id": self.call_id,
                "number": self.number,
            },
        )

    @property
    def reference(self) -> str:
        """The receipt reference printed on receipts and reports, e.g. ``C12-0042``."""
        return f"C{self.call_id}-{self.number:04d}"

    @property
    def is_published(self) -> bool:
        return self.status == SubmissionStatus.APPROVED and self.consent_to_publish


class Answer(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(_("answer"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "question"], name="one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Attachment(models.Model):
    """A file sent with a submission, checked by content and stored outside the web root."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename


class EmailVerification(models.Model):
    """A magic link that lets someone without an account submit to one call."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="verifications")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    verified_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["email", "created_at"])]

    def __str__(self) -> str:
        return self.email


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    PARTLY_ACCEPTED = "partly_accepted", _("partly accepted")
    NOT_ACCEPTED = "not_accepted", _("not accepted")
    NOTED = "noted", _("noted")
    OUT_OF_SCOPE = "out_of_scope", _("out of scope")


class Reaction(models.TextChoices):
    ACCEPTS = "accepts", _("accepts the disposition")
    OBJECTS = "objects", _("objects to the disposition")


class Disposition(models.Model):
    """How one submission was taken into account, and what its author says of it."""

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="disposition"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    response = models.TextField(_("response"), help_text=_("Markdown."))
    # Set when the disposition was applied to a whole campaign group at once:
    # the group is named by its representative submission.
    campaign_representative = models.ForeignKey(
        Submission,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    campaign_size = models.PositiveIntegerField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    reaction = models.CharField(
        _("author's reaction"), max_length=20, choices=Reaction.choices, blank=True
    )
    reaction_comment = models.TextField(_("author's comment"), blank=True)
    reacted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="disposition_outcome_is_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission}: {self.get_outcome_display()}"


class DispositionLink(models.Model):
    """What changed because of a submission: a policy issue, a paragraph, a cluster."""

    disposition = models.ForeignKey(Disposition, on_delete=models.CASCADE, related_name="links")
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    label = models.CharField(max_length=300)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["disposition", "target_type", "target_id"], name="one_link_per_target"
            )
        ]

    def __str__(self) -> str:
        return self.label


class CallAnalysis(models.Model):
    """The last good campaigns-and-themes result of a call, and the state of its runs.

    A failed run never replaces ``result``: the dashboard keeps showing the
    last good one with a notice (unlike Pol.is, whose report fails when its
    math worker is down).
    """

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="analysis")
    result = models.JSONField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
    requested_at = models.DateTimeField(null=True, blank=True)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("call analysis")
        verbose_name_plural = _("call analyses")

    def __str__(self) -> str:
        return f"{self.call}"

    @property
    def last_run_failed(self) -> bool:
        return self.failed_at is not None and (
            self.computed_at is None or self.failed_at > self.computed_at
        )


# --- Working papers -------------------------------------------------------------


class PaperSeries(models.Model):
    """A numbered series of document symbols, e.g. ``WG/WP`` gives ``WG/WP/12``."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="paper_series")
    prefix = models.CharField(_("symbol prefix"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("paper series")
        verbose_name_plural = _("paper series")
        ordering = ["prefix"]
        constraints = [
            models.UniqueConstraint(fields=["process", "prefix"], name="one_series_per_prefix")
        ]

    def __str__(self) -> str:
        return f"{self.prefix} — {self.title}"


class PaperStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    FOR_COMMENT = "for_comment", _("for comment")
    FINAL = "final", _("final")


class WorkingPaper(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="working_papers")
    series = models.ForeignKey(
        PaperSeries,
        verbose_name=_("series"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="papers",
    )
    number = models.PositiveIntegerField(_("number in the series"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    abstract = models.TextField(_("abstract"), blank=True)
    authors = models.CharField(_("authors"), max_length=500)
    language = models.CharField(_("original language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=20, choices=PaperStatus.choices, default=PaperStatus.DRAFT
    )
    issues = models.ManyToManyField(
        "agenda.PolicyIssue", verbose_name=_("issues treated"), blank=True, related_name="papers"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("working paper")
        verbose_name_plural = _("working papers")
        ordering = ["series__prefix", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="one_paper_per_symbol"),
            models.CheckConstraint(
                condition=Q(series__isnull=True, number__isnull=True)
                | Q(series__isnull=False, number__isnull=False),
                name="paper_symbol_is_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} {self.title}" if self.symbol else self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "consultations:paper", kwargs={"slug": self.process.slug, "paper_id": self.pk}
        )

    @property
    def symbol(self) -> str:
        if self.series_id is None or self.number is None:
            return ""
        return f"{self.series.prefix}/{self.number}"


class PaperVersion(models.Model):
    """One language version of a working paper; versions are shown side by side."""

    paper = models.ForeignKey(WorkingPaper, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=10)
    title = models.CharField(_("title in this language"), max_length=300)
    file = models.FileField(max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "language"], name="one_version_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.paper} [{self.language}]"
