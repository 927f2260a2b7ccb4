"""kling3api's dialect: ``POST /api/generate`` bodies and ``GET /api/status`` records.

Source: seed 003. Every body field is a plain mapping (:data:`FIELDS`) except ``type``
(the offering; it also fixes the quality: pro renders 1080p, std 720p) and ``video``
(the input video, with the caller's metadata). Bodies are written back by :func:`render`
from :data:`PLACES`. A kling3api body has no place for subject elements, multi-shot, a
callback address or a watermark setting: seed 003 documents none.

>>> parsed = parse({"type": "pro-text-to-video", "prompt": "An eagle", "sound": False},
...                "kling3api")
>>> parsed.request.model, parsed.request.sound, parsed.violations
('pro-text-to-video', False, [])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from ratecard.errors import brief
from ratecard.payloads.dialects.base import Dialect, Place, Rendered
from ratecard.payloads.dialects.reader import Parsed, Reader, finish, json_type, read_field
from ratecard.payloads.dialects.writer import IMPLIED, number, places_by_input, render_with
from ratecard.payloads.request import Request, VideoInfo
from ratecard.payloads.tasks import TaskRecord, normalise_status
from ratecard.payloads.violations import PayloadError, Violation
from ratecard.pricing.plans import OfferingPlan
from ratecard.timestamps import ISO_FORM

NAME = "kling3api"

FIELDS: Mapping[str, tuple[str, str]] = {
    "prompt": ("prompt", "text"),
    "negative_prompt": ("negative_prompt", "text"),
    "duration": ("duration", "seconds"),
    "aspect_ratio": ("aspect_ratio", "text"),
    "image": ("first_frame", "text"),
    "end_image": ("end_frame", "text"),
    "images": ("reference_images", "texts"),
    "sound": ("sound", "flag"),
    "cfg_scale": ("cfg_scale", "number"),
    "keep_original_sound": ("keep_original_sound", "flag"),
}
"""Body key -> (canonical input, kind)."""

PATHS: Mapping[str, str] = {
    "model": "type", "quality": "type", "prompt": "prompt",
    "negative_prompt": "negative_prompt", "duration": "duration",
    "aspect_ratio": "aspect_ratio", "first_frame": "image", "end_frame": "end_image",
    "reference_images": "images", "sound": "sound", "cfg_scale": "cfg_scale",
    "keep_original_sound": "keep_original_sound", "video": "video",
    "elements": "elements", "shots": "shots", "multi_shot": "multi_shot",
    "shot_type": "shot_type", "callback_url": "callback_url", "watermark": "watermark",
}
"""Canonical input -> where it sits in a kling3api body."""


def parse(body: object, provider: str, video: VideoInfo | None = None) -> Parsed:
    """Read a kling3api body into a canonical :class:`~ratecard.payloads.request.Request`."""
    reader = Reader()
    if not isinstance(body, Mapping):
        reader.violations.append(Violation(
            "INVALID_BODY", "(body)", f"the body must be a JSON object, not {json_type(body)}"))
        return Parsed(None, PATHS, reader.violations, reader.warnings)
    values: dict[str, Any] = {}
    unknown: list[str] = []
    kind: object = None
    for key, value in body.items():
        if read_field(reader, FIELDS, key, value, values):
            continue
        if key == "type":
            kind = value
        elif key == "video":
            url = None if value is None else reader.text(value, "video")
            if url is not None:
                values["video"] = VideoInfo(url=url) if video is None else replace(video, url=url)
                values["video_count"] = 1
                if video is not None:
                    values["input_seconds"] = video.seconds
        else:
            reader.unknown(key, NAME)
            unknown.append(key)
    if video is not None and "video" not in values:
        reader.warnings.append("video metadata given, but the body has no video: ignored")
    return finish(reader, provider, "type", kind, "the task type",
                  "the task type, such as pro-text-to-video",
                  values, unknown, PATHS)


STATUSES: Mapping[str, str] = {
    "pending": "pending", "queued": "pending", "in_progress": "running",
    "processing": "running", "running": "running", "success": "succeeded",
    "succeeded": "succeeded", "completed": "succeeded", "failed": "failed",
    "failure": "failed", "error": "failed", "cancelled": "cancelled", "canceled": "cancelled",
}
"""kling3api task statuses (compared in lower case). Seed 003 shows ``IN_PROGRESS`` and
``SUCCESS``; the others are inferred."""

DATA_FIELDS = frozenset({"task_id", "status", "consumed_credits", "created_at", "request",
                         "response", "error_message", "type"})
"""Keys of a status record's ``data`` that are read."""


