"""HTML with a print stylesheet, and PDF made from that same HTML by WeasyPrint."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from roundtable.core.pdf import html_to_pdf

from . import ExportData, Progress, annotate_lines, legend, revision_line, totals_line

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "drafting" / "export.css"


@cache
def stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def context(data: ExportData, *, embed_css: bool = True) -> dict:
    annotate_lines(data.view)
    return {
        "data": data,
        "view": data.view,
        "document": data.document,
        "process": data.process,
        "revision_line": revision_line(data),
        "legend": legend(),
        "totals_line": totals_line(data.view),
        "css": mark_safe(stylesheet()) if embed_css else "",
        "language": get_language() or "en",
        "bidi": get_language_bidi(),
        "members_title": _("Annex: members of the working group by stakeholder group"),
    }


def render_html(data: ExportData, *, embed_css: bool = True) -> str:
    return render_to_string("drafting/export/document.html", context(data, embed_css=embed_css))


def render_pdf(data: ExportData, progress: Progress | None = None) -> bytes:
    html = render_html(data)
    if progress is not None:
        total = len(data.view.paragraphs)
        progress(total, total, _("Laying out the pages"))
    return html_to_pdf(html)
