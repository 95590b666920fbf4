"""Reading responses files (ODK/Kobo convention): what is accepted, and errors that say where."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from roundtable.surveys.responses import ResponseError, read_answers
from roundtable.surveys.tabulate import tabulate_rows
from tests.surveys.helpers import small_form


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


def errors(data: bytes) -> list[str]:
    with pytest.raises(ResponseError) as caught:
        read_answers(small_form(), data)
    return caught.value.messages()


def test_values_are_normalised():
    data = csv_bytes(
        "\ufeffgroup,q1,topics,age,share,when,why,_uuid,meta/instanceID\n"
        'a,1,z x x,30.0,"0,5",2025-01-02T10:00:00," Too slow ",u1,i1\n'
        ",,,,,,,u2,i2\n"
        "b,na,,,,,,u3,i3\n"
    )
    assert read_answers(small_form(), data) == [
        {
            "group": "a",
            "q1": "1",
            "topics": "x z",
            "age": "30",
            "share": "0.5",
            "when": "2025-01-02",
            "why": "Too slow",
        },
        {},
        {"group": "b", "q1": "na"},
    ]


def test_group_paths_and_per_option_columns():
    data = csv_bytes(
        "main/q1,main-age,main/topics/x,main/topics/y,main/topics/z\n3,40,1,0,1\n2,,0,0,0\n"
    )
    assert read_answers(small_form(), data) == [
        {"q1": "3", "age": "40", "topics": "x z"},
        {"q1": "2"},
    ]


def test_excel_files():
    book = Workbook()
    sheet = book.active
    sheet.append(["group", "q1", "age", "share"])
    sheet.append(["a", 3, 41, 2.5])
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_answers(small_form(), buffer.getvalue()) == [
        {"group": "a", "q1": "3", "age": "41", "share": "2.5"}
    ]


def test_every_problem_names_row_and_column():
    data = csv_bytes(
        "group,q1,topics,age,when\n"
        "a,1,x,30,2025-01-01\n"
        "d,Strongly agree,x w,thirty,01/02/2025\n"
        "a,2,,29.5,\n"
    )
    assert errors(data) == [
        "row 3, column A (group): “d” is not in the choice list “grp” of “group” (expected one of: a, b, c). Export with choice names (“XML values”), not labels.",
        "row 3, column B (q1): “Strongly agree” is not in the choice list “agree” of “q1” (expected one of: 1, 2, 3, na). Export with choice names (“XML values”), not labels.",
        "row 3, column C (topics): “w” is not in the choice list “topics” of “topics” (expected one of: x, y, z). Export with choice names (“XML values”), not labels.",
        "row 3, column D (age): “thirty” is not a whole number.",
        "row 3, column E (when): “01/02/2025” is not a date written as YYYY-MM-DD.",
        "row 4, column D (age): “29.5” is not a whole number.",
    ]


def test_unknown_and_duplicate_columns():
    assert errors(csv_bytes("group,colour,q1,main/q1\na,red,1,1\n")) == [
        "row 1, column B (colour): The column “colour” is not a question of this form. Name columns by the questions' names.",
        "row 1, column D (main/q1): A second column for the question “q1” (first: C).",
    ]
    assert errors(csv_bytes("x,y\n1,2\n"))[0].startswith("row 1, column A (x)")


def test_files_that_are_not_tables():
    assert errors(b"") == ["The file is empty."]
    assert errors("group\n\xe9\n".encode("latin-1")) == [
        "row 2: The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."
    ]
    assert errors(b"\xd0\xcf\x11\xe0old excel") == [
        "Old .xls files are not read; save the file as .xlsx or CSV."
    ]


def test_row_limit():
    with pytest.raises(ResponseError) as caught:
        read_answers(small_form(), csv_bytes("q1\n1\n2\n3\n"), max_rows=2)
    assert caught.value.messages() == ["row 4: The file has more than 2 responses."]


def test_tabulation_reports_the_same_problems():
    rows = iter([["group", "q1"], ["a", "1"], ["a", "nope"]])
    with pytest.raises(ResponseError) as caught:
        tabulate_rows(small_form(), rows).result(themes=None)
    assert caught.value.messages() == [
        "row 3, column B (q1): “nope” is not in the choice list “agree” of “q1” (expected one of: 1, 2, 3, na). Export with choice names (“XML values”), not labels."
    ]


def test_at_most_twenty_problems_are_listed():
    data = csv_bytes("q1\n" + "bad\n" * 30)
    with pytest.raises(ResponseError) as caught:
        read_answers(small_form(), data)
    assert len(caught.value.problems) == 20
    assert caught.value.messages()[-1] == "(more problems not shown)"
