"""Benchmark of survey tabulation against pandas, side by side.

A 100-question XLSForm (one 6-option grouping question, 74 five-point
``select_one``, 15 eight-option ``select_multiple``, 10 ``integer``) and
100,000 responses to it (about 5% of answers skipped; one group of only 5
respondents, so that small-cell and complementary suppression have work to
do in every breakdown) are generated once under ``bench/out/``. Then, each
in a fresh subprocess so that its peak RSS is its own, from the same file:

* **ours**: ``tabulate_file(form, csv, by="group")`` then ``result()``:
  read and check every value against the form, count every question, break
  every select question down by the grouping question with small-cell and
  complementary suppression, numbers' statistics. (Open answers are themed
  by the analysis engine, benchmarked in ``bench_analysis.py``; none here.)
* **pandas value_counts** (the named baseline): ``read_csv`` then
  ``value_counts`` per select_one column, split-explode-``value_counts`` per
  select_multiple column, ``describe`` per integer column. No checks, no
  breakdown.
* **pandas + crosstab**: the same plus ``pd.crosstab`` of every select
  question by the grouping question, i.e. the same tables as ours without
  the checks and the suppression.

Times (wall clock and the process's CPU time, which other load on a shared
machine does not inflate) are the median of ``--repeat`` runs. The counts of
every select question are compared between ours and pandas, so the two did
the same work.

    python -m bench surveys -- --responses 100000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
TARGET_SECONDS = 5.0

SELECT_ONE = 74
SELECT_MULTIPLE = 15
INTEGERS = 10
GROUPS = ["government", "private", "civil", "academia", "technical", "igo"]
GROUP_WEIGHTS = [0.3, 0.2, 0.25, 0.15, 0.1]
SMALL_GROUP = 5  # "igo": a handful of respondents, so that suppression has work to do


def _form_rows() -> dict:
    survey = [{"type": "select_one grp", "name": "group", "label": "Stakeholder group"}]
    for i in range(SELECT_ONE):
        survey.append({"type": "select_one agree", "name": f"q{i:02d}", "label": f"Statement {i}"})
    for i in range(SELECT_MULTIPLE):
        survey.append({"type": "select_multiple many", "name": f"m{i:02d}", "label": f"Pick {i}"})
    for i in range(INTEGERS):
        survey.append({"type": "integer", "name": f"n{i:02d}", "label": f"Number {i}"})
    choices = [{"list_name": "grp", "name": g, "label": g.title()} for g in GROUPS]
    choices += [{"list_name": "agree", "name": str(v), "label": f"Level {v}"} for v in range(1, 6)]
    choices += [{"list_name": "many", "name": f"o{v}", "label": f"Option {v}"} for v in range(8)]
    return {"survey": survey, "choices": choices, "settings": {"form_title": "Benchmark"}}


def _data(responses: int, seed: int) -> tuple[Path, Path]:
    """The XLSForm and the responses CSV, generated once per size."""
    from roundtable.surveys.xlsform import write_xlsform

    OUT.mkdir(exist_ok=True)
    form_path = OUT / "survey-form.xlsx"
    csv_path = OUT / f"survey-responses-{responses}-s{seed}-g{SMALL_GROUP}.csv"
    if not form_path.exists():
        form_path.write_bytes(write_xlsform(**_form_rows()))
    if not csv_path.exists():
        rng = np.random.default_rng(seed)
        columns: dict[str, np.ndarray] = {}
        groups = np.array(GROUPS, dtype=object)[
            rng.choice(len(GROUP_WEIGHTS), size=responses, p=GROUP_WEIGHTS)
        ]
        groups[rng.choice(responses, size=SMALL_GROUP, replace=False)] = GROUPS[-1]
        columns["group"] = np.where(rng.random(responses) < 0.02, "", groups)
        for i in range(SELECT_ONE):
            values = rng.integers(1, 6, size=responses).astype(str).astype(object)
            columns[f"q{i:02d}"] = np.where(rng.random(responses) < 0.05, "", values)
        for i in range(SELECT_MULTIPLE):
            chosen = rng.random((responses, 8)) < 0.3
            values = np.array(
                [" ".join(f"o{j}" for j in np.nonzero(row)[0]) for row in chosen], dtype=object
            )
            columns[f"m{i:02d}"] = values
        for i in range(INTEGERS):
            values = rng.integers(0, 100, size=responses).astype(str).astype(object)
            columns[f"n{i:02d}"] = np.where(rng.random(responses) < 0.05, "", values)
        import csv

        names = list(columns)
        with csv_path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(names)
            writer.writerows(zip(*(columns[n] for n in names), strict=True))
    return form_path, csv_path


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker_ours(form_path: str, csv_path: str) -> dict:
    from roundtable.surveys.tabulate import tabulate_file
    from roundtable.surveys.xlsform import read_xlsform

    form = read_xlsform(Path(form_path).read_bytes())
    cpu = time.process_time()
    started = time.perf_counter()
    tabulator = tabulate_file(form, csv_path, by="group")
    counted = time.perf_counter()
    result = tabulator.result(min_cell=3, themes=None)
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    counts = {
        q.name: {o.value: o.count for o in q.options or []}
        for q in result.questions
        if q.type in ("select_one", "select_multiple")
    }
    hidden = sum(q.hidden_cells for q in result.questions)
    return {
        "seconds": done - started,
        "cpu": cpu,
        "read_and_count": counted - started,
        "tables": done - counted,
        "peak_mb": _peak_rss_mb(),
        "counts": counts,
        "hidden_cells": hidden,
        "respondents": result.respondents,
    }


def _worker_pandas(form_path: str, csv_path: str, crosstab: bool) -> dict:
    import pandas as pd

    cpu = time.process_time()
    started = time.perf_counter()
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    counts = {}
    tables = 0
    for name in frame.columns:
        column = frame[name]
        if name.startswith("q") or name == "group":
            counts[name] = column[column != ""].value_counts().to_dict()
            if crosstab and name != "group":
                answered = column != ""
                pd.crosstab(column[answered], frame["group"][answered])
                tables += 1
        elif name.startswith("m"):
            exploded = column[column != ""].str.split(" ").explode()
            counts[name] = exploded.value_counts().to_dict()
            if crosstab:
                groups = frame["group"][column != ""].reindex(exploded.index)
                pd.crosstab(exploded, groups)
                tables += 1
        else:
            pd.to_numeric(column[column != ""]).describe()
    done = time.perf_counter()
    return {
        "seconds": done - started,
        "cpu": time.process_time() - cpu,
        "peak_mb": _peak_rss_mb(),
        "counts": counts,
        "tables": tables,
        "respondents": len(frame),
    }


def _run_worker(engine: str, form_path: Path, csv_path: Path) -> dict:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.bench_surveys",
            "--worker",
            engine,
            str(form_path),
            str(csv_path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{engine} worker failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _median(engine: str, form_path: Path, csv_path: Path, repeat: int) -> dict:
    runs = [_run_worker(engine, form_path, csv_path) for _ in range(repeat)]
    best = dict(runs[0])
    best["seconds"] = statistics.median(r["seconds"] for r in runs)
    best["cpu"] = statistics.median(r["cpu"] for r in runs)
    best["all_seconds"] = [round(r["seconds"], 2) for r in runs]
    best["peak_mb"] = max(r["peak_mb"] for r in runs)
    for key in ("read_and_count", "tables"):
        if key in runs[0] and isinstance(runs[0][key], float):
            best[key] = statistics.median(r[key] for r in runs)
    return best


def _same_counts(ours: dict, theirs: dict) -> bool:
    for name, counts in ours.items():
        expected = {str(k): int(v) for k, v in theirs.get(name, {}).items()}
        if {k: v for k, v in counts.items() if v} != expected:
            return False
    return True


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench surveys")
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2005)
    parser.add_argument(
        "--worker", nargs=3, metavar=("ENGINE", "FORM", "CSV"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.worker:
        engine, form_path, csv_path = args.worker
        if engine == "ours":
            result = _worker_ours(form_path, csv_path)
        else:
            result = _worker_pandas(form_path, csv_path, crosstab=engine == "pandas-crosstab")
        print(json.dumps(result))
        return

    form_path, csv_path = _data(args.responses, args.seed)
    size_mb = csv_path.stat().st_size / 1e6
    print(
        f"{args.responses:,} responses x 100 questions ({size_mb:.0f} MB CSV), "
        f"breakdown by a 6-group question, median of {args.repeat} runs"
    )
    ours = _median("ours", form_path, csv_path, args.repeat)
    pandas_counts = _median("pandas", form_path, csv_path, args.repeat)
    pandas_tables = _median("pandas-crosstab", form_path, csv_path, args.repeat)
    rows = [
        ("ours: read, check, count, break down, suppress", ours),
        ("pandas value_counts (baseline)", pandas_counts),
        ("pandas value_counts + crosstab", pandas_tables),
    ]
    base, base_cpu = pandas_counts["seconds"], pandas_counts["cpu"]
    print(
        f"{'':48} {'wall s':>7} {'x base':>7} {'CPU s':>6} {'x base':>7} {'peak MB':>8}  wall runs"
    )
    for label, run in rows:
        print(
            f"{label:48} {run['seconds']:7.2f} {run['seconds'] / base:7.2f} "
            f"{run['cpu']:6.2f} {run['cpu'] / base_cpu:7.2f} {run['peak_mb']:8.0f}  "
            f"{run['all_seconds']}"
        )
    print(
        f"ours in detail: read and count {ours['read_and_count']:.2f} s, "
        f"tables and suppression {ours['tables']:.2f} s, {ours['hidden_cells']} cells hidden"
    )
    same = _same_counts(ours["counts"], pandas_counts["counts"])
    print(f"same counts as pandas for all {len(ours['counts'])} select questions: {same}")
    # Wall time on a shared machine counts other people's work too; CPU time is ours alone.
    for name, value in (("wall", ours["seconds"]), ("CPU", ours["cpu"])):
        verdict = "within" if value <= TARGET_SECONDS else "OVER"
        print(f"target: at most {TARGET_SECONDS:.0f} s -> {name} {value:.2f} s, {verdict}")


if __name__ == "__main__":
    main(sys.argv[1:])
