"""The facts behind an answer, each with its source and the recorded conflicts touching it.

Built on demand from what the compiler kept on the plans (:mod:`ratecard.pricing.provenance`):
:func:`quote_facts` lists what one quote used, :func:`cell_facts` what one offering x quality
x sound row rests on, and :func:`offering_facts` every fact of an offering (what
``ratecard sources`` lists).

>>> from ratecard import load
>>> q = load().quote("evolink", "kling-o3-text-to-video")
>>> [(f.fact, f.basis) for f in q.facts if f.fact in ("price", "credit_value")]
[('price', 'inferred'), ('credit_value', 'inferred')]
>>> for marker in q.markers:
...     print(marker)
inferred: price, credit value, quality/sound
assumed: quality, sound, duration
conflict
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ratecard.errors import QuoteError, brief
from ratecard.money import plain
from ratecard.pricing.explain import Decided, billing_text
from ratecard.pricing.plans import CreditPlan, OfferingPlan, PriceCell, SecondsLimit
from ratecard.pricing.provenance import Origin, RecordedConflict, UsedFact
from ratecard.pricing.rules import RequestRules
from ratecard.vocabulary import on_off


def _fact(plan: OfferingPlan, fact: str, value: str, origin: Origin | None,
          changed: bool = True) -> UsedFact:
    return UsedFact(fact, value, origin, plan.sources.touching(fact), changed)


def _own(plan: OfferingPlan, fact: str, value: str, changed: bool = True) -> UsedFact:
    return _fact(plan, fact, value, plan.sources.origin(fact), changed)


def _limit(limit: SecondsLimit | None) -> str:
    return "more than 0 s (no range given)" if limit is None else limit.describe()


def _price(plan: OfferingPlan, cell: PriceCell) -> str:
    unit = plan.currency
    if cell.kind == "fixed":
        return f"{plain(cell.base)} {unit} per job, whatever the length"
    return f"{plain(cell.base)} {unit}/s"


def _cell_key_text(quality: str, sound: bool) -> str:
    return f"{quality}, sound {on_off(sound)}"


def cell_facts(plan: OfferingPlan, cell: PriceCell, credit: CreditPlan | None,
               quality: str, sound: bool) -> tuple[UsedFact, ...]:
    """What one offering x quality x sound price rests on: the qualities and sounds the
    card lists, the price (and multiplier) and the credit value that converts it."""
    facts = [_own(plan, "qualities", ", ".join(plan.qualities)),
             _own(plan, "sounds", ", ".join(plan.sounds))]
    if plan.forced_sound is not None:
        facts.append(_own(plan, "forced_sound", f"sound {on_off(plan.forced_sound)}: "
                          f"{plan.forced_reason}"))
    facts.append(_fact(plan, "price", _price(plan, cell), cell.origin))
    if cell.multiplier is not None:
        facts.append(_fact(plan, "multiplier", f"x {plain(cell.multiplier)} "
                           f"({_cell_key_text(quality, sound)})", cell.origin))
    if credit is not None and credit.span is not None:
        facts.append(_fact(plan, "credit_value", f"{plain(credit.credits_per_usd)} credits "
                           "per USD", credit.origin))
    return tuple(facts)


def quote_facts(quote: Decided, plan: OfferingPlan, cell: PriceCell,
                credit: CreditPlan | None, seconds_in: Decimal | None, origin: str,
                clamp: str | None, defaulted: int) -> tuple[UsedFact, ...]:
    """Every fact one quote used, in the order the engine used them, each marked whether
    it changed the amount (a rounding that had nothing to round did not)."""
    facts = [_own(plan, "qualities", ", ".join(plan.qualities))]
    if defaulted & 1:
        facts.append(_own(plan, "default_quality", quote.quality))
    facts.append(_own(plan, "sounds", ", ".join(plan.sounds)))
    if defaulted & 2:
        facts.append(_own(plan, "default_sound", on_off(plan.default_sound)))
    if plan.forced_sound is not None:
        forced = any(w.startswith("sound forced") for w in quote.warnings)
        facts.append(_own(plan, "forced_sound", f"sound {on_off(plan.forced_sound)}: "
                          f"{plan.forced_reason}", forced))
    if origin == "default":
        facts.append(_own(plan, "default_duration", f"{plain(seconds_in)} s"))  # type: ignore[arg-type]
    # the accepted length admitted the request; it changes no amount
    if plan.basis == "duration":
        facts.append(_own(plan, "duration", _limit(plan.accepts), False))
    elif origin == "input_seconds":
        limit = plan.accepts if plan.basis == "input_seconds" else plan.accepts_input
        if limit is not None:  # a fixed price's card may state no input length
            facts.append(_own(plan, "input_seconds", _limit(limit), False))
    facts.append(_own(plan, "billing", billing_text(plan)))
    if plan.seconds_precision is not None and quote.billed_seconds is not None:
        clamped = seconds_in if clamp is None else (
            plan.min_seconds if clamp == "min" else plan.max_seconds)
        facts.append(_own(plan, "seconds_rounding",
                          f"{plan.seconds_mode} to {plain(plan.seconds_precision)} s",
                          clamped != quote.billed_seconds))
    facts.append(_fact(plan, "price", _price(plan, cell), cell.origin))
    if cell.multiplier is not None:
        facts.append(_fact(plan, "multiplier", f"x {plain(cell.multiplier)} "
                           f"({_cell_key_text(quote.quality, quote.sound)})", cell.origin))
    facts.append(_own(plan, "amount_rounding",
                      f"{plan.amount_mode} to {plain(plan.amount_precision)}",
                      quote.amount != quote.amount_exact))
    if credit is not None:
        if credit.span is not None:
            facts.append(_fact(plan, "credit_value", f"{plain(credit.credits_per_usd)} "
                               "credits per USD", credit.origin))
        exact = Fraction(quote.amount) / Fraction(credit.credits_per_usd)
        facts.append(_own(plan, "usd_rounding",
                          f"{plan.usd_mode} to {plain(plan.usd_precision)}",
                          quote.usd is None or Fraction(quote.usd) != exact))
    return tuple(facts)


def offering_facts(plan: OfferingPlan) -> tuple[UsedFact, ...]:
    """Every fact the card states about one offering (its card-wide facts included):
    what it renders and prices, its defaults, accepted lengths, billing, prices of every
    version, roundings, credit values, features and request rules."""
    return tuple(_offering_facts(plan))


def _offering_facts(plan: OfferingPlan) -> Iterator[UsedFact]:
    yield _own(plan, "qualities", ", ".join(plan.qualities))
    yield _own(plan, "sounds", ", ".join(plan.sounds))
    if plan.forced_sound is not None:
        yield _own(plan, "forced_sound", f"sound {on_off(plan.forced_sound)}: "
                   f"{plan.forced_reason}")
    yield _own(plan, "default_quality", plan.default_quality)
    yield _own(plan, "default_sound", on_off(plan.default_sound))
    if plan.default_duration is not None and plan.basis == "duration":
        yield _own(plan, "default_duration", f"{plain(plan.default_duration)} s")
    if plan.sources.duration is not None or plan.basis == "duration":
        yield _own(plan, "duration", _limit(plan.accepts if plan.basis == "duration"
                                            else None))
    if plan.sources.input_seconds is not None or plan.basis == "input_seconds":
        yield _own(plan, "input_seconds", _limit(plan.accepts_input))
    yield _own(plan, "billing", billing_text(plan))
    if plan.seconds_precision is not None:
        yield _own(plan, "seconds_rounding",
                   f"{plan.seconds_mode} to {plain(plan.seconds_precision)} s")
    yield from _price_facts(plan)
    yield _own(plan, "amount_rounding", f"{plan.amount_mode} to {plain(plan.amount_precision)}")
    for credit in plan.credits:
        if credit.span is not None:
            yield _fact(plan, "credit_value", f"{plain(credit.credits_per_usd)} credits per "
                        f"USD ({credit.label})", credit.origin)
    yield _own(plan, "usd_rounding", f"{plan.usd_mode} to {plain(plan.usd_precision)}")
    yield from feature_facts(plan)
    yield from _rule_facts(plan, plan.rules)


def feature_facts(plan: OfferingPlan) -> tuple[UsedFact, ...]:
    """The offering's ``features`` facts alone (what routing shows beside a feature it
    lacks or requires), without building every other fact on the hot path."""
    return tuple(_fact(plan, "features", f"{name}"
                       f"{' (required)' if name in plan.required_features else ''}", origin)
                 for name, origin in plan.sources.features)


def _price_facts(plan: OfferingPlan) -> Iterator[UsedFact]:
    """One price fact per price version (and one multiplier fact when it has them)."""
    versions: dict[str, list[tuple[tuple[str, bool], PriceCell]]] = {}
    for key, history in plan.cells.items():
        for cell in history:
            versions.setdefault(cell.label, []).append((key, cell))
    for label, cells in versions.items():
        cells.sort(key=lambda item: item[0])
        first = cells[0][1]
        when = "" if label == "start..open" else f" ({label})"
        if len({cell.base for _, cell in cells}) == 1:
            value = _price(plan, first)
        else:
            unit = plan.currency + ("" if first.kind == "fixed" else "/s")
            value = "; ".join(f"{_cell_key_text(*key)} {plain(cell.base)}"
                              for key, cell in cells) + f" {unit}"
        yield _fact(plan, "price", value + when, first.origin)
        if first.multiplier is not None:
            factors = "; ".join(f"{_cell_key_text(*key)} x {plain(cell.multiplier or Decimal(1))}"
                                for key, cell in cells)
            yield _fact(plan, "multiplier", factors + when, first.origin)


def _inputs(names: tuple[str, ...], joiner: str = " + ") -> str:
    return joiner.join(names)


def _rule_facts(plan: OfferingPlan, rules: RequestRules) -> Iterator[UsedFact]:
    for text in rules.max_chars.values():
        limit = "no character limit" if text.max is None else f"at most {text.max} characters"
        yield _fact(plan, "max_chars", f"{text.input}: {limit}", text.origin)
    for count in rules.max_items:
        yield _fact(plan, "max_items", f"{_inputs(count.inputs)}: at most {count.max}",
                    count.origin)
    for rule in rules.requires:
        yield _fact(plan, "requires", f"one of {_inputs(rule.inputs, ', ')}", rule.origin)
    for rule in rules.forbids:
        what = (f"{rule.inputs[0]} not accepted" if len(rule.inputs) == 1
                else f"not {_inputs(rule.inputs, ' with ')}")
        yield _fact(plan, "forbids", what, rule.origin)
    for rule in rules.ignores:
        yield _fact(plan, "ignores", f"ignores {_inputs(rule.inputs, ', ')}", rule.origin)
    if rules.aspect_ratios is not None:
        yield _fact(plan, "aspect_ratios", ", ".join(rules.aspect_ratios.values),
                    rules.aspect_ratios.origin)
    if rules.cfg_scale is not None:
        yield _fact(plan, "cfg_scale", rules.cfg_scale.describe(), rules.cfg_scale.origin)
    video = rules.video
    if video is not None:
        parts = []
        if video.formats is not None:
            parts.append(", ".join(video.formats))
        if video.max_mb is not None:
            parts.append(f"at most {plain(video.max_mb)} MB")
        if video.pixels is not None:
            parts.append(f"{video.pixels.describe()} px")
        if video.fps is not None:
            parts.append(f"{video.fps.describe()} fps")
        yield _fact(plan, "video_input", "; ".join(parts), video.origin)
    callback = rules.callback_url
    if callback is not None:
        parts = [", ".join(callback.schemes)]
        if callback.max_chars is not None:
            parts.append(f"at most {callback.max_chars} characters")
        if callback.public_host_only:
            parts.append("public hosts only")
        yield _fact(plan, "callback_url", "; ".join(parts), callback.origin)
    shots = rules.multi_shot
    if shots is not None:
        most = "" if shots.max_shots is None else f"; at most {shots.max_shots} shots"
        yield _fact(plan, "multi_shot", f"shot types {', '.join(shots.shot_types)}{most}",
                    shots.origin)
    forced = rules.forced_sound_with
    if forced is not None:
        yield _fact(plan, "forced_sound_with", f"sound {on_off(forced.value)} with "
                    f"{_inputs(forced.inputs, ', ')}", forced.origin)


@dataclass(frozen=True, slots=True)
class CardFact:
    """One fact of one card, with the offerings it applies to (``ratecard sources``)."""

    provider: str
    offerings: tuple[str, ...]
    """The offerings it applies to, sorted (every offering of the card for a card-wide
    fact, such as its credit value)."""
    fact: UsedFact

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form: the fact's own keys, with the provider and offerings."""
        return {"provider": self.provider, "offerings": list(self.offerings),
                **self.fact.to_dict()}


