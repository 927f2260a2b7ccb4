"""Keep the test session hermetic: compiled catalogs are cached in a fresh directory.

``ratecard.load`` caches compiled catalogs (``$RATECARD_CACHE_DIR``, else the user's cache
directory). A user's cache must not influence what the tests see, so the session uses an
empty cache of its own, set before any test module loads a catalog. The cache still runs:
the first load of a set of files writes it and later loads read it back.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest
from hypothesis import settings

from tests.budget import examples, use_quick_budget

_SAVED: dict[str, str | None] = {}
_CACHE_DIRS: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    markexpr = " ".join(str(config.getoption("markexpr", "") or "").split())
    quick = markexpr == "not slow"
    use_quick_budget(quick)
    if quick:  # properties that name no budget of their own draw a fifth of the default
        settings.register_profile("quick", max_examples=examples(settings().max_examples))
        settings.load_profile("quick")
    for name in ("RATECARD_CACHE_DIR", "RATECARD_NO_CACHE"):
        _SAVED[name] = os.environ.get(name)
    directory = tempfile.mkdtemp(prefix="ratecard-test-cache-")
    _CACHE_DIRS.append(directory)
    os.environ["RATECARD_CACHE_DIR"] = directory
    os.environ.pop("RATECARD_NO_CACHE", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    for name, value in _SAVED.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    for directory in _CACHE_DIRS:
        shutil.rmtree(directory, ignore_errors=True)
