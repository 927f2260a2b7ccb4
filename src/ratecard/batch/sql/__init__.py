"""The one rating query: invoice lines x rates table -> one result per line, in SQL.

:func:`rating_query` returns the text both engines run. It implements the rules of
:mod:`ratecard.pricing.engine` and :mod:`ratecard.reconcile.reconciler`, in the same order, over two
relations: ``rates`` (the table of :mod:`ratecard.batch.rates`) and ``lines``, the
invoice lines as text (:data:`LINE_COLUMNS`; ``''`` where a value is absent, as the
Python readers give them). The Python path is the reference: the differential tests
(``tests/test_batch_differential.py``) hold the two to the same results. Statuses, reasons,
rounding modes and words come from the Python path's own tables
(:data:`ratecard.codes.RECONCILE_STATUSES`, :data:`ratecard.reconcile.reasons.REASONS`,
:data:`ratecard.money.ROUNDING`, :mod:`ratecard.vocabulary`).

The query is a chain of named CTEs, each with a one-line comment:

- :mod:`~ratecard.batch.sql.prices`: a price per distinct job shape and validity piece
  (``keys_distinct`` .. ``keys_priced``);
- :mod:`~ratecard.batch.sql.lines`: every line read from its text (``lines_flagged`` ..
  ``lines_checked``), and again for the few possible duplicates (``candidates_...``);
- :mod:`~ratecard.batch.sql.query`: duplicates, the join with the price in force on the
  line's day, the status (``lines_priced`` .. ``lines_decided``) and the result columns.

Where DuckDB and Spark SQL differ, a :class:`Dialect` subclass renders the difference
(:mod:`~ratecard.batch.sql.dialects`); decimals and rounding are
:mod:`~ratecard.batch.sql.numbers`, timestamps :mod:`~ratecard.batch.sql.timestamps`.

**Exactness.** No DOUBLE anywhere and no decimal division. Rounding ``x >= 0`` to
``10^-k`` multiplies by the integer ``10^k``, takes FLOOR and the exact fraction, and bumps
by the mode (:data:`BUMP_RULES`); USD is an integer division of ``amount_units x usd_num``
by ``usd_den`` with the same rules on the remainder. Types are narrow so that no product
needs more than 38 digits: seconds ``DECIMAL(13,6)``, rates ``DECIMAL(18,8)`` (below 10^9),
exact amounts ``DECIMAL(30,14)``, money ``DECIMAL(38,10)``.

**How it scales.** Prices are computed once per distinct (provider, model, duration,
input_seconds, quality, sound) and validity piece, then joined back with the line's day;
duplicates are found through a 64-bit hash of (provider, task_id) whose repeats are then
checked exactly on the few lines concerned; plain money text and canonical timestamps
(``2026-11-01``, ``2026-11-01T10:00:00Z``) take fast paths checked by a round trip.

**Known limits** (by design; each is INVALID_LINE in SQL where Python reads the value,
pinned by ``tests/test_batch_limits.py``):

- money (``charged``, ``reserved``) is a plain decimal: optional sign, digits, optional
  point, ASCII blanks around, at most 16 integer digits (below 1E+16, the bound Python
  applies too: :data:`ratecard.numbers.AMOUNT`) and 10 decimal places where Python reads
  20 (zeros beyond are fine); no exponent (``2.7E+1``), digit separators (``2_7``),
  non-ASCII digits or blanks. A DECIMAL Parquet column is read through its text; FLOAT money is
  refused;
- seconds (``duration``, ``input_seconds``): the same grammar, at most 7 integer digits and
  6 decimal places;
- timestamps: Unix seconds (ASCII digits) or :data:`ISO`: a date, optionally ``T`` or a
  space and ``HH:MM[:SS[.fraction]]`` with ``Z``, ``+HH``, ``+HHMM`` or ``+HH:MM``. Not read:
  week dates, basic-format times, other separators, offsets with seconds, a date with
  ``Z``;
- blanks trimmed from status, sound, quality and money are the ASCII ones Python trims;
  case folding is the engine's ``lower``;
- USD needs ``amount_units x usd_num < 10^18`` (EvoLink: below 4 x 10^12 credits a line);
- cards: see :mod:`ratecard.batch.rates` (what does not fit is refused when the rates
  table is built, never rounded).

>>> "regexp_full_match" in rating_query(DUCKDB), " RLIKE " in rating_query(SPARK)
(True, True)
>>> "-- each distinct job shape of the lines, once" in rating_query(DUCKDB)
True
"""

from __future__ import annotations

from ratecard.batch.sql.columns import (
    CANONICAL_SQL,
    FORMAT_COLUMNS,
    LINE_COLUMNS,
    REQUIRED,
    RESULT_COLUMNS,
)
from ratecard.batch.sql.dialects import (
    DUCKDB,
    SPARK,
    WHITESPACE,
    Dialect,
    DuckDBDialect,
    SparkDialect,
)
from ratecard.batch.sql.numbers import (
    BUMP_RULES,
    NUMBER,
    PLAIN_MONEY,
    decimals_shown,
    number,
    round_nonnegative,
)
from ratecard.batch.sql.query import rating_query, summary_query
from ratecard.batch.sql.timestamps import ISO, LAST_DAY_SECONDS, UNIX
from ratecard.batch.sql.words import (
    CURRENCIES,
    EXACT_CURRENCY,
    EXACT_STATUS,
    SOUND_WORDS,
    STATUS_WORDS,
)

__all__ = [
    "BUMP_RULES", "CANONICAL_SQL", "CURRENCIES", "DUCKDB", "EXACT_CURRENCY", "EXACT_STATUS",
    "FORMAT_COLUMNS", "ISO", "LAST_DAY_SECONDS", "LINE_COLUMNS", "NUMBER", "PLAIN_MONEY",
    "REQUIRED", "RESULT_COLUMNS", "SOUND_WORDS", "SPARK", "STATUS_WORDS", "UNIX", "WHITESPACE",
    "Dialect", "DuckDBDialect", "SparkDialect", "decimals_shown", "number", "rating_query",
    "round_nonnegative", "summary_query",
]
