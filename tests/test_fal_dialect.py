"""fal's dialect: bodies written by hand from fal's published input schemas (checked
2026-12-03), prices from market-prices.md's fal rows (USD per second of output):
v3/pro/image-to-video 0.112 off / 0.168 on, v3/standard/text-to-video 0.084 / 0.126,
o3/standard/image-to-video 0.084 / 0.112, o3/pro/video-to-video/edit 0.336,
o1/standard/image-to-video 0.084.

Properties, over fal bodies drawn from the same schemas: reading what fal rendered gives
back the request; fal -> EvoLink -> fal keeps it where EvoLink can express it; the quote of
a translated body is the quote of the request at the target; a body with odd values or
fields gives violations with documented codes, never an exception.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ratecard
from ratecard import PayloadError, QuoteError, VideoInfo
from ratecard.codes import VIOLATIONS
from ratecard.payloads.dialects import DIALECTS
from ratecard.payloads.request import Request
from ratecard.payloads.translate import (
    DROPPABLE,
    TranslationError,
    read_source,
    resolve,
    translate_to,
)
from tests.budget import examples

CARD = ratecard.load()
FAL = DIALECTS["fal"]
V3_I2V = "fal-ai/kling-video/v3/pro/image-to-video"
V3_T2V = "fal-ai/kling-video/v3/standard/text-to-video"
O3_I2V = "fal-ai/kling-video/o3/standard/image-to-video"
O3_EDIT = "fal-ai/kling-video/o3/pro/video-to-video/edit"
O1_I2V = "fal-ai/kling-video/o1/standard/image-to-video"
IMG = "https://example.com/start.png"


def body(endpoint: str, **given: Any) -> dict[str, Any]:
    return {"endpoint_id": endpoint, "input": given}


def test_v3_pro_image_to_video_from_its_documented_body() -> None:
    # the playground page's own example: start_image_url, prompt, duration "10", audio on
    q = CARD.quote_payload("fal", body(V3_I2V, start_image_url=IMG, prompt="Slow push-in.",
                                       duration="10", generate_audio=True))
    assert (q.quality, q.sound, q.billed_seconds, q.usd) == \
        ("1080p", True, Decimal("10"), Decimal("1.680000"))  # 0.168 x 10
    q = CARD.quote_payload("fal", body(V3_I2V, start_image_url=IMG, prompt="Dusk",
                                       duration="5", generate_audio=False))
    assert q.usd == Decimal("0.560000")  # 0.112 x 5


def test_fal_default_audio_on_is_made_explicit() -> None:
    inspection = CARD.inspect_payload("fal", body(V3_I2V, start_image_url=IMG, prompt="x"))
    assert inspection.valid
    assert inspection.priced is not None
    assert inspection.priced.sound is True
    assert any("generate_audio is not given" in w for w in inspection.warnings)
    q = CARD.quote_payload("fal", body(V3_I2V, start_image_url=IMG, prompt="x"))
    assert q.usd == Decimal("0.840000")  # fal's default "5" s with audio: 0.168 x 5


def test_the_other_endpoints_from_their_documented_bodies() -> None:
    q = CARD.quote_payload("fal", body(V3_T2V, prompt="Drone shot", duration="15",
                                       generate_audio=False, aspect_ratio="9:16"))
    assert (q.quality, q.usd) == ("720p", Decimal("1.260000"))  # 0.084 x 15
    # O3's documented example: image_url, end_image_url, duration "10", generate_audio false
    q = CARD.quote_payload("fal", body(O3_I2V, prompt="walks forward", image_url=IMG,
                                       end_image_url="https://example.com/end.png",
                                       duration="10", generate_audio=False))
    assert q.usd == Decimal("0.840000")  # 0.084 x 10
    q = CARD.quote_payload("fal", body(O1_I2V, prompt="Snow melts", start_image_url=IMG,
                                       duration="3"))
    assert q.usd == Decimal("0.252000")  # 0.084 x 3
    q = CARD.quote_payload("fal", body(O3_EDIT, prompt="Snow everywhere",
                                       video_url="https://example.com/in.mp4",
                                       keep_audio=False),
                           video=VideoInfo(seconds="7.5"))
    assert q.usd == Decimal("2.520000")  # 0.336 x 7.5 s of input


def test_documented_errors() -> None:
    found = CARD.check_payload("fal", body(V3_I2V, duration=10))
    assert {(v.code, v.path) for v in found} == {
        ("WRONG_TYPE", "input.duration"), ("MISSING_IMAGE", "input.start_image_url"),
        ("INVALID_PROMPT", "input.prompt")}
    found = CARD.check_payload("fal", body(O1_I2V, start_image_url=IMG, duration="12"))
    assert {(v.code, v.path) for v in found} == {
        ("INVALID_PROMPT", "input.prompt"), ("INVALID_DURATION", "input.duration")}
    found = CARD.check_payload("fal", body(O1_I2V, prompt="x", start_image_url=IMG,
                                           duration="5.0"))
    assert [(v.code, v.path) for v in found] == [("INVALID_DURATION", "input.duration")]
    for padded in ("05", "0010"):  # not members of DurationEnum ("3" ... "15")
        found = CARD.check_payload("fal", body(O1_I2V, prompt="x", start_image_url=IMG,
                                               duration=padded))
        assert [(v.code, v.path) for v in found] == [("INVALID_DURATION", "input.duration")]
    found = CARD.check_payload("fal", {"endpoint_id": "fal-ai/kling-video/o1/image-to-video",
                                       "input": {}})
    assert [v.code for v in found] == ["UNKNOWN_ENDPOINT"]
    assert "has not read the input schema" in found[0].message
    # fal documents image_urls for the O3 edit, but the card (market-prices.md) lists no
    # reference-images feature for it: the card's rule stands
    found = CARD.check_payload("fal", body(O3_EDIT, prompt="x", video_url="https://e.x/a.mp4",
                                           image_urls=["https://e.x/r.jpg"]))
    assert [(v.code, v.path) for v in found] == [("UNDOCUMENTED_INPUT", "input.image_urls")]
    found = CARD.check_payload("fal", {"input": {}})
    assert [(v.code, v.path) for v in found] == [("MISSING_FIELD", "endpoint_id")]


def test_unknown_and_undocumented_fields_are_warned_about() -> None:
    inspection = CARD.inspect_payload("fal", body(V3_I2V, start_image_url=IMG, prompt="x",
                                                  generate_audio=False, seed=7,
                                                  multi_prompt=None, elements=[{}]))
    assert inspection.valid
    assert any(w.startswith("unknown field input.seed") for w in inspection.warnings)
    # elements is not in the v3 pro image-to-video schema ratecard read
    assert any(w.startswith("unknown field input.elements") for w in inspection.warnings)
    assert inspection.request is not None
    assert inspection.request.unknown_fields == ("input.seed", "input.elements")
    edit = CARD.inspect_payload("fal", body(O3_EDIT, prompt="x", video_url="https://e.x/a.mp4",
                                            elements=[]))
    assert any("fal documents it" in w for w in edit.warnings)


EVOLINK = {"model": "kling-v3-image-to-video", "prompt": "Day to night",
           "image_start": IMG, "duration": 10, "quality": "1080p", "sound": "on",
           "callback_url": "https://hooks.example.com/done"}


def test_evolink_to_fal_and_back() -> None:
    there = CARD.translate(EVOLINK, source="evolink", target="fal")
    assert there.body == body(V3_I2V, prompt="Day to night", start_image_url=IMG,
                              duration="10", generate_audio=True)
    assert there.dropped == ("callback_url",)
    assert there.quote.usd == Decimal("1.680000")  # 0.168 x 10
    back = CARD.translate(there.body, source="fal", target="evolink")
    assert back.body == {k: v for k, v in EVOLINK.items() if k != "callback_url"}
    assert back.quote.usd == Decimal("1.500000")  # 108 credits / 72 (seed 001)


def test_what_fal_cannot_express_is_refused() -> None:
    with pytest.raises(TranslationError) as refused:
        CARD.translate(dict(EVOLINK, aspect_ratio="16:9",
                            model_params={"element_list": [{"element_id": "12"}]}),
                       source="evolink", target="fal")
    assert sorted((v.code, v.path) for v in refused.value.violations) == [
        ("CANNOT_EXPRESS", "aspect_ratio"), ("CANNOT_EXPRESS", "model_params.element_list")]
    with pytest.raises(TranslationError) as refused:  # fal sells no 720p v3 image to video
        CARD.translate(dict(EVOLINK, quality="720p"), source="evolink", target="fal")
    assert [v.code for v in refused.value.violations] == ["CANNOT_EXPRESS"]


# fal's multi-shot body: "Either prompt or multi_prompt must be provided, but not both."
# (the places' quote); the pages ratecard cites do not give a multi_prompt item's fields
MULTI_SHOT = body(V3_I2V, start_image_url=IMG, duration="10", generate_audio=True,
                  multi_prompt=[{"prompt": "A knight draws a sword", "duration": "5"},
                                {"prompt": "The dragon attacks", "duration": "5"}])


def test_a_multi_shot_body_is_sent_only_as_given() -> None:
    card = CARD.with_credit_value("kling3api", 500)
    assert card.quote_payload("fal", MULTI_SHOT).usd == Decimal("1.680000")  # 0.168 x 10
    shots = ("CANNOT_EXPRESS", "input.multi_prompt")
    # kling3api also requires a prompt (seed 003): every reason is listed
    reasons = {"evolink": [shots], "kling3api": [shots, ("INVALID_PROMPT", "prompt")]}
    for target, want in reasons.items():
        with pytest.raises(TranslationError) as refused:
            card.translate(MULTI_SHOT, source="fal", target=target)
        assert [(v.code, v.path) for v in refused.value.violations] == want
        assert "only fal/v3-pro-image-to-video takes this body" in \
            refused.value.violations[0].message
    r = card.route_payload(MULTI_SHOT, source="fal")
    assert [(s.provider, s.model) for s in r.chain] == [("fal", "v3-pro-image-to-video")]
    assert r.chain[0].body == MULTI_SHOT
    for seller, model in (("evolink", "kling-v3-image-to-video"),
                          ("kling3api", "pro-image-to-video")):
        assert [(v.code, v.path) for v in r.refusals[(seller, model)]] == reasons[seller]
    # the whole class: every field fal documents that ratecard cannot read
    edit = body(O3_EDIT, prompt="x", video_url="https://e.x/a.mp4",
                elements=[{"frontal_image_url": IMG}])
    with pytest.raises(TranslationError) as refused:
        CARD.translate(edit, source="fal", target="evolink", video=VideoInfo(seconds=5))
    assert ("CANNOT_EXPRESS", "input.elements") in \
        [(v.code, v.path) for v in refused.value.violations]
    typed = body(O3_I2V, prompt="x", image_url=IMG, shot_type="intelligent")
    with pytest.raises(TranslationError) as refused:
        CARD.translate(typed, source="fal", target="evolink")
    assert ("CANNOT_EXPRESS", "input.shot_type") in \
        [(v.code, v.path) for v in refused.value.violations]


def test_a_prompt_or_multi_prompt_exactly_one() -> None:
    rule = "Either prompt or multi_prompt must be provided, but not both."
    for endpoint, image in ((V3_I2V, {"start_image_url": IMG}), (V3_T2V, {}),
                            (O3_I2V, {"image_url": IMG})):
        nones: list[dict[str, Any]] = [{}, {"prompt": "  "}, {"multi_prompt": []},
                                       {"prompt": None}]
        for none in nones:
            found = CARD.check_payload("fal", body(endpoint, **image, **none))
            assert [(v.code, v.path) for v in found] == [("INVALID_PROMPT", "input.prompt")]
            assert rule in found[0].message
            assert endpoint in found[0].message
        found = CARD.check_payload("fal", body(endpoint, **image, prompt="x",
                                               multi_prompt=MULTI_SHOT["input"]["multi_prompt"]))
        assert [(v.code, v.path) for v in found] == [
            ("CONFLICTING_INPUTS", "input.multi_prompt")]
    # O1 requires its prompt: a blank one is none
    found = CARD.check_payload("fal", body(O1_I2V, prompt=" ", start_image_url=IMG))
    assert [(v.code, v.path) for v in found] == [("INVALID_PROMPT", "input.prompt")]
    # EvoLink's image to video takes no prompt ("Optional for image-to-video", seed 004);
    # fal's does: the translation is refused, and routing leaves fal out with that reason
    silent = {k: v for k, v in EVOLINK.items() if k != "prompt"}
    with pytest.raises(TranslationError) as refused:
        CARD.translate(silent, source="evolink", target="fal")
    assert [(v.code, v.path) for v in refused.value.violations] == [
        ("INVALID_PROMPT", "input.prompt")]
    r = CARD.with_credit_value("kling3api", 500).route_payload(silent, source="evolink")
    assert "fal" not in {s.provider for s in r.chain}
    assert [(v.code, v.path) for v in r.refusals[("fal", "v3-pro-image-to-video")]] == [
        ("INVALID_PROMPT", "input.prompt")]


def test_a_default_made_explicit_names_fals_documented_sound_default() -> None:
    # fal documents generate_audio "Default value: true" for Kling 3.0 (SOUND_DEFAULTS'
    # pages); EvoLink's default is sound off (seed 004), kling3api's on (seed 003)
    t = CARD.translate({"model": "kling-v3-text-to-video", "prompt": "x", "duration": 5},
                       source="evolink", target="fal")
    assert t.body["input"]["generate_audio"] is False
    (said,) = t.warnings
    assert said.endswith("(fal's own default would be sound on)")
    t = CARD.translate({"type": "std-text-to-video", "prompt": "x", "duration": 5},
                       source="kling3api", target="fal")
    assert t.body["input"]["generate_audio"] is True
    (said,) = t.warnings
    assert "sound on" in said
    assert "own default would be" not in said  # fal's own default is on too


def test_offerings_without_a_read_schema_stay_no_dialect() -> None:
    assert {p.model for p in CARD.plans("fal") if not FAL.writes_model(p.model)} == {
        "v3-pro-image-to-video-voice-control", "v3-standard-text-to-video-voice-control",
        "v3-turbo-pro-image-to-video", "v3-turbo-standard-image-to-video",
        "o1-image-to-video"}
    with pytest.raises(QuoteError) as caught:
        CARD.translate(EVOLINK, source="evolink", target="comfy")
    assert caught.value.code == "NO_DIALECT"


def test_every_place_quotes_a_page_with_its_date() -> None:
    for place in FAL.places:
        assert place.quote
        assert place.document
        assert place.document == "market-prices.md" or \
            place.document.startswith("https://fal.ai/")
        assert place.checked_on == "2026-12-03"


# ----------------------------------------------------------------- properties

FAL_SETTINGS = settings(max_examples=examples(80), deadline=None)
WORDS = st.text(alphabet="abcdefghij klmnop", min_size=1, max_size=30).filter(
    lambda text: bool(text.strip()))


@st.composite
def fal_bodies(draw: st.DrawFn) -> tuple[dict[str, Any], VideoInfo | None]:
    """A body fal's schema accepts, for one of the endpoints ratecard read."""
    endpoint = draw(st.sampled_from([V3_I2V, V3_T2V, O3_I2V, O3_EDIT, O1_I2V]))
    given: dict[str, Any] = {}
    video = None
    if endpoint == O3_EDIT:
        given["prompt"] = draw(WORDS)
        given["video_url"] = f"https://example.com/in/{draw(st.integers(1, 99))}.mp4"
        video = VideoInfo(seconds=Decimal(draw(st.integers(30, 100))) / 10)
        if draw(st.booleans()):
            given["keep_audio"] = draw(st.booleans())
        return {"endpoint_id": endpoint, "input": given}, video
    given["prompt"] = draw(WORDS)  # each endpoint requires a prompt (or fal's multi_prompt)
    high = 10 if endpoint == O1_I2V else 15
    if draw(st.booleans()):
        given["duration"] = str(draw(st.integers(3, high)))
    if endpoint in (V3_I2V, O1_I2V):
        given["start_image_url"] = IMG
    if endpoint == O3_I2V:
        given["image_url"] = IMG
    if endpoint in (O3_I2V, O1_I2V) and draw(st.booleans()):
        given["end_image_url"] = "https://example.com/end.png"
    if endpoint in (V3_I2V, V3_T2V, O3_I2V) and draw(st.booleans()):
        given["generate_audio"] = draw(st.booleans())
    if endpoint in (V3_I2V, V3_T2V):
        if draw(st.booleans()):
            given["negative_prompt"] = draw(WORDS)
        if draw(st.booleans()):
            given["cfg_scale"] = Decimal(draw(st.integers(0, 20))) / 20
    if endpoint == V3_T2V and draw(st.booleans()):
        given["aspect_ratio"] = draw(st.sampled_from(["16:9", "9:16", "1:1"]))
    return {"endpoint_id": endpoint, "input": given}, video


