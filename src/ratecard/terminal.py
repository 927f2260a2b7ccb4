"""Tables for a terminal: values that came from input are shown, never obeyed.

A provider, model, task id or card text can hold control characters: an escape sequence
(``\\x1b[2J`` clears the screen, ``\\x1b]0;...`` retitles the window), a carriage return
that overwrites the row, a right-to-left override that shows a line in another order.
:func:`text_table` writes each such character as its escape (``\\x1b``); line breaks are kept,
as a cell may wrap on purpose, unless ``line_breaks=False`` (a table of values from an
input, where a line feed could draw a row of its own: it is written ``\\n``).

>>> print(text_table([["evo\\x1b[31mlink", "t\\u202e1"]], headers=["provider", "task"]))
provider         task
---------------  --------
evo\\x1b[31mlink  t\\u202e1
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["printable", "printable_json", "text_table"]

_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                      "\u202a-\u202e\u2066-\u2069]")
"""Control characters but the line feed, C1 controls, and the marks and overrides that
reorder text on screen (bidirectional formatting), and Unicode's own line separators."""
_CONTROL_AND_LF = re.compile(f"{_CONTROL.pattern[:-1]}\n]")
""":data:`_CONTROL` and the line feed."""


def printable(text: str, line_breaks: bool = True) -> str:
    """``text`` with every control character written as its escape (the line feed too
    when not ``line_breaks``).

    >>> printable("a\\rb"), printable("plain 价格"), printable("a\\nb", line_breaks=False)
    ('a\\\\rb', 'plain 价格', 'a\\\\nb')
    """
    control = _CONTROL if line_breaks else _CONTROL_AND_LF
    if text.isprintable() or not control.search(text):
        return text
    return control.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def printable_json(text: str) -> str:
    """JSON ``text`` with every control character written as a JSON escape (``\\u202e``),
    so that it stays the same JSON: for a body shown in a table.

    >>> printable_json('{"prompt": "a\\u009bb\\u202e"}')
    '{"prompt": "a\\\\u009bb\\\\u202e"}'
    """
    if text.isprintable() or not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def text_table(rows: Iterable[Sequence[Any]], headers: Sequence[str] = (),
               line_breaks: bool = True, **options: Any) -> str:
    """``tabulate(rows, headers, **options)`` with every text cell :func:`printable` (line
    feeds escaped too when not ``line_breaks``); numbers are never parsed
    (``disable_numparse``) and the format is ``simple`` unless ``tablefmt`` says
    otherwise."""
    options.setdefault("tablefmt", "simple")
    options.setdefault("disable_numparse", True)
    safe = [[printable(cell, line_breaks) if isinstance(cell, str) else cell for cell in row]
            for row in rows]
    shown = [printable(h) for h in headers]
    table = _plain_table(safe, shown, options)
    if table is not None:
        return table
    from tabulate import tabulate

    return str(tabulate(safe, headers=shown, **options))


_PLAIN_CELL = re.compile("(?:[!-~](?:[ -~]*[!-~])?)?")
"""A cell that tabulate shows as written: printable ASCII without leading or trailing
spaces (so never stripped, wrapped differently, measured wider or split into lines)."""


def _plain_table(rows: list[list[Any]], headers: list[str],
                 options: dict[str, Any]) -> str | None:
    """The table tabulate writes in its ``simple`` (with headers) or ``plain`` format,
    without importing it (with ``importlib.metadata`` and ``wcwidth``, a large part of a
    short command's time), or ``None`` outside the cases written exactly here: every cell
    and header a :data:`_PLAIN_CELL` text (but ``True``/``False``, which tabulate reads as
    booleans), numbers not parsed, each cell within its ``maxcolwidths`` (nothing to wrap).
    Columns are left-aligned, at least two wider than their header, joined by two spaces,
    and each line is right-stripped, as tabulate does."""
    fmt = options.get("tablefmt")
    if not rows or fmt not in ("simple", "plain") or (fmt == "simple" and not headers) \
            or options.get("disable_numparse") is not True \
            or set(options) - {"tablefmt", "disable_numparse", "maxcolwidths"}:
        return None
    columns = len(rows[0])
    given = options.get("maxcolwidths")
    if (given is not None and type(given) not in (list, tuple)) \
            or (headers and len(headers) != columns):
        return None
    limits = [*(given or ())][:columns]
    limits += [None] * (columns - len(limits))
    widths = [len(h) + 2 for h in headers] if headers else [0] * columns
    for row in rows:
        if len(row) != columns:
            return None
        for i, cell in enumerate(row):
            if type(cell) is not str or cell in ("True", "False") \
                    or not _PLAIN_CELL.fullmatch(cell):
                return None
            limit = limits[i]
            if limit is not None and len(cell) > limit:
                return None
            widths[i] = max(widths[i], len(cell))
    if any(not _PLAIN_CELL.fullmatch(h) for h in headers):
        return None
    lines = []
    if headers:
        lines.append("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
        if fmt == "simple":
            lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                 for row in rows)
    return "\n".join(lines)
