"""The building blocks of every rate card model: strict models, sources, common types.

>>> src = Source(document="004_c15657de96eea0ce.txt", checked_on="2026-11-21",
...              basis="documented")
>>> src.basis
'documented'
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ratecard.numbers import CARD_NUMBER, read_number
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

def _card_number(value: Decimal) -> Decimal:
    """Every number of a card obeys :data:`ratecard.numbers.CARD_NUMBER` (however it was
    written: a YAML number or a quoted string), so a card that validates is a card that
    quotes."""
    return read_number(value, CARD_NUMBER, "value")


CardDecimal = Annotated[Decimal, AfterValidator(_card_number)]
PositiveDecimal = Annotated[Decimal, Field(gt=0), AfterValidator(_card_number)]
NonNegativeDecimal = Annotated[Decimal, Field(ge=0), AfterValidator(_card_number)]

Matrix = dict[Quality, dict[Sound, NonNegativeDecimal]]
"""Values by quality, then by sound: ``{720p: {off: 1.0, on: 1.5}, 1080p: {...}}``."""


class Strict(BaseModel):
    """Base of every authoring model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, strict=False
    )


class Source(Strict):
    """Where a fact comes from, when it was checked and whether it is said or inferred."""

    document: str = Field(min_length=1)
    """Seed file name (``004_c15657de96eea0ce.txt``), ``market-prices.md`` or a page address."""
    checked_on: date
    """The date someone last checked the fact against the document."""
    basis: Literal["documented", "inferred"]
    """``documented``: the document states it. ``inferred``: derived from what it states."""
    quote: str | None = None
    """The document's own words, so a reviewer can find them."""
    note: str | None = None
    """How an inferred fact was derived, or anything a reviewer should know."""
