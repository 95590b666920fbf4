"""Surveys, their invitations, drafts and anonymous responses.

Anonymity is structural (docs/surveys.md, "How anonymity is kept"):

- ``Response`` holds a random id, its survey and its answers. Nothing else:
  no person, invitation, token, language or time.
- ``SurveyInvitation`` records only *that* its link was used (``used``),
  never when.
- A respondent's unfinished answers live in ``SurveyDraft``, tied to the
  invitation (or to a resume key for the open link); submitting deletes the
  draft in the same transaction that stores the answers.
- Submitted answers wait in ``PendingResponse`` (no link either) and join the
  results in shuffled batches of at least k, in a later transaction, so
  neither row order nor transaction ids tie a response to the moment a
  given invitation was used. Closing a survey rewrites every response in
  one shuffled batch.
"""

from __future__ import annotations

import uuid
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roundtable.processes.models import Process

from .xlsform import Form


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class ResultsAudience(models.TextChoices):
    """Who may read the results besides the secretariat: an explicit enumeration."""

    SECRETARIAT = "secretariat", _("the secretariat only (not published)")
    MEMBERS = "members", _("the chair, the secretariat and members")
    PUBLIC = "public", _("everyone who can read the process")


class Survey(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Markdown. Shown to respondents before the first question."),
    )
    definition = models.JSONField(_("form"), default=dict)
    source = models.BinaryField(_("XLSForm file"), editable=False)
    source_name = models.CharField(_("file name"), max_length=200, blank=True)
    template = models.CharField(_("built-in template"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    open_link = models.BooleanField(
        _("open link"),
        default=False,
        help_text=_("Anyone with the survey's link may answer, without an invitation."),
    )
    open_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    min_cell = models.PositiveSmallIntegerField(
        _("smallest group shown"),
        default=3,
        help_text=_(
            "Breakdowns hide any figure for fewer respondents than this. Fixed once the "
            "survey opens."
        ),
    )
    results_audience = models.CharField(
        _("results visible to"),
        max_length=20,
        choices=ResultsAudience.choices,
        default=ResultsAudience.SECRETARIAT,
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    imported_count = models.PositiveIntegerField(_("responses imported"), default=0)
    # Bumped whenever responses join the results: the key of cached tabulations.
    results_version = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SurveyStatus.values), name="survey_status_is_known"
            ),
            models.CheckConstraint(
                condition=Q(results_audience__in=ResultsAudience.values),
                name="survey_audience_is_known",
            ),
            models.CheckConstraint(condition=Q(min_cell__gte=1), name="survey_min_cell_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:detail", kwargs={"slug": self.process.slug, "pk": self.pk})

    @cached_property
    def form(self) -> Form:
        return Form.from_dict(self.definition)

    @property
    def is_open(self) -> bool:
        return self.status == SurveyStatus.OPEN and (
            self.closes_on is None or self.closes_on >= timezone.localdate()
        )

    @property
    def is_published(self) -> bool:
        return self.results_audience != ResultsAudience.SECRETARIAT


class SurveyInvitation(models.Model):
    """An e-mailed, one-time link to answer. Records only that it was used."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_invitations",
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    # The token is derived from the nonce and the site's secret key (so reminders
    # can repeat the same link); only its hash is looked up.
    nonce = models.CharField(max_length=32, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    used = models.BooleanField(_("answered"), default=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "email"], name="one_invitation_per_address")
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.survey}"


class SurveyDraft(models.Model):
    """Answers saved before submitting; deleted when the answers are submitted."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="drafts")
    invitation = models.OneToOneField(
        SurveyInvitation, on_delete=models.CASCADE, null=True, blank=True, related_name="draft"
    )
    resume_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    answers = models.JSONField(default=dict)
    page = models.PositiveSmallIntegerField(default=0)
    language = models.CharField(max_length=10, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(invitation__isnull=False, resume_hash__isnull=True)
                    | Q(invitation__isnull=True, resume_hash__isnull=False)
                ),
                name="draft_has_one_key",
            )
        ]

    def __str__(self) -> str:
        return f"draft {self.pk} of {self.survey_id}"


class PendingResponse(models.Model):
    """Submitted answers waiting to join the results in a shuffled batch."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="pending")
    answers = models.JSONField(default=dict)

    def __str__(self) -> str:
        return str(self.pk)


class Response(models.Model):
    """One anonymous response: a random id, the survey, the answers. Nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    answers = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return str(self.pk)
