"""Compare what a need costs at every seller, and route it to the cheapest available one.

Every candidate is priced by the quote engine (:func:`ratecard.engine.quote`), never by
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
['FAMILY_NOT_OFFERED', 'FEATURE_REQUIRED', 'QUALITY_NOT_OFFERED', 'USD_UNKNOWN']
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ratecard.compiled import OfferingPlan
from ratecard.engine import DateArg, day_of
from ratecard.engine import quote as _quote
from ratecard.errors import QuoteError, UnknownOfferingError
from ratecard.money import plain, to_decimal
from ratecard.need import Need
from ratecard.quote import Quote

if TYPE_CHECKING:
    from ratecard.catalog import Catalog

REASONS: dict[str, str] = {
    "FAMILY_NOT_OFFERED": "the provider sells no offering of the need's family",
    "MODE_NOT_OFFERED": "the provider sells the family, but not in the need's mode",
    "FEATURE_UNSUPPORTED": "the need uses a feature the offering does not list",
    "FEATURE_REQUIRED": "the offering's price applies only to requests using a feature "
                        "the need does not use",
    "QUALITY_NOT_OFFERED": "the offering does not render the need's quality",
    "SOUND_NOT_OFFERED": "the offering does not deliver the need's sound setting",
    "INVALID_DURATION": "the need's length is outside what the offering accepts",
    "MISSING_VIDEO": "the offering is billed by the input video's length",
    "INVALID_INPUT": "the offering is billed by output duration, not an input video",
    "UNPRICED_DATE": "the offering has no price in force on the date",
    "USD_UNKNOWN": "the card's credit value is unknown, so the USD amount is unknown",
    "REFERENCE_ONLY": "a reference card: compared, never routed to unless asked",
    "DOWN": "the provider is marked down",
    "DENIED": "the provider is denied",
    "NOT_ALLOWED": "the provider is not in the allow list",
    "OVER_BUDGET": "the USD amount is over max_usd",
}
"""Every reason code an :class:`Exclusion` may carry, with what it means."""

_PLAN_LEVEL_ERRORS = frozenset({"INVALID_DURATION", "MISSING_VIDEO", "INVALID_INPUT"})
"""Engine errors that hold for every quality and sound of an offering."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One offering x quality x sound that serves the need, priced by the engine."""

    provider: str
    model: str
    family: str
    mode: str
    quality: str
    sound: bool
    credits: Decimal
    """The rounded amount in the card's own currency (credits, or USD on a USD card)."""
    currency: str
    usd: Decimal
    """The rounded USD amount: always known for a candidate."""
    reference: bool
    """From a reference card (compared, not routed to unless asked)."""
    quote: Quote = field(compare=False, repr=False)
    """The engine's quote, with its steps and warnings (not part of equality)."""

    def sort_key(self) -> tuple[Decimal, bool, str, str, str, bool]:
        """The ranking key: USD, reference last, provider, model, quality, sound."""
        return (self.usd, self.reference, self.provider, self.model, self.quality, self.sound)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form: amounts as decimal strings."""
        q = self.quote
        return {
            "provider": self.provider, "model": self.model, "family": self.family,
            "mode": self.mode, "quality": self.quality, "sound": _on(self.sound),
            "billed_seconds": None if q.billed_seconds is None else plain(q.billed_seconds),
            "currency": self.currency, "amount": plain(self.credits),
            "usd": plain(self.usd), "reference": self.reference,
            "price_version": q.price_version, "source": q.source,
            "warnings": list(q.warnings),
        }


@dataclass(frozen=True, slots=True)
class Exclusion:
    """An offering (or a whole provider, ``model`` ``None``) left out, and why."""

    provider: str
    model: str | None
    quality: str | None
    """The quality concerned; ``None`` when the reason holds for every quality."""
    sound: bool | None
    """The sound concerned; ``None`` when the reason holds for every sound."""
    code: str
    """A stable reason code: see :data:`REASONS`."""
    message: str
    """What is wrong, in words, naming the offering and the value at fault."""
    quote: Quote | None = field(default=None, compare=False, repr=False)
    """The quote, when the offering could be priced (``USD_UNKNOWN``, ``OVER_BUDGET``,
    ``REFERENCE_ONLY``); not part of equality."""

    def sort_key(self) -> tuple[str, str, str, int, str]:
        """Provider, model, quality, sound, code."""
        sound = -1 if self.sound is None else int(self.sound)
        return (self.provider, self.model or "", self.quality or "", sound, self.code)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form; the amount when the offering could be priced."""
        q = self.quote
        return {
            "provider": self.provider, "model": self.model, "quality": self.quality,
            "sound": None if self.sound is None else _on(self.sound), "code": self.code,
            "message": self.message,
            "currency": None if q is None else q.currency,
            "amount": None if q is None else plain(q.amount),
            "usd": None if q is None or q.usd is None else plain(q.usd),
        }


