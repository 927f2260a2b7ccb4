"""``ratecard check``: does a provider accept this native request body?"""

from __future__ import annotations

import argparse
from typing import Any

from ratecard.cli.body import read_payload
from ratecard.cli.options import (
    BadInputError,
    Parents,
    add_video_arguments,
    catalog_from,
    video_info,
)
from ratecard.cli.output import print_csv, print_json
from ratecard.payloads.violations import Violation

EXAMPLES = (
    "ratecard check --provider kling3api --payload kling3api-body.json",
    "ratecard check --provider evolink --payload - --format json < body.json",
    "ratecard check --provider evolink --payload edit.json --video-info format=mp4,fps=30",
)

def add_parser(commands: Any, shared: Parents, examples: str) -> None:
    """The ``check`` subcommand."""
    check = commands.add_parser(
        "check", parents=[shared.tables, shared.listing],
        help="say whether a provider accepts a request body",
        description="Check a native request body against the card's declared constraints. "
        "Exit 0 when the provider accepts it, 1 with the list of violations, 2 for bad "
        "input (a file that is not JSON). --format csv lists the violations (path, code, "
        "message).",
        epilog=examples)
    check.add_argument("--provider", required=True, help="provider id, e.g. kling3api")
    add_video_arguments(check)
    check.add_argument("--input-seconds", metavar="S", help="length of the input video")


def run(args: argparse.Namespace) -> int:
    """Exit 0 when the body is valid, 1 with the violations."""
    catalog = catalog_from(args)
    if args.payload is None:
        raise BadInputError("INVALID_INPUT", "check needs --payload FILE (or - for standard "
                            "input)", "payload")
    body = read_payload(args.payload)
    found = catalog.inspect_payload(args.provider, body,
                                    video=video_info(args.input_seconds, args.video_info))
    model = found.request.model if found.request is not None else None
    if args.format == "json":
        print_json({"provider": args.provider, "model": model, "valid": found.valid,
                    "violations": [v.to_dict() for v in found.violations],
                    "warnings": list(found.warnings)})
        return 0 if found.valid else 1
    if args.format == "csv":
        print_csv(("path", "code", "message"),
                  [(v.path, v.code, v.message) for v in found.violations])
        return 0 if found.valid else 1
    from ratecard.terminal import printable

    name = printable(f"{args.provider}/{model}" if model else args.provider)
    if found.valid:
        print(f"valid: {name} accepts this body")
    else:
        print(f"invalid: {len(found.violations)} violation"
              f"{'s' if len(found.violations) > 1 else ''} for {name}")
        print(_table(found.violations))
    for warning in found.warnings:
        print(f"warning: {printable(warning)}")
    return 0 if found.valid else 1


def _table(violations: tuple[Violation, ...]) -> str:
    from ratecard.terminal import text_table

    return text_table([(v.path, v.code, v.message) for v in violations],
                    headers=("path", "code", "message"), tablefmt="simple",
                    maxcolwidths=[None, None, 70], disable_numparse=True)
