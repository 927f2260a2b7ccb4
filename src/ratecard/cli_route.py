"""``ratecard compare`` and ``ratecard route``: tables (or JSON) over :mod:`ratecard.route`.

>>> import contextlib, io, json
>>> from ratecard.cli import main
>>> out = io.StringIO()
>>> with contextlib.redirect_stdout(out):
...     status = main(["route", "--family", "kling-3.0", "--mode", "image-to-video",
...                    "--quality", "1080p", "--sound", "on", "--duration", "10",
...                    "--format", "json"])
>>> status, json.loads(out.getvalue())["chain"][0]["provider"]
(0, 'evolink')
"""

from __future__ import annotations

import argparse
import json
import sys

from ratecard.catalog import Catalog
from ratecard.money import plain
from ratecard.need import Need
from ratecard.route import Candidate, Exclusion


def run(args: argparse.Namespace, catalog: Catalog) -> int:
    """Run ``compare`` or ``route`` with parsed ``args``; returns the exit status."""
    need = Need(family=args.family, mode=args.mode, quality=args.quality, sound=args.sound,
                duration=args.duration, input_seconds=args.input_seconds,
                features=args.feature)
    if args.command == "compare":
        comparison = catalog.compare(need, providers=args.provider, at=args.at)
        if args.format == "json":
            _print_json(comparison.to_dict())
            return 0
        print(f"compare: {need.describe()}")
        _candidates(comparison.candidates, need, "no offering can serve this need")
        _exclusions(comparison.exclusions)
        return 0
    result = catalog.route(need, down=args.down, max_usd=args.max_usd, allow=args.allow,
                           deny=args.deny, include_reference=args.include_reference,
                           at=args.at)
    if args.format == "json":
        _print_json(result.to_dict())
        return 0 if result.chain else 1
    limits = []
    if result.down:
        limits.append(f"down: {', '.join(sorted(result.down))}")
    if result.max_usd is not None:
        limits.append(f"max {plain(result.max_usd)} USD")
    if result.allow is not None:
        limits.append(f"allow: {', '.join(sorted(result.allow))}")
    if result.deny:
        limits.append(f"deny: {', '.join(sorted(result.deny))}")
    print(f"route: {need.describe()}" + (f" ({'; '.join(limits)})" if limits else ""))
    _candidates(result.chain, need, "no provider can serve this need now")
    _exclusions(result.exclusions)
    return 0 if result.chain else 1


def _candidates(rows: tuple[Candidate, ...], need: Need, empty: str) -> None:
    from tabulate import tabulate

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
        row += [c.quality, _on(c.sound), billed, f"{plain(c.credits)} {c.currency}",
                plain(c.usd), "; ".join(notes)]
        table.append(row)
    headers = ["#", "provider", "model"] + (["family", "mode"] if wide else []) + [
        "quality", "sound", "billed", "amount", "USD", "note"]
    print(tabulate(table, headers=headers, tablefmt="simple", disable_numparse=True,
                   maxcolwidths=[None] * (len(headers) - 1) + [50]))


def _exclusions(rows: tuple[Exclusion, ...]) -> None:
    from tabulate import tabulate

    if not rows:
        return
    print(f"\nnot served ({len(rows)}):")
    table = []
    for e in rows:
        q = e.quote
        amount = "" if q is None else f"{plain(q.amount)} {q.currency}"
        table.append([e.provider, e.model or "(all)", e.quality or "", "" if e.sound is None
                      else _on(e.sound), e.code, amount, " ".join(e.message.split())])
    print(tabulate(table, headers=("provider", "model", "quality", "sound", "reason", "amount",
                                   "detail"),
                   tablefmt="simple", disable_numparse=True,
                   maxcolwidths=[None, None, None, None, None, None, 70]))


def _on(sound: bool) -> str:
    return "on" if sound else "off"


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
