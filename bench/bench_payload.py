"""How long ``card.quote_payload(...)`` takes for a native body, once the Catalog is loaded.

Each body is measured beside ``card.quote(..., at=today)`` of the same canonical request
in the same run (the engine: a dated quote is never remembered), so the ratio is what
reading and checking the body costs on top of pricing it. ``quote_payload`` itself prices
the request it reads without ``at``, so its pricing part is a lookup in the quote memo
once the request was seen.

- EvoLink: seed 001's "First + End Frame" request example (kling-v3-image-to-video, 10 s,
  1080p, sound on).
- kling3api: seed 003's text-to-video example (pro-text-to-video, 5 s, sound on).

    python bench/bench_payload.py [--repeats 15] [--number 20000] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

import ratecard
from _report import per_call_us, report, row

EVOLINK_BODY: dict[str, Any] = json.loads("""{
  "model": "kling-v3-image-to-video",
  "prompt": "Transition from day to night",
  "image_start": "https://example.com/day.jpg",
  "image_end": "https://example.com/night.jpg",
  "duration": 10,
  "quality": "1080p",
  "sound": "on"
}""", parse_float=Decimal)

KLING3API_BODY: dict[str, Any] = json.loads("""{
  "type": "pro-text-to-video",
  "prompt": "A majestic eagle soaring through clouds at sunset",
  "duration": 5,
  "aspect_ratio": "16:9",
  "sound": true
}""", parse_float=Decimal)

LIMIT = "20 us"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--number", type=int, default=20000)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()

    card = ratecard.load()
    today = date.today()
    cases: list[tuple[str, str, dict[str, Any], Callable[[], ratecard.Quote]]] = [
        ("evolink first+end frame", "evolink", EVOLINK_BODY,
         lambda: card.quote("evolink", "kling-v3-image-to-video", duration=10,
                            quality="1080p", sound=True, at=today)),
        ("kling3api text-to-video", "kling3api", KLING3API_BODY,
         lambda: card.quote("kling3api", "pro-text-to-video", duration=5, sound=True,
                            at=today)),
    ]
    rows = []
    for name, provider, body, canonical in cases:
        got = card.quote_payload(provider, body)
        want = canonical()
        assert (got.credits, got.usd) == (want.credits, want.usd), (name, got, want)
        base = per_call_us(canonical, args.repeats, args.number)
        ours = per_call_us(partial(card.quote_payload, provider, body), args.repeats,
                           args.number)
        check = per_call_us(partial(card.check_payload, provider, body), args.repeats,
                            args.number)
        base_median = row("", base, "us")["median"]
        rows += [
            row(f"card.quote(at=today), same request ({name})", base, "us", ratio=1.0),
            row(f"card.quote_payload ({name})", ours, "us",
                ratio=row("", ours, "us")["median"] / base_median, limit=LIMIT),
            row(f"card.check_payload ({name})", check, "us",
                ratio=row("", check, "us")["median"] / base_median),
        ]
    report("card.quote_payload() per call, Catalog loaded", rows, args.json)


if __name__ == "__main__":
    main()
