"""Rate at scale: reconcile 10,000,000 Parquet lines with DuckDB, and the Python path.

The file is generated with DuckDB itself from the built-in cards' prices: every offering
x quality x sound, durations and input lengths across the accepted ranges, days over a
month, timestamps as ISO text with a time and ``Z``; about 1% overcharged, 1% failed
(half of them charged), 0.5% duplicates, 0.3% USD lines, 0.2% malformed. Its columns are
text (the layout of a CSV export, the most parsing work) unless ``--typed``.

Figures, each the median of ``--runs``:

- ``duckdb in-process``: wall time of ``ratecard.cli.main(["reconcile", FILE, "--engine",
  "duckdb", "--format", "json"])`` in this process (the summary; no per-line output);
- ``duckdb child``: the same command in a fresh process (``python -m ratecard.cli``), its
  wall time including start-up and its peak resident memory (``ru_maxrss``);
- ``python``: the Python path (``--engine python``) on the first ``--sample`` lines of the
  same file, in a child process, read from Parquet and from the same lines as CSV (its
  own format): lines/s, peak memory, and the speed-up of DuckDB over it.

Peak memory is the child's ``VmHWM`` (peak resident set size).

    python bench/bench_batch.py [--lines 10000000] [--sample 1000000] [--runs 3]
                                [--typed] [--json FILE] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import ratecard
from ratecard import cli
from ratecard.batch.duckdb_engine import connect
from ratecard.errors import QuoteError


def price_table() -> list[tuple[Any, ...]]:
    """(row, provider, model, basis, quality, sound, seconds, credits, usd, currency) for
    every offering x quality x sound x whole second in 3..15 it accepts, priced by ratecard
    itself (``credits`` is the amount in the card's currency)."""
    catalog = ratecard.load()
    rows: list[tuple[Any, ...]] = []
    for plan in catalog.plans():
        for quality in plan.qualities:
            for sound in plan.sounds:
                for seconds in range(3, 16):
                    try:
                        kwargs: dict[str, Any] = {"duration": seconds} \
                            if plan.basis == "duration" else {"input_seconds": seconds}
                        if plan.basis == "fixed":
                            kwargs = {}
                        q = catalog.quote(plan.provider, plan.model, quality=quality,
                                          sound=sound, at="2026-11-15", **kwargs)
                    except QuoteError:  # outside what the offering accepts (O1: 3..10 s)
                        continue
                    rows.append((len(rows), plan.provider, plan.model, plan.basis, quality,
                                 sound, seconds, str(q.credits),
                                 None if q.usd is None else str(q.usd), plan.currency))
    return rows


def generate(path: Path, lines: int, typed: bool = False) -> None:
    """Write ``lines`` invoice lines to ``path`` as Parquet, with DuckDB."""
    db = connect()
    try:
        db.execute("CREATE TABLE prices (id INTEGER, provider VARCHAR, model VARCHAR, "
                   "basis VARCHAR, quality VARCHAR, sound VARCHAR, seconds INTEGER, "
                   "credits VARCHAR, usd VARCHAR, currency VARCHAR)")
        db.executemany("INSERT INTO prices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       price_table())
        count = db.execute("SELECT count(*) FROM prices").fetchone()[0]
        seconds = "CAST({} AS DOUBLE)" if typed else "CAST({} AS VARCHAR)"
        blank = "CAST(NULL AS VARCHAR)" if typed else "''"
        stamp = "TIMESTAMP '2026-11-01' + to_seconds((h % 2592000)::BIGINT)"
        charged = ("CASE WHEN h % 1000 = 3 THEN 'n/a' WHEN h % 100 = 5 THEN "
                   "(credits::DECIMAL(18,6) + 1)::VARCHAR WHEN h % 333 = 1 AND usd IS NOT NULL "
                   "AND currency = 'credits' THEN usd ELSE credits END")
        db.execute(f"""
COPY (
  WITH g AS (
    SELECT i, hash(i) AS h, hash(i * 7 + 3) AS h2 FROM range({lines}) r(i)
  ), picked AS (
    SELECT i, h, h2, (h % {count})::INTEGER AS id FROM g
  )
  SELECT
    CASE WHEN h2 % 200 = 7 THEN 't' || (i - 1) ELSE 't' || i END AS task_id,
    c.provider,
    CASE WHEN h % 500 = 11 THEN 'unknown-model' ELSE c.model END AS model,
    CASE WHEN c.basis = 'duration' THEN {seconds.format('c.seconds')} END AS duration,
    CASE WHEN c.basis <> 'duration' THEN {seconds.format('c.seconds')} END AS input_seconds,
    c.quality,
    c.sound,
    {stamp if typed else f"strftime({stamp}, '%Y-%m-%dT%H:%M:%SZ')"} AS timestamp,
    {f"TRY_CAST({charged} AS DECIMAL(18,6))" if typed else charged} AS charged,
    CASE WHEN h % 333 = 1 AND usd IS NOT NULL AND c.currency = 'credits' THEN 'USD'
      ELSE c.currency END AS currency,
    CASE WHEN h % 100 = 9 THEN 'failed' ELSE 'succeeded' END AS status,
    {blank} AS reserved
  FROM picked p JOIN prices c ON c.id = p.id
  ORDER BY i
) TO '{path}' (FORMAT parquet)""")
    finally:
        db.close()


def in_process(path: Path) -> tuple[float, dict[str, Any]]:
    """Wall seconds of the CLI's reconcile with DuckDB in this process, and its summary."""
    out = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out):
        cli.main(["reconcile", str(path), "--engine", "duckdb", "--format", "json"])
    seconds = time.perf_counter() - start
    return seconds, json.loads(out.getvalue())


def child(path: Path, engine: str) -> tuple[float, int, dict[str, Any]]:
    """Wall seconds, peak RSS (KiB) and summary of the CLI in a fresh process."""
    # VmHWM, not ru_maxrss: Linux carries a forking parent's peak into ru_maxrss across exec
    code = ("import sys, time\n"
            "start = time.perf_counter()\n"
            "from ratecard import cli\n"
            "status = cli.main(sys.argv[1:])\n"
            "seconds = time.perf_counter() - start\n"
            "peak = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
            "print(seconds, peak[0], file=sys.stderr)\n")
    done = subprocess.run(
        [sys.executable, "-c", code, "reconcile", str(path), "--engine", engine, "--format",
         "json"], capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        raise RuntimeError(done.stderr)
    seconds, peak = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(peak), json.loads(done.stdout)


def sample(source: Path, target: Path, lines: int) -> None:
    """The first ``lines`` rows of ``source``, as Parquet and as CSV (same name, .csv)."""
    db = connect()
    try:
        db.execute(f"COPY (SELECT * FROM read_parquet('{source}') LIMIT {lines}) "
                   f"TO '{target}' (FORMAT parquet)")
        db.execute(f"COPY (SELECT * FROM read_parquet('{target}')) "
                   f"TO '{target.with_suffix('.csv')}' (FORMAT csv, HEADER)")
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--sample", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--typed", action="store_true",
                        help="typed columns (TIMESTAMP, DECIMAL charged, DOUBLE duration)")
    parser.add_argument("--json", metavar="FILE")
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep the files")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="ratecard-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    big = folder / f"big{'-typed' if args.typed else ''}-{args.lines}.parquet"
    small = folder / f"sample{'-typed' if args.typed else ''}-{args.sample}.parquet"
    if not big.exists():
        start = time.perf_counter()
        generate(big, args.lines, args.typed)
        print(f"generated {args.lines:,} lines in {time.perf_counter() - start:.1f} s: "
              f"{big} ({big.stat().st_size / 2**20:.0f} MiB)")
    if not small.exists():
        sample(big, small, args.sample)
    ratecard.load()  # warm the compiled-catalog cache, like any second run

    walls = []
    summary: dict[str, Any] = {}
    for _ in range(args.runs):
        seconds, summary = in_process(big)
        walls.append(seconds)
    childs = [child(big, "duckdb") for _ in range(args.runs)]
    pythons = [child(small, "python") for _ in range(args.runs)]
    texts = [child(small.with_suffix(".csv"), "python") for _ in range(args.runs)]
    assert childs[0][2] == summary, "the child and the in-process run disagree"
    duck_wall = statistics.median(walls)
    duck_rate = summary["lines"] / duck_wall
    rows: dict[str, Any] = {
        "lines": summary["lines"], "typed": args.typed, "cpus": os.cpu_count(),
        "duckdb_in_process_s": duck_wall, "duckdb_lines_per_s": duck_rate,
        "duckdb_child_s": statistics.median(c[0] for c in childs),
        "duckdb_child_peak_rss_mib": max(c[1] for c in childs) / 1024,
        "by_status": summary["by_status"],
    }
    for name, runs in (("python_parquet", pythons), ("python_csv", texts)):
        wall = statistics.median(r[0] for r in runs)
        rate = runs[0][2]["lines"] / wall
        rows[name] = {"lines": runs[0][2]["lines"], "s": wall, "lines_per_s": rate,
                      "peak_rss_mib": max(r[1] for r in runs) / 1024,
                      "speedup_of_duckdb": duck_rate / rate}
    print(f"reconcile {rows['lines']:,} Parquet lines "
          f"({'typed' if args.typed else 'text'} columns), median of {args.runs} runs, "
          f"{os.cpu_count()} CPUs")
    print(f"  duckdb in-process        {duck_wall:6.2f} s  {duck_rate:>11,.0f} lines/s")
    print(f"  duckdb child process     {rows['duckdb_child_s']:6.2f} s  "
          f"peak RSS {rows['duckdb_child_peak_rss_mib']:6.0f} MiB (start-up included)")
    for name, label in (("python_parquet", "Parquet"), ("python_csv", "CSV")):
        row = rows[name]
        print(f"  python, {row['lines']:,} {label:<8}{row['s']:6.2f} s  "
              f"{row['lines_per_s']:>11,.0f} lines/s  peak RSS {row['peak_rss_mib']:6.0f} MiB"
              f"  duckdb is {row['speedup_of_duckdb']:.1f} x faster")
    print(f"  statuses: {summary['by_status']}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
