"""The dispatch table: every subcommand's module, the parser built from them, and ``main``.

>>> sorted(COMMANDS)  # doctest: +NORMALIZE_WHITESPACE
['check', 'compare', 'diff', 'lint', 'offerings', 'quote', 'rates', 'reconcile',
 'route', 'schema', 'sources', 'whatif']
>>> print(examples_text(("ratecard a --b c \\\\", "    --d e")))
examples:
  ratecard a --b c \\
      --d e
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from types import FrameType, ModuleType
from typing import Any

from ratecard.cli.options import check_stdin, flag_text, parents, refuse_repeats
from ratecard.cli.output import PipeSafeStream, fail, inputs_of, stdout_to
from ratecard.errors import CardError, QuoteError, RatecardError


class _Commands(Mapping[str, ModuleType]):
    """Subcommand name -> its module, imported when first looked up: ``ratecard quote``
    never imports what ``reconcile`` or ``route`` need."""

    def __init__(self, names: Sequence[str]) -> None:
        self._names = tuple(names)

    def __getitem__(self, name: str) -> ModuleType:
        if name not in self._names:
            raise KeyError(name)
        return importlib.import_module(f"ratecard.cli.{name}")

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


COMMANDS: Mapping[str, ModuleType] = _Commands((
    "quote", "offerings", "compare", "route", "sources", "check", "lint", "rates",
    "reconcile", "whatif", "diff", "schema"))
"""Subcommands in the order ``--help`` lists them, each the module ``ratecard.cli.NAME``
with ``add_parser`` and ``run``, and ``EXAMPLES`` (the lines its ``--help`` shows, each
runnable as written). Adding a subcommand is adding a module and a name here."""

EXAMPLES = (
    "ratecard quote --provider evolink --model kling-v3-image-to-video --duration 10 \\",
    "    --quality 1080p --sound on",
    "ratecard quote --provider evolink --payload body.json",
    "ratecard compare --family kling-3.0 --mode image-to-video --duration 10",
    "ratecard route --family kling-o3 --mode video-edit --input-seconds 7.4 \\",
    "    --credits-per-usd kling3api=500",
    "ratecard offerings --provider evolink --format csv --out evolink.csv",
    "ratecard reconcile march.csv --out results.csv",
    "ratecard whatif march.csv --credits-per-usd kling3api=500",
    "ratecard COMMAND --help",
)
"""The top-level help's examples (each subcommand's help has its own)."""

EXIT_STATUS = """\
exit status:
  0    success
  1    a negative answer: check found violations, lint an invalid card, compare or route
       nothing that can serve the need, reconcile discrepancies, whatif lines it
       could not re-rate
  2    unusable input or usage (a missing file, a bad value, an unknown option), or a
       file or standard output that cannot be read or written, with one line on
       standard error saying what to fix
  130  interrupted (Ctrl-C); nothing is written to --out
  143  terminated (SIGTERM); nothing is written to --out"""


class HelpFormatter(argparse.HelpFormatter):
    """Descriptions wrapped to the terminal, paragraph by paragraph; a paragraph with an
    indented line (examples, the exit status table) printed exactly as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = []
        for paragraph in text.split("\n\n"):
            if any(line.startswith("  ") for line in paragraph.splitlines()):
                paragraphs.append("\n".join(indent + line for line in paragraph.splitlines()))
            else:
                paragraphs.append(textwrap.fill(" ".join(paragraph.split()), width,
                                                initial_indent=indent,
                                                subsequent_indent=indent))
        return "\n\n".join(paragraphs)


