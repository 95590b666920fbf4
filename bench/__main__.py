"""Run every benchmark module ``bench/bench_*.py``, or the ones named.

Each module exposes ``main(argv: list[str]) -> None`` that prints its own
side-by-side table (ours against a named baseline, ratios, peak memory).
Usage: ``python -m bench [analysis digests ...] [-- extra args for each]``.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    extra: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, extra = argv[:at], argv[at + 1 :]
    here = Path(__file__).parent
    available = sorted(
        info.name.removeprefix("bench_")
        for info in pkgutil.iter_modules([str(here)])
        if info.name.startswith("bench_")
    )
    chosen = argv or available
    unknown = [name for name in chosen if name not in available]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available)}")
        return 2
    for name in chosen:
        print(f"\n=== bench/{'bench_' + name}.py ===", flush=True)
        importlib.import_module(f"bench.bench_{name}").main(extra)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
