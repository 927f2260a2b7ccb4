"""Reconcile with Spark SQL: the same rating query, for data that outgrows one machine.

:func:`session` starts (or reuses) a SparkSession; :class:`SparkRun` runs the rating query
of :mod:`ratecard.batch.sql` over Parquet files read by Spark (``line`` is the row number
in the file: ``_metadata.row_index + 1``) and the rates table as a DataFrame. Spark's
decimal arithmetic is made exact with ``spark.sql.decimalOperations.allowPrecisionLoss=
false`` (otherwise Spark cuts the scale of wide products to 6 digits) and ANSI mode, so an
overflow fails loudly instead of giving NULL. Set ``RATECARD_SPARK_MASTER`` to run
elsewhere than ``local[2]``.

CSV and JSON Lines inputs (task records included) are read by ratecard's own readers on
the driver and staged as a local CSV file (fine in local mode; on a cluster give Parquet
on shared storage).

A JVM started by :func:`session` logs errors only (``log4j2-quiet.properties`` beside this
module): Spark's start-up warnings are not a user's concern. Set ``RATECARD_SPARK_LOGS=1``
to get Spark's own log settings back.
"""

from __future__ import annotations

import os
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
from ratecard.batch.sql import LINE_COLUMNS, RESULT_COLUMNS, SPARK, rating_query, summary_query
from ratecard.batch.staging import (
    EPOCH_MS,
    NO_MAPPING,
    STAGED_HEADER,
    declared_type,
    limited_in_steps,
    range_error,
    refuse_ambiguous_columns,
    refuse_declared,
    select_list,
    write_staged_csv,
)
from ratecard.errors import RatecardError
from ratecard.pricing.index import HasIndex, PriceIndex
from ratecard.reconcile.names import OfferingNames
from ratecard.reconcile.readers import Columns, InvoiceError, require_files
from ratecard.reconcile.reconciler import LineResult, Summary
from ratecard.reconcile.results import Scope
from ratecard.reconcile.tolerance import Tolerance, Tolerances

SQL_CONF = {
    "spark.sql.decimalOperations.allowPrecisionLoss": "false",
    "spark.sql.ansi.enabled": "true",
    "spark.sql.session.timeZone": "UTC",
}
"""Settings the rating query needs, set on every session it runs in."""

_counter = iter(range(1 << 62))


