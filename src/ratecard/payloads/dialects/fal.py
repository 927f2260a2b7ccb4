"""fal's dialect: the input of a fal.ai Kling endpoint, with the endpoint that takes it.

Sources: fal's public input schemas of the Kling endpoints the fal card prices, read on
2026-12-03 (:data:`CHECKED_ON`; each :class:`~ratecard.payloads.dialects.base.Place`
names its page and quotes its words). fal documents the endpoint in the URL a request is
sent to (``POST https://fal.run/<endpoint id>``), never in the JSON it sends. A fal body
for ratecard is therefore an envelope, the card's convention modelled on fal's own client
call ``fal.subscribe(endpoint_id, {input})``::

    {"endpoint_id": "fal-ai/kling-video/v3/pro/image-to-video",
     "input": {"prompt": "Dusk", "start_image_url": "https://...", "duration": "10",
               "generate_audio": true}}

``input`` is exactly what fal documents (send it as the JSON body to
``https://queue.fal.run/`` + ``endpoint_id``); ``endpoint_id`` picks the offering
(:data:`ENDPOINTS`), as EvoLink's ``model`` and kling3api's ``type`` do.

Only the endpoints whose input schema was read are read and written
(:data:`ENDPOINTS`); the card's other fal offerings stay priced but ``NO_DIALECT``
(:data:`UNREAD`). fal's ``duration`` is a string (``DurationEnum``: ``"3"`` ... ``"15"``).
Fields fal documents that have no canonical form in ratecard (:data:`NOT_READ`:
``multi_prompt``, ``shot_type``, ``elements``, whose elements are image sets, not element
ids) are passed on with a warning when the body is sent as given; they change what is
generated, so a body that gives one is never translated (no other body could carry them:
:attr:`~ratecard.payloads.request.Request.opaque_fields`).

>>> parsed = parse({"endpoint_id": "fal-ai/kling-video/o1/standard/image-to-video",
...                 "input": {"prompt": "Snow melts", "start_image_url": "https://x.test/a.png",
...                           "duration": "7"}}, "fal")
>>> parsed.request.model, parsed.request.duration, parsed.violations
('o1-standard-image-to-video', Decimal('7'), [])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from ratecard.errors import brief
from ratecard.money import plain
from ratecard.numbers import SECONDS, NumberError, read_number
from ratecard.payloads.dialects.base import Dialect, Place, Rendered
from ratecard.payloads.dialects.reader import Parsed, Reader, json_type
from ratecard.payloads.dialects.writer import IMPLIED, number, places_by_input, render_with
from ratecard.payloads.request import Request, VideoInfo
from ratecard.payloads.tasks import TaskRecord
from ratecard.payloads.violations import PayloadError, Violation
from ratecard.pricing.plans import OfferingPlan

NAME = "fal"
CHECKED_ON = "2026-12-03"
"""The day every page below was read."""

ENDPOINTS: Mapping[str, str] = {
    "fal-ai/kling-video/v3/pro/image-to-video": "v3-pro-image-to-video",
    "fal-ai/kling-video/v3/standard/text-to-video": "v3-standard-text-to-video",
    "fal-ai/kling-video/o3/standard/image-to-video": "o3-standard-image-to-video",
    "fal-ai/kling-video/o3/pro/video-to-video/edit": "o3-pro-video-to-video-edit",
    "fal-ai/kling-video/o1/standard/image-to-video": "o1-standard-image-to-video",
}
"""Endpoint id -> the card's offering id, for every endpoint whose input schema was read.
The card's ids are the endpoint with ``-`` for ``/`` (pricing_tables/fal.yaml)."""

UNREAD: Mapping[str, str] = {
    "fal-ai/kling-video/v3/turbo/pro/image-to-video": "v3-turbo-pro-image-to-video",
    "fal-ai/kling-video/v3/turbo/standard/image-to-video": "v3-turbo-standard-image-to-video",
    "fal-ai/kling-video/o1/image-to-video": "o1-image-to-video",
}
"""Endpoints the card prices whose input schema ratecard has not read in full: their
bodies are neither read nor written (``NO_DIALECT``). The voice-control offerings are
the v3 endpoints' third price column, not endpoints of their own: no body is written for
them (ratecard has no canonical voice input)."""