NOT_COMPARED = {"provider", "model", "video_count", "unknown_fields"}
T = TypeVar("T")


def attempt(call: Callable[[], T]) -> tuple[T | None, PayloadError | None]:
    """The call's result, or the PayloadError it raised (anything else propagates)."""
    try:
        return call(), None
    except PayloadError as exc:
        return None, exc


def _canonical(request: Request, drop: set[str]) -> dict[str, Any]:
    return {f.name: getattr(request, f.name) for f in fields(Request)
            if f.name not in NOT_COMPARED | drop}


@FAL_SETTINGS
@given(fal_bodies())
def test_reading_what_fal_rendered_gives_the_same_request(
        drawn: tuple[dict[str, Any], VideoInfo | None]) -> None:
    given_body, video = drawn
    source = read_source(CARD.index, "fal", given_body, video=video)
    assert FAL.render is not None
    rendered = FAL.render(source.request, source.plan)
    assert rendered.unplaced == ()
    parsed = FAL.parse(rendered.body, "fal", source.video)
    assert parsed.violations == []
    assert parsed.request is not None
    assert _canonical(resolve(parsed.request, source.plan), set()) == \
        _canonical(source.request, set())


@FAL_SETTINGS
@given(fal_bodies())
def test_fal_to_evolink_and_back_keeps_the_request(
        drawn: tuple[dict[str, Any], VideoInfo | None]) -> None:
    given_body, video = drawn
    there, refused = attempt(lambda: CARD.translate(given_body, source="fal",
                                                    target="evolink", video=video))
    if there is None:
        assert refused is not None
        assert isinstance(refused, TranslationError)
        assert refused.violations
        assert all(v.code in VIOLATIONS for v in refused.violations)
        return
    source = read_source(CARD.index, "fal", given_body, video=video)
    back_source = read_source(CARD.index, "evolink", there.body, video=video)
    back, refused = attempt(lambda: translate_to(CARD.index, back_source, source.plan))
    if back is None:
        # only what EvoLink added that fal's body has no place for may stop the way back
        assert isinstance(refused, TranslationError)
        assert {v.code for v in refused.violations} == {"CANNOT_EXPRESS"}
        return
    assert back.model == source.plan.model
    dropped = set(there.dropped) | set(back.dropped) | set(DROPPABLE)
    assert _canonical(resolve(back.request, source.plan), dropped) == \
        _canonical(source.request, dropped)


