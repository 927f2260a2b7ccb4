"""Invoice lines as they come: CSV and JSON Lines files with documented columns.

A reader yields one :class:`RawLine` per input line, malformed ones included (with the
reason), so reconciliation can account for every line. Column names of other exports
are mapped with :class:`Columns`.

Documented columns (the canonical names):

============== ======== =============================================================
column         required meaning
============== ======== =============================================================
task_id        yes      the provider's task id
provider       yes      provider id of a loaded card (``evolink``)
model          yes      the provider's model or type id
timestamp      yes      when the job ran: ISO 8601 date or date-time (UTC if naive),
                        or Unix seconds (:mod:`ratecard.timestamps`)
duration       \\*       requested output seconds (generation)
input_seconds  \\*       input video length (edits billed by it)
quality        no       ``720p``, ``1080p``...; empty: the card's default
sound          no       ``on``/``off`` (``true``/``false``, ``1``/``0``); empty: default
charged        yes      the amount charged, a decimal number
currency       yes      ``credits`` or ``USD``
status         yes      ``succeeded``, ``failed``, ``cancelled``, ``pending``, ``running``
                        (and the providers' spellings: ``SUCCESS``, ``completed``...)
reserved       no       the amount reserved before settlement (a gateway's hold)
============== ======== =============================================================

\\* whichever the offering is billed by; neither for a fixed price.

Blanks around a field (:data:`~ratecard.vocabulary.BLANKS`) are not part of it, in every
format: ``t1 `` is the task ``t1`` and ``evolink `` the provider ``evolink``, so a padded
export can neither hide a duplicate nor make a unit of its own. (A CSV reader strips the
task id, provider, model, timestamp and currency of a well-formed record; every other
field is read by a reader that ignores blanks, ``" 27 "`` being 27.)

A line ends in a line feed, a CRLF or a lone carriage return (an old Mac file), in CSV and
JSON Lines alike, wherever it is in the file (two exports of different systems appended
one to the other switch line ends part way); ``\\r\\r\\n`` (a file converted to CRLF
twice) is one line end. Only a quoted CSV field holds a line end as data (a carriage
return in a JSON line ends it, as an editor shows it). A byte-order mark at the start of a
line (a second export appended to the first) is no part of the line, and a CSV line that
repeats the header (its names in the header's order, in any case, with blanks around them,
quoted or not) is INVALID_LINE as such; so is a header line in another order or with other
columns (every required one among them), and the lines after it are read by its names.

JSON inputs (``.jsonl``, ``.ndjson``, ``.json``) hold one object per line; a ``.json``
file (or standard input) may instead hold one JSON array of objects (numbered by
element), and a ``.json`` file one object spread over lines (a pretty-printed task
record, line 1). An object may also be a provider's task record, read by that provider's
adapter: an EvoLink task object (charged its consumed credits, or while pending its
``usage.credits_reserved``) or a kling3api status record
(``data.consumed_credits``, priced from the ``data.request`` it carries).

>>> columns = Columns.parse(["charged=amount", "task_id=id"])
>>> columns.source_of("charged"), columns.source_of("model")
('amount', 'model')
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate, chain
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, NamedTuple, cast, overload

from ratecard.errors import RatecardError, brief
from ratecard.money import plain
from ratecard.payloads.dialects import task_provider
from ratecard.payloads.dialects.reader import load_json
from ratecard.reconcile.arrays import BrokenArrayError, Element, elements, first_of, line_ends
from ratecard.reconcile.names import fold, unique_folds
from ratecard.reconcile.reasons import REASONS
from ratecard.reconcile.spans import UNCLOSED, alone, in_span, line_by_line, well_formed
from ratecard.vocabulary import BLANKS

COLUMNS: tuple[str, ...] = (
    "task_id", "provider", "model", "duration", "input_seconds", "quality", "sound",
    "timestamp", "charged", "currency", "status", "reserved",
)
"""The canonical columns, in the order of :attr:`RawLine.fields` (the fields that decide
the price are contiguous: ``fields[1:7]``)."""
REQUIRED: tuple[str, ...] = (
    "task_id", "provider", "model", "timestamp", "charged", "currency", "status",
)

csv.field_size_limit(1 << 24)

FIELD_LIMIT = 256
"""Longest canonical field an invoice line may hold, in characters (a JSON string's blanks
around it aside): a longer one makes its line INVALID_LINE, on every engine and from every
input (CSV, JSON, Parquet, task records), so no id, name or amount of megabytes is
remembered, compared, quoted in a reason or staged. Other columns are not limited."""
JSON_LINE_LIMIT = 1 << 20
"""Longest JSON line read, in characters: a longer one is INVALID_LINE, skipped without
being held whole, so reading JSON Lines stays bounded in memory whatever a line holds."""

NUL = "\x00"
"""The character no canonical field may hold: a zero byte is damage (a file cut and
patched, a binary export), never part of an id or an amount, and written out it would
corrupt the results file. Its line is INVALID_LINE, on every engine and from every input."""

_FIELD_TOO_LONG = REASONS["field_too_long"].format
_FIELD_NUL = REASONS["field_nul"].format
_LINE_TOO_LONG = REASONS["line_too_long"].format(limit=JSON_LINE_LIMIT)


def stripped(fields: Sequence[str]) -> tuple[str, ...]:
    """``fields`` without the blanks around each.

    >>> stripped((" t1", "evolink\t", "2026-06-01 10:00:00"))
    ('t1', 'evolink', '2026-06-01 10:00:00')
    """
    return tuple([value.strip(BLANKS) for value in fields])


_AS_WRITTEN = frozenset({"task_id", "provider", "model", "timestamp", "currency"})
"""The fields whose text is used as it is (no reader that ignores blanks in between)."""


def unusable(fields: Sequence[str]) -> str | None:
    """Why a line's canonical ``fields`` (in the order of :data:`COLUMNS`) are not read:
    the first one longer than :data:`FIELD_LIMIT` or holding a :data:`NUL`; ``None`` when
    none is.

    >>> unusable(("t1", "evolink")), unusable(("t1", "x" * 300))
    (None, 'provider is longer than 256 characters')
    >>> unusable(("t\\x001", "x" * 300))
    'task_id holds a NUL character (a zero byte)'
    """
    if max(map(len, fields), default=0) <= FIELD_LIMIT and NUL not in "".join(fields):
        return None
    for column, value in zip(COLUMNS, fields, strict=False):
        if len(value) > FIELD_LIMIT:
            return _FIELD_TOO_LONG(field=column, limit=FIELD_LIMIT)
        if NUL in value:
            return _FIELD_NUL(field=column)
    raise AssertionError("a field is too long or holds a NUL")  # pragma: no cover


class InvoiceError(RatecardError):
    """An input that cannot be used at all (missing file, no header, required columns
    absent, a file an engine could not read while it ran: see
    :mod:`ratecard.batch.failures`); single bad lines are never this: they become
    INVALID_LINE results."""


def require_files(paths: Iterable[str | Path], what: str = "invoice") -> None:
    """Every path names a file to read (``-``: standard input), each once, or one
    :class:`InvoiceError` naming every path that does not, and what is there instead.

    >>> require_files(["/", "/no/such.csv"], "usage")
    Traceback (most recent call last):
    ratecard.reconcile.readers.InvoiceError: no such usage file: /no/such.csv; / is a \