def examples_text(lines: Sequence[str]) -> str:
    """An ``examples:`` paragraph: each line indented, printed as written."""
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of every subcommand, or of the subcommand ``only`` (the one a
    command line names: its parser is all that is needed to read it)."""
    parser = argparse.ArgumentParser(
        prog="ratecard",
        description="Exact, explained prices for AI video generation (Kling 3.0, O1, O3) "
        "from declarative YAML rate cards.",
        epilog=f"{examples_text(EXAMPLES)}\n\n{EXIT_STATUS}",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands_with_format = _Formatted(commands)
    shared = parents()
    for name in COMMANDS if only is None else (only,):
        module = COMMANDS[name]
        examples = getattr(module, "EXAMPLES", ())
        module.add_parser(commands_with_format, shared,
                          f"{examples_text(examples)}\n\n{EXIT_STATUS}" if examples
                          else EXIT_STATUS)
    refuse_repeats(parser)
    return parser


class _Formatted:
    """The subparsers action, giving every subcommand the same help formatter."""

    def __init__(self, commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
        self._commands = commands

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        kwargs["formatter_class"] = HelpFormatter
        parser: argparse.ArgumentParser = self._commands.add_parser(name, **kwargs)
        return parser


class Terminated(BaseException):
    """SIGTERM, raised where the program is, so that a partial ``--out`` is removed."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (130 after Ctrl-C, 143 after
    SIGTERM)."""
    _printable_output()
    stdout = sys.stdout
    sys.stdout = PipeSafeStream(stdout)
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        return _run(argv)
    except Terminated:
        print("ratecard: terminated; nothing was written to --out", file=sys.stderr)
        return 143
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        sys.stdout = stdout


def _run(argv: Sequence[str] | None) -> int:
    args: argparse.Namespace | None = None
    try:
        words = sys.argv[1:] if argv is None else list(argv)
        named = words[0] if words and words[0] in COMMANDS else None
        args = build_parser(named).parse_args(words)
        check_stdin(args)
        with stdout_to(args, inputs_of(args)):
            status: int = COMMANDS[args.command].run(args)
    except CardError as exc:
        if exc.what != "rate card":  # ratecard lint reads rate cards only
            return fail(f"invalid {exc.what}: {exc}")
        more = len(exc.problems) - 1
        extra = f" (and {more} more problem{'s' if more > 1 else ''}: run `ratecard lint`)" \
            if more > 0 else ""
        return fail(f"invalid rate card: {exc.problems[0]}{extra}")
    except QuoteError as exc:
        return fail(flag_text(str(exc), exc.field, _given(args, exc.field),
                              body=args is not None and getattr(args, "payload", None) is not None))
    except RatecardError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        print("ratecard: interrupted; nothing was written to --out", file=sys.stderr)
        return 130
    except OSError as exc:  # a file or standard output that cannot be read or written
        return fail(_io_text(exc))
    return status


def _io_text(exc: OSError) -> str:
    """What an operating-system error says, in one line: the file and the reason.

    >>> _io_text(PermissionError(13, "Permission denied", "/sys/x.csv"))
    "cannot read or write '/sys/x.csv': Permission denied"
    """
    where = f" {exc.filename!r}" if exc.filename is not None else ""
    return f"cannot read or write{where}: {exc.strerror or exc}"


_ARGUMENT = {"features": "feature", "providers": "provider", "video.seconds": "input_seconds"}
"""The argparse name of a library parameter that has another name."""


def _given(args: argparse.Namespace | None, field: str | None) -> bool:
    """Whether the user typed the flag of the library parameter ``field``."""
    if args is None or field is None:
        return False
    value = getattr(args, _ARGUMENT.get(field, field), None)
    return value is not None and value != []


def _printable_output() -> None:
    """Text that cannot be encoded for the terminal (a lone surrogate read from a body's
    ``\\ud800``) is printed escaped, never a traceback."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _version() -> str:
    from ratecard import __version__

    return f"ratecard {__version__}"


class _VersionAction(argparse._VersionAction):
    """``--version``, whose text is read from the installed distribution's metadata only
    when the flag is given: ``importlib.metadata`` is a large import (``email``,
    ``zipfile``, ``socket``) that no other command line needs."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        self.version = _version()
        super().__call__(parser, namespace, values, option_string)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
