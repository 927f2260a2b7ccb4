"""The Python engine, DuckDB and Spark agree exactly on every generated invoice line.

More than 10,000 lines (``tests/batch_lines.py``, fixed seed) cover every built-in
offering x quality x sound, every rounding mode on billed seconds, amounts and USD, ties
at half a unit, accepted-range and clamp boundaries, the first day of every validity and
the day before, unknown offerings, unpriced days, USD lines, failed and cancelled tasks,
duplicates, reservations and invalid lines. Each engine's results must equal the Python
path's on every field (statuses, amounts as exact values and as their text at the card's
precision; the reason word for word but where a line cannot be read or priced, whose SQL
wording may be shorter), and the summary.

DuckDB and PySpark (with Java 17) are part of the ``dev`` extra, so CI runs all three.
Locally a missing one is skipped with the reason; under ``CI`` it fails instead.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from ratecard.api import Catalog
from ratecard.errors import RatecardError
from ratecard.reconcile.readers import COLUMNS, read_lines
from ratecard.reconcile.reconciler import LineResult, Summary, reconcile
from ratecard.reconcile.writers import write_results, write_summary
from tests.batch_lines import catalog, generate, require_duckdb, write_parquet
from tests.engines import WORDED_BY_ENGINE

pytestmark = pytest.mark.slow  # Spark, and tens of thousands of lines per engine

PRICED = {"MATCH", "ROUNDING_DIFF", "OVERCHARGE", "UNDERCHARGE", "RESERVED_NE_SETTLED",
          "CHARGED_FOR_FAILED"}
MODES = {"half_up", "half_even", "half_down", "up", "down", "ceiling", "floor"}


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run every engine")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local SparkSession for the whole test session (local[2], UI off)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        _missing("pyspark is not installed (pip install -e '.[dev]')")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        _missing("Java 17 is not installed (Spark needs it on PATH or in JAVA_HOME)")
    from ratecard.batch.spark_engine import session

    try:
        spark_session = session("local[2]")
    except RatecardError as exc:  # pragma: no cover - depends on the machine
        _missing(str(exc))
    yield spark_session
    spark_session.stop()


@dataclass
class Case:
    catalog: Catalog
    lines: list[dict[str, str]]
    parquet: Path
    csv: Path
    results: list[LineResult]
    summary: Summary


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    require_duckdb()
    folder = tmp_path_factory.mktemp("batch")
    cat = catalog()
    lines = generate(cat)
    parquet = folder / "lines.parquet"
    write_parquet(lines, parquet)
    text = folder / "lines.csv"
    with text.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows([line[c] for c in COLUMNS] for line in lines)
        handle.write("t-broken,evolink\n\n")  # malformed rows, kept with their line numbers
    from ratecard.batch.parquet_input import read_parquet

    results, summary = reconcile(cat, read_parquet([parquet]))
    return Case(cat, lines, parquet, text, results, summary)


def _precision(cat: Catalog, result: LineResult) -> Decimal:
    """The card's precision for the line's currency (the unit amounts are shown at)."""
    try:
        plan = cat.plan(result.provider or "", result.model or "")
    except RatecardError:
        return Decimal("0.0000000001")
    return plan.amount_precision if result.currency == plan.currency else plan.usd_precision


def _canonical(value: Decimal | None, precision: Decimal) -> str | None:
    if value is None:
        return None
    if value == value.quantize(precision):
        return str(value.quantize(precision))
    return f"{value.normalize():f}"


def assert_agree(cat: Catalog, expected: list[LineResult], actual: list[LineResult],
                 engine: str) -> None:
    """Every field equal, amounts also as text at the card's precision; the reason word
    for word but where the line cannot be read or priced (:data:`WORDED_BY_ENGINE`)."""
    assert len(actual) == len(expected), engine
    differ = []
    for py, other in zip(expected, actual, strict=True):
        key_py = (py.source, py.line, py.status, py.expected, py.charged, py.difference,
                  py.price_version)
        key_other = (other.source, other.line, other.status, other.expected, other.charged,
                     other.difference, other.price_version)
        unit = _precision(cat, py)
        texts_py = [_canonical(v, unit) for v in (py.expected, py.charged, py.difference,
                                                  py.reserved)]
        texts_other = [_canonical(v, unit) for v in (other.expected, other.charged,
                                                     other.difference, other.reserved)]
        same_reason = py.status in WORDED_BY_ENGINE or py.reason == other.reason
        if key_py != key_other or texts_py != texts_other or py[:-1] != other[:-1] \
                or not same_reason:
            differ.append((py, other))
    assert not differ, f"{engine}: {len(differ)} lines differ from Python, e.g. {differ[:2]}"


def _summary_json(summary: Summary) -> str:
    out = io.StringIO()
    write_summary(summary, out, "json")
    return out.getvalue()


def _csv_without_reasons(results: list[LineResult]) -> str:
    out = io.StringIO()
    write_results([result._replace(reason="") for result in results], out, "csv")
    return out.getvalue()


def coverage(cat: Catalog, lines: list[dict[str, str]],
             results: list[LineResult]) -> dict[str, Any]:
    """What the generated lines exercise, counted on the Python path's verdicts."""
    words = {"on": True, "true": True, "1": True, "yes": True, "off": False,
             "false": False, "0": False, "no": False}
    cells: set[tuple[str, str, str, bool]] = set()
    modes: dict[str, set[str]] = {"seconds": set(), "amount": set(), "usd": set()}
    ties: Counter[str] = Counter()
    for line, result in zip(lines, results, strict=True):
        if result.status not in PRICED or result.status == "CHARGED_FOR_FAILED":
            continue
        assert result.provider is not None
        assert result.model is not None
        # the names as the cards spell them (a line may say EVOLINK)
        plan = cat.plan(result.provider, result.model)
        sound = line["sound"].strip().lower()
        q = cat.index.quote(result.provider, result.model,
                            duration=line["duration"] or None,
                            input_seconds=line["input_seconds"] or None,
                            quality=line["quality"].strip() or None,
                            sound=words[sound] if sound else None, at=result.day,
                            invoiced=True)
        cells.add((plan.provider, plan.model, q.quality, q.sound))
        modes["amount"].add(plan.amount_mode)
        if _half(q.amount_exact, plan.amount_precision):
            ties[f"amount {plan.amount_mode}"] += 1
        if plan.seconds_mode is not None and q.billed_seconds is not None:
            modes["seconds"].add(plan.seconds_mode)
            clamped = q.steps[0].value
            for step in q.steps:
                if step.name == "clamped":
                    clamped = step.value
            if clamped is not None and _half(clamped, plan.seconds_precision or Decimal(1)):
                ties[f"seconds {plan.seconds_mode}"] += 1
        if result.currency == "USD" and plan.currency != "USD":
            modes["usd"].add(plan.usd_mode)
            cpu = q.credits_per_usd
            assert cpu is not None
            exact = Fraction(q.credits) / Fraction(cpu) / Fraction(plan.usd_precision)
            if exact.denominator == 2:
                ties[f"usd {plan.usd_mode}"] += 1
    return {"lines": len(lines), "statuses": Counter(r.status for r in results),
            "cells": cells, "modes": modes, "ties": ties}


