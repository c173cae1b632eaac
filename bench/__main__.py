"""`make bench`: every benchmark, one run, results in bench/out/results.json."""

from __future__ import annotations

import sys
import time

from bench import (
    api_decisions_bench,
    audit_chain_bench,
    import_bench,
    inbox_bench,
    lifecycle_bench,
    open_loop_bench,
    operations_bench,
    pages_bench,
    planning_bench,
    scale_out_bench,
    sqlite_writers_bench,
)
from bench.results import Results

SUITES = [
    ("import", import_bench),
    ("planning", planning_bench),
    ("inbox", inbox_bench),
    ("pages", pages_bench),
    ("lifecycle", lifecycle_bench),
    ("sqlite-writers", sqlite_writers_bench),
    ("api", api_decisions_bench),
    ("audit", audit_chain_bench),
    ("open-loop", open_loop_bench),
    ("scale-out", scale_out_bench),
    ("operations", operations_bench),
]


def main() -> int:
    only = set(sys.argv[1:])  # e.g. `python -m bench lifecycle`
    results = Results()
    print(f"  {'benchmark':<48} {'value':>14} {'unit':<10} {'target':<14} status")
    for name, module in SUITES:
        if only and name not in only:
            continue
        started = time.perf_counter()
        print(f"[{name}]", flush=True)
        module.run(results)
        print(f"  ({time.perf_counter() - started:.1f} s)", flush=True)
    path = results.write(merge=bool(only))
    missed = [r.name for r in results.items if not r.ok]
    print(
        f"\nwritten {path}; {len(results.items) - len(missed)} ok, {len(missed)} missed {missed or ''}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
