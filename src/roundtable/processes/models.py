"""A process (one working group), its mandate, roles and composition."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roundtable.people.models import DevelopmentStatus, Organisation, Region, StakeholderGroup


class AttributionRule(models.TextChoices):
    ATTRIBUTED = "attributed", _("Attributed")
    CHATHAM_HOUSE = "chatham_house", _("Chatham House Rule")


class Access(models.TextChoices):
    """Who may read a process. An explicit enumeration, never a pair of flags."""

    PUBLIC = "public", _("Public: anyone may read what the process publishes")
    MEMBERS = "members", _("Participants only: only people with a role in the process")


class Process(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    mandate = models.TextField(_("mandate"), blank=True, help_text=_("Markdown."))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    working_languages = models.JSONField(
        _("working languages"), default=list, blank=True, help_text=_("Language codes.")
    )
    default_attribution = models.CharField(
        _("default attribution rule"),
        max_length=20,
        choices=AttributionRule.choices,
        default=AttributionRule.CHATHAM_HOUSE,
    )
    chatham_house_shows_stakeholder_group = models.BooleanField(
        _("under the Chatham House Rule, show the speaker's stakeholder group"), default=True
    )
    access = models.CharField(
        _("access"), max_length=20, choices=Access.choices, default=Access.PUBLIC
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="process_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("processes:home", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.access == Access.PUBLIC


class DeliverableStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DELIVERED = "delivered", _("delivered")


class Deliverable(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="deliverables")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DeliverableStatus.choices,
        default=DeliverableStatus.PLANNED,
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["position", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title


class Role(models.TextChoices):
    CHAIR = "chair", _("chair")
    SECRETARIAT = "secretariat", _("secretariat")
    MEMBER = "member", _("member")
    OBSERVER = "observer", _("observer")


class Capacity(models.TextChoices):
    PERSONAL = "personal", _("personal capacity")
    REPRESENTATIVE = "representative", _("representative of an organisation")


class Membership(models.Model):
    """A person's role in one process, with what balance is measured on."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    stakeholder_group = models.ForeignKey(
        StakeholderGroup,
        verbose_name=_("stakeholder group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    development_status = models.CharField(
        _("developed or developing"),
        max_length=20,
        choices=DevelopmentStatus.choices,
        blank=True,
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    capacity = models.CharField(
        _("capacity"), max_length=20, choices=Capacity.choices, default=Capacity.PERSONAL
    )
    start_date = models.DateField(_("from"), default=timezone.localdate)
    end_date = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "process"], name="one_membership_per_process"
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="membership_role_is_known"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.process})"

    def get_absolute_url(self) -> str:
        return reverse(
            "processes:member", kwargs={"slug": self.process.slug, "membership_id": self.pk}
        )

    @property
    def is_current(self) -> bool:
        return self.end_date is None or self.end_date >= timezone.localdate()


class DeclarationOfInterests(models.Model):
    """Published by a member about themselves; every version is kept."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="declarations"
    )
    text = models.TextField(_("declaration of interests"))
    declared_on = models.DateField(_("declared on"), default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("declaration of interests")
        verbose_name_plural = _("declarations of interests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.membership.person} {self.declared_on}"


class Invitation(models.Model):
    """An e-mailed offer of a role. Only the token's hash is stored."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
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
    development_status = models.CharField(
        _("developed or developing"), max_length=20, choices=DevelopmentStatus.choices, blank=True
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    capacity = models.CharField(
        _("capacity"), max_length=20, choices=Capacity.choices, default=Capacity.PERSONAL
    )
    message = models.TextField(_("personal message"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        EXPIRED = "expired", _("expired")
        REVOKED = "revoked", _("withdrawn")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.process}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class Dimension(models.TextChoices):
    STAKEHOLDER_GROUP = "stakeholder_group", _("stakeholder group")
    REGION = "region", _("region")
    DEVELOPMENT_STATUS = "development_status", _("developed or developing")


class CompositionTarget(models.Model):
    """A wanted range for one category's share or count of members."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="composition_targets"
    )
    dimension = models.CharField(_("dimension"), max_length=30, choices=Dimension.choices)
    stakeholder_group = models.ForeignKey(
        StakeholderGroup, on_delete=models.CASCADE, null=True, blank=True
    )
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True)
    development_status = models.CharField(
        max_length=20, choices=DevelopmentStatus.choices, blank=True
    )
    min_percent = models.PositiveSmallIntegerField(_("minimum share (%)"), null=True, blank=True)
    max_percent = models.PositiveSmallIntegerField(_("maximum share (%)"), null=True, blank=True)
    min_count = models.PositiveIntegerField(_("minimum members"), null=True, blank=True)
    max_count = models.PositiveIntegerField(_("maximum members"), null=True, blank=True)

    class Meta:
        verbose_name = _("composition target")
        verbose_name_plural = _("composition targets")
        constraints = [
            # One target per category: partial unique indexes work on SQLite too.
            models.UniqueConstraint(
                fields=["process", "stakeholder_group"],
                condition=Q(dimension="stakeholder_group"),
                name="one_target_per_stakeholder_group",
            ),
            models.UniqueConstraint(
                fields=["process", "region"],
                condition=Q(dimension="region"),
                name="one_target_per_region",
            ),
            models.UniqueConstraint(
                fields=["process", "development_status"],
                condition=Q(dimension="development_status"),
                name="one_target_per_development_status",
            ),
            models.CheckConstraint(
                condition=(
                    Q(dimension="stakeholder_group", stakeholder_group__isnull=False)
                    | Q(dimension="region", region__isnull=False)
                    | (Q(dimension="development_status") & ~Q(development_status=""))
                ),
                name="target_names_its_category",
            ),
            models.CheckConstraint(
                condition=Q(min_percent__isnull=True) | Q(min_percent__lte=100),
                name="target_min_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(max_percent__isnull=True) | Q(max_percent__lte=100),
                name="target_max_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}: {self.category_label}"

    @property
    def category_label(self) -> str:
        if self.dimension == Dimension.STAKEHOLDER_GROUP and self.stakeholder_group:
            return self.stakeholder_group.display_name
        if self.dimension == Dimension.REGION and self.region:
            return self.region.display_name
        return DevelopmentStatus(self.development_status).label if self.development_status else ""
