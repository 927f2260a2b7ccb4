"""A seeded gateway simulation: requests in EvoLink's and kling3api's dialects, sellers
failing on a schedule, routed with ``card.route_payload`` with and without
:class:`ratecard.Health`, and against an oracle that knew the outages in advance.

    python bench/gateway_sim.py [--requests 1000000] [--seed 7] [--json FILE]

What is simulated (every figure below is this simulation's assumption, not a source's):

- **Requests** arrive as a Poisson stream, 1.65 a second on average (a million in a
  week), drawn from a mix of bodies (:data:`MIX`): Kling 3.0 image and text to video in
  EvoLink's dialect (some with an end frame, subject elements or multi-shot, which only
  EvoLink takes), kling3api Kling 3.0 and O3 bodies (some leaving sound at kling3api's
  default, on, which EvoLink does not price for O3), O3 video edits and O1 video edits
  (only EvoLink sells O1).
- **Sellers**: the two ratecard can write bodies for, EvoLink and kling3api, priced by the
  built-in cards; kling3api's credit is taken at 500 per USD (it publishes none).
- **Failures**: each attempt fails at random (EvoLink 1 %, kling3api 2 %, an error after
  2-10 s, nothing charged); on the schedule (:func:`schedule`) a seller (or one of its
  models) is *down* (errors after 1-5 s, nothing charged) or *degraded* (jobs hang: the
  gateway gives up after :data:`ATTEMPT_TIMEOUT` s, and the seller finishes and bills the
  job later). A job that works takes 60-240 s (seed 001's task estimates 180 s).
- **The gateway** sends each request down its fallback chain, one attempt at a time,
  never twice to one seller, until one succeeds or the client's :data:`DEADLINE` has
  passed (an attempt is not started after it; one that ends after it has failed the
  client, and is billed if the seller delivered).
- **Health-blind** routing takes ``route_payload``'s chain as priced. **Health-aware**
  routing passes a :class:`ratecard.Health` fed with every outcome (the built-in policy),
  and takes a probe with ``Health.admit`` before sending to a half-open seller; when no
  healthy seller can take a body (only one sells what it asks, and its circuit is open),
  it fails open: it tries the cheapest anyway rather than refuse the client.
- **The oracle** knows the schedule, not the random failures: it tries, cheapest first,
  only the sellers that are up at the request's arrival.

Both gateways and the oracle see the same requests and the same luck: each (request,
seller) pair draws its failure and its latency once, from the seed.
"""

from __future__ import annotations

import argparse
import heapq
import json
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import ratecard
from ratecard import Catalog, Health, PayloadRoute, VideoInfo

RATE = 1.65
"""Requests per second on average (a million in about a week)."""
ATTEMPT_TIMEOUT = 300.0
"""Seconds the gateway waits for one attempt before it gives up on it."""
DEADLINE = 480.0
"""Seconds a client waits for its video, from the request's arrival."""
TRANSIENT = {"evolink": 0.01, "kling3api": 0.02}
"""Chance that an attempt fails at random while the seller is up."""
KLING3API_CREDITS_PER_USD = 500
"""kling3api publishes no USD value of a credit (seed 003): this is the simulation's."""
HOUR = 3600.0
DAY = 24 * HOUR
BUCKET = 600.0
"""Seconds per bucket of :attr:`Tally.by_bucket` (success over time)."""


# ------------------------------------------------------------------ the schedule

@dataclass(frozen=True)
class Outage:
    """A seller (or one of its models) down or degraded over ``[start, end)`` seconds."""

    seller: str
    kind: str
    """``down`` (errors) or ``degraded`` (jobs hang, billed later)."""
    start: float
    end: float
    model: str | None = None
    """``None``: every model of the seller."""


FIRST_DAY = (
    Outage("evolink", "down", 0.25 * HOUR, 1.0 * HOUR),
    Outage("kling3api", "degraded", 1.25 * HOUR, 2.25 * HOUR),
    Outage("evolink", "down", 2.5 * HOUR, 3.0 * HOUR, "kling-v3-image-to-video"),
    Outage("evolink", "down", 3.25 * HOUR, 3.5 * HOUR),
    Outage("kling3api", "down", 3.25 * HOUR, 3.5 * HOUR),
    Outage("evolink", "degraded", 3.75 * HOUR, 4.5 * HOUR),
)
"""The first hours: each kind of failure once (the notebook's shorter run sees these)."""


