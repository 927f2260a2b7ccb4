"""Compile validated rate cards into :mod:`ratecard.pricing.plans` plans.

Resolves once what does not depend on a request: defaults, the rate of every quality x
sound cell (base x multiplier), rounding rules and credit converters.

>>> from ratecard.cards.loader import builtin_dir, read_card
>>> card = read_card(builtin_dir() / "evolink.yaml").card
>>> plans = compile_card(card)
>>> plans["kling-o3-video-edit"].cells[("1080p", False)][0].unit_rate
Decimal('10.8054')
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ratecard.cards.base import Source
from ratecard.cards.constraints import (
    CallbackUrl,
    Choices,
    Constraints,
    MultiShot,
    NumberRange,
    SoundWithInputs,
    VideoInput,
)
from ratecard.cards.schema import (
    Conflict,
    Defaults,
    Offering,
    PriceVersion,
    RateCard,
    SecondsRange,
    conflict_slug,
    resolve_defaults,
)
from ratecard.money import EXACT, GridDivider, multiply
from ratecard.pricing.plans import CellKey, CreditPlan, OfferingPlan, PriceCell, SecondsLimit, Span
from ratecard.pricing.provenance import (
    Claim,
    ClaimLimits,
    OfferingSources,
    Origin,
    RecordedConflict,
)
from ratecard.pricing.rules import (
    NO_RULES,
    CallbackRule,
    ChoiceRule,
    CountRule,
    InputRule,
    MultiShotRule,
    RangeRule,
    RequestRules,
    SoundRule,
    TextRule,
    VideoRule,
)


def compile_card(card: RateCard) -> dict[str, OfferingPlan]:
    """Compile every offering of ``card``, by offering id (``current`` left empty)."""
    rounding = card.rounding
    credits = _credit_plans(card)
    conflicts = tuple(_conflict(card.provider, conflict, position)
                      for position, conflict in enumerate(card.conflicts))
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
            sources=_sources(card, offering, conflicts),
        )
    return plans


def origin(source: Source | None) -> Origin | None:
    """The runtime form of a card's ``source`` (``None`` stays ``None``)."""
    if source is None:
        return None
    return Origin(source.basis, source.document, source.checked_on, source.quote, source.note)


def _conflict(provider: str, conflict: Conflict, position: int) -> RecordedConflict:
    claims = tuple(
        Claim(claim.value, origin(claim.source),  # type: ignore[arg-type]
              None if claim.limits is None else ClaimLimits(
                  None if claim.limits.video_formats is None
                  else tuple(claim.limits.video_formats),
                  claim.limits.video_max_mb, claim.limits.input_seconds_min,
                  claim.limits.input_seconds_max))
        for claim in conflict.claims)
    return RecordedConflict(f"{provider}:{conflict_slug(conflict.subject)}", provider,
                            conflict.subject, tuple(conflict.concerned),
                            tuple(conflict.touches) or ("price",), claims,
                            conflict.resolution, position)


def _sources(card: RateCard, offering: Offering,
             conflicts: tuple[RecordedConflict, ...]) -> OfferingSources:
    """Where each of ``offering``'s facts comes from (its prices' and credit values'
    origins are on their cells and credit plans, its rules' on the rules)."""
    own = offering.defaults or Defaults()
    shared = card.defaults

    def default(name: str, only: Source | None) -> Origin | None:
        # ``only``: the source of the offering's one quality (or sound), the default when
        # neither the offering nor the card sets one
        if getattr(own, name) is not None:
            return origin(own.source or only)
        if getattr(shared, name) is not None:
            return origin(shared.source)
        return origin(only)

    billing = offering.billing
    accepts = offering.accepts
    forced = offering.forced_sound
    return OfferingSources(
        qualities=origin(offering.qualities_source),
        sounds=origin(offering.sounds_source),
        forced_sound=None if forced is None else origin(forced.source),
        billing=origin(billing.source),
        seconds_rounding=None if billing.rounding is None else origin(
            billing.rounding.source or billing.source),
        amount_rounding=origin(card.rounding.amount.source),
        usd_rounding=origin(card.rounding.usd.source),
        duration=None if accepts.duration is None else origin(accepts.duration.source),
        input_seconds=None if accepts.input_seconds is None
        else origin(accepts.input_seconds.source),
        default_quality=default("quality", offering.qualities_source
                                if len(offering.qualities) == 1 else None),
        default_sound=default("sound", offering.sounds_source
                              if len(offering.sounds) == 1 else None),
        default_duration=default("duration", None),
        features=tuple((f.name, origin(f.source)) for f in offering.features),  # type: ignore[misc]
        conflicts=tuple(c for c in conflicts if c.concerns(offering.id)),
        notes=None if offering.notes is None else " ".join(offering.notes.split()),
    )


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
            origin(value.source),
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
    where = origin(version.source)
    if version.fixed is not None:
        fixed = version.fixed
        amount = fixed if isinstance(fixed, Decimal) else fixed[quality][sound]  # type: ignore[index]
        return PriceCell(span, "fixed", amount, None, amount, source, where)
    per_second = version.per_second
    if isinstance(per_second, Decimal):
        if version.multipliers is None:
            return PriceCell(span, "per_second", per_second, None, per_second, source, where)
        factor = version.multipliers[quality][sound]  # type: ignore[index]
        rate = _tidy(multiply(per_second, factor))
        return PriceCell(span, "per_second", per_second, factor, rate, source, where)
    assert per_second is not None  # the schema requires per_second or fixed
    rate = per_second[quality][sound]  # type: ignore[index]
    return PriceCell(span, "per_second", rate, None, rate, source, where)


