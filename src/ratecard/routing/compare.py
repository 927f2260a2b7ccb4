"""Compare what a need costs at every seller that can serve it, cheapest first.

>>> import ratecard
>>> need = ratecard.Need(family="kling-3.0", mode="text-to-video", quality="720p",
...                      sound=True, duration=10)
>>> [(c.provider, str(c.usd)) for c in ratecard.load().compare(need).candidates][:3]
[('evolink', '1.125000'), ('comfy', '1.260000'), ('fal', '1.260000')]
"""

from __future__ import annotations

from collections.abc import Iterable

from ratecard.pricing.engine import DateArg
from ratecard.routing.candidates import Candidate, Comparison
from ratecard.routing.matching import (
    RouteIndex,
    check_family,
    evaluate_all,
    pricing_day,
    provider_set,
)
from ratecard.routing.need import Need


def compare(routes: RouteIndex, need: Need, *, providers: Iterable[str] | None = None,
            at: DateArg = None) -> Comparison:
    """Price ``need`` at every offering that can serve it (see
    :meth:`ratecard.api.Catalog.compare`)."""
    only = None if providers is None else provider_set(routes.index, providers, "providers")
    check_family(routes, need)
    candidates, exclusions = evaluate_all(routes, need, only, pricing_day(routes.index, at))
    candidates.sort(key=Candidate.sort_key)
    return Comparison(need, tuple(candidates), routes.with_unserved(need, exclusions, only))


