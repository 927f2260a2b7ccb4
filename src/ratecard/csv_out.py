"""How ratecard writes CSV: ``\\n`` line ends, and a row with a carriage return in a cell
written with every cell quoted.

Python's ``csv.writer`` with ``lineterminator="\\n"`` quotes a cell holding a line feed but
not one holding a lone carriage return (before Python 3.13), which every CSV reader takes
for a line end: a task id ``"a\\rb"`` read from JSON Lines or Parquet became two rows of a
results file.

>>> import io
>>> out = io.StringIO()
>>> writer = CsvWriter(out)
>>> writer.writerow(["t1", "27.0", None])
>>> writer.writerow(["a\\rb", "27.0", None])
>>> out.getvalue()
't1,27.0,\\n"a\\rb","27.0",""\\n'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import IO

__all__ = ["CsvWriter"]


class CsvWriter:
    """``csv.writer(out, lineterminator="\\n")`` that quotes every cell of a row one of
    whose text cells holds ``\\r`` (the row reads back as one row, its cells as written)."""

    def __init__(self, out: IO[str]) -> None:
        self._out = out
        self._plain = csv.writer(out, lineterminator="\n")
        self._quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, row: Sequence[object]) -> None:
        """Write one row (``None`` as an empty cell)."""
        if "\r" in "".join([cell for cell in row if type(cell) is str]):
            self._quoted.writerow(row)
        else:
            self._plain.writerow(row)

    def writerows(self, rows: Iterable[Sequence[object]]) -> None:
        """Write every row of ``rows``: :data:`CHUNK` rows at a time written as text and
        looked at once (a carriage return is rare: the text is written as it is), the
        rows of a chunk that holds one each by :meth:`writerow`."""
        buffer = io.StringIO()
        chunk_writer = csv.writer(buffer, lineterminator="\n")
        iterator = iter(rows)
        while chunk := list(islice(iterator, CHUNK)):
            buffer.seek(0)
            buffer.truncate()
            chunk_writer.writerows(chunk)
            text = buffer.getvalue()
            if "\r" in text:
                for row in chunk:
                    self.writerow(row)
            else:
                self._out.write(text)


CHUNK = 1024
"""Rows :meth:`CsvWriter.writerows` writes at a time."""
