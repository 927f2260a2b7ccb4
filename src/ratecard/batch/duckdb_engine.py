"""Reconcile with DuckDB, in-process: Parquet read where it is, the rating query in SQL.

>>> import ratecard, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "march.csv").write_text(
...     "task_id,provider,model,timestamp,duration,charged,currency,status\\n"
...     "t1,evolink,kling-v3-image-to-video,2026-11-01,5,27.0,credits,succeeded\\n")
>>> results, summary = reconcile(ratecard.load(), [folder / "march.csv"])
>>> [(r.status, str(r.expected), str(r.charged)) for r in results]
[('MATCH', '27.0000', '27.0')]
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ratecard.batch import is_parquet, require
from ratecard.batch.failures import engine_errors, output_errors
from ratecard.batch.paths import readable_link, written_through
from ratecard.batch.rates import COLUMNS as RATE_COLUMNS
from ratecard.batch.rates import rate_rows, row_tuples
from ratecard.batch.results import line_results, summary_of
from ratecard.batch.sql import DUCKDB, LINE_COLUMNS, rating_query, summary_query
from ratecard.batch.staging import (
    EPOCH_MS,
    NO_MAPPING,
    STAGED_HEADER,
    declared_type,
    limited,
    range_error,
    refuse_ambiguous_columns,
    refuse_declared,
    select_list,
    write_staged_csv,
)
from ratecard.pricing.index import HasIndex, PriceIndex
from ratecard.reconcile.names import OfferingNames
from ratecard.reconcile.readers import Columns, InvoiceError, require_files
from ratecard.reconcile.reconciler import LineResult, Summary
from ratecard.reconcile.results import Scope
from ratecard.reconcile.tolerance import Tolerance, Tolerances

_BATCH = 50_000


def connect(threads: int | None = None) -> Any:
    """A new in-memory DuckDB connection with UTC as its time zone."""
    duckdb: Any = require("duckdb", "duckdb")
    connection = duckdb.connect(":memory:")
    connection.execute("SET TimeZone = 'UTC'")
    connection.execute("SET enable_progress_bar = false")
    if threads:
        connection.execute(f"SET threads = {int(threads)}")
    return connection


def load_rates(connection: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Create the ``rates`` table with its declared column types and fill it.

    >>> import ratecard
    >>> db = connect()
    >>> rows = rate_rows(ratecard.load())
    >>> load_rates(db, rows)
    >>> sql = "SELECT count(*), typeof(any_value(unit_rate)) FROM rates"
    >>> count, kind = db.execute(sql).fetchone()
    >>> count == len(rows), kind
    (True, 'DECIMAL(18,8)')
    """
    columns = ", ".join(f'"{name}" {"VARCHAR" if kind == "STRING" else kind}'
                        for name, kind in RATE_COLUMNS)
    connection.execute(f"CREATE OR REPLACE TABLE rates ({columns})")
    marks = ", ".join("?" for _ in RATE_COLUMNS)
    connection.executemany(f"INSERT INTO rates VALUES ({marks})", row_tuples(rows))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return DUCKDB.literal(text)


def parquet_select(connection: Any, file_no: int, path: str, columns: Columns,
                   folder: Path) -> str:
    """SQL selecting one Parquet file as rows of the ``lines`` relation; DuckDB reads it
    through a plain name in ``folder`` (:func:`ratecard.batch.paths.link`: never a pattern
    or a URL), ``source`` is ``path`` as given."""
    linked, beyond = readable_link(path, folder, file_no)
    source = f"read_parquet({_literal(linked)}, file_row_number = true)"
    try:
        described = connection.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
    except Exception as exc:  # duckdb.Error: unreadable or not Parquet
        why = str(exc).splitlines()[0].replace(linked, path)  # the name the user gave
        raise InvoiceError(f"{path}: cannot read as Parquet: {why}") from None
    names, declared = _stored_names(connection, linked)
    refuse_ambiguous_columns(names, path)
    columns = columns.resolved(row[0] for row in described if row[0] != "file_row_number")
    refuse_declared(path, declared, columns)
    types = {row[0]: EPOCH_MS if row[0] in beyond else row[1] for row in described
             if row[0] != "file_row_number"}
    fields = select_list(DUCKDB, path, types, columns, _quote)
    errors = range_error(DUCKDB, types, columns, _quote)
    return (f"SELECT file_no, source, line, {', '.join(limited(DUCKDB, 'beyond_'))} FROM ("
            f"SELECT {file_no} AS file_no, {_literal(path)} AS source, "
            f"file_row_number + 1 AS line, {', '.join(fields)}, {errors} AS beyond_ "
            f"FROM {source})")


