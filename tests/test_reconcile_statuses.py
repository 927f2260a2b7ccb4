"""Reconciliation verdicts, one example per status, the order they are decided in, the
tolerance, and price versions on both sides of a price change."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

import ratecard
from ratecard.reconcile.readers import read_lines
from ratecard.reconcile.reconciler import STATUSES, LineResult, Reconciler, reconcile
from tests.reconcile_strategies import (
    ACME_PATH,
    CATALOG,
    EXACT,
    NEW_VERSION,
    OLD_VERSION,
    check,
    csv_text,
    exact_sum,
    line,
    reconcile_rows,
    reconcile_text,
)

KLING = {"provider": "kling3api", "model": "pro-text-to-video", "quality": "", "sound": "",
         "duration": "5"}
"""kling3api Pro text-to-video, 5 s with sound (its default): 400 credits, no USD value."""
ACME = {"provider": "acme", "model": "acme-gen", "duration": "5.2"}
"""acme generation of 5.2 s, billed 6 s (every started second); 720p without sound."""


def _only(results: list[LineResult], line_number: int) -> LineResult:
    (found,) = [r for r in results if r.line == line_number]
    return found


# --------------------------------------------------------------------------- each status


def test_match() -> None:
    result = check()
    assert result.status == "MATCH"
    assert (result.expected, result.charged, result.difference) == (
        Decimal("27.0000"), Decimal("27.0000"), Decimal(0))
    assert (result.task_id, result.provider, result.model, result.day, result.job_status,
            result.currency, result.price_version, result.reason) == (
        "t1", "evolink", "kling-v3-image-to-video", "2026-11-01", "succeeded", "credits",
        "start..open", "")
    assert (result.source, result.line) == ("invoice.csv", 2)


@pytest.mark.parametrize("charged", ["27", "27.0", "27.000000", "2.7E+1", "+27", " 27 "])
def test_an_equal_amount_written_another_way_matches(charged: str) -> None:
    result = check(charged=charged)
    assert result.status == "MATCH"
    assert result.difference == 0


def test_match_in_usd_uses_the_credit_value() -> None:
    # 27 credits at evolink's 72 credits to the dollar: 0.375 USD
    result = check(charged="0.375", currency="USD")
    assert result.status == "MATCH"
    assert result.expected == Decimal("0.375000")
    assert result.currency == "USD"
    assert result.price_version == "start..open; credit value start..open"


@pytest.mark.parametrize(("charged", "difference"), [("27.0001", "0.0001"),
                                                     ("26.9999", "-0.0001")])
def test_rounding_diff_within_one_unit_of_the_card_precision(
    charged: str, difference: str
) -> None:
    result = check(charged=charged)
    assert result.status == "ROUNDING_DIFF"
    assert result.difference == Decimal(difference)
    assert "within the tolerance of 0.0001" in result.reason


@pytest.mark.parametrize(("charged", "status", "difference"), [
    ("401", "ROUNDING_DIFF", "1"), ("399", "ROUNDING_DIFF", "-1"),
    ("401.5", "OVERCHARGE", "1.5"), ("398", "UNDERCHARGE", "-2"),
])
def test_the_default_tolerance_is_the_card_precision_of_each_provider(
    charged: str, status: str, difference: str
) -> None:
    result = check(**KLING, charged=charged)  # kling3api rounds credits to whole units
    assert (result.status, result.difference) == (status, Decimal(difference))


def test_overcharge() -> None:
    result = check(charged="27.0002")
    assert result.status == "OVERCHARGE"
    assert result.difference == Decimal("0.0002")
    assert result.reason == "charged 0.0002 credits more than the card"


def test_undercharge() -> None:
    result = check(charged="20")
    assert result.status == "UNDERCHARGE"
    assert result.difference == Decimal("-7")
    assert result.reason == "charged 7.0000 credits less than the card"


@pytest.mark.parametrize(("status", "job"), [("pending", "pending"), ("Queued", "pending"),
                                         ("running", "running"),
                                         ("IN_PROGRESS", "running")])
def test_an_undercharge_of_a_task_not_finished_says_it_may_not_be_settled(
        status: str, job: str) -> None:
    """A pending task charged nothing yet (its hold shown apart) read as a seller that
    undercharged, in the same words as a finished one: it is still UNDERCHARGE (the
    charge is not what the card says), and the reason says the task is not finished."""
    result = check(charged="0", status=status, reserved="27")
    assert (result.status, result.difference) == ("UNDERCHARGE", Decimal("-27.0000"))
    assert result.reason == (f"charged 27.0000 credits less than the card, but the task is "
                             f"{job}: what it is charged may not be settled yet")
    assert check(charged="30", status=status).reason == \
        "charged 3.0000 credits more than the card"


def test_usd_overcharge_beyond_the_usd_precision() -> None:
    assert check(charged="0.375001", currency="USD").status == "ROUNDING_DIFF"
    result = check(charged="0.375002", currency="USD")
    assert result.status == "OVERCHARGE"
    assert result.difference == Decimal("0.000002")


@pytest.mark.parametrize(("values", "suggestion"), [
    ({"model": "kling-v3-image-to-vid"}, "did you mean kling-v3-image-to-video"),
    ({"provider": "evolnk"}, "did you mean evolink?"),
    ({"model": "pro-text-to-video"}, "'pro-text-to-video' is sold by kling3api"),
])
def test_unknown_offering_suggests_close_matches(
    values: dict[str, str], suggestion: str
) -> None:
    result = check(**values)
    assert result.status == "UNKNOWN_OFFERING"
    assert suggestion in result.reason
    assert (result.expected, result.difference, result.price_version) == (None, None, None)
    assert result.charged == Decimal("27.0000")


def test_unpriced_date_is_never_priced_as_zero() -> None:
    results, summary = reconcile_text(csv_text([
        line(**ACME, timestamp="2025-12-31", charged="7.50"),
        line(**ACME, task_id="t0", timestamp="2025-12-31", charged="0"),
    ]))
    for result in results:
        assert result.status == "UNPRICED_DATE"
        assert result.expected is None
        assert result.difference is None
        assert result.price_version is None
        assert "no price in force on 2025-12-31" in result.reason
    assert summary.total.expected == {}
    assert summary.total.charged == {"credits@acme": Decimal("7.50")}
    assert summary.discrepancies == 2


def test_unpriced_currency_usd_at_a_provider_without_a_credit_value() -> None:
    result = check(**KLING, charged="5.00", currency="USD")
    assert result.status == "UNPRICED_CURRENCY"
    assert result.expected is None
    assert result.difference is None
    assert result.charged == Decimal("5.00")
    assert "USD value of a kling3api credit is unknown" in result.reason
    assert check(**KLING, charged="400", currency="credits").status == "MATCH"


@pytest.mark.parametrize("cases", [
    pytest.param(("failed", "failed"), id="failed"),
    pytest.param(("cancelled", "cancelled"), id="cancelled"),
    pytest.param(("canceled", "cancelled"), id="canceled"),
    pytest.param(("ERROR", "failed"), id="ERROR"),
])
def test_charged_for_failed(cases: tuple[str, str]) -> None:
    word, job = cases
    result = check(status=word)
    assert result.status == "CHARGED_FOR_FAILED"
    assert result.job_status == job
    assert (result.expected, result.difference) == (Decimal(0), Decimal("27.0000"))
    assert result.reason == f"a {job} task charged 27.0000 credits"


def test_a_failed_task_charged_nothing_matches() -> None:
    result = check(status="failed", charged="0.00")
    assert result.status == "MATCH"
    assert result.expected == 0


def test_reserved_ne_settled() -> None:
    result = check(reserved="30")
    assert result.status == "RESERVED_NE_SETTLED"
    assert result.reserved == Decimal(30)
    assert result.difference == 0
    assert result.reason == "reserved 30 but settled 27.0000 credits"


def test_a_reservation_equal_to_the_charge_matches() -> None:
    result = check(reserved="27.0")
    assert result.status == "MATCH"
    assert result.reserved == Decimal("27.0")


def test_duplicate_task_after_a_first_occurrence_checked_normally() -> None:
    results = reconcile_rows(line(charged="28"), line(), line(charged="0"))
    assert [r.status for r in results] == ["OVERCHARGE", "DUPLICATE_TASK", "DUPLICATE_TASK"]
    first, second, _ = results
    assert first.difference == 1
    assert second.reason == "task t1 already appeared for evolink, first at invoice.csv:2"
    assert (second.expected, second.difference) == (None, None)
    assert second.charged == Decimal("27.0000")


def test_a_task_id_is_a_duplicate_only_at_the_same_provider() -> None:
    results = reconcile_rows(line(), line(**KLING, charged="400"))
    assert [r.status for r in results] == ["MATCH", "MATCH"]


def test_duplicates_are_found_across_files(tmp_path: Path) -> None:
    first, second = tmp_path / "october.csv", tmp_path / "november.csv"
    first.write_text(csv_text([line()]), encoding="utf-8")
    second.write_text(csv_text([line(task_id="t2"), line()]), encoding="utf-8")
    results = list(Reconciler(CATALOG).run(read_lines([first, second])))
    assert [(Path(r.source).name, r.line, r.status) for r in results] == [
        ("october.csv", 2, "MATCH"), ("november.csv", 2, "MATCH"),
        ("november.csv", 3, "DUPLICATE_TASK")]


def test_every_status_is_exercised_here() -> None:
    rows = [
        line(task_id="match"),
        line(task_id="rounding", charged="27.0001"),
        line(task_id="over", charged="30"),
        line(task_id="under", charged="20"),
        line(task_id="unknown", model="kling-v9"),
        line(task_id="date", **ACME, timestamp="2025-06-01", charged="7.50"),
        line(task_id="usd", **KLING, charged="5", currency="USD"),
        line(task_id="invalid", charged="abc"),
        line(task_id="match"),
        line(task_id="failed", status="failed"),
        line(task_id="reserved", reserved="28"),
    ]
    results, summary = reconcile_text(csv_text(rows))
    assert [r.status for r in results] == list(STATUSES)
    assert summary.by_status == dict.fromkeys(STATUSES, 1)
    assert summary.discrepancies == len(STATUSES) - 2


# --------------------------------------------------------------------------- INVALID_LINE


@pytest.mark.parametrize(("values", "reason"), [
    pytest.param({"charged": "27,0"}, "charged '27,0' is not a number", id="comma-decimal"),
    pytest.param({"charged": "27.0 credits"}, "is not a number", id="number-with-unit"),
    pytest.param({"charged": "NaN"}, "charged 'NaN' is not a number", id="nan"),
    pytest.param({"timestamp": "2026-02-30"}, "timestamp '2026-02-30' is not a date",
                 id="no-such-day"),
    pytest.param({"timestamp": "yesterday"}, "is not a date (YYYY-MM-DD",
                 id="words-for-a-date"),
    pytest.param({"task_id": ""}, "missing task_id", id="missing-task"),
    pytest.param({"provider": "", "charged": ""}, "missing provider, charged",
                 id="missing-two"),
    pytest.param({"status": "paid"}, "status 'paid' is not one of cancelled, failed",
                 id="unknown-status"),
    pytest.param({"currency": "EUR"}, "currency 'EUR' is not credits or USD", id="currency"),
    pytest.param({"duration": "16"}, "duration 16 s is not accepted", id="too-long"),
    # EvoLink bills a shorter video at its 3 s minimum (test_reconcile_min_billing.py):
    # below the range, a seller without a billing minimum refuses it
    pytest.param({**KLING, "duration": "2"}, "it accepts 3..15 s, whole seconds",
                 id="too-short"),
    pytest.param({"duration": "0"}, "duration 0 s is not accepted", id="zero"),
    pytest.param({"duration": "5.5"}, "whole seconds", id="not-whole"),
    pytest.param({"duration": "five"}, "duration must be a number", id="duration-words"),
    pytest.param({"provider": "acme", "model": "acme-edit", "input_seconds": "31"},
                 "input_seconds 31 s is not accepted by acme/acme-edit: it accepts 1..30 s",
                 id="input-too-long"),
    pytest.param({"sound": "maybe"}, "sound 'maybe' is not on or off", id="sound"),
    pytest.param({"quality": "4k"}, "does not offer quality '4k'", id="quality"),
    pytest.param({"reserved": "lots"}, "reserved 'lots' is not a number", id="reserved"),
])
def test_invalid_line_names_its_line_number_and_why(
    values: dict[str, str], reason: str
) -> None:
    results = reconcile_rows(line(task_id="t0"), line(**values))
    assert results[0].status == "MATCH"
    invalid = results[1]
    assert invalid.status == "INVALID_LINE"
    assert invalid.reason.startswith("invoice.csv:3: "), invalid.reason
    assert reason in invalid.reason
    assert (invalid.expected, invalid.difference, invalid.price_version) == (None, None, None)


def test_invalid_line_for_a_wrong_field_count_or_a_blank_line() -> None:
    text = csv_text([line()]) + "t2,evolink,27\nt2b\n\n" + "\n".join(
        csv_text([line(task_id="t3")]).splitlines()[1:]) + "\n"
    results, summary = reconcile_text(text)
    assert [(r.line, r.status) for r in results] == [
        (2, "MATCH"), (3, "INVALID_LINE"), (4, "INVALID_LINE"), (5, "INVALID_LINE"),
        (6, "MATCH")]
    assert results[1].reason == "invoice.csv:3: 3 fields where the header has 12"
    assert results[2].reason == "invoice.csv:4: 1 field where the header has 12"
    assert results[3].reason == "invoice.csv:5: blank line"
    assert summary.total.lines == 5


def test_an_invalid_line_keeps_its_amount_in_the_totals() -> None:
    results, summary = reconcile_text(csv_text([line(status="paid", charged="5")]))
    assert results[0].charged == Decimal(5)
    assert results[0].currency == "credits"
    assert summary.total.charged == {"credits@evolink": Decimal(5)}


# --------------------------------------------------------------------------- order


@pytest.mark.parametrize(("rows", "statuses"), [
    pytest.param([line(), line(charged="x")], ["MATCH", "INVALID_LINE"],
                 id="invalid-before-duplicate"),
    pytest.param([line(charged="x"), line()], ["INVALID_LINE", "MATCH"],
                 id="an-unreadable-line-claims-no-task-id"),
    pytest.param([line(), line(model="kling-v9")], ["MATCH", "DUPLICATE_TASK"],
                 id="duplicate-before-unknown-offering"),
    pytest.param([line(**{**ACME, "model": "acme-genx"}, timestamp="2025-01-01")],
                 ["UNKNOWN_OFFERING"],
                 id="unknown-offering-before-unpriced-date"),
    pytest.param([line(**KLING, status="failed", charged="5", currency="USD")],
                 ["UNPRICED_CURRENCY"], id="unpriced-currency-before-charged-for-failed"),
    pytest.param([line(status="cancelled", charged="500", reserved="1")],
                 ["CHARGED_FOR_FAILED"], id="charged-for-failed-before-overcharge"),
    pytest.param([line(charged="28", reserved="30")], ["OVERCHARGE"],
                 id="overcharge-before-reserved-ne-settled"),
    pytest.param([line(charged="26", reserved="30")], ["UNDERCHARGE"],
                 id="undercharge-before-reserved-ne-settled"),
    pytest.param([line(charged="27.0001", reserved="30")], ["RESERVED_NE_SETTLED"],
                 id="reserved-ne-settled-before-rounding-diff"),
])
def test_statuses_are_decided_in_the_documented_order(
    rows: list[dict[str, str]], statuses: list[str]
) -> None:
    assert [r.status for r in reconcile_rows(*rows)] == statuses


# --------------------------------------------------------------------------- tolerance


@pytest.mark.parametrize(("tolerance", "charged", "status"), [
    ("0.5", "27.5", "ROUNDING_DIFF"), ("0.5", "27.5001", "OVERCHARGE"),
    ("0.5", "26.5", "ROUNDING_DIFF"), ("0.5", "26.4999", "UNDERCHARGE"),
    ("0", "27.0001", "OVERCHARGE"), ("0", "27.00000", "MATCH"),
])
def test_an_explicit_tolerance_replaces_the_card_precision(
    tolerance: str, charged: str, status: str
) -> None:
    (result,) = reconcile_rows(line(charged=charged), tolerance=Decimal(tolerance))
    assert result.status == status
    assert result.difference == Decimal(charged) - Decimal(27)


def test_an_explicit_tolerance_applies_to_usd_lines_too() -> None:
    # shown to the card's 6 decimal places (0.38 would be 0.375 rounded to cents: a
    # ROUNDING_DIFF by the precision it shows, see test_reconcile_units)
    rows = [line(charged="0.380000", currency="USD")]
    assert [r.status for r in reconcile_rows(*rows)] == ["OVERCHARGE"]
    assert [r.status for r in reconcile_rows(*rows, tolerance=Decimal("0.01"))] == [
        "ROUNDING_DIFF"]


@pytest.mark.parametrize("tolerance", [0, 1, 1.0, Decimal(1)],
                         ids=["int 0", "int 1", "float", "Decimal"])
def test_one_number_is_a_tolerance_in_every_currency(tolerance: object) -> None:
    """The docstring's "one amount for every currency": an int or a float raised a raw
    AttributeError ('int' object has no attribute 'items')."""
    (result,) = reconcile_rows(line(charged="28"), tolerance=tolerance)  # type: ignore[arg-type]
    assert result.status == ("OVERCHARGE" if tolerance == 0 else "ROUNDING_DIFF")


@pytest.mark.parametrize(("tolerance", "words"), [
    (Decimal(-1), "a tolerance is a number >= 0"),
    (-0.5, "a tolerance is a number >= 0"),
    (Decimal("NaN"), "must be a finite number"),
    (True, "not bool True"),
    ("1", "not str '1'"),
    ([1], "not list [1]"),
    ({1: Decimal(1)}, "a currency key must be text"),
    ({"credits@evolnk": Decimal(1)}, "no loaded card prices 'evolnk' in credits"),
], ids=["negative", "negative float", "NaN", "bool", "text", "list", "int key", "typo"])
def test_a_tolerance_that_cannot_be_used_is_a_tolerance_error(tolerance: object,
                                                               words: str) -> None:
    """A typo'd provider kept the default silently; a negative one was used."""
    from ratecard.reconcile.tolerance import ToleranceError

    with pytest.raises(ToleranceError, match=re.escape(words)):
        Reconciler(ratecard.load(), tolerance=tolerance)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- price change