def session(master: str | None = None) -> Any:
    """A SparkSession for the rating query: ``local[2]`` by default, UI off, quiet."""
    require("pyspark", "spark")
    from pyspark.sql import SparkSession

    from ratecard.batch.java import require_java

    require_java()  # a missing or old Java: one line, before the JVM launcher speaks

    builder = (SparkSession.builder.appName("ratecard")
               .master(master or os.environ.get("RATECARD_SPARK_MASTER", "local[2]"))
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2"))
    for key, value in SQL_CONF.items():
        builder = builder.config(key, value)
    quiet = Path(__file__).with_name("log4j2-quiet.properties")
    if not os.environ.get("RATECARD_SPARK_LOGS") and quiet.is_file():  # errors only
        builder = builder.config("spark.driver.extraJavaOptions",
                                 f"-Dlog4j2.configurationFile={quiet.as_uri()}")
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # Java missing or unusable: say so in one line
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RatecardError(f"Spark could not start (it needs Java 17 or later on PATH or "
                            f"in JAVA_HOME): {first}") from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def prepared(spark: Any = None) -> Any:
    """``spark`` (default: :func:`session`) with the settings of :data:`SQL_CONF`: a
    session passed in may have been started with others."""
    spark = spark or session()
    for key, value in SQL_CONF.items():
        spark.conf.set(key, value)
    return spark


def _spark_type(kind: str) -> Any:
    from pyspark.sql import types

    if kind == "STRING":
        return types.StringType()
    if kind == "BOOLEAN":
        return types.BooleanType()
    if kind == "DATE":
        return types.DateType()
    if kind == "INTEGER":
        return types.IntegerType()
    if kind == "BIGINT":
        return types.LongType()
    precision, scale = kind[len("DECIMAL("):-1].split(",")
    return types.DecimalType(int(precision), int(scale))


def rates_frame(spark: Any, catalog: HasIndex) -> Any:
    """The rates table as a DataFrame with its declared column types."""
    from pyspark.sql import types

    schema = types.StructType([types.StructField(name, _spark_type(kind), True)
                               for name, kind in RATE_COLUMNS])
    return spark.createDataFrame(row_tuples(rate_rows(catalog)), schema)


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def lines_frame(spark: Any, files: Sequence[str | Path], columns: Columns,
                folder: Path, index: PriceIndex) -> Any:
    """Every input file as one DataFrame of :data:`~ratecard.batch.sql.LINE_COLUMNS`."""
    frames = []
    texts = []
    require_files(files)  # every path at once, each once; -: standard input, read as text
    for file_no, raw in enumerate(files):
        path = str(raw)
        if not is_parquet(path):
            texts.append((file_no, path))
            continue
        linked, beyond = readable_link(path, folder, file_no)
        try:  # through a plain name: Spark reads patterns, schemes and separators in paths
            frame = spark.read.parquet(linked)
        except Exception as exc:  # AnalysisException and friends
            why = str(exc).splitlines()[0]
            if "TIMESTAMP(NANOS" in why:
                why += (" (Spark reads no nanosecond timestamps: write the column in "
                        "microseconds, or use --engine duckdb)")
            declared = _declared(spark, linked) \
                if "FLOAT16" in why or "DECIMAL_PRECISION" in why else {}
            refuse_declared(path, declared, columns)  # as the other engines say it
            if declared:  # only in columns that are not read: Spark still cannot
                why += f" (column {', '.join(f'{n} {t}' for n, t in declared.items())})"
            raise InvoiceError(f"{path}: cannot read as Parquet: {why}") from None
        refuse_ambiguous_columns([field.name for field in frame.schema.fields], path)
        types = {field.name: EPOCH_MS if field.name in beyond else
                 field.dataType.simpleString() for field in frame.schema.fields}
        named = columns.resolved(types)  # Task_ID is task_id, as in a CSV header
        fields = select_list(SPARK, path, types, named, _quote)
        first, second = limited_in_steps(SPARK, "beyond_")
        # the typed fields are computed once and the plan cut there (localCheckpoint):
        # folded into the length test and the rating query, Spark's optimiser copied
        # every field's expression into each use and ran out of heap
        typed = frame.selectExpr(
            f"{file_no} AS file_no", f"{SPARK.literal(path)} AS source",
            "_metadata.row_index + 1 AS line", *fields,
            f"{range_error(SPARK, types, named, _quote)} AS beyond_").localCheckpoint()
        frames.append(typed.selectExpr(*first).selectExpr(*second).localCheckpoint())
    if texts:
        from pyspark.sql import types as spark_types

        staged = folder / "staged.csv"
        write_staged_csv(texts, columns, staged, index)
        schema = spark_types.StructType([spark_types.StructField(name, spark_types.StringType())
                                         for name in STAGED_HEADER])
        frame = spark.read.csv(str(staged), schema=schema, header=True, multiLine=True,
                               quote='"', escape='"', mode="FAILFAST", emptyValue="")
        frames.append(frame.selectExpr(
            "CAST(file_no AS INT) AS file_no", "source", "CAST(line AS BIGINT) AS line",
            *(f"COALESCE({name}, '') AS {name}" for name in STAGED_HEADER[3:])))
    union = frames[0]
    for frame in frames[1:]:
        union = union.unionByName(frame)
    return union.select(*LINE_COLUMNS)


def _declared(spark: Any, linked: str) -> dict[str, str]:
    """The top-level columns of a Parquet file whose declared types Spark cannot read
    (:func:`~ratecard.batch.staging.declared_type`), from the file's footer."""
    jvm = spark.sparkContext._jvm
    try:
        source = jvm.org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
            jvm.org.apache.hadoop.fs.Path(Path(linked).absolute().as_uri()),
            spark.sparkContext._jsc.hadoopConfiguration())
        reader = jvm.org.apache.parquet.hadoop.ParquetFileReader.open(source)
        try:
            fields = reader.getFooter().getFileMetaData().getSchema().getFields()
        finally:
            reader.close()
    except Exception:  # an unreadable footer: Spark's own words stand  # pragma: no cover
        return {}
    declared = {}
    for field in fields:
        annotation = field.getLogicalTypeAnnotation()
        text = "" if annotation is None else str(annotation.toString())
        precision = scale = None
        if text.startswith("DECIMAL("):
            precision, scale = (int(part) for part in text[len("DECIMAL("):-1].split(","))
        kind = declared_type(text, precision, scale)
        if kind is not None:
            declared[str(field.getName())] = kind
    return declared