def _stored_names(connection: Any, linked: str) -> tuple[list[str], dict[str, str]]:
    """The top-level column names of a Parquet file as stored (``DESCRIBE`` renames the
    second of two equal names), and the types the file declares of those that DuckDB
    reads as another (:func:`~ratecard.batch.staging.declared_type`: DuckDB describes a
    FLOAT16 column as FLOAT and a DECIMAL(40,4) as DOUBLE)."""
    rows = connection.execute(
        "SELECT name, num_children, CAST(logical_type AS VARCHAR), converted_type, "
        f"precision, scale FROM parquet_schema({_literal(linked)})").fetchall()
    names = []
    declared = {}
    pending = [1]  # elements still to read at each depth, the root first
    for name, children, logical, converted, precision, scale in rows:
        if len(pending) == 2:  # the root's children: the columns
            names.append(name)
            kind = declared_type(logical or "",
                                 precision if converted == "DECIMAL" else None, scale)
            if kind is not None:
                declared[name] = kind
        pending[-1] -= 1
        if children:
            pending.append(children)
        while pending and pending[-1] == 0:
            pending.pop()
    return names, declared


def write_rates_parquet(rows: Sequence[dict[str, Any]], path: str | Path) -> None:
    """The rates table (:func:`ratecard.batch.rates.rate_rows`) as a Parquet file with the
    declared column types.

    >>> import ratecard, tempfile, pathlib, duckdb
    >>> from ratecard.batch.rates import rate_rows
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "rates.parquet"
    >>> rows = rate_rows(ratecard.load())
    >>> write_rates_parquet(rows, path)
    >>> duckdb.sql(f"SELECT count(*) FROM '{path}'").fetchall() == [(len(rows),)]
    True
    """
    connection = connect()
    try:
        load_rates(connection, rows)
        target = str(path).replace("'", "''")
        with output_errors(path):
            connection.execute(f"COPY rates TO '{target}' (FORMAT parquet)")
    finally:
        connection.close()


def stage_lines(connection: Any, files: Sequence[str | Path], columns: Columns,
                folder: Path, index: PriceIndex) -> None:
    """Create the ``lines`` view over every input file, in the order given."""
    parts = []
    texts = []
    require_files(files)  # every path at once; -: standard input, read as text
    for file_no, raw in enumerate(files):
        path = str(raw)
        if is_parquet(path):
            parts.append(parquet_select(connection, file_no, path, columns, folder))
        else:
            texts.append((file_no, path))
    if texts:
        staged = folder / "staged.csv"
        longest = write_staged_csv(texts, columns, staged, index).longest
        parts.append(staged_select(staged, longest))
    union = " UNION ALL ".join(
        f"SELECT {', '.join(LINE_COLUMNS)} FROM ({part})" for part in parts)
    connection.execute(f"CREATE OR REPLACE TEMP VIEW lines AS {union}")


_LINE_SIZE = 2_097_152
"""DuckDB's own default line size limit, kept for staged files within it."""


