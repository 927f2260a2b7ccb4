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

from decimal import Decimal
from typing import TYPE_CHECKING

from ratecard.money import plain, quantize

if TYPE_CHECKING:
    from ratecard.compiled import CreditPlan, OfferingPlan, PriceCell
    from ratecard.quote import Quote, Step


def steps_of(
    quote: Quote,
    plan: OfferingPlan,
    cell: PriceCell,
    credit: CreditPlan | None,
    seconds_in: Decimal | None,
    origin: str,
) -> tuple[Step, ...]:
    """Rebuild the ordered steps that produced ``quote``."""
    from ratecard.quote import Step

    unit = plan.currency
    steps: list[Step] = []
    sound = "on" if quote.sound else "off"
    if seconds_in is not None:
        text = {
            "duration": f"requested duration: {plain(seconds_in)} s",
            "default": f"no duration given: provider default {plain(seconds_in)} s",
            "input_seconds": f"input video length: {plain(seconds_in)} s",
        }.get(origin, f"{plain(seconds_in)} s")
        steps.append(Step("duration" if origin != "input_seconds" else "input_seconds",
                          seconds_in, text))
    if cell.kind == "fixed":
        steps.append(Step("fixed", cell.unit_rate,
                          f"fixed price {plain(cell.unit_rate)} {unit} whatever the length "
                          f"({quote.quality}, sound {sound})"))
    else:
        assert seconds_in is not None
        assert quote.billed_seconds is not None
        clamped = seconds_in
        if plan.min_seconds is not None and seconds_in < plan.min_seconds:
            clamped = plan.min_seconds
            steps.append(Step("clamped", clamped,
                              f"billed at least {plain(plan.min_seconds)} s: "
                              f"{plain(seconds_in)} -> {plain(clamped)}"))
        elif plan.max_seconds is not None and seconds_in > plan.max_seconds:
            clamped = plan.max_seconds
            steps.append(Step("clamped", clamped,
                              f"billed at most {plain(plan.max_seconds)} s: "
                              f"{plain(seconds_in)} -> {plain(clamped)}"))
        if plan.seconds_precision is not None:
            steps.append(Step("rounded", quote.billed_seconds,
                              f"billed seconds rounded {plan.seconds_mode} to "
                              f"{plain(plan.seconds_precision)} s: {plain(clamped)} -> "
                              f"{plain(quote.billed_seconds)}"))
        else:
            steps.append(Step("billed", quote.billed_seconds,
                              f"billed seconds: {plain(quote.billed_seconds)} (no rounding)"))
        if cell.multiplier is not None:
            detail = (f"{plain(cell.base)} {unit}/s x {plain(cell.multiplier)} "
                      f"({quote.quality}, sound {sound}) = {plain(cell.unit_rate)} {unit}/s")
        else:
            detail = f"{plain(cell.unit_rate)} {unit}/s ({quote.quality}, sound {sound})"
        steps.append(Step("rate", cell.unit_rate, detail))
    amount_name = "credits" if unit == "credits" else "amount"
    if cell.kind == "fixed":
        how = f"{plain(quote.amount_exact)} {unit}"
    else:
        how = (f"{plain(quote.billed_seconds)} s x {plain(cell.unit_rate)} {unit}/s = "  # type: ignore[arg-type]
               f"{plain(quote.amount_exact)} {unit}")
    steps.append(Step(amount_name, quote.amount,
                      f"{how}; rounded {plan.amount_mode} to {plain(plan.amount_precision)}: "
                      f"{plain(quote.amount)}"))
    if credit is None:
        steps.append(Step("usd", None, quote.warnings[-1] if quote.warnings else "USD unknown"))
    elif credit.span is None:
        steps.append(Step("usd", quote.usd,
                          f"USD card: {plain(quote.amount)} USD "
                          f"(rounded {plan.usd_mode} to {plain(plan.usd_precision)})"))
    else:
        steps.append(Step("usd", quote.usd,
                          f"{plain(quote.amount)} credits / {plain(credit.credits_per_usd)} "
                          f"credits per USD = {plain(quote.usd)} USD "  # type: ignore[arg-type]
                          f"(rounded {plan.usd_mode} to {plain(plan.usd_precision)})"))
    return tuple(steps)


def per_second_usd(
    plan: OfferingPlan, cell: PriceCell, credit: CreditPlan | None
) -> Decimal | None:
    """The USD price of one second (or of the fixed job), rounded by the card's USD rule."""
    if credit is None:
        return None
    from ratecard.money import divide_and_round

    if credit.span is None:
        return quantize(cell.unit_rate, plan.usd_precision, plan.usd_mode)
    return divide_and_round(cell.unit_rate, credit.credits_per_usd, plan.usd_precision,
                            plan.usd_mode)
