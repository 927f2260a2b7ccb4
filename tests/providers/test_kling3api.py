"""kling3api.com (seed 003): the card keeps the shared contract, and its price table,
request examples and task records reproduce the seed's figures exactly; a credit's USD
value is unknown, so USD is absent, never 0.

The seed's request bodies and task records are copied here as JSON text and read with
``parse_float=Decimal`` as a caller would (the tests do not read ``shared/``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from ratecard import QuoteError
from tests.card_data import native
from tests.contract import CardContract
from tests.strategies import CATALOG, Cell, requantize


class TestKling3apiCard(CardContract):
    provider = "kling3api"


# ----------------------------------------------------------------------- seed 003: the price table

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


@pytest.mark.parametrize("seconds", ["3.75", "4.75", "3.25", "5.5"])
def test_kling3api_takes_whole_seconds_so_its_credits_need_no_rounding(seconds: str) -> None:
    """kling3api documents no fractional durations (seed 003 gives every range, default and
    example in whole seconds): 3.75 s is refused, and whole seconds x whole credits per
    second leave nothing for the declared rounding to round."""
    cell = Cell("kling3api", "pro-text-to-video", "1080p", "off")
    with pytest.raises(QuoteError) as info:
        CATALOG.quote(cell.provider, cell.model, duration=Decimal(seconds), sound="off")
    assert info.value.code == "INVALID_DURATION"
    assert "whole seconds" in str(info.value)
    whole = Decimal(seconds).to_integral_value()
    quote = CATALOG.quote(cell.provider, cell.model, duration=whole, sound="off")
    amount = cell.card.rounding.amount
    assert quote.amount_exact == whole * 54
    assert quote.credits == requantize(whole * 54, amount.precision, amount.mode) == whole * 54


def test_fractional_seconds_are_accepted_only_where_a_source_says_so() -> None:
    """No built-in card allows a fractional duration (no source says a seller takes one);
    an input video's length is fractional, and billed so where the card says."""
    for provider, model in (("kling3api", "pro-text-to-video"),
                            ("fal", "v3-standard-text-to-video")):
        with pytest.raises(QuoteError) as info:
            CATALOG.quote(provider, model, duration=Decimal("5.5"))
        assert info.value.code == "INVALID_DURATION"
    quote = CATALOG.quote("fal", "o3-pro-video-to-video-edit", input_seconds=Decimal("5.5"))
    assert quote.billed_seconds == Decimal("5.5")
    assert quote.credits == Decimal("1.848000")


def test_kling3api_still_has_no_credit_value() -> None:
    card = CATALOG.cards["kling3api"]
    assert card.credit_values == []
    assert CATALOG.quote("kling3api", "pro-text-to-video").usd is None


# ------------------------------------------------------------------ seed 003: the request examples

QUICK_START = native("""{
  "type": "pro-text-to-video",
  "prompt": "A cinematic shot of mountains at sunrise",
  "duration": 5,
  "aspect_ratio": "16:9"
}""")


TEXT_TO_VIDEO = native("""{
  "type": "pro-text-to-video",
  "prompt": "A majestic eagle soaring through clouds at sunset",
  "duration": 5,
  "aspect_ratio": "16:9",
  "sound": true
}""")


IMAGE_TO_VIDEO = native("""{
  "type": "pro-image-to-video",
  "prompt": "The character slowly turns and smiles",
  "image": "https://example.com/my-image.jpg",
  "duration": 5
}""")


REFERENCE = native("""{
  "type": "o3-pro-reference-to-video",
  "prompt": "The character walks through a futuristic city",
  "images": [
    "https://example.com/character-reference.jpg",
    "https://example.com/style-reference.jpg"
  ],
  "duration": 5,
  "aspect_ratio": "16:9"
}""")


EDIT = native("""{
  "type": "o3-pro-video-edit",
  "prompt": "Change the background to a snowy mountain landscape",
  "video": "https://example.com/original-video.mp4",
  "keep_original_sound": true
}""")


def test_seed_003_generate_example_with_sound_true() -> None:
    quote = CATALOG.quote("kling3api", "pro-text-to-video", duration=5, sound=True)
    assert quote.credits == Decimal(400)


