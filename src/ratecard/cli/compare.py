"""``ratecard compare``: what the same clip costs everywhere, cheapest first.

>>> import contextlib, io, json
>>> from ratecard.cli import main
>>> out = io.StringIO()
>>> with contextlib.redirect_stdout(out):
...     status = main(["compare", "--family", "kling-3.0", "--mode", "image-to-video",
...                    "--quality", "1080p", "--sound", "on", "--duration", "10",
...                    "--format", "json"])
>>> status, json.loads(out.getvalue())["candidates"][0]["provider"]
(0, 'evolink')
"""

from __future__ import annotations

import argparse
from typing import Any

from ratecard.cli.candidates import (
    need_from,
    print_candidates,
    print_candidates_csv,
    print_exclusions,
)
from ratecard.cli.options import Parents, catalog_from
from ratecard.cli.output import print_json

EXAMPLES = (
    "ratecard compare --family kling-3.0 --mode image-to-video --quality 1080p --sound on \\",
    "    --duration 10",
    "ratecard compare --provider evolink --duration 10",
    "ratecard compare --family kling-o3 --mode video-edit --input-seconds 7.4 --format csv",
    "ratecard compare --duration 10 --format json --out compare.json",
)


def add_parser(commands: Any, shared: Parents, examples: str) -> None:
    """The ``compare`` subcommand."""
    compare = commands.add_parser(
        "compare", parents=[shared.need, shared.tables, shared.listing, shared.out, shared.credits,
                            shared.sources],
        help="what the same clip costs everywhere, cheapest first",
        description="Price one need at every offering that can serve it, in USD and in "
        "each card's currency, cheapest first; offerings that cannot serve it are listed "
        "apart with the reason. Quality and sound left out mean any: each offering x "
        "quality x sound is then its own row. Exit 0 when an offering can serve the need "
        "(one whose USD value is unknown counts), 1 when none can.",
        epilog=examples, formatter_class=argparse.RawDescriptionHelpFormatter)
    compare.add_argument("--provider", action="extend", nargs="+", metavar="P",
                         help="only these providers")


def run(args: argparse.Namespace) -> int:
    """Print the comparison (table, JSON or CSV); exit 1 when no offering can serve."""
    catalog = catalog_from(args)
    need = need_from(args)
    comparison = catalog.compare(need, providers=args.provider, at=args.at)
    served = bool(comparison.candidates) or any(
        e.code == "USD_UNKNOWN" for e in comparison.exclusions)
    if args.format == "json":
        print_json(comparison.to_dict())
    elif args.format == "csv":
        print_candidates_csv(comparison.candidates, comparison.exclusions)
    else:
        print(f"compare: {need.describe()}")
        print_candidates(comparison.candidates, need, "no offering can serve this need",
                         comparison.caveats, args.sources)
        print_exclusions(comparison.exclusions)
    return 0 if served else 1