OFFERING_ENDPOINT: Mapping[str, str] = {offering: endpoint
                                        for endpoint, offering in ENDPOINTS.items()}
WRITTEN = frozenset(ENDPOINTS.values())
"""The offerings whose bodies fal's dialect reads and writes."""

_FAL = "https://fal.ai/models/fal-ai/kling-video/"
_DOCS = "https://fal.ai/docs/model-api-reference/video-generation-api/"
V3_PRO_I2V_DOC = _FAL + "v3/pro/image-to-video/llms.txt"
V3_PRO_I2V_PAGE = _FAL + "v3/pro/image-to-video/playground"
V3_STD_T2V_DOC = _FAL + "v3/standard/text-to-video/llms.txt"
V3_PRO_DOCS = _DOCS + "kling-video-v3-pro"
O3_STD_I2V_DOC = _DOCS + "kling-video-o3-standard-image-to-video"
O3_EDIT_DOC = _FAL + "o3/pro/video-to-video/edit/llms.txt"
O1_STD_I2V_DOC = _DOCS + "kling-video-o1-standard-image-to-video"

_V3_I2V, _V3_T2V = "v3-pro-image-to-video", "v3-standard-text-to-video"
_O3_I2V, _O3_EDIT, _O1_I2V = ("o3-standard-image-to-video", "o3-pro-video-to-video-edit",
                              "o1-standard-image-to-video")
_V3 = frozenset({_V3_I2V, _V3_T2V})
_NOBODY: frozenset[str] = frozenset()


def _at(input: str, path: str, document: str, quote: str, models: frozenset[str],
        documented: frozenset[str] | None = None) -> Place:
    return Place(input, path, document, quote, models=models, documented_for=documented,
                 checked_on=CHECKED_ON)


_PROMPT = ("Text prompt for video generation. Either prompt or multi_prompt must be "
           "provided, but not both.")

