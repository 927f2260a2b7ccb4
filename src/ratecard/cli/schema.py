"""``ratecard schema``: print the JSON Schema of a rate card."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ratecard.cli.options import Parents

EXAMPLES = ("ratecard schema > pricing_tables/.schema.json",)


def add_parser(commands: Any, shared: Parents, examples: str) -> None:
    """The ``schema`` subcommand."""
    commands.add_parser(
        "schema", help="print the JSON Schema of a rate card",
        description="Print the JSON Schema generated from the rate card models "
        "(committed as pricing_tables/.schema.json).",
        epilog=examples)


def run(args: argparse.Namespace) -> int:
    """Print the schema."""
    from ratecard.cards.schema import json_schema

    sys.stdout.write(json_schema())
    return 0