@FAL_SETTINGS
@given(fal_bodies(), st.sampled_from(["evolink", "kling3api"]))
def test_a_translated_fal_body_costs_what_the_request_costs_at_the_target(
        drawn: tuple[dict[str, Any], VideoInfo | None], target: str) -> None:
    given_body, video = drawn
    card = CARD.with_credit_value("kling3api", 500)
    t, refused = attempt(lambda: card.translate(given_body, source="fal", target=target,
                                                video=video))
    if t is None:
        assert isinstance(refused, TranslationError)
        assert all(v.code in VIOLATIONS for v in refused.violations)
        return
    request, plan = t.request, card.plan(target, t.model)
    seconds = request.video.seconds if request.video is not None else None
    want = card.quote(target, t.model,
                      duration=request.duration if plan.basis == "duration" else None,
                      input_seconds=seconds if plan.basis == "input_seconds" else None,
                      quality=request.quality, sound=request.sound)
    assert (t.quote.amount_exact, t.quote.usd) == (want.amount_exact, want.usd)
    again = card.quote_payload(target, t.body, video=video)
    assert again.usd == t.quote.usd


ODD = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.text(max_size=20),
                st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5),
                                                                     st.integers(), max_size=2),
                st.decimals(allow_nan=False, allow_infinity=False))