def staged_select(staged: Path, longest: int) -> str:
    """SQL selecting the staged CSV file ``staged`` (:func:`write_staged_csv`, whose
    longest line has ``longest`` characters) as rows of the ``lines`` relation."""
    names = ", ".join(f"'{name}': 'VARCHAR'" for name in STAGED_HEADER)
    return ("SELECT CAST(file_no AS INTEGER) AS file_no, source, CAST(line AS BIGINT) AS line, "
            + ", ".join(f"COALESCE({name}, '') AS {name}" for name in STAGED_HEADER[3:])
            + f" FROM read_csv({_literal(str(staged))}, header = true, quote = '\"', "
            f"escape = '\"', delim = ',', columns = {{{names}}}, strict_mode = true, "
            "parallel = false, null_padding = false, "
            # the lines Python reads, however long (DuckDB's default stops at 2 MB); DuckDB
            # counts bytes, ``longest`` characters: UTF-8 takes at most 4 bytes for one
            f"max_line_size = {max(_LINE_SIZE, 4 * longest + 1)})")


class DuckDBRun:
    """One reconciliation in DuckDB: its summary and, if kept, every line's result.

    ``keep_results`` stores every result in a temporary table (for ``results()`` and
    ``write_parquet()`` after ``summary()``); without it the query runs for each call.

    >>> import ratecard, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "m.csv"
    >>> _ = path.write_text("task_id,provider,model,timestamp,charged,currency,status\\n"
    ...                     "a,kling3api,pro-text-to-video,1793577600,400,credits,done\\n")
    >>> with DuckDBRun(ratecard.load(), [path]) as run:
    ...     run.summary().by_status
    {'MATCH': 1}
    """

    def __init__(self, catalog: HasIndex, files: Sequence[str | Path],
                 columns: Columns = NO_MAPPING, tolerance: Tolerances = None,
                 keep_results: bool = False, threads: int | None = None,
                 connection: Any = None) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="ratecard-")
        # a connection from connect() may be given (to watch its progress); it is closed here
        self.connection = connection if connection is not None else connect(threads)
        self.scope = Scope.of(catalog.index)
        """What the summary knows of the cards (units, offerings)."""
        self.files = [str(file) for file in files]
        """The input files as given (an engine's error names them so)."""
        try:
            with engine_errors(self.files):
                load_rates(self.connection, rate_rows(catalog))
                stage_lines(self.connection, files, columns, Path(self._folder.name),
                            catalog.index)
                query = rating_query(DUCKDB, Tolerance.coerce(tolerance, catalog.index),
                                     names=OfferingNames.of(catalog.index))
                kind = "TABLE" if keep_results else "VIEW"
                self.connection.execute(f"CREATE OR REPLACE TEMP {kind} results AS {query}")
        except Exception:
            self.close()
            raise

    def summary(self) -> Summary:
        """Totals per provider x model x status, as the Python path's :class:`Summary`."""
        with engine_errors(self.files):
            return summary_of(self.connection.execute(
                summary_query(DUCKDB, "results", self.scope)).fetchall(), self.scope)

    def results(self) -> Iterator[LineResult]:
        """Every line's result, in input order."""
        with engine_errors(self.files):
            cursor = self.connection.execute("SELECT * FROM results ORDER BY file_no, line")
            while True:
                rows = cursor.fetchmany(_BATCH)
                if not rows:
                    return
                yield from line_results(rows)

    def write_parquet(self, path: str | Path) -> None:
        """Every line's result as Parquet (the LineResult columns, amounts DECIMAL(38,10))."""
        from ratecard.batch.sql import RESULT_COLUMNS

        with engine_errors(self.files), output_errors(path), \
                written_through(path, Path(self._folder.name)) as target:
            self.connection.execute(
                f"COPY (SELECT {', '.join(RESULT_COLUMNS)} FROM results ORDER BY file_no, "
                f"line) TO {_literal(target)} (FORMAT parquet)")

    def close(self) -> None:
        """Release the connection and the staging folder."""
        try:
            self.connection.close()
        finally:
            self._folder.cleanup()

    def __enter__(self) -> DuckDBRun:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def reconcile(catalog: HasIndex, files: Sequence[str | Path], columns: Columns = NO_MAPPING,
              tolerance: Tolerances = None) -> tuple[list[LineResult], Summary]:
    """Reconcile ``files`` in DuckDB: every result (input order) and the summary."""
    with DuckDBRun(catalog, files, columns, tolerance, keep_results=True) as run:
        return list(run.results()), run.summary()
