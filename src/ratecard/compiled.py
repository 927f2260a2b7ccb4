"""Rate cards compiled into plain, immutable lookup structures for the engine.

Compilation resolves everything that does not depend on a request once: defaults, the
rate of every quality x sound cell (base x multiplier), rounding precisions, and the
price version that is in force from today on. The engine then only looks things up.

>>> from ratecard import load
>>> plan = load().plan("evolink", "kling-v3-image-to-video")
>>> [(q, s, str(c.unit_rate)) for (q, s), c in sorted(plan.current.items())]
[('1080p', False, '7.1982'), ('1080p', True, '10.8'), ('720p', False, '5.4'), ('720p', True, '8.1')]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ratecard.money import GridDivider, RoundingMode, multiply
from ratecard.schema import (
    CreditValue,
    ForcedSound,
    Offering,
    PriceVersion,
    RateCard,
    SecondsRange,
    Source,
    resolve_defaults,
)

CellKey = tuple[str, bool]
"""(quality, sound on?)"""


@dataclass(frozen=True, slots=True)
class PriceCell:
    """The price of one quality x sound of one offering in one price version."""

    version: PriceVersion
    label: str
    """Name of the version's validity range, ``start..open``."""
    kind: str
    """``per_second`` or ``fixed``."""
    base: Decimal
    """The per-second base rate, the matrix rate, or the fixed price."""
    multiplier: Decimal | None
    """The factor from the multiplier matrix, when the version has one."""
    unit_rate: Decimal
    """``base x multiplier`` (per second), or the fixed price."""

    @property
    def source(self) -> Source:
        """Where this price comes from."""
        return self.version.source


@dataclass(frozen=True, slots=True)
class CreditPlan:
    """A credit value version and its precomputed converter to rounded USD."""

    value: CreditValue | None
    """``None`` for a USD card (no conversion)."""
    credits_per_usd: Decimal
    to_usd: GridDivider
    label: str


@dataclass(frozen=True, slots=True)
class OfferingPlan:
    """Everything the engine needs to price one offering, resolved once."""

    card: RateCard
    offering: Offering
    provider: str
    model: str
    currency: str
    default_quality: str
    default_sound: bool
    default_duration: Decimal | None
    forced_sound: bool | None
    forced: ForcedSound | None
    basis: str
    accepts: SecondsRange | None
    """The accepted range of the billed quantity (duration or input seconds)."""
    accepts_input: SecondsRange | None
    """For fixed-price offerings: the accepted input video length, if declared."""
    min_seconds: Decimal | None
    max_seconds: Decimal | None
    seconds_precision: Decimal | None
    seconds_mode: RoundingMode | None
    amount_precision: Decimal
    amount_mode: RoundingMode
    usd_precision: Decimal
    usd_mode: RoundingMode
    cells: Mapping[CellKey, tuple[PriceCell, ...]]
    """Every version of every cell, oldest first."""
    current: Mapping[CellKey, PriceCell]
    """The cell in force from the compile day on, where one is in force forever after."""
    credits: tuple[CreditPlan, ...]
    credit_current: CreditPlan | None
    usd_known: bool

    def cell_at(self, key: CellKey, day: date) -> PriceCell | None:
        """The cell of ``key`` in force on ``day``, if any."""
        for cell in self.cells.get(key, ()):
            if cell.version.covers(day):
                return cell
        return None

    def credit_at(self, day: date) -> CreditPlan | None:
        """The credit value in force on ``day``, if any."""
        for credit in self.credits:
            if credit.value is None or credit.value.covers(day):
                return credit
        return None


