"""DOCX with python-docx.

python-docx's ``Document.add_paragraph`` looks the style up by name and
searches the body for the section properties on every call, which makes a
long report quadratic (bench/bench_drafting_export.py measures it); paragraphs
here are added next to the cached section properties with cached style ids.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document as new_docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from ..text import Block, Run, is_rtl, markdown_blocks
from . import (
    ExportData,
    Progress,
    ad_referendum_line,
    bracket_line,
    consensus_call_table,
    divergence_line,
    legend,
    member_sections,
    revision_line,
    sponsor_line,
    totals_line,
)

STYLES = ("Title", "Heading 1", "Heading 2", "Heading 3", "Quote", "List Bullet", "Normal")


class DocxWriter:
    def __init__(self, *, rtl: bool = False) -> None:
        self.doc = new_docx()
        self.body = self.doc.element.body
        self.section_properties = self.body.sectPr
        self.style_ids = {name: self.doc.styles[name].style_id for name in STYLES}
        self.rtl = rtl
        normal = self.doc.styles["Normal"]
        normal.font.name = "Noto Serif"
        normal.font.size = Pt(11)

    def paragraph(
        self,
        text: str = "",
        *,
        style: str | None = None,
        bold: bool = False,
        italic: bool = False,
        indent: float = 0,
        size: float | None = None,
    ) -> DocxParagraph:
        element = OxmlElement("w:p")
        self.section_properties.addprevious(element)
        paragraph = DocxParagraph(element, self.doc._body)
        if style:
            element.get_or_add_pPr().style = self.style_ids[style]
        if indent:
            paragraph.paragraph_format.left_indent = Cm(indent)
        if self.rtl or is_rtl(text):
            self._bidi(element)
        if text:
            self.run(paragraph, Run(text, bold=bold, italic=italic), size=size)
        return paragraph

    @staticmethod
    def _bidi(element: Any) -> None:
        properties = element.get_or_add_pPr()
        if properties.find(qn("w:bidi")) is None:
            properties.append(OxmlElement("w:bidi"))

    def run(self, paragraph: DocxParagraph, run: Run, *, size: float | None = None) -> None:
        text = run.text
        if run.href and run.href not in text:
            text = f"{text} ({run.href})"
        added = paragraph.add_run(text)
        added.bold = run.bold or None
        added.italic = run.italic or None
        if run.strike:
            added.font.strike = True
        if run.code:
            added.font.name = "DejaVu Sans Mono"
        if run.href:
            added.underline = True
        if size:
            added.font.size = Pt(size)
        if is_rtl(run.text):
            added.font.rtl = True

    def markdown(
        self,
        text: str,
        *,
        prefix: list[Run] | None = None,
        suffix: list[Run] | None = None,
        indent: float = 0,
    ) -> None:
        blocks = markdown_blocks(text) or [Block("p", [])]
        for index, block in enumerate(blocks):
            style = {"quote": "Quote", "li": "List Bullet"}.get(block.kind)
            paragraph = self.paragraph(style=style, indent=indent + (0.6 * block.level))
            if is_rtl(block.text):
                self._bidi(paragraph._p)
            runs = list(block.runs)
            if block.kind == "li" and block.number is not None:
                runs.insert(0, Run(f"{block.number}. "))
            if index == 0 and prefix:
                runs = [*prefix, *runs]
            if index == len(blocks) - 1 and suffix:
                runs = [*runs, *suffix]
            for run in runs:
                self.run(paragraph, run)

    def table(self, columns: list[str], rows: list[list[str]]) -> None:
        table = self.doc.add_table(rows=1, cols=max(1, len(columns)))
        table.style = self.doc.styles["Table Grid"]
        for cell, title in zip(table.rows[0].cells, columns, strict=False):
            cell.text = title
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=False):
                cell.text = value

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def render_docx(data: ExportData, progress: Progress | None = None) -> bytes:
    from django.utils.translation import get_language_bidi

    writer = DocxWriter(rtl=get_language_bidi())
    document = data.document
    properties = writer.doc.core_properties
    properties.title = document.title
    properties.subject = data.process.name
    properties.revision = max(1, data.view.revision)
    writer.paragraph(data.process.name, italic=True)
    writer.paragraph(document.title, style="Title")
    writer.paragraph(document.get_kind_display().capitalize())
    writer.paragraph(revision_line(data))
    writer.paragraph(legend(), italic=True, size=9)
    writer.paragraph(totals_line(data.view), italic=True, size=9)
    if document.summary:
        writer.markdown(document.summary)
    total = len(data.view.paragraphs)
    done = 0
    for index, section in enumerate(data.view.sections, start=1):
        writer.paragraph(f"{index}. {section.section.title}", style="Heading 1")
        for view in section.paragraphs:
            _paragraph(writer, view, data.annotated)
            done += 1
            if progress is not None and done % 10 == 0:
                progress(done, total, _("Writing the file"))
        if data.annotated and section.insertions:
            writer.paragraph(_("Proposed new paragraphs (open amendments)"), bold=True, size=9)
            for amendment in section.insertions:
                _amendment(writer, amendment)
        for statement in section.statements:
            _statement(writer, statement)
    _annexes(writer, data)
    writer.paragraph(
        _("Exported from Roundtable on %(when)s.")
        % {"when": timezone.localtime(data.generated_at).strftime("%Y-%m-%d %H:%M %Z")},
        italic=True,
        size=8,
    )
    return writer.save()


def _paragraph(writer: DocxWriter, view: Any, annotated: bool) -> None:
    version = view.version
    if view.recommendation_number:
        writer.paragraph(
            _("Recommendation %(number)d") % {"number": view.recommendation_number}, bold=True
        )
    prefix = [Run(f"{view.number}. ", bold=True)]
    suffix: list[Run] = []
    if view.is_bracketed:
        prefix.append(Run("[", bold=True))
        suffix = [Run("]", bold=True)]
    if version.text.strip() or not view.options:
        writer.markdown(version.text, prefix=prefix, suffix=suffix)
    else:
        writer.paragraph().add_run(f"{view.number}.").bold = True
    for option in view.options:
        writer.paragraph(_("Option %(label)s") % {"label": option.label}, bold=True, indent=1)
        writer.markdown(option.text, indent=1)
        writer.paragraph(sponsor_line(option), italic=True, indent=1, size=9)
    for line in (bracket_line(view), ad_referendum_line(view), divergence_line(view)):
        if line:
            writer.paragraph(line, italic=True, size=9)
    if annotated:
        writer.paragraph(
            _("Status: %(status)s · version %(version)d")
            % {"status": version.get_status_display(), "version": version.number},
            italic=True,
            size=9,
        )
        for amendment in view.open_amendments:
            _amendment(writer, amendment)


def _amendment(writer: DocxWriter, item: Any) -> None:
    amendment = item.amendment
    writer.paragraph(
        _("Amendment %(number)d") % {"number": amendment.number}
        + f" ({amendment.get_kind_display()}) — {item.author} · "
        + _("support %(support)d, oppose %(oppose)d")
        % {"support": item.support, "oppose": item.oppose},
        size=9,
        indent=1,
    )
    if amendment.text:
        writer.markdown(amendment.text, indent=1.5)


def _statement(writer: DocxWriter, item: Any) -> None:
    writer.paragraph(_("Minority statement") + f": {item.statement.title}", style="Heading 2")
    by = _("By %(author)s") % {"author": item.author}
    if item.supporters:
        by += "; " + _("joined by") + " " + "; ".join(str(s) for s in item.supporters)
    writer.paragraph(by, italic=True, size=9)
    writer.markdown(item.statement.text)


def _annexes(writer: DocxWriter, data: ExportData) -> None:
    writer.paragraph(_("Annex: record of consensus calls"), style="Heading 1")
    if data.calls:
        writer.table(*consensus_call_table(data))
    else:
        writer.paragraph(_("No consensus call has been recorded."))
    writer.paragraph(
        _("Annex: members of the working group by stakeholder group"), style="Heading 1"
    )
    for heading, lines in member_sections(data):
        writer.paragraph(heading, style="Heading 2")
        for line in lines:
            writer.paragraph(line, style="List Bullet")
    for annex in data.annexes:
        writer.paragraph(annex.title, style="Heading 1")
        if annex.rows:
            writer.table(annex.columns, annex.rows)
        else:
            writer.paragraph(_("Nothing to list."))
