"""Modellix (market-prices.md, from modellix.ai seen 2026-11): the card keeps the shared
contract and keeps the page's sound-off price above its sound-on price, as the page says.

Each figure is copied from market-prices.md; the tests do not read the file.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ratecard import Need
from tests.card_data import sources
from tests.contract import CardContract
from tests.strategies import CATALOG


class TestModellixCard(CardContract):
    provider = "modellix"


# -------------------------------------------------------------------------------- market-prices.md

def test_modellix_prices_sound_off_above_sound_on_as_the_page_says() -> None:
    model = "kling-v3-omni-video.text-to-video"
    per_second = {(q, s): CATALOG.quote("modellix", model, duration=3, quality=q,
                                        sound=s).unit_rate
                  for q in ("720p", "1080p") for s in (False, True)}
    assert per_second == {("720p", False): Decimal("0.17"), ("720p", True): Decimal("0.15"),
                          ("1080p", False): Decimal("0.23"), ("1080p", True): Decimal("0.19")}
    assert per_second[("720p", False)] > per_second[("720p", True)]
    need = Need(family="kling-o3", mode="text-to-video", quality="720p", duration=10)
    modellix = [c for c in CATALOG.compare(need).candidates if c.provider == "modellix"]
    assert [(c.sound, c.usd) for c in modellix] == [
        (True, Decimal("1.500000")), (False, Decimal("1.700000"))]


def test_modellix_cites_market_prices_md_checked_on_a_check_date() -> None:
    """market-prices.md says "seen 2026-11": that month is when a page was seen, not the
    day a fact of this card was checked against market-prices.md."""
    for document, checked_on, _, _ in sources(CATALOG.cards["modellix"]):
        assert document == "market-prices.md", document
        assert checked_on != date(2026, 11, 1)


def test_the_page_is_the_whole_modellix_card_in_both_modes() -> None:
    """The Kling V3 Omni prices apply to text-to-video and image-to-video alike."""
    card = CATALOG.cards["modellix"]
    assert {(o.id, o.mode) for o in card.offerings} == {
        ("kling-v3-omni-video.text-to-video", "text-to-video"),
        ("kling-v3-omni-video.image-to-video", "image-to-video")}
    table = {("720p", True): "0.15", ("720p", False): "0.17",
             ("1080p", True): "0.19", ("1080p", False): "0.23"}
    for (quality, sound), per_second in table.items():
        q = CATALOG.quote("modellix", "kling-v3-omni-video.image-to-video", duration=10,
                          quality=quality, sound=sound)
        assert (q.unit_rate, q.usd) == (Decimal(per_second), Decimal(per_second) * 10)