def card_facts(plans: Iterable[OfferingPlan]) -> list[CardFact]:
    """Every distinct fact of the offerings ``plans``, each once per provider with every
    offering it applies to (a card-wide fact, or one shared through a YAML anchor, is
    listed once), in the order of the first offering that states it."""
    found: dict[tuple[str, str, str, Origin | None], list[str]] = {}
    facts: dict[tuple[str, str, str, Origin | None], UsedFact] = {}
    for plan in plans:
        for fact in offering_facts(plan):
            key = (plan.provider, fact.fact, fact.value, fact.origin)
            found.setdefault(key, []).append(plan.model)
            facts.setdefault(key, fact)
    return [CardFact(key[0], tuple(sorted(set(models))), facts[key])
            for key, models in found.items()]


BASES = ("documented", "inferred", "supplied", "unsourced")
"""Every basis a fact may have (:attr:`~ratecard.pricing.provenance.UsedFact.basis`)."""


def bases_kept(basis: object) -> frozenset[str] | None:
    """The bases ``basis`` names (one, or an iterable of them), or ``None`` for all; an
    unknown basis, or a value that names none, is a ``QuoteError`` ``INVALID_INPUT``.

    >>> sorted(bases_kept("inferred")), sorted(bases_kept(["inferred", "supplied"]))
    (['inferred'], ['inferred', 'supplied'])
    """
    if basis is None:
        return None
    names = (basis,) if isinstance(basis, str) else basis
    try:
        kept = list(names)  # type: ignore[call-overload]
    except TypeError:
        kept = [basis]
    unknown = [name for name in kept if name not in BASES]
    if unknown:
        raise QuoteError("INVALID_INPUT", f"basis {brief(unknown[0])} is not a basis of a "
                         f"fact; the bases are {', '.join(BASES)}", "basis")
    return frozenset(kept)


def recorded_conflicts(plans: Iterable[OfferingPlan]) -> list[RecordedConflict]:
    """Every recorded conflict of the cards of ``plans``, once each, by provider and in the
    cards' order."""
    seen: dict[str, RecordedConflict] = {}
    for plan in plans:
        for conflict in plan.sources.conflicts:
            seen.setdefault(conflict.id, conflict)
    return sorted(seen.values(), key=lambda c: (c.provider, c.position))
