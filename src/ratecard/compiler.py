"""Compile validated rate cards into :mod:`ratecard.compiled` plans.

Resolves once what does not depend on a request: defaults, the rate of every quality x
sound cell (base x multiplier), rounding rules and credit converters.

>>> from ratecard.loader import builtin_dir, read_card
>>> card = read_card(builtin_dir() / "evolink.yaml").card
>>> plans = compile_card(card)
>>> plans["kling-o3-video-edit"].cells[("1080p", False)][0].unit_rate
Decimal('10.8054')
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ratecard.compiled import CellKey, CreditPlan, OfferingPlan, PriceCell, SecondsLimit, Span
from ratecard.money import EXACT, GridDivider, multiply
from ratecard.rules import compile_rules
from ratecard.schema import Offering, PriceVersion, RateCard, SecondsRange, resolve_defaults


def compile_card(card: RateCard) -> dict[str, OfferingPlan]:
    """Compile every offering of ``card``, by offering id (``current`` left empty)."""
    rounding = card.rounding
    credits = _credit_plans(card)
    plans: dict[str, OfferingPlan] = {}
    for offering in card.offerings:
        quality, sound = resolve_defaults(card, offering)
        assert quality is not None  # checked by the schema
        assert sound is not None
        duration = (offering.defaults.duration if offering.defaults else None) or \
            card.defaults.duration
        billing = offering.billing
        accepts = {
            "duration": offering.accepts.duration,
            "input_seconds": offering.accepts.input_seconds,
        }.get(billing.basis)
        forced = offering.forced_sound
        plans[offering.id] = OfferingPlan(
            provider=card.provider,
            model=offering.id,
            family=offering.family,
            mode=offering.mode,
            title=offering.title,
            currency=card.currency,
            qualities=tuple(offering.qualities),
            sounds=tuple(offering.sounds),
            default_quality=quality,
            default_sound=sound == "on",
            default_duration=duration,
            forced_sound=None if forced is None else forced.value == "on",
            forced_reason=None if forced is None else forced.reason,
            basis=billing.basis,
            accepts=_limit(accepts),
            accepts_input=_limit(offering.accepts.input_seconds),
            min_seconds=billing.min_seconds,
            max_seconds=billing.max_seconds,
            seconds_precision=billing.rounding.precision if billing.rounding else None,
            seconds_mode=billing.rounding.mode if billing.rounding else None,
            amount_precision=rounding.amount.precision,
            amount_mode=rounding.amount.mode,
            usd_precision=rounding.usd.precision,
            usd_mode=rounding.usd.mode,
            cells=_cells(offering),
            credits=credits,
            usd_unknown_reason=card.credit_value_unknown_reason,
            current={},
            credit_current=None,
            features=frozenset(feature.name for feature in offering.features),
            required_features=frozenset(
                feature.name for feature in offering.features if feature.required),
            reference=card.reference,
            rules=compile_rules(card.constraints, offering.constraints),
        )
    return plans


def _limit(accepts: SecondsRange | None) -> SecondsLimit | None:
    return None if accepts is None else accepts.compiled()


def _span(version: PriceVersion | object) -> Span:
    return Span(getattr(version, "effective_from", None), getattr(version, "effective_to", None))


def _credit_plans(card: RateCard) -> tuple[CreditPlan, ...]:
    usd = card.rounding.usd
    grid = card.rounding.amount.precision
    if card.currency == "USD":
        one = Decimal(1)
        return (CreditPlan(None, one, GridDivider(grid, one, usd.precision, usd.mode), "USD"),)
    ordered = sorted(card.credit_values, key=lambda v: v.effective_from or date.min)
    return tuple(
        CreditPlan(
            _span(value),
            value.credits_per_usd,
            GridDivider(grid, value.credits_per_usd, usd.precision, usd.mode),
            value.source.document,
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
    span = _span(version)
    source = version.source.document
    if version.fixed is not None:
        fixed = version.fixed
        amount = fixed if isinstance(fixed, Decimal) else fixed[quality][sound]  # type: ignore[index]
        return PriceCell(span, "fixed", amount, None, amount, source)
    per_second = version.per_second
    if isinstance(per_second, Decimal):
        if version.multipliers is None:
            return PriceCell(span, "per_second", per_second, None, per_second, source)
        factor = version.multipliers[quality][sound]  # type: ignore[index]
        rate = _tidy(multiply(per_second, factor))
        return PriceCell(span, "per_second", per_second, factor, rate, source)
    assert per_second is not None  # the schema requires per_second or fixed
    rate = per_second[quality][sound]  # type: ignore[index]
    return PriceCell(span, "per_second", rate, None, rate, source)


def _tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros a product picked up (5.4 x 1.0 = 5.40 -> 5.4); same value."""
    normal = value.normalize(EXACT)
    exponent = normal.as_tuple().exponent
    return normal if isinstance(exponent, int) and exponent <= 0 else value.quantize(Decimal(1))
