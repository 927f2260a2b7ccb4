"""Every request example and task record of the seeds quotes or reads to the seeds' figures.

The bodies and records are copied from the seeds (``shared/seeds/``) as JSON text and read
with ``parse_float=Decimal``, as a caller would.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

import ratecard
from ratecard import PayloadError, VideoInfo

CARD = ratecard.load()


def native(text: str) -> Any:
    """A JSON document as the provider wrote it, numbers as Decimal."""
    return json.loads(text, parse_float=Decimal)


# --------------------------------------------------------------------------- EvoLink

# seeds 001 and 004, "Request Example (First Frame)"
FIRST_FRAME = native("""{
  "model": "kling-v3-image-to-video",
  "prompt": "A gentle breeze moves through the scene",
  "image_start": "https://example.com/portrait.jpg",
  "duration": 5,
  "quality": "720p"
}""")

# seeds 001 and 004, "Request Example (First + End Frame)"
FIRST_AND_END_FRAME = native("""{
  "model": "kling-v3-image-to-video",
  "prompt": "Transition from day to night",
  "image_start": "https://example.com/day.jpg",
  "image_end": "https://example.com/night.jpg",
  "duration": 10,
  "quality": "1080p",
  "sound": "on"
}""")

# seed 001, "Response Example"
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


def test_first_frame_example_quotes_27_credits() -> None:
    q = CARD.quote_payload("evolink", FIRST_FRAME)
    assert (q.model, q.quality, q.sound, q.billed_seconds) == (
        "kling-v3-image-to-video", "720p", False, Decimal(5))
    assert q.credits == Decimal("27.0000")  # 5 s x 5.4 credits/s (seed 001: "5.4 Credits")
    assert q.usd == Decimal("0.375000")     # $0.0750/s x 5
    assert q.warnings == ()


def test_first_and_end_frame_example_quotes_108_credits() -> None:
    q = CARD.quote_payload("evolink", FIRST_AND_END_FRAME)
    assert (q.quality, q.sound, q.billed_seconds) == ("1080p", True, Decimal(10))
    assert q.unit_rate == Decimal("10.8")   # "1080p Sound On $0.1500/ second (10.8 Credits)"
    assert q.credits == Decimal("108.0000")
    assert q.usd == Decimal("1.500000")


@pytest.mark.parametrize("body", [FIRST_FRAME, FIRST_AND_END_FRAME])
def test_seed_examples_are_accepted_and_price_like_card_quote(body: dict[str, Any]) -> None:
    assert CARD.check_payload("evolink", body) == []
    q = CARD.quote_payload("evolink", body)
    sound = body.get("sound") == "on"
    want = CARD.quote("evolink", body["model"], duration=body["duration"],
                      quality=body["quality"], sound=sound)
    assert (q.credits, q.usd, q.amount_exact) == (want.credits, want.usd, want.amount_exact)


def test_seed_001_multi_shot_example_needs_shots_summing_to_the_duration() -> None:
    shots = native("""[{"index": 1, "prompt": "Scene one", "duration": "5"},
                       {"index": 2, "prompt": "Scene two", "duration": "5"}]""")
    body = {**FIRST_FRAME, "duration": 10,
            "model_params": {"multi_shot": True, "shot_type": "customize",
                             "multi_prompt": shots, "element_list": [{"element_id": 123456}]}}
    assert CARD.check_payload("evolink", body) == []
    assert CARD.quote_payload("evolink", body).credits == Decimal("54.0000")
    five = {**body, "duration": 5}
    assert [(v.code, v.path) for v in CARD.check_payload("evolink", five)] == [
        ("SHOT_DURATION_MISMATCH", "model_params.multi_prompt")]


def test_o3_edit_is_billed_by_the_input_length_rounded() -> None:
    assert CARD.check_payload("evolink", O3_EDIT) == []
    q = CARD.quote_payload("evolink", O3_EDIT, video=VideoInfo(seconds=Decimal("7.4")))
    assert q.billed_seconds == Decimal(7)    # "rounded to nearest integer"
    assert q.credits == Decimal("56.7000")   # "Billed by input video duration at 8.1 credits/s..."
    hd = CARD.quote_payload("evolink", {**O3_EDIT, "quality": "1080p"},
                            video=VideoInfo(seconds=5))
    assert hd.unit_rate == Decimal("10.8054")  # "1080p $0.150/ second(10.8054 Credits)"


def test_o3_edit_without_the_input_length_says_what_to_pass() -> None:
    with pytest.raises(PayloadError) as caught:
        CARD.quote_payload("evolink", O3_EDIT)
    assert caught.value.code == "MISSING_VIDEO_LENGTH"
    assert caught.value.field == "video.seconds"
    assert "VideoInfo(seconds=" in str(caught.value)
    assert "--input-seconds" in str(caught.value)


@pytest.mark.parametrize(("seconds", "credits"), [
    ("2", "36.0000"),    # "Minimum billing: 3 seconds (videos < 3s are charged for 3s)"
    ("7", "84.0000"),
    ("25", "120.0000"),  # "Maximum billing: 10 seconds (videos > 10s are charged for 10s)"
])
def test_o1_edit_example_bills_3_to_10_seconds(seconds: str, credits: str) -> None:
    assert CARD.check_payload("evolink", O1_EDIT) == []
    q = CARD.quote_payload("evolink", O1_EDIT, video=VideoInfo(seconds=seconds))
    assert q.credits == Decimal(credits)


def test_evolink_task_object_reads_to_27_credits_reserved() -> None:
    record = CARD.read_task("evolink", EVOLINK_TASK)
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
    record = CARD.read_task("evolink", EVOLINK_TASK, request=FIRST_FRAME)
    assert record.request is not None
    assert record.request.first_frame == "https://example.com/portrait.jpg"
    assert record.quote is not None
    assert record.quote.credits == Decimal("27.0000")
    assert not any("defaults" in w for w in record.warnings)


# --------------------------------------------------------------------------- kling3api

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
CREATED = native("""{
  "code": 200,
  "message": "success",
  "data": {"task_id": "n75abc123kling3", "status": "IN_PROGRESS", "consumed_credits": 400}
}""")
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


@pytest.mark.parametrize(("body", "credits", "rate"), [
    (QUICK_START, 400, 80),    # sound defaults to true: "80/s (with audio)"
    (TEXT_TO_VIDEO, 400, 80),
    (IMAGE_TO_VIDEO, 400, 80),
    (REFERENCE, 360, 72),      # "o3-pro-reference-to-video ... 72/s"
    (EDIT, 435, None),         # "o3-pro-video-edit ... 435 fixed"
])
def test_kling3api_examples_quote_to_the_documented_credits(
        body: dict[str, Any], credits: int, rate: int | None) -> None:
    assert CARD.check_payload("kling3api", body) == []
    q = CARD.quote_payload("kling3api", body)
    assert q.credits == Decimal(credits)
    assert q.usd is None  # kling3api publishes no credit value
    if rate is not None:
        assert (q.unit_rate, q.billed_seconds) == (Decimal(rate), Decimal(5))


def test_kling3api_without_sound_is_priced_with_audio() -> None:
    q = CARD.quote_payload("kling3api", {**TEXT_TO_VIDEO, "sound": False})
    assert (q.sound, q.credits) == (False, Decimal(270))  # "54/s (no audio)"


def test_kling3api_status_record_reads_to_400_credits_consumed() -> None:
    record = CARD.read_task("kling3api", STATUS)
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
    record = CARD.read_task("kling3api", CREATED)
    assert (record.status, record.credits) == ("running", Decimal(400))
    assert record.quote is None
    assert record.quote_error is not None
    assert "request=" in record.quote_error
    priced = CARD.read_task("kling3api", CREATED, request=TEXT_TO_VIDEO)
    assert priced.quote is not None
    assert priced.quote.credits == Decimal(400)


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
    assert [(v.code, v.path) for v in CARD.check_payload("kling3api", body)] == [(code, path)]
