"""``ratecard quote``: price one request (or one native body) at one provider, with steps."""

from __future__ import annotations

import argparse
from typing import Any

from ratecard.cli.options import (
    BadInputError,
    Parents,
    add_video_arguments,
    catalog_from,
    video_info,
)
from ratecard.cli.output import print_quote

EXAMPLES = (
    "ratecard quote --provider evolink --model kling-v3-image-to-video --duration 10 \\",
    "    --quality 1080p --sound on",
    "ratecard quote --provider evolink --model kling-o3-video-edit --input-seconds 7.4",
    "ratecard quote --provider kling3api --model pro-text-to-video --format json",
    "ratecard quote --provider evolink --model kling-o1-video-edit --input-seconds 7 --sources",
    "ratecard quote --provider evolink --payload body.json",
    "ratecard quote --provider evolink --payload - --input-seconds 7.4 < edit.json",
)


def add_parser(commands: Any, shared: Parents, examples: str) -> None:
    """The ``quote`` subcommand."""
    quote = commands.add_parser(
        "quote", parents=[shared.tables, shared.fmt, shared.credits, shared.sources],
        help="price one request and show how",
        description="Price one request at one provider: billed seconds, the amount in the "
        "card's currency and in USD (exact and rounded) and every step that produced them. "
        "Exit 0 with the quote, 2 when it cannot be priced (the message says why).",
        epilog=examples, formatter_class=argparse.RawDescriptionHelpFormatter)
    quote.add_argument("--provider", required=True, help="provider id, e.g. evolink")
    quote.add_argument("--model",
                       help="the provider's model or type id (see `ratecard offerings`); "
                       "or give --payload")
    add_video_arguments(quote)
    quote.add_argument("--duration", metavar="S",
                       help="requested output seconds (generation; default: the card's)")
    quote.add_argument("--input-seconds", metavar="S",
                       help="length of the input video in seconds (video edits, also with "
                       "--payload)")
    quote.add_argument("--quality", metavar="Q", help="720p, 1080p, 4k (default: the card's)")
    quote.add_argument("--sound", choices=("on", "off"), help="default: the card's")
    quote.add_argument("--at", metavar="DATE",
                       help="price in force on this day (YYYY-MM-DD; a time with a UTC "
                       "offset counts on its UTC day; default today)")


def run(args: argparse.Namespace) -> int:
    """Price the request the options (or ``--payload``) describe."""
    catalog = catalog_from(args)
    if args.payload is not None:
        return _payload(args, catalog)
    if args.model is None or args.video_info is not None:
        problem = "quote needs --model (with --duration, --quality, ...) or --payload FILE" \
            if args.model is None else "--video-info describes the video of a --payload body"
        raise BadInputError("INVALID_INPUT", problem, "model")
    q = catalog.quote(args.provider, args.model, duration=args.duration,
                      input_seconds=args.input_seconds, quality=args.quality,
                      sound=args.sound, at=args.at)
    return print_quote(q, args.format, args.sources)


def _payload(args: argparse.Namespace, catalog: Any) -> int:
    """``quote --payload``: print the quote, or every violation (exit 2)."""
    from ratecard.cli.body import read_payload, report_refused  # body dialects: only here
    from ratecard.payloads.violations import PayloadError

    for option in ("model", "duration", "quality", "sound"):
        if getattr(args, option) is not None:
            raise BadInputError("INVALID_INPUT", f"--{option} cannot be used with --payload: "
                                "the body says what is requested", option)
    body = read_payload(args.payload)
    video = video_info(args.input_seconds, args.video_info)
    try:
        q = catalog.quote_payload(args.provider, body, video=video, at=args.at)
    except PayloadError as exc:
        return report_refused(args.provider, body, exc)
    return print_quote(q, args.format, args.sources)
