"""One bounded reader for every number that enters (issue "Nothing lost, nothing guessed,
nothing let in", section Numbers): each surface refuses absurd numbers quickly, with a
short message and a documented error, never a crash, a hang or a gigabyte."""

from __future__ import annotations

import decimal
import json
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ratecard
from ratecard import CardError, PayloadError, QuoteError
from ratecard.numbers import AMOUNT, CARD_NUMBER, COUNT, SECONDS, NumberError, read_number
from ratecard.pricing.index import PriceIndex, unquotable
from tests.bounded import bounded
from tests.strategies import CATALOG, PROPERTY_SETTINGS

ROOT = Path(__file__).resolve().parent.parent
ABSURD = ["1e-999999999", "1e999999999", "9E+999999", "0E-1000000", "0E+1000000",
          "1" * 5000, "0." + "0" * 5000 + "1", "-1e999999999"]
"""Numbers whose exact value is enormous, or enormously precise, to write."""
SHORT = 300
"""The longest message a refused number may produce (the value quoted, truncated)."""


# --------------------------------------------------------------------------- the reader

@pytest.mark.parametrize(("text", "kind", "value"), [
    ("7.4", SECONDS, Decimal("7.4")),
    (" 10 ", SECONDS, Decimal("10")),
    ("27.0000", AMOUNT, Decimal("27.0000")),
    ("0.000001", AMOUNT, Decimal("0.000001")),
    ("9999999999999999", AMOUNT, Decimal("9999999999999999")),
    # zeros ending the places (a typed DECIMAL(38,20) column's scale) are no digits
    ("9999999999999999.50000000000000000000", AMOUNT, Decimal("9999999999999999.5")),
    ("1234567890123456.0000000000000000000", AMOUNT, Decimal("1234567890123456")),
    ("72", CARD_NUMBER, Decimal("72")),
    ("12", COUNT, Decimal("12")),
])
def test_plain_numbers_are_read_exactly(text: str, kind: Any, value: Decimal) -> None:
    got = read_number(text, kind, "x")
    assert got == value
    assert str(got) == str(value)


@pytest.mark.parametrize(("value", "problem"), [
    ("1e-999999999", "places"), ("1e999999999", "magnitude"), ("0E+1000000", "magnitude"),
    ("0E-1000000", "places"), ("1" * 5000, "length"), ("27_0", "syntax"), ("abc", "syntax"),
    ("NaN", "finite"), ("-Infinity", "finite"), (True, "type"), ([1], "type"),
    pytest.param(10 ** 5000, "magnitude", id="int-5001-digits"), (1e300, "magnitude"),
    ("10000000000000000", "magnitude"),
    ("0.000000000000000000001", "places"), ("1.5", "places"),
    ("1234567890123456.1234567890123456789", "digits"),
])
def test_absurd_values_are_refused_by_the_rule_they_break(value: object, problem: str) -> None:
    kind = COUNT if value == "1.5" else AMOUNT
    with pytest.raises(NumberError) as caught:
        read_number(value, kind, "charged")
    assert caught.value.problem == problem
    assert len(str(caught.value)) < SHORT


@given(st.decimals(allow_nan=True, allow_infinity=True)
       | st.integers() | st.floats() | st.text(max_size=300))
@PROPERTY_SETTINGS
def test_any_value_is_read_within_bounds_or_refused(value: object) -> None:
    try:
        got = read_number(value, SECONDS, "duration")
    except NumberError as exc:
        message = str(exc)
    else:
        message = ""
        assert got.is_finite()
        assert abs(got) < Decimal(10) ** 10
        assert len(format(got, "f")) <= 10 + 1 + 9 + 31  # sign, integers, point, places
    assert len(message) < SHORT, message


# --------------------------------------------------------------------------- the API

@pytest.mark.parametrize("text", ABSURD, ids=range(len(ABSURD)))
def test_a_quote_refuses_absurd_seconds_with_a_short_message(text: str) -> None:
    with bounded(), pytest.raises(QuoteError) as caught:
        CATALOG.quote("evolink", "kling-o3-video-edit", input_seconds=text)
    assert caught.value.code == "INVALID_DURATION"
    assert len(str(caught.value)) < SHORT


@pytest.mark.parametrize("text", ABSURD, ids=range(len(ABSURD)))
def test_needs_budgets_and_credit_values_refuse_absurd_numbers(text: str) -> None:
    with bounded():
        with pytest.raises(QuoteError) as need:
            ratecard.Need(family="kling-3.0", mode="text-to-video", duration=text)
        need_ok = ratecard.Need(family="kling-3.0", mode="text-to-video", duration=5)
        with pytest.raises(QuoteError) as budget:
            CATALOG.route(need_ok, max_usd=text)
        with pytest.raises(QuoteError) as credit:
            CATALOG.with_credit_value("kling3api", text.lstrip("-"))
    for error in (need.value, budget.value, credit.value):
        assert len(str(error)) < SHORT


@pytest.mark.parametrize("text", ABSURD, ids=range(len(ABSURD)))
def test_a_body_with_absurd_numbers_gives_violations_not_exceptions(text: str) -> None:
    number = Decimal(text)
    bodies = [
        ("evolink", {"model": "kling-v3-text-to-video", "prompt": "x", "duration": number}),
        ("evolink", {"model": "kling-v3-text-to-video", "prompt": "x", "duration": 10,
                     "model_params": {"multi_shot": True, "shot_type": "customize",
                                      "multi_prompt": [
                                          {"index": number, "prompt": "a", "duration": number},
                                          {"index": 2, "prompt": "b", "duration": number}]}}),
        ("kling3api", {"type": "pro-text-to-video", "prompt": "x", "duration": number,
                       "cfg_scale": number}),
    ]
    for provider, body in bodies:
        with bounded():
            violations = CATALOG.check_payload(provider, body)
        assert violations, body
        assert all(len(v.message) < SHORT for v in violations)