class SparkRun:
    """One reconciliation in Spark: its summary and, if kept, every line's result."""

    def __init__(self, catalog: HasIndex, files: Sequence[str | Path],
                 columns: Columns = NO_MAPPING, tolerance: Tolerances = None,
                 keep_results: bool = False, spark: Any = None) -> None:
        self.spark = prepared(spark)
        self.scope = Scope.of(catalog.index)
        """What the summary knows of the cards (units, offerings)."""
        self._folder = tempfile.TemporaryDirectory(prefix="ratecard-")
        tag = f"ratecard_{os.getpid()}_{next(_counter)}"
        self._views = [f"{tag}_rates", f"{tag}_lines", f"{tag}_results"]
        self.frame: Any = None
        self.files = [str(file) for file in files]
        """The input files as given (an engine's error names them so)."""
        try:
            with engine_errors(self.files):
                rates_frame(self.spark, catalog).createOrReplaceTempView(self._views[0])
                lines_frame(self.spark, files, columns, Path(self._folder.name),
                            catalog.index).createOrReplaceTempView(self._views[1])
                self.frame = self.spark.sql(rating_query(
                    SPARK, Tolerance.coerce(tolerance, catalog.index), lines=self._views[1],
                    rates=self._views[0], names=OfferingNames.of(catalog.index)))
                if keep_results:
                    self.frame = self.frame.persist()
                self.frame.createOrReplaceTempView(self._views[2])
        except Exception:
            self.close()
            raise

    def summary(self) -> Summary:
        """Totals per provider x model x status, as the Python path's :class:`Summary`."""
        with engine_errors(self.files):
            return summary_of(self.spark.sql(summary_query(SPARK, self._views[2],
                                                           self.scope)).collect(), self.scope)

    def results(self) -> Iterator[LineResult]:
        """Every line's result, in input order."""
        with engine_errors(self.files):
            ordered = self.frame.orderBy("file_no", "line")
            # through the RDD: DataFrame.toLocalIterator keeps every plan it served alive in
            # the driver (~50 MB per run here, until the JVM ran out of heap); the RDD's
            # does not
            yield from line_results(ordered.rdd.toLocalIterator())

    def write_parquet(self, path: str | Path) -> None:
        """Every line's result as a directory of Parquet files, in input order."""
        with engine_errors(self.files), output_errors(path), \
                written_through(path, Path(self._folder.name)) as target:
            self.frame.orderBy("file_no", "line").select(*RESULT_COLUMNS) \
                .write.mode("overwrite").parquet(target)

    def close(self) -> None:
        """Drop the temporary views and cached results (the session stays up)."""
        try:
            if self.frame is not None:
                self.frame.unpersist()
            for view in self._views:
                self.spark.catalog.dropTempView(view)
        finally:
            self._folder.cleanup()

    def __enter__(self) -> SparkRun:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def reconcile(catalog: HasIndex, files: Sequence[str | Path], columns: Columns = NO_MAPPING,
              tolerance: Tolerances = None,
              spark: Any = None) -> tuple[list[LineResult], Summary]:
    """Reconcile ``files`` in Spark: every result (input order) and the summary."""
    with SparkRun(catalog, files, columns, tolerance, keep_results=True, spark=spark) as run:
        return list(run.results()), run.summary()
