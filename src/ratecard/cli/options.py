"""Options shared by several subcommands, and turning them into library arguments.

>>> video_info("3.5", "format=mp4,width=1920,height=1080,fps=30,size_mb=12.5").width
1920
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from ratecard.api import Catalog, load
from ratecard.errors import QuoteError, brief
from ratecard.payloads.request import VideoInfo
from ratecard.vocabulary import FEATURES, MODES

VIDEO_KEYS = ("seconds", "format", "size_mb", "width", "height", "fps")


class BadInputError(QuoteError):
    """A command-line input that cannot be used (exit status 2)."""


@dataclass(frozen=True)
class Parents:
    """The option groups subcommands share (argparse parent parsers)."""

    tables: argparse.ArgumentParser
    """``--tables PATH ...``: extra rate cards."""
    fmt: argparse.ArgumentParser
    """``--format table|json``."""
    credits: argparse.ArgumentParser
    """``--credits-per-usd PROVIDER=NUMBER``."""
    need: argparse.ArgumentParser
    """What a job must deliver (compare and route)."""
    sources: argparse.ArgumentParser
    """``--sources``: every fact behind the answer, with its source."""


def parents() -> Parents:
    """The shared option groups."""
    tables = argparse.ArgumentParser(add_help=False)
    tables.add_argument(
        "--tables", nargs="+", metavar="PATH", default=[],
        help="extra rate card files or directories; a card for a built-in provider "
        "replaces it")
    fmt = argparse.ArgumentParser(add_help=False)
    fmt.add_argument("--format", choices=("table", "json"), default="table",
                     help="human table (default) or machine-readable JSON on stdout")
    credits = argparse.ArgumentParser(add_help=False)
    credits.add_argument(
        "--credits-per-usd", action="append", default=[], metavar="PROVIDER=NUMBER",
        help="use this credit value for a provider's card (e.g. kling3api=500: 500 credits "
        "= 1 USD), on every date; ratecard never guesses one")
    sources = argparse.ArgumentParser(add_help=False)
    sources.add_argument(
        "--sources", action="store_true",
        help="also print every fact behind each row (price, multiplier, billing, "
        "rounding, credit value, ...) with its basis (documented or inferred), document, "
        "check date and quote, and the recorded conflicts touching it; the JSON always "
        "carries them")
    return Parents(tables, fmt, credits, _need(), sources)


def _need() -> argparse.ArgumentParser:
    need = argparse.ArgumentParser(add_help=False)
    need.add_argument("--family", metavar="F", help="kling-3.0, kling-o3, kling-o1, ... "
                      "(compare: default any)")
    need.add_argument("--mode", choices=MODES, help="compare: default any mode of the need's "
                      "kind (generation with --duration, video-edit with --input-seconds)")
    need.add_argument("--quality", metavar="Q", help="720p, 1080p, 4k (default: any, each a "
                      "separate candidate)")
    need.add_argument("--sound", choices=("on", "off"),
                      help="default: any, each a separate candidate")
    length = need.add_mutually_exclusive_group(required=True)
    length.add_argument("--duration", metavar="S", help="output seconds (generation)")
    length.add_argument("--input-seconds", metavar="S",
                        help="length of the input video in seconds (video-edit)")
    need.add_argument("--feature", action="extend", nargs="+", default=[], metavar="F",
                      choices=FEATURES, help="inputs the job uses: " + ", ".join(FEATURES))
    need.add_argument("--at", metavar="DATE",
                      help="prices in force on this day (YYYY-MM-DD; default today)")
    return need


def add_video_arguments(parser: argparse.ArgumentParser) -> None:
    """``--payload``, ``--video-info`` (``--input-seconds`` is each command's own)."""
    parser.add_argument(
        "--payload", metavar="FILE",
        help="a native request body (JSON) exactly as it would be sent; - reads standard "
        "input")
    parser.add_argument(
        "--video-info", metavar="K=V,...",
        help="what you know of the body's input video, checked against the card: "
        "format=mp4,size_mb=120,width=1920,height=1080,fps=30,seconds=7.4")


def catalog_from(args: argparse.Namespace) -> Catalog:
    """The catalog the options describe: built-in cards, ``--tables``, credit values."""
    catalog = load(*args.tables)
    for item in getattr(args, "credits_per_usd", ()):
        provider, sep, number = item.partition("=")
        if not sep or not provider.strip() or not number.strip():
            raise QuoteError("INVALID_CREDIT_VALUE", f"--credits-per-usd takes "
                             f"PROVIDER=NUMBER (e.g. kling3api=500), not {brief(item)}",
                             "credits_per_usd")
        catalog = catalog.with_credit_value(provider.strip(), number.strip())
    return catalog


def video_info(seconds: str | None, info: str | None) -> VideoInfo | None:
    """The ``VideoInfo`` the options describe, if any."""
    values: dict[str, Any] = {}
    for item in (info or "").split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or key not in VIDEO_KEYS:
            raise BadInputError("INVALID_INPUT", f"--video-info takes KEY=VALUE pairs with "
                                f"keys {', '.join(VIDEO_KEYS)}; got {brief(item)}", "video-info")
        values[key] = value.strip()
    if seconds is not None:
        values["seconds"] = seconds
    if not values:
        return None
    for key in ("width", "height"):
        if key in values:
            if not values[key].isdigit():
                raise BadInputError("INVALID_INPUT", f"--video-info {key} must be whole "
                                    f"pixels, got {brief(values[key])}", "video-info")
            values[key] = int(values[key])
    return VideoInfo(**values)
