"""Krea (market-prices.md, from docs.krea.ai seen 2026-11): the card keeps the shared
contract and reproduces the table's USD prices per second.

Each figure is copied from market-prices.md; the tests do not read the file.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ratecard import QuoteError
from tests.card_data import quote_usd as usd
from tests.card_data import sources
from tests.contract import CardContract
from tests.strategies import CATALOG


class TestKreaCard(CardContract):
    provider = "krea"


# -------------------------------------------------------------------------------- market-prices.md

@pytest.mark.parametrize(
    ("quality", "sound", "per_second"),
    [("720p", False, "0.1764"), ("720p", True, "0.2646"), ("1080p", False, "0.2352"),
     ("1080p", True, "0.3528"), ("4k", False, "0.441"), ("4k", True, "0.441")],
)
def test_krea_prices_per_second(quality: str, sound: bool, per_second: str) -> None:
    for model in ("kling-3.0-text-to-video", "kling-3.0-image-to-video"):
        assert usd("krea", model, 10, quality, sound) == Decimal(per_second) * 10


def test_krea_4k_5_s_is_2_205_with_or_without_audio() -> None:
    for sound in (False, True):
        assert usd("krea", "kling-3.0-image-to-video", 5, "4k", sound) == Decimal("2.205")


def test_krea_cites_market_prices_md_checked_on_a_check_date() -> None:
    """market-prices.md says "seen 2026-11": that month is when a page was seen, not the
    day a fact of this card was checked against market-prices.md."""
    for document, checked_on, _, _ in sources(CATALOG.cards["krea"]):
        assert document == "market-prices.md", document
        assert checked_on != date(2026, 11, 1)


@pytest.mark.parametrize("model", ["kling-3.0-text-to-video", "kling-3.0-image-to-video"])
def test_krea_takes_3_to_15_s(model: str) -> None:
    """market-prices.md: "Kling 3.0, 3-15 s"."""
    assert usd("krea", model, 3) == Decimal("0.5292")    # 3 s x 0.1764
    assert usd("krea", model, 15) == Decimal("2.646")    # 15 s x 0.1764
    for seconds in ("2.9", "15.1"):
        with pytest.raises(QuoteError) as info:
            usd("krea", model, seconds)
        assert info.value.code == "INVALID_DURATION"
