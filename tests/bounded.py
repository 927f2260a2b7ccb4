"""Guards for tests of hostile input: an input must be answered quickly and in little
memory, whatever it is. These are hang and blow-up detectors with generous limits, not
performance assertions (performance is measured in ``bench/``)."""

from __future__ import annotations

import signal
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

SECONDS = 20
"""Longer than any honest answer takes on a loaded 2-core machine, by a wide margin."""
MEGABYTES = 64
"""Python allocations one hostile input may make at peak."""


class HangError(AssertionError):
    """An input took longer than :data:`SECONDS`."""


@contextmanager
def bounded(seconds: int = SECONDS, megabytes: int = MEGABYTES) -> Iterator[None]:
    """Fail when the block runs longer than ``seconds`` or allocates more than
    ``megabytes`` at peak (Python allocations, measured by tracemalloc)."""

    def alarm(signum: int, frame: FrameType | None) -> None:
        raise HangError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    tracemalloc.start()
    try:
        yield
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert peak <= megabytes * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB > {megabytes} MiB"
