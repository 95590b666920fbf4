"""Reading XLSForms: every supported feature, and every error named by sheet, row and column."""

from __future__ import annotations

import io

import pytest

from roundtable.surveys.assessment import assessment_form, assessment_xlsx
from roundtable.surveys.xlsform import Form, FormError, form_to_xlsx, language_key, read_xlsform
from tests.surveys.helpers import CHOICES, SURVEY, small_form, workbook, xlsx


def problems(data: bytes) -> list[str]:
    with pytest.raises(FormError) as caught:
        read_xlsform(data)
    return caught.value.messages()


def test_every_supported_feature_is_read():
    form = small_form()
    assert form.title == "Test survey"
    assert form.form_id == "test"
    assert form.languages == ["en", "fr"]
    assert form.default_language == "en"
    assert [q.name for q in form.questions] == [
        "group",
        "q1",
        "topics",
        "age",
        "share",
        "when",
        "why",
    ]
    assert [q.kind for q in form.questions] == [
        "select_one",
        "select_multiple",
        "integer",
        "decimal",
        "date",
        "text",
    ][:0] or [q.kind for q in form.questions] == [
        "select_one",
        "select_one",
        "select_multiple",
        "integer",
        "decimal",
        "date",
        "text",
    ]
    q1 = form.by_name["q1"]
    assert q1.required and q1.path == ["main"] and q1.list_name == "agree"
    assert q1.scorecard == ["mark_purpose"]
    assert form.label(q1, "fr") == "D'accord ?"
    assert form.label(q1, "fr-CA") == "D'accord ?"  # same base language
    assert form.label(form.by_name["topics"], "fr") == "Topics"  # falls back to the default
    age = form.by_name["age"]
    assert age.constraint == ". >= 18 and . < 120"
    assert form.text(age.constraint_messages, "fr") == "Entre 18 et 119"
    why = form.by_name["why"]
    assert why.relevant == "${q1} = '1'" and form.text(why.hints, "en") == "Say why"
    assert form.by_name["bye"].kind == "note" and not form.by_name["bye"].is_question
    assert form.groups["main"].labels == {"en": "Main part"}
    assert [(c.name, c.score) for c in form.choices["agree"]] == [
        ("1", 1.0),
        ("2", 2.0),
        ("3", 3.0),
        ("na", None),
    ]
    assert form.choice_label(form.choices["grp"][1], "fr") == "Groupe B"


def test_relevance_follows_groups_and_answers():
    form = small_form()
    why = form.by_name["why"]
    assert form.is_relevant(why, {"q1": "1"})
    assert not form.is_relevant(why, {"q1": "2"})


def test_plain_label_columns_and_aliases():
    data = workbook(
        {
            "survey": [
                ["type", "name", "label", "Required", "relevance"],
                ["select one yn", "ok", "OK?", "TRUE", None],
                ["begin group", "g", "G", None, None],
                ["int", "n", "How many?", None, "${ok} = 'y'"],
                ["end group", None, None, None, None],
                ["start", "start", None, None, None],
                ["calculate", "calc", None, None, None],
            ],
            "choices": [["list name", "name", "label"], ["yn", "y", "Yes"], ["yn", "n", "No"]],
        }
    )
    form = read_xlsform(data)
    assert [q.kind for q in form.questions] == ["select_one", "integer"]
    assert form.by_name["ok"].required
    assert form.by_name["n"].relevant == "${ok} = 'y'"
    assert form.languages == ["default"]
    assert form.ignored == ["start", "calc"]


def test_language_keys():
    assert language_key("English (en)") == "en"
    assert language_key("中文 (zh-Hans)") == "zh-hans"
    assert language_key("Français") == "fr"
    assert language_key("Kiswahili") == "sw"
    assert language_key("Klingon") == "Klingon"