def _tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros a product picked up (5.4 x 1.0 = 5.40 -> 5.4); same value."""
    normal = value.normalize(EXACT)
    exponent = normal.as_tuple().exponent
    return normal if isinstance(exponent, int) and exponent <= 0 else \
        value.quantize(Decimal(1), context=EXACT)


def compile_rules(card: Constraints | None, offering: Constraints | None) -> RequestRules:
    """Merge the card's constraints and an offering's into :class:`RequestRules`.

    List entries of the offering replace the card's for the same input (``max_chars``) or
    input set (``max_items``), or add to them (``requires``, ``forbids``, ``ignores``);
    the offering's other keys replace the card's.
    """
    layers = [c for c in (card, offering) if c is not None]
    if not layers:
        return NO_RULES
    max_chars: dict[str, TextRule] = {}
    max_items: dict[frozenset[str], CountRule] = {}
    requires: list[InputRule] = []
    forbids: list[InputRule] = []
    ignores: list[InputRule] = []
    single: dict[str, object] = {}
    for layer in layers:
        for text in layer.max_chars:
            for field_name in text.inputs:
                max_chars[field_name] = TextRule(field_name, text.max, text.source.document,
                                                 origin(text.source))
        for count in layer.max_items:
            max_items[frozenset(count.inputs)] = CountRule(tuple(count.inputs), count.max,
                                                           count.source.document,
                                                           origin(count.source))
        requires += [InputRule(tuple(r.any_of), r.reason, r.source.document, origin(r.source))
                     for r in layer.requires]
        forbids += [InputRule(tuple(r.all_of), r.reason, r.source.document, origin(r.source))
                    for r in layer.forbids]
        ignores += [InputRule(tuple(r.inputs), r.reason, r.source.document, origin(r.source))
                    for r in layer.ignores]
        for name in ("aspect_ratios", "cfg_scale", "video_input", "callback_url", "multi_shot",
                     "forced_sound_with"):
            value = getattr(layer, name)
            if value is not None:
                single[name] = value
    return RequestRules(
        max_chars=max_chars,
        max_items=tuple(max_items.values()),
        requires=tuple(requires),
        forbids=tuple(forbids),
        ignores=tuple(ignores),
        aspect_ratios=_choices(single.get("aspect_ratios")),
        cfg_scale=_range(single.get("cfg_scale")),
        video=_video(single.get("video_input")),
        callback_url=_callback(single.get("callback_url")),
        multi_shot=_multi_shot(single.get("multi_shot")),
        forced_sound_with=_sound(single.get("forced_sound_with")),
    )


def _choices(value: object) -> ChoiceRule | None:
    if not isinstance(value, Choices):
        return None
    return ChoiceRule(tuple(value.values), value.source.document, origin(value.source))


def _range(value: object) -> RangeRule | None:
    if not isinstance(value, NumberRange):
        return None
    return RangeRule(value.min, value.max, value.source.document, origin(value.source))


def _video(value: object) -> VideoRule | None:
    if not isinstance(value, VideoInput):
        return None
    source = value.source.document
    pixels = None if value.min_px is None and value.max_px is None else RangeRule(
        None if value.min_px is None else Decimal(value.min_px),
        None if value.max_px is None else Decimal(value.max_px), source)
    fps = None if value.min_fps is None and value.max_fps is None else RangeRule(
        value.min_fps, value.max_fps, source)
    formats = None if value.formats is None else tuple(value.formats)
    return VideoRule(formats, value.max_mb, pixels, fps, source, origin(value.source))


def _callback(value: object) -> CallbackRule | None:
    if not isinstance(value, CallbackUrl):
        return None
    return CallbackRule(tuple(s.lower() for s in value.schemes), value.max_chars,
                        value.public_host_only, value.source.document, origin(value.source))


def _multi_shot(value: object) -> MultiShotRule | None:
    if not isinstance(value, MultiShot):
        return None
    return MultiShotRule(tuple(value.shot_types), tuple(value.shots_required_for),
                         value.min_shots, value.max_shots, value.shot_prompt_max_chars,
                         value.durations_sum_to_duration, value.source.document,
                         origin(value.source))


def _sound(value: object) -> SoundRule | None:
    if not isinstance(value, SoundWithInputs):
        return None
    return SoundRule(tuple(value.inputs), value.value == "on", value.reason,
                     value.source.document, origin(value.source))