@pytest.mark.parametrize(("body", "credits", "rate"), [
    (QUICK_START, 400, 80),    # sound defaults to true: "80/s (with audio)"
    (TEXT_TO_VIDEO, 400, 80),
    (IMAGE_TO_VIDEO, 400, 80),
    (REFERENCE, 360, 72),      # "o3-pro-reference-to-video ... 72/s"
    (EDIT, 435, None),         # "o3-pro-video-edit ... 435 fixed"
])
def test_kling3api_examples_quote_to_the_documented_credits(
        body: dict[str, Any], credits: int, rate: int | None) -> None:
    assert CATALOG.check_payload("kling3api", body) == []
    q = CATALOG.quote_payload("kling3api", body)
    assert q.credits == Decimal(credits)
    assert q.usd is None  # kling3api publishes no credit value
    if rate is not None:
        assert (q.unit_rate, q.billed_seconds) == (Decimal(rate), Decimal(5))


def test_kling3api_without_sound_is_priced_with_audio() -> None:
    q = CATALOG.quote_payload("kling3api", {**TEXT_TO_VIDEO, "sound": False})
    assert (q.sound, q.credits) == (False, Decimal(270))  # "54/s (no audio)"


@pytest.mark.parametrize(("body", "code", "path"), [
    ({**TEXT_TO_VIDEO, "prompt": ""}, "INVALID_PROMPT", "prompt"),
    ({**TEXT_TO_VIDEO, "prompt": "x" * 2001}, "INVALID_PROMPT", "prompt"),
    ({**TEXT_TO_VIDEO, "duration": 16}, "INVALID_DURATION", "duration"),
    ({**TEXT_TO_VIDEO, "type": "pro-text-to-music"}, "INVALID_TYPE", "type"),
    ({k: v for k, v in IMAGE_TO_VIDEO.items() if k != "image"}, "MISSING_IMAGE", "image"),
    ({k: v for k, v in EDIT.items() if k != "video"}, "MISSING_VIDEO", "video"),
])
def test_kling3api_error_codes_are_the_documented_ones(
        body: dict[str, Any], code: str, path: str) -> None:
    assert [(v.code, v.path) for v in CATALOG.check_payload("kling3api", body)] == [(code, path)]


# ---------------------------------------------------------------------- seed 003: the task records

CREATED = native("""{
  "code": 200,
  "message": "success",
  "data": {"task_id": "n75abc123kling3", "status": "IN_PROGRESS", "consumed_credits": 400}
}""")


# seed 003, GET /api/status response
STATUS = native("""{
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
    data = STATUS["data"]
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


def test_kling3api_status_record_reads_to_400_credits_consumed() -> None:
    record = CATALOG.read_task("kling3api", STATUS)
    assert (record.task_id, record.model) == ("n75abc123kling3", "pro-text-to-video")
    assert (record.status, record.raw_status) == ("succeeded", "SUCCESS")
    assert record.created == datetime(2026, 2, 5, 10, 30, tzinfo=UTC)
    assert (record.credits_consumed, record.credits_reserved) == (Decimal(400), None)
    assert record.credits_basis == "consumed"
    assert record.outputs == ("https://cdn.example.com/videos/abc123.mp4",)
    assert record.error_message is None
    assert record.request is not None
    assert record.request.prompt == "A majestic eagle soaring through clouds at sunset"
    assert record.request_violations == ()
    assert record.duration == Decimal(5)
    assert record.quote is not None
    assert record.quote.credits == record.credits_consumed
    assert record.quote.price_version == "start..open"
    assert record.warnings == ()


def test_kling3api_create_response_needs_the_request_to_be_priced() -> None:
    record = CATALOG.read_task("kling3api", CREATED)
    assert (record.status, record.credits) == ("running", Decimal(400))
    assert record.quote is None
    assert record.quote_error is not None
    assert "request=" in record.quote_error
    priced = CATALOG.read_task("kling3api", CREATED, request=TEXT_TO_VIDEO)
    assert priced.quote is not None
    assert priced.quote.credits == Decimal(400)


# ---------------------------------------------------------------------------------------- refusals

@pytest.mark.parametrize(
    ("provider", "model", "duration", "range_text"),
    [
        ("kling3api", "pro-text-to-video", 2, "3..15 s"),
        ("kling3api", "o3-std-reference-to-video", Decimal("15.01"), "3..15 s"),
    ],
)
def test_documented_refusals(provider: str, model: str, duration: int | Decimal,
                             range_text: str) -> None:
    with pytest.raises(QuoteError, match=range_text.replace(".", r"\.")) as info:
        CATALOG.quote(provider, model, duration=duration)
    assert info.value.code == "INVALID_DURATION"