@pytest.mark.parametrize(
    ("sheets", "expected"),
    [
        (
            {"choices": [["list_name", "name", "label"]], "settings": [["form_title"], ["x"]]},
            "The workbook has no “survey” sheet. Sheets found: choices, settings.",
        ),
        (
            {
                "survey": [["type", "label"], ["text", "Why?"]],
                "choices": [["list_name", "name", "label"]],
            },
            "survey sheet, row 1: The survey sheet has no “name” column.",
        ),
    ],
)
def test_missing_sheet_or_column(sheets, expected):
    assert problems(workbook(sheets)) == [expected]


def test_each_problem_names_sheet_row_and_column():
    data = xlsx(
        [
            {"type": "select_one nope", "name": "a", "label": "A"},
            {"type": "geopoint", "name": "where", "label": "Where"},
            {"type": "colour", "name": "c", "label": "C"},
            {"type": "text", "name": "2bad", "label": "Bad"},
            {"type": "text", "name": "a", "label": "Again"},
            {"type": "integer", "name": "n", "label": "N", "relevant": "${a} = = 1"},
            {"type": "integer", "name": "m", "label": "M", "relevant": "${ghost} = 1"},
            {"type": "integer", "name": "k", "label": "K", "constraint": "bogus(.)"},
            {"type": "text", "name": "r", "label": "R", "required": "maybe"},
            {"type": "text", "name": "nolabel"},
            {"type": "text", "name": "s", "label": "S", "relevant": ". > 1"},
            {"type": "end_group", "name": ""},
            {"type": "begin_group", "name": "open", "label": "Open"},
        ],
        [{"list_name": "yn", "name": "y", "label": "Yes"}],
        survey_columns=["type", "name", "label", "required", "relevant", "constraint"],
    )
    assert problems(data) == [
        "survey sheet, row 2, column A (type): The choice list “nope” does not exist on the choices sheet.",
        "survey sheet, row 3, column A (type): The type “geopoint” is not supported. Supported types: select_one, select_multiple, text, integer, decimal, date, note, begin_group, end_group.",
        "survey sheet, row 4, column A (type): Unknown type “colour”. Supported types: select_one, select_multiple, text, integer, decimal, date, note, begin_group, end_group.",
        "survey sheet, row 5, column B (name): “2bad” is not a valid name: start with a letter or “_”, and use only letters, digits, “_”, “-” and “.”.",
        "survey sheet, row 6, column B (name): The name “a” is already used on row 2.",
        "survey sheet, row 10, column D (required): “required” must be “yes” or “no”, not “maybe”.",
        "survey sheet, row 11, column C (label): The text “nolabel” has no label.",
        "survey sheet, row 13, column A (type): This end_group has no begin_group before it.",
        "survey sheet, row 14, column A (type): The group “open” is never closed with end_group.",
        "survey sheet, row 7, column E (relevant): The expression “${a} = = 1” does not parse: Unexpected “=” at position 8.",
        "survey sheet, row 8, column E (relevant): The expression refers to ${ghost}, but no question has that name.",
        "survey sheet, row 9, column F (constraint): The expression “bogus(.)” does not parse: Unknown function “bogus()”.",
        "survey sheet, row 12, column E (relevant): “.” (this answer) can only be used in a constraint.",
    ]


def test_choices_sheet_problems():
    data = xlsx(
        [{"type": "select_multiple l", "name": "a", "label": "A"}],
        [
            {"list_name": "l", "name": "x", "label": "X"},
            {"list_name": "l", "name": "x", "label": "X again"},
            {"list_name": "l", "name": "two words", "label": "Two"},
            {"list_name": "", "name": "orphan", "label": "Orphan"},
            {"list_name": "l", "name": "s", "label": "S", "score": "high"},
        ],
    )
    assert problems(data) == [
        "choices sheet, row 3, column B (name): The list “l” already has a choice named “x”.",
        "choices sheet, row 4, column B (name): The choice name “two words” contains a space; answers to select_multiple questions are stored separated by spaces.",
        "choices sheet, row 5, column A (list_name): This choice has no list name.",
        "choices sheet, row 6, column D (score): The score “high” is not a number.",
    ]


