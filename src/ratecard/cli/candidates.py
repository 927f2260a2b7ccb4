"""What ``compare`` and ``route`` share: the need their options describe, and the tables
of candidates and exclusions."""

from __future__ import annotations

import argparse
import textwrap

from ratecard.cli.facts import print_sources
from ratecard.money import plain
from ratecard.pricing.provenance import marker_text
from ratecard.routing.candidates import Candidate, Exclusion
from ratecard.routing.need import Need
from ratecard.vocabulary import on_off


def need_from(args: argparse.Namespace) -> Need:
    """The need the options describe."""
    return Need(family=args.family, mode=args.mode, quality=args.quality, sound=args.sound,
                duration=args.duration, input_seconds=args.input_seconds,
                features=args.feature)


def print_candidates(rows: tuple[Candidate, ...], need: Need, empty: str,
                     caveats: tuple[str, ...] = (), sources: bool = False) -> None:
    """The ranked candidates as a table (``empty`` when there are none), each with the
    compact marker of what its price rests on, then the ``caveats`` (an inferred or
    disputed cheapest, a tie) and, with ``sources``, every fact behind each row."""
    from ratecard.terminal import text_table

    print()
    if not rows:
        print(empty)
        return
    wide = need.family is None or need.mode is None
    table = []
    for rank, c in enumerate(rows, 1):
        q = c.quote
        billed = "fixed" if q.billed_seconds is None else f"{plain(q.billed_seconds)} s"
        notes = (["reference"] if c.reference else []) + list(q.warnings)
        row = [str(rank), c.provider, c.model]
        if wide:
            row += [c.family, c.mode]
        row += [c.quality, on_off(c.sound), billed, f"{plain(c.credits)} {c.currency}",
                plain(c.usd), marker_text(q.markers), "; ".join(notes)]
        table.append(row)
    headers = ["#", "provider", "model"] + (["family", "mode"] if wide else []) + [
        "quality", "sound", "billed", "amount", "USD", "basis", "note"]
    print(text_table(table, headers=headers, tablefmt="simple", disable_numparse=True,
                   maxcolwidths=[None] * (len(headers) - 2) + [36, 50]))
    for caveat in caveats:
        print(textwrap.fill(f"note: {caveat}", 100, subsequent_indent="  "))
    if sources:
        print_sources([(str(rank), c.quote.facts) for rank, c in enumerate(rows, 1)])
        offering_notes = {(c.provider, c.model): c.quote.notes for c in rows if c.quote.notes}
        if offering_notes:
            print(f"\nnotes ({len(offering_notes)}):")
            for (provider, model), note in sorted(offering_notes.items()):
                print(textwrap.fill(f"{provider}/{model}: {note}", 100, initial_indent="  ",
                                    subsequent_indent="    "))


CSV_HEADERS = ("rank", "provider", "model", "family", "mode", "quality", "sound",
               "billed_seconds", "amount", "currency", "usd", "reference", "basis", "code",
               "message")
"""``compare``/``route --format csv``: one row per candidate (ranked, ``code`` empty,
``message`` its warnings), then one per exclusion (``rank`` empty, ``code`` the reason);
the column names are the JSON keys."""


def print_candidates_csv(rows: tuple[Candidate, ...], exclusions: tuple[Exclusion, ...],
                         bodies: tuple[str, ...] | None = None) -> None:
    """Candidates and exclusions as one CSV table (:data:`CSV_HEADERS`); with ``bodies``
    (``route --payload``: each candidate's body as JSON text) a last column ``body``."""
    from ratecard.cli.output import print_csv

    table: list[tuple[object, ...]] = []
    for rank, c in enumerate(rows, 1):
        q = c.quote
        table.append((rank, c.provider, c.model, c.family, c.mode, c.quality, on_off(c.sound),
                      None if q.billed_seconds is None else plain(q.billed_seconds),
                      plain(c.credits), c.currency, plain(c.usd), c.reference, q.basis, "",
                      "; ".join(q.warnings)))
    for e in exclusions:
        eq = e.quote
        table.append((None, e.provider, e.model, None, None, e.quality,
                      None if e.sound is None else on_off(e.sound),
                      None if eq is None or eq.billed_seconds is None
                      else plain(eq.billed_seconds),
                      None if eq is None else plain(eq.amount), None if eq is None else eq.currency,
                      None if eq is None or eq.usd is None else plain(eq.usd), None,
                      None if eq is None else eq.basis, e.code, " ".join(e.message.split())))
    if bodies is None:
        print_csv(CSV_HEADERS, table)
        return
    padded = (*bodies, *((None,) * len(exclusions)))
    print_csv((*CSV_HEADERS, "body"),
              [(*row, body) for row, body in zip(table, padded, strict=True)])


def print_exclusions(rows: tuple[Exclusion, ...]) -> None:
    """The offerings left out, with the reason (nothing when there are none)."""
    from ratecard.terminal import text_table

    if not rows:
        return
    print(f"\nnot served ({len(rows)}):")
    table = []
    for e in rows:
        q = e.quote
        amount = "" if q is None else f"{plain(q.amount)} {q.currency}"
        table.append([e.provider, e.model or "(all)", e.quality or "", "" if e.sound is None
                      else on_off(e.sound), e.code, amount, " ".join(e.message.split())])
    print(text_table(table, headers=("provider", "model", "quality", "sound", "reason", "amount",
                                   "detail"),
                   tablefmt="simple", disable_numparse=True,
                   maxcolwidths=[None, None, None, None, None, None, 70]))
