"""A provider's task record as an invoice line, the same for every engine.

The readers keep a task record (an EvoLink task object, a kling3api status record) as it
came (:attr:`~ratecard.reconcile.readers.RawLine.task`); :func:`as_line` reads it with the
provider's adapter (:func:`ratecard.payloads.pipeline.read_task`) and gives the invoice
line it stands for. The Python reconciler checks that line, and the SQL engines stage it
(:mod:`ratecard.batch.staging`), so every engine reads every task record alike.

What a record charges: the credits it says were consumed; while pending or running, the
credits it holds (EvoLink's ``usage.credits_reserved``). A failed or cancelled task that
shows only a hold charged nothing: the hold was released, and the line says so (charged
0, reserved the hold), never CHARGED_FOR_FAILED without a settled charge.

>>> import ratecard
>>> task = {"id": "task-1", "object": "video.generation.task", "created": 1793577600,
...         "model": "kling-v3-image-to-video", "status": "failed",
...         "task_info": {"video_duration": 5}, "usage": {"credits_reserved": 27.0}}
>>> line = as_line(ratecard.load().index, RawLine("t.jsonl", 1, (), task=("evolink", task)))
>>> dict(zip(COLUMNS, line.fields))["charged"], dict(zip(COLUMNS, line.fields))["reserved"]
('0', '27.0')
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ratecard.errors import RatecardError
from ratecard.payloads.pipeline import read_task
from ratecard.payloads.tasks import TaskRecord
from ratecard.pricing.index import PriceIndex
from ratecard.reconcile.readers import COLUMNS, RawLine, too_long
from ratecard.reconcile.reasons import REASONS
from ratecard.vocabulary import BLANKS, FAILED_JOB_STATUSES, on_off

_TASK_UNREADABLE = REASONS["task_unreadable"].format
_TASK_TERMS_UNKNOWN = REASONS["task_terms_unknown"].format
_TASK_MODELS_DISAGREE = REASONS["task_models_disagree"].format
_CHARGED = COLUMNS.index("charged")
RELEASED = Decimal(0)
"""What a failed or cancelled task that shows only a hold charged."""


def as_line(index: PriceIndex, raw: RawLine) -> RawLine:
    """The invoice line the task record of ``raw`` stands for (``raw`` itself when it is
    not a task record), or an unreadable line saying why the adapter refused it."""
    if raw.task is None:
        return raw
    provider, data = raw.task
    return _line(index, raw, provider, data)


def _line(index: PriceIndex, raw: RawLine, provider: str, data: dict[str, Any]) -> RawLine:
    try:
        record = read_task(index, provider, data)
    except RatecardError as exc:
        return RawLine(raw.source, raw.line, (),
                       _TASK_UNREADABLE(provider=provider, error=" ".join(str(exc).split())))
    request = record.request
    charged = record.credits
    reserved = record.credits_reserved if record.credits_consumed is not None else None
    if (record.credits_consumed is None and record.credits_reserved is not None
            and record.status in FAILED_JOB_STATUSES):
        charged, reserved = RELEASED, record.credits_reserved  # a hold, released
    values = {
        "task_id": record.task_id, "provider": provider,
        "model": (request.model if request else None) or record.model,
        "duration": request.duration if request else None,
        "input_seconds": request.input_seconds if request else None,
        "quality": request.quality if request else None,
        "sound": None if request is None or request.sound is None else on_off(request.sound),
        "timestamp": record.created.isoformat() if record.created else None,
        "charged": charged, "currency": "credits" if charged is not None else None,
        "status": record.status if record.status != "unknown" else record.raw_status,
        "reserved": reserved,
    }
    fields = tuple(_text(values[c]) for c in COLUMNS)
    why = too_long(fields)  # an id or a model of megabytes: as from any other input
    if why is not None:
        return RawLine(raw.source, raw.line, (), why)
    why = None if record.status in FAILED_JOB_STATUSES else _unpriceable(record, provider)
    # a failed or cancelled job owes nothing, whatever it was: it is checked as ever
    return RawLine(raw.source, raw.line, fields, why, fields[_CHARGED] or None)


def _unpriceable(record: TaskRecord, provider: str) -> str | None:
    """Why the price of the job a record stands for is not known from what it says (its
    line then keeps its task and charge, and is refused), or ``None``."""
    request = record.request
    if record.unread:  # priced, it would be at the card's defaults, not as sent
        return _TASK_UNREADABLE(provider=provider,
                                error=" ".join(str(record.quote_error).split()))
    if request is not None and record.model is not None and request.model != record.model:
        return _TASK_MODELS_DISAGREE(provider=provider, record_model=record.model,
                                     request_model=request.model)
    if record.assumed:  # the job's quality or sound: nothing to check its charge against
        return _TASK_TERMS_UNKNOWN(provider=provider, terms=" and ".join(record.assumed),
                                   model=record.model)
    return None


def _text(value: object) -> str:
    """A record's value as an invoice field: a number in plain digits (the JSON number
    ``4e2`` is ``400``, as every engine reads it, never ``4E+2``).

    >>> _text(Decimal("4E+2")), _text(None), _text(" x ")
    ('400', '', 'x')
    """
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).strip(BLANKS)
