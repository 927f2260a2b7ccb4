"""``ratecard reconcile``: exit status 0 (every line MATCH or ROUNDING_DIFF), 1
(discrepancies), 2 (unusable input, one line on stderr); ``--out``, ``--format``,
``--tolerance``, ``--column`` and ``--tables``."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from ratecard.cli import main
from ratecard.reconcile.readers import COLUMNS
from ratecard.reconcile.writers import FIELDS
from tests.reconcile_strategies import (
    acme_path,
    csv_text,
    exact_sum,
    jsonl_text,
    line,
    reconcile_text,
)

GOOD = [line(), line(task_id="t2", charged="27.0001"),
        line(task_id="t3", provider="kling3api", model="pro-text-to-video", quality="",
             sound="", charged="401")]
"""MATCH, ROUNDING_DIFF (evolink's 0.0001) and ROUNDING_DIFF (kling3api's 1 credit)."""

MIXED = [line(), line(task_id="t2", charged="30"), line(task_id="t3", charged="27,0"),
         line(task_id="t2"), line(task_id="t4", status="failed", currency="USD",
                                  charged="0.375")]
"""MATCH, OVERCHARGE, INVALID_LINE, DUPLICATE_TASK, CHARGED_FOR_FAILED."""


@pytest.fixture(autouse=True)
def _no_compiled_catalog_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI loads its catalog itself: keep it away from any user's cache."""
    monkeypatch.setenv("RATECARD_NO_CACHE", "1")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _invoice(tmp_path: Path, rows: list[dict[str, str]], name: str = "invoice.csv") -> Path:
    return _write(tmp_path / name, csv_text(rows))


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("ratecard: error: ")
    return lines[0]


# --------------------------------------------------------------------------- exit status


def test_exit_0_when_every_line_matches_or_is_a_rounding_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["reconcile", str(_invoice(tmp_path, GOOD))]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "3 lines: MATCH 1, ROUNDING_DIFF 2"


def test_exit_1_when_there_are_discrepancies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["reconcile", str(_invoice(tmp_path, MIXED))]) == 1
    assert capsys.readouterr().out.splitlines()[-2:] == [
        # TOTAL charged has the duplicate's 27 credits, which expected and difference
        # leave out: said, not left for the reader to find
        "TOTAL charged includes 27.0000 credits@evolink on 2 lines with no expected "
        "amount (DUPLICATE_TASK 1, INVALID_LINE 1); expected and difference cover the "
        "other 3 lines",
        "5 lines: CHARGED_FOR_FAILED 1, DUPLICATE_TASK 1, INVALID_LINE 1, MATCH 1, "
        "OVERCHARGE 1"]


def test_exit_2_for_a_missing_file_with_one_line_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.csv"
    assert main(["reconcile", str(missing)]) == 2
    assert _one_error_line(capsys) == f"ratecard: error: no such invoice file: {missing}"


@pytest.mark.parametrize("command", ["reconcile", "whatif"])
@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_path_that_is_not_a_file_says_what_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, engine: str
) -> None:
    """A directory, a device or a link to nothing was reported as "no such file"."""
    broken = tmp_path / "broken.csv"
    broken.symlink_to(tmp_path / "gone.csv")
    usage = "invoice" if command == "reconcile" else "usage"
    for path, message in (
            (tmp_path, f"{tmp_path} is a directory: give the {usage} files in it"),
            (Path("/dev/null"), "/dev/null is not a regular file (a device or a pipe): give a "
                                "file, or - to read standard input"),
            (broken, f"no such {usage} file: {broken} (a link to nothing)")):
        assert main([command, str(path), "--engine", engine]) == 2
        assert _one_error_line(capsys) == f"ratecard: error: {message}"


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_utf16_file_is_named_as_such(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       engine: str) -> None:
    """Excel's "Unicode Text" is UTF-16: it was read as one garbled header full of NULs."""
    path = tmp_path / "unicode.csv"
    path.write_bytes(csv_text(GOOD).encode("utf-16"))  # with its byte-order mark
    assert main(["reconcile", str(path), "--engine", engine]) == 2
    assert _one_error_line(capsys) == (
        f"ratecard: error: {path}: the file is UTF-16 text (it starts with a UTF-16 "
        "byte-order mark); ratecard reads UTF-8: save it as UTF-8 (in Excel: CSV UTF-8)")


