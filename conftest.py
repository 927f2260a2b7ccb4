"""Doctests make their example folders under pytest's own temporary directory, which
pytest prunes, not in the system's (``tempfile.mkdtemp()`` in an example left a
``/tmp/ratecard-*`` folder behind on every run)."""

from __future__ import annotations

import tempfile

import pytest
from _pytest.doctest import DoctestItem


@pytest.fixture(autouse=True)
def _doctest_folders(request: pytest.FixtureRequest,
                     tmp_path_factory: pytest.TempPathFactory,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    if isinstance(request.node, DoctestItem):
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path_factory.mktemp("doctest")))
