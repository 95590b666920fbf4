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

- :mod:`.model`: the form (``Form``, ``Element``, ``Choice``) and its errors;
- :mod:`.reader`: ``read_xlsform``; :mod:`.checks`: what it checks;
- :mod:`.writer`: ``write_xlsform``, ``form_to_xlsx``.
"""

from .model import (
    DATE,
    DECIMAL,
    DEFAULT,
    INTEGER,
    LANGUAGE_LABELS,
    NOTE,
    QUESTION_TYPES,
    SELECT_MULTIPLE,
    SELECT_ONE,
    SELECT_TYPES,
    TEXT,
    Choice,
    Element,
    Form,
    FormError,
    FormProblem,
    language_key,
    match_language,
)
from .reader import Limits, column_letter, read_xlsform
from .writer import form_to_rows, form_to_xlsx, write_xlsform

__all__ = [
    "DATE",
    "DECIMAL",
    "DEFAULT",
    "INTEGER",
    "LANGUAGE_LABELS",
    "NOTE",
    "QUESTION_TYPES",
    "SELECT_MULTIPLE",
    "SELECT_ONE",
    "SELECT_TYPES",
    "TEXT",
    "Choice",
    "Element",
    "Form",
    "FormError",
    "FormProblem",
    "Limits",
    "column_letter",
    "form_to_rows",
    "form_to_xlsx",
    "language_key",
    "match_language",
    "read_xlsform",
    "write_xlsform",
]
