"""EvoLink (seeds 000, 001, 002 and 004): the card keeps the shared contract, and its
prices, request examples and task record reproduce the seeds' figures exactly.

The documents' own request bodies and task records are copied here as JSON text, with the
seed they come from, and read with ``parse_float=Decimal`` as a caller would (the tests do
not read ``shared/``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given

import ratecard
from ratecard import PayloadError, QuoteError, VideoInfo
from tests.card_data import native
from tests.contract import CardContract
from tests.strategies import CATALOG, PROPERTY_SETTINGS, dates, input_lengths


class TestEvolinkCard(CardContract):
    provider = "evolink"


# --------------------------------------------------------------------- seed 001: prices per second

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


# --------------------------------------------------------- seeds 001 and 004: the request examples

# seeds 001 and 004, "Request Example (First Frame)" and "(First + End Frame)"
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


def test_first_frame_example_quotes_27_credits() -> None:
    q = CATALOG.quote_payload("evolink", FIRST_FRAME)
    assert (q.model, q.quality, q.sound, q.billed_seconds) == (
        "kling-v3-image-to-video", "720p", False, Decimal(5))
    assert q.credits == Decimal("27.0000")  # 5 s x 5.4 credits/s (seed 001: "5.4 Credits")
    assert q.usd == Decimal("0.375000")     # $0.0750/s x 5
    assert q.warnings == ()


def test_first_and_end_frame_example_quotes_108_credits() -> None:
    q = CATALOG.quote_payload("evolink", FIRST_AND_END_FRAME)
    assert (q.quality, q.sound, q.billed_seconds) == ("1080p", True, Decimal(10))
    assert q.unit_rate == Decimal("10.8")   # "1080p Sound On $0.1500/ second (10.8 Credits)"
    assert q.credits == Decimal("108.0000")
    assert q.usd == Decimal("1.500000")


@pytest.mark.parametrize(("body", "credits", "usd"), [
    (FIRST_FRAME, "27.0000", "0.375000"),         # 5 s x 5.4 credits ($0.0750/s)
    (FIRST_AND_END_FRAME, "108.0000", "1.500000"),  # 10 s x 10.8 credits ($0.1500/s)
])
def test_seed_examples_are_accepted_and_price_like_card_quote(
        body: dict[str, Any], credits: str, usd: str) -> None:
    assert CATALOG.check_payload("evolink", body) == []
    q = CATALOG.quote_payload("evolink", body)
    assert (q.credits, q.usd, q.amount_exact) == (Decimal(credits), Decimal(usd),
                                                   Decimal(credits))
    sound = body.get("sound") == "on"
    want = CATALOG.quote("evolink", body["model"], duration=body["duration"],
                         quality=body["quality"], sound=sound)
    assert (q.credits, q.usd, q.amount_exact) == (want.credits, want.usd, want.amount_exact)


def test_seed_001_multi_shot_example_needs_shots_summing_to_the_duration() -> None:
    shots = native("""[{"index": 1, "prompt": "Scene one", "duration": "5"},
                       {"index": 2, "prompt": "Scene two", "duration": "5"}]""")
    body = {**FIRST_FRAME, "duration": 10,
            "model_params": {"multi_shot": True, "shot_type": "customize",
                             "multi_prompt": shots, "element_list": [{"element_id": 123456}]}}
    assert CATALOG.check_payload("evolink", body) == []
    assert CATALOG.quote_payload("evolink", body).credits == Decimal("54.0000")
    five = {**body, "duration": 5}
    assert [(v.code, v.path) for v in CATALOG.check_payload("evolink", five)] == [
        ("SHOT_DURATION_MISMATCH", "model_params.multi_prompt")]


# ----------------------------------------------------------------------- seed 001: the task record

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


def test_evolink_task_object_reads_to_27_credits_reserved() -> None:
    record = CATALOG.read_task("evolink", EVOLINK_TASK)
    assert record.task_id == "task-unified-1757169743-v3i2v"
    assert (record.status, record.raw_status) == ("pending", "pending")
    assert record.created == datetime(2025, 9, 6, 14, 42, 23, tzinfo=UTC)
    assert record.credits_reserved == Decimal("27.0")
    assert record.credits_consumed is None
    assert (record.credits, record.credits_basis) == (Decimal("27.0"), "reserved")
    assert (record.duration, record.billing_rule, record.user_group) == (
        Decimal(5), "per_second", "default")
    assert record.quote is not None
    assert record.quote.credits == record.credits_reserved
    assert any("does not say the quality or sound" in w for w in record.warnings)


def test_evolink_task_with_its_request_body_prices_the_body() -> None:
    record = CATALOG.read_task("evolink", EVOLINK_TASK, request=FIRST_FRAME)
    assert record.request is not None
    assert record.request.first_frame == "https://example.com/portrait.jpg"
    assert record.quote is not None
    assert record.quote.credits == Decimal("27.0000")
    assert not any("defaults" in w for w in record.warnings)


# ------------------------------------------------------------------- seed 000: Kling O3 video edit

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


# seed 000: the documented parameters' examples of kling-o3-video-edit, as one body
O3_EDIT = native("""{
  "model": "kling-o3-video-edit",
  "prompt": "Transform the video with cinematic color grading and smooth transitions.",
  "video_url": "https://example.com/original.mp4",
  "image_urls": ["https://example.com/style_ref.jpg"],
  "keep_original_sound": true,
  "quality": "720p",
  "callback_url": "https://your-domain.com/webhooks/video-task-completed",
  "model_params": {"element_list": [{"element_id": "456789"}], "watermark_info": {"enabled": false}}
}""")


def test_o3_edit_is_billed_by_the_input_length_rounded() -> None:
    assert CATALOG.check_payload("evolink", O3_EDIT) == []
    q = CATALOG.quote_payload("evolink", O3_EDIT, video=VideoInfo(seconds=Decimal("7.4")))
    assert q.billed_seconds == Decimal(7)    # "rounded to nearest integer"
    assert q.credits == Decimal("56.7000")   # "Billed by input video duration at 8.1 credits/s..."
    hd = CATALOG.quote_payload("evolink", {**O3_EDIT, "quality": "1080p"},
                               video=VideoInfo(seconds=5))
    assert hd.unit_rate == Decimal("10.8054")  # "1080p $0.150/ second(10.8054 Credits)"


def test_o3_edit_without_the_input_length_says_what_to_pass() -> None:
    with pytest.raises(PayloadError) as caught:
        CATALOG.quote_payload("evolink", O3_EDIT)
    assert caught.value.code == "MISSING_VIDEO_LENGTH"
    assert caught.value.field == "video.seconds"
    assert "VideoInfo(seconds=" in str(caught.value)
    assert "--input-seconds" in str(caught.value)


# ------------------------------------------------- seed 002: Kling O1 video edit, billed 3 to 10 s

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


# seed 002: the documented parameters' examples of kling-o1-video-edit, as one body
O1_EDIT = native("""{
  "model": "kling-o1-video-edit",
  "prompt": "Transform the video with cinematic color grading and smooth transitions.",
  "video_urls": ["https://example.com/input-video.mp4"],
  "image_urls": ["https://example.com/reference1.jpg", "https://example.com/reference2.jpg"],
  "keep_original_sound": true,
  "aspect_ratio": "16:9",
  "callback_url": "https://your-domain.com/webhooks/video-task-completed"
}""")


@pytest.mark.parametrize(("seconds", "credits"), [
    ("2", "36.0000"),    # "Minimum billing: 3 seconds (videos < 3s are charged for 3s)"
    ("7", "84.0000"),
    ("25", "120.0000"),  # "Maximum billing: 10 seconds (videos > 10s are charged for 10s)"
])
def test_o1_edit_example_bills_3_to_10_seconds(seconds: str, credits: str) -> None:
    assert CATALOG.check_payload("evolink", O1_EDIT) == []
    q = CATALOG.quote_payload("evolink", O1_EDIT, video=VideoInfo(seconds=seconds))
    assert q.credits == Decimal(credits)


O1_EDIT_OFFERING = ("evolink", "kling-o1-video-edit")


@PROPERTY_SETTINGS
@given(input_lengths(high=Decimal(1000)), dates())
def test_o1_edit_is_billed_between_3_and_10_s_whatever_the_input(
    seconds: Decimal, day: date
) -> None:
    quote = CATALOG.quote(*O1_EDIT_OFFERING, input_seconds=seconds, at=day)
    assert quote.billed_seconds is not None
    assert Decimal(3) <= quote.billed_seconds <= Decimal(10)
    assert quote.billed_seconds == min(max(seconds, Decimal(3)), Decimal(10))
    assert Decimal(36) <= quote.credits <= Decimal(120)


# ------------------------------------------------------------------ seed 004: the first frame rule

def test_the_first_frame_rule_follows_seed_004() -> None:
    card = ratecard.load().cards["evolink"]
    i2v = next(o for o in card.offerings if o.id == "kling-v3-image-to-video")
    assert i2v.constraints is not None
    [rule] = i2v.constraints.requires
    assert rule.any_of == ["first_frame"]
    assert rule.source.document == "004_c15657de96eea0ce.txt"
    assert rule.source.note is not None
    assert "seed 004, the later document" in rule.source.note
    assert rule.reason is not None
    assert "seed 001" in rule.reason


# ------------------------------------------------------------------------------ dates and refusals

@pytest.mark.parametrize("at", [date(2020, 1, 1), date(2026, 11, 21), date(2035, 12, 31)])
def test_builtin_prices_are_open_ended(at: date) -> None:
    quote = CATALOG.quote("evolink", "kling-v3-image-to-video", duration=10, quality="1080p",
                          sound="on", at=at)
    assert quote.credits == Decimal(108)
    assert quote.price_version == "start..open"


@pytest.mark.parametrize(
    ("provider", "model", "duration", "range_text"),
    [
        ("evolink", "kling-v3-image-to-video", 2, "3..15 s, whole seconds"),
        ("evolink", "kling-v3-image-to-video", 16, "3..15 s, whole seconds"),
        ("evolink", "kling-v3-image-to-video", Decimal("5.5"), "3..15 s, whole seconds"),
        ("evolink", "kling-o3-text-to-video", Decimal("5.5"), "3..15 s, whole seconds"),
    ],
)
def test_documented_refusals(provider: str, model: str, duration: int | Decimal,
                             range_text: str) -> None:
    with pytest.raises(QuoteError, match=range_text.replace(".", r"\.")) as info:
        CATALOG.quote(provider, model, duration=duration)
    assert info.value.code == "INVALID_DURATION"
