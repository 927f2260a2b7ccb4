"""``ratecard offerings``: every offering x quality x sound with its price."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ratecard.cli.facts import print_sources
from ratecard.cli.options import Parents, catalog_from
from ratecard.cli.output import print_csv, print_json
from ratecard.money import plain
from ratecard.pricing.provenance import marker_text
from ratecard.pricing.quote import provenance_dict
from ratecard.terminal import printable

EXAMPLES = (
    "ratecard offerings --provider evolink",
    "ratecard offerings --at 2026-02-05 --format json",
    "ratecard offerings --format csv --out offerings.csv",
)

CSV_HEADERS = ("provider", "model", "family", "mode", "quality", "sound", "kind", "price",
               "currency", "usd", "accepts", "billing", "price_version", "source", "basis",
               "notes")
"""``offerings --format csv``: the JSON keys that are one value each."""


def add_parser(commands: Any, shared: Parents, examples: str) -> None:
    """The ``offerings`` subcommand."""
    offerings = commands.add_parser(
        "offerings", parents=[shared.tables, shared.listing, shared.out, shared.credits,
                              shared.sources],
        help="list every offering with its price",
        description="Every offering x quality x sound with its per-second (or fixed) price "
        "in the card's currency and in USD.",
        epilog=examples)
    offerings.add_argument("--provider", help="only this provider")
    offerings.add_argument("--at", metavar="DATE",
                           help="prices in force on this day (YYYY-MM-DD; a time with a UTC "
                           "offset counts on its UTC day; default today)")


def run(args: argparse.Namespace) -> int:
    """Print the offerings table (or JSON)."""
    catalog = catalog_from(args)
    rows = catalog.offerings(args.provider, at=args.at)
    _note_unpriced(catalog.index.unpriced_cells(args.provider, at=args.at), args)
    if args.format == "csv":
        print_csv(CSV_HEADERS, [
            (r.provider, r.model, r.family, r.mode, r.quality, r.sound, r.kind, plain(r.price),
             r.currency, None if r.usd is None else plain(r.usd), r.accepts, r.billing,
             r.price_version, r.source, provenance_dict(r.facts, r.notes)["basis"], r.notes)
            for r in rows])
        return 0
    if args.format == "json":
        print_json([
            {"provider": r.provider, "model": r.model, "family": r.family, "mode": r.mode,
             "quality": r.quality, "sound": r.sound, "kind": r.kind, "price": plain(r.price),
             "currency": r.currency, "usd": None if r.usd is None else plain(r.usd),
             "accepts": r.accepts, "billing": r.billing, "price_version": r.price_version,
             "source": r.source, **provenance_dict(r.facts, r.notes)}
            for r in rows])
        return 0
    from ratecard.terminal import text_table

    table = [
        (r.provider, r.model, r.mode, r.quality, r.sound,
         f"{plain(r.price)}{'/s' if r.kind == 'per_second' else ' fixed'}", r.currency,
         "unknown" if r.usd is None else f"{plain(r.usd)}{'/s' if r.kind == 'per_second' else ''}",
         r.accepts, r.billing, marker_text(r.markers))
        for r in rows
    ]
    print(text_table(table, headers=("provider", "model", "mode", "quality", "sound", "price",
                                   "currency", "USD", "accepts", "billing", "basis"),
                   tablefmt="simple", disable_numparse=True,
                   maxcolwidths=[None] * 10 + [40]))
    if args.sources:
        print_sources([(f"{r.provider}/{r.model} {r.quality} {r.sound}", r.facts)
                       for r in rows])
        notes = sorted({(r.provider, r.model, r.notes) for r in rows if r.notes})
        if notes:
            print(f"\nnotes ({len(notes)}):")
            for provider, model, note in notes:
                print(f"  {provider}/{model}: {note}")
    else:
        print("\n(basis: what each price rests on; --sources shows every fact's source)")
    return 0


def _note_unpriced(cells: list[tuple[str, str, str, str, str]],
                   args: argparse.Namespace) -> None:
    """Say on stderr which offering cells have no price that day (never left out silently;
    stdout keeps the format asked for)."""
    if not cells:
        return
    day = printable(args.at) if args.at else "today"
    shown = "; ".join(f"{provider}/{model} {quality} sound {sound} (price versions "
                      f"{versions})" for provider, model, quality, sound, versions in cells[:20])
    more = f"; and {len(cells) - 20} more" if len(cells) > 20 else ""
    print(f"ratecard: note: {len(cells)} offering cell{'s' if len(cells) != 1 else ''} "
          f"{'have' if len(cells) != 1 else 'has'} no price in force on {day} and "
          f"{'are' if len(cells) != 1 else 'is'} not listed: {printable(shown)}{more}",
          file=sys.stderr)
