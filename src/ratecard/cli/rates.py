"""``ratecard rates``: every price rule as a flat rates table."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ratecard.batch import rates
from ratecard.cli.options import Parents, catalog_from
from ratecard.cli.output import fail, out_path, replaced_when_done, written_atomically


def add_parser(commands: Any, shared: Parents, examples: str) -> None:
    """The ``rates`` subcommand."""
    parser = commands.add_parser(
        "rates", parents=[shared.tables], help="export every price rule as a flat rates table",
        description="The rates table: one row per provider x model x quality x sound x "
        "(price version x credit value version), with the rate, multiplier, accepted "
        "ranges, clamps, rounding rules, fixed price, currency and credit value, for any "
        "language or warehouse (the SQL engines of `ratecard reconcile` rate with it). "
        "Columns and types: ratecard.batch.rates.COLUMNS.",
        epilog="examples:\n  ratecard rates --format csv > rates.csv\n"
        "  ratecard rates --format parquet --out rates.parquet\n",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--format", choices=("csv", "json", "parquet"), default="csv",
                        help="csv (default) or json on stdout or --out; parquet needs --out "
                        "(and DuckDB: pip install 'ratecard[duckdb]')")
    parser.add_argument("--out", metavar="FILE", help="write here instead of stdout")


def run(args: argparse.Namespace) -> int:
    """Write the rates table."""
    if args.format == "parquet" and not args.out:
        return fail("--format parquet needs --out FILE (Parquet is not written to a terminal)")
    target = None if args.out is None else out_path(args.out)
    rows = rates.rate_rows(catalog_from(args))
    if target is not None and args.format == "parquet":
        from ratecard.batch.duckdb_engine import write_rates_parquet

        with replaced_when_done(target) as part:
            write_rates_parquet(rows, part)
        return 0
    writer = rates.write_csv if args.format == "csv" else rates.write_json
    if target is not None:
        with written_atomically(target) as out:
            writer(rows, out)
    else:
        writer(rows, sys.stdout)
    return 0
