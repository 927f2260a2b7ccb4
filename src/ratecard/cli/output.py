"""What every subcommand prints the same way: JSON, CSV, errors, quotes, ``--out`` files.

>>> fail_text("bad  input\\n here")
'ratecard: error: bad input here'
>>> import contextlib, io
>>> out = io.StringIO()
>>> with contextlib.redirect_stdout(out):
...     print_csv(("provider", "amount", "note"), [("=cmd()", "-1.5", None)])
>>> out.getvalue().splitlines()
['provider,amount,note', "'=cmd(),-1.5,"]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import secrets
import shutil
import signal
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from ratecard.cli.facts import print_sources
from ratecard.cli.options import input_files
from ratecard.csv_out import CsvWriter
from ratecard.errors import RatecardError
from ratecard.money import plain
from ratecard.pricing.provenance import marker_text
from ratecard.pricing.quote import Quote
from ratecard.vocabulary import on_off


def print_json(data: object) -> None:
    """``data`` as indented JSON on stdout."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def print_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """``rows`` as CSV on stdout under ``headers``: ``None`` as an empty cell, every other
    value as its text, and a cell a spreadsheet would run as a formula neutralised
    (:func:`ratecard.reconcile.writers.spreadsheet_safe`)."""
    from ratecard.reconcile.writers import safe_rows

    writer = CsvWriter(sys.stdout)
    writer.writerow(headers)
    text = (["" if cell is None else str(cell) for cell in row] for row in rows)
    writer.writerows(safe_rows(text, range(len(headers))))


def fail_text(message: str) -> str:
    """The one line an error prints: ``ratecard: error: ...`` with blanks folded and
    control characters from the input escaped (:func:`ratecard.terminal.printable`)."""
    from ratecard.terminal import printable

    return f"ratecard: error: {printable(' '.join(message.split()))}"


def fail(message: str) -> int:
    """Print ``message`` as an error on stderr; returns exit status 2 (bad input)."""
    print(fail_text(message), file=sys.stderr)
    return 2


def print_quote(q: Quote, fmt: str, sources: bool = False) -> int:
    """A quote as a summary and its steps (table), or as JSON; returns 0. With
    ``sources``, the table also lists every fact the quote used and where it comes from
    (the JSON always does)."""
    if fmt == "json":
        print_json(q.to_dict())
        return 0
    from ratecard.terminal import text_table

    usd = "unknown" if q.usd is None else f"{plain(q.usd)} USD"
    billed = "fixed price" if q.billed_seconds is None else f"{plain(q.billed_seconds)} s"
    amount = [(q.currency, f"{plain(q.credits)} (exact {plain(q.amount_exact)})")]
    if q.currency != "USD":  # a USD card's amount is its USD amount: shown once
        amount.append(("USD", usd))
    summary = [
        ("offering", f"{q.provider} / {q.model} ({q.family}, {q.mode})"),
        ("quality, sound", f"{q.quality}, sound {on_off(q.sound)}"),
        ("billed", billed),
        *amount,
        ("price version", f"{q.price_version} ({q.source})"),
        ("basis", marker_text(q.markers)),
    ]
    if q.notes:
        summary.append(("notes", q.notes))
    print(text_table(summary, tablefmt="plain", maxcolwidths=[None, 90]))
    print()
    print(text_table([(s.name, "" if s.value is None else plain(s.value), s.detail)
                    for s in q.steps], headers=("step", "value", "how"), tablefmt="simple",
                   disable_numparse=True))
    from ratecard.terminal import printable

    for warning in q.warnings:
        print(f"warning: {printable(warning)}")
    if sources:
        print_sources([("quote", q.facts)])
    elif q.markers:
        print("(ratecard quote ... --sources shows where each fact comes from)")
    return 0


class PipeSafeStream:
    """Standard output that survives a reader going away (``ratecard ... | head``): the
    first write to a closed pipe sends the rest to ``/dev/null``, so the command finishes
    and exits with the status it computed instead of a traceback (or a 0)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.closed_pipe = False

    def write(self, text: str) -> int:
        """Write ``text``; after a closed pipe, drop it."""
        if not self.closed_pipe:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._detach()
        return len(text)

    def flush(self) -> None:
        """Flush; after a closed pipe, do nothing."""
        if not self.closed_pipe:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._detach()

    def _detach(self) -> None:
        self.closed_pipe = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError):  # not a real file descriptor (a test's StringIO)
            pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def out_path(name: str, inputs: Sequence[str] = (), *, directory: bool = False) -> Path:
    """The ``--out`` file, checked before any work: not a directory, in a directory that
    exists, and never one of the ``inputs`` (writing results over the invoice would
    destroy it). A bad one is a :class:`~ratecard.errors.RatecardError` (exit 2).

    ``directory``: the output is a directory (Spark's Parquet), which may replace an
    earlier Spark output (:func:`spark_output`) but no other directory, nor a file."""
    if name == "-":
        raise OutputError("--out -: results go to standard output when --out is left out; "
                          "name a file")
    target = Path(name)
    if not directory and name.endswith(_PATH_ENDS) and not target.is_dir():
        raise OutputError(f"--out {name} ends in {name[-1]}, which names a directory: name "
                          "a file (without it)")
    if directory and target.is_dir() and not target.is_symlink():
        if not spark_output(target):
            raise OutputError(f"--out {name} is a directory that holds more than an earlier "
                              "Spark output (_SUCCESS and part files); name another")
    elif target.is_dir():
        raise OutputError(f"--out {name} is a directory; name a file")
    elif directory and (target.exists() or target.is_symlink()):
        raise OutputError(f"--out {name} is a file, and Spark writes its Parquet as a "
                          "directory: name another, or remove it")
    parent = target.parent
    if not parent.is_dir():
        raise OutputError(f"--out {name}: no such directory {parent}")
    if target.is_symlink() and not target.resolve().parent.is_dir():
        raise OutputError(f"--out {name} is a link to {target.resolve()}, in a directory "
                          "that does not exist")
    _can_write_beside(name, target)
    for item in inputs:
        try:
            same = Path(item).exists() and target.exists() and os.path.samefile(item, target)
        except OSError:
            same = False
        if same or Path(item).resolve() == target.resolve():
            raise OutputError(f"--out {name} is an input file ({item}); write the results "
                              "elsewhere")
        if Path(item).is_dir() and target.suffix.lower() in _CARD_SUFFIXES \
                and target.resolve().parent == Path(item).resolve():
            raise OutputError(f"--out {name} is a rate card file of the input directory "
                              f"{item}; write the results elsewhere")
    return target


