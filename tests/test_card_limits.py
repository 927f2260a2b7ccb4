"""A card is either priced by every path (Python quote and reconcile, the rates table,
DuckDB) or refused by card validation, with ``file:line: key: message``, where ``lint``
and ``load`` check it. The limits are those of :mod:`ratecard.numbers` (``CARD_RATE``,
``CARD_SECONDS``, ``BILLED_SECONDS``, the rounding precisions, ``USD_RATIO_MAX``).

Each refused case was once accepted by ``lint`` and then refused (or crashed) by the SQL
engines and ``ratecard rates``; each accepted case sits at the limit and must agree."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

import ratecard
from ratecard import CardError
from ratecard.batch.rates import rate_rows
from ratecard.cli import main
from ratecard.reconcile.readers import COLUMNS, read_lines
from ratecard.reconcile.reconciler import reconcile
from tests.batch_lines import require_duckdb

SOURCE = "{document: tests, checked_on: 2026-11-21, basis: documented}"

CARD = f"""\
provider: edge
name: Limits test
currency: credits
credit_values:
  - {{credits_per_usd: 8, source: {SOURCE}}}
defaults: {{quality: 1080p, sound: off, duration: 5}}
rounding:
  amount: {{mode: half_up, precision: 0.0001}}
  usd: {{mode: half_up, precision: 0.01}}
offerings:
  - id: gen
    family: test
    mode: image-to-video
    qualities: [1080p]
    sounds: [off, on]
    accepts: {{duration: {{min: 1, max: 50, source: {SOURCE}}}}}
    billing: {{basis: duration, source: {SOURCE}}}
    prices:
      - per_second: 1.5
        multipliers: {{1080p: {{off: 1, on: 2}}}}
        source: {SOURCE}
