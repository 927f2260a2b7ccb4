"""What ``compare`` and ``route`` answer: candidates, exclusions, comparisons, routes.

**Order** (the tie-break rule): USD amount ascending (the card's rounded USD, exact
Decimal); then non-reference before reference cards; then provider id, model id, quality
and sound (off before on), each ascending as text. The order depends only on the cards'
contents, never on the order they were loaded in.

>>> sorted(REASONS)[:3]
['DENIED', 'DOWN', 'FAMILY_NOT_OFFERED']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ratecard.codes import EXCLUSIONS
from ratecard.money import plain
from ratecard.pricing.quote import Quote
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
            "sound": None if self.sound is None else on_off(self.sound), "code": self.code,
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
