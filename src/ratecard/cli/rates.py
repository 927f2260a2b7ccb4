"""``ratecard rates``: every price rule as a flat rates table."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from ratecard.cli.options import Parents, catalog_from, file_name
from ratecard.cli.output import (
    fail,
    inputs_of,
    out_path,
    parquet_name,
    replaced_when_done,
    written_atomically,
)

EXAMPLES = (
    "ratecard rates --format csv > rates.csv",
    "ratecard rates --format parquet --out rates.parquet",
    "ratecard rates --credits-per-usd kling3api=500 --format json --out rates.json",
    "ratecard rates --format table",
)


def add_parser(commands: Any, shared: Parents, examples: str) -> None:
    """The ``rates`` subcommand."""
    parser = commands.add_parser(
        "rates", parents=[shared.tables, shared.credits, shared.progress],
        help="export every price rule as a flat rates table",
        description="The rates table: one row per provider x model x quality x sound x "
        "(price version x credit value version), with the rate, multiplier, accepted "
        "ranges, clamps, rounding rules, fixed price, currency and credit value, for any "
        "language or warehouse (the SQL engines of `ratecard reconcile` rate with it). "
        "Columns and types: ratecard.batch.rates.COLUMNS.",
        epilog=examples)
    parser.add_argument("--format", choices=("csv", "json", "table", "parquet"), default="csv",
                        help="csv (default), json or table on stdout or --out; parquet needs "
                        "--out (and DuckDB: pip install 'ratecard[duckdb]')")
    parser.add_argument("--out", metavar="FILE", type=file_name,
                        help="write here instead of stdout; FILE is replaced only when the "
                        "table is complete")


def run(args: argparse.Namespace) -> int:
    """Write the rates table."""
    from ratecard.batch import rates  # imported when the command runs: keeps start-up short

    if args.format == "parquet" and not args.out:
        return fail("--format parquet needs --out FILE (Parquet is not written to a terminal)")
    if args.out and args.format != "parquet" and parquet_name(args.out):
        return fail(f"--out {args.out}: the table would be written as {args.format}, not "
                    "Parquet; give --format parquet (or a file name that is not .parquet)")
    target = None if args.out is None else out_path(args.out, inputs_of(args))
    rows = rates.rate_rows(catalog_from(args))
    if target is not None and args.format == "parquet":
        from ratecard.batch.duckdb_engine import write_rates_parquet

        with replaced_when_done(args.out) as part:
            write_rates_parquet(rows, part)
        return 0
    shown = _Counted(rows, args.progress)
    if target is not None:
        with written_atomically(args.out) as out:
            _write(shown, out, args.format)
    else:
        _write(shown, sys.stdout, args.format)
    shown.close()
    return 0


def _write(rows: Sequence[dict[str, Any]], out: Any, fmt: str) -> None:
    from ratecard.batch import rates

    if fmt == "csv":
        rates.write_csv(rows, out)
    elif fmt == "json":
        rates.write_json(rows, out)
    else:
        from ratecard.terminal import text_table

        out.write(text_table([[_cell(row[name]) for name in rates.NAMES] for row in rows],
                           headers=rates.NAMES, tablefmt="simple", disable_numparse=True))
        out.write("\n")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class _Counted(Sequence[dict[str, Any]]):
    """The rows, counted on a progress bar as the writer takes them."""

    def __init__(self, rows: list[dict[str, Any]], progress: bool | None) -> None:
        from ratecard.reconcile.progress import bar

        self._rows = rows
        enabled = sys.stderr.isatty() if progress is None else progress
        self._bar = bar("rates", len(rows), enabled, unit=" rows")

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index: Any) -> Any:
        return self._rows[index]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for row in self._rows:
            yield row
            self._bar.update(1)

    def close(self) -> None:
        self._bar.close()