directory: give the usage files in it
    """
    missing, others = [], []
    seen: dict[object, str] = {}
    for raw in paths:
        name = str(raw)
        path = Path(name)
        if name == "-" or path.is_file():
            identity = name if name == "-" else _identity(path)
            if identity in seen:
                first = seen[identity]
                others.append(
                    (f"{name} is given twice" if first == name else
                     f"{first} and {name} are the same file")
                    + ": give each file once (its lines would be read twice)")
            seen.setdefault(identity, name)
            continue
        if path.is_dir():
            others.append(f"{name} is a directory: give the {what} files in it")
        elif path.exists():
            others.append(f"{name} is not a regular file (a device or a pipe): give a file, "
                          "or - to read standard input")
        else:
            missing.append(f"{name} (a link to nothing)" if path.is_symlink() else name)
    if missing or others:
        found = [f"no such {what} file: {', '.join(missing)}"] if missing else []
        raise InvoiceError("; ".join(found + others))


def _identity(path: Path) -> object:
    """What makes two names one file: its device and inode (a link, ``./x.csv``)."""
    try:
        info = path.stat()
    except OSError:
        return str(path.resolve())
    return (info.st_dev, info.st_ino)


@dataclass(frozen=True)
class Columns:
    """Which input column holds each canonical column (identity unless mapped)."""

    mapping: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, pairs: Iterable[str]) -> Columns:
        """From ``canonical=theirs`` strings (the CLI's ``--column`` options). One canonical
        column mapped twice elsewhere, or one input column read as two fields, is an error.

        >>> Columns.parse(["task_id=id", "provider=id"])
        Traceback (most recent call last):
        ratecard.reconcile.readers.InvoiceError: --column: task_id and provider would both be \
read from column 'id'; each column of the file is read as one field at most
        """
        mapping: dict[str, str] = {}
        for pair in pairs:
            canonical, sep, theirs = pair.partition("=")
            canonical, theirs = canonical.strip(), theirs.strip()
            if not sep or not theirs:
                raise InvoiceError(f"--column {brief(pair)}: write CANONICAL=THEIRS, e.g. "
                                   "charged=amount_billed")
            if canonical not in COLUMNS:
                raise InvoiceError(f"--column {brief(pair)}: {brief(canonical)} is not a column; "
                                   f"columns are {', '.join(COLUMNS)}")
            if mapping.get(canonical, theirs) != theirs:
                raise InvoiceError(f"--column {canonical}={mapping[canonical]} and "
                                   f"--column {canonical}={theirs} disagree: give one")
            mapping[canonical] = theirs
        readers: dict[str, list[str]] = {}
        for canonical in COLUMNS:
            readers.setdefault(mapping.get(canonical, canonical), []).append(canonical)
        for theirs, canonicals in readers.items():
            if len(canonicals) > 1:
                raise InvoiceError(
                    f"--column: {' and '.join(canonicals)} would both be read from column "
                    f"{brief(theirs)}; each column of the file is read as one field at most")
        return cls(mapping)

    def source_of(self, canonical: str) -> str:
        """The input column name that holds ``canonical``."""
        return self.mapping.get(canonical, canonical)

    def resolved(self, present: Iterable[str]) -> Columns:
        """These columns as a file whose columns are ``present`` names them: a name the
        file does not have is read from the one column whose name is it in another case
        of ASCII letters, blanks around it aside (a spreadsheet's ``Task_ID`` or
        ``Charged``), unless that column is read already; two columns whose names differ
        only so name neither (:func:`ratecard.reconcile.names.fold`).

        >>> Columns().resolved(["Task_ID", "charged"]).source_of("task_id")
        'Task_ID'
        >>> Columns().resolved(["Charged", "CHARGED"]).source_of("charged")
        'charged'
        """
        names = list(present)
        have = set(names)
        by_fold = unique_folds(names, BLANKS)
        used = {self.source_of(c) for c in COLUMNS} & have
        mapping = dict(self.mapping)
        for canonical in COLUMNS:
            source = self.source_of(canonical)
            found = None if source in have else by_fold.get(fold(source))
            if found is not None and found not in used:
                mapping[canonical] = found
                used.add(found)
        return self if mapping == self.mapping else Columns(mapping)


class RawLine(NamedTuple):
    """One input line: where it is, its canonical fields as text, or why it is unusable."""

    source: str
    line: int
    fields: tuple[str, ...]
    """Values in the order of :data:`COLUMNS`; ``""`` when absent or empty."""
    error: str | None = None
    raw_charged: str | None = None
    """The charged text even when the line is otherwise broken (for totals)."""
    task: tuple[str, dict[str, Any]] | None = None
    """A provider's task record (provider, JSON object) in place of invoice columns: read
    by the provider's adapter (:meth:`ratecard.Catalog.read_task`) when reconciled."""
    note: str | None = None
    """What the verdict's reason adds about how the line was read (a task record's terms
    read from its charge: :mod:`ratecard.reconcile.tasks`)."""


def read_lines(paths: Iterable[str | Path], columns: Columns = Columns(),
               progress: Any = None) -> Iterator[RawLine]:
    """Every line of every file, CSV or JSON Lines (by extension: ``.jsonl``/``.ndjson``/
    ``.json`` read as JSON, anything else as CSV). ``-`` reads standard input (see
    :func:`open_stdin`)."""
    for raw in paths:
        if str(raw) == STDIN:
            handle, json_lines, array, name = open_stdin()
        else:
            path = Path(raw)
            name = str(path)
            json_lines = path.suffix.lower() in (".jsonl", ".ndjson", ".json")
            _UNDECODABLE[0] = False
            try:  # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark; newline="":
                # every line end splits lines (CR, LF, CRLF), none translated
                handle = path.open("r", encoding="utf-8-sig", errors=_FLAG_UNDECODABLE,
                                   newline="")
            except OSError as exc:
                raise InvoiceError(f"{path}: cannot read: {exc.strerror}") from None
            try:  # the first bytes, from the buffer the text is read through (no second open)
                start = cast(io.BufferedReader, handle.buffer).peek(_PEEK)[:_PEEK]
                _refuse_utf16(start[:2], name)
            except InvoiceError:
                handle.close()
                raise
            # one JSON array only in a .json file: a JSON Lines file whose first line is
            # a list is a file of lines, the first unreadable, never refused as a whole
            array = path.suffix.lower() == ".json" and _one_document(handle)
        with handle:
            if array:
                # standard input has no extension: text that starts with "[" but is not
                # one JSON array is JSON Lines whose first line is a list, read line by line
                yield from read_json_array(handle, name, columns,
                                           lines=raw == STDIN or _starts_with_brace(handle))
            elif json_lines:
                yield from read_jsonl(handle, name, columns, progress)
            else:
                yield from read_csv(handle, name, columns, progress)


STDIN = "-"
"""The file name that reads standard input."""
STDIN_NAME = "<stdin>"
"""How results name a line read from standard input."""


def open_stdin() -> tuple[IO[str], bool, bool, str]:
    """Standard input as text (opened as files are: every line end splits lines), and what
    it holds: (handle, JSON Lines?, one JSON document?, name). With no extension to go by,
    the first bytes decide: ``{`` is JSON Lines (or one object spread over lines, when its
    first line is no whole JSON value), ``[`` a JSON array, anything else CSV; Parquet
    (``PAR1``) cannot be read from a pipe."""
    import sys

    raw = getattr(sys.stdin, "buffer", None)
    if raw is None or not hasattr(raw, "peek"):  # replaced by text (a test, an embedding)
        data = sys.stdin.read() if raw is None else raw.read()
        raw = io.BufferedReader(io.BytesIO(data.encode() if isinstance(data, str) else data))
    start = raw.peek(_PEEK)[:_PEEK]
    head = start.removeprefix(b"\xef\xbb\xbf").lstrip()
    _refuse_utf16(start, STDIN_NAME)
    if start.startswith(b"PAR1"):
        raise InvoiceError("standard input holds Parquet, which is read from a file: give its "
                           "name instead of -")
    json_lines = head[:1] in (b"{", b"[")
    _UNDECODABLE[0] = False
    handle = io.TextIOWrapper(raw, encoding="utf-8-sig", errors=_FLAG_UNDECODABLE, newline="")
    first, ended = _first_line(head.decode("utf-8", "replace"))
    spread = head[:1] == b"{" and ended and load_json(first)[1] is not None
    return handle, json_lines, head[:1] == b"[" or spread, STDIN_NAME


_PEEK = 1 << 13
"""The first bytes of a file looked at before it is read (one buffer's worth)."""
_LINE_END = re.compile(r"[\r\n]")
"""Where a line ends: a carriage return or a line feed (the first of a CRLF)."""


def _first_line(start: str) -> tuple[str, bool]:
    """The first line of a text starting with ``start`` (without its line end), and
    whether its end is in ``start``.

    >>> _first_line('{"a": 1}\\r{"a": 2}\\n'), _first_line('{"a":')
    (('{"a": 1}', True), ('{"a":', False))
    """
    end = _LINE_END.search(start)
    return (start, False) if end is None else (start[:end.start()], True)


def _refuse_utf16(start: bytes, name: str) -> None:
    """A file saved as UTF-16 (Excel's "Unicode Text") starts with its byte-order mark;
    read as UTF-8 it would be one garbled header: say what it is instead."""
    if start[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InvoiceError(f"{name}: the file is UTF-16 text (it starts with a UTF-16 "
                           "byte-order mark); ratecard reads UTF-8: save it as UTF-8 (in "
                           "Excel: CSV UTF-8)")


_DOCUMENT_BYTES = 16 << 20
"""The largest ``.json`` file tried as one JSON object spread over lines."""


def _one_document(handle: IO[str]) -> bool:
    """Whether a ``.json`` file is read as one JSON document: an array (its first
    non-blank character is ``[``), or an object spread over lines (a pretty-printed task
    record, as the sellers' documents print them: its first line is no whole JSON value)
    in a file of at most :data:`_DOCUMENT_BYTES`. A document that turns out not to be one
    is read line by line (:func:`read_json_array` with ``lines``)."""
    start = handle.read(4096).lstrip()
    handle.seek(0)
    if start.startswith("["):
        return True
    if not start.startswith("{") or os.fstat(handle.fileno()).st_size > _DOCUMENT_BYTES:
        return False
    first, ended = _first_line(start)
    if not ended and len(first) >= 4000:
        return False  # a long first line: one object per line, read as lines
    _, problem = load_json(first)
    return problem is not None


def _starts_with_brace(handle: IO[str]) -> bool:
    start = handle.read(64).lstrip()
    handle.seek(0)
    return start.startswith("{")


_UNDECODABLE = [False]
"""Set when the file being read had bytes that are not UTF-8 (replaced by U+FFFD): from
then on each line is checked, and one holding a replacement is an INVALID_LINE."""
_FLAG_UNDECODABLE = "ratecard-flag-undecodable"


def _flag_undecodable(error: UnicodeError) -> tuple[str, int]:
    _UNDECODABLE[0] = True
    return ("\ufffd", error.end)  # type: ignore[attr-defined]


codecs.register_error(_FLAG_UNDECODABLE, _flag_undecodable)
NOT_UTF8 = "not UTF-8 text (undecodable bytes are shown as \ufffd)"


def read_csv(handle: IO[str], name: str, columns: Columns = Columns(),
             progress: Any = None) -> Iterator[RawLine]:
    """Lines of a CSV file with a header row: one :class:`RawLine` per record, and one per
    physical line of a malformed quoted record (:mod:`ratecard.reconcile.spans`), so a
    stray ``"`` never hides the records after it.

    >>> text = "task_id,provider,model,timestamp,duration,charged,currency,status\\n"
    >>> text += "t1,evolink,kling-v3-image-to-video,2026-11-01,5,27.0,credits,succeeded\\n"
    >>> [line.fields[:4] for line in read_csv(io.StringIO(text), "x.csv")]
    [('t1', 'evolink', 'kling-v3-image-to-video', '5')]
    """
    kept: list[_Chunk] = []  # chunks of physical lines, from the record in progress on
    wide = [False]  # a line beyond FIELD_LIMIT or a NUL was read: check fields from now on
    first = 1  # the number of kept[0]'s first line
    after = 1  # the number of the line after kept[-1]'s last
    end = 0  # physical line where the previous record ended

    def chunks() -> Iterator[list[str]]:
        nonlocal first, after
        for chunk in _line_chunks(handle):
            while kept and first + len(kept[0]) <= end + 1:  # lines of records given
                first += len(kept.pop(0))
            lines = _Chunk(chunk)  # one string: a stray quote keeps megabytes of lines
            if _BOM in lines.text:  # a second export appended, its byte-order mark kept
                chunk = [text[1:] if text[0] == _BOM else text for text in chunk]
                lines = _Chunk(chunk)
            kept.append(lines)
            after += len(chunk)
            if not wide[0] and (max(map(len, chunk)) > FIELD_LIMIT or NUL in lines.text):
                wide[0] = True
            if progress:  # advance(characters) once per line read
                for text in chunk:
                    progress.advance(len(text))
            yield chunk

    def span(start: int, stop: int) -> _Lines:
        """The physical lines ``start`` to ``stop`` (still kept: the record in progress),
        found from the last chunk back: never more chunks gone over than hold the span."""
        pieces: list[tuple[_Chunk, int, int]] = []
        top = after
        for chunk in reversed(kept):
            low = top - len(chunk)  # the number of the chunk's first line
            if low <= stop:
                pieces.append((chunk, max(start - low, 0), min(stop - low + 1, len(chunk))))
            if low <= start:
                break
            top = low
        return _Lines(pieces[::-1])

    def last(number: int) -> str:
        """The physical line ``number`` (still kept), from the last chunk back."""
        top = after
        for chunk in reversed(kept):
            low = top - len(chunk)
            if low <= number:
                return chunk.line(number - low)
            top = low
        return ""  # pragma: no cover

    reader = csv.reader(chain.from_iterable(chunks()), skipinitialspace=True)
    try:
        header = next(reader)
        if _separator_line(header, name):  # Excel's ``sep=,``: the header is next
            header = next(reader)
    except StopIteration:
        raise InvoiceError(f"{name}: the file is empty; a CSV invoice needs a header row "
                           f"({', '.join(REQUIRED)})") from None
    except csv.Error as exc:
        raise InvoiceError(f"{name}: unreadable CSV header: {exc}") from None
    names = [column.strip() for column in header]
    given = columns
    (width, again, pick, charged_at, currency_at, currency_size,
     as_written) = _layout(names, given, name)
    required = {fold(given.source_of(column)) for column in REQUIRED}
    new = tuple.__new__  # RawLine(...) without the Python-level __new__: ~150 ns a line

    def header_line(row: list[str]) -> str | None:
        """Why ``row`` is a header line, or ``None``: the header again, or another
        header (a second export appended, its columns in another order or another set),
        whose order the lines after it are then read in."""
        nonlocal width, again, pick, charged_at, currency_at, currency_size, as_written
        if len(row) == width and again(row):
            return _HEADER_AGAIN
        others = [value.strip() for value in row]
        if not required <= {fold(value.strip(BLANKS)) for value in others}:
            return None
        try:
            layout = _layout(others, given, name)
        except InvoiceError:  # a name twice: no header ratecard can read lines by
            return None
        (width, again, pick, charged_at, currency_at, currency_size,
         as_written) = layout
        return _HEADER_OTHER

    def one(row: list[str], number: int, note: tuple[int, int] | None = None) -> RawLine:
        """The line of ``row`` (the slow path: odd rows, rows of a span)."""
        if (why := header_line(row)) is not None:
            return RawLine(name, number, (), _noted(why, note))
        if len(row) == width:
            if _UNDECODABLE[0] and any("\ufffd" in value for value in row):
                return RawLine(name, number, (), _noted(NOT_UTF8, note))
            fields = stripped(pick([*row, ""]))
            why = unusable(fields)
            if why is not None:
                return RawLine(name, number, (), _noted(why, note))
            return new(RawLine, (name, number, fields, None, row[charged_at], None, None))
        if not row or (len(row) == 1 and not row[0].strip()):
            return RawLine(name, number, (), _noted("blank line", note))  # never dropped
        # no total counts a field of a row cut wrong: "60,5" is not 60
        return RawLine(name, number, (),
                       _noted(f"{len(row)} field{'' if len(row) == 1 else 's'} where the "
                              f"header has {width}", note))

    def broken(start: int, stop: int, lines: Sequence[str]) -> Iterator[RawLine]:
        """Each physical line of a malformed record, read on its own."""
        for number, row, problem in line_by_line(lines, start):
            if row is None:
                yield RawLine(name, number, (), in_span(problem or UNCLOSED, start, stop))
            else:
                yield one(row, number, (start, stop))

    end = reader.line_num
    while True:
        try:
            for row in reader:
                start = end + 1
                end = reader.line_num
                if end != start:  # one record over several lines: well formed, or not
                    lines = span(start, end)
                    if well_formed(lines, width):
                        yield one(row, start)
                    else:
                        yield from broken(start, end, lines)
                elif len(row) == width:
                    if _UNDECODABLE[0] and any("\ufffd" in value for value in row):
                        yield RawLine(name, start, (), NOT_UTF8, raw_charged=row[charged_at])
                        continue
                    row.append("")
                    for at in as_written:  # the others are read by readers ignoring blanks
                        row[at] = row[at].strip(BLANKS)
                    # a second export appended: its header line again (a currency, credits
                    # or USD, is never as long as the column's name, unless renamed), or
                    # in another order (a name where the charge belongs)
                    if ((len(row[currency_at]) >= currency_size
                         or not row[charged_at][:1].isdigit())
                            and (why := header_line(row[:-1])) is not None):
                        yield RawLine(name, start, (), why)
                        continue
                    fields = pick(row)
                    if wide[0] and (why := unusable(fields)) is not None:
                        yield RawLine(name, start, (), why)
                        continue
                    yield new(RawLine, (name, start, fields, None, row[charged_at], None, None))
                else:  # the last line may open a quote the end of the file never closes
                    text = last(end)
                    unclosed = '"' in text and alone(text)[1] == UNCLOSED
                    yield RawLine(name, start, (), UNCLOSED) if unclosed else one(row, start)
            return
        except csv.Error as exc:  # a field beyond the size limit: what it swallowed, line by line
            start, end = end + 1, reader.line_num
            lines = span(start, end)
            if len(lines) == 1:
                yield RawLine(name, start, (), f"unreadable CSV: {exc}")
            else:
                yield from broken(start, end, lines)


_CHUNK = 1 << 16
"""Characters of whole lines read at a time."""
_BOM = "\ufeff"
"""A byte-order mark: at the start of a line after the first, what is left of a second
export appended to the first (``cat a.csv b.csv``). It is no part of the line, in CSV
and JSON Lines alike: ``\\ufefft1`` would be a task of its own, never a duplicate of
``t1``."""
_HEADER_AGAIN = REASONS["header_again"].text
_HEADER_OTHER = REASONS["header_other"].text


class _Layout(NamedTuple):
    """How the rows under one header are read."""

    width: int
    again: Callable[[list[str]], bool]
    """Whether a row is this header again (:func:`_header_again`)."""
    pick: Callable[[list[str]], tuple[str, ...]]
    """The canonical fields of a row with ``""`` appended (absent columns read it)."""
    charged_at: int
    currency_at: int
    currency_size: int
    """The length of the currency column's name."""
    as_written: list[int]
    """Positions of the columns read as written, blanks around them aside."""


def _layout(names: list[str], columns: Columns, name: str) -> _Layout:
    """How to read the rows under the header ``names`` (an :class:`InvoiceError` for a
    header ratecard cannot read lines by: :func:`_positions`).

    >>> layout = _layout(["charged", "task_id", "provider", "model", "timestamp",
    ...                   "currency", "status"], Columns(), "x.csv")
    >>> layout.pick(["27", "t1", "evolink", "m", "2026-11-01", "credits", "succeeded", ""])[:2]
    ('t1', 'evolink')
    """
    columns = columns.resolved(names)
    positions = _positions(names, columns, name)
    width = len(names)
    charged_at = positions[COLUMNS.index("charged")]
    currency_at = positions[COLUMNS.index("currency")]
    assert charged_at is not None  # a required column
    assert currency_at is not None  # a required column
    # absent columns read the "" appended to every row; itemgetter picks fields in C
    pick = itemgetter(*(width if p is None else p for p in positions))
    as_written = [p for c, p in zip(COLUMNS, positions, strict=True)
                  if c in _AS_WRITTEN and p is not None]
    return _Layout(width, _header_again(names), pick, charged_at, currency_at,
                   len(names[currency_at]), as_written)


def _header_again(names: list[str]) -> Callable[[list[str]], bool]:
    """Whether a row of (at least) the header's width is the header ``names`` again, as
    a second export appended to the first writes it: each field its name, in any case and
    with blanks around it (quoted or not, after a byte-order mark: the CSV reader and
    :func:`read_csv` have taken those off).

    >>> again = _header_again(["id", "provider", "charged"])
    >>> again(["id", "provider", "charged"]), again([" ID", "Provider ", '"CHARGED"'[1:-1]])
    (True, True)
    >>> again(["id", "provider", "27"]), again(["i", "provider", "charged"])
    (False, False)
    """
    folded = [column.casefold() for column in names]

    def again(row: list[str]) -> bool:
        return all(value.strip().casefold() == column
                   for value, column in zip(row, folded, strict=False))

    return again


def _line_chunks(handle: IO[str]) -> Iterator[list[str]]:
    """Whole physical lines of ``handle`` (opened with ``newline=""``: a line ends with
    ``\\n``, ``\\r\\n`` or ``\\r``), some :data:`_CHUNK` characters at a time. A carriage
    return just before a CRLF is part of that line end: ``\\r\\r\\n`` is how a file
    converted to CRLF twice ends its lines (one line, never one and a blank one).

    >>> list(_line_chunks(io.StringIO("a\\r\\r\\nb\\r\\n\\r\\r\\nc\\rd", newline="")))
    [['a\\r\\r\\n', 'b\\r\\n', '\\r\\r\\n', 'c\\r', 'd']]
    """
    held: list[str] = []  # a line ending in a lone CR: its "\r\n" may come in the next read
    while chunk := handle.readlines(_CHUNK):
        if held:
            chunk[:0] = held
        if "\r\n" in chunk:  # a line that is a CRLF alone: a blank line, or a doubled CR
            lines: list[str] = []
            for text in chunk:
                if text == "\r\n" and lines and lines[-1][-1] == "\r":
                    lines[-1] += text
                else:
                    lines.append(text)
            chunk = lines
        held = [chunk.pop()] if chunk[-1][-1] == "\r" else []
        if chunk:
            yield chunk
    if held:
        yield held


class _Chunk:
    """Physical lines read at once, kept as one string and where each line starts in it
    (a line as its own string object costs some 50 bytes more: a stray quote that swallows
    16 MiB of two-character lines would hold 400 MB of them)."""

    __slots__ = ("starts", "text")

    def __init__(self, lines: list[str]) -> None:
        self.text = "".join(lines)
        self.starts = array("I" if len(self.text) < 1 << 32 else "Q",
                            accumulate(map(len, lines), initial=0))

    def __len__(self) -> int:
        return len(self.starts) - 1

    def line(self, index: int) -> str:
        return self.text[self.starts[index]:self.starts[index + 1]]


class _Lines(Sequence[str]):
    """Physical lines of kept chunks, each made a string only when it is read: ``(chunk,
    first, stop)`` pieces, the lines ``first`` to ``stop - 1`` of each chunk.

    >>> lines = _Lines([(_Chunk(["a\\n", "b\\n"]), 1, 2), (_Chunk(["c\\n", "d"]), 0, 2)])
    >>> list(lines), lines[0], lines[-1], list(lines[1:-1]), len(lines[2:9])
    (['b\\n', 'c\\n', 'd'], 'b\\n', 'd', ['c\\n'], 1)
    """

    def __init__(self, pieces: list[tuple[_Chunk, int, int]]) -> None:
        self.pieces = [piece for piece in pieces if piece[2] > piece[1]]

    def __len__(self) -> int:
        return sum(stop - first for _, first, stop in self.pieces)

    def __iter__(self) -> Iterator[str]:
        for chunk, first, stop in self.pieces:
            for index in range(first, stop):
                yield chunk.line(index)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> _Lines: ...

    def __getitem__(self, index: int | slice) -> str | _Lines:
        size = len(self)
        if isinstance(index, slice):
            lo, hi, step = index.indices(size)
            assert step == 1, "lines are sliced in order"
            pieces, at = [], 0
            for chunk, first, stop in self.pieces:
                count = stop - first
                pieces.append((chunk, first + max(lo - at, 0), first + min(hi - at, count)))
                at += count
            return _Lines(pieces)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError(index)
        for chunk, first, stop in self.pieces:
            if index < stop - first:
                return chunk.line(first + index)
            index -= stop - first
        raise AssertionError("an index within the lines")  # pragma: no cover


def _noted(reason: str, note: tuple[int, int] | None) -> str:
    return reason if note is None else in_span(reason, *note)


def read_jsonl(handle: IO[str], name: str, columns: Columns = Columns(),
               progress: Any = None) -> Iterator[RawLine]:
    """Lines of a JSON Lines file: one JSON object per line (at most
    :data:`JSON_LINE_LIMIT` characters), each ending in any line end (``\\n``, ``\\r\\n``,
    ``\\r\\r\\n`` or ``\\r``: :func:`_bounded_lines`), ``handle`` opened with
    ``newline=""`` (a handle that splits lines at line feeds only reads a carriage return
    as part of its line).

    >>> text = '{"task_id": "t1", "provider": "evolink", "charged": 27.0}\\n[1]\\n'
    >>> [(line.line, line.error) for line in read_jsonl(io.StringIO(text), "x.jsonl")]
    [(1, None), (2, 'not a JSON object')]
    """
    keys = _Keys(columns)
    for number, text in enumerate(_bounded_lines(handle, progress), start=1):
        if text is None:
            yield RawLine(name, number, (), _LINE_TOO_LONG)
            continue
        if text[0] == _BOM:  # a second export appended (the first mark is the decoder's)
            text = text[1:]
        if not text.strip():
            yield RawLine(name, number, (), "blank line")  # reported, never dropped
            continue
        if _UNDECODABLE[0] and "\ufffd" in text:
            yield RawLine(name, number, (), NOT_UTF8)
            continue
        data, problem = load_json(text)  # never raises (deep nesting, NaN, huge numbers)
        if problem is not None:
            yield RawLine(name, number, (), f"invalid JSON: {problem.message}")
            continue
        yield _json_line(data, name, number, keys)


_CHARGED_AT = COLUMNS.index("charged")


class _Keys:
    """The keys a JSON object holds each canonical column under (:meth:`Columns.resolved`
    for its keys: ``Task_Id`` is ``task_id``), remembered per distinct set of keys."""

    __slots__ = ("_columns", "_memo")

    def __init__(self, columns: Columns) -> None:
        self._columns = columns
        self._memo: dict[tuple[str, ...], list[str]] = {}

    def __call__(self, data: dict[str, Any]) -> list[str]:
        present = tuple(data)
        found = self._memo.get(present)
        if found is None:
            if len(self._memo) >= _KEY_SETS:
                self._memo.clear()
            resolved = self._columns.resolved(present)
            found = self._memo[present] = [resolved.source_of(c) for c in COLUMNS]
        return found


_KEY_SETS = 1_000
"""Most sets of keys remembered before starting afresh (objects of one export share a
few)."""

_INVOICE_OWN = tuple(COLUMNS.index(c) for c in ("task_id", "provider", "timestamp",
                                                 "charged", "currency"))
"""The columns no provider's task record has at its top level."""


def _json_line(data: object, name: str, number: int, keys: _Keys) -> RawLine:
    if not isinstance(data, dict):
        return RawLine(name, number, (), "not a JSON object")
    # a line naming the invoice's own task id, provider, timestamp, charge or currency is
    # an invoice line, whatever else it carries (an export that kept the seller's id and
    # usage beside them); a provider's task record has none of those keys
    sources = keys(data)
    provider = None if any(sources[i] in data for i in _INVOICE_OWN) else task_provider(data)
    if provider is not None:
        return RawLine(name, number, (), task=(provider, data))
    values = tuple(_text(data.get(source)) or "" for source in sources)
    why = unusable(values)
    if why is not None:
        return RawLine(name, number, (), why)
    return RawLine(name, number, values, raw_charged=_text(data.get(sources[_CHARGED_AT])))


def read_json_array(handle: IO[str], name: str, columns: Columns = Columns(),
                    lines: bool = False) -> Iterator[RawLine]:
    """Elements of a JSON array file (invoice lines or task records), numbered from 1, or
    the one object a file spreads over lines (line 1). ``lines``: text that is not one
    JSON array is read as JSON Lines instead of refused.

    Each element is parsed on its own (:mod:`ratecard.reconcile.arrays`): one that is not
    JSON (``NaN``, a key given twice...) or not an object is one INVALID_LINE naming the
    element and the line it starts on, and the others are read. The text is read twice,
    in chunks (its structure first, then its elements), never held whole; only a file
    whose structure is not one array is refused.

    >>> text = '[{"id": "t", "object": "video.generation.task"}, 5,\\n {"a": NaN}]'
    >>> [(line.line, line.task is not None, line.error) for line in
    ...  read_json_array(io.StringIO(text), "x.json")]  # doctest: +NORMALIZE_WHITESPACE
    [(1, True, None),
     (2, False, 'element 2 of the array (line 1, column 50): not a JSON object'),
     (3, False, 'element 3 of the array (line 2, column 2): invalid JSON: NaN is not a JSON
                 number (JSON has no NaN or Infinity)')]
    """
    if lines:  # standard input, or one object spread over lines: held whole, as ever
        handle = io.StringIO(handle.read(), newline="")
    start = handle.read(64).lstrip()
    handle.seek(0)
    if not start.startswith("["):
        yield from _read_document(handle.read(), name, columns, lines)
        return
    try:
        for _ in elements(handle, JSON_LINE_LIMIT):
            pass
    except BrokenArrayError as exc:
        handle.seek(0)
        if lines:
            yield from read_jsonl(handle, name, columns)
            return
        raise InvoiceError(f"{name}: not a JSON array of records: {exc}") from None
    handle.seek(0)
    keys = _Keys(columns)
    for number, element in enumerate(elements(handle, JSON_LINE_LIMIT), start=1):
        yield _element_line(element, name, number, keys)


_IN_ARRAY = REASONS["in_array"].format
_ELEMENT_TOO_LONG = REASONS["element_too_long"].format(limit=JSON_LINE_LIMIT)
_ELEMENT_EMPTY = REASONS["element_empty"].text
_AT_LINE = re.compile(r"at line (\d+), column (\d+)")


def _element_line(element: Element, name: str, number: int, keys: _Keys) -> RawLine:
    """One element of an array as an input line; an error names the element and where
    it starts."""
    def unreadable(why: str) -> RawLine:
        return RawLine(name, number, (), _IN_ARRAY(element=number, line=element.line,
                                                   column=element.column, reason=why))

    text = element.text
    if text is None:
        return unreadable(_ELEMENT_TOO_LONG)
    if not text.strip(" \t\r\n"):
        return unreadable(_ELEMENT_EMPTY)
    if _UNDECODABLE[0] and "\ufffd" in text:
        return unreadable(NOT_UTF8)
    data, problem = load_json(text)
    if problem is not None:  # where in the file, not in the element
        return unreadable("invalid JSON: " + _AT_LINE.sub(
            lambda at: _in_file(at, element, text), problem.message, count=1))
    line = _json_line(data, name, number, keys)
    return line if line.error is None else unreadable(line.error)


def _in_file(at: re.Match[str], element: Element, text: str) -> str:
    """``at line L, column C`` of an element's ``text`` (the JSON parser's words, its
    lines ended by line feeds only), as the line and column of the file, lines counted as
    the readers count them (the element starts at ``element.line``, ``element.column``).

    >>> text = '\\r {"a":\\r\\r NaN}'
    >>> _in_file(_AT_LINE.search("at line 1, column 11"), Element(4, 2, text), text)
    'at line 6, column 2'
    """
    row, column = int(at[1]), int(at[2])
    begins = 0  # where the parser's line ``row`` begins
    for _ in range(row - 1):
        begins = text.find("\n", begins) + 1
    lead = len(text) - len(text.lstrip(" \t\r\n"))
    at_char = max(begins + column - 1, lead)  # the element's position: its first character
    count, after = line_ends(text, lead, at_char)
    if not count:
        return f"at line {element.line}, column {element.column + at_char - lead}"
    return f"at line {element.line + count}, column {at_char - after + 1}"


def _read_document(text: str, name: str, columns: Columns,
                   lines: bool) -> Iterator[RawLine]:
    """One JSON object spread over lines (line 1); ``lines``: text that is not one is read
    as JSON Lines instead of refused."""
    data, problem = load_json(text)
    if problem is not None and lines:
        yield from read_jsonl(io.StringIO(text, newline=""), name, columns)
        return
    if problem is not None:
        whole = Element(*first_of((1, 1), text), text)
        raise InvoiceError(f"{name}: not a JSON array of records: " + _AT_LINE.sub(
            lambda at: _in_file(at, whole, text), problem.message, count=1))
    if not isinstance(data, Mapping):
        raise InvoiceError(f"{name}: a .json file holds a JSON array, or one object per line")
    yield _json_line(data, name, 1, _Keys(columns))


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value.strip(BLANKS) or None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):  # a JSON number: 1e1 is the number 10, as text "10"
        return plain(value)
    # a nested value where a scalar belongs (reported later); its numbers are Decimals
    return json.dumps(value, default=str)


def _positions(names: list[str], columns: Columns, name: str) -> list[int | None]:
    """Where each canonical column is in the header ``names``; a required column missing
    or a column that is read given twice is an error of the whole file.

    >>> _positions(["task_id", "provider", "model", "timestamp", "charged", "currency",
    ...             "status", "charged"], Columns(), "x.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ratecard.reconcile.readers.InvoiceError: x.csv: the header names charged twice (columns 5 ...
    """
    if not any(names):  # a blank line (or only separators) where the header belongs
        raise InvoiceError(f"{name}: line 1 names no column: a CSV file's first line is its header "
                           f"({', '.join(REQUIRED)}, ...)")
    index: dict[str, int] = {}
    read = {columns.source_of(column) for column in COLUMNS}
    for i, column in enumerate(names):
        if column in index and column in read:
            raise InvoiceError(
                f"{name}: the header names {column} twice (columns {index[column] + 1} and "
                f"{i + 1}): which one holds the value is not guessed; rename or remove one")
        index[column] = i
    _refuse_other_separator(names, columns, name)
    require_columns(names, columns, name, "the header has")
    return [index.get(columns.source_of(column)) for column in COLUMNS]


_SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}
"""Field separators of other exports, recognised in a header read as one column."""