def test_select_without_a_choices_sheet():
    data = workbook(
        {
            "survey": [["type", "name", "label"], ["select_one yn", "a", "A"]],
            "settings": [["form_title"], ["T"]],
        }
    )
    assert problems(data) == [
        "survey sheet, row 2, column A (type): “a” uses the choice list “yn”, but the workbook has no “choices” sheet."
    ]


def test_unsupported_columns_and_scorecard_keys():
    data = xlsx(
        [
            {"type": "select_one l", "name": "a", "label": "A", "choice_filter": "x = 1"},
            {"type": "select_one l", "name": "b", "label": "B", "scorecard": "mark_nonsense"},
            {"type": "text", "name": "c", "label": "C", "scorecard": "mark_fit"},
        ],
        [{"list_name": "l", "name": "x", "label": "X"}],
    )
    messages = problems(data)
    assert (
        messages[0]
        == "survey sheet, row 2, column D (choice_filter): The “choice_filter” column is not supported; leave it empty."
    )
    assert messages[1].startswith(
        "survey sheet, row 3, column E (scorecard): Unknown scorecard dimension “mark_nonsense”."
    )
    assert (
        messages[2]
        == "survey sheet, row 4, column E (scorecard): Only select_one questions can count towards the scorecard."
    )


def test_not_an_xlsx_file_and_size_limit():
    assert problems(b"%PDF-1.4 not a spreadsheet") == [
        "This is not an Excel .xlsx file. Save the XLSForm as “Excel Workbook (.xlsx)” and upload it again."
    ]
    assert problems(b"PK\x03\x04 broken zip")[0].startswith(
        "The file could not be read as an XLSForm"
    )
    from roundtable.surveys.xlsform import Limits

    with pytest.raises(FormError) as caught:
        read_xlsform(xlsx(SURVEY, CHOICES), limits=Limits(max_bytes=100))
    assert caught.value.messages() == ["The file is larger than 1 MB."]


def test_messages_translate():
    data = xlsx([{"type": "colour", "name": "c", "label": "C"}], [])
    with pytest.raises(FormError) as caught:
        read_xlsform(data)
    french = {
        "%(sheet)s sheet": "feuille %(sheet)s",
        "row %(row)d": "ligne %(row)d",
        "column %(column)s (%(header)s)": "colonne %(column)s (%(header)s)",
        "Unknown type “%(type)s”. Supported types: %(supported)s.": "Type inconnu « %(type)s ».",
    }
    assert caught.value.messages(lambda s: french.get(s, s)) == [
        "feuille survey, ligne 2, colonne A (type): Type inconnu « colour »."
    ]


def test_round_trip_through_xlsx():
    form = small_form()
    again = read_xlsform(form_to_xlsx(form))
    assert again.to_dict() == form.to_dict()
    assert Form.from_dict(form.to_dict()).to_dict() == form.to_dict()


def test_built_in_assessment():
    form = assessment_form()
    assert set(form.languages) >= {"en", "fr", "es", "ar", "zh", "ru"}
    keys = {key for q in form.questions for key in q.scorecard}
    from roundtable.surveys.scorecard import DIMENSIONS

    # Every mark, success factor and constraint has at least one question.
    assert keys == {d.key for d in DIMENSIONS}
    for element in form.elements:
        for texts in (element.labels, element.hints, element.constraint_messages):
            if texts:
                assert set(texts) == {"en", "fr", "es", "ar", "zh", "ru"}, element.name
    for choices in form.choices.values():
        for choice in choices:
            assert set(choice.labels) == {"en", "fr", "es", "ar", "zh", "ru"}, choice.name


def test_built_in_assessment_is_valid_for_pyxform_too():
    """The template is an ordinary XLSForm: ODK's own converter accepts it."""
    from pyxform.xls2xform import convert

    result = convert(xlsform=io.BytesIO(assessment_xlsx()), file_type=".xlsx", validate=False)
    assert "<h:title>Partnership assessment</h:title>" in result.xform
    assert 'jr:constraintMsg="jr:itext(' in result.xform or "constraintMsg" in result.xform
