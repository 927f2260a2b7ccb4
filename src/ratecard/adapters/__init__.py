"""Adapters: one per provider dialect, from native request bodies and task records to
ratecard's canonical :class:`~ratecard.request.Request` and
:class:`~ratecard.tasks.TaskRecord`.

A dialect is found by the rate card's provider id (:data:`DIALECTS`).

>>> dialect_for("kling3api").model_path, dialect_for("example-gateway") is None
('type', True)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ratecard.adapters import evolink, kling3api
from ratecard.adapters.reader import Parsed
from ratecard.request import VideoInfo
from ratecard.tasks import TaskRecord

BodyParser = Callable[[object, str, VideoInfo | None], Parsed]
TaskReader = Callable[[object, str], tuple[TaskRecord, Mapping[str, Any] | None]]


@dataclass(frozen=True)
class Dialect:
    """How one provider writes request bodies and task records."""

    name: str
    """Display name, used in messages."""
    model_path: str
    """The body field naming the offering (``model``, ``type``)."""
    unknown_model_code: str
    """Violation code when that field names no offering of the card."""
    parse: BodyParser
    read_task: TaskReader


DIALECTS: Mapping[str, Dialect] = {
    "evolink": Dialect(evolink.NAME, "model", "UNKNOWN_MODEL", evolink.parse,
                       evolink.read_task),
    "kling3api": Dialect(kling3api.NAME, "type", "INVALID_TYPE", kling3api.parse,
                         kling3api.read_task),
}
"""Dialects by provider id."""


def dialect_for(provider: str) -> Dialect | None:
    """The dialect of ``provider``'s bodies, or ``None`` when ratecard has no adapter."""
    return DIALECTS.get(provider)
