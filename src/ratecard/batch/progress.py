"""Progress of the SQL engines while a query runs, shown as lines done on a tqdm bar.

The engines report how far a query is, each its own way: DuckDB's
``connection.query_progress()`` (a percentage, once ``enable_progress_bar`` is on with its
own printing off) and Spark's status tracker (tasks completed of the active stages). A
thread polls that share five times a second and shows it as a share of the input's lines
(:func:`input_lines`), so the bar gives lines done, lines per second and the time left on
every engine. Nothing here changes what a query computes.

>>> import io
>>> out = io.StringIO()
>>> shares = iter([0.25, 0.5, None, 1.0])
>>> with Watch(lambda: next(shares, 1.0), "rating", 1000, True, stream=out, interval=0.01) as w:
...     import time; time.sleep(0.1)
>>> w.bar.n, "100%" in out.getvalue()
(1000, True)
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from ratecard.batch import is_parquet
from ratecard.batch.paths import link
from ratecard.reconcile.progress import bar

Share = Callable[[], float | None]
"""How far the running query is, 0 to 1, or ``None`` when the engine cannot say now."""


def duckdb_share(connection: Any) -> Share:
    """DuckDB's progress of the query running on ``connection`` (its own bar stays off)."""
    connection.execute("SET enable_progress_bar = true")
    connection.execute("SET enable_progress_bar_print = false")

    def share() -> float | None:
        value = connection.query_progress()
        return None if value is None or value < 0 else min(value / 100, 1.0)

    return share


def spark_share(spark: Any) -> Share:
    """Spark's progress: tasks completed of the stages running now."""
    tracker = spark.sparkContext.statusTracker()

    def share() -> float | None:
        done = total = 0
        for stage in tracker.getActiveStageIds():
            info = tracker.getStageInfo(stage)
            if info is not None:
                done += info.numCompletedTasks
                total += info.numTasks
        return done / total if total else None

    return share


def input_lines(files: Sequence[str | Path], count_parquet: Callable[[str], int]) -> int | None:
    """How many lines the inputs hold (the bar's total): newlines of CSV and JSON Lines
    files, rows of Parquet files (``count_parquet``, from their metadata); ``None`` when
    unknown (standard input).

    ``count_parquet`` is an engine's, and is given a plain link to each file
    (:func:`ratecard.batch.paths.link`), as the engines read it: both read a path as a
    glob pattern, so ``jan[1].parquet`` counted ``jan1.parquet``.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "jan[1].parquet").write_bytes(b"PAR1")
    >>> input_lines([folder / "jan[1].parquet"], lambda name: print(Path(name).name) or 3)
    input-0.parquet
    3
    >>> import shutil; shutil.rmtree(folder)
    """
    if any(str(raw) == "-" for raw in files):
        return None
    total = 0
    with tempfile.TemporaryDirectory(prefix="ratecard-") as folder:
        for number, raw in enumerate(files):
            path = str(raw)
            if is_parquet(path):
                total += count_parquet(link(path, Path(folder), number))
                continue
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 22):
                    total += chunk.count(b"\n")
    return total


class Watch:
    """A context in which a thread shows ``share()`` of ``total`` lines on a bar (a
    percentage when ``total`` is unknown); the bar ends at what was reached."""

    def __init__(self, share: Share, label: str, total: int | None, enabled: bool,
                 stream: TextIO | None = None, interval: float = 0.2) -> None:
        self.share = share
        self.total = total
        self.enabled = enabled
        self.interval = interval
        self.bar = bar(label, total if total is not None else 100, enabled, stream,
                       unit=" lines" if total is not None else "%")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, name="ratecard-progress",
                                        daemon=True)

    def _poll(self) -> None:
        while not self._stop.wait(self.interval):
            self._show()

    def _show(self) -> None:
        try:
            share = self.share()
        except Exception:  # the engine closed, or cannot say: keep what is shown
            return
        if share is None:
            return
        scale = self.total if self.total is not None else 100
        reached = int(share * scale)
        if reached > self.bar.n:
            self.bar.update(reached - self.bar.n)

    def done(self) -> None:
        """The work finished: the bar shows all of it."""
        scale = self.total if self.total is not None else 100
        if self.bar.n < scale:
            self.bar.update(scale - self.bar.n)

    def __enter__(self) -> Watch:
        if self.enabled:
            self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        if kind is None:
            self._show()
            self.done()
        self.bar.close()
