"""Match a need against offerings: which can serve it, at what price, and why not.

A :class:`RouteIndex` is the routing view of a :class:`~ratecard.pricing.index.PriceIndex`:
offerings by (family, mode) and, per need shape, the providers that sell nothing of it.
:func:`evaluate` prices one offering for a need with the quote engine, never with
arithmetic of its own; what cannot serve the need becomes an
:class:`~ratecard.routing.candidates.Exclusion` with a reason code.

>>> import ratecard
>>> routes = RouteIndex(ratecard.load().index)
>>> "kling-3.0" in routes.families
True
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from ratecard.errors import QuoteError, UnknownOfferingError, brief, close_matches, did_you_mean
from ratecard.money import plain
from ratecard.numbers import AMOUNT, NumberError, read_number
from ratecard.pricing.engine import DateArg, day_of
from ratecard.pricing.engine import quote as _quote
from ratecard.pricing.facts import feature_facts
from ratecard.pricing.index import PriceIndex
from ratecard.pricing.plans import OfferingPlan
from ratecard.pricing.provenance import UsedFact
from ratecard.routing.candidates import Candidate, Exclusion
from ratecard.routing.need import Need
from ratecard.vocabulary import on_off

_PLAN_LEVEL_ERRORS = frozenset({"INVALID_DURATION", "MISSING_VIDEO", "INVALID_INPUT"})
"""Engine errors that hold for every quality and sound of an offering."""


class RouteIndex:
    """Plans by (family, mode), and the provider-level exclusions of each need shape.

    Built once per :class:`~ratecard.pricing.index.PriceIndex` (a Catalog builds one when
    it is made); both are immutable, so the index never goes stale. The exclusions of
    each need shape are remembered on first use (a bounded, idempotent memo), and so is
    what each offering answers to a need on a pricing day (:meth:`evaluated`): a route
    depends on nothing else but its per-call limits (down, health, allow, deny, budget),
    and a gateway's needs repeat.
    """

    __slots__ = ("_by_key", "_evaluated", "_families", "_offered", "_providers",
                 "_settled", "_unserved", "index")

    def __init__(self, index: PriceIndex) -> None:
        self.index = index
        """The prices this routing view is over."""
        by_key: dict[tuple[str, str], list[OfferingPlan]] = {}
        offered: dict[str, dict[str, set[str]]] = {p: {} for p in index.providers}
        for plan in index.all_plans.values():
            by_key.setdefault((plan.family, plan.mode), []).append(plan)
            offered.setdefault(plan.provider, {}).setdefault(plan.family, set()).add(plan.mode)
        self._by_key = {key: tuple(sorted(value, key=lambda p: (p.provider, p.model)))
                        for key, value in sorted(by_key.items())}
        self._families = tuple(sorted({family for family, _ in by_key}))
        self._offered = offered
        self._providers = tuple(sorted(offered))
        self._unserved: dict[tuple[str | None, frozenset[str]],
                             tuple[tuple[Exclusion, ...], list[str]]] = {}
        self._evaluated: dict[tuple[Need, date | None, str, str], tuple[Evaluated, ...]] = {}
        self._settled: dict[tuple[Need, date | None, str, str],
                            tuple[tuple[Candidate, ...], tuple[Exclusion, ...],
                                  tuple[Exclusion, ...]]] = {}

    def evaluated(self, need: Need, day: date | None) -> tuple[Evaluated, ...]:
        """What each offering of the need's family and mode(s) answers to ``need`` on
        ``day``: its candidates and its exclusions (:func:`evaluate`), in offering order.
        Remembered: at most :data:`EVALUATED` needs, forgotten all at once past that."""
        # equal seconds written differently (10, 10.0) are priced alike but shown as
        # written: the key keeps how they are written
        key = (need, day, str(need.duration), str(need.input_seconds))
        found = self._evaluated.get(key)
        if found is None:
            found = tuple(_evaluated(plan, need, day) for plan in self.plans(need))
            memo = self._evaluated
            if len(memo) >= EVALUATED:
                memo.clear()
            memo[key] = found
        return found

    def settled(self, need: Need, day: date | None
                ) -> tuple[tuple[Candidate, ...], tuple[Exclusion, ...], tuple[Exclusion, ...]]:
        """Every candidate and every exclusion the offerings of the need's family and
        mode(s) answer to ``need`` on ``day`` (:meth:`evaluated`), each sorted by its
        ranking key, and those exclusions with the providers that sell none of them
        (:meth:`with_unserved`): a route without per-call limits needs nothing else.
        Remembered like :meth:`evaluated`."""
        key = (need, day, str(need.duration), str(need.input_seconds))
        found = self._settled.get(key)
        if found is None:
            evaluated = self.evaluated(need, day)
            answered = sorted((e for _, _, said in evaluated for e in said),
                              key=Exclusion.sort_key)
            found = (tuple(sorted((c for _, offered, _ in evaluated for c in offered),
                                  key=Candidate.sort_key)),
                     tuple(answered), self.with_unserved(need, answered, presorted=True))
            memo = self._settled
            if len(memo) >= EVALUATED:
                memo.clear()
            memo[key] = found
        return found

    @property
    def families(self) -> tuple[str, ...]:
        """Every family some loaded card sells, sorted."""
        return self._families

    def plans(self, need: Need) -> tuple[OfferingPlan, ...]:
        """The offerings of the need's family and mode(s)."""
        if need.family is not None and need.mode is not None:
            return self._by_key.get((need.family, need.mode), ())
        modes = need.modes
        return tuple(plan for (family, mode), plans in self._by_key.items()
                     if mode in modes and (need.family is None or family == need.family)
                     for plan in plans)

    def unserved(self, need: Need) -> tuple[Exclusion, ...]:
        """Providers selling nothing of the need's family and mode(s), with the reason,
        sorted by provider (one exclusion each)."""
        return self._unserved_sorted(need)[0]

    def _unserved_sorted(self, need: Need) -> tuple[tuple[Exclusion, ...], list[str]]:
        key = (need.family, need.modes)
        cached = self._unserved.get(key)
        if cached is None:
            found = tuple(self._providers_without(need))
            if len(self._unserved) >= EVALUATED:
                self._unserved.clear()
            cached = self._unserved[key] = (found, [e.provider for e in found])
        return cached

    def with_unserved(self, need: Need, exclusions: list[Exclusion],
                      only: frozenset[str] | None = None,
                      presorted: bool = False) -> tuple[Exclusion, ...]:
        """``exclusions`` (of offerings of the need's family and mode) and the providers
        selling none of them (:meth:`unserved`; only those in ``only``, when given),
        sorted by :meth:`Exclusion.sort_key`.

        The unserved providers are remembered sorted, and sell nothing ``exclusions`` is
        about, so only ``exclusions`` are sorted and then slotted in between them: the
        cost grows with the offerings that serve the need's family and mode, not with the
        number of providers loaded. ``presorted``: ``exclusions`` are sorted already.
        """
        if not presorted:
            exclusions.sort(key=Exclusion.sort_key)
        unserved, providers = self._unserved_sorted(need)
        if only is not None:
            kept = [e for e in unserved if e.provider in only]
            unserved, providers = tuple(kept), [e.provider for e in kept]
        if not exclusions:
            return unserved
        merged: list[Exclusion] = []
        start = 0
        first = 0
        count = len(exclusions)
        while first < count:
            provider = exclusions[first].provider
            last = first + 1
            while last < count and exclusions[last].provider == provider:
                last += 1
            at = bisect_left(providers, provider, start)
            merged += unserved[start:at]
            merged += exclusions[first:last]
            start, first = at, last
        merged += unserved[start:]
        return tuple(merged)

    def _providers_without(self, need: Need) -> Iterable[Exclusion]:
        if need.family is None:
            return
        family = need.family
        for provider in self._providers:
            families = self._offered[provider]
            modes = families.get(family)
            if modes is None:
                sells = ", ".join(sorted(families)) or "nothing"
                yield Exclusion(provider, None, None, None, "FAMILY_NOT_OFFERED",
                                f"{provider} sells no {family} offering (it sells {sells})")
            elif not modes & need.modes:
                yield Exclusion(provider, None, None, None, "MODE_NOT_OFFERED",
                                f"{provider} sells {family} only as "
                                f"{', '.join(sorted(modes))}, not {_modes(need)}")


