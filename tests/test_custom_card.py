"""Adding a provider is adding a YAML file: ``tests/cards/acme.yaml`` exists only in the
tests, and an overlay card can replace a built-in provider's card."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import ratecard
from ratecard import Catalog, QuoteError, UnknownOfferingError
from ratecard.cards.paths import builtin_paths

BUILTIN = tuple(sorted(path.stem for path in builtin_paths()))
"""The built-in providers (one file each, named after the provider)."""

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
ACME = TESTS / "cards" / "acme.yaml"

BEFORE = date(2026, 6, 30)
"""Last day of the first acme price version."""
BOUNDARY = date(2026, 7, 1)
"""First day of the second acme price version (``effective_to`` of the first: exclusive)."""


@pytest.fixture(scope="module")
def acme() -> Catalog:
    return ratecard.load(ACME)


def test_loads_by_its_relative_path_beside_the_builtin_cards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a cache of its own: a relative path must not leak into other tests' catalogs
    # (see test_a_cached_catalog_still_knows_where_its_cards_are)
    monkeypatch.setenv("RATECARD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(REPO)
    card = ratecard.load("tests/cards/acme.yaml")
    assert card.providers == tuple(sorted(("acme", *BUILTIN)))
    assert card.replaced == ()
    assert card.files["acme"].resolve() == ACME
    assert card.cards["acme"].name == "Acme Video (fictional)"


def test_a_cached_catalog_still_knows_where_its_cards_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RATECARD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("RATECARD_NO_CACHE", raising=False)
    folder = tmp_path / "cards"
    folder.mkdir()
    card = folder / "acme.yaml"
    shutil.copyfile(ACME, card)
    monkeypatch.chdir(folder)
    assert ratecard.load("acme.yaml", builtin=False).conflicts("acme")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    again = ratecard.load(card, builtin=False)  # the same file: a cache hit
    assert again.files["acme"].resolve() == card.resolve()
    assert again.cards["acme"].provider == "acme"
    assert again.conflicts("acme")


def test_loads_alone_without_builtins() -> None:
    card = ratecard.load(ACME, builtin=False)
    assert card.providers == ("acme",)
    with pytest.raises(UnknownOfferingError, match="unknown provider 'evolink'"):
        card.quote("evolink", "kling-v3-image-to-video")


def test_a_directory_of_cards_loads_every_card_in_it() -> None:
    assert ratecard.load(ACME.parent, builtin=False).providers == ("acme",)


def test_no_python_code_special_cases_the_provider() -> None:
    sources = sorted((REPO / "src" / "ratecard").glob("**/*.py"))
    assert sources
    for source in sources:
        text = source.read_text(encoding="utf-8")
        for literal in ('"acme"', "'acme'", "acme-gen", "acme-edit"):
            assert literal not in text, f"{source} mentions {literal}"


# (day, quality, sound, billed, credits, usd): duration 5.2 s is billed 6 s (every
# started second, rounding "up"); USD is credits / 8 rounded half_even to cents.
GENERATION = [
    (BEFORE, "720p", "off", "6", "7.50", "0.94"),  # 7.5 / 8 = 0.9375
    (BEFORE, "720p", "on", "6", "12.01", "1.50"),  # 12.006 rounds to 12.01; 1.50125
    (BEFORE, "1080p", "off", "6", "15.00", "1.88"),  # 1.875: the tie goes to even 8
    (BEFORE, "1080p", "on", "6", "22.50", "2.81"),  # 2.8125
    (BOUNDARY, "720p", "off", "6", "9.00", "1.12"),  # 1.125: half_even, not half_up 1.13
    (BOUNDARY, "720p", "on", "6", "13.50", "1.69"),  # 1.6875
    (BOUNDARY, "1080p", "off", "6", "21.00", "2.62"),  # 2.625
    (BOUNDARY, "1080p", "on", "6", "18.00", "2.25"),  # sound on is cheaper here
]


@pytest.mark.parametrize(("day", "quality", "sound", "billed", "credits", "usd"), GENERATION)
def test_generation_is_priced_by_the_version_in_force(
    acme: Catalog, day: date, quality: str, sound: str, billed: str, credits: str, usd: str
) -> None:
    quote = acme.quote("acme", "acme-gen", duration=Decimal("5.2"), quality=quality,
                       sound=sound, at=day)
    assert quote.billed_seconds == Decimal(billed)
    assert quote.credits == Decimal(credits)
    assert str(quote.credits) == credits
    assert quote.usd == Decimal(usd)
    assert str(quote.usd) == usd
    assert quote.usd_exact == Fraction(Decimal(credits)) / 8
    assert quote.warnings == ()
    expected_version = "2026-01-01..2026-07-01" if day == BEFORE else "2026-07-01..open"
    assert quote.price_version == expected_version


def test_usd_is_converted_from_the_rounded_credits(acme: Catalog) -> None:
    quote = acme.quote("acme", "acme-gen", duration=6, sound="on", at=BEFORE)
    assert quote.amount_exact == Decimal("12.006")
    assert quote.credits == Decimal("12.01")
    assert quote.usd_exact == Fraction(1201, 800)  # 12.01 / 8, not 12.006 / 8
    assert quote.usd == Decimal("1.50")


def test_the_version_boundary_is_half_open(acme: Catalog) -> None:
    def rate(at: date | str) -> Decimal:
        return acme.quote("acme", "acme-gen", duration=4, at=at).unit_rate

    assert rate(date(2026, 1, 1)) == Decimal("1.25")
    assert rate(BEFORE) == Decimal("1.25")
    assert rate(BOUNDARY) == Decimal("1.5")
    assert rate("2026-07-01") == Decimal("1.5")
    assert rate("2026-06-30T23:59:59Z") == Decimal("1.25")
    assert rate(date(2031, 1, 1)) == Decimal("1.5")


def test_a_date_no_version_covers_is_unpriced(acme: Catalog) -> None:
    with pytest.raises(QuoteError, match=r"no price in force on 2025-12-31") as info:
        acme.quote("acme", "acme-gen", duration=4, at=date(2025, 12, 31))
    assert info.value.code == "UNPRICED_DATE"
    assert info.value.field == "at"
    assert "2026-01-01..2026-07-01, 2026-07-01..open" in str(info.value)
    with pytest.raises(QuoteError, match="no price in force") as edit:
        acme.quote("acme", "acme-edit", input_seconds=5, at="2025-01-01")
    assert edit.value.code == "UNPRICED_DATE"


def test_billing_minimum_and_rounding_come_from_the_card(acme: Catalog) -> None:
    def billed(duration: str) -> Decimal | None:
        return acme.quote("acme", "acme-gen", duration=Decimal(duration),
                          at=BOUNDARY).billed_seconds

    assert billed("2") == Decimal(4)  # accepted from 2 s, billed at least 4 s
    assert billed("4") == Decimal(4)
    assert billed("4.01") == Decimal(5)  # every started second
    assert billed("12") == Decimal(12)
    with pytest.raises(QuoteError, match=r"2\.\.12 s") as info:
        acme.quote("acme", "acme-gen", duration=Decimal("12.5"), at=BOUNDARY)
    assert info.value.code == "INVALID_DURATION"


@pytest.mark.parametrize(("day", "credits", "usd"), [(BEFORE, "20.00", "2.50"),
                                                     (BOUNDARY, "24.50", "3.06")])
@pytest.mark.parametrize("seconds", ["1", "7.5", "30"])
def test_fixed_price_is_versioned_and_ignores_the_input_length(
    acme: Catalog, day: date, credits: str, usd: str, seconds: str
) -> None:
    quote = acme.quote("acme", "acme-edit", input_seconds=Decimal(seconds), at=day)
    assert quote.credits == Decimal(credits)
    assert quote.usd == Decimal(usd)
    assert quote.billed_seconds is None


def test_fixed_price_checks_the_declared_input_range(acme: Catalog) -> None:
    with pytest.raises(QuoteError, match=r"1\.\.30 s") as info:
        acme.quote("acme", "acme-edit", input_seconds=31, at=BOUNDARY)
    assert info.value.code == "INVALID_DURATION"


def test_offerings_rows_follow_the_date(acme: Catalog) -> None:
    before = {(r.model, r.quality, r.sound): r.price for r in acme.offerings("acme", at=BEFORE)}
    after = {(r.model, r.quality, r.sound): r.price for r in acme.offerings("acme", at=BOUNDARY)}
    assert before[("acme-gen", "1080p", "on")] == Decimal("3.75")
    assert after[("acme-gen", "1080p", "on")] == Decimal("3")
    assert before[("acme-edit", "720p", "off")] == Decimal("20")
    assert after[("acme-edit", "720p", "off")] == Decimal("24.5")
    assert acme.offerings("acme", at="2025-06-01") == []


def test_its_conflicts_are_on_record(acme: Catalog) -> None:
    conflicts = acme.conflicts("acme")
    assert [(provider, c.offering) for provider, c in conflicts] == [("acme", "acme-edit")]


# --------------------------------------------------------------------------- overlays

OVERLAY = """\
# kling3api with a credit value supplied by the user (an overlay card)
provider: kling3api
name: kling3api.com (with a negotiated credit value)
currency: credits
credit_values:
  - credits_per_usd: 100
    source: {document: https://kling3api.com/pricing, checked_on: 2026-11-21, basis: documented}
defaults:
  sound: on
  duration: 5
rounding:
  amount: {mode: half_up, precision: 1}
  usd: {mode: half_up, precision: 0.000001}
offerings:
  - id: pro-text-to-video
    family: kling-3.0
    mode: text-to-video
    qualities: [1080p]
    sounds: [off, on]
    accepts:
      duration:
        min: 3
        max: 15
        source: {document: 003_d85ea8d62f3ed7f3.txt, checked_on: 2026-11-21, basis: documented}
    billing:
      basis: duration
      source: {document: 003_d85ea8d62f3ed7f3.txt, checked_on: 2026-11-21, basis: documented}
    prices:
      - per_second:
          1080p: {off: 54, on: 80}
        source: {document: 003_d85ea8d62f3ed7f3.txt, checked_on: 2026-11-21, basis: documented}
"""


@pytest.fixture
def overlay(tmp_path: Path) -> Path:
    path = tmp_path / "kling3api-overlay.yaml"
    path.write_text(OVERLAY, encoding="utf-8")
    return path


def test_builtin_kling3api_has_no_usd() -> None:
    quote = ratecard.load().quote("kling3api", "pro-text-to-video")
    assert quote.credits == Decimal(400)
    assert quote.usd is None


def test_an_overlay_replaces_the_builtin_card(overlay: Path) -> None:
    card = ratecard.load(overlay)
    assert card.replaced == ("kling3api",)
    assert card.providers == BUILTIN
    assert card.files["kling3api"] == overlay
    quote = card.quote("kling3api", "pro-text-to-video")
    assert quote.credits == Decimal(400)
    assert quote.usd == Decimal("4.000000")
    assert quote.usd_exact == Fraction(4)
    assert quote.credits_per_usd == Decimal(100)
    assert quote.warnings == ()
    # replaced, not merged: the built-in card's other types are gone with it
    with pytest.raises(UnknownOfferingError) as info:
        card.quote("kling3api", "std-text-to-video")
    assert info.value.code == "UNKNOWN_MODEL"
    # the other built-in provider is untouched
    assert card.quote("evolink", "kling-v3-image-to-video").credits == Decimal("27.0000")


def test_an_overlay_alongside_a_new_provider(overlay: Path) -> None:
    card = ratecard.load(overlay, ACME)
    assert card.replaced == ("kling3api",)
    assert card.providers == tuple(sorted(("acme", *BUILTIN)))


def test_an_extra_card_without_builtins_replaces_nothing(overlay: Path) -> None:
    card = ratecard.load(overlay, builtin=False)
    assert card.replaced == ()
    assert card.providers == ("kling3api",)
