"""Reconcile invoice lines and task records against the prices in force on each job's day.

- :mod:`~ratecard.reconcile.readers`: CSV, JSON Lines and JSON array files as raw lines;
- :mod:`~ratecard.reconcile.reconciler`: one verdict per line;
- :mod:`~ratecard.reconcile.results`: the verdicts and their summary;
- :mod:`~ratecard.reconcile.reasons`: the words of every verdict, for Python and SQL;
- :mod:`~ratecard.reconcile.writers`: results and summaries as CSV, JSON Lines or a table;
- :mod:`~ratecard.reconcile.progress`: a progress line on a terminal.

>>> import ratecard
>>> from ratecard.reconcile import lines_from_text, reconcile
>>> text = "task_id,provider,model,timestamp,charged,currency,status\\n"
>>> text += "a,kling3api,pro-text-to-video,2026-02-05,400,credits,SUCCESS\\n"
>>> results, summary = reconcile(ratecard.load(), lines_from_text(text))
>>> [r.status for r in results]
['MATCH']
"""

from ratecard.reconcile.readers import Columns, InvoiceError, RawLine, lines_from_text, read_lines
from ratecard.reconcile.reconciler import (
    OK_STATUSES,
    STATUSES,
    LineResult,
    Reconciler,
    Summary,
    Totals,
    reconcile,
)

__all__ = ["OK_STATUSES", "STATUSES", "Columns", "InvoiceError", "LineResult", "RawLine",
           "Reconciler", "Summary", "Totals", "lines_from_text", "read_lines", "reconcile"]
