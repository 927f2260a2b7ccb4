"""The ``ratecard`` command line: a thin front over the public API.

Exit status: 0 on success, 1 when ``lint`` finds problems or ``check`` finds violations,
2 for bad input (with a message on stderr saying what to fix).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from ratecard import cli_payload
from ratecard.catalog import Catalog, load
from ratecard.errors import CardError, QuoteError, RatecardError
from ratecard.money import plain
from ratecard.need import FEATURES, MODES
from ratecard.quote import Quote

EXAMPLES = """\
examples:
  ratecard quote --provider evolink --model kling-v3-image-to-video --duration 10 \\
      --quality 1080p --sound on
  ratecard quote --provider evolink --model kling-o3-video-edit --input-seconds 7.4
  ratecard quote --provider kling3api --model pro-text-to-video --format json
  ratecard quote --provider evolink --payload body.json
  ratecard quote --provider evolink --payload - --input-seconds 7.4 < edit.json
  ratecard check --provider kling3api --payload body.json --format json
  ratecard offerings --provider evolink
  ratecard compare --family kling-3.0 --mode image-to-video --quality 1080p --sound on \
      --duration 10
  ratecard compare --provider evolink --duration 10
  ratecard route --family kling-3.0 --mode image-to-video --quality 1080p --sound on \
      --duration 10 --down evolink --max-usd 2
  ratecard route --family kling-o3 --mode video-edit --input-seconds 7.4 \
      --credits-per-usd kling3api=500
  ratecard lint pricing_tables/ my-cards/acme.yaml
  ratecard reconcile march.csv tasks.jsonl --out results.csv
  ratecard rates --format parquet --out rates.parquet
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="ratecard",
        description="Exact, explained prices for AI video generation (Kling 3.0, O1, O3) "
        "from declarative YAML rate cards.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    tables = argparse.ArgumentParser(add_help=False)
    tables.add_argument(
        "--tables", nargs="+", metavar="PATH", default=[],
        help="extra rate card files or directories; a card for a built-in provider "
        "replaces it")
    fmt = argparse.ArgumentParser(add_help=False)
    fmt.add_argument("--format", choices=("table", "json"), default="table",
                     help="human table (default) or machine-readable JSON on stdout")
    credits = argparse.ArgumentParser(add_help=False)
    credits.add_argument(
        "--credits-per-usd", action="append", default=[], metavar="PROVIDER=NUMBER",
        help="use this credit value for a provider's card (e.g. kling3api=500: 500 credits "
        "= 1 USD), on every date; ratecard never guesses one")

    quote = commands.add_parser(
        "quote", parents=[tables, fmt, credits], help="price one request and show how",
        description="Price one request at one provider: billed seconds, credits and USD "
        "(exact and rounded) and every step that produced them.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    quote.add_argument("--provider", required=True, help="provider id, e.g. evolink")
    quote.add_argument("--model",
                       help="the provider's model or type id (see `ratecard offerings`); "
                       "or give --payload")
    cli_payload.add_video_arguments(quote)
    quote.add_argument("--duration", metavar="S",
                       help="requested output seconds (generation; default: the card's)")
    quote.add_argument("--input-seconds", metavar="S",
                       help="length of the input video in seconds (video edits, also with "
                       "--payload)")
    quote.add_argument("--quality", metavar="Q", help="720p, 1080p, 4k (default: the card's)")
    quote.add_argument("--sound", choices=("on", "off"), help="default: the card's")
    quote.add_argument("--at", metavar="DATE",
                       help="price in force on this day (YYYY-MM-DD; default today)")

    offerings = commands.add_parser(
        "offerings", parents=[tables, fmt, credits], help="list every offering with its price",
        description="Every offering x quality x sound with its per-second (or fixed) price "
        "in the card's currency and in USD.")
    offerings.add_argument("--provider", help="only this provider")
    offerings.add_argument("--at", metavar="DATE", help="prices in force on this day")

    need = argparse.ArgumentParser(add_help=False)
    need.add_argument("--family", metavar="F", help="kling-3.0, kling-o3, kling-o1, ... "
                      "(compare: default any)")
    need.add_argument("--mode", choices=MODES, help="compare: default any mode of the need's "
                      "kind (generation with --duration, video-edit with --input-seconds)")
    need.add_argument("--quality", metavar="Q", help="720p, 1080p, 4k (default: any, each a "
                      "separate candidate)")
    need.add_argument("--sound", choices=("on", "off"),
                      help="default: any, each a separate candidate")
    length = need.add_mutually_exclusive_group(required=True)
    length.add_argument("--duration", metavar="S", help="output seconds (generation)")
    length.add_argument("--input-seconds", metavar="S",
                        help="length of the input video in seconds (video-edit)")
    need.add_argument("--feature", action="extend", nargs="+", default=[], metavar="F",
                      choices=FEATURES, help="inputs the job uses: " + ", ".join(FEATURES))
    need.add_argument("--at", metavar="DATE",
                      help="prices in force on this day (YYYY-MM-DD; default today)")

    compare = commands.add_parser(
        "compare", parents=[need, tables, fmt, credits],
        help="what the same clip costs everywhere, cheapest first",
        description="Price one need at every offering that can serve it, in USD and in "
        "each card's currency, cheapest first; offerings that cannot serve it are listed "
        "apart with the reason. Quality and sound left out mean any: each offering x "
        "quality x sound is then its own row.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    compare.add_argument("--provider", action="extend", nargs="+", metavar="P",
                         help="only these providers")

    route = commands.add_parser(
        "route", parents=[need, tables, fmt, credits],
        help="the fallback chain: cheapest available provider first",
        description="The ordered fallback chain for one need: cheapest available first "
        "(ties: USD, then non-reference cards, provider id, model id, quality, sound). "
        "Down, denied, unlisted, over-budget, reference and unpriceable offerings are "
        "excluded with the reason. Exit 1 when nothing can serve the need.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    route.add_argument("--down", action="extend", nargs="+", default=[], metavar="P",
                       help="providers that are down now")
    route.add_argument("--max-usd", metavar="X", help="budget: exclude candidates above X USD")
    route.add_argument("--allow", action="extend", nargs="+", metavar="P",
                       help="route only to these providers")
    route.add_argument("--deny", action="extend", nargs="+", default=[], metavar="P",
                       help="never route to these providers")
    route.add_argument("--include-reference", action="store_true",
                       help="also route to reference cards (the official Kling price)")
    cli_payload.add_check_parser(commands, [tables, fmt])

    lint = commands.add_parser(
        "lint", parents=[fmt], help="validate rate cards and list recorded conflicts",
        description="Validate rate card files (default: the built-in cards) and list the "
        "conflicts between sources they record. Exit 1 when a card is invalid.")
    lint.add_argument("paths", nargs="*", metavar="PATH",
                      help="card files or directories (default: the built-in cards)")

    rates = commands.add_parser(
        "rates", parents=[tables], help="export every price rule as a flat rates table",
        description="The rates table: one row per provider x model x quality x sound x "
        "(price version x credit value version), with the rate, multiplier, accepted "
        "ranges, clamps, rounding rules, fixed price, currency and credit value, for any "
        "language or warehouse (the SQL engines of `ratecard reconcile` rate with it). "
        "Columns and types: ratecard.batch.rates.COLUMNS.",
        epilog="examples:\n  ratecard rates --format csv > rates.csv\n"
        "  ratecard rates --format parquet --out rates.parquet\n",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    rates.add_argument("--format", choices=("csv", "json", "parquet"), default="csv",
                       help="csv (default) or json on stdout or --out; parquet needs --out "
                       "(and DuckDB: pip install 'ratecard[duckdb]')")
    rates.add_argument("--out", metavar="FILE", help="write here instead of stdout")

    reconcile = commands.add_parser(
        "reconcile", parents=[tables],
        help="check invoice lines against the prices in force on each job's day",
        description="Reconcile CSV, JSON Lines or Parquet invoice files against the rate "
        "cards: one result per input line (MATCH, ROUNDING_DIFF, OVERCHARGE, UNDERCHARGE, "
        "UNKNOWN_OFFERING, UNPRICED_DATE, UNPRICED_CURRENCY, INVALID_LINE, DUPLICATE_TASK, "
        "CHARGED_FOR_FAILED, RESERVED_NE_SETTLED) and a summary per provider x model x "
        "status. Columns: task_id, provider, model, timestamp, duration or input_seconds, "
        "quality, sound, charged, currency, status, reserved (see ratecard.invoice). "
        "Exit 0 when every line matches, 1 when discrepancies were found, 2 for unusable "
        "input.",
        epilog="examples:\n  ratecard reconcile march.csv --out results.csv\n"
        "  ratecard reconcile export.csv --column charged=amount --column task_id=id\n"
        "  ratecard reconcile month.parquet                  # DuckDB, in-process\n"
        "  ratecard reconcile month.parquet --engine spark --out results.parquet\n",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    reconcile.add_argument("files", nargs="+", metavar="FILE",
                           help="invoice files: .csv, .jsonl/.ndjson/.json for JSON Lines, "
                           ".parquet (columns as text or typed)")
    reconcile.add_argument("--engine", choices=("python", "duckdb", "spark"),
                           help="who rates the lines; default: duckdb when any FILE is "
                           ".parquet, else python. duckdb (embedded) and spark (pip install "
                           "'ratecard[duckdb]' / 'ratecard[spark]') run one SQL query with "
                           "the same rules and give the same results")
    reconcile.add_argument("--format", choices=("table", "csv", "json"), default="table",
                           help="format of the summary on stdout (default: table)")
    reconcile.add_argument("--out", metavar="FILE",
                           help="write every line's result here; format from the extension: "
                           ".csv, .jsonl/.json (JSON Lines), .txt (table), .parquet "
                           "(duckdb and spark engines; spark writes a directory)")
    reconcile.add_argument("--tolerance", metavar="X",
                           help="largest difference reported as ROUNDING_DIFF, in the line's "
                           "currency (default: one unit of the card's rounding precision)")
    reconcile.add_argument("--column", action="append", default=[], metavar="CANONICAL=THEIRS",
                           help="read a canonical column from another column name "
                           "(repeatable), e.g. charged=amount_billed")

    commands.add_parser(
        "schema", help="print the JSON Schema of a rate card",
        description="Print the JSON Schema generated from the rate card models "
        "(committed as pricing_tables/.schema.json).")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "quote":
            return _quote(args)
        if args.command == "offerings":
            return _offerings(args)
        if args.command in ("compare", "route"):
            from ratecard.cli_route import run

            return run(args, _catalog(args))
        if args.command == "lint":
            return _lint(args)
        if args.command == "check":
            return cli_payload.check(args, _catalog(args))
        if args.command == "reconcile":
            return _reconcile(args)
        if args.command == "rates":
            return _rates(args)
        from ratecard.schema import json_schema

        sys.stdout.write(json_schema())
        return 0
    except CardError as exc:
        more = len(exc.problems) - 1
        extra = f" (and {more} more problem{'s' if more > 1 else ''}: run `ratecard lint`)" \
            if more > 0 else ""
        return _fail(f"invalid rate card: {exc.problems[0]}{extra}")
    except RatecardError as exc:
        return _fail(str(exc))
    except BrokenPipeError:  # pragma: no cover - e.g. `ratecard offerings | head`
        return 0


def _fail(message: str) -> int:
    print(f"ratecard: error: {' '.join(message.split())}", file=sys.stderr)
    return 2


def _catalog(args: argparse.Namespace) -> Catalog:
    catalog = load(*args.tables)
    for item in getattr(args, "credits_per_usd", ()):
        provider, sep, number = item.partition("=")
        if not sep or not provider.strip() or not number.strip():
            raise QuoteError("INVALID_CREDIT_VALUE", f"--credits-per-usd takes "
                             f"PROVIDER=NUMBER (e.g. kling3api=500), not {item!r}",
                             "credits_per_usd")
        catalog = catalog.with_credit_value(provider.strip(), number.strip())
    return catalog


def _quote(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    if args.payload is not None:
        return cli_payload.quote(args, catalog)
    if args.model is None or args.video_info is not None:
        problem = "quote needs --model (with --duration, --quality, ...) or --payload FILE" \
            if args.model is None else "--video-info describes the video of a --payload body"
        raise cli_payload.BadInputError("INVALID_INPUT", problem, "model")
    q = catalog.quote(args.provider, args.model, duration=args.duration,
                      input_seconds=args.input_seconds, quality=args.quality,
                      sound=args.sound, at=args.at)
    return _print_quote(q, args.format)


def _print_quote(q: Quote, fmt: str) -> int:
    if fmt == "json":
        _print_json(q.to_dict())
        return 0
    from tabulate import tabulate

    usd = "unknown" if q.usd is None else f"{plain(q.usd)} USD"
    billed = "fixed price" if q.billed_seconds is None else f"{plain(q.billed_seconds)} s"
    summary = [
        ("offering", f"{q.provider} / {q.model} ({q.family}, {q.mode})"),
        ("quality, sound", f"{q.quality}, sound {'on' if q.sound else 'off'}"),
        ("billed", billed),
        (q.currency, f"{plain(q.credits)} (exact {plain(q.amount_exact)})"),
        ("USD", usd),
        ("price version", f"{q.price_version} ({q.source})"),
    ]
    print(tabulate(summary, tablefmt="plain"))
    print()
    print(tabulate([(s.name, "" if s.value is None else plain(s.value), s.detail)
                    for s in q.steps], headers=("step", "value", "how"), tablefmt="simple",
                   disable_numparse=True))
    for warning in q.warnings:
        print(f"warning: {warning}")
    return 0


def _offerings(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    rows = catalog.offerings(args.provider, at=args.at)
    if args.format == "json":
        _print_json([
            {"provider": r.provider, "model": r.model, "family": r.family, "mode": r.mode,
             "quality": r.quality, "sound": r.sound, "kind": r.kind, "price": plain(r.price),
             "currency": r.currency, "usd": None if r.usd is None else plain(r.usd),
             "accepts": r.accepts, "billing": r.billing, "price_version": r.price_version,
             "source": r.source}
            for r in rows])
        return 0
    from tabulate import tabulate

    table = [
        (r.provider, r.model, r.mode, r.quality, r.sound,
         f"{plain(r.price)}{'/s' if r.kind == 'per_second' else ' fixed'}", r.currency,
         "unknown" if r.usd is None else f"{plain(r.usd)}{'/s' if r.kind == 'per_second' else ''}",
         r.accepts, r.billing)
        for r in rows
    ]
    print(tabulate(table, headers=("provider", "model", "mode", "quality", "sound", "price",
                                   "currency", "USD", "accepts", "billing"),
                   tablefmt="simple", disable_numparse=True))
    return 0


def _lint(args: argparse.Namespace) -> int:
    from ratecard.loader import read_card
    from ratecard.paths import builtin_paths, expand_paths

    paths = expand_paths(args.paths) if args.paths else builtin_paths()
    problems: list[str] = []
    conflicts: list[dict[str, Any]] = []
    cards = []
    for path in paths:
        try:
            loaded = read_card(path)
        except CardError as exc:
            problems.extend(str(problem) for problem in exc.problems)
            continue
        cards.append(loaded)
        for conflict in loaded.card.conflicts:
            conflicts.append({
                "file": str(path), "provider": loaded.card.provider,
                "subject": conflict.subject, "offering": conflict.offering,
                "claims": [{"value": c.value, "source": c.source.document} for c in
                           conflict.claims],
                "resolution": " ".join(conflict.resolution.split())})
    if not problems:
        try:
            Catalog.from_cards(cards)
        except RatecardError as exc:  # pragma: no cover - compile checks are in the schema
            problems.append(str(exc))
    if args.format == "json":
        _print_json({"files": [str(p) for p in paths], "valid": not problems,
                     "problems": problems, "conflicts": conflicts})
        return 1 if problems else 0
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in "
              f"{len(paths)} file{'s' if len(paths) != 1 else ''}", file=sys.stderr)
        return 1
    print(f"{len(paths)} card{'s' if len(paths) != 1 else ''} valid: "
          + ", ".join(str(p) for p in paths))
    if conflicts:
        from tabulate import tabulate

        print(f"\n{len(conflicts)} recorded conflicts between sources:")
        print(tabulate(
            [(c["provider"], c["subject"],
              "\n".join(f"{claim['value']} ({claim['source']})" for claim in c["claims"]),
              c["resolution"]) for c in conflicts],
            headers=("provider", "subject", "claims", "resolution"), tablefmt="grid",
            maxcolwidths=[None, 30, 50, 60]))
    return 0


def _reconcile(args: argparse.Namespace) -> int:
    from decimal import Decimal, InvalidOperation
    from pathlib import Path

    from ratecard.batch import engine_for
    from ratecard.invoice import Columns, InvoiceError
    from ratecard.reconcile import Summary

    tolerance = None
    if args.tolerance is not None:
        try:
            tolerance = Decimal(args.tolerance)
        except InvalidOperation:
            return _fail(f"--tolerance {args.tolerance!r} is not a number")
        if not tolerance.is_finite() or tolerance < 0:
            return _fail(f"--tolerance {args.tolerance!r} must be a number >= 0")
    engine = args.engine or engine_for(args.files)
    out_format = None
    if args.out:
        suffix = Path(args.out).suffix.lower()
        out_format = {".csv": "csv", ".jsonl": "json", ".json": "json", ".ndjson": "json",
                      ".txt": "table", ".parquet": "parquet"}.get(suffix)
        if out_format is None:
            return _fail(f"--out {args.out}: use a .csv, .jsonl, .txt or .parquet file name")
        if out_format == "parquet" and engine == "python":
            return _fail(f"--out {args.out}: Parquet results need --engine duckdb or spark")
    if engine != "python" and tolerance is not None and (
            tolerance >= Decimal(10) ** 26
            or -int(tolerance.normalize().as_tuple().exponent) > 10):
        return _fail(f"--tolerance {args.tolerance!r}: the SQL engines take at most 10 "
                     "decimal places")
    try:
        columns = Columns.parse(args.column)
        missing = [f for f in args.files if not Path(f).is_file()]
        if missing:
            return _fail(f"no such invoice file: {', '.join(missing)}")
        catalog = _catalog(args)
        summary: Summary
        if engine == "python":
            summary = _reconcile_python(args, catalog, columns, tolerance, out_format)
        else:
            summary = _reconcile_sql(args, engine, catalog, columns, tolerance, out_format)
    except InvoiceError as exc:
        return _fail(str(exc))
    write_summary_out(summary, args)
    return 1 if summary.discrepancies else 0


def _reconcile_python(args: argparse.Namespace, catalog: Catalog, columns: Any,
                      tolerance: Any, out_format: str | None) -> Any:
    from pathlib import Path

    from ratecard.progress import Progress
    from ratecard.reconcile import Reconciler
    from ratecard.reconcile_output import write_results

    if any(Path(f).suffix.lower() in (".parquet", ".pq") for f in args.files):
        from ratecard.batch.parquet_input import read_any as read
    else:
        from ratecard.invoice import read_lines as read
    progress = Progress(sum(Path(f).stat().st_size for f in args.files), label="reconciling")
    reconciler = Reconciler(catalog, tolerance)
    results = reconciler.run(read(args.files, columns, progress if progress.enabled else None))
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="", buffering=1 << 20) as out:
            write_results(results, out, out_format or "csv")
    else:
        for _ in results:
            pass
    progress.close()
    return reconciler.summary


def _reconcile_sql(args: argparse.Namespace, engine: str, catalog: Catalog, columns: Any,
                   tolerance: Any, out_format: str | None) -> Any:
    from ratecard.reconcile_output import write_results

    run: Any
    keep = out_format is not None and out_format != "parquet"
    if engine == "duckdb":
        from ratecard.batch.duckdb_engine import DuckDBRun

        run = DuckDBRun(catalog, args.files, columns, tolerance, keep_results=keep)
    else:
        from ratecard.batch.spark_engine import SparkRun

        run = SparkRun(catalog, args.files, columns, tolerance, keep_results=keep)
    with run:
        if out_format == "parquet":
            run.write_parquet(args.out)
        elif args.out:
            with open(args.out, "w", encoding="utf-8", newline="", buffering=1 << 20) as out:
                write_results(run.results(), out, out_format or "csv")
        return run.summary()


def write_summary_out(summary: Any, args: argparse.Namespace) -> None:
    """The summary on stdout in ``args.format``, and for a table a line of counts."""
    from ratecard.reconcile_output import write_summary

    write_summary(summary, sys.stdout, args.format)
    if args.format == "table":
        by_status = ", ".join(f"{status} {count}" for status, count in
                              sorted(summary.by_status.items()))
        print(f"{summary.total.lines} lines: {by_status}"
              + (f"; results in {args.out}" if args.out else ""))


def _rates(args: argparse.Namespace) -> int:
    from ratecard.batch import rates

    if args.format == "parquet" and not args.out:
        return _fail("--format parquet needs --out FILE (Parquet is not written to a terminal)")
    rows = rates.rate_rows(_catalog(args))
    if args.format == "parquet":
        rates.write_parquet(rows, args.out)
        return 0
    writer = rates.write_csv if args.format == "csv" else rates.write_json
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as out:
            writer(rows, out)
    else:
        writer(rows, sys.stdout)
    return 0


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def _version() -> str:
    from ratecard import __version__

    return f"ratecard {__version__}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
