"""What every subcommand prints the same way: JSON, errors, quotes.

>>> fail_text("bad  input\\n here")
'ratecard: error: bad input here'
"""

from __future__ import annotations

import json
import sys

from ratecard.cli.facts import print_sources
from ratecard.money import plain
from ratecard.pricing.provenance import marker_text
from ratecard.pricing.quote import Quote
from ratecard.vocabulary import on_off


def print_json(data: object) -> None:
    """``data`` as indented JSON on stdout."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def fail_text(message: str) -> str:
    """The one line an error prints: ``ratecard: error: ...`` with blanks folded."""
    return f"ratecard: error: {' '.join(message.split())}"


def fail(message: str) -> int:
    """Print ``message`` as an error on stderr; returns exit status 2 (bad input)."""
    print(fail_text(message), file=sys.stderr)
    return 2


def print_quote(q: Quote, fmt: str, sources: bool = False) -> int:
    """A quote as a summary and its steps (table), or as JSON; returns 0. With
    ``sources``, the table also lists every fact the quote used and where it comes from
    (the JSON always does)."""
    if fmt == "json":
        print_json(q.to_dict())
        return 0
    from tabulate import tabulate

    usd = "unknown" if q.usd is None else f"{plain(q.usd)} USD"
    billed = "fixed price" if q.billed_seconds is None else f"{plain(q.billed_seconds)} s"
    summary = [
        ("offering", f"{q.provider} / {q.model} ({q.family}, {q.mode})"),
        ("quality, sound", f"{q.quality}, sound {on_off(q.sound)}"),
        ("billed", billed),
        (q.currency, f"{plain(q.credits)} (exact {plain(q.amount_exact)})"),
        ("USD", usd),
        ("price version", f"{q.price_version} ({q.source})"),
        ("basis", marker_text(q.markers)),
    ]
    if q.notes:
        summary.append(("notes", q.notes))
    print(tabulate(summary, tablefmt="plain", maxcolwidths=[None, 90]))
    print()
    print(tabulate([(s.name, "" if s.value is None else plain(s.value), s.detail)
                    for s in q.steps], headers=("step", "value", "how"), tablefmt="simple",
                   disable_numparse=True))
    for warning in q.warnings:
        print(f"warning: {warning}")
    if sources:
        print_sources([("quote", q.facts)])
    elif q.markers:
        print("(ratecard quote ... --sources shows where each fact comes from)")
    return 0
