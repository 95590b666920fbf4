"""Policy issues identified bottom-up, and the clusters they are grouped into.

Other apps refer to ``Cluster`` and ``PolicyIssue`` (session agenda items,
discussion threads, draft sections). The agenda app owns everything else here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roundtable.people.models import Region, StakeholderGroup
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
    # Added by the agenda app (migration 0002).
    language = models.CharField(_("language"), max_length=10, blank=True)
    call = models.ForeignKey(
        "IssueCall",
        verbose_name=_("call for issues"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issues",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("policy issue")
        verbose_name_plural = _("policy issues")
        ordering = ["pk"]
        constraints = [
            # A merge points at another issue, and only a merged issue points anywhere.
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")), name="issue_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="merged", merged_into__isnull=False)
                    | (~models.Q(status="merged") & models.Q(merged_into__isnull=True))
                ),
                name="issue_merged_status_matches_target",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        """On the list or proposed: can be rated, ranked and clustered."""
        return self.status in (IssueStatus.PROPOSED, IssueStatus.ACCEPTED)


# --- Added by the agenda app (migration 0002 onwards) ------------------------


class ProposerRole(models.TextChoices):
    """The proposer's standing in the process when the issue was proposed."""

    CHAIR = "chair", _("chair")
    SECRETARIAT = "secretariat", _("secretariat")
    MEMBER = "member", _("member")
    OBSERVER = "observer", _("observer")
    PUBLIC = "public", _("member of the public")


class IssueCall(models.Model):
    """A time-boxed public call for policy issues.

    While a call is open anyone logged in may propose an issue; members may
    propose at any time. Times are stored in UTC and shown in the viewer's zone.
    """

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="issue_calls")
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("What the call asks for. Markdown.")
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("call for issues")
        verbose_name_plural = _("calls for issues")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="issue_call_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process} {self.opens_at:%Y-%m-%d}–{self.closes_at:%Y-%m-%d}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at


class IssueProposal(models.Model):
    """One proposer's text for an issue, kept unchanged as provenance.

    Every issue starts with its own proposal. When the secretariat merges a
    duplicate into another issue, the duplicate's proposals move to the
    surviving issue (``issue``) and remember where they began
    (``original_issue``): no proposer and no text is ever lost.
    """

    issue = models.ForeignKey(PolicyIssue, on_delete=models.CASCADE, related_name="proposals")
    original_issue = models.ForeignKey(
        PolicyIssue, on_delete=models.CASCADE, related_name="original_proposals"
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issue_proposals",
    )
    proposer_role = models.CharField(
        _("proposer's role"), max_length=20, choices=ProposerRole.choices
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
    self_declared = models.BooleanField(
        _("stakeholder group declared by the proposer"), default=False
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    references = models.TextField(_("supporting references"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    merged_at = models.DateTimeField(null=True, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("issue proposal")
        verbose_name_plural = _("issue proposals")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class ClusterMember(models.Model):
    """A member of a cluster's drafting team (the coordinator is on the cluster)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cluster_teams"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("drafting team member")
        verbose_name_plural = _("drafting team members")
        ordering = ["person__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "person"], name="one_team_seat_per_cluster")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.cluster})"


class ClusterSuggestion(models.Model):
    """A clustering of the issue texts computed by the analysis engine.

    Kept so the secretariat can accept it in part, one suggested cluster at a
    time, and so anyone can see what was suggested and what was accepted.
    """

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="cluster_suggestions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    requested_clusters = models.PositiveSmallIntegerField(null=True, blank=True)
    only_unclustered = models.BooleanField(default=False)
    issue_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("cluster suggestion")
        verbose_name_plural = _("cluster suggestions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.process} {self.created_at:%Y-%m-%d %H:%M}"


class SuggestedCluster(models.Model):
    suggestion = models.ForeignKey(
        ClusterSuggestion, on_delete=models.CASCADE, related_name="clusters"
    )
    position = models.PositiveSmallIntegerField(default=0)
    terms = models.JSONField(default=list)
    issue_ids = models.JSONField(default=list)
    representative_ids = models.JSONField(default=list)
    accepted_cluster = models.ForeignKey(
        Cluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_issue_ids = models.JSONField(default=list, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["suggestion", "position"]

    def __str__(self) -> str:
        return ", ".join(self.terms[:4])

    @property
    def label(self) -> str:
        """A starting title: the first label terms, capitalised."""
        words = [str(term) for term in self.terms[:3]]
        return (" · ".join(words)).capitalize() if words else ""


class Rating(models.Model):
    """A member's rating of one issue. Rating again updates it.

    ``scale_max`` is the top of the scale when the rating was given, so
    results stay exact if the configured scale changes later.
    """

    issue = models.ForeignKey(PolicyIssue, on_delete=models.CASCADE, related_name="ratings")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="issue_ratings"
    )
    score = models.PositiveSmallIntegerField(_("rating"))
    scale_max = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["issue", "person"], name="one_rating_per_issue"),
            models.CheckConstraint(
                condition=models.Q(score__lte=models.F("scale_max")) & models.Q(scale_max__gt=0),
                name="rating_within_its_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score}/{self.scale_max}"


class RankingEntry(models.Model):
    """One place in a member's ranking of the issues (1 is their top priority)."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="issue_rankings"
    )
    issue = models.ForeignKey(PolicyIssue, on_delete=models.CASCADE, related_name="rankings")
    position = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        ordering = ["process", "person", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "person", "issue"], name="issue_ranked_once_per_person"
            ),
            models.UniqueConstraint(
                fields=["process", "person", "position"], name="one_issue_per_rank"
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=1), name="rank_positions_start_at_one"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.issue}"
