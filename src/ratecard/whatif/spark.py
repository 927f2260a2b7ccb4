"""What-if on Spark: the steps of :mod:`ratecard.whatif.sql` in Spark SQL.

The lines are read as ``ratecard reconcile --engine spark`` reads them (Parquet by Spark,
CSV and JSON Lines by ratecard's readers, staged) and rated by the same rating query; each
distinct job shape is re-rated once by the Python engine, and Spark joins and adds up.
Results and summary equal the Python engine's and DuckDB's, amount for amount
(``tests/test_whatif_differential.py``). Needs PySpark and Java 17 (``pip install
'ratecard[spark]'``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from itertools import count
from pathlib import Path
from typing import Any

from ratecard.batch.failures import engine_errors
from ratecard.batch.spark_engine import lines_frame, prepared, rates_frame
from ratecard.batch.sql import SPARK, rating_query
from ratecard.batch.staging import NO_MAPPING
from ratecard.pricing.engine import DateArg
from ratecard.pricing.index import HasIndex
from ratecard.reconcile.names import OfferingNames
from ratecard.reconcile.readers import Columns, require_files
from ratecard.whatif.rerate import LineWhatIf, WhatIfSummary
from ratecard.whatif.sql import KEEP, MONEY_SQL, SQLWhatIf, column_type

__all__ = ["SparkWhatIf", "whatif"]

_runs = count()


class SparkWhatIf(SQLWhatIf):
    """One what-if in Spark: every line's result and the summary (see the module docs).

    ``at``, ``allow``, ``deny``: as :class:`~ratecard.whatif.rerate.WhatIf`; ``spark``: a
    SparkSession (default: :func:`ratecard.batch.spark_engine.session`). The run's tables
    are temporary views of that session, dropped by :meth:`close`."""

    def __init__(self, catalog: HasIndex, files: Sequence[str | Path],
                 columns: Columns = NO_MAPPING, *, at: DateArg = None,
                 allow: Iterable[str] | None = None, deny: Iterable[str] = (),
                 spark: Any = None) -> None:
        super().__init__(catalog, at=at, allow=allow, deny=deny)
        self._tag = f"ratecard_whatif_{os.getpid()}_{next(_runs)}"
        self._views: list[str] = []
        self._kept: list[Any] = []
        self.files = [str(file) for file in files]
        try:
            require_files(files, "usage")
            self.spark = prepared(spark)
            with engine_errors(self.files):
                self._register("rates", rates_frame(self.spark, catalog))
                self._register("lines", lines_frame(self.spark, files, columns,
                                                    Path(self._folder.name), catalog.index))
                self._create("base", rating_query(SPARK, lines=self._name("lines"),
                                                  rates=self._name("rates"), keep=KEEP,
                                                  names=OfferingNames.of(catalog.index)))
                self._rate_and_join()
        except Exception:
            self.close()
            raise

    def _name(self, relation: str) -> str:
        return f"{self._tag}_{relation}"

    def _register(self, relation: str, frame: Any) -> None:
        self._views.append(self._name(relation))
        frame.createOrReplaceTempView(self._name(relation))

    def _rows(self, sql: str) -> list[Sequence[Any]]:
        return list(self.spark.sql(sql).collect())

    def _stream(self, sql: str, batch: int) -> Iterator[Sequence[Any]]:
        # the RDD's local iterator: the DataFrame's keeps every plan it served alive
        return iter(self.spark.sql(sql).rdd.toLocalIterator())

    def _create(self, relation: str, sql: str) -> None:
        frame = self.spark.sql(sql).persist()
        self._kept.append(frame)
        self._register(relation, frame)

    def _view(self, relation: str, sql: str) -> None:
        self._register(relation, self.spark.sql(sql))

    def _table(self, relation: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        from pyspark.sql import types

        kinds = {"VARCHAR": types.StringType(), "INTEGER": types.IntegerType(),
                 "DATE": types.DateType(), MONEY_SQL: types.DecimalType(38, 10)}
        schema = types.StructType([types.StructField(c, kinds[column_type(c)], True)
                                   for c in columns])
        frame = self.spark.createDataFrame(rows, schema).persist()
        self._kept.append(frame)
        self._register(relation, frame)

    def close(self) -> None:
        """Drop the run's views and cached tables, and the staging folder (the session
        stays up)."""
        try:
            for frame in self._kept:
                frame.unpersist()
            for view in self._views:
                self.spark.catalog.dropTempView(view)
        finally:
            super().close()


def whatif(catalog: HasIndex, files: Sequence[str | Path], columns: Columns = NO_MAPPING, *,
           at: DateArg = None, allow: Iterable[str] | None = None, deny: Iterable[str] = (),
           spark: Any = None) -> tuple[list[LineWhatIf], WhatIfSummary]:
    """Re-rate ``files`` in Spark: every result (input order) and the summary."""
    with SparkWhatIf(catalog, files, columns, at=at, allow=allow, deny=deny,
                     spark=spark) as run:
        return list(run.results()), run.summary()
