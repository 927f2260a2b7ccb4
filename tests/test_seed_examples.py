"""The worked examples of the source documents (``shared/seeds/``), reproduced exactly.

The documents' own request bodies and task records are copied here (the tests do not read
``shared/``), with the seed they come from.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

import ratecard
from ratecard import Catalog, QuoteError
from tests.strategies import CATALOG


def native(text: str) -> dict[str, Any]:
    """A JSON document as the provider wrote it, numbers read as Decimal (never float)."""
    value: dict[str, Any] = json.loads(text, parse_float=Decimal)
    return value


# --------------------------------------------------------------------------- EvoLink

# seed 001, "Response Example" of POST /v1/videos/generations (kling-v3-image-to-video)
EVOLINK_TASK = native("""{
  "created": 1757169743,
  "id": "task-unified-1757169743-v3i2v",
  "model": "kling-v3-image-to-video",
  "object": "video.generation.task",
  "progress": 0,
  "status": "pending",
  "task_info": {"can_cancel": true, "estimated_time": 180, "video_duration": 5},
  "type": "video",
  "usage": {"billing_rule": "per_second", "credits_reserved": 27.0, "user_group": "default"}
}""")


def test_evolink_task_reserves_27_credits_for_5_s_at_720p_without_sound() -> None:
    reserved = EVOLINK_TASK["usage"]["credits_reserved"]
    assert reserved == Decimal("27.0")
    quote = CATALOG.quote("evolink", EVOLINK_TASK["model"],
                          duration=EVOLINK_TASK["task_info"]["video_duration"])
    assert (quote.quality, quote.sound) == ("720p", False)  # the documented defaults
    assert quote.credits == reserved
    assert quote.billed_seconds == Decimal(5)
    assert quote.usd == Decimal("0.375")
    assert quote.warnings == ()


def test_evolink_defaults_alone_reproduce_the_task() -> None:
    quote = CATALOG.quote("evolink", "kling-v3-image-to-video")
    assert quote.billed_seconds == Decimal(5)
    assert quote.credits == Decimal("27.0")


# seed 001 "Pricing": quality, sound, credits per second, USD per second.
KLING3_PER_SECOND = [
    ("720p", "off", "5.4", Fraction(Decimal("0.075"))),
    ("720p", "on", "8.1", Fraction(Decimal("0.1125"))),
    ("1080p", "off", "7.1982", Fraction(Decimal("0.0999750"))),  # = 7.1982 / 72
    ("1080p", "on", "10.8", Fraction(Decimal("0.15"))),
]


@pytest.mark.parametrize("model", ["kling-v3-image-to-video", "kling-v3-text-to-video"])
@pytest.mark.parametrize(("quality", "sound", "credits", "usd"), KLING3_PER_SECOND)
@pytest.mark.parametrize("seconds", [3, 5, 10, 15])
def test_seed_001_per_second_prices(
    model: str, quality: str, sound: str, credits: str, usd: Fraction, seconds: int
) -> None:
    quote = CATALOG.quote("evolink", model, duration=seconds, quality=quality, sound=sound)
    assert quote.billed_seconds == seconds
    assert quote.unit_rate == Decimal(credits)
    assert quote.amount_exact == Decimal(credits) * seconds
    assert quote.usd_exact is not None
    assert quote.usd_exact / seconds == usd
    assert Fraction(Decimal(credits)) / 72 == usd


@pytest.mark.parametrize(("quality", "sound", "credits", "usd"), KLING3_PER_SECOND)
def test_seed_001_offerings_table(quality: str, sound: str, credits: str, usd: Fraction) -> None:
    rows = [
        row for row in CATALOG.offerings("evolink")
        if (row.model, row.quality, row.sound) == ("kling-v3-image-to-video", quality, sound)
    ]
    assert len(rows) == 1
    assert rows[0].kind == "per_second"
    assert rows[0].price == Decimal(credits)
    assert rows[0].usd == Decimal(usd.numerator) / Decimal(usd.denominator)  # exact to 1e-6
    assert rows[0].source == "001_82db72441ebb5bb7.txt"


# seed 001, "Request Example (First Frame)" and "(First + End Frame)"
FIRST_FRAME = native("""{
  "model": "kling-v3-image-to-video",
  "prompt": "A gentle breeze moves through the scene",
  "image_start": "https://example.com/portrait.jpg",
  "duration": 5,
  "quality": "720p"
}""")
FIRST_AND_END_FRAME = native("""{
  "model": "kling-v3-image-to-video",
  "prompt": "Transition from day to night",
  "image_start": "https://example.com/day.jpg",
  "image_end": "https://example.com/night.jpg",
  "duration": 10,
  "quality": "1080p",
  "sound": "on"
}""")


def evolink_quote(body: dict[str, Any]) -> ratecard.Quote:
    return CATALOG.quote("evolink", body["model"], duration=body.get("duration"),
                         quality=body.get("quality"), sound=body.get("sound"))


def test_seed_001_first_frame_request() -> None:
    quote = evolink_quote(FIRST_FRAME)
    assert quote.credits == Decimal(27)
    assert quote.usd == Decimal("0.375")


def test_seed_001_first_and_end_frame_request() -> None:
    quote = evolink_quote(FIRST_AND_END_FRAME)
    assert quote.credits == Decimal(108)
    assert quote.usd == Decimal("1.5")
    assert quote.usd_exact == Fraction(3, 2)
    assert quote.unit_rate == Decimal("10.8")


@pytest.mark.parametrize(("quality", "rate"), [("720p", "8.1"), ("1080p", "10.8054")])
@pytest.mark.parametrize("seconds", ["3", "7", "12"])
def test_seed_000_o3_video_edit_per_second(quality: str, rate: str, seconds: str) -> None:
    quote = CATALOG.quote("evolink", "kling-o3-video-edit", input_seconds=Decimal(seconds),
                          quality=quality)
    assert quote.unit_rate == Decimal(rate)
    assert quote.billed_seconds == Decimal(seconds)
    assert quote.amount_exact == Decimal(rate) * Decimal(seconds)
    assert quote.sound is False


def test_seed_000_o3_video_edit_rounds_to_whole_seconds() -> None:
    """"Billed by output video duration, rounded to nearest integer"."""
    quote = CATALOG.quote("evolink", "kling-o3-video-edit", input_seconds="7.4",
                          quality="1080p")
    assert quote.billed_seconds == Decimal(7)
    assert quote.credits == Decimal("75.6378")


@pytest.mark.parametrize(
    ("input_seconds", "billed"),
    [("1", 3), ("2.5", 3), ("3", 3), ("7", 7), ("9.5", Decimal("9.5")), ("10", 10),
     ("25", 10), ("600", 10)],
)
def test_seed_002_o1_video_edit_12_credits_billed_3_to_10_s(
    input_seconds: str, billed: int | Decimal
) -> None:
    quote = CATALOG.quote("evolink", "kling-o1-video-edit", input_seconds=Decimal(input_seconds))
    assert quote.unit_rate == Decimal(12)
    assert quote.billed_seconds == billed
    assert quote.credits == 12 * Decimal(billed)
    assert quote.usd_exact == Fraction(Decimal(billed)) * 12 / 72


# --------------------------------------------------------------------------- kling3api

# seed 003, GET /api/status response
KLING3API_STATUS = native("""{
  "code": 200,
  "message": "success",
  "data": {
    "task_id": "n75abc123kling3",
    "status": "SUCCESS",
    "consumed_credits": 400,
    "created_at": "2026-02-05T10:30:00Z",
    "request": {
      "type": "pro-text-to-video",
      "prompt": "A majestic eagle soaring through clouds at sunset",
      "duration": 5,
      "aspect_ratio": "16:9"
    },
    "response": ["https://cdn.example.com/videos/abc123.mp4"],
    "error_message": null,
    "type": "pro-text-to-video"
  }
}""")


def test_seed_003_status_record_consumes_400_credits_usd_unknown() -> None:
    data = KLING3API_STATUS["data"]
    request = data["request"]
    assert "sound" not in request  # the default, true, applies
    quote = CATALOG.quote("kling3api", request["type"], duration=request["duration"],
                          at=data["created_at"])
    assert quote.sound is True
    assert quote.credits == data["consumed_credits"] == 400
    assert quote.usd is None
    assert quote.usd_exact is None
    assert len(quote.warnings) == 1
    assert quote.warnings[0].startswith("USD unknown: ")
    assert "publishes no USD value" in quote.warnings[0]
    assert quote.to_dict()["usd"] is None


def test_seed_003_generate_example_with_sound_true() -> None:
    quote = CATALOG.quote("kling3api", "pro-text-to-video", duration=5, sound=True)
    assert quote.credits == Decimal(400)


# seed 003 "可用模型": type, credits per second without audio, with audio
KLING3API_PER_SECOND = [
    ("pro-text-to-video", 54, 80),
    ("pro-image-to-video", 54, 80),
    ("std-text-to-video", 40, 60),
    ("std-image-to-video", 40, 60),
    ("o3-pro-text-to-video", 48, 48),
    ("o3-pro-image-to-video", 48, 48),
    ("o3-pro-reference-to-video", 72, 72),
    ("o3-std-text-to-video", 36, 36),
    ("o3-std-image-to-video", 36, 36),
    ("o3-std-reference-to-video", 20, 20),
]
KLING3API_FIXED = [("o3-pro-video-edit", 435), ("o3-std-video-edit", 360)]


def test_seed_003_table_is_the_whole_kling3api_card() -> None:
    listed = {model for model, _, _ in KLING3API_PER_SECOND} | {m for m, _ in KLING3API_FIXED}
    assert listed == {offering.id for offering in CATALOG.cards["kling3api"].offerings}


@pytest.mark.parametrize(("model", "off", "on"), KLING3API_PER_SECOND)
@pytest.mark.parametrize("seconds", ["3", "5", "7", "15"])
def test_seed_003_per_second_prices(model: str, off: int, on: int, seconds: str) -> None:
    for sound, rate in (("off", off), ("on", on)):
        quote = CATALOG.quote("kling3api", model, duration=Decimal(seconds), sound=sound)
        assert quote.unit_rate == rate
        assert quote.billed_seconds == Decimal(seconds)
        assert quote.amount_exact == rate * Decimal(seconds)
        assert quote.credits == (rate * Decimal(seconds)).to_integral_value()


@pytest.mark.parametrize(("model", "price"), KLING3API_FIXED)
@pytest.mark.parametrize("seconds", [None, "3", "10", "42.5"])
def test_seed_003_fixed_prices(model: str, price: int, seconds: str | None) -> None:
    for sound in (False, True):
        quote = CATALOG.quote("kling3api", model, input_seconds=seconds, sound=sound)
        assert quote.credits == price
        assert quote.billed_seconds is None


# --------------------------------------------------------------------------- dates

REPRICED = """\
provider: repriced
name: A card whose price and credit value change on 2026-03-01
currency: credits
credit_values:
  - credits_per_usd: 72
    effective_from: 2025-01-01
    effective_to: 2026-03-01
    source: {document: market-prices.md, checked_on: 2026-11-21, basis: documented}
  - credits_per_usd: 80
    effective_from: 2026-03-01
    source: {document: market-prices.md, checked_on: 2026-11-21, basis: documented}