def test_parquet_errors_name_the_file_given(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    fake = _write(tmp_path / "fake.parquet", "not parquet")
    assert main(["reconcile", str(fake)]) == 2
    message = _one_error_line(capsys)
    assert message.startswith(f"ratecard: error: {fake}: cannot read as Parquet: ")
    assert "ratecard-" not in message  # never the staging copy's name
    from tests.batch_lines import write_parquet

    real = tmp_path / "real.parquet"
    write_parquet([{column: row.get(column, "") for column in COLUMNS} for row in GOOD], real)
    assert main(["reconcile", str(real), "--column", "charged=amount"]) == 2
    assert "required column missing: charged (as amount); the file has" in \
        _one_error_line(capsys)


def test_a_credit_value_for_an_unknown_provider_names_the_option(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["offerings", "--credits-per-usd", "nobody=5"]) == 2
    assert _one_error_line(capsys).startswith(
        "ratecard: error: --credits-per-usd nobody=5: unknown provider 'nobody'")


@pytest.mark.parametrize(("text", "message"), [
    pytest.param("", "the file is empty", id="empty"),
    pytest.param("task_id,provider,model\nt1,evolink,x\n",
                 "required columns missing: timestamp, charged, currency, status",
                 id="missing-columns"),
])
def test_exit_2_for_an_unusable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    path = _write(tmp_path / "bad.csv", text)
    assert main(["reconcile", str(path)]) == 2
    assert message in _one_error_line(capsys)


@pytest.mark.parametrize(("options", "message"), [
    pytest.param(["--tolerance", "credits=abc"], "'abc' is not a number", id="tol-text"),
    pytest.param(["--tolerance", "credits=-1"], "a tolerance is a number >= 0",
                 id="tol-negative"),
    pytest.param(["--tolerance", "USD=NaN"], "a tolerance is a number >= 0", id="tol-nan"),
    pytest.param(["--tolerance", "0.5"], "say which currency it is in", id="tol-bare"),
    pytest.param(["--tolerance", "EUR=1"], "'EUR' is not a currency", id="tol-currency"),
    pytest.param(["--tolerance", "credits=1", "--tolerance", "credits=2"], "given twice",
                 id="tol-twice"),
    pytest.param(["--out", "results.xlsx"], "use a .csv, .jsonl, .txt or .parquet",
                 id="out-format"),
    pytest.param(["--column", "amount=charged"], "'amount' is not a column", id="column"),
])
def test_exit_2_for_bad_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    path = _invoice(tmp_path, GOOD)
    assert main(["reconcile", str(path), *options]) == 2
    assert message in _one_error_line(capsys)


def test_exit_2_names_every_missing_file_and_reads_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _invoice(tmp_path, GOOD)
    out = tmp_path / "results.csv"
    assert main(["reconcile", str(good), str(tmp_path / "a.csv"), str(tmp_path),
                 "--out", str(out)]) == 2
    assert _one_error_line(capsys) == (f"ratecard: error: no such invoice file: "
                                       f"{tmp_path / 'a.csv'}; {tmp_path} is a directory: "
                                       "give the invoice files in it")
    assert not out.exists()


# --------------------------------------------------------------------------- --out


def test_out_csv_has_one_row_per_input_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = csv_text(MIXED) + "t9,broken\n\n"
    path = _write(tmp_path / "invoice.csv", text)
    out = tmp_path / "results.csv"
    assert main(["reconcile", str(path), "--out", str(out)]) == 1
    assert "7 lines: " in capsys.readouterr().out
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(FIELDS)
    assert [(row["line"], row["status"]) for row in rows] == [
        ("2", "MATCH"), ("3", "OVERCHARGE"), ("4", "INVALID_LINE"), ("5", "DUPLICATE_TASK"),
        ("6", "CHARGED_FOR_FAILED"), ("7", "INVALID_LINE"), ("8", "INVALID_LINE")]
    assert {row["source"] for row in rows} == {str(path)}
    assert rows[1]["difference"] == "3.0000"
    assert rows[0]["reserved"] == ""  # None is written as an empty field
    expected, _ = reconcile_text(text)
    assert [row["reason"] for row in rows] == [
        r.reason.replace("invoice.csv:", f"{path}:") for r in expected]


def test_out_jsonl_has_one_object_per_input_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "invoice.jsonl",
                  jsonl_text(MIXED[:2]) + "{broken\n" + jsonl_text(MIXED[2:]))
    out = tmp_path / "results.jsonl"
    assert main(["reconcile", str(path), "--out", str(out), "--format", "csv"]) == 1
    capsys.readouterr()
    records = [json.loads(text) for text in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["line"], r["status"]) for r in records] == [
        (1, "MATCH"), (2, "OVERCHARGE"), (3, "INVALID_LINE"), (4, "INVALID_LINE"),
        (5, "DUPLICATE_TASK"), (6, "CHARGED_FOR_FAILED")]
    assert list(records[0]) == list(FIELDS)
    assert records[1]["charged"] == "30"  # amounts as exact decimal strings
    assert records[1]["expected"] == "27.0000"
    assert records[2]["reason"].startswith(f"{path}:3: invalid JSON")


