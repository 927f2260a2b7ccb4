"""A cache of compiled catalogs, so loading validated cards again skips YAML and pydantic.

What it stores is data, never code: :mod:`ratecard.cards.compiled` writes the compiled
plans as JSON and checks every field when it reads them back. This module keeps
the bytes: where, under which key, who may have written them, and for how long.

- **The key** is a SHA-256 of the entry format, the Python version, every file of the
  ratecard package (all of its folders: moving a module changes the key), the versions of
  the libraries that build the compiled form (pydantic, pydantic-core, PyYAML), and the
  path and bytes of every card file. The card bytes hashed are the very
  bytes parsed (see :func:`read_sources`), so a card edited while loading can never store
  new prices under the old key, nor old prices under the new one.
- **The directory** is ``$RATECARD_CACHE_DIR``, else ``$XDG_CACHE_HOME/ratecard``, else
  ``~/.cache/ratecard``; it is created private (0700). One owned by another user, or that
  others can write in, is not used at all (nothing read, nothing written).
- **An entry** is used only if it is a regular file (not a symlink), owned by the current
  user, writable by no one else, and at most :data:`MAX_ENTRY_BYTES` long. Anything else
  in the directory is ignored, never read, never deleted.
- **Writes** go to a private temporary file renamed into place; a failed write removes it.
- **Pruning**: after each write, entries beyond the :data:`KEEP` most recently used and
  those unused for :data:`MAX_AGE_DAYS` days are removed, with temporary files left by a
  killed process and entries of the old pickle format.

Set ``RATECARD_NO_CACHE=1`` (or pass ``cache=False`` to :func:`ratecard.load`) to bypass
it. The cache is an optimisation only: any failure to read or write it, and any entry that
is not exactly right, is a miss, and the cards are read again.

>>> from ratecard.cards.paths import builtin_paths
>>> sources = read_sources(builtin_paths())
>>> key = key_for(sources)   # None when RATECARD_NO_CACHE is set
>>> key is None or (len(key) == 64 and key == key_for(read_sources(builtin_paths())))
True
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Final

_PACKAGE = Path(__file__).resolve().parent.parent
_FORMAT = b"ratecard-compiled-catalog-v2"
SUFFIX: Final = ".json"
"""File name ending of an entry: ``<64 hex digits of the key>.json``."""
MAX_ENTRY_BYTES: Final = 8 * 1024 * 1024
"""Largest entry read (the built-in cards compile to about 50 kB)."""
KEEP: Final = 16
"""Entries kept after pruning: the most recently used."""
MAX_AGE_DAYS: Final = 30
"""Entries unused for longer are pruned."""
_TEMP_PREFIX = ".tmp-"
_TEMP = re.compile(r"^\.tmp-[a-z0-9_]{8}(\.json)?$")
"""Names of the temporary files written here (``tempfile``'s 8 random characters; without
``.json``: the old pickle cache's)."""
_STALE_TEMP_SECONDS = 3600
_ENTRY = re.compile(r"^[0-9a-f]{64}(\.json|\.pickle)$")
"""Names this module writes (``.pickle``: the old format, only ever pruned)."""

Source = tuple[Path, bytes | None]
"""A card file and its bytes, read once (``None``: unreadable; the loader says why)."""


def directory() -> Path:
    """Where cached catalogs are kept."""
    explicit = os.environ.get("RATECARD_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ratecard"


def read_sources(paths: Sequence[Path]) -> list[Source]:
    """Each card file with its bytes, read once: the key is made from these bytes and the
    loader parses these same bytes."""
    sources: list[Source] = []
    for path in paths:
        data: bytes | None = None
        with contextlib.suppress(OSError):
            # a FIFO could block and a device never end: only a regular file of a card's
            # size is read here; for anything else the loader reports what is wrong
            if stat.S_ISREG(path.stat().st_mode):
                with path.open("rb") as handle:
                    data = handle.read(_MOST_BYTES + 1)
                if len(data) > _MOST_BYTES:
                    data = None
        sources.append((path, data))
    return sources


_MOST_BYTES: Final = 4 * 1024 * 1024
"""The loader's ``MAX_CARD_BYTES`` (not imported: this module stays light to import)."""


def key_for(sources: Sequence[Source]) -> str | None:
    """Cache key of a catalog compiled from ``sources``; ``None`` when caching is off or a
    file could not be read (the loader then reports it properly)."""
    if os.environ.get("RATECARD_NO_CACHE"):
        return None
    digest = hashlib.sha256(_FORMAT)
    digest.update(sys.version.encode())
    digest.update(_library_versions().encode())
    try:
        digest.update(_package_digest())
        for path, data in sources:
            if data is None:
                return None
            name = str(path.resolve()).encode()
            digest.update(len(name).to_bytes(8, "big") + name)
            digest.update(len(data).to_bytes(8, "big") + data)
    except OSError:
        return None
    return digest.hexdigest()


def _library_versions() -> str:
    """The versions of what builds the compiled form: a new pydantic or PyYAML may read
    or validate a card differently (both are imported already: the loader uses them)."""
    import pydantic
    import pydantic_core
    import yaml

    return (f"pydantic {pydantic.VERSION}; pydantic-core {pydantic_core.__version__}; "
            f"PyYAML {yaml.__version__}")


def _package_digest() -> bytes:
    """SHA-256 of the path and bytes of every file of the package (bytecode excepted).
    Plain ``os`` calls: this runs on every load, and pathlib costs milliseconds here."""
    digest = hashlib.sha256()
    root = str(_PACKAGE)
    found: list[tuple[str, str]] = []
    for folder, folders, names in os.walk(root):
        folders[:] = [name for name in folders if name != "__pycache__"]
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        for name in names:
            if not name.endswith(".pyc"):
                found.append((name if relative == "." else f"{relative}/{name}",
                              os.path.join(folder, name)))
    for name, full in sorted(found):
        with open(full, "rb") as stream:
            data = stream.read()
        encoded = name.encode()
        digest.update(len(encoded).to_bytes(8, "big") + encoded)
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.digest()


# ---------------------------------------------------------------------------- storage

def _private_directory(create: bool) -> Path | None:
    """The cache directory (created 0700 when ``create`` and absent) if it is ours and no
    one else can write in it, else ``None``. An existing directory's mode is never
    changed: ``RATECARD_CACHE_DIR=/tmp`` must not make ``/tmp`` private."""
    folder = directory()
    try:
        if create:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or not _ours(info) or \
            stat.S_IMODE(info.st_mode) & 0o022:
        return None
    return folder


def _ours(info: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is None or info.st_uid == getuid()


def _trusted(info: os.stat_result) -> bool:
    """A regular file of ours that no one else can write, of a size we read."""
    return (stat.S_ISREG(info.st_mode) and _ours(info)
            and not stat.S_IMODE(info.st_mode) & 0o022 and info.st_size <= MAX_ENTRY_BYTES)


def read(key: str) -> bytes | None:
    """The bytes stored under ``key``, or ``None`` when absent or not to be trusted."""
    folder = _private_directory(create=False)
    if folder is None or not re.fullmatch(r"[0-9a-f]{64}", key):
        return None
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(folder / f"{key}{SUFFIX}", flags)
    except OSError:  # absent, or a symlink (O_NOFOLLOW)
        return None
    try:
        info = os.fstat(handle)
        if not _trusted(info):
            return None
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(MAX_ENTRY_BYTES + 1)
        if len(data) > MAX_ENTRY_BYTES:
            return None
        with contextlib.suppress(OSError):
            os.utime(handle)  # used now: pruning keeps what is used
        return data
    except OSError:
        return None
    finally:
        os.close(handle)


def write(key: str, data: bytes) -> None:
    """Store ``data`` under ``key``, atomically, then prune; failures are ignored (cache
    only) and leave no temporary file behind."""
    if len(data) > MAX_ENTRY_BYTES or not re.fullmatch(r"[0-9a-f]{64}", key):
        return
    folder = _private_directory(create=True)
    if folder is None:
        return
    import tempfile  # only on a cache miss: with shutil, random, bz2 and lzma, a large import

    temp: str | None = None
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=_TEMP_PREFIX, suffix=SUFFIX)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, folder / f"{key}{SUFFIX}")
        temp = None
    except OSError:
        return
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
    prune(folder)


def prune(folder: Path, *, keep: int = KEEP, max_age_days: float = MAX_AGE_DAYS,
          now: float | None = None) -> list[str]:
    """Remove entries beyond the ``keep`` most recently used, entries unused for
    ``max_age_days``, old pickle entries and stale temporary files; only files this module
    names and owns are touched. Returns the names removed."""
    now = time.time() if now is None else now
    entries: list[tuple[float, str]] = []
    removed: list[str] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        temp = _TEMP.match(name) is not None
        if not temp and not _ENTRY.match(name):
            continue
        try:
            info = os.lstat(folder / name)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode) or not _ours(info):
            continue
        if temp:
            if now - info.st_mtime > _STALE_TEMP_SECONDS:
                removed.append(name)
        elif name.endswith(SUFFIX):
            entries.append((info.st_mtime, name))
        else:
            removed.append(name)  # the old pickle format: never read again
    entries.sort(reverse=True)
    for position, (used, name) in enumerate(entries):
        if position >= keep or now - used > max_age_days * 86400:
            removed.append(name)
    gone = []
    for name in removed:
        try:
            os.unlink(folder / name)
            gone.append(name)
        except OSError:
            continue
    return gone
