"""The dispatch table: every subcommand's module, the parser built from them, and ``main``.

>>> sorted(COMMANDS)  # doctest: +NORMALIZE_WHITESPACE
['check', 'compare', 'lint', 'offerings', 'quote', 'rates', 'reconcile', 'route',
 'schema', 'sources']
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from types import ModuleType

from ratecard.cli import (
    check,
    compare,
    lint,
    offerings,
    quote,
    rates,
    reconcile,
    route,
    schema,
    sources,
)
from ratecard.cli.options import parents
from ratecard.cli.output import PipeSafeStream, fail
from ratecard.errors import CardError, RatecardError

COMMANDS: Mapping[str, ModuleType] = {
    "quote": quote,
    "offerings": offerings,
    "compare": compare,
    "route": route,
    "sources": sources,
    "check": check,
    "lint": lint,
    "rates": rates,
    "reconcile": reconcile,
    "schema": schema,
}
"""Subcommands in the order ``--help`` lists them; each module has ``add_parser`` and
``run``. Adding a subcommand is adding a module and a line here."""

EXAMPLES = """\
examples:
  ratecard quote --provider evolink --model kling-v3-image-to-video --duration 10 \\
      --quality 1080p --sound on
  ratecard quote --provider evolink --model kling-o3-video-edit --input-seconds 7.4
  ratecard quote --provider kling3api --model pro-text-to-video --format json
  ratecard quote --provider evolink --payload body.json
  ratecard quote --provider evolink --payload - --input-seconds 7.4 < edit.json
  ratecard check --provider kling3api --payload body.json --format json
  ratecard offerings --provider evolink
  ratecard compare --family kling-3.0 --mode image-to-video --quality 1080p --sound on \
      --duration 10
  ratecard compare --provider evolink --duration 10
  ratecard route --family kling-3.0 --mode image-to-video --quality 1080p --sound on \
      --duration 10 --down evolink --max-usd 2
  ratecard route --family kling-o3 --mode video-edit --input-seconds 7.4 \
      --credits-per-usd kling3api=500
  ratecard quote --provider evolink --model kling-o1-video-edit --input-seconds 7 --sources
  ratecard sources --provider evolink
  ratecard lint pricing_tables/ my-cards/acme.yaml
  ratecard reconcile march.csv tasks.jsonl --out results.csv
  ratecard rates --format parquet --out rates.parquet
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="ratecard",
        description="Exact, explained prices for AI video generation (Kling 3.0, O1, O3) "
        "from declarative YAML rate cards.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    shared = parents()
    for module in COMMANDS.values():
        module.add_parser(commands, shared, EXAMPLES)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (130 after Ctrl-C)."""
    _printable_output()
    stdout = sys.stdout
    sys.stdout = PipeSafeStream(stdout)
    try:
        return _run(argv)
    finally:
        sys.stdout = stdout


def _run(argv: Sequence[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
        status: int = COMMANDS[args.command].run(args)
    except CardError as exc:
        more = len(exc.problems) - 1
        extra = f" (and {more} more problem{'s' if more > 1 else ''}: run `ratecard lint`)" \
            if more > 0 else ""
        return fail(f"invalid rate card: {exc.problems[0]}{extra}")
    except RatecardError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        print("ratecard: interrupted; nothing was written to --out", file=sys.stderr)
        return 130
    return status


def _printable_output() -> None:
    """Text that cannot be encoded for the terminal (a lone surrogate read from a body's
    ``\\ud800``) is printed escaped, never a traceback."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _version() -> str:
    from importlib.metadata import version

    return f"ratecard {version('ratecard')}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
