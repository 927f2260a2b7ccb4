"""Where rate card files are: the built-in ones (checkout or wheel) and those named.

>>> sorted(p.name for p in builtin_paths())[:2]
['comfy.yaml', 'evolink.yaml']
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ratecard.errors import CardError, CardProblem

__all__ = ["builtin_dir", "builtin_paths", "expand_paths"]


def builtin_dir() -> Path:
    """The directory of the built-in rate cards, in a wheel or in a checkout."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "pricing_tables"
    if installed.is_dir():
        return installed
    return package.parent.parent / "pricing_tables"


def builtin_paths() -> list[Path]:
    """The built-in rate card files, sorted by name."""
    directory = builtin_dir()
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise CardError([CardProblem(str(directory), None, None, "no built-in rate cards found")])
    return paths


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and every ``*.yaml``/``*.yml`` file of each directory named."""
    result: list[Path] = []
    for raw in paths:
        path = Path(raw)
        try:
            if "\0" in str(path):
                raise ValueError("a file name holds no NUL character")
            os.fsencode(path)  # a lone surrogate names no file
            is_dir = path.is_dir()  # a name too long for the system raises
        except (OSError, ValueError) as exc:
            message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise CardError([CardProblem(str(path), None, None,
                                         f"cannot read: {message}")]) from None
        if is_dir:
            found = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
            if not found:
                raise CardError([CardProblem(str(path), None, None, "no *.yaml files here")])
            result.extend(found)
        else:
            result.append(path)
    return result
