"""``ratecard reconcile``: check invoice lines against the prices in force on each day."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ratecard.batch import ENGINES, engine_for
from ratecard.cli.options import STDIN, Parents, catalog_from, file_name
from ratecard.cli.output import (
    fail,
    inputs_of,
    interrupts_as_keyboard_interrupt,
    out_path,
    replaced_when_done,
    written_atomically,
)
from ratecard.codes import STATUS_ORDER
from ratecard.money import EXACT, plain
from ratecard.reconcile.readers import FIELD_LIMIT, Columns, InvoiceError, require_files
from ratecard.reconcile.reconciler import Summary
from ratecard.reconcile.tolerance import Tolerance, ToleranceError

EXAMPLES = (
    "ratecard reconcile march.csv --out results.csv",
    "ratecard reconcile export.csv --column charged=amount_billed --column task_id=id",
    "ratecard reconcile march.csv tasks.jsonl --tables my-cards/acme.yaml --format json",
    "ratecard reconcile march.csv --tolerance credits=0.5 --tolerance USD=0.01",
    "ratecard reconcile - --credits-per-usd kling3api=500 < march.csv",
    "ratecard reconcile month.parquet                  # DuckDB, in-process",
    "ratecard reconcile month.parquet --out results.parquet --no-progress",
)

OUT_FORMATS = {".csv": "csv", ".jsonl": "json", ".json": "json", ".ndjson": "json",
               ".txt": "table", ".parquet": "parquet"}
"""``--out`` file extensions and the format each is written in."""


def add_parser(commands: Any, shared: Parents, examples: str) -> None:
    """The ``reconcile`` subcommand."""
    reconcile = commands.add_parser(
        "reconcile", parents=[shared.tables, shared.credits, shared.progress],
        help="check invoice lines against the prices in force on each job's day",
        description="Reconcile CSV, JSON Lines or Parquet invoice files against the rate "
        f"cards: one result per input line ({', '.join(STATUS_ORDER)}) and a "
        "summary per provider x model x status. Columns: task_id, provider, model, "
        "timestamp, duration or input_seconds, quality, sound, charged, currency, status, "
        "reserved (see ratecard.reconcile.readers); a field longer than "
        f"{FIELD_LIMIT} characters or holding a NUL makes its line INVALID_LINE. A charge "
        "that shows fewer decimal places than the card keeps is ROUNDING_DIFF when it is "
        "the card's amount "
        "rounded to them. Totals are per unit: USD, or one provider's credits. Exit 0 when "
        "every line matches, 1 when discrepancies were found, 2 for unusable input.",
        epilog=examples)
    reconcile.add_argument("files", nargs="+", metavar="FILE",
                           help="invoice files: .csv, .jsonl/.ndjson/.json for JSON Lines, "
                           ".parquet (columns as text or typed); - reads CSV or JSON Lines "
                           "from standard input")
    reconcile.add_argument("--engine", choices=ENGINES,
                           help="who rates the lines; default: duckdb when any FILE is "
                           ".parquet, else python. duckdb (embedded) and spark (pip install "
                           "'ratecard[duckdb]' / 'ratecard[spark]') run one SQL query with "
                           "the same rules and give the same results")
    reconcile.add_argument("--format", choices=("table", "csv", "json"), default="table",
                           help="format of the summary on stdout (default: table)")
    reconcile.add_argument("--out", metavar="FILE", type=file_name,
                           help="write every line's result here; format from the extension: "
                           ".csv, .jsonl/.json (JSON Lines), .txt (table), .parquet "
                           "(duckdb and spark engines; spark writes a directory)")
    reconcile.add_argument("--tolerance", action="append", default=[],
                           metavar="CURRENCY=X",
                           help="largest difference reported as ROUNDING_DIFF, per currency "
                           "(repeatable): credits=X, credits@PROVIDER=X (wins over credits) or "
                           "USD=X, e.g. --tolerance credits=0.5 --tolerance USD=0.01; a "
                           "currency not named: one unit of the card's rounding precision")
    reconcile.add_argument("--column", action="append", default=[], metavar="CANONICAL=THEIRS",
                           help="read a canonical column from another column name "
                           "(repeatable), e.g. charged=amount_billed")


def run(args: argparse.Namespace) -> int:
    """Reconcile; exit 0 when every line matches, 1 with discrepancies, 2 for bad input."""
    try:
        tolerance = Tolerance.parse(args.tolerance)
    except ToleranceError as exc:
        return fail(str(exc))
    engine = args.engine or engine_for(args.files)
    out_format = None
    if args.out:
        out_format = OUT_FORMATS.get(Path(args.out).suffix.lower())
        if out_format is None:
            return fail(f"--out {args.out}: use a .csv, .jsonl, .txt or .parquet file name")
        if out_format == "parquet" and engine == "python":
            return fail(f"--out {args.out}: Parquet results need --engine duckdb or spark")
    if engine != "python":
        for name, amount in tolerance.amounts.items():
            if -int(amount.normalize(EXACT).as_tuple().exponent) > 10:
                return fail(f"--tolerance {name}={plain(amount)}: the SQL engines take at "
                            "most 10 decimal places")
    try:
        columns = Columns.parse(args.column)
        require_files(args.files, "invoice")
        if args.out:
            out_path(args.out, inputs_of(args),
                     directory=engine == "spark" and out_format == "parquet")
        catalog = catalog_from(args)
        tolerance.check(catalog.index)
        summary: Summary
        with interrupts_as_keyboard_interrupt():
            if engine == "python":
                summary = _python(args, catalog, columns, tolerance, out_format)
            else:
                summary = _sql(args, engine, catalog, columns, tolerance, out_format,
                               _showing(args))
    except (InvoiceError, ToleranceError) as exc:
        return fail(str(exc))
    _print_summary(summary, args)
    return 1 if summary.discrepancies else 0


def _showing(args: argparse.Namespace) -> bool:
    """Whether to show a progress bar: ``--progress``/``--no-progress``, else only when
    standard error is a terminal (never on a pipe)."""
    if args.progress is not None:
        return bool(args.progress)
    return sys.stderr.isatty()


def _python(args: argparse.Namespace, catalog: Any, columns: Columns,
            tolerance: Tolerance, out_format: str | None) -> Summary:
    from ratecard.reconcile.progress import LineProgress
    from ratecard.reconcile.reconciler import Reconciler
    from ratecard.reconcile.writers import write_results

    if any(Path(f).suffix.lower() in (".parquet", ".pq") for f in args.files):
        from ratecard.batch.parquet_input import read_any as read
    else:
        from ratecard.reconcile.readers import read_lines as read
    size = None if STDIN in args.files else sum(Path(f).stat().st_size for f in args.files)
    progress = LineProgress(size, _showing(args))
    reconciler = Reconciler(catalog, tolerance)
    results = reconciler.run(read(args.files, columns, progress if progress.enabled else None))
    if args.out:
        with written_atomically(args.out) as out:
            write_results(results, out, out_format or "csv")
    else:
        for _ in results:
            pass
    progress.close()
    return reconciler.summary


def _sql(args: argparse.Namespace, engine: str, catalog: Any, columns: Columns,
         tolerance: Tolerance, out_format: str | None, showing: bool = False) -> Summary:
    from ratecard.batch.failures import engine_errors
    from ratecard.batch.progress import Watch, duckdb_share, input_lines, spark_share
    from ratecard.reconcile.writers import write_results

    run: Any
    keep = out_format is not None and out_format != "parquet"
    if engine == "duckdb":
        from ratecard.batch.duckdb_engine import DuckDBRun, connect

        connection = connect()
        share = duckdb_share(connection) if showing else (lambda: None)
        with engine_errors(args.files):
            total = input_lines(args.files, lambda path: _parquet_rows(connection, path)) \
                if showing else None
        with Watch(share, f"{'rating' if keep else 'reading'} (duckdb)", total, showing):
            run = DuckDBRun(catalog, args.files, columns, tolerance, keep_results=keep,
                            connection=connection)
    else:
        from ratecard.batch.spark_engine import SparkRun, session

        spark = session()
        with engine_errors(args.files):
            total = input_lines(args.files, lambda path: _spark_rows(spark, path)) \
                if showing else None
        with Watch(spark_share(spark) if showing else (lambda: None),
                   f"{'rating' if keep else 'reading'} (spark)", total, showing):
            run = SparkRun(catalog, args.files, columns, tolerance, keep_results=keep,
                           spark=spark)
    with run:
        watching = duckdb_share(run.connection) if engine == "duckdb" and showing \
            else spark_share(run.spark) if showing else (lambda: None)
        with Watch(watching, f"{'writing' if keep else 'rating'} ({engine})", total, showing):
            if out_format == "parquet":
                with replaced_when_done(args.out) as part:
                    run.write_parquet(part)
            elif args.out:
                with written_atomically(args.out) as out:
                    write_results(run.results(), out, out_format or "csv")
            summary: Summary = run.summary()
        return summary


def _spark_rows(spark: Any, path: str) -> int:
    """Rows of a Parquet file for the bar's total; 0 when Spark cannot read it, so that
    the run says why in its own words (a FLOAT16 column named with its type) rather than
    this count in Spark's."""
    try:
        return int(spark.read.parquet(path).count())
    except Exception:
        return 0


def _parquet_rows(connection: Any, path: str) -> int:
    """Rows of a Parquet file, from its metadata (no data read)."""
    found = connection.execute("SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata(?)",
                               [path]).fetchone()
    return int(found[0]) if found else 0


def _print_summary(summary: Summary, args: argparse.Namespace) -> None:
    """The summary on stdout in ``args.format``, and for a table a line of counts."""
    from ratecard.reconcile.writers import write_summary

    write_summary(summary, sys.stdout, args.format)
    if args.format == "table":
        by_status = ", ".join(f"{status} {count}" for status, count in
                              sorted(summary.by_status.items()))
        print(f"{summary.total.lines} line{'' if summary.total.lines == 1 else 's'}: "
              f"{by_status}"
              + (f"; results in {args.out}" if args.out else ""))
