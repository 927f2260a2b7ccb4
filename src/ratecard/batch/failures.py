"""An engine that fails while it runs, as a ratecard error naming the files as given.

DuckDB and Spark read each input through a link of ratecard's own
(:func:`ratecard.batch.paths.link`), and read a Parquet file's pages only when the query
runs: a damaged page, or a timestamp beyond what the engine holds (a ``timestamp[ms]``
value past DuckDB's year 294247), fails the query there, with the engine's own exception
naming ``/tmp/ratecard-*/input-N.parquet``. Every engine call of
:mod:`ratecard.batch.duckdb_engine`, :mod:`ratecard.batch.spark_engine`,
:mod:`ratecard.batch.parquet_input` and :mod:`ratecard.whatif` runs under
:func:`engine_errors`, which raises such a failure as an
:class:`~ratecard.reconcile.readers.InvoiceError` (the input cannot be used), its message
naming the file as given and what the engine reported, chained ``from`` the engine's
exception. Errors that are not the engine's (a ratecard error, an interrupt) pass as they
are.

>>> try:
...     with engine_errors(["march.parquet"]):
...         raise type("ConversionException", (Exception,), {"__module__": "_duckdb"})(
...             "Conversion Error: Could not convert Timestamp(MS) to Timestamp(US)")
... except InvoiceError as exc:
...     print(exc)
march.parquet: the DuckDB engine could not read the input (a damaged file, or a value it \
cannot hold): Conversion Error: Could not convert Timestamp(MS) to Timestamp(US): a \
timestamp beyond the range the engine holds (the years 290308 BC to 294247 AD)
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ratecard.batch import is_parquet
from ratecard.reconcile.readers import InvoiceError

ENGINES = {"duckdb": "DuckDB", "py4j": "Spark", "pyspark": "Spark"}
"""The modules whose exceptions are an engine's failure, by the engine's name."""
_LINKED = re.compile(r"[^\s'\"]*ratecard-[^/\s'\"]*/input-(\d+)(?:\.\w+)?")
"""An input file as the engines read it, through a link named for its place
(:func:`ratecard.batch.paths.link`)."""
_TIMESTAMP = re.compile(r"Could not convert Timestamp\(|ArithmeticException: long overflow")
"""What the engines say of a timestamp they cannot hold (DuckDB's conversion to its
microseconds; Spark's milliseconds to microseconds)."""


def engine_of(exc: BaseException) -> str | None:
    """The name of the engine that raised ``exc`` (``DuckDB``, ``Spark``), else ``None``.

    >>> engine_of(ValueError("x")) is None
    True
    """
    module = type(exc).__module__.lstrip("_").split(".")[0]
    return ENGINES.get(module)


def engine_text(exc: BaseException, files: Sequence[str | Path]) -> str:
    """What an engine's error says, in one line, with the files named as given.

    >>> engine_text(ValueError('Failed to read file "/tmp/ratecard-x1/input-1.parquet": '
    ...                        'Snappy decompression failure'), ["a.csv", "b.parquet"])
    'Failed to read file "b.parquet": Snappy decompression failure'
    """
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    # a Spark (Py4J) error: its first line names a Java call, the cause comes later
    causes = [line.lstrip(": ") for line in lines[1:] if "Exception:" in line]
    text = causes[0] if causes and lines[0].startswith("An error occurred") else \
        lines[0] if lines else repr(exc)
    roots = [line[len("Caused by:"):].strip() for line in lines
             if line.startswith("Caused by:")]
    if roots and roots[-1] not in text:  # the Java exception at the bottom of the chain
        text += f" (caused by {roots[-1]})"
    if _TIMESTAMP.search(str(exc)):
        text += ": a timestamp beyond the range the engine holds (the years 290308 BC " \
            "to 294247 AD)"

    def named(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return str(files[number]) if number < len(files) else match.group(0)

    return _LINKED.sub(named, text)


def engine_error(exc: BaseException, files: Sequence[str | Path]) -> InvoiceError | None:
    """``exc`` as the :class:`InvoiceError` :func:`engine_errors` raises, or ``None`` when
    it is not an engine's."""
    engine = engine_of(exc)
    if engine is None:
        return None
    text = engine_text(exc, files)
    if engine == "DuckDB" and type(exc).__name__ == "IOException":  # it names its file
        return InvoiceError(f"DuckDB could not read or write a file: {text}")
    message = (f"the {engine} engine could not read the input (a damaged file, or a value "
               f"it cannot hold): {text}")
    given = [str(f) for f in files if str(f)]
    if not any(name in text for name in given):  # no file named: those it read (Parquet)
        read = [name for name in given if is_parquet(name)] or given
        if len(read) == 1:
            message = f"{read[0]}: {message}"
        elif read:
            message = f"one of {', '.join(read)}: {message}"
    return InvoiceError(message)


@contextmanager
def engine_errors(files: Sequence[str | Path]) -> Iterator[None]:
    """Run engine calls over ``files`` (the inputs as given, in the order of their links;
    ``""`` for a place that is not read here): an engine's exception becomes an
    :class:`InvoiceError` (see the module docs), ``from`` it."""
    try:
        yield
    except Exception as exc:
        error = engine_error(exc, files)
        if error is None:
            raise
        raise error from exc


class UnwritableOutputError(InvoiceError):
    """A file ratecard was asked to write (``path``, as given) that could not be written,
    and ``why``: raised by :func:`output_errors`.

    >>> str(UnwritableOutputError("/nowhere/x.parquet", "no such directory /nowhere"))
    '/nowhere/x.parquet: cannot be written: no such directory /nowhere'
    """

    def __init__(self, path: str, why: str) -> None:
        super().__init__(f"{path}: cannot be written: {why}")
        self.path = path
        self.why = why


def names_file(exc: BaseException, names: Sequence[str | Path]) -> bool:
    """Whether ``exc`` is about one of the files ``names``: an operating-system error on
    one of them, or any error whose text names one (as given or made absolute)."""
    wanted = {str(name) for name in names} | {str(Path(name).absolute()) for name in names}
    if isinstance(exc, OSError) and (exc.filename is not None or exc.filename2 is not None):
        return any(str(name) in wanted for name in (exc.filename, exc.filename2)
                   if name is not None)
    text = str(exc)
    return any(name in text for name in wanted)


def unwritable(target: str | Path, exc: BaseException) -> str:
    """Why the file ``target`` could not be written, in a few words: its directory is
    missing or not writable, it is a directory, else what ``exc`` says (an engine's
    reason without the file name it gives, which may be a temporary one).

    >>> unwritable("/nowhere/x.csv", OSError(2, "No such file or directory"))
    'no such directory /nowhere'
    >>> unwritable("/proc/x.csv", OSError(2, "No such file or directory", "/proc/.x.part"))
    'No such file or directory'
    >>> unwritable("/proc/x.parquet", Exception('IO Error: Cannot open file "/proc/.x.part"'
    ...                                          ': No such file or directory'))
    'No such file or directory'
    """
    target = Path(target)
    parent = target.parent
    if not parent.is_dir():
        return f"no such directory {parent}"
    if target.is_dir():
        return "it is a directory"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"the directory {parent} is not writable (permission denied)"
    if isinstance(exc, UnwritableOutputError):
        return exc.why
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc)
    known = _REASONS.search(text)
    if known:  # deep in an engine's words (Spark's: a stage failure, then the cause)
        return "a directory for it cannot be made" if known.group(0).startswith("Mkdirs") \
            else known.group(0)
    text = engine_text(exc, []) if engine_of(exc) else \
        (text.strip().splitlines() or [type(exc).__name__])[0]
    # an engine names the file it opened: 'Cannot open file "/x/.y.part": Too many links'
    quoted = re.search(r"""["'][^"']*["']:\s*(.+)$""", text)
    return quoted.group(1) if quoted else text


_REASONS = re.compile(
    r"No such file or directory|Permission denied|No space left on device|Disk quota "
    r"exceeded|Read-only file system|Is a directory|Not a directory|File name too long|"
    r"Mkdirs failed to create")
"""Why a file could not be written, as the operating system says it, in an engine's
message (which names the file, perhaps by a temporary name)."""


@contextmanager
def output_errors(path: str | Path, *through: str | Path) -> Iterator[None]:
    """Write the file ``path`` (or Spark's folder of files) in the block, perhaps
    ``through`` other names: an error about one of them (an engine's, an operating
    system's) is raised as an :class:`UnwritableOutputError` naming ``path`` as given and why
    (:func:`unwritable`), ``from`` it. Other errors pass as they are."""
    try:
        yield
    except UnwritableOutputError:
        raise
    except Exception as exc:
        if not names_file(exc, [path, *through]):
            raise
        raise UnwritableOutputError(str(path), unwritable(path, exc)) from exc
