"""The elements of a JSON array, one at a time, each as its own text.

A ``.json`` invoice may be one JSON array of invoice lines or task records. Parsed whole,
one bad element (``NaN``, a key given twice, a lone surrogate, nesting too deep, a syntax
error inside it) made the whole file unreadable. :func:`elements` instead splits the
array by its structure alone (brackets, braces, commas and strings), so each element is
parsed on its own and a bad one is one bad line. The text is read in chunks and an
element is held only up to ``limit`` characters (a longer one comes back as ``None``), so
memory stays bounded whatever the file holds.

What cannot be split (text before ``[`` or after the closing ``]``, a bracket that closes
nothing, a string or an array left open at the end) is :class:`BrokenArrayError`: the file is
not one JSON array, and no element of it is trusted.

>>> import io
>>> [(e.line, e.column, e.text) for e in elements(io.StringIO('[1, {"a": [2, 3]},\\n "x"]'))]
[(1, 2, '1'), (1, 5, ' {"a": [2, 3]}'), (2, 2, '\\n "x"')]
>>> [e.text for e in elements(io.StringIO('[1,,NaN,]'))]
['1', '', 'NaN', '']
>>> list(elements(io.StringIO('[1, 2')))
Traceback (most recent call last):
ratecard.reconcile.arrays.BrokenArrayError: the array is not closed: the text ends inside element 2
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, NamedTuple

__all__ = ["BrokenArrayError", "Element", "elements", "first_of", "line_ends"]

_CHUNK = 1 << 16
_STRUCTURE = re.compile(r'["\[\]{},]')
_STRING_BODY = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*', re.S)
_BLANKS = " \t\r\n"  # JSON's whitespace
_LONE_CR = re.compile(r"\r(?!\r?\n)")
"""A carriage return that ends a line itself: not the first of a CRLF or of a CR CR LF
(whose line feed ends the line)."""


def line_ends(text: str, start: int, stop: int) -> tuple[int, int]:
    """How many lines end in ``text[start:stop]``, counted as the readers count them (a
    line feed, a CRLF, a CR CR LF or a lone carriage return is one line end each: see
    :mod:`ratecard.reconcile.readers`), and where the line after the last begins (``-1``
    when none ends). Whether a carriage return is lone is seen in the two characters of
    ``text`` after it, even past ``stop``.

    >>> line_ends("a\\rb\\r\\nc\\r\\r\\nd\\n", 0, 11), line_ends("a\\r\\nb", 0, 2)
    ((4, 11), (0, -1))
    """
    count = text.count("\n", start, stop)
    after = text.rfind("\n", start, stop) + 1 or -1
    if text.find("\r", start, stop) >= 0:
        for cr in _LONE_CR.finditer(text, start, min(stop + 2, len(text))):
            if cr.start() >= stop:
                break
            count += 1
            after = max(after, cr.end())
    return count, after


class BrokenArrayError(Exception):
    """The text is not one JSON array (its structure, not an element, is broken)."""


class Element(NamedTuple):
    """One element of the array."""

    line: int
    """The line of the text where the element starts (its first non-blank character)."""
    column: int
    text: str | None
    """Its text, blanks around it kept; ``None`` when longer than the limit."""


def elements(handle: IO[str], limit: int = 1 << 20) -> Iterator[Element]:
    """Each element of the JSON array ``handle`` holds, in order, as text (``""`` for
    nothing between two commas, or between a comma and the closing ``]``), or
    :class:`BrokenArrayError` once the structure shows the text is not one array."""
    scan = _Scan(limit)
    while chunk := handle.read(_CHUNK):
        while chunk[-1] == "\r" and (more := handle.read(1)):  # a CRLF kept whole
            chunk += more
        yield from scan.chunk(chunk)
    scan.end()


class _Scan:
    """Where a scan of the array's text is, from one chunk to the next."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.depth = 0  # 0: outside the array; 1: between its elements; more: inside one
        self.done = False  # the array was closed
        self.in_string = self.escaped = False
        self.count = 0  # elements begun
        self.pieces: list[str] = []  # the text of the element in progress, so far
        self.size = 0
        self.over = False  # the element in progress is longer than the limit
        self.begun = False  # an element is in progress
        self.start = (0, 0)  # (line, column) where the element in progress begins
        self.line, self.line_start, self.offset = 1, 0, 0  # at self.scanned of the chunk
        self.text = ""
        self.scanned = self.piece_from = 0

    def where(self, p: int) -> tuple[int, int]:
        """(line, column) of position ``p`` of the chunk (never before the last asked)."""
        if p > self.scanned:
            count, after = line_ends(self.text, self.scanned, p)
            if count:
                self.line += count
                self.line_start = self.offset + after
            self.scanned = p
        return self.line, self.offset + p - self.line_start + 1

    def begin(self, p: int) -> None:
        self.begun, self.count, self.piece_from = True, self.count + 1, p
        self.start = self.where(p)

    def finish(self, end: int) -> Element:
        if self.over:
            first, text = self.start, None
        else:
            text = "".join([*self.pieces, self.text[self.piece_from:end]])
            first = first_of(self.start, text)
            if len(text) > self.limit:
                text = None
        self.pieces, self.size, self.over, self.begun = [], 0, False, False
        return Element(first[0], first[1], text)

    def broken(self, what: str, p: int) -> BrokenArrayError:
        line, column = self.where(p)
        place = "after the array" if self.done else "before ["
        return BrokenArrayError(f"{what} {place} at line {line}, column {column}")

    def chunk(self, text: str) -> Iterator[Element]:
        self.text, self.scanned, self.piece_from = text, 0, 0
        n, pos = len(text), 0
        while pos < n:
            if self.in_string:
                pos = self._string(pos)
                continue
            found = _STRUCTURE.search(text, pos)
            stop = n if found is None else found.start()
            if self.depth == 0 or self.done:
                between = text[pos:stop]
                if between.strip(_BLANKS):
                    raise self.broken("text", stop - len(between.lstrip(_BLANKS)))
            if found is None:
                break
            mark = found.group()
            pos = found.end()
            if self.done or (self.depth == 0 and mark != "["):
                raise self.broken(mark, stop)
            if mark == '"':
                self.in_string = True
            elif mark in "[{":
                self.depth += 1
                if self.depth == 1:
                    self.begin(pos)
            elif mark in "]}":
                self.depth -= 1
                if self.depth == 0:
                    self.done = True
                    if self.count > 1 or self.over or "".join(
                            [*self.pieces, text[self.piece_from:stop]]).strip(_BLANKS):
                        yield self.finish(stop)
                    else:  # [] or [ ]: no element
                        self.count, self.pieces, self.size, self.begun = 0, [], 0, False
            elif self.depth == 1:  # a comma between elements
                yield self.finish(stop)
                self.begin(pos)
        self.where(n)
        if self.begun and not self.over:
            self.size += n - self.piece_from
            self.pieces.append(text[self.piece_from:])
            if self.size > self.limit:  # no longer held: where it starts is kept
                self.over, self.start = True, first_of(self.start, "".join(self.pieces))
                self.pieces = []
        self.offset += n

    def _string(self, pos: int) -> int:
        """Past the string the scan is in, from ``pos``; the chunk's end if it goes on."""
        if self.escaped:
            self.escaped = False
            return pos + 1
        end = _STRING_BODY.match(self.text, pos).end()  # type: ignore[union-attr]
        if end == len(self.text):
            return end
        if self.text[end] == "\\":  # a backslash ends the chunk: it escapes the next
            self.escaped = True
            return len(self.text)
        self.in_string = False
        return end + 1

    def end(self) -> None:
        if self.in_string:
            raise BrokenArrayError(
                f"a string is not closed: the text ends inside element {self.count}")
        if not self.done and self.depth == 0:
            raise BrokenArrayError("no array: the text is blank")
        if not self.done:
            raise BrokenArrayError(
                f"the array is not closed: the text ends inside element {self.count}")


def first_of(start: tuple[int, int], text: str) -> tuple[int, int]:
    """Where (line, column) the first non-blank character of ``text`` is, ``text``
    starting at ``start``.

    >>> first_of((3, 7), " x"), first_of((3, 7), "\\r\\n  x"), first_of((3, 7), "\\r\\rx")
    ((3, 8), (4, 3), (5, 1))
    """
    lead = len(text) - len(text.lstrip(_BLANKS))
    count, after = line_ends(text, 0, lead)
    if not count:
        return start[0], start[1] + lead
    return start[0] + count, lead - after + 1
