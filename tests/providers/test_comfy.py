"""Comfy partner nodes (market-prices.md, from Comfy-Org/docs pulls 971 and 1173): the
card keeps the shared contract and reproduces the USD per second and the printed credits
(211 credits = 1 USD).

Each figure is copied from market-prices.md; the tests do not read the file.
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


class TestComfyCard(CardContract):
    provider = "comfy"


# -------------------------------------------------------------------------------- market-prices.md

def test_comfy_kling_v3_std_10_s_is_0_84_usd_and_177_24_credits() -> None:
    q = CATALOG.quote("comfy", "kling-v3-text-to-video", duration=10, quality="720p",
                      sound=False)
    assert (q.credits, q.usd, q.credits_per_usd) == (
        Decimal("177.2400"), Decimal("0.840000"), Decimal(211))


@pytest.mark.parametrize(
    ("model", "quality", "sound", "usd_per_second"),
    [
        ("kling-v3-image-to-video", "720p", True, "0.126"),
        ("kling-v3-image-to-video", "1080p", False, "0.112"),
        ("kling-v3-image-to-video", "1080p", True, "0.168"),
        ("kling-v3-image-to-video", "4k", False, "0.42"),
        ("kling-v3-image-to-video", "4k", True, "0.42"),
        ("kling-v3-omni-text-to-video", "720p", False, "0.084"),
        ("kling-v3-omni-text-to-video", "720p", True, "0.112"),   # audio adds 0.028
        ("kling-v3-omni-image-to-video", "1080p", False, "0.112"),
        ("kling-v3-omni-image-to-video", "1080p", True, "0.14"),  # audio adds 0.028
        ("kling-v3-omni-image-to-video", "4k", True, "0.448"),  # at every quality
        ("kling-video-o1-text-to-video", "720p", False, "0.084"),
        ("kling-video-o1-image-to-video", "1080p", False, "0.112"),
    ],
)
def test_comfy_usd_prices(model: str, quality: str, sound: bool, usd_per_second: str) -> None:
    assert usd("comfy", model, 10, quality, sound) == Decimal(usd_per_second) * 10


def test_comfy_o1_with_video_input_is_its_edit_offering() -> None:
    for quality, per_second in (("720p", "0.126"), ("1080p", "0.168")):
        assert usd("comfy", "kling-video-o1-video-edit", 10, quality, edit=True) == \
            Decimal(per_second) * 10


def test_comfy_turbo_is_priced_in_printed_credits_whatever_the_sound() -> None:
    """market-prices.md lists one turbo price per resolution, with no audio distinction."""
    for sound in (False, True):
        q = CATALOG.quote("comfy", "kling-3.0-turbo-image-to-video", duration=10,
                          quality="1080p", sound=sound)
        assert (q.credits, q.sound) == (Decimal("295.4000"), sound)
    need = Need(family="kling-3.0-turbo", mode="image-to-video", sound=False, duration=10)
    served = {(c.provider, c.model) for c in CATALOG.compare(need).candidates}
    assert ("comfy", "kling-3.0-turbo-image-to-video") in served


def test_comfy_records_its_credit_rounding_conflict() -> None:
    subjects = [c.subject for c in CATALOG.cards["comfy"].conflicts]
    assert len(subjects) == 1
    claims = " ".join(claim.value for c in CATALOG.cards["comfy"].conflicts
                      for claim in c.claims)
    assert "17.72" in claims
    assert "17.724" in claims


def test_comfy_cites_market_prices_md_not_the_pull_requests() -> None:
    """The card was written from market-prices.md, which reports the pull requests: it is
    the document, and a pull request's merge day is not a check date."""
    for document, checked_on, _, _ in sources(CATALOG.cards["comfy"]):
        assert document == "market-prices.md", document
        assert checked_on not in (date(2026, 5, 8), date(2026, 6, 22))


def test_comfy_turbo_720p_is_the_printed_23_63_credits_per_second() -> None:
    for model in ("kling-3.0-turbo-text-to-video", "kling-3.0-turbo-image-to-video"):
        for sound in (False, True):
            q = CATALOG.quote("comfy", model, duration=10, quality="720p", sound=sound)
            assert (q.unit_rate, q.credits) == (Decimal("23.63"), Decimal("236.3000"))


def test_comfy_omni_with_audio_is_priced_from_usd_not_the_printed_credits() -> None:
    """0.084 + 0.028 = 0.112 USD/s x 211 = 23.632 credits/s; the page prints 23.63."""
    q = CATALOG.quote("comfy", "kling-v3-omni-text-to-video", duration=10, quality="720p",
                      sound=True)
    assert (q.credits, q.usd) == (Decimal("236.3200"), Decimal("1.120000"))