@pytest.mark.parametrize("text", ["9E+999999", "1e400000", "-1e999999999", "1e-999999999"])
def test_a_task_record_with_absurd_numbers_is_a_payload_error(text: str) -> None:
    task = {"id": "t", "model": "kling-v3-image-to-video", "status": "pending",
            "created": Decimal(text), "task_info": {"video_duration": Decimal(text)},
            "usage": {"credits_reserved": Decimal(text)}}
    with bounded(), pytest.raises(PayloadError) as caught:
        CATALOG.read_task("evolink", task)
    assert all(len(v.message) < SHORT for v in caught.value.violations)


def test_the_callers_decimal_context_changes_nothing() -> None:
    need = ratecard.Need(family="kling-3.0", mode="image-to-video", quality="1080p",
                         sound=True, duration=7)
    expected = ([(r.model, r.price, r.usd) for r in CATALOG.offerings()],
                [(c.provider, c.usd) for c in CATALOG.route(need).chain])
    hostile = decimal.Context(prec=3, rounding=decimal.ROUND_FLOOR,
                              traps=[decimal.Inexact, decimal.Rounded])
    with decimal.localcontext(hostile):
        got = ([(r.model, r.price, r.usd) for r in CATALOG.offerings()],
               [(c.provider, c.usd) for c in CATALOG.route(need).chain])
        quote = CATALOG.quote("evolink", "kling-o1-video-edit", input_seconds="7.4")
    assert got == expected
    assert (quote.credits, quote.usd) == (Decimal("88.8000"), Decimal("1.233333"))


def test_shot_durations_are_summed_exactly() -> None:
    """Two shots of 2.5 + 2.5000000000000000000000000001 s do not add up to 5 s (28 digits
    of the default context would say they do)."""
    body = {"model": "kling-v3-text-to-video", "prompt": "x", "duration": 5,
            "model_params": {"multi_shot": True, "shot_type": "customize", "multi_prompt": [
                {"index": 1, "prompt": "a", "duration": Decimal("2.5")},
                {"index": 2, "prompt": "b", "duration": Decimal("2.500000001")}]}}
    codes = [v.code for v in CATALOG.check_payload("evolink", body)]
    assert "SHOT_DURATION_MISMATCH" in codes or "INVALID_DURATION" in codes


# --------------------------------------------------------------------------- the cards

def _card_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (ROOT / "pricing_tables" / "krea.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "krea.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("new", ["1e999999999", "1e-999999999", "1" + "0" * 5000,
                                 '"1e999999999"', "0E+1000000"], ids=range(5))
def test_a_card_number_out_of_bounds_is_a_card_error_with_its_line(tmp_path: Path,
                                                                    new: str) -> None:
    path = _card_with(tmp_path, "{off: 0.1764,", "{off: " + new + ",")
    with bounded(), pytest.raises(CardError) as caught:
        ratecard.load(path, builtin=False, cache=False)
    problem = caught.value.problems[0]
    assert problem.file == str(path)
    assert problem.line is not None
    assert len(problem.message) < SHORT


def test_a_huge_credit_value_is_refused_by_lint_quickly(tmp_path: Path) -> None:
    text = (ROOT / "pricing_tables" / "evolink.yaml").read_text(encoding="utf-8")
    old = "credits_per_usd: 72"
    assert old in text
    path = tmp_path / "evolink.yaml"
    path.write_text(text.replace(old, "credits_per_usd: 1e999999999", 1), encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", "import sys; from ratecard.cli import main; "
                             "sys.exit(main())", "lint", str(path)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert f"{path}:" in result.stdout
    assert "Traceback" not in result.stderr


def test_lint_finds_an_offering_the_engine_cannot_quote() -> None:
    """The check behind "a card that lints is a card that quotes" can fail: a plan whose
    rate has 60 significant digits (which no card can declare) does not quote exactly."""
    plan = CATALOG.plan("evolink", "kling-o3-video-edit")
    cells = {key: tuple(replace(cell, unit_rate=Decimal("9." + "9" * 59)) for cell in versions)
             for key, versions in plan.cells.items()}
    broken = replace(plan, cells=cells)
    index = PriceIndex({(plan.provider, plan.model): broken}, CATALOG.files)
    problems = unquotable(index)
    assert problems
    assert all("kling-o3-video-edit" in p for p in problems)
    assert unquotable(CATALOG.index) == []


def test_the_command_line_refuses_an_absurd_duration_in_one_short_line() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from ratecard.cli import main; sys.exit(main())",
         "quote", "--provider", "evolink", "--model", "kling-v3-image-to-video",
         "--duration", "1e-999999999"], capture_output=True, text=True, timeout=60,
        check=False)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr) < SHORT
    assert result.stderr.startswith("ratecard: error: --duration")


def test_json_bodies_keep_numbers_exact_and_bounded() -> None:
    text = json.dumps({"type": "pro-text-to-video", "prompt": "x"})[:-1] + \
        ', "duration": 1e-999999999}'
    with bounded():
        violations = CATALOG.check_payload("kling3api", text)
    assert [v.code for v in violations] == ["INVALID_NUMBER"]