"""
"""A small card whose numbers are all well inside the limits (1.5/s, x2 with sound)."""


def card_with(tmp_path: Path, *edits: tuple[str, str]) -> tuple[Path, str]:
    """``CARD`` with each ``(old, new)`` applied (``old`` must occur once), written out."""
    text = CARD
    for old, new in edits:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "edge.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1)
                if needle in line)


REFUSED = [
    ("price-10-places", [("per_second: 1.5", "per_second: 1.2500000001")],
     "per_second: 1.25", "offerings.0.prices.0.per_second",
     "1.2500000001 has more than 8 decimal places"),
    ("rate-x-multiplier-10-places",
     [("per_second: 1.5", "per_second: 1.234567"), ("on: 2}", "on: 1.2345}")],
     "multipliers:", "offerings.0.prices.0.multipliers.1080p.on",
     "per_second 1.234567 x 1.2345 is a rate of 1.5240729615"),
    ("rate-x-multiplier-too-large", [("per_second: 1.5", "per_second: 900000000")],
     "multipliers:", "offerings.0.prices.0.multipliers.1080p.on",
     "is a rate of 1800000000"),
    ("credit-value-10-places",
     [("credits_per_usd: 8,", "credits_per_usd: 0.0000000001,")],
     "credits_per_usd", "credit_values.0.credits_per_usd",
     "0.0000000001 has more than 8 decimal places"),
    ("credit-value-many-digits",
     [("credits_per_usd: 8,", "credits_per_usd: 12345678.12345678,")],
     "credits_per_usd", "credit_values.0.credits_per_usd",
     "by the ratio 500000/617283906172839: the SQL engines take terms of at most "
     "1,000,000,000,000"),
    ("credit-value-tiny-usd-fine",
     [("credits_per_usd: 8,", "credits_per_usd: 0.00000001,"),
      ("precision: 0.0001}", "precision: 1}"), ("precision: 0.01}", "precision: 0.0000000001}")],
     "credits_per_usd", "credit_values.0.credits_per_usd",
     "by the ratio 1000000000000000000/1"),
    ("amount-precision-9-places", [("precision: 0.0001}", "precision: 0.000000001}")],
     "  amount:", "rounding.amount.precision",
     "amounts are rounded to at most 8 decimal places"),
    ("usd-precision-above-1", [("precision: 0.01}", "precision: 10}")],
     "  usd:", "rounding.usd.precision", "a power of ten from 1 down"),
    ("seconds-precision-7-places",
     [("billing: {basis: duration,",
       "billing: {basis: duration, rounding: {mode: up, precision: 0.0000001},")],
     "billing:", "offerings.0.billing.rounding.precision",
     "billed seconds are rounded to at most 6 decimal places"),
    ("default-duration-7-places", [("duration: 5}", "duration: 5.0000001}")],
     "defaults:", "defaults.duration", "5.0000001 has more than 6 decimal places"),
    ("min-seconds-too-large",
     [("billing: {basis: duration,", "billing: {basis: duration, min_seconds: 10000000,")],
     "billing:", "offerings.0.billing.min_seconds",
     "10000000 is too large: the SQL engines take a number of seconds billed below 10000000"),
    # a clamp beyond every accepted length billed every clip alike, and lint said nothing
    ("min-seconds-above-every-length",
     [("billing: {basis: duration,", "billing: {basis: duration, min_seconds: 51,")],
     "billing:", "offerings.0.billing.min_seconds",
     "51 is above the longest accepted duration (50 s), so every clip would be billed 51 s"),
    ("max-seconds-below-every-length",
     [("billing: {basis: duration,", "billing: {basis: duration, max_seconds: 0.5,")],
     "billing:", "offerings.0.billing.max_seconds",
     "0.5 is below the shortest accepted duration (1 s), so every clip would be billed 0.5 s"),
    ("accepted-max-7-places", [("max: 50,", "max: 50.0000001,")],
     "accepts:", "offerings.0.accepts.duration.max",
     "50.0000001 has more than 6 decimal places"),
    # text pydantic's Decimal read as a number (12, 8, 50): digits that are not ASCII, and
    # digit separators, are refused as everywhere else (ratecard.numbers.read_number)
    ("arabic-indic-digits", [("per_second: 1.5", 'per_second: "\u0661\u0662"')],
     'per_second: "', "offerings.0.prices.0.per_second", "must be a number in ASCII digits"),
    ("fullwidth-digit", [("credits_per_usd: 8,", 'credits_per_usd: "\uff18",')],
     "credits_per_usd", "credit_values.0.credits_per_usd", "must be a number in ASCII digits"),
    ("digit-separator", [("max: 50,", "max: 5_0,")], "accepts:",
     "offerings.0.accepts.duration.max", "digit separators are not read"),
    ("quoted-digit-separator", [("per_second: 1.5", 'per_second: "1_5"')], 'per_second: "',
     "offerings.0.prices.0.per_second", "digit separators are not read"),
]


def test_a_clamp_at_the_edge_of_the_accepted_lengths_is_kept(tmp_path: Path) -> None:
    """min_seconds equal to the longest accepted length is a card's own choice."""
    path, _ = card_with(tmp_path, ("billing: {basis: duration,",
                                   "billing: {basis: duration, min_seconds: 50, max_seconds: 50,"))
    card = ratecard.load(path, builtin=False, cache=False)
    quote = card.quote("edge", "gen", duration=10, sound=False)
    assert (quote.billed_seconds, quote.amount) == (Decimal(50), Decimal("75.0000"))


@pytest.mark.parametrize("written", ["-0.0", "-0", '"-0.00"'])
def test_a_negative_zero_price_is_zero(tmp_path: Path, written: str) -> None:
    """``per_second: -0.0`` passed ``>= 0`` and was printed as ``-0.000000``."""
    path, _ = card_with(tmp_path, ("per_second: 1.5", f"per_second: {written}"))
    catalog = ratecard.load(path, builtin=False, cache=False)
    quote = catalog.quote("edge", "gen", duration=5)
    assert quote.amount == 0
    assert not quote.amount.is_signed()
    assert not any(str(row.price).startswith("-") for row in catalog.index.offerings())


@pytest.mark.parametrize(("edits", "needle", "key", "message"),
                         [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED])
