"""How long one ``card.quote(...)`` takes once the Catalog is loaded, and with ``to_dict()``.

Compared, in the same run, with a minimal hand-written function doing the same lookup
and Decimal arithmetic (rate from a dict, duration check, multiply, two quantizes): the
floor of an exact quote. Rows:

- ``card.quote`` of a request asked before: a dict lookup in the index's quote memo
  (a gateway's requests repeat; the memo is bounded and never outlives a price change).
- ``card.quote(..., at=day)``: the engine itself (a dated quote is never remembered).
- ``quote + to_dict()``: a remembered quote's JSON form is built once (a new top-level
  dict per call, nested parts shared and read-only); the dated row builds it each time.
- Optional peers, when installed (never dependencies of ratecard): LiteLLM's video cost
  function (float) and genai-prices ``calc_price`` (an LLM token price, the nearest thing
  it has). Each is skipped with a message when it is not installed.

Where the time of an engine quote goes (cProfile, 20,000 dated quotes): the engine
function itself about 40 % (argument checks, the clamp and rounding rules the card
declares), the grid divider converting credits to USD about 20 %, Decimal multiply and
quantize the rest; the memo skips all of it.

    python bench/bench_quote.py [--repeats 15] [--number 20000] [--json bench/results/quote.json]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import ratecard
from _report import per_call_us, ratio_row, report, row

RATES = {("evolink", "kling-v3-image-to-video", "1080p", True): Decimal("10.8")}
Q_CREDITS = Decimal("0.0001")
Q_USD = Decimal("0.000001")
CREDITS_PER_USD = Decimal(72)
QUOTE_GOAL_US = 1.0
TO_DICT_GOAL_US = 5.0


def baseline(provider: str, model: str, duration: int, quality: str,
             sound: bool) -> tuple[Decimal, Decimal]:
    """The least a quote must do: look up a rate, check, multiply, round credits and USD."""
    rate = RATES[(provider, model, quality, sound)]
    seconds = Decimal(duration)
    if not 3 <= seconds <= 15:
        raise ValueError("duration out of range")
    credits = (seconds * rate).quantize(Q_CREDITS, rounding=ROUND_HALF_UP)
    usd = (credits / CREDITS_PER_USD).quantize(Q_USD, rounding=ROUND_HALF_UP)
    return credits, usd


def peers() -> tuple[list[tuple[str, Callable[[], object]]], list[str]]:
    """The installed optional peers, and a message for each one skipped."""
    found: list[tuple[str, Callable[[], object]]] = []
    skipped: list[str] = []
    try:
        from litellm import cost_calculator  # type: ignore[import-not-found]

        video = getattr(cost_calculator, "default_video_cost_calculator", None)
        if video is None:
            skipped.append("LiteLLM installed but has no default_video_cost_calculator")
        else:
            video(model="sora-2", duration_seconds=10.0, custom_llm_provider="openai")
            found.append(("LiteLLM default_video_cost_calculator (float, sora-2 10 s)",
                          lambda: video(model="sora-2", duration_seconds=10.0,
                                        custom_llm_provider="openai")))
    except Exception as exc:  # a peer that fails is skipped, saying why
        skipped.append(f"LiteLLM skipped: {type(exc).__name__}: {exc}"[:160])
    try:
        from genai_prices import Usage, calc_price  # type: ignore[import-not-found]

        usage = Usage(input_tokens=1000, output_tokens=100)
        calc_price(usage, model_ref="gpt-4o")
        found.append(("genai-prices calc_price (gpt-4o tokens)",
                      lambda: calc_price(usage, model_ref="gpt-4o")))
    except Exception as exc:
        skipped.append(f"genai-prices skipped: {type(exc).__name__}: {exc}"[:160])
    return found, skipped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--number", type=int, default=20000)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()

    card = ratecard.load()
    today = date.today()
    expected = baseline("evolink", "kling-v3-image-to-video", 10, "1080p", True)
    q = card.quote("evolink", "kling-v3-image-to-video", duration=10, quality="1080p", sound=True)
    assert (q.credits, q.usd) == expected, (q.credits, q.usd, expected)
    dated = card.quote("evolink", "kling-v3-image-to-video", duration=10, quality="1080p",
                       sound=True, at=today)
    assert dated.to_dict() == q.to_dict()

    def timed(func: Callable[[], object], scale: int = 1) -> list[float]:
        return per_call_us(func, args.repeats, max(1, args.number // scale))

    base = row("hand-written Decimal quote (floor)", timed(
        lambda: baseline("evolink", "kling-v3-image-to-video", 10, "1080p", True)), "us",
        ratio=1.0)
    rows: list[dict[str, Any]] = [base]
    rows.append(ratio_row("card.quote (kling-v3 i2v 10 s 1080p sound), asked before", timed(
        lambda: card.quote("evolink", "kling-v3-image-to-video", duration=10, quality="1080p",
                           sound=True)), "us", base, goal=QUOTE_GOAL_US,
        measure="one quote, catalog loaded"))
    rows.append(ratio_row("card.quote (o3 edit, input 7.4 s float), asked before", timed(
        lambda: card.quote("evolink", "kling-o3-video-edit", input_seconds=7.4,
                           quality="720p")), "us", base))
    rows.append(ratio_row("card.quote(..., at=today): the engine, never remembered", timed(
        lambda: card.quote("evolink", "kling-v3-image-to-video", duration=10, quality="1080p",
                           sound=True, at=today)), "us", base))
    rows.append(ratio_row("card.quote(...).to_dict(), asked before", timed(
        lambda: card.quote("evolink", "kling-v3-image-to-video", duration=10, quality="1080p",
                           sound=True).to_dict()), "us", base, goal=TO_DICT_GOAL_US,
        measure="quote + to_dict()"))
    rows.append(ratio_row("card.quote(..., at=today).to_dict(): JSON built each time", timed(
        lambda: card.quote("evolink", "kling-v3-image-to-video", duration=10, quality="1080p",
                           sound=True, at=today).to_dict(), 10), "us", base))
    found, skipped = peers()
    for name, func in found:
        rows.append(ratio_row(name, timed(func, 10), "us", base))
    report("card.quote() per call, Catalog loaded (shared 2-core machine: see the ratios)",
           rows, args.json, skipped)


if __name__ == "__main__":
    main()
