"""The command line's native-body commands: ``quote --payload`` and ``check``.

Kept apart from :mod:`ratecard.cli` so that module stays a thin list of subcommands.

>>> video_info("3.5", "format=mp4,width=1920,height=1080,fps=30,size_mb=12.5").width
1920
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ratecard.catalog import Catalog
from ratecard.errors import QuoteError
from ratecard.request import VideoInfo
from ratecard.violations import PayloadError, Violation

VIDEO_KEYS = ("seconds", "format", "size_mb", "width", "height", "fps")


class BadInputError(QuoteError):
    """A command-line input that cannot be used (exit status 2)."""


def add_video_arguments(parser: argparse.ArgumentParser) -> None:
    """``--payload``, ``--video-info`` (``--input-seconds`` is the quote command's own)."""
    parser.add_argument(
        "--payload", metavar="FILE",
        help="a native request body (JSON) exactly as it would be sent; - reads standard "
        "input")
    parser.add_argument(
        "--video-info", metavar="K=V,...",
        help="what you know of the body's input video, checked against the card: "
        "format=mp4,size_mb=120,width=1920,height=1080,fps=30,seconds=7.4")


def add_check_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    """The ``check`` subcommand."""
    check = commands.add_parser(
        "check", parents=parents, help="say whether a provider accepts a request body",
        description="Check a native request body against the card's declared constraints. "
        "Exit 0 when the provider accepts it, 1 with the list of violations, 2 for bad "
        "input (a file that is not JSON).")
    check.add_argument("--provider", required=True, help="provider id, e.g. kling3api")
    add_video_arguments(check)
    check.add_argument("--input-seconds", metavar="S", help="length of the input video")


def video_info(seconds: str | None, info: str | None) -> VideoInfo | None:
    """The ``VideoInfo`` the options describe, if any."""
    values: dict[str, Any] = {}
    for item in (info or "").split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or key not in VIDEO_KEYS:
            raise BadInputError("INVALID_INPUT", f"--video-info takes KEY=VALUE pairs with keys "
                           f"{', '.join(VIDEO_KEYS)}; got {item!r}", "video-info")
        values[key] = value.strip()
    if seconds is not None:
        values["seconds"] = seconds
    if not values:
        return None
    for key in ("width", "height"):
        if key in values:
            if not values[key].isdigit():
                raise BadInputError("INVALID_INPUT", f"--video-info {key} must be whole pixels, "
                               f"got {values[key]!r}", "video-info")
            values[key] = int(values[key])
    return VideoInfo(**values)


def read_body(name: str) -> str:
    """The text of ``--payload`` (``-``: standard input)."""
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError("INVALID_INPUT", f"cannot read --payload {name}: {exc}",
                       "payload") from None


def _parsed(text: str, name: str) -> Any:
    from ratecard.adapters.reader import load_json

    body, problem = load_json(text)
    if problem is not None:
        raise BadInputError(problem.code, f"{'standard input' if name == '-' else name}: "
                       f"{problem.message}", "payload")
    return body


def quote(args: argparse.Namespace, catalog: Catalog) -> int:
    """``ratecard quote --payload``: print the quote, or every violation (exit 2)."""
    from ratecard.cli import _print_quote

    for option in ("model", "duration", "quality", "sound"):
        if getattr(args, option) is not None:
            raise BadInputError("INVALID_INPUT", f"--{option} cannot be used with --payload: the "
                           "body says what is requested", option)
    body = _parsed(read_body(args.payload), args.payload)
    video = video_info(args.input_seconds, args.video_info)
    try:
        q = catalog.quote_payload(args.provider, body, video=video, at=args.at)
    except PayloadError as exc:
        print(f"ratecard: error: {args.provider} would not accept this body "
              f"({len(exc.violations)} problem{'s' if len(exc.violations) > 1 else ''}):",
              file=sys.stderr)
        for violation in exc.violations:
            print(f"  {violation}", file=sys.stderr)
        return 2
    return _print_quote(q, args.format)


def check(args: argparse.Namespace, catalog: Catalog) -> int:
    """``ratecard check``: exit 0 when valid, 1 with the violations."""
    if args.payload is None:
        raise BadInputError("INVALID_INPUT", "check needs --payload FILE (or - for standard "
                       "input)", "payload")
    body = _parsed(read_body(args.payload), args.payload)
    found = catalog.inspect_payload(args.provider, body,
                                    video=video_info(args.input_seconds, args.video_info))
    model = found.request.model if found.request is not None else None
    if args.format == "json":
        from ratecard.cli import _print_json

        _print_json({"provider": args.provider, "model": model, "valid": found.valid,
                    "violations": [v.to_dict() for v in found.violations],
                    "warnings": list(found.warnings)})
        return 0 if found.valid else 1
    name = f"{args.provider}/{model}" if model else args.provider
    if found.valid:
        print(f"valid: {name} accepts this body")
    else:
        print(f"invalid: {len(found.violations)} violation"
              f"{'s' if len(found.violations) > 1 else ''} for {name}")
        print(_table(found.violations))
    for warning in found.warnings:
        print(f"warning: {warning}")
    return 0 if found.valid else 1


def _table(violations: tuple[Violation, ...]) -> str:
    from tabulate import tabulate

    return tabulate([(v.path, v.code, v.message) for v in violations],
                    headers=("path", "code", "message"), tablefmt="simple",
                    maxcolwidths=[None, None, 70], disable_numparse=True)
