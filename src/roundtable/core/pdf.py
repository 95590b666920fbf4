"""HTML to PDF with WeasyPrint: one renderer for every PDF export.

Exports render an HTML page (with its print stylesheet) and pass it here, so
the PDF says exactly what the HTML export says.
"""

from __future__ import annotations


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    # Imported lazily: WeasyPrint loads Pango, which only exports need.
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()
