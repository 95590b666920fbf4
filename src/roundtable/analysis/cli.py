"""``roundtable analyse``: campaigns and themes of a CSV file of comments.

    roundtable analyse INPUT.csv [--id-column id] [--text-column text]
        [--group-column COLUMN] [--format json|csv|html] [--out FILE]
        [--seed N] [--themes K] [--skip-bad-rows] [--max-chars N] [--quiet]

Runs without Django. Problems with the input are reported as
``INPUT.csv: line N: problem`` with exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from .csvio import DEFAULT_MAX_CHARS, InputError, read_rows

EXIT_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roundtable analyse",
        description=(
            "Group near-duplicate comments into campaigns and cluster the distinct "
            "comments into themes, with breakdowns by a column such as stakeholder group."
        ),
    )
    parser.add_argument("input", metavar="INPUT.csv", help="UTF-8 CSV file with a header line")
    parser.add_argument(
        "--id-column",
        default=None,
        help="column of row ids (default: 'id' if present, else line numbers)",
    )
    parser.add_argument("--text-column", default="text", help="column of comment texts")
    parser.add_argument(
        "--group-column", default=None, help="categorical column to break results down by"
    )
    parser.add_argument("--format", choices=("json", "csv", "html"), default="json")
    parser.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    parser.add_argument("--seed", type=int, default=0, help="seed for hashing and clustering")
    parser.add_argument(
        "--themes", type=int, default=None, metavar="K", help="number of themes (default: auto)"
    )
    parser.add_argument(
        "--skip-bad-rows", action="store_true", help="leave bad rows out and count them"
    )
    parser.add_argument(
        "--max-chars",
        type=int,
        default=DEFAULT_MAX_CHARS,
        help=f"longest text accepted, in characters (default {DEFAULT_MAX_CHARS:,})",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    return parser


class _Progress:
    """Progress on stderr through rich: a bar per stage of the engine."""

    LABELS = {
        "reading": "reading CSV",
        "hashing": "hashing texts",
        "linking": "linking near-duplicates",
        "additions": "finding added text",
        "themes": "clustering themes",
        "writing": "writing output",
    }

    def __init__(self, enabled: bool) -> None:
        self.progress = None
        self.tasks: dict[str, Any] = {}
        if enabled:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            console = Console(stderr=True)
            if console.is_terminal:
                self.progress = Progress(
                    TextColumn("{task.description:<26}"),
                    BarColumn(),
                    TextColumn("{task.percentage:>3.0f}%"),
                    TimeElapsedColumn(),
                    console=console,
                    transient=True,
                )
                self.progress.start()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.progress is None:
            return
        task = self.tasks.get(stage)
        if task is None:
            task = self.progress.add_task(self.LABELS.get(stage, stage), total=max(total, 1))
            self.tasks[stage] = task
        self.progress.update(task, completed=done, total=max(total, 1))

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


def _write_csv(result: dict[str, Any], ids: list[str], out: TextIO) -> None:
    """One line per input row: its campaign, whether it represents it, its theme,
    and the text it adds to the campaign."""
    campaign_of: dict[str, tuple[int, int]] = {}
    representative: set[str] = set()
    additions: dict[str, str] = {}
    for c in result["campaigns"]:
        for m in c["members"]:
            campaign_of[m] = (c["id"], c["size"])
        representative.add(c["representative"])
        additions.update(c["additions"])
    theme_of: dict[str, int] = {}
    for t in result["themes"]:
        for m in t.get("members", ()):
            theme_of[m] = t["id"]
    writer = csv.writer(out)
    writer.writerow(["id", "campaign", "campaign_size", "representative", "theme", "addition"])
    for row_id in ids:
        camp = campaign_of.get(row_id)
        writer.writerow(
            [
                row_id,
                camp[0] if camp else "",
                camp[1] if camp else 1,
                "yes" if row_id in representative else "",
                theme_of.get(row_id, ""),
                additions.get(row_id, ""),
            ]
        )


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    progress = _Progress(not args.quiet)
    err = sys.stderr
    try:
        progress("reading", 0, 1)
        rows = read_rows(
            args.input,
            id_column=args.id_column,
            text_column=args.text_column,
            group_column=args.group_column,
            skip_bad_rows=args.skip_bad_rows,
            max_chars=args.max_chars,
        )
        progress("reading", 1, 1)
    except InputError as problem:
        progress.stop()
        print(f"{args.input}: {problem}", file=err)
        return EXIT_INPUT
    if args.themes is not None and args.themes < 1:
        progress.stop()
        print("--themes must be 1 or more", file=err)
        return EXIT_INPUT

    from .engine import peak_rss_mb, run, to_json

    try:
        outcome = run(rows.texts, k=args.themes, seed=args.seed, progress=progress)
        result = to_json(outcome, rows.ids, rows.groups)
        result["stats"]["skipped"] = len(rows.skipped)
        result["stats"]["seconds"] = round(time.perf_counter() - started, 3)
        if args.format == "csv":
            for theme, t in zip(result["themes"], outcome.themes, strict=True):
                theme["members"] = [rows.ids[m] for m in t.members]
        progress("writing", 0, 1)
        buffer = io.StringIO()
        if args.format == "json":
            result["stats"]["peak_rss_mb"] = round(peak_rss_mb(), 1)
            buffer.write(json.dumps(result, ensure_ascii=False))
            buffer.write("\n")
        elif args.format == "csv":
            _write_csv(result, rows.ids, buffer)
        else:
            from .report import render_html

            text_by_id = dict(zip(rows.ids, rows.texts, strict=True))
            buffer.write(
                render_html(
                    result,
                    text_by_id.__getitem__,
                    title="Consultation analysis",
                    source=Path(args.input).name,
                    group_column=args.group_column,
                )
            )
        progress("writing", 1, 1)
    finally:
        progress.stop()
    try:
        if args.out:
            Path(args.out).write_text(buffer.getvalue(), encoding="utf-8")
        else:
            sys.stdout.write(buffer.getvalue())
            sys.stdout.flush()
    except OSError as problem:
        print(f"cannot write {args.out or 'standard output'}: {problem.strerror}", file=err)
        return EXIT_INPUT
    if not args.quiet:
        stats = result["stats"]
        skipped = rows.skipped
        print(
            f"{stats['rows']:,} comments ({stats['distinct']:,} distinct): "
            f"{stats['campaigns']:,} campaigns holding {stats['in_campaigns']:,} comments, "
            f"{stats['themes']:,} themes; {time.perf_counter() - started:.1f} s, "
            f"peak {peak_rss_mb():,.0f} MB",
            file=err,
        )
        if skipped:
            line, why = skipped[0]
            print(
                f"skipped {len(skipped):,} bad rows (first: line {line}: {why})",
                file=err,
            )
    return 0
