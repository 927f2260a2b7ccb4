"""An engine that cannot read its input (a damaged Parquet page, a value out of its range)
is one error line and exit status 2, never a traceback and 1 ("discrepancies found")."""

from __future__ import annotations

from pathlib import Path

import pytest

from ratecard.cli import main
from ratecard.cli.app import engine_text
from tests.batch_lines import require_duckdb


def _damaged_parquet(path: Path) -> Path:
    """30,000 good lines in three row groups, 200 bytes in the middle overwritten."""
    import duckdb

    duckdb.connect().execute(
        "COPY (SELECT 'p' || i AS task_id, 'evolink' AS provider, "
        "'kling-v3-image-to-video' AS model, '2026-11-01' AS timestamp, '5' AS duration, "
        "'27.0' AS charged, 'credits' AS currency, 'succeeded' AS status "
        f"FROM range(30000) t(i)) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 10000)")
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 200] = b"A" * 200
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("command", [
    ["reconcile"], ["reconcile", "--engine", "duckdb"], ["whatif", "--engine", "duckdb"]])
def test_a_damaged_parquet_file_is_one_error_line_and_status_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    require_duckdb()
    path = _damaged_parquet(tmp_path / "damaged.parquet")
    assert main([*command, str(path), "--format", "json", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ratecard: error: the DuckDB engine could not read the input")
    assert err.count("\n") == 1, err


def test_an_engine_error_names_the_file_as_given_not_its_link() -> None:
    spark = ("An error occurred while calling o57.collectToPython.\n"
             ": org.apache.spark.SparkException: [FAILED_READ_FILE.NO_HINT] Encountered "
             "error while reading file file:///tmp/ratecard-ab_12/input-1.parquet. "
             "SQLSTATE: KD001\n\tat org.apache.spark.X(X.scala:1)\n"
             "Caused by: java.io.IOException: bad page\n")
    assert engine_text(RuntimeError(spark), ["a.csv", "b c.parquet"]) == (
        "org.apache.spark.SparkException: [FAILED_READ_FILE.NO_HINT] Encountered error while "
        "reading file b c.parquet. SQLSTATE: KD001")
    assert engine_text(RuntimeError('Failed to read "/tmp/ratecard-q/input-3.parquet"'),
                       ["a.parquet"]) == 'Failed to read "/tmp/ratecard-q/input-3.parquet"'
