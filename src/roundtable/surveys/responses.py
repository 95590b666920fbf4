"""Responses in the ODK / KoboToolbox export convention, read and checked. No Django.

A responses file (CSV or XLSX) has one row per response and one column per
question, named by the question's ``name`` (``group/name`` and
``group-name`` are accepted too, as KoboToolbox and ODK Central write them);
values are choice ``name``\\ s, and ``select_multiple`` answers list their
choices separated by spaces. Export metadata (``_id``, ``start``,
``meta/instanceID``, ...) and KoboToolbox's one-column-per-option
``question/option`` columns are recognised and set aside.

Every problem names its row and column (``row 12, column F (mark_fit)``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .expressions import gettext_noop
from .xlsform import (
    DATE,
    DECIMAL,
    INTEGER,
    NOTE,
    SELECT_MULTIPLE,
    SELECT_ONE,
    TEXT,
    Element,
    Form,
    column_letter,
)

# Columns that export tools add and that carry no answer.
META_COLUMNS = {
    "start", "end", "today", "deviceid", "imei", "username", "simserial", "subscriberid",
    "phonenumber", "audit", "instanceid", "instancename", "meta/instanceid",
    "meta/instancename", "meta/rootuuid", "meta/deprecatedid", "meta/audit", "formhub/uuid",
    "submissiondate", "key", "submitterid", "submittername", "attachmentspresent",
    "attachmentsexpected", "status", "reviewstate", "edits", "formversion", "__version__",
    "meta-instanceid", "meta-instancename",
}  # fmt: skip
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class ResponseProblem:
    row: int | None
    column: str | None
    header: str | None
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, gettext: Callable[[str], str] = lambda s: s) -> str:
        text = gettext(self.message) % dict(self.params) if self.params else gettext(self.message)
        parts = []
        if self.row:
            parts.append(gettext("row %(row)d") % {"row": self.row})
        if self.column:
            parts.append(
                gettext("column %(column)s (%(header)s)")
                % {"column": self.column, "header": self.header}
                if self.header
                else gettext("column %(column)s") % {"column": self.column}
            )
        return f"{', '.join(parts)}: {text}" if parts else text


class ResponseError(ValueError):
    def __init__(self, problems: list[ResponseProblem], more: bool = False):
        self.problems = problems
        self.more = more
        super().__init__("\n".join(problem.render() for problem in problems))

    def messages(self, gettext: Callable[[str], str] = lambda s: s) -> list[str]:
        lines = [problem.render(gettext) for problem in self.problems]
        if self.more:
            lines.append(gettext("(more problems not shown)"))
        return lines


# --- One answer ------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerProblem:
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, gettext: Callable[[str], str] = lambda s: s) -> str:
        return gettext(self.message) % dict(self.params) if self.params else gettext(self.message)


def normalise_answer(
    form: Form, element: Element, raw: Any, *, max_text_chars: int = 20_000
) -> tuple[str, AnswerProblem | None]:
    """An answer as stored (a string), or the reason it is not valid.

    Empty means unanswered. Numbers are written without a trailing ``.0``,
    dates as ``YYYY-MM-DD``; ``select_multiple`` answers keep form order.
    """
    if raw is None:
        return "", None
    if isinstance(raw, bool):
        raw = "1" if raw else "0"
    elif isinstance(raw, float) and raw.is_integer():
        raw = str(int(raw))
    elif isinstance(raw, dt.datetime):
        raw = raw.date().isoformat()
    elif isinstance(raw, dt.date):
        raw = raw.isoformat()
    text = str(raw).strip()
    if text == "":
        return "", None
    kind = element.kind
    if kind == SELECT_ONE:
        index = form.choice_index(element)
        if text not in index:
            return "", _not_a_choice(form, element, text)
        return text, None
    if kind == SELECT_MULTIPLE:
        index = form.choice_index(element)
        chosen = set()
        for token in text.split():
            if token not in index:
                return "", _not_a_choice(form, element, token)
            chosen.add(token)
        return " ".join(sorted(chosen, key=index.__getitem__)), None
    if kind == INTEGER:
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or not number.is_integer():
            return "", AnswerProblem(
                gettext_noop("“%(value)s” is not a whole number."), {"value": text[:50]}
            )
        return str(int(number)), None
    if kind == DECIMAL:
        try:
            number = (
                float(text.replace(",", "."))
                if text.count(",") == 1 and "." not in text
                else float(text)
            )
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            return "", AnswerProblem(
                gettext_noop("“%(value)s” is not a number."), {"value": text[:50]}
            )
        return (str(int(number)) if number.is_integer() else repr(number)), None
    if kind == DATE:
        try:
            return dt.date.fromisoformat(text[:10]).isoformat(), None
        except ValueError:
            return "", AnswerProblem(
                gettext_noop("“%(value)s” is not a date written as YYYY-MM-DD."),
                {"value": text[:50]},
            )
    if kind == TEXT:
        if len(text) > max_text_chars:
            return "", AnswerProblem(
                gettext_noop("The answer is longer than %(limit)d characters."),
                {"limit": max_text_chars},
            )
        return text, None
    return "", None  # notes take no answer


def _not_a_choice(form: Form, element: Element, value: str) -> AnswerProblem:
    return AnswerProblem(
        gettext_noop(
            "“%(value)s” is not in the choice list “%(list)s” of “%(name)s” (expected one of: "
            "%(choices)s). Export with choice names (“XML values”), not labels."
        ),
        {
            "value": value[:80],
            "list": element.list_name,
            "name": element.name,
            "choices": ", ".join(choice.name for choice in form.choices_for(element)[:12]),
        },
    )


# --- Columns -----------------------------------------------------------------------


@dataclass
class ColumnMap:
    """How a file's columns map to the form's questions."""

    headers: list[str]
    questions: dict[int, Element]  # column index -> question
    option_columns: dict[int, tuple[Element, str]]  # "q/option" 0/1 columns
    ignored: list[int]

    def letter(self, index: int) -> str:
        return column_letter(index)

    @property
    def missing_main(self) -> set[str]:
        """select_multiple questions present only as one-column-per-option."""
        present = {element.name for element in self.questions.values()}
        return {e.name for e, _o in self.option_columns.values() if e.name not in present}


def map_columns(form: Form, headers: Sequence[str]) -> ColumnMap:
    aliases: dict[str, Element] = {}
    option_aliases: dict[str, tuple[Element, str]] = {}
    for element in form.questions:
        names = {element.name}
        if element.path:
            names.add("/".join([*element.path, element.name]))
            names.add("-".join([*element.path, element.name]))
        for name in names:
            aliases[name] = element
            if element.kind == SELECT_MULTIPLE:
                for choice in form.choices_for(element):
                    option_aliases[f"{name}/{choice.name}"] = (element, choice.name)
                    option_aliases[f"{name}.{choice.name}"] = (element, choice.name)
    notes = {e.name for e in form.elements if e.kind in (NOTE, "group")}
    ignored_names = set(getattr(form, "ignored", []) or [])
    problems: list[ResponseProblem] = []
    mapping: dict[int, Element] = {}
    options: dict[int, tuple[Element, str]] = {}
    ignored: list[int] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(headers):
        header = (raw or "").strip()
        if not header:
            ignored.append(index)
            continue
        last = header.rsplit("/", 1)[-1]
        if header in aliases:
            element = aliases[header]
            if element.name in seen:
                problems.append(
                    ResponseProblem(
                        1,
                        column_letter(index),
                        header,
                        gettext_noop(
                            "A second column for the question “%(name)s” (first: %(first)s)."
                        ),
                        {"name": element.name, "first": column_letter(seen[element.name])},
                    )
                )
                continue
            seen[element.name] = index
            mapping[index] = element
        elif header in option_aliases:
            options[index] = option_aliases[header]
        elif (
            header.startswith("_")
            or header.lower() in META_COLUMNS
            or header in notes
            or last in notes
            or header in ignored_names
            or last in ignored_names
            or header.lower().startswith(("meta/", "meta-", "formhub/"))
        ):
            ignored.append(index)
        else:
            problems.append(
                ResponseProblem(
                    1,
                    column_letter(index),
                    header,
                    gettext_noop(
                        "The column “%(header)s” is not a question of this form. Name columns "
                        "by the questions' names."
                    ),
                    {"header": header[:80]},
                )
            )
    if problems:
        raise ResponseError(problems[:MAX_PROBLEMS], more=len(problems) > MAX_PROBLEMS)
    if not mapping and not options:
        raise ResponseError(
            [
                ResponseProblem(
                    1,
                    None,
                    None,
                    gettext_noop(
                        "No column is named after a question of this form; is the first row "
                        "the column names?"
                    ),
                )
            ]
        )
    return ColumnMap(list(headers), mapping, options, ignored)


# --- Files ---------------------------------------------------------------------------


def sniff_format(data: bytes, filename: str = "") -> str:
    """``xlsx`` or ``csv``, by content."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    return "csv"


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ResponseError(
            [
                ResponseProblem(
                    line,
                    None,
                    None,
                    gettext_noop(
                        "The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."
                    ),
                )
            ]
        ) from None


