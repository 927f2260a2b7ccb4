"""Prices and credit values follow the day: ``at`` picks the version in force, half-open
``[effective_from, effective_to)``, and the built-in prices do not depend on the day.

The seeds' worked examples moved to the provider modules (``tests/providers/``).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

import ratecard
from ratecard import Catalog, QuoteError
from ratecard.cli import main
from tests.strategies import CATALOG
from tests.user_files import ROOT

REPRICED = """\
provider: repriced
name: A card whose price and credit value change on 2026-03-01
currency: credits
credit_values:
  - credits_per_usd: 72
    effective_from: 2025-01-01
    effective_to: 2026-03-01
    source: {document: market-prices.md, checked_on: 2026-11-21, basis: documented}
  - credits_per_usd: 80
    effective_from: 2026-03-01
    source: {document: market-prices.md, checked_on: 2026-11-21, basis: documented}
defaults: {quality: 720p, sound: off, duration: 5}
rounding:
  amount: {mode: half_up, precision: 0.0001}
  usd: {mode: half_up, precision: 0.000001}
offerings:
  - id: gen
    family: kling-3.0
    mode: text-to-video
    qualities: [720p]
    sounds: [off]
    accepts:
      duration:
        min: 3
        max: 15
        integer: true
        source: {document: market-prices.md, checked_on: 2026-11-21, basis: documented}
    billing:
      basis: duration
      source: {document: market-prices.md, checked_on: 2026-11-21, basis: documented}
    prices:
      - effective_to: 2026-03-01
        per_second: 5.4
        source: {document: market-prices.md, checked_on: 2026-11-21, basis: documented}
      - effective_from: 2026-03-01
        per_second: 6
        source: {document: market-prices.md, checked_on: 2026-11-21, basis: documented}
