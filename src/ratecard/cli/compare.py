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

from ratecard.cli.candidates import need_from, print_candidates, print_exclusions
from ratecard.cli.options import Parents, catalog_from
from ratecard.cli.output import print_json


def add_parser(commands: Any, shared: Parents, examples: str) -> None:
    """The ``compare`` subcommand."""
    compare = commands.add_parser(
        "compare", parents=[shared.need, shared.tables, shared.fmt, shared.credits, shared.sources],
        help="what the same clip costs everywhere, cheapest first",
        description="Price one need at every offering that can serve it, in USD and in "
        "each card's currency, cheapest first; offerings that cannot serve it are listed "
        "apart with the reason. Quality and sound left out mean any: each offering x "
        "quality x sound is then its own row.",
        epilog=examples, formatter_class=argparse.RawDescriptionHelpFormatter)
    compare.add_argument("--provider", action="extend", nargs="+", metavar="P",
                         help="only these providers")


def run(args: argparse.Namespace) -> int:
    """Print the comparison (table or JSON)."""
    catalog = catalog_from(args)
    need = need_from(args)
    comparison = catalog.compare(need, providers=args.provider, at=args.at)
    if args.format == "json":
        print_json(comparison.to_dict())
        return 0
    print(f"compare: {need.describe()}")
    print_candidates(comparison.candidates, need, "no offering can serve this need",
                     comparison.caveats, args.sources)
    print_exclusions(comparison.exclusions)
    return 0
