"""What the drafting pages share: loading with permission checks, errors as messages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from roundtable.processes.views import process_for

from .. import policy
from ..models import Amendment, Document, Paragraph, Section


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def document_for(request: HttpRequest, slug: str, document_id: int) -> Document:
    """The document, or 404 for anyone who may not read it (its existence included)."""
    process = process_for(request, slug)
    document = get_object_or_404(Document, pk=document_id, process=process)
    document.process = process
    if not policy.can_view_document(request.user, document):
        raise Http404
    return document


def paragraph_for(document: Document, paragraph_id: int) -> Paragraph:
    paragraph = get_object_or_404(
        Paragraph.objects.select_related("current_version", "section"),
        pk=paragraph_id,
        document=document,
    )
    paragraph.document = document
    paragraph.section.document = document
    return paragraph


def section_for(document: Document, section_id: int) -> Section:
    section = get_object_or_404(Section, pk=section_id, document=document)
    section.document = document
    return section


def amendment_for(document: Document, amendment_id: int) -> Amendment:
    amendment = get_object_or_404(
        Amendment.objects.select_related("paragraph", "section", "base_version"),
        pk=amendment_id,
        document=document,
    )
    amendment.document = document
    if amendment.paragraph is not None:
        amendment.paragraph.document = document
    return amendment


def flash_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