@pytest.mark.parametrize(("timestamp", "version", "credits", "usd"), [
    pytest.param("2026-06-30", OLD_VERSION, "7.50", "0.94", id="day-before"),
    pytest.param("2026-07-01", NEW_VERSION, "9.00", "1.12", id="boundary-day"),
    pytest.param("2026-06-30T23:59:59Z", OLD_VERSION, "7.50", "0.94", id="last-second"),
    pytest.param("2026-07-01T00:30:00+02:00", OLD_VERSION, "7.50", "0.94",
                 id="local-july-utc-june"),
    pytest.param("2026-06-30T23:30:00-01:00", NEW_VERSION, "9.00", "1.12",
                 id="local-june-utc-july"),
    pytest.param(str(int(datetime(2026, 7, 1, tzinfo=UTC).timestamp()) - 1), OLD_VERSION,
                 "7.50", "0.94", id="unix-second-before"),
    pytest.param(str(int(datetime(2026, 7, 1, tzinfo=UTC).timestamp())), NEW_VERSION,
                 "9.00", "1.12", id="unix-boundary"),
])
def test_a_price_change_is_honoured_on_both_sides_of_it(
    timestamp: str, version: str, credits: str, usd: str
) -> None:
    # worked out by hand from the acme card: 6 billed seconds at 1.25 (before) or 1.5
    # credits a second, 8 credits to the dollar rounded half-even to cents
    results = reconcile_rows(
        line(**ACME, task_id="credits", timestamp=timestamp, charged=credits),
        line(**ACME, task_id="usd", timestamp=timestamp, charged=usd, currency="USD"))
    assert [r.status for r in results] == ["MATCH", "MATCH"]
    assert results[0].price_version == version
    assert results[1].price_version == f"{version}; credit value start..open"
    assert {r.day for r in results} == {"2026-06-30" if version == OLD_VERSION
                                        else "2026-07-01"}


