"""How long one ``card.route(need)`` takes over every built-in card, once loaded.

The need is the typical gateway job: Kling 3.0 image-to-video, 1080p, sound on, 10 s.
Compared, in the same run, with a plain loop of ``card.quote`` over the offerings that
serve it (already known, so no matching, no exclusions, no ranking): the ratio is what
matching every offering, explaining every exclusion and ranking costs. A cold route (a
new Catalog, so the (family, mode) index is built first) is shown too.

    python bench/bench_route.py [--repeats 15] [--number 5000] [--json bench/results/route.json]
"""

from __future__ import annotations

import argparse
from decimal import Decimal

import ratecard
from _report import per_call_us, report, row

NEED = ratecard.Need(family="kling-3.0", mode="image-to-video", quality="1080p", sound=True,
                     duration=10)
LIMIT_US = 50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--number", type=int, default=5000)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()

    card = ratecard.load()
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
            q = card.quote(provider, model, duration=10, quality="1080p", sound=True)
            if q.usd is not None:
                priced.append((q.usd, provider))
        priced.sort()
        return priced

    assert [p for _, p in plain_loop()] == [c.provider for c in route.chain]

    base = per_call_us(plain_loop, args.repeats, args.number)
    ours = per_call_us(lambda: card.route(NEED), args.repeats, args.number)
    downed = per_call_us(lambda: card.route(NEED, down=("evolink",), max_usd="2"),
                         args.repeats, args.number)
    compare = per_call_us(lambda: card.compare(NEED), args.repeats, args.number)
    plans = card.plans()
    files = card.files

    def cold() -> object:
        fresh = ratecard.Catalog({(p.provider, p.model): p for p in plans}, files)
        return fresh.route(NEED)

    cold_samples = per_call_us(cold, args.repeats, max(1, args.number // 50))
    base_median = float(row("", base, "us")["median"])

    def ratio(samples: list[float]) -> float:
        return float(row("", samples, "us")["median"]) / base_median

    rows = [
        row(f"plain loop of card.quote over the {len(serving)} serving offerings", base, "us",
            ratio=1.0),
        row(f"card.route(need), {len(card.plans())} offerings in {len(card.providers)} cards",
            ours, "us", ratio=ratio(ours), limit=f"{LIMIT_US} us"),
        row("card.route(need, down=..., max_usd=...)", downed, "us", ratio=ratio(downed)),
        row("card.compare(need)", compare, "us", ratio=ratio(compare)),
        row("new Catalog + first route (index built)", cold_samples, "us",
            ratio=ratio(cold_samples)),
    ]
    report("card.route() per call, Catalog loaded "
           "(kling-3.0 image-to-video 1080p sound on 10 s)", rows, args.json)


if __name__ == "__main__":
    main()
