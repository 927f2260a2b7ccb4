"""What-if at scale: N Parquet lines re-rated against every seller with DuckDB, against the
reconcile query on the same file in the same run.

The file is ``bench_batch.py``'s (every built-in offering x quality x sound, durations and
input lengths across the accepted ranges, a month of timestamps as ISO text, about 1 %
overcharged, 1 % failed, 0.5 % duplicates, 0.3 % USD lines, 0.2 % malformed; text
columns). kling3api is given 500 credits per USD (an assumption of the bench: the seller
publishes none), so every line has a USD price.

Figures, each the median of ``--runs``, in this process:

- ``reconcile (duckdb)``: ``DuckDBRun(...).summary()``, the baseline: the rating query
  over every line, totals per provider x model x status;
- ``whatif (duckdb)``: ``DuckDBWhatIf(...).summary()``: the same rating query, every
  distinct job shape x day re-rated against every seller (Python: compare and route),
  every line joined to it, and the what-if totals (per seller, month, model...);
- ``whatif shapes``: how many distinct job shapes x days were re-rated (not timed alone).

With ``--stages``, one more whatif run is timed step by step (printed after the table):
the rating query kept as the ``base`` table, re-rating the shapes, the ``joined`` table,
and the summary.

The ratio is whatif / reconcile. The machine has 2 cores and other work runs on it: say
so beside any figure, and rerun when the spread is wide.

    python bench/bench_whatif.py [--lines 1000000] [--runs 3] [--json FILE] [--keep DIR]
                                 [--stages]
    python bench/bench_whatif.py --lines 10000000     # the issue's target: at most 10 s
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import ratecard
from _report import report, row
from bench_batch import generate
from ratecard.batch.duckdb_engine import DuckDBRun
from ratecard.whatif.sql import DuckDBWhatIf


class TimedWhatIf(DuckDBWhatIf):
    """DuckDBWhatIf with the time of each of its steps kept in :attr:`stages`."""

    def __init__(self, catalog: ratecard.Catalog, files: list[Path]) -> None:
        self.stages: dict[str, float] = {}
        super().__init__(catalog, files)

    def _create(self, relation: str, sql: str) -> None:
        start = time.perf_counter()
        super()._create(relation, sql)
        self._timed(f"{relation} table", start)

    def _rerate_shapes(self) -> None:
        start = time.perf_counter()
        super()._rerate_shapes()
        self._timed("re-rate shapes (Python, with their GROUP BY and tables)", start)

    def _timed(self, name: str, start: float) -> None:
        self.stages[name] = time.perf_counter() - start


def stages(catalog: ratecard.Catalog, path: Path) -> None:
    """One whatif run, step by step."""
    start = time.perf_counter()
    with TimedWhatIf(catalog, [path]) as run:
        built = time.perf_counter() - start
        before = time.perf_counter()
        run.summary()
        run.stages["summary"] = time.perf_counter() - before
    print(f"  one whatif run, step by step ({built + run.stages['summary']:.2f} s in all):")
    for name, seconds in run.stages.items():
        print(f"    {name:58s} {seconds:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", metavar="FILE")
    parser.add_argument("--keep", metavar="DIR", help="write the Parquet file here")
    parser.add_argument("--stages", action="store_true",
                        help="also time one whatif run step by step")
    args = parser.parse_args()
    catalog = ratecard.load().with_credit_value("kling3api", "500")
    with tempfile.TemporaryDirectory(prefix="bench-whatif-") as scratch:
        folder = Path(args.keep or scratch)
        path = folder / f"lines-{args.lines}.parquet"
        if not path.exists():
            start = time.perf_counter()
            generate(path, args.lines)
            print(f"generated {args.lines:,} lines in {time.perf_counter() - start:.1f} s")
        baseline: list[float] = []
        whatif: list[float] = []
        repriced = shapes = 0
        for _ in range(args.runs):  # interleaved, so both see the same load
            start = time.perf_counter()
            with DuckDBRun(catalog, [path]) as run:
                lines = run.summary().total.lines
            baseline.append(time.perf_counter() - start)
            start = time.perf_counter()
            with DuckDBWhatIf(catalog, [path]) as rerun:
                summary = rerun.summary()
                shapes = int(rerun.connection.execute("SELECT count(*) FROM rerated")
                             .fetchone()[0])
            whatif.append(time.perf_counter() - start)
            assert summary.lines == lines == args.lines, (summary.lines, lines)
            repriced = summary.by_status.get("REPRICED", 0)
        base = row("reconcile (duckdb)", baseline, "s")
        rows = [base, row("whatif (duckdb)", whatif, "s",
                          ratio=row("", whatif, "s")["median"] / base["median"],
                          limit="10 s at 10,000,000 lines")]
        report(f"whatif vs reconcile, {args.lines:,} Parquet lines (text columns), "
               f"{shapes:,} job shapes x days re-rated, {repriced:,} lines REPRICED; "
               "2-core machine shared with other work", rows, args.json)
        per_line = [seconds / args.lines * 1e9 for seconds in whatif]
        print(f"  whatif: {args.lines / row('', whatif, 's')['median']:,.0f} lines/s "
              f"({min(per_line):.0f} ns a line at best)")
        if args.stages:
            stages(catalog, path)


if __name__ == "__main__":
    main()
