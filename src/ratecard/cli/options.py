"""Options shared by several subcommands, and turning them into library arguments.

One grammar for every subcommand: an option that takes several values is given several
times (``--tables a.yaml --tables b.yaml``) and never swallows the next argument; ``-``
reads standard input wherever a file is named; ``--format`` and ``--out`` mean the same
thing everywhere; errors name the flag the user typed.

>>> video_info("3.5", "format=mp4,width=1920,height=1080,fps=30,size_mb=12.5").width
1920
>>> flag_text("input_seconds must be a number, got 'abc'", "input_seconds")
"--input-seconds must be a number, got 'abc'"
>>> flag_text("at must be a date such as 2026-11-21, not 'x'", "at")
"--at must be a date such as 2026-11-21, not 'x'"
>>> flag_text("unknown provider 'evolnk'; did you mean evolink?", "provider", given=True)
"--provider: unknown provider 'evolnk'; did you mean evolink?"
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ratecard.api import Catalog, load
from ratecard.errors import (
    CardError,
    QuoteError,
    UnknownOfferingError,
    brief,
    close_matches,
    did_you_mean,
)
from ratecard.vocabulary import FEATURES, MODES

if TYPE_CHECKING:  # request bodies: imported by the options that describe one
    from ratecard.payloads.request import VideoInfo

VIDEO_KEYS = ("seconds", "format", "size_mb", "width", "height", "fps")

STDIN = "-"
"""The file name that reads standard input, for every file argument."""

FLAGS = {
    "at": "--at", "duration": "--duration", "input_seconds": "--input-seconds",
    "quality": "--quality", "sound": "--sound", "provider": "--provider", "model": "--model",
    "family": "--family", "mode": "--mode", "features": "--feature", "down": "--down",
    "allow": "--allow", "deny": "--deny", "max_usd": "--max-usd",
    "credits_per_usd": "--credits-per-usd", "providers": "--provider",
    "video.seconds": "--input-seconds",
}
"""The flag of each library parameter an error may name (``QuoteError.field``)."""


class BadInputError(QuoteError):
    """A command-line input that cannot be used (exit status 2)."""


@dataclass(frozen=True)
class Parents:
    """The option groups subcommands share (argparse parent parsers)."""

    tables: argparse.ArgumentParser
    """``--tables PATH`` (repeatable): extra rate cards."""
    fmt: argparse.ArgumentParser
    """``--format table|json`` (one answer: quote, check)."""
    listing: argparse.ArgumentParser
    """``--format table|json|csv`` (a list of rows)."""
    out: argparse.ArgumentParser
    """``--out FILE``: what would be printed, written to a file instead."""
    credits: argparse.ArgumentParser
    """``--credits-per-usd PROVIDER=NUMBER``."""
    need: argparse.ArgumentParser
    """What a job must deliver (compare and route)."""
    sources: argparse.ArgumentParser
    """``--sources``: every fact behind the answer, with its source."""
    progress: argparse.ArgumentParser
    """``--progress/--no-progress``: the bar of long work on stderr."""


class _StoreOnce(argparse._StoreAction):
    """A single-value option given again with another value is an error, never the last
    one silently kept (``--duration 5 --duration 10``); the same value again is fine."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        given: dict[str, tuple[str | None, Any]] = namespace.__dict__.setdefault(
            "_given_once", {})
        earlier = given.get(self.dest)
        if earlier is not None and earlier[1] != values:
            parser.error(f"{earlier[0]} {earlier[1]} and {option_string} {values} contradict "
                         "each other: give it once")
        given[self.dest] = (option_string, values)
        super().__call__(parser, namespace, values, option_string)


def file_name(text: str) -> str:
    """An ``--out`` value: a name, never empty (an unset shell variable, ``--out
    "$RESULTS"``, would otherwise write nowhere without a word).

    >>> file_name("results.csv")
    'results.csv'
    """
    if not text.strip():
        raise argparse.ArgumentTypeError("name a file (the name given is empty)")
    return text