EVALUATED = 4096
"""Most needs whose evaluation a :class:`RouteIndex` remembers."""

Evaluated = tuple[OfferingPlan, tuple[Candidate, ...], tuple[Exclusion, ...]]
"""One offering, the candidates it offers a need and the exclusions it answers."""


def _evaluated(plan: OfferingPlan, need: Need, day: date | None) -> Evaluated:
    candidates: list[Candidate] = []
    exclusions: list[Exclusion] = []
    evaluate(plan, need, day, candidates, exclusions)
    return plan, tuple(candidates), tuple(exclusions)


def evaluate_all(index: RouteIndex, need: Need, only: frozenset[str] | None,
                  day: date | None) -> tuple[list[Candidate], list[Exclusion]]:
    candidates: list[Candidate] = []
    exclusions: list[Exclusion] = []
    for plan in index.plans(need):
        if only is None or plan.provider in only:
            evaluate(plan, need, day, candidates, exclusions)
    return candidates, exclusions


def evaluate(plan: OfferingPlan, need: Need, day: date | None,
              candidates: list[Candidate], exclusions: list[Exclusion]) -> None:
    """Match ``need`` against one offering; price each matching quality x sound."""
    provider, model = plan.provider, plan.model
    missing = need.features - plan.features
    if missing:
        offered = ", ".join(sorted(plan.features)) or "none"
        exclusions.append(Exclusion(
            provider, model, None, None, "FEATURE_UNSUPPORTED",
            f"no source says {provider}/{model} takes {', '.join(sorted(missing))} "
            f"(its documented features: {offered})", facts=_features(plan)))
        return
    required = plan.required_features - need.features
    if required:
        exclusions.append(Exclusion(
            provider, model, None, None, "FEATURE_REQUIRED",
            f"{provider}/{model} prices only requests that use "
            f"{', '.join(sorted(required))}", facts=_features(plan)))
        return
    quality = need.quality
    if quality is None:
        qualities: tuple[str, ...] = plan.qualities
    elif quality in plan.qualities:
        qualities = (quality,)
    else:
        exclusions.append(_not_listed(plan, "qualities", quality, quality, None,
                                      "QUALITY_NOT_OFFERED",
                                      f"renders {', '.join(plan.qualities)}, not {quality}"))
        return
    forced = plan.forced_sound
    offered_sounds = (forced,) if forced is not None else tuple(s == "on" for s in plan.sounds)
    if need.sound is None:
        sounds = offered_sounds
    elif need.sound in offered_sounds:
        sounds = (need.sound,)
    else:
        wanted = f"sound {on_off(need.sound)}"
        if forced is not None:
            exclusions.append(_not_listed(
                plan, "forced_sound", wanted, None, need.sound, "SOUND_NOT_OFFERED",
                f"forces sound {on_off(forced)} ({plan.forced_reason}), so it does not "
                f"deliver {wanted}"))
        else:
            exclusions.append(_not_listed(
                plan, "sounds", wanted, None, need.sound, "SOUND_NOT_OFFERED",
                f"delivers sound {', '.join(plan.sounds)} only, not {wanted}"))
        return
    for q in qualities:
        for s in sounds:
            try:
                quote = _quote(plan, duration=need.duration, input_seconds=need.input_seconds,
                               quality=q, sound=s, at=day)
            except QuoteError as exc:
                if exc.code in _PLAN_LEVEL_ERRORS:
                    exclusions.append(Exclusion(provider, model, None, None, exc.code,
                                                str(exc)))
                    return
                exclusions.append(Exclusion(provider, model, q, s, exc.code, str(exc)))
                continue
            usd = quote.usd
            if usd is None:
                exclusions.append(Exclusion(
                    provider, model, q, s, "USD_UNKNOWN",
                    f"{quote.warnings[-1].rstrip('.')}; or --credits-per-usd "
                    f"{provider}=NUMBER (Catalog.with_credit_value)", quote))
                continue
            candidates.append(Candidate(provider, model, plan.family, plan.mode, q, s,
                                        quote.amount, plan.currency, usd, plan.reference,
                                        quote))


