"""The official Kling API (seeds 000 and 004, via market-prices.md): a reference card at
$0.084 per second that keeps the shared contract.

Each figure is copied from market-prices.md; the tests do not read the file.
"""

from __future__ import annotations

from decimal import Decimal

from tests.card_data import quote_usd as usd
from tests.contract import CardContract
from tests.strategies import CATALOG


class TestKlingOfficialCard(CardContract):
    provider = "kling-official"


# -------------------------------------------------------------------------------- market-prices.md

def test_the_official_kling_price_is_a_reference_at_0_084_per_second() -> None:
    card = CATALOG.cards["kling-official"]
    assert card.reference is True
    assert {o.family for o in card.offerings} == {"kling-3.0", "kling-o3"}
    for offering in card.offerings:
        assert (offering.qualities, offering.sounds) == (["720p"], ["off"])
        assert usd("kling-official", offering.id, 10) == Decimal("0.840000")
    assert all(not card.reference for p, card in CATALOG.cards.items()
               if p != "kling-official")
