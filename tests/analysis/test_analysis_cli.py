"""``roundtable analyse``: every output format and every input problem."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from roundtable.analysis.cli import main
from roundtable.analysis.csvio import _read_rows_fast, _read_rows_slow

LETTER = (
    "We urge the group to keep the internet open and neutral for everyone. "
    "Providers must not block or slow down lawful content. "
    "Small businesses depend on equal access."
)


def write(path: Path, rows: list[list[str]], header=("id", "text", "group")) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return write(
        tmp_path / "in.csv",
        [
            ["a1", LETTER, "civil society"],
            ["a2", LETTER.upper(), "civil society"],
            ["a3", "Dear Chair, I teach in a village school.\n" + LETTER, "academia"],
            ["b1", "Spam email costs users time and money every day.", "private sector"],
            ["b2", 'Ban spam <script>alert("x")</script> & phishing now', "government"],
            ["c1", "الإنترنت حق للجميع ويجب حمايته", "government"],
        ],
    )


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output(sample, capsys):
    code, out, err = run(capsys, str(sample), "--group-column", "group", "--quiet")
    assert code == 0 and err == ""
    result = json.loads(out)
    (campaign,) = result["campaigns"]
    assert campaign["members"] == ["a1", "a2", "a3"]
    assert campaign["size"] == 3
    assert campaign["by_group"] == {"civil society": 2, "academia": 1}
    assert campaign["additions"] == {"a3": "Dear Chair, I teach in a village school."}
    assert campaign["representative"] in {"a1", "a2"}
    assert sum(t["size"] for t in result["themes"]) == 6
    for theme in result["themes"]:
        assert set(theme) >= {"id", "size", "terms", "representatives", "by_group"}
    assert set(result["stats"]) >= {"rows", "distinct", "seconds", "peak_rss_mb"}
    assert result["stats"]["rows"] == 6


def test_csv_output_to_file(sample, tmp_path, capsys):
    out_file = tmp_path / "out.csv"
    code, out, err = run(capsys, str(sample), "--format", "csv", "--out", str(out_file))
    assert code == 0 and out == ""
    assert "6 comments" in err  # the summary line
    rows = list(csv.DictReader(io.StringIO(out_file.read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == ["a1", "a2", "a3", "b1", "b2", "c1"]
    assert rows[0]["campaign"] == "1" and rows[0]["campaign_size"] == "3"
    assert rows[3]["campaign"] == "" and rows[3]["campaign_size"] == "1"
    assert rows[2]["addition"] == "Dear Chair, I teach in a village school."
    assert all(r["theme"] for r in rows)


def test_html_output_is_self_contained_and_escaped(sample, tmp_path, capsys):
    out_file = tmp_path / "report.html"
    code, _, _ = run(
        capsys, str(sample), "--format", "html", "--out", str(out_file), "--group-column", "group"
    )
    assert code == 0
    page = out_file.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page  # untrusted text is escaped, and we need no script
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; phishing" in page
    assert 'dir="auto"' in page and "الإنترنت حق للجميع" in page
    assert "http://" not in page and "https://" not in page  # nothing external
    assert "Campaign 1: 3 comments" in page
    assert "civil society" in page and 'class="bar"' in page


def test_seed_gives_the_same_result(sample, capsys):
    _, first, _ = run(capsys, str(sample), "--quiet", "--seed", "5")
    _, second, _ = run(capsys, str(sample), "--quiet", "--seed", "5")
    a, b = json.loads(first), json.loads(second)
    a["stats"].pop("seconds"), b["stats"].pop("seconds")
    a["stats"].pop("peak_rss_mb"), b["stats"].pop("peak_rss_mb")
    assert a == b


def test_one_row_file(tmp_path, capsys):
    path = write(tmp_path / "one.csv", [["x", "Just one comment about spam.", "g"]])
    code, out, _ = run(capsys, str(path), "--quiet")
    assert code == 0
    result = json.loads(out)
    assert result["campaigns"] == []
    assert [t["representatives"] for t in result["themes"]] == [["x"]]


def test_ids_default_to_line_numbers_without_an_id_column(tmp_path, capsys):
    path = tmp_path / "noid.csv"
    path.write_text('text\n"first\nline"\nsecond\nsecond\n', encoding="utf-8")
    code, out, _ = run(capsys, str(path), "--quiet")
    assert code == 0
    assert json.loads(out)["campaigns"][0]["members"] == ["4", "5"]


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"id,text\n1,fine\n2,caf\xe9 au lait\n", [], "line 3: bytes that are not valid UTF-8"),
        (
            b"id,text\n1,fine\n2,too,many\n",
            [],
            "line 3: expected 2 fields as in the header, found 3",
        ),
        (b"id,text\n1,fine\n2\n", [], "line 3: expected 2 fields as in the header, found 1"),
        (b"id,body\n1,fine\n", [], "line 1: no column named 'text'; the columns are: 'id', 'body'"),
        (b"id,text\n1,fine\n", ["--group-column", "region"], "line 1: no column named 'region'"),
        (b"id,text\n1,fine\n2,  \n", [], "line 3: the text (column 'text') is empty"),
        (b"id,text\n1,fine\n1,again\n", [], "line 3: the id '1' is already used on line 2"),
        (b"id,text\n1,fine\n,again\n", [], "line 3: the id (column 'id') is empty"),
        (b'id,text\n1,"multi\nline"\n2,"never closed\n3,x\n', [], "line 4: malformed CSV"),
        (b'id,text\n1,"quoted"tail\n', [], "line 2: malformed CSV"),
        (b"id,text\n", [], "has a header line but no rows"),
        (b"", [], "is empty: expected a header line and rows"),
        (b'id,text\n1,"two\nlines"\n2,ok\n3\n', [], "line 5: expected 2 fields"),
    ],
)
def test_input_problems_name_the_line(tmp_path, capsys, content, args, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    code, out, err = run(capsys, str(path), *args)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_ten_megabyte_comment(tmp_path, capsys):
    path = tmp_path / "big.csv"
    path.write_text("id,text\n1,short one\n2," + "word " * 2_000_000 + "\n", encoding="utf-8")
    code, _, err = run(capsys, str(path))
    assert code == 2
    assert "line 3: the text is 10,000,000 characters long; the limit is 200,000" in err
    code, out, err = run(capsys, str(path), "--skip-bad-rows", "--quiet")
    assert code == 0 and err == ""
    assert json.loads(out)["stats"] == json.loads(out)["stats"] | {"rows": 1, "skipped": 1}
    code, out, _ = run(capsys, str(path), "--max-chars", "20000000", "--quiet")
    assert code == 0 and json.loads(out)["stats"]["rows"] == 2


def test_skip_bad_rows_counts_what_was_skipped(tmp_path, capsys):
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"id,text\n1,spam is bad\n2,caf\xe9\n3,\n4,a,b\n5,spam is bad!\n")
    code, out, err = run(capsys, str(path), "--skip-bad-rows")
    assert code == 0
    assert "skipped 3 bad rows (first: line 3: bytes that are not valid UTF-8)" in err
    result = json.loads(out)
    assert result["stats"]["skipped"] == 3
    assert result["campaigns"][0]["members"] == ["1", "5"]


def test_missing_file_and_unwritable_output(tmp_path, capsys):
    code, _, err = run(capsys, str(tmp_path / "nope.csv"))
    assert code == 2 and "cannot read" in err and "nope.csv" in err
    good = write(tmp_path / "ok.csv", [["1", "text here", "g"]])
    code, _, err = run(capsys, str(good), "--quiet", "--out", str(tmp_path / "no" / "dir.json"))
    assert code == 2 and "cannot write" in err


def test_bom_and_windows_line_ends(tmp_path, capsys):
    path = tmp_path / "win.csv"
    path.write_bytes("\ufeffid,text\r\n1,Same words here\r\n2,same words HERE\r\n".encode())
    code, out, _ = run(capsys, str(path), "--quiet")
    assert code == 0
    assert json.loads(out)["campaigns"][0]["members"] == ["1", "2"]


def test_fast_and_careful_readers_agree(tmp_path):
    rows = [
        ["1", 'He said "no", then left\nfor good', "gov"],
        ["2", "Привет, мир; 互联网", "cs"],
        ["3", "plain", ""],
        ["4", 'ending with a quote"', "x"],
    ]
    data = write(tmp_path / "q.csv", rows).read_bytes()
    options = {
        "id_column": "id",
        "text_column": "text",
        "group_column": "group",
        "skip_bad_rows": False,
        "max_chars": 1000,
    }
    fast = _read_rows_fast(data, "q.csv", **options)
    slow = _read_rows_slow(data, "q.csv", **options)
    assert fast is not None
    assert (fast.ids, fast.texts, fast.groups, fast.lines) == (
        slow.ids,
        slow.texts,
        slow.groups,
        slow.lines,
    )
    assert fast.texts[0] == 'He said "no", then left\nfor good'
    assert fast.lines == [2, 4, 5, 6]


def test_the_roundtable_command_runs_it_without_django(sample):
    done = subprocess.run(
        [sys.executable, "-m", "roundtable", "analyse", str(sample), "--format", "json", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["stats"]["rows"] == 6
    bad = subprocess.run(
        [sys.executable, "-m", "roundtable", "analyse", str(sample), "--text-column", "body"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "no column named 'body'" in bad.stderr and "Traceback" not in bad.stderr


def test_progress_bar_on_a_terminal(sample, capsys, monkeypatch):
    """With a terminal on stderr a rich progress bar runs (and is cleared);
    the output on stdout is unchanged."""
    from rich.console import Console

    monkeypatch.setattr(Console, "is_terminal", property(lambda self: True))
    code, out, err = run(capsys, str(sample))
    assert code == 0
    assert json.loads(out)["stats"]["rows"] == 6
    assert "6 comments (5 distinct)" in err
    assert "hashing texts" in err or "clustering themes" in err  # the bar was drawn


@pytest.mark.parametrize("block", [1, 3, 4, 7, 1 << 22])
def test_separator_positions_in_any_block_size(block):
    import numpy as np

    from roundtable.analysis.csvio import _positions

    data = 'a,"é€",😀b\nщ,中\n'.encode() * 5
    b = np.frombuffer(data, np.uint8)
    found = _positions(b, (ord('"'), ord("\n"), ord(",")), block=block)
    for value, positions in zip('"\n,', found, strict=True):
        assert positions.tolist() == [i for i, x in enumerate(data) if x == ord(value)]


def test_fast_reader_leaves_bad_bytes_in_any_column_to_the_careful_one(tmp_path):
    """Fields are decoded one by one; a column the analysis does not use is
    still checked, so a bad byte anywhere sends the file to the csv module."""
    path = tmp_path / "bad.csv"
    path.write_bytes(b"id,text,region\n1,fine text,Europe\n2,more text,Asia\xff\n")
    options = {
        "id_column": "id",
        "text_column": "text",
        "group_column": None,
        "skip_bad_rows": False,
        "max_chars": 1000,
    }
    assert _read_rows_fast(path.read_bytes(), "bad.csv", **options) is None
    code = main([str(path), "--quiet"])
    assert code == 2