def test_out_txt_is_a_table_with_a_row_per_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.txt"
    assert main(["reconcile", str(_invoice(tmp_path, GOOD)), "--out", str(out)]) == 0
    assert f"results in {out}" in capsys.readouterr().out
    table = out.read_text(encoding="utf-8").splitlines()
    assert table[0].split() == list(FIELDS)
    assert len(table) == 2 + len(GOOD)


# --------------------------------------------------------------------------- --format


def test_json_summary_parses_and_its_totals_match_the_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _invoice(tmp_path, MIXED)
    assert main(["reconcile", str(path), "--format", "json"]) == 1
    summary = json.loads(capsys.readouterr().out)
    assert summary["lines"] == len(MIXED)
    assert summary["discrepancies"] == 4
    assert summary["by_status"] == {"CHARGED_FOR_FAILED": 1, "DUPLICATE_TASK": 1,
                                    "INVALID_LINE": 1, "MATCH": 1, "OVERCHARGE": 1}
    assert summary["unpriced"] == {"lines": 2, "charged": {"credits@evolink": "27.0000"},
                                   "by_status": {"DUPLICATE_TASK": 1, "INVALID_LINE": 1}}
    *groups, total = summary["rows"]
    assert total["provider"] == "TOTAL"
    assert total["lines"] == len(MIXED) == sum(group["lines"] for group in groups)
    # every parseable charged amount, per unit ("27,0" is not one)
    assert {c: Decimal(v) for c, v in total["charged"].items()} == {
        "credits@evolink": exact_sum([Decimal("27.0000"), Decimal(30), Decimal("27.0000")]),
        "USD": Decimal("0.375")}
    for name in ("charged", "expected", "difference"):
        for currency, value in total[name].items():
            assert exact_sum(Decimal(group[name].get(currency, 0)) for group in groups) == \
                Decimal(value)


def test_csv_summary_parses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reconcile", str(_invoice(tmp_path, GOOD)), "--format", "csv"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert rows[-1]["provider"] == "TOTAL"
    assert rows[-1]["lines"] == "3"
    assert sum(int(row["lines"]) for row in rows[:-1]) == 3


