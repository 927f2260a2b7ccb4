"""The step-by-step breakdown of a quote, built on demand from what the engine kept.

>>> from ratecard import load
>>> q = load().quote("evolink", "kling-o3-video-edit", input_seconds=7.4, quality="1080p")
>>> for step in q.steps:
...     print(step.name, step.value, "|", step.detail)
input_seconds 7.4 | input video length: 7.4 s
rounded 7 | billed seconds rounded half_up to 1 s: 7.4 -> 7
rate 10.8054 | 8.1 credits/s x 1.334 (1080p, sound off) = 10.8054 credits/s
credits 75.6378 | 7 s x 10.8054 credits/s = 75.6378 credits; rounded half_up to 0.0001: 75.6378
usd 1.050525 | 75.6378 credits / 72 credits per USD = 1.050525 USD (rounded half_up to 0.000001)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from ratecard.money import divide_and_round, plain, quantize
from ratecard.pricing.plans import CreditPlan, OfferingPlan, PriceCell


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a quote's breakdown: a name, the value it produced and why."""

    name: str
    """``duration``, ``clamped``, ``rounded``, ``billed``, ``rate``, ``fixed``, ``credits``,
    ``amount`` (a USD card), ``usd``."""
    value: Decimal | None
    detail: str
    facts: tuple[str, ...] = ()
    """The facts (:data:`ratecard.vocabulary.FACTS`) this step applied; their sources are
    in the quote's ``facts``."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form: the value as a decimal string."""
        return {
            "name": self.name,
            "value": None if self.value is None else plain(self.value),
            "detail": self.detail,
            "facts": list(self.facts),
        }


class Decided(Protocol):
    """What the engine decided for one quote (a :class:`~ratecard.pricing.quote.Quote`)."""

    @property
    def quality(self) -> str: ...
    @property
    def sound(self) -> bool: ...
    @property
    def billed_seconds(self) -> Decimal | None: ...
    @property
    def amount_exact(self) -> Decimal: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def usd(self) -> Decimal | None: ...
    @property
    def warnings(self) -> tuple[str, ...]: ...


