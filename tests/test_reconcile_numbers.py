"""Every number a reconcile reads goes through ratecard.numbers: a charged, reserved or
seconds value beyond its bounds is an INVALID_LINE on every engine, never an abort, a
guess or a gigabyte.

The SQL engines read a narrower grammar (``ratecard.batch.sql``, pinned by
``test_batch_limits``): what they read, Python reads too, and what Python refuses for
its bounds, they refuse as well.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import ratecard
from tests.batch_lines import require_duckdb
from tests.bounded import bounded
from tests.engines import duckdb, python, write_csv

CATALOG = ratecard.load(cache=False)

GOOD = {"task_id": "t", "provider": "evolink", "model": "kling-v3-image-to-video",
        "duration": "5", "quality": "720p", "sound": "off", "timestamp": "2026-11-01",
        "charged": "27.0", "currency": "credits", "status": "succeeded"}
"""27 credits: 5 s of 720p without sound at 5.4 credits a second (seed 001)."""

BEYOND = [
    ("charged", "1e-99", "an exponent Decimal holds but no invoice writes"),
    ("charged", "0." + "0" * 29 + "1", "30 decimal places"),
    ("charged", "1e-999999999", "a billion decimal places"),
    ("charged", "12345678901234567", "17 integer digits: 1E+16 and more"),
    ("charged", "1" + "0" * 200, "a 201-digit amount"),
    ("reserved", "1e-99", "a reservation with an exponent"),
    ("reserved", "0." + "0" * 29 + "1", "a reservation of 30 decimal places"),
    ("duration", "1e-999999999", "a billion decimal places of seconds"),
    ("duration", "5." + "0" * 30 + "1", "31 decimal places of seconds"),
]


def _one(tmp_path: Path, **values: str) -> Path:
    return write_csv(tmp_path / "one.csv", [{**GOOD, **values}])


def _beyond(tmp_path: Path, column: str, value: str) -> Path:
    return write_csv(tmp_path / "three.csv", [
        {**GOOD, "task_id": "before"}, {**GOOD, column: value}, {**GOOD, "task_id": "after"}])


def _expected_total(column: str) -> dict[str, Decimal]:
    # a refused amount is in no total; a readable one stays there, on its invalid line
    return {"credits@evolink": Decimal("54.0") if column == "charged" else Decimal("81.0")}


@pytest.mark.parametrize(("column", "value", "why"), BEYOND, ids=[w for _, _, w in BEYOND])
def test_a_number_beyond_its_bounds_is_an_invalid_line(
        tmp_path: Path, column: str, value: str, why: str) -> None:
    path = _beyond(tmp_path, column, value)
    with bounded():  # the Python path: no abort, no blow-up
        results, summary = python(CATALOG, [path])
    assert [r.status for r in results] == ["MATCH", "INVALID_LINE", "MATCH"], why
    assert summary.total.charged == _expected_total(column)


@pytest.mark.slow  # a DuckDB run per case; CI runs them all
@pytest.mark.parametrize(("column", "value", "why"), BEYOND, ids=[w for _, _, w in BEYOND])
def test_a_number_beyond_its_bounds_is_an_invalid_line_on_duckdb_too(
        tmp_path: Path, column: str, value: str, why: str) -> None:
    require_duckdb()
    sql, sql_summary = duckdb(CATALOG, [_beyond(tmp_path, column, value)])
    assert [r.status for r in sql] == ["MATCH", "INVALID_LINE", "MATCH"], why
    assert sql_summary.total.charged == _expected_total(column)


def test_the_reason_says_which_bound_an_amount_breaks(tmp_path: Path) -> None:
    results, _ = python(CATALOG, [_one(tmp_path, charged="1e-99")])
    assert results[0].reason.endswith("charged '1e-99' has more than 20 decimal places")
    results, _ = python(CATALOG, [_one(tmp_path, charged="12345678901234567")])
    assert "must be below 10000000000000000" in results[0].reason
    results, _ = python(CATALOG, [_one(tmp_path, charged="27,0")])
    assert results[0].reason.endswith("charged '27,0' is not a number")


@pytest.mark.slow  # a DuckDB run per case; CI runs them all
@pytest.mark.parametrize("charged", ["9999999999999999", "9999999999999999.5",
                                     "27.0000000000"])
def test_the_largest_amounts_are_read_alike(tmp_path: Path, charged: str) -> None:
    """16 integer digits and 10 decimal places: inside both grammars."""
    require_duckdb()
    path = _one(tmp_path, charged=charged)
    [py], _ = python(CATALOG, [path])
    [sql], _ = duckdb(CATALOG, [path])
    assert py.status != "INVALID_LINE"
    assert (py.status, py.charged, py.difference) == (sql.status, sql.charged, sql.difference)
    assert py.charged == Decimal(charged)


@pytest.mark.slow  # a DuckDB run per case; CI runs them all
@pytest.mark.parametrize(("column", "value"), [
    ("charged", "-27.0"), ("charged", "-9999999999999999"), ("charged", "-0.0000000001"),
    ("reserved", "-27.0")])
def test_a_negative_charge_or_reservation_is_an_invalid_line_in_both(
        tmp_path: Path, column: str, value: str) -> None:
    """-27.0 charged on a succeeded job was an UNDERCHARGE of 54 credits (and on a failed
    one "a failed task charged -27.0"), netted into every total: a refund is not a
    charge for the job."""
    require_duckdb()
    path = _one(tmp_path, **{column: value})
    [py], _ = python(CATALOG, [path])
    [sql], _ = duckdb(CATALOG, [path])
    said = f"{column} {value!r} is below 0"
    assert (py.status, sql.status) == ("INVALID_LINE", "INVALID_LINE")
    assert py.reason == sql.reason
    assert said in py.reason
    charged = Decimal(value) if column == "charged" else Decimal("27.0")
    assert (py.charged, sql.charged) == (charged, charged)  # still counted in `charged`


def test_a_tiny_duration_costs_nothing_and_writes_a_short_result(tmp_path: Path) -> None:
    """--duration 1e-999999999 in a CSV once cost 7.6 GiB and a 953 MiB results file."""
    from ratecard.cli import main

    path = _one(tmp_path, duration="1e-999999999", charged="1e-999999999",
                reserved="1e-999999999")
    out = tmp_path / "results.csv"
    with bounded():
        assert main(["reconcile", str(path), "--out", str(out)]) == 1
    assert out.stat().st_size < 1000
    assert "INVALID_LINE" in out.read_text(encoding="utf-8")


def test_json_numbers_beyond_bounds_are_invalid_lines_too(tmp_path: Path) -> None:
    path = tmp_path / "lines.jsonl"
    body = ", ".join(f'"{k}": "{v}"' for k, v in GOOD.items()
                     if k not in ("charged", "task_id"))
    path.write_text("".join(
        f'{{{body}, "task_id": "t{n}", "charged": {number}}}\n'
        for n, number in enumerate(["27.0", "1e-999999999", "1" + "0" * 5000, "27.0"])))
    with bounded():
        results, summary = python(CATALOG, [path])
    assert [r.status for r in results] == ["MATCH", "INVALID_LINE", "INVALID_LINE", "MATCH"]
    assert summary.total.charged == {"credits@evolink": Decimal("54.0")}


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_a_negative_zero_charge_is_written_without_its_sign_in_every_engine(
        tmp_path: Path) -> None:
    """``-0`` and ``-0.00`` charged are nothing charged: Python wrote ``-0`` (and a
    difference of ``-0``) where the SQL engines write ``0``."""
    import io

    from ratecard.reconcile.writers import write_results
    from tests.reconcile_strategies import line

    require_duckdb()
    path = write_csv(tmp_path / "zeros.csv", [
        line(task_id="z1", charged="-0"), line(task_id="z2", charged="-0.00"),
        line(task_id="z3", charged="-0", status="failed", reserved="-0.0")])
    written = {}
    for engine, run in (("python", python), ("duckdb", duckdb)):
        out = io.StringIO()
        write_results(run(CATALOG, [path])[0], out, "csv")
        written[engine] = out.getvalue()
    rows = [row.split(",") for row in written["python"].splitlines()]
    charged, difference = rows[0].index("charged"), rows[0].index("difference")
    reserved = rows[0].index("reserved")
    assert [(row[charged], row[difference]) for row in rows[1:]] == [
        ("0", "-27.0000"), ("0.00", "-27.0000"), ("0", "0")]
    assert rows[3][reserved] == "0.0"
    assert written["python"] == written["duckdb"]
