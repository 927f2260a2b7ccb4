"""File names as file names: the only paths DuckDB and Spark are given are ratecard's own.

Both engines read a path as more than a name: a glob pattern (``*``, ``?``, ``[1]``,
``{a,b}``: ``g[1].parquet`` read ``g1.parquet``, ``*.parquet`` a whole folder), a URL
(``http://...`` made DuckDB try to install an extension), and Hadoop (Spark) reads ``:``
as the start of a scheme and ``\\`` as a separator. So an engine never sees a name a user
gave: each input file is read through a symbolic link in ratecard's temporary folder
(:func:`link`), and results are written there and then moved to where they were asked
for (:func:`written_through`), by Python, which takes a name as a name.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp(prefix="ratecard-"))
>>> name = folder / "g[1].parquet"
>>> _ = name.write_bytes(b"PAR1")
>>> Path(link(name, folder, 0)).name, Path(link(name, folder, 0)).resolve() == name
('input-0.parquet', True)
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ratecard.reconcile.readers import InvoiceError

PLAIN = re.compile(r"/[A-Za-z0-9/._+-]*")
"""An absolute path no engine reads as more than a name: letters, digits, ``/._+-``."""


def plain(path: str | Path) -> bool:
    """Whether ``path`` (made absolute) is read as a name by every engine.

    >>> plain("/tmp/ratecard-x/input-0.parquet"), plain("/data/g[1].parquet")
    (True, False)
    """
    return PLAIN.fullmatch(str(Path(path).absolute())) is not None


def own_folder(folder: str | Path) -> Path:
    """ratecard's temporary ``folder``, refused if its own name is not plain (set TMPDIR
    to a plain path then)."""
    folder = Path(folder)
    if not plain(folder):
        raise InvoiceError(f"the temporary folder {folder} has characters DuckDB and Spark "
                           "read as a pattern or a URL; set TMPDIR to a plain path")
    return folder


def link(path: str | Path, folder: Path, number: int) -> str:
    """A plain name in ``folder`` for the input file ``path``: a symbolic link to it,
    ``input-<number><suffix>`` (the same name for the same number)."""
    target = Path(path).absolute()
    name = own_folder(folder) / f"input-{number}{_suffix(target)}"
    if not name.is_symlink():
        name.symlink_to(target)
    return str(name)


def readable_link(path: str | Path, folder: Path, number: int) -> tuple[str, list[str]]:
    """:func:`link`, or for a Parquet file with millisecond timestamps beyond what the
    engines hold, a copy that declares those columns plain INT64
    (:func:`ratecard.batch.parquet_footer.plain_copy`, ``input-<number>.parquet`` too),
    and the names of those columns."""
    from ratecard.batch.parquet_footer import millis_beyond, plain_copy

    beyond = millis_beyond(path)
    if not beyond:
        return link(path, folder, number), []
    name = own_folder(folder) / f"input-{number}.parquet"
    if not name.exists():
        plain_copy(path, beyond, name)
    return str(name), beyond


@contextmanager
def written_through(path: str | Path, folder: Path) -> Iterator[str]:
    """A plain name for the engine to write ``path`` (a file, or Spark's folder of files):
    ``path`` itself when it is plain, else a name in ``folder``, moved to ``path`` once
    written (not when the block fails)."""
    if plain(path):
        yield str(path)
        return
    name = own_folder(folder) / f"output{_suffix(Path(path))}"
    yield str(name)
    target = Path(path)
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif target.exists() or target.is_symlink():
        target.unlink()
    shutil.move(str(name), str(target))


def _suffix(path: Path) -> str:
    """The file's extension when it is plain (engines pick a reader by it), else none."""
    suffix = path.suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,10}", suffix) else ""
