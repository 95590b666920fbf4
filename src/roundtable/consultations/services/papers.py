"""Working papers: submitted by anyone with an account, numbered and published by the secretariat.

A document symbol (``WG/WP/12``) is given once and never changes, as with UN
document symbols; language versions of the same paper sit side by side.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.agenda.models import PolicyIssue
from roundtable.audit.services import audit_record
from roundtable.people.models import Person
from roundtable.processes.models import Process

from .. import policy
from ..conf import limit
from ..models import PaperSeries, PaperStatus, PaperVersion, WorkingPaper
from ..uploads import check_upload, discard, store
from ._common import language_codes, require

PREFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./\-]{0,38}[A-Za-z0-9.]$|^[A-Za-z0-9]$")


@transaction.atomic
def series_create(*, actor: Person, process: Process, prefix: str, title: str) -> PaperSeries:
    require(policy.can_manage_papers(actor, process))
    prefix = (prefix or "").strip().rstrip("/")
    title = (title or "").strip()
    errors: dict[str, list[str]] = {}
    if not PREFIX.match(prefix):
        errors["prefix"] = [
            _("Use letters, digits, “/”, “.” and “-”, like WG/WP (at most 40 characters).")
        ]
    elif PaperSeries.objects.filter(process=process, prefix__iexact=prefix).exists():
        errors["prefix"] = [_("This process already has a series %(prefix)s.") % {"prefix": prefix}]
    if not title:
        errors["title"] = [_("Give the series a title.")]
    if errors:
        raise ValidationError(errors)
    series = PaperSeries.objects.create(process=process, prefix=prefix, title=title[:200])
    audit_record(
        actor=actor,
        action="paper_series.created",
        obj=series,
        process=process,
        data={"prefix": prefix},
    )
    return series


def _clean_language(language: str) -> str:
    if language not in language_codes():
        raise ValidationError({"language": [_("Choose a language from the list.")]})
    return language


def _store_file(file: Any, paper: WorkingPaper, stored: list[str]) -> dict[str, Any]:
    if file is None:
        raise ValidationError({"file": [_("Attach the paper (PDF, DOCX, ODT or TXT).")]})
    checked = check_upload(
        file, getattr(file, "name", "") or "", max_bytes=limit("CONSULTATION_MAX_PAPER_BYTES")
    )
    return {"checked": checked, "handle": file}


def _save_version(
    *,
    paper: WorkingPaper,
    language: str,
    title: str,
    prepared: dict[str, Any],
    actor: Person,
    stored: list[str],
) -> PaperVersion:
    checked = prepared["checked"]
    name = store(prepared["handle"], checked, folder=f"papers/{paper.process_id}")
    stored.append(name)
    old = PaperVersion.objects.filter(paper=paper, language=language).first()
    if old is not None:
        old_name = old.file.name
        old.delete()
        transaction.on_commit(lambda: discard([old_name]))
    return PaperVersion.objects.create(
        paper=paper,
        language=language,
        title=title,
        file=name,
        filename=checked.filename,
        content_type=checked.kind.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )


@transaction.atomic
def paper_submit(
    *,
    actor: Person,
    process: Process,
    title: str,
    authors: str,
    language: str,
    file: Any,
    abstract: str = "",
) -> WorkingPaper:
    """A member or a member of the public proposes a paper for the library."""
    require(policy.can_submit_paper(actor, process))
    errors: dict[str, list[str]] = {}
    title, authors, abstract = (
        (title or "").strip(),
        (authors or "").strip(),
        (abstract or "").strip(),
    )
    if not title:
        errors["title"] = [_("Give the paper a title.")]
    if not authors:
        errors["authors"] = [_("Name the authors.")]
    if len(abstract) > limit("CONSULTATION_MAX_TEXT_CHARS"):
        errors["abstract"] = [_("The abstract is too long.")]
    if errors:
        raise ValidationError(errors)
    language = _clean_language(language)
    paper = WorkingPaper(
        process=process,
        title=title[:300],
        authors=authors[:500],
        abstract=abstract,
        language=language,
        submitted_by=actor,
    )
    prepared = _store_file(file, paper, [])
    stored: list[str] = []
    try:
        paper.save()
        _save_version(
            paper=paper,
            language=language,
            title=paper.title,
            prepared=prepared,
            actor=actor,
            stored=stored,
        )
        audit_record(actor=actor, action="paper.submitted", obj=paper, process=process)
    except BaseException:
        discard(stored)
        raise
    return paper


@transaction.atomic
def paper_update(
    *,
    actor: Person,
    paper: WorkingPaper,
    series: PaperSeries | int | None = None,
    status: str | None = None,
    issues: Iterable[PolicyIssue | int] | None = None,
    title: str | None = None,
    abstract: str | None = None,
    authors: str | None = None,
) -> WorkingPaper:
    """The secretariat gives a symbol, sets the status, links issues, edits the record."""
    require(policy.can_manage_papers(actor, paper.process))
    paper = WorkingPaper.objects.select_for_update().get(pk=paper.pk)
    changed: dict[str, Any] = {}
    if series is not None:
        if not isinstance(series, PaperSeries):
            series = PaperSeries.objects.filter(pk=series, process=paper.process).first()
        if series is None or series.process_id != paper.process_id:
            raise ValidationError({"series": [_("Choose one of this process's series.")]})
        if paper.series_id is None:
            # Lock the series so two papers never get the same number.
            PaperSeries.objects.select_for_update().get(pk=series.pk)
            last = WorkingPaper.objects.filter(series=series).aggregate(n=Max("number"))["n"]
            paper.series, paper.number = series, (last or 0) + 1
            changed["symbol"] = paper.symbol
        elif paper.series_id != series.pk:
            raise ValidationError(
                {
                    "series": [
                        _("This paper is already %(symbol)s; a symbol never changes.")
                        % {"symbol": paper.symbol}
                    ]
                }
            )
    if status is not None:
        if status not in PaperStatus.values:
            raise ValidationError({"status": [_("Choose a status from the list.")]})
        if status != paper.status:
            changed["status"] = status
            paper.status = status
    for field, value in (("title", title), ("abstract", abstract), ("authors", authors)):
        if value is not None and value.strip() != getattr(paper, field):
            if field != "abstract" and not value.strip():
                raise ValidationError({field: [_("This field cannot be empty.")]})
            setattr(paper, field, value.strip())
            changed[field] = value.strip()[:80]
    paper.save()
    if issues is not None:
        ids = {issue.pk if isinstance(issue, PolicyIssue) else int(issue) for issue in issues}
        found = list(PolicyIssue.objects.filter(process=paper.process, pk__in=ids))
        if len(found) != len(ids):
            raise ValidationError({"issues": [_("Choose issues of this process.")]})
        if set(paper.issues.values_list("pk", flat=True)) != ids:
            paper.issues.set(found)
            changed["issues"] = sorted(ids)
    if changed:
        audit_record(
            actor=actor, action="paper.updated", obj=paper, process=paper.process, data=changed
        )
    return paper


@transaction.atomic
def paper_publish(*, actor: Person, paper: WorkingPaper) -> WorkingPaper:
    require(policy.can_manage_papers(actor, paper.process))
    paper = WorkingPaper.objects.select_for_update().get(pk=paper.pk)
    if paper.published_at is not None:
        raise ValidationError(_("This paper is already published."))
    if not paper.symbol:
        raise ValidationError({"series": [_("Give the paper a document symbol first.")]})
    paper.published_at = timezone.now()
    paper.save(update_fields=["published_at"])
    audit_record(
        actor=actor,
        action="paper.published",
        obj=paper,
        process=paper.process,
        data={"symbol": paper.symbol},
    )
    return paper


@transaction.atomic
def paper_add_version(
    *, actor: Person, paper: WorkingPaper, language: str, file: Any, title: str = ""
) -> PaperVersion:
    """Add (or replace) the paper in one language."""
    require(policy.can_add_paper_version(actor, paper))
    language = _clean_language(language)
    title = (title or "").strip()[:300] or paper.title
    if not paper.versions.filter(language=language).exists() and paper.versions.count() >= limit(
        "CONSULTATION_MAX_PAPER_VERSIONS"
    ):
        raise ValidationError({"language": [_("This paper has as many versions as allowed.")]})
    prepared = _store_file(file, paper, [])
    stored: list[str] = []
    try:
        version = _save_version(
            paper=paper,
            language=language,
            title=title,
            prepared=prepared,
            actor=actor,
            stored=stored,
        )
        audit_record(
            actor=actor,
            action="paper.version_added",
            obj=paper,
            process=paper.process,
            data={"language": language, "sha256": version.sha256},
        )
    except BaseException:
        discard(stored)
        raise
    return version