def schedule(horizon: float, seed: int) -> tuple[Outage, ...]:
    """:data:`FIRST_DAY`, then, for every later day, two to four outages drawn from the
    seed: a seller or one model, down or degraded, for 10 minutes to 2 hours."""
    draw = random.Random(seed * 7919 + 1)
    outages = list(FIRST_DAY)
    day = DAY
    while day < horizon:
        for _ in range(draw.randint(2, 4)):
            seller = draw.choice(("evolink", "kling3api"))
            model = None
            if draw.random() < 0.3:
                model = draw.choice(("kling-v3-image-to-video", "kling-o3-video-edit")
                                    if seller == "evolink" else
                                    ("pro-image-to-video", "o3-std-text-to-video"))
            start = day + draw.uniform(0, DAY - 2 * HOUR)
            length = draw.uniform(10 * 60, 2 * HOUR)
            kind = "degraded" if draw.random() < 0.4 else "down"
            outages.append(Outage(seller, kind, start, start + length, model))
        day += DAY
    return tuple(sorted(outages, key=lambda o: (o.start, o.seller)))


def state_at(outages: tuple[Outage, ...], seller: str, model: str, t: float) -> str:
    """``up``, ``down`` or ``degraded`` (degraded wins when both hold)."""
    found = "up"
    for outage in outages:
        if outage.start > t:
            break
        if outage.end > t and outage.seller == seller and outage.model in (None, model):
            if outage.kind == "degraded":
                return "degraded"
            found = "down"
    return found


# ------------------------------------------------------------------ the requests

def _evolink_i2v(draw: random.Random, n: int) -> tuple[dict[str, Any], VideoInfo | None]:
    body: dict[str, Any] = {
        "model": "kling-v3-image-to-video", "prompt": f"shot {n}",
        "image_start": f"https://cdn.example.com/{n}.jpg",
        "duration": draw.choice((5, 5, 5, 10, 10, 15)),
        "quality": draw.choice(("720p", "720p", "1080p")),
        "sound": draw.choice(("off", "on"))}
    extra = draw.random()
    if extra < 0.10:
        body["image_end"] = f"https://cdn.example.com/{n}-end.jpg"
    elif extra < 0.15:
        body["model_params"] = {"element_list": [{"element_id": "123456"}]}
    elif extra < 0.20:
        half = body["duration"] // 2
        body.pop("prompt")
        body["model_params"] = {"multi_shot": True, "shot_type": "customize", "multi_prompt": [
            {"index": 1, "prompt": "one", "duration": str(half)},
            {"index": 2, "prompt": "two", "duration": str(body["duration"] - half)}]}
    return body, None


def _evolink_t2v(draw: random.Random, n: int) -> tuple[dict[str, Any], VideoInfo | None]:
    return {"model": "kling-v3-text-to-video", "prompt": f"scene {n}",
            "duration": draw.choice((5, 10)), "quality": draw.choice(("720p", "1080p")),
            "sound": draw.choice(("off", "on"))}, None


def _kling3api_v3(draw: random.Random, n: int) -> tuple[dict[str, Any], VideoInfo | None]:
    kind = draw.choice(("pro-text-to-video", "std-text-to-video", "pro-image-to-video",
                        "std-image-to-video"))
    body: dict[str, Any] = {"type": kind, "prompt": f"scene {n}",
                            "duration": draw.choice((5, 10)), "sound": draw.random() < 0.5}
    if "image" in kind:
        body["image"] = f"https://cdn.example.com/{n}.jpg"
    return body, None


def _kling3api_o3(draw: random.Random, n: int) -> tuple[dict[str, Any], VideoInfo | None]:
    body: dict[str, Any] = {"type": draw.choice(("o3-std-text-to-video",
                                                 "o3-pro-text-to-video")),
                            "prompt": f"scene {n}", "duration": draw.choice((5, 10))}
    if draw.random() < 0.7:
        body["sound"] = False  # else kling3api's default, on: EvoLink prices O3 silent only
    return body, None


