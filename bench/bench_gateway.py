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

One dated ``card.quote`` (the engine, not the quote memo) is measured first, to show how
fast the machine is in this run (about 2 us in a quiet run).

Where the time of one route_payload goes (cProfile, 2,000 calls, the kling3api body):
``translate_to`` (render the EvoLink body, then read, check and price it as EvoLink
would) about 45 %, ``read_source`` (read and check the kling3api body) about 23 %, the
route itself about 18 % (its evaluation is remembered per need; down, health and the
exclusions are per call), the rest building the answer. Reading and checking a body
twice (the source's and the translated one) is what keeps it above 60 us; that is the
payload pipeline's code (``ratecard.payloads``), not the router's.

The rows above route the same body on every call; a gateway's bodies differ (each its
own prompt and image), so the last route_payload row makes a new body for each call (in
the timed loop, for its baseline too). Remembering each written and re-read body per
(offering, canonical request) was tried and left out: it answered the same body again in
about 60 % of the time (ratio 7.5-8.0 -> 4.7-5.8 in one run on a loaded machine), but
cost a new body 10-25 % more (storing and copying what is never asked again), and a
gateway's bodies are new far more often than they are routed again.

    python bench/bench_gateway.py [--repeats 15] [--number 5000] [--json FILE]
"""

from __future__ import annotations

import argparse
import itertools
import json
import threading
from collections import deque
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

import ratecard
from _report import per_call_us, ratio_row, report, row

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
                                      duration=5, quality="720p", at=date.today()),
                              args.repeats, args.number)
    rows = [row("card.quote(at=today), one engine quote (this machine's speed: about 2 us "
                "in a quiet run)", calibration, "us")]
    cases = [
        ("kling3api body -> EvoLink (translated), built-in cards", card, KLING3API_BODY,
         "kling3api"),
        ("EvoLink body, kling3api at 500 credits/USD (2 steps, 1 translated)", priced,
         EVOLINK_BODY, "evolink"),
    ]
    for number, (name, catalog, body, source) in enumerate(cases):
        base = row(f"card.quote_payload, same body ({name})",
                   per_call_us(partial(catalog.quote_payload, source, body), args.repeats,
                               args.number), "us", ratio=1.0)
        ours = per_call_us(partial(catalog.route_payload, body, source=source, health=health),
                           args.repeats, args.number)
        goal: dict[str, object] = {} if number else {
            "goal": ROUTE_LIMIT_US, "measure": "route_payload (kling3api body -> EvoLink)"}
        rows += [base, ratio_row(f"card.route_payload with health ({name})", ours, "us", base,
                                 **goal)]

    counter = itertools.count()

    def fresh_body() -> dict[str, Any]:
        return {**KLING3API_BODY, "prompt": f"{KLING3API_BODY['prompt']} ({next(counter)})"}

    base = row("card.quote_payload, a new prompt each call (kling3api body)",
               per_call_us(lambda: card.quote_payload("kling3api", fresh_body()),
                           args.repeats, args.number), "us", ratio=1.0)
    ours = per_call_us(lambda: card.route_payload(fresh_body(), source="kling3api",
                                                  health=health), args.repeats, args.number)
    rows += [base, ratio_row("card.route_payload with health, a new prompt each call",
                             ours, "us", base)]

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

    base = row("lock + dict lookup + deque append (hand-written minimum)",
               per_call_us(minimum, args.repeats, args.number * 20), "us", ratio=1.0)
    rows += [
        base,
        ratio_row("health.record(seller, model, 'succeeded', latency=...)",
                  per_call_us(record, args.repeats, args.number * 20), "us", base,
                  goal=RECORD_LIMIT_US, measure="Health.record"),
        ratio_row("health.record(..., 'failed', at=...) (circuit opening and probing)",
                  per_call_us(record_at, args.repeats, args.number * 20), "us", base),
    ]
    report("A gateway's hot calls, Catalog loaded", rows, args.json)


if __name__ == "__main__":
    main()
