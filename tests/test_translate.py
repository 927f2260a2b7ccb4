"""Translating a native body between dialects: figures from the seeds, refusals, warnings.

Expected prices are the seeds' own figures: kling3api's per-second credits (seed 003:
"pro-image-to-video ... 54/s (no audio) · 80/s (with audio)", "o3-std-video-edit ... 360
fixed") and EvoLink's 5.4 credits per second with its quality x sound matrix (seed 001).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

import ratecard
from ratecard import PayloadError, QuoteError, VideoInfo
from ratecard.payloads.translate import TranslationError, dumps, read_source, translate_to

CARD = ratecard.load()

EVOLINK_I2V: dict[str, Any] = {  # seed 001's "First + End Frame" request example
    "model": "kling-v3-image-to-video",
    "prompt": "Transition from day to night",
    "image_start": "https://example.com/day.jpg",
    "image_end": "https://example.com/night.jpg",
    "duration": 10,
    "quality": "1080p",
    "sound": "on",
}

KLING3API_EDIT: dict[str, Any] = {  # seed 003's "Kling O3 - 视频编辑" example
    "type": "o3-pro-video-edit",
    "prompt": "Change the background to a snowy mountain landscape",
    "video": "https://example.com/original-video.mp4",
    "keep_original_sound": True,
}


def test_evolink_first_and_end_frame_to_kling3api() -> None:
    t = CARD.translate(EVOLINK_I2V, source="evolink", target="kling3api")
    assert t.model == "pro-image-to-video"  # 1080p: the pro type
    assert t.body == {"type": "pro-image-to-video", "prompt": "Transition from day to night",
                      "image": "https://example.com/day.jpg",
                      "end_image": "https://example.com/night.jpg", "duration": 10,
                      "sound": True}
    assert t.quote.credits == 80 * 10  # 80/s with audio
    assert t.quote.usd is None  # kling3api publishes no credit value
    assert t.warnings == ()  # every pricing input was given
    assert t.basis == "documented"


def test_a_default_made_explicit_is_said() -> None:
    body = {k: v for k, v in EVOLINK_I2V.items() if k != "sound"}
    t = CARD.translate(body, source="evolink", target="kling3api")
    assert t.body["sound"] is False  # EvoLink's default is off; kling3api's would be on
    assert t.quote.credits == 54 * 10
    assert any("sound off" in w and "default would be sound on" in w for w in t.warnings)


@pytest.mark.parametrize("frames", [
    {"image_start": "https://example.com/day.jpg", "image_url": "https://example.com/b.jpg"},
    {"image_url": "https://example.com/day.jpg", "image": "https://example.com/b.jpg"},
    {"image_start": "https://example.com/day.jpg", "image_url": "https://example.com/b.jpg",
     "image": "https://example.com/c.jpg"},
])
def test_a_second_first_frame_left_out_of_a_translation_is_said(frames: dict[str, str]
                                                                 ) -> None:
    """Seed 000 names three first-frame keys, used by priority (image_start, image_url,
    image): the translated body carried one and said nothing of the others."""
    body = {**{k: v for k, v in EVOLINK_I2V.items() if k != "image_start"}, **frames}
    t = CARD.translate(body, source="evolink", target="kling3api")
    assert t.body["image"] == "https://example.com/day.jpg"  # the one EvoLink uses
    assert f"the evolink body gives {len(frames)} first frames; evolink uses one, by its " \
        "documented priority, and only that one is carried" in t.warnings
    one = CARD.translate(EVOLINK_I2V, source="evolink", target="kling3api")
    assert not any("first frames" in w for w in one.warnings)


def test_kling3api_to_evolink_quotes_seed_001_figures() -> None:
    body = {"type": "std-text-to-video", "prompt": "An eagle", "sound": False}
    t = CARD.translate(body, source="kling3api", target="evolink")
    assert t.body == {"model": "kling-v3-text-to-video", "prompt": "An eagle",
                      "duration": 5, "quality": "720p", "sound": "off"}
    assert t.quote.credits == Decimal("5.4") * 5
    assert t.quote.usd == Decimal("0.375000")  # 27 / 72
    # the text-to-video model id and fields are inferred: no seed prints them
    assert t.basis == "inferred"
    assert any("model kling-v3-text-to-video" in note for note in t.inferred)


def test_an_edit_billed_by_length_becomes_a_fixed_price_edit() -> None:
    body = {"model": "kling-o3-video-edit", "prompt": "snow",
            "video_url": "https://example.com/in.mp4", "quality": "1080p"}
    video = VideoInfo(seconds="7.4")
    at_source = CARD.quote_payload("evolink", body, video=video)
    assert at_source.credits == Decimal("8.1") * Decimal("1.334") * 7  # 7.4 s rounds to 7
    t = CARD.translate(body, source="evolink", target="kling3api", video=video)
    assert t.model == "o3-pro-video-edit"
    assert t.quote.credits == 435  # "o3-pro-video-edit ... 435 fixed"
    assert t.body["video"] == "https://example.com/in.mp4"
    assert t.body["sound"] is False  # EvoLink forces sound off with a video input


def test_seed_003_edit_to_evolink_keeps_the_audio_setting_and_needs_the_length() -> None:
    body = dict(KLING3API_EDIT, sound=False)
    with pytest.raises(TranslationError) as caught:
        CARD.translate(body, source="kling3api", target="evolink")
    assert [v.code for v in caught.value.violations] == ["MISSING_VIDEO_LENGTH"]
    t = CARD.translate(body, source="kling3api", target="evolink",
                       video=VideoInfo(seconds=6))
    assert t.body == {"model": "kling-o3-video-edit",
                      "prompt": "Change the background to a snowy mountain landscape",
                      "video_url": "https://example.com/original-video.mp4",
                      "quality": "1080p", "keep_original_sound": True}
    assert t.quote.credits == Decimal("8.1") * Decimal("1.334") * 6


def test_kling3api_edit_with_its_default_sound_on_cannot_go_to_evolink() -> None:
    with pytest.raises(TranslationError) as caught:
        CARD.translate(KLING3API_EDIT, source="kling3api", target="evolink",
                       video=VideoInfo(seconds=6))
    (violation,) = caught.value.violations
    assert violation.code == "CANNOT_EXPRESS"
    assert violation.path == "type"
    assert "forces sound off" in violation.message


def test_every_reason_is_given_at_once() -> None:
    body = {"model": "kling-v3-image-to-video", "image_start": "https://example.com/a.jpg",
            "duration": 10, "model_params": {
                "multi_shot": True, "shot_type": "customize",
                "multi_prompt": [{"index": 1, "prompt": "one", "duration": "4"},
                                 {"index": 2, "prompt": "two", "duration": "6"}],
                "element_list": [{"element_id": "123456"}]}}
    assert CARD.check_payload("evolink", body) == []
    with pytest.raises(TranslationError) as caught:
        CARD.translate(body, source="evolink", target="kling3api")
    found = {(v.code, v.path) for v in caught.value.violations}
    assert found == {
        ("CANNOT_EXPRESS", "model_params.multi_shot"),
        ("CANNOT_EXPRESS", "model_params.shot_type"),
        ("CANNOT_EXPRESS", "model_params.multi_prompt"),
        ("CANNOT_EXPRESS", "model_params.element_list"),
        ("INVALID_PROMPT", "prompt"),  # kling3api requires a prompt; this body has none
    }
    assert caught.value.code == "INVALID_PAYLOAD"


def test_a_quality_or_sound_the_target_lacks_comes_with_every_other_reason() -> None:
    # fal sells Kling 3.0 image to video in 1080p only (market-prices.md), and its body has
    # no place for an aspect ratio or elements there, whatever the quality
    body = {"model": "kling-v3-image-to-video", "image_start": "https://example.com/a.jpg",
            "prompt": "x", "aspect_ratio": "9:16", "duration": 10, "quality": "720p",
            "model_params": {"element_list": [{"element_id": "123"}]}}
    with pytest.raises(TranslationError) as caught:
        CARD.translate(body, source="evolink", target="fal")
    assert [(v.code, v.path) for v in caught.value.violations] == [
        ("CANNOT_EXPRESS", "model"), ("CANNOT_EXPRESS", "aspect_ratio"),
        ("CANNOT_EXPRESS", "model_params.element_list")]
    assert caught.value.violations[0].message == \
        "fal sells kling-3.0 image-to-video in 1080p, not 720p"
    # EvoLink's O3 image to video prices sound off only, and lists no end frame
    body = {"type": "o3-pro-image-to-video", "prompt": "x", "duration": 5, "sound": True,
            "image": "https://example.com/a.jpg", "end_image": "https://example.com/b.jpg"}
    with pytest.raises(TranslationError) as caught:
        CARD.translate(body, source="kling3api", target="evolink")
    assert [(v.code, v.path) for v in caught.value.violations] == [
        ("CANNOT_EXPRESS", "type"), ("UNDOCUMENTED_INPUT", "image_end")]


def test_a_family_the_target_does_not_sell() -> None:
    body = {"model": "kling-o1-video-edit", "prompt": "restyle",
            "video_urls": ["https://example.com/in.mp4"]}
    with pytest.raises(TranslationError) as caught:
        CARD.translate(body, source="evolink", target="kling3api", video=VideoInfo(seconds=5))
    (violation,) = caught.value.violations
    assert (violation.code, violation.path) == ("CANNOT_EXPRESS", "model")
    assert violation.message == "kling3api sells no kling-o1 video-edit offering"


def test_a_sound_the_target_does_not_price() -> None:
    body = {"type": "o3-std-text-to-video", "prompt": "A city at night"}  # sound: default on
    with pytest.raises(TranslationError) as caught:
        CARD.translate(body, source="kling3api", target="evolink")
    (violation,) = caught.value.violations
    assert violation.code == "CANNOT_EXPRESS"
    assert "prices sound off" in violation.message


def test_delivery_settings_are_left_out_with_a_warning() -> None:
    body = dict(EVOLINK_I2V, callback_url="https://hooks.example.com/done",
                model_params={"watermark_info": {"enabled": False}})
    t = CARD.translate(body, source="evolink", target="kling3api")
    assert "callback_url" not in t.body
    assert set(t.dropped) == {"callback_url", "watermark"}
    assert any(w.startswith("callback_url:") and "poll its task status" in w
               for w in t.warnings)
    assert any(w.startswith("model_params.watermark_info.enabled:") for w in t.warnings)


def test_an_input_the_target_ignores_is_left_out_with_a_warning() -> None:
    body = {"type": "o3-pro-text-to-video", "prompt": "x", "cfg_scale": 0.7, "sound": False,
            "duration": 8}
    t = CARD.translate(body, source="kling3api", target="evolink")
    # kling3api ignores cfg_scale for O3 types already: the request has none to carry
    assert "cfg_scale" not in t.body
    t = CARD.translate({"type": "pro-text-to-video", "prompt": "x", "cfg_scale": 0.7,
                        "sound": False}, source="kling3api", target="evolink")
    assert t.dropped == ("cfg_scale",)
    assert any("prompt-adherence" in w for w in t.warnings)


def test_no_dialect_and_invalid_source() -> None:
    with pytest.raises(QuoteError) as caught:
        CARD.translate(EVOLINK_I2V, source="evolink", target="comfy")
    assert caught.value.code == "NO_DIALECT"
    with pytest.raises(QuoteError) as caught:
        CARD.translate(EVOLINK_I2V, source="krea", target="evolink")
    assert caught.value.code == "NO_ADAPTER"
    with pytest.raises(PayloadError) as caught:
        CARD.translate(dict(EVOLINK_I2V, duration=20), source="evolink", target="kling3api")
    assert [v.code for v in caught.value.violations] == ["INVALID_DURATION"]


def test_same_offering_returns_the_body_unchanged() -> None:
    body = dict(EVOLINK_I2V, seed=7)  # an unknown field stays in the body sent as is
    t = CARD.translate(body, source="evolink", target="evolink")
    assert t.body == body
    assert t.quote.credits == Decimal("5.4") * 2 * 10


def test_json_text_body_and_exact_json_output() -> None:
    text = '{"type": "pro-text-to-video", "prompt": "x", "cfg_scale": 0.55, "sound": false}'
    t = CARD.translate(text, source="kling3api", target="kling3api")
    assert t.body["cfg_scale"] == Decimal("0.55")
    assert json.loads(dumps(t.to_dict()))["body"]["cfg_scale"] == 0.55
    assert '"cfg_scale": 0.55' in dumps(t.body)


def test_a_negative_prompt_an_edit_body_does_not_document_is_not_carried() -> None:
    """Seed 000's O3 video edit has no negative_prompt: read as meaningful, it was carried
    to kling3api, where it takes effect, and the way back was refused (A -> B -> A)."""
    body = {"model": "kling-o3-video-edit", "prompt": "snow", "negative_prompt": "people",
            "video_url": "https://example.com/v.mp4", "quality": "1080p"}
    with pytest.raises(PayloadError) as refused:
        CARD.translate(body, source="evolink", target="kling3api",
                       video=VideoInfo(seconds=7))
    assert [(v.code, v.path) for v in refused.value.violations] == [
        ("UNDOCUMENTED_INPUT", "negative_prompt")]


@pytest.mark.parametrize(("key", "value"), [
    ("image_url", "https://example.com/a.jpg"), ("image", "https://example.com/a.jpg"),
    ("image_start", "https://example.com/a.jpg")])
def test_a_refusal_names_the_field_the_source_body_uses(key: str, value: str) -> None:
    """The path of an input the target cannot express was the source writer's place for
    it (or, where it had none for the model, the canonical name ``first_frame``), not the
    field the body gives it in (seed 000 names image_start, image_url and image)."""
    body = {"model": "kling-v3-image-to-video", "prompt": "x", key: value}
    source = read_source(CARD.index, "evolink", body)
    with pytest.raises(TranslationError) as refused:
        translate_to(CARD.index, source, CARD.plan("kling3api", "pro-text-to-video"))
    assert [(v.code, v.path) for v in refused.value.violations] == [
        ("CANNOT_EXPRESS", key)]


_EDIT_SOUND_ON = {"model": "kling-o3-video-edit", "prompt": "snow",
                  "video_url": "https://example.com/v.mp4", "sound": "on",
                  "aspect_ratio": "9:16", "duration": 10}
_IGNORED = ("is ignored by evolink/kling-o3-video-edit: the output's length and aspect "
            "ratio follow the input video, which is what is billed "
            "(000_60837b4ac9c6861d.txt): not carried")


def test_what_the_source_rules_changed_is_said() -> None:
    """The kling3api body says sound false and has no aspect ratio or duration, yet the
    translation's warnings were empty: the source's own rules (seed 000) made those
    changes, and the source's quote said so while the translation did not."""
    t = CARD.translate(_EDIT_SOUND_ON, source="evolink", target="kling3api",
                       video=VideoInfo(seconds=7))
    assert t.body["sound"] is False
    assert "aspect_ratio" not in t.body
    assert "duration" not in t.body
    assert t.warnings == (
        "the request keeps the defaults the evolink body leaves out (720p); the kling3api "
        "body states them where it has a field for them",
        f"duration {_IGNORED}", f"aspect_ratio {_IGNORED}",
        "sound forced off: EvoLink forces sound off when a video input is present (seed "
        "000): the kling3api body carries sound off")


def test_the_body_as_given_carries_the_warnings_its_quote_prints() -> None:
    """The as-given step lacked the engine's forced-sound warning quote_payload prints."""
    video = VideoInfo(seconds=7)
    route = CARD.with_credit_value("kling3api", 500).route_payload(
        _EDIT_SOUND_ON, source="evolink", video=video)
    own = next(s for s in route.chain if s.provider == "evolink")
    assert own.translation.warnings == CARD.quote_payload(
        "evolink", _EDIT_SOUND_ON, video=video).warnings
    assert "sound forced off: EvoLink forces sound off when a video input is present " \
        "(seed 000)" in own.translation.warnings