KEYS = st.sampled_from(["prompt", "duration", "start_image_url", "image_url",
                        "end_image_url", "generate_audio", "cfg_scale", "aspect_ratio",
                        "negative_prompt", "video_url", "image_urls", "keep_audio",
                        "multi_prompt", "elements", "voice_ids", "seed"])


@settings(FAL_SETTINGS, max_examples=examples(150))
@given(fal_bodies(), st.lists(st.tuples(KEYS, ODD), max_size=4), ODD, st.booleans())
def test_odd_fal_bodies_give_violations_never_an_exception(
        drawn: tuple[dict[str, Any], VideoInfo | None], changes: list[tuple[str, Any]],
        odd: Any, top: bool) -> None:
    given_body, video = drawn
    mangled: Any = {"endpoint_id": given_body["endpoint_id"],
                    "input": dict(given_body["input"], **dict(changes))}
    if top:
        mangled = dict(mangled, endpoint_id=odd) if odd is not None else odd
    found = CARD.check_payload("fal", mangled, video=video)
    assert all(v.code in VIOLATIONS and v.message for v in found)
    _, refused = attempt(lambda: CARD.quote_payload("fal", mangled, video=video))
    assert refused is None or refused.violations
    for target in ("evolink", "kling3api"):  # a TranslationError is a PayloadError too
        _, refused = attempt(partial(CARD.translate, mangled, source="fal", target=target,
                                     video=video))
        assert refused is None or all(v.code in VIOLATIONS for v in refused.violations)


