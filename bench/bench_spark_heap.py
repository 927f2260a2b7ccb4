"""Driver heap across repeated Spark reconciliations in one session (does it grow?).

Runs ``ratecard.batch.spark_engine.reconcile`` ``--runs`` times on a 3-line invoice (CSV,
or Parquet with ``--parquet``) in one SparkSession and prints, after each run, the JVM heap
in use after a full garbage collection (``System.gc()``), and the growth per run from the
second run on (the first run loads classes and fills caches). A session that serves many
jobs (a test suite, a notebook, a service) must stay flat; a version of ``results()`` that
streamed through ``DataFrame.toLocalIterator`` grew by a median 47 MB per run here (1-3 MB
with the RDD's iterator, 2026-12-04) and ran a 1 GB driver out of heap. Needs PySpark and Java 17.

    python bench/bench_spark_heap.py [--runs 6] [--parquet] [--json FILE]
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import ratecard
from ratecard.batch import spark_engine

HEADER = "task_id,provider,model,timestamp,duration,quality,sound,charged,currency,status\n"
LINES = [  # 5 s of 720p without sound: 27 credits by the card (seed 001)
    "t1,evolink,kling-v3-image-to-video,2026-11-01,5,720p,off,27.0,credits,succeeded\n",
    "t2,evolink," + "m" * 300 + ",2026-11-01,5,720p,off,30,credits,succeeded\n",
    "t3,evolink,kling-v3-image-to-video,2026-11-01,5,720p,off,30,credits,succeeded\n",
]


def invoice(folder: Path, parquet: bool) -> Path:
    """The 3-line invoice, as CSV or (with DuckDB's help) as Parquet."""
    csv = folder / "invoice.csv"
    csv.write_text(HEADER + "".join(LINES), encoding="utf-8")
    if not parquet:
        return csv
    import duckdb

    target = folder / "invoice.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv}', all_varchar=true)) "
               f"TO '{target}' (FORMAT parquet)")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--parquet", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    catalog = ratecard.load(cache=False)
    spark = spark_engine.session()
    runtime = spark._jvm.java.lang.Runtime.getRuntime()
    used_mb: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        path = invoice(Path(folder), args.parquet)
        for run in range(args.runs):
            start = time.perf_counter()
            results, _ = spark_engine.reconcile(catalog, [path], spark=spark)
            seconds = time.perf_counter() - start
            gc.collect()
            spark._jvm.java.lang.System.gc()
            used_mb.append((runtime.totalMemory() - runtime.freeMemory()) / 2**20)
            print(f"run {run}: {seconds:5.1f} s, heap in use {used_mb[-1]:6.0f} MB, "
                  f"{[r.status for r in results]}", flush=True)
    steps = [b - a for a, b in itertools.pairwise(used_mb[1:])]
    growth = statistics.median(steps) if steps else float("nan")
    print(f"median growth per run (from the second run): {growth:.1f} MB "
          f"(max heap {runtime.maxMemory() / 2**20:.0f} MB)")
    if args.json:
        args.json.write_text(json.dumps({"heap_used_mb": used_mb,
                                         "median_growth_mb_per_run": growth}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