def test_the_other_version_s_price_is_a_discrepancy_with_the_version_named() -> None:
    results = reconcile_rows(
        line(**ACME, task_id="a", timestamp="2026-06-30", charged="9.00"),
        line(**ACME, task_id="b", timestamp="2026-07-01", charged="7.50"),
        line(task_id="c", provider="acme", model="acme-edit", duration="",
             timestamp="2026-06-30", charged="24.50"),
        line(task_id="d", provider="acme", model="acme-edit", duration="",
             timestamp="2026-07-01", charged="24.50"))
    assert [(r.status, r.difference, r.price_version) for r in results] == [
        ("OVERCHARGE", Decimal("1.50"), OLD_VERSION),
        ("UNDERCHARGE", Decimal("-1.50"), NEW_VERSION),
        ("OVERCHARGE", Decimal("4.50"), OLD_VERSION),
        ("MATCH", Decimal(0), NEW_VERSION)]


def test_a_day_without_a_credit_value_leaves_usd_unpriced(tmp_path: Path) -> None:
    card = tmp_path / "acme.yaml"
    text = ACME_PATH.read_text(encoding="utf-8")
    card.write_text(text.replace("credits_per_usd: 8\n    effective_from: null",
                                 "credits_per_usd: 8\n    effective_from: 2026-03-01"),
                    encoding="utf-8")
    catalog = ratecard.load(card, cache=False)
    rows = [line(**ACME, task_id="credits", timestamp="2026-02-01", charged="7.50"),
            line(**ACME, task_id="usd", timestamp="2026-02-01", charged="0.94",
                 currency="USD"),
            line(**ACME, task_id="later", timestamp="2026-03-01", charged="0.94",
                 currency="USD")]
    results, _ = reconcile_text(csv_text(rows), catalog=catalog)
    assert [r.status for r in results] == ["MATCH", "UNPRICED_DATE", "MATCH"]
    assert results[1].reason == "no acme credit value is in force on 2026-02-01"
    assert results[1].expected is None


