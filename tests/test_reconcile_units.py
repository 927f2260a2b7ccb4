"""Totals never add different units; a tolerance is per currency; a charge shown to fewer
decimal places than the card keeps is the card's amount as the invoice can show it.
Python and DuckDB alike (Spark in the slow run)."""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

import ratecard
from ratecard.cli import main
from ratecard.reconcile.results import Scope, Summary
from ratecard.reconcile.tolerance import Tolerance, ToleranceError
from tests.batch_lines import CARDS, require_duckdb
from tests.engines import same_everywhere, write_csv

CATALOG = ratecard.load(CARDS, cache=False)

EVOLINK = {"provider": "evolink", "model": "kling-v3-image-to-video", "duration": "5",
           "quality": "720p", "sound": "off", "timestamp": "2026-11-01",
           "status": "succeeded"}
"""27.0000 credits = 0.375000 USD (seed 001: 5.4 credits a second, 72 credits a dollar)."""
EVOLINK_1080 = {**EVOLINK, "quality": "1080p"}
"""5 s x 5.4 x 1.333 = 35.991 credits; / 72 = 0.499875 USD (exactly)."""
KLING3API = {"provider": "kling3api", "model": "pro-text-to-video", "timestamp": "2026-11-01",
             "status": "SUCCESS"}
"""400 credits (seed 003); kling3api publishes no USD value of a credit."""
RT_DOWN = {"provider": "rt-down", "model": "up-secs", "timestamp": "2026-06-01",
           "status": "succeeded", "sound": "off"}
"""Test card: 0.333 credits a second, amounts rounded *down* to 0.001."""

ENGINES = ["duckdb"]


def _rows(*rows: dict[str, str]) -> list[dict[str, str]]:
    return [{**row, "task_id": f"t{n}"} for n, row in enumerate(rows)]


# --------------------------------------------------------------------------- units


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_credits_of_different_providers_are_separate_sums(tmp_path: Path) -> None:
    require_duckdb()
    path = write_csv(tmp_path / "units.csv", _rows(
        {**EVOLINK, "charged": "27.0", "currency": "credits"},
        {**EVOLINK, "charged": "0.375", "currency": "USD"},
        {**KLING3API, "charged": "400", "currency": "credits"},
        {**KLING3API, "charged": "5.00", "currency": "USD"},  # UNPRICED_CURRENCY: still USD
        {**EVOLINK, "charged": "3", "currency": "EUR"},  # a word not read: no unit
        {**EVOLINK, "provider": "nope", "charged": "9", "currency": "credits"},  # nope's own
        {**EVOLINK, "provider": "nope", "charged": "2", "currency": "USD"},
    ))
    results, summary = same_everywhere(CATALOG, [path], ENGINES)
    assert [r.status for r in results] == ["MATCH", "MATCH", "MATCH", "UNPRICED_CURRENCY",
                                           "INVALID_LINE", "UNKNOWN_OFFERING",
                                           "UNKNOWN_OFFERING"]
    assert summary.total.lines == 7
    assert summary.total.charged == {"credits@evolink": Decimal("27.0"),
                                     "credits@kling3api": Decimal(400),
                                     "credits@nope": Decimal(9),  # no card: still charged
                                     "USD": Decimal("7.375")}
    assert summary.total.expected == {"credits@evolink": Decimal("27.0000"),
                                      "credits@kling3api": Decimal(400),
                                      "USD": Decimal("0.375000")}
    assert results[4].charged == Decimal(3)  # shown on its line, added to nothing