def test_the_o3_edit_checks_the_input_video_market_prices_describes() -> None:
    """market-prices.md: "input video .mp4/.mov, 3-10 s, 720-2160 px, max 200 MB"; only
    the length was checked, so a 500 MB WebM of 400 x 300 px was priced."""
    edit = "fal-ai/kling-video/o3/pro/video-to-video/edit"
    body = {"endpoint_id": edit,
            "input": {"prompt": "Make it dusk", "video_url": "https://cdn.example.com/a.webm"}}
    bad = ratecard.VideoInfo(seconds=5, format="webm", size_mb=500, width=400, height=300)
    found = ratecard.load().check_payload("fal", body, video=bad)
    assert [(v.code, v.path) for v in found] == [
        ("INVALID_VIDEO", "video.format"), ("INVALID_VIDEO", "video.size_mb"),
        ("INVALID_VIDEO", "video.width"), ("INVALID_VIDEO", "video.height")]
    good = ratecard.VideoInfo(seconds=5, format="mov", size_mb=200, width=720, height=2160)
    mov = {"endpoint_id": edit,
           "input": {"prompt": "Make it dusk", "video_url": "https://cdn.example.com/a.mov"}}
    assert ratecard.load().quote_payload("fal", mov, video=good).usd == Decimal("1.68")