def refuse_repeats(parser: argparse.ArgumentParser) -> None:
    """Make every single-value option of ``parser`` and its subcommands refuse a second,
    different value (see :class:`_StoreOnce`)."""
    for action in parser._actions:
        if type(action) is argparse._StoreAction:
            action.__class__ = _StoreOnce
        elif isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                refuse_repeats(sub)


def check_allow_deny(args: argparse.Namespace) -> None:
    """``--allow`` and ``--deny`` naming one provider contradict each other on the command
    line. (The library takes both and denies: a gateway allows its sellers and denies the
    ones it has tried.)

    >>> check_allow_deny(argparse.Namespace(allow=["fal", "evolink"], deny=["fal"]))
    Traceback (most recent call last):
    ratecard.cli.options.BadInputError: --allow and --deny both name fal: a provider is \
allowed or denied, not both
    """
    both = sorted(set(args.allow or ()) & set(args.deny or ()))
    if both:
        raise BadInputError("INVALID_INPUT", f"--allow and --deny both name {', '.join(both)}:"
                            " a provider is allowed or denied, not both", "allow")


def parents() -> Parents:
    """The shared option groups."""
    tables = argparse.ArgumentParser(add_help=False)
    tables.add_argument(
        "--tables", action="append", metavar="PATH", default=[],
        help="an extra rate card file or directory (repeat for several; - reads a card from "
        "standard input); a card for a built-in provider replaces it")
    fmt = argparse.ArgumentParser(add_help=False)
    fmt.add_argument("--format", choices=("table", "json"), default="table",
                     help="human table (default) or machine-readable JSON")
    listing = argparse.ArgumentParser(add_help=False)
    listing.add_argument("--format", choices=("table", "json", "csv"), default="table",
                         help="human table (default), JSON, or CSV (one row per line of the "
                         "table; cells a spreadsheet would run as formulas are neutralised)")
    out = argparse.ArgumentParser(add_help=False)
    out.add_argument("--out", metavar="FILE", type=file_name,
                     help="write the output (in --format) to FILE instead of standard output; "
                     "FILE is replaced only when the output is complete")
    out.set_defaults(out_replaces_stdout=True)
    credits = argparse.ArgumentParser(add_help=False)
    credits.add_argument(
        "--credits-per-usd", action="append", default=[], metavar="PROVIDER=NUMBER",
        help="use this credit value for a provider's card (e.g. kling3api=500: 500 credits "
        "= 1 USD), on every date; repeat for several providers; ratecard never guesses one")
    sources = argparse.ArgumentParser(add_help=False)
    sources.add_argument(
        "--sources", action="store_true",
        help="also print every fact behind each row (price, multiplier, billing, "
        "rounding, credit value, ...) with its basis (documented or inferred), document, "
        "check date and quote, and the recorded conflicts touching it; the JSON always "
        "carries them")
    progress = argparse.ArgumentParser(add_help=False)
    progress.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None,
        help="a progress bar on standard error (lines done, rate, time left); default: "
        "shown when standard error is a terminal, never when it is piped")
    return Parents(tables, fmt, listing, out, credits, _need(), sources, progress)


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
                      help="prices in force on this day (YYYY-MM-DD; a time with a UTC "
                      "offset counts on its UTC day; default today)")
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


INPUTS = (("tables", "--tables"), ("payload", "--payload"), ("usage", "--usage"),
          ("outcomes", "--outcomes"), ("files", ""), ("paths", ""), ("cards", ""))
"""Every option (its ``dest`` and flag) that names files to read, ``-`` for standard input;
a positional argument has no flag. A new file option is added here, so that standard input
is read once and ``--out`` never replaces one of its files."""


def input_files(args: argparse.Namespace) -> list[tuple[str, str]]:
    """Every file the options name as input, as (its flag, the name given).

    >>> input_files(argparse.Namespace(tables=["a.yaml"], payload="-", cards=["x", "y"]))
    [('--tables', 'a.yaml'), ('--payload', '-'), ('', 'x'), ('', 'y')]
    """
    found: list[tuple[str, str]] = []
    for dest, flag in INPUTS:
        value = getattr(args, dest, None)
        for name in [value] if isinstance(value, str) else value or ():
            found.append((flag, name))
    return found


