"""Hypothesis strategies for native request bodies: valid ones, and single mutations.

A :class:`Case` is a body a provider accepts, drawn for one offering of the built-in cards
from what its documents say (prompt limits, required inputs, accepted ranges), with the
arguments of the ``card.quote(...)`` call that prices the same request. A
:class:`Mutation` breaks one rule of a valid body and names the violation (code and path)
that must be reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

import ratecard
from ratecard import Catalog, VideoInfo
from ratecard.payloads.dialects import DIALECTS
from ratecard.pricing.plans import OfferingPlan
from tests.budget import examples

PAYLOAD_SETTINGS = settings(max_examples=examples(60), deadline=None)
"""Modest example counts: the suite must stay fast."""


@cache
def catalog() -> Catalog:
    """The built-in cards, loaded once."""
    return ratecard.load()


CARD = catalog()
EVOLINK_PLANS = CARD.plans("evolink")
KLING3API_PLANS = CARD.plans("kling3api")

ASPECT_RATIOS = ("16:9", "9:16", "1:1")
WORDS = st.text(alphabet="abcdefghij klmnopqrstuvwxyz,.", min_size=1, max_size=60).filter(
    lambda text: bool(text.strip()))


@dataclass
class Case:
    """A body ``provider`` accepts, and how ``card.quote`` prices the same request."""

    provider: str
    model: str
    body: dict[str, Any]
    video: VideoInfo | None = None
    expected: dict[str, Any] = field(default_factory=dict)
    """Keyword arguments of ``card.quote(provider, model, ...)``."""

    def expected_quote(self) -> ratecard.Quote:
        """``card.quote`` of the canonical request."""
        return CARD.quote(self.provider, self.model, **self.expected)


@dataclass
class Mutation:
    """One rule broken in a valid body, and the violation it must produce."""

    provider: str
    name: str
    body: Any
    video: VideoInfo | None
    code: str
    path: str


def _url(kind: str, n: int) -> str:
    return f"https://cdn.example.com/{kind}/{n}.jpg"


def _prompt(draw: st.DrawFn, limit: int | None, required: bool) -> str | None:
    """A prompt up to ``limit`` characters; sometimes exactly at the limit."""
    if not required and draw(st.booleans()):
        return None
    if limit is not None and draw(st.integers(0, 9)) == 0:
        return "p" * limit
    return draw(WORDS)


def _shots(draw: st.DrawFn, duration: int, max_shots: int) -> list[dict[str, Any]]:
    """1..max shots whose whole-second durations add up to ``duration``."""
    count = draw(st.integers(1, min(max_shots, duration)))
    cuts = sorted(draw(st.lists(st.integers(1, duration - 1), min_size=count - 1,
                                max_size=count - 1, unique=True))) if count > 1 else []
    bounds = [0, *cuts, duration]
    return [{"index": i + 1, "prompt": draw(WORDS), "duration": str(bounds[i + 1] - bounds[i])}
            for i in range(count)]


def _video(draw: st.DrawFn, formats: tuple[str, ...], min_seconds: Decimal,
           max_mb: Decimal | None, pixels: bool) -> tuple[str, VideoInfo]:
    ext = draw(st.sampled_from(formats))
    url = f"https://cdn.example.com/in/{draw(st.integers(1, 999))}.{ext}"
    tenths = draw(st.integers(int(min_seconds * 10), 600))
    seconds = Decimal(tenths) / 10
    size = None if max_mb is None else Decimal(draw(st.integers(1, int(max_mb))))
    width = height = fps = None
    if pixels:
        width, height = draw(st.integers(720, 2160)), draw(st.integers(720, 2160))
        fps = Decimal(draw(st.integers(24, 60)))
    return url, VideoInfo(seconds=seconds, size_mb=size, width=width, height=height, fps=fps)


def documents(plan: OfferingPlan, name: str) -> bool:
    """Whether ``plan``'s dialect has a place for input ``name`` in the model's body: a
    valid body gives no input its seller documents for other models only."""
    return any(p.takes(plan.model, plan.mode, plan.family)
               for p in DIALECTS[plan.provider].places if p.input == name)


@st.composite
def evolink_case(draw: st.DrawFn, plan: OfferingPlan) -> Case:
    """A valid EvoLink body for ``plan``."""
    rules = plan.rules
    model, mode = plan.model, plan.mode
    body: dict[str, Any] = {"model": model}
    expected: dict[str, Any] = {}
    video_info = None
    limit = rules.max_chars["prompt"].max if "prompt" in rules.max_chars else None
    needs_prompt = any("prompt" in r.inputs and len(r.inputs) == 1 for r in rules.requires)
    multi = None
    if rules.multi_shot is not None and draw(st.booleans()):
        multi = draw(st.sampled_from(rules.multi_shot.shot_types))
    prompt = _prompt(draw, limit, needs_prompt or (mode == "text-to-video" and
                                                   multi != "customize"))
    if prompt is not None:
        body["prompt"] = prompt
    if documents(plan, "negative_prompt") and draw(st.booleans()):
        body["negative_prompt"] = draw(WORDS)
    if plan.basis == "duration":
        assert plan.accepts is not None
        low, high = int(plan.accepts.min or 1), int(plan.accepts.max or 15)
        if multi is not None or draw(st.booleans()):
            seconds = draw(st.integers(max(low, 2 if multi == "customize" else low), high))
            body["duration"] = seconds
            expected["duration"] = Decimal(seconds)
        else:
            seconds = int(plan.default_duration or 5)
        if multi is not None:
            assert rules.multi_shot is not None
            params = body.setdefault("model_params", {})
            params.update(multi_shot=True, shot_type=multi)
            if multi in rules.multi_shot.shots_required_for:
                params["multi_prompt"] = _shots(draw, seconds, rules.multi_shot.max_shots or 6)
    if draw(st.booleans()):
        quality = draw(st.sampled_from(plan.qualities))
        body["quality"] = quality
        expected["quality"] = quality
    has_video = False
    if mode == "video-edit" or (mode == "reference-to-video" and draw(st.booleans())):
        assert rules.video is not None or mode == "reference-to-video"
        formats = rules.video.formats if rules.video and rules.video.formats else ("mp4",)
        min_seconds = plan.accepts_input.min if plan.accepts_input and \
            plan.accepts_input.min else Decimal("0.5")
        url, video_info = _video(draw, formats, min_seconds,
                                 rules.video.max_mb if rules.video else None,
                                 bool(rules.video and rules.video.pixels))
        key = draw(st.sampled_from(("video_url", "video_urls", "video")))
        body[key] = [url] if key == "video_urls" else url
        has_video = True
        if plan.basis == "input_seconds":
            expected["input_seconds"] = video_info.seconds
    sounds = plan.sounds
    forced = rules.forced_sound_with
    ignored = {name for rule in rules.ignores for name in rule.inputs}
    can_force = plan.forced_sound is not None or (forced is not None and has_video)
    choices = ("off", "on") if can_force or "sound" in ignored else sounds
    if draw(st.booleans()):
        sound = draw(st.sampled_from(choices))
        body["sound"] = sound
        if "sound" not in ignored:
            expected["sound"] = sound == "on"
    if forced is not None and has_video:
        expected["sound"] = forced.value
    if any(r.inputs == ("first_frame",) for r in rules.requires):
        key = draw(st.sampled_from(("image_start", "image_start", "image_url", "image")))
        body[key] = _url("first", draw(st.integers(1, 99)))
        if multi is None and "end-frame" in plan.features and draw(st.booleans()):
            body["image_end"] = _url("end", draw(st.integers(1, 99)))
    elements_max = next((c.max for c in rules.max_items if c.inputs == ("elements",)), None)
    together = next((c.max for c in rules.max_items
                     if set(c.inputs) == {"reference_images", "elements"}), None)
    images_max = next((c.max for c in rules.max_items if c.inputs == ("reference_images",)),
                      together)
    if mode == "reference-to-video" and not has_video:
        body["image_urls"] = [_url("ref", i) for i in range(draw(st.integers(1, 4)))]
    elif images_max is not None and draw(st.booleans()):
        body["image_urls"] = [_url("ref", i) for i in range(draw(st.integers(0, images_max)))]
    room = elements_max if elements_max is not None else together
    if room is not None:
        room -= len(body.get("image_urls", [])) if together is not None else 0
        if room > 0 and draw(st.booleans()):
            count = draw(st.integers(0, room))
            body.setdefault("model_params", {})["element_list"] = [
                {"element_id": draw(st.one_of(st.integers(1, 10**9), st.just("123456")))}
                for _ in range(count)]
    if "aspect_ratio" not in ignored and rules.aspect_ratios and draw(st.booleans()):
        body["aspect_ratio"] = draw(st.sampled_from(rules.aspect_ratios.values))
    elif "aspect_ratio" in ignored and draw(st.booleans()):
        body["aspect_ratio"] = draw(st.sampled_from(("16:9", "4:3")))  # ignored: any value
    if "duration" in ignored and draw(st.booleans()):
        body["duration"] = draw(st.integers(1, 30))  # ignored: any value
    if documents(plan, "callback_url") and draw(st.booleans()):
        body["callback_url"] = f"https://hooks.example.com/done/{draw(st.integers(1, 99))}"
    if documents(plan, "keep_original_sound") and draw(st.booleans()):
        body["keep_original_sound"] = draw(st.booleans())
    if documents(plan, "watermark") and draw(st.booleans()):
        body.setdefault("model_params", {})["watermark_info"] = {"enabled": draw(st.booleans())}
    return Case("evolink", model, body, video_info, expected)


@st.composite
def kling3api_case(draw: st.DrawFn, plan: OfferingPlan) -> Case:
    """A valid kling3api body for ``plan``."""
    rules = plan.rules
    model, mode = plan.model, plan.mode
    body: dict[str, Any] = {"type": model}
    expected: dict[str, Any] = {}
    ignored = {name for rule in rules.ignores for name in rule.inputs}
    prompt = _prompt(draw, rules.max_chars["prompt"].max, True)
    body["prompt"] = prompt
    if "duration" in ignored:
        if draw(st.booleans()):
            body["duration"] = draw(st.integers(1, 30))
    elif draw(st.booleans()):
        assert plan.accepts is not None
        low, high = int(plan.accepts.min or 1), int(plan.accepts.max or 15)
        if plan.accepts.integer:  # whole seconds, unless a source says fractions are taken
            seconds = Decimal(draw(st.integers(low, high)))
        else:
            seconds = Decimal(draw(st.integers(low * 10, high * 10))) / 10
        body["duration"] = seconds
        expected["duration"] = seconds
    if draw(st.booleans()):
        body["aspect_ratio"] = draw(st.sampled_from(ASPECT_RATIOS))
    if draw(st.booleans()):
        sound = draw(st.booleans())
        body["sound"] = sound
        expected["sound"] = sound
    if mode == "image-to-video":
        body["image"] = _url("first", draw(st.integers(1, 99)))
    if draw(st.booleans()):
        body["end_image"] = _url("end", draw(st.integers(1, 99)))  # ignored unless i2v
    video_info = None
    if mode == "video-edit" or (mode == "reference-to-video" and draw(st.booleans())):
        body["video"] = f"https://cdn.example.com/in/{draw(st.integers(1, 99))}.mp4"
        if draw(st.booleans()):
            video_info = VideoInfo(seconds=Decimal(draw(st.integers(3, 60))))
            if plan.basis != "duration":  # a fixed price: the length is shown, not billed
                expected["input_seconds"] = video_info.seconds
    if mode == "reference-to-video" and ("video" not in body or draw(st.booleans())):
        body["images"] = [_url("ref", i) for i in range(draw(st.integers(1, 7)))]
    if rules.cfg_scale is not None and draw(st.booleans()):
        body["cfg_scale"] = Decimal(draw(st.integers(0, 100))) / 100
    elif "cfg_scale" in ignored and draw(st.booleans()):
        body["cfg_scale"] = Decimal("1.5")  # ignored: any value
    if documents(plan, "negative_prompt") and draw(st.booleans()):
        body["negative_prompt"] = draw(WORDS)
    if documents(plan, "keep_original_sound") and draw(st.booleans()):
        body["keep_original_sound"] = draw(st.booleans())
    return Case("kling3api", model, body, video_info, expected)


def valid_cases() -> st.SearchStrategy[Case]:
    """A valid body for any offering of either provider."""
    plans = [*EVOLINK_PLANS, *KLING3API_PLANS]
    return st.sampled_from(plans).flatmap(
        lambda plan: evolink_case(plan) if plan.provider == "evolink" else kling3api_case(plan))


# --------------------------------------------------------------------------- mutations

MutationMaker = Callable[[st.DrawFn, Case], Mutation | None]


def _copy(case: Case) -> dict[str, Any]:
    body = dict(case.body)
    if isinstance(body.get("model_params"), dict):
        body["model_params"] = dict(body["model_params"])
    return body


def _plan(case: Case) -> OfferingPlan:
    return CARD.plan(case.provider, case.model)


def _long_prompt(draw: st.DrawFn, case: Case) -> Mutation | None:
    rule = _plan(case).rules.max_chars.get("prompt")
    if rule is None or rule.max is None:
        return None
    body = _copy(case)
    body["prompt"] = "x" * (rule.max + draw(st.integers(1, 50)))
    return Mutation(case.provider, "too-long prompt", body, case.video, "INVALID_PROMPT", "prompt")


def _bad_duration(draw: st.DrawFn, case: Case) -> Mutation | None:
    plan = _plan(case)
    if plan.basis != "duration" or plan.accepts is None:
        return None
    choices = [Decimal(2), Decimal(16), Decimal(0), Decimal(-5)]
    if plan.accepts.integer:
        choices.append(Decimal("5.5"))
    body = _copy(case)
    body["duration"] = draw(st.sampled_from(choices))
    return Mutation(case.provider, "bad duration", body, case.video, "INVALID_DURATION", "duration")


def _missing_image(draw: st.DrawFn, case: Case) -> Mutation | None:
    plan = _plan(case)
    if not any(r.inputs == ("first_frame",) for r in plan.rules.requires):
        return None
    body = _copy(case)
    for key in ("image_start", "image_url", "image"):
        body.pop(key, None)
    path = "image_start" if case.provider == "evolink" else "image"
    return Mutation(case.provider, "missing image", body, case.video, "MISSING_IMAGE", path)


def _missing_video(draw: st.DrawFn, case: Case) -> Mutation | None:
    plan = _plan(case)
    if not any(r.inputs == ("video",) for r in plan.rules.requires):
        return None
    body = _copy(case)
    for key in ("video_url", "video_urls", "video"):
        body.pop(key, None)
    path = "video_url" if case.provider == "evolink" else "video"
    return Mutation(case.provider, "missing video", body, None, "MISSING_VIDEO", path)


BAD_CALLBACKS = ("http://hooks.example.com/done", "https://10.0.0.1/", "https://localhost/",
                 "https://127.0.0.1:8443/cb", "https://[::1]/cb", "https://192.168.1.20/x",
                 "https://169.254.169.254/latest", "https://intranet/cb",
                 "https://" + "a" * 2040 + ".com/", "ftp://hooks.example.com/")


def _bad_callback(draw: st.DrawFn, case: Case) -> Mutation | None:
    if _plan(case).rules.callback_url is None:
        return None
    body = _copy(case)
    body["callback_url"] = draw(st.sampled_from(BAD_CALLBACKS))
    return Mutation(case.provider, "bad callback", body, case.video, "INVALID_CALLBACK_URL",
                    "callback_url")


def _multi_shot_body(case: Case, shots: list[dict[str, Any]], duration: int) -> dict[str, Any]:
    body = _copy(case)
    body.pop("image_end", None)
    body["duration"] = duration
    params = body.setdefault("model_params", {})
    params.update(multi_shot=True, shot_type="customize", multi_prompt=shots)
    return body


def _too_many_shots(draw: st.DrawFn, case: Case) -> Mutation | None:
    rule = _plan(case).rules.multi_shot
    if rule is None or rule.max_shots is None:
        return None
    count = rule.max_shots + draw(st.integers(1, 3))
    shots = [{"index": i + 1, "prompt": "shot", "duration": "1"} for i in range(count)]
    body = _multi_shot_body(case, shots, min(count, 15))
    return Mutation(case.provider, "too many shots", body, case.video, "TOO_MANY_SHOTS",
                    "model_params.multi_prompt")


def _shots_not_summing(draw: st.DrawFn, case: Case) -> Mutation | None:
    rule = _plan(case).rules.multi_shot
    if rule is None or not rule.durations_sum_to_duration:
        return None
    duration = draw(st.integers(5, 15))
    first = draw(st.integers(1, 3))
    second = draw(st.integers(1, 3))
    shots = [{"index": 1, "prompt": "one", "duration": str(first)},
             {"index": 2, "prompt": "two", "duration": str(second)}]
    if first + second == duration:
        return None
    body = _multi_shot_body(case, shots, duration)
    return Mutation(case.provider, "shots not summing", body, case.video, "SHOT_DURATION_MISMATCH",
                    "model_params.multi_prompt")


def _long_shot_prompt(draw: st.DrawFn, case: Case) -> Mutation | None:
    rule = _plan(case).rules.multi_shot
    if rule is None or rule.shot_prompt_max_chars is None:
        return None
    index = draw(st.integers(0, 2))
    shots = [{"index": i + 1, "prompt": "s", "duration": "2"} for i in range(3)]
    shots[index]["prompt"] = "y" * (rule.shot_prompt_max_chars + 1)
    body = _multi_shot_body(case, shots, 6)
    return Mutation(case.provider, "too-long shot prompt", body, case.video, "INVALID_PROMPT",
                    f"model_params.multi_prompt[{index}].prompt")


def _end_frame_with_multi_shot(draw: st.DrawFn, case: Case) -> Mutation | None:
    rules = _plan(case).rules
    if not any(r.inputs == ("end_frame", "multi_shot") for r in rules.forbids):
        return None
    body = _copy(case)
    body["image_end"] = _url("end", 1)
    params = body.setdefault("model_params", {})
    params.update(multi_shot=True, shot_type="intelligence")
    params.pop("multi_prompt", None)
    return Mutation(case.provider, "end frame with multi-shot", body, case.video,
                    "CONFLICTING_INPUTS", "image_end")


def _bad_cfg_scale(draw: st.DrawFn, case: Case) -> Mutation | None:
    if _plan(case).rules.cfg_scale is None:
        return None
    body = _copy(case)
    body["cfg_scale"] = draw(st.sampled_from((Decimal("1.5"), Decimal("-0.1"), 2)))
    return Mutation(case.provider, "cfg_scale out of range", body, case.video, "INVALID_CFG_SCALE",
                    "cfg_scale")


def _bad_aspect_ratio(draw: st.DrawFn, case: Case) -> Mutation | None:
    rules = _plan(case).rules
    if rules.aspect_ratios is None or any("aspect_ratio" in r.inputs for r in rules.ignores):
        return None
    body = _copy(case)
    body["aspect_ratio"] = draw(st.sampled_from(("4:3", "21:9", "16x9", "")))
    return Mutation(case.provider, "unknown aspect ratio", body, case.video, "INVALID_ASPECT_RATIO",
                    "aspect_ratio")


def _wrong_type(draw: st.DrawFn, case: Case) -> Mutation | None:
    body = _copy(case)
    candidates = {"prompt": 123, "duration": "5", "negative_prompt": ["no"],
                  "keep_original_sound": "yes", "aspect_ratio": 16,
                  "sound": True if case.provider == "evolink" else "on"}
    present = sorted(key for key in candidates if key in body)
    key = draw(st.sampled_from([*present, "callback_url" if case.provider == "evolink"
                                else "cfg_scale"]))
    body[key] = candidates.get(key, {"url": "https://x.example.com"})
    return Mutation(case.provider, "wrong type", body, case.video, "WRONG_TYPE", key)


def _too_many_elements(draw: st.DrawFn, case: Case) -> Mutation | None:
    rule = next((c for c in _plan(case).rules.max_items if "elements" in c.inputs), None)
    if rule is None:
        return None
    body = _copy(case)
    body.pop("image_urls", None)
    body.setdefault("model_params", {})["element_list"] = [
        {"element_id": str(i)} for i in range(rule.max + draw(st.integers(1, 3)))]
    path = "model_params.element_list" if rule.inputs[0] == "elements" else "image_urls"
    return Mutation(case.provider, "too many elements", body, case.video, "TOO_MANY_INPUTS", path)


def _too_many_images(draw: st.DrawFn, case: Case) -> Mutation | None:
    rule = next((c for c in _plan(case).rules.max_items if c.inputs == ("reference_images",)),
                None)
    if rule is None:
        return None
    body = _copy(case)
    key = "image_urls" if case.provider == "evolink" else "images"
    body[key] = [_url("ref", i) for i in range(rule.max + draw(st.integers(1, 3)))]
    return Mutation(case.provider, "too many images", body, case.video, "TOO_MANY_INPUTS", key)


def _missing_prompt(draw: st.DrawFn, case: Case) -> Mutation | None:
    if not any(r.inputs == ("prompt",) for r in _plan(case).rules.requires):
        return None
    body = _copy(case)
    if draw(st.booleans()):
        body.pop("prompt", None)
    else:
        body["prompt"] = draw(st.sampled_from(("", "   ")))
    return Mutation(case.provider, "missing prompt", body, case.video, "INVALID_PROMPT", "prompt")


def _bad_model(draw: st.DrawFn, case: Case) -> Mutation | None:
    body = _copy(case)
    key = "model" if case.provider == "evolink" else "type"
    if draw(st.booleans()):
        del body[key]
        return Mutation(case.provider, "missing model", body, case.video, "MISSING_FIELD", key)
    body[key] = case.model + "-xl"
    code = "UNKNOWN_MODEL" if case.provider == "evolink" else "INVALID_TYPE"
    return Mutation(case.provider, "unknown model", body, case.video, code, key)


def _not_an_object(draw: st.DrawFn, case: Case) -> Mutation | None:
    junk = draw(st.sampled_from(([case.body], '"a JSON string"', b"[1, 2]", 5, None, True)))
    return Mutation(case.provider, "not an object", junk, case.video, "INVALID_BODY", "(body)")


MUTATIONS: tuple[MutationMaker, ...] = (
    _long_prompt, _bad_duration, _missing_image, _missing_video, _bad_callback,
    _too_many_shots, _shots_not_summing, _long_shot_prompt, _end_frame_with_multi_shot,
    _bad_cfg_scale, _bad_aspect_ratio, _wrong_type, _too_many_elements, _too_many_images,
    _missing_prompt, _bad_model, _not_an_object,
)


@st.composite
def mutations(draw: st.DrawFn) -> Mutation:
    """A valid body with one rule broken (any mutation that applies to its offering)."""
    case = draw(valid_cases())
    makers = list(MUTATIONS)
    while True:
        maker = draw(st.sampled_from(makers))
        found = maker(draw, case)
        if found is not None:
            return found
        makers.remove(maker)


JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                         st.decimals(allow_nan=False, allow_infinity=False, places=3),
                         st.text(max_size=20))
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)
"""Arbitrary JSON values (numbers as Decimal, as ``parse_float=Decimal`` reads them)."""


@st.composite
def junk_bodies(draw: st.DrawFn) -> tuple[str, Any]:
    """A valid body with random JSON values put in random known (and unknown) fields."""
    case = draw(valid_cases())
    body = _copy(case)
    keys = sorted({*body, "duration", "sound", "model_params", "video_urls", "images",
                   "image_urls", "cfg_scale", "callback_url", "unknown"})
    for key in draw(st.lists(st.sampled_from(keys), min_size=1, max_size=4)):
        body[key] = draw(JSON_VALUES)
    if draw(st.booleans()) and case.provider == "evolink":
        body["model_params"] = {"multi_shot": draw(JSON_VALUES), "shot_type": draw(JSON_VALUES),
                                "multi_prompt": draw(JSON_VALUES),
                                "element_list": draw(JSON_VALUES)}
    return case.provider, body
