"""What ``compare`` and ``route`` answer: candidates, exclusions, comparisons, routes.

**Order** (the tie-break rule): USD amount ascending (the card's rounded USD, exact
Decimal); then non-reference before reference cards; then provider id, model id, quality
and sound (off before on), each ascending as text. The order depends only on the cards'
contents, never on the order they were loaded in.

>>> sorted(REASONS)[:3]
['CANNOT_EXPRESS', 'DENIED', 'DOWN']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ratecard.codes import EXCLUSIONS
from ratecard.money import plain
from ratecard.pricing.provenance import UsedFact
from ratecard.pricing.quote import Quote, provenance_dict
from ratecard.routing.need import Need
from ratecard.vocabulary import on_off

REASONS = EXCLUSIONS
"""Every reason code an :class:`Exclusion` may carry, with what it means (the table is
:data:`ratecard.codes.EXCLUSIONS`)."""


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
    probe: bool = field(default=False, compare=False)
    """Offered as a probe: its circuit is half-open (see :class:`ratecard.Health`); take
    the probe with ``Health.admit`` before sending."""

    def sort_key(self) -> tuple[Decimal, bool, str, str, str, bool]:
        """The ranking key: USD, reference last, provider, model, quality, sound."""
        return (self.usd, self.reference, self.provider, self.model, self.quality, self.sound)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form: amounts as decimal strings."""
        q = self.quote
        return {
            "provider": self.provider, "model": self.model, "family": self.family,
            "mode": self.mode, "quality": self.quality, "sound": on_off(self.sound),
            "billed_seconds": None if q.billed_seconds is None else plain(q.billed_seconds),
            "currency": self.currency, "amount": plain(self.credits),
            "usd": plain(self.usd), "reference": self.reference,
            "price_version": q.price_version, "source": q.source,
            "warnings": list(q.warnings), "probe": self.probe,
            **provenance_dict(q.facts, q.notes),
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
    facts: tuple[UsedFact, ...] = field(default=(), compare=False, repr=False)
    """The card's facts behind the reason (the qualities, sounds or features it lists),
    with their sources; for a priced offering, those of its quote."""
    retry_at: float | None = field(default=None, compare=False)
    """``UNHEALTHY``: when the seller may be tried again, on the health clock's scale."""

    def sort_key(self) -> tuple[str, str, str, int, str]:
        """Provider, model, quality, sound, code."""
        sound = -1 if self.sound is None else int(self.sound)
        return (self.provider, self.model or "", self.quality or "", sound, self.code)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form; the amount when the offering could be priced."""
        q = self.quote
        return {
            "provider": self.provider, "model": self.model, "quality": self.quality,
            "sound": None if self.sound is None else on_off(self.sound), "code": self.code,
            "message": self.message,
            "currency": None if q is None else q.currency,
            "amount": None if q is None else plain(q.amount),
            "usd": None if q is None or q.usd is None else plain(q.usd),
            "retry_at": self.retry_at,
            "facts": [fact.to_dict() for fact in self.all_facts],
        }

    @property
    def all_facts(self) -> tuple[UsedFact, ...]:
        """The facts behind the reason, else (a priced offering) those of its quote."""
        if self.facts or self.quote is None:
            return self.facts
        return self.quote.facts


@dataclass(frozen=True)
class Comparison:
    """Every candidate for a need, cheapest first, and every offering left out."""

    need: Need
    candidates: tuple[Candidate, ...]
    """Sorted by the tie-break rule (see the module docs)."""
    exclusions: tuple[Exclusion, ...]
    """Sorted by provider, model, quality, sound, code."""

    @property
    def caveats(self) -> tuple[str, ...]:
        """What a reader of the ranking must know: a cheapest candidate whose price is
        inferred, a recorded conflict on it, a tie for first place."""
        return caveats(self.candidates)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form: amounts as decimal strings."""
        return {
            "need": self.need.to_dict(),
            "candidates": [dict(rank=i, **c.to_dict())
                           for i, c in enumerate(self.candidates, 1)],
            "exclusions": [e.to_dict() for e in self.exclusions],
            "excluded": [e.to_dict() for e in self.exclusions],  # deprecated: exclusions
            "head_basis": None if not self.candidates else self.candidates[0].quote.basis,
            "caveats": list(self.caveats),
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
    health_at: float | None = None
    """The health clock's time the circuits were read at (``None``: no health given)."""

    @property
    def head(self) -> Candidate | None:
        """Where to send the job, or ``None`` when nothing can serve it."""
        return self.chain[0] if self.chain else None

    @property
    def caveats(self) -> tuple[str, ...]:
        """What a reader of the chain must know: a head whose price is inferred, a
        recorded conflict on it, a tie for first place."""
        return caveats(self.chain)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form: amounts as decimal strings."""
        return {
            "head_basis": None if self.head is None else self.head.quote.basis,
            "caveats": list(self.caveats),
            "need": self.need.to_dict(),
            "down": sorted(self.down),
            "allow": None if self.allow is None else sorted(self.allow),
            "deny": sorted(self.deny),
            "max_usd": None if self.max_usd is None else plain(self.max_usd),
            "include_reference": self.include_reference,
            "health_at": self.health_at,
            "chain": [dict(rank=i, **c.to_dict()) for i, c in enumerate(self.chain, 1)],
            "exclusions": [e.to_dict() for e in self.exclusions],
            "excluded": [e.to_dict() for e in self.exclusions],  # deprecated: exclusions
        }


def caveats(ranked: tuple[Candidate, ...]) -> tuple[str, ...]:
    """Sentences about the first of ``ranked``: its price inferred (with how), recorded
    conflicts touching its price, and a tie with the next one.

    >>> import ratecard
    >>> need = ratecard.Need(family="kling-o3", mode="text-to-video", quality="720p",
    ...                      sound=False, duration=10)
    >>> print(caveats(ratecard.load().compare(need).candidates)[0])  # doctest: +ELLIPSIS
    the cheapest, evolink/kling-o3-text-to-video (720p, sound off), rests on an inferred price: ...
    """
    if not ranked:
        return ()
    head = ranked[0]
    name = f"{head.provider}/{head.model} ({head.quality}, sound {on_off(head.sound)})"
    found = []
    facts = head.quote.facts
    for fact in facts:
        if fact.fact == "price" and fact.basis != "documented":
            how = "" if fact.origin is None else (fact.origin.note or fact.origin.quote or "")
            found.append(f"the cheapest, {name}, rests on an inferred price"
                         + (f": {' '.join(how.split())}" if how else ""))
    pricing = ("price", "multiplier", "billing", "seconds_rounding", "credit_value")
    touched: dict[str, list[str]] = {}
    for fact in facts:
        if fact.fact in pricing:
            for conflict in fact.conflicts:
                labels = touched.setdefault(conflict.subject, [])
                if fact.label not in labels:
                    labels.append(fact.label)
    for subject, labels in touched.items():
        found.append(f"a recorded conflict touches the {' and '.join(labels)} of the "
                     f"cheapest, {name}: {subject}")
    tied = [c for c in ranked[1:] if c.usd == head.usd]
    if tied:
        others = ", ".join(f"{c.provider}/{c.model} ({c.quality}, sound {on_off(c.sound)})"
                           for c in tied)
        found.append(f"tie: {name} and {others} cost the same, {plain(head.usd)} USD; the "
                     "order between them is the tie-break rule (sellers before reference "
                     "cards, then provider, model, quality, sound)")
    return tuple(found)
