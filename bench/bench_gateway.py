"""How long a gateway's two hot calls take: ``card.route_payload(...)`` with translation
over the built-in cards, and ``health.record(...)`` of one outcome.

Each is measured beside a baseline in the same run (this machine is shared: absolute
figures move with its load, ratios much less):

- route_payload beside ``card.quote_payload`` of the same body: reading, checking and
  pricing the one body the gateway holds, which is what it did before it could route it.
  Bodies: seed 003's kling3api image-to-video example (the chain's head is EvoLink, so the
  body is translated), and seed 001's EvoLink first-frame example with a kling3api credit
  value supplied (500 credits per USD), so the chain has two steps, one translated.
- Health.record beside a hand-written minimum: the same lock, a dict lookup and a bounded
  deque append.

One ``card.quote`` is measured first, to show how fast the machine is in this run (the
README's figures were taken when it took about 2 us).

    python bench/bench_gateway.py [--repeats 15] [--number 5000] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import threading
from collections import deque
from decimal import Decimal
from functools import partial
from typing import Any

import ratecard
from _report import per_call_us, report, row

KLING3API_BODY: dict[str, Any] = json.loads("""{
  "type": "pro-image-to-video",
  "prompt": "The character slowly turns and smiles",
  "image": "https://example.com/my-image.jpg",
  "duration": 5
}""", parse_float=Decimal)
"""Seed 003, "Kling 3.0 - 图生视频" (sound left to its default, on)."""

EVOLINK_BODY: dict[str, Any] = json.loads("""{
  "model": "kling-v3-image-to-video",
  "prompt": "A gentle breeze moves through the scene",
  "image_start": "https://example.com/portrait.jpg",
  "duration": 5,
  "quality": "720p"
}""", parse_float=Decimal)
"""Seed 001, "Request Example (First Frame)"."""

ROUTE_LIMIT_US = 60
RECORD_LIMIT_US = 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--number", type=int, default=5000)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()

    card = ratecard.load()
    priced = card.with_credit_value("kling3api", 500)
    clock = [1_000_000.0]
    health = ratecard.Health(ratecard.load_health_policy(), clock=lambda: clock[0])
    for provider, model in (("evolink", "kling-v3-image-to-video"),
                            ("kling3api", "pro-image-to-video")):
        for outcome in ("succeeded", "failed", "succeeded"):
            health.record(provider, model, outcome, latency=170)

    first = card.route_payload(KLING3API_BODY, source="kling3api", health=health)
    assert first.head is not None
    assert (first.head.provider, first.head.translation.source) == ("evolink", "kling3api")
    assert first.head.body["model"] == "kling-v3-image-to-video"
    two = priced.route_payload(EVOLINK_BODY, source="evolink", health=health)
    assert [s.provider for s in two.chain] == ["evolink", "kling3api"], two.chain
    assert two.chain[1].body["type"] == "std-image-to-video"

    calibration = per_call_us(partial(card.quote, "evolink", "kling-v3-image-to-video",
                                      duration=5, quality="720p"), args.repeats, args.number)
    rows = [row("card.quote, one engine quote (this machine's speed: the README says about "
                "2 us)", calibration, "us")]
    cases = [
        ("kling3api body -> EvoLink (translated), built-in cards", card, KLING3API_BODY,
         "kling3api"),
        ("EvoLink body, kling3api at 500 credits/USD (2 steps, 1 translated)", priced,
         EVOLINK_BODY, "evolink"),
    ]
    for name, catalog, body, source in cases:
        base = per_call_us(partial(catalog.quote_payload, source, body), args.repeats,
                           args.number)
        ours = per_call_us(partial(catalog.route_payload, body, source=source, health=health),
                           args.repeats, args.number)
        base_median = row("", base, "us")["median"]
        rows += [
            row(f"card.quote_payload, same body ({name})", base, "us", ratio=1.0),
            row(f"card.route_payload with health ({name})", ours, "us",
                ratio=row("", ours, "us")["median"] / base_median,
                limit=f"{ROUTE_LIMIT_US} us"),
        ]

    lock = threading.Lock()
    kept: dict[tuple[str, str], deque[float]] = {("evolink", "m"): deque(maxlen=5)}

    def minimum() -> None:
        now = clock[0]
        with lock:
            kept[("evolink", "m")].append(now)

    def record() -> None:
        health.record("evolink", "m", "succeeded", latency=170.0)

    def record_at() -> None:
        health.record("evolink", "m", "failed", latency=2.0, at=clock[0])

    base = per_call_us(minimum, args.repeats, args.number * 20)
    ours = per_call_us(record, args.repeats, args.number * 20)
    timed = per_call_us(record_at, args.repeats, args.number * 20)
    base_median = row("", base, "us")["median"]
    rows += [
        row("lock + dict lookup + deque append (hand-written minimum)", base, "us",
            ratio=1.0),
        row("health.record(seller, model, 'succeeded', latency=...)", ours, "us",
            ratio=row("", ours, "us")["median"] / base_median,
            limit=f"{RECORD_LIMIT_US} us"),
        row("health.record(..., 'failed', at=...) (circuit opening and probing)", timed,
            "us", ratio=row("", timed, "us")["median"] / base_median),
    ]
    report("A gateway's hot calls, Catalog loaded", rows, args.json)


if __name__ == "__main__":
    main()
