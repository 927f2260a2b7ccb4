"""Shared hypothesis strategies and card-data oracles for the ratecard tests.

Everything here is derived from the *authoring data* of the built-in rate cards
(``catalog.cards[provider]``, the validated pydantic models), never from the engine's
compiled values, so a test that compares a quote with these helpers checks the engine
against the card and not against itself.

The built-in catalog is loaded once, at import, through a cached helper.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import Any, Literal

from hypothesis import settings
from hypothesis import strategies as st

import ratecard
from ratecard import Catalog
from ratecard.cards.schema import Offering, PriceVersion, RateCard, SecondsRange
from tests.budget import examples

SoundName = Literal["off", "on"]

PROPERTY_SETTINGS = settings(max_examples=examples(150), deadline=None)
"""Modest example counts: the whole suite must stay well under a minute."""

INPUT_CAP = Decimal(120)
"""Longest input video drawn where a card gives no upper bound (seconds)."""

SMALLEST = Decimal("0.01")
"""Shortest length drawn where a card gives no lower bound (lengths are always > 0)."""


@cache
def builtin_catalog() -> Catalog:
    """The built-in rate cards, loaded once per test session."""
    return ratecard.load()


CATALOG = builtin_catalog()


# --------------------------------------------------------------------------- card data


def card_of(provider: str, catalog: Catalog = CATALOG) -> RateCard:
    """The validated authoring model of ``provider``'s card."""
    return catalog.cards[provider]


def offering_of(provider: str, model: str, catalog: Catalog = CATALOG) -> Offering:
    """The authoring model of one offering."""
    for offering in card_of(provider, catalog).offerings:
        if offering.id == model:
            return offering
    raise KeyError(f"{provider}/{model}")


def all_offerings(catalog: Catalog = CATALOG) -> list[tuple[str, str]]:
    """Every (provider, model) of the catalog, sorted."""
    return sorted(
        (provider, offering.id)
        for provider, card in catalog.cards.items()
        for offering in card.offerings
    )


@dataclass(frozen=True, order=True)
class Cell:
    """One quality x sound of one offering, as the card data lists it."""

    provider: str
    model: str
    quality: str
    sound: SoundName

    @property
    def offering(self) -> Offering:
        return offering_of(self.provider, self.model)

    @property
    def card(self) -> RateCard:
        return card_of(self.provider)

    @property
    def basis(self) -> str:
        return self.offering.billing.basis

    def __str__(self) -> str:
        return f"{self.provider}/{self.model} {self.quality} sound {self.sound}"


def all_cells(catalog: Catalog = CATALOG) -> list[Cell]:
    """Every offering x quality x sound the card data lists, sorted."""
    cells = []
    for provider, card in catalog.cards.items():
        for offering in card.offerings:
            for quality in offering.qualities:
                for sound in offering.sounds:
                    cells.append(Cell(provider, offering.id, quality, sound))
    return sorted(cells)


def quality_rank(quality: str) -> int:
    """Vertical resolution of a canonical quality: ``720p`` -> 720, ``4k`` -> 2160."""
    if quality.endswith("p"):
        return int(quality[:-1])
    return int(quality[:-1]) * 540


SOUND_RANK: dict[str, int] = {"off": 0, "on": 1}


# --------------------------------------------------------------------------- oracles

_MODES: dict[str, str] = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "half_down": decimal.ROUND_HALF_DOWN,
    "up": decimal.ROUND_UP,
    "down": decimal.ROUND_DOWN,
    "ceiling": decimal.ROUND_CEILING,
    "floor": decimal.ROUND_FLOOR,
}


def requantize(value: Decimal, precision: Decimal, mode: str) -> Decimal:
    """``value`` rounded to ``precision`` with ``mode`` by the decimal module itself."""
    context = decimal.Context(prec=80, traps=[decimal.InvalidOperation])
    return value.quantize(precision, rounding=_MODES[mode], context=context)


def round_fraction(value: Fraction, precision: Decimal, mode: str) -> Fraction:
    """A non-negative exact rational rounded to a multiple of ``precision`` with ``mode``.

    Written independently of :mod:`ratecard.money` (plain rational arithmetic).

    >>> round_fraction(Fraction(1, 6), Decimal("0.01"), "half_up")
    Fraction(17, 100)
    >>> round_fraction(Fraction(1125, 10000), Decimal("0.001"), "half_even")
    Fraction(14, 125)
    """
    assert value >= 0, "only non-negative amounts are priced"
    step = Fraction(precision)
    units = value / step
    whole = units.numerator // units.denominator
    rest = units - whole
    half = Fraction(1, 2)
    bump = {
        "half_up": rest >= half,
        "half_even": rest > half or (rest == half and whole % 2 == 1),
        "half_down": rest > half,
        "up": rest > 0,
        "ceiling": rest > 0,
        "down": False,
        "floor": False,
    }[mode]
    return (whole + int(bump)) * step


def in_force(start: date | None, end: date | None, day: date) -> bool:
    """Half-open validity ``[start, end)``, ``None`` unbounded (the cards' rule)."""
    return (start is None or start <= day) and (end is None or day < end)


def version_on(offering: Offering, day: date) -> PriceVersion | None:
    """The price version the card data says is in force on ``day``."""
    found = [
        version
        for version in offering.prices
        if in_force(version.effective_from, version.effective_to, day)
    ]
    assert len(found) <= 1, "the schema rejects overlapping versions"
    return found[0] if found else None


