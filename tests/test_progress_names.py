"""The progress bar's total is counted in the file named, however it is named: DuckDB and
Spark read a path as a glob pattern, so the count of ``jan[1].parquet`` handed to them
as it is counted ``jan1.parquet`` (or failed). The count goes through the same plain
link the run reads (:func:`ratecard.batch.paths.link`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ratecard.cli import main

ROWS = {"jan1.parquet": 10, "jan[1].parquet": 3, "jan{1,2}.parquet": 4, "jan1,2.parquet": 6}
"""Files whose names, read as patterns, match another of them, and their rows."""


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATECARD_NO_CACHE", "1")


def _write(folder: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    for name, rows in ROWS.items():
        target = str(folder / name).replace("'", "''")
        duckdb.sql(  # the file's own rows, written plainly: COPY TO reads no pattern
            f"COPY (SELECT 't' || i AS task_id, 'evolink' AS provider, "
            f"'kling-v3-image-to-video' AS model, DATE '2026-11-01' AS timestamp, "
            f"5 AS duration, 27.0::DECIMAL(10,1) AS charged, 'credits' AS currency, "
            f"'succeeded' AS status FROM range({rows}) t(i)) TO '{target}' (FORMAT parquet)")


def _totals(err: str) -> set[str]:
    """The totals the bar showed (``n/total``)."""
    return set(re.findall(r"\d+(?:\.\d+)?/(\d+(?:\.\d+)?)", err))


def _check(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
           engine: str, names: list[str]) -> None:
    _write(tmp_path)
    monkeypatch.chdir(tmp_path)
    for name in names:
        assert main(["reconcile", name, "--engine", engine, "--progress"]) == 0
        captured = capsys.readouterr()
        assert f"{ROWS[name]} lines: MATCH {ROWS[name]}" in captured.out
        assert _totals(captured.err) == {f"{ROWS[name]:.2f}" if ROWS[name] < 10
                                         else f"{ROWS[name]:.1f}"}, captured.err


def test_duckdb_counts_the_file_named(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _check(tmp_path, capsys, monkeypatch, "duckdb", list(ROWS))


@pytest.mark.slow  # starts a JVM
def test_spark_counts_the_file_named(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.engines import spark_session

    spark_session()
    _check(tmp_path, capsys, monkeypatch, "spark", ["jan[1].parquet", "jan{1,2}.parquet"])
