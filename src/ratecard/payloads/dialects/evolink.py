"""EvoLink's dialect: ``POST /v1/videos/generations`` bodies and the task object it returns.

Sources: seeds 000 (Kling O3 video edit), 001 and 004 (Kling 3.0 image to video) and 002
(Kling O1 video edit). Simple fields are the table :data:`FIELDS`; the rest is code: the
first-frame aliases, the video priority, ``sound`` as ``"on"``/``"off"`` and
``model_params``. Bodies are written back by
:func:`~ratecard.payloads.dialects.evolink_writer.render`.

>>> parsed = parse({"model": "kling-v3-image-to-video", "image_start": "https://x.test/a.jpg",
...                 "duration": 5, "sound": "on", "seed": 7}, "evolink")
>>> r = parsed.request
>>> r.model, r.duration, r.sound, r.first_frame, r.unknown_fields
('kling-v3-image-to-video', Decimal('5'), True, 'https://x.test/a.jpg', ('seed',))
>>> parsed.warnings[0][:20]
'unknown field seed: '
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from ratecard.errors import brief
from ratecard.numbers import SECONDS, NumberError, read_number
from ratecard.payloads.dialects.base import Dialect
from ratecard.payloads.dialects.evolink_writer import PLACES, render
from ratecard.payloads.dialects.reader import Parsed, Reader, finish, json_type, read_field
from ratecard.payloads.request import Shot, VideoInfo
from ratecard.payloads.tasks import TaskRecord, normalise_status
from ratecard.payloads.violations import PayloadError, Violation

NAME = "EvoLink"

FIELDS: Mapping[str, tuple[str, str]] = {
    "prompt": ("prompt", "text"),
    "negative_prompt": ("negative_prompt", "text"),
    "image_end": ("end_frame", "text"),
    "duration": ("duration", "seconds"),
    "aspect_ratio": ("aspect_ratio", "text"),
    "quality": ("quality", "text"),
    "image_urls": ("reference_images", "texts"),
    "keep_original_sound": ("keep_original_sound", "flag"),
    "callback_url": ("callback_url", "text"),
}
"""Body key -> (canonical input, kind) for the fields that are a plain mapping."""

MODEL_PARAMS: Mapping[str, tuple[str, str]] = {
    "multi_shot": ("multi_shot", "flag"),
    "shot_type": ("shot_type", "text"),
}
"""``model_params`` key -> (canonical input, kind), for the plain ones."""

FIRST_FRAME_KEYS = ("image_start", "image_url", "image")
"""Keys of a first-frame image, by priority (seed 000 names all three)."""

VIDEO_KEYS = ("video_url", "video_urls", "video")
"""Keys of the input video, by priority: "video_url and video_urls take the first video;
video is lowest priority" (seed 000)."""

PATHS: Mapping[str, str] = {
    "model": "model", "prompt": "prompt", "negative_prompt": "negative_prompt",
    "first_frame": "image_start", "end_frame": "image_end", "duration": "duration",
    "aspect_ratio": "aspect_ratio", "quality": "quality", "sound": "sound",
    "reference_images": "image_urls", "keep_original_sound": "keep_original_sound",
    "callback_url": "callback_url", "video": "video_url",
    "multi_shot": "model_params.multi_shot", "shot_type": "model_params.shot_type",
    "shots": "model_params.multi_prompt", "elements": "model_params.element_list",
    "watermark": "model_params.watermark_info.enabled", "cfg_scale": "cfg_scale",
}
"""Canonical input -> where it sits in an EvoLink body (when the body does not say)."""


