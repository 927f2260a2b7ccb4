"""Stress: 1,000,000 invoice lines with 1 % malformed, on every engine.

The generated CSV holds lines priced from seed figures (EvoLink Kling 3.0 at 5.4 credits a
second, x 4/3 for 1080p; kling3api pro-text-to-video at 400 credits), a few overcharged,
and 1 % malformed, in four kinds: a stray ``"`` opening a field (which once swallowed
every line up to the next quote), a bad number (``60,5`` quoted, ``1e-999999999``,
full-width digits, ``NaN``), a row of the wrong width, and a huge field (4,000 characters,
and a few of 3 MB: over DuckDB's 2 MB line limit). Each run is a fresh process that
reports:

- lines in (counted here while writing) = lines out (the engine's summary), and the
  INVALID_LINE count = the malformed lines written;
- totals per unit (USD, or one provider's credits) = the sum written here of the charged
  amounts of the well-formed lines (malformed lines count in no total);
- lines per second, against ``baseline``: ``csv.reader`` over the same file converting
  the charged column to Decimal, in the same run;
- peak memory: the child's maximum resident set size (DuckDB's included; for Spark, the
  Python driver's only: the JVM is another process).

    python bench/bench_stress.py [--lines 1000000] [--runs 1] [--spark] [--json FILE]

The machine has 2 cores shared with other work: figures are medians of ``--runs``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

HEADER = "task_id,provider,model,timestamp,duration,quality,sound,charged,currency,status\n"

GOOD = [  # (provider, model, duration, quality, charged, currency): seed 001 and seed 003
    ("evolink", "kling-v3-image-to-video", "5", "720p", "27.0", "credits"),
    ("evolink", "kling-v3-image-to-video", "10", "720p", "54.0", "credits"),
    ("evolink", "kling-v3-image-to-video", "5", "1080p", "35.991", "credits"),
    ("evolink", "kling-v3-image-to-video", "5", "720p", "0.375000", "USD"),
    ("kling3api", "pro-text-to-video", "5", "", "400", "credits"),
]
BAD_NUMBERS = ['"60,5"', "1e-999999999", "\uff12\uff17.0", "NaN", "27_0", "9" * 120]
MALFORMED = ("stray_quote", "bad_number", "wrong_width", "huge_field")

CHILD = r"""
import json, resource, sys, time
from decimal import Decimal
mode, path = sys.argv[1], sys.argv[2]
start = time.perf_counter()
out = {}
if mode == "baseline":
    import csv
    csv.field_size_limit(1 << 24)  # as ratecard's reader: a 3 MB field is read
    n = 0
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        at = next(reader).index("charged")
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error:  # a field past the limit: one record lost, go on
                n += 1
                continue
            try:
                Decimal(row[at])
            except Exception:
                pass
            n += 1
    out["lines"] = n
else:
    import ratecard
    catalog = ratecard.load()
    if mode == "python":
        from ratecard.reconcile.readers import read_lines
        from ratecard.reconcile.reconciler import Reconciler
        reconciler = Reconciler(catalog)
        for _ in reconciler.run(read_lines([path])):
            pass
        summary = reconciler.summary
    elif mode == "duckdb":
        from ratecard.batch.duckdb_engine import DuckDBRun
        with DuckDBRun(catalog, [path]) as run:
            summary = run.summary()
    else:
        from ratecard.batch.spark_engine import SparkRun
        with SparkRun(catalog, [path]) as run:
            summary = run.summary()
    out["lines"] = summary.total.lines
    out["by_status"] = dict(summary.by_status)
    out["charged"] = {unit: str(v) for unit, v in summary.total.charged.items()}
