"""The building blocks of every rate card model: strict models, sources, common types.

>>> src = Source(document="004_c15657de96eea0ce.txt", checked_on="2026-11-21",
...              basis="documented")
>>> src.basis
'documented'
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from ratecard.errors import brief
from ratecard.numbers import (
    BILLED_SECONDS,
    CARD_NUMBER,
    CARD_RATE,
    CARD_SECONDS,
    Bounds,
    NumberError,
    read_number,
)
from ratecard.vocabulary import QUALITY_PATTERN

Sound = Literal["off", "on"]
"""Whether the clip is generated with sound (EvoLink's own vocabulary)."""

Quality = Annotated[
    str,
    Field(
        pattern=QUALITY_PATTERN.pattern,
        description="Canonical output quality: 720p, 1080p, 4k "
        "(Kling std renders 720p, pro 1080p).",
    ),
]

Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=80)]

def _card_number(value: object) -> Decimal:
    """Every number of a card obeys :data:`ratecard.numbers.CARD_NUMBER` (however it was
    written: a YAML number or a quoted string), so a card that validates is a card that
    quotes. Read before pydantic's own Decimal parsing, which takes other scripts' digits
    (``"١٢"``), fullwidth digits and digit separators (``"1_000"``); a negative zero is
    zero (it printed as ``-0.000000``)."""
    number = read_number(value, CARD_NUMBER, "value")
    return number if number else number.copy_abs()


def _within(bounds: Bounds) -> AfterValidator:
    """A check that a card number also obeys the narrower ``bounds`` of its key: the
    limits within which the SQL engines price it exactly (:mod:`ratecard.numbers`)."""
    def check(value: Decimal) -> Decimal:
        try:
            return read_number(value, bounds, "value")
        except NumberError as exc:
            if exc.problem == "places":
                raise ValueError(f"{value:f} has more than {bounds.places} decimal places: "
                                 f"the SQL engines take {_a(bounds.noun)} with at most "
                                 f"{bounds.places}") from None
            if exc.problem == "magnitude":
                raise ValueError(f"{value:f} is too large: the SQL engines take "
                                 f"{_a(bounds.noun)} below {bounds.limit}") from None
            raise

    return AfterValidator(check)


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


CardDecimal = Annotated[Decimal, BeforeValidator(_card_number)]
PositiveDecimal = Annotated[Decimal, Field(gt=0), BeforeValidator(_card_number)]
NonNegativeDecimal = Annotated[Decimal, Field(ge=0), BeforeValidator(_card_number)]
PositiveRate = Annotated[PositiveDecimal, _within(CARD_RATE)]
"""A credit value: :data:`ratecard.numbers.CARD_RATE`."""
NonNegativeRate = Annotated[NonNegativeDecimal, _within(CARD_RATE)]
"""A per-second rate, fixed price or multiplier: :data:`ratecard.numbers.CARD_RATE`."""
AcceptedSeconds = Annotated[NonNegativeDecimal, _within(CARD_SECONDS)]
"""An accepted length: :data:`ratecard.numbers.CARD_SECONDS`."""
PositiveAcceptedSeconds = Annotated[PositiveDecimal, _within(CARD_SECONDS)]
BilledSeconds = Annotated[NonNegativeDecimal, _within(BILLED_SECONDS)]
"""A billing clamp or default duration: :data:`ratecard.numbers.BILLED_SECONDS`."""
PositiveBilledSeconds = Annotated[PositiveDecimal, _within(BILLED_SECONDS)]

Matrix = dict[Quality, dict[Sound, NonNegativeRate]]
"""Values by quality, then by sound: ``{720p: {off: 1.0, on: 1.5}, 1080p: {...}}``."""


def _a_day(value: object) -> object:
    """Refuse what is not a day where a date belongs: pydantic would read ``0`` as
    1970-01-01, and a time at midnight with a UTC offset as its local date (``--at`` and
    reconcile count a time on its UTC day)."""
    if isinstance(value, int | float | Decimal):
        number = value if isinstance(value, int | Decimal) else Decimal(repr(value))
        raise ValueError(f"{brief(number)} is not a date: write it as YYYY-MM-DD")
    if isinstance(value, datetime):
        raise ValueError(f"{value.isoformat()} is a time, not a day: a card's dates are "
                         "days, written YYYY-MM-DD")
    if isinstance(value, str) and not _DAY.fullmatch(value):
        raise ValueError(f"{value!r} is not a date: write it as YYYY-MM-DD")
    return value


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

CardDate = Annotated[date, BeforeValidator(_a_day)]
"""A card's date: a YAML date or ``YYYY-MM-DD`` text; never a number of seconds, nor a
time."""


def _named(document: str) -> str:
    """Refuse a source whose document is blank: a fact traced to nothing."""
    if not document.strip():
        raise ValueError("is blank: name the document the fact comes from (a seed file, "
                         "market-prices.md or a page address)")
    return document


class Strict(BaseModel):
    """Base of every authoring model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, strict=False
    )


class Source(Strict):
    """Where a fact comes from, when it was checked and whether it is said or inferred."""

    document: Annotated[str, AfterValidator(_named)] = Field(
        min_length=1, json_schema_extra={"pattern": r"\S"})
    """Seed file name (``004_c15657de96eea0ce.txt``), ``market-prices.md`` or a page address."""
    checked_on: CardDate
    """The date someone last checked the fact against the document."""
    basis: Literal["documented", "inferred"]
    """``documented``: the document states it. ``inferred``: derived from what it states."""
    quote: str | None = None
    """The document's own words, so a reviewer can find them."""
    note: str | None = None
    """How an inferred fact was derived, or anything a reviewer should know."""
