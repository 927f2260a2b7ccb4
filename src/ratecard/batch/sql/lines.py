"""Each invoice line read from its text in SQL, as the Python reconciler reads it.

:func:`line_ctes` gives the CTEs ``{prefix}_flagged`` .. ``{prefix}_checked`` over a
relation of lines: money, currency, job status and reservation read from text, the UTC
day of the timestamp, and why a line cannot be read (``invalid``, NULL when it can), in
the reconciler's order. Plain money text and canonical timestamps take fast paths checked
by a round trip.

>>> from ratecard.batch.sql.dialects import DUCKDB
>>> [cte.name for cte in line_ctes(DUCKDB, "lines", "numbered")][::3]
['lines_flagged', 'lines_iso_matched', 'lines_dated']
"""

from __future__ import annotations

from ratecard.batch.sql.columns import CANONICAL_SQL
from ratecard.batch.sql.ctes import Cte
from ratecard.batch.sql.dialects import WHITESPACE, Dialect
from ratecard.batch.sql.numbers import MONEY, PLAIN_MONEY, money
from ratecard.batch.sql.timestamps import FIRST_DAY, ISO, LAST_DAY, UNIX, timestamp_columns
from ratecard.batch.sql.verdicts import reason
from ratecard.batch.sql.words import (
    CURRENCIES,
    EXACT_CURRENCY,
    EXACT_STATUS,
    STATUS_WORDS,
    folded,
    lookup,
)
from ratecard.reconcile.readers import REQUIRED as REQUIRED_FIELDS
from ratecard.reconcile.reasons import SEPARATOR


def invalid_reason(d: Dialect) -> str:
    """Why a line cannot be read, or NULL: the reader's error, then each field in turn."""
    required = [(name, CANONICAL_SQL[name]) for name in REQUIRED_FIELDS]
    missing = ", ".join(f"CASE WHEN {column} = '' THEN {d.literal(name)} END"
                        for name, column in required)
    arms = [
        ("error <> ''", "error"),
        (" OR ".join(f"{column} = ''" for _, column in required),
         reason(d, "missing", columns=f"concat_ws({d.literal(SEPARATOR)}, {missing})")),
        ("charged_v IS NULL",
         reason(d, "charged_not_a_number", charged="charged", decimals=MONEY.scale)),
        ("charged_v < 0", reason(d, "charged_negative", charged="charged")),
        ("currency_v IS NULL", reason(d, "currency_unknown", currency="currency")),
        ("job_v IS NULL", reason(d, "job_status_unknown", status="status")),
        ("reserved <> '' AND reserved_v IS NULL",
         reason(d, "reserved_not_a_number", reserved="reserved")),
        ("reserved_v < 0", reason(d, "reserved_negative", reserved="reserved")),
        ("day_v IS NULL", reason(d, "timestamp_unreadable", timestamp="ts")),
    ]
    return "CASE" + "".join(f"\n      WHEN {test}\n        THEN {why}" for test, why in arms) \
        + "\n    END"


def unless(known: str, expr: str) -> str:
    """``expr`` where ``known`` is NULL: a lookup of ``expr`` repeats it in every arm, and
    DuckDB then computes it once for every row, even those ``known`` already reads."""
    return f"(CASE WHEN {known} IS NULL THEN {expr} END)"


def line_ctes(d: Dialect, prefix: str, source: str) -> list[Cte]:
    """The CTEs reading each line of ``source``, named ``{prefix}_...``; the last,
    ``{prefix}_checked``, has every field read and ``invalid``."""
    p = prefix
    ts = timestamp_columns(d)
    status = d.trim("BOTH", "status", WHITESPACE)
    return [
        Cte(f"{p}_flagged", "whether charged is plain money; a 20-character ts as a timestamp",
            f"""SELECT s.*, (CASE WHEN length(ts) = 20 THEN TRY_CAST(ts AS TIMESTAMP) END) AS ts_t,
    {d.full_match('charged', PLAIN_MONEY)} AS charged_plain
  FROM {source} s""", inline=True),
        Cte(f"{p}_fast_dated", "the day of a canonical date or UTC timestamp (round trip)",
            f"""SELECT f.*,
    (CASE WHEN ts_t IS NOT NULL AND {d.format_utc('ts_t')} = ts THEN CAST(ts_t AS DATE)
      WHEN length(ts) = 10 AND CAST(TRY_CAST(ts AS DATE) AS STRING) = ts
      THEN TRY_CAST(ts AS DATE) END) AS ts_fast
  FROM {p}_flagged f"""),
        Cte(f"{p}_unix_matched", "whether a ts not read so far is Unix seconds",
            f"""SELECT f.*,
    (CASE WHEN ts_fast IS NOT NULL THEN FALSE ELSE {d.full_match('ts', UNIX)} END) AS ts_unix
  FROM {p}_fast_dated f"""),
        Cte(f"{p}_iso_matched", "whether a ts not read so far has an ISO 8601 form read here",
            f"""SELECT f.*,
    (CASE WHEN ts_fast IS NOT NULL OR ts_unix THEN FALSE ELSE {d.full_match('ts', ISO)} END)
      AS ts_iso
  FROM {p}_unix_matched f"""),
        Cte(f"{p}_timed", "the Unix day; the ISO time's UTC offset, local minutes and validity",
            f"""SELECT s.*, {ts['unix_day']} AS unix_day, {ts['ts_offset']} AS ts_offset,
    {ts['ts_local']} AS ts_local, {ts['ts_time_ok']} AS ts_time_ok
  FROM {p}_iso_matched s"""),
        Cte(f"{p}_parsed", "money and the ISO day read from text; currency and status as spelt",
            f"""SELECT t.*,
    {money(d, 'charged', plain='charged_plain')} AS charged_v,
    {lookup('currency', EXACT_CURRENCY)} AS currency_exact,
    {lookup('status', EXACT_STATUS)} AS job_exact,
    (CASE WHEN reserved = '' THEN NULL ELSE {money(d, 'reserved')} END) AS reserved_v,
    {ts['iso_day']} AS iso_day
  FROM {p}_timed t"""),
        Cte(f"{p}_dated", "currency and job status by their words; the UTC day Python reads",
            f"""SELECT p.*,
    COALESCE(currency_exact, {lookup(unless('currency_exact', folded(d, 'currency')),
                                     CURRENCIES)}) AS currency_v,
    COALESCE(job_exact, {lookup(unless('job_exact', folded(d, status)), STATUS_WORDS)}) AS job_v,
    (CASE WHEN ts_fast BETWEEN {FIRST_DAY} AND {LAST_DAY} THEN ts_fast
      WHEN ts_unix THEN unix_day
      WHEN iso_day BETWEEN {FIRST_DAY} AND {LAST_DAY} THEN iso_day END) AS day_v
  FROM {p}_parsed p"""),
        Cte(f"{p}_checked", "why the line cannot be read (NULL: it can), in the reconciler's order",
            f"""SELECT p.*,
    {invalid_reason(d)} AS invalid
  FROM {p}_dated p""", inline=True),
    ]