def check_stdin(args: argparse.Namespace) -> None:
    """Standard input is read once: at most one file argument may be ``-``; no file
    argument may be empty.

    >>> check_stdin(argparse.Namespace(cards=["-", "-"]))
    Traceback (most recent call last):
    ratecard.cli.options.BadInputError: standard input can be read once, but - and - all \
ask for it: give the others as files
    """
    for flag, name in input_files(args):
        if not name.strip():  # Path("") is the current directory: never read it unasked
            raise BadInputError("INVALID_INPUT", f"{flag or 'a file argument'} is empty: give "
                                "a file or directory name (an unset shell variable?)",
                                flag.lstrip("-") or "files")
    named = [f"{flag} {name}".lstrip() for flag, name in input_files(args) if name == STDIN]
    if len(named) > 1:
        raise BadInputError("INVALID_INPUT", f"standard input can be read once, but "
                            f"{' and '.join(named)} all ask for it: give the others as files",
                            "tables")


def catalog_from(args: argparse.Namespace) -> Catalog:
    """The catalog the options describe: built-in cards, ``--tables``, credit values."""
    with stdin_cards(args.tables) as paths:
        catalog = load(*paths)
    (catalog,) = with_credits(args, catalog)
    return catalog


def with_credits(args: argparse.Namespace, *catalogs: Catalog) -> list[Catalog]:
    """``catalogs`` with the ``--credits-per-usd`` values, each given to every catalog that
    has its provider (``diff OLD NEW``: either side, or both); a provider none has is an
    error, as a misspelt one is."""
    found = list(catalogs)
    for provider, (item, number) in credit_values(args).items():
        having = [i for i, catalog in enumerate(found) if provider in catalog.providers]
        try:
            for i in having or [0]:  # none: the first names what it knows
                found[i] = found[i].with_credit_value(provider, number)
        except UnknownOfferingError as exc:  # named by the option, not --provider
            if len(found) > 1:
                known = sorted({p for catalog in found for p in catalog.providers})
                close = close_matches(provider, known)
                exc = UnknownOfferingError(exc.code, f"unknown provider {brief(provider)}"
                                           f"{did_you_mean(close)} (known: {', '.join(known)})",
                                           "provider", close)
            raise BadInputError(exc.code, f"--credits-per-usd {item}: {exc}",
                                "credits_per_usd") from None
    return found


def credit_values(args: argparse.Namespace) -> dict[str, tuple[str, str]]:
    """``--credits-per-usd``: provider -> (the item as given, its number), each given once.

    >>> credit_values(argparse.Namespace(credits_per_usd=[" kling3api = 500", "fal=1"]))
    {'kling3api': ('kling3api = 500', '500'), 'fal': ('fal=1', '1')}
    """
    seen: dict[str, tuple[str, str]] = {}
    for item in getattr(args, "credits_per_usd", ()):
        provider, sep, number = item.partition("=")
        provider, number = provider.strip(), number.strip()
        if not sep or not provider or not number:
            raise BadInputError("INVALID_CREDIT_VALUE", f"--credits-per-usd takes "
                                f"PROVIDER=NUMBER (e.g. kling3api=500), not {brief(item)}",
                                "credits_per_usd")
        if provider in seen and not _same_number(seen[provider][1], number):
            raise BadInputError("CONFLICTING_INPUTS", f"--credits-per-usd gives {provider} two "
                                f"credit values ({seen[provider][1]} and {number}): give one",
                                "credits_per_usd")
        seen.setdefault(provider, (item.strip(), number))
    return seen


@contextmanager
def stdin_cards(paths: list[str]) -> Iterator[list[str]]:
    """``paths`` with ``-`` replaced by a file holding the card read from standard input;
    errors in it name ``<stdin>``, not the temporary file."""
    if STDIN not in paths:
        yield paths
        return
    import tempfile  # a card read from standard input only

    with tempfile.TemporaryDirectory(prefix="ratecard-stdin-") as folder:
        card = Path(folder) / "stdin.yaml"
        from ratecard.cards.loader import MAX_CARD_BYTES  # the loader then refuses more

        most = MAX_CARD_BYTES + 1  # never read an endless stream (< /dev/zero) whole
        card.write_bytes(sys.stdin.buffer.read(most) if hasattr(sys.stdin, "buffer")
                         else sys.stdin.read(most).encode())
        try:
            yield [str(card) if path == STDIN else path for path in paths]
        except CardError as exc:
            raise CardError([replace(problem, file="<stdin>") if problem.file == str(card)
                             else problem for problem in exc.problems]) from None


