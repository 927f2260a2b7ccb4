"""Route the body you hold: the fallback chain, each step with its seller, model, quote and
the body to send there.

The body is read and checked at its source (:func:`~ratecard.payloads.translate.read_source`);
the canonical need it describes (family, mode, quality, sound, length, the features it
uses) is routed by :func:`~ratecard.routing.route.route` (prices, budget, allow and deny
lists, ``down`` and :class:`~ratecard.Health`); then each candidate, cheapest first, gets
the body translated into its dialect and priced there by ``quote_payload``'s pipeline.
A candidate whose seller has no documented body format is excluded as ``NO_DIALECT``
(with its price: it can be compared, not sent a body); one that cannot express the
request, or would refuse the body it becomes, as ``CANNOT_EXPRESS`` with every reason in
:attr:`PayloadRoute.refusals` (so is an offering the route left out for a feature it
does not list, when ratecard can write its bodies: the reasons then say all that stops
the body, not only the feature). The source's own offering gets the body unchanged.

>>> import ratecard
>>> card = ratecard.load().with_credit_value("kling3api", 500)
>>> body = {"model": "kling-v3-image-to-video", "prompt": "Dusk",
...         "image_start": "https://example.com/a.jpg", "duration": 10, "quality": "1080p",
...         "sound": "on"}
>>> r = card.route_payload(body, source="evolink")
>>> [(s.provider, s.model, str(s.usd)) for s in r.chain]  # doctest: +NORMALIZE_WHITESPACE
[('evolink', 'kling-v3-image-to-video', '1.500000'),
 ('kling3api', 'pro-image-to-video', '1.600000')]
>>> r.chain[1].body["sound"], sorted({e.code for e in r.exclusions if e.model})[:2]
(True, ['FEATURE_REQUIRED', 'NO_DIALECT'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ratecard.money import plain
from ratecard.payloads.dialects import dialect_for
from ratecard.payloads.pipeline import Body
from ratecard.payloads.request import Request, VideoInfo
from ratecard.payloads.translate import (
    Source,
    Translation,
    TranslationError,
    features_of,
    read_source,
    serves,
    translate_to,
)
from ratecard.payloads.violations import PayloadError, Violation
from ratecard.pricing.engine import DateArg
from ratecard.pricing.quote import Quote
from ratecard.routing.candidates import Candidate, Exclusion, Route, caveats
from ratecard.routing.health import Health
from ratecard.routing.matching import RouteIndex
from ratecard.routing.need import Need
from ratecard.routing.route import route
from ratecard.vocabulary import EDIT_MODES, on_off


@dataclass(frozen=True, slots=True)
class PayloadStep:
    """One step of the fallback chain: where to send, what to send, what it costs."""

    candidate: Candidate
    """The priced candidate the route ranked (provider, model, quality, sound, USD)."""
    translation: Translation
    """The body for this seller and its quote (priced by ``quote_payload``'s pipeline)."""

    @property
    def provider(self) -> str:
        return self.candidate.provider

    @property
    def model(self) -> str:
        return self.candidate.model

    @property
    def body(self) -> dict[str, Any]:
        """The body to send to this seller."""
        return self.translation.body

    @property
    def quote(self) -> Quote:
        """The seller's price for :attr:`body`."""
        return self.translation.quote

    @property
    def usd(self) -> Decimal:
        """The price in USD (every step's is known: the route ranks only those)."""
        usd = self.translation.quote.usd
        assert usd is not None
        return usd

    @property
    def probe(self) -> bool:
        """The seller's circuit is half-open: take the probe with ``Health.admit`` first."""
        return self.candidate.probe

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form (write it with :func:`ratecard.payloads.translate.dumps`)."""
        t = self.translation
        return {**self.candidate.to_dict(), "body": t.body, "body_basis": t.basis,
                "inferred": list(t.inferred), "dropped": list(t.dropped),
                "translation_warnings": list(t.warnings)}


@dataclass(frozen=True)
class PayloadRoute:
    """The fallback chain for a body, and every seller left out with the reason."""

    source: str
    source_model: str
    request: Request
    """The canonical request the body describes, every default explicit."""
    need: Need
    """What the request needs, as routed."""
    chain: tuple[PayloadStep, ...]
    """Try in this order (the route's order: USD, then the tie-break rule)."""
    exclusions: tuple[Exclusion, ...]
    """Sorted by provider, model, quality, sound, code."""
    refusals: Mapping[tuple[str, str], tuple[Violation, ...]] = field(default_factory=dict)
    """Every reason behind each ``CANNOT_EXPRESS`` exclusion, by (provider, model)."""
    route: Route | None = None
    """The price route the chain comes from (its limits: down, health, budget...)."""

    @property
    def head(self) -> PayloadStep | None:
        """Where to send the body first, or ``None`` when nowhere can take it."""
        return self.chain[0] if self.chain else None

    @property
    def caveats(self) -> tuple[str, ...]:
        """What a reader of the chain must know about its head (an inferred price, a
        recorded conflict, a tie)."""
        return caveats(tuple(step.candidate for step in self.chain))

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form (write it with :func:`ratecard.payloads.translate.dumps`)."""
        base = self.route.to_dict() if self.route is not None else {}
        excluded = []
        for e in self.exclusions:
            item = e.to_dict()
            reasons = self.refusals.get((e.provider, e.model or ""))
            if reasons is not None:
                item["reasons"] = [v.to_dict() for v in reasons]
            excluded.append(item)
        return {
            "source": self.source, "source_model": self.source_model,
            "need": self.need.to_dict(),
            **{key: base[key] for key in ("down", "allow", "deny", "max_usd",
                                           "include_reference", "health_at") if key in base},
            "head_basis": None if self.head is None else self.head.quote.basis,
            "caveats": list(self.caveats),
            "chain": [dict(rank=i, **step.to_dict()) for i, step in enumerate(self.chain, 1)],
            "excluded": excluded,
        }


def need_of(source: Source) -> Need:
    """The need a body read at its source describes; an edit needs its input's length."""
    request, plan = source.request, source.plan
    features = features_of(request, plan.mode)
    if plan.mode in EDIT_MODES:
        seconds = None if request.video is None else request.video.seconds
        if seconds is None:
            raise PayloadError([Violation(
                "MISSING_VIDEO_LENGTH", "video.seconds",
                "routing an edit compares sellers that bill by the input video's length, "
                "which the body does not say: pass video=VideoInfo(seconds=...) "
                "(command line: --input-seconds)")])
        return _need(plan.family, plan.mode, request.quality, request.sound, None,
                     str(seconds), features)
    return _need(plan.family, plan.mode, request.quality, request.sound,
                 None if request.duration is None else str(request.duration), None, features)


@lru_cache(maxsize=4096)
def _need(family: str, mode: str, quality: str | None, sound: bool | None,
          duration: str | None, input_seconds: str | None, features: frozenset[str]) -> Need:
    """A Need checks every value it is made from; bodies repeat their shapes, so needs
    are remembered (a pure function: seconds are passed as written)."""
    return Need(family=family, mode=mode, quality=quality, sound=sound, duration=duration,
                input_seconds=input_seconds, features=features)


def _with_reasons(routes: RouteIndex, read: Source, excluded: Exclusion,
                  refusals: dict[tuple[str, str], tuple[Violation, ...]],
                  at: DateArg) -> Exclusion:
    """A ``FEATURE_UNSUPPORTED`` exclusion of an offering ratecard can write bodies for,
    which renders the request's quality and sound, becomes ``CANNOT_EXPRESS`` with every
    reason the body cannot go there (the feature and anything else)."""
    model = excluded.model
    if excluded.code != "FEATURE_UNSUPPORTED" or model is None:
        return excluded
    speaker = dialect_for(excluded.provider)
    plan = routes.index.plan(excluded.provider, model)
    request = read.request
    assert request.quality is not None
    assert request.sound is not None
    if speaker is None or speaker.render is None or \
            not serves(plan, request.quality, request.sound):
        return excluded
    try:
        translate_to(routes.index, read, plan, at=at)
    except TranslationError as exc:
        refusals[(excluded.provider, model)] = tuple(exc.violations)
        return Exclusion(excluded.provider, model, request.quality, request.sound,
                         "CANNOT_EXPRESS", _refused(read.provider, excluded.provider, model,
                                                    exc.violations), facts=excluded.facts)
    return excluded


@lru_cache(maxsize=4096)
def _no_dialect(provider: str, quality: str, sound: bool, usd: Decimal) -> str:
    return (f"no document ratecard can cite describes {provider}'s request body, so it "
            f"cannot write one; {provider} would charge {plain(usd)} USD ({quality}, "
            f"sound {on_off(sound)})")


def _refused(source: str, provider: str, model: str, violations: list[Violation]) -> str:
    return (f"the {source} body cannot be sent to {provider}/{model}: "
            + "; ".join(f"{v.path}: {v.code}: {v.message}" for v in violations))


def route_payload(routes: RouteIndex, body: Body, *, source: str,
                  video: VideoInfo | None = None, health: Health | None = None,
                  down: Iterable[str] = (), max_usd: object = None,
                  allow: Iterable[str] | None = None, deny: Iterable[str] = (),
                  include_reference: bool = False, at: DateArg = None) -> PayloadRoute:
    """The fallback chain for ``body`` (see :meth:`ratecard.Catalog.route_payload`)."""
    index = routes.index
    read = read_source(index, source, body, video=video)
    need = need_of(read)
    priced = route(routes, need, down=down, health=health, max_usd=max_usd, allow=allow,
                   deny=deny, include_reference=include_reference, at=at)
    steps: list[PayloadStep] = []
    exclusions = list(priced.exclusions)
    refusals: dict[tuple[str, str], tuple[Violation, ...]] = {}
    for candidate in priced.chain:
        provider, model = candidate.provider, candidate.model
        speaker = dialect_for(provider)
        if speaker is None or speaker.render is None:
            exclusions.append(Exclusion(
                provider, model, candidate.quality, candidate.sound, "NO_DIALECT",
                _no_dialect(provider, candidate.quality, candidate.sound, candidate.usd),
                candidate.quote))
            continue
        try:
            translation = translate_to(index, read, index.plan(provider, model), at=at)
        except TranslationError as exc:
            refusals[(provider, model)] = tuple(exc.violations)
            exclusions.append(Exclusion(
                provider, model, candidate.quality, candidate.sound, "CANNOT_EXPRESS",
                _refused(source, provider, model, exc.violations), candidate.quote))
            continue
        steps.append(PayloadStep(candidate, translation))
    for number, excluded in enumerate(exclusions):
        if excluded.code == "FEATURE_UNSUPPORTED":
            exclusions[number] = _with_reasons(routes, read, excluded, refusals, at)
    exclusions.sort(key=Exclusion.sort_key)
    return PayloadRoute(source, read.plan.model, read.request, need, tuple(steps),
                        tuple(exclusions), refusals, priced)