def _features(plan: OfferingPlan) -> tuple[UsedFact, ...]:
    return feature_facts(plan)


def _not_listed(plan: OfferingPlan, fact: str, wanted: str, quality: str | None,
                sound: bool | None, code: str, documented: str) -> Exclusion:
    """A need for a quality or sound the offering does not list. Where a document says
    what the offering renders (or imposes), that is the reason (``code``); otherwise the
    card only has no price for it, and says so (``UNPRICED``), never that the seller
    lacks it."""
    origin = plan.sources.origin(fact)
    listed = UsedFact(fact, ", ".join(plan.qualities) if fact == "qualities"
                      else ", ".join(plan.sounds), origin, plan.sources.touching(fact))
    where = f"{plan.provider}/{plan.model}"
    if origin is not None and origin.basis == "documented":
        disputed = "".join(f"; disputed, see the conflict {c.subject!r}"
                           for c in listed.conflicts)
        return Exclusion(plan.provider, plan.model, quality, sound, code,
                         f"{where} {documented} ({origin.document}{disputed})",
                         facts=(listed,))
    what = "qualities" if fact == "qualities" else "sounds"
    values = listed.value if fact == "qualities" else f"sound {listed.value}"
    if origin is None:
        why = f"no source says which {what} it offers"
    else:
        why = f"its {what} are inferred: {' '.join((origin.note or origin.quote or '').split())}"
    return Exclusion(plan.provider, plan.model, quality, sound, "UNPRICED",
                     f"no source prices {wanted} at {where}: the card prices {values} only; "
                     f"{why.rstrip(': ')}", facts=(listed,))


