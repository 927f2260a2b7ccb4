"""The fal card keeps the shared contract."""

from __future__ import annotations

from tests.contract import CardContract


class TestFalCard(CardContract):
    provider = "fal"
