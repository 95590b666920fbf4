"""A document at one revision as HTML (print stylesheet), PDF, DOCX or ODT.

Every format says the same things: numbered paragraphs, recommendations,
bracketed text in [square brackets] with who asked for the brackets,
alternatives with their sponsors and stakeholder groups, ad referendum
agreements, recorded divergence, minority statements, the record of
consensus calls, an annex of members by stakeholder group and the annexes
other apps add (``document_annexes`` hook, e.g. dispositions of comments).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from roundtable.core.hooks import collect
from roundtable.processes.selectors import members_grouped

from ..models import ConsensusCall, Document, Finding, ParagraphStatus
from ..selectors import DocumentView, ParagraphView, document_view, objections_named

Progress = Callable[[int, int, str], None]


@dataclass
class CallRow:
    when: dt.datetime
    target: str
    finding: str
    note: str
    adopted_option: str
    objections: list[tuple[str, str]]


@dataclass
class Annex:
    title: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class ExportData:
    view: DocumentView
    annotated: bool
    generated_at: dt.datetime
    calls: list[CallRow]
    members: dict[str, Any]
    annexes: list[Annex] = field(default_factory=list)

    @property
    def document(self) -> Document:
        return self.view.document

    @property
    def process(self) -> Any:
        return self.view.document.process


def _annex(raw: Any) -> Annex | None:
    """An annex from another app: ``{"title": ..., "rows": [dict, ...]}``."""
    if not isinstance(raw, dict) or not raw.get("title"):
        return None
    rows = [row for row in raw.get("rows") or [] if isinstance(row, dict)]
    columns: list[str] = []
    for row in rows:
        for key in row:
            if str(key) not in columns:
                columns.append(str(key))
    return Annex(
        title=str(raw["title"]),
        columns=columns,
        rows=[["" if row.get(c) is None else str(row.get(c)) for c in columns] for row in rows],
    )


def _call_rows(view: DocumentView) -> list[CallRow]:
    numbers = {p.paragraph.pk: p.number for p in view.paragraphs}
    rows = []
    for call in sorted(view.calls, key=lambda c: (c.created_at, c.pk)):
        rows.append(
            CallRow(
                when=call.created_at,
                target=_call_target(call, numbers),
                finding=Finding(call.finding).label,
                note=call.note,
                adopted_option=call.adopted_option,
                objections=[(str(a), r) for a, r in objections_named(call, view.namer)],
            )
        )
    return rows


def _call_target(call: ConsensusCall, numbers: dict[int, int]) -> str:
    if call.paragraph_id:
        number = numbers.get(call.paragraph_id)
        if number is None:
            return _("a paragraph since removed")
        return _("Paragraph %(number)d") % {"number": number}
    return _("Section: %(title)s") % {"title": call.section.title}


def gather(
    document: Document,
    *,
    revision: int | None,
    person: Any,
    annotated: bool,
    progress: Progress | None = None,
) -> ExportData:
    def on_paragraph(done: int, total: int) -> None:
        if progress is not None:
            progress(done, total, _("Collecting the text"))

    view = document_view(
        document, revision=revision, person=person, annotated=annotated, progress=on_paragraph
    )
    annexes = []
    for answer in collect("document_annexes", document=document, person=person):
        for raw in answer or []:
            annex = _annex(raw)
            if annex is not None:
                annexes.append(annex)
    return ExportData(
        view=view,
        annotated=annotated,
        generated_at=timezone.now(),
        calls=_call_rows(view),
        members=members_grouped(process=document.process),
        annexes=annexes,
    )


# --- Words every format uses -----------------------------------------------------------------


def status_label(paragraph: ParagraphView) -> str:
    return ParagraphStatus(paragraph.status).label


def bracket_line(paragraph: ParagraphView) -> str:
    if not paragraph.brackets:
        return ""
    names = "; ".join(
        f"{who}" + (f" ({reason})" if reason else "") for who, reason in paragraph.brackets
    )
    return _("Bracketed at the request of: %(names)s") % {"names": names}


def sponsor_line(option: Any) -> str:
    if not option.sponsors:
        return _("No sponsor")
    return _("Sponsors: %(names)s") % {"names": "; ".join(str(s) for s in option.sponsors)}


def ad_referendum_line(paragraph: ParagraphView) -> str:
    if not paragraph.ad_referendum:
        return ""
    names = "; ".join(
        f"{who} ({_('confirmed') if confirmed else _('awaiting confirmation')})"
        for who, confirmed in paragraph.ad_referendum
    )
    return _("Agreed ad referendum, pending confirmation by: %(names)s") % {"names": names}


def divergence_line(paragraph: ParagraphView) -> str:
    if not paragraph.version.divergence_recorded:
        return ""
    note = paragraph.version.note
    return _("No consensus: the divergence is recorded.") + (f" {note}" if note else "")


def annotate_paragraph(paragraph: ParagraphView) -> ParagraphView:
    """Attach the translated notes a paragraph prints (brackets, sponsors, divergence)."""
    paragraph.bracket_line = bracket_line(paragraph)
    paragraph.ad_referendum_line = ad_referendum_line(paragraph)
    paragraph.divergence_line = divergence_line(paragraph)
    for option in paragraph.options:
        option.sponsor_line = sponsor_line(option)
    return paragraph


def annotate_lines(view: DocumentView) -> None:
    for paragraph in view.paragraphs:
        annotate_paragraph(paragraph)


def revision_line(data: ExportData) -> str:
    view = data.view
    when = view.revision_entry.created_at if view.revision_entry else data.generated_at
    if data.document.is_final and data.document.final_revision == view.revision:
        state = _("Final text")
    elif view.is_current:
        state = _("Draft")
    else:
        state = _("Earlier draft")
    return _("%(state)s · revision %(revision)d of %(date)s") % {
        "state": state,
        "revision": view.revision,
        "date": timezone.localtime(when).strftime("%Y-%m-%d %H:%M %Z"),
    }


def legend() -> str:
    return _(
        "Text in [square brackets] is not agreed. Where the group could not agree, options "
        "(A, B, C…) are shown side by side with their sponsors. Minority statements follow "
        "the section they concern."
    )


def totals_line(view: DocumentView) -> str:
    totals = view.totals
    return (
        _(
            "%(paragraphs)d paragraphs: %(agreed)d agreed, "
            "%(ad_referendum)d agreed ad referendum, %(bracketed)d bracketed, "
            "%(alternatives)d with alternatives, %(open)d under discussion."
        )
        % totals
    )


def consensus_call_table(data: ExportData) -> tuple[list[str], list[list[str]]]:
    """The annex of consensus calls as a table (headings, rows) for DOCX and ODT."""
    rows = []
    for call in data.calls:
        finding = call.finding.capitalize()
        if call.adopted_option:
            finding += " (" + _("option %(label)s adopted") % {"label": call.adopted_option} + ")"
        details = [
            _("Objection: %(who)s") % {"who": who} + (f" — {reason}" if reason else "")
            for who, reason in call.objections
        ]
        if call.note:
            details.append(call.note)
        rows.append([call.when.strftime("%Y-%m-%d"), call.target, finding, "\n".join(details)])
    return [_("Date"), _("Passage"), _("Finding"), _("Objections and notes")], rows


def member_sections(data: ExportData) -> list[tuple[str, list[str]]]:
    """The annex of members as (heading, lines): each stakeholder group with its
    members (organisation, region), then the chair and the secretariat."""
    sections = []
    for group in data.members["member_groups"]:
        title = (
            group.stakeholder_group.display_name
            if group.stakeholder_group
            else _("Stakeholder group not recorded")
        )
        lines = []
        for region, members in group.by_region:
            for membership in members:
                line = membership.person.name
                if membership.organisation:
                    line += f", {membership.organisation.name}"
                if region:
                    line += f" — {region.display_name}"
                lines.append(line)
        sections.append((f"{title} ({group.count})", lines))
    for label, people in (
        (_("Chair"), data.members["chairs"]),
        (_("Secretariat"), data.members["secretariat"]),
    ):
        if people:
            sections.append((label, [membership.person.name for membership in people]))
    return sections


def render(data: ExportData, fmt: str, progress: Progress | None = None) -> bytes:
    from . import docx_writer, html_writer, odt_writer

    if fmt == "html":
        return html_writer.render_html(data).encode("utf-8")
    if fmt == "pdf":
        return html_writer.render_pdf(data, progress)
    if fmt == "docx":
        return docx_writer.render_docx(data, progress)
    if fmt == "odt":
        return odt_writer.render_odt(data, progress)
    raise ValueError(fmt)