def pricing_day(index: PriceIndex, at: DateArg) -> date | None:
    """The pricing day: ``at``, else the day the index was loaded for, else ``None``
    (today, through the plans' precomputed current prices)."""
    if at is None:
        return index.today
    return day_of(at)


def check_need(need: object) -> None:
    """Raise :class:`~ratecard.errors.QuoteError` (``INVALID_NEED``) for anything but a
    :class:`~ratecard.routing.need.Need`."""
    if not isinstance(need, Need):
        raise QuoteError("INVALID_NEED", f"need must be a ratecard.Need, not "
                         f"{type(need).__name__} {brief(need)}", "need")


def check_family(index: RouteIndex, need: Need) -> None:
    """Raise :class:`~ratecard.errors.UnknownOfferingError` for a family nobody sells (and
    :class:`~ratecard.errors.QuoteError` for a need that is not a Need)."""
    check_need(need)
    family = need.family
    if family is not None and family not in index.families:
        close = close_matches(family, index.families)
        raise UnknownOfferingError(
            "UNKNOWN_FAMILY",
            f"no loaded card sells family {brief(family)}{did_you_mean(close)} (known: "
            f"{', '.join(index.families)})", "family", close)


def provider_set(index: PriceIndex, names: object, what: str) -> frozenset[str]:
    """The provider names given for ``what`` (``down``, ``allow``, ...), each checked: a
    name that is not text, or names that are not a list, are a
    :class:`~ratecard.errors.QuoteError` (``INVALID_INPUT``)."""
    if isinstance(names, str):
        names = (names,)
    if not isinstance(names, Iterable) or isinstance(names, bytes | Mapping):
        raise QuoteError("INVALID_INPUT", f"{what} must be a list of provider names, not "
                         f"{type(names).__name__} {brief(names)}", what)
    known = index.providers
    chosen: set[str] = set()
    for name in names:
        if type(name) is not str:
            raise QuoteError("INVALID_INPUT", f"{what}: a provider name must be text, not "
                             f"{type(name).__name__} {brief(name)}", what)
        if name not in known:
            close = close_matches(name, known)
            raise UnknownOfferingError(
                "UNKNOWN_PROVIDER",
                f"{what}: unknown provider {brief(name)}{did_you_mean(close)} "
                f"(known: {', '.join(known)})",
                what, close)
        chosen.add(name)
    return frozenset(chosen)


def budget_of(value: object) -> Decimal:
    """``max_usd`` as an exact Decimal >= 0."""
    try:
        budget = read_number(value, AMOUNT, "max_usd")
    except NumberError as exc:
        raise QuoteError("INVALID_BUDGET", str(exc), "max_usd") from None
    if budget < 0:
        raise QuoteError("INVALID_BUDGET", f"max_usd must be 0 or more, not {plain(budget)}",
                         "max_usd")
    return budget


def _modes(need: Need) -> str:
    return need.mode if need.mode is not None else " or ".join(sorted(need.modes))


