"""The compiled form of rate cards: plain, immutable lookup structures for the engine.

Nothing here imports pydantic or YAML: a compiled catalog can be cached and reloaded
without the authoring models (see :mod:`ratecard.cards.compiler` for how cards become these).

>>> from ratecard import load
>>> plan = load().plan("evolink", "kling-v3-image-to-video")
>>> [(q, s, str(c.unit_rate)) for (q, s), c in sorted(plan.current.items())]
[('1080p', False, '7.1982'), ('1080p', True, '10.8'), ('720p', False, '5.4'), ('720p', True, '8.1')]
"""

from __future__ import annotations

import weakref
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from ratecard.money import GridDivider, RoundingMode
from ratecard.pricing.provenance import NO_SOURCES, OfferingSources, Origin
from ratecard.pricing.rules import NO_RULES, RequestRules

CellKey = tuple[str, bool]
"""(quality, sound on?)"""

_SCAN = 8
"""Up to this many price versions, a scan is faster than a binary search."""


def _start(cell: PriceCell) -> date:
    return cell.span.start or date.min


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open validity ``[start, end)``; ``None`` is unbounded."""

    start: date | None
    end: date | None

    def covers(self, day: date) -> bool:
        """True when ``day`` falls in the span.

        >>> Span(date(2026, 1, 1), date(2026, 2, 1)).covers(date(2026, 2, 1))
        False
        """
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    def forever_from(self, day: date) -> bool:
        """In force on ``day`` and on every later day."""
        return self.end is None and (self.start is None or self.start <= day)

    @property
    def label(self) -> str:
        """``2026-01-01..open`` style name of the span."""
        start = self.start.isoformat() if self.start else "start"
        end = self.end.isoformat() if self.end else "open"
        return f"{start}..{end}"


@dataclass(frozen=True, slots=True)
class SecondsLimit:
    """A range of seconds a provider accepts (inclusive bounds, ``None`` unbounded)."""

    min: Decimal | None
    max: Decimal | None
    integer: bool

    def admits(self, value: Decimal) -> bool:
        """True when the provider accepts ``value`` seconds."""
        return (
            value > 0
            and (self.min is None or value >= self.min)
            and (self.max is None or value <= self.max)
            and (not self.integer or value == value.to_integral_value())
        )

    def admits_billed(self, value: Decimal, low: Decimal | None, high: Decimal | None) -> bool:
        """True when ``value`` seconds, already billed (an invoice line, a task record), are
        priced: accepted, or beyond a billing clamp (``low``: the card's ``min_seconds``,
        ``high``: its ``max_seconds``) that bills them at the clamp, whatever this range
        says. Seconds no clamp covers must be accepted.

        >>> kling = SecondsLimit(Decimal(3), Decimal(15), True)
        >>> [kling.admits_billed(Decimal(s), Decimal(3), None) for s in ("2", "2.5", "16")]
        [True, True, False]
        >>> kling.admits_billed(Decimal(0), Decimal(3), None), kling.admits(Decimal(2))
        (False, False)
        """
        if value <= 0:
            return False
        if (low is not None and value < low) or (high is not None and value > high):
            return True
        return self.admits(value)

    def describe(self) -> str:
        """Human text such as ``3..15 s, whole seconds`` or ``at least 3 s``.

        >>> SecondsLimit(Decimal(3), None, False).describe()
        'at least 3 s'
        """
        whole = ", whole seconds" if self.integer else ""
        if self.max is None:
            low = "more than 0 s" if self.min is None else f"at least {self.min:f} s"
            return f"{low}{whole}"
        low = "0" if self.min is None else f"{self.min:f}"
        return f"{low}..{self.max:f} s{whole}"


@dataclass(frozen=True, slots=True)
class PriceCell:
    """The price of one quality x sound of one offering in one price version."""

    span: Span
    kind: str
    """``per_second`` or ``fixed``."""
    base: Decimal
    """The per-second base rate, the matrix rate, or the fixed price."""
    multiplier: Decimal | None
    """The factor from the multiplier matrix, when the version has one."""
    unit_rate: Decimal
    """``base x multiplier`` (per second), or the fixed price."""
    source: str
    """The document the price comes from."""
    origin: Origin | None = None
    """Where the price comes from: basis, document, check date, quote (kept by reference;
    the engine never reads it)."""

    @property
    def label(self) -> str:
        """Name of the price version's validity, ``start..open``."""
        return self.span.label


@dataclass(frozen=True, slots=True)
class CreditPlan:
    """A credit value version and its precomputed converter to rounded USD."""

    span: Span | None
    """``None`` for a USD card (no conversion, always in force)."""
    credits_per_usd: Decimal
    to_usd: GridDivider
    source: str
    origin: Origin | None = None
    """Where the credit value comes from (``None`` for a USD card: nothing converted)."""

    @property
    def label(self) -> str:
        """Name of the credit value's validity, or ``USD``."""
        return "USD" if self.span is None else self.span.label

    def covers(self, day: date) -> bool:
        """True when this credit value is in force on ``day``."""
        return self.span is None or self.span.covers(day)


