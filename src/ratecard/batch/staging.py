"""Invoice files as the ``lines`` relation of the rating query, for any engine.

Parquet files are read where they are: each canonical column (mapped with
:class:`~ratecard.reconcile.readers.Columns`) becomes text by its type, the way the Python
readers would give it. Text columns lose the blanks around them, as in every reader;
integers and decimals become their plain text (``27.5000``); booleans ``true``/``false``;
a date its ISO day; a timestamp the ISO day it falls on in UTC (naive timestamps are UTC;
a millisecond one beyond the engines' timestamps, past the year 294247, is an unreadable
line of its own: :mod:`ratecard.batch.parquet_footer`, :func:`range_error`);
floats their shortest text, except for
money (``charged``, ``reserved``), where a float column is refused: store money as
DECIMAL or text. A column whose declared type no engine reads as the others do, a
half-precision float (FLOAT16) or a DECIMAL of more than 38 digits, is refused by every
engine in the same words (:func:`refuse_declared`). ``line`` is the 1-based row number
in the file. A row with a canonical field longer than
:data:`~ratecard.reconcile.readers.FIELD_LIMIT` or holding a NUL is an unreadable line,
its fields empty (:func:`limited`), as the readers give a line of any other input.

CSV and JSON Lines files are read by ratecard's own readers (:mod:`ratecard.reconcile.readers`), so
line numbers and malformed lines are exactly those of the Python path, task records are
read by their providers' adapters as the Python path reads them, and every line is staged
in a temporary CSV file the engine reads back. For speed at scale, use Parquet.

>>> category("DECIMAL(18,4)"), category("TIMESTAMP WITH TIME ZONE"), category("VARCHAR")
('number', 'timestamp', 'text')
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from ratecard.batch.parquet_footer import HIGHEST_MS, LOWEST_MS
from ratecard.batch.sql import CANONICAL_SQL, LINE_COLUMNS, Dialect
from ratecard.batch.sql.verdicts import concat
from ratecard.pricing.index import PriceIndex
from ratecard.reconcile.readers import (
    COLUMNS,
    FIELD_LIMIT,
    Columns,
    InvoiceError,
    RawLine,
    require_columns,
)
from ratecard.reconcile.reasons import REASONS

_MONEY = ("charged", "reserved")

NO_MAPPING = Columns()
"""Canonical column names as they are."""


EPOCH_MS = "EPOCH_MS"
"""The type the engines give a ``TIMESTAMP(MILLIS)`` column read as its stored integers
(:mod:`ratecard.batch.parquet_footer`: a value beyond the engines' timestamps)."""


def category(type_name: str) -> str:
    """How a column type is turned into text: ``text``, ``boolean``, ``number``, ``float``,
    ``date``, ``timestamp``, ``epoch_ms`` (:data:`EPOCH_MS`), ``null`` (all NULL: empty) or
    ``other`` (refused). Accepts DuckDB and Spark type names."""
    name = type_name.strip().strip('"').upper()
    if name == EPOCH_MS:
        return "epoch_ms"
    if name in ("NULL", "VOID"):  # a column of nothing but NULLs
        return "null"
    if name in ("VARCHAR", "STRING", "TEXT") or name.startswith(("VARCHAR", "CHAR")):
        return "text"
    if name in ("BOOLEAN", "BOOL"):
        return "boolean"
    if name in ("FLOAT", "DOUBLE", "REAL", "FLOAT4", "FLOAT8"):
        return "float"
    if name.startswith(("DECIMAL", "NUMERIC")) or name in (
            "TINYINT", "SMALLINT", "INTEGER", "INT", "BIGINT", "HUGEINT", "UTINYINT",
            "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "BYTE", "SHORT", "LONG"):
        return "number"
    if name == "DATE":
        return "date"
    if name.startswith("TIMESTAMP"):
        return "timestamp"
    return "other"


def text_expression(d: Dialect, column: str, kind: str) -> str:
    """SQL turning the quoted ``column`` of category ``kind`` into the canonical text.

    >>> from ratecard.batch.sql import DUCKDB
    >>> print(text_expression(DUCKDB, '"ts"', "timestamp"))
    COALESCE(CAST(CAST("ts" AS DATE) AS STRING), '')
    """
    if kind == "null":
        return "''"
    if kind == "text":  # without the blanks around it, as every reader gives a field
        return f"COALESCE({d.strip_column(column)}, '')"
    if kind == "boolean":
        return f"(CASE WHEN {column} THEN 'true' WHEN NOT {column} THEN 'false' ELSE '' END)"
    if kind in ("number", "float"):
        return f"COALESCE(CAST({column} AS STRING), '')"
    if kind == "date":
        return f"COALESCE(CAST({column} AS STRING), '')"
    if kind == "timestamp":
        return f"COALESCE(CAST(CAST({column} AS DATE) AS STRING), '')"
    if kind == "epoch_ms":  # the day, as a timestamp; beyond them: range_error
        return (f"(CASE WHEN {column} BETWEEN {LOWEST_MS} AND {HIGHEST_MS} THEN "
                f"CAST(CAST({d.from_epoch_ms(column)} AS DATE) AS STRING) ELSE '' END)")
    raise AssertionError(kind)  # pragma: no cover - refused by select_list


def range_error(d: Dialect, types: dict[str, str], columns: Columns,
                quote: Callable[[str], str]) -> str:
    """SQL for why a row of one Parquet file cannot be read because a canonical column of
    :data:`EPOCH_MS` holds a value beyond the engines' timestamps (the first such field,
    :data:`~ratecard.reconcile.reasons.REASONS` ``timestamp_beyond_range``), else ``''``.

    >>> from ratecard.batch.sql import DUCKDB
    >>> range_error(DUCKDB, {"timestamp": "BIGINT"}, Columns(), lambda name: name)
    "''"
    """
    arms = []
    for canonical in COLUMNS:
        source = columns.source_of(canonical)
        if source in types and category(types[source]) == "epoch_ms":
            value = quote(source)
            arms.append(f"WHEN {value} NOT BETWEEN {LOWEST_MS} AND {HIGHEST_MS} THEN "
                        + concat(d, REASONS["timestamp_beyond_range"].text,
                                 field=d.literal(canonical),
                                 ms=f"CAST({value} AS STRING)"))
    return f"(CASE {' '.join(arms)} ELSE '' END)" if arms else "''"


def select_list(d: Dialect, name: str, types: dict[str, str], columns: Columns,
                quote: Callable[[str], str]) -> list[str]:
    """The canonical columns of one Parquet file as SQL expressions (``x AS canonical``).

    ``types`` maps the file's column names to their types; ``quote`` quotes a name.

    >>> from ratecard.batch.sql import DUCKDB
    >>> types = {"id": "VARCHAR", "provider": "VARCHAR", "model": "VARCHAR",
    ...          "timestamp": "DATE", "charged": "DECIMAL(18,4)", "currency": "VARCHAR",
    ...          "status": "VARCHAR"}
    >>> task_id, *_ = select_list(DUCKDB, "x.parquet", types, Columns.parse(["task_id=id"]),
    ...                           lambda name: f'"{name}"')
    >>> task_id.startswith('COALESCE((CASE WHEN "id" >= '), task_id.endswith(" AS task_id")
    (True, True)
    """
    require_columns(list(types), columns, name)
    out = []
    for canonical in COLUMNS:
        source = columns.source_of(canonical)
        target = CANONICAL_SQL[canonical]
        if source not in types:
            out.append(f"'' AS {target}")
            continue
        kind = category(types[source])
        if kind == "other" or (kind == "float" and canonical in _MONEY):
            what = "money must be DECIMAL or text" if kind == "float" else \
                "use text, a number, a boolean, a date or a timestamp"
            raise InvoiceError(f"{name}: column {source} ({canonical}) has type "
                               f"{types[source]}: {what}")
        out.append(f"{text_expression(d, quote(source), kind)} AS {target}")
    return out


WIDEST_DECIMAL = 38
"""The most digits a DECIMAL column may declare: DuckDB reads a wider one as DOUBLE (a
binary float) and Spark not at all."""


def declared_type(logical: str, precision: int | None, scale: int | None) -> str | None:
    """The type a Parquet column declares, as named in refusals, when no engine reads it
    as the others do: ``FLOAT16`` (a half-precision float: Spark reads none, DuckDB widens
    it) or a DECIMAL wider than :data:`WIDEST_DECIMAL` digits; ``None`` for any other.
    ``logical`` is the column's logical type as the file's reader words it.

    >>> declared_type("Float16Type()", None, None), declared_type("DECIMAL", 40, 4)
    ('FLOAT16', 'DECIMAL(40,4)')
    >>> declared_type("DECIMAL", 38, 4) is None
    True
    """
    if logical.upper().startswith("FLOAT16"):
        return "FLOAT16"
    if precision is not None and precision > WIDEST_DECIMAL:
        return f"DECIMAL({precision},{scale or 0})"
    return None


def refuse_declared(name: str, declared: Mapping[str, str], columns: Columns) -> None:
    """A canonical column of a type :func:`declared_type` names (``declared``: column ->
    that name) is an error of the whole file, in every engine, with the same words.

    >>> refuse_declared("x.parquet", {"duration": "FLOAT16"}, NO_MAPPING)
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ratecard.reconcile.readers.InvoiceError: x.parquet: column duration (duration) has type \
FLOAT16: Spark reads no half-precision float, ...
    """
    for canonical in COLUMNS:
        source = columns.source_of(canonical)
        kind = declared.get(source)
        if kind is None:
            continue
        if kind == "FLOAT16":
            what = "money must be DECIMAL or text" if canonical in _MONEY else (
                "Spark reads no half-precision float, and DuckDB widens it to another "
                "number than was meant: write it as DECIMAL, FLOAT, DOUBLE or text")
        else:
            what = (f"a decimal of more than {WIDEST_DECIMAL} digits is not read exactly "
                    f"(DuckDB reads it as a binary float, Spark not at all): write it as "
                    f"DECIMAL({WIDEST_DECIMAL},S) or narrower, or as text")
        raise InvoiceError(f"{name}: column {source} ({canonical}) has type {kind}: {what}")


def refuse_ambiguous_columns(names: Sequence[str], name: str) -> None:
    """The columns of a Parquet file, as stored: a name stored twice, or two names that
    differ only in case (``charged`` and ``Charged``), is an error of the whole file. The
    SQL engines match names regardless of case, DuckDB renames the second copy
    (``charged_1``) and Spark refuses the file: which one holds the value is not guessed,
    and every engine refuses it, whether the column is read or not.

    >>> refuse_ambiguous_columns(["task_id", "charged", "Charged"], "x.parquet")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ratecard.reconcile.readers.InvoiceError: x.parquet: columns 2 and 3 are both charged ...
    """
    first: dict[str, int] = {}
    for position, column in enumerate(names):
        folded = column.casefold()
        if folded in first:
            other = names[first[folded]]
            how = "" if other == column else \
                f" ({other}, {column}; names are matched regardless of case)"
            raise InvoiceError(
                f"{name}: columns {first[folded] + 1} and {position + 1} are both "
                f"{other}{how}: which one holds the value is not guessed; rename or remove "
                "one")
        first.setdefault(folded, position)


def limited(d: Dialect, beyond: str = "''") -> list[str]:
    """``error``, ``raw_charged``, ``note`` and the canonical fields of
    :data:`LINE_COLUMNS` over a relation of the canonical fields as text: a row with a
    field longer than :data:`~ratecard.reconcile.readers.FIELD_LIMIT`, or holding a
    :data:`~ratecard.reconcile.readers.NUL`, is unreadable (the first such field named, as
    :func:`ratecard.reconcile.readers.unusable` names it) and keeps no field.

    >>> from ratecard.batch.duckdb_engine import connect
    >>> from ratecard.batch.sql import DUCKDB
    >>> names = ", ".join(f"'' AS {CANONICAL_SQL[c]}" for c in COLUMNS if c != "model")
    >>> row = connect().execute(f"SELECT {', '.join(limited(DUCKDB))} FROM (SELECT "
    ...                         f"repeat('m', 300) AS model, {names})").fetchone()
    >>> row[0], row[1:4]
    ('model is longer than 256 characters', ('', '', ''))
    """
    error, wide, names = _limits(d, beyond)
    # the field named only on a row the one test finds unreadable: the test per field
    # would otherwise run on every row (DuckDB)
    return [f"(CASE WHEN {wide} THEN {error} ELSE '' END) AS error", "'' AS raw_charged",
            "'' AS note",
            *(f"(CASE WHEN {wide} THEN '' ELSE {name} END) AS {name}" for name in names)]


def limited_in_steps(d: Dialect, beyond: str = "''") -> tuple[list[str], list[str]]:
    """:func:`limited` as two projections (the second over the first), so that an engine
    that folds projections (Spark) computes the test once, not once per field."""
    error, wide, names = _limits(d, beyond)
    first = ["*", f"{wide} AS too_long_", f"{error} AS error", "'' AS raw_charged",
             "'' AS note"]
    second = ["file_no", "source", "line", "error", "raw_charged", "note",
              *(f"(CASE WHEN too_long_ THEN '' ELSE {name} END) AS {name}" for name in names)]
    return first, second


_NUL = "chr(0)"
"""The NUL character in SQL (DuckDB and Spark): never a literal, which would put a zero
byte in the query text."""


def _limits(d: Dialect, beyond: str = "''") -> tuple[str, str, list[str]]:
    """The row's error, whether it keeps no field, and the fields: ``beyond`` (a column
    of :func:`range_error`, ``''`` when none) first, then a field too long or holding a
    NUL."""
    names = [CANONICAL_SQL[column] for column in COLUMNS]
    arms = " ".join(
        f"WHEN length({name}) > {FIELD_LIMIT} THEN "
        f"{d.literal(REASONS['field_too_long'].format(field=column, limit=FIELD_LIMIT))} "
        f"WHEN instr({name}, {_NUL}) > 0 THEN "
        f"{d.literal(REASONS['field_nul'].format(field=column))}"
        for column, name in zip(COLUMNS, names, strict=True))
    wide = (f"(greatest({', '.join(f'length({name})' for name in names)}) > {FIELD_LIMIT} "
            f"OR instr(concat({', '.join(names)}), {_NUL}) > 0)")
    if beyond != "''":
        arms = f"WHEN {beyond} <> '' THEN {beyond} {arms}"
        wide = f"({beyond} <> '' OR {wide})"
    return f"(CASE {arms} ELSE '' END)", wide, names


STAGED_HEADER = LINE_COLUMNS
"""The staged CSV file's header: the columns of the ``lines`` relation."""


def write_staged_csv(files: Sequence[tuple[int, str]], columns: Columns, target: Path,
                     index: PriceIndex) -> Staged:
    """Read CSV/JSON Lines ``files`` (``(file_no, path)``) with ratecard's readers and
    write every line, malformed ones included, to ``target`` as CSV. A task record is
    written as the invoice line it stands for (:func:`ratecard.reconcile.tasks.as_line`,
    read by its provider's adapter with ``index``), as the Python reconciler reads it."""
    from ratecard.reconcile.readers import read_lines
    from ratecard.reconcile.tasks import as_line

    count = longest = 0
    blank = ("",) * len(COLUMNS)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow(STAGED_HEADER)
        write = writer.writerow
        for file_no, path in files:
            lines: Iterable[RawLine] = read_lines([path], columns)
            for raw in lines:
                if raw.task is not None:
                    raw = as_line(index, raw)
                fields = raw.fields or blank
                row = (file_no, raw.source, raw.line, raw.error or "", raw.raw_charged or "",
                       raw.note or "", *fields)
                size = write(row)
                if size > longest:
                    longest = size
                count += 1
    return Staged(count, longest)


class Staged(NamedTuple):
    """What :func:`write_staged_csv` wrote."""

    lines: int
    longest: int
    """Characters of the longest staged line (a reader's line size limit must allow it)."""
