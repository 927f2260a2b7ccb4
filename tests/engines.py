"""Run one input through each reconcile engine, for the tests that hold them to the same
results (Python, DuckDB, and Spark where a test asks for it and it can start)."""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from ratecard.api import Catalog
from ratecard.reconcile.readers import COLUMNS
from ratecard.reconcile.reconciler import LineResult, Summary, reconcile
from ratecard.reconcile.writers import write_summary

Outcome = tuple[list[LineResult], Summary]


def python(catalog: Catalog, paths: Sequence[Path], tolerance: Any = None) -> Outcome:
    """The Python engine (Parquet read through DuckDB's staging, as the CLI does)."""
    from ratecard.batch.parquet_input import read_any

    return reconcile(catalog, read_any(paths), tolerance)


def duckdb(catalog: Catalog, paths: Sequence[Path], tolerance: Any = None) -> Outcome:
    from ratecard.batch import duckdb_engine

    return duckdb_engine.reconcile(catalog, paths, tolerance=tolerance)


def spark_session() -> Any:
    """The local SparkSession (skipped without PySpark or Java, failed instead under CI)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        _missing("pyspark is not installed (pip install -e '.[dev]')")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        _missing("Java 17 is not installed (Spark needs it on PATH or in JAVA_HOME)")
    from ratecard.batch.spark_engine import session
    from ratecard.errors import RatecardError

    try:
        return session("local[2]")
    except RatecardError as exc:  # pragma: no cover - depends on the machine
        _missing(str(exc))


def spark(catalog: Catalog, paths: Sequence[Path], tolerance: Any = None) -> Outcome:
    from ratecard.batch import spark_engine

    return spark_engine.reconcile(catalog, paths, tolerance=tolerance, spark=spark_session())


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run every engine")
    pytest.skip(reason)


ENGINES = {"python": python, "duckdb": duckdb, "spark": spark}

WORDED_BY_ENGINE = frozenset({"INVALID_LINE", "UNKNOWN_OFFERING"})
"""Statuses whose reasons the SQL engines may word differently (they name their narrower
grammar; the pricing engine's messages say more); every other reason is the same text."""


def summary_json(summary: Summary) -> str:
    out = io.StringIO()
    write_summary(summary, out, "json")
    return out.getvalue()


def same_everywhere(catalog: Catalog, paths: Sequence[Path], engines: Iterable[str],
                    tolerance: Any = None) -> Outcome:
    """Run every engine; each must give the Python engine's results (amounts compared as
    values; the reason word for word, but where the line cannot be read or priced, whose
    SQL wording may be shorter) and summary. Returns the Python engine's."""
    expected = python(catalog, paths, tolerance)
    for engine in engines:
        if engine == "python":
            continue
        results, summary = ENGINES[engine](catalog, paths, tolerance)
        assert len(results) == len(expected[0]), engine
        for mine, theirs in zip(expected[0], results, strict=True):
            assert mine[:-1] == theirs[:-1], (engine, mine, theirs)
            assert bool(mine.reason) == bool(theirs.reason), (engine, mine, theirs)
            if mine.status not in WORDED_BY_ENGINE:
                assert mine.reason == theirs.reason, (engine, mine, theirs)
        assert summary_json(summary) == summary_json(expected[1]), engine
    return expected


def write_csv(path: Path, rows: Iterable[Mapping[str, str]],
              columns: Sequence[str] = COLUMNS) -> Path:
    """A CSV invoice of ``rows`` (absent columns empty), written by the csv module."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([row.get(column, "") for column in columns] for row in rows)
    return path


def write_parquet(path: Path, rows: Iterable[Mapping[str, str]]) -> Path:
    """A Parquet invoice of text columns, written through a plain temporary name."""
    from tests.batch_lines import write_parquet as write

    plain = path.parent / "rows-being-written.parquet"
    write([{column: row.get(column, "") for column in COLUMNS} for row in rows], plain)
    plain.rename(path)
    return path
