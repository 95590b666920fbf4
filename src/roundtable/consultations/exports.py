"""The disposition report as CSV and XLSX, and the secretariat's contact export.

Cells that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``)
are prefixed with an apostrophe: submitted text is data, never code.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from .models import Call, Submission
from .selectors import ReportRow

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Excel's limit per cell; longer text is cut with a note so the file still opens.
XLSX_CELL_LIMIT = 32_000


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def report_header() -> list[str]:
    return [
        _("Reference"),
        _("Received"),
        _("Status"),
        _("Note"),
        _("Author"),
        _("Stakeholder group"),
        _("Language"),
        _("Comment"),
        _("Answers"),
        _("Outcome"),
        _("Response"),
        _("Changed"),
        _("Campaign group"),
        _("Author's reaction"),
        _("Author's comment"),
    ]


def report_values(row: ReportRow) -> list[Any]:
    return [
        row.reference,
        row.received_at.strftime("%Y-%m-%d %H:%M %Z"),
        row.status_label,
        row.note,
        row.author,
        row.stakeholder_group,
        row.language,
        row.text,
        "\n\n".join(f"{question}\n{answer}" for question, answer in row.answers),
        row.outcome_label,
        row.response,
        "; ".join(link["label"] for link in row.links),
        row.group,
        row.reaction_label,
        row.reaction_comment,
    ]


def report_csv(rows: Iterable[ReportRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(report_header())
    for row in rows:
        writer.writerow([safe_cell(value) for value in report_values(row)])
    # A byte-order mark so spreadsheet programs read UTF-8 (Arabic, Chinese) correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_cell(value: Any) -> Any:
    value = safe_cell(value)
    if isinstance(value, str) and len(value) > XLSX_CELL_LIMIT:
        value = value[:XLSX_CELL_LIMIT] + " […]"
    return value


def report_xlsx(call: Call, rows: Iterable[ReportRow]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Dispositions")[:31])
    bold = Font(bold=True)
    header = []
    for title in report_header():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in report_values(row)])
    about = workbook.create_sheet(title=_("About")[:31])
    about.append([_("Call"), call.title])
    about.append([_("Process"), call.process.name])
    about.append([_("Opened"), call.opens_at.astimezone(call.zone).strftime("%Y-%m-%d %H:%M %Z")])
    about.append([_("Closed"), call.closes_at.astimezone(call.zone).strftime("%Y-%m-%d %H:%M %Z")])
    about.append([_("Submissions received"), call.received_count])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def contact_csv(submissions: Iterable[Submission]) -> bytes:
    """Every submission with its author's contact details: for the secretariat only."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Reference"),
            _("Received"),
            _("Status"),
            _("Name"),
            _("E-mail address"),
            _("Organisation"),
            _("Stakeholder group"),
            _("Region"),
            _("Language"),
            _("May be published"),
            _("Published without the name"),
            _("Comment"),
        ]
    )
    for submission in submissions:
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    submission.reference,
                    submission.received_at.isoformat(),
                    submission.get_status_display(),
                    submission.name,
                    submission.email,
                    submission.organisation,
                    submission.stakeholder_group.display_name
                    if submission.stakeholder_group
                    else "",
                    submission.region.display_name if submission.region else "",
                    submission.language,
                    _("yes") if submission.consent_to_publish else _("no"),
                    _("yes") if submission.anonymous else _("no"),
                    submission.text,
                )
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
