"""A progress bar on stderr for long work: lines done, lines per second and the time left.

The bar is tqdm's. Whether it is shown is the caller's choice (the command line shows it
when stderr is a terminal, or with ``--progress``); a disabled bar costs nothing, and the
readers are given no bar at all then.

:class:`LineProgress` counts the lines a reader reads; when the input's size is known it
estimates the number of lines from the share of bytes read, so the bar has a total and an
ETA while the files are still being read.

>>> import io
>>> out = io.StringIO()
>>> bar = LineProgress(total_bytes=30, enabled=True, stream=out, label="reading")
>>> for text in ("a,b\\n", "1,2\\n", "3,4\\n"):
...     bar.advance(len(text))
>>> bar.close()
>>> bar.lines, "reading" in out.getvalue(), "100%" in out.getvalue()
(3, True, True)
>>> LineProgress(total_bytes=30, enabled=False, stream=out).enabled
False
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

from tqdm import tqdm

_EVERY = 512
"""Lines between two updates of the bar (tqdm redraws at most 5 times a second)."""


def bar(label: str, total: float | None, enabled: bool, stream: TextIO | None = None,
        unit: str = " lines") -> tqdm:  # type: ignore[type-arg]
    """A tqdm bar on ``stream`` (default stderr) counting ``unit`` with SI prefixes
    (``1.2M lines``), or a disabled one that prints nothing."""
    stream = stream or sys.stderr
    # a terminal that says its size: follow it; one that says 0 x 0 (a bare pseudo-terminal)
    # would get no bar at all from tqdm, so it gets a fixed one
    sized = enabled and _width(stream) > 0
    return tqdm(total=total, desc=label, unit=unit, unit_scale=True, file=stream,
                disable=not enabled, mininterval=0.2, dynamic_ncols=sized,
                ncols=None if sized else 100, nrows=None if sized else 24, leave=True)


def _width(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):  # not a terminal, or a test's StringIO
        return 0


class LineProgress:
    """Counts lines read (``advance(bytes_of_the_line)``) and shows them as a bar whose
    total is estimated from the bytes read against ``total_bytes`` (``None``: unknown,
    e.g. standard input; the bar then shows lines and rate without an ETA)."""

    def __init__(self, total_bytes: int | None, enabled: bool, stream: TextIO | None = None,
                 label: str = "reconciling") -> None:
        self.enabled = enabled
        self.total_bytes = total_bytes if total_bytes and total_bytes > 0 else None
        self.bytes = 0
        self.lines = 0
        self._next = _EVERY
        self._bar = bar(label, None, enabled, stream)

    def advance(self, amount: int) -> None:
        """One more line of ``amount`` bytes (characters) read."""
        self.bytes += amount
        self.lines += 1
        if self.lines >= self._next:
            self._next = self.lines + _EVERY
            self._show()

    def _show(self) -> None:
        if self.total_bytes is not None and self.bytes:
            share = min(self.bytes / self.total_bytes, 1.0)
            estimate = max(int(self.lines / share), self.lines)
            if self._bar.total != estimate:
                self._bar.total = estimate
        self._bar.update(self.lines - self._bar.n)

    def close(self) -> None:
        """The final count (the total becomes the lines read), and the line finished."""
        if self.enabled:
            self._bar.total = self.lines
            self._bar.update(self.lines - self._bar.n)
        self._bar.close()
