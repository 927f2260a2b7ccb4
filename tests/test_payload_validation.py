"""Each declared constraint, its violation code and path, and the effects reported as
warnings; reading bodies never raises for a bad body."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ratecard
from ratecard import PayloadError, QuoteError, UnknownOfferingError, VideoInfo, Violation

CARD = ratecard.load()

I2V = {"model": "kling-v3-image-to-video", "prompt": "A breeze",
       "image_start": "https://example.com/a.jpg", "duration": 10}
O3_EDIT = {"model": "kling-o3-video-edit", "prompt": "Snow",
           "video_url": "https://example.com/in.mp4"}
K3 = {"type": "pro-text-to-video", "prompt": "An eagle"}


def codes(provider: str, body: Any, **kwargs: Any) -> list[tuple[str, str]]:
    return [(v.code, v.path) for v in CARD.check_payload(provider, body, **kwargs)]


def warnings_of(provider: str, body: Any, **kwargs: Any) -> tuple[str, ...]:
    return CARD.inspect_payload(provider, body, **kwargs).warnings


def multi(shots: list[Any] | None, shot_type: str | None = "customize",
          **extra: Any) -> dict[str, Any]:
    params: dict[str, Any] = {"multi_shot": True}
    if shot_type is not None:
        params["shot_type"] = shot_type
    if shots is not None:
        params["multi_prompt"] = shots
    return {**I2V, **extra, "model_params": params}


def shots(*durations: str, prompt: str = "shot") -> list[dict[str, Any]]:
    return [{"index": i + 1, "prompt": prompt, "duration": d} for i, d in enumerate(durations)]


# --------------------------------------------------------------------------- frames

def test_end_frame_alone_follows_seed_004_and_says_so() -> None:
    body = {**I2V, "image_end": "https://example.com/end.jpg"}
    del body["image_start"]
    [violation] = CARD.check_payload("evolink", body)
    assert (violation.code, violation.path) == ("MISSING_IMAGE", "image_start")
    assert violation.source == "004_c15657de96eea0ce.txt"
    assert "seed 004, the later document" in violation.message
    assert "seed 001 accepted an end frame alone" in violation.message


def test_the_conflict_stays_recorded_in_the_card() -> None:
    subjects = [c.subject for _, c in CARD.conflicts("evolink")]
    assert "Kling 3.0 image-to-video frame requirement" in subjects


@pytest.mark.parametrize("key", ["image_url", "image"])
def test_first_frame_aliases_are_read_and_reported_at_their_own_path(key: str) -> None:
    body = {**{k: v for k, v in I2V.items() if k != "image_start"}, key: "https://x.test/f.jpg"}
    assert codes("evolink", body) == []
    request = CARD.inspect_payload("evolink", body).request
    assert request is not None
    assert request.first_frame == "https://x.test/f.jpg"
    edit = {**O3_EDIT, key: "https://x.test/f.jpg"}
    assert codes("evolink", edit) == [("UNSUPPORTED_INPUT", key)]


def test_two_first_frames_use_the_documented_priority_with_a_warning() -> None:
    body = {**I2V, "image": "https://x.test/low.jpg"}
    found = CARD.inspect_payload("evolink", body)
    assert found.request is not None
    assert found.request.first_frame == "https://example.com/a.jpg"
    assert any("image_start is used" in w for w in found.warnings)


def test_end_frame_cannot_be_used_with_multi_shot() -> None:
    body = multi(None, "intelligence", image_end="https://example.com/e.jpg")
    assert codes("evolink", body) == [("CONFLICTING_INPUTS", "image_end")]


# --------------------------------------------------------------------------- multi-shot

def test_multi_shot_needs_a_shot_type() -> None:
    assert codes("evolink", multi(shots("10"), shot_type=None)) == [
        ("MISSING_SHOT_TYPE", "model_params.shot_type")]
    assert codes("evolink", multi(shots("10"), shot_type="montage")) == [
        ("INVALID_SHOT_TYPE", "model_params.shot_type")]


def test_customize_needs_one_to_six_shots() -> None:
    assert codes("evolink", multi(None)) == [("MISSING_SHOTS", "model_params.multi_prompt")]
    assert codes("evolink", multi([])) == [("MISSING_SHOTS", "model_params.multi_prompt")]
    assert codes("evolink", multi(shots(*["2"] * 5))) == []
    assert codes("evolink", multi(shots("1", "1", "2", "2", "2", "2"))) == []
    assert codes("evolink", multi(shots("1", "1", "1", "1", "2", "2", "2"))) == [
        ("TOO_MANY_SHOTS", "model_params.multi_prompt")]


def test_each_shot_prompt_is_at_most_512_characters() -> None:
    body = multi(shots("4", "3", "3"))
    body["model_params"]["multi_prompt"][2]["prompt"] = "y" * 513
    assert codes("evolink", body) == [
        ("INVALID_PROMPT", "model_params.multi_prompt[2].prompt")]
    body["model_params"]["multi_prompt"][2]["prompt"] = "y" * 512
    assert codes("evolink", body) == []


def test_shot_durations_must_sum_to_the_duration_or_its_default() -> None:
    assert codes("evolink", multi(shots("4", "5"))) == [
        ("SHOT_DURATION_MISMATCH", "model_params.multi_prompt")]
    no_duration = multi(shots("2", "3"))
    del no_duration["duration"]
    assert codes("evolink", no_duration) == []  # the default duration is 5 s
    numbers = multi([{"prompt": "a", "duration": 6}, {"prompt": "b", "duration": Decimal(4)}])
    assert codes("evolink", numbers) == []


def test_bad_shots_are_reported_each_at_its_path() -> None:
    body = multi([{"index": 1, "prompt": "a", "duration": "five"},
                  {"index": 2, "duration": "5"},
                  {"index": 1.5, "prompt": "c", "duration": "0"},
                  "not a shot"])
    assert codes("evolink", body) == [
        ("INVALID_DURATION", "model_params.multi_prompt[0].duration"),
        ("MISSING_FIELD", "model_params.multi_prompt[1].prompt"),
        ("WRONG_TYPE", "model_params.multi_prompt[2].index"),
        ("WRONG_TYPE", "model_params.multi_prompt[3]"),
        ("INVALID_DURATION", "model_params.multi_prompt[2].duration"),
    ]


def test_shots_given_without_customize_are_ignored_with_a_warning() -> None:
    body = multi(shots("3", "3"), "intelligence")
    assert codes("evolink", body) == []
    assert any("multi_prompt is ignored with shot type 'intelligence'" in w
               for w in warnings_of("evolink", body))
    off = {**I2V, "model_params": {"multi_shot": False, "shot_type": "customize"}}
    assert codes("evolink", off) == []
    assert any("only apply with multi-shot on" in w for w in warnings_of("evolink", off))


def test_multi_shot_on_a_model_that_does_not_document_it_is_refused() -> None:
    """The O3 edit lists no multi-shot feature: a need for multi-shot is not served there,
    and a multi-shot body is not accepted either (features agree with validation)."""
    body = {**O3_EDIT, "model_params": {"multi_shot": True}}
    assert codes("evolink", body, video=VideoInfo(seconds=5)) == [
        ("UNDOCUMENTED_INPUT", "model_params.multi_shot")]


@pytest.mark.parametrize(("provider", "body", "path"), [
    ("evolink", {"model": "kling-v3-text-to-video", "prompt": "x", "duration": 5,
                 "image_start": "https://example.com/a.jpg"}, "image_start"),
    ("kling3api", {"type": "pro-text-to-video", "prompt": "x",
                   "image": "https://example.com/a.jpg"}, "image"),
])
def test_a_first_frame_on_a_text_to_video_body_is_refused(provider: str,
                                                          body: dict[str, Any],
                                                          path: str) -> None:
    """It was accepted in silence and priced as text to video: no source says a
    text-to-video model takes a first frame (seeds 001 and 003 list it for
    image-to-video), so whether the provider uses it, or bills it, is unknown."""
    assert codes(provider, body) == [("UNDOCUMENTED_INPUT", path)]
    with pytest.raises(PayloadError):
        CARD.quote_payload(provider, body)


_VIDEO = "https://example.com/v.mp4"


@pytest.mark.parametrize(("provider", "body", "path", "quote"), [
    ("evolink", {"model": "kling-o3-video-edit", "prompt": "snow", "video_url": _VIDEO,
                 "negative_prompt": "people"}, "negative_prompt",
     "negative_prompt string Optional Negative prompt describing what you don't want in "
     "the video."),
    ("evolink", {"model": "kling-o1-video-edit", "prompt": "snow", "video_urls": [_VIDEO],
                 "negative_prompt": "people"}, "negative_prompt",
     "negative_prompt string Optional Negative prompt describing what you don't want in "
     "the video."),
    ("evolink", {"model": "kling-o1-video-edit", "prompt": "snow", "video_urls": [_VIDEO],
                 "model_params": {"watermark_info": {"enabled": True}}},
     "model_params.watermark_info.enabled", "Format: {enabled: boolean}"),
    ("evolink", {**I2V, "keep_original_sound": False}, "keep_original_sound",
     "keep_original_soundbooleanOptionalDefault: trueWhether to keep the original audio "
     "from the input video."),
    ("kling3api", {"type": "o3-std-reference-to-video", "prompt": "x",
                   "images": ["https://e.com/r.jpg"], "image": "https://e.com/first.jpg"},
     "image", "image: optional string 图生视频任务的图片 URL"),
    ("kling3api", {"type": "pro-text-to-video", "prompt": "x", "keep_original_sound": True},
     "keep_original_sound", '"keep_original_sound": true'),
])
def test_a_field_documented_for_other_models_only_is_refused(
        provider: str, body: dict[str, Any], path: str, quote: str) -> None:
    """Seed 000's O3 edit parameters have no negative_prompt, seed 002's O1 edit none of
    negative_prompt or watermark_info, seed 004's Kling 3.0 body no keep_original_sound,
    and seed 003 gives image to image-to-video tasks: each was read as meaningful for
    every model (an O3 edit's negative prompt was carried to kling3api, where it takes
    effect, and could not come back). The message quotes where the seed does place it."""
    violations = CARD.check_payload(provider, body, video=VideoInfo(seconds=7))
    assert [(v.code, v.path) for v in violations] == [("UNDOCUMENTED_INPUT", path)]
    assert quote in violations[0].message
    with pytest.raises(PayloadError):
        CARD.quote_payload(provider, body, video=VideoInfo(seconds=7))


# --------------------------------------------------------------------------- counts

def test_kling3_takes_at_most_three_elements() -> None:
    three = {**I2V, "model_params": {"element_list": [{"element_id": str(i)} for i in range(3)]}}
    assert codes("evolink", three) == []
    four = {**I2V, "model_params": {"element_list": [{"element_id": i} for i in range(4)]}}
    assert codes("evolink", four) == [("TOO_MANY_INPUTS", "model_params.element_list")]


def test_o3_edit_takes_at_most_four_images_and_elements_together() -> None:
    body = {**O3_EDIT, "image_urls": ["https://x.test/1.jpg"] * 2,
            "model_params": {"element_list": [{"element_id": "1"}, {"element_id": "2"}]}}
    assert codes("evolink", body) == []
    body["image_urls"] = ["https://x.test/1.jpg"] * 3
    [violation] = CARD.check_payload("evolink", body)
    assert (violation.code, violation.path) == ("TOO_MANY_INPUTS", "image_urls")
    assert "at most 4 together" in violation.message


def test_kling3api_reference_takes_at_most_seven_images() -> None:
    body: dict[str, Any] = {"type": "o3-std-reference-to-video", "prompt": "A city",
                            "images": [f"https://x.test/{i}.jpg" for i in range(7)]}
    assert codes("kling3api", body) == []
    body["images"].append("https://x.test/8.jpg")
    assert codes("kling3api", body) == [("TOO_MANY_INPUTS", "images")]
    assert codes("kling3api", {**body, "images": []}) == [("MISSING_IMAGE", "images")]


def test_o1_edit_takes_one_video_and_o3_uses_the_first_by_priority() -> None:
    o1 = {"model": "kling-o1-video-edit", "prompt": "Edit",
          "video_urls": ["https://x.test/a.mp4", "https://x.test/b.mp4"]}
    assert codes("evolink", o1) == [("TOO_MANY_INPUTS", "video_urls")]
    o3 = {**{k: v for k, v in O3_EDIT.items() if k != "video_url"},
          "video": "https://x.test/low.mp4", "video_urls": ["https://x.test/first.mp4"]}
    found = CARD.inspect_payload("evolink", o3)
    assert found.violations == ()
    assert found.request is not None
    assert found.request.video is not None
    assert found.request.video.url == "https://x.test/first.mp4"
    assert found.request.video_count == 2
    assert any("uses only the first" in w for w in found.warnings)


# --------------------------------------------------------------------------- video input

@pytest.mark.parametrize(("body", "video", "path"), [
    ({"video_url": "https://x.test/in.avi"}, VideoInfo(), "video_url"),
    ({}, VideoInfo(format="mkv"), "video.format"),
    ({}, VideoInfo(size_mb=Decimal(250)), "video.size_mb"),
    ({}, VideoInfo(width=640), "video.width"),
    ({}, VideoInfo(height=3000), "video.height"),
    ({}, VideoInfo(fps=12), "video.fps"),
    ({}, VideoInfo(fps=61), "video.fps"),
])
def test_o3_edit_video_limits(body: dict[str, Any], video: VideoInfo, path: str) -> None:
    assert codes("evolink", {**O3_EDIT, **body}, video=video) == [("INVALID_VIDEO", path)]


def test_o3_edit_video_within_limits_and_its_length() -> None:
    good = VideoInfo(seconds=Decimal("7.4"), format="MOV", size_mb=200, width=720, height=2160,
                     fps=Decimal("29.97"))
    assert codes("evolink", O3_EDIT, video=good) == []
    short = VideoInfo(seconds=Decimal("2.9"))
    assert codes("evolink", O3_EDIT, video=short) == [("INVALID_DURATION", "video.seconds")]
    with pytest.raises(PayloadError) as caught:
        CARD.quote_payload("evolink", O3_EDIT, video=short)
    assert caught.value.code == "INVALID_DURATION"


def test_video_metadata_without_a_video_is_ignored_with_a_warning() -> None:
    assert any("the body has no video" in w
               for w in warnings_of("evolink", I2V, video=VideoInfo(seconds=5)))
    assert any("the body has no video" in w
               for w in warnings_of("kling3api", K3, video=VideoInfo(seconds=5)))


def test_video_info_refuses_nonsense() -> None:
    with pytest.raises(QuoteError) as caught:
        VideoInfo(width=-3)
    assert caught.value.code == "INVALID_VIDEO"
    with pytest.raises(QuoteError):
        VideoInfo(seconds="long")
    with pytest.raises(QuoteError):
        VideoInfo(fps=-1)


# --------------------------------------------------------------------------- callback

@pytest.mark.parametrize("url", [
    "http://hooks.example.com/done", "https://10.0.0.1/", "https://localhost/",
    "https://LOCALHOST./x", "https://127.0.0.1:8443/cb", "https://[::1]/cb",
    "https://[::ffff:10.0.0.1]/cb", "https://192.168.1.20/x", "https://172.16.0.1/x",
    "https://169.254.169.254/latest", "https://100.64.0.1/", "https://0.0.0.0/",
    "https://2130706433/", "https://0x7f.1/", "https://017700000001/", "https://intranet/cb",
    "https://api.internal/cb", "https://printer.local/cb", "https:///nohost",
    "https://" + "a" * 2040 + ".com/", "hooks.example.com/done", "https://[bad/",
])
def test_bad_callback_urls(url: str) -> None:
    assert codes("evolink", {**I2V, "callback_url": url}) == [
        ("INVALID_CALLBACK_URL", "callback_url")]


@pytest.mark.parametrize("url", [
    "https://your-domain.com/webhooks/video-task-completed", "https://8.8.8.8/cb",
    "HTTPS://Hooks.Example.com:8443/a?b=c", "https://[2001:4860:4860::8888]/cb",
    "https://" + "a" * 2030 + ".com/",
])
def test_good_callback_urls(url: str) -> None:
    assert codes("evolink", {**I2V, "callback_url": url}) == []


# --------------------------------------------------------------------------- values

def test_aspect_ratio_values() -> None:
    assert codes("evolink", {**I2V, "aspect_ratio": "9:16"}) == []
    assert codes("evolink", {**I2V, "aspect_ratio": "4:3"}) == [
        ("INVALID_ASPECT_RATIO", "aspect_ratio")]
    assert codes("kling3api", {**K3, "aspect_ratio": "21:9"}) == [
        ("INVALID_ASPECT_RATIO", "aspect_ratio")]


@pytest.mark.parametrize(("value", "ok"), [
    (Decimal(0), True), (Decimal(1), True), (Decimal("0.5"), True), (Decimal("1.5"), False),
    (Decimal("-0.01"), False), (2, False)])
def test_cfg_scale_within_0_and_1(value: Decimal, ok: bool) -> None:
    found = codes("kling3api", {**K3, "cfg_scale": value})
    assert found == ([] if ok else [("INVALID_CFG_SCALE", "cfg_scale")])


def test_cfg_scale_is_ignored_by_o3_types_with_a_warning() -> None:
    body = {**K3, "type": "o3-pro-text-to-video", "cfg_scale": Decimal("1.5")}
    assert codes("kling3api", body) == []
    assert any(w.startswith("cfg_scale is ignored by kling3api/o3-pro-text-to-video")
               for w in warnings_of("kling3api", body))


def test_quality_and_sound_must_be_priced() -> None:
    assert codes("evolink", {**I2V, "quality": "4k"}) == [("INVALID_QUALITY", "quality")]
    assert codes("evolink", {**I2V, "sound": "loud"}) == [("INVALID_SOUND", "sound")]
    t2v = {"model": "kling-o3-text-to-video", "prompt": "A city", "sound": "on"}
    assert codes("evolink", t2v) == [("INVALID_SOUND", "sound")]


# --------------------------------------------------------------------------- effects

def test_sound_is_forced_off_for_an_edit_and_reported() -> None:
    q = CARD.quote_payload("evolink", {**O3_EDIT, "sound": "on"}, video=VideoInfo(seconds=5))
    assert q.sound is False
    assert q.credits == Decimal("40.5000")
    assert any(w.startswith("sound forced off") for w in q.warnings)


def test_sound_is_forced_off_with_a_reference_video() -> None:
    body = {"model": "kling-o3-reference-to-video", "prompt": "City",
            "video_url": "https://x.test/ref.mp4", "sound": "on", "duration": 5}
    q = CARD.quote_payload("evolink", body)
    assert q.sound is False
    assert "sound forced off: EvoLink forces sound off when a video input is present " \
        "(seed 000)" in q.warnings
    images = {**body, "image_urls": ["https://x.test/r.jpg"]}
    del images["video_url"]
    assert codes("evolink", images) == [("INVALID_SOUND", "sound")]


def test_duration_and_aspect_ratio_are_ignored_by_an_edit_with_warnings() -> None:
    body = {**O3_EDIT, "duration": 15, "aspect_ratio": "4:3"}
    q = CARD.quote_payload("evolink", body, video=VideoInfo(seconds=5))
    assert q.billed_seconds == Decimal(5)
    ignored = [w for w in q.warnings if " is ignored by evolink/kling-o3-video-edit" in w]
    assert [w.split(" ")[0] for w in ignored] == ["duration", "aspect_ratio"]
    assert all("000_60837b4ac9c6861d.txt" in w for w in ignored)
    k3 = CARD.quote_payload("kling3api", {"type": "o3-std-video-edit", "prompt": "Snow",
                                          "video": "https://x.test/v.mp4", "duration": 99})
    assert k3.credits == Decimal(360)
    assert any(w.startswith("duration is ignored by kling3api/o3-std-video-edit")
               for w in k3.warnings)


def test_sound_is_ignored_by_the_o1_edit() -> None:
    body = {"model": "kling-o1-video-edit", "prompt": "Edit",
            "video_urls": ["https://x.test/a.mp4"], "sound": "on"}
    q = CARD.quote_payload("evolink", body, video=VideoInfo(seconds=4))
    assert (q.sound, q.credits) == (False, Decimal("48.0000"))
    assert any(w.startswith("sound is ignored") for w in q.warnings)


# --------------------------------------------------------------------------- body shape

def test_every_violation_is_reported_at_once() -> None:
    body = {"model": "kling-v3-image-to-video", "prompt": "x" * 2501, "duration": Decimal("5.5"),
            "negative_prompt": "n" * 2501, "callback_url": "https://10.0.0.1/",
            "aspect_ratio": "4:3", "quality": 1080}
    found = codes("evolink", body)
    assert found == [
        ("WRONG_TYPE", "quality"), ("INVALID_DURATION", "duration"),
        ("INVALID_PROMPT", "prompt"), ("INVALID_PROMPT", "negative_prompt"),
        ("MISSING_IMAGE", "image_start"), ("INVALID_ASPECT_RATIO", "aspect_ratio"),
        ("INVALID_CALLBACK_URL", "callback_url")]
    with pytest.raises(PayloadError) as caught:
        CARD.quote_payload("evolink", body)
    assert caught.value.code == "INVALID_PAYLOAD"
    assert [(v.code, v.path) for v in caught.value.violations] == found
    assert "(and 4 more)" in str(caught.value)


@pytest.mark.parametrize(("body", "expected"), [
    ({**I2V, "prompt": 5}, [("WRONG_TYPE", "prompt")]),
    ({**I2V, "duration": "10"}, [("WRONG_TYPE", "duration")]),
    ({**I2V, "duration": True}, [("WRONG_TYPE", "duration")]),
    ({**I2V, "sound": True}, [("WRONG_TYPE", "sound")]),
    ({**I2V, "image_urls": "https://x.test/a.jpg"}, [("WRONG_TYPE", "image_urls")]),
    ({**I2V, "image_urls": ["https://x.test/a.jpg", 7]}, [("WRONG_TYPE", "image_urls[1]")]),
    ({**I2V, "model_params": []}, [("WRONG_TYPE", "model_params")]),
    ({**I2V, "model_params": {"multi_shot": "yes"}}, [("WRONG_TYPE", "model_params.multi_shot")]),
    ({**I2V, "model_params": {"element_list": [{}]}},
     [("MISSING_FIELD", "model_params.element_list[0].element_id")]),
    ({**I2V, "model_params": {"element_list": [{"element_id": 1.5}]}},
     [("WRONG_TYPE", "model_params.element_list[0].element_id")]),
    ({**I2V, "model_params": {"watermark_info": {"enabled": "no"}}},
     [("WRONG_TYPE", "model_params.watermark_info.enabled")]),
    ({**I2V, "model": 3}, [("WRONG_TYPE", "model")]),
    ({k: v for k, v in I2V.items() if k != "model"}, [("MISSING_FIELD", "model")]),
    ({**I2V, "model": "kling-v3-image-to-vide"}, [("UNKNOWN_MODEL", "model")]),
    ([I2V], [("INVALID_BODY", "(body)")]),
])
def test_evolink_body_shape(body: Any, expected: list[tuple[str, str]]) -> None:
    assert codes("evolink", body) == expected


@pytest.mark.parametrize(("body", "expected"), [
    ({**K3, "sound": "on"}, [("WRONG_TYPE", "sound")]),
    ({**K3, "images": ["a", None]}, [("WRONG_TYPE", "images[1]")]),
    ({**K3, "cfg_scale": "high"}, [("WRONG_TYPE", "cfg_scale")]),
    ({**K3, "type": None}, [("MISSING_FIELD", "type")]),
    ({**K3, "duration": float("nan")}, [("WRONG_TYPE", "duration")]),
])
def test_kling3api_body_shape(body: Any, expected: list[tuple[str, str]]) -> None:
    assert codes("kling3api", body) == expected


def test_unknown_model_names_close_matches() -> None:
    [violation] = CARD.check_payload("evolink", {**I2V, "model": "kling-v3-image-to-vide"})
    assert "did you mean kling-v3-image-to-video" in violation.message


def test_unknown_fields_are_warnings_never_errors() -> None:
    body = {**I2V, "seed": 42, "model_params": {"camera": "pan", "multi_shot": False,
                                                "element_list": [{"element_id": "1", "x": 1}]}}
    found = CARD.inspect_payload("evolink", body)
    assert found.violations == ()
    assert found.request is not None
    assert found.request.unknown_fields == (
        "seed", "model_params.camera", "model_params.element_list[0].x")
    assert len([w for w in found.warnings if w.startswith("unknown field")]) == 3
    q = CARD.quote_payload("evolink", body)
    assert q.credits == Decimal("54.0000")
    assert "unknown field seed" in q.warnings[0]
    assert codes("kling3api", {**K3, "quality": "1080p"}) == []


def test_null_fields_count_as_absent() -> None:
    assert codes("evolink", {**I2V, "negative_prompt": None, "image_end": None,
                             "model_params": None}) == []


def test_json_text_bodies_and_their_errors() -> None:
    assert codes("kling3api", json.dumps(K3)) == []
    assert codes("kling3api", json.dumps(K3).encode()) == []
    [violation] = CARD.check_payload("kling3api", '{\n  "type": "pro-text-to-video",\n  x\n}')
    assert violation.code == "INVALID_JSON"
    assert "line 3, column 3" in violation.message
    with pytest.raises(PayloadError):
        CARD.quote_payload("kling3api", "{")


def test_float_bodies_from_plain_json_are_read_exactly() -> None:
    body = json.loads('{"type": "pro-text-to-video", "prompt": "x", "duration": 7.3, '
                      '"cfg_scale": 0.7}')
    [violation] = CARD.check_payload("kling3api", body)  # whole seconds only
    assert violation.code == "INVALID_DURATION"
    assert "duration 7.3 s" in violation.message
    body = json.loads('{"type": "pro-text-to-video", "prompt": "x", "duration": 7.0, '
                      '"cfg_scale": 0.7}')
    q = CARD.quote_payload("kling3api", body)
    assert (q.billed_seconds, q.credits) == (Decimal("7.0"), Decimal(560))


def test_unknown_provider_and_provider_without_adapter(tmp_path: Path) -> None:
    with pytest.raises(UnknownOfferingError):
        CARD.check_payload("evolinc", I2V)
    source = Path(ratecard.load().files["kling3api"]).read_text(encoding="utf-8")
    card = tmp_path / "acme.yaml"
    card.write_text(source.replace("provider: kling3api", "provider: acme"), encoding="utf-8")
    catalog = ratecard.load(card, cache=False)
    with pytest.raises(QuoteError) as caught:
        catalog.check_payload("acme", K3)
    assert caught.value.code == "NO_ADAPTER"


def test_quote_request_prices_the_canonical_request() -> None:
    request = CARD.inspect_payload("evolink", I2V).priced
    assert request is not None
    assert CARD.quote_request(request).credits == Decimal("54.0000")


def test_violation_is_printable_and_serialisable() -> None:
    v = Violation("INVALID_PROMPT", "prompt", "too long", "004")
    assert str(v) == "prompt: INVALID_PROMPT: too long"
    assert json.loads(json.dumps(v.to_dict()))["source"] == "004"


def test_an_input_video_of_no_length_is_refused_alike_by_check_quote_and_route() -> None:
    """kling3api's O3 edit documents no input length (seed 003: a fixed price): a 0 s video
    was valid to check, an INVALID_DURATION QuoteError to quote_payload (documented to
    raise PayloadError) and INVALID_NEED to route_payload."""
    body = {"type": "o3-pro-video-edit", "prompt": "snow",
            "video": "https://example.com/in.mp4", "sound": False}
    video = VideoInfo(seconds=0)
    expected = [("INVALID_DURATION", "video.seconds")]
    assert [(v.code, v.path) for v in CARD.check_payload("kling3api", body, video=video)] == \
        expected
    for call in (lambda: CARD.quote_payload("kling3api", body, video=video),
                 lambda: CARD.route_payload(body, source="kling3api", video=video)):
        with pytest.raises(PayloadError) as caught:
            call()
        assert [(v.code, v.path) for v in caught.value.violations] == expected
    # one second is an input video like any other: the fixed price (seed 003)
    assert CARD.check_payload("kling3api", body, video=VideoInfo(seconds=1)) == []
