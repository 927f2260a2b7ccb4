"""``ratecard whatif``: what past usage would have cost at every seller, and under the
cheapest-route policy."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ratecard.batch import engine_for
from ratecard.cli.options import (
    STDIN,
    Parents,
    catalog_from,
    check_allow_deny,
    file_name,
)
from ratecard.cli.output import (
    fail,
    inputs_of,
    interrupts_as_keyboard_interrupt,
    out_path,
    replaced_when_done,
    written_atomically,
)
from ratecard.cli.reconcile import OUT_FORMATS  # the same --out extensions
from ratecard.codes import WHATIF_STATUSES
from ratecard.reconcile.readers import Columns, InvoiceError, require_files

EXAMPLES = (
    "ratecard whatif march.csv --credits-per-usd kling3api=500",
    "ratecard whatif march.csv tasks.jsonl --credits-per-usd kling3api=500 --out lines.csv",
    "ratecard whatif march.csv --at 2026-12-01 --deny krea --credits-per-usd kling3api=500 \\",
    "    --format json",
    "ratecard whatif month.parquet --credits-per-usd kling3api=500 --allow evolink fal \\",
    "    --format csv --out lines.parquet",
)

def add_parser(commands: Any, shared: Parents, examples: str) -> None:
    """The ``whatif`` subcommand."""
    parser = commands.add_parser(
        "whatif", parents=[shared.tables, shared.credits, shared.progress],
        help="re-rate past usage at every seller: what it would have cost",
        description="Re-rate every line of invoice files or task records (the inputs of "
        "`ratecard reconcile`) at every seller that can serve the same job, at the prices "
        "in force on the line's day (or --at): where each job went and what it cost, the "
        "cheapest seller the policy allows and the saving, the sellers that could not "
        "serve it and why. The summary gives what was charged and what the cards say "
        "(per currency, never mixed), what everything would have cost at each single "
        "seller, and the saving of the cheapest-route policy by month, model and seller, "
        f"in USD. Line statuses: {', '.join(WHATIF_STATUSES)}. Exit 0 when every line "
        "was re-rated (or is a failed job), 1 when some could not be (their reason says "
        "why), 2 for unusable input.",
        epilog=examples)
    # "*", then checked in run(): a missing FILE is most often one --allow/--deny took
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="one or more usage files: .csv, .jsonl/.ndjson/.json (invoice "
                        "lines or task records), .parquet; - reads CSV or JSON Lines from "
                        "standard input")
    parser.add_argument("--engine", choices=("python", "duckdb", "spark"),
                        help="who rates the lines; default: duckdb when any FILE is "
                        ".parquet, else python. duckdb and spark (pip install "
                        "'ratecard[duckdb]' / 'ratecard[spark]', Spark needs Java 17) run the "
                        "rating query of `ratecard reconcile` and give the same results")
    parser.add_argument("--at", metavar="DATE",
                        help="price every line at the prices in force on this day "
                        "(YYYY-MM-DD; a time with a UTC offset counts on its UTC day) "
                        "instead of its own day")
    parser.add_argument("--allow", action="extend", nargs="+", metavar="P",
                        help="the cheapest route may use only these sellers")
    parser.add_argument("--deny", action="extend", nargs="+", default=[], metavar="P",
                        help="the cheapest route never uses these sellers")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table",
                        help="format of the summary on stdout (default: table)")
    parser.add_argument("--out", metavar="FILE", type=file_name,
                        help="write every line's result here; format from the extension: "
                        ".csv, .jsonl/.json (JSON Lines), .txt (table), .parquet (needs "
                        "DuckDB: pip install 'ratecard[duckdb]')")
    parser.add_argument("--column", action="append", default=[], metavar="CANONICAL=THEIRS",
                        help="read a canonical column from another column name (repeatable), "
                        "e.g. charged=amount_billed")


def _no_files(args: argparse.Namespace) -> str:
    """Why there is no FILE: none given, or one taken as a seller by ``--allow``/``--deny``
    (each takes every name that follows it).

    >>> print(_no_files(argparse.Namespace(allow=None, deny=["krea", "march.csv"])))
    whatif needs at least one FILE; --deny took march.csv as a seller name: give the files \
