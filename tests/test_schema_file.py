"""The committed JSON Schema is current, every built-in card points editors at it, and
every fact in every built-in card says where it comes from and when it was checked.

One set of checks runs over every built-in card file (the python-holidays pattern)."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

import ratecard.cards.schema
from ratecard.cards.base import Source
from ratecard.cards.schema import RateCard
from tests.strategies import CATALOG

REPO = Path(__file__).resolve().parent.parent
SCHEMA_FILE = REPO / "pricing_tables" / ".schema.json"
REGENERATE = "python -m ratecard.cards.schema > pricing_tables/.schema.json"
MODELINE = "# yaml-language-server: $schema=./.schema.json"

SEED_FILE = re.compile(r"^[0-9]{3}_[0-9a-f]{16}\.txt$")
ADDRESS = re.compile(r"^https?://[^\s/]+\.[^\s]+$")


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


@pytest.mark.parametrize("path", BUILTIN_FILES, ids=lambda path: path.name)
def test_builtin_card_first_line_points_at_the_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == MODELINE, f"{path.name}: the first line must be {MODELINE!r}"


def acme_first_line() -> str:
    return (REPO / "tests" / "cards" / "acme.yaml").read_text(encoding="utf-8").splitlines()[0]


def test_the_test_card_points_at_the_schema_too() -> None:
    assert acme_first_line() == "# yaml-language-server: $schema=../../pricing_tables/.schema.json"


# --------------------------------------------------------------------------- sources


def sourced_blocks(card: RateCard) -> Iterator[tuple[str, Source | None]]:
    """(key path, source) of every block of ``card`` that must cite a source: price
    versions, credit values, roundings, billings, accepts ranges, forced sounds, claims."""
    for index, value in enumerate(card.credit_values):
        yield f"credit_values.{index}", value.source
    yield "rounding.amount", card.rounding.amount.source
    yield "rounding.usd", card.rounding.usd.source
    for index, offering in enumerate(card.offerings):
        where = f"offerings.{index}({offering.id})"
        for number, version in enumerate(offering.prices):
            yield f"{where}.prices.{number}", version.source
        yield f"{where}.billing", offering.billing.source
        if offering.billing.rounding is not None:
            yield f"{where}.billing.rounding", offering.billing.rounding.source
        for name in ("duration", "input_seconds"):
            accepted = getattr(offering.accepts, name)
            if accepted is not None:
                yield f"{where}.accepts.{name}", accepted.source
        if offering.forced_sound is not None:
            yield f"{where}.forced_sound", offering.forced_sound.source
    for index, conflict in enumerate(card.conflicts):
        for number, claim in enumerate(conflict.claims):
            yield f"conflicts.{index}.claims.{number}", claim.source


SOURCED = [
    (provider, where, source)
    for provider, card in sorted(CATALOG.cards.items())
    for where, source in sourced_blocks(card)
]


def test_every_card_has_sourced_blocks() -> None:
    providers = {provider for provider, _, _ in SOURCED}
    assert providers == set(CATALOG.providers)
    assert len(SOURCED) > 40


@pytest.mark.parametrize(("provider", "where", "source"), SOURCED,
                         ids=[f"{p}:{w}" for p, w, _ in SOURCED])
def test_every_fact_cites_a_document_and_a_check_date(
    provider: str, where: str, source: Source | None
) -> None:
    assert source is not None, f"{provider}: {where} has no source"
    document = source.document
    assert (
        SEED_FILE.match(document) or document == "market-prices.md" or ADDRESS.match(document)
    ), f"{provider}: {where}: {document!r} is not a seed file (NNN_<16 hex>.txt), " \
       "market-prices.md or an http(s) address"
    assert isinstance(source.checked_on, date)
    assert source.checked_on >= date(2025, 1, 1), f"{provider}: {where}: implausible date"
    assert source.basis in {"documented", "inferred"}
    if source.basis == "inferred":
        assert source.note or source.quote, f"{provider}: {where}: say how it was inferred"


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
    accepted = bool(SEED_FILE.match(document) or document == "market-prices.md"
                    or ADDRESS.match(document))
    assert accepted is ok