def parse(body: object, provider: str, video: VideoInfo | None = None) -> Parsed:
    """Read an EvoLink body into a canonical :class:`~ratecard.payloads.request.Request`."""
    reader = Reader()
    if not isinstance(body, Mapping):
        reader.violations.append(Violation(
            "INVALID_BODY", "(body)", f"the body must be a JSON object, not {json_type(body)}"))
        return Parsed(None, PATHS, reader.violations, reader.warnings)
    values: dict[str, Any] = {}
    unknown: list[str] = []
    frames: list[tuple[str, str]] = []
    videos: list[tuple[str, tuple[str, ...]]] = []
    model: object = None
    for key, value in body.items():
        if read_field(reader, FIELDS, key, value, values):
            continue
        if key == "model":
            model = value
        elif key == "sound":
            if value is not None:
                _sound(reader, value, values)
        elif key in FIRST_FRAME_KEYS:
            url = None if value is None else reader.text(value, key)
            if url is not None:
                frames.append((key, url))
        elif key in VIDEO_KEYS:
            urls = None if value is None else (
                reader.texts(value, key) if key == "video_urls" else _one(reader, value, key))
            if urls:
                videos.append((key, urls))
        elif key == "model_params":
            if value is not None:
                _model_params(reader, value, values, unknown)
        else:
            reader.unknown(key, NAME)
            unknown.append(key)
    paths = PATHS
    overrides: dict[str, str] = {}
    if frames:
        values["first_frame"] = _first_frame(reader, frames, overrides)
        values["first_frame_count"] = len(frames)
    if videos:
        values["video"], values["video_count"] = _video(reader, videos, overrides, video)
        if video is not None:
            values["input_seconds"] = video.seconds
    elif video is not None:
        reader.warnings.append("video metadata given, but the body has no video "
                               "(video_url, video_urls or video): ignored")
    if overrides:
        paths = {**PATHS, **overrides}
    return finish(reader, provider, "model", model, "the model id",
                  "the EvoLink model id, such as kling-v3-image-to-video", values, unknown,
                  paths)


def _one(reader: Reader, value: object, key: str) -> tuple[str, ...] | None:
    url = reader.text(value, key)
    return None if url is None else (url,)


def _sound(reader: Reader, value: object, values: dict[str, Any]) -> None:
    if value == "on" and type(value) is str:
        values["sound"] = True
    elif value == "off" and type(value) is str:
        values["sound"] = False
    elif isinstance(value, str):
        reader.violations.append(Violation(
            "INVALID_SOUND", "sound", f'sound must be "on" or "off", not {brief(value)}'))
    else:
        reader.wrong("sound", 'the string "on" or "off"', value)


def _first_frame(reader: Reader, frames: list[tuple[str, str]],
                 overrides: dict[str, str]) -> str:
    frames.sort(key=lambda item: FIRST_FRAME_KEYS.index(item[0]))
    key, url = frames[0]
    if len(frames) > 1:
        others = ", ".join(k for k, _ in frames[1:])
        reader.warnings.append(f"{key} and {others} all give a first frame: {key} is used")
    if key != "image_start":
        overrides["first_frame"] = key
    return url


def _video(reader: Reader, videos: list[tuple[str, tuple[str, ...]]],
           overrides: dict[str, str], info: VideoInfo | None) -> tuple[VideoInfo, int]:
    videos.sort(key=lambda item: VIDEO_KEYS.index(item[0]))
    key, urls = videos[0]
    count = sum(len(u) for _, u in videos)
    path = f"{key}[0]" if key == "video_urls" else key
    if count > 1:
        reader.warnings.append(
            f"{count} video URLs given: EvoLink uses only the first by priority (video_url, "
            f"then video_urls, then video), {path}")
    if path != "video_url":
        overrides["video"] = path
    if info is None:
        return VideoInfo(url=urls[0]), count
    return replace(info, url=urls[0]), count


def _model_params(reader: Reader, value: object, values: dict[str, Any],
                  unknown: list[str]) -> None:
    params = reader.mapping(value, "model_params")
    if params is None:
        return
    for key, item in params.items():
        path = f"model_params.{key}"
        if item is None:
            continue
        if read_field(reader, MODEL_PARAMS, key, item, values, path):
            continue
        if key == "multi_prompt":
            shots = _shots(reader, item, path, unknown)
            if shots is not None:
                values["shots"] = shots
        elif key == "element_list":
            elements = _elements(reader, item, path, unknown)
            if elements is not None:
                values["elements"] = elements
        elif key == "watermark_info":
            _watermark(reader, item, path, values, unknown)
        else:
            reader.unknown(path, NAME)
            unknown.append(path)


