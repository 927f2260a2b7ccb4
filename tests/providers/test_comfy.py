"""The comfy card keeps the shared contract."""

from __future__ import annotations

from tests.contract import CardContract


class TestComfyCard(CardContract):
    provider = "comfy"