def _evolink_o3_edit(draw: random.Random, n: int) -> tuple[dict[str, Any], VideoInfo | None]:
    return ({"model": "kling-o3-video-edit", "prompt": f"restyle {n}",
             "video_url": f"https://cdn.example.com/{n}.mp4",
             "quality": draw.choice(("720p", "1080p"))},
            VideoInfo(seconds=draw.randint(3, 10)))


def _evolink_o1_edit(draw: random.Random, n: int) -> tuple[dict[str, Any], VideoInfo | None]:
    return ({"model": "kling-o1-video-edit", "prompt": f"restyle {n}",
             "video_urls": [f"https://cdn.example.com/{n}.mp4"]},
            VideoInfo(seconds=draw.randint(3, 12)))


Maker = Callable[[random.Random, int], tuple[dict[str, Any], VideoInfo | None]]

MIX: tuple[tuple[str, float, Maker], ...] = (
    ("evolink", 0.40, _evolink_i2v),
    ("evolink", 0.12, _evolink_t2v),
    ("kling3api", 0.20, _kling3api_v3),
    ("kling3api", 0.10, _kling3api_o3),
    ("evolink", 0.13, _evolink_o3_edit),
    ("evolink", 0.05, _evolink_o1_edit),
)
"""(dialect, share, body maker): the request mix."""


