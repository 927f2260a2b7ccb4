"""Messages write numbers in plain digits, as every other output does.

Errors and warnings built from a Decimal once printed it with ``str``: a bound as
``1E+16``, a tolerance of ``1e-19`` as ``1E-19``, a card's ``1e2`` as ``1E+2``, while the
quotes, tables and CSV beside them write ``10000000000000000`` and ``0.0000000000000000001``.
A value the caller typed is still quoted as typed (``'1e16'``)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

import ratecard
from ratecard import CardError
from ratecard.batch.rates import RatesError, _fits
from ratecard.cli import main
from ratecard.numbers import AMOUNT, CARD_RATE, SECONDS, NumberError, read_number
from ratecard.reconcile.tolerance import Tolerance, ToleranceError

EXPONENT = re.compile(r"[0-9]E[+-]?[0-9]")
"""A number in exponent form, as ``str(Decimal)`` writes it (``1E+16``, ``1E-19``)."""

EVOLINK = Path(__file__).resolve().parents[1] / "pricing_tables" / "evolink.yaml"


def plain_message(text: str) -> str:
    assert not EXPONENT.search(text), text
    return text


@pytest.mark.parametrize(("value", "bounds", "expected"), [
    ("1e16", SECONDS, "duration '1e16' is not a plausible number of seconds "
                      "(it must be below 10000000000)"),
    (Decimal("1E+16"), SECONDS, "duration 10000000000000000 is not a plausible number of "
                                "seconds (it must be below 10000000000)"),
    (Decimal("1E+17"), AMOUNT, "duration 100000000000000000 is not a plausible amount "
                               "(it must be below 10000000000000000)"),
    (10**17, AMOUNT, "duration 100000000000000000 is not a plausible amount "
                     "(it must be below 10000000000000000)"),
    (Decimal("1E-19"), SECONDS, "duration 0.0000000000000000001 has more than 9 decimal "
                                "places"),
])
def test_a_bound_and_a_decimal_read_are_written_in_plain_digits(
        value: object, bounds: object, expected: str) -> None:
    with pytest.raises(NumberError) as caught:
        read_number(value, bounds, "duration")  # type: ignore[arg-type]
    assert plain_message(str(caught.value)) == expected


def test_an_absurd_decimal_is_still_quoted_short() -> None:
    """Plain digits only where they are short: 1E+400 is not written with 400 zeros."""
    with pytest.raises(NumberError) as caught:
        read_number(Decimal("1E+400"), SECONDS, "duration")
    assert str(caught.value).startswith("duration 1E+400 is not a plausible")


def test_a_bare_tolerance_is_echoed_in_plain_digits() -> None:
    with pytest.raises(ToleranceError) as caught:
        Tolerance.parse(["1e-19"])
    assert plain_message(str(caught.value)).startswith(
        "--tolerance 0.0000000000000000001: say which currency it is in, e.g. --tolerance "
        "credits=0.0000000000000000001 or --tolerance USD=0.0000000000000000001")


def test_a_credit_value_of_zero_written_with_an_exponent(
        capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["quote", "--provider", "kling3api", "--model", "std-text-to-video",
                   "--duration", "5", "--credits-per-usd", "kling3api=0e5"])
    assert status == 2
    err = plain_message(capsys.readouterr().err)
    assert "--credits-per-usd must be more than 0, not 0\n" in err


def test_the_rates_table_writes_a_value_beyond_its_bounds_plainly() -> None:
    with pytest.raises(RatesError) as caught:
        _fits(Decimal("1E+12"), CARD_RATE, "x.yaml: gen", "credits_per_usd")
    assert plain_message(str(caught.value)) == (
        "x.yaml: gen: credits_per_usd 1000000000000: the SQL engines take it below "
        "1000000000 with at most 8 decimal places")


CARD_CASES = [
    ("precision", [("precision: 0.0001", "precision: 1e2")],
     "precision must be a power of ten from 1 down, such as 1 or 0.01, not 100"),
    ("multiplied-rate", [("per_second: 5.4", "per_second: 1e8"), ("on: 2.0}", "on: 1e1}")],
     "per_second 100000000 x 10 is a rate of 1000000000: the SQL engines take a rate below "
     "1000000000 with at most 8 decimal places"),
    ("multiplied-places", [("per_second: 5.4", "per_second: 1e-8")],
     "per_second 0.00000001 x 1.5 is a rate of 0.000000015"),
    ("fps-order", [("min_fps: 24", "min_fps: 1e2"), ("max_fps: 60", "max_fps: 1e1")],
     "(10) must not be below min_fps (100)"),
    ("number-date", [("effective_from: null", "effective_from: 1e5")],
     "100000 is not a date: write it as YYYY-MM-DD"),
    ("rate-too-large", [("per_second: 5.4", "per_second: 1e12")],
     "value '1e12' is not a plausible rate card number (it must be below 1000000000)"),
    ("price-too-fine", [("per_second: 5.4", "per_second: 1e-9")],
     "0.000000001 has more than 8 decimal places: the SQL engines take a rate with at most 8"),
]


@pytest.mark.parametrize(("edits", "message"), [case[1:] for case in CARD_CASES],
                         ids=[case[0] for case in CARD_CASES])
def test_a_card_problem_writes_its_numbers_plainly(
        tmp_path: Path, edits: list[tuple[str, str]], message: str) -> None:
    text = EVOLINK.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "evolink.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CardError) as caught:
        ratecard.load(path, builtin=False, cache=False)
    messages = [plain_message(problem.message) for problem in caught.value.problems]
    assert any(message in m for m in messages), messages
