"""A number in a field ratecard does not read is passed on as it is, and written back
short: ``"zz": 1e100000`` in a 92-byte body crashed ``route --payload`` (Python refuses
to write a whole number of more than 4300 digits), ``1e10000000`` ran for minutes, and
``1e-3000000`` printed a 3 MB body. NaN and infinities, which JSON text cannot carry, are
refused in a Python object body instead of being written as ``NaN``."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ratecard
from ratecard import PayloadError
from ratecard.cli import main
from ratecard.payloads.translate import dumps

CARD = ratecard.load()
BODY = '{"model":"kling-v3-text-to-video","prompt":"x","duration":5,"quality":"720p","zz":%s}'


@pytest.mark.parametrize("number", ["1e100000", "1e10000000", "-1E+999999", "1e-3000000",
                                    "123456789012345678901234567890123456789012"])
def test_route_passes_an_unread_number_on_and_prints_it_short(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], number: str) -> None:
    path = tmp_path / "body.json"
    path.write_text(BODY % number, encoding="utf-8")
    assert main(["route", "--payload", str(path), "--provider", "evolink"]) == 0
    out = capsys.readouterr().out
    written = next(line.strip() for line in out.splitlines() if '"zz"' in line)
    assert len(written) < 200
    assert Decimal(json.loads(written, parse_float=Decimal, parse_int=Decimal)["zz"]) == \
        Decimal(number)


def test_the_body_sent_holds_the_number_exactly() -> None:
    result = CARD.route_payload(BODY % "1e100000", source="evolink")
    assert result.head is not None
    assert result.head.body["zz"] == Decimal("1E+100000")
    assert dumps(result.head.body).endswith('"zz": 1E+100000}')


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), Decimal("NaN"),
                                   Decimal("sNaN"), Decimal("-Infinity"), 10**5000],
                         ids=["nan", "inf", "-inf", "Decimal-NaN", "sNaN", "-Infinity",
                              "5001-digits"])
def test_a_python_body_holding_what_json_cannot_is_refused(value: Any) -> None:
    body = {"model": "kling-v3-text-to-video", "prompt": "x", "duration": 5,
            "quality": "720p", "extra": {"zz": [value]}}
    for call in (lambda: CARD.route_payload(body, source="evolink"),
                 lambda: CARD.quote_payload("evolink", body)):
        with pytest.raises(PayloadError) as caught:
            call()
        [violation] = caught.value.violations
        assert violation.code == "INVALID_BODY"