@dataclass(frozen=True)
class Comparison:
    """Every candidate for a need, cheapest first, and every offering left out."""

    need: Need
    candidates: tuple[Candidate, ...]
    """Sorted by the tie-break rule (see the module docs)."""
    exclusions: tuple[Exclusion, ...]
    """Sorted by provider, model, quality, sound, code."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form: amounts as decimal strings."""
        return {
            "need": self.need.to_dict(),
            "candidates": [dict(rank=i, **c.to_dict())
                           for i, c in enumerate(self.candidates, 1)],
            "excluded": [e.to_dict() for e in self.exclusions],
        }


@dataclass(frozen=True)
class Route:
    """The fallback chain for a need: the cheapest available candidate first."""

    need: Need
    chain: tuple[Candidate, ...]
    """Try in this order; sorted by the tie-break rule."""
    exclusions: tuple[Exclusion, ...]
    down: frozenset[str] = frozenset()
    allow: frozenset[str] | None = None
    deny: frozenset[str] = frozenset()
    max_usd: Decimal | None = None
    include_reference: bool = False

    @property
    def head(self) -> Candidate | None:
        """Where to send the job, or ``None`` when nothing can serve it."""
        return self.chain[0] if self.chain else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form: amounts as decimal strings."""
        return {
            "need": self.need.to_dict(),
            "down": sorted(self.down),
            "allow": None if self.allow is None else sorted(self.allow),
            "deny": sorted(self.deny),
            "max_usd": None if self.max_usd is None else plain(self.max_usd),
            "include_reference": self.include_reference,
            "chain": [dict(rank=i, **c.to_dict()) for i, c in enumerate(self.chain, 1)],
            "excluded": [e.to_dict() for e in self.exclusions],
        }


class RouteIndex:
    """Plans by (family, mode), and the provider-level exclusions of each need shape.

    Built once per :class:`~ratecard.catalog.Catalog` (lazily, on its first compare or
    route) and kept on it; the catalog is immutable, so the index never goes stale.
    """

    __slots__ = ("_by_key", "_families", "_offered", "_providers", "_unserved")

    def __init__(self, plans: Iterable[OfferingPlan], providers: Iterable[str]) -> None:
        by_key: dict[tuple[str, str], list[OfferingPlan]] = {}
        offered: dict[str, dict[str, set[str]]] = {p: {} for p in providers}
        for plan in plans:
            by_key.setdefault((plan.family, plan.mode), []).append(plan)
            offered.setdefault(plan.provider, {}).setdefault(plan.family, set()).add(plan.mode)
        self._by_key = {key: tuple(sorted(value, key=lambda p: (p.provider, p.model)))
                        for key, value in sorted(by_key.items())}
        self._families = tuple(sorted({family for family, _ in by_key}))
        self._offered = offered
        self._providers = tuple(sorted(offered))
        self._unserved: dict[tuple[str | None, frozenset[str]], tuple[Exclusion, ...]] = {}

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
        """Providers selling nothing of the need's family and mode(s), with the reason."""
        key = (need.family, need.modes)
        cached = self._unserved.get(key)
        if cached is None:
            cached = self._unserved[key] = tuple(self._providers_without(need))
        return cached

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


def compare(catalog: Catalog, need: Need, *, providers: Iterable[str] | None = None,
            at: DateArg = None) -> Comparison:
    """Price ``need`` at every offering that can serve it (see :meth:`Catalog.compare`)."""
    index = catalog.routing_index()
    only = None if providers is None else _provider_set(catalog, providers, "providers")
    _check_family(index, need)
    candidates, exclusions = _evaluate_all(index, need, only, _day(catalog, at))
    candidates.sort(key=Candidate.sort_key)
    unserved = [e for e in index.unserved(need) if only is None or e.provider in only]
    exclusions.extend(unserved)
    exclusions.sort(key=Exclusion.sort_key)
    return Comparison(need, tuple(candidates), tuple(exclusions))


def route(catalog: Catalog, need: Need, *, down: Iterable[str] = (),
          max_usd: object = None, allow: Iterable[str] | None = None,
          deny: Iterable[str] = (), include_reference: bool = False,
          at: DateArg = None) -> Route:
    """The fallback chain for ``need`` (see :meth:`Catalog.route`)."""
    if need.family is None or need.mode is None:
        raise QuoteError("INVALID_NEED", "route needs a family and a mode (a job is one "
                         "model doing one thing); compare accepts any", "family")
    index = catalog.routing_index()
    _check_family(index, need)
    down_set = _provider_set(catalog, down, "down")
    deny_set = _provider_set(catalog, deny, "deny")
    allow_set = None if allow is None else _provider_set(catalog, allow, "allow")
    budget = None if max_usd is None else _budget(max_usd)
    day = _day(catalog, at)
    candidates: list[Candidate] = []
    exclusions: list[Exclusion] = list(index.unserved(need))
    for plan in index.plans(need):
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
        else:
            _evaluate(plan, need, day, candidates, exclusions)
    chain = []
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
    chain.sort(key=Candidate.sort_key)
    exclusions.sort(key=Exclusion.sort_key)
    return Route(need, tuple(chain), tuple(exclusions), down=down_set, allow=allow_set,
                 deny=deny_set, max_usd=budget, include_reference=include_reference)


