"""One result per input line, always: a stray quote never hides the lines after it, and a
row cut wrong lends no field to any total. Every engine reads every line alike (the SQL
engines stage what ratecard's readers read)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import ratecard
from ratecard.reconcile.readers import FIELD_LIMIT, JSON_LINE_LIMIT, read_csv
from tests.batch_lines import require_duckdb
from tests.bounded import bounded
from tests.engines import python, same_everywhere, write_parquet

CATALOG = ratecard.load(cache=False)
HEADER = "task_id,provider,model,timestamp,duration,quality,sound,charged,currency,status\n"


def _line(task: str, charged: str = "30", model: str = "kling-v3-image-to-video") -> str:
    """An invoice line: 5 s of 720p without sound, 27 credits by the card (seed 001)."""
    return f"{task},evolink,{model},2026-11-01,5,720p,off,{charged},credits,succeeded\n"


def _ten_with_a_stray_quote() -> str:
    """The issue's example: t1 charged right, t2 with a stray quote, t3..t10 overcharged."""
    lines = [_line("t1", "27.0"), _line("t2", model='"kling-v3-image-to-video')]
    lines += [_line(f"t{n}") for n in range(3, 11)]
    return HEADER + "".join(lines)


def test_a_stray_quote_no_longer_swallows_the_following_lines(tmp_path: Path) -> None:
    path = tmp_path / "ten.csv"
    path.write_text(_ten_with_a_stray_quote(), encoding="utf-8")
    results, summary = python(CATALOG, [path])
    assert [r.line for r in results] == list(range(2, 12))  # every physical line, once
    assert [r.status for r in results] == ["MATCH", "INVALID_LINE"] + ["OVERCHARGE"] * 8
    assert results[1].reason == (
        f"{path}:3: a quoted field is not closed on its line (lines 3-11 were one malformed "
        "quoted record, read line by line)")
    assert summary.total.lines == 10
    # 27.0 + 8 x 30: the line with the stray quote is unreadable, so its 30 is in no total
    assert summary.total.charged == {"credits@evolink": Decimal("267.0")}
    assert summary.total.difference == {"credits@evolink": Decimal("24.0000")}


def test_a_quote_closed_lines_later_gives_each_line_its_own_result() -> None:
    text = HEADER + _line("t1") + _line("t2", model='"kling') + _line("t3") + \
        'x"y,evolink,kling-v3-image-to-video,2026-11-01,5,720p,off,30,credits,succeeded\n' + \
        _line("t5")
    lines = list(read_csv(io.StringIO(text, newline=""), "q.csv"))
    assert [line.line for line in lines] == [2, 3, 4, 5, 6]
    assert [line.error is None for line in lines] == [True, False, True, True, True]
    assert lines[3].fields[0] == 'x"y'  # a quote in mid-field is a character, as ever


def test_a_well_formed_multi_line_field_is_still_one_record() -> None:
    """A quoted field holding a line break, closed where CSV says: one record, whose
    result is numbered by its first line; the next record by its own first line."""
    text = HEADER.replace("\n", ",note\n") + _line("t1").replace("\n", ',"two\nlines"\n') + \
        _line("t2").replace("\n", ",plain\n")
    lines = list(read_csv(io.StringIO(text, newline=""), "q.csv"))
    assert [(line.line, line.error) for line in lines] == [(2, None), (4, None)]


def test_a_field_past_the_size_limit_is_read_back_line_by_line() -> None:
    """The stray quote of a long file runs into the 16 MiB field limit (176,715 of 200,000
    lines vanished): with a small limit, the same path on a small file."""
    previous = csv.field_size_limit(2000)
    try:
        text = HEADER + _line("t1", model='"kling') + "".join(
            _line(f"t{n}") for n in range(2, 101))
        lines = list(read_csv(io.StringIO(text, newline=""), "big.csv"))
    finally:
        csv.field_size_limit(previous)
    assert [line.line for line in lines] == list(range(2, 102))
    assert lines[0].error is not None
    assert "were one malformed quoted record" in lines[0].error
    assert all(line.error is None for line in lines[1:])


@pytest.mark.slow
def test_two_hundred_thousand_lines_after_a_stray_quote_are_all_read(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER + _line("t1", model='"kling'))
        handle.writelines(_line(f"t{n}") for n in range(2, 200_001))
    # in a process of its own: its peak resident memory is the reading's (tracemalloc
    # would slow it five-fold); the timeout is a hang guard for a loaded machine
    done = subprocess.run([sys.executable, "-c", _COUNT, str(path)], capture_output=True,
                          text=True, timeout=900, check=True)
    lines, by_status, charged, peak_mib = json.loads(done.stdout)
    assert lines == 200_000
    assert by_status == {"INVALID_LINE": 1, "OVERCHARGE": 199_999}
    assert charged == {"credits@evolink": str(30 * 199_999)}
    assert peak_mib < 400


