"""CSV records that span several physical lines: one record when well formed, else each
line on its own.

A quoted CSV field may hold line breaks, so one record can span several physical lines.
A stray ``"`` opens such a field by mistake: the CSV reader then swallows every following
line into it, up to the next quote or the field size limit (16 MiB), and the records on
those lines vanish. :func:`well_formed` tells the two apart; a span that is not well
formed is re-read one physical line at a time (:func:`line_by_line`), so every line gets
its own result.

A span is well formed when it reads, quotes held to the letter (``strict``), as exactly
one record of the header's width, and no line after its first reads on its own as a
complete record of that width: a multi-line field rarely holds a line that is one, while
the lines a stray quote swallows always are. The last line needs a closer look, as the
field's tail comes first on it: ``"multi`` then ``line",evolink,...`` is one record whose
last line, alone, also reads as a record of the header's width (``line"`` and the other
fields). So the last line is taken for a swallowed record when it reads as one and the
span's quoted field does not open the record (``e2,...,"5 inch`` then
``e3,...,12 inch"``: two records, the second one's charge otherwise lost), or opens it on
a first line that, its quote read as a character, is itself a record of the header's
width. A quoted field that does not open its record and whose last line holds as many
commas as fields precede it (``t1,"a`` then ``b,c",x`` for a header of three columns)
cannot be told from a swallowed record by its shape: it is read line by line too, each
line with its own result, never a line lost. Blank inner lines change nothing: the two
quotes of ``e2,...,"5 inch``, a blank line, ``e3,...,12 inch"`` are the same two records.

>>> lines = ['t1,"a\\n', 'b",3\\n']
>>> well_formed(lines, 3)
True
>>> well_formed(['t1,"oops,3\\n', 't2,x,3"\\n'], 3)
False
>>> lines = ['t1,"oops,3\\n', 't2,x,3\\n', 't3,y,3\\n']
>>> well_formed(lines, 3)
False
>>> for number, row, problem in line_by_line(lines, 2):
...     print(number, row, problem)
2 None a quoted field is not closed on its line
3 ['t2', 'x', '3'] None
4 ['t3', 'y', '3'] None
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence

from ratecard.reconcile.reasons import REASONS

UNCLOSED = REASONS["quote_unclosed"].text
"""Why a line of a broken span is unreadable when its quote runs past its end."""
_BROKEN_SPAN = REASONS["broken_span"].format


def _reader(lines: Sequence[str], strict: bool) -> Iterator[list[str]]:
    return csv.reader(lines, strict=strict, skipinitialspace=True)


def _eof_message() -> str:
    try:
        list(_reader(['"'], strict=True))
    except csv.Error as exc:
        return str(exc)
    raise AssertionError("csv accepts an unclosed quote in strict mode")  # pragma: no cover


_EOF = _eof_message()
"""The csv module's words for a quoted field still open at the end of the input."""


def alone(text: str) -> tuple[list[str] | None, str | None]:
    """One physical line read on its own: its fields, or ``None`` and why it cannot be.

    Read as the CSV reader reads any line (quotes in mid-field are characters), except that
    a quoted field must close on the line.

    >>> alone('a,"b"x,c\\n'), alone('a,"b\\n')
    ((['a', 'bx', 'c'], None), (None, 'a quoted field is not closed on its line'))
    """
    try:
        rows = list(_reader([text], strict=True))
    except csv.Error as exc:
        if str(exc) == _EOF:
            return None, UNCLOSED
        try:
            rows = list(_reader([text], strict=False))
        except csv.Error as again:  # a line longer than the field size limit
            return None, f"unreadable CSV: {again}"
    return (rows[0] if rows else []), None


def well_formed(lines: Sequence[str], width: int) -> bool:
    """Whether the physical ``lines`` one record spans are that one record (see the
    module's docstring), for a header of ``width`` columns."""
    try:
        rows = list(_reader(lines, strict=True))
    except csv.Error:
        return False
    if len(rows) != 1 or len(rows[0]) != width:
        return False
    for text in lines[1:-1]:
        if _width(text) == width:
            return False
    if len(lines) > 1 and _width(lines[-1]) == width:  # a record's own shape, or swallowed?
        opened = _loose(lines[0])
        return len(opened) == 1 and _width(lines[0], quotes=False) != width
    return True


def _width(text: str, quotes: bool = True) -> int | None:
    """How many fields one physical line holds read on its own, quotes held to the letter
    (or, not ``quotes``, read as characters); ``None`` when it cannot be read so (a quote
    it does not close)."""
    try:
        rows = list(csv.reader([text], strict=True, skipinitialspace=True,
                               quoting=csv.QUOTE_MINIMAL if quotes else csv.QUOTE_NONE))
    except csv.Error:
        return None
    return len(rows[0]) if rows else 0


def _loose(text: str) -> list[str]:
    """One physical line's fields read as the csv module reads a line that opens a quoted
    field it does not close: the field runs to the end of the line."""
    try:
        rows = list(csv.reader([text], skipinitialspace=True))
    except csv.Error:  # a line beyond the field size limit
        return []
    return rows[0] if rows else []


def line_by_line(lines: Sequence[str], first: int
                 ) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """Each of ``lines`` (numbered from ``first``) read on its own: ``(number, fields,
    None)``, or ``(number, None, why)`` when the line cannot be read (see :func:`alone`)."""
    for number, text in enumerate(lines, start=first):
        row, problem = alone(text)
        yield number, row, problem


def in_span(reason: str, first: int, last: int) -> str:
    """Why a line of the broken span ``first``-``last`` is unreadable, naming the span.

    >>> print(in_span("blank line", 3, 10))
    blank line (lines 3-10 were one malformed quoted record, read line by line)
    """
    return _BROKEN_SPAN(reason=reason, first=first, last=last)
