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
    from tabulate import tabulate

    options.setdefault("tablefmt", "simple")
    options.setdefault("disable_numparse", True)
    safe = [[printable(cell, line_breaks) if isinstance(cell, str) else cell for cell in row]
            for row in rows]
    return str(tabulate(safe, headers=[printable(h) for h in headers], **options))
