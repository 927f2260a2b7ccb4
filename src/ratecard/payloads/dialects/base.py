"""What a provider dialect is: how one provider writes request bodies and task records.

Each dialect module (:mod:`~ratecard.payloads.dialects.evolink`,
:mod:`~ratecard.payloads.dialects.kling3api`) owns its field tables and status words and
ends with one ``DIALECT = Dialect(...)``; :mod:`ratecard.payloads.dialects` lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ratecard.payloads.dialects.reader import Parsed
from ratecard.payloads.request import VideoInfo
from ratecard.payloads.tasks import TaskRecord

BodyParser = Callable[[object, str, VideoInfo | None], Parsed]
"""Reads a native body (``body, provider, video``) into a canonical request."""
TaskReader = Callable[[object, str], tuple[TaskRecord, Mapping[str, Any] | None]]
"""Reads a native task record into a TaskRecord and the request body it carries, if any."""
TaskShape = Callable[[Mapping[str, Any]], bool]
"""Whether a JSON object looks like one of the provider's task records."""


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
    statuses: Mapping[str, str]
    """The provider's task status words (lower case) -> the normalised job status."""
    is_task: TaskShape
    """Recognises the provider's task records among invoice lines."""
