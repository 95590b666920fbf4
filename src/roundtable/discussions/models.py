"""Threads and messages of a process, who follows them, and the digests sent.

A thread belongs to a process and, optionally, to one cluster of issues or to
one other object of the process (a draft document, through a generic
reference so this app does not import the drafting app). Who may read it
follows the process's access and the discussion archive setting kept here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roundtable.agenda.models import Cluster
from roundtable.processes.models import AttributionRule, Process


class Archive(models.TextChoices):
    """Who may read a process's discussions (within what the process's access allows)."""

    MEMBERS = "members", _("Members only: the chair, the secretariat and the members")
    PUBLIC = "public", _("Public archive: everyone who may read the process")


class DiscussionSettings(models.Model):
    """The discussion rules of one process (a row is created on first use)."""

    process = models.OneToOneField(
        Process, on_delete=models.CASCADE, related_name="discussion_settings"
    )
    archive = models.CharField(
        _("archive"), max_length=20, choices=Archive.choices, default=Archive.MEMBERS
    )
    attribution = models.CharField(
        _("attribution in discussions"),
        max_length=20,
        choices=AttributionRule.choices,
        default=AttributionRule.CHATHAM_HOUSE,
        help_text=_(
            "Under the Chatham House Rule, people without a role in the process never "
            "see who wrote a message, on any page, feed, e-mail or search result."
        ),
    )
    moderate_first_posts = models.BooleanField(
        _("first posts of new participants wait for approval"), default=True
    )

    class Meta:
        verbose_name = _("discussion settings")
        verbose_name_plural = _("discussion settings")

    def __str__(self) -> str:
        return str(self.process)


class Thread(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="threads")
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cluster"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="threads",
    )
    # A thread about one object of the process (a draft document, say).
    about_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now)
    moderated = models.BooleanField(
        _("moderated"),
        default=True,
        help_text=_("First posts of new participants wait for a moderator's approval."),
    )
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lock_reason = models.CharField(_("reason for locking"), max_length=500, blank=True)
    # The Message-ID every e-mail of the thread refers to, so clients thread them.
    root_message_id = models.CharField(max_length=250, blank=True)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        ordering = ["-last_message_at", "-pk"]
        indexes = [
            models.Index(fields=["process", "-last_message_at"]),
            models.Index(fields=["about_type", "about_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(about_type__isnull=True, about_id__isnull=True)
                | Q(about_type__isnull=False, about_id__isnull=False),
                name="thread_about_is_complete",
            ),
            models.CheckConstraint(
                condition=Q(cluster__isnull=True) | Q(about_type__isnull=True),
                name="thread_is_about_a_cluster_or_an_object",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "discussions:thread", kwargs={"slug": self.process.slug, "thread_id": self.pk}
        )

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    PUBLISHED = "published", _("published")
    HIDDEN = "hidden", _("hidden by the moderators")


class MessageSource(models.TextChoices):
    WEB = "web", _("web")
    EMAIL = "email", _("e-mail")
    API = "api", _("API")


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    # Denormalised from the thread: digests and search filter by process and day.
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="discussion_messages"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(_("message"), help_text=_("Markdown."))
    status = models.CharField(
        _("status"), max_length=20, choices=MessageStatus.choices, default=MessageStatus.PUBLISHED
    )
    source = models.CharField(max_length=10, choices=MessageSource.choices, default="web")
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    # Our Message-ID for this message (the same in every recipient's copy).
    message_id = models.CharField(max_length=250, unique=True)
    # The Message-ID of the e-mail it came in, to drop a second delivery of it.
    email_message_id = models.CharField(max_length=250, blank=True, db_index=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["process", "status", "published_at"]),
            models.Index(fields=["thread", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_message_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.thread}: {self.body[:40]}"

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}#m{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.status == MessageStatus.PUBLISHED


class Attachment(models.Model):
    """A file sent with a message; served only by a view that checks who may read it."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="discussions/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse(
            "discussions:attachment",
            kwargs={
                "slug": self.message.thread.process.slug,
                "attachment_id": self.pk,
                "filename": self.filename,
            },
        )


class Delivery(models.TextChoices):
    EACH = "each", _("each message")
    DAILY = "daily", _("daily digest")
    WEEKLY = "weekly", _("weekly digest")
    NONE = "none", _("nothing")


class Subscription(models.Model):
    """How a person follows the whole process, one cluster or one thread.

    The most specific subscription wins: thread, then cluster, then process.
    ``none`` on a thread silences it inside a followed cluster.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_subscriptions"
    )
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="+")
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(cluster__isnull=True) | Q(thread__isnull=True),
                name="subscription_to_one_thing",
            ),
            models.UniqueConstraint(
                fields=["person", "thread"],
                condition=Q(thread__isnull=False),
                name="one_subscription_per_thread",
            ),
            models.UniqueConstraint(
                fields=["person", "cluster"],
                condition=Q(cluster__isnull=False),
                name="one_subscription_per_cluster",
            ),
            models.UniqueConstraint(
                fields=["person", "process"],
                condition=Q(cluster__isnull=True, thread__isnull=True),
                name="one_process_subscription",
            ),
            models.CheckConstraint(
                condition=Q(delivery__in=["each", "daily", "weekly", "none"]),
                name="subscription_delivery_is_known",
            ),
        ]
        indexes = [models.Index(fields=["process", "delivery"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_delivery_display()}"


class DigestKind(models.TextChoices):
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly")


class DigestLog(models.Model):
    """One digest queued for one person: the unique key makes sending twice impossible."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=DigestKind.choices)
    # The recipient's local date the digest is for (the Monday, for a week).
    period = models.DateField()
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    message_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "process", "kind", "period"], name="one_digest_per_period"
            )
        ]
        indexes = [models.Index(fields=["process", "kind", "period"])]

    def __str__(self) -> str:
        return f"{self.person} {self.kind} {self.period}"
