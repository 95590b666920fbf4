"""Amendments members propose, and the positions others take on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roundtable.people.models import Region, StakeholderGroup
from roundtable.processes.models import Membership

from .documents import Document, Paragraph, ParagraphVersion, Section


class AmendmentKind(models.TextChoices):
    REPLACE = "replace", _("replace the paragraph")
    INSERT = "insert", _("insert a new paragraph")
    DELETE = "delete", _("delete the paragraph")
    ALTERNATIVE = "alternative", _("add an alternative wording")


class AmendmentStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Amendment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="amendments")
    kind = models.CharField(_("kind"), max_length=20, choices=AmendmentKind.choices)
    paragraph = models.ForeignKey(
        Paragraph,
        verbose_name=_("paragraph"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="amendments",
        help_text=_("The paragraph replaced, deleted or given an alternative."),
    )
    base_version = models.ForeignKey(
        ParagraphVersion,
        verbose_name=_("written against version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        on_delete=models.CASCADE,
        related_name="amendments",
    )
    after = models.ForeignKey(
        Paragraph,
        verbose_name=_("insert after"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For an insertion: the paragraph it follows."),
    )
    at_start = models.BooleanField(
        _("at the start of the section"),
        default=False,
        help_text=_("For an insertion with no paragraph before it: start (else end) of section."),
    )
    text = models.TextField(_("proposed text"), blank=True)
    rationale = models.TextField(_("rationale"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drafting_amendments"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The author's categories when proposing: authorship balance counts these.
    stakeholder_group = models.ForeignKey(
        StakeholderGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=20, choices=AmendmentStatus.choices, default=AmendmentStatus.OPEN
    )
    created_at = models.DateTimeField(_("proposed"), default=timezone.now)
    created_revision = models.PositiveIntegerField(default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_revision = models.PositiveIntegerField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    result_version = models.ForeignKey(
        ParagraphVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_amendment_number"),
            models.CheckConstraint(
                condition=Q(kind__in=AmendmentKind.values), name="amendment_kind_is_known"
            ),
            models.CheckConstraint(
                condition=Q(kind="insert") | Q(paragraph__isnull=False),
                name="amendment_names_its_paragraph",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(decided_at__isnull=False),
                name="decided_amendment_has_a_time",
            ),
        ]
        indexes = [models.Index(fields=["document", "status"])]

    def __str__(self) -> str:
        return _("Amendment %(number)d") % {"number": self.number}

    def get_absolute_url(self) -> str:
        return reverse(
            "drafting:amendment",
            kwargs={
                "slug": self.document.process.slug,
                "document_id": self.document_id,
                "amendment_id": self.pk,
            },
        )

    @property
    def is_open(self) -> bool:
        return self.status == AmendmentStatus.OPEN


class Stance(models.TextChoices):
    SUPPORT = "support", _("support")
    OPPOSE = "oppose", _("oppose")


class Position(models.Model):
    """A member's support for or opposition to an amendment, with an optional comment."""

    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="positions")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    stakeholder_group = models.ForeignKey(
        StakeholderGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stance = models.CharField(_("position"), max_length=10, choices=Stance.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["amendment", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["amendment", "person"], name="one_position_per_person"),
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="position_stance_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stance} on {self.amendment_id}"
