"""What the contract and the provider modules read from a card, and the exact models
they check quotes against.

Everything here reads the card's *authoring data* (``catalog.cards``, the validated
pydantic models) and computes with plain Fraction and Decimal arithmetic written for the
tests (see also the oracles of :mod:`tests.strategies`), never with the engine's compiled
plans or :mod:`ratecard.money`.

>>> lowest_and_highest(None), just_outside(None)
([Decimal('0.01'), Decimal('120')], [Decimal('0'), Decimal('-1')])
>>> fraction_of("1/6"), fraction_of("0.375")
(Fraction(1, 6), Fraction(3, 8))
"""

from __future__ import annotations

import decimal
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pydantic import BaseModel

from ratecard.cards.base import Source
from ratecard.cards.schema import Defaults, Offering, RateCard, SecondsRange
from tests.strategies import (
    CATALOG,
    INPUT_CAP,
    SMALLEST,
    Cell,
    all_cells,
    credits_per_usd_on,
    round_fraction,
)

SEED_FILE = re.compile(r"^[0-9]{3}_[0-9a-f]{16}\.txt$")
ADDRESS = re.compile(r"^https?://[^\s/]+\.[^\s]+$")
SEEDS = frozenset({
    "000_60837b4ac9c6861d.txt", "001_82db72441ebb5bb7.txt", "002_802c29637f30495e.txt",
    "003_d85ea8d62f3ed7f3.txt", "004_c15657de96eea0ce.txt",
})
"""The source documents in ``shared/seeds/`` (the tests do not read ``shared/``)."""
MARKET = "market-prices.md"
PRICED = frozenset({"PriceVersion", "FeatureSupport"})
"""Blocks that state a price or a capability: they quote their document's own words."""
PAGE_DATES = frozenset({date(2026, 11, 1), date(2026, 5, 8), date(2026, 6, 22)})
"""Dates pages carry (market-prices.md's "seen 2026-11", two pull requests' merge days):
never a ``checked_on``, which is the day a fact was checked against its document."""



def is_document(document: str) -> bool:
    """A seed file, market-prices.md or an http(s) address: what a card's source may cite."""
    return bool(SEED_FILE.match(document) or document == MARKET or ADDRESS.match(document))


def is_builtin_document(document: str) -> bool:
    """A seed file or market-prices.md: the only documents the built-in cards were built
    from (a page market-prices.md reports is named in a note, not cited as read)."""
    return bool(SEED_FILE.match(document) or document == MARKET)


# --------------------------------------------------------------------------- card data


@dataclass(frozen=True)
class Sourced:
    """One block of a card that carries a ``source`` key, and where it is in the card."""

    where: str
    block: BaseModel
    offering: Offering | None

    @property
    def source(self) -> Source | None:
        value = getattr(self.block, "source", None)
        assert value is None or isinstance(value, Source)
        return value

    @property
    def kind(self) -> str:
        return type(self.block).__name__

    def __str__(self) -> str:
        return self.where


def sourced_blocks(card: RateCard) -> Iterator[Sourced]:
    """Every block of ``card`` that has a ``source`` key (prices, credit values,
    roundings, billings, accepted ranges, defaults, features, forced sounds, every
    constraint, every claim of a conflict), found by walking the validated model, so a
    new kind of block is covered the day it is added to the schema."""

    def walk(value: object, where: str, offering: Offering | None) -> Iterator[Sourced]:
        if isinstance(value, BaseModel):
            if isinstance(value, Offering):
                offering = value
                where = f"{where}({value.id})"
            if "source" in type(value).model_fields:
                yield Sourced(where, value, offering)
            for name in type(value).model_fields:
                if name != "source":
                    yield from walk(getattr(value, name), f"{where}.{name}".lstrip("."),
                                    offering)
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                yield from walk(item, f"{where}.{index}", offering)
        elif isinstance(value, dict):
            for name, item in value.items():
                yield from walk(item, f"{where}.{name}", offering)

    yield from walk(card, "", None)


def restates_the_only_choice(block: Defaults, offering: Offering | None) -> bool:
    """An offering's defaults that only name its single quality or sound need no source:
    the offering's own lists say it (fal's voice-control columns: ``sounds: [on]``)."""
    if offering is None or block.duration is not None:
        return False
    return ((block.quality is None or offering.qualities == [block.quality])
            and (block.sound is None or offering.sounds == [block.sound]))


def cells_of(provider: str) -> list[Cell]:
    """Every offering x quality x sound the card lists."""
    return [cell for cell in all_cells() if cell.provider == provider]


def field_of(offering: Offering) -> str:
    """The request field that carries the billed length."""
    return "duration" if offering.billing.basis == "duration" else "input_seconds"


