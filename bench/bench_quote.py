"""How long one ``card.quote(...)`` takes once the Catalog is loaded.

Compared, in the same run, with a minimal hand-written function doing the same lookup
and Decimal arithmetic (rate from a dict, duration check, multiply, two quantizes): the
ratio is what ratecard's generality costs on a gateway's hot path.

    python bench/bench_quote.py [--repeats 15] [--number 20000] [--json bench/results/quote.json]
"""

from __future__ import annotations

import argparse
from decimal import ROUND_HALF_UP, Decimal

import ratecard
from _report import per_call_us, report, row

RATES = {("evolink", "kling-v3-image-to-video", "1080p", True): Decimal("10.8")}
Q_CREDITS = Decimal("0.0001")
Q_USD = Decimal("0.000001")
CREDITS_PER_USD = Decimal(72)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--number", type=int, default=20000)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()

    card = ratecard.load()
    expected = baseline("evolink", "kling-v3-image-to-video", 10, "1080p", True)
    q = card.quote("evolink", "kling-v3-image-to-video", duration=10, quality="1080p", sound=True)
    assert (q.credits, q.usd) == expected, (q.credits, q.usd, expected)

    base = per_call_us(
        lambda: baseline("evolink", "kling-v3-image-to-video", 10, "1080p", True),
        args.repeats, args.number)
    ours = per_call_us(
        lambda: card.quote("evolink", "kling-v3-image-to-video", duration=10, quality="1080p",
                           sound=True),
        args.repeats, args.number)
    edit = per_call_us(
        lambda: card.quote("evolink", "kling-o3-video-edit", input_seconds=7.4, quality="720p"),
        args.repeats, args.number)
    base_median = row("baseline", base, "us")["median"]
    rows = [
        row("hand-written baseline", base, "us", ratio=1.0),
        row("card.quote (kling-v3 i2v 10 s 1080p sound)", ours, "us",
            ratio=row("", ours, "us")["median"] / base_median, limit="5 us, ratio 3"),
        row("card.quote (o3 edit, input 7.4 s float)", edit, "us",
            ratio=row("", edit, "us")["median"] / base_median),
    ]
    report("card.quote() per call, Catalog loaded", rows, args.json)


if __name__ == "__main__":
    main()