@pytest.mark.parametrize(("timestamp", "day"), [
    ("2026-11-01T23:30:00-05:00", "2026-11-02"),
    ("2026-11-02T01:00:00+03:00", "2026-11-01"),
    ("2026-11-01T23:59:59", "2026-11-01"),
    ("2026-11-01 12:00:00", "2026-11-01"),
    ("1793491200", "2026-11-01"),
    ("100000000", "1973-03-03"),  # the smallest Unix seconds read (9 digits)
])
def test_the_day_of_a_job_is_its_utc_day(timestamp: str, day: str) -> None:
    assert check(timestamp=timestamp).day == day


def test_reconcile_returns_every_result_and_the_summary() -> None:
    results, summary = reconcile(CATALOG, [])
    assert results == []
    assert summary.total.lines == 0
    results, summary = reconcile_text(csv_text([line(), line(task_id="t2", charged="30")]))
    assert summary.total.charged == {
        "credits@evolink": exact_sum([Decimal("27.0000"), Decimal(30)])}
    assert summary.total.expected == {"credits@evolink": Decimal("54.0000")}
    assert summary.total.difference == {"credits@evolink": Decimal(3)}
    assert summary.groups[("evolink", "kling-v3-image-to-video", "OVERCHARGE")].lines == 1


# --------------------------------------------------------------------------- bugs