_RESOLVED: dict[tuple[int, date], tuple[weakref.ref[OfferingPlan], bool]] = {}
"""Whether a plan is resolved for a day, by (plan, day): a memo of a pure function of an
immutable plan (it changes no answer, only how soon it comes), bounded at
:data:`_RESOLVED_SIZE`. It keeps no plan alive: a plan is known by its id and a weak
reference that must still lead to it (an id is reused only once its plan is gone)."""

_RESOLVED_SIZE = 4096


@dataclass(frozen=True, slots=True, weakref_slot=True)
class OfferingPlan:
    """Everything the engine needs to price one offering, resolved once."""

    provider: str
    model: str
    family: str
    mode: str
    title: str | None
    currency: str
    qualities: tuple[str, ...]
    sounds: tuple[str, ...]
    default_quality: str
    default_sound: bool
    default_duration: Decimal | None
    forced_sound: bool | None
    forced_reason: str | None
    basis: str
    """``duration``, ``input_seconds`` or ``fixed``."""
    accepts: SecondsLimit | None
    """The accepted range of the billed quantity (duration or input seconds)."""
    accepts_input: SecondsLimit | None
    """The accepted input video length, if declared (checked for fixed prices too)."""
    min_seconds: Decimal | None
    max_seconds: Decimal | None
    seconds_precision: Decimal | None
    seconds_mode: RoundingMode | None
    amount_precision: Decimal
    amount_mode: RoundingMode
    usd_precision: Decimal
    usd_mode: RoundingMode
    cells: Mapping[CellKey, tuple[PriceCell, ...]]
    """Every version of every cell, oldest first."""
    credits: tuple[CreditPlan, ...]
    usd_unknown_reason: str | None
    current: Mapping[CellKey, PriceCell]
    """The cell in force from the compile day on, where one is in force forever after."""
    credit_current: CreditPlan | None
    features: frozenset[str] = frozenset()
    """Features the offering accepts (``end-frame``, ``voice-control``, ...)."""
    required_features: frozenset[str] = frozenset()
    """Features a request must use for this offering's price to apply."""
    reference: bool = False
    """From a reference card: compared, never routed to unless asked."""
    rules: RequestRules = NO_RULES
    """What the provider accepts in a request (card and offering constraints, merged)."""
    sources: OfferingSources = NO_SOURCES
    """Where the offering's other facts come from, its notes and its recorded conflicts."""

    @property
    def usd_known(self) -> bool:
        """Whether the card gives any credit value (or is priced in USD)."""
        return bool(self.credits)

    @property
    def chosen_terms(self) -> tuple[str, ...]:
        """The terms a request chooses that change this offering's price, of
        ``duration``, ``quality`` and ``sound`` (in that order): the ones a request (or
        record) that leaves them out is priced at the default of."""
        return tuple(term for term, choice in (
            ("duration", self.basis == "duration"), ("quality", len(self.qualities) > 1),
            ("sound", self.forced_sound is None and len(self.sounds) > 1)) if choice)

    def cell_at(self, key: CellKey, day: date) -> PriceCell | None:
        """The cell of ``key`` in force on ``day``, if any.

        Versions are oldest first and never overlap (the card schema refuses overlaps), so
        a long price history is searched by halving: the last version starting by ``day``
        is the only one that can cover it.
        """
        versions = self.cells.get(key, ())
        if len(versions) > _SCAN:
            at = bisect_right(versions, day, key=_start) - 1
            if at >= 0 and versions[at].span.covers(day):
                return versions[at]
            return None
        for cell in versions:
            if cell.span.covers(day):
                return cell
        return None

    def credit_at(self, day: date) -> CreditPlan | None:
        """The credit value in force on ``day``, if any."""
        for credit in self.credits:
            if credit.covers(day):
                return credit
        return None

    def as_of(self, today: date) -> OfferingPlan:
        """This plan with the prices in force from ``today`` on resolved for the hot path."""
        if self._resolved_for(today):
            return self  # a plan taken from a catalog of the same day: nothing to copy
        current = {
            key: versions[-1]
            for key, versions in self.cells.items()
            if versions[-1].span.forever_from(today)
        }
        credit = next((c for c in self.credits if c.span is None or c.span.forever_from(today)),
                      None)
        if credit is self.credit_current and current == self.current:
            return self  # already resolved so (a plan taken from a loaded catalog)
        return replace(self, current=current, credit_current=credit)

    def _resolved_for(self, today: date) -> bool:
        """Whether :meth:`as_of` would give this plan back for ``today`` (the same cells
        and credit value in force from then on), checked without building anything, and
        remembered (:data:`_RESOLVED`): a new Catalog over the same plans asks it of each."""
        key = (id(self), today)
        known = _RESOLVED.get(key)
        if known is not None and known[0]() is self:
            return known[1]
        answer = self._check_resolved(today)
        if len(_RESOLVED) >= _RESOLVED_SIZE:
            _RESOLVED.clear()
        _RESOLVED[key] = (weakref.ref(self), answer)
        return answer

    def _check_resolved(self, today: date) -> bool:
        current = self.current
        found = 0
        for key, versions in self.cells.items():
            if versions[-1].span.forever_from(today):
                if current.get(key) is not versions[-1]:
                    return False
                found += 1
        if found != len(current):
            return False
        for credit in self.credits:
            if credit.span is None or credit.span.forever_from(today):
                return credit is self.credit_current
        return self.credit_current is None