def test_a_value_no_engine_can_price_exactly_is_a_card_error(
        tmp_path: Path, edits: list[tuple[str, str]], needle: str, key: str,
        message: str) -> None:
    path, text = card_with(tmp_path, *edits)
    with pytest.raises(CardError) as caught:
        ratecard.load(path, builtin=False, cache=False)
    [problem] = [p for p in caught.value.problems if message in p.message]
    assert problem.file == str(path)
    assert problem.line == line_of(text, needle)
    assert problem.key == key


@pytest.mark.parametrize(("edits", "needle", "key", "message"),
                         [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED])
def test_lint_says_so_too(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                          edits: list[tuple[str, str]], needle: str, key: str,
                          message: str) -> None:
    path, text = card_with(tmp_path, *edits)
    assert main(["lint", str(path)]) == 1
    assert f"{path}:{line_of(text, needle)}: {key}: " in capsys.readouterr().out


RATE_8_PLACES = [("per_second: 1.5", "per_second: 0.12345678"),
                 ("precision: 0.0001}", "precision: 0.00000001}"),
                 ("precision: 0.01}", "precision: 0.0000000001}")]
SECONDS_AT_LIMIT = [("per_second: 1.5", "per_second: 999999999.99999999"), ("on: 2}", "on: 1}"),
                    ("max: 50,", "max: 9999999.999999,"),
                    ("duration: 5}", "duration: 9999999.999999}")]
BILLING_AT_LIMIT = ("billing: {basis: duration,",
                    "billing: {basis: duration, max_seconds: 9999999.999999, "
                    "rounding: {mode: up, precision: 0.000001},")

LIMITS = [
    # rate x multiplier with 8 places: 0.12345678 x 2.5 x 7 s = 2.16049365; x 2.05 has 9
    ("rate-x-multiplier", [*RATE_8_PLACES, ("on: 2}", "on: 2.5}")],
     {"duration": "7", "sound": "on", "charged": "2.16049365", "currency": "credits"},
     Decimal("2.16049365"),
     [*RATE_8_PLACES, ("on: 2}", "on: 2.05}")], "offerings.0.prices.0.multipliers.1080p.on"),
    # 1.5/s x 7 s = 10.5 credits at 0.00000001 credits per USD: 1,050,000,000 USD
    ("tiny-credit-value", [("credits_per_usd: 8,", "credits_per_usd: 0.00000001,")],
     {"duration": "7", "sound": "off", "charged": "1050000000.00", "currency": "USD"},
     Decimal("1050000000.00"),
     [("credits_per_usd: 8,", "credits_per_usd: 0.000000001,")],
     "credit_values.0.credits_per_usd"),
    # 10.5 credits at 999,999,999 credits per USD: 0.0000000105 USD, 0.00 to the cent;
    # with 17 significant digits the USD conversion needs integers beyond 10^12
    ("huge-credit-value", [("credits_per_usd: 8,", "credits_per_usd: 999999999,")],
     {"duration": "7", "sound": "off", "charged": "0.00", "currency": "USD"},
     Decimal("0.00"),
     [("credits_per_usd: 8,", "credits_per_usd: 999999999.12345678,")],
     "credit_values.0.credits_per_usd"),
    # 9,999,999.999999 s x 999,999,999.99999999/s = 9,999,999,999,998,999.90000000000001
    ("seconds-and-rate", [*SECONDS_AT_LIMIT, BILLING_AT_LIMIT],
     {"duration": "9999999.999999", "sound": "off", "charged": "9999999999998999.9",
      "currency": "credits"},
     Decimal("9999999999998999.9000"),
     [*SECONDS_AT_LIMIT, (BILLING_AT_LIMIT[0], BILLING_AT_LIMIT[1].replace(
         "max_seconds: 9999999.999999", "max_seconds: 10000000"))],
     "offerings.0.billing.max_seconds"),
]
"""Values at a limit, priced alike by every path, and the same card just beyond it."""
_PARAMS = ("edits", "line", "expected", "beyond", "key")
_CASES = [case[1:] for case in LIMITS]
_IDS = [case[0] for case in LIMITS]


