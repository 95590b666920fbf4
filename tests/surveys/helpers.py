"""Small XLSForms written in the tests, and a hand-checkable response set."""

from __future__ import annotations

import io

from openpyxl import Workbook

from roundtable.surveys.xlsform import Form, read_xlsform, write_xlsform

SETTINGS = {"form_title": "Test survey", "form_id": "test", "default_language": "English (en)"}


def xlsx(survey, choices=(), settings=None, survey_columns=None, choices_columns=None) -> bytes:
    return write_xlsform(
        survey=list(survey),
        choices=list(choices),
        settings=settings if settings is not None else SETTINGS,
        survey_columns=survey_columns,
        choices_columns=choices_columns,
    )


def workbook(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with exactly these sheets and rows (for malformed forms)."""
    book = Workbook()
    first = True
    for title, rows in sheets.items():
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = title
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# A form with one question of every supported type.
SURVEY = [
    {
        "type": "select_one grp",
        "name": "group",
        "label::English (en)": "Your group",
        "label::Français (fr)": "Votre groupe",
    },
    {"type": "begin_group", "name": "main", "label::English (en)": "Main part"},
    {
        "type": "select_one agree",
        "name": "q1",
        "label::English (en)": "Agree?",
        "label::Français (fr)": "D'accord ?",
        "required": "yes",
        "scorecard": "mark_purpose",
    },
    {"type": "select_multiple topics", "name": "topics", "label::English (en)": "Topics"},
    {
        "type": "integer",
        "name": "age",
        "label::English (en)": "Age",
        "constraint": ". >= 18 and . < 120",
        "constraint_message::English (en)": "Between 18 and 119",
        "constraint_message::Français (fr)": "Entre 18 et 119",
    },
    {"type": "decimal", "name": "share", "label::English (en)": "Share"},
    {"type": "date", "name": "when", "label::English (en)": "When"},
    {
        "type": "text",
        "name": "why",
        "label::English (en)": "Why?",
        "relevant": "${q1} = '1'",
        "hint::English (en)": "Say why",
    },
    {"type": "end_group", "name": "main"},
    {"type": "note", "name": "bye", "label::English (en)": "Thank you"},
]
CHOICES = [
    {"list_name": "grp", "name": "a", "label::English (en)": "Group A", "label::Français (fr)": "Groupe A"},
    {"list_name": "grp", "name": "b", "label::English (en)": "Group B", "label::Français (fr)": "Groupe B"},
    {"list_name": "grp", "name": "c", "label::English (en)": "Group C", "label::Français (fr)": "Groupe C"},
    {"list_name": "agree", "name": "1", "label::English (en)": "No", "score": "1"},
    {"list_name": "agree", "name": "2", "label::English (en)": "Somewhat", "score": "2"},
    {"list_name": "agree", "name": "3", "label::English (en)": "Yes", "score": "3"},
    {"list_name": "agree", "name": "na", "label::English (en)": "Don't know"},
    {"list_name": "topics", "name": "x", "label::English (en)": "Topic X"},
    {"list_name": "topics", "name": "y", "label::English (en)": "Topic Y"},
    {"list_name": "topics", "name": "z", "label::English (en)": "Topic Z"},
]  # fmt: skip


def small_form() -> Form:
    return read_xlsform(xlsx(SURVEY, CHOICES))


# Ten responses whose tables are worked out by hand in test_tabulate.py.
ANSWERS = [
    {"group": "a", "q1": "1", "topics": "x y", "age": "30", "share": "0.5", "when": "2025-01-02", "why": "Too slow"},
    {"group": "a", "q1": "3", "topics": "x", "age": "40", "share": "1.5", "when": "2025-01-02"},
    {"group": "a", "q1": "3", "topics": "x z", "age": "50"},
    {"group": "a", "q1": "2", "topics": "y"},
    {"group": "b", "q1": "3", "topics": "x y z", "age": "20", "when": "2025-03-04"},
    {"group": "b", "q1": "3"},
    {"group": "b", "q1": "1", "why": "Too slow, really"},
    {"group": "c", "q1": "3", "topics": "z"},
    {"q1": "na", "topics": "x"},
    {"group": "a", "q1": "2", "age": "30"},
]  # fmt: skip
