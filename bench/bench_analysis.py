"""Benchmark of the analysis engine against datasketch, side by side.

For each size, a synthetic corpus (``bench/corpus.py``, cached under
``bench/out/``) is analysed by

* **ours**: ``roundtable analyse`` end to end (read the CSV, campaigns,
  themes, write JSON), with the campaign step timed on its own;
* **baseline**: datasketch ``MinHash`` (128 permutations, word 3-shingles)
  and ``MinHashLSH`` (threshold 0.5), every comment inserted then queried,
  union-find over the answers: campaigns only.

Each engine runs in a fresh subprocess, so its peak RSS is its own. Times are
the median of ``--repeat`` runs; the speed ratio compares the campaign step
of both (texts already in memory). Pairwise precision, recall and F1 of the
campaign grouping are measured against the corpus's truth.

    python -m bench analysis -- --sizes 10000,20000 --baseline-sizes 10000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"


def _corpus(size: int, seed: int, languages: list[str]) -> tuple[Path, Path]:
    """The CSV and truth file for a size, generated once."""
    from bench.corpus import generate

    OUT.mkdir(exist_ok=True)
    stem = f"corpus-{size}-s{seed}-{'-'.join(languages)}"
    csv_path, truth_path = OUT / f"{stem}.csv", OUT / f"{stem}.truth.npy"
    if not (csv_path.exists() and truth_path.exists()):
        corpus = generate(size, seed=seed, languages=languages)
        corpus.write_csv(csv_path)
        np.save(truth_path, corpus.campaign)
    return csv_path, truth_path


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """User + system CPU time of this process (all its threads) so far."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _worker_ours(csv_path: str, truth_path: str) -> dict:
    from bench.corpus import pair_scores
    from roundtable.analysis.campaigns import campaigns_from
    from roundtable.analysis.csvio import read_rows
    from roundtable.analysis.engine import Result, _campaign_pass, _themes_from, to_json

    cpu_start = _cpu_seconds()
    started = time.perf_counter()
    rows = read_rows(csv_path, group_column="group")
    read = time.perf_counter()
    distinct, grouping = _campaign_pass(rows.texts, 0, None, None)
    campaigns = campaigns_from(distinct, grouping)
    deduped = time.perf_counter()
    themes = _themes_from(rows.texts, distinct, grouping, None, 0, None, None)
    themed = time.perf_counter()
    result = Result(campaigns, themes, len(rows.texts), distinct.n, 0, themed - started)
    text = json.dumps(to_json(result, rows.ids, rows.groups), ensure_ascii=False)
    (OUT / "ours-result.json").write_text(text, encoding="utf-8")
    done = time.perf_counter()
    labels = -1 - np.arange(len(rows.texts))
    for c in campaigns:
        labels[c.members] = c.id
    precision, recall, f1 = pair_scores(np.load(truth_path), labels)
    return {
        "total": done - started,
        "read": read - started,
        "campaigns": deduped - read,
        "themes": themed - deduped,
        "write": done - themed,
        "distinct": distinct.n,
        "n_campaigns": len(campaigns),
        "n_themes": len(themes),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "peak_rss_mb": _peak_rss_mb(),
        "cpu": _cpu_seconds() - cpu_start,
        "load": os.getloadavg()[0],
    }