def _can_write_beside(name: str, target: Path) -> None:
    """Whether a file can be made where ``target`` will be written (beside the file a
    link points to), tried once before any work: a read-only directory, or a file system
    that takes no files, is refused in one line naming ``--out name``, not after the run
    and in an engine's words. A device or pipe, written in place, is not tried."""
    from ratecard.batch.failures import unwritable

    final, kept = _destination(target)
    if _in_place(kept):
        return
    probe = _part_beside(final)
    try:
        probe.open("x").close()
    except OSError as exc:
        raise OutputError(f"--out {name}: cannot be written: {unwritable(final, exc)}") \
            from None
    probe.unlink(missing_ok=True)


def _destination(target: Path) -> tuple[Path, os.stat_result | None]:
    """The file ``target`` stands for (the one a link points to) and its status, if it
    exists."""
    final = target.resolve() if target.is_symlink() else target
    try:
        return final, final.stat()
    except OSError:
        return final, None


def _in_place(kept: os.stat_result | None) -> bool:
    """Whether a destination of status ``kept`` is written in place: a device, pipe or
    socket, which cannot be replaced."""
    return kept is not None and not (stat.S_ISREG(kept.st_mode) or stat.S_ISDIR(kept.st_mode))


def _part_beside(final: Path) -> Path:
    """A temporary name beside ``final``, hidden and unique to this process."""
    return final.parent / f".{final.name}.{os.getpid()}.{secrets.token_hex(4)}.part"


_PATH_ENDS = (os.sep, os.altsep) if os.altsep else (os.sep,)
"""What ends a name of a directory (``out.csv/`` is not the file ``out.csv``)."""

_CARD_SUFFIXES = frozenset({".yaml", ".yml"})
"""The files a directory of rate cards is read for (:func:`ratecard.cards.paths.expand_paths`)."""


def parquet_name(name: str) -> bool:
    """Whether a file name says Parquet (``.parquet``, ``.pq``).

    >>> parquet_name("rates.PARQUET"), parquet_name("rates.csv")
    (True, False)
    """
    return name.lower().endswith((".parquet", ".pq"))


class OutputError(RatecardError):
    """An ``--out`` that cannot be written (exit 2)."""


_SPARK_FILE = re.compile(r"\.?(_SUCCESS|part-[\w.-]+)(\.crc)?")
"""The files a Spark Parquet output directory holds (and their checksums)."""


def spark_output(path: Path) -> bool:
    """Whether the directory ``path`` is an earlier Spark Parquet output, and nothing
    more: only such a directory is ever replaced (removed) by ``--out``.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "_SUCCESS").write_bytes(b"")
    >>> _ = (folder / "part-00000-a1.snappy.parquet").write_bytes(b"")
    >>> spark_output(folder), spark_output(folder.parent)
    (True, False)
    """
    try:
        names = os.listdir(path)
    except OSError:
        return False
    return "_SUCCESS" in names and all(_SPARK_FILE.fullmatch(name) for name in names)


