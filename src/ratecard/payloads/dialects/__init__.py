"""Provider dialects: from native request bodies and task records to ratecard's canonical
:class:`~ratecard.payloads.request.Request` and :class:`~ratecard.payloads.tasks.TaskRecord`.

A dialect is found by the rate card's provider id (:data:`DIALECTS`). To add one, write a
module beside these that ends with ``DIALECT = Dialect(...)`` (see
:mod:`~ratecard.payloads.dialects.base`) and list it here.

>>> dialect_for("kling3api").model_path, dialect_for("example-gateway") is None
('type', True)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ratecard.payloads.dialects import evolink, fal, kling3api
from ratecard.payloads.dialects.base import Dialect

DIALECTS: Mapping[str, Dialect] = {
    "evolink": evolink.DIALECT,
    "kling3api": kling3api.DIALECT,
    "fal": fal.DIALECT,
}
"""Dialects by provider id."""


def dialect_for(provider: str) -> Dialect | None:
    """The dialect of ``provider``'s bodies, or ``None`` when ratecard has no adapter."""
    return DIALECTS.get(provider)


def task_provider(data: Mapping[str, Any]) -> str | None:
    """Whose task record ``data`` is, or ``None`` for anything else (an invoice line).

    >>> task_provider({"id": "t", "object": "video.generation.task"})
    'evolink'
    >>> task_provider({"code": 200, "data": {"task_id": "n75abc"}}), task_provider({"a": 1})
    ('kling3api', None)
    """
    for provider, dialect in DIALECTS.items():
        if dialect.is_task(data):
            return provider
    return None


__all__ = ["DIALECTS", "Dialect", "dialect_for", "task_provider"]