def _half(value: Decimal, precision: Decimal) -> bool:
    return Fraction(value) / Fraction(precision) % 1 == Fraction(1, 2)


def test_the_lines_cover_every_offering_mode_tie_and_status(case: Case) -> None:
    found = coverage(case.catalog, case.lines, case.results)
    assert found["lines"] >= 10_000
    builtin = {(plan.provider, plan.model, quality, sound == "on")
               for plan in case.catalog.plans() for quality in plan.qualities
               for sound in plan.sounds}
    assert builtin <= found["cells"], sorted(builtin - found["cells"])
    for stage in ("seconds", "amount", "usd"):
        assert found["modes"][stage] == MODES, (stage, found["modes"][stage])
    tied_modes = {key.split()[1] for key in found["ties"]}
    assert tied_modes >= {"half_up", "half_even", "half_down"}, found["ties"]
    assert set(found["statuses"]) == {
        "MATCH", "ROUNDING_DIFF", "OVERCHARGE", "UNDERCHARGE", "UNKNOWN_OFFERING",
        "UNPRICED_DATE", "UNPRICED_CURRENCY", "INVALID_LINE", "DUPLICATE_TASK",
        "CHARGED_FOR_FAILED", "RESERVED_NE_SETTLED"}
    print(f"\ncoverage: {found['lines']} lines; statuses {dict(found['statuses'])}; "
          f"{len(found['cells'])} offering x quality x sound cells priced; "
          f"ties {dict(found['ties'])}")