_COUNT = """
import json, resource, sys
import ratecard
from ratecard.reconcile.readers import read_lines
from ratecard.reconcile.reconciler import Reconciler
reconciler = Reconciler(ratecard.load(cache=False))
count = sum(1 for _ in reconciler.run(read_lines([sys.argv[1]])))
summary = reconciler.summary
assert count == summary.total.lines
# VmHWM is this process's own peak; ru_maxrss keeps the peak of the (pytest) process it
# was forked from across exec, so it measured the test run, not the reading
try:
    with open("/proc/self/status") as status:
        peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps([count, summary.by_status, {u: str(v) for u, v in summary.total.charged.items()},
                  peak]))
"""


def test_a_decimal_comma_cut_into_two_fields_is_in_no_total(tmp_path: Path) -> None:
    """60,5 unquoted is a row of one field too many: INVALID_LINE, and not 60 credits."""
    path = tmp_path / "comma.csv"
    path.write_text(HEADER + _line("t1", "27.0") + _line("t2", "60,5"), encoding="utf-8")
    results, summary = python(CATALOG, [path])
    assert [r.status for r in results] == ["MATCH", "INVALID_LINE"]
    assert results[1].charged is None
    assert summary.total.charged == {"credits@evolink": Decimal("27.0")}


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_every_engine_reads_malformed_lines_alike(tmp_path: Path) -> None:
    require_duckdb()
    path = tmp_path / "mixed.csv"
    path.write_text(_ten_with_a_stray_quote() + _line("t11", "60,5") + "\n" + _line("t12")
                    + "t13,evolink\n", encoding="utf-8")
    results, _ = same_everywhere(CATALOG, [path], ["duckdb"])
    assert len(results) == 14


@pytest.mark.slow
def test_spark_reads_malformed_lines_alike(tmp_path: Path) -> None:
    require_duckdb()
    path = tmp_path / "mixed.csv"
    path.write_text(_ten_with_a_stray_quote() + _line("t11", "60,5") + "\n" + _line("t12"),
                    encoding="utf-8")
    same_everywhere(CATALOG, [path], ["duckdb", "spark"])


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_a_line_over_two_megabytes_is_its_own_invalid_line_alike(tmp_path: Path) -> None:
    """DuckDB stopped at a 2 MB line where Python read fields up to 16 MiB: now a
    canonical field longer than FIELD_LIMIT makes its line INVALID_LINE on every engine,
    and the lines around it are read as ever."""
    require_duckdb()
    path = tmp_path / "long.csv"
    path.write_text(HEADER + _line("t1", "27.0") + _line("x" * 3_000_000) + _line("t3")
                    + _line("t4", model="m" * 2_500_000) + _line("t5", "9" * 2_100_000)
                    + _line("t6", "27.0"), encoding="utf-8")
    results, summary = same_everywhere(CATALOG, [path], ["duckdb"])
    assert [r.status for r in results] == ["MATCH", "INVALID_LINE", "OVERCHARGE",
                                           "INVALID_LINE", "INVALID_LINE", "MATCH"]
    assert [r.reason.split(": ", 1)[1] for r in results if r.status == "INVALID_LINE"] == [
        "task_id is longer than 256 characters", "model is longer than 256 characters",
        "charged is longer than 256 characters"]
    assert all(r.task_id is None and r.charged is None for r in results
               if r.status == "INVALID_LINE")
    assert summary.total.lines == 6
    assert summary.total.charged == {"credits@evolink": Decimal("84.0")}


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_a_long_line_of_many_bytes_is_read_alike(tmp_path: Path) -> None:
    """DuckDB counts a line's size in bytes; a staged line of 2.5 million characters
    held more bytes than that (the reason of a line that is not UTF-8 quotes its
    undecodable byte as the 3-byte U+FFFD): reconcile and whatif failed with DuckDB's
    "Maximum line size" where Python read the line."""
    require_duckdb()
    from ratecard.whatif import read_lines as whatif_lines
    from ratecard.whatif import whatif
    from ratecard.whatif.sql import whatif as duckdb_whatif

    path = tmp_path / "long.csv"
    path.write_bytes((HEADER + _line("t1", "27.0")).encode() + b"t\xe92" + _line(
        "", "9" * 2_500_000).encode() + _line("t3", "27.0").encode())
    results, _ = same_everywhere(CATALOG, [path], ["duckdb"])
    assert [r.status for r in results] == ["MATCH", "INVALID_LINE", "MATCH"]
    python_lines, _ = whatif(CATALOG, whatif_lines([path]))
    duckdb_lines, _ = duckdb_whatif(CATALOG, [path])
    assert [r.status for r in duckdb_lines] == [r.status for r in python_lines] == [
        "REPRICED", "INVALID_LINE", "REPRICED"]


