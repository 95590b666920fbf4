"""Reading an XLSForm workbook into a :class:`Form`, collecting every problem."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..expressions import gettext_noop
from .checks import Checks
from .model import (
    CHOICES_SHEET,
    DEFAULT,
    FALSE_VALUES,
    IGNORED_TYPES,
    NAME_PATTERN,
    SELECT_TYPES,
    SETTINGS_SHEET,
    SURVEY_SHEET,
    TRUE_VALUES,
    UNSUPPORTED_COLUMNS,
    Choice,
    Element,
    Form,
    FormError,
    FormProblem,
    clean_heading,
    language_key,
)

# --- Reading -------------------------------------------------------------------


@dataclass
class Limits:
    max_bytes: int = 5 * 1024 * 1024
    max_questions: int = 500
    max_choices: int = 2000
    max_expression_chars: int = 2000


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass
class _Sheet:
    name: str
    rows: list[dict[str, str]]
    columns: dict[str, str]  # heading -> column letter

    def where(self, row_index: int, heading: str | None = None) -> tuple[str, int, str | None]:
        return self.name, row_index + 2, self.columns.get(heading) if heading else None


def _load_workbook(data: bytes) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """pyxform's reading of the workbook, plus each sheet's column letters."""
    from openpyxl import load_workbook
    from pyxform.errors import PyXFormError
    from pyxform.xls2json_backends import xlsx_to_dict

    try:
        book = xlsx_to_dict(io.BytesIO(data))
    except PyXFormError as error:
        raise FormError(
            [
                FormProblem(
                    None,
                    None,
                    None,
                    None,
                    gettext_noop("The file could not be read as an XLSForm: %(error)s"),
                    {"error": str(error)},
                )
            ]
        ) from None
    letters: dict[str, dict[str, str]] = {}
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet_name in workbook.sheetnames:
            header = next(
                workbook[sheet_name].iter_rows(min_row=1, max_row=1, values_only=True), ()
            )
            columns: dict[str, str] = {}
            for index, value in enumerate(header):
                if isinstance(value, str) and value.strip():
                    columns.setdefault(re.sub(r"\s+", " ", value.strip()), column_letter(index))
            letters[sheet_name.lower()] = columns
    finally:
        workbook.close()
    return book, letters


def _translations(
    row: Mapping[str, str], base: str, default_language: str, languages: dict[str, None]
) -> dict[str, str]:
    """``label`` and ``label::<language>`` cells of a row, by language key.

    A plain column is in the default language; where a row has both, the
    column that names its language wins.
    """
    texts: dict[str, str] = {}
    for heading, value in row.items():
        if not value:
            continue
        clean = clean_heading(heading)
        if clean == base:
            texts.setdefault(default_language, value)
            languages.setdefault(default_language, None)
        elif clean.startswith(base + "::"):
            key = language_key(clean.split("::", 1)[1])
            texts[key] = value
            languages.setdefault(key, None)
    return texts


def read_xlsform(data: bytes, *, limits: Limits | None = None) -> Form:
    """Read and check an XLSForm; raises :class:`FormError` listing every problem."""
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise FormError(
            [
                FormProblem(
                    None,
                    None,
                    None,
                    None,
                    gettext_noop("The file is larger than %(limit)d MB."),
                    {"limit": max(1, limits.max_bytes // (1024 * 1024))},
                )
            ]
        )
    if not data.startswith(b"PK\x03\x04"):
        raise FormError(
            [
                FormProblem(
                    None,
                    None,
                    None,
                    None,
                    gettext_noop(
                        "This is not an Excel .xlsx file. Save the XLSForm as "
                        "“Excel Workbook (.xlsx)” and upload it again."
                    ),
                )
            ]
        )
    try:
        book, letters = _load_workbook(data)
    except FormError:
        raise
    except Exception as error:  # a damaged zip, a password-protected file...
        raise FormError(
            [
                FormProblem(
                    None,
                    None,
                    None,
                    None,
                    gettext_noop("The file could not be read as an XLSForm: %(error)s"),
                    {"error": f"{type(error).__name__}: {error}"},
                )
            ]
        ) from None
    return _Reader(book, letters, limits).read()


class _Reader(Checks):
    def __init__(
        self, book: dict[str, Any], letters: dict[str, dict[str, str]], limits: Limits
    ) -> None:
        self.book = book
        self.letters = letters
        self.limits = limits
        self.problems: list[FormProblem] = []
        self.ignored: list[str] = []

    def problem(
        self,
        sheet: _Sheet | None,
        row_index: int | None,
        heading: str | None,
        message: str,
        **params: Any,
    ) -> None:
        if sheet is None:
            self.problems.append(FormProblem(None, None, None, None, message, params))
            return
        column = sheet.columns.get(heading) if heading else None
        self.problems.append(
            FormProblem(
                sheet.name,
                row_index + 2 if row_index is not None else 1,
                column,
                heading if column else None,
                message,
                params,
            )
        )

    def sheet(self, name: str) -> _Sheet | None:
        if name not in self.book:
            return None
        rows = [
            {re.sub(r"\s+", " ", str(k).strip()): str(v).strip() for k, v in row.items()}
            for row in self.book[name]
        ]
        columns = self.letters.get(name, {})
        return _Sheet(name, rows, columns)

    def read(self) -> Form:
        survey = self.sheet(SURVEY_SHEET)
        choices_sheet = self.sheet(CHOICES_SHEET)
        settings_sheet = self.sheet(SETTINGS_SHEET)
        if survey is None:
            self.problem(
                None,
                None,
                None,
                gettext_noop("The workbook has no “survey” sheet. Sheets found: %(sheets)s."),
                sheets=", ".join(self.book.get("sheet_names", [])) or "-",
            )
            raise FormError(self.problems)

        settings = settings_sheet.rows[0] if settings_sheet and settings_sheet.rows else {}
        settings = {clean_heading(k): v for k, v in settings.items()}
        default_language = language_key(settings.get("default_language", "")) or DEFAULT
        # Language keys in the order their columns first appear.
        languages: dict[str, None] = {}

        for heading in ("type", "name"):
            if heading not in {clean_heading(h) for h in survey.columns}:
                self.problem(
                    survey,
                    None,
                    None,
                    gettext_noop("The survey sheet has no “%(column)s” column."),
                    column=heading,
                )
        if self.problems:
            raise FormError(self.problems)

        choices = self.read_choices(choices_sheet, default_language, languages)
        elements = self.read_survey(survey, choices, choices_sheet, default_language, languages)
        self.check_expressions(survey, elements)

        if self.problems:
            raise FormError(self.problems)
        ordered = list(languages)
        if default_language in ordered:
            ordered.remove(default_language)
            ordered.insert(0, default_language)
        elif ordered:
            # No plain column and no default_language setting: the first language named.
            default_language = ordered[0]
        return Form(
            title=settings.get("form_title", "") or settings.get("title", ""),
            form_id=settings.get("form_id", ""),
            version=settings.get("version", ""),
            default_language=default_language,
            languages=ordered,
            elements=elements,
            choices=choices,
            ignored=self.ignored,
        )

    # --- choices sheet

    def read_choices(
        self, sheet: _Sheet | None, default_language: str, languages: dict[str, None]
    ) -> dict[str, list[Choice]]:
        result: dict[str, list[Choice]] = {}
        if sheet is None or not any(sheet.rows):
            return result
        headings = {clean_heading(h): h for h in sheet.columns}
        list_heading = headings.get("list_name") or headings.get("list name")
        if list_heading is None or "name" not in headings:
            self.problem(
                sheet,
                None,
                None,
                gettext_noop(
                    "The choices sheet needs the columns “list_name”, “name” and “label”."
                ),
            )
            return result
        count = 0
        for index, row in enumerate(sheet.rows):
            if not row:
                continue
            list_name = row.get(list_heading, "")
            name = row.get(headings["name"], "")
            if not list_name and not name:
                continue
            count += 1
            if count > self.limits.max_choices:
                self.problem(
                    sheet,
                    index,
                    None,
                    gettext_noop("The choices sheet has more than %(limit)d rows."),
                    limit=self.limits.max_choices,
                )
                break
            if not list_name:
                self.problem(
                    sheet, index, list_heading, gettext_noop("This choice has no list name.")
                )
                continue
            if not name:
                self.problem(
                    sheet, index, headings["name"], gettext_noop("This choice has no name.")
                )
                continue
            if any(character.isspace() for character in name):
                self.problem(
                    sheet,
                    index,
                    headings["name"],
                    gettext_noop(
                        "The choice name “%(name)s” contains a space; answers to "
                        "select_multiple questions are stored separated by spaces."
                    ),
                    name=name,
                )
                continue
            existing = result.setdefault(list_name, [])
            if any(choice.name == name for choice in existing):
                self.problem(
                    sheet,
                    index,
                    headings["name"],
                    gettext_noop("The list “%(list)s” already has a choice named “%(name)s”."),
                    list=list_name,
                    name=name,
                )
                continue
            labels = _translations(row, "label", default_language, languages)
            score: float | None = None
            raw_score = row.get(headings.get("score", "\0"), "")
            if raw_score:
                try:
                    score = float(raw_score)
                except ValueError:
                    self.problem(
                        sheet,
                        index,
                        headings.get("score"),
                        gettext_noop("The score “%(value)s” is not a number."),
                        value=raw_score,
                    )
            existing.append(Choice(name=name, labels=labels, score=score, row=index + 2))
        return result

    # --- survey sheet

    def read_survey(
        self,
        sheet: _Sheet,
        choices: dict[str, list[Choice]],
        choices_sheet: _Sheet | None,
        default_language: str,
        languages: dict[str, None],
    ) -> list[Element]:
        headings = {clean_heading(h): h for h in sheet.columns}
        type_heading = headings["type"]
        name_heading = headings["name"]
        elements: list[Element] = []
        seen: dict[str, int] = {}
        stack: list[tuple[str, int]] = []
        questions = 0
        for heading in UNSUPPORTED_COLUMNS:
            if heading in headings and any(row.get(headings[heading]) for row in sheet.rows):
                index = next(i for i, row in enumerate(sheet.rows) if row.get(headings[heading]))
                self.problem(
                    sheet,
                    index,
                    headings[heading],
                    gettext_noop("The “%(column)s” column is not supported; leave it empty."),
                    column=heading,
                )
        for index, row in enumerate(sheet.rows):
            raw_type = " ".join(row.get(type_heading, "").split())
            name = row.get(name_heading, "")
            if not raw_type:
                if name or any(value for key, value in row.items()):
                    self.problem(sheet, index, type_heading, gettext_noop("This row has no type."))
                continue
            kind, list_name = self.parse_type(sheet, index, type_heading, raw_type)
            if kind is None:
                continue
            if kind in IGNORED_TYPES:
                if name:
                    seen.setdefault(name, index + 2)
                    self.ignored.append(name)
                continue
            if kind == "end_group":
                if not stack:
                    self.problem(
                        sheet,
                        index,
                        type_heading,
                        gettext_noop("This end_group has no begin_group before it."),
                    )
                else:
                    stack.pop()
                continue
            if not name:
                self.problem(
                    sheet,
                    index,
                    name_heading,
                    gettext_noop("This %(type)s row has no name."),
                    type=kind,
                )
                continue
            if not NAME_PATTERN.match(name):
                self.problem(
                    sheet,
                    index,
                    name_heading,
                    gettext_noop(
                        "“%(name)s” is not a valid name: start with a letter or “_”, and use "
                        "only letters, digits, “_”, “-” and “.”."
                    ),
                    name=name,
                )
                continue
            if name in seen:
                self.problem(
                    sheet,
                    index,
                    name_heading,
                    gettext_noop("The name “%(name)s” is already used on row %(row)d."),
                    name=name,
                    row=seen[name],
                )
                continue
            seen[name] = index + 2
            element = Element(
                kind="group" if kind == "begin_group" else kind,
                name=name,
                labels=_translations(row, "label", default_language, languages),
                hints=_translations(row, "hint", default_language, languages),
                list_name=list_name,
                required_messages=_translations(
                    row, "required_message", default_language, languages
                ),
                relevant=row.get(headings.get("relevant", "\0"), ""),
                constraint=row.get(headings.get("constraint", "\0"), ""),
                constraint_messages=_translations(
                    row, "constraint_message", default_language, languages
                ),
                appearance=row.get(headings.get("appearance", "\0"), ""),
                path=[group for group, _row in stack],
                scorecard=row.get(headings.get("scorecard", "\0"), "").split(),
                row=index + 2,
            )
            raw_required = row.get(headings.get("required", "\0"), "").strip().lower()
            if raw_required in TRUE_VALUES:
                element.required = True
            elif raw_required not in FALSE_VALUES:
                self.problem(
                    sheet,
                    index,
                    headings.get("required"),
                    gettext_noop("“required” must be “yes” or “no”, not “%(value)s”."),
                    value=raw_required,
                )
            if element.scorecard:
                self.check_scorecard(sheet, index, headings.get("scorecard"), element)
            if kind == "begin_group":
                stack.append((name, index + 2))
            else:
                questions += 1
                if questions > self.limits.max_questions:
                    self.problem(
                        sheet,
                        index,
                        None,
                        gettext_noop("The form has more than %(limit)d questions."),
                        limit=self.limits.max_questions,
                    )
                    break
                if not element.labels:
                    self.problem(
                        sheet,
                        index,
                        headings.get("label")
                        or next((h for c, h in headings.items() if c.startswith("label::")), None),
                        gettext_noop("The %(type)s “%(name)s” has no label."),
                        type=kind,
                        name=name,
                    )
                if kind in SELECT_TYPES and list_name not in choices:
                    if choices_sheet is None:
                        self.problem(
                            sheet,
                            index,
                            type_heading,
                            gettext_noop(
                                "“%(name)s” uses the choice list “%(list)s”, but the workbook "
                                "has no “choices” sheet."
                            ),
                            name=name,
                            list=list_name,
                        )
                    else:
                        self.problem(
                            sheet,
                            index,
                            type_heading,
                            gettext_noop(
                                "The choice list “%(list)s” does not exist on the choices sheet."
                            ),
                            list=list_name,
                        )
            elements.append(element)
        for group, row_number in stack:
            self.problem(
                sheet,
                row_number - 2,
                type_heading,
                gettext_noop("The group “%(name)s” is never closed with end_group."),
                name=group,
            )
        return elements
