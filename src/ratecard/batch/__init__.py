"""Rate at scale: the Catalog as a flat rates table, and one rating query for SQL engines.

- :mod:`ratecard.batch.rates`: the rates table (one row per offering x quality x sound x
  price version x credit value version), exported as Parquet, CSV or JSON;
- :mod:`ratecard.batch.sql`: the one rating query over ``(lines, rates)``, a chain of named
  CTEs, with one small class per SQL dialect where DuckDB and Spark SQL differ;
- :mod:`ratecard.batch.duckdb_engine` (embedded) and :mod:`ratecard.batch.spark_engine`
  (distributed): run it and hand back the same results and summary as
  :mod:`ratecard.reconcile.reconciler`.

Nothing here is imported by ``import ratecard``; DuckDB and PySpark are optional extras
(``pip install 'ratecard[duckdb]'``, ``'ratecard[spark]'``) imported only when used.

>>> from ratecard.batch import engine_for
>>> engine_for(["march.csv"]), engine_for(["march.parquet"]), engine_for(["a.csv", "b.parquet"])
('python', 'duckdb', 'duckdb')
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

ENGINES = ("python", "duckdb", "spark")
"""Engines ``ratecard reconcile --engine`` accepts."""


def is_parquet(path: str | Path) -> bool:
    """Whether ``path`` is read as Parquet (by its extension, ``.parquet`` or ``.pq``).

    >>> is_parquet("x.PARQUET"), is_parquet("x.csv")
    (True, False)
    """
    return Path(path).suffix.lower() in (".parquet", ".pq")


def engine_for(paths: Iterable[str | Path]) -> str:
    """The default engine: ``duckdb`` when any input is Parquet, else ``python``."""
    return "duckdb" if any(is_parquet(path) for path in paths) else "python"


def require(module: str, extra: str) -> object:
    """Import an optional engine, or fail with a one-line error naming the extra.

    >>> require("ratecard", "duckdb").__name__
    'ratecard'
    """
    import importlib

    from ratecard.errors import RatecardError

    try:
        return importlib.import_module(module)
    except ImportError:
        raise RatecardError(f"{module} is not installed: pip install 'ratecard[{extra}]'"
                            f" to use it") from None
