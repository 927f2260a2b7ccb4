"""The built-in cards, compiled once and shipped beside them, so loading them needs no
YAML parsing, no pydantic and no user cache.

``pricing_tables/.compiled.json`` holds the compiled plans of every built-in card in the
cache's checked JSON format (:mod:`ratecard.cards.compiled`: it names no type or
function, and every value is checked on load). It is keyed by the bytes of the built-in
card files: when any card differs from what was compiled (a card edited in a checkout
without regenerating), the key does not match and the cards are read and validated as
usual. ``tests/test_shipped_cards.py`` fails when the committed file is not what
``python -m ratecard.cards`` writes.

>>> from ratecard.cards.cache import read_sources
>>> from ratecard.cards.paths import builtin_paths
>>> found = read_shipped(read_sources(builtin_paths()))
>>> found is not None and sorted({p for p, _ in found[0]})[:2]
['comfy', 'evolink']
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

from ratecard.cards import compiled
from ratecard.cards.cache import Source
from ratecard.cards.paths import builtin_dir
from ratecard.pricing.plans import OfferingPlan

FILE_NAME: Final = ".compiled.json"
"""The shipped file's name, in the built-in cards' directory."""
_FORMAT: Final = b"ratecard-shipped-built-in-cards-v1"


def key_of(sources: Sequence[Source]) -> str | None:
    """The key of the built-in cards as they are: the codec's schema and the name and
    bytes of every card file; ``None`` when one cannot be read."""
    digest = hashlib.sha256(_FORMAT + str(compiled.SCHEMA).encode())
    for path, data in sources:
        if data is None:
            return None
        name = path.name.encode()
        digest.update(len(name).to_bytes(8, "big") + name)
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def read_shipped(sources: Sequence[Source], directory: Path | None = None,
                 ) -> tuple[dict[tuple[str, str], OfferingPlan], dict[str, Path]] | None:
    """The compiled plans and card files of the built-in cards, when the shipped file
    was compiled from exactly these ``sources``; ``None`` otherwise (absent, stale or
    not a valid entry: the caller reads the cards)."""
    folder = builtin_dir() if directory is None else directory
    key = key_of(sources)
    if key is None:
        return None
    try:
        data = (folder / FILE_NAME).read_bytes()
        plans, files, _ = compiled.decode(data, key, base=folder.resolve())
    except (OSError, compiled.BadEntryError):
        return None
    if {path.name for path in files.values()} != {path.name for path, _ in sources}:
        return None
    return plans, files


def encode_shipped(sources: Sequence[Source], plans: Mapping[tuple[str, str], OfferingPlan],
                   files: Mapping[str, Path], directory: Path) -> bytes:
    """The shipped file's bytes for plans compiled from ``sources``."""
    key = key_of(sources)
    assert key is not None, "every built-in card must be readable"
    return compiled.encode(key, plans, {p: f.resolve() for p, f in files.items()}, (),
                           base=directory.resolve())
