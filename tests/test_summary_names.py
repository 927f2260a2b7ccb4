"""Names from the invoice are shown, never read as structure: a provider or model cannot
draw a row of its own in a table (a line feed is written ``\\n``), cannot pass for
another amount in a unit (``credits@"x; 1000000 USD"``), and cannot pass for the total
row (``"TOTAL"``)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from ratecard.cli import main

HEADER = "task_id,provider,model,timestamp,duration,quality,sound,charged,currency,status\n"
SPOOF = (HEADER
         + "s1,evolink,kling-v3-image-to-video,2026-11-01,5,720p,off,27.0000,credits,succeeded\n"
         + "s2,x; 1000000 USD,m,2026-11-01,5,720p,off,0,credits,succeeded\n"
         + "s3,TOTAL,,2026-11-01,5,720p,off,5,USD,succeeded\n")
FORGED_ROW = "TOTAL                 1        999 USD"
LINE_FEED = HEADER + f'x1,"evil\n{FORGED_ROW}",m,2026-11-01,5,720p,off,12,credits,succeeded\n'


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATECARD_NO_CACHE", "1")


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, *argv: str) -> str:
    path = tmp_path / "invoice.csv"
    path.write_text(text, encoding="utf-8")
    main([argv[0], str(path), *argv[1:]])
    return capsys.readouterr().out


@pytest.mark.parametrize("argv", [("reconcile",), ("reconcile", "--out", "{tmp}/r.txt"),
                                  ("whatif", "--out", "{tmp}/w.txt")])
def test_a_line_feed_in_a_provider_never_draws_a_row(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> None:
    argv = tuple(a.format(tmp=tmp_path) for a in argv)
    out = _run(tmp_path, capsys, LINE_FEED, *argv)
    texts = [out] + [Path(a).read_text(encoding="utf-8") for a in argv if a.endswith(".txt")]
    for text in texts:
        assert not any(row.startswith(FORGED_ROW) for row in text.splitlines()), text
        assert "evil\\nTOTAL" in text


def test_a_line_feed_in_a_unit_is_written_as_an_escape(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(tmp_path, capsys, LINE_FEED, "reconcile", "--format", "json")
    total = json.loads(out)["rows"][-1]
    assert total["charged"] == {f'credits@"evil\\n{FORGED_ROW}"': "12"}


def test_reconcile_csv_summary_quotes_a_provider_that_reads_as_structure(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(tmp_path, capsys, SPOOF, "reconcile", "--format", "csv")
    assert list(csv.reader(io.StringIO(out))) == [
        ["provider", "model", "status", "lines", "charged", "expected", "difference",
         "unpriced_lines", "unpriced_charged", "untotalled_lines"],
        ['"TOTAL"', "?", "INVALID_LINE", "1", "5 USD", "", "", "1", "5 USD", "0"],
        ["evolink", "kling-v3-image-to-video", "MATCH", "1", "27.0000 credits@evolink",
         "27.0000 credits@evolink", "0.0000 credits@evolink", "0", "", "0"],
        ["x; 1000000 USD", "m", "UNKNOWN_OFFERING", "1", '0 credits@"x; 1000000 USD"', "", "",
         "1", '0 credits@"x; 1000000 USD"', "0"],
        ["TOTAL", "", "", "3", '5 USD; 0 credits@"x; 1000000 USD"; 27.0000 credits@evolink',
         "27.0000 credits@evolink", "0.0000 credits@evolink", "2",
         '5 USD; 0 credits@"x; 1000000 USD"', "0"]]


def test_reconcile_json_summary_has_one_total_row(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = json.loads(_run(tmp_path, capsys, SPOOF, "reconcile", "--format", "json"))["rows"]
    assert [row["provider"] for row in rows] == ['"TOTAL"', "evolink", "x; 1000000 USD",
                                                 "TOTAL"]
    assert rows[-1]["charged"] == {"USD": "5", 'credits@"x; 1000000 USD"': "0",
                                   "credits@evolink": "27.0000"}


def test_reconcile_table_note_quotes_the_unit(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(tmp_path, capsys, SPOOF, "reconcile")
    assert ('TOTAL charged includes 5 USD; 0 credits@"x; 1000000 USD" on 2 lines with no '
            "expected amount (INVALID_LINE 1, UNKNOWN_OFFERING 1)") in out


def test_whatif_charged_line_quotes_the_unit(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(tmp_path, capsys, SPOOF, "whatif")
    assert out.splitlines()[1] == ('charged:      0 "x; 1000000 USD" credits; 5 USD; '
                                   "27.0000 evolink credits")


def test_whatif_csv_and_json_quote_the_unit(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = list(csv.reader(io.StringIO(_run(tmp_path, capsys, SPOOF, "whatif", "--format",
                                            "csv"))))
    assert rows[2] == ["total", "charged", "", "", "", "", "", "",
                       '0 "x; 1000000 USD" credits; 5 USD; 27.0000 evolink credits']
    data = json.loads(_run(tmp_path, capsys, SPOOF, "whatif", "--format", "json"))
    assert data["charged"] == {'"x; 1000000 USD" credits': "0", "USD": "5",
                               "evolink credits": "27.0000"}


CURRENCY_SPOOF = (HEADER
                  + "c1,evolink,kling-v3-image-to-video,2026-11-01,5,720p,off,9,"
                  + '"EUR; 1000000 USD",succeeded\n'
                  + "c2,evolink,kling-v3-image-to-video,2026-11-01,5,720p,off,4,EUR,succeeded\n")


def test_whatif_quotes_a_currency_word_it_does_not_read(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A currency word ratecard does not read keeps a total of its own, under that word:
    written as it was, ``EUR; 1000000 USD`` read as a million USD."""
    out = _run(tmp_path, capsys, CURRENCY_SPOOF, "whatif")
    assert out.splitlines()[1] == ('charged:      9 evolink "EUR; 1000000 USD"; '
                                   '4 evolink EUR')
    data = json.loads(_run(tmp_path, capsys, CURRENCY_SPOOF, "whatif", "--format", "json"))
    assert data["charged"] == {'evolink "EUR; 1000000 USD"': "9", "evolink EUR": "4"}
