"""Writing EvoLink bodies: where each canonical input goes, by model, and the seed that
says so.

The reading side is :mod:`ratecard.payloads.dialects.evolink`; both follow seeds 000 (Kling
O3 video edit), 001 and 004 (Kling 3.0 image to video) and 002 (Kling O1 video edit).
"""

from __future__ import annotations

from typing import Any

from ratecard.money import plain
from ratecard.payloads.dialects.base import Place, Rendered
from ratecard.payloads.dialects.writer import number, places_by_input, render_with
from ratecard.payloads.request import Request, Shot
from ratecard.pricing.plans import OfferingPlan

NAME = "EvoLink"

V3_I2V, V3_T2V = "kling-v3-image-to-video", "kling-v3-text-to-video"
O3_T2V, O3_I2V, O3_REF = ("kling-o3-text-to-video", "kling-o3-image-to-video",
                          "kling-o3-reference-to-video")
O3_EDIT, O1_EDIT = "kling-o3-video-edit", "kling-o1-video-edit"
_V3 = frozenset({V3_I2V, V3_T2V})
_GENERATION = frozenset({V3_I2V, V3_T2V, O3_T2V, O3_I2V, O3_REF})
_I2V = frozenset({V3_I2V, O3_I2V})

DOCUMENTED_MODELS = frozenset({V3_I2V, O3_EDIT, O1_EDIT})
"""The model ids an EvoLink API reference in the seeds prints: kling-v3-image-to-video
(001, 004), kling-o3-video-edit (000), kling-o1-video-edit (002). The card infers the
others (kling-v3-text-to-video, kling-o3-<mode>); a body written for one says so."""

_S000, _S001, _S002, _S004 = ("000_60837b4ac9c6861d.txt", "001_82db72441ebb5bb7.txt",
                              "002_802c29637f30495e.txt", "004_c15657de96eea0ce.txt")


def _at(input: str, path: str, document: str, quote: str, models: frozenset[str],
        documented: str) -> Place:
    return Place(input, path, document, quote, models=models,
                 documented_for=frozenset({documented}))