def _refused(tmp_path: Path, beyond: list[tuple[str, str]], key: str) -> None:
    path, _ = card_with(tmp_path / "beyond", *beyond)
    with pytest.raises(CardError) as caught:
        ratecard.load(path, builtin=False, cache=False)
    assert [(p.file, p.key) for p in caught.value.problems] == [(str(path), key)]


def _invoice(tmp_path: Path, line: dict[str, str]) -> Path:
    fields = {"task_id": "t1", "provider": "edge", "model": "gen", "input_seconds": "",
              "quality": "1080p", "timestamp": "2026-11-01T10:00:00Z",
              "status": "succeeded", "reserved": "", **line}
    path = tmp_path / "invoice.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerow([fields[column] for column in COLUMNS])
    return path


@pytest.mark.parametrize(_PARAMS, _CASES, ids=_IDS)
def test_a_card_at_a_limit_is_priced_and_one_beyond_is_refused(
        tmp_path: Path, edits: list[tuple[str, str]], line: dict[str, str],
        expected: Decimal, beyond: list[tuple[str, str]], key: str) -> None:
    path, _ = card_with(tmp_path, *edits)
    card = ratecard.load(path, builtin=False, cache=False)
    assert rate_rows(card)
    [result], _ = reconcile(card, read_lines([_invoice(tmp_path, line)]))
    assert (result.status, result.expected) == ("MATCH", expected)
    _refused(tmp_path, beyond, key)


@pytest.mark.slow  # DuckDB runs per case
@pytest.mark.parametrize(_PARAMS, _CASES, ids=_IDS)
def test_duckdb_prices_a_card_at_a_limit_as_python_does(
        tmp_path: Path, edits: list[tuple[str, str]], line: dict[str, str],
        expected: Decimal, beyond: list[tuple[str, str]], key: str) -> None:
    require_duckdb()
    from ratecard.batch import duckdb_engine
    from ratecard.whatif import read_lines as whatif_lines
    from ratecard.whatif import whatif
    from ratecard.whatif.sql import whatif as duckdb_whatif
    from ratecard.whatif.writers import summary_dict

    path, _ = card_with(tmp_path, *edits)
    card = ratecard.load(path, builtin=False, cache=False)
    invoice = _invoice(tmp_path, line)
    [python], _ = reconcile(card, read_lines([invoice]))
    [sql], _ = duckdb_engine.reconcile(card, [invoice])
    assert sql == python
    assert (sql.status, sql.expected) == ("MATCH", expected)
    lines, summary = whatif(card, whatif_lines([invoice]))
    sql_lines, sql_summary = duckdb_whatif(card, [invoice])
    assert sql_lines == lines
    assert summary_dict(sql_summary) == summary_dict(summary)
    _refused(tmp_path, beyond, key)  # never reaches an engine


@pytest.mark.slow  # a DuckDB run
def test_duckdb_rounds_a_million_billed_seconds_to_the_microsecond(tmp_path: Path) -> None:
    """DuckDB typed seconds x 10^6 as a 64-bit DECIMAL(18,6): rounding 1,000,000 s to
    0.000001 overflowed it and stopped the run. 1,000,000 s x 1.5/s = 1,500,000."""
    require_duckdb()
    from ratecard.batch import duckdb_engine

    path, _ = card_with(tmp_path, ("max: 50,", "max: 9999999,"), (
        "billing: {basis: duration,",
        "billing: {basis: duration, rounding: {mode: up, precision: 0.000001},"))
    card = ratecard.load(path, builtin=False, cache=False)
    invoice = _invoice(tmp_path, {"duration": "1000000", "sound": "off",
                                  "charged": "1500000", "currency": "credits"})
    [python], _ = reconcile(card, read_lines([invoice]))
    [sql], _ = duckdb_engine.reconcile(card, [invoice])
    assert (python.status, python.expected) == ("MATCH", Decimal("1500000.0000"))
    assert sql == python
