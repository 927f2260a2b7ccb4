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
from ratecard.money import RoundingMode, plain, quantize
from ratecard.payloads.pipeline import read_task
from ratecard.payloads.tasks import TaskRecord
from ratecard.pricing.index import PriceIndex
from ratecard.reconcile.readers import COLUMNS, RawLine, unusable
from ratecard.reconcile.reasons import (
    NOTE_SEPARATOR,
    REASONS,
    SEPARATOR,
    TERMS_ALSO,
    TERMS_READ,
)
from ratecard.vocabulary import BLANKS, FAILED_JOB_STATUSES, on_off

_TASK_UNREADABLE = REASONS["task_unreadable"].format
_TASK_TERMS_UNKNOWN = REASONS["task_terms_unknown"].format
_TASK_CHARGE_BETWEEN = REASONS["task_charge_between"].format
_TASK_MODELS_DISAGREE = REASONS["task_models_disagree"].format
_CHARGED = COLUMNS.index("charged")
_MODEL, _DURATION, _INPUT = COLUMNS.index("model"), COLUMNS.index("duration"), \
    COLUMNS.index("input_seconds")
_QUALITY, _SOUND = COLUMNS.index("quality"), COLUMNS.index("sound")
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
    why = unusable(fields)  # an id of megabytes, or a NUL: as from any other input
    if why is not None:
        return RawLine(raw.source, raw.line, (), why)
    if record.status in FAILED_JOB_STATUSES:
        # a failed or cancelled job owes nothing, whatever it was: it is checked as ever
        return RawLine(raw.source, raw.line, fields, None, fields[_CHARGED] or None)
    why = _unpriceable(record, provider)
    note = None
    if why is None and record.assumed and record.created is not None:
        # with no day, the line is refused for it: no price to read the terms from
        fields, why, note = _terms_from_charge(index, record, provider, fields, charged)
    return RawLine(raw.source, raw.line, fields, why, fields[_CHARGED] or None, note=note)


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
    return None


def _terms_from_charge(index: PriceIndex, record: TaskRecord, provider: str,
                       fields: tuple[str, ...], charged: Decimal | None,
                       ) -> tuple[tuple[str, ...], str | None, str | None]:
    """The line of a record that does not say the job's quality or sound (``record.assumed``),
    its terms read from its charge: the fields, why the line is refused (or ``None``), and
    the note its verdict carries.

    Each quality and sound the offering prices is quoted for the record's job on its day.
    The terms whose price is the charge (to the card's precision, or rounded to the
    places the charge shows) are the ones checked: a MATCH. A charge above every price is
    checked against the dearest terms (an OVERCHARGE of at least the difference), below
    every price against the cheapest; a charge between prices, none of them its own, cannot
    be checked, nor can a record that shows no charge.
    """
    terms = " and ".join(record.assumed)
    model = fields[_MODEL]
    refused = _TASK_TERMS_UNKNOWN(provider=provider, terms=terms, model=model)
    if charged is None:
        return fields, refused, None
    plan = index.plan(provider, model)
    qualities = plan.qualities if "quality" in record.assumed else (fields[_QUALITY],)
    sounds = plan.sounds if "sound" in record.assumed else (fields[_SOUND],)
    priced: list[tuple[Decimal, str, str]] = []
    for quality in qualities:
        for sound in sounds:
            try:
                quote = index.quote(provider, model, duration=fields[_DURATION] or None,
                                    input_seconds=fields[_INPUT] or None, quality=quality,
                                    sound=sound, at=record.created, invoiced=True)
            except RatecardError:  # not priced that day, or not for this length
                continue
            priced.append((quote.credits, quality, sound))
    if not priced:
        return fields, refused, None
    agreeing = [one for one in priced if _agrees(charged, one[0], plan.amount_precision,
                                                  plan.amount_mode)]
    if agreeing:
        chosen, kind = agreeing[0], "agrees"
    elif charged > max(price for price, _, _ in priced):
        chosen, kind = max(priced, key=_price_of), "above"
    elif charged < min(price for price, _, _ in priced):
        chosen, kind = min(priced, key=_price_of), "below"
    else:
        listed = NOTE_SEPARATOR.join(f"{_terms_text(record.assumed, q, s)}: {plain(price)}"
                                for price, q, s in sorted(priced, key=_price_of))
        return fields, _TASK_CHARGE_BETWEEN(provider=provider, terms=terms, model=model,
                                            charged=plain(charged), prices=listed), None
    _, quality, sound = chosen
    others = [_terms_text(record.assumed, q, s) for price, q, s in agreeing[1:]]
    note = TERMS_READ[kind].format(
        terms=terms, chosen=_terms_text(record.assumed, quality, sound),
        also="" if not others else TERMS_ALSO.format(others=SEPARATOR.join(others)))
    line = list(fields)
    line[_QUALITY], line[_SOUND] = quality, sound
    return tuple(line), None, note


def _price_of(priced: tuple[Decimal, str, str]) -> Decimal:
    """The price of one of the terms a record's charge is read against."""
    return priced[0]


def _agrees(charged: Decimal, price: Decimal, precision: Decimal, mode: RoundingMode) -> bool:
    """Whether ``charged`` is ``price`` as the reconciler reads a charge with no tolerance
    given: within the card's precision, or the price rounded to the places the charge shows.

    >>> _agrees(Decimal("27.0"), Decimal("27"), Decimal("0.0001"), "half_up")
    True
    >>> _agrees(Decimal("35.99"), Decimal("35.991"), Decimal("0.0001"), "half_up")
    True
    >>> _agrees(Decimal("36"), Decimal("35.991"), Decimal("0.0001"), "half_up")
    False
    """
    if abs(charged - price) <= precision:
        return True
    places = _places(charged)
    return 0 < places < _places(precision) and quantize(
        price, Decimal(1).scaleb(-places), mode) == charged


def _places(value: Decimal) -> int:
    """Decimal places ``value`` shows."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # amounts are finite
    return -exponent if exponent < 0 else 0


def _terms_text(assumed: tuple[str, ...], quality: str, sound: str) -> str:
    """The terms read, as a reason names them (``1080p, sound on``)."""
    return SEPARATOR.join(quality if term == "quality" else f"sound {sound}"
                          for term in assumed)


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
