"""`roundtable survey ...` for researchers: no database, clear errors, exit status 2."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from roundtable.surveys.cli import main
from tests.surveys.helpers import ANSWERS, CHOICES, SURVEY, small_form, xlsx

ROUNDTABLE = str(Path(sys.executable).with_name("roundtable"))


@pytest.fixture
def files(tmp_path):
    form = tmp_path / "form.xlsx"
    form.write_bytes(xlsx(SURVEY, CHOICES))
    responses = tmp_path / "responses.csv"
    names = [q.name for q in small_form().questions]
    with responses.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        for answer in ANSWERS:
            writer.writerow([answer.get(n, "") for n in names])
    return form, responses


def test_json(files, capsys):
    form, responses = files
    assert main(["tabulate", str(form), str(responses), "--no-themes"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [q["name"] for q in data] == ["group", "q1", "topics", "age", "share", "when", "why"]
    assert data[2]["options"][0] == {"value": "x", "label": "Topic X", "count": 5, "percent": 71.43}
    assert "themes" in data[-1] and "options" not in data[-1]


def test_breakdown_language_and_min_cell(files, capsys):
    form, responses = files
    assert (
        main(
            [
                "tabulate",
                str(form),
                str(responses),
                "--by",
                "group",
                "--lang",
                "fr",
                "--min-cell",
                "2",
                "--no-themes",
            ]
        )
        == 0
    )
    q1 = json.loads(capsys.readouterr().out)[1]
    assert q1["label"] == "D'accord ?"
    # With k = 2 a cell of 2 may be shown (at the default k = 3 it never is): group a's
    # two "3" answers are; its single "1" is hidden with a complement, and group c
    # (one person) is hidden whole.
    one, _two, three, _na = q1["options"]
    assert three["by"]["a"] == {"count": 2, "percent": 40.0}
    assert one["by"]["a"] is None
    assert three["by"]["c"] is None


def test_csv_and_html_to_a_file(files, tmp_path, capsys):
    form, responses = files
    out = tmp_path / "out.csv"
    assert (
        main(
            [
                "tabulate",
                str(form),
                str(responses),
                "--format",
                "csv",
                "-o",
                str(out),
                "--no-themes",
            ]
        )
        == 0
    )
    assert out.read_text(encoding="utf-8").startswith(
        "question,question_label,type,answered,skipped,answer"
    )
    html = tmp_path / "out.html"
    assert (
        main(
            [
                "tabulate",
                str(form),
                str(responses),
                "--format",
                "html",
                "--by",
                "group",
                "-o",
                str(html),
                "--lang",
                "ar",
            ]
        )
        == 0
    )
    page = html.read_text(encoding="utf-8")
    assert page.startswith('<!doctype html><html lang="ar" dir="rtl">')
    assert "<svg" in page and "Your group" in page


def test_bad_form_exits_2_naming_sheet_row_and_column(tmp_path, capsys):
    form = tmp_path / "bad.xlsx"
    form.write_bytes(xlsx([{"type": "select_one nope", "name": "a", "label": "A"}], []))
    responses = tmp_path / "r.csv"
    responses.write_text("a\n1\n", encoding="utf-8")
    assert main(["tabulate", str(form), str(responses)]) == 2
    error = capsys.readouterr().err
    assert (
        f"{form}: survey sheet, row 2, column A (type): The choice list “nope” does not exist"
        in error
    )
    assert "Traceback" not in error


def test_bad_responses_and_bad_by(files, tmp_path, capsys):
    form, _responses = files
    responses = tmp_path / "r.csv"
    responses.write_text("q1,colour\n7,red\n", encoding="utf-8")
    assert main(["tabulate", str(form), str(responses)]) == 2
    assert (
        "row 1, column B (colour): The column “colour” is not a question" in capsys.readouterr().err
    )
    assert main(["tabulate", str(form), str(files[1]), "--by", "why"]) == 2
    assert "“why” is text" in capsys.readouterr().err
    assert main(["tabulate", str(form), str(tmp_path / "missing.csv")]) == 2
    assert "missing.csv" in capsys.readouterr().err
    assert main(["tabulate", str(form), str(files[1]), "--min-cell", "0"]) == 2


def test_messages_in_french(tmp_path, capsys):
    form = tmp_path / "bad.xlsx"
    form.write_bytes(xlsx([{"type": "colour", "name": "a", "label": "A"}], []))
    assert main(["check", str(form), "--lang", "fr"]) == 2
    assert "feuille survey, ligne 2, colonne A (type)" in capsys.readouterr().err


def test_check_and_template(tmp_path, capsys):
    out = tmp_path / "assessment.xlsx"
    assert main(["template", "-o", str(out)]) == 0
    assert main(["check", str(out)]) == 0
    listing = capsys.readouterr().out
    assert "29 questions, languages: en, fr, es, ar, zh, ru" in listing
    assert "reach_why: text  [if ${mark_reach} = '1' or ${mark_reach} = '2']" in listing


def test_the_command_runs_without_django_or_a_database(files, tmp_path):
    """Through the real `roundtable` entry point, with no settings and no database."""
    form, responses = files
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "does.not.exist"}
    done = subprocess.run(
        [
            ROUNDTABLE,
            "survey",
            "tabulate",
            str(form),
            str(responses),
            "--by",
            "group",
            "--no-themes",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[1]["name"] == "q1"
    failed = subprocess.run(
        [ROUNDTABLE, "survey", "tabulate", str(form), str(responses), "--by", "nope"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
        timeout=120,
    )
    assert failed.returncode == 2 and "Traceback" not in failed.stderr


def test_the_engine_imports_no_django():
    code = (
        "import sys\n"
        "import roundtable.surveys.xlsform, roundtable.surveys.expressions, roundtable.surveys.tabulate\n"
        "import roundtable.surveys.suppression, roundtable.surveys.responses, roundtable.surveys.report\n"
        "import roundtable.surveys.scorecard, roundtable.surveys.answering, roundtable.surveys.cli\n"
        "import roundtable.surveys.assessment, roundtable.surveys.charts\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
