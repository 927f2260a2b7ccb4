"""Route a need to the cheapest available seller, with the fallback order.

Every candidate is priced by the quote engine (:func:`ratecard.pricing.engine.quote`), never by
arithmetic of its own. An offering that cannot serve the need, or cannot be priced in
USD, is listed apart with a reason code and a message; nothing unpriced is ranked, and
nothing is ever taken as free.

**Order** (the tie-break rule): USD amount ascending (the card's rounded USD, exact
Decimal); then non-reference before reference cards; then provider id, model id, quality
and sound (off before on), each ascending as text. The order depends only on the cards'
contents, never on the order they were loaded in.

>>> import ratecard
>>> card = ratecard.load()
>>> need = ratecard.Need(family="kling-3.0", mode="image-to-video", quality="1080p",
...                      sound=True, duration=10)
>>> r = card.route(need)
>>> [(c.provider, c.model, str(c.usd)) for c in r.chain][:3]  # doctest: +NORMALIZE_WHITESPACE
[('evolink', 'kling-v3-image-to-video', '1.500000'),
 ('comfy', 'kling-v3-image-to-video', '1.680000'),
 ('fal', 'v3-pro-image-to-video', '1.680000')]
>>> sorted({e.code for e in r.exclusions})
['FAMILY_NOT_OFFERED', 'FEATURE_REQUIRED', 'QUALITY_NOT_OFFERED', 'UNPRICED', 'USD_UNKNOWN']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from ratecard.errors import QuoteError
from ratecard.money import plain
from ratecard.pricing.engine import DateArg
from ratecard.pricing.plans import OfferingPlan
from ratecard.routing.candidates import REASONS, Candidate, Exclusion, Route
from ratecard.routing.health import CLOSED, OPEN, CircuitView, Health
from ratecard.routing.matching import (
    RouteIndex,
    budget_of,
    check_family,
    check_need,
    pricing_day,
    provider_set,
)
from ratecard.routing.need import Need

__all__ = ["REASONS", "route"]


def route(routes: RouteIndex, need: Need, *, down: Iterable[str] = (),
          health: Health | None = None, max_usd: object = None,
          allow: Iterable[str] | None = None, deny: Iterable[str] = (),
          include_reference: bool = False, at: DateArg = None) -> Route:
    """The fallback chain for ``need`` (see :meth:`ratecard.api.Catalog.route`)."""
    check_need(need)
    if need.family is None or need.mode is None:
        raise QuoteError("INVALID_NEED", "route needs a family and a mode (a job is one "
                         "model doing one thing); compare accepts any", "family")
    check_family(routes, need)
    index = routes.index
    # the defaults, by type: ``== ()`` would ask an array argument for its truth value
    down_set = _NONE if type(down) is tuple and not down else provider_set(index, down, "down")
    deny_set = _NONE if type(deny) is tuple and not deny else provider_set(index, deny, "deny")
    allow_set = None if allow is None else provider_set(index, allow, "allow")
    budget = None if max_usd is None else budget_of(max_usd)
    now = None if health is None else health_now(health)
    day = pricing_day(index, at)
    views = None
    unlimited = down_set is _NONE and deny_set is _NONE and allow_set is None
    if unlimited and health is not None:
        assert now is not None
        views = health.views([(p.provider, p.model)
                              for p, offered, _ in routes.evaluated(need, day) if offered], now)
        unlimited = all(view[0] is CLOSED for view in views)
    if unlimited:
        # no per-call limit on sellers (every circuit closed): the remembered, sorted
        # answers are the route's
        settled, answered, complete = routes.settled(need, day)
        candidates: Sequence[Candidate] = settled
        exclusions = list(answered)
        presorted = True
    else:
        candidates, exclusions = _limited(routes, need, day, down_set, deny_set,
                                          allow_set, health, now, views)
        presorted = False
        complete = ()
    chain = []
    added = len(exclusions)
    for candidate in candidates:
        if candidate.reference and not include_reference:
            exclusions.append(_excluded(candidate, "REFERENCE_ONLY",
                              f"{candidate.provider} is a reference price list: compared, "
                              "never routed to (include_reference=True or "
                              "--include-reference routes to it)"))
        elif budget is not None and candidate.usd > budget:
            exclusions.append(_excluded(candidate, "OVER_BUDGET",
                              f"{plain(candidate.usd)} USD is over the budget of "
                              f"{plain(budget)} USD"))
        else:
            chain.append(candidate)
    if not presorted:
        chain.sort(key=Candidate.sort_key)
    if presorted and len(exclusions) == added:
        ranked = complete  # nothing added: the remembered answer
    else:
        ranked = routes.with_unserved(need, exclusions)
    return Route(need, tuple(chain), ranked, down=down_set, allow=allow_set, deny=deny_set,
                 max_usd=budget, include_reference=include_reference, health_at=now)


_NONE: frozenset[str] = frozenset()


def _limited(routes: RouteIndex, need: Need, day: date | None, down_set: frozenset[str],
             deny_set: frozenset[str], allow_set: frozenset[str] | None,
             health: Health | None, now: float | None,
             read: list[CircuitView] | None
             ) -> tuple[list[Candidate], list[Exclusion]]:
    """The candidates and exclusions of the need's offerings under the per-call limits on
    sellers (down, deny, allow, health), unsorted. ``read``: the circuits of the offered
    offerings the limits leave, already read from ``health``."""
    candidates: list[Candidate] = []
    exclusions: list[Exclusion] = []
    evaluated = routes.evaluated(need, day)
    if read is None and health is not None:
        read = health.views(
            [(p.provider, p.model) for p, offered, _ in evaluated
             if offered and p.provider not in down_set and p.provider not in deny_set
             and (allow_set is None or p.provider in allow_set)], now or 0.0)
    views = None if read is None else iter(read)
    for plan, offered, answered in evaluated:
        provider = plan.provider
        if provider in down_set:
            exclusions.append(Exclusion(provider, plan.model, None, None, "DOWN",
                                        f"{provider} is marked down"))
        elif provider in deny_set:
            exclusions.append(Exclusion(provider, plan.model, None, None, "DENIED",
                                        f"{provider} is denied"))
        elif allow_set is not None and provider not in allow_set:
            exclusions.append(Exclusion(provider, plan.model, None, None, "NOT_ALLOWED",
                                        f"{provider} is not in the allow list"))
        elif views is not None and offered:
            assert health is not None
            assert now is not None
            healthy(plan, offered, next(views), health, now, candidates, exclusions)
            exclusions.extend(answered)
        else:
            candidates.extend(offered)
            exclusions.extend(answered)
    return candidates, exclusions


def health_now(health: object) -> float:
    """The time of ``health``'s clock; anything but a :class:`~ratecard.Health` is an
    ``INVALID_HEALTH`` error."""
    if not isinstance(health, Health):
        raise QuoteError("INVALID_HEALTH", f"health must be a ratecard.Health, not "
                         f"{type(health).__name__}", "health")
    return health.now()


def healthy(plan: OfferingPlan, offered: tuple[Candidate, ...],
            view: CircuitView, health: Health, now: float,
            candidates: list[Candidate], exclusions: list[Exclusion]) -> None:
    """Add ``plan``'s candidates once its circuit (``view``) allows them: an open
    circuit, or a half-open one with every probe in flight, is ``UNHEALTHY`` instead; the
    candidates of a half-open one are offered as probes."""
    provider, model = plan.provider, plan.model
    state, retry_at, left, _ = view
    if state is CLOSED:
        candidates.extend(offered)
        return
    policy = health.policy.for_seller(provider)
    if state is OPEN:
        assert retry_at is not None
        exclusions.append(Exclusion(
            provider, model, None, None, "UNHEALTHY",
            f"{provider}/{model}: circuit open after {policy.failures} failures within "
            f"{policy.window:g} s; it may be probed in {retry_at - now:.0f} s",
            retry_at=retry_at))
        return
    if not left:
        assert retry_at is not None
        exclusions.append(Exclusion(
            provider, model, None, None, "UNHEALTHY",
            f"{provider}/{model}: circuit half-open with its {policy.probes} probe(s) in "
            f"flight; retry once one reports, or in {retry_at - now:.0f} s when the oldest "
            "times out", retry_at=retry_at))
        return
    candidates.extend(replace(c, probe=True) for c in offered)


def _excluded(candidate: Candidate, code: str, message: str) -> Exclusion:
    return Exclusion(candidate.provider, candidate.model, candidate.quality, candidate.sound,
                     code, message, candidate.quote)
