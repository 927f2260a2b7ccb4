"""A Parquet invoice whose columns name one column twice (``charged`` and ``charged``, or
``charged`` and ``Charged``) is refused by every engine: the SQL engines match names
regardless of case, DuckDB read the first and renamed the second ``charged_1``, Spark
refused the file. Which column holds the value is never guessed.

The files are written by DuckDB with a placeholder name of the same length, then the
placeholder is replaced in the file's bytes (its footer stores each name with its length,
so the file stays valid): DuckDB itself never writes two equal names.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import ratecard
from ratecard.batch.staging import refuse_ambiguous_columns
from ratecard.reconcile.readers import InvoiceError
from tests.batch_lines import require_duckdb
from tests.engines import ENGINES

pytestmark = pytest.mark.slow  # DuckDB (and Spark) runs; CI runs them all

CATALOG = ratecard.load(cache=False)

# seed 001: 5 s at 720p without sound, 5.4 credits/s = 27 credits
ROW = ("SELECT 't1' AS task_id, 'evolink' AS provider, 'kling-v3-image-to-video' AS model, "
       "DATE '2026-11-01' AS timestamp, 5 AS duration, 27.0::DECIMAL(10,4) AS charged, "
       "99.0::DECIMAL(10,4) AS {extra}, 'credits' AS currency, 'succeeded' AS status, "
       "'a' AS notes, 'b' AS {other}")


def parquet(tmp_path: Path, extra: str, other: str = "notez") -> Path:
    """One invoice line with a column ``XXXXXXX`` (7 letters) renamed ``extra``, and one
    ``notez`` renamed ``other`` (5 letters)."""
    import duckdb

    plain = tmp_path / "written.parquet"
    duckdb.connect().execute(f"COPY ({ROW.format(extra='XXXXXXX', other='notez')}) "
                             f"TO '{plain}' (FORMAT parquet)")
    data = plain.read_bytes()
    assert (len(extra), len(other)) == (7, 5)
    assert b"XXXXXXX" in data
    assert b"notez" in data
    path = tmp_path / "invoice.parquet"
    path.write_bytes(data.replace(b"XXXXXXX", extra.encode()).replace(b"notez",
                                                                       other.encode()))
    return path


ENGINE_NAMES = ["python", "duckdb", "spark"]


def run(engine: str, path: Path) -> list[str]:
    require_duckdb()
    if engine == "spark":
        pytest.importorskip("pyspark")
    results, _ = ENGINES[engine](CATALOG, [path])
    return [r.status for r in results]


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_a_file_with_distinct_names_is_read(tmp_path: Path, engine: str) -> None:
    assert run(engine, parquet(tmp_path, "charges")) == ["MATCH"]


@pytest.mark.parametrize("engine", ENGINE_NAMES)
@pytest.mark.parametrize(("extra", "other", "named"), [
    ("charged", "notez", "charged"),  # the money, twice: 27 or 99 credits?
    ("Charged", "notez", "charged"),
    ("charges", "NOTES", "notes"),  # a column no engine reads: Spark refuses it all the same
])
def test_a_column_named_twice_is_refused_by_every_engine(
        tmp_path: Path, engine: str, extra: str, other: str, named: str) -> None:
    path = parquet(tmp_path, extra, other)
    with pytest.raises(InvoiceError) as caught:
        run(engine, path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    if engine == "spark":  # Spark refuses it while reading, in its own words
        assert f"`{named}` already exists" in message
    else:
        assert f"are both {named}" in message
        assert "which one holds the value is not guessed" in message


def test_the_names_are_compared_regardless_of_case_and_position() -> None:
    refuse_ambiguous_columns(["task_id", "charged", "charges", "status"], "x.parquet")
    with pytest.raises(InvoiceError, match=r"x\.parquet: columns 1 and 4 are both id "
                       r"\(id, ID; names are matched regardless of case\)"):
        refuse_ambiguous_columns(["id", "a", "b", "ID"], "x.parquet")


def test_nanosecond_timestamps_are_read_or_refused_in_one_line(tmp_path: Path) -> None:
    """pandas writes TIMESTAMP(NANOS) by default: Python and DuckDB read it; Spark cannot,
    and printed 40 lines of Java stack traces before ratecard's own one-line error."""
    import duckdb

    from tests.user_files import ratecard as run_ratecard

    require_duckdb()
    path = tmp_path / "nanos.parquet"
    duckdb.connect().execute(
        f"COPY ({ROW.format(extra='charges', other='notez').replace('DATE ', 'TIMESTAMP_NS ')})"
        f" TO '{path}' (FORMAT parquet)")
    for engine in ("python", "duckdb"):
        assert run(engine, path) == ["MATCH"]
    pytest.importorskip("pyspark")
    result = run_ratecard("reconcile", str(path), "--engine", "spark")
    assert result.returncode == 2, result.stderr
    said = [line for line in result.stderr.splitlines()
            if not line.startswith("WARNING: Using incubator modules")]  # the JVM's own
    assert len(said) == 1, result.stderr
    assert said[0].startswith(f"ratecard: error: {path}: cannot read as Parquet: ")
    assert "write the column in microseconds, or use --engine duckdb" in said[0]


