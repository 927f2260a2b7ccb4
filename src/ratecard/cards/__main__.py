"""``python -m ratecard.cards``: compile the built-in cards into the file shipped beside
them (``pricing_tables/.compiled.json``, see :mod:`ratecard.cards.shipped`). Run it after
a built-in card changes, then review the diff."""

from __future__ import annotations

import sys

from ratecard.cards.cache import read_sources
from ratecard.cards.load import load_index
from ratecard.cards.paths import builtin_dir, builtin_paths
from ratecard.cards.shipped import FILE_NAME, encode_shipped


def main() -> int:
    """Write the shipped file from the built-in cards; returns the exit status."""
    directory = builtin_dir()
    sources = read_sources(builtin_paths())
    index = load_index(cache=False).index
    data = encode_shipped(sources, index.all_plans, index.files, directory)
    (directory / FILE_NAME).write_bytes(data + b"\n")
    print(f"wrote {directory / FILE_NAME} ({len(data)} bytes, {len(index.all_plans)} "
          "offerings)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
