"""How many examples each property draws: in full in CI and any complete run, a fifth in the
quick local run (``pytest -m "not slow"``), so that run stays under a minute.

The quick run is recognised by its marker expression; :func:`examples` is read when a test
module builds its ``settings``, after ``tests/conftest.py`` has seen the command line.

>>> examples(150) >= 1
True
"""

from __future__ import annotations

QUICK_SHARE = 5
"""The quick run draws one example in this many (at least 10 per property)."""

_quick = False


def use_quick_budget(quick: bool) -> None:
    """Called once by ``tests/conftest.py`` with whether this is the quick run."""
    global _quick
    _quick = quick


def examples(full: int) -> int:
    """``full`` in a complete run; in the quick one a fifth of it (at least 10, at most
    ``full``)."""
    return min(full, max(10, full // QUICK_SHARE)) if _quick else full