def _worker_baseline(csv_path: str, truth_path: str) -> dict:
    from datasketch import MinHash, MinHashLSH

    from bench.corpus import pair_scores
    from roundtable.analysis.csvio import read_rows
    from roundtable.analysis.text import tokenise

    started = time.perf_counter()
    texts = read_rows(csv_path, group_column="group").texts
    read = time.perf_counter()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    signatures = []
    for i, text in enumerate(texts):
        words = tokenise(text)
        shingles = [" ".join(words[j : j + 3]).encode() for j in range(max(1, len(words) - 2))]
        m = MinHash(num_perm=128)
        m.update_batch(shingles)
        lsh.insert(i, m)
        signatures.append(m)
    parent = list(range(len(texts)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, m in enumerate(signatures):
        for j in lsh.query(m):
            a, b = find(i), find(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    labels = np.array([find(i) for i in range(len(texts))])
    done = time.perf_counter()
    precision, recall, f1 = pair_scores(np.load(truth_path), labels)
    return {
        "total": done - started,
        "read": read - started,
        "campaigns": done - read,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "peak_rss_mb": _peak_rss_mb(),
        "load": os.getloadavg()[0],
    }


def _run_worker(engine: str, csv_path: Path, truth_path: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src"), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.bench_analysis",
            "--worker",
            engine,
            str(csv_path),
            str(truth_path),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{engine} worker failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _wait_for_quiet(limit: float | None, patience: float = 600.0) -> None:
    """On a shared machine, wait (up to ``patience`` seconds) until the 1-minute
    load average is below ``limit``, so that a timing is not someone else's."""
    if limit is None:
        return
    deadline = time.monotonic() + patience
    while os.getloadavg()[0] > limit and time.monotonic() < deadline:
        time.sleep(5)


def _median_runs(
    engine: str, csv_path: Path, truth_path: Path, repeat: int, wait_load: float | None = None
) -> dict:
    runs = []
    for _ in range(repeat):
        _wait_for_quiet(wait_load)
        runs.append(_run_worker(engine, csv_path, truth_path))
    out = dict(runs[0])
    for key in ("total", "read", "campaigns", "themes", "write", "peak_rss_mb", "load", "cpu"):
        if key in out:
            out[key] = statistics.median(r[key] for r in runs)
    out["runs"] = [round(r["total"], 2) for r in runs]
    return out


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(str(x).rjust(w) for x, w in zip(r, widths, strict=True)) + " |"
        for r in rows
    ]
    return "\n".join([line, rule, *body])


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench analysis --")
    parser.add_argument("--sizes", default="10000,20000,100000,1000000")
    parser.add_argument(
        "--baseline-sizes", default="10000,20000", help="sizes to run datasketch at (slow)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per engine and size")
    parser.add_argument(
        "--repeat-large", type=int, default=1, help="runs per engine at 1,000,000 rows and more"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--languages", default="en")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument(
        "--wait-load",
        type=float,
        default=None,
        metavar="LOAD",
        help="before each run, wait up to 10 minutes for the load average to fall below LOAD",
    )
    parser.add_argument(
        "--worker", nargs=3, metavar=("ENGINE", "CSV", "TRUTH"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.worker:
        engine, csv_path, truth_path = args.worker
        worker = _worker_ours if engine == "ours" else _worker_baseline
        print(json.dumps(worker(csv_path, truth_path)))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    baseline_sizes = {int(s) for s in args.baseline_sizes.split(",") if s}
    languages = args.languages.split(",")
    figures = []
    rows = []
    base_rate = None
    for size in sizes:
        print(f"... {size:,} comments", file=sys.stderr, flush=True)
        csv_path, truth_path = _corpus(size, args.seed, languages)
        repeat = args.repeat_large if size >= 1_000_000 else args.repeat
        ours = _median_runs("ours", csv_path, truth_path, repeat, args.wait_load)
        base = None
        if size in baseline_sizes:
            base = _median_runs("baseline", csv_path, truth_path, repeat, args.wait_load)
            base_rate = base["campaigns"] / size
        figures.append({"size": size, "ours": ours, "baseline": base})
        if base:
            base_cells = [
                f"{base['campaigns']:.1f}",
                f"{base['campaigns'] / ours['campaigns']:.0f}x",
                f"{base['f1']:.4f}",
                f"{base['peak_rss_mb']:,.0f}",
            ]
        else:
            guess = f"~{base_rate * size / 60:,.0f} min" if base_rate else "?"
            base_cells = [f"skipped ({guess})", "", "", ""]
        rows.append(
            [
                f"{size:,}",
                f"{ours['distinct']:,}",
                f"{ours['total']:.1f}",
                f"{ours['cpu']:.1f}",
                f"{ours['read']:.1f}",
                f"{ours['campaigns']:.1f}",
                f"{ours['themes']:.1f}",
                base_cells[0],
                base_cells[1],
                f"{ours['f1']:.4f}",
                base_cells[2],
                f"{ours['peak_rss_mb']:,.0f}",
                base_cells[3],
                str(ours["runs"]),
                f"{ours['load']:.1f}",
            ]
        )
    header = [
        "comments",
        "distinct",
        "ours total s",
        "ours CPU s",
        "read s",
        "campaigns s",
        "themes s",
        "baseline s",
        "speed-up",
        "F1 ours",
        "F1 baseline",
        "RSS ours MB",
        "RSS baseline MB",
        "runs (total s)",
        "load",
    ]
    print(_table(rows, header))
    print(
        "\nours total = read CSV + campaigns + themes + write JSON (`roundtable analyse`),"
        " wall clock; ours CPU = user + system time of all its threads;"
        "\ncampaigns s / baseline s = grouping from texts in memory; speed-up = their ratio;"
        f"\nmedian of {args.repeat} runs ({args.repeat_large} at 1M+), each in a fresh process;"
        " baseline skipped where it would take minutes (estimate linear in size, a lower bound);"
        "\nload = the machine's 1-minute load average after our runs (2 cores: above 2, other"
        " work competed for them and times are inflated)."
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
