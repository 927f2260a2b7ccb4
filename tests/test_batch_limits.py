"""Where the SQL engines read less than the Python path, by design (ratecard.batch.sql).

Each value here is read by Python's ``Decimal`` but is outside the declared DECIMAL
scales, so DuckDB and Spark report the line as INVALID_LINE. These are the only
differences; the differential test excludes them. If one of these starts to agree, move
it into ``tests/batch_lines.py``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import ratecard
from ratecard.reconcile.readers import COLUMNS, read_lines
from ratecard.reconcile.reconciler import reconcile
from tests.batch_lines import require_duckdb


@pytest.fixture(autouse=True)
def _duckdb() -> None:
    require_duckdb()


GOOD = {"task_id": "t", "provider": "evolink", "model": "kling-o3-video-edit",
        "duration": "", "input_seconds": "7", "quality": "720p", "sound": "",
        "timestamp": "2026-11-01T10:00:00Z", "charged": "56.7", "currency": "credits",
        "status": "succeeded", "reserved": ""}

LIMITS = [
    ("charged", "5.67E+1", "exponent notation"),
    ("charged", "56.70000000001", "more than 10 decimal places"),
    ("input_seconds", "7.0000001", "seconds with more than 6 decimal places"),
    ("input_seconds", "12345678", "seconds with more than 7 integer digits"),
]

# Python once read these (datetime.fromisoformat) and SQL refused them; since one grammar
# (ratecard.timestamps) serves every engine, both refuse them.
TIMESTAMPS_REFUSED_ALIKE = [
    ("2026-W44-7", "ISO week date"),
    ("2026-11-01T1000", "basic-format time"),
    ("2026-11-01x10:00", "separator other than T or a space"),
    ("2026-11-01T10:00:00+05:30:15", "offset with seconds"),
    ("2026-11-01Z", "date with Z"),
    ("2026-11-01T10", "hour without minutes"),
]


@pytest.mark.slow  # a DuckDB run per case; CI runs them all
@pytest.mark.parametrize(("column", "value", "why"), LIMITS, ids=[w for _, _, w in LIMITS])
def test_sql_engines_refuse_what_python_reads(tmp_path: Path, column: str, value: str,
                                              why: str) -> None:
    from ratecard.batch import duckdb_engine

    path = tmp_path / "one.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerow([value if c == column else GOOD[c] for c in COLUMNS])
    catalog = ratecard.load()
    [python], _ = reconcile(catalog, read_lines([path]))
    [sql], _ = duckdb_engine.reconcile(catalog, [path])
    assert python.status != "INVALID_LINE", (why, python)
    assert sql.status == "INVALID_LINE", (why, sql)


@pytest.mark.slow  # a DuckDB run per case; CI runs them all
def test_the_good_line_agrees(tmp_path: Path) -> None:
    from ratecard.batch import duckdb_engine

    path = tmp_path / "one.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerow([GOOD[c] for c in COLUMNS])
    catalog = ratecard.load()
    [python], _ = reconcile(catalog, read_lines([path]))
    [sql], _ = duckdb_engine.reconcile(catalog, [path])
    assert python.status == sql.status == "MATCH"
    assert python == sql


REFUSED_ALIKE = [
    ("5_6.7", "digit separator"),
    ("56,7", "decimal comma"),
    ("\u0665\u0666.7", "non-ASCII digits"),
    ("\uff15\uff16.7", "full-width digits"),
    ("56.7\u00a0", "non-ASCII blank"),
    ("\u200956.7", "thin space"),
]


@pytest.mark.slow  # a DuckDB run per case; CI runs them all
@pytest.mark.parametrize(("charged", "why"), REFUSED_ALIKE, ids=[w for _, w in REFUSED_ALIKE])
def test_both_engines_refuse_what_is_not_plain_ascii_decimal(tmp_path: Path, charged: str,
                                                             why: str) -> None:
    """27_0 is refused, never read as 270; 56,7 never as 567 or 56.7; digits and blanks of
    other scripts are not guessed (Python's Decimal would read them): Python and SQL
    alike."""
    from ratecard.batch import duckdb_engine

    path = tmp_path / "one.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerow([charged if c == "charged" else GOOD[c] for c in COLUMNS])
    catalog = ratecard.load()
    [python], _ = reconcile(catalog, read_lines([path]))
    [sql], _ = duckdb_engine.reconcile(catalog, [path])
    assert (python.status, sql.status) == ("INVALID_LINE", "INVALID_LINE"), why
    assert python.charged is None
    assert sql.charged is None


@pytest.mark.slow  # a DuckDB run per case; CI runs them all
@pytest.mark.parametrize(("timestamp", "why"), TIMESTAMPS_REFUSED_ALIKE,
                         ids=[w for _, w in TIMESTAMPS_REFUSED_ALIKE])
def test_both_engines_refuse_timestamps_outside_the_grammar(tmp_path: Path, timestamp: str,
                                                            why: str) -> None:
    from ratecard.batch import duckdb_engine

    path = tmp_path / "one.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerow([timestamp if c == "timestamp" else GOOD[c] for c in COLUMNS])
    catalog = ratecard.load()
    [python], _ = reconcile(catalog, read_lines([path]))
    [sql], _ = duckdb_engine.reconcile(catalog, [path])
    assert (python.status, sql.status) == ("INVALID_LINE", "INVALID_LINE"), why
    assert "is not a date" in python.reason, python
