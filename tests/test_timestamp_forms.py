"""Every engine reads the same timestamps: the documented forms, and no other.

Python's ``datetime.fromisoformat`` reads ISO 8601 forms the SQL engines do not (an hour
alone, week dates, the basic form, an offset with seconds): the same line was priced by
one engine and INVALID_LINE in another. The grammar is now one
(:mod:`ratecard.timestamps`); the expected days are written out by hand. Unix
seconds are 9 to 12 digits: ``20261101`` was read as 1970-08-24 and priced at the oldest
prices, where the sender meant 2026-11-01.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ratecard
from tests.engines import python, same_everywhere, write_csv
from tests.reconcile_strategies import line

CATALOG = ratecard.load(cache=False)

READ = [  # (text, the UTC day it falls on)
    ("2026-11-01", "2026-11-01"),
    ("1762000000", "2025-11-01"),
    ("2026-11-01T10:00Z", "2026-11-01"),
    ("2026-11-01 23:30:00", "2026-11-01"),
    ("2026-11-01T23:30:00-05:00", "2026-11-02"),
    ("2026-11-01T23:30:00.123456789-0500", "2026-11-02"),
    ("2026-11-02T00:30:00,5+01", "2026-11-01"),
    ("100000000", "1973-03-03"),  # the smallest Unix seconds read
    ("000001762000000", "2025-11-01"),  # leading zeros
    ("253402300799", "9999-12-31"),  # the largest: 9999-12-31T23:59:59Z
]
REFUSED = [
    "2026-11-01T23Z",  # an hour alone
    "2026-11-01T23",
    "2026-W44-7",  # a week date
    "20261101T100000Z",  # the basic form
    "2026-11-01T1000",
    "2026-11-01T10:00:00+05:30:15",  # an offset with seconds
    "2026-11-01T10:00:00 +05:00",
    "2026-11-01t10:00:00z",
    "20261101",  # a compact date, not the Unix time 1970-08-24
    "99999999",  # fewer than 9 digits: before 1973, no such invoice
    "0",
    "1793491200000",  # milliseconds
    "253402300800",  # 12 digits, but 10000-01-01
    "999999999999",
]


def _rows(stamps: list[str]) -> list[dict[str, str]]:
    return [line(task_id=f"t{i}", timestamp=stamp) for i, stamp in enumerate(stamps)]


def test_python_reads_the_documented_forms_and_refuses_the_rest(tmp_path: Path) -> None:
    stamps = [text for text, _ in READ] + REFUSED
    results, _ = python(CATALOG, [write_csv(tmp_path / "lines.csv", _rows(stamps))])
    assert [r.day for r in results[:len(READ)]] == [day for _, day in READ]
    refused = results[len(READ):]
    assert [r.status for r in refused] == ["INVALID_LINE"] * len(REFUSED)
    assert all(f"timestamp {text!r} is not a date (YYYY-MM-DD" in r.reason
               for text, r in zip(REFUSED, refused, strict=True))
    # 999999999999 has 12 digits: the reason says why it is refused all the same
    assert all(r.reason.endswith("or Unix seconds (9 to 12 digits, 1973 to 9999)")
               for r in refused)


@pytest.mark.slow  # DuckDB and Spark runs; CI runs them all
def test_every_engine_reads_and_refuses_the_same_timestamps(tmp_path: Path) -> None:
    stamps = [text for text, _ in READ] + REFUSED
    results, _ = same_everywhere(CATALOG, [write_csv(tmp_path / "lines.csv", _rows(stamps))],
                                 ["duckdb", "spark"])
    assert [r.status for r in results] == ["MATCH"] * len(READ) + ["INVALID_LINE"] * len(REFUSED)
