"""A cache of compiled catalogs, so loading validated cards again skips YAML and pydantic.

The key is a SHA-256 of the ratecard version, the Python version, the source of every
module of the ratecard package (all of its folders: moving a module changes the key), and
the path and bytes of every card file: change any of them and the cards are read and
validated again. Entries live in ``$RATECARD_CACHE_DIR``, else
``$XDG_CACHE_HOME/ratecard``, else ``~/.cache/ratecard``; set ``RATECARD_NO_CACHE=1`` (or
pass ``cache=False`` to :func:`ratecard.load`) to bypass it. The cache is an optimisation
only: any failure to read or write it falls back to reading the cards.

>>> from ratecard.cards.paths import builtin_paths
>>> key = key_for(builtin_paths())   # None when RATECARD_NO_CACHE is set
>>> key is None or (len(key) == 64 and key == key_for(builtin_paths()))
True
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent.parent
_FORMAT = b"ratecard-compiled-catalog-v1"


def directory() -> Path:
    """Where cached catalogs are kept."""
    explicit = os.environ.get("RATECARD_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ratecard"


def key_for(paths: Sequence[Path]) -> str | None:
    """Cache key of a catalog compiled from ``paths``; ``None`` when caching is off or a
    file cannot be read (the loader then reports it properly)."""
    if os.environ.get("RATECARD_NO_CACHE"):
        return None
    digest = hashlib.sha256(_FORMAT)
    digest.update(sys.version.encode())
    try:
        for source in sorted(_PACKAGE.rglob("*.py")):
            digest.update(source.relative_to(_PACKAGE).as_posix().encode())
            digest.update(source.read_bytes())
        for path in paths:
            digest.update(str(path.resolve()).encode())
            digest.update(path.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def read(key: str) -> Any | None:
    """The cached value of ``key``, or ``None`` when absent or unreadable."""
    try:
        with (directory() / f"{key}.pickle").open("rb") as handle:
            return pickle.load(handle)
    except Exception:  # a broken cache entry only means a cache miss
        return None


def write(key: str, value: Any) -> None:
    """Store ``value`` under ``key``, atomically; failures are ignored (cache only)."""
    folder = directory()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".tmp-", delete=False) as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, folder / f"{key}.pickle")
    except OSError:
        return
