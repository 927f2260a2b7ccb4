"""Numbers are written in plain digits in every output: ``str(Decimal)`` wrote a
difference of one part in 10^19 as ``1E-19`` and ten seconds read from ``1e1`` as
``1E+1``, which a spreadsheet or a reader of the CSV takes for text or misreads.

EvoLink Kling 3.0 image to video at 720p without sound is 5.4 credits/s (seed 001): 10 s
is 54 credits, 5 s is 27."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ratecard.cli import main
from ratecard.reconcile.writers import plain_rows

LINES = ("task_id,provider,model,timestamp,duration,charged,currency,status\n"
         "t1,evolink,kling-v3-image-to-video,2026-11-01,1e1,54,credits,succeeded\n"
         "t2,evolink,kling-v3-image-to-video,2026-11-01,5,27.0000000000000000001,credits,"
         "succeeded\n")
PLAIN = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def invoice(tmp_path: Path) -> Path:
    path = tmp_path / "march.csv"
    path.write_text(LINES, encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_reconcile_writes_a_tiny_difference_in_digits(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str) -> None:
    out = tmp_path / f"results{suffix}"
    main(["reconcile", str(invoice(tmp_path)), "--out", str(out)])
    text = out.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text))) if suffix == ".csv" else \
        [json.loads(line) for line in text.splitlines()]
    assert [r["difference"] for r in rows] == ["0.0000", "0.0000000000000000001"]
    for row in rows:
        for name in ("expected", "charged", "difference"):
            assert PLAIN.fullmatch(row[name]), (name, row[name])
    summary = capsys.readouterr().out
    assert "E-" not in summary


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".txt"])
def test_whatif_writes_seconds_in_digits(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"lines{suffix}"
    main(["whatif", str(invoice(tmp_path)), "--out", str(out)])
    text = out.read_text(encoding="utf-8")
    assert "1E+1" not in text
    if suffix == ".csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [(r["seconds"], r["amount"]) for r in rows] == [("10", "54.0000"),
                                                               ("5", "27.0000")]


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**15,
                   max_value=10**15, places=None).filter(lambda d: d.adjusted() > -30))
def test_plain_rows_keeps_the_value_and_drops_the_exponent(value: Decimal) -> None:
    [row] = list(plain_rows([("x", value, None)], [1, 2]))
    text = row[1] if isinstance(row[1], str) else str(row[1])
    assert PLAIN.fullmatch(text), text
    assert Decimal(text) == value
    assert row[2] is None


def test_whatif_parquet_keeps_every_decimal_place_of_the_charge(tmp_path: Path) -> None:
    """The charge was written as DECIMAL(38,10): 0.559999999999 became 0.5600000000
    without a word. fal v3 pro image to video, 5 s without audio at 0.112 USD/s
    (market-prices.md): 0.56 USD."""
    duckdb = pytest.importorskip("duckdb")
    usage = tmp_path / "usage.csv"
    usage.write_text("task_id,provider,model,timestamp,duration,quality,sound,charged,"
                     "currency,status\n"
                     "p1,fal,v3-pro-image-to-video,2026-11-01,5,1080p,off,0.559999999999,USD,"
                     "succeeded\n"
                     "p2,fal,v3-pro-image-to-video,2026-11-01,5,1080p,off,"
                     "12345678901234.00000000000000000001,USD,succeeded\n",
                     encoding="utf-8")
    out = tmp_path / "lines.parquet"
    assert main(["whatif", str(usage), "--out", str(out)]) == 0
    rows = duckdb.connect().execute(f"SELECT charged, amount FROM '{out}'").fetchall()
    assert rows == [(Decimal("0.559999999999"), Decimal("0.56")),
                    (Decimal("12345678901234.00000000000000000001"), Decimal("0.56"))]
