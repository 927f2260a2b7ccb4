"""``ratecard route``: the fallback chain for one need, cheapest available first.

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
from typing import Any

from ratecard.cli import gateway
from ratecard.cli.candidates import (
    need_from,
    print_candidates,
    print_candidates_csv,
    print_exclusions,
)
from ratecard.cli.options import Parents, catalog_from, check_allow_deny
from ratecard.cli.output import print_json
from ratecard.money import plain

EXAMPLES = (
    "ratecard route --family kling-3.0 --mode image-to-video --quality 1080p --sound on \\",
    "    --duration 10 --down evolink --max-usd 2",
    "ratecard route --family kling-o3 --mode video-edit --input-seconds 7.4 \\",
    "    --credits-per-usd kling3api=500 --format json",
    "ratecard route --family kling-3.0 --mode text-to-video --duration 5 --format csv",
)


def add_parser(commands: Any, shared: Parents, examples: str) -> None:
    """The ``route`` subcommand."""
    route = commands.add_parser(
        "route", parents=[shared.need, shared.tables, shared.listing, shared.out, shared.credits,
                          shared.sources],
        help="the fallback chain: cheapest available provider first",
        description="The ordered fallback chain for one need: cheapest available first "
        "(ties: USD, then non-reference cards, provider id, model id, quality, sound). "
        "Down, denied, unlisted, over-budget, reference and unpriceable offerings are "
        "excluded with the reason. Exit 1 when nothing can serve the need.",
        epilog=examples, formatter_class=argparse.RawDescriptionHelpFormatter)
    route.add_argument("--down", action="extend", nargs="+", default=[], metavar="P",
                       help="providers that are down now")
    route.add_argument("--max-usd", metavar="X", help="budget: exclude candidates above X USD")
    route.add_argument("--allow", action="extend", nargs="+", metavar="P",
                       help="route only to these providers")
    route.add_argument("--deny", action="extend", nargs="+", default=[], metavar="P",
                       help="never route to these providers")
    route.add_argument("--include-reference", action="store_true",
                       help="also route to reference cards (the official Kling price)")
    gateway.add_arguments(route)  # --payload/--provider, and health: see cli/gateway.py


def run(args: argparse.Namespace) -> int:
    """Print the route (table or JSON); exit 1 when nothing can serve the need."""
    check_allow_deny(args)
    catalog = catalog_from(args)
    health = gateway.health_from(args, catalog)
    if args.payload is not None:
        return gateway.run(args, catalog, health)
    gateway.check_need_form(args)
    need = need_from(args)
    result = catalog.route(need, down=args.down, health=health, max_usd=args.max_usd,
                           allow=args.allow, deny=args.deny,
                           include_reference=args.include_reference, at=args.at)
    if args.format == "json":
        data = result.to_dict()
        if health is not None:
            data["circuits"] = gateway.circuits_json(health)
        print_json(data)
        return 0 if result.chain else 1
    if args.format == "csv":
        print_candidates_csv(result.chain, result.exclusions)
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
    if health is not None:
        gateway.print_circuits(health)
    print_candidates(result.chain, need, "no provider can serve this need now",
                     result.caveats, args.sources)
    print_exclusions(result.exclusions)
    return 0 if result.chain else 1
