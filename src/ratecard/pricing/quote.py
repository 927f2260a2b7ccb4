"""The result of pricing one request: amounts, exact and rounded, and how they were found.

>>> from ratecard import load
>>> q = load().quote("evolink", "kling-v3-image-to-video", duration=5)
>>> q.credits, q.usd, [step.name for step in q.steps]
(Decimal('27.0000'), Decimal('0.375000'), ['duration', 'billed', 'rate', 'credits', 'usd'])
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ratecard.money import plain
from ratecard.pricing.explain import Step, steps_of
from ratecard.pricing.facts import quote_facts
from ratecard.pricing.plans import CreditPlan, OfferingPlan, PriceCell
from ratecard.pricing.provenance import (
    RecordedConflict,
    UsedFact,
    conflicts_of,
    marker_text,
    markers,
    price_basis,
)

__all__ = ["Quote", "Step"]


class Quote:
    """What one request costs at one provider, and why.

    ``credits`` is the amount in the card's currency (credits, or USD for a USD card);
    ``usd`` is ``None`` when the card's credit value is unknown, never zero.
    """

    __slots__ = (
        "_cell",
        "_clamp",
        "_credit",
        "_defaulted",
        "_plan",
        "_seconds_in",
        "_seconds_origin",
        "amount",
        "amount_exact",
        "billed_seconds",
        "quality",
        "sound",
        "usd",
        "warnings",
    )

    def __init__(
        self,
        plan: OfferingPlan,
        cell: PriceCell,
        credit: CreditPlan | None,
        quality: str,
        sound: bool,
        seconds_in: Decimal | None,
        seconds_origin: str,
        clamp: str | None,
        billed_seconds: Decimal | None,
        amount_exact: Decimal,
        amount: Decimal,
        usd: Decimal | None,
        warnings: tuple[str, ...],
        defaulted: int = 0,
    ) -> None:
        self._plan = plan
        self._cell = cell
        self._credit = credit
        self.quality = quality
        self.sound = sound
        self._seconds_in = seconds_in
        self._seconds_origin = seconds_origin
        self._clamp = clamp
        self.billed_seconds = billed_seconds
        """Seconds billed after clamping and rounding; ``None`` for a fixed price."""
        self.amount_exact = amount_exact
        """The amount in the card's currency before rounding."""
        self.amount = amount
        """The amount in the card's currency, rounded by the card's rule."""
        self.usd = usd
        self.warnings = warnings
        self._defaulted = defaulted

    @property
    def provider(self) -> str:
        """The provider id (``evolink``)."""
        return self._plan.provider

    @property
    def model(self) -> str:
        """The offering's native model id."""
        return self._plan.model

    @property
    def family(self) -> str:
        """The canonical model family (``kling-3.0``)."""
        return self._plan.family

    @property
    def mode(self) -> str:
        """The canonical mode (``image-to-video``)."""
        return self._plan.mode

    @property
    def currency(self) -> str:
        """The card's currency: ``credits`` or ``USD``."""
        return self._plan.currency

    @property
    def credits(self) -> Decimal:
        """The rounded amount in the card's currency (the name used by credit cards)."""
        return self.amount

    @property
    def credits_per_usd(self) -> Decimal | None:
        """The credit value used for ``usd``; ``None`` when unknown."""
        return None if self._credit is None else self._credit.credits_per_usd

    @property
    def usd_exact(self) -> Fraction | None:
        """``credits / credits_per_usd`` exactly (a fraction: 12/72 does not terminate)."""
        if self._credit is None:
            return None
        return Fraction(self.amount) / Fraction(self._credit.credits_per_usd)

    @property
    def price_version(self) -> str:
        """The validity range of the price version used, ``start..open``."""
        return self._cell.label

    @property
    def validity(self) -> tuple[date | None, date | None]:
        """The days ``[start, end)`` on which this same price and credit value apply
        (``None``: unbounded): the price version's range, narrowed by the credit value's.

        >>> from ratecard import load
        >>> load().quote("evolink", "kling-v3-image-to-video").validity
        (None, None)
        """
        start, end = self._cell.span.start, self._cell.span.end
        span = None if self._credit is None else self._credit.span
        if span is not None:
            if span.start is not None and (start is None or span.start > start):
                start = span.start
            if span.end is not None and (end is None or span.end < end):
                end = span.end
        return start, end

    @property
    def credit_version(self) -> str | None:
        """The validity range of the credit value used, if any."""
        return None if self._credit is None else self._credit.label

    @property
    def source(self) -> str:
        """The document the price comes from (seed file name or page address)."""
        return self._cell.source

    @property
    def unit_rate(self) -> Decimal:
        """Per-second rate after the multiplier, or the fixed price."""
        return self._cell.unit_rate

    @property
    def steps(self) -> tuple[Step, ...]:
        """The ordered breakdown: duration, clamped, rounded, rate x multiplier, credits, USD."""
        return steps_of(self, self._plan, self._cell, self._credit, self._seconds_in,
                        self._seconds_origin, self._clamp)

    @property
    def facts(self) -> tuple[UsedFact, ...]:
        """Every fact this quote used, with its basis, document, check date, quote and the
        recorded conflicts touching it (built on demand).

        >>> from ratecard import load
        >>> q = load().quote("evolink", "kling-o1-video-edit", input_seconds=5)
        >>> [(f.fact, f.basis) for f in q.facts][:3]
        [('qualities', 'inferred'), ('default_quality', 'inferred'), ('sounds', 'inferred')]
        """
        return quote_facts(self, self._plan, self._cell, self._credit, self._seconds_in,
                           self._seconds_origin, self._clamp, self._defaulted)

    @property
    def markers(self) -> tuple[str, ...]:
        """Compact markers: ``inferred: ...``, ``assumed: ...``, ``conflict``; empty when
        every fact that changed the amount is documented."""
        return markers(self.facts)

    @property
    def basis(self) -> str:
        """``inferred`` when the price itself (rate, fixed price, multiplier) is inferred,
        else ``documented`` (other inferred facts are in :attr:`markers`)."""
        return price_basis(self.facts)

    @property
    def conflicts(self) -> tuple[RecordedConflict, ...]:
        """The recorded conflicts touching a fact this quote used."""
        return conflicts_of(self.facts)

    @property
    def notes(self) -> str | None:
        """The offering's notes in the card, if any."""
        return self._plan.sources.notes

    def with_warnings(self, extra: tuple[str, ...]) -> Quote:
        """A copy with ``extra`` warnings before this quote's own (e.g. what reading a
        request body changed); the amounts are the same.

        >>> from ratecard import load
        >>> q = load().quote("evolink", "kling-v3-image-to-video")
        >>> q.with_warnings(("checked",)).warnings, q.warnings
        (('checked',), ())
        """
        return Quote(self._plan, self._cell, self._credit, self.quality, self.sound,
                     self._seconds_in, self._seconds_origin, self._clamp, self.billed_seconds,
                     self.amount_exact, self.amount, self.usd, tuple(extra) + self.warnings,
                     self._defaulted)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form: amounts as decimal strings, ``usd`` ``None`` when unknown.
        ``amount`` is in the card's ``currency`` (credits or USD), the key every answer
        uses; ``credits`` and ``credits_exact`` repeat it and are deprecated."""
        usd_exact = self.usd_exact
        return {
            "provider": self.provider,
            "model": self.model,
            "family": self.family,
            "mode": self.mode,
            "quality": self.quality,
            "sound": "on" if self.sound else "off",
            "billed_seconds": None if self.billed_seconds is None else plain(self.billed_seconds),
            "currency": self.currency,
            "amount": plain(self.amount),
            "amount_exact": plain(self.amount_exact),
            # deprecated, the same values as amount and amount_exact (also for a USD card)
            "credits": plain(self.amount),
            "credits_exact": plain(self.amount_exact),
            "usd": None if self.usd is None else plain(self.usd),
            "usd_exact": None if usd_exact is None else _fraction_text(usd_exact),
            "credits_per_usd": None if self.credits_per_usd is None
            else plain(self.credits_per_usd),
            "price_version": self.price_version,
            "credit_version": self.credit_version,
            "source": self._cell.source,
            "steps": [step.to_dict() for step in self.steps],
            "warnings": list(self.warnings),
            **provenance_dict(self.facts, self._plan.sources.notes),
        }

    def __repr__(self) -> str:
        usd = "unknown" if self.usd is None else plain(self.usd)
        return (
            f"Quote({self.provider}/{self.model} {self.quality} sound "
            f"{'on' if self.sound else 'off'}: {plain(self.amount)} {self.currency}, "
            f"USD {usd})"
        )


def provenance_dict(facts: tuple[UsedFact, ...], notes: str | None) -> dict[str, Any]:
    """The provenance keys every answer's JSON carries: ``basis`` (of the price),
    ``markers`` and ``marker`` (compact), ``facts`` (each with its source and the ids of
    the conflicts touching it), ``conflicts`` (those conflicts in full) and ``notes``."""
    found = markers(facts)
    return {
        "basis": price_basis(facts),
        "markers": list(found),
        "marker": marker_text(found),
        "facts": [fact.to_dict() for fact in facts],
        "conflicts": [conflict.to_dict() for conflict in conflicts_of(facts)],
        "notes": notes,
    }


def _fraction_text(value: Fraction) -> str:
    """A terminating fraction as a decimal string, otherwise ``numerator/denominator``."""
    den = value.denominator
    for prime in (2, 5):
        while den % prime == 0:
            den //= prime
    if den != 1:
        return f"{value.numerator}/{value.denominator}"
    digits = 0
    scaled = value
    while scaled.denominator != 1:
        scaled *= 10
        digits += 1
    return plain(Decimal(scaled.numerator).scaleb(-digits))