def compile_card(card: RateCard, today: date) -> dict[str, OfferingPlan]:
    """Compile every offering of ``card``; ``today`` decides what is in force from now on."""
    rounding = card.rounding
    credits = _credit_plans(card)
    credit_current = next(
        (c for c in credits if c.value is None or _forever_from(c.value, today)), None
    )
    plans: dict[str, OfferingPlan] = {}
    for offering in card.offerings:
        own = offering.defaults
        quality, sound = resolve_defaults(card, offering)
        duration = (own.duration if own else None) or card.defaults.duration
        assert quality is not None  # checked by the schema
        assert sound is not None
        cells = _cells(offering)
        current = {
            key: versions[-1]
            for key, versions in cells.items()
            if _forever_from(versions[-1].version, today)
        }
        billing = offering.billing
        accepts = (
            offering.accepts.duration
            if billing.basis == "duration"
            else offering.accepts.input_seconds
            if billing.basis == "input_seconds"
            else None
        )
        plans[offering.id] = OfferingPlan(
            card=card,
            offering=offering,
            provider=card.provider,
            model=offering.id,
            currency=card.currency,
            default_quality=quality,
            default_sound=sound == "on",
            default_duration=duration,
            forced_sound=None if offering.forced_sound is None
            else offering.forced_sound.value == "on",
            forced=offering.forced_sound,
            basis=billing.basis,
            accepts=accepts,
            accepts_input=offering.accepts.input_seconds,
            min_seconds=billing.min_seconds,
            max_seconds=billing.max_seconds,
            seconds_precision=billing.rounding.precision if billing.rounding else None,
            seconds_mode=billing.rounding.mode if billing.rounding else None,
            amount_precision=rounding.amount.precision,
            amount_mode=rounding.amount.mode,
            usd_precision=rounding.usd.precision,
            usd_mode=rounding.usd.mode,
            cells=cells,
            current=current,
            credits=credits,
            credit_current=credit_current,
            usd_known=bool(credits),
        )
    return plans


def _forever_from(version: PriceVersion | CreditValue, today: date) -> bool:
    """In force today and on every later day (time only moves forward)."""
    return version.effective_to is None and (
        version.effective_from is None or version.effective_from <= today
    )


def _credit_plans(card: RateCard) -> tuple[CreditPlan, ...]:
    usd = card.rounding.usd
    grid = card.rounding.amount.precision
    if card.currency == "USD":
        one = Decimal(1)
        return (CreditPlan(None, one, GridDivider(grid, one, usd.precision, usd.mode), "USD"),)
    ordered = sorted(card.credit_values, key=lambda v: v.effective_from or date.min)
    return tuple(
        CreditPlan(
            value,
            value.credits_per_usd,
            GridDivider(grid, value.credits_per_usd, usd.precision, usd.mode),
            value.label(),
        )
        for value in ordered
    )


def _cells(offering: Offering) -> dict[CellKey, tuple[PriceCell, ...]]:
    ordered = sorted(offering.prices, key=lambda v: v.effective_from or date.min)
    cells: dict[CellKey, list[PriceCell]] = {}
    for version in ordered:
        for quality in offering.qualities:
            for sound in offering.sounds:
                cell = _cell(version, quality, sound)
                cells.setdefault((quality, sound == "on"), []).append(cell)
    return {key: tuple(value) for key, value in cells.items()}


def _cell(version: PriceVersion, quality: str, sound: str) -> PriceCell:
    label = version.label()
    if version.fixed is not None:
        amount = version.fixed if isinstance(version.fixed, Decimal) else \
            version.fixed[quality][sound]  # type: ignore[index]
        return PriceCell(version, label, "fixed", amount, None, amount)
    per_second = version.per_second
    if isinstance(per_second, Decimal):
        if version.multipliers is None:
            return PriceCell(version, label, "per_second", per_second, None, per_second)
        factor = version.multipliers[quality][sound]  # type: ignore[index]
        rate = _tidy(multiply(per_second, factor))
        return PriceCell(version, label, "per_second", per_second, factor, rate)
    assert per_second is not None  # the schema requires per_second or fixed
    rate = per_second[quality][sound]  # type: ignore[index]
    return PriceCell(version, label, "per_second", rate, None, rate)


def _tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros a product picked up (5.4 x 1.0 = 5.40 -> 5.4); same value."""
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    return normal if isinstance(exponent, int) and exponent <= 0 else value.quantize(Decimal(1))
