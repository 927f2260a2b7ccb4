"""What would it have cost? Past usage re-rated at every seller, and price changes.

- :mod:`~ratecard.whatif.rerate`: every line re-rated (:func:`whatif`, :class:`WhatIf`):
  where it went and what it cost, the cheapest seller that could serve it, the saving,
  the sellers that could not and why; totals per seller, per month, model and seller;
- :mod:`~ratecard.whatif.writers`: results and summaries as CSV, JSON (Lines) or tables;
- :mod:`~ratecard.whatif.diff`: what changed between two dates or two sets of cards;
- :mod:`~ratecard.whatif.sql` and :mod:`~ratecard.whatif.spark`: the same re-rating on
  DuckDB and on Spark, for large files.

Inputs are read by :func:`read_lines` (CSV, JSON Lines, JSON arrays, task records and
Parquet: the readers ``ratecard reconcile`` uses).

>>> import ratecard
>>> from ratecard.whatif import lines_from_text, whatif
>>> text = "task_id,provider,model,timestamp,duration,charged,currency,status\\n"
>>> text += "a,evolink,kling-v3-text-to-video,2026-11-01,5,27,credits,done\\n"
>>> results, summary = whatif(ratecard.load(), lines_from_text(text))
>>> [r.status for r in results], summary.saving_usd
(['REPRICED'], Decimal('0.000000'))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ratecard.reconcile.readers import Columns, InvoiceError, RawLine, lines_from_text
from ratecard.whatif.rerate import (
    STATUSES,
    Excluded,
    LineWhatIf,
    Savings,
    SellerTotals,
    WhatIf,
    WhatIfSummary,
    whatif,
)

__all__ = ["STATUSES", "Columns", "Excluded", "InvoiceError", "LineWhatIf", "RawLine",
           "Savings", "SellerTotals", "WhatIf", "WhatIfSummary", "lines_from_text",
           "read_lines", "whatif"]


def read_lines(paths: Iterable[str | Path], columns: Columns | None = None,
               progress: Any = None) -> Iterator[RawLine]:
    """Every line of every file, in the order given: CSV, JSON Lines, JSON arrays (task
    records too) by :func:`ratecard.reconcile.readers.read_lines`, Parquet (``.parquet``,
    ``.pq``; DuckDB reads it) by :func:`ratecard.batch.parquet_input.read_parquet`."""
    from ratecard.batch import is_parquet

    files = list(paths)
    columns = columns or Columns()
    if any(is_parquet(path) for path in files):
        from ratecard.batch.parquet_input import read_any

        return read_any(files, columns, progress)
    from ratecard.reconcile.readers import read_lines as read

    return read(files, columns, progress)