PLACES: tuple[Place, ...] = (
    _at("prompt", "input.prompt", V3_PRO_I2V_DOC, _PROMPT, frozenset({_V3_I2V})),
    _at("prompt", "input.prompt", V3_STD_T2V_DOC, _PROMPT, frozenset({_V3_T2V})),
    _at("prompt", "input.prompt", O3_STD_I2V_DOC, _PROMPT, frozenset({_O3_I2V})),
    _at("prompt", "input.prompt", O3_EDIT_DOC, "Text prompt for video generation. "
        "Reference video as @Video1.", frozenset({_O3_EDIT})),
    _at("prompt", "input.prompt", O1_STD_I2V_DOC, "Use @Image1 to reference the start "
        "frame, @Image2 to reference the end frame.", frozenset({_O1_I2V})),
    _at("negative_prompt", "input.negative_prompt", V3_PRO_DOCS, 'negative_prompt string '
        'default:"blur, distort, and low quality"', _V3, _NOBODY),
    _at("first_frame", "input.start_image_url", V3_PRO_I2V_DOC, "URL of the image to be "
        "used for the video", frozenset({_V3_I2V})),
    _at("first_frame", "input.image_url", O3_STD_I2V_DOC, "URL of the start frame image.",
        frozenset({_O3_I2V})),
    _at("first_frame", "input.start_image_url", O1_STD_I2V_DOC, "Image to use as the "
        "first frame of the video.", frozenset({_O1_I2V})),
    _at("end_frame", "input.end_image_url", O3_STD_I2V_DOC, "URL of the end frame image "
        "(optional).", frozenset({_O3_I2V})),
    _at("end_frame", "input.end_image_url", O1_STD_I2V_DOC, "Image to use as the last "
        "frame of the video.", frozenset({_O1_I2V})),
    _at("reference_images", "input.image_urls", O3_EDIT_DOC, "Reference images for "
        "style/appearance.", frozenset({_O3_EDIT})),
    _at("video", "input.video_url", O3_EDIT_DOC, "Reference video URL. Only .mp4/.mov "
        "formats, 3-10s duration, 720-2160px resolution, max 200MB.", frozenset({_O3_EDIT})),
    _at("duration", "input.duration", V3_PRO_I2V_DOC, 'The duration of the generated video '
        'in seconds Default value: `"5"`', frozenset({_V3_I2V})),
    _at("duration", "input.duration", V3_STD_T2V_DOC, 'The duration of the generated video '
        'in seconds Default value: `"5"`', frozenset({_V3_T2V})),
    _at("duration", "input.duration", O3_STD_I2V_DOC, 'Video duration in seconds (3-15s). '
        'Default value: "5"', frozenset({_O3_I2V})),
    _at("duration", "input.duration", O1_STD_I2V_DOC, 'Video duration in seconds. Default '
        'value: "5"', frozenset({_O1_I2V})),
    _at("aspect_ratio", "input.aspect_ratio", V3_PRO_DOCS, "The aspect ratio of the "
        'generated video frame Default value: "16:9"', frozenset({_V3_T2V}), _NOBODY),
    _at("quality", "endpoint_id", "market-prices.md", 'Canonical quality: Kling "std" mode '
        'renders 720p, "pro" renders 1080p.', WRITTEN),
    _at("sound", "input.generate_audio", V3_PRO_I2V_PAGE, 'duration: "10", generate_audio: '
        "true,", frozenset({_V3_I2V})),
    _at("sound", "input.generate_audio", V3_PRO_DOCS, "Whether to generate native audio for "
        "the video.", frozenset({_V3_T2V}), _NOBODY),
    _at("sound", "input.generate_audio", O3_STD_I2V_DOC, "Whether to generate native audio "
        "for the video.", frozenset({_O3_I2V})),
    _at("cfg_scale", "input.cfg_scale", V3_PRO_DOCS, "The CFG (Classifier Free Guidance) "
        "scale is a measure of how close you want the model to stick to your prompt.",
        _V3, _NOBODY),
    _at("keep_original_sound", "input.keep_audio", O3_EDIT_DOC, "Whether to keep the "
        "original audio from the reference video. Default value: `true`",
        frozenset({_O3_EDIT})),
)
"""Where each canonical input goes in a fal body, by offering, with the page that says so.
A place whose page documents a sibling endpoint (``negative_prompt``, ``cfg_scale`` and
``aspect_ratio`` from the v3 pro text-to-video reference; ``generate_audio`` for v3
standard text-to-video, whose llms.txt was read only as far as ``multi_prompt``) is
written as an inference (``documented_for`` is empty). Not placed: an end frame, an
aspect ratio or subject elements for v3 pro image to video (the page says "Aspect ratio
is determined by the start image, not a parameter"; the card lists no end frame for
it), a callback address and a watermark (fal's schemas have neither), multi-shot."""

_PLACES = places_by_input(PLACES)

KINDS: Mapping[str, str] = {
    "prompt": "text", "negative_prompt": "text", "first_frame": "text", "end_frame": "text",
    "aspect_ratio": "text", "reference_images": "texts", "sound": "flag",
    "keep_original_sound": "flag", "cfg_scale": "number", "duration": "duration",
    "video": "video",
}
"""How each canonical input is read from its fal field."""

FIELDS: Mapping[str, Mapping[str, str]] = {
    offering: {place.path.removeprefix("input."): place.input for place in PLACES
               if place.path.startswith("input.") and place.models is not None
               and offering in place.models}
    for offering in WRITTEN
}
"""Offering -> (field of ``input`` -> canonical input)."""

NOT_READ: Mapping[str, tuple[frozenset[str], str]] = {
    "multi_prompt": (frozenset({_V3_I2V, _V3_T2V, _O3_I2V}), V3_PRO_I2V_DOC),
    "shot_type": (frozenset({_V3_T2V, _O3_I2V}), O3_STD_I2V_DOC),
    "elements": (frozenset({_O3_EDIT}), O3_EDIT_DOC),
}
"""Fields fal documents for these offerings that have no canonical form in ratecard: the
pages ratecard cites do not give the fields of a ``multi_prompt`` item
(``KlingV3MultiPromptElement``) or of an ``elements`` item, so the shots and subjects
cannot be read into a canonical request, nor written into another seller's body."""