@pytest.mark.parametrize("engine", ENGINE_NAMES)
def test_a_wide_decimal_column_is_read_at_its_value_not_its_scale(tmp_path: Path,
                                                                  engine: str) -> None:
    """A DECIMAL(38,20) charge of 16 integer digits has 36 digits with its scale's zeros:
    DuckDB read it, Python refused it ("more than 34 significant digits")."""
    require_duckdb()
    import duckdb

    path = tmp_path / "wide.parquet"
    row = ROW.format(extra="extra", other="other").replace(
        "27.0::DECIMAL(10,4)", "'9999999999999999.5'::DECIMAL(38,20)")
    duckdb.connect().execute(f"COPY ({row}) TO '{path}' (FORMAT parquet)")
    if engine == "spark":
        pytest.importorskip("pyspark")
    results, _ = ENGINES[engine](CATALOG, [path])
    [line] = results
    assert line.status == "OVERCHARGE"
    assert line.charged == Decimal("9999999999999999.5")


FILES = Path(__file__).with_name("parquet")
"""Parquet files of types DuckDB cannot write, made once with pyarrow (one line: seed
001's 5 s at 720p without sound, 27 credits, as text but for the column named):
``pq.write_table(pa.table({...}), name, compression="none", store_schema=False)`` with
``float16`` a ``numpy.float16`` array and ``decimal256`` a ``pa.decimal256(40, S)`` one."""

DECLARED = {
    "float16-duration.parquet":
        "column duration (duration) has type FLOAT16: Spark reads no half-precision float, "
        "and DuckDB widens it to another number than was meant: write it as DECIMAL, FLOAT, "
        "DOUBLE or text",
    "float16-charged.parquet":
        "column charged (charged) has type FLOAT16: money must be DECIMAL or text",
    "decimal256-charged.parquet":
        "column charged (charged) has type DECIMAL(40,4): a decimal of more than 38 digits "
        "is not read exactly (DuckDB reads it as a binary float, Spark not at all): write "
        "it as DECIMAL(38,S) or narrower, or as text",
    "decimal256-duration.parquet":
        "column duration (duration) has type DECIMAL(40,2): a decimal of more than 38 "
        "digits is not read exactly (DuckDB reads it as a binary float, Spark not at all): "
        "write it as DECIMAL(38,S) or narrower, or as text",
}


@pytest.mark.parametrize("engine", ENGINE_NAMES)
@pytest.mark.parametrize("name", sorted(DECLARED))
def test_a_column_of_a_type_one_engine_cannot_read_is_refused_alike(
        engine: str, name: str) -> None:
    """Spark refused FLOAT16 and DECIMAL(40,S) columns in its own words, naming no column,
    while Python and DuckDB read a FLOAT16 duration (widened) and said a DECIMAL(40,4)
    charge had "type DOUBLE", the binary float DuckDB reads it as. Every engine now
    refuses the column, naming it and the type the file declares."""
    path = FILES / name
    with pytest.raises(InvoiceError) as refused:
        run(engine, path)
    assert str(refused.value) == f"{path}: {DECLARED[name]}"


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_float16_column_that_is_not_read_changes_nothing(engine: str) -> None:
    assert run(engine, FILES / "float16-notes.parquet") == ["MATCH"]


def test_the_progress_count_leaves_the_refusal_to_the_spark_run() -> None:
    """With --progress, Spark counted the rows first and failed in its own words."""
    from tests.user_files import ratecard as run_ratecard

    pytest.importorskip("pyspark")
    path = FILES / "float16-charged.parquet"
    result = run_ratecard("reconcile", str(path), "--engine", "spark", "--progress")
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[-1] == f"ratecard: error: {path}: " + \
        DECLARED["float16-charged.parquet"]