def _separator_line(row: list[str], name: str) -> bool:
    """Whether the first line ``row`` is the separator a spreadsheet declares before the
    header (Excel writes ``sep=,`` there, for instance): ``sep=,`` is read past; a line
    declaring another separator refuses the file, which is not comma-separated.

    >>> _separator_line(["sep=", ""], "x.csv"), _separator_line(["task_id", "sep="], "x.csv")
    (True, False)
    >>> _separator_line(["sep=;"], "x.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ratecard.reconcile.readers.InvoiceError: x.csv: line 1 ('sep=;') declares semicolons ...
    """
    if len(row) == 2 and row[0].lower() == "sep=" and not row[1]:
        return True
    if len(row) == 1 and row[0][:4].lower() == "sep=" and row[0][4:] in _SEPARATORS:
        raise InvoiceError(
            f"{name}: line 1 ({row[0]!r}) declares {_SEPARATORS[row[0][4:]]} as the field "
            "separator: ratecard reads comma-separated CSV (in Excel: save as CSV UTF-8 "
            "(comma delimited)); the separator is not guessed")
    return False


def _refuse_other_separator(names: list[str], columns: Columns, name: str) -> None:
    """A header that is one column holding the required names separated by another
    character: the file is not comma-separated. Said as such (never guessed and read),
    rather than as columns missing.

    >>> _refuse_other_separator(["task_id;provider;model;timestamp;charged;currency;status"],
    ...                         Columns(), "x.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ratecard.reconcile.readers.InvoiceError: x.csv: the header is separated by semicolons, ...
    """
    if len(names) != 1:
        return
    for separator, word in _SEPARATORS.items():
        parts = [part.strip() for part in names[0].split(separator)]
        if len(parts) > 1 and all(columns.source_of(c) in parts for c in REQUIRED):
            raise InvoiceError(
                f"{name}: the header is separated by {word}, not commas: ratecard reads "
                "comma-separated CSV (in Excel: save as CSV UTF-8 (comma delimited)); the "
                "separator is not guessed")