REQUIRED: Mapping[str, tuple[tuple[str, str, str], ...]] = {
    _V3_I2V: (("start_image_url", "MISSING_IMAGE", V3_PRO_I2V_DOC),),
    _O3_I2V: (("image_url", "MISSING_IMAGE", O3_STD_I2V_DOC),),
    _O1_I2V: (("prompt", "INVALID_PROMPT", O1_STD_I2V_DOC),
              ("start_image_url", "MISSING_IMAGE", O1_STD_I2V_DOC)),
    _O3_EDIT: (("prompt", "INVALID_PROMPT", O3_EDIT_DOC),
               ("video_url", "MISSING_VIDEO", O3_EDIT_DOC)),
}
"""Fields fal's schema marks ``required``, by offering: (field, violation code, page)."""

PROMPT_OR_SHOTS: Mapping[str, str] = {
    offering: place.document for place in PLACES
    if place.input == "prompt" and place.quote == _PROMPT and place.models is not None
    for offering in place.models
}
"""Offerings whose schema says "Either prompt or multi_prompt must be provided, but not
both." (:data:`_PROMPT`), with the page: a body gives exactly one of the two."""

SOUND_DEFAULTS: Mapping[str, tuple[bool, str]] = {
    _V3_I2V: (True, "https://fal.ai/docs/model-api-reference/video-generation-api/"
              "kling-video-v3-standard (v3 standard image to video: generate_audio "
              '"Default value: true"), the v3 pro image-to-video page\'s own example'),
    _V3_T2V: (True, V3_PRO_DOCS + ' (v3 pro text to video: generate_audio "Default value: '
              'true")'),
}
"""fal's own ``generate_audio`` default where it is not the card's: a v3 body without
``generate_audio`` makes audio (and is charged the audio-on price), while the card's
assumed default for fal is sound off. Reading such a body makes fal's default explicit,
with a warning. (O3's documented default, false, is the card's; O1 and the O3 edit have
no ``generate_audio``.)"""

PATHS: Mapping[str, str] = {
    "model": "endpoint_id", "quality": "endpoint_id", "prompt": "input.prompt",
    "negative_prompt": "input.negative_prompt", "first_frame": "input.start_image_url",
    "end_frame": "input.end_image_url", "duration": "input.duration",
    "aspect_ratio": "input.aspect_ratio", "sound": "input.generate_audio",
    "cfg_scale": "input.cfg_scale", "reference_images": "input.image_urls",
    "video": "input.video_url", "keep_original_sound": "input.keep_audio",
    "elements": "input.elements", "shots": "input.multi_prompt",
    "multi_shot": "input.multi_prompt", "shot_type": "input.shot_type",
    "callback_url": "callback_url", "watermark": "watermark",
}
"""Canonical input -> where it sits in a fal body (per offering, see :data:`FIELDS`)."""

_PATHS_BY_OFFERING: Mapping[str, Mapping[str, str]] = {
    offering: {**PATHS, **{name: f"input.{key}" for key, name in fields.items()}}
    for offering, fields in FIELDS.items()
}


