"""The kling-official card keeps the shared contract."""

from __future__ import annotations

from tests.contract import CardContract


class TestKlingOfficialCard(CardContract):
    provider = "kling-official"