@dataclass
class Request:
    n: int
    arrival: float
    source: str
    body: dict[str, Any]
    video: VideoInfo | None
    luck: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Per seller: (a uniform draw for random failure, a uniform draw for latency)."""

    def draws(self, seller: str) -> tuple[float, float]:
        found = self.luck.get(seller)
        if found is None:
            rng = random.Random(self.n * 1_000_003 + (1 if seller == "evolink" else 2))
            found = self.luck[seller] = (rng.random(), rng.random())
        return found


def requests(count: int, seed: int) -> Iterator[Request]:
    """The request stream, in arrival order."""
    draw = random.Random(seed)
    weights = [share for _, share, _ in MIX]
    t = 0.0
    for n in range(count):
        t += draw.expovariate(RATE)
        source, _, make = draw.choices(MIX, weights)[0]
        body, video = make(draw, n)
        yield Request(n, t, source, body, video)


# ------------------------------------------------------------------ the gateways

@dataclass
class Tally:
    """What one way of routing achieved."""

    name: str
    requests: int = 0
    succeeded: int = 0
    late: int = 0
    """Requests whose success came after the deadline (failed for the client)."""
    unserved: int = 0
    """Requests no seller could take (empty chain) or all attempts failed."""
    attempts: int = 0
    probes: int = 0
    fail_open: int = 0
    """Attempts sent to an unhealthy seller because no healthy one could take the body."""
    spend: Decimal = Decimal(0)
    """USD billed, successes and late or hung jobs alike."""
    wasted: Decimal = Decimal(0)
    """USD billed for jobs the client did not get (hung, or delivered too late)."""
    latency_sum: float = 0.0
    by_bucket: dict[int, list[int]] = field(default_factory=dict)
    """Bucket of arrival (:data:`BUCKET` seconds) -> [requests, succeeded]."""

    @property
    def success_rate(self) -> float:
        return self.succeeded / self.requests if self.requests else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "requests": self.requests, "succeeded": self.succeeded,
                "success_rate": round(self.success_rate, 6), "late": self.late,
                "unserved": self.unserved, "attempts": self.attempts, "probes": self.probes,
                "fail_open": self.fail_open,
                "spend_usd": str(self.spend), "wasted_usd": str(self.wasted),
                "mean_seconds_to_success": round(self.latency_sum / self.succeeded, 1)
                if self.succeeded else None}


def _outcome(request: Request, seller: str, model: str, t: float,
             outages: tuple[Outage, ...]) -> tuple[str, float, bool]:
    """(outcome, latency, billed) of an attempt at ``t``."""
    state = state_at(outages, seller, model, t)
    fail, speed = request.draws(seller)
    if state == "degraded":
        return "timed_out", ATTEMPT_TIMEOUT, True
    if state == "down":
        return "failed", 1 + 4 * speed, False
    if fail < TRANSIENT[seller]:
        return "failed", 2 + 8 * speed, False
    return "succeeded", 60 + 180 * speed, True


class Gateway:
    """One way of routing, run as events in time order."""

    def __init__(self, name: str, card: Catalog, outages: tuple[Outage, ...],
                 health: Health | None, clock: list[float]) -> None:
        self.tally = Tally(name)
        self.card = card
        self.outages = outages
        self.health = health
        self.clock = clock
        self.events: list[tuple[float, int, int, Any]] = []
        self.seq = 0

    def arrive(self, request: Request) -> PayloadRoute | None:
        self.tally.requests += 1
        bucket = int(request.arrival // BUCKET)
        self.tally.by_bucket.setdefault(bucket, [0, 0])[0] += 1
        return self._try(request, request.arrival, ())

    def _try(self, request: Request, now: float, tried: tuple[str, ...]) -> PayloadRoute | None:
        """Route and send the next attempt; the route (``None`` past the deadline)."""
        if now >= request.arrival + DEADLINE:
            self.tally.unserved += 1
            return None
        self.clock[0] = now
        route = self.card.route_payload(request.body, source=request.source,
                                        video=request.video, health=self.health,
                                        deny=tried)
        health = self.health
        for step in route.chain:
            if health is not None and not health.admit(step.provider, step.model, at=now):
                continue
            if step.probe:
                self.tally.probes += 1
            self._send(request, step.provider, step.model, step.usd, now, tried)
            return route
        if health is not None and any(e.code == "UNHEALTHY" for e in route.exclusions):
            # fail open: nothing healthy can take it, so try the cheapest anyway rather
            # than refuse the client (its outcome is recorded like any other)
            blind = self.card.route_payload(request.body, source=request.source,
                                            video=request.video, deny=tried)
            if blind.chain:
                step = blind.chain[0]
                self.tally.fail_open += 1
                self._send(request, step.provider, step.model, step.usd, now, tried)
                return route
        self.tally.unserved += 1
        return route

    def _send(self, request: Request, seller: str, model: str, usd: Decimal, now: float,
              tried: tuple[str, ...]) -> None:
        outcome, latency, billed = _outcome(request, seller, model, now, self.outages)
        self.tally.attempts += 1
        self.seq += 1
        heapq.heappush(self.events, (now + latency, self.seq, request.n,
                                     (request, seller, model, usd, outcome, latency, billed,
                                      tried)))

    def run_until(self, t: float) -> None:
        """Handle every attempt that ends before ``t``."""
        events = self.events
        while events and events[0][0] <= t:
            done, _, _, (request, seller, model, usd, outcome, latency, billed, tried) = \
                heapq.heappop(events)
            if self.health is not None:
                self.health.record(seller, model, outcome, latency=latency, at=done)
            on_time = done <= request.arrival + DEADLINE
            if billed:
                self.tally.spend += usd
            if outcome == "succeeded":
                if on_time:
                    self.tally.succeeded += 1
                    self.tally.latency_sum += done - request.arrival
                    self.tally.by_bucket[int(request.arrival // BUCKET)][1] += 1
                else:
                    self.tally.late += 1
                    self.tally.wasted += usd
                continue
            if billed:
                self.tally.wasted += usd
            self._try(request, done, (*tried, seller))


def oracle(card: Catalog, request: Request, outages: tuple[Outage, ...], tally: Tally,
           chain: list[tuple[str, str, Decimal]]) -> None:
    """Try only the sellers up at arrival, cheapest first, with the request's own luck."""
    tally.requests += 1
    bucket = int(request.arrival // BUCKET)
    tally.by_bucket.setdefault(bucket, [0, 0])[0] += 1
    now = request.arrival
    for seller, model, usd in chain:
        if state_at(outages, seller, model, request.arrival) != "up":
            continue
        if now >= request.arrival + DEADLINE:
            break
        outcome, latency, billed = _outcome(request, seller, model, now, outages)
        tally.attempts += 1
        now += latency
        if billed:
            tally.spend += usd
        if outcome == "succeeded":
            if now <= request.arrival + DEADLINE:
                tally.succeeded += 1
                tally.latency_sum += now - request.arrival
                tally.by_bucket[bucket][1] += 1
            else:
                tally.late += 1
                tally.wasted += usd
            return
    tally.unserved += 1


def simulate(count: int, seed: int = 7, progress: bool = False) -> dict[str, Any]:
    """Run ``count`` requests through the three ways of routing; the figures, as data."""
    card = ratecard.load().with_credit_value("kling3api", KLING3API_CREDITS_PER_USD)
    clock = [0.0]
    health = Health(ratecard.load_health_policy(), clock=lambda: clock[0])
    aware = Gateway("health-aware", card, (), health, clock)
    blind = Gateway("health-blind", card, (), None, clock)
    best = Tally("oracle")
    stream = list(requests(count, seed)) if count <= 100_000 else None
    horizon = (stream[-1].arrival if stream else count / RATE) + DAY
    outages = schedule(horizon, seed)
    aware.outages = blind.outages = outages
    started = time.perf_counter()
    for number, request in enumerate(stream or requests(count, seed), 1):
        for gateway in (aware, blind):
            gateway.run_until(request.arrival)
        aware.arrive(request)
        priced = blind.arrive(request)  # health-blind: the chain as priced
        assert priced is not None
        oracle(card, request, outages, best,
               [(s.provider, s.model, s.usd) for s in priced.chain])
        if progress and number % 100_000 == 0:
            print(f"  {number:,} requests, {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
    for gateway in (aware, blind):
        gateway.run_until(float("inf"))
    tallies = [aware.tally, blind.tally, best]
    last = request.arrival
    return {
        "requests": count, "seed": seed, "seconds_simulated": round(last),
        "outages": [vars(o) for o in outages if o.start < last],
        "tallies": {t.name: t for t in tallies},
        "summary": [t.to_dict() for t in tallies],
        "circuits_opened": sum(s.opened for s in health.statuses()),
        "wall_seconds": round(time.perf_counter() - started, 1),
    }


def gap(tally: Tally, oracle_tally: Tally) -> Decimal:
    """Spend per request served, over the oracle's, minus one (0.05: 5 % more)."""
    mine = tally.spend / max(tally.succeeded, 1)
    best = oracle_tally.spend / max(oracle_tally.succeeded, 1)
    return (mine / best - 1).quantize(Decimal("0.0001"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    result = simulate(args.requests, args.seed, progress=True)
    tallies = result["tallies"]
    best = tallies["oracle"]
    print(f"{args.requests:,} requests (seed {args.seed}), "
          f"{result['seconds_simulated'] / DAY:.1f} days simulated, "
          f"{len(result['outages'])} outages, {result['wall_seconds']} s")
    print(f"{'routing':<14}{'success':>9}{'late':>7}{'unserved':>9}{'attempts':>10}"
          f"{'probes':>8}{'open':>7}{'spend USD':>14}{'wasted USD':>12}{'USD/success':>12}"
          f"{'vs oracle':>10}")
    for name in ("health-aware", "health-blind", "oracle"):
        t = tallies[name]
        per = (t.spend / max(t.succeeded, 1)).quantize(Decimal("0.000001"))
        print(f"{name:<14}{t.success_rate:>9.4%}{t.late:>7}{t.unserved:>9}{t.attempts:>10}"
              f"{t.probes:>8}{t.fail_open:>7}{t.spend:>14.2f}{t.wasted:>12.2f}{per:>12}"
              f"{gap(t, best):>+10.2%}")
    print(f"circuits opened: {result['circuits_opened']}")
    if args.json:
        out = {key: value for key, value in result.items() if key != "tallies"}
        for item in out["summary"]:
            item["spend_gap_vs_oracle"] = str(gap(tallies[item["name"]], best))
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
