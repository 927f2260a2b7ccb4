"""A minimal progress line on stderr, shown only when stderr is a terminal.

>>> import io
>>> bar = Progress(total=1000, stream=io.StringIO())
>>> bar.enabled
False
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Counts processed bytes against a total and redraws at most 5 times a second."""

    def __init__(self, total: int, stream: TextIO | None = None, label: str = "reading") -> None:
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.total = max(total, 1)
        self.done = 0
        self.label = label
        self._next = 0.0
        self._start = time.monotonic()

    def advance(self, amount: int) -> None:
        """Count ``amount`` more bytes."""
        self.done += amount
        now = time.monotonic()
        if self.enabled and now >= self._next:
            self._next = now + 0.2
            self._draw(now)

    def _draw(self, now: float) -> None:
        share = min(self.done / self.total, 1.0)
        filled = int(share * 30)
        rate = self.done / max(now - self._start, 1e-9) / 1e6
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] "
                          f"{share:6.1%}  {rate:5.1f} MB/s")
        self.stream.flush()

    def close(self) -> None:
        """Finish the line."""
        if self.enabled:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