def test_a_field_just_within_the_limit_is_read() -> None:
    task = "t" * FIELD_LIMIT
    lines = list(read_csv(io.StringIO(HEADER + _line(task) + _line(task + "x"), newline=""),
                          "edge.csv"))
    assert lines[0].error is None
    assert lines[0].fields[0] == task
    assert lines[1].error == "task_id is longer than 256 characters"


@pytest.mark.slow
def test_spark_reads_a_long_line_alike(tmp_path: Path) -> None:
    require_duckdb()
    path = tmp_path / "long.csv"
    path.write_text(HEADER + _line("t1", "27.0") + _line("x" * 3_000_000) + _line("t3"),
                    encoding="utf-8")
    same_everywhere(CATALOG, [path], ["duckdb", "spark"])


def _fields(task: str, charged: str = "30", model: str = "kling-v3-image-to-video"
            ) -> dict[str, str]:
    header = HEADER.strip().split(",")
    return dict(zip(header, _line(task, charged, model).strip().split(","), strict=True))


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_a_parquet_row_with_a_field_too_long_is_invalid_alike(tmp_path: Path) -> None:
    require_duckdb()
    path = write_parquet(tmp_path / "long.parquet", [
        _fields("t1", "27.0"), _fields("t2", model="m" * 300), _fields("t" * 257),
        _fields("t4", "27.0")])
    results, summary = same_everywhere(CATALOG, [path], ["duckdb"])
    assert [r.status for r in results] == ["MATCH", "INVALID_LINE", "INVALID_LINE", "MATCH"]
    assert results[1].reason.endswith(": model is longer than 256 characters")
    assert results[2].reason.endswith(": task_id is longer than 256 characters")
    assert (results[1].model, results[2].task_id) == (None, None)
    assert summary.total.charged == {"credits@evolink": Decimal("54.0")}


@pytest.mark.slow
def test_spark_reads_a_parquet_row_too_long_alike(tmp_path: Path) -> None:
    require_duckdb()
    path = write_parquet(tmp_path / "long.parquet", [
        _fields("t1", "27.0"), _fields("t2", model="m" * 300), _fields("t3")])
    same_everywhere(CATALOG, [path], ["duckdb", "spark"])


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_a_json_line_too_long_is_skipped_not_held(tmp_path: Path) -> None:
    """A JSON line over JSON_LINE_LIMIT is INVALID_LINE without being read whole; a JSON
    field over FIELD_LIMIT too; the lines after them are read as ever."""
    require_duckdb()
    good = json.dumps(_fields("t1", "27.0"))
    huge = json.dumps({**_fields("t2"), "note": "n" * (JSON_LINE_LIMIT + 10)})
    wide = json.dumps(_fields("t3", model=" " + "m" * 257 + " "))
    path = tmp_path / "long.jsonl"
    path.write_text("\n".join([good, huge, wide, good.replace("t1", "t4")]) + "\n",
                    encoding="utf-8")
    with bounded(megabytes=3 * JSON_LINE_LIMIT // 2**20 + 16):
        results, _ = python(CATALOG, [path])
    assert [r.status for r in results] == ["MATCH", "INVALID_LINE", "INVALID_LINE", "MATCH"]
    assert results[1].reason == f"{path}:2: the line is longer than {JSON_LINE_LIMIT} characters"
    assert results[2].reason == f"{path}:3: model is longer than 256 characters"
    same_everywhere(CATALOG, [path], ["duckdb"])


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_a_task_record_with_a_field_too_long_is_invalid(tmp_path: Path) -> None:
    require_duckdb()
    record = {"code": 200, "data": {"task_id": "k" * 300, "status": "SUCCESS",
                                    "consumed_credits": 400, "created_at": "2026-02-05",
                                    "request": {"type": "pro-text-to-video", "duration": 5}}}
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    results, _ = same_everywhere(CATALOG, [path], ["duckdb"])
    assert results[0].status == "INVALID_LINE"
    assert results[0].reason.endswith(": task_id is longer than 256 characters")


@pytest.mark.parametrize("ending", ["", "\n"])
def test_a_quote_the_end_of_the_file_never_closes_says_so(tmp_path: Path, ending: str) -> None:
    """The last line's open quote was reported as "1 fields where the header has 10"."""
    require_duckdb()
    path = tmp_path / "cut.csv"
    path.write_text(HEADER + _line("t1", "27.0") + '"t2,evolink,kling-v3' + ending,
                    encoding="utf-8")
    results, _ = same_everywhere(CATALOG, [path], ["duckdb"])
    assert [r.status for r in results] == ["MATCH", "INVALID_LINE"]
    assert results[1].reason == f"{path}:3: a quoted field is not closed on its line"
