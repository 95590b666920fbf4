"""Writing XLSForms: the built-in templates and copies of a survey's form."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from .model import (
    CHOICES_SHEET,
    DEFAULT,
    LANGUAGE_LABELS,
    SETTINGS_SHEET,
    SURVEY_SHEET,
    Form,
)
from .reader import column_letter

# --- Writing -------------------------------------------------------------------


def write_xlsform(
    *,
    survey: list[dict[str, str]],
    choices: list[dict[str, str]],
    settings: dict[str, str],
    survey_columns: Iterable[str] | None = None,
    choices_columns: Iterable[str] | None = None,
) -> bytes:
    """Write rows to an ``.xlsx`` XLSForm (used for the built-in templates and copies)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    def columns_of(rows: list[dict[str, str]], given: Iterable[str] | None) -> list[str]:
        if given is not None:
            return list(given)
        seen: dict[str, None] = {}
        for row in rows:
            for key in row:
                seen.setdefault(key, None)
        return list(seen)

    workbook = Workbook()
    sheets = (
        (SURVEY_SHEET, survey, columns_of(survey, survey_columns)),
        (CHOICES_SHEET, choices, columns_of(choices, choices_columns)),
        (SETTINGS_SHEET, [settings], list(settings)),
    )
    first = True
    for title, rows, columns in sheets:
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = title
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row.get(column, "") or None for column in columns])
        sheet.freeze_panes = "A2"
        for index, column in enumerate(columns):
            width = 14 if not column.startswith(("label", "hint")) else 40
            sheet.column_dimensions[column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def form_to_rows(form: Form) -> dict[str, Any]:
    """A form back to XLSForm rows: how a survey is copied to adapt it."""
    languages = form.languages or [DEFAULT]

    def heading(base: str, language: str) -> str:
        if language == DEFAULT:
            return base
        return f"{base}::{LANGUAGE_LABELS.get(language, language)} ({language})"

    survey_rows: list[dict[str, str]] = []
    open_groups: list[str] = []
    for element in form.elements:
        while open_groups and open_groups[-1] not in element.path:
            survey_rows.append({"type": "end_group", "name": open_groups.pop()})
        row: dict[str, str] = {
            "type": "begin_group"
            if element.kind == "group"
            else f"{element.kind} {element.list_name}".strip(),
            "name": element.name,
        }
        for language in languages:
            for base, texts in (
                ("label", element.labels),
                ("hint", element.hints),
                ("constraint_message", element.constraint_messages),
                ("required_message", element.required_messages),
            ):
                if texts.get(language):
                    row[heading(base, language)] = texts[language]
        if element.required:
            row["required"] = "yes"
        for attribute in ("relevant", "constraint", "appearance"):
            if getattr(element, attribute):
                row[attribute] = getattr(element, attribute)
        if element.scorecard:
            row["scorecard"] = " ".join(element.scorecard)
        survey_rows.append(row)
        if element.kind == "group":
            open_groups.append(element.name)
    while open_groups:
        survey_rows.append({"type": "end_group", "name": open_groups.pop()})
    choice_rows = []
    for list_name, choices in form.choices.items():
        for choice in choices:
            row = {"list_name": list_name, "name": choice.name}
            for language in languages:
                if choice.labels.get(language):
                    row[heading("label", language)] = choice.labels[language]
            if choice.score is not None:
                row["score"] = f"{choice.score:g}"
            choice_rows.append(row)
    settings = {"form_title": form.title, "form_id": form.form_id}
    if form.version:
        settings["version"] = form.version
    if form.default_language != DEFAULT:
        language = form.default_language
        settings["default_language"] = f"{LANGUAGE_LABELS.get(language, language)} ({language})"
    return {"survey": survey_rows, "choices": choice_rows, "settings": settings}


def form_to_xlsx(form: Form) -> bytes:
    return write_xlsform(**form_to_rows(form))