def test_duckdb_agrees_with_python(case: Case) -> None:
    from ratecard.batch import duckdb_engine

    results, summary = duckdb_engine.reconcile(case.catalog, [case.parquet])
    assert_agree(case.catalog, case.results, results, "duckdb")
    assert _summary_json(summary) == _summary_json(case.summary)
    assert _csv_without_reasons(results) == _csv_without_reasons(case.results)


def test_spark_agrees_with_python(case: Case, spark: Any) -> None:
    from ratecard.batch import spark_engine

    results, summary = spark_engine.reconcile(case.catalog, [case.parquet], spark=spark)
    assert_agree(case.catalog, case.results, results, "spark")
    assert _summary_json(summary) == _summary_json(case.summary)
    assert _csv_without_reasons(results) == _csv_without_reasons(case.results)


def test_csv_input_gives_the_same_results_in_every_engine(case: Case, spark: Any) -> None:
    from ratecard.batch import duckdb_engine, spark_engine

    expected, summary = reconcile(case.catalog, read_lines([case.csv]))
    assert expected[-2].status == expected[-1].status == "INVALID_LINE"  # broken, blank
    for engine, (results, other) in {
        "duckdb": duckdb_engine.reconcile(case.catalog, [case.csv]),
        "spark": spark_engine.reconcile(case.catalog, [case.csv], spark=spark),
    }.items():
        assert_agree(case.catalog, expected, results, engine)
        assert _summary_json(other) == _summary_json(summary), engine


def test_a_tolerance_is_applied_alike(case: Case) -> None:
    from ratecard.batch import duckdb_engine
    from ratecard.batch.parquet_input import read_parquet

    tolerance = Decimal("0.5")
    expected, _ = reconcile(case.catalog, read_parquet([case.parquet]), tolerance)
    results, _ = duckdb_engine.reconcile(case.catalog, [case.parquet], tolerance=tolerance)
    assert_agree(case.catalog, expected, results, "duckdb --tolerance 0.5")
    assert Counter(r.status for r in expected) != Counter(r.status for r in case.results)