def require_columns(present: Sequence[str], columns: Columns, name: str,
                    has: str = "the file has") -> None:
    """Every required column is among ``present`` (through the ``--column`` mapping), or
    an :class:`InvoiceError` naming what is missing (and the name it was looked for
    under) and what ``name`` ``has``."""
    missing = [c for c in REQUIRED if columns.source_of(c) not in present]
    if missing:
        wanted = ", ".join(
            c if columns.source_of(c) == c else f"{c} (as {columns.source_of(c)})"
            for c in missing)
        raise InvoiceError(
            f"{name}: required column{'s' if len(missing) > 1 else ''} missing: {wanted}; "
            f"{has} {', '.join(present) or 'nothing'} (map other names with "
            "--column CANONICAL=THEIRS)")


def _bounded_lines(handle: IO[str], progress: Any = None) -> Iterator[str | None]:
    """The lines of ``handle`` (opened with ``newline=""``: a line ends with ``\\n``,
    ``\\r\\n`` or ``\\r``), each ``None`` where it is longer than :data:`JSON_LINE_LIMIT`
    characters (read past in pieces, never held whole). A carriage return just before a
    CRLF is part of that line end (``\\r\\r\\n``: a file converted to CRLF twice), as in
    CSV (:func:`_line_chunks`).

    >>> list(_bounded_lines(io.StringIO("a\\n" + "x" * JSON_LINE_LIMIT + "yz\\nb")))
    ['a\\n', None, 'b']
    >>> list(_bounded_lines(io.StringIO("a\\rb\\r\\r\\nc\\r\\n\\rd", newline="")))
    ['a\\r', 'b\\r\\r\\n', 'c\\r\\n', '\\r', 'd']
    """
    read, size = handle.readline, JSON_LINE_LIMIT + 1
    after = read(size)  # the piece after ``text``: a CRLF ending it may be there
    while after:
        text, after = after, read(size)
        if text[-1] == "\r" and after in _CRLF:  # one line end, however the reads fell
            text += after
            after = read(size)
        if len(text) <= JSON_LINE_LIMIT or text[-1] in _ENDS:
            if progress:  # advance(characters) once per line read
                progress.advance(len(text))
            yield text
            continue
        read_past = len(text)
        while text[-1] not in _ENDS and after:  # the rest of the long line, in pieces
            text, after = after, read(size)
            if text[-1] == "\r" and after in _CRLF:
                text += after
                after = read(size)
            read_past += len(text)
        if progress:
            progress.advance(read_past)
        yield None


_ENDS = "\r\n"
_CRLF = ("\n", "\r\n")
"""What follows a piece ending in a carriage return to make one line end with it (a
CRLF split between two reads, or the CRLF of a CR CR LF)."""


def lines_from_text(text: str, name: str = "<text>", columns: Columns = Columns()) -> list[RawLine]:
    """Parse CSV text (for tests and notebooks)."""
    return list(read_csv(io.StringIO(text), name, columns))