def data_price(version: PriceVersion, quality: str, sound: SoundName) -> tuple[str, Decimal]:
    """(``per_second`` or ``fixed``, the unit price) of one cell, straight from the data."""
    exact = decimal.Context(prec=80, traps=[decimal.Inexact])
    if version.fixed is not None:
        fixed = version.fixed
        return "fixed", fixed if isinstance(fixed, Decimal) else fixed[quality][sound]
    per_second = version.per_second
    assert per_second is not None
    if isinstance(per_second, Decimal):
        if version.multipliers is None:
            return "per_second", per_second
        return "per_second", exact.multiply(per_second, version.multipliers[quality][sound])
    return "per_second", per_second[quality][sound]


def credits_per_usd_on(card: RateCard, day: date) -> Decimal | None:
    """The credit value the card data says is in force on ``day`` (1 for a USD card)."""
    if card.currency == "USD":
        return Decimal(1)
    for value in card.credit_values:
        if in_force(value.effective_from, value.effective_to, day):
            return value.credits_per_usd
    return None


def expected_billed(offering: Offering, seconds: Decimal) -> Decimal:
    """Billed seconds per the card's billing block: clamp to min/max, then round."""
    billing = offering.billing
    billed = seconds
    if billing.min_seconds is not None and billed < billing.min_seconds:
        billed = billing.min_seconds
    if billing.max_seconds is not None and billed > billing.max_seconds:
        billed = billing.max_seconds
    if billing.rounding is not None:
        billed = requantize(billed, billing.rounding.precision, billing.rounding.mode)
    return billed


def accepted_range(offering: Offering) -> SecondsRange | None:
    """The declared range of the billed quantity (duration or input seconds)."""
    basis = offering.billing.basis
    if basis == "duration":
        return offering.accepts.duration
    return offering.accepts.input_seconds


# --------------------------------------------------------------------------- strategies


def dates() -> st.SearchStrategy[date]:
    """Days around the cards' lifetime."""
    return st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


def decimal_seconds(low: Decimal, high: Decimal) -> st.SearchStrategy[Decimal]:
    """Decimals in ``[low, high]`` with at most two decimal places (whole ones too)."""
    whole = st.integers(
        min_value=int(low.to_integral_value(rounding=decimal.ROUND_CEILING)),
        max_value=int(high.to_integral_value(rounding=decimal.ROUND_FLOOR)),
    ).map(Decimal)
    tenths = st.decimals(min_value=low, max_value=high, places=1)
    hundredths = st.decimals(min_value=low, max_value=high, places=2)
    return st.one_of(whole, tenths, hundredths)


def accepted_seconds(
    accepts: SecondsRange | None, cap: Decimal = INPUT_CAP
) -> st.SearchStrategy[Decimal]:
    """Values a range accepts: whole seconds where it says integer, else up to 2 places."""
    low = SMALLEST if accepts is None or accepts.min is None else max(accepts.min, SMALLEST)
    high = cap if accepts is None or accepts.max is None else accepts.max
    if accepts is not None and accepts.integer:
        return st.integers(
            min_value=int(low.to_integral_value(rounding=decimal.ROUND_CEILING)),
            max_value=int(high.to_integral_value(rounding=decimal.ROUND_FLOOR)),
        ).map(Decimal)
    return decimal_seconds(low, high)


def input_lengths(low: Decimal = SMALLEST, high: Decimal = INPUT_CAP) -> st.SearchStrategy[Decimal]:
    """Lengths of an input video for edits, as Decimals with up to two places."""
    return decimal_seconds(low, high)


def cells(
    basis: str | None = None, catalog: Catalog = CATALOG
) -> st.SearchStrategy[Cell]:
    """Cells of the built-in catalog, optionally only those billed on ``basis``."""
    pool = [cell for cell in all_cells(catalog) if basis is None or cell.basis == basis]
    assert pool, f"no built-in offering is billed by {basis}"
    return st.sampled_from(pool)


def sound_args(sound: SoundName) -> st.SearchStrategy[bool | str]:
    """The equivalent ways a caller may say ``sound``: ``"on"``/``"off"`` or a bool."""
    return st.sampled_from([sound, sound == "on"])


@dataclass(frozen=True)
class Request:
    """One request the card says the provider accepts."""

    cell: Cell
    seconds: Decimal
    """Requested duration, or the input video's length (edits and fixed prices)."""
    sound_arg: bool | str
    at: date

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for :meth:`ratecard.Catalog.quote`."""
        key = "duration" if self.cell.basis == "duration" else "input_seconds"
        return {
            key: self.seconds,
            "quality": self.cell.quality,
            "sound": self.sound_arg,
            "at": self.at,
        }

    def quote(self, catalog: Catalog = CATALOG) -> ratecard.Quote:
        return catalog.quote(self.cell.provider, self.cell.model, **self.kwargs())


@st.composite
def requests(draw: st.DrawFn, basis: str | None = None) -> Request:
    """An accepted request on a cell of the built-in catalog, on a drawn day."""
    cell = draw(cells(basis))
    seconds = draw(accepted_seconds(accepted_range(cell.offering)))
    return Request(cell, seconds, draw(sound_args(cell.sound)), draw(dates()))


def priced_on(request: Request) -> bool:
    """Whether the card data has a price version for the request's day."""
    return version_on(request.cell.offering, request.at) is not None
