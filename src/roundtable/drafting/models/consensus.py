"""The chair's consensus calls, minority statements and silence procedures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roundtable.people.models import StakeholderGroup
from roundtable.processes.models import Membership

from .documents import Document, Paragraph, Section


class Finding(models.TextChoices):
    CONSENSUS = "consensus", _("consensus")
    ROUGH_CONSENSUS = "rough_consensus", _("rough consensus")
    NO_CONSENSUS = "no_consensus", _("no consensus")


class ConsensusCall(models.Model):
    """The chair's finding on one paragraph or one section."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="consensus_calls")
    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, null=True, blank=True, related_name="consensus_calls"
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="consensus_calls"
    )
    finding = models.CharField(_("finding"), max_length=20, choices=Finding.choices)
    note = models.TextField(_("explanatory note"), blank=True)
    adopted_option = models.CharField(_("option adopted"), max_length=4, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    document_revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("consensus call")
        verbose_name_plural = _("consensus calls")
        ordering = ["document", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(paragraph__isnull=False, section__isnull=True)
                    | Q(paragraph__isnull=True, section__isnull=False)
                ),
                name="consensus_call_on_paragraph_or_section",
            ),
            models.CheckConstraint(
                condition=Q(finding__in=Finding.values), name="consensus_finding_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_finding_display()} ({self.created_at:%Y-%m-%d})"


class Objection(models.Model):
    """A member's objection recorded with a rough consensus; named only through attribution."""

    call = models.ForeignKey(ConsensusCall, on_delete=models.CASCADE, related_name="objections")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    stakeholder_group = models.ForeignKey(
        StakeholderGroup,
        verbose_name=_("stakeholder group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["call", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "membership"], name="one_objection_per_member"),
        ]

    def __str__(self) -> str:
        return f"objection {self.pk}"


class MinorityStatement(models.Model):
    """A statement of dissent attached to a section, with the members who join it."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="minority_statements"
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("statement"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    supporters = models.ManyToManyField(
        Membership, verbose_name=_("joined by"), related_name="+", blank=True
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    created_revision = models.PositiveIntegerField(default=0)
    withdrawn_revision = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("minority statement")
        verbose_name_plural = _("minority statements")
        ordering = ["section", "created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_revision is not None


class SilenceStatus(models.TextChoices):
    OPEN = "open", _("open: agreed unless someone objects")
    AGREED = "agreed", _("ended without objection: agreed")
    BROKEN = "broken", _("broken by an objection")
    CANCELLED = "cancelled", _("cancelled")


class SilenceProcedure(models.Model):
    """A paragraph or section circulated with a deadline; agreed unless a member objects."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="silence_procedures"
    )
    paragraph = models.ForeignKey(
        Paragraph,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="silence_procedures",
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="silence_procedures"
    )
    deadline = models.DateTimeField(_("deadline"))
    message = models.TextField(_("message to members"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SilenceStatus.choices, default=SilenceStatus.OPEN
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    started_revision = models.PositiveIntegerField(default=0)
    # {paragraph id: version number} circulated: text changed since is not agreed by silence.
    versions = models.JSONField(default=dict, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("silence procedure")
        verbose_name_plural = _("silence procedures")
        ordering = ["document", "-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(paragraph__isnull=False, section__isnull=True)
                    | Q(paragraph__isnull=True, section__isnull=False)
                ),
                name="silence_on_paragraph_or_section",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False),
                name="closed_silence_has_a_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"silence {self.pk} until {self.deadline:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status == SilenceStatus.OPEN


class SilenceObjection(models.Model):
    procedure = models.ForeignKey(
        SilenceProcedure, on_delete=models.CASCADE, related_name="objections"
    )
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    stakeholder_group = models.ForeignKey(
        StakeholderGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("objection to a silence procedure")
        verbose_name_plural = _("objections to silence procedures")
        ordering = ["procedure", "created_at"]

    def __str__(self) -> str:
        return f"objection {self.pk}"
