"""Tabulation against tables worked out by hand (see helpers.ANSWERS)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from roundtable.surveys.report import render_csv
from roundtable.surveys.tabulate import ByError, Tabulator, percent, tabulate, tabulate_file
from tests.surveys.helpers import ANSWERS, small_form


def exact_answers(texts):
    """A theme finder for tests: every distinct text is its own theme."""
    from types import SimpleNamespace

    groups: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        groups.setdefault(text, []).append(index)
    return [
        SimpleNamespace(
            terms=[text.lower()], representatives=members[:1], size=len(members), members=members
        )
        for text, members in groups.items()
    ]


@pytest.fixture
def table():
    return tabulate(small_form(), ANSWERS, themes=exact_answers)


def options(question):
    return [(o.value, o.count, o.percent) for o in question.options]


def test_percent_rounds_half_up_to_two_decimals():
    assert percent(1, 3) == 33.33
    assert percent(2, 3) == 66.67
    assert percent(1, 8) == 12.5
    assert percent(1, 16) == 6.25
    assert percent(1, 800) == 0.13  # 0.125 rounds up, not to even
    assert percent(0, 0) is None


def test_shares_are_of_those_who_answered(table):
    group = table.question("group")
    assert (group.answered, group.skipped) == (9, 1)
    assert options(group) == [("a", 5, 55.56), ("b", 3, 33.33), ("c", 1, 11.11)]
    q1 = table.question("q1")
    assert (q1.answered, q1.skipped) == (10, 0)
    assert options(q1) == [("1", 2, 20.0), ("2", 2, 20.0), ("3", 5, 50.0), ("na", 1, 10.0)]
    assert table.respondents == 10


def test_select_multiple_is_per_respondent(table):
    topics = table.question("topics")
    assert (topics.answered, topics.skipped) == (7, 3)
    # Shares of the 7 who answered; they add up to more than 100%.
    assert options(topics) == [("x", 5, 71.43), ("y", 3, 42.86), ("z", 3, 42.86)]


def test_numbers_and_dates(table):
    age = table.question("age")
    assert (age.answered, age.skipped) == (5, 5)
    assert age.stats == {"mean": 34.0, "median": 30.0, "min": 20.0, "max": 50.0}
    assert options(age) == [("20", 1, 20.0), ("30", 2, 40.0), ("40", 1, 20.0), ("50", 1, 20.0)]
    share = table.question("share")
    assert share.stats["mean"] == 1.0 and share.answered == 2
    when = table.question("when")
    assert when.stats == {"min": "2025-01-02", "max": "2025-03-04", "median": "2025-01-02"}
    assert options(when) == [("2025-01-02", 2, 66.67), ("2025-03-04", 1, 33.33)]


def test_open_answers_become_themes(table):
    why = table.question("why")
    assert (why.answered, why.skipped) == (2, 8)
    assert [(t.label, t.count, t.percent, t.quotes) for t in why.themes] == [
        ("too slow", 1, 50.0, ["Too slow"]),
        ("too slow, really", 1, 50.0, ["Too slow, really"]),
    ]


def test_themes_from_the_analysis_engine():
    answers = [{"q1": "1", "why": text} for text in [
        "The meetings were too slow", "Meetings far too slow", "slow meetings again",
        "Translation of documents came late", "documents were not translated", "late translation",
    ]]  # fmt: skip
    why = tabulate(small_form(), answers).question("why")
    assert why.answered == 6
    assert sum(theme.count for theme in why.themes) == 6
    assert len(why.themes) >= 2
    everything = " ".join(" ".join(t.terms) for t in why.themes)
    assert "slow" in everything and "translation" in everything


def test_without_themes_the_most_frequent_answers_are_counted():
    answers = [{"why": "Too slow"}, {"why": "too  slow"}, {"why": "Late"}]
    why = tabulate(small_form(), answers, themes=None).question("why")
    assert [(t.label, t.count) for t in why.themes] == [("Too slow", 2), ("Late", 1)]


def test_breakdown_with_suppression_worked_by_hand():
    table = tabulate(small_form(), ANSWERS, by="group", min_cell=3, themes=exact_answers)
    assert [(g.value, g.size) for g in table.groups] == [("a", 5), ("b", 3), ("c", 1)]
    q1 = table.question("q1")
    #        a  b  c | no group
    # "1":   1  1  0 | 0
    # "2":   2  0  0 | 0
    # "3":   2  2  1 | 0
    # "na":  0  0  0 | 1
    # Cells of 1 or 2 are hidden, and group c (1 respondent) entirely.
    by = {o.value: o.by for o in q1.options}
    assert by["1"] == {"a": None, "b": None, "c": None}
    assert by["2"]["a"] is None and by["2"]["c"] is None
    assert (by["2"]["b"].count, by["2"]["b"].percent) == (0, 0.0)
    assert by["3"] == {"a": None, "b": None, "c": None}
    assert [(c.count, c.percent) for c in (by["na"]["a"], by["na"]["b"])] == [(0, 0.0), (0, 0.0)]
    assert by["na"]["c"] is None
    assert q1.by_answered == {"a": 5, "b": 3, "c": None}
    # The group question is not broken down by itself; open answers never are.
    assert table.question("group").options[0].by is None
    assert table.question("why").options is None


def test_breakdown_without_small_cells_shows_everything():
    answers = [
        {"group": g, "q1": v} for g, v in [("a", "1")] * 3 + [("a", "3")] * 4 + [("b", "3")] * 5
    ]
    q1 = tabulate(small_form(), answers, by="group", themes=None).question("q1")
    by = {o.value: o.by for o in q1.options}
    assert (by["1"]["a"].count, by["1"]["a"].percent) == (3, 42.86)
    assert (by["3"]["a"].count, by["3"]["a"].percent) == (4, 57.14)
    assert (by["3"]["b"].count, by["3"]["b"].percent) == (5, 100.0)
    assert by["1"]["c"] is None  # nobody in group c answered: hidden, not 0 of 0


def test_json_shape(table):
    data = json.loads(json.dumps(table.as_list()))
    assert [q["name"] for q in data] == ["group", "q1", "topics", "age", "share", "when", "why"]
    assert data[1] == {
        "name": "q1",
        "label": "Agree?",
        "type": "select_one",
        "answered": 10,
        "skipped": 0,
        "options": [
            {"value": "1", "label": "No", "count": 2, "percent": 20.0},
            {"value": "2", "label": "Somewhat", "count": 2, "percent": 20.0},
            {"value": "3", "label": "Yes", "count": 5, "percent": 50.0},
            {"value": "na", "label": "Don't know", "count": 1, "percent": 10.0},
        ],
    }
    assert set(data[-1]) == {"name", "label", "type", "answered", "skipped", "themes"}


def test_labels_in_the_chosen_language():
    table = tabulate(small_form(), ANSWERS, by="group", language="fr", themes=None)
    assert table.question("q1").label == "D'accord ?"
    assert [g.label for g in table.groups] == ["Groupe A", "Groupe B", "Groupe C"]


def test_by_must_be_a_select_one_question():
    with pytest.raises(
        ByError, match="only be broken down by a select_one question; “topics” is select_multiple"
    ):
        Tabulator(small_form(), by="topics")
    with pytest.raises(ByError, match="no question named “nope”"):
        Tabulator(small_form(), by="nope")


def test_csv_long_format(table):
    rows = list(
        csv.DictReader(
            io.StringIO(render_csv(tabulate(small_form(), ANSWERS, by="group", themes=None)))
        )
    )
    q1 = [r for r in rows if r["question"] == "q1"]
    overall = [r for r in q1 if not r["group"]]
    assert [(r["answer"], r["count"], r["percent"]) for r in overall] == [
        ("1", "2", "20.0"),
        ("2", "2", "20.0"),
        ("3", "5", "50.0"),
        ("na", "1", "10.0"),
    ]
    hidden = [r for r in q1 if r["suppressed"] == "yes"]
    assert all(r["count"] == "" and r["percent"] == "" for r in hidden)
    assert {(r["answer"], r["group"]) for r in hidden} >= {("1", "a"), ("1", "b"), ("3", "c")}


def test_tabulating_a_file_matches_tabulating_stored_answers(tmp_path):
    form = small_form()
    names = [q.name for q in form.questions]
    path = tmp_path / "responses.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")  # KoboToolbox's default delimiter
        writer.writerow(
            ["start", "_id", *[("main/" + n if n not in ("group",) else n) for n in names]]
        )
        for index, answer in enumerate(ANSWERS):
            writer.writerow(["2025-01-01T10:00:00", index, *[answer.get(n, "") for n in names]])
            if index == 4:
                writer.writerow([])  # a blank line is not a response
    from_file = tabulate_file(form, path, by="group").result(themes=exact_answers, min_cell=3)
    stored = tabulate(form, ANSWERS, by="group", themes=exact_answers)
    assert from_file.as_list() == stored.as_list()
