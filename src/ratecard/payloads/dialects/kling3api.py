"""kling3api's dialect: ``POST /api/generate`` bodies and ``GET /api/status`` records.

Source: seed 003. Every body field is a plain mapping (:data:`FIELDS`) except ``type``
(the offering; it also fixes the quality: pro renders 1080p, std 720p) and ``video``
(the input video, with the caller's metadata).

>>> parsed = parse({"type": "pro-text-to-video", "prompt": "An eagle", "sound": False},
...                "kling3api")
>>> parsed.request.model, parsed.request.sound, parsed.violations
('pro-text-to-video', False, [])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from ratecard.errors import brief
from ratecard.payloads.dialects.base import Dialect
from ratecard.payloads.dialects.reader import Parsed, Reader, finish, json_type, read_field
from ratecard.payloads.request import VideoInfo
from ratecard.payloads.tasks import TaskRecord, normalise_status
from ratecard.payloads.violations import PayloadError, Violation

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
        if code is not None and code != 200:
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
        if len(text) > 64:
            raise ValueError("too long for a time")
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        reader.violations.append(Violation(
            "WRONG_TYPE", path, f"{path} must be an ISO 8601 time such as "
            f"2026-02-05T10:30:00Z, not {brief(text)}"))
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def is_task(data: Mapping[str, Any]) -> bool:
    """A kling3api status record: ``data.task_id``.

    >>> is_task({"code": 200, "data": {"task_id": "n75abc"}}), is_task({"a": 1})
    (True, False)
    """
    inner = data.get("data")
    return isinstance(inner, Mapping) and "task_id" in inner


DIALECT = Dialect(NAME, "type", "INVALID_TYPE", parse, read_task, STATUSES, is_task)
"""The kling3api dialect (``POST /api/generate`` bodies, ``GET /api/status`` records)."""