def parse(body: object, provider: str, video: VideoInfo | None = None) -> Parsed:
    """Read a fal envelope (``endpoint_id`` and ``input``) into a canonical request."""
    reader = Reader()
    if not isinstance(body, Mapping):
        reader.violations.append(Violation(
            "INVALID_BODY", "(body)", f"the body must be a JSON object, not {json_type(body)}"))
        return Parsed(None, PATHS, reader.violations, reader.warnings)
    for key in body:
        if key not in ("endpoint_id", "input"):
            reader.warnings.append(
                f"unknown field {_shown(key)}: a fal body for ratecard is "
                '{"endpoint_id": ..., "input": {...}}; not read, not sent')
    offering = _offering(reader, body.get("endpoint_id"))
    given = body.get("input")
    fields: Mapping[str, Any] | None = None
    if given is None:
        reader.missing("input", "the endpoint's input, as fal documents it")
    else:
        fields = reader.mapping(given, "input")
    if offering is None or fields is None:
        return Parsed(None, PATHS, reader.violations, reader.warnings)
    values: dict[str, Any] = {}
    unknown: list[str] = []
    opaque: list[str] = []
    known = FIELDS[offering]
    for key, value in fields.items():
        path = f"input.{_shown(key)}"
        name = known.get(key)
        if name is not None:
            if value is not None:
                _read(reader, name, value, path, values, video)
        elif key in NOT_READ and offering in NOT_READ[key][0]:
            if value is None:  # fal's own examples send "multi_prompt": null
                continue
            reader.warnings.append(
                f"{path}: fal documents it ({NOT_READ[key][1]}), but ratecard has no "
                "canonical form for it: passed on as is, not checked or priced; the body "
                "can only be sent as given (a translation to another seller or endpoint "
                "is refused)")
            opaque.append(path)
        else:
            reader.unknown(path, f"{NAME} {OFFERING_ENDPOINT[offering]}")
            unknown.append(path)
    endpoint = OFFERING_ENDPOINT[offering]
    for key, code, document in REQUIRED.get(offering, ()):
        if not _given(fields.get(key)):
            reader.violations.append(Violation(
                code, f"input.{key}", f"input.{key} is required by fal's {endpoint}",
                document))
    page = PROMPT_OR_SHOTS.get(offering)
    if page is not None:
        prompt, shots = _given(fields.get("prompt")), _given(fields.get("multi_prompt"))
        rule = _PROMPT.split(". ", 1)[1]  # "Either prompt or multi_prompt must be ..."
        if prompt and shots:
            reader.violations.append(Violation(
                "CONFLICTING_INPUTS", "input.multi_prompt", "input.prompt and "
                f"input.multi_prompt are both given; fal's {endpoint} takes one: \"{rule}\"",
                page))
        elif not prompt and not shots:
            reader.violations.append(Violation(
                "INVALID_PROMPT", "input.prompt", f"fal's {endpoint} requires input.prompt "
                f"or input.multi_prompt: \"{rule}\"", page))
    default = SOUND_DEFAULTS.get(offering)
    if default is not None and "sound" not in values and fields.get("generate_audio") is None:
        values["sound"] = default[0]
        reader.warnings.append(
            "input.generate_audio is not given: fal's documented default is "
            f"{'true' if default[0] else 'false'} ({default[1]}), so the body is priced with "
            "sound on (the card's own default for fal is its assumption)")
    if video is not None and "video" not in values:
        reader.warnings.append("video metadata given, but the body has no video: ignored")
    if unknown:
        values["unknown_fields"] = tuple(unknown)
    if opaque:
        values["opaque_fields"] = tuple(opaque)
    return Parsed(Request(provider, offering, **values), _PATHS_BY_OFFERING[offering],
                  reader.violations, reader.warnings)


