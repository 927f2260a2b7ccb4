"""An engine that cannot read its input (a damaged Parquet page, a value out of its range)
is one error line and exit status 2, never a traceback and 1 ("discrepancies found"); the
library raises it as an InvoiceError naming the file as given, from the engine's error."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from ratecard.batch.failures import engine_text
from ratecard.cli import main
from ratecard.reconcile import InvoiceError
from tests.batch_lines import millis_parquet, require_duckdb
from tests.strategies import CATALOG


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
    # the engine's own text ("Out of buffer") names no file: the message does
    assert err.startswith(f"ratecard: error: {path}: the DuckDB engine could not read the "
                          "input"), err
    assert err.count("\n") == 1, err


def test_an_engine_error_names_the_file_as_given_not_its_link() -> None:
    spark = ("An error occurred while calling o57.collectToPython.\n"
             ": org.apache.spark.SparkException: [FAILED_READ_FILE.NO_HINT] Encountered "
             "error while reading file file:///tmp/ratecard-ab_12/input-1.parquet. "
             "SQLSTATE: KD001\n\tat org.apache.spark.X(X.scala:1)\n"
             "Caused by: java.io.IOException: bad page\n")
    assert engine_text(RuntimeError(spark), ["a.csv", "b c.parquet"]) == (
        "org.apache.spark.SparkException: [FAILED_READ_FILE.NO_HINT] Encountered error while "
        "reading file b c.parquet. SQLSTATE: KD001 (caused by java.io.IOException: bad page)")
    assert engine_text(RuntimeError('Failed to read "/tmp/ratecard-q/input-3.parquet"'),
                       ["a.parquet"]) == 'Failed to read "/tmp/ratecard-q/input-3.parquet"'


DAY_MS = 1793577600000
"""2026-11-01 00:00:00 UTC in milliseconds."""
BEYOND_MS = 10**16
"""Milliseconds since 1970 in the year 318857: a ``timestamp[ms]`` holds it, DuckDB's and
Spark's timestamps (microseconds in 64 bits, to the year 294247) do not."""


def hidden_beyond_range_parquet(path: Path) -> Path:
    """Three lines, the second's ``timestamp`` (TIMESTAMP(MILLIS)) in the year 318857,
    which the file's statistics do not show (they say 2026-11-01 to 2026-11-02): the
    engines find it only as they read the page."""
    return millis_parquet(path, [("p1", DAY_MS), ("p2", DAY_MS + 123),
                                 ("p3", DAY_MS + 86_400_000)], {DAY_MS + 123: BEYOND_MS})


def _duckdb_reconcile(files: Sequence[Path]) -> Any:
    from ratecard.batch.duckdb_engine import reconcile

    return reconcile(CATALOG, files)


def _duckdb_run_summary(files: Sequence[Path]) -> Any:
    from ratecard.batch.duckdb_engine import DuckDBRun

    with DuckDBRun(CATALOG, files) as run:  # a view: read when the summary is asked
        return run.summary()


def _duckdb_whatif(files: Sequence[Path]) -> Any:
    from ratecard.whatif.sql import whatif

    return whatif(CATALOG, files)


def _python_reads(files: Sequence[Path]) -> Any:
    from ratecard.whatif import read_lines

    return list(read_lines(files))


LIBRARY = [_duckdb_reconcile, _duckdb_run_summary, _duckdb_whatif, _python_reads]


@pytest.mark.parametrize("call", LIBRARY, ids=lambda call: call.__name__.strip("_"))
def test_the_library_raises_a_damaged_file_as_an_invoice_error_naming_it(
        tmp_path: Path, call: Callable[[Sequence[Path]], Any]) -> None:
    # it raised duckdb.InvalidInputException naming /tmp/ratecard-*/input-0.parquet
    require_duckdb()
    import duckdb

    path = _damaged_parquet(tmp_path / "march [v2].parquet")
    with pytest.raises(InvoiceError) as info:
        call([path])
    message = str(info.value)
    assert message.startswith(f"{path}: the DuckDB engine could not read the input") or \
        f'"{path}"' in message, message
    assert "input-0" not in message
    assert "\n" not in message
    assert isinstance(info.value.__cause__, duckdb.Error)