def test_csv_summary_says_which_lines_have_no_expected_amount_or_no_total(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The table says it under TOTAL and JSON as ``unpriced`` and ``untotalled_lines``; the
    CSV summary said neither: three columns after the table's carry it, per row."""
    rows = [line(), line(task_id="t2", duration="100", charged="54"),
            line(task_id="t3", charged="3", currency="EUR"),
            line(task_id="t4", charged="4", currency="EUR")]
    assert main(["reconcile", str(_invoice(tmp_path, rows)), "--format", "csv"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "provider,model,status,lines,charged,expected,difference,"
        "unpriced_lines,unpriced_charged,untotalled_lines",
        "evolink,kling-v3-image-to-video,INVALID_LINE,3,54 credits@evolink,,,"
        "3,54 credits@evolink,2",
        "evolink,kling-v3-image-to-video,MATCH,1,27.0000 credits@evolink,"
        "27.0000 credits@evolink,0.0000 credits@evolink,0,,0",
        "TOTAL,,,4,81.0000 credits@evolink,27.0000 credits@evolink,0.0000 credits@evolink,"
        "3,54 credits@evolink,2",
    ]
    assert main(["reconcile", str(_invoice(tmp_path, rows)), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert (data["unpriced"]["lines"], data["unpriced"]["charged"], data["untotalled_lines"]) \
        == (3, {"credits@evolink": "54"}, 2)


# --------------------------------------------------------------------------- options


@pytest.mark.parametrize(("options", "status", "code"), [
    ([], "OVERCHARGE", 1), (["--tolerance", "credits=0.5"], "ROUNDING_DIFF", 0),
    (["--tolerance", "credits=0.49"], "OVERCHARGE", 1),
    (["--tolerance", "USD=0.5"], "OVERCHARGE", 1),  # per currency: not this line's
    (["--tolerance", "credits@evolink=0.5"], "ROUNDING_DIFF", 0),
    (["--tolerance", "credits=0.5", "--tolerance", "credits@evolink=0"], "OVERCHARGE", 1),
])
def test_tolerance_moves_the_line_between_rounding_diff_and_overcharge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str], status: str,
    code: int
) -> None:
    path = _invoice(tmp_path, [line(charged="27.5")])
    out = tmp_path / "results.jsonl"
    assert main(["reconcile", str(path), "--out", str(out), *options]) == code
    capsys.readouterr()
    assert json.loads(out.read_text(encoding="utf-8"))["status"] == status


def test_a_zero_tolerance_turns_a_rounding_diff_into_an_overcharge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _invoice(tmp_path, GOOD)
    assert main(["reconcile", str(path)]) == 0
    assert main(["reconcile", str(path), "--tolerance", "credits=0"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "3 lines: MATCH 1, OVERCHARGE 2"


def test_column_maps_other_column_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    theirs = {"task_id": "id", "charged": "amount", "timestamp": "created"}
    rows = [{theirs.get(k, k): v for k, v in row.items()} for row in GOOD]
    path = _write(tmp_path / "export.csv", csv_text(rows, list(rows[0])))
    assert main(["reconcile", str(path)]) == 2
    assert "required columns missing: task_id, timestamp, charged" in _one_error_line(capsys)
    mapping = [option for pair in theirs.items() for option in ("--column", "=".join(pair))]
    assert main(["reconcile", str(path), *mapping]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "3 lines: MATCH 1, ROUNDING_DIFF 2"


def test_tables_add_a_card_with_a_price_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    acme = {"provider": "acme", "model": "acme-gen", "duration": "5.2"}
    path = _invoice(tmp_path, [line(**acme, task_id="a", timestamp="2026-06-30", charged="7.5"),
                               line(**acme, task_id="b", timestamp="2026-07-01", charged="9"),
                               line(**acme, task_id="c", timestamp="2025-12-31", charged="9")])
    out = tmp_path / "results.csv"
    assert main(["reconcile", str(path), "--out", str(out)]) == 1  # no acme card: unknown
    capsys.readouterr()
    with out.open(newline="", encoding="utf-8") as handle:
        assert {row["status"] for row in csv.DictReader(handle)} == {"UNKNOWN_OFFERING"}
    assert main(["reconcile", str(path), "--out", str(out), "--tables", str(acme_path())]) == 1
    capsys.readouterr()
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["status"], row["price_version"]) for row in rows] == [
        ("MATCH", "2026-01-01..2026-07-01"), ("MATCH", "2026-07-01..open"),
        ("UNPRICED_DATE", "")]
    assert rows[2]["expected"] == ""  # never priced as zero


def test_several_files_are_one_reconciliation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _invoice(tmp_path, [line()], "october.csv")
    second = _write(tmp_path / "november.jsonl", jsonl_text([line(task_id="t2"), line()]))
    out = tmp_path / "results.csv"
    assert main(["reconcile", str(first), str(second), "--out", str(out)]) == 1
    capsys.readouterr()
    with out.open(newline="", encoding="utf-8") as handle:
        rows = [(Path(r["source"]).name, r["line"], r["status"])
                for r in csv.DictReader(handle)]
    assert rows == [("october.csv", "2", "MATCH"), ("november.jsonl", "1", "MATCH"),
                    ("november.jsonl", "2", "DUPLICATE_TASK")]


# --------------------------------------------------------------------------- bugs


def test_a_line_that_is_not_utf8_is_an_invalid_line_not_the_end_of_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(csv_text([line(task_id="t0"), line(task_id="caf\u00e9")])
                     .encode("latin-1"))
    out = tmp_path / "results.csv"
    assert main(["reconcile", str(path), "--out", str(out)]) == 1
    assert capsys.readouterr().out.splitlines()[-1].startswith(
        "2 lines: INVALID_LINE 1, MATCH 1")
    assert "not UTF-8" in out.read_text(encoding="utf-8")


def test_a_timestamp_in_milliseconds_is_reported_not_raised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _invoice(tmp_path, [line(), line(task_id="t2", timestamp="1793491200000")])
    assert main(["reconcile", str(path)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "2 lines: INVALID_LINE 1, MATCH 1"