def _same_number(a: str, b: str) -> bool:
    """Whether two texts name the same number; a text that is not a finite number is not
    compared (its own check says what is wrong with it, not that the two disagree)."""
    try:
        first, second = Decimal(a), Decimal(b)
    except (InvalidOperation, ValueError):
        return True
    return not (first.is_finite() and second.is_finite()) or first == second


def flag_text(message: str, field: str | None, given: bool = False,
              body: bool = False) -> str:
    """``message`` of an error about the library parameter ``field``, naming the flag the
    user typed instead (``input_seconds`` -> ``--input-seconds``); when the user ``given``
    that flag and the message does not name it yet, it is put first. With a request
    ``body`` (``--payload``) and no such flag typed, ``field`` is the body's and the
    message stays as it is.

    >>> flag_text("quality: INVALID_QUALITY: ...", "quality")
    '--quality: INVALID_QUALITY: ...'
    >>> flag_text("quality: INVALID_QUALITY: ...", "quality", body=True)
    'quality: INVALID_QUALITY: ...'
    """
    flag = FLAGS.get(field or "")
    if flag is None or (body and not given):
        return message
    if "_" in (field or ""):
        message = re.sub(rf"(?<![\w-]){re.escape(field or '')}\b", flag, message)
    elif message.startswith(f"{field} ") or message.startswith(f"{field}:"):
        message = flag + message[len(field or ""):]
    if given and flag not in message:
        message = f"{flag}: {message}"
    return message


def video_info(seconds: str | None, info: str | None) -> VideoInfo | None:
    """The ``VideoInfo`` the options describe, if any. ``--input-seconds`` and a
    ``seconds=`` in ``--video-info`` that disagree are an error, never one silently kept."""
    from ratecard.payloads.request import VideoInfo

    values: dict[str, Any] = {}
    for item in (info or "").split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or key not in VIDEO_KEYS:
            raise BadInputError("INVALID_INPUT", f"--video-info takes KEY=VALUE pairs with "
                                f"keys {', '.join(VIDEO_KEYS)}; got {brief(item)}", "video-info")
        if key in values and values[key] != value.strip():
            raise BadInputError("CONFLICTING_INPUTS", f"--video-info gives {key} twice "
                                f"({values[key]} and {value.strip()}): give it once",
                                "video-info")
        values[key] = value.strip()
    if seconds is not None:
        if "seconds" in values and values["seconds"] != seconds:
            try:  # checked before --input-seconds stands in for it
                VideoInfo(seconds=values["seconds"])
            except QuoteError as exc:
                raise BadInputError(exc.code, str(exc).replace(
                    "video.seconds", "--video-info seconds", 1), "video-info") from None
        if "seconds" in values and not _same_number(values["seconds"], seconds):
            raise BadInputError(
                "CONFLICTING_INPUTS", f"--input-seconds {seconds} and --video-info "
                f"seconds={values['seconds']} disagree about the input video's length: "
                "give one", "input_seconds")
        values["seconds"] = seconds
    if not values:
        return None
    for key in ("width", "height"):
        if key in values:
            if not values[key].isdigit():
                raise BadInputError("INVALID_INPUT", f"--video-info {key} must be whole "
                                    f"pixels, got {brief(values[key])}", "video-info")
            values[key] = int(values[key])
    try:
        return VideoInfo(**values)
    except QuoteError as exc:  # name the option the value came from
        field = exc.field or ""
        if not field.startswith("video.") or (field == "video.seconds" and seconds is not None):
            raise
        raise BadInputError(exc.code, str(exc).replace(field, f"--video-info {field[6:]}", 1),
                            "video-info") from None