def test_every_output_format_names_the_unit(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "units.csv", _rows(
        {**EVOLINK, "charged": "27.0", "currency": "credits"},
        {**KLING3API, "charged": "400", "currency": "credits"}))
    assert main(["reconcile", str(path), "--format", "json"]) == 0
    total = json.loads(capsys.readouterr().out)["rows"][-1]
    assert total["charged"] == {"credits@evolink": "27.0", "credits@kling3api": "400"}
    assert main(["reconcile", str(path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[-1]["charged"] == "27.0 credits@evolink; 400 credits@kling3api"
    assert main(["reconcile", str(path)]) == 0
    table = capsys.readouterr().out
    assert "27.0 credits@evolink; 400 credits@kling3api" in table
    assert "427" not in table  # never added across providers


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_the_summary_gathers_unoffered_pairs_past_its_limit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The summary stays small whatever the input: past the limit, pairs no card offers
    are summarised under (other), by Python and SQL alike (first seen first)."""
    require_duckdb()
    monkeypatch.setattr("ratecard.reconcile.results.GROUP_LIMIT", 3)
    rows = [{**EVOLINK, "model": f"no-such-model-{n}", "charged": "1", "currency": "credits"}
            for n in range(5)]
    rows += [{**EVOLINK, "provider": f"nobody-{n}", "charged": "1", "currency": "USD"}
             for n in range(3)]
    rows += [{**EVOLINK, "charged": "27.0", "currency": "credits"}]
    path = write_csv(tmp_path / "many.csv", _rows(*rows))
    _, summary = same_everywhere(CATALOG, [path], ENGINES)
    groups = {key[:2]: totals for key, totals in summary.groups.items()}
    assert set(groups) == {
        ("evolink", "no-such-model-0"), ("evolink", "no-such-model-1"),
        ("evolink", "no-such-model-2"), ("evolink", "(other)"), ("(other)", "(other)"),
        ("evolink", "kling-v3-image-to-video")}
    assert groups[("evolink", "(other)")].charged == {"credits@evolink": Decimal(2)}
    assert groups[("(other)", "(other)")].charged == {"USD": Decimal(3)}
    assert summary.total.lines == 9


def test_a_summary_without_cards_still_never_mixes_units() -> None:
    summary = Summary(Scope())
    assert summary.scope.unit("credits", "a") != summary.scope.unit("credits", "b")
    assert summary.scope.unit("USD", "a") == summary.scope.unit("USD", "b") == "USD"


# --------------------------------------------------------------------------- tolerance


@pytest.mark.parametrize(("tolerance", "statuses"), [
    (None, ["OVERCHARGE", "OVERCHARGE", "OVERCHARGE"]),
    ({"credits": Decimal(2)}, ["ROUNDING_DIFF", "ROUNDING_DIFF", "OVERCHARGE"]),
    ({"credits@kling3api": Decimal(2)}, ["OVERCHARGE", "ROUNDING_DIFF", "OVERCHARGE"]),
    ({"credits": Decimal(2), "credits@kling3api": Decimal(0)},
     ["ROUNDING_DIFF", "OVERCHARGE", "OVERCHARGE"]),
    ({"USD": Decimal("0.01")}, ["OVERCHARGE", "OVERCHARGE", "ROUNDING_DIFF"]),
])
@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_a_tolerance_is_per_currency(tmp_path: Path, tolerance: dict[str, Decimal] | None,
                                     statuses: list[str]) -> None:
    require_duckdb()
    path = write_csv(tmp_path / "tolerance.csv", _rows(
        {**EVOLINK, "charged": "29.0000", "currency": "credits"},  # 2 credits over
        {**KLING3API, "charged": "402", "currency": "credits"},  # 2 over (card: whole credits)
        {**EVOLINK, "charged": "0.385000", "currency": "USD"}))  # 0.01 USD over
    results, _ = same_everywhere(CATALOG, [path], ENGINES, tolerance)
    assert [r.status for r in results] == statuses


@pytest.mark.parametrize(("texts", "message"), [
    (["1"], "say which currency it is in"),
    (["credits=1", "credits=2"], "given twice"),
    (["EUR=1"], "'EUR' is not a currency"),
    (["USD@evolink=1"], "is not a currency"),
    (["credits=-1"], "a tolerance is a number >= 0"),
    (["credits=1e-99"], "more than 20 decimal places"),
    (["credits=x"], "'x' is not a number"),
])
def test_a_tolerance_that_cannot_be_used_is_refused(texts: list[str], message: str) -> None:
    with pytest.raises(ToleranceError, match=message):
        Tolerance.parse(texts)


def test_a_tolerance_for_a_provider_without_credits_is_refused() -> None:
    with pytest.raises(ToleranceError, match="no loaded card prices 'nope' in credits"):
        Tolerance.parse(["credits@nope=1"]).check(CATALOG.index)


# --------------------------------------------------------------------------- shown places


def _by_model(expected: Decimal, charged: str, mode: str) -> str:
    """The status the rule gives, from a model written here: the card's amount rounded to
    the places the charge shows (by the card's mode) equal to the charge: ROUNDING_DIFF;
    never for a whole number (``36``, ``0``: an amount charged, not a rounding)."""
    places = len(charged.partition(".")[2])
    if places and expected.quantize(Decimal(1).scaleb(-places), rounding=mode) == Decimal(charged):
        return "ROUNDING_DIFF"
    return "OVERCHARGE" if Decimal(charged) > expected else "UNDERCHARGE"


SHOWN = [
    # (line, currency, charged, the card's exact amount, the card's mode for it)
    (EVOLINK, "USD", "0.38", Decimal("0.375000"), ROUND_HALF_UP),
    (EVOLINK, "USD", "0.37", Decimal("0.375000"), ROUND_HALF_UP),
    (EVOLINK, "USD", "0.4", Decimal("0.375000"), ROUND_HALF_UP),
    (EVOLINK_1080, "USD", "0.50", Decimal("0.499875"), ROUND_HALF_UP),
    (EVOLINK_1080, "USD", "0.5", Decimal("0.499875"), ROUND_HALF_UP),
    (EVOLINK_1080, "USD", "0.49", Decimal("0.499875"), ROUND_HALF_UP),
    (EVOLINK_1080, "credits", "35.99", Decimal("35.9910"), ROUND_HALF_UP),
    (EVOLINK_1080, "credits", "36", Decimal("35.9910"), ROUND_HALF_UP),
    (EVOLINK_1080, "credits", "36.0", Decimal("35.9910"), ROUND_HALF_UP),
    (EVOLINK_1080, "credits", "35.98", Decimal("35.9910"), ROUND_HALF_UP),
    ({**RT_DOWN, "duration": "5"}, "credits", "1.66", Decimal("1.665"), ROUND_DOWN),
    ({**RT_DOWN, "duration": "5"}, "credits", "1.67", Decimal("1.665"), ROUND_DOWN),
    ({**RT_DOWN, "duration": "5"}, "credits", "1.7", Decimal("1.665"), ROUND_DOWN),
    ({**RT_DOWN, "duration": "5"}, "credits", "2", Decimal("1.665"), ROUND_DOWN),
    ({**RT_DOWN, "duration": "5"}, "credits", "1", Decimal("1.665"), ROUND_DOWN),
]


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_a_charge_shown_to_fewer_places_is_the_card_amount_rounded(tmp_path: Path) -> None:
    require_duckdb()
    path = write_csv(tmp_path / "shown.csv", _rows(*(
        {**line, "currency": currency, "charged": charged}
        for line, currency, charged, _, _ in SHOWN)))
    results, _ = same_everywhere(CATALOG, [path], ENGINES)
    for result, (_, _, charged, expected, mode) in zip(results, SHOWN, strict=True):
        assert result.expected == expected
        assert result.status == _by_model(expected, charged, mode), (charged, result)
        if result.status == "ROUNDING_DIFF":
            places = len(charged.partition(".")[2])
            assert result.reason == (f"the card's amount rounded to the {places} decimal "
                                     "places the charge shows")
    statuses = [r.status for r in results]
    assert statuses.count("ROUNDING_DIFF") == 7  # the model is not vacuous
    assert {"OVERCHARGE", "UNDERCHARGE"} <= set(statuses)


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_a_whole_charge_or_a_given_tolerance_is_never_read_as_a_rounding(
        tmp_path: Path) -> None:
    """$0 for a $0.375 job passed as "the card's amount rounded to the 0 decimal places the
    charge shows", even with --tolerance USD=0; so did $2 for $1.50."""
    require_duckdb()
    path = write_csv(tmp_path / "whole.csv", _rows(
        {**EVOLINK, "currency": "USD", "charged": "0"},
        {**EVOLINK, "currency": "USD", "charged": "0.38"},
        {**EVOLINK, "duration": "10", "quality": "1080p", "sound": "on", "currency": "USD",
         "charged": "2"}))  # 10 s x 5.4 x 2.0 = 108 credits = 1.50 USD (seed 001)
    results, _ = same_everywhere(CATALOG, [path], ENGINES)
    assert [r.status for r in results] == ["UNDERCHARGE", "ROUNDING_DIFF", "OVERCHARGE"]
    given = Tolerance.parse(["USD=0"])
    results, _ = same_everywhere(CATALOG, [path], ENGINES, given)
    assert [r.status for r in results] == ["UNDERCHARGE", "OVERCHARGE", "OVERCHARGE"]


@pytest.mark.slow
def test_spark_applies_the_unit_tolerance_and_shown_rules_alike(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_duckdb()
    monkeypatch.setattr("ratecard.reconcile.results.GROUP_LIMIT", 2)
    rows = [{**line, "currency": currency, "charged": charged}
            for line, currency, charged, _, _ in SHOWN]
    rows += [{**EVOLINK, "model": f"no-such-model-{n}", "charged": "1", "currency": "credits"}
             for n in range(4)]
    rows += [{**KLING3API, "charged": "402", "currency": "credits"},
             {**EVOLINK, "charged": "3", "currency": "EUR"}]
    path = write_csv(tmp_path / "all.csv", _rows(*rows))
    same_everywhere(CATALOG, [path], ["duckdb", "spark"])
    same_everywhere(CATALOG, [path], ["duckdb", "spark"],
                    {"credits@kling3api": Decimal(2), "USD": Decimal("0.01")})


# ------------------------------------------------------------- every credit in a total

OTHER_ROWS = [{**EVOLINK, "provider": "(other)", "model": "x", "charged": "5",
               "currency": "credits"},
              {**EVOLINK, "model": "(other)", "charged": "2", "currency": "credits"}]
"""A seller and a model the invoice names ``(other)``, like the summary's own group."""


def _past_the_limit(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, str]]:
    monkeypatch.setattr("ratecard.reconcile.results.GROUP_LIMIT", 2)
    return _rows(*OTHER_ROWS,
                 *({**EVOLINK, "provider": f"seller{n}", "charged": "1", "currency": "credits"}
                   for n in range(3)),
                 {**EVOLINK, "model": "(other)", "charged": "3", "currency": "EUR"})


def test_a_seller_named_other_is_a_seller_and_past_the_limit_lines_are_counted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "other.csv", _past_the_limit(monkeypatch))
    main(["reconcile", str(path), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert [(r["provider"], r["model"], r["status"], r["lines"], r["charged"])
            for r in data["rows"]] == [
        ('"(other)"', "x", "UNKNOWN_OFFERING", 1, {'credits@"(other)"': "5"}),
        ("(other)", "(other)", "UNKNOWN_OFFERING", 3, {}),
        ("evolink", '"(other)"', "INVALID_LINE", 1, {}),
        ("evolink", '"(other)"', "UNKNOWN_OFFERING", 1, {"credits@evolink": "2"}),
        ("TOTAL", "", "", 6, {'credits@"(other)"': "5", "credits@evolink": "2"}),
    ]
    assert data["untotalled_lines"] == 4
    main(["reconcile", str(path)])
    assert ("4 lines with no expected amount are in no total either: an amount in a "
            "currency word not read, credits of no named seller, or credits of the sellers "
            "gathered under (other) (past the first 2 provider x model pairs no card "
            "offers)") in capsys.readouterr().out


@pytest.mark.slow  # DuckDB and Spark run; CI runs them all
@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_sql_engines_keep_a_seller_named_other_apart_from_the_gathered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    if engine == "duckdb":
        require_duckdb()
    else:
        pytest.importorskip("pyspark")
    path = write_csv(tmp_path / "other.csv", _past_the_limit(monkeypatch))
    _, summary = same_everywhere(CATALOG, [path], [engine])
    assert summary.total.charged == {'credits@"(other)"': Decimal(5),
                                     "credits@evolink": Decimal(2)}
    assert summary.total.untotalled == 4
