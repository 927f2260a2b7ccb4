"""The columns of the query's input (``lines``) and of its result.

>>> LINE_COLUMNS[:7], CANONICAL_SQL["timestamp"]
(('file_no', 'source', 'line', 'error', 'raw_charged', 'note', 'task_id'), 'ts')
>>> RESULT_COLUMNS[-1], FORMAT_COLUMNS[0]
('reason', 'file_no')
"""

from __future__ import annotations

from ratecard.reconcile.readers import COLUMNS
from ratecard.reconcile.readers import REQUIRED as REQUIRED_FIELDS
from ratecard.reconcile.reconciler import LineResult

CANONICAL_SQL = {name: ("ts" if name == "timestamp" else name) for name in COLUMNS}
"""Canonical column -> its name in the ``lines`` relation."""

LINE_COLUMNS = ("file_no", "source", "line", "error", "raw_charged", "note",
                *CANONICAL_SQL.values())
"""Columns of the ``lines`` relation: where the line is (``file_no`` orders files as given,
``line`` within a file), the reader's error (``''`` when none), the charged text of a
broken line, what the reason adds about how the line was read
(:attr:`~ratecard.reconcile.readers.RawLine.note`, ``''`` when nothing), then the canonical
fields of :data:`ratecard.reconcile.readers.COLUMNS` as text
(``ts`` is the timestamp)."""

REQUIRED = tuple(CANONICAL_SQL[name] for name in REQUIRED_FIELDS)
"""The ``lines`` columns a line must not leave empty."""

RESULT_COLUMNS: tuple[str, ...] = LineResult._fields
"""The result columns, named and ordered as :class:`ratecard.reconcile.reconciler.LineResult`."""

FORMAT_COLUMNS = ("file_no", "charged_scale", "expected_scale", "reserved_scale")
"""Columns after the result columns: the input order and the decimal places the Python
path would show each amount with (used to give results the same text)."""
