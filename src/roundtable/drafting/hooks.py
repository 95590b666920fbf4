"""What drafting answers when other apps ask (see docs/developing.md, "Hooks")."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from roundtable.core.hooks import SearchHit
from roundtable.core.text import markdown_to_plain

from . import selectors
from .models import Paragraph, ParagraphStatus, ParagraphVersion, Section


def cluster_attention(*, process: Any) -> dict[int, dict[str, float]]:
    """Paragraphs of current drafts per cluster (through their section's cluster)."""
    rows = (
        Paragraph.objects.filter(
            document__process=process,
            removed_revision__isnull=True,
            section__removed_revision__isnull=True,
            section__cluster__isnull=False,
        )
        .values("section__cluster_id")
        .annotate(n=Count("pk"))
    )
    return {row["section__cluster_id"]: {"paragraphs": float(row["n"])} for row in rows}


def search(*, process: Any, query: str, person: Any) -> list[SearchHit]:
    """Documents, sections and current paragraph text the person may read."""
    documents = {d.pk: d for d in selectors.readable_documents(process=process, person=person)}
    if not documents or len(query) < 2:
        return []
    hits: list[SearchHit] = []
    for document in documents.values():
        if query.lower() in document.title.lower() or query.lower() in document.summary.lower():
            hits.append(
                SearchHit(
                    kind=_("Draft document"),
                    title=document.title,
                    url=document.get_absolute_url(),
                    snippet=Truncator(markdown_to_plain(document.summary)).chars(200),
                    when=document.updated_at,
                )
            )
    for section in Section.objects.filter(
        document_id__in=documents, removed_revision__isnull=True, title__icontains=query
    )[:50]:
        document = documents[section.document_id]
        hits.append(
            SearchHit(
                kind=_("Draft section"),
                title=f"{document.title}: {section.title}",
                url=f"{document.get_absolute_url()}#s-{section.pk}",
                snippet="",
                when=document.updated_at,
            )
        )
    current = ParagraphVersion.objects.filter(
        paragraph__document_id__in=documents,
        paragraph__removed_revision__isnull=True,
        paragraph__current_version=F("pk"),
    ).select_related("paragraph")
    versions = list(current.filter(text__icontains=query)[:100])
    # Options live in JSON (stored ASCII-escaped): match them in Python, they are few.
    seen = {v.pk for v in versions}
    for version in current.filter(status=ParagraphStatus.ALTERNATIVES).exclude(pk__in=seen):
        if any(query.lower() in a.get("text", "").lower() for a in version.alternatives):
            versions.append(version)
    numbers: dict[int, dict[int, int]] = {}
    for version in versions:
        document = documents[version.paragraph.document_id]
        if document.pk not in numbers:
            numbers[document.pk] = selectors.paragraph_numbers(document)
        number = numbers[document.pk].get(version.paragraph_id)
        version.paragraph.document = document
        text = version.text or " ".join(a.get("text", "") for a in version.alternatives)
        hits.append(
            SearchHit(
                kind=_("Draft paragraph"),
                title=_("%(document)s, paragraph %(number)s")
                % {"document": document.title, "number": number},
                url=version.paragraph.get_absolute_url(),
                snippet=_snippet(markdown_to_plain(text), query),
                when=version.created_at,
            )
        )
    return hits


def _snippet(text: str, query: str, width: int = 200) -> str:
    index = text.lower().find(query.lower())
    if index < 0:
        return Truncator(text).chars(width)
    start = max(0, index - width // 3)
    prefix = "…" if start else ""
    return prefix + Truncator(text[start:]).chars(width)