@pytest.mark.parametrize("call", LIBRARY, ids=lambda call: call.__name__.strip("_"))
def test_a_timestamp_beyond_duckdb_is_an_invoice_error_naming_the_file_and_why(
        tmp_path: Path, call: Callable[[Sequence[Path]], Any]) -> None:
    # it raised duckdb.ConversionException "Could not convert Timestamp(MS) to
    # Timestamp(US)", naming no file at all. (Where the statistics show the value, only
    # its line is INVALID_LINE: tests/test_engines_read_alike.py.)
    require_duckdb()
    import duckdb

    path = hidden_beyond_range_parquet(tmp_path / "march [v2].parquet")
    with pytest.raises(InvoiceError) as info:
        call([path])
    assert str(info.value) == (
        f"{path}: the DuckDB engine could not read the input (a damaged file, or a value it "
        "cannot hold): Conversion Error: Could not convert Timestamp(MS) to Timestamp(US): "
        "a timestamp beyond the range the engine holds (the years 290308 BC to 294247 AD)")
    assert isinstance(info.value.__cause__, duckdb.Error)


def test_the_cli_says_which_file_holds_the_timestamp_beyond_range(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    require_duckdb()
    path = hidden_beyond_range_parquet(tmp_path / "march.parquet")
    good = tmp_path / "april.csv"
    good.write_text("task_id,provider,model,timestamp,duration,charged,currency,status\n"
                    "a,evolink,kling-v3-image-to-video,2026-11-01,5,27.0,credits,done\n")
    assert main(["reconcile", str(good), str(path), "--engine", "duckdb", "--format", "json",
                 "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"ratecard: error: {path}: the DuckDB engine could not read the input (a damaged "
        "file, or a value it cannot hold): Conversion Error: Could not convert Timestamp(MS) "
        "to Timestamp(US): a timestamp beyond the range the engine holds (the years 290308 "
        "BC to 294247 AD)\n")


def _spark_reconcile(files: Sequence[Path]) -> Any:
    from ratecard.batch.spark_engine import reconcile
    from tests.engines import spark_session

    return reconcile(CATALOG, files, spark=spark_session())


def _spark_whatif(files: Sequence[Path]) -> Any:
    from ratecard.whatif.spark import whatif
    from tests.engines import spark_session

    return whatif(CATALOG, files, spark=spark_session())


@pytest.mark.slow
@pytest.mark.parametrize("call", [_spark_reconcile, _spark_whatif],
                         ids=lambda call: call.__name__.strip("_"))
def test_spark_raises_a_timestamp_beyond_its_range_as_an_invoice_error(
        tmp_path: Path, call: Callable[[Sequence[Path]], Any]) -> None:
    # it raised py4j's Py4JJavaError naming file:///tmp/ratecard-*/input-0.parquet
    require_duckdb()
    path = hidden_beyond_range_parquet(tmp_path / "march v2.parquet")
    with pytest.raises(InvoiceError) as info:
        call([path])
    assert str(info.value) == (
        "the Spark engine could not read the input (a damaged file, or a value it cannot "
        "hold): org.apache.spark.SparkException: [FAILED_READ_FILE.NO_HINT] Encountered "
        f"error while reading file {path}.  SQLSTATE: KD001 (caused by "
        "java.lang.ArithmeticException: long overflow): a timestamp beyond the range the "
        "engine holds (the years 290308 BC to 294247 AD)")
    cause = info.value.__cause__
    assert (type(cause).__module__, type(cause).__name__) == ("py4j.protocol", "Py4JJavaError")
