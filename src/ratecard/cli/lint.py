"""``ratecard lint``: validate rate cards and list the conflicts they record."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ratecard.api import Catalog
from ratecard.cards.paths import builtin_paths, expand_paths
from ratecard.cli.options import STDIN, Parents, stdin_cards
from ratecard.cli.output import print_csv, print_json
from ratecard.errors import CardError, CardProblem, RatecardError
from ratecard.pricing.index import unquotable

if TYPE_CHECKING:  # the authoring layer (pydantic, YAML): imported when lint runs
    from ratecard.cards.loader import LoadedCard

EXAMPLES = (
    "ratecard lint",
    "ratecard lint pricing_tables/ my-cards/acme.yaml",
    "ratecard lint - --format json < my-cards/acme.yaml",
    "ratecard lint --format csv --out conflicts.csv",
)

CSV_HEADERS = ("kind", "file", "provider", "id", "subject", "offerings", "touches", "claims",
               "resolution", "message")
"""``lint --format csv``: a row per problem (``kind`` problem, its ``message``), then a row
per recorded conflict (``kind`` conflict)."""


def add_parser(commands: Any, shared: Parents, examples: str) -> None:
    """The ``lint`` subcommand."""
    lint = commands.add_parser(
        "lint", parents=[shared.listing, shared.out],
        help="validate rate cards and list recorded conflicts",
        description="Validate rate card files (default: the built-in cards) and list the "
        "conflicts between sources they record. Exit 0 when every card is valid, 1 when a "
        "card is invalid, 2 when a PATH does not exist or cannot be read.",
        epilog=examples)
    lint.add_argument("paths", nargs="*", metavar="PATH",
                      help="card files or directories (default: the built-in cards); - reads "
                      "a card from standard input")


def run(args: argparse.Namespace) -> int:
    """Exit 0 when every card is valid, 1 with the problems, 2 for a missing PATH."""
    missing = [path for path in args.paths if path != STDIN and not Path(path).exists()]
    if missing:
        raise RatecardError(f"no such card file or directory: {', '.join(missing)}")
    with stdin_cards(args.paths) as named:
        stdin_file = next((n for p, n in zip(args.paths, named, strict=True) if p == STDIN),
                          None)
        return _lint(args, expand_paths(named) if args.paths else builtin_paths(), stdin_file)


def _lint(args: argparse.Namespace, paths: list[Path], stdin_file: str | None) -> int:
    def shown(path: object) -> str:
        return "<stdin>" if stdin_file is not None and str(path) == stdin_file else str(path)

    from ratecard.cards.loader import duplicate_providers, read_card
    from ratecard.cards.schema import conflict_slug

    def shown_problem(problem: CardProblem) -> str:
        return str(problem).replace(stdin_file or "\0", "<stdin>")

    problems: list[str] = []
    conflicts: list[dict[str, Any]] = []
    cards: list[LoadedCard] = []
    for path in paths:
        try:
            loaded = read_card(path)
        except CardError as exc:
            problems.extend(shown_problem(problem) for problem in exc.problems)
            continue
        cards.append(loaded)
        provider = loaded.card.provider
        for conflict in loaded.card.conflicts:
            conflicts.append({
                "file": shown(path), "provider": provider,
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
    # one file per provider, as the loader requires
    problems.extend(shown_problem(problem) for problem in duplicate_providers(cards))
    if not problems:
        try:
            problems.extend(unquotable(Catalog.from_cards(cards).index))
        except RatecardError as exc:  # pragma: no cover - compile checks are in the schema
            problems.append(str(exc))
    if args.format == "json":
        print_json({"files": [shown(p) for p in paths], "valid": not problems,
                    "problems": problems, "conflicts": conflicts})
        return 1 if problems else 0
    if args.format == "csv":
        print_csv(CSV_HEADERS, [
            *(("problem", None, None, None, None, None, None, None, None, problem)
              for problem in problems),
            *(("conflict", c["file"], c["provider"], c["id"], c["subject"],
               " ".join(c["offerings"]), " ".join(c["touches"]),
               "; ".join(f"{claim['value']} ({claim['source']})" for claim in c["claims"]),
               c["resolution"], None) for c in conflicts)])
        return 1 if problems else 0
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in "
              f"{len(paths)} file{'s' if len(paths) != 1 else ''}", file=sys.stderr)
        return 1
    print(f"{len(paths)} card{'s' if len(paths) != 1 else ''} valid: "
          + ", ".join(shown(p) for p in paths))
    if conflicts:
        from ratecard.terminal import text_table

        print(f"\n{len(conflicts)} recorded conflicts between sources:")
        print(text_table(
            [(c["provider"],
              f"{c['subject']}\n(touches {', '.join(c['offerings']) or 'every offering'}: "
              f"{', '.join(c['touches'])})",
              "\n".join(f"{claim['value']} ({claim['source']})" for claim in c["claims"]),
              c["resolution"]) for c in conflicts],
            headers=("provider", "subject", "claims", "resolution"), tablefmt="grid",
            maxcolwidths=[None, 30, 50, 60]))
    return 0
