"""Parquet invoice files for the Python path, read through DuckDB's staging of the columns.

The text of every field is exactly what the SQL engines rate (see
:mod:`ratecard.batch.staging`), so the Python engine and the SQL engines see the same
lines. ``line`` is the 1-based row number in the file.

>>> import ratecard, tempfile, pathlib
>>> from ratecard.batch.duckdb_engine import connect
>>> path = pathlib.Path(tempfile.mkdtemp()) / "march.parquet"
>>> db = connect()
>>> _ = db.execute(f"COPY (SELECT 't1' AS task_id, 'evolink' AS provider, "
...     "'kling-v3-image-to-video' AS model, DATE '2026-11-01' AS timestamp, 5 AS duration, "
...     "27.0::DECIMAL(10,4) AS charged, 'credits' AS currency, 'succeeded' AS status) "
...     f"TO '{path}' (FORMAT parquet)")
>>> [(line.line, line.fields[3], line.fields[7], line.fields[8]) for line in read_parquet([path])]
[(1, '5', '2026-11-01', '27.0000')]
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from ratecard.batch import is_parquet
from ratecard.batch.failures import engine_errors
from ratecard.batch.staging import NO_MAPPING
from ratecard.reconcile.readers import COLUMNS, Columns, RawLine, read_lines

_FIELDS = ", ".join("ts" if c == "timestamp" else c for c in COLUMNS)
_CHARGED = COLUMNS.index("charged")


def read_parquet(paths: Iterable[str | Path], columns: Columns = NO_MAPPING,
                 batch: int = 50_000) -> Iterator[RawLine]:
    """Every row of every Parquet file as a :class:`~ratecard.reconcile.readers.RawLine`."""
    from ratecard.batch.duckdb_engine import connect, parquet_select

    connection = connect()
    folder = tempfile.TemporaryDirectory(prefix="ratecard-")
    try:
        for number, raw in enumerate(paths):
            path = str(raw)
            select = parquet_select(connection, number, path, columns, Path(folder.name))
            # the link is numbered by place in ``paths``: an error names the file by it
            named = [*([""] * number), path]
            with engine_errors(named):
                # a plain scan keeps the file's row order (preserve_insertion_order), streams
                cursor = connection.execute(
                    f"SELECT source, line, error, {_FIELDS} FROM ({select})")
                rows = cursor.fetchmany(batch)
            while rows:
                for row in rows:
                    if row[2]:  # a field too long (ratecard.batch.staging.limited)
                        yield RawLine(row[0], row[1], (), row[2])
                        continue
                    fields = tuple(row[3:])
                    yield RawLine(row[0], row[1], fields, None, fields[_CHARGED])
                with engine_errors(named):
                    rows = cursor.fetchmany(batch)
    finally:
        connection.close()
        folder.cleanup()


def read_any(paths: Iterable[str | Path], columns: Columns = NO_MAPPING,
             progress: object = None) -> Iterator[RawLine]:
    """Lines of CSV, JSON Lines and Parquet files, in the order given."""
    for path in paths:
        if is_parquet(path):
            yield from read_parquet([path], columns)
        else:
            yield from read_lines([path], columns, progress)