def read_task(record: object, provider: str) -> tuple[TaskRecord, Mapping[str, Any] | None]:
    """Read a kling3api status record (``{code, message, data}``, or its ``data`` alone).

    Returns the record and the request body it carries (``data.request``), if any.
    Raises :class:`~ratecard.payloads.violations.PayloadError` for an error envelope (``code`` other
    than 200), a missing ``task_id`` or ``status``, or a field of the wrong type.
    """
    reader = Reader()
    if not isinstance(record, Mapping):
        raise PayloadError([Violation("INVALID_BODY", "(task)", f"a status record must be a "
                                      f"JSON object, not {json_type(record)}")])
    prefix = ""
    data: Mapping[str, Any] = record
    if "data" in record or "code" in record:
        code = record.get("code")
        if code is not None and (isinstance(code, bool) or not isinstance(
                code, int | float | Decimal)):
            reader.wrong("code", "a number (200 for a status record)", code)
            raise PayloadError(reader.violations)
        if code is not None and not _is_200(code):
            raise PayloadError([Violation(
                "TASK_ERROR", "code", f"the record is an error response: code "
                f"{brief(code)}, message {brief(record.get('message'))}")])
        inner = reader.mapping(record.get("data"), "data")
        if inner is None:
            raise PayloadError(reader.violations)
        data, prefix = inner, "data."
    task_id = _get(reader, data, "task_id", Reader.text, prefix, required=True)
    status = _get(reader, data, "status", Reader.text, prefix, required=True)
    consumed = _get(reader, data, "consumed_credits", Reader.amount, prefix)
    stamp = _get(reader, data, "created_at", Reader.text, prefix)
    created = None if stamp is None else _timestamp(reader, stamp, f"{prefix}created_at")
    body = _get(reader, data, "request", Reader.mapping, prefix)
    outputs = _get(reader, data, "response", Reader.texts, prefix) or ()
    error = _get(reader, data, "error_message", Reader.text, prefix)
    kind = _get(reader, data, "type", Reader.text, prefix)
    if kind is None and body is not None and type(body.get("type")) is str:
        kind = body["type"]
    elif kind is not None and body is not None and "type" not in body:
        # the record names the task type once, beside the request: the request is still
        # the body that was sent (its duration and sound), of that type
        body = {**body, "type": kind}
        reader.warnings.append(f"{prefix}request has no type: {prefix}type {brief(kind)} "
                               "is taken as the request's")
    for key in data:
        if key not in DATA_FIELDS:
            reader.warnings.append(f"unknown field {prefix}{key} in the kling3api record: "
                                   "not read")
    if reader.violations:
        raise PayloadError(reader.violations)
    assert task_id is not None
    assert status is not None
    duration = None if body is None else body.get("duration")
    # a bad duration is the request's problem (a request violation), not the record's
    seconds = None if duration is None else Reader().seconds(duration, "duration")
    normalised = normalise_status(status, STATUSES, reader.warnings)
    return TaskRecord(
        provider=provider, task_id=task_id, model=kind, status=normalised, raw_status=status,
        created=created, credits_consumed=consumed, duration=seconds, error_message=error,
        outputs=tuple(outputs), warnings=tuple(reader.warnings)), body


def _get(reader: Reader, data: Mapping[str, Any], key: str, kind: Any, prefix: str,
         *, required: bool = False) -> Any:
    value = data.get(key)
    if value is None:
        if required:
            reader.missing(f"{prefix}{key}", f"a kling3api status record has {key}")
        return None
    return kind(reader, value, f"{prefix}{key}")


def _timestamp(reader: Reader, text: str, path: str) -> datetime | None:
    try:
        if len(text) > 64 or not ISO_FORM.fullmatch(text.strip()):
            raise ValueError("not a form invoices are read in")  # week dates, 20260205...
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        # in UTC, 0001-01-01T00:00+05:00 falls before year 1: OverflowError
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):
        reader.violations.append(Violation(
            "WRONG_TYPE", path, f"{path} must be an ISO 8601 time such as "
            f"2026-02-05T10:30:00Z within years 1-9999 in UTC, not {brief(text)}"))
        return None


def is_task(data: Mapping[str, Any]) -> bool:
    """A kling3api status record: ``data.task_id``.

    >>> is_task({"code": 200, "data": {"task_id": "n75abc"}}), is_task({"a": 1})
    (True, False)
    """
    inner = data.get("data")
    return isinstance(inner, Mapping) and "task_id" in inner


# ------------------------------------------------------------------ writing bodies

_S003 = "003_d85ea8d62f3ed7f3.txt"
_EDIT = frozenset({"video-edit"})


def _at(input: str, path: str, quote: str, *, modes: frozenset[str] | None = None,
        families: frozenset[str] | None = None,
        documented_for: frozenset[str] | None = None) -> Place:
    return Place(input, path, _S003, quote, modes=modes, families=families,
                 documented_for=documented_for)


