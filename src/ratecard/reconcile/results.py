"""What reconciliation gives: one :class:`LineResult` per input line, and the
:class:`Summary` of them (count and amounts per provider x model x status, per unit).

Amounts are only ever added within one unit (:func:`Scope.unit`): ``USD``, or one
provider's credits, ``credits@evolink`` (a credit of one seller is not a credit of
another, whether or not a card prices that seller in credits). An amount whose unit is
not known (a currency word ratecard does not read, credits of no named seller or of the
sellers gathered under ``(other)``) is shown on its line and counted as a line, but added
to no total: :attr:`Totals.untotalled` says how many lines are.

>>> summary = Summary()
>>> summary.add(LineResult("a.csv", 2, "t1", "evolink", "m", "2026-11-01", "succeeded",
...                        "MATCH", "credits", Decimal(27), Decimal(27), Decimal(0), None,
...                        "start..open", ""))
>>> summary.total.lines, summary.total.charged, summary.discrepancies
(1, {'credits@evolink': Decimal('27')}, 0)
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final, NamedTuple

from ratecard.codes import OK_STATUSES, UNPRICED_STATUSES
from ratecard.money import EXACT
from ratecard.pricing.index import PriceIndex
from ratecard.vocabulary import CURRENCY_WORDS, cell_name, unit_name

_ZERO = Decimal(0)
_add = EXACT.add  # exact: bounded amounts never need rounding in 60 digits


class LineResult(NamedTuple):
    """The verdict on one input line."""

    source: str
    line: int
    task_id: str | None
    provider: str | None
    model: str | None
    day: str | None
    """The UTC day of the job, ISO 8601 (the day whose prices apply)."""
    job_status: str | None
    """The task's status, normalised: succeeded, failed, cancelled, pending, running."""
    status: str
    """The reconciliation status (see the module docstring)."""
    currency: str | None
    expected: Decimal | None
    """What the card says, in ``currency`` (0 for a failed or cancelled task)."""
    charged: Decimal | None
    difference: Decimal | None
    """``charged - expected``: positive is an overcharge."""
    reserved: Decimal | None
    price_version: str | None
    reason: str


CURRENCIES: Final = frozenset(CURRENCY_WORDS.values())
"""The currencies a line may be charged in (``credits``, ``USD``)."""
USD: Final = CURRENCY_WORDS["usd"]
OTHER: Final = "(other)"
"""The provider and model of the summary group that gathers lines past :data:`GROUP_LIMIT`."""
GROUP_LIMIT: Final = 1000
"""Most (provider, model) pairs that no loaded card offers which get a summary group of
their own (the first seen); the lines of any further one are summarised under
(provider, ``(other)``), or (``(other)``, ``(other)``) when no card has the provider, so
the summary stays small whatever the input holds."""


@dataclass(frozen=True)
class Scope:
    """What a summary needs to know of the cards: which (provider, model) pairs they offer.

    >>> scope = Scope(frozenset({("evolink", "m")}))
    >>> scope.unit("credits", "evolink"), scope.unit("USD", None), scope.unit("credits", "x")
    ('credits@evolink', 'USD', 'credits@x')
    >>> scope.unit("credits", None), scope.unit("credits", OTHER, True), scope.unit("EUR", "x")
    (None, None, None)
    >>> scope.unit("credits", OTHER)
    'credits@"(other)"'
    >>> scope.unit("credits", "x; 1 USD")
    'credits@"x; 1 USD"'

    """

    offerings: Collection[tuple[str, str]] = frozenset()

    @classmethod
    def of(cls, index: PriceIndex) -> Scope:
        """The scope of the cards of ``index``."""
        return cls(frozenset(index.all_plans))

    @property
    def providers(self) -> frozenset[str]:
        """The providers of the offerings."""
        return frozenset(provider for provider, _ in self.offerings)

    def unit(self, currency: str | None, provider: str | None, gathered: bool = False
             ) -> str | None:
        """The unit an amount charged in ``currency`` at ``provider`` is added in, or
        ``None`` when it is not known (credits of the sellers ``gathered`` under
        ``(other)``; a seller named ``(other)`` in the input is a seller)."""
        if currency == USD:
            return USD
        if currency == "credits" and provider and not (gathered and provider == OTHER):
            return f"credits@{unit_name(provider)}"  # a seller's credit, whatever its card says
        return None


@dataclass
class Totals:
    """Count and amounts of a group of lines; amounts per unit (``USD``,
    ``credits@<provider>``)."""

    lines: int = 0
    charged: dict[str, Decimal] = field(default_factory=dict)
    expected: dict[str, Decimal] = field(default_factory=dict)
    difference: dict[str, Decimal] = field(default_factory=dict)
    untotalled: int = 0
    """Of ``lines``, those whose amounts are in no unit, so in none of the sums: a
    currency word not read, credits of no named seller or of the sellers gathered under
    ``(other)``."""

    def merge(self, unit: str | None, counts: list[Any]) -> None:
        """Add one unit's accumulated ``[lines, charged, expected, difference]`` (only the
        count when the unit is not known)."""
        self.lines += counts[0]
        if unit is None:
            self.untotalled += counts[0]
            return
        for target, value in ((self.charged, counts[1]), (self.expected, counts[2]),
                              (self.difference, counts[3])):
            if value is not None:
                target[unit] = _add(target.get(unit, _ZERO), value)


