"""The UTC day of a timestamp's text in SQL: Unix seconds or the ISO 8601 forms of :data:`ISO`.

Canonical timestamps (``2026-11-01``, ``2026-11-01T10:00:00Z``) take a fast path checked
by a round trip; the rest is matched against :data:`UNIX` and :data:`ISO` and taken apart
into an offset and minutes into the local day (:func:`timestamp_columns`).

>>> from ratecard.batch.sql.dialects import DUCKDB
>>> sorted(timestamp_columns(DUCKDB))
['iso_day', 'ts_local', 'ts_offset', 'ts_time_ok', 'unix_day']
"""

from __future__ import annotations

from ratecard.batch.sql.dialects import Dialect
from ratecard.timestamps import ISO, UNIX  # the one grammar of every engine

__all__ = ["FIRST_DAY", "ISO", "LAST_DAY", "LAST_DAY_SECONDS", "UNIX", "timestamp_columns"]

LAST_DAY_SECONDS = 253402300799
"""9999-12-31T23:59:59Z, the last Unix second Python's dates reach."""
FIRST_DAY, LAST_DAY = "DATE '0001-01-01'", "DATE '9999-12-31'"
"""The days Python's dates reach."""


def timestamp_columns(d: Dialect) -> dict[str, str]:
    """Expressions for the UTC day of ``ts``, in layers (each may use the ones before):
    ``unix_day``; ``ts_offset`` (minutes east of UTC), ``ts_local`` (minutes into the local
    day), ``ts_time_ok``; then ``iso_day``. ``ts_unix``/``ts_iso`` say which grammar matched.
    """
    n = "length(ts)"

    def two(at: str) -> str:
        return f"TRY_CAST(substr(ts, {at}, 2) AS INTEGER)"

    def signed(at: str, minutes: str) -> str:
        return f"(CASE WHEN substr(ts, {at}, 1) = '-' THEN -1 ELSE 1 END) * ({minutes})"

    # after a time, the ISO grammar allows only Z, +HH:MM, +HHMM or +HH at the very end
    offset = (f"CASE WHEN NOT ts_iso THEN NULL WHEN {n} <= 16 OR substr(ts, {n}, 1) = 'Z' THEN 0"
              f" WHEN substr(ts, {n} - 5, 1) IN ('+', '-') THEN "
              + signed(f"{n} - 5", f"{two(f'{n} - 4')} * 60 + {two(f'{n} - 1')}")
              + f" WHEN substr(ts, {n} - 4, 1) IN ('+', '-') THEN "
              + signed(f"{n} - 4", f"{two(f'{n} - 3')} * 60 + {two(f'{n} - 1')}")
              + f" WHEN substr(ts, {n} - 2, 1) IN ('+', '-') THEN "
              + signed(f"{n} - 2", f"{two(f'{n} - 1')} * 60")
              + " ELSE 0 END")
    seconds = two("18")
    time_ok = (f"CASE WHEN NOT ts_iso THEN NULL WHEN {n} = 10 THEN TRUE ELSE"
               f" {two('12')} <= 23 AND {two('15')} <= 59"
               f" AND ({n} < 19 OR substr(ts, 17, 1) <> ':' OR {seconds} <= 59) END")
    unix = ("CASE WHEN ts_unix AND CAST(ts AS DECIMAL(38,0)) <= "
            f"{LAST_DAY_SECONDS} THEN "
            + d.add_days("DATE '1970-01-01'",
                         d.int_div("CAST(CAST(ts AS DECIMAL(38,0)) AS BIGINT)", "86400"))
            + " END")
    utc = "(ts_local - ts_offset)"
    shift = f"(CASE WHEN {utc} < 0 THEN -1 WHEN {utc} >= 1440 THEN 1 ELSE 0 END)"
    iso = ("CASE WHEN ts_time_ok AND abs(ts_offset) < 1440 AND substr(ts, 1, 4) <> '0000'"
           f" THEN {d.add_days('TRY_CAST(substr(ts, 1, 10) AS DATE)', shift)} END")
    return {
        "unix_day": unix,
        "ts_offset": offset,
        "ts_local": f"CASE WHEN NOT ts_iso THEN NULL WHEN {n} = 10 THEN 0"
                    f" ELSE {two('12')} * 60 + {two('15')} END",
        "ts_time_ok": time_ok,
        "iso_day": iso,
    }