PLACES: tuple[Place, ...] = (
    _at("prompt", "prompt", "prompt: string 视频描述文本(最多 2000 字符)"),
    _at("negative_prompt", "negative_prompt", "negative_prompt: optional string 负面提示词,"
        "避免生成某些元素"),
    _at("first_frame", "image", "image: optional string 图生视频任务的图片 URL",
        modes=frozenset({"image-to-video"})),
    _at("end_frame", "end_image", "end_image: optional string 结束帧图片 URL(仅限图生视频)",
        modes=frozenset({"image-to-video"})),
    _at("reference_images", "images", "images: optional string[] 参考图片 URL 数组(O3 参考生成,"
        "最多 7 张)", modes=frozenset({"reference-to-video"})),
    _at("video", "video", "video: optional string 参考视频或视频编辑任务的视频 URL",
        modes=frozenset({"reference-to-video", "video-edit"})),
    _at("duration", "duration", "duration: optional number 视频时长(秒)。Kling 3.0: 3-15。"
        "O3: 3-15。 Defaults to 5.",
        modes=frozenset({"text-to-video", "image-to-video", "reference-to-video"})),
    _at("aspect_ratio", "aspect_ratio", "aspect_ratio: optional string 输出宽高比(16:9, 9:16, "
        "1:1) Defaults to 16:9."),
    _at("quality", "type", "pro-text-to-video Pro 品质文生视频 ... std-text-to-video 标准品质"
        "文生视频"),
    _at("sound", "sound", "sound: optional boolean 启用原生音频生成 Defaults to true."),
    _at("cfg_scale", "cfg_scale", "cfg_scale: optional number 提示词遵循度(0-1,仅限 Kling "
        "3.0) Defaults to 0.5.", families=frozenset({"kling-3.0"})),
    _at("keep_original_sound", "keep_original_sound", '"type": "o3-pro-video-edit", ... '
        '"keep_original_sound": true', modes=_EDIT,
        documented_for=frozenset({"o3-pro-video-edit"})),
)
"""Where each canonical input goes in a kling3api body (seed 003, whose body parameters
say which task types take them: "仅限图生视频", image to video only; "仅限 Kling 3.0").
The quality is not a field: it is the type (pro renders 1080p, std 720p), chosen with
the offering. ``keep_original_sound`` appears only in the video-edit example."""

_PLACES = places_by_input(PLACES)

DOCUMENTED_MODELS = frozenset({
    "pro-text-to-video", "pro-image-to-video", "std-text-to-video", "std-image-to-video",
    "o3-pro-text-to-video", "o3-pro-image-to-video", "o3-pro-reference-to-video",
    "o3-pro-video-edit", "o3-std-text-to-video", "o3-std-image-to-video",
    "o3-std-reference-to-video", "o3-std-video-edit",
})
"""Every task type seed 003's model tables list."""


def _encode(name: str, value: Any, place: Place) -> Any:
    if name == "quality":
        return IMPLIED  # the type names it
    if name in ("duration", "cfg_scale"):
        return number(value)
    if name == "video":
        return value.url
    if name == "reference_images":
        return list(value)
    return value


def render(request: Request, plan: OfferingPlan) -> Rendered:
    """Write ``request`` as a kling3api body for ``plan``'s task type.

    >>> import ratecard
    >>> from decimal import Decimal
    >>> plan = ratecard.load().plan("kling3api", "pro-image-to-video")
    >>> r = Request("kling3api", plan.model, duration=Decimal(10), quality="1080p",
    ...             sound=False, prompt="Dusk", first_frame="https://x.test/a.jpg",
    ...             elements=("123",))
    >>> out = render(r, plan)
    >>> out.body  # doctest: +NORMALIZE_WHITESPACE
    {'type': 'pro-image-to-video', 'prompt': 'Dusk', 'image': 'https://x.test/a.jpg',
     'duration': 10, 'sound': False}
    >>> out.unplaced
    ('elements',)
    """
    return render_with(request, plan, "type", _PLACES, _encode, DOCUMENTED_MODELS, NAME)


DIALECT = Dialect(NAME, "type", "INVALID_TYPE", parse, read_task, STATUSES, is_task,
                  render, PLACES)
"""The kling3api dialect (``POST /api/generate`` bodies, ``GET /api/status`` records)."""


def _is_200(code: object) -> bool:
    """Whether a record's ``code`` is 200 (a signalling NaN is not, and must not raise)."""
    if isinstance(code, bool):
        return False
    if isinstance(code, Decimal):
        return code.is_finite() and code == 200
    return isinstance(code, int | float) and code == 200
