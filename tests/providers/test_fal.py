"""fal.ai (market-prices.md, from fal's model pages seen 2026-11): the card keeps the
shared contract and reproduces the table's USD prices per second.

Each figure is copied from market-prices.md (or, where it says so, the page the card
cites); the tests do not read the file.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ratecard import Need
from tests.card_data import quote_usd as usd
from tests.card_data import sources
from tests.contract import CardContract
from tests.strategies import CATALOG


class TestFalCard(CardContract):
    provider = "fal"


# -------------------------------------------------------------------------------- market-prices.md

@pytest.mark.parametrize(
    ("model", "quality", "sound", "per_second"),
    [
        ("v3-pro-image-to-video", "1080p", False, "0.112"),
        ("v3-pro-image-to-video", "1080p", True, "0.168"),
        ("v3-pro-image-to-video-voice-control", "1080p", True, "0.196"),
        ("v3-standard-text-to-video", "720p", False, "0.084"),
        ("v3-standard-text-to-video", "720p", True, "0.126"),
        ("v3-standard-text-to-video-voice-control", "720p", True, "0.154"),
        ("v3-turbo-pro-image-to-video", "1080p", False, "0.14"),
        ("v3-turbo-pro-image-to-video", "1080p", True, "0.14"),
        ("v3-turbo-standard-image-to-video", "720p", True, "0.112"),
        ("o3-standard-image-to-video", "720p", False, "0.084"),
        ("o3-standard-image-to-video", "720p", True, "0.112"),
        ("o1-standard-image-to-video", "720p", False, "0.084"),
        ("o1-image-to-video", "1080p", False, "0.112"),
    ],
)
def test_fal_prices_per_second(model: str, quality: str, sound: bool, per_second: str) -> None:
    assert usd("fal", model, 10, quality, sound) == Decimal(per_second) * 10


def test_fal_standard_text_to_video_10_s_with_audio_is_1_26() -> None:
    q = CATALOG.quote("fal", "v3-standard-text-to-video", duration=10, sound="on")
    assert (q.credits, q.usd, q.currency) == (Decimal("1.260000"), Decimal("1.260000"), "USD")


def test_fal_o3_edit_is_billed_by_the_input_video_within_3_to_10_s() -> None:
    assert usd("fal", "o3-pro-video-to-video-edit", "7.5", edit=True) == Decimal("2.520000")
    need = Need(family="kling-o3", mode="video-edit", input_seconds=12)
    codes = {(e.provider, e.model): e.code for e in CATALOG.compare(need).exclusions}
    assert codes[("fal", "o3-pro-video-to-video-edit")] == "INVALID_DURATION"


def test_fal_records_the_playground_vs_llms_txt_conflict() -> None:
    (conflict,) = CATALOG.cards["fal"].conflicts
    values = " ".join(claim.value for claim in conflict.claims)
    assert "0.112" in values
    assert "0.224" in values
    assert any("llms.txt" in (c.source.quote or "") for c in conflict.claims)


def test_fal_cites_market_prices_md_checked_on_a_check_date() -> None:
    """market-prices.md says "seen 2026-11": that month is when a page was seen, not the
    day a fact of this card was checked against market-prices.md."""
    for document, checked_on, _, _ in sources(CATALOG.cards["fal"]):
        assert document == "market-prices.md", document
        assert checked_on != date(2026, 11, 1)


# market-prices.md's fal endpoints; an offering id is the endpoint with "-" for "/", and
# the voice-control column is an offering of its own
FAL_ENDPOINTS = [
    "v3/pro/image-to-video", "v3/standard/text-to-video", "v3/turbo/pro/image-to-video",
    "v3/turbo/standard/image-to-video", "o3/standard/image-to-video",
    "o3/pro/video-to-video/edit", "o1/standard/image-to-video", "o1/image-to-video",
]
VOICE_CONTROL = {"v3/pro/image-to-video", "v3/standard/text-to-video"}


def test_the_table_is_the_whole_fal_card() -> None:
    ids = {endpoint.replace("/", "-") for endpoint in FAL_ENDPOINTS}
    ids |= {endpoint.replace("/", "-") + "-voice-control" for endpoint in VOICE_CONTROL}
    assert ids == {offering.id for offering in CATALOG.cards["fal"].offerings}


def test_pro_renders_1080p_and_standard_720p() -> None:
    """market-prices.md: 'Kling "std" mode renders 720p, "pro" renders 1080p'."""
    for offering in CATALOG.cards["fal"].offerings:
        if "-pro-" in offering.id:
            assert offering.qualities == ["1080p"], offering.id
        if "-standard-" in offering.id:
            assert offering.qualities == ["720p"], offering.id


@pytest.mark.parametrize("seconds", ["3", "5.5", "10"])
def test_fal_o3_edit_is_0_336_per_second_of_input(seconds: str) -> None:
    assert usd("fal", "o3-pro-video-to-video-edit", seconds, edit=True) == \
        Decimal("0.336") * Decimal(seconds)