@contextmanager
def replaced_when_done(target: str | Path) -> Iterator[Path]:
    """A temporary path beside ``target`` to write into; renamed over ``target`` only when
    the block completes, removed otherwise (an error, Ctrl-C), so ``target`` is never a
    partial file that looks whole. Works for a file or a directory (Spark's Parquet).

    A symbolic link stays a link: the file it points to is replaced. An existing file
    keeps its permissions. A device, pipe or socket (``/dev/null``, a FIFO) is written
    in place: it cannot be replaced, and renaming over it would destroy it.

    A failure to write the temporary path or ``target`` (a read-only directory, a full
    disk, ``target`` turned into a directory) is an :class:`OutputError` naming
    ``--out target`` as given (pass the user's text, not a :class:`Path` of it) and why,
    never the temporary name."""
    given = str(target)
    target = Path(target)
    final, kept = _destination(target)
    if _in_place(kept):
        with _as_output_error(given, final, (final,)):
            yield final
        return
    part = _part_beside(final)
    try:
        with _as_output_error(given, final, (part, final)):
            yield part
            if part.is_dir() and final.is_dir():
                shutil.rmtree(final)
            elif kept is not None and stat.S_ISREG(kept.st_mode) and part.is_file():
                os.chmod(part, stat.S_IMODE(kept.st_mode))
            os.replace(part, final)
    finally:
        if part.is_dir():
            shutil.rmtree(part, ignore_errors=True)
        elif part.exists() or part.is_symlink():
            part.unlink(missing_ok=True)


@contextmanager
def _as_output_error(given: str, final: Path, names: Sequence[Path]) -> Iterator[None]:
    """An error inside the block about one of ``names`` (the files written for ``--out
    given``; ``final`` the file it stands for) as an :class:`OutputError` on ``given``."""
    from ratecard.batch.failures import names_file, unwritable

    try:
        yield
    except OutputError:
        raise
    except Exception as exc:
        if not names_file(exc, names):
            raise
        why = unwritable(final, exc)
        for name in names:
            why = why.replace(str(Path(name).absolute()), given).replace(str(name), given)
        raise OutputError(f"--out {given}: cannot be written: {why}") from exc


class _NamedFile(io.FileIO):
    """A file whose failed writes name it (a full disk: ``OSError`` with no file name,
    from deep inside a buffered write), so that :func:`replaced_when_done` knows them."""

    def write(self, data: Any, /) -> int:
        try:
            return super().write(data)
        except OSError as exc:
            if exc.filename is not None or not exc.errno:
                raise
            raise OSError(exc.errno, exc.strerror, str(self.name)) from exc


@contextmanager
def written_atomically(target: str | Path) -> Iterator[TextIO]:
    """A text file opened for writing that replaces ``target`` only when complete (see
    :func:`replaced_when_done`); created with the permissions ``open`` would give."""
    with replaced_when_done(target) as part:
        raw = _NamedFile(part, "w")
        with io.TextIOWrapper(io.BufferedWriter(raw, 1 << 20), encoding="utf-8",
                              newline="") as handle:
            yield handle


@contextmanager
def stdout_to(args: argparse.Namespace, inputs: Sequence[str] = ()) -> Iterator[None]:
    """Inside the block, standard output goes to ``--out FILE`` when the command's ``--out``
    means "what would be printed" (the shared option); the file is checked first
    (:func:`out_path`) and replaces FILE only when the command completes."""
    name = getattr(args, "out", None)
    if not getattr(args, "out_replaces_stdout", False) or not name:
        yield
        return
    if parquet_name(name):
        raise OutputError(f"--out {name}: this command writes text ({args.format}), not "
                          "Parquet; name a file that is not .parquet")
    out_path(name, [item for item in inputs if item != "-"])
    with written_atomically(name) as handle, redirect_stdout(handle):
        yield


def inputs_of(args: argparse.Namespace) -> list[str]:
    """Every file the options name as input (an ``--out`` must not be one of them)."""
    return [name for _, name in input_files(args)]


@contextmanager
def interrupts_as_keyboard_interrupt() -> Iterator[None]:
    """Ctrl-C inside the block always ends as :class:`KeyboardInterrupt`, whatever an engine
    turned it into on the way (DuckDB reports "Query interrupted", Spark a JVM error), so
    the command exits 130 with one line on every engine."""
    interrupted = False
    previous = signal.getsignal(signal.SIGINT)

    def note(signum: int, frame: FrameType | None) -> None:
        nonlocal interrupted
        interrupted = True
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGINT, note)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    except Exception:
        if interrupted:
            raise KeyboardInterrupt from None
        raise
    finally:
        signal.signal(signal.SIGINT, previous)