def _shots(reader: Reader, value: object, path: str,
           unknown: list[str]) -> tuple[Shot, ...] | None:
    if not isinstance(value, list | tuple):
        reader.wrong(path, "an array of shots {index, prompt, duration}", value)
        return None
    shots = []
    for position, item in enumerate(value):
        where = f"{path}[{position}]"
        shot = reader.mapping(item, where)
        if shot is None:
            continue
        prompt = duration = index = None
        for key, field in shot.items():
            if field is None:
                continue
            if key == "prompt":
                prompt = reader.text(field, f"{where}.prompt")
            elif key == "duration":
                duration = _shot_seconds(reader, field, f"{where}.duration")
            elif key == "index":
                number = reader.count(field, f"{where}.index")
                if number is not None:
                    index = int(number)
            else:
                reader.unknown(f"{where}.{key}", NAME)
                unknown.append(f"{where}.{key}")
        if shot.get("prompt") is None:
            reader.missing(f"{where}.prompt", "each shot has a prompt")
        if shot.get("duration") is None:
            reader.missing(f"{where}.duration", 'each shot has a duration in seconds ("5")')
        shots.append(Shot(prompt, duration, index))
    return tuple(shots)


def _shot_seconds(reader: Reader, value: object, path: str) -> Decimal | None:
    if isinstance(value, str):
        try:
            return read_number(value, SECONDS, path)
        except NumberError:
            pass
        reader.violations.append(Violation(
            "INVALID_DURATION", path, f'{path} must be a number of seconds such as "5", '
            f"not {brief(value)}"))
        return None
    return reader.seconds(value, path)


def _elements(reader: Reader, value: object, path: str,
              unknown: list[str]) -> tuple[str, ...] | None:
    if not isinstance(value, list | tuple):
        reader.wrong(path, "an array of {element_id}", value)
        return None
    ids = []
    for position, item in enumerate(value):
        where = f"{path}[{position}]"
        element = reader.mapping(item, where)
        if element is None:
            continue
        for key in element:
            if key != "element_id":
                reader.unknown(f"{where}.{key}", NAME)
                unknown.append(f"{where}.{key}")
        ident = element.get("element_id")
        if ident is None:
            reader.missing(f"{where}.element_id", "the id of a kling-custom-element subject")
        elif type(ident) is str or type(ident) is int:
            ids.append(str(ident))
        else:
            reader.wrong(f"{where}.element_id", "a string or a whole number", ident)
    return tuple(ids)


def _watermark(reader: Reader, value: object, path: str, values: dict[str, Any],
               unknown: list[str]) -> None:
    info = reader.mapping(value, path)
    if info is None:
        return
    for key, item in info.items():
        if key == "enabled":
            if item is not None:
                enabled = reader.flag(item, f"{path}.enabled")
                if enabled is not None:
                    values["watermark"] = enabled
        else:
            reader.unknown(f"{path}.{key}", NAME)
            unknown.append(f"{path}.{key}")




STATUSES: Mapping[str, str] = {
    "pending": "pending", "queued": "pending", "processing": "running",
    "running": "running", "in_progress": "running", "completed": "succeeded",
    "succeeded": "succeeded", "success": "succeeded", "failed": "failed", "error": "failed",
    "cancelled": "cancelled", "canceled": "cancelled",
}
"""EvoLink task statuses (lower case). Seed 001 shows only ``pending``; the others are the
usual words of task APIs, inferred."""


TASK_FIELDS = frozenset({"created", "id", "model", "object", "progress", "status", "task_info",
                         "type", "usage", "error"})
"""Top-level keys of the task object read (or knowingly skipped) without a warning. The
seeds show no failed task: ``error`` (an object with a ``message``, or a string) is
inferred."""


