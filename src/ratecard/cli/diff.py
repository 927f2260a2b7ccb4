"""``ratecard diff``: what changed between two days of the cards, or two sets of cards."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ratecard.api import Catalog, load
from ratecard.cli.options import Parents, catalog_from, stdin_cards, with_credits
from ratecard.cli.output import fail, print_csv, print_json

EXAMPLES = (
    "ratecard diff --from 2026-01-01 --to 2026-12-01",
    "ratecard diff pricing_tables my-cards --format json",
    "ratecard diff --from 2026-01-01 --to 2026-12-01 --usage march.csv --seconds 10",
    "ratecard diff --tables my-cards/acme.yaml --from 2026-03-01 --to 2026-08-01 --format csv",
)

_CHANGE_HEADERS = ("kind", "provider", "model", "quality", "sound", "currency", "before",
                   "after", "delta", "usd_before", "usd_after", "usd_delta", "clip_usd_before",
                   "clip_usd_after", "clip_usd_delta", "version_before", "version_after",
                   "what", "terms_before", "terms_after")
USAGE_COUNTS = ("usage_lines", "priced_both", "priced_before_only", "priced_after_only",
                "priced_neither")
"""The usage's line counts (JSON's ``usage.lines``, ``usage.priced_both``, ...), on every
``usage`` row: the amounts cover only the lines priced on both sides."""
CSV_HEADERS = (*_CHANGE_HEADERS, *USAGE_COUNTS)
"""``diff --format csv``: one row per changed offering x quality x sound (``kind``
``added``, ``removed`` or ``changed``; ``what`` names the terms that differ,
``;``-separated, and ``terms_before``/``terms_after`` give each in words, ``term: text;
...``), then one per conflict (``conflict_appeared`` or
``conflict_resolved``, its subject as ``model``), then, with ``--usage``, one per currency
(``usage``, the currency as ``currency``, every currency of either side; ``USD (N
lines)`` for the USD of the N lines whose USD is known on both sides, and on each the
line counts of :data:`USAGE_COUNTS`)."""


def add_parser(commands: Any, shared: Parents, examples: str) -> None:
    """The ``diff`` subcommand."""
    parser = commands.add_parser(
        "diff", parents=[shared.tables, shared.credits, shared.listing, shared.out],
        help="what changed between two days of the cards, or two sets of cards",
        description="Compare the prices in force on --from with those on --to (the same "
        "cards), or two card directories or files (OLD NEW, each a full set: no built-in "
        "card is added, and --tables is refused: a card added to both sides could only hide "
        "changes; --from and --to then default to today): every offering x quality x "
        "sound added, removed, repriced or billed differently (accepted lengths, minimum and "
        "maximum billed seconds, rounding, features: named under 'what'), by how much per "
        "second (or of its fixed price), in its currency and in USD, and for a typical clip "
        "(--seconds); the recorded "
        "conflicts that appeared or were resolved; and with --usage, what the change does "
        "to the total of those lines, each priced where it went.",
        epilog=examples)
    parser.add_argument("cards", nargs="*", metavar="OLD NEW",
                        help="two card files or directories to compare (default: the built-in "
                        "cards and --tables on two days)")
    parser.add_argument("--from", dest="before_at", metavar="DATE",
                        help="the day of the old prices (YYYY-MM-DD; default today)")
    parser.add_argument("--to", dest="after_at", metavar="DATE",
                        help="the day of the new prices (YYYY-MM-DD; default today)")
    parser.add_argument("--seconds", metavar="S", default="5",
                        help="a typical clip: output seconds, or an edit's input video "
                        "(default 5)")
    parser.add_argument("--usage", action="append", default=[], metavar="FILE",
                        help="usage lines (any file `ratecard whatif` reads; repeatable) "
                        "whose total is compared")
    parser.add_argument("--column", action="append", default=[], metavar="CANONICAL=THEIRS",
                        help="read a --usage file's canonical column from another column "
                        "name (repeatable), e.g. charged=amount_billed")


def run(args: argparse.Namespace) -> int:
    """Print the differences; 0 when done, 2 for bad input."""
    from ratecard.reconcile.readers import Columns, InvoiceError, require_files
    from ratecard.whatif import read_lines
    from ratecard.whatif.diff import diff

    if len(args.cards) not in (0, 2):
        return fail(f"give two card paths (OLD NEW) or none, not {len(args.cards)}")
    if not args.cards and (args.before_at is None or args.after_at is None):
        return fail("--from and --to name the two days to compare (or give two card "
                    "paths: OLD NEW)")
    from ratecard.errors import QuoteError
    from ratecard.pricing.engine import day_of

    for flag, value in (("--from", args.before_at), ("--to", args.after_at)):
        if value is not None:
            try:
                day_of(value)
            except QuoteError:
                return fail(f"{flag} must be a date such as 2026-11-21, not {value!r}")
    missing = [p for p in [*args.cards, *args.usage] if p != "-" and not Path(p).exists()]
    if missing:
        return fail(f"no such file or directory: {', '.join(missing)}")
    if args.cards:
        if args.tables:
            return fail("--tables adds cards to the built-in ones for --from/--to; OLD NEW "
                        "are each a full set of cards (none added): put the card in OLD, NEW "
                        "or both")
        before, after = with_credits(args, *(_cards(path) for path in args.cards))
    else:
        before = after = catalog_from(args)
    try:
        columns = Columns.parse(args.column)
        if args.column and not args.usage:
            return fail("--column applies to --usage FILE")
        require_files(args.usage, "usage")
        usage = None if not args.usage else list(read_lines(args.usage, columns))
        result = diff(before, after, before_at=args.before_at, after_at=args.after_at,
                      seconds=args.seconds, usage=usage)
    except InvoiceError as exc:
        return fail(str(exc))
    except QuoteError as exc:
        if exc.field != "seconds":
            raise
        return fail(f"--{exc}")
    data = result.to_dict()
    if args.format == "json":
        print_json(data)
    elif args.format == "csv":
        print_csv(CSV_HEADERS, _csv_rows(data))
    else:
        _print_table(data)
    return 0


def _cards(path: str) -> Catalog:
    """The cards of one side of ``diff OLD NEW``, without the built-in ones."""
    with stdin_cards([path]) as paths:
        return load(*paths, builtin=False)


def _csv_rows(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    none = (None,) * len(USAGE_COUNTS)
    rows: list[tuple[Any, ...]] = [
        (*(c[name] for name in _CHANGE_HEADERS[:-3]), ";".join(c["what"]),
         _terms(c["terms_before"]), _terms(c["terms_after"]), *none)
        for c in data["changed"]]
    for kind in ("conflicts_appeared", "conflicts_resolved"):
        for c in data[kind]:
            rows.append((kind.replace("conflicts", "conflict"), c["provider"], c["subject"],
                         *(None,) * 17, *none))
    usage = data["usage"]
    if usage is not None:
        counts = (usage["lines"], *(usage[name] for name in USAGE_COUNTS[1:]))
        for label in usage["delta"]:
            rows.append(("usage", None, None, None, None, label, usage["before"].get(label),
                         usage["after"].get(label), usage["delta"][label], *(None,) * 11,
                         *counts))
        rows.append(("usage", None, None, None, None, f"USD ({usage['usd_lines']} lines)",
                     usage["usd_before"], usage["usd_after"], usage["usd_delta"],
                     *(None,) * 11, *counts))
    return rows


def _terms(terms: dict[str, str]) -> str:
    return "; ".join(f"{name}: {text}" for name, text in terms.items())


def _print_table(data: dict[str, Any]) -> None:
    from ratecard.terminal import text_table

    print(f"diff: prices on {data['before_at']} -> {data['after_at']} (a typical clip: "
          f"{data['clip_seconds']} s)")
    changed = data["changed"]
    print(f"\noffering x quality x sound changed: {len(changed)} ({data['unchanged']} "
          "unchanged)")
    if changed:
        def cell(value: Any) -> str:
            return "" if value is None else str(value)

        print(text_table([[c["provider"], c["model"], c["quality"], c["sound"], c["kind"],
                         ", ".join(c["what"]), cell(c["currency"]), cell(c["before"]),
                         cell(c["after"]), cell(c["delta"]), cell(c["usd_before"]),
                         cell(c["usd_after"]),
                         cell(c["clip_usd_before"]), cell(c["clip_usd_after"]),
                         cell(c["clip_usd_delta"])] for c in changed],
                       headers=("provider", "model", "quality", "sound", "change", "what",
                                "currency",
                                "before /s", "after /s", "delta /s", "USD/s before",
                                "USD/s after", "clip USD before", "clip USD after",
                                "clip delta"),
                       tablefmt="simple", disable_numparse=True))
        terms = [(c, name) for c in changed for name in c["what"]
                 if name not in ("price", "usd")]
        if terms:
            print("\nterms changed (before -> after):")
        for c, name in terms:
            print(f"  {c['provider']} {c['model']} {c['quality']} sound {c['sound']}: {name} "
                  f"{c['terms_before'][name]} -> {c['terms_after'][name]}")
    for kind, title in (("conflicts_appeared", "conflicts that appeared"),
                        ("conflicts_resolved", "conflicts resolved")):
        print(f"\n{title}: {len(data[kind])}")
        for c in data[kind]:
            print(f"  {c['provider']}: {c['subject']} ({' '.join(c['resolution'].split())})")
    usage = data["usage"]
    if usage is not None:
        print(f"\nusage: {usage['lines']} lines, {usage['priced_both']} priced on both sides "
              f"({usage['priced_before_only']} before only, {usage['priced_after_only']} after "
              f"only, {usage['priced_neither']} neither)")
        rows = [[label, usage["before"].get(label, ""), usage["after"].get(label, ""), delta]
                for label, delta in usage["delta"].items()]
        rows.append([f"USD ({usage['usd_lines']} lines)", usage["usd_before"],
                     usage["usd_after"], usage["usd_delta"]])
        print(text_table(rows, headers=("currency", "before", "after", "delta"),
                       tablefmt="simple", disable_numparse=True))