out["seconds"] = time.perf_counter() - start
out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def generate(path: Path, lines: int, seed: int = 11) -> dict[str, Any]:
    """Write the file; return what it holds, counted while writing (the oracle)."""
    rng = random.Random(seed)
    totals: dict[str, Decimal] = {}
    kinds: Counter[str] = Counter()
    huge_3mb = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        for n in range(lines):
            provider, model, duration, quality, charged, currency = rng.choice(GOOD)
            if rng.random() < 0.02:  # overcharged: still well formed
                charged = str(Decimal(charged) + 1)
            status = "failed" if rng.random() < 0.01 else "succeeded"
            if status == "failed":
                charged = "0"
            fields = [f"t{n}", provider, model, "2026-11-01", duration, quality, "off",
                      charged, currency, status]
            if rng.random() < 0.01:
                kind = rng.choice(MALFORMED)
                kinds[kind] += 1
                if kind == "stray_quote":
                    fields[2] = '"' + model
                elif kind == "bad_number":
                    fields[7] = rng.choice(BAD_NUMBERS)
                elif kind == "wrong_width":
                    fields = fields[:rng.randrange(2, 10)] if rng.random() < 0.5 \
                        else [*fields, "extra"]
                else:
                    size = 3_000_000 if huge_3mb < 3 and rng.random() < 0.01 else 4_000
                    huge_3mb += size > 4_000
                    fields[rng.choice([0, 2, 7])] = "9" * size
            else:
                unit = "USD" if currency == "USD" else f"credits@{provider}"
                totals[unit] = totals.get(unit, Decimal(0)) + Decimal(charged)
            handle.write(",".join(fields) + "\n")
    return {"lines": lines, "malformed": sum(kinds.values()), "kinds": dict(kinds),
            "huge_3mb": huge_3mb, "charged": {unit: str(v) for unit, v in totals.items()}}


def run_child(mode: str, path: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", CHILD, mode, str(path)], check=False,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{mode} failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--spark", action="store_true", help="also run Spark (slow)")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)
    modes = ["baseline", "python", "duckdb"] + (["spark"] if args.spark else [])
    with tempfile.TemporaryDirectory(prefix="ratecard-stress-") as folder:
        path = Path(folder) / "stress.csv"
        written = generate(path, args.lines)
        size_mib = path.stat().st_size / 2**20
        print(f"{written['lines']:,} lines ({size_mib:.0f} MiB), {written['malformed']:,} "
              f"malformed {written['kinds']}, {written['huge_3mb']} of 3 MB; written "
              f"totals {written['charged']}")
        print("2-core machine shared with other work: medians of "
              f"{args.runs} run{'s' if args.runs > 1 else ''}")
        rows = []
        base_rate = None
        ok = True
        for mode in modes:
            samples = [run_child(mode, path) for _ in range(args.runs)]
            seconds = statistics.median(s["seconds"] for s in samples)
            peak = statistics.median(s["peak_mib"] for s in samples)
            last = samples[-1]
            rate = args.lines / seconds  # lines in per second (csv.reader loses some)
            if mode == "baseline":
                base_rate = rate
                checks = "csv rows" + (" = lines in" if last["lines"] == args.lines else
                                       f" {last['lines']:,} != lines in")
            else:
                invalid = last["by_status"].get("INVALID_LINE", 0)
                same_lines = last["lines"] == args.lines
                same_totals = last["charged"] == written["charged"]
                ok = ok and same_lines and same_totals and invalid == written["malformed"]
                checks = (f"lines out {last['lines']:,} ({'=' if same_lines else '!='} in), "
                          f"INVALID_LINE {invalid:,} "
                          f"({'=' if invalid == written['malformed'] else '!='} malformed), "
                          f"totals {'conserved' if same_totals else last['charged']}")
            ratio = rate / base_rate if base_rate else 1.0
            print(f"  {mode:<9} {seconds:7.1f} s  {rate:>10,.0f} lines/s  x{ratio:.2f} of "
                  f"baseline  peak {peak:6.0f} MiB  {checks}")
            rows.append({"name": mode, "seconds": seconds, "lines_per_s": rate,
                         "ratio": ratio, "peak_mib": peak, **last})
        if args.json:
            Path(args.json).write_text(json.dumps({"written": written, "rows": rows},
                                                  indent=2) + "\n")
    print("every engine: lines in = lines out, totals conserved" if ok else
          "MISMATCH: see above")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
