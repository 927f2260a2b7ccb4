"""How long one ``card.route(need)`` takes, over the built-in cards and over 700 providers.

The need is the typical gateway job: Kling 3.0 image-to-video, 1080p, sound on, 10 s.
Compared, in the same run, with a plain loop of ``card.quote(..., at=day)`` over the
offerings that serve it (already known, so no matching, no exclusions, no ranking; dated,
so the quote memo does not answer for it): the ratio is what matching every offering,
explaining every exclusion and ranking costs.

- built-in cards: what each offering answers a need is remembered per need and pricing
  day; the per-call limits (down, health, allow, deny, budget) are applied on top.
- 700 providers (4,800 offerings): 100 copies of the built-in offerings under new
  provider ids, each copy selling its own families (``kling-3.0-g001``, ...), so the same
  7 providers serve the need and 693 sell nothing of it. The providers selling nothing of
  a need are kept sorted per need shape and the other exclusions slotted in between, so
  the cost grows with the offerings that serve, not with the catalog (it was 3.9 ms,
  linear, when every exclusion was sorted on each call).
- a new Catalog and its first route: the price index (plans already resolved for the
  day are reused), the routing index and one evaluation of the need. Where its time goes
  (cProfile, 1,000 new Catalogs over the built-in plans): checking that each of the 48
  plans is resolved for the day (``OfferingPlan.as_of``, now without building anything
  when it is) about 23 %, building the routing index (offerings by family and mode,
  sorted) about 23 %, evaluating the need's 8 offerings (5 engine quotes, the exclusions
  with their facts, sorting) about 30 %. The check cost about 35 % when it built each
  plan's cells in force to compare them: medians 154 -> 129 us a new Catalog and route
  (ratio to the plain loop 10.2 -> 8.7; this script, ``--repeats 7 --number 1000``,
  quiet machine, 2026-12-04, the earlier ``plans.py`` swapped in for the first figure).
  It was 620 us (1.4 ms under load in this run's conditions) when every plan was copied
  (``dataclasses.replace``) for each new Catalog. The check's answer is now remembered
  per plan and day (``plans._RESOLVED``): in a cProfile of 1,000 new Catalogs its share
  fell from about 28 % to about 10 %; timed in one process, interleaved, with the memo
  bypassed and not, it saved about 10 % of a new Catalog and its route (2026-12-07, a
  machine with a load average of 6 to 9 on 2 cores: the figures move 20 % run to run).

A route without per-call limits on sellers (down, deny, allow), and with every circuit it
reads closed when ``health`` is given, is read from the remembered, sorted answers of the
need (candidates, exclusions, the providers selling none of it): what is left per call is
checking the arguments, the budget and reference filter, and building the Route.

    python bench/bench_route.py [--repeats 15] [--number 5000] [--json bench/results/route.json]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import ratecard
from _report import per_call_us, ratio_row, report, row

NEED = ratecard.Need(family="kling-3.0", mode="image-to-video", quality="1080p", sound=True,
                     duration=10)
ROUTE_GOAL_US = 15
CROWD_GOAL_US = 400
COLD_GOAL_US = 100


def crowded(card: ratecard.Catalog, groups: int) -> ratecard.Catalog:
    """``groups`` copies of the built-in offerings; copy 0 keeps the built-in names."""
    plans = {}
    files = {}
    for group in range(groups):
        for plan in card.plans():
            name = plan.provider if group == 0 else f"{plan.provider}-g{group:03d}"
            family = plan.family if group == 0 else f"{plan.family}-g{group:03d}"
            plans[(name, plan.model)] = replace(plan, provider=name, family=family)
            files[name] = card.files[plan.provider]
    return ratecard.Catalog(plans, files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--number", type=int, default=5000)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()

    card = ratecard.load()
    day = date.today()
    route = card.route(NEED)
    assert route.head is not None, "nothing serves the benchmark need"
    assert route.head.usd == Decimal("1.500000"), route.head
    serving = [(c.provider, c.model) for c in card.compare(NEED).candidates] + [
        (e.provider, e.model) for e in route.exclusions if e.code == "USD_UNKNOWN"]
    assert serving, "no offering serves the benchmark need"

    def plain_loop() -> list[tuple[Decimal, str]]:
        priced = []
        for provider, model in serving:
            assert model is not None
            q = card.quote(provider, model, duration=10, quality="1080p", sound=True, at=day)
            if q.usd is not None:
                priced.append((q.usd, provider))
        priced.sort()
        return priced

    assert [p for _, p in plain_loop()] == [c.provider for c in route.chain]
    big = crowded(card, 100)
    big_route = big.route(NEED)
    assert big_route.chain == route.chain
    assert len(big.providers) == 700, len(big.providers)

    def timed(func: Callable[[], object], scale: int = 1) -> list[float]:
        return per_call_us(func, args.repeats, max(1, args.number // scale))

    plans = card.plans()
    files = card.files

    def cold() -> object:
        fresh = ratecard.Catalog({(p.provider, p.model): p for p in plans}, files)
        return fresh.route(NEED)

    base = row(f"plain loop of card.quote(at=) over the {len(serving)} serving offerings",
               timed(plain_loop), "us", ratio=1.0)
    rows: list[dict[str, Any]] = [base]
    rows.append(ratio_row(f"card.route(need), {len(plans)} offerings in "
                          f"{len(card.providers)} cards", timed(lambda: card.route(NEED)),
                          "us", base, goal=ROUTE_GOAL_US, measure="route, built-in cards"))
    rows.append(ratio_row("card.route(need, down=..., max_usd=...)",
                          timed(lambda: card.route(NEED, down=("evolink",), max_usd="2")),
                          "us", base))
    rows.append(ratio_row("card.compare(need)", timed(lambda: card.compare(NEED)), "us",
                          base))
    rows.append(ratio_row(f"card.route(need), {len(big.plans())} offerings of "
                          f"{len(big.providers)} providers", timed(lambda: big.route(NEED)),
                          "us", base, goal=CROWD_GOAL_US,
                          measure="route, 700 providers (4,800 offerings)"))
    rows.append(ratio_row("the same with down=..., max_usd=...",
                          timed(lambda: big.route(NEED, down=("evolink",), max_usd="2")),
                          "us", base))
    rows.append(ratio_row("new Catalog + first route (index built)", timed(cold, 5), "us",
                          base, goal=COLD_GOAL_US, measure="first route on a new Catalog"))
    report("card.route() per call, Catalog loaded "
           "(kling-3.0 image-to-video 1080p sound on 10 s; shared 2-core machine)", rows,
           args.json)


if __name__ == "__main__":
    main()
