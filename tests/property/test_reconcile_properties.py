"""Properties of reconciliation: lines priced from quotes match, one changed charge is
flagged alone and exactly, results are reproducible, totals are conserved, and mangled
input never crashes the reader nor loses a line."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ratecard.reconcile.readers import InvoiceError
from ratecard.reconcile.reconciler import STATUSES, Reconciler
from tests.reconcile_strategies import (
    ACME_BOUNDARY,
    CATALOG,
    EXACT,
    FIRST_DAY,
    NEW_VERSION,
    OLD_VERSION,
    PROPERTY_SETTINGS,
    PricedLine,
    assert_groups_add_up,
    assert_unpriced_adds_up,
    csv_text,
    exact_sum,
    header_is_usable,
    invoices,
    jsonl_text,
    layouts,
    line,
    mangled,
    parse_amount,
    priced_lines,
    read_text,
    reconcile_text,
    record_starts,
    sound_of,
)

ACME_PLANS = [plan for plan in CATALOG.plans() if plan.provider == "acme"]


def _rows(lines: Sequence[PricedLine]) -> list[dict[str, str]]:
    return [dict(priced.values) for priced in lines]


def _job_status(priced: PricedLine) -> str:
    if priced.succeeded:
        return "succeeded"
    return "cancelled" if priced.values["status"].lower() in ("cancelled", "canceled") \
        else "failed"


def _assert_all_match(lines: Sequence[PricedLine], text: str, name: str) -> None:
    results, summary = reconcile_text(text, name)
    assert len(results) == len(lines)
    first = 2 if name.endswith(".csv") else 1  # a CSV's line 1 is its header
    for number, (priced, result) in enumerate(zip(lines, results, strict=True), start=first):
        where = f"{result.line}: {dict(priced.values)} -> {result}"
        assert result.status == "MATCH", where
        assert (result.source, result.line) == (name, number), where
        assert result.task_id == priced.values["task_id"]
        assert result.currency == priced.currency, where
        assert result.expected == priced.expected, where
        assert result.charged == Decimal(priced.values["charged"]), where
        assert result.difference == 0, where
        assert result.day == priced.day.isoformat(), where
        assert result.job_status == _job_status(priced), where
        assert result.price_version == priced.price_version, where
        assert result.reason == ""
        if priced.values["provider"] == "acme":  # the version in force on the UTC day
            version = OLD_VERSION if priced.day < ACME_BOUNDARY else NEW_VERSION
            assert result.price_version is not None
            assert result.price_version.split(";")[0] == version, where
    assert summary.by_status == {"MATCH": len(lines)}
    assert summary.discrepancies == 0


@PROPERTY_SETTINGS
@given(st.data())
def test_lines_priced_from_quotes_reconcile_to_match(data: st.DataObject) -> None:
    lines = data.draw(invoices())
    layout = data.draw(layouts(lines))
    _assert_all_match(lines, csv_text(_rows(lines), layout), "invoice.csv")


@PROPERTY_SETTINGS
@given(invoices(), st.sets(st.sampled_from(["charged", "duration", "input_seconds"])))
def test_json_lines_priced_from_quotes_reconcile_to_match(
    lines: list[PricedLine], numbers: set[str]
) -> None:
    _assert_all_match(lines, jsonl_text(_rows(lines), numbers), "invoice.jsonl")


@PROPERTY_SETTINGS
@given(priced_lines(plans=ACME_PLANS, failed=False),
       st.lists(st.dates(min_value=date(2025, 12, 1), max_value=date(2026, 8, 31)),
                min_size=2, max_size=8))
def test_the_same_job_on_different_days_is_priced_by_each_day_s_version(
    priced: PricedLine, days: list[date]
) -> None:
    """One job shape on many days around acme's price change (and before its first
    version): each line is priced by the version in force on its own day."""
    rows = []
    for number, day in enumerate(days):
        quote = CATALOG.index.quote(
            priced.values["provider"], priced.values["model"],
            duration=priced.values["duration"] or None,
            input_seconds=priced.values["input_seconds"] or None,
            quality=priced.values["quality"] or None,
            sound=sound_of(priced.values["sound"]), at=day,
            invoiced=True) if day >= FIRST_DAY else None
        charged = "1" if quote is None else str(quote.credits)
        rows.append({**priced.values, "task_id": f"day-{number}", "timestamp": day.isoformat(),
                     "charged": charged, "currency": "credits", "reserved": ""})
    results, _ = reconcile_text(csv_text(rows))
    for day, result in zip(days, results, strict=True):
        if day < FIRST_DAY:
            assert (result.status, result.expected) == ("UNPRICED_DATE", None), result
        else:
            assert result.status == "MATCH", result
            assert result.price_version == (OLD_VERSION if day < ACME_BOUNDARY
                                            else NEW_VERSION), result


@PROPERTY_SETTINGS
@given(invoices(failed=False), st.data())
def test_perturbing_one_charge_flags_exactly_that_line(
    lines: list[PricedLine], data: st.DataObject
) -> None:
    index = data.draw(st.integers(min_value=0, max_value=len(lines) - 1), label="index")
    target = lines[index]
    beyond = data.draw(st.booleans(), label="beyond the tolerance")
    sign = data.draw(st.sampled_from((1, -1)), label="sign")
    # delta = tolerance x tenths / 10, never 0; the edges (exactly the tolerance, a tenth
    # more) drawn as often as the rest
    tenths = data.draw(st.one_of(st.just(11), st.integers(min_value=12, max_value=100_000))
                       if beyond else st.one_of(st.just(10), st.integers(min_value=1,
                                                                           max_value=9)),
                       label="tenths")
    delta = EXACT.divide(EXACT.multiply(target.tolerance, Decimal(sign * tenths)), 10)
    charged = EXACT.add(target.expected, delta)
    rows = _rows(lines)
    rows[index].update(charged=str(charged), reserved="")
    results, summary = reconcile_text(csv_text(rows))

    flagged = results[index]
    assert [r.status for i, r in enumerate(results) if i != index] == \
        ["MATCH"] * (len(lines) - 1)
    if charged < 0:  # taken below zero: a refund, not a charge (README)
        assert (flagged.status, flagged.charged, flagged.expected) == \
            ("INVALID_LINE", charged, None), flagged
        assert f"charged {str(charged)!r} is below 0" in flagged.reason
        return
    if beyond:
        assert flagged.status == ("OVERCHARGE" if sign > 0 else "UNDERCHARGE"), flagged
        assert ("more than the card" if sign > 0 else "less than the card") in flagged.reason
    else:
        assert flagged.status == "ROUNDING_DIFF", flagged
        assert str(target.tolerance) in flagged.reason
    assert flagged.difference == delta
    assert flagged.charged == charged
    assert flagged.expected == target.expected
    assert flagged.currency == target.currency
    assert [r.status for i, r in enumerate(results) if i != index] == \
        ["MATCH"] * (len(lines) - 1)
    assert summary.discrepancies == (1 if beyond else 0)
    unit = "USD" if target.currency == "USD" else f"credits@{target.values['provider']}"
    assert summary.total.difference[unit] == delta


@PROPERTY_SETTINGS
@given(invoices(failed=False), st.data())
def test_reconciling_twice_gives_the_same_results(
    lines: list[PricedLine], data: st.DataObject
) -> None:
    rows = _rows(lines)
    for row in data.draw(st.lists(st.sampled_from(rows), max_size=3), label="perturbed"):
        row["charged"] = str(Decimal(row["charged"]) + 3)
    if data.draw(st.booleans(), label="with a duplicate"):
        rows.append(dict(rows[0]))
    text = csv_text(rows)
    first, first_summary = reconcile_text(text)
    second, second_summary = reconcile_text(text)
    assert first == second
    assert first_summary.groups == second_summary.groups
    assert first_summary.total == second_summary.total
    assert first_summary.by_status == second_summary.by_status
    # and the verdict on a line does not depend on what was reconciled before it
    raw = read_text(text)[:len(lines)]  # distinct task ids: no duplicate to reorder
    backwards = {r.line: r for r in Reconciler(CATALOG).run(reversed(raw))}
    assert [backwards[r.line] for r in first[:len(lines)]] == first[:len(lines)]


# --------------------------------------------------------------------------- totals

JUNK = ("bad number", "missing task", "bad date", "unknown status", "unknown model",
        "short row", "long row", "blank line", "duplicate", "failed but charged",
        "USD at kling3api", "overcharge")


@PROPERTY_SETTINGS
@given(invoices(failed=False), st.data())
def test_totals_are_conserved(lines: list[PricedLine], data: st.DataObject) -> None:
    """One result per data line (header excluded, malformed included); the charged total
    per currency is the sum of every parseable charged amount of the input; the groups add
    up to the total."""
    layout = data.draw(layouts(lines), label="layout")
    records: list[tuple[str, str | None, str | None]] = []
    """(the line's text, its charged text, the currency it is counted in)"""

    def row_text(values: dict[str, str], extra: Sequence[str] = ()) -> str:
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(
            [values.get(c, "") for c in layout] + list(extra))
        return out.getvalue()

    def add(values: dict[str, str]) -> None:
        # amounts add up per unit: USD, or one provider's credits
        currency = "USD" if values["currency"].lower() == "usd" else \
            f"credits@{values['provider']}"
        records.append((row_text(values), values["charged"], currency))

    for priced in lines:
        add(dict(priced.values))
    kinds = data.draw(st.lists(st.sampled_from(JUNK), max_size=10), label="junk")
    for number, kind in enumerate(kinds):
        base = dict(data.draw(st.sampled_from(lines)).values)
        values = {**base, "task_id": f"junk-{number}"}
        at = data.draw(st.integers(min_value=0, max_value=len(records)))
        if kind == "bad number":
            values["charged"] = "27,0"  # quoted by the writer: one field, not a number
        elif kind == "missing task":
            values["task_id"] = ""
        elif kind == "bad date":
            values["timestamp"] = "2026-13-45"
        elif kind == "unknown status":
            values["status"] = "paid"
        elif kind == "unknown model":
            values["model"] += "-x"
        elif kind == "duplicate":
            values["task_id"] = base["task_id"]
        elif kind == "failed but charged":
            values.update(status="failed", charged="1.5")
        elif kind == "USD at kling3api":
            values = line(task_id=f"junk-{number}", provider="kling3api",
                          model="pro-text-to-video", quality="", sound="", charged="3.50",
                          currency="USD")
        elif kind == "overcharge":
            values["charged"] = str(Decimal(values["charged"]) + 1000)
        if kind == "short row":
            records.insert(at, ("junk,broken", None, None))
        elif kind == "long row":  # cut wrong: no field of it is counted anywhere
            records.insert(at, (row_text(values, ["surplus"]), None, None))
        elif kind == "blank line":
            records.insert(at, ("", None, None))
        else:
            add(values)
            records.insert(at, records.pop())
    header = io.StringIO()
    csv.writer(header, lineterminator="").writerow(layout)
    text = "\n".join([header.getvalue(), *(record for record, _, _ in records)]) + "\n"

    results, summary = reconcile_text(text)
    assert [r.line for r in results] == list(range(2, len(records) + 2))
    assert summary.total.lines == len(records) == len(text.splitlines()) - 1
    expected: dict[str, Decimal] = {}
    for _, charged, currency in records:
        amount = parse_amount(charged)
        if amount is not None and currency is not None:
            expected[currency] = exact_sum([expected.get(currency, Decimal(0)), amount])
    assert summary.total.charged == expected
    assert_groups_add_up(summary)
    assert_unpriced_adds_up(summary, results)


# --------------------------------------------------------------------------- mangled input


@PROPERTY_SETTINGS
@given(st.data())
def test_fuzzed_and_truncated_csv_never_crashes_nor_loses_a_line(data: st.DataObject) -> None:
    lines = data.draw(invoices(max_size=6, unix=False, scientific=False), label="lines")
    text = data.draw(mangled(csv_text(_rows(lines), data.draw(layouts(lines)))), label="text")
    try:
        results, summary = reconcile_text(text, "fuzz.csv")
    except InvoiceError:
        # the only refusal: the header row itself was destroyed
        assert not header_is_usable(text), "refused a file whose header is intact"
        return
    assert header_is_usable(text), "read a file without the required header"
    starts = record_starts(text)
    assert [r.line for r in results] == starts  # one result for each record, in order
    assert len({(r.source, r.line) for r in results}) == len(results)
    assert summary.total.lines == len(results)
    for result in results:
        assert result.source == "fuzz.csv"
        assert result.status in STATUSES
        if result.status == "INVALID_LINE":
            assert result.reason.startswith(f"fuzz.csv:{result.line}: "), result
    for amounts in (summary.total.charged, summary.total.expected, summary.total.difference):
        assert all(value.is_finite() for value in amounts.values())
    assert_groups_add_up(summary)
    assert_unpriced_adds_up(summary, results)


JSONL_CHUNKS = ("{", "}", '"', ",", ":", "\n", "\n\n", " ", "[", "]", "x", "9", "\x00", "é")
"""What the JSON Lines fuzzer inserts (no lone carriage return: see
test_invoice_readers.test_json_lines_split_lines_on_line_feeds_only)."""


@PROPERTY_SETTINGS
@given(st.data())
def test_mangled_json_lines_keep_one_result_per_line(data: st.DataObject) -> None:
    lines = data.draw(invoices(max_size=6, unix=False, scientific=False), label="lines")
    numbers = data.draw(st.sets(st.sampled_from(["charged", "duration"])), label="numbers")
    text = data.draw(mangled(jsonl_text(_rows(lines), numbers), JSONL_CHUNKS), label="text")
    results, summary = reconcile_text(text, "fuzz.jsonl")
    physical = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    assert [r.line for r in results] == list(range(1, physical + 1))
    assert summary.total.lines == physical
    for result in results:
        assert result.status in STATUSES
        if result.status == "INVALID_LINE":
            assert result.reason.startswith(f"fuzz.jsonl:{result.line}: "), result
    assert_groups_add_up(summary)


@pytest.mark.parametrize("cut", [0, 1, 40])
def test_a_file_cut_inside_its_header_is_refused_not_misread(cut: int) -> None:
    text = csv_text([line()])[:cut]
    assert not header_is_usable(text)
    with pytest.raises(InvoiceError):
        reconcile_text(text)