before --deny, or end its list with -- (every option before the --)
    """
    for flag, names in (("--allow", args.allow or []), ("--deny", args.deny or [])):
        taken = [name for name in names
                 if name == "-" or Path(name).suffix.lower() in _USAGE_SUFFIXES]
        if taken:
            return (f"whatif needs at least one FILE; {flag} took {', '.join(taken)} as a "
                    f"seller name: give the files before {flag}, or end its list with -- "
                    "(every option before the --)")
    return "whatif needs at least one FILE (usage: .csv, .jsonl, .json, .parquet, or -)"


_USAGE_SUFFIXES = frozenset({".csv", ".jsonl", ".ndjson", ".json", ".parquet"})


def run(args: argparse.Namespace) -> int:
    """Re-rate; exit 0 when every line was re-rated, 1 when some could not be, 2 for bad
    input."""
    from ratecard.whatif import WhatIf, read_lines

    check_allow_deny(args)
    if not args.files:
        return fail(_no_files(args))
    from ratecard.whatif.writers import write_results, write_results_parquet

    out_format = None
    if args.out:
        out_format = OUT_FORMATS.get(Path(args.out).suffix.lower())
        if out_format is None:
            return fail(f"--out {args.out}: use a .csv, .jsonl, .txt or .parquet file name")
    try:
        columns = Columns.parse(args.column)
        require_files(args.files, "usage")
        if args.out:
            out_path(args.out, inputs_of(args))
        catalog = catalog_from(args)
        engine = args.engine or engine_for(args.files)
        if engine == "duckdb":
            with interrupts_as_keyboard_interrupt():
                summary = _duckdb(args, catalog, columns, out_format)
            return _finish(args, summary)
        if engine == "spark":
            with interrupts_as_keyboard_interrupt():
                summary = _spark(args, catalog, columns, out_format)
            return _finish(args, summary)
        rerate = WhatIf(catalog, at=args.at, allow=args.allow, deny=args.deny)
        with interrupts_as_keyboard_interrupt():
            from ratecard.reconcile.progress import LineProgress

            size = None if STDIN in args.files else sum(Path(f).stat().st_size
                                                         for f in args.files)
            progress = LineProgress(size, _showing(args), label="re-rating")
            lines = read_lines(args.files, columns, progress if progress.enabled else None)
            results = rerate.run(lines)
            if out_format == "parquet":
                with replaced_when_done(args.out) as part:
                    write_results_parquet(results, part)
            elif args.out:
                with written_atomically(args.out) as out:
                    write_results(results, out, out_format or "csv")
            else:
                for _ in results:
                    pass
            progress.close()
    except InvoiceError as exc:
        return fail(str(exc))
    return _finish(args, rerate.summary)


def _finish(args: argparse.Namespace, summary: Any) -> int:
    from ratecard.whatif.writers import write_summary

    write_summary(summary, sys.stdout, args.format)
    if args.format == "table" and args.out:
        print(f"every line's result in {args.out}")
    return 1 if summary.not_rerated else 0


def _duckdb(args: argparse.Namespace, catalog: Any, columns: Columns,
            out_format: str | None) -> Any:
    from ratecard.batch.duckdb_engine import connect
    from ratecard.batch.progress import Watch, duckdb_share
    from ratecard.whatif.sql import DuckDBWhatIf
    from ratecard.whatif.writers import write_results

    showing = _showing(args)
    connection = connect()
    share = duckdb_share(connection) if showing else (lambda: None)
    with Watch(share, "re-rating (duckdb)", None, showing):
        run = DuckDBWhatIf(catalog, args.files, columns, at=args.at, allow=args.allow,
                           deny=args.deny, connection=connection)
    with run:
        if out_format == "parquet":
            with replaced_when_done(args.out) as part:
                run.write_parquet(part)
        elif args.out:
            with written_atomically(args.out) as out:
                write_results(run.results(), out, out_format or "csv")
        return run.summary()


def _spark(args: argparse.Namespace, catalog: Any, columns: Columns,
           out_format: str | None) -> Any:
    from ratecard.whatif.spark import SparkWhatIf
    from ratecard.whatif.writers import write_results, write_results_parquet

    with SparkWhatIf(catalog, args.files, columns, at=args.at, allow=args.allow,
                     deny=args.deny) as run:
        if out_format == "parquet":
            with replaced_when_done(args.out) as part:
                write_results_parquet(run.results(), part)
        elif args.out:
            with written_atomically(args.out) as out:
                write_results(run.results(), out, out_format or "csv")
        return run.summary()


def _showing(args: argparse.Namespace) -> bool:
    if args.progress is not None:
        return bool(args.progress)
    return sys.stderr.isatty()
