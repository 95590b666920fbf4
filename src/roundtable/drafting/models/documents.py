"""Documents, their sections and paragraphs, and every version of every paragraph.

A paragraph's state (text, status, alternatives, brackets, pending
confirmations, divergence note) lives in its versions: every change makes a
new, immutable ``ParagraphVersion`` and moves ``Paragraph.current_version``.
Each change also opens a ``DocumentRevision``; a document "at revision R" is
every paragraph that existed then, each at its latest version up to R.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roundtable.processes.models import Membership, Process


class DocumentKind(models.TextChoices):
    REPORT = "report", _("report")
    WORKING_DEFINITION = "working_definition", _("working definition")
    BACKGROUND_PAPER = "background_paper", _("background paper")
    OTHER = "other", _("other document")


class Visibility(models.TextChoices):
    """Who may read a document, as an explicit enumeration."""

    PROCESS = "process", _("Everyone who may read the process")
    PARTICIPANTS = "participants", _("Participants only (chair, secretariat, members, observers)")


class DocumentStatus(models.TextChoices):
    DRAFTING = "drafting", _("being drafted")
    FINAL = "final", _("final")


class Document(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=30, choices=DocumentKind.choices, default=DocumentKind.REPORT
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("Markdown."))
    visibility = models.CharField(
        _("who may read it"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.PROCESS,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.DRAFTING
    )
    revision = models.PositiveIntegerField(_("revision"), default=0)
    final_revision = models.PositiveIntegerField(_("final at revision"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("marked final"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["process", "-updated_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="document_kind_is_known"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="document_visibility_is_known"
            ),
            models.CheckConstraint(
                condition=Q(status="drafting") | Q(final_revision__isnull=False),
                name="final_document_names_its_revision",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "drafting:document", kwargs={"slug": self.process.slug, "document_id": self.pk}
        )

    @property
    def is_final(self) -> bool:
        return self.status == DocumentStatus.FINAL


class DocumentRevision(models.Model):
    """One numbered change to a document: what changed, who, when."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    summary = models.CharField(_("what changed"), max_length=300)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the system made the change (a silence procedure ending)."),
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("document revision")
        verbose_name_plural = _("document revisions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_revision_number"),
        ]

    def __str__(self) -> str:
        return f"{self.document} r{self.number}"


class Section(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=300)
    position = models.PositiveIntegerField(_("order"), default=0)
    cluster = models.ForeignKey(
        "agenda.Cluster",
        verbose_name=_("cluster"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="draft_sections",
    )
    created_revision = models.PositiveIntegerField(default=0)
    removed_revision = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["document", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_removed(self) -> bool:
        return self.removed_revision is not None


class ParagraphStatus(models.TextChoices):
    """How far a passage is from agreement."""

    OPEN = "open", _("under discussion")
    BRACKETED = "bracketed", _("bracketed")
    ALTERNATIVES = "alternatives", _("alternatives")
    AD_REFERENDUM = "ad_referendum", _("agreed ad referendum")
    AGREED = "agreed", _("agreed")


class Paragraph(models.Model):
    """A paragraph's identity and place; its content is in its versions."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="paragraphs")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField(_("order"), default=0)
    current_version = models.ForeignKey(
        "ParagraphVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The current version's number: an edit names the number it started from,
    # and is refused if another edit landed first (optimistic locking).
    version_number = models.PositiveIntegerField(default=0)
    # Copied from the current version so counts per section are one query.
    status = models.CharField(
        _("status"), max_length=20, choices=ParagraphStatus.choices, default=ParagraphStatus.OPEN
    )
    is_recommendation = models.BooleanField(_("recommendation"), default=False)
    created_revision = models.PositiveIntegerField(default=0)
    removed_revision = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        ordering = ["section__position", "position", "pk"]
        indexes = [models.Index(fields=["document", "removed_revision"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ParagraphStatus.values), name="paragraph_status_is_known"
            ),
        ]

    def __str__(self) -> str:
        """The opening words, so a paragraph is recognisable in other apps' lists."""
        from django.utils.text import Truncator

        from roundtable.core.text import markdown_to_plain

        version = self.current_version
        text = markdown_to_plain(version.text if version else "") or (
            version.alternatives[0]["text"] if version and version.alternatives else ""
        )
        return f"¶ {Truncator(' '.join(text.split())).chars(80)}".strip()

    def get_absolute_url(self) -> str:
        return reverse(
            "drafting:paragraph",
            kwargs={
                "slug": self.document.process.slug,
                "document_id": self.document_id,
                "paragraph_id": self.pk,
            },
        )

    @property
    def is_removed(self) -> bool:
        return self.removed_revision is not None


class ChangeKind(models.TextChoices):
    CREATED = "created", _("written")
    EDITED = "edited", _("edited")
    AMENDMENT = "amendment", _("amendment accepted")
    STATUS = "status", _("status changed")
    BRACKETS = "brackets", _("brackets requested or withdrawn")
    ALTERNATIVES = "alternatives", _("alternatives changed")
    SPONSORS = "sponsors", _("sponsors changed")
    CONSENSUS = "consensus", _("consensus call")
    SILENCE = "silence", _("silence procedure")
    CONFIRMATION = "confirmation", _("ad referendum confirmation")
    REMOVED = "removed", _("removed")


class ParagraphVersion(models.Model):
    """One immutable state of a paragraph.

    ``alternatives`` is a list of ``{"label", "text", "sponsors": [membership ids],
    "amendment": id or null, "origins": [[amendment id, words], ...]}``;
    ``brackets`` a list of ``{"membership", "reason"}``; ``ad_referendum`` a list of
    ``{"membership", "confirmed_at"}``. ``origins`` credits each word of ``text``
    to the accepted amendment that brought it (0: drafted directly).
    """

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    document_revision = models.PositiveIntegerField(_("document revision"))
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ParagraphStatus.choices)
    is_recommendation = models.BooleanField(_("recommendation"), default=False)
    alternatives = models.JSONField(default=list, blank=True)
    brackets = models.JSONField(default=list, blank=True)
    ad_referendum = models.JSONField(default=list, blank=True)
    note = models.TextField(
        _("explanatory note"), blank=True, help_text=_("Why the divergence remains.")
    )
    divergence_recorded = models.BooleanField(default=False)
    origins = models.JSONField(default=list, blank=True)
    change = models.CharField(_("change"), max_length=20, choices=ChangeKind.choices)
    reason = models.TextField(_("why"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    amendment = models.ForeignKey(
        "Amendment",
        verbose_name=_("from amendment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("paragraph version")
        verbose_name_plural = _("paragraph versions")
        ordering = ["paragraph", "number"]
        constraints = [
            models.UniqueConstraint(fields=["paragraph", "number"], name="one_version_number"),
            models.CheckConstraint(
                condition=Q(status__in=ParagraphStatus.values), name="version_status_is_known"
            ),
        ]
        indexes = [models.Index(fields=["paragraph", "document_revision"])]

    def __str__(self) -> str:
        return f"¶{self.paragraph_id} v{self.number}"

    @property
    def is_settled(self) -> bool:
        """Agreed, or its divergence recorded by a consensus call."""
        return self.status == ParagraphStatus.AGREED or self.divergence_recorded


class Comment(models.Model):
    """A participant's comment beside a paragraph."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version_number = models.PositiveIntegerField(_("on version"))
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["paragraph", "created_at", "pk"]

    def __str__(self) -> str:
        return f"comment {self.pk} on ¶{self.paragraph_id}"
