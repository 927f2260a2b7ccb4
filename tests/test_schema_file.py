"""The committed JSON Schema is current and the built-in cards are the files beside it.

That each card points editors at the schema and that every fact in it says where it
comes from and when it was checked is part of the shared contract (``tests/contract.py``),
run for each card by ``tests/providers/test_<provider>.py`` (the python-holidays pattern)."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

import ratecard.cards.schema
from tests.card_data import is_document, sourced_blocks
from tests.strategies import CATALOG

REPO = Path(__file__).resolve().parent.parent
SCHEMA_FILE = REPO / "pricing_tables" / ".schema.json"
REGENERATE = "python -m ratecard.cards.schema > pricing_tables/.schema.json"


def test_schema_file_is_current() -> None:
    expected = ratecard.cards.schema.json_schema()
    if not SCHEMA_FILE.is_file():
        pytest.fail(f"{SCHEMA_FILE.relative_to(REPO)} is missing; generate it with: "
                    f"{REGENERATE}")
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    if committed != expected:
        diff = "".join(list(difflib.unified_diff(
            committed.splitlines(keepends=True), expected.splitlines(keepends=True),
            "pricing_tables/.schema.json (committed)", "json_schema() (current)"))[:40])
        pytest.fail(f"pricing_tables/.schema.json is stale; regenerate it with: "
                    f"{REGENERATE}\n{diff}")


def test_schema_is_valid_json_describing_a_rate_card() -> None:
    schema = json.loads(ratecard.cards.schema.json_schema())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "RateCard"
    assert schema["additionalProperties"] is False
    assert {"provider", "currency", "offerings", "rounding"} <= set(schema["required"])


BUILTIN_FILES = sorted(Path(path) for path in CATALOG.files.values())


def test_there_are_builtin_cards() -> None:
    assert [path.name for path in BUILTIN_FILES] == [
        f"{provider}.yaml" for provider in CATALOG.providers
    ]
    assert all(path.parent == SCHEMA_FILE.parent for path in BUILTIN_FILES)


def acme_first_line() -> str:
    return (REPO / "tests" / "cards" / "acme.yaml").read_text(encoding="utf-8").splitlines()[0]


def test_the_test_card_points_at_the_schema_too() -> None:
    assert acme_first_line() == "# yaml-language-server: $schema=../../pricing_tables/.schema.json"


# --------------------------------------------------------------------------- sources
# Each card's own sources are checked by the shared contract (tests/contract.py), run by
# tests/providers/test_<provider>.py; here, what spans the cards and the naming rule.


SOURCED = [
    (provider, sourced)
    for provider, card in sorted(CATALOG.cards.items())
    for sourced in sourced_blocks(card)
]


def test_every_card_has_sourced_blocks() -> None:
    providers = {provider for provider, _ in SOURCED}
    assert providers == set(CATALOG.providers)
    assert len(SOURCED) > 40


@pytest.mark.parametrize(
    ("document", "ok"),
    [
        ("001_82db72441ebb5bb7.txt", True),
        ("market-prices.md", True),
        ("https://fal.ai/models/fal-ai/kling-video", True),
        ("http://example.com/x", True),
        ("1_82db72441ebb5bb7.txt", False),
        ("001_82DB72441EBB5BB7.txt", False),
        ("001_82db72441ebb5bb.txt", False),
        ("seeds/001_82db72441ebb5bb7.txt", False),
        ("the pricing page", False),
        ("https://", False),
    ],
)
def test_document_naming_pattern(document: str, ok: bool) -> None:
    assert is_document(document) is ok
