"""What reconciliation gives: one :class:`LineResult` per input line, and the
:class:`Summary` of them (count and amounts per provider x model x status, per currency).

>>> summary = Summary()
>>> summary.add(LineResult("a.csv", 2, "t1", "evolink", "m", "2026-11-01", "succeeded",
...                        "MATCH", "credits", Decimal(27), Decimal(27), Decimal(0), None,
...                        "start..open", ""))
>>> summary.total.lines, summary.total.charged, summary.discrepancies
(1, {'credits': Decimal('27')}, 0)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from ratecard.codes import OK_STATUSES
from ratecard.money import EXACT

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


@dataclass
class Totals:
    """Count and amounts of a group of lines; amounts per currency."""

    lines: int = 0
    charged: dict[str, Decimal] = field(default_factory=dict)
    expected: dict[str, Decimal] = field(default_factory=dict)
    difference: dict[str, Decimal] = field(default_factory=dict)

    def merge(self, currency: str, counts: list[Any]) -> None:
        """Add one currency's accumulated ``[lines, charged, expected, difference]``."""
        self.lines += counts[0]
        for target, value in ((self.charged, counts[1]), (self.expected, counts[2]),
                              (self.difference, counts[3])):
            if value is not None:
                target[currency] = _add(target.get(currency, _ZERO), value)


class Summary:
    """Totals per provider x model x status, and over everything."""

    def __init__(self) -> None:
        self._cells: dict[tuple[str | None, str | None, str, str | None], list[Any]] = {}

    @property
    def cells(self) -> dict[tuple[str | None, str | None, str, str | None], list[Any]]:
        """The live accumulators, ``[lines, charged, expected, difference]`` by (provider,
        model, status, currency): the reconciler's hot loop updates them in place."""
        return self._cells

    def add(self, result: LineResult) -> None:
        """Count ``result``."""
        key = (result.provider, result.model, result.status, result.currency)
        cell = self._cells.get(key)
        if cell is None:
            cell = self._cells[key] = [0, None, None, None]
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
        """Totals per (provider, model, status); ``?`` where the line did not say."""
        groups: dict[tuple[str, str, str], Totals] = {}
        for (provider, model, status, currency), cell in self._cells.items():
            key = (provider or "?", model or "?", status)
            groups.setdefault(key, Totals()).merge(currency or "?", cell)
        return groups

    @property
    def total(self) -> Totals:
        """Totals over every line."""
        total = Totals()
        for (_, _, _, currency), cell in self._cells.items():
            total.merge(currency or "?", cell)
        return total

    @property
    def by_status(self) -> dict[str, int]:
        """Line count per reconciliation status."""
        counts: dict[str, int] = {}
        for (_, _, status, _), cell in self._cells.items():
            counts[status] = counts.get(status, 0) + cell[0]
        return counts

    @property
    def discrepancies(self) -> int:
        """Lines whose status is not MATCH or ROUNDING_DIFF."""
        return sum(n for status, n in self.by_status.items() if status not in OK_STATUSES)