"""


@pytest.fixture(scope="module")
def repriced(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    path = tmp_path_factory.mktemp("cards") / "repriced.yaml"
    path.write_text(REPRICED, encoding="utf-8")
    return ratecard.load(path, builtin=False)


@pytest.mark.parametrize(
    ("at", "credits", "usd", "version"),
    [
        (date(2024, 6, 1), "27.0", None, "start..2026-03-01"),  # before any credit value
        (date(2026, 2, 28), "27.0", "0.375", "start..2026-03-01"),
        ("2026-02-28", "27.0", "0.375", "start..2026-03-01"),
        (datetime(2026, 2, 28, 23, 59, tzinfo=UTC), "27.0", "0.375",
         "start..2026-03-01"),
        (date(2026, 3, 1), "30", "0.375", "2026-03-01..open"),
        ("2026-03-01T00:00:00Z", "30", "0.375", "2026-03-01..open"),
        (date(2030, 1, 1), "30", "0.375", "2026-03-01..open"),
    ],
)
def test_at_selects_the_price_and_credit_value_in_force(
    repriced: Catalog, at: date | str, credits: str, usd: str | None, version: str
) -> None:
    quote = repriced.quote("repriced", "gen", at=at)
    assert quote.credits == Decimal(credits)
    assert quote.price_version == version
    if usd is None:
        assert quote.usd is None
        assert quote.warnings == (
            "USD unknown: no repriced credit value is in force on that date",)
    else:
        assert quote.usd == Decimal(usd)
        assert quote.warnings == ()


def test_a_time_with_an_offset_counts_on_its_utc_day(repriced: Catalog) -> None:
    """The day a reconciled line is priced on (the README: ``timestamp`` ISO 8601, UTC if
    naive): a time with an offset counts on its UTC day, a naive one on its own date."""
    east = timezone(timedelta(hours=2))
    cases: list[tuple[date | str, str]] = [
        ("2026-02-28T23:30:00-05:00", "2026-03-01..open"),  # 04:30 UTC on 1 March
        ("2026-03-01T01:00:00+02:00", "start..2026-03-01"),  # 23:00 UTC on 28 February
        (datetime(2026, 3, 1, 1, 0, tzinfo=east), "start..2026-03-01"),
        ("2026-02-28T23:30:00", "start..2026-03-01"),  # naive: its own date
        (datetime(2026, 2, 28, 23, 30), "start..2026-03-01"),
    ]
    assert [(at, repriced.quote("repriced", "gen", at=at).price_version)
            for at, _ in cases] == cases
    assert {row.price_version for row in repriced.offerings(
        at="2026-02-28T23:30:00-05:00")} == {"2026-03-01..open"}


@pytest.mark.parametrize("at", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+01:00"])
def test_a_time_whose_utc_day_is_out_of_range_is_an_error(repriced: Catalog, at: str) -> None:
    with pytest.raises(QuoteError, match="at must be a date") as info:
        repriced.quote("repriced", "gen", at=at)
    assert info.value.code == "INVALID_DATE"


@pytest.mark.parametrize("command", [
    ("quote", "--provider", "acme", "--model", "acme-gen"),
    ("compare", "--family", "acme-1", "--mode", "text-to-video", "--duration", "4"),
    ("route", "--family", "acme-1", "--mode", "text-to-video", "--duration", "4"),
])
def test_at_and_reconcile_agree_on_the_day_of_a_time(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]) -> None:
    """acme-gen (tests/cards/acme.yaml), 4 s at 720p without sound: 1.25 credits/s until
    2026-07-01, 1.5 from then on. 23:30 at UTC-5 on 30 June is 04:30 UTC on 1 July: 6.00
    credits, both when quoted and when reconciled."""
    at = "2026-06-30T23:30:00-05:00"
    card = str(ROOT / "tests" / "cards" / "acme.yaml")
    invoice = tmp_path / "june.csv"
    invoice.write_text("task_id,provider,model,timestamp,charged,currency,status\n"
                       f"t1,acme,acme-gen,{at},6.00,credits,SUCCESS\n", encoding="utf-8")
    assert main(["reconcile", str(invoice), "--tables", card, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["by_status"] == {"MATCH": 1}
    assert main([*command, "--tables", card, "--quality", "720p", "--sound", "off",
                 "--at", at, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    priced = data if command[0] == "quote" else (data.get("candidates") or data["chain"])[0]
    assert (priced["amount"], priced["price_version"]) == ("6.00", "2026-07-01..open")


def test_an_unreadable_date_is_an_error(repriced: Catalog) -> None:
    with pytest.raises(QuoteError, match="at must be a date") as info:
        repriced.quote("repriced", "gen", at="next tuesday")
    assert info.value.code == "INVALID_DATE"
    assert info.value.field == "at"


def test_without_at_builtin_prices_equal_any_day() -> None:
    """Built-in prices do not depend on the day: no ``at`` gives the same as any day."""
    for provider, model in [("evolink", "kling-v3-text-to-video"),
                            ("kling3api", "o3-pro-reference-to-video")]:
        assert (CATALOG.quote(provider, model).credits
                == CATALOG.quote(provider, model, at=date(2031, 5, 5)).credits)


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_offerings_say_which_cells_have_no_price_that_day(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    """A cell with no price version in force on --at was left out without a word."""
    card = tmp_path / "late.yaml"
    card.write_text(REPRICED.replace(
        "      - effective_to: 2026-03-01\n        per_second: 5.4",
        "      - effective_from: 2025-06-01\n        effective_to: 2026-03-01\n"
        "        per_second: 5.4"), encoding="utf-8")
    argv = ["offerings", "--tables", str(card), "--format", fmt]
    assert main([*argv, "--at", "2025-01-01"]) == 0
    out, err = capsys.readouterr()
    assert "repriced" not in out
    assert err == ("ratecard: note: 1 offering cell has no price in force on 2025-01-01 and "
                   "is not listed: repriced/gen 720p sound off (price versions "
                   "2025-06-01..2026-03-01, 2026-03-01..open)\n")
    assert main([*argv, "--at", "2025-06-01"]) == 0
    out, err = capsys.readouterr()
    assert "repriced" in out
    assert err == ""
