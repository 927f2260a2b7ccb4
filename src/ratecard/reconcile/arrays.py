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

__all__ = ["BrokenArrayError", "Element", "elements"]

_CHUNK = 1 << 16
_STRUCTURE = re.compile(r'["\[\]{},]')
_STRING_BODY = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*', re.S)
_BLANKS = " \t\r\n"  # JSON's whitespace


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
            self.line += self.text.count("\n", self.scanned, p)
            newline = self.text.rfind("\n", self.scanned, p)
            if newline >= 0:
                self.line_start = self.offset + newline + 1
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
            first = _first(self.start, text)
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
                self.over, self.start = True, _first(self.start, "".join(self.pieces))
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


def _first(start: tuple[int, int], text: str) -> tuple[int, int]:
    """Where the first non-blank character of ``text`` is, ``text`` starting at ``start``."""
    lead = text[:len(text) - len(text.lstrip(_BLANKS))]
    newlines = lead.count("\n")
    if not newlines:
        return start[0], start[1] + len(lead)
    return start[0] + newlines, len(lead) - lead.rfind("\n")