def steps_of(
    quote: Decided,
    plan: OfferingPlan,
    cell: PriceCell,
    credit: CreditPlan | None,
    seconds_in: Decimal | None,
    origin: str,
    clamp: str | None,
) -> tuple[Step, ...]:
    """The ordered steps that produced ``quote``, formatted from what the engine recorded:
    the seconds it read and where from (``origin``), the clamp it applied (``clamp``:
    ``min``, ``max`` or ``None``), and the amounts on the quote itself."""
    unit = plan.currency
    steps: list[Step] = []
    sound = "on" if quote.sound else "off"
    if seconds_in is not None:
        text = {
            "duration": f"requested duration: {plain(seconds_in)} s",
            "invoiced": f"invoiced duration: {plain(seconds_in)} s",
            "default": f"no duration given: {default_words(plan)} {plain(seconds_in)} s",
            "input_seconds": f"input video length: {plain(seconds_in)} s",
        }.get(origin, f"{plain(seconds_in)} s")
        checked: tuple[str, ...] = ("duration",) if plan.basis == "duration" else (
            ("input_seconds",) if plan.basis == "input_seconds" or plan.accepts_input
            else ())  # a fixed price's card may state no input length
        steps.append(Step("duration" if origin != "input_seconds" else "input_seconds",
                          seconds_in, text,
                          ("default_duration", *checked) if origin == "default" else checked))
    if cell.kind == "fixed":
        steps.append(Step("fixed", cell.unit_rate,
                          f"fixed price {plain(cell.unit_rate)} {unit} whatever the length "
                          f"({quote.quality}, sound {sound})", ("billing", "price")))
    else:
        assert seconds_in is not None
        assert quote.billed_seconds is not None
        clamped = seconds_in
        if clamp is not None:
            bound = plan.min_seconds if clamp == "min" else plan.max_seconds
            assert bound is not None
            clamped = bound
            steps.append(Step("clamped", clamped,
                              f"billed at {'least' if clamp == 'min' else 'most'} "
                              f"{plain(bound)} s: {plain(seconds_in)} -> {plain(clamped)}",
                              ("billing",)))
        if plan.seconds_precision is not None:
            steps.append(Step("rounded", quote.billed_seconds,
                              f"billed seconds rounded {plan.seconds_mode} to "
                              f"{plain(plan.seconds_precision)} s: {plain(clamped)} -> "
                              f"{plain(quote.billed_seconds)}", ("billing", "seconds_rounding")))
        else:
            steps.append(Step("billed", quote.billed_seconds,
                              f"billed seconds: {plain(quote.billed_seconds)} (no rounding)",
                              ("billing",)))
        if cell.multiplier is not None:
            detail = (f"{plain(cell.base)} {unit}/s x {plain(cell.multiplier)} "
                      f"({quote.quality}, sound {sound}) = {plain(cell.unit_rate)} {unit}/s")
            used: tuple[str, ...] = ("price", "multiplier")
        else:
            detail = f"{plain(cell.unit_rate)} {unit}/s ({quote.quality}, sound {sound})"
            used = ("price",)
        steps.append(Step("rate", cell.unit_rate, detail, used))
    amount_name = "credits" if unit == "credits" else "amount"
    if cell.kind == "fixed":
        how = f"{plain(quote.amount_exact)} {unit}"
    else:
        how = (f"{plain(quote.billed_seconds)} s x {plain(cell.unit_rate)} {unit}/s = "  # type: ignore[arg-type]
               f"{plain(quote.amount_exact)} {unit}")
    steps.append(Step(amount_name, quote.amount,
                      f"{how}; rounded {plan.amount_mode} to {plain(plan.amount_precision)}: "
                      f"{plain(quote.amount)}", ("amount_rounding",)))
    if credit is None:
        steps.append(Step("usd", None, quote.warnings[-1] if quote.warnings else "USD unknown"))
    elif credit.span is None:
        steps.append(Step("usd", quote.usd,
                          f"USD card: {plain(quote.amount)} USD "
                          f"(rounded {plan.usd_mode} to {plain(plan.usd_precision)})",
                          ("usd_rounding",)))
    else:
        steps.append(Step("usd", quote.usd,
                          f"{plain(quote.amount)} credits / {plain(credit.credits_per_usd)} "
                          f"credits per USD = {plain(quote.usd)} USD "  # type: ignore[arg-type]
                          f"(rounded {plan.usd_mode} to {plain(plan.usd_precision)})",
                          ("credit_value", "usd_rounding")))
    return tuple(steps)


def default_words(plan: OfferingPlan) -> str:
    """How a quote names the card's default duration: the provider's default where a
    document gives it, else the card's assumption.

    >>> from ratecard import load
    >>> default_words(load().plan("evolink", "kling-v3-image-to-video"))
    'provider default'
    >>> default_words(load().plan("fal", "v3-standard-text-to-video"))
    "the card's assumption (no document gives a default)"
    """
    origin = plan.sources.default_duration
    if origin is not None and origin.basis == "documented":
        return "provider default"
    return "the card's assumption (no document gives a default)"


def per_second_usd(
    plan: OfferingPlan, cell: PriceCell, credit: CreditPlan | None
) -> Decimal | None:
    """The USD price of one second (or of the fixed job), rounded by the card's USD rule."""
    if credit is None:
        return None
    if credit.span is None:
        return quantize(cell.unit_rate, plan.usd_precision, plan.usd_mode)
    return divide_and_round(cell.unit_rate, credit.credits_per_usd, plan.usd_precision,
                            plan.usd_mode)


def billing_text(plan: OfferingPlan) -> str:
    """How an offering bills, in words: ``per second, min 3 s, max 10 s``.

    >>> from ratecard import load
    >>> billing_text(load().plan("evolink", "kling-o1-video-edit"))
    'per input second, min 3 s, max 10 s'
    """
    if plan.basis == "fixed":
        return "fixed price"
    parts = [f"per {'input ' if plan.basis == 'input_seconds' else ''}second"]
    if plan.min_seconds is not None:
        parts.append(f"min {plain(plan.min_seconds)} s")
    if plan.max_seconds is not None:
        parts.append(f"max {plain(plan.max_seconds)} s")
    if plan.seconds_precision is not None:
        parts.append(f"rounded {plan.seconds_mode} to {plain(plan.seconds_precision)} s")
    return ", ".join(parts)
