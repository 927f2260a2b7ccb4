"""The built-in cards ship compiled (``pricing_tables/.compiled.json``): loading them reads
no YAML and imports no pydantic, gives exactly the catalog that compiling the cards gives,
and a shipped file that does not match the cards is never used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import ratecard
from ratecard.cards.cache import read_sources
from ratecard.cards.paths import builtin_dir, builtin_paths
from ratecard.cards.shipped import FILE_NAME, encode_shipped, read_shipped

SHIPPED = builtin_dir() / FILE_NAME


def test_the_committed_file_is_what_compiling_the_cards_gives() -> None:
    index = ratecard.load(cache=False).index
    fresh = encode_shipped(read_sources(builtin_paths()), index.all_plans, index.files,
                           builtin_dir())
    assert SHIPPED.read_bytes() == fresh + b"\n", "run: python -m ratecard.cards"


def test_the_shipped_catalog_is_the_compiled_catalog() -> None:
    found = read_shipped(read_sources(builtin_paths()))
    assert found is not None
    plans, files = found
    compiled = ratecard.load(cache=False).index
    assert files == dict(compiled.files)
    shipped = ratecard.Catalog(plans, files).index
    assert dict(shipped.all_plans) == dict(compiled.all_plans)


def test_loading_the_built_in_cards_imports_no_pydantic_and_no_yaml() -> None:
    code = ("import sys, ratecard; c = ratecard.load(); "
            "q = c.quote('evolink', 'kling-v3-image-to-video', duration=10); "
            "print(q.credits, 'pydantic' in sys.modules, 'yaml' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={"PATH": "/usr/bin:/bin",
                                             "RATECARD_CACHE_DIR": "/nonexistent"})
    assert result.stdout.split() == ["54.0000", "False", "False"]


def test_a_card_that_changed_is_never_priced_from_the_shipped_file(tmp_path: Path) -> None:
    sources = read_sources(builtin_paths())
    path, data = sources[0]
    assert data is not None
    edited = [(path, data + b"\n# edited\n"), *sources[1:]]
    assert read_shipped(edited) is None
    assert read_shipped(sources[1:]) is None  # a card missing


@pytest.mark.parametrize("damage", [b"", b"{}", b"not json", b'{"schema": 1}'])
def test_a_damaged_shipped_file_is_not_used(tmp_path: Path, damage: bytes) -> None:
    for card in builtin_paths():
        (tmp_path / card.name).write_bytes(card.read_bytes())
    (tmp_path / FILE_NAME).write_bytes(damage)
    assert read_shipped(read_sources(sorted(tmp_path.glob("*.yaml"))), tmp_path) is None
    (tmp_path / FILE_NAME).write_bytes(SHIPPED.read_bytes())
    assert read_shipped(read_sources(sorted(tmp_path.glob("*.yaml"))), tmp_path) is not None