PLACES: tuple[Place, ...] = (
    _at("prompt", "prompt", _S004, "prompt string Optional Text prompt describing what "
        "kind of motion and video to generate.", _GENERATION, V3_I2V),
    _at("prompt", "prompt", _S000, "promptstringOptionalEditing instruction describing how "
        "to transform the video.", frozenset({O3_EDIT}), O3_EDIT),
    _at("prompt", "prompt", _S002, "promptstringRequiredPrompt describing how to edit and "
        "transform the video.", frozenset({O1_EDIT}), O1_EDIT),
    _at("negative_prompt", "negative_prompt", _S004, "negative_prompt string Optional "
        "Negative prompt describing what you don't want in the video.", _GENERATION, V3_I2V),
    _at("first_frame", "image_start", _S004, "image_start string Required First-frame "
        "image URL (required).", _I2V, V3_I2V),
    _at("end_frame", "image_end", _S004, "image_end string Optional End-frame image URL "
        "(optional).", _I2V, V3_I2V),
    _at("reference_images", "image_urls", _S000, "image_urlsarrayOptionalReference image "
        "URL list for style guidance.", frozenset({O3_EDIT, O3_REF}), O3_EDIT),
    _at("reference_images", "image_urls", _S002, "image_urlsarrayOptionalReference image "
        "URL list for style guidance.", frozenset({O1_EDIT}), O1_EDIT),
    _at("video", "video_url", _S000, "video_urlstringRequiredInput video URL to edit.",
        frozenset({O3_EDIT, O3_REF}), O3_EDIT),
    _at("video", "video_urls", _S002, "video_urlsarrayRequiredInput video URL list for "
        "video editing. ... Required: exactly 1 video", frozenset({O1_EDIT}), O1_EDIT),
    _at("duration", "duration", _S004, "duration integer Optional Default: 5 ... Range: "
        "3-15 seconds (integer)", _GENERATION, V3_I2V),
    _at("aspect_ratio", "aspect_ratio", _S001, "aspect_ratio string Optional Video aspect "
        "ratio.", _GENERATION, V3_I2V),
    _at("aspect_ratio", "aspect_ratio", _S002, "aspect_ratiostringOptionalDefault: "
        "16:9Output video aspect ratio.", frozenset({O1_EDIT}), O1_EDIT),
    _at("quality", "quality", _S004, "quality string Optional Default: 720p",
        _GENERATION, V3_I2V),
    _at("quality", "quality", _S000, "qualitystringOptionalDefault: 720pVideo resolution "
        "quality.", frozenset({O3_EDIT}), O3_EDIT),
    _at("sound", "sound", _S004, "sound string Optional Default: off ... off No sound "
        "effects (1.0x) on Generate sound effects (1.5x)", _V3, V3_I2V),
    _at("keep_original_sound", "keep_original_sound", _S000, "keep_original_soundboolean"
        "OptionalDefault: trueWhether to keep the original audio from the input video.",
        frozenset({O3_EDIT}), O3_EDIT),
    _at("keep_original_sound", "keep_original_sound", _S002, "keep_original_soundboolean"
        "OptionalDefault: trueWhether to keep the original audio from the input video.",
        frozenset({O1_EDIT}), O1_EDIT),
    _at("callback_url", "callback_url", _S004, "callback_url string Optional HTTPS "
        "callback address after task completion.", _GENERATION, V3_I2V),
    _at("callback_url", "callback_url", _S000, "callback_urlstringOptionalHTTPS callback "
        "address after task completion.", frozenset({O3_EDIT}), O3_EDIT),
    _at("callback_url", "callback_url", _S002, "callback_urlstringOptionalHTTPS callback "
        "address after task completion.", frozenset({O1_EDIT}), O1_EDIT),
    _at("multi_shot", "model_params.multi_shot", _S004, "model_params.multi_shot boolean "
        "Optional Default: false", _V3, V3_I2V),
    _at("shot_type", "model_params.shot_type", _S004, "model_params.shot_type string "
        "Optional Shot type for multi-shot mode.", _V3, V3_I2V),
    _at("shots", "model_params.multi_prompt", _S004, "Format: [{index: number, prompt: "
        "string, duration: string}, ...]", _V3, V3_I2V),
    _at("elements", "model_params.element_list", _S004, "model_params.element_list array "
        "Optional ... Format: [{element_id: string}, ...]", _V3, V3_I2V),
    _at("elements", "model_params.element_list", _S000, "model_params.element_listarray"
        "Optional ... Format: [{element_id: string}, ...]", frozenset({O3_EDIT, O3_REF}),
        O3_EDIT),
    _at("watermark", "model_params.watermark_info.enabled", _S004, "model_params."
        "watermark_info object Optional ... Format: {enabled: boolean}", _GENERATION, V3_I2V),
    _at("watermark", "model_params.watermark_info.enabled", _S000, "model_params."
        "watermark_infoobjectOptional ... Format: {enabled: boolean}", frozenset({O3_EDIT}),
        O3_EDIT),
)
"""Where each canonical input goes in an EvoLink body, by model, with the seed that
documents it. For the models with no API reference in the seeds (kling-v3-text-to-video,
kling-o3-<mode>) the places are those the card infers in its offering notes (Kling 3.0
image to video's for the generation modes; image_urls, element_list and video_url as the
O3 video edit takes them for reference to video): written there, they are marked
inferred. EvoLink has no ``cfg_scale``; Kling O1 video edit has no quality, sound,
negative prompt, elements or watermark in seed 002."""

_PLACES = places_by_input(PLACES)


def _encode(name: str, value: Any, place: Place) -> Any:
    if name == "sound":
        return "on" if value else "off"
    if name == "duration":
        return number(value)
    if name == "video":
        return [value.url] if place.path == "video_urls" else value.url
    if name == "elements":
        return [{"element_id": ident} for ident in value]
    if name == "shots":
        return [_shot(shot) for shot in value]
    if name == "reference_images":
        return list(value)
    return value


def _shot(shot: Shot) -> dict[str, Any]:
    written: dict[str, Any] = {}
    if shot.index is not None:
        written["index"] = shot.index
    if shot.prompt is not None:
        written["prompt"] = shot.prompt
    if shot.duration is not None:
        written["duration"] = plain(shot.duration)  # seeds 001, 004: "duration: string"
    return written


def render(request: Request, plan: OfferingPlan) -> Rendered:
    """Write ``request`` as an EvoLink body for ``plan``'s model.

    >>> import ratecard
    >>> from decimal import Decimal
    >>> plan = ratecard.load().plan("evolink", "kling-v3-image-to-video")
    >>> r = Request("evolink", plan.model, duration=Decimal(10), quality="1080p", sound=True,
    ...             first_frame="https://x.test/a.jpg", cfg_scale=Decimal("0.5"))
    >>> out = render(r, plan)
    >>> out.body  # doctest: +NORMALIZE_WHITESPACE
    {'model': 'kling-v3-image-to-video', 'image_start': 'https://x.test/a.jpg',
     'duration': 10, 'quality': '1080p', 'sound': 'on'}
    >>> out.unplaced, out.inferred
    (('cfg_scale',), ())
    """
    return render_with(request, plan, "model", _PLACES, _encode, DOCUMENTED_MODELS, NAME)
