"""``ratecard lint``: validate rate cards and list the conflicts they record."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ratecard.api import Catalog
from ratecard.cards.loader import LoadedCard, read_card
from ratecard.cards.paths import builtin_paths, expand_paths
from ratecard.cards.schema import conflict_slug
from ratecard.cli.options import Parents
from ratecard.cli.output import print_json
from ratecard.errors import CardError, RatecardError
from ratecard.pricing.index import unquotable


def add_parser(commands: Any, shared: Parents, examples: str) -> None:
    """The ``lint`` subcommand."""
    lint = commands.add_parser(
        "lint", parents=[shared.fmt], help="validate rate cards and list recorded conflicts",
        description="Validate rate card files (default: the built-in cards) and list the "
        "conflicts between sources they record. Exit 1 when a card is invalid.")
    lint.add_argument("paths", nargs="*", metavar="PATH",
                      help="card files or directories (default: the built-in cards)")


def run(args: argparse.Namespace) -> int:
    """Exit 0 when every card is valid, 1 with the problems."""
    paths = expand_paths(args.paths) if args.paths else builtin_paths()
    problems: list[str] = []
    conflicts: list[dict[str, Any]] = []
    cards: list[LoadedCard] = []
    for path in paths:
        try:
            loaded = read_card(path)
        except CardError as exc:
            problems.extend(str(problem) for problem in exc.problems)
            continue
        cards.append(loaded)
        provider = loaded.card.provider
        for conflict in loaded.card.conflicts:
            conflicts.append({
                "file": str(path), "provider": provider,
                "id": f"{provider}:{conflict_slug(conflict.subject)}",
                "subject": conflict.subject, "offering": conflict.offering,
                "offerings": conflict.concerned, "touches": list(conflict.touches) or ["price"],
                "claims": [{"value": c.value, "source": c.source.document,
                            "basis": c.source.basis,
                            "checked_on": c.source.checked_on.isoformat(),
                            "quote": c.source.quote,
                            "limits": None if c.limits is None
                            else c.limits.model_dump(mode="json", exclude_none=True)}
                           for c in conflict.claims],
                "resolution": " ".join(conflict.resolution.split())})
    if not problems:
        try:
            problems.extend(unquotable(Catalog.from_cards(cards).index))
        except RatecardError as exc:  # pragma: no cover - compile checks are in the schema
            problems.append(str(exc))
    if args.format == "json":
        print_json({"files": [str(p) for p in paths], "valid": not problems,
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
            [(c["provider"],
              f"{c['subject']}\n(touches {', '.join(c['offerings']) or 'every offering'}: "
              f"{', '.join(c['touches'])})",
              "\n".join(f"{claim['value']} ({claim['source']})" for claim in c["claims"]),
              c["resolution"]) for c in conflicts],
            headers=("provider", "subject", "claims", "resolution"), tablefmt="grid",
            maxcolwidths=[None, 30, 50, 60]))
    return 0
