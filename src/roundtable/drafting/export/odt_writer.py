"""ODT (OpenDocument text) with odfpy."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from odf import teletype
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style, TableCellProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, P, Span

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

FONT = "Noto Serif"


class OdtWriter:
    def __init__(self, *, rtl: bool = False) -> None:
        self.doc = OpenDocumentText()
        self.rtl = rtl
        self._paragraph_styles: dict[tuple, Style] = {}
        self._text_styles: dict[tuple, Style] = {}
        self._tables = 0
        self.cell_style = Style(name="Cell", family="table-cell")
        self.cell_style.addElement(
            TableCellProperties(border="0.5pt solid #999999", padding="0.05cm")
        )
        self.doc.automaticstyles.addElement(self.cell_style)

    def paragraph_style(self, kind: str = "body", *, indent: float = 0, rtl: bool = False) -> Style:
        key = (kind, round(indent, 2), rtl)
        if key not in self._paragraph_styles:
            name = f"P-{kind}-{int(indent * 100)}-{'r' if rtl else 'l'}"
            style = Style(name=name, family="paragraph")
            paragraph = {"marginbottom": "0.15cm"}
            if indent:
                paragraph["marginleft" if not rtl else "marginright"] = f"{indent}cm"
            if rtl:
                paragraph["writingmode"] = "rl-tb"
            text = {"fontname": FONT, "fontsize": "11pt"}
            if kind == "title":
                text.update(fontsize="20pt", fontweight="bold")
            elif kind == "h1":
                text.update(fontsize="14pt", fontweight="bold")
                paragraph["margintop"] = "0.4cm"
            elif kind == "h2":
                text.update(fontsize="12pt", fontweight="bold")
            elif kind == "note":
                text.update(fontsize="9pt", fontstyle="italic")
            elif kind == "quote":
                paragraph["marginleft"] = f"{indent + 1}cm"
            style.addElement(ParagraphProperties(**paragraph))
            style.addElement(TextProperties(**text))
            self.doc.automaticstyles.addElement(style)
            self._paragraph_styles[key] = style
        return self._paragraph_styles[key]

    def text_style(self, run: Run) -> Style | None:
        key = (run.bold, run.italic, run.strike, run.code, bool(run.href))
        if not any(key):
            return None
        if key not in self._text_styles:
            style = Style(name=f"T{len(self._text_styles) + 1}", family="text")
            properties: dict[str, str] = {}
            if run.bold:
                properties["fontweight"] = "bold"
            if run.italic:
                properties["fontstyle"] = "italic"
            if run.strike:
                properties["textlinethroughstyle"] = "solid"
            if run.code:
                properties["fontname"] = "DejaVu Sans Mono"
            if run.href:
                properties["textunderlinestyle"] = "solid"
            style.addElement(TextProperties(**properties))
            self.doc.automaticstyles.addElement(style)
            self._text_styles[key] = style
        return self._text_styles[key]

    def add(
        self,
        runs: list[Run] | str,
        *,
        kind: str = "body",
        indent: float = 0,
        heading: int | None = None,
    ) -> None:
        if isinstance(runs, str):
            runs = [Run(runs)]
        text = "".join(r.text for r in runs)
        style = self.paragraph_style(kind, indent=indent, rtl=self.rtl or is_rtl(text))
        element = H(outlinelevel=heading, stylename=style) if heading else P(stylename=style)
        for run in runs:
            content = run.text
            if run.href and run.href not in content:
                content = f"{content} ({run.href})"
            run_style = self.text_style(run)
            if run_style is None:
                teletype.addTextToElement(element, content)
            else:
                span = Span(stylename=run_style)
                teletype.addTextToElement(span, content)
                element.addElement(span)
        self.doc.text.addElement(element)

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
            runs = list(block.runs)
            if block.kind == "li":
                runs.insert(0, Run(f"{block.number}. " if block.number is not None else "• "))
            if index == 0 and prefix:
                runs = [*prefix, *runs]
            if index == len(blocks) - 1 and suffix:
                runs = [*runs, *suffix]
            kind = "quote" if block.kind == "quote" else "body"
            self.add(runs, kind=kind, indent=indent + 0.6 * block.level)

    def table(self, columns: list[str], rows: list[list[str]]) -> None:
        self._tables += 1
        table = Table(name=f"Table{self._tables}")
        table.addElement(TableColumn(numbercolumnsrepeated=max(1, len(columns))))
        for values, bold in [(columns, True), *[(row, False) for row in rows]]:
            row_element = TableRow()
            for value in values:
                cell = TableCell(valuetype="string", stylename=self.cell_style)
                paragraph = P(stylename=self.paragraph_style("body"))
                for line_number, line in enumerate(str(value).split("\n")):
                    if line_number:
                        teletype.addTextToElement(paragraph, "\n")
                    if bold:
                        span = Span(stylename=self.text_style(Run(line, bold=True)))
                        teletype.addTextToElement(span, line)
                        paragraph.addElement(span)
                    else:
                        teletype.addTextToElement(paragraph, line)
                cell.addElement(paragraph)
                row_element.addElement(cell)
            table.addElement(row_element)
        self.doc.text.addElement(table)

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.write(buffer)
        return buffer.getvalue()


def render_odt(data: ExportData, progress: Progress | None = None) -> bytes:
    writer = OdtWriter(rtl=get_language_bidi())
    document = data.document
    writer.add([Run(data.process.name, italic=True)])
    writer.add(document.title, kind="title", heading=1)
    writer.add(document.get_kind_display().capitalize())
    writer.add(revision_line(data))
    writer.add(legend(), kind="note")
    writer.add(totals_line(data.view), kind="note")
    if document.summary:
        writer.markdown(document.summary)
    total = len(data.view.paragraphs)
    done = 0
    for index, section in enumerate(data.view.sections, start=1):
        writer.add(f"{index}. {section.section.title}", kind="h1", heading=1)
        for view in section.paragraphs:
            _paragraph(writer, view, data.annotated)
            done += 1
            if progress is not None and done % 10 == 0:
                progress(done, total, _("Writing the file"))
        if data.annotated and section.insertions:
            writer.add(_("Proposed new paragraphs (open amendments)"), kind="note")
            for amendment in section.insertions:
                _amendment(writer, amendment)
        for statement in section.statements:
            writer.add(
                _("Minority statement") + f": {statement.statement.title}", kind="h2", heading=2
            )
            by = _("By %(author)s") % {"author": statement.author}
            if statement.supporters:
                by += "; " + _("joined by") + " " + "; ".join(str(s) for s in statement.supporters)
            writer.add(by, kind="note")
            writer.markdown(statement.statement.text)
    _annexes(writer, data)
    writer.add(
        _("Exported from Roundtable on %(when)s.")
        % {"when": timezone.localtime(data.generated_at).strftime("%Y-%m-%d %H:%M %Z")},
        kind="note",
    )
    return writer.save()


def _paragraph(writer: OdtWriter, view: Any, annotated: bool) -> None:
    version = view.version
    if view.recommendation_number:
        writer.add(
            [
                Run(
                    _("Recommendation %(number)d") % {"number": view.recommendation_number},
                    bold=True,
                )
            ]
        )
    prefix = [Run(f"{view.number}. ", bold=True)]
    suffix: list[Run] = []
    if view.is_bracketed:
        prefix.append(Run("[", bold=True))
        suffix = [Run("]", bold=True)]
    if version.text.strip() or not view.options:
        writer.markdown(version.text, prefix=prefix, suffix=suffix)
    else:
        writer.add(prefix)
    for option in view.options:
        writer.add([Run(_("Option %(label)s") % {"label": option.label}, bold=True)], indent=1)
        writer.markdown(option.text, indent=1)
        writer.add(sponsor_line(option), kind="note", indent=1)
    for line in (bracket_line(view), ad_referendum_line(view), divergence_line(view)):
        if line:
            writer.add(line, kind="note")
    if annotated:
        writer.add(
            _("Status: %(status)s · version %(version)d")
            % {"status": version.get_status_display(), "version": version.number},
            kind="note",
        )
        for amendment in view.open_amendments:
            _amendment(writer, amendment)


def _amendment(writer: OdtWriter, item: Any) -> None:
    amendment = item.amendment
    writer.add(
        _("Amendment %(number)d") % {"number": amendment.number}
        + f" ({amendment.get_kind_display()}) — {item.author} · "
        + _("support %(support)d, oppose %(oppose)d")
        % {"support": item.support, "oppose": item.oppose},
        kind="note",
        indent=1,
    )
    if amendment.text:
        writer.markdown(amendment.text, indent=1.5)


def _annexes(writer: OdtWriter, data: ExportData) -> None:
    writer.add(_("Annex: record of consensus calls"), kind="h1", heading=1)
    if data.calls:
        writer.table(*consensus_call_table(data))
    else:
        writer.add(_("No consensus call has been recorded."))
    writer.add(_("Annex: members of the working group by stakeholder group"), kind="h1", heading=1)
    for heading, lines in member_sections(data):
        writer.add(heading, kind="h2", heading=2)
        for line in lines:
            writer.add("• " + line)
    for annex in data.annexes:
        writer.add(annex.title, kind="h1", heading=1)
        if annex.rows:
            writer.table(annex.columns, annex.rows)
        else:
            writer.add(_("Nothing to list."))