defaults: {quality: 720p, sound: off, duration: 5}
rounding:
  amount: {mode: half_up, precision: 0.0001}
  usd: {mode: half_up, precision: 0.000001}
offerings:
  - id: gen
    family: kling-3.0
    mode: text-to-video
    qualities: [720p]
    sounds: [off]
    accepts:
      duration:
        min: 3
        max: 15
        integer: true
        source: {document: market-prices.md, checked_on: 2026-11-21, basis: documented}
    billing:
      basis: duration
      source: {document: market-prices.md, checked_on: 2026-11-21, basis: documented}
    prices:
      - effective_to: 2026-03-01
        per_second: 5.4
        source: {document: market-prices.md, checked_on: 2026-11-21, basis: documented}
      - effective_from: 2026-03-01
        per_second: 6
        source: {document: market-prices.md, checked_on: 2026-11-21, basis: documented}
"""


@pytest.fixture(scope="module")
def repriced(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    path = tmp_path_factory.mktemp("cards") / "repriced.yaml"
    path.write_text(REPRICED, encoding="utf-8")
    return ratecard.load(path, builtin=False)


@pytest.mark.parametrize(
    ("at", "credits", "usd", "version"),
    [
        (date(2024, 6, 1), "27.0", None, "start..2026-03-01"),  # before any credit value
        (date(2026, 2, 28), "27.0", "0.375", "start..2026-03-01"),
        ("2026-02-28", "27.0", "0.375", "start..2026-03-01"),
        (datetime(2026, 2, 28, 23, 59, tzinfo=UTC), "27.0", "0.375",
         "start..2026-03-01"),
        (date(2026, 3, 1), "30", "0.375", "2026-03-01..open"),
        ("2026-03-01T00:00:00Z", "30", "0.375", "2026-03-01..open"),
        (date(2030, 1, 1), "30", "0.375", "2026-03-01..open"),
    ],
)
def test_at_selects_the_price_and_credit_value_in_force(
    repriced: Catalog, at: date | str, credits: str, usd: str | None, version: str
) -> None:
    quote = repriced.quote("repriced", "gen", at=at)
    assert quote.credits == Decimal(credits)
    assert quote.price_version == version
    if usd is None:
        assert quote.usd is None
        assert quote.warnings == (
            "USD unknown: no repriced credit value is in force on that date",)
    else:
        assert quote.usd == Decimal(usd)
        assert quote.warnings == ()


def test_an_unreadable_date_is_an_error(repriced: Catalog) -> None:
    with pytest.raises(QuoteError, match="at must be a date") as info:
        repriced.quote("repriced", "gen", at="next tuesday")
    assert info.value.code == "INVALID_DATE"
    assert info.value.field == "at"


@pytest.mark.parametrize("at", [date(2020, 1, 1), date(2026, 11, 21), date(2035, 12, 31)])
def test_builtin_prices_are_open_ended(at: date) -> None:
    quote = CATALOG.quote("evolink", "kling-v3-image-to-video", duration=10, quality="1080p",
                          sound="on", at=at)
    assert quote.credits == Decimal(108)
    assert quote.price_version == "start..open"


def test_without_at_builtin_prices_equal_any_day() -> None:
    """Built-in prices do not depend on the day: no ``at`` gives the same as any day."""
    for provider, model in [("evolink", "kling-v3-text-to-video"),
                            ("kling3api", "o3-pro-reference-to-video")]:
        assert (CATALOG.quote(provider, model).credits
                == CATALOG.quote(provider, model, at=date(2031, 5, 5)).credits)