Key = tuple[str | None, str | None, str, str | None]
"""A summary cell: (provider, model, status, currency)."""


class Summary:
    """Totals per provider x model x status, and over everything, per unit."""

    def __init__(self, scope: Scope | None = None, limit: int | None = None) -> None:
        self.scope = scope or Scope()
        self.limit = GROUP_LIMIT if limit is None else limit
        """Most pairs no card offers with groups of their own (:data:`GROUP_LIMIT`)."""
        self._cells: dict[Key, list[Any]] = {}
        self._unoffered: set[tuple[str | None, str | None]] = set()
        """The pairs no card offers that have groups of their own (at most ``limit``)."""
        self._gathered: dict[Key, list[Any]] = {}
        """The accumulators of the lines past the limit, by (provider or ``(other)``,
        ``(other)``, status, currency): apart from :attr:`cells`, so that a provider or
        model the input names ``(other)`` is never taken for them."""

    @property
    def cells(self) -> dict[Key, list[Any]]:
        """The live accumulators, ``[lines, charged, expected, difference]`` by (provider,
        model, status, currency): the reconciler's hot loop updates them in place, and
        calls :meth:`cell` for a key not there."""
        return self._cells

    @property
    def gathered(self) -> dict[Key, list[Any]]:
        """The accumulators of the lines past the limit (see :attr:`cells`)."""
        return self._gathered

    def cell(self, key: Key) -> list[Any]:
        """The accumulator of the lines of ``key``: its own, or, for a currency word not
        read or a pair past the limit, the one it is summarised under (made if new)."""
        cell = self._cells.get(key)
        if cell is not None:
            return cell
        provider, model, status, currency = key
        if currency not in CURRENCIES:
            currency = None  # its amounts are in no known unit: one cell, counted only
        pair = (provider, model)
        if pair not in self.scope.offerings and pair not in self._unoffered:
            if len(self._unoffered) < self.limit:
                self._unoffered.add(pair)
            else:
                provider = provider if provider in self.scope.providers else OTHER
                key = (provider, OTHER, status, currency)
                cell = self._gathered.get(key)
                if cell is None:
                    cell = self._gathered[key] = [0, None, None, None]
                return cell
        key = (provider, model, status, currency)
        cell = self._cells.get(key)
        if cell is None:
            cell = self._cells[key] = [0, None, None, None]
        return cell

    def add(self, result: LineResult) -> None:
        """Count ``result``."""
        cell = self.cell((result.provider, result.model, result.status, result.currency))
        cell[0] += 1
        charged = result.charged
        if charged is not None:
            cell[1] = charged if cell[1] is None else _add(cell[1], charged)
        expected = result.expected
        if expected is not None:
            cell[2] = expected if cell[2] is None else _add(cell[2], expected)
        difference = result.difference
        if difference is not None:
            cell[3] = difference if cell[3] is None else _add(cell[3], difference)

    @property
    def groups(self) -> dict[tuple[str, str, str], Totals]:
        """Totals per (provider, model, status); ``?`` where the line did not say, and a
        name that reads as one of these words or ``TOTAL`` in JSON quotes
        (:func:`~ratecard.vocabulary.cell_name`)."""
        groups: dict[tuple[str, str, str], Totals] = {}
        unit = self.scope.unit
        for (provider, model, status, currency), cell in self._cells.items():
            key = (cell_name(provider) if provider else "?",
                   cell_name(model) if model else "?", status)
            groups.setdefault(key, Totals()).merge(unit(currency, provider), cell)
        for (provider, _, status, currency), cell in self._gathered.items():
            gathered = provider == OTHER
            key = (OTHER if gathered else cell_name(provider or "?"), OTHER, status)
            groups.setdefault(key, Totals()).merge(unit(currency, provider, gathered), cell)
        return groups

    def _all(self) -> Iterator[tuple[Key, list[Any], str | None]]:
        """Every accumulator, with the unit its amounts are added in."""
        unit = self.scope.unit
        for key, cell in self._cells.items():
            yield key, cell, unit(key[3], key[0])
        for key, cell in self._gathered.items():
            yield key, cell, unit(key[3], key[0], True)

    @property
    def total(self) -> Totals:
        """Totals over every line."""
        total = Totals()
        for _, cell, unit in self._all():
            total.merge(unit, cell)
        return total

    @property
    def unpriced(self) -> Totals:
        """Totals over the lines with no expected amount (:data:`UNPRICED_STATUSES`): the
        part of ``total.charged`` that ``total.expected`` and ``total.difference`` do not
        cover."""
        total = Totals()
        for key, cell, unit in self._all():
            if key[2] in UNPRICED_STATUSES:
                total.merge(unit, cell)
        return total

    @property
    def by_status(self) -> dict[str, int]:
        """Line count per reconciliation status."""
        counts: dict[str, int] = {}
        for (_, _, status, _), cell, _ in self._all():
            counts[status] = counts.get(status, 0) + cell[0]
        return counts

    @property
    def discrepancies(self) -> int:
        """Lines whose status is not MATCH or ROUNDING_DIFF."""
        return sum(n for status, n in self.by_status.items() if status not in OK_STATUSES)