def _delimiter(first_line: str) -> str:
    counts = {delimiter: 0 for delimiter in (",", ";", "\t")}
    quoted = False
    for character in first_line:
        if character == '"':
            quoted = not quoted
        elif not quoted and character in counts:
            counts[character] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def csv_rows(text: str) -> Iterator[list[str]]:
    first_line = text.split("\n", 1)[0]
    return csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))


def csv_rows_from_file(handle: io.TextIOBase) -> Iterator[list[str]]:
    """Rows of an open text file (streamed, for large files)."""
    first_line = handle.readline()
    if first_line.startswith("\ufeff"):
        first_line = first_line[1:]
    delimiter = _delimiter(first_line)
    yield from csv.reader([first_line], delimiter=delimiter)
    yield from csv.reader(handle, delimiter=delimiter)


def xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise ResponseError(
            [
                ResponseProblem(
                    None,
                    None,
                    None,
                    gettext_noop("The file could not be read as an Excel workbook: %(error)s"),
                    {"error": type(error).__name__},
                )
            ]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def rows_of(data: bytes, filename: str = "") -> Iterator[list[Any]]:
    kind = sniff_format(data, filename)
    if kind == "xls":
        raise ResponseError(
            [
                ResponseProblem(
                    None,
                    None,
                    None,
                    gettext_noop("Old .xls files are not read; save the file as .xlsx or CSV."),
                )
            ]
        )
    if kind == "xlsx":
        return xlsx_rows(data)
    return csv_rows(_decode(data))


def read_answers(
    form: Form,
    data: bytes,
    *,
    filename: str = "",
    max_rows: int = 100_000,
    max_text_chars: int = 20_000,
) -> list[dict[str, str]]:
    """Every response in a file, checked, as ``{question name: answer}``.

    Raises :class:`ResponseError` naming up to 20 problems; nothing is returned
    half-way, so an import either takes the whole file or nothing.
    """
    rows = rows_of(data, filename)
    header = next(rows, None)
    if header is None:
        raise ResponseError([ResponseProblem(None, None, None, gettext_noop("The file is empty."))])
    columns = map_columns(form, [str(h) if h is not None else "" for h in header])
    problems: list[ResponseProblem] = []
    answers: list[dict[str, str]] = []
    rebuild = columns.missing_main
    for row_number, row in enumerate(rows, start=2):
        if not any(value not in (None, "") for value in row):
            continue  # blank lines
        if len(answers) >= max_rows:
            raise ResponseError(
                [
                    ResponseProblem(
                        row_number,
                        None,
                        None,
                        gettext_noop("The file has more than %(limit)d responses."),
                        {"limit": max_rows},
                    )
                ]
            )
        record: dict[str, str] = {}
        for index, element in columns.questions.items():
            raw = row[index] if index < len(row) else None
            value, problem = normalise_answer(form, element, raw, max_text_chars=max_text_chars)
            if problem is not None:
                problems.append(
                    ResponseProblem(
                        row_number,
                        column_letter(index),
                        columns.headers[index],
                        problem.message,
                        problem.params,
                    )
                )
            elif value:
                record[element.name] = value
        if rebuild:
            chosen: dict[str, list[str]] = {}
            for index, (element, option) in columns.option_columns.items():
                if element.name not in rebuild or index >= len(row):
                    continue
                if str(row[index]).strip().lower() in ("1", "true", "1.0"):
                    chosen.setdefault(element.name, []).append(option)
            for name, options in chosen.items():
                value, _problem = normalise_answer(form, form.question(name), " ".join(options))
                record[name] = value
        if len(problems) > MAX_PROBLEMS:
            raise ResponseError(problems[:MAX_PROBLEMS], more=True)
        answers.append(record)
    if problems:
        raise ResponseError(problems)
    return answers
