"""XLSForm survey definitions: read, check and write ``.xlsx`` files. No Django.

Reads the ``survey``, ``choices`` and ``settings`` sheets with pyxform's own
reader (``pyxform.xls2json_backends.xlsx_to_dict``), then checks everything
Roundtable relies on and reports each problem with its sheet, row and column
(``survey sheet, row 7, column E (relevant): ...``). Problems are collected, so
an author sees them all at once.

Supported: ``select_one``, ``select_multiple``, ``text``, ``integer``,
``decimal``, ``date``, ``note``, ``begin_group``/``end_group``; ``required``,
``relevant``, ``constraint`` with ``constraint_message``; labels, hints and
messages in several languages (``label::English (en)``); metadata types
(``start``, ``end``, ``today``, ``deviceid``, ``calculate`` ...) are accepted
and ignored, so forms and exports from ODK and KoboToolbox read as they are.
A survey-sheet column ``scorecard`` maps a question to scorecard dimensions
(see :mod:`roundtable.surveys.scorecard`); a choices-sheet column ``score``
gives each answer its score.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

from . import expressions
from .expressions import ExpressionError, Node, gettext_noop

SELECT_ONE = "select_one"
SELECT_MULTIPLE = "select_multiple"
TEXT = "text"
INTEGER = "integer"
DECIMAL = "decimal"
DATE = "date"
NOTE = "note"
QUESTION_TYPES = (SELECT_ONE, SELECT_MULTIPLE, TEXT, INTEGER, DECIMAL, DATE, NOTE)
SELECT_TYPES = (SELECT_ONE, SELECT_MULTIPLE)

# Accepted in a form and ignored: metadata ODK/Kobo fill in, and calculations.
IGNORED_TYPES = {
    "start", "end", "today", "deviceid", "imei", "username", "phonenumber", "simserial",
    "subscriberid", "email", "audit", "calculate", "hidden", "start-geopoint",
    "background-audio", "xml-external", "csv-external",
}  # fmt: skip
# Known XLSForm types that Roundtable cannot show or tabulate.
UNSUPPORTED_TYPES = {
    "begin_repeat", "end_repeat", "geopoint", "geotrace", "geoshape", "image", "audio",
    "video", "file", "barcode", "range", "rank", "acknowledge", "time", "datetime",
    "select_one_from_file", "select_multiple_from_file", "select_one_external", "trigger",
}  # fmt: skip
TYPE_ALIASES = {
    "select one": SELECT_ONE,
    "select1": SELECT_ONE,
    "select_multiple": SELECT_MULTIPLE,
    "select multiple": SELECT_MULTIPLE,
    "select all that apply": SELECT_MULTIPLE,
    "int": INTEGER,
    "string": TEXT,
    "begin group": "begin_group",
    "end group": "end_group",
    "begin repeat": "begin_repeat",
    "end repeat": "end_repeat",
}
TRUE_VALUES = {"yes", "true", "true()", "1"}
FALSE_VALUES = {"no", "false", "false()", "0", ""}
NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
TRANSLATABLE = ("label", "hint", "constraint_message", "required_message")
# Columns that only ODK's own software uses; accepted and ignored.
UNSUPPORTED_COLUMNS = ("choice_filter", "repeat_count", "calculation", "trigger", "default")

# Names, in several languages, that forms use in ``label::<language>`` columns.
LANGUAGE_NAMES = {
    "english": "en", "anglais": "en", "inglés": "en", "ingles": "en",
    "french": "fr", "français": "fr", "francais": "fr", "francés": "fr",
    "spanish": "es", "español": "es", "espanol": "es", "espagnol": "es",
    "arabic": "ar", "العربية": "ar", "arabe": "ar", "árabe": "ar",
    "chinese": "zh", "中文": "zh", "chinois": "zh", "chino": "zh",
    "russian": "ru", "русский": "ru", "russe": "ru", "ruso": "ru",
    "portuguese": "pt", "português": "pt", "german": "de", "deutsch": "de",
    "swahili": "sw", "kiswahili": "sw",
}  # fmt: skip
DEFAULT = "default"

SURVEY_SHEET = "survey"
CHOICES_SHEET = "choices"
SETTINGS_SHEET = "settings"


# --- Errors --------------------------------------------------------------------


@dataclass(frozen=True)
class FormProblem:
    """One problem, located. ``message`` is an English template marked for translation."""

    sheet: str | None
    row: int | None
    column: str | None  # the column letter
    header: str | None  # the column's heading
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def where(self, gettext: Callable[[str], str] = lambda s: s) -> str:
        parts = []
        if self.sheet:
            parts.append(gettext("%(sheet)s sheet") % {"sheet": self.sheet})
        if self.row:
            parts.append(gettext("row %(row)d") % {"row": self.row})
        if self.column:
            if self.header:
                parts.append(
                    gettext("column %(column)s (%(header)s)")
                    % {"column": self.column, "header": self.header}
                )
            else:
                parts.append(gettext("column %(column)s") % {"column": self.column})
        return ", ".join(parts)

    def render(self, gettext: Callable[[str], str] = lambda s: s) -> str:
        text = gettext(self.message) % dict(self.params) if self.params else gettext(self.message)
        where = self.where(gettext)
        return f"{where}: {text}" if where else text


class FormError(ValueError):
    """A form that cannot be used; ``problems`` lists every problem found."""

    def __init__(self, problems: list[FormProblem]):
        self.problems = problems
        super().__init__("\n".join(problem.render() for problem in problems))

    def messages(self, gettext: Callable[[str], str] = lambda s: s) -> list[str]:
        return [problem.render(gettext) for problem in self.problems]


# --- The form ------------------------------------------------------------------


@dataclass
class Choice:
    name: str
    labels: dict[str, str]
    score: float | None = None
    row: int = 0


@dataclass
class Element:
    """A question, a note or a group, in form order.

    ``path`` lists the names of the groups it sits in, outermost first.
    """

    kind: str  # a question type, or "group"
    name: str
    labels: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    list_name: str = ""
    required: bool = False
    required_messages: dict[str, str] = field(default_factory=dict)
    relevant: str = ""
    constraint: str = ""
    constraint_messages: dict[str, str] = field(default_factory=dict)
    appearance: str = ""
    path: list[str] = field(default_factory=list)
    scorecard: list[str] = field(default_factory=list)
    row: int = 0

    @property
    def is_question(self) -> bool:
        return self.kind in QUESTION_TYPES and self.kind != NOTE

    @property
    def is_select(self) -> bool:
        return self.kind in SELECT_TYPES

    @cached_property
    def relevant_node(self) -> Node | None:
        return expressions.parse(self.relevant) if self.relevant else None

    @cached_property
    def constraint_node(self) -> Node | None:
        return expressions.parse(self.constraint) if self.constraint else None


@dataclass
class Form:
    title: str
    form_id: str
    default_language: str
    languages: list[str]
    elements: list[Element]
    choices: dict[str, list[Choice]]
    version: str = ""
    # Names of metadata and calculated fields: their columns in exports are set aside.
    ignored: list[str] = field(default_factory=list)

    # --- lookups

    @cached_property
    def by_name(self) -> dict[str, Element]:
        return {element.name: element for element in self.elements}

    @property
    def questions(self) -> list[Element]:
        """Questions that take an answer, in form order (no notes or groups)."""
        return [element for element in self.elements if element.is_question]

    @property
    def groups(self) -> dict[str, Element]:
        return {e.name: e for e in self.elements if e.kind == "group"}

    def question(self, name: str) -> Element:
        element = self.by_name.get(name)
        if element is None or not element.is_question:
            raise KeyError(name)
        return element

    def choices_for(self, element: Element) -> list[Choice]:
        return self.choices.get(element.list_name, [])

    def choice_index(self, element: Element) -> dict[str, int]:
        return {choice.name: i for i, choice in enumerate(self.choices_for(element))}

    # --- languages

    def language(self, wanted: str | None) -> str:
        """The form language closest to ``wanted`` (a code like ``fr`` or ``zh-hans``)."""
        return match_language(wanted, self.languages, self.default_language)

    def text(self, texts: Mapping[str, str], language: str | None) -> str:
        """A label (or hint) in ``language``, else the default language, else any."""
        if not texts:
            return ""
        lang = match_language(language, list(texts), self.default_language)
        return texts.get(lang) or texts.get(self.default_language) or next(iter(texts.values()))

    def label(self, element: Element, language: str | None) -> str:
        return self.text(element.labels, language) or element.name

    def choice_label(self, choice: Choice, language: str | None) -> str:
        return self.text(choice.labels, language) or choice.name

    # --- serialisation (stored as JSON by the web app)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "form_id": self.form_id,
            "version": self.version,
            "default_language": self.default_language,
            "languages": self.languages,
            "ignored": self.ignored,
            # Defaults are left out to keep stored definitions small.
            "elements": [
                {k: v for k, v in asdict(e).items() if v != _ELEMENT_DEFAULTS.get(k)}
                | {"kind": e.kind, "name": e.name}
                for e in self.elements
            ],
            "choices": {
                name: [
                    {k: v for k, v in asdict(c).items() if v is not None and v != {}}
                    for c in choices
                ]
                for name, choices in self.choices.items()
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Form:
        return cls(
            title=data.get("title", ""),
            form_id=data.get("form_id", ""),
            version=data.get("version", ""),
            default_language=data.get("default_language", DEFAULT),
            languages=list(data.get("languages", [])),
            ignored=list(data.get("ignored", [])),
            elements=[Element(**element) for element in data.get("elements", [])],
            choices={
                name: [Choice(**choice) for choice in choices]
                for name, choices in data.get("choices", {}).items()
            },
        )

    # --- relevance

    def is_relevant(self, element: Element, answers: Mapping[str, str], today: Any = None) -> bool:
        """Whether ``element`` and every group around it are relevant given ``answers``."""
        context = expressions.Context(answers=answers, today=today)
        for group_name in element.path:
            group = self.by_name.get(group_name)
            if group is not None and not expressions.is_true(group.relevant_node, context):
                return False
        return expressions.is_true(element.relevant_node, context)


_ELEMENT_DEFAULTS: dict[str, Any] = {
    "labels": {},
    "hints": {},
    "list_name": "",
    "required": False,
    "required_messages": {},
    "relevant": "",
    "constraint": "",
    "constraint_messages": {},
    "appearance": "",
    "path": [],
    "scorecard": [],
}


def match_language(wanted: str | None, available: list[str], default: str) -> str:
    """Pick among ``available`` language keys: exact, then same base language."""
    if not available:
        return default
    if wanted:
        wanted = wanted.lower()
        lowered = {lang.lower(): lang for lang in available}
        if wanted in lowered:
            return lowered[wanted]
        base = wanted.split("-")[0].split("_")[0]
        for lower, lang in lowered.items():
            if lower.split("-")[0].split("_")[0] == base:
                return lang
    return default if default in available else available[0]


def language_key(raw: str) -> str:
    """``English (en)`` -> ``en``; ``Français`` -> ``fr``; unknown names kept as written."""
    raw = raw.strip()
    match = re.search(r"\(([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)\)\s*$", raw)
    if match:
        return match.group(1).lower().replace("_", "-")
    return LANGUAGE_NAMES.get(raw.lower(), raw)


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


def _clean_heading(heading: str) -> str:
    """Normalise ``Label :: English (en)`` and ``label::English(en)`` spellings."""
    base, sep, rest = heading.partition("::")
    base = base.strip().lower()
    if base in ("relevance",):
        base = "relevant"
    if base in ("constraint message", "constraint_message", "jr:constraintmsg"):
        base = "constraint_message"
    if base in ("required message", "required_message", "jr:requiredmsg"):
        base = "required_message"
    return f"{base}::{rest.strip()}" if sep else base


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
        clean = _clean_heading(heading)
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


class _Reader:
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
        settings = {_clean_heading(k): v for k, v in settings.items()}
        default_language = language_key(settings.get("default_language", "")) or DEFAULT
        # Language keys in the order their columns first appear.
        languages: dict[str, None] = {}

        for heading in ("type", "name"):
            if heading not in {_clean_heading(h) for h in survey.columns}:
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
        headings = {_clean_heading(h): h for h in sheet.columns}
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
        headings = {_clean_heading(h): h for h in sheet.columns}
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

    def check_scorecard(
        self, sheet: _Sheet, index: int, heading: str | None, element: Element
    ) -> None:
        from .scorecard import DIMENSIONS, unknown_keys

        unknown = unknown_keys(element.scorecard)
        if unknown:
            self.problem(
                sheet,
                index,
                heading,
                gettext_noop("Unknown scorecard dimension “%(key)s”. Known: %(known)s."),
                key=unknown[0],
                known=", ".join(dimension.key for dimension in DIMENSIONS),
            )
        elif element.kind != SELECT_ONE:
            self.problem(
                sheet,
                index,
                heading,
                gettext_noop("Only select_one questions can count towards the scorecard."),
            )

    def parse_type(
        self, sheet: _Sheet, index: int, heading: str, raw: str
    ) -> tuple[str | None, str]:
        lowered = raw.lower()
        parts = lowered.split(" ")
        # "select_one list", "select one list", "select_multiple list"
        for prefix, kind in (
            ("select_one", SELECT_ONE),
            ("select one", SELECT_ONE),
            ("select_multiple", SELECT_MULTIPLE),
            ("select multiple", SELECT_MULTIPLE),
            ("select all that apply", SELECT_MULTIPLE),
        ):
            if lowered == prefix:
                self.problem(
                    sheet,
                    index,
                    heading,
                    gettext_noop("“%(type)s” needs the name of a choice list after it."),
                    type=raw,
                )
                return None, ""
            if lowered.startswith(prefix + " "):
                rest = raw[len(prefix) + 1 :].strip().split(" ")
                if len(rest) > 1 and rest[-1].lower() == "or_other":
                    self.problem(
                        sheet,
                        index,
                        heading,
                        gettext_noop(
                            "“or_other” is not supported: add an “other” choice and a text "
                            "question shown when it is selected."
                        ),
                    )
                    return None, ""
                if len(rest) > 1:
                    self.problem(
                        sheet,
                        index,
                        heading,
                        gettext_noop("“%(type)s” is not a type Roundtable knows."),
                        type=raw,
                    )
                    return None, ""
                return kind, rest[0]
        kind = TYPE_ALIASES.get(lowered, lowered.replace(" ", "_") if len(parts) > 1 else lowered)
        if kind in QUESTION_TYPES or kind in ("begin_group", "end_group") or kind in IGNORED_TYPES:
            return kind, ""
        if kind in UNSUPPORTED_TYPES:
            self.problem(
                sheet,
                index,
                heading,
                gettext_noop(
                    "The type “%(type)s” is not supported. Supported types: %(supported)s."
                ),
                type=raw,
                supported=", ".join([*QUESTION_TYPES, "begin_group", "end_group"]),
            )
            return None, ""
        self.problem(
            sheet,
            index,
            heading,
            gettext_noop("Unknown type “%(type)s”. Supported types: %(supported)s."),
            type=raw,
            supported=", ".join([*QUESTION_TYPES, "begin_group", "end_group"]),
        )
        return None, ""

    def check_expressions(self, sheet: _Sheet, elements: list[Element]) -> None:
        headings = {_clean_heading(h): h for h in sheet.columns}
        names = {element.name for element in elements if element.kind != "group"}
        for element in elements:
            for attribute in ("relevant", "constraint"):
                text = getattr(element, attribute)
                if not text:
                    continue
                row_index = element.row - 2
                heading = headings.get(attribute)
                if len(text) > self.limits.max_expression_chars:
                    self.problem(
                        sheet,
                        row_index,
                        heading,
                        gettext_noop("The expression is longer than %(limit)d characters."),
                        limit=self.limits.max_expression_chars,
                    )
                    continue
                try:
                    node = expressions.parse(text)
                except ExpressionError as error:
                    self.problems.append(
                        FormProblem(
                            sheet.name,
                            element.row,
                            sheet.columns.get(heading) if heading else None,
                            heading,
                            gettext_noop("The expression “%(expression)s” does not parse: "),
                            {"expression": text},
                        )
                    )
                    # Keep the parser's own message (and its parameters) translatable.
                    self.problems[-1] = _joined(self.problems[-1], error)
                    continue
                for reference in sorted(expressions.references(node)):
                    if reference not in names:
                        self.problem(
                            sheet,
                            row_index,
                            heading,
                            gettext_noop(
                                "The expression refers to ${%(name)s}, but no question has "
                                "that name."
                            ),
                            name=reference,
                        )
                    elif reference == element.name and attribute == "relevant":
                        self.problem(
                            sheet,
                            row_index,
                            heading,
                            gettext_noop(
                                "“%(name)s” cannot depend on its own answer; use “.” in a "
                                "constraint instead."
                            ),
                            name=reference,
                        )
                if attribute == "relevant" and expressions.uses_current(node):
                    self.problem(
                        sheet,
                        row_index,
                        heading,
                        gettext_noop("“.” (this answer) can only be used in a constraint."),
                    )


def _joined(problem: FormProblem, error: ExpressionError) -> FormProblem:
    """One problem whose message is the prefix followed by the parser's message."""
    return _ExpressionProblem(
        problem.sheet,
        problem.row,
        problem.column,
        problem.header,
        problem.message,
        dict(problem.params),
        error,
    )


@dataclass(frozen=True)
class _ExpressionProblem(FormProblem):
    error: ExpressionError | None = None

    def render(self, gettext: Callable[[str], str] = lambda s: s) -> str:
        head = gettext(self.message) % dict(self.params)
        tail = self.error.render(gettext) if self.error else ""
        where = self.where(gettext)
        return f"{where}: {head}{tail}" if where else f"{head}{tail}"


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


LANGUAGE_LABELS = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "zh": "中文",
    "zh-hans": "中文",
    "ru": "Русский",
}