INFO_FIELDS = frozenset({"can_cancel", "estimated_time", "video_duration"})
"""Keys of ``task_info`` read (or knowingly skipped) without a warning (seed 001)."""

USAGE_FIELDS = frozenset({"billing_rule", "credits_reserved", "user_group"})
"""Keys of ``usage`` read without a warning (seed 001): another, such as a settled
charge, is said to be unread rather than passed over."""


def read_task(task: object, provider: str) -> tuple[TaskRecord, Mapping[str, Any] | None]:
    """Read an EvoLink task object (seed 001's response). It carries no request body.

    Raises :class:`~ratecard.payloads.violations.PayloadError` when ``id`` or ``status`` is missing
    or a field has the wrong type.
    """
    reader = Reader()
    if not isinstance(task, Mapping):
        raise PayloadError([Violation("INVALID_BODY", "(task)",
                                      f"a task must be a JSON object, not {json_type(task)}")])
    task_id = _required_text(reader, task, "id")
    status = _required_text(reader, task, "status")
    model = _optional(reader, task, "model", Reader.text)
    created = None
    stamp = _optional(reader, task, "created", Reader.unix_time)
    if stamp is not None:
        try:
            created = datetime.fromtimestamp(int(stamp), tz=UTC)
        except (OverflowError, OSError, ValueError):
            reader.wrong("created", "a Unix time in seconds", stamp)
    info = _optional(reader, task, "task_info", Reader.mapping) or {}
    usage = _optional(reader, task, "usage", Reader.mapping) or {}
    duration = _optional(reader, info, "video_duration", Reader.seconds, "task_info.")
    reserved = _optional(reader, usage, "credits_reserved", Reader.amount, "usage.")
    rule = _optional(reader, usage, "billing_rule", Reader.text, "usage.")
    group = _optional(reader, usage, "user_group", Reader.text, "usage.")
    error = task.get("error")
    message = error.get("message") if isinstance(error, Mapping) else error
    for prefix, known, data in (("", TASK_FIELDS, task), ("task_info.", INFO_FIELDS, info),
                                ("usage.", USAGE_FIELDS, usage)):
        for key in data:
            if key not in known:
                shown = key if isinstance(key, str) and len(key) <= 80 else brief(key)
                reader.warnings.append(f"unknown field {prefix}{shown} in the EvoLink task: "
                                       "not read")
    if reader.violations:
        raise PayloadError(reader.violations)
    assert task_id is not None
    assert status is not None
    normalised = normalise_status(status, STATUSES, reader.warnings)
    return TaskRecord(
        provider=provider, task_id=task_id, model=model, status=normalised,
        raw_status=status, created=created,
        credits_reserved=reserved, duration=duration, billing_rule=rule, user_group=group,
        error_message=None if message is None else str(message),
        warnings=tuple(reader.warnings)), None


def _required_text(reader: Reader, task: Mapping[str, Any], key: str) -> str | None:
    value = task.get(key)
    if value is None:
        reader.missing(key, f"an EvoLink task object has {key}")
        return None
    return reader.text(value, key)


def _optional(reader: Reader, data: Mapping[str, Any], key: str, kind: Any,
              prefix: str = "") -> Any:
    value = data.get(key)
    return None if value is None else kind(reader, value, f"{prefix}{key}")


def is_task(data: Mapping[str, Any]) -> bool:
    """An EvoLink task object: ``id`` with ``usage`` or ``object: video.generation.task``.

    >>> is_task({"id": "t", "object": "video.generation.task"}), is_task({"id": "t"})
    (True, False)
    """
    return "id" in data and (data.get("object") == "video.generation.task" or "usage" in data)


DIALECT = Dialect(NAME, "model", "UNKNOWN_MODEL", parse, read_task, STATUSES, is_task,
                  render, PLACES)
"""The EvoLink dialect (``POST /v1/videos/generations`` bodies, task objects)."""
