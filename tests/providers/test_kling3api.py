"""The kling3api card keeps the shared contract."""

from __future__ import annotations

from tests.contract import CardContract


class TestKling3apiCard(CardContract):
    provider = "kling3api"
