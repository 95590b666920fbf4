"""The form: question types, elements, choices, languages, and the errors of reading one."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

from .. import expressions
from ..expressions import Node

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


LANGUAGE_LABELS = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "zh": "中文",
    "zh-hans": "中文",
    "ru": "Русский",
}


def clean_heading(heading: str) -> str:
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
