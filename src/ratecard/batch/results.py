"""Rows of the rating query as :class:`~ratecard.reconcile.reconciler.LineResult` and
:class:`~ratecard.reconcile.reconciler.Summary`, so every engine shares the Python path's writers.

SQL amounts carry the declared scale (``27.0000000000``); each is given back with the
decimal places the Python path shows (the charged text's own, the card's precision for
an expected amount, the larger of both for a difference). The values are unchanged.

>>> from decimal import Decimal
>>> brief(Decimal("27.0000000000"), 1), brief(None, 3), brief(Decimal("5"), None)
(Decimal('27.0'), None, Decimal('5'))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from ratecard.batch.sql import RESULT_COLUMNS
from ratecard.money import ROUNDING_CONTEXT
from ratecard.reconcile.reconciler import LineResult, Summary
from ratecard.reconcile.results import Scope

_WIDTH = len(RESULT_COLUMNS)
_new = tuple.__new__


def brief(value: Decimal | None, scale: int | None) -> Decimal | None:
    """``value`` written with ``scale`` decimal places (it must not need more)."""
    if value is None or scale is None:
        return value
    return value.quantize(Decimal(1).scaleb(-scale), context=ROUNDING_CONTEXT)


def line_results(rows: Iterable[Sequence[Any]]) -> Iterator[LineResult]:
    """:class:`LineResult` of each row of :data:`~ratecard.batch.sql.RESULT_COLUMNS` followed
    by :data:`~ratecard.batch.sql.FORMAT_COLUMNS`.

    >>> row = ("x.csv", 2, "t1", "evolink", "m", "2026-11-01", "succeeded", "MATCH",
    ...        "credits", Decimal("27.0000000000"), Decimal("27.0000000000"),
    ...        Decimal("0E-10"), None, "start..open", "", 0, 1, 4, 0)
    >>> [str(v) for v in next(line_results([row]))[9:12]]
    ['27.0000', '27.0', '0.0000']
    """
    for row in rows:
        (source, line, task, provider, model, day, job, status, currency, expected, charged,
         difference, reserved, version, reason, _, charged_scale, expected_scale,
         reserved_scale) = row
        difference_scale = None
        if difference is not None:
            difference_scale = max(charged_scale or 0, expected_scale or 0)
        yield _new(LineResult, (
            source, int(line), task, provider, model, day, job, status, currency,
            brief(expected, expected_scale), brief(charged, charged_scale),
            brief(difference, difference_scale), brief(reserved, reserved_scale),
            version, reason))


def summary_of(groups: Iterable[Sequence[Any]], scope: Scope | None = None) -> Summary:
    """A :class:`Summary` from rows of :func:`ratecard.batch.sql.summary_query` (which
    placed them in their groups already), for the cards of ``scope``.

    >>> summary = summary_of([("evolink", "m", "MATCH", "credits", 2,
    ...                        Decimal("54.0000000000"), Decimal("54.0000000000"),
    ...                        Decimal("0E-10"), 1, 4, 1, False)])
    >>> summary.total.lines, summary.total.charged, summary.total.difference
    (2, {'credits@evolink': Decimal('54.0')}, {'credits@evolink': Decimal('0.0000')})
    """
    summary = Summary(scope)
    for (provider, model, status, currency, lines, charged, expected, difference,
         charged_scale, expected_scale, difference_scale, gathered) in groups:
        cells = summary.gathered if gathered else summary.cells
        if difference_scale is not None:  # charged - expected shows the more decimals
            difference_scale = max(difference_scale, expected_scale or 0)
        cells[(provider, model, status, currency)] = [
            int(lines), brief(charged, charged_scale), brief(expected, expected_scale),
            brief(difference, difference_scale)]
    return summary
