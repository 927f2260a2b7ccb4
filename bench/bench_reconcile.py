"""Reconciliation throughput on a generated 1,000,000-line CSV, pure-Python path.

Three figures, each a fresh process: ``baseline`` reads the file with ``csv.reader`` and
converts the charged column to Decimal (the floor of any pure-Python reconciler);
``reconcile`` checks every line and keeps the summary (what ``ratecard reconcile FILE``
does); ``reconcile+out`` also writes every line's result as CSV (``--out results.csv``).

The file holds lines drawn from every built-in offering priced by ratecard itself (so
most reconcile to MATCH), with a few percent perturbed (overcharges, failed-but-charged,
duplicates, malformed lines). Peak memory is the child process's maximum resident set size.

    python bench/bench_reconcile.py [--lines 1000000] [--runs 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import ratecard

HEADER = ["task_id", "provider", "model", "timestamp", "duration", "input_seconds", "quality",
          "sound", "charged", "currency", "status", "reserved"]

CHILD = r"""
import csv, resource, sys, time
from decimal import Decimal
mode, path = sys.argv[1], sys.argv[2]
start = time.perf_counter()
if mode == "baseline":
    n = 0
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        at = header.index("charged")
        for row in reader:
            try:
                Decimal(row[at])
            except Exception:
                pass
            n += 1
else:
    import ratecard
    from ratecard.reconcile.readers import read_lines
    from ratecard.reconcile.reconciler import Reconciler
    from ratecard.reconcile.writers import write_results
    catalog = ratecard.load()
    reconciler = Reconciler(catalog)
    if mode == "reconcile+out":
        with open(sys.argv[3], "w", newline="", encoding="utf-8", buffering=1 << 20) as out:
            write_results(reconciler.run(read_lines([path])), out, "csv")
    else:
        for _ in reconciler.run(read_lines([path])):
            pass
    n = reconciler.summary.total.lines
seconds = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(n, seconds, peak_kib)
"""


def generate(path: Path, lines: int, seed: int = 7) -> None:
    """Write ``lines`` invoice lines priced from the built-in cards, some perturbed."""
    rng = random.Random(seed)
    catalog = ratecard.load()
    cells = []
    for plan in catalog.plans():
        for quality in plan.qualities:
            for sound in plan.sounds:
                cells.append((plan, quality, sound))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        priced: dict[tuple[object, ...], str] = {}
        for i in range(lines):
            plan, quality, sound = cells[rng.randrange(len(cells))]
            day = f"2026-11-{rng.randint(1, 30):02d}"
            duration = input_seconds = ""
            limit = plan.accepts
            low = int(limit.min) if limit and limit.min is not None else 3
            high = int(limit.max) if limit and limit.max is not None else 20
            if plan.basis == "duration":
                duration = str(rng.randint(low, high))
            elif plan.basis == "input_seconds":
                input_seconds = str(rng.randint(low, high))
            key = (plan.provider, plan.model, quality, sound, duration, input_seconds)
            if key not in priced:
                q = catalog.quote(plan.provider, plan.model, duration=duration or None,
                                  input_seconds=input_seconds or None, quality=quality,
                                  sound=sound)
                priced[key] = str(q.credits)
            charged = priced[key]
            status = "succeeded"
            roll = rng.random()
            if roll < 0.01:
                charged = str(Decimal(charged) + 1)  # overcharge
            elif roll < 0.02:
                status = "failed"
            elif roll < 0.025:
                writer.writerow([f"t{i}", "broken"])
                continue
            task = f"t{i - 1}" if roll > 0.995 else f"t{i}"  # duplicates
            writer.writerow([task, plan.provider, plan.model, f"{day}T12:00:00Z", duration,
                             input_seconds, quality, sound, charged, plan.currency, status, ""])


def run(mode: str, path: Path, out: Path) -> tuple[int, float, int]:
    env = dict(os.environ)
    done = subprocess.run([sys.executable, "-c", CHILD, mode, str(path), str(out)],
                          check=True, capture_output=True, text=True, env=env)
    count, seconds, peak = done.stdout.split()
    return int(count), float(seconds), int(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "invoice.csv"
        out = Path(folder) / "results.csv"
        generate(path, args.lines)
        ratecard.load()  # warm the compiled-catalog cache like any second run
        rows: list[dict[str, Any]] = []
        for mode in ("baseline", "reconcile", "reconcile+out"):
            samples = [run(mode, path, out) for _ in range(args.runs)]
            seconds = statistics.median(s[1] for s in samples)
            rows.append({"name": mode, "lines": samples[0][0], "median_s": seconds,
                         "lines_per_s": samples[0][0] / seconds,
                         "peak_rss_mib": max(s[2] for s in samples) / 1024})
        base = float(rows[0]["lines_per_s"])
        print(f"reconcile {args.lines:,} CSV lines (median of {args.runs} runs); "
              "reconcile+out also writes every result as CSV (--out results.csv)")
        for row in rows:
            row["ratio_vs_baseline_speed"] = row["lines_per_s"] / base
            print(f"  {row['name']:<14} {row['median_s']:7.2f} s  {row['lines_per_s']:>12,.0f} "
                  f"lines/s  peak RSS {row['peak_rss_mib']:7.1f} MiB  "
                  f"speed {row['ratio_vs_baseline_speed']:.2f} x baseline")
        if args.json:
            Path(args.json).parent.mkdir(parents=True, exist_ok=True)
            Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