def _evaluate_all(index: RouteIndex, need: Need, only: frozenset[str] | None,
                  day: date | None) -> tuple[list[Candidate], list[Exclusion]]:
    candidates: list[Candidate] = []
    exclusions: list[Exclusion] = []
    for plan in index.plans(need):
        if only is None or plan.provider in only:
            _evaluate(plan, need, day, candidates, exclusions)
    return candidates, exclusions


def _evaluate(plan: OfferingPlan, need: Need, day: date | None,
              candidates: list[Candidate], exclusions: list[Exclusion]) -> None:
    """Match ``need`` against one offering; price each matching quality x sound."""
    provider, model = plan.provider, plan.model
    missing = need.features - plan.features
    if missing:
        offered = ", ".join(sorted(plan.features)) or "none documented"
        exclusions.append(Exclusion(
            provider, model, None, None, "FEATURE_UNSUPPORTED",
            f"{provider}/{model} does not support {', '.join(sorted(missing))} "
            f"(its features: {offered})"))
        return
    required = plan.required_features - need.features
    if required:
        exclusions.append(Exclusion(
            provider, model, None, None, "FEATURE_REQUIRED",
            f"{provider}/{model} prices only requests that use "
            f"{', '.join(sorted(required))}"))
        return
    quality = need.quality
    if quality is None:
        qualities: tuple[str, ...] = plan.qualities
    elif quality in plan.qualities:
        qualities = (quality,)
    else:
        exclusions.append(Exclusion(
            provider, model, quality, None, "QUALITY_NOT_OFFERED",
            f"{provider}/{model} renders {', '.join(plan.qualities)}, not {quality}"))
        return
    forced = plan.forced_sound
    offered_sounds = (forced,) if forced is not None else tuple(s == "on" for s in plan.sounds)
    if need.sound is None:
        sounds = offered_sounds
    elif need.sound in offered_sounds:
        sounds = (need.sound,)
    else:
        why = f" ({plan.forced_reason})" if forced is not None else ""
        exclusions.append(Exclusion(
            provider, model, None, need.sound, "SOUND_NOT_OFFERED",
            f"{provider}/{model} delivers sound {', '.join(_on(s) for s in offered_sounds)}"
            f" only, not sound {_on(need.sound)}{why}"))
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


def _day(catalog: Catalog, at: DateArg) -> date | None:
    """The pricing day: ``at``, else the day the catalog was loaded for, else ``None``
    (today, through the plans' precomputed current prices)."""
    if at is None:
        return catalog._today
    return day_of(at)


def _excluded(candidate: Candidate, code: str, message: str) -> Exclusion:
    return Exclusion(candidate.provider, candidate.model, candidate.quality, candidate.sound,
                     code, message, candidate.quote)


def _check_family(index: RouteIndex, need: Need) -> None:
    family = need.family
    if family is not None and family not in index.families:
        close = difflib.get_close_matches(family, index.families, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownOfferingError(
            "UNKNOWN_FAMILY",
            f"no loaded card sells family {family!r}{hint} (known: "
            f"{', '.join(index.families)})", "family", close)


def _provider_set(catalog: Catalog, names: Iterable[str], what: str) -> frozenset[str]:
    chosen = frozenset((names,) if isinstance(names, str) else names)
    known = catalog.providers
    for name in sorted(chosen):
        if name not in known:
            close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise UnknownOfferingError(
                "UNKNOWN_PROVIDER",
                f"{what}: unknown provider {name!r}{hint} (known: {', '.join(known)})",
                what, close)
    return chosen


def _budget(value: object) -> Decimal:
    try:
        budget = to_decimal(value, "max_usd")
    except ValueError as exc:
        raise QuoteError("INVALID_BUDGET", str(exc), "max_usd") from None
    if budget < 0:
        raise QuoteError("INVALID_BUDGET", f"max_usd must be 0 or more, not {plain(budget)}",
                         "max_usd")
    return budget


def _modes(need: Need) -> str:
    return need.mode if need.mode is not None else " or ".join(sorted(need.modes))


def _on(sound: bool) -> str:
    return "on" if sound else "off"