def test_hash_collisions_do_not_change_results(case: Case,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Duplicates are found through a hash of (provider, task_id) and then checked exactly:
    with a hash that collides for every line, the results are the same."""
    from ratecard.batch import duckdb_engine
    from ratecard.batch.sql import Dialect

    monkeypatch.setattr(Dialect, "hash", lambda self, *exprs: "0")
    results, summary = duckdb_engine.reconcile(case.catalog, [case.parquet])
    assert_agree(case.catalog, case.results, results, "duckdb, colliding hash")
    assert _summary_json(summary) == _summary_json(case.summary)


def test_typed_parquet_columns_in_every_engine(case: Case, spark: Any,
                                               tmp_path: Path) -> None:
    """Typed columns (DOUBLE and DECIMAL seconds, BOOLEAN sound, TIMESTAMP WITH TIME ZONE,
    DECIMAL money, a column of NULLs) are read alike by the three engines."""
    from ratecard.batch import duckdb_engine, spark_engine
    from ratecard.batch.duckdb_engine import connect
    from ratecard.batch.parquet_input import read_parquet

    typed = tmp_path / "typed.parquet"
    db = connect()
    db.execute(f"""COPY (SELECT task_id, provider, model,
        TRY_CAST(duration AS DOUBLE) AS duration,
        TRY_CAST(input_seconds AS DECIMAL(12,3)) AS input_seconds, quality,
        CASE WHEN lower(trim(sound)) IN ('on', 'true', '1', 'yes') THEN TRUE
          WHEN lower(trim(sound)) IN ('off', 'false', '0', 'no') THEN FALSE END AS sound,
        TRY_CAST("timestamp" AS TIMESTAMPTZ) AS "timestamp",
        TRY_CAST(charged AS DECIMAL(20,6)) AS charged, currency, status,
        CAST(NULL AS VARCHAR) AS reserved
        FROM '{case.parquet}') TO '{typed}' (FORMAT parquet)""")
    db.close()
    expected, summary = reconcile(case.catalog, read_parquet([typed]))
    assert Counter(r.status for r in expected)["MATCH"] > 1000
    for engine, (results, other) in {
        "duckdb": duckdb_engine.reconcile(case.catalog, [typed]),
        "spark": spark_engine.reconcile(case.catalog, [typed], spark=spark),
    }.items():
        assert_agree(case.catalog, expected, results, f"{engine}, typed columns")
        assert _summary_json(other) == _summary_json(summary), engine


def test_millisecond_timestamps_beyond_the_engines_in_every_engine(
        case: Case, spark: Any, tmp_path: Path) -> None:
    """Every line with its timestamp as a Parquet TIMESTAMP(MILLIS) column (Arrow's
    ``timestamp[ms]``), one line in 500 past the engines' year 294247: those lines, and
    only those, are INVALID_LINE, in the three engines alike. (The file failed whole.)"""
    import struct

    from ratecard.batch import duckdb_engine, spark_engine
    from ratecard.batch.duckdb_engine import connect
    from ratecard.batch.parquet_input import read_parquet

    marks = {n: 6 * 10**15 + n for n in range(0, len(case.lines), 500)}
    """Line number - 1 -> a millisecond in the year 192104 (past every generated
    timestamp), written over in the file with 10**16 + n (the year 318857)."""
    typed = tmp_path / "millis.parquet"
    db = connect()
    db.execute(f"""COPY (
        SELECT * EXCLUDE (n, file_row_number) REPLACE (CASE WHEN n % 500 = 0
          THEN make_timestamp(({6 * 10**15} + n) * 1000)::TIMESTAMP_MS
          ELSE TRY_CAST("timestamp" AS TIMESTAMPTZ)::TIMESTAMP_MS END AS "timestamp")
        FROM (SELECT *, file_row_number AS n
          FROM read_parquet('{case.parquet}', file_row_number = true) ORDER BY n))
        TO '{typed}' (FORMAT parquet, COMPRESSION uncompressed)""")
    db.close()
    data = typed.read_bytes()
    for n, ms in marks.items():
        mark = struct.pack("<q", ms)
        assert data.count(mark) >= 1, n
        data = data.replace(mark, struct.pack("<q", 10**16 + n))
    typed.write_bytes(data)
    expected, summary = reconcile(case.catalog, read_parquet([typed]))
    beyond = [r.line for r in expected if "beyond the timestamps the engines hold" in r.reason]
    assert beyond == [n + 1 for n in marks]
    assert all(expected[n].status == "INVALID_LINE" for n in marks)
    assert Counter(r.status for r in expected)["MATCH"] > 1000
    for engine, (results, other) in {
        "duckdb": duckdb_engine.reconcile(case.catalog, [typed]),
        "spark": spark_engine.reconcile(case.catalog, [typed], spark=spark),
    }.items():
        assert_agree(case.catalog, expected, results, f"{engine}, millisecond timestamps")
        assert [r.reason for r in results if r.line in beyond] == \
            [expected[line - 1].reason for line in beyond], engine
        assert _summary_json(other) == _summary_json(summary), engine


def test_several_files_in_the_order_given(case: Case, spark: Any, tmp_path: Path) -> None:
    """Files keep the order given (the first occurrence of a task is in the first file
    that has it), Parquet and CSV mixed, a copy of a file included (the same file given
    twice is refused: tests/test_cli_inputs.py)."""
    from ratecard.batch import duckdb_engine, spark_engine
    from ratecard.batch.parquet_input import read_any

    head = tmp_path / "head.csv"
    with head.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows([line[c] for c in COLUMNS] for line in case.lines[:300])
    again = tmp_path / "head-again.csv"
    again.write_bytes(head.read_bytes())
    files = [case.parquet, head, again]
    expected, summary = reconcile(case.catalog, read_any(files))
    assert Counter(r.status for r in expected)["DUPLICATE_TASK"] >= 600
    for engine, (results, other) in {
        "duckdb": duckdb_engine.reconcile(case.catalog, files),
        "spark": spark_engine.reconcile(case.catalog, files, spark=spark),
    }.items():
        assert_agree(case.catalog, expected, results, f"{engine}, three files")
        assert _summary_json(other) == _summary_json(summary), engine


def _task_records(seed: int = 5) -> list[object]:
    """Task records of both providers' shapes (seed 001's EvoLink task object, seed 003's
    kling3api status record) across statuses, durations, holds, charges and days, with
    duplicates, unreadable records and ids too long: a fixed draw."""
    import random

    rng = random.Random(seed)
    records: list[object] = []
    for n in range(400):
        day = 1793577600 + rng.randrange(-400, 400) * 86_400  # 2026-11-01, +- 400 days
        if rng.random() < 0.5:
            status = rng.choice(["pending", "processing", "completed", "failed", "cancelled"])
            usage: dict[str, object] = {"billing_rule": "per_second",
                                        "credits_reserved": rng.choice(
                                            [27.0, 54, 30, 0, 40.5, 108, 200, 35.99])}
            records.append({
                "created": day, "id": f"evo-{n % 350}", "object": "video.generation.task",
                "model": rng.choice(["kling-v3-image-to-video", "kling-v3-text-to-video",
                                     "no-such-model"]),
                "status": status, "progress": 0, "type": "video",
                "task_info": {"video_duration": rng.choice([5, 10, 7.5, 0, 99])},
                "usage": usage})
        else:
            records.append({"code": 200, "message": "success", "data": {
                "task_id": f"k-{n % 350}" if rng.random() < 0.98 else "k" * 300,
                "status": rng.choice(["SUCCESS", "FAILED", "PENDING", "PROCESSING"]),
                "consumed_credits": rng.choice([400, 420, 0, 800, 160]),
                "created_at": f"20{rng.randrange(25, 28)}-0{rng.randrange(1, 10)}-15T10:30:00Z",
                "request": {"type": rng.choice(["pro-text-to-video", "std-text-to-video",
                                                "pro-image-to-video"]),
                            "duration": rng.choice([5, 10, 3])}}})
        if rng.random() < 0.03:
            records.append({"code": 200, "data": {"task_id": f"broken-{n}"}})
    return records


def test_task_records_give_the_same_results_in_every_engine(spark: Any,
                                                            tmp_path: Path) -> None:
    """The SQL engines once read every task record as INVALID_LINE: now as Python does."""
    import json

    from ratecard.batch import duckdb_engine, spark_engine

    require_duckdb()
    cat = catalog()
    path = tmp_path / "tasks.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _task_records()), encoding="utf-8")
    expected, summary = reconcile(cat, read_lines([path]))
    statuses = Counter(r.status for r in expected)
    assert {"MATCH", "OVERCHARGE", "CHARGED_FOR_FAILED", "INVALID_LINE",
            "DUPLICATE_TASK"} <= set(statuses), statuses
    assert statuses["INVALID_LINE"] < len(expected) // 2, statuses
    for engine, (results, other) in {
        "duckdb": duckdb_engine.reconcile(cat, [path]),
        "spark": spark_engine.reconcile(cat, [path], spark=spark),
    }.items():
        assert_agree(cat, expected, results, f"{engine}, task records")
        assert _summary_json(other) == _summary_json(summary), engine
