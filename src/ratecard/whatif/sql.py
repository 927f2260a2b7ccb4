"""What-if in SQL: the batch rating query reads and checks every line, each distinct job
shape is re-rated once, and SQL joins the lines to them and adds up. :class:`SQLWhatIf`
holds the steps and their queries; :class:`DuckDBWhatIf` runs them on DuckDB, and
:class:`ratecard.whatif.spark.SparkWhatIf` on Spark.

1. The lines are staged as the ``lines`` relation (Parquet read where it is; CSV and
   JSON Lines by ratecard's readers, task records read by their providers' adapters) and
   rated by :func:`ratecard.batch.sql.rating_query`, the query ``ratecard reconcile``
   runs: unreadable lines, duplicate tasks and unknown offerings get the same verdicts.
2. Each distinct job shape x pricing day of the other lines (a month of lines holds a
   few thousand) is re-rated by :meth:`ratecard.whatif.rerate.WhatIf.rerated`: the very
   answers of the Python engine (compare and route, the seller it went to, the cheapest,
   every seller's price), stored in two small tables, ``rerated`` and ``answers``.
3. Every line is joined to its shape's answer, and every total is a GROUP BY: results
   and summary equal the Python engine's, amount for amount and digit for digit
   (``tests/test_whatif_differential.py``).

The SQL engines' reading limits apply (:mod:`ratecard.batch.sql`: no exponent notation
in money, a few rare ISO 8601 forms): such a line is INVALID_LINE here.

>>> import ratecard, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "m.csv"
>>> _ = path.write_text("task_id,provider,model,timestamp,duration,charged,currency,status\\n"
...                     "a,krea,kling-3.0-text-to-video,2026-11-01,5,0.882,USD,done\\n")
>>> with DuckDBWhatIf(ratecard.load(), [path]) as run:
...     [(r.status, r.usd, r.best_provider, r.saving_usd) for r in run.results()]
[('REPRICED', Decimal('0.882000'), 'evolink', Decimal('0.507000'))]
"""

from __future__ import annotations

import csv
import json
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Self

from ratecard.batch import is_parquet
from ratecard.batch.duckdb_engine import connect, load_rates, parquet_select, staged_select
from ratecard.batch.failures import engine_errors, output_errors
from ratecard.batch.paths import written_through
from ratecard.batch.rates import rate_rows
from ratecard.batch.results import brief
from ratecard.batch.sql import DUCKDB, LINE_COLUMNS, rating_query
from ratecard.batch.sql.words import FAILED_JOBS, sql_list
from ratecard.batch.staging import NO_MAPPING, write_staged_csv
from ratecard.pricing.engine import DateArg
from ratecard.pricing.index import HasIndex
from ratecard.reconcile.names import OfferingNames
from ratecard.reconcile.readers import COLUMNS, Columns, require_files
from ratecard.reconcile.reasons import NOTE_SEPARATOR
from ratecard.whatif.rerate import (
    CHARGED_FAILED_REASON,
    FAILED_REASON,
    PASSED_ON,
    Excluded,
    LineWhatIf,
    Savings,
    SellerTotals,
    WhatIf,
    WhatIfSummary,
    charged_label,
    currency_label,
    names_its_day,
)
from ratecard.whatif.writers import PARQUET_TYPES, excluded_text

__all__ = ["DuckDBWhatIf", "SQLWhatIf", "column_type", "whatif"]

_KEY = ("provider", "model", "duration", "input_seconds", "quality", "sound")
KEEP = {**{f"k_{name}": name for name in _KEY}, "k_day": "day_v", "k_note": "note"}
"""The line's own fields the what-if needs beside the rating query's result columns (and
the note of how a task record's line was read, which a re-rated line's reason ends with)."""
_SHAPE = tuple(f"k_{name}" for name in _KEY)
_PASSED = sql_list(PASSED_ON)
_FAILED = FAILED_JOBS
MONEY_SQL = "DECIMAL(38,10)"
"""The type of every amount of the re-rated tables."""
_ANY_DAY = date(1, 1, 1)
"""``k_when`` of an answer that holds on every day of its stretch."""
_ANY_DAY_SQL = "DATE '0001-01-01'"

_RERATED = ("status", "reason", "family", "mode", "quality", "sound", "seconds", "amount",
            "currency", "usd", "price_version", "best_provider", "best_model",
            "best_quality", "best_sound", "best_amount", "best_currency", "best_usd",
            "saving_usd", "excluded", "excluded_json")