def _given(value: object) -> bool:
    """Whether a field is given: a blank text, or an empty list, is not (a value of the
    wrong type is, and is refused as such)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | Mapping):
        return bool(value)
    return True


def _shown(key: object) -> str:
    return key if isinstance(key, str) and len(key) <= 80 else brief(key)


def _offering(reader: Reader, endpoint: object) -> str | None:
    if endpoint is None:
        reader.missing("endpoint_id", "the fal endpoint id, such as "
                       "fal-ai/kling-video/v3/pro/image-to-video")
        return None
    text = reader.text(endpoint, "endpoint_id")
    if text is None:
        return None
    offering = ENDPOINTS.get(text)
    if offering is not None:
        return offering
    if text in UNREAD:
        message = (f"ratecard has not read the input schema of fal's {text}: it prices "
                   "the endpoint (compare, route) but reads and writes no body of it")
    else:
        message = (f"endpoint_id {brief(text)} is not an endpoint whose bodies ratecard "
                   f"reads; it reads {', '.join(sorted(ENDPOINTS))}")
    reader.violations.append(Violation("UNKNOWN_ENDPOINT", "endpoint_id", message))
    return None


def _read(reader: Reader, name: str, value: object, path: str, values: dict[str, Any],
          video: VideoInfo | None) -> None:
    kind = KINDS[name]
    got: Any
    if kind == "text":
        got = reader.text(value, path)
    elif kind == "texts":
        got = reader.texts(value, path)
    elif kind == "flag":
        got = reader.flag(value, path)
    elif kind == "number":
        got = reader.number(value, path)
    elif kind == "duration":
        got = _duration(reader, value, path)
    else:  # the input video
        url = reader.text(value, path)
        if url is None:
            return
        values["video_count"] = 1
        if video is not None:
            values["input_seconds"] = video.seconds
        got = VideoInfo(url=url) if video is None else replace(video, url=url)
    if got is not None:
        values[name] = got


def _duration(reader: Reader, value: object, path: str) -> Decimal | None:
    """fal's ``DurationEnum``: whole seconds written as a string (``"5"``)."""
    if type(value) is not str:
        reader.wrong(path, 'a string of whole seconds such as "5" (fal\'s DurationEnum)',
                     value)
        return None
    # an enum member as fal writes it: "5", never "05" or "0010"
    if 0 < len(value) <= 4 and value.isascii() and value.isdigit() and \
            (value[0] != "0" or value == "0"):
        try:
            return read_number(value, SECONDS, path)
        except NumberError:
            pass
    reader.violations.append(Violation(
        "INVALID_DURATION", path, f'{path} must be whole seconds written as a string such '
        f'as "5", not {brief(value)}'))
    return None


def _encode(name: str, value: Any, place: Place) -> Any:
    if name == "quality":
        return IMPLIED  # the endpoint names it
    if name == "duration":
        whole = number(value)
        return str(whole) if isinstance(whole, int) else plain(value)
    if name == "cfg_scale":
        return number(value)
    if name == "video":
        return value.url
    if name == "reference_images":
        return list(value)
    return value


def render(request: Request, plan: OfferingPlan) -> Rendered:
    """Write ``request`` as a fal body for ``plan``'s endpoint.

    >>> import ratecard
    >>> plan = ratecard.load().plan("fal", "v3-pro-image-to-video")
    >>> r = Request("fal", plan.model, duration=Decimal(10), quality="1080p", sound=True,
    ...             prompt="Dusk", first_frame="https://x.test/a.jpg")
    >>> render(r, plan).body  # doctest: +NORMALIZE_WHITESPACE
    {'endpoint_id': 'fal-ai/kling-video/v3/pro/image-to-video',
     'input': {'prompt': 'Dusk', 'start_image_url': 'https://x.test/a.jpg', 'duration': '10',
               'generate_audio': True}}
    """
    out = render_with(request, plan, "endpoint_id", _PLACES, _encode, WRITTEN, NAME)
    body: dict[str, Any] = {"endpoint_id": OFFERING_ENDPOINT.get(plan.model, plan.model),
                            "input": out.body.get("input", {})}
    return Rendered(body, out.unplaced, out.inferred)


STATUSES: Mapping[str, str] = {}
"""fal's queue statuses are not read: ratecard reads no fal task records."""


def read_task(record: object, provider: str) -> tuple[TaskRecord, Mapping[str, Any] | None]:
    """fal task records are not read: no source ratecard cites describes them."""
    raise PayloadError([Violation(
        "INVALID_BODY", "(task)", "ratecard reads no fal task records: no document it "
        "cites describes them; pass the request body to quote_payload instead")])


def is_task(data: Mapping[str, Any]) -> bool:
    """Never: fal task records are not recognised among invoice lines.

    >>> is_task({"request_id": "r", "status": "COMPLETED"})
    False
    """
    return False


DIALECT = Dialect(NAME, "endpoint_id", "UNKNOWN_ENDPOINT", parse, read_task, STATUSES,
                  is_task, render, PLACES, writes=WRITTEN,
                  sound_defaults={offering: on for offering, (on, _) in SOUND_DEFAULTS.items()})
"""The fal dialect (endpoint id and input envelopes) for :data:`ENDPOINTS`."""
