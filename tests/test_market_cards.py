"""The new rate cards reproduce shared/market-prices.md, and say where each price is from.

Each figure below is copied from market-prices.md (or, where it says so, the page the card
cites); the tests do not read the file.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from ratecard import Need
from ratecard.cards.schema import RateCard
from tests.route_strategies import CATALOG

NEW_CARDS = ("fal", "krea", "comfy", "modellix", "kling-official")


def usd(provider: str, model: str, seconds: int | str, quality: str | None = None,
        sound: bool | None = None, *, edit: bool = False) -> Decimal | None:
    if edit:
        return CATALOG.quote(provider, model, quality=quality, sound=sound,
                             input_seconds=seconds).usd
    return CATALOG.quote(provider, model, quality=quality, sound=sound, duration=seconds).usd


# --------------------------------------------------------------------------- fal


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


# --------------------------------------------------------------------------- Krea


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


# --------------------------------------------------------------------------- Comfy


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


# --------------------------------------------------------------------------- Modellix


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


# --------------------------------------------------------------------------- official


def test_the_official_kling_price_is_a_reference_at_0_084_per_second() -> None:
    card = CATALOG.cards["kling-official"]
    assert card.reference is True
    assert {o.family for o in card.offerings} == {"kling-3.0", "kling-o3"}
    for offering in card.offerings:
        assert (offering.qualities, offering.sounds) == (["720p"], ["off"])
        assert usd("kling-official", offering.id, 10) == Decimal("0.840000")
    assert all(not card.reference for p, card in CATALOG.cards.items()
               if p != "kling-official")


# --------------------------------------------------------------------------- sources


def sources(card: RateCard) -> list[tuple[str, date, str | None, str]]:
    found: list[tuple[str, date, str | None, str]] = []
    for offering in card.offerings:
        for version in offering.prices:
            found.append((version.source.document, version.source.checked_on,
                          version.source.note, version.source.basis))
        for feature in offering.features:
            found.append((feature.source.document, feature.source.checked_on,
                          feature.source.note, feature.source.basis))
    return found


@pytest.mark.parametrize("provider", NEW_CARDS)
def test_every_new_price_cites_market_prices_or_a_seed_and_a_check_date(provider: str) -> None:
    """The market cards were written from market-prices.md, so it is their document (the
    pages it reports are named in notes, not cited as if they had been read)."""
    for document, checked_on, note, basis in sources(CATALOG.cards[provider]):
        assert document == "market-prices.md" or re.match(
            r"^\d{3}_[0-9a-f]{16}\.txt$", document), document
        assert checked_on >= date(2026, 1, 1)
        if basis == "inferred":
            assert note


def test_market_prices_dates_are_check_dates_not_page_dates() -> None:
    """A checked_on is the day a fact was checked against its document: never the first of
    the month a page was seen in, nor the day a pull request was merged."""
    page_dates = {date(2026, 11, 1), date(2026, 5, 8), date(2026, 6, 22)}
    for provider in NEW_CARDS:
        for _, checked_on, _, _ in sources(CATALOG.cards[provider]):
            assert checked_on not in page_dates, (provider, checked_on)


def test_kling3api_still_has_no_credit_value() -> None:
    card = CATALOG.cards["kling3api"]
    assert card.credit_values == []
    assert CATALOG.quote("kling3api", "pro-text-to-video").usd is None