@pytest.mark.parametrize("timestamp", [
    pytest.param("-1", id="negative"),
    pytest.param("1793491200.5", id="fractional-unix"),
    pytest.param("1793491200000", id="unix-milliseconds"),
    pytest.param("99999999999999999999", id="huge-unix"),
    pytest.param("\u00b2", id="superscript-digit"),
    pytest.param("0001-01-01T00:00:00+01:00", id="before-year-1-in-utc"),
    pytest.param("9999-12-31T23:00:00-05:00", id="after-year-9999-in-utc"),
])
def test_an_unrepresentable_timestamp_is_an_invalid_line(timestamp: str) -> None:
    results = reconcile_rows(line(task_id="t0"), line(timestamp=timestamp))
    assert results[1].status == "INVALID_LINE"
    assert results[1].reason.startswith("invoice.csv:3: ")


@pytest.mark.parametrize("charged", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_a_non_finite_charge_never_reaches_the_totals(charged: str) -> None:
    results, summary = reconcile_text(csv_text([line(task_id="", charged=charged)]))
    assert results[0].status == "INVALID_LINE"
    assert results[0].charged is None
    assert summary.total.charged == {}


def test_opposite_infinite_charges_do_not_abort_the_run() -> None:
    results, _ = reconcile_text(csv_text([line(task_id="", charged="Infinity"),
                                          line(task_id="", charged="-Infinity")]))
    assert [r.status for r in results] == ["INVALID_LINE", "INVALID_LINE"]


@pytest.mark.parametrize("charges", [["1E+1000000"], ["9E+999999", "9E+999999"]])
def test_an_absurd_amount_does_not_abort_the_run(charges: list[str]) -> None:
    rows = [line(task_id=f"t{i}", charged=charged) for i, charged in enumerate(charges)]
    assert len(reconcile_rows(*rows)) == len(rows)


def test_an_absurd_input_length_is_an_invalid_line() -> None:
    result = check(model="kling-o3-video-edit", duration="", input_seconds="1E+60",
                   charged="27")
    assert result.status == "INVALID_LINE"


def test_an_underscore_in_an_amount_is_refused_not_guessed() -> None:
    result = check(charged="27_0")
    assert result.status == "INVALID_LINE"
    assert result.charged is None


def test_long_amounts_are_subtracted_and_summed_exactly() -> None:
    # the most an amount may have: 20 decimal places, 16 integer digits (ratecard.numbers)
    charges = ["27.00000000000000000001", "27.00000000000000000001", "9234567890123456.7891"]
    rows = [line(task_id=f"t{i}", charged=charged) for i, charged in enumerate(charges)]
    results, summary = reconcile_text(csv_text(rows))
    assert [r.difference for r in results] == [
        EXACT.subtract(Decimal(charged), Decimal(27)) for charged in charges]
    assert summary.total.charged == {"credits@evolink": exact_sum(Decimal(c) for c in charges)}
