"""What writing a results CSV costs with :class:`ratecard.csv_out.CsvWriter` (which quotes
a row holding a lone carriage return), beside the plain ``csv.writer`` it wraps, in the
same run: 200,000 rows of a reconcile result's shape, written to memory.

    python bench/bench_csv_out.py [--rows 200000] [--repeats 5] [--json FILE]
"""

from __future__ import annotations

import argparse
import csv
import io
import timeit

from _report import report, row
from ratecard.csv_out import CsvWriter

ROW = ["march.csv", 12, "t-1", "evolink", "kling-v3-image-to-video", "2026-11-01",
       "succeeded", "MATCH", "credits", "27.0000", "27.0", "0.0000", None, "start..open", ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    rows = [list(ROW) for _ in range(args.rows)]

    def plain() -> None:
        csv.writer(io.StringIO(), lineterminator="\n").writerows(rows)

    def wrapped() -> None:
        CsvWriter(io.StringIO()).writerows(rows)

    samples = {name: [timeit.timeit(run, number=1) / args.rows * 1e6
                      for _ in range(args.repeats)]
               for name, run in (("csv.writer (baseline)", plain),
                                 ("CsvWriter.writerows", wrapped))}
    base = row("", samples["csv.writer (baseline)"], "us")["median"]
    report(f"writing {args.rows:,} result rows to memory, us per row", [
        row(name, times, "us", ratio=row("", times, "us")["median"] / base)
        for name, times in samples.items()], args.json)


if __name__ == "__main__":
    main()
