"""Policy issues identified bottom-up, and the clusters they are grouped into.

Other apps refer to ``Cluster`` and ``PolicyIssue`` (session agenda items,
discussion threads, draft sections). The agenda app owns everything else here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roundtable.people.models import StakeholderGroup
from roundtable.processes.models import Process


class Cluster(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="clusters")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_clusters",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class IssueStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("on the list")
    MERGED = "merged", _("merged into another issue")
    WITHDRAWN = "withdrawn", _("withdrawn")


class PolicyIssue(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="policy_issues")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    references = models.TextField(_("supporting references"), blank=True)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_issues",
    )
    proposer_stakeholder_group = models.ForeignKey(
        StakeholderGroup,
        verbose_name=_("proposer's stakeholder group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cluster"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issues",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=IssueStatus.choices, default=IssueStatus.PROPOSED
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_issues",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("policy issue")
        verbose_name_plural = _("policy issues")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title