_DECIMALS = ("seconds", "amount", "usd", "best_amount", "best_usd", "saving_usd")
"""Amounts of ``rerated``, stored as their exact text, each with its decimal places."""


def _scale(value: Decimal | None) -> int | None:
    if value is None:
        return None
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(-exponent, 0)


class SQLWhatIf(ABC):
    """What a what-if in SQL does whatever the engine (see the module docs): re-rate the job
    shapes of the rated lines, join, add up. An engine gives the relations (``base``: the
    rating query over the lines with :data:`KEEP`) and says how to run SQL on them.

    ``at``, ``allow``, ``deny``: as :class:`~ratecard.whatif.rerate.WhatIf`."""

    def __init__(self, catalog: HasIndex, *, at: DateArg = None,
                 allow: Iterable[str] | None = None, deny: Iterable[str] = ()) -> None:
        self.rerate = WhatIf(catalog, at=at, allow=allow, deny=deny)
        self._folder = tempfile.TemporaryDirectory(prefix="ratecard-whatif-")
        self.files: list[str] = []
        """The input files as given (an engine's error names them so)."""

    # ------------------------------------------------------------ what an engine gives

    def _name(self, relation: str) -> str:
        """The engine's name for one of the run's relations (``base``, ``rerated``...)."""
        return relation

    @abstractmethod
    def _rows(self, sql: str) -> list[Sequence[Any]]:
        """Every row of ``sql``."""

    @abstractmethod
    def _stream(self, sql: str, batch: int) -> Iterator[Sequence[Any]]:
        """The rows of ``sql``, fetched about ``batch`` at a time."""

    @abstractmethod
    def _create(self, relation: str, sql: str) -> None:
        """``relation`` computed once from ``sql`` and kept for the run."""

    @abstractmethod
    def _view(self, relation: str, sql: str) -> None:
        """``relation`` as a view of ``sql`` (computed where it is used)."""

    @abstractmethod
    def _table(self, relation: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        """A table of ``rows`` (Python values; :func:`column_type` says each column's
        type)."""

    def _rate_and_join(self) -> None:
        """The steps after ``base``: re-rate the shapes, join the lines to them."""
        self._rerate_shapes()
        self._join()

    # ------------------------------------------------------------------- job shapes

    def _rerate_shapes(self) -> None:
        """Re-rate each distinct job shape once per stretch of days without a price change
        (Python's own answers); a shape whose answer names its day (UNPRICED_DATE, an
        invalid length, a seller without a price that day) once per day."""
        n = self._name
        keys = ", ".join(_SHAPE)
        day, stretch = self._day(""), self._stretch(self._day(""))
        eligible = f"status NOT IN {_PASSED} AND job_status NOT IN {_FAILED}"
        rerated: list[tuple[Any, ...]] = []
        answers: list[tuple[Any, ...]] = []
        bound: list[tuple[Any, ...]] = []
        for *shape, part, first in self._rows(
                f"SELECT {keys}, k_stretch, min(k_first) FROM (SELECT {keys}, {stretch} AS "
                f"k_stretch, {day} AS k_first FROM {n('base')} WHERE {eligible}) q "
                f"GROUP BY {keys}, k_stretch"):
            mark = len(answers)
            r = self._row(shape, first, part, _ANY_DAY, rerated, answers)
            if names_its_day(r):  # answered per day below, with its sellers' answers
                rerated.pop()
                del answers[mark:]
                bound.append((*shape, part))
        self._table("daybound", [*_SHAPE, "k_stretch"], bound)
        if bound:
            same = " AND ".join(f"x.{name} = b.{name}" for name in _SHAPE)
            for *shape, part, when in self._rows(
                    f"SELECT DISTINCT {', '.join(f'b.{k}' for k in _SHAPE)}, x.k_stretch, "
                    f"{self._day('b.')} FROM {n('base')} b JOIN {n('daybound')} x ON {same} "
                    f"AND x.k_stretch = {self._stretch(self._day('b.'))} WHERE b.{eligible}"):
                self._row(shape, when, part, when, rerated, answers)
        self._table("rerated", [*_SHAPE, "k_stretch", "k_when", "r_id",
                                *(f"r_{name}" for name in _RERATED),
                                *(f"{name}_scale" for name in _DECIMALS)], rerated)
        self._table("answers", ["r_id", "a_provider", "code", "a_usd",
                                "a_amount", "a_currency", "a_usd_scale", "a_amount_scale"],
                    answers)

    def _row(self, shape: list[str], day: Any, part: int, when: Any,
             rerated: list[tuple[Any, ...]], answers: list[tuple[Any, ...]]) -> Any:
        """Re-rate one shape on ``day``; add its row (and its sellers' answers)."""
        fields = ("", *shape, *("",) * (len(COLUMNS) - 7))
        r = self.rerate.rerated(tuple(fields), self.rerate.at or day)
        best = r.best
        saving = None
        if r.status == "REPRICED":
            assert best is not None
            assert r.usd is not None
            saving = r.usd - best.usd
        values: dict[str, Any] = {
            "status": r.status, "reason": r.reason, "family": r.family, "mode": r.mode,
            "quality": r.quality, "sound": r.sound, "seconds": r.seconds,
            "amount": r.amount, "currency": r.currency, "usd": r.usd,
            "price_version": r.price_version,
            "best_provider": None if best is None else best.provider,
            "best_model": None if best is None else best.model,
            "best_quality": None if best is None else best.quality,
            "best_sound": None if best is None else ("on" if best.sound else "off"),
            "best_amount": None if best is None else best.credits,
            "best_currency": None if best is None else best.currency,
            "best_usd": None if best is None else best.usd, "saving_usd": saving,
            "excluded": excluded_text(r.excluded),
            "excluded_json": json.dumps([list(e) for e in r.excluded], ensure_ascii=False),
        }
        r_id = len(rerated)
        rerated.append((*shape, part, when, r_id, *(values[name] for name in _RERATED),
                        *(_scale(values[name]) for name in _DECIMALS)))
        for provider, answer in r.answers:
            answers.append((r_id, provider, answer.code, answer.usd, answer.amount,
                            answer.currency, _scale(answer.usd), _scale(answer.amount)))
        return r

    def _stretch(self, day: str) -> str:
        """Which stretch of days without a price change ``day`` falls in (SQL), as
        :meth:`~ratecard.whatif.rerate.WhatIf.rerated` counts them."""
        bounds = self.rerate.bounds
        if not bounds:
            return "0"
        return "(" + " + ".join(f"(CASE WHEN {day} >= DATE '{b.isoformat()}' THEN 1 ELSE 0 "
                                "END)" for b in bounds) + ")"

    def _day(self, table: str) -> str:
        """The pricing day of a line of ``table``: its own, or ``at``."""
        at = self.rerate.at
        return f"{table}k_day" if at is None else f"DATE '{at.isoformat()}'"

    def _join(self) -> None:
        """The ``joined`` view: every line with its shape's answer and its status."""
        same = " AND ".join(f"r.{name} = w.{name}" for name in _SHAPE)
        bound = " AND ".join(f"x.{name} = s.{name}" for name in _SHAPE)
        eligible = f"s.status NOT IN {_PASSED} AND s.job_status NOT IN {_FAILED}"
        kept = ", ".join(f"w.{name}" for name in (
            "file_no", "line", "source", "task_id", "provider", "model", "day", "job_status",
            "charged", "charged_scale", "currency", *_SHAPE, "w_stretch"))
        n = self._name
        self._create("joined", f"""
WITH s AS (SELECT b.*, {self._stretch(self._day('b.'))} AS w_stretch FROM {n('base')} b),
w AS (
  SELECT s.*, (CASE WHEN x.k_stretch IS NULL THEN {_ANY_DAY_SQL} ELSE {self._day('s.')} END)
    AS w_when,
    (CASE WHEN {eligible} THEN s.w_stretch END) AS w_key
  FROM s LEFT JOIN {n('daybound')} x ON {bound} AND x.k_stretch = s.w_stretch
)
SELECT {kept}, r.r_id,
  (CASE WHEN w.status IN {_PASSED} THEN w.status
    WHEN w.job_status IN {_FAILED} THEN 'FAILED_JOB' ELSE r.r_status END) AS w_status,
  (CASE WHEN w.status IN {_PASSED} THEN w.reason
    WHEN w.job_status IN {_FAILED} AND w.status = 'CHARGED_FOR_FAILED'
      THEN w.reason || '{CHARGED_FAILED_REASON}'
    WHEN w.job_status IN {_FAILED}
      THEN {FAILED_REASON.replace("'", "''").join(("'", "'")).replace("{job}",
                                                                      "' || w.job_status || '")}
    ELSE concat_ws('{NOTE_SEPARATOR}', NULLIF(r.r_reason, ''), NULLIF(w.k_note, ''))
    END) AS w_reason
FROM w
LEFT JOIN {n('rerated')} r ON {same} AND r.k_stretch = w.w_key AND r.k_when = w.w_when""")
        answer = ", ".join([*(f"r.r_{name}" for name in _RERATED),
                            *(f"r.{name}_scale" for name in _DECIMALS)])
        self._view("wide", f"SELECT j.*, {answer} FROM {n('joined')} j "
                   f"LEFT JOIN {n('rerated')} r ON r.r_id = j.r_id")

    # ---------------------------------------------------------------------- results

    def results(self, batch: int = 50_000) -> Iterator[LineWhatIf]:
        """Every line's result, in input order (fetched ``batch`` rows at a time)."""
        with engine_errors(self.files):
            rows = self._stream(
                "SELECT source, line, task_id, provider, model, day, job_status, w_status, "
                "w_reason, charged, charged_scale, currency, "
                + ", ".join(f"r_{name}" for name in _RERATED[2:]) + ", "
                + ", ".join(f"{name}_scale" for name in _DECIMALS)
                + f" FROM {self._name('wide')} ORDER BY file_no, line", batch)
            for row in rows:
                yield _line(row)

    # ---------------------------------------------------------------------- summary

    def summary(self) -> WhatIfSummary:
        """The totals, as :class:`~ratecard.whatif.rerate.WhatIfSummary` (GROUP BYs)."""
        with engine_errors(self.files):
            return self._summary()

    def _summary(self) -> WhatIfSummary:
        run, n = self._rows, self._name
        summary = WhatIfSummary((t.provider, t.reference)
                                for t in self.rerate.summary.sellers.values())
        for status, lines in run(f"SELECT w_status, count(*) FROM {n('joined')} "
                                 "GROUP BY w_status"):
            summary.by_status[status] = int(lines)
            summary.lines += int(lines)
        for provider, currency, value, scale in run(
                f"SELECT provider, currency, sum(charged), max(charged_scale) FROM "
                f"{n('joined')} WHERE charged IS NOT NULL GROUP BY provider, currency"):
            label = charged_label(provider, currency)
            if label is None:  # no currency, or credits of no named seller
                continue
            summary.charged[label] = _sum(summary.charged.get(label), brief(value, scale))
        for provider, currency, value, scale in run(
                f"SELECT provider, r_currency, sum(r_amount), "
                f"max(amount_scale) FROM {n('wide')} WHERE r_amount IS NOT NULL "
                "GROUP BY provider, r_currency"):
            label = currency_label(provider, currency)
            summary.card[label] = _sum(summary.card.get(label), brief(value, scale))
        groups = {"month": "substr(day, 1, 7)", "model": "r_family", "seller": "provider",
                  "to": "r_best_provider"}
        into = {"month": summary.by_month, "model": summary.by_model,
                "seller": summary.by_seller, "to": summary.to_seller}
        keys = [f"g_{name}" for name in groups]
        for *row, lines, actual, a_scale, cheapest, c_scale in run(f"""
WITH g AS (
  SELECT {', '.join(f'{expr} AS g_{name}' for name, expr in groups.items())},
    r_usd, usd_scale, r_best_usd, best_usd_scale
  FROM {n('wide')} WHERE w_status = 'REPRICED'
)
SELECT {', '.join(f'grouping({key})' for key in keys)}, {', '.join(keys)}, count(*),
  sum(r_usd), max(usd_scale), sum(r_best_usd), max(best_usd_scale)
FROM g GROUP BY GROUPING SETS ((), {', '.join(f'({key})' for key in keys)})"""):
            if not lines:  # the grand total of no line at all
                continue
            savings = Savings(int(lines), brief(actual, a_scale),  # type: ignore[arg-type]
                              brief(cheapest, c_scale))  # type: ignore[arg-type]
            grouped, values = row[:len(keys)], row[len(keys):]
            if all(grouped):  # the grouping set (): every line
                summary.policy = savings
                continue
            at = [int(flag) for flag in grouped].index(0)
            group = values[at]
            into[list(groups)[at]]["?" if group is None else group] = savings
        for provider, code, currency, lines, actual, a_scale, usd, u_scale, amount, m_scale \
                in run(f"""
WITH j AS (
  SELECT r_id, CAST(count(*) AS DECIMAL(18,0)) AS n, sum(r_usd) AS usd,
    max(usd_scale) AS usd_scale
  FROM {n('wide')} WHERE w_status = 'REPRICED' GROUP BY r_id
)
SELECT a.a_provider, a.code, a.a_currency, sum(j.n), sum(j.usd), max(j.usd_scale),
  sum(a.a_usd * j.n), max(a.a_usd_scale), sum(a.a_amount * j.n), max(a.a_amount_scale)
FROM j JOIN {n('answers')} a ON a.r_id = j.r_id
GROUP BY a.a_provider, a.code, a.a_currency"""):
            totals = summary.sellers.setdefault(provider, SellerTotals(provider, False))
            if amount is not None:
                label = currency_label(provider, currency)
                totals.amount[label] = _sum(totals.amount.get(label), brief(amount, m_scale))
            if code == "OK":
                totals.served = Savings(int(lines), brief(actual, a_scale),  # type: ignore[arg-type]
                                        brief(usd, u_scale))  # type: ignore[arg-type]
            elif code == "USD_UNKNOWN":
                totals.usd_unknown += int(lines)
            else:
                totals.not_served[code] = totals.not_served.get(code, 0) + int(lines)
        return summary

    def close(self) -> None:
        """Release the staging folder."""
        self._folder.cleanup()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DuckDBWhatIf(SQLWhatIf):
    """One what-if in DuckDB: every line's result and the summary (see the module docs).

    ``at``, ``allow``, ``deny``: as :class:`~ratecard.whatif.rerate.WhatIf`."""

    def __init__(self, catalog: HasIndex, files: Sequence[str | Path],
                 columns: Columns = NO_MAPPING, *, at: DateArg = None,
                 allow: Iterable[str] | None = None, deny: Iterable[str] = (),
                 threads: int | None = None, connection: Any = None) -> None:
        super().__init__(catalog, at=at, allow=allow, deny=deny)
        self.connection = connection if connection is not None else connect(threads)
        self.files = [str(file) for file in files]
        try:
            with engine_errors(self.files):
                load_rates(self.connection, rate_rows(catalog))
                self._stage(files, columns, Path(self._folder.name), catalog)
                self._create("base", rating_query(DUCKDB, keep=KEEP,
                                                  names=OfferingNames.of(catalog.index)))
                self._rate_and_join()
        except Exception:
            self.close()
            raise

    def _rows(self, sql: str) -> list[Sequence[Any]]:
        return list(self.connection.execute(sql).fetchall())

    def _stream(self, sql: str, batch: int) -> Iterator[Sequence[Any]]:
        cursor = self.connection.execute(sql)
        while rows := cursor.fetchmany(batch):
            yield from rows

    def _create(self, relation: str, sql: str) -> None:
        self.connection.execute(f"CREATE OR REPLACE TEMP TABLE {relation} AS {sql}")

    def _view(self, relation: str, sql: str) -> None:
        self.connection.execute(f"CREATE OR REPLACE TEMP VIEW {relation} AS {sql}")

    # ----------------------------------------------------------------------- staging

    def _stage(self, files: Sequence[str | Path], columns: Columns, folder: Path,
               catalog: HasIndex) -> None:
        """The ``lines`` view: Parquet files read where they are, text files by
        ratecard's readers (task records as their invoice lines) staged as CSV."""
        parts, texts = [], []
        require_files(files, "usage")
        for file_no, raw in enumerate(files):
            path = str(raw)
            if is_parquet(path):
                parts.append(parquet_select(self.connection, file_no, path, columns, folder))
            else:
                texts.append((file_no, path))
        if texts:
            staged = folder / "staged.csv"
            longest = write_staged_csv(texts, columns, staged, catalog.index).longest
            parts.append(staged_select(staged, longest))
        union = " UNION ALL ".join(
            f"SELECT {', '.join(LINE_COLUMNS)} FROM ({part})" for part in parts)
        self.connection.execute(f"CREATE OR REPLACE TEMP VIEW lines AS {union}")

    def _table(self, name: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        """A table of ``rows`` (text, ``None`` as NULL; ``*_scale`` INTEGER, ``k_day``
        DATE), loaded through a CSV file: DuckDB inserts row by row far slower. Text is
        written behind a ``v`` so that an empty text stays apart from NULL."""
        path = Path(self._folder.name) / f"{name}.csv"
        text = [column_type(c) == "VARCHAR" for c in columns]
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
            writer.writerow(columns)
            writer.writerows([None if v is None else f"v{v}" if t else str(v)
                              for v, t in zip(row, text, strict=True)] for row in rows)
        types = ", ".join(f"'{c}': '{column_type(c)}'" for c in columns)
        select = ", ".join(f"substr({c}, 2) AS {c}" if t else c
                           for c, t in zip(columns, text, strict=True))
        self.connection.execute(
            f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {select} FROM read_csv("
            f"{DUCKDB.literal(str(path))}, header = true, quote = '\"', escape = '\"', "
            f"delim = ',', columns = {{{types}}}, nullstr = '', strict_mode = true, "
            "parallel = false)")

    def write_parquet(self, path: str | Path) -> None:
        """Every line's result as Parquet (:data:`~ratecard.whatif.writers.PARQUET_TYPES`)."""
        names = {"status": "w_status", "reason": "w_reason", "charged_currency": "currency",
                 "charged": "charged"}
        select = []
        for name, kind in PARQUET_TYPES.items():
            source = names.get(name, name if name in ("source", "line", "task_id",
                                                      "provider", "model", "day",
                                                      "job_status") else f"r_{name}")
            value = f"CAST({source} AS {kind})"
            if name == "excluded":  # a line not re-rated excluded no one: '', as in Python
                value = f"COALESCE({value}, '')"
            select.append(f"{value} AS {name}")
        with engine_errors(self.files), output_errors(path), \
                written_through(path, Path(self._folder.name)) as target:  # a plain name
            self.connection.execute(
                f"COPY (SELECT {', '.join(select)} FROM {self._name('wide')} ORDER BY "
                f"file_no, line) TO {DUCKDB.literal(target)} (FORMAT parquet)")

    def close(self) -> None:
        """Release the connection and the staging folder."""
        try:
            self.connection.close()
        finally:
            self._folder.cleanup()


_DECIMAL_COLUMNS = frozenset({*(f"r_{name}" for name in _DECIMALS), "a_usd", "a_amount"})


def column_type(column: str) -> str:
    """The SQL type of a column of the re-rated tables, by its name.

    >>> column_type("r_usd"), column_type("r_id"), column_type("k_when")
    ('DECIMAL(38,10)', 'INTEGER', 'DATE')
    """
    if column in _DECIMAL_COLUMNS:
        return MONEY_SQL
    if column.endswith("_scale") or column in ("k_stretch", "r_id"):
        return "INTEGER"
    return "DATE" if column == "k_when" else "VARCHAR"


def _sum(total: Decimal | None, value: Decimal | None) -> Decimal:
    assert value is not None
    return value if total is None else total + value


def _line(row: Sequence[Any]) -> LineWhatIf:
    (source, line, task, provider, model, day, job, status, reason, charged, charged_scale,
     currency, family, mode, quality, sound, seconds, amount, card_currency, usd, version,
     best_provider, best_model, best_quality, best_sound, best_amount, best_currency,
     best_usd, saving, _, excluded_json, *scales) = row
    seconds, amount, usd, best_amount, best_usd, saving = (
        brief(value, scale) for value, scale in zip(
            (seconds, amount, usd, best_amount, best_usd, saving), scales, strict=True))
    excluded = () if excluded_json is None else tuple(
        Excluded(*item) for item in json.loads(excluded_json))
    return LineWhatIf(
        source, int(line), task, provider, model, day, job, status, reason,
        brief(charged, charged_scale), currency, family, mode, quality, sound, seconds,
        amount, card_currency, usd, version, best_provider, best_model, best_quality,
        best_sound, best_amount, best_currency, best_usd, saving, excluded)


def whatif(catalog: HasIndex, files: Sequence[str | Path], columns: Columns = NO_MAPPING, *,
           at: DateArg = None, allow: Iterable[str] | None = None,
           deny: Iterable[str] = ()) -> tuple[list[LineWhatIf], WhatIfSummary]:
    """Re-rate ``files`` in DuckDB: every result (input order) and the summary."""
    with DuckDBWhatIf(catalog, files, columns, at=at, allow=allow, deny=deny) as run:
        return list(run.results()), run.summary()
