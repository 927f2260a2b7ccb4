"""``ratecard sources``: every inferred fact and every recorded conflict of the cards.

>>> import contextlib, io, json
>>> from ratecard.cli import main
>>> out = io.StringIO()
>>> with contextlib.redirect_stdout(out):
...     status = main(["sources", "--provider", "fal", "--format", "json"])
>>> data = json.loads(out.getvalue())
>>> status, {f["basis"] for f in data["facts"]}, [c["subject"] for c in data["conflicts"]]
(0, {'inferred'}, ['Kling 3.0 Pro image-to-video price per second'])
"""

from __future__ import annotations

import argparse
from typing import Any

from ratecard.cli.facts import how, print_conflicts
from ratecard.cli.options import Parents, catalog_from
from ratecard.cli.output import print_csv, print_json

EXAMPLES = (
    "ratecard sources",
    "ratecard sources --provider evolink --format json",
    "ratecard sources --all --format csv --out facts.csv",
)

CSV_HEADERS = ("kind", "provider", "offerings", "fact", "value", "basis", "document",
               "checked_on", "quote", "note", "id", "subject", "touches", "claims",
               "resolution")
"""``sources --format csv``: a row per fact (``kind`` fact), then a row per recorded
conflict (``kind`` conflict: its id, subject, what it touches, its claims and resolution)."""

BASES = ("inferred", "unsourced")
"""What is listed by default: every fact that no document states as the card uses it."""


def add_parser(commands: Any, shared: Parents, examples: str) -> None:
    """The ``sources`` subcommand."""
    sources = commands.add_parser(
        "sources", parents=[shared.tables, shared.listing, shared.out],
        help="list every inferred fact and every recorded conflict",
        description="Every fact of the rate cards that a document does not state as the card "
        "uses it (inferred, or given no source), with the offerings it applies to, its "
        "document, check date, quote and the card's note on how it was derived; then every "
        "recorded conflict between sources, what it touches and how the card resolves it. "
        "--all lists the documented facts too.",
        epilog=examples)
    sources.add_argument("--provider", action="extend", nargs="+", metavar="P",
                         help="only these providers")
    sources.add_argument("--all", action="store_true",
                         help="list every fact, documented ones included")


def run(args: argparse.Namespace) -> int:
    """Print the facts and conflicts (table or JSON)."""
    catalog = catalog_from(args)
    providers = args.provider or list(catalog.providers)
    bases = None if args.all else BASES
    facts = [item for provider in providers for item in catalog.facts(provider, bases)]
    conflicts = [c for provider in providers for c in catalog.recorded_conflicts(provider)]
    if args.format == "csv":
        rows: list[tuple[object, ...]] = []
        for item in facts:
            data = item.to_dict()
            rows.append(("fact", item.provider, " ".join(item.offerings), data["fact"],
                          data["value"], data["basis"], data["document"],
                          data["checked_on"], data["quote"], data["note"],
                          None, None, None, None, None))
        for conflict in conflicts:
            rows.append(("conflict", conflict.provider, " ".join(conflict.offerings), None,
                          None, None, None, None, None, None, conflict.id, conflict.subject,
                          " ".join(conflict.touches),
                          "; ".join(f"{c.value} ({c.origin.document})" for c in conflict.claims),
                          " ".join(conflict.resolution.split())))
        print_csv(CSV_HEADERS, rows)
        return 0
    if args.format == "json":
        print_json({"providers": providers, "bases": list(bases) if bases else "all",
                    "facts": [item.to_dict() for item in facts],
                    "conflicts": [conflict.to_dict() for conflict in conflicts]})
        return 0
    from ratecard.terminal import text_table

    counts = {p: len(catalog.plans(p)) for p in providers}
    table = []
    for item in facts:
        fact = item.fact
        origin = fact.origin
        offerings = ("every offering" if len(item.offerings) == counts[item.provider]
                     and counts[item.provider] > 1 else "\n".join(item.offerings))
        table.append([item.provider, offerings, fact.label, fact.value,
                      fact.basis + (" (assumption)" if fact.to_dict()["assumption"] else ""),
                      "" if origin is None else origin.document,
                      "" if origin is None or origin.checked_on is None
                      else origin.checked_on.isoformat(), how(fact)])
    what = "facts" if args.all else "inferred facts (and facts without a source)"
    print(f"{what} ({len(table)}):")
    print(text_table(table, headers=("provider", "offerings", "fact", "value", "basis",
                                   "document", "checked", "quote; note"),
                   tablefmt="grid", disable_numparse=True,
                   maxcolwidths=[None, 30, 14, 24, None, 18, None, 56]))
    print_conflicts(conflicts)
    return 0