def lowest_and_highest(accepts: SecondsRange | None) -> list[Decimal]:
    """The bounds of an accepted range; where it has none, the shortest and longest
    lengths the tests draw (``SMALLEST``, ``INPUT_CAP``)."""
    low = SMALLEST if accepts is None or accepts.min is None else max(accepts.min, SMALLEST)
    high = INPUT_CAP if accepts is None or accepts.max is None else accepts.max
    if accepts is not None and accepts.integer:
        low = low.to_integral_value(rounding=decimal.ROUND_CEILING)
        high = high.to_integral_value(rounding=decimal.ROUND_FLOOR)
    return [low, high]


def just_outside(accepts: SecondsRange | None) -> list[Decimal]:
    """Lengths an accepted range refuses: nothing, less than nothing, one step below
    its minimum and above its maximum, and a fraction where it takes whole seconds."""
    refused = [Decimal(0), Decimal(-1)]
    if accepts is None:
        return refused
    step = Decimal(1) if accepts.integer else Decimal("0.001")
    if accepts.min is not None and accepts.min - step > 0:
        refused.append(accepts.min - step)
    if accepts.max is not None:
        refused.append(accepts.max + step)
    if accepts.integer:
        refused.append(lowest_and_highest(accepts)[0] + Decimal("0.5"))
    return refused


def admits(accepts: SecondsRange | None, seconds: Decimal) -> bool:
    """Whether ``accepts`` takes ``seconds`` (the card's rule, written for the tests)."""
    if seconds <= 0:
        return False
    if accepts is None:
        return True
    return ((accepts.min is None or seconds >= accepts.min)
            and (accepts.max is None or seconds <= accepts.max)
            and (not accepts.integer or seconds == seconds.to_integral_value()))


def default_choice(card: RateCard, offering: Offering) -> tuple[str, str, Decimal | None]:
    """(quality, sound, duration) a request that names none of them gets, by the card's
    documented rule: the offering's own default, else the card's, else its only choice;
    a forced sound wins over all."""
    own = offering.defaults or Defaults()
    quality = own.quality or card.defaults.quality
    if quality is None and len(offering.qualities) == 1:
        quality = offering.qualities[0]
    sound = own.sound or card.defaults.sound
    if sound is None and len(offering.sounds) == 1:
        sound = offering.sounds[0]
    if offering.forced_sound is not None:
        sound = offering.forced_sound.value
    assert quality is not None, f"{offering.id}: no default quality"
    assert sound is not None, f"{offering.id}: no default sound"
    return quality, sound, own.duration or card.defaults.duration


def exponent(value: Decimal) -> int:
    found = value.as_tuple().exponent
    assert isinstance(found, int)
    return found


def usd_model(card: RateCard, amount: Decimal, day: date) -> Fraction | None:
    """``amount`` of the card's currency in USD, exact then rounded by the card's USD rule:
    ``None`` when the card gives no credit value for ``day``."""
    per_usd = credits_per_usd_on(card, day)
    if per_usd is None:
        return None
    rule = card.rounding.usd
    return round_fraction(Fraction(amount) / Fraction(per_usd), rule.precision, rule.mode)


def fraction_of(text: str) -> Fraction:
    """A JSON amount: a decimal string, or ``numerator/denominator`` where it does not end."""
    if "/" in text:
        numerator, denominator = text.split("/")
        return Fraction(int(numerator), int(denominator))
    return Fraction(Decimal(text))


def no_float(text: str) -> float:
    raise AssertionError(f"a float in JSON output: {text}")


# --------------------------------------------------------------------------- for the modules


def native(text: str) -> Any:
    """A JSON document as the provider wrote it, numbers read as Decimal (never float)."""
    return json.loads(text, parse_float=Decimal)


def sources(card: RateCard) -> list[tuple[str, date, str | None, str]]:
    """(document, checked_on, note, basis) of every price version and feature of ``card``."""
    found: list[tuple[str, date, str | None, str]] = []
    for offering in card.offerings:
        for version in offering.prices:
            found.append((version.source.document, version.source.checked_on,
                          version.source.note, version.source.basis))
        for feature in offering.features:
            found.append((feature.source.document, feature.source.checked_on,
                          feature.source.note, feature.source.basis))
    return found


def quote_usd(provider: str, model: str, seconds: int | str, quality: str | None = None,
              sound: bool | None = None, *, edit: bool = False) -> Decimal | None:
    """The USD of one quote of the built-in catalog (for the provider modules' tables)."""
    if edit:
        return CATALOG.quote(provider, model, quality=quality, sound=sound,
                             input_seconds=seconds).usd
    return CATALOG.quote(provider, model, quality=quality, sound=sound, duration=seconds).usd
