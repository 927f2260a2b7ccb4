"""Blanks around a field are not part of it, in every input format and every engine.

An export that pads ``t1`` to ``t1 `` once billed the same task twice without a
DUPLICATE_TASK (CSV and Parquet kept the blank, JSON Lines dropped it), and ``evolink ``
became a unit of its own ("27 credits@evolink "). The oracle is the same invoice without
the padding: padding must change nothing but the text as written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ratecard
from ratecard.reconcile.readers import COLUMNS
from ratecard.reconcile.results import LineResult
from tests.engines import python, same_everywhere, write_csv, write_parquet
from tests.reconcile_strategies import (
    PROPERTY_SETTINGS,
    PricedLine,
    csv_text,
    invoices,
    jsonl_text,
    line,
    reconcile_text,
)

CATALOG = ratecard.load(cache=False)

BLANK_RUNS = st.text(alphabet=" \t\x0b\x0c\x1c\x1d\x1e\x1f", min_size=0, max_size=3)
"""Blanks a field may be padded with (line breaks inside a quoted field change the line
numbers, so they are left to the readers' own tests)."""


def _what(results: list[LineResult]) -> list[tuple[object, ...]]:
    """Each result without its source and line (a Parquet row is numbered from 1, a CSV
    record by its line in the file), nor the place a duplicate's reason names for its
    first occurrence (``..., first at plain.csv:2``), which is that source and line."""
    return [(*tuple(result)[2:-1], _FIRST_AT.sub("", result.reason)) for result in results]


_FIRST_AT = re.compile(r", first at .*$", re.S)


@st.composite
def _padded(draw: st.DrawFn, lines: list[PricedLine]) -> list[dict[str, str]]:
    rows = []
    for priced in lines:
        row = dict(priced.values)
        for column in COLUMNS:
            if row.get(column):
                row[column] = draw(BLANK_RUNS) + row[column] + draw(BLANK_RUNS)
        rows.append(row)
    return rows


@PROPERTY_SETTINGS
@given(st.data(), invoices(max_size=6), st.sampled_from(["invoice.csv", "invoice.jsonl"]))
def test_padding_a_field_changes_no_result(data: st.DataObject, lines: list[PricedLine],
                                           name: str) -> None:
    # the same task billed again, padded: a duplicate whatever the padding
    lines = [*lines, lines[0]]
    plain = [priced.values for priced in lines]
    padded = data.draw(_padded(lines))
    write = jsonl_text if name.endswith(".jsonl") else csv_text
    expected, expected_summary = reconcile_text(write(plain), name)
    results, summary = reconcile_text(write(padded), name)
    assert _what(results) == _what(expected)
    assert results[-1].status == "DUPLICATE_TASK"
    assert summary.total == expected_summary.total


@pytest.mark.parametrize("name", ["invoice.csv", "invoice.jsonl"])
def test_a_task_id_padded_with_a_blank_is_the_same_task(name: str) -> None:
    rows = [line(task_id="t1"), line(task_id="t1 "), line(task_id="\tt1")]
    write = jsonl_text if name.endswith(".jsonl") else csv_text
    results, _ = reconcile_text(write(rows), name)
    assert [(r.task_id, r.status) for r in results] == [
        ("t1", "MATCH"), ("t1", "DUPLICATE_TASK"), ("t1", "DUPLICATE_TASK")]


def test_a_padded_provider_is_priced_and_totalled_as_the_provider() -> None:
    rows = [line(task_id="a", provider="evolink "), line(task_id="b", provider=" evolink")]
    results, summary = reconcile_text(csv_text(rows))
    assert [(r.provider, r.status) for r in results] == [("evolink", "MATCH")] * 2
    assert list(summary.total.charged) == ["credits@evolink"]


def test_a_quoted_padded_field_is_stripped_too() -> None:
    text = csv_text([line()]).replace(",t1,", ',"  t1  ",').replace(
        ",evolink,", ',"evolink\t",')
    results, _ = reconcile_text(text)
    assert [(r.task_id, r.provider, r.status) for r in results] == [("t1", "evolink", "MATCH")]


def test_a_padded_task_record_id_is_the_same_task() -> None:
    # failed: it owes nothing whatever its quality and sound, which the object does not say
    record = {"created": 1762000000, "id": "task-1 ", "model": "kling-v3-image-to-video",
              "object": "video.generation.task", "status": "failed",
              "task_info": {"video_duration": 5}, "usage": {"credits_reserved": 27}}
    twice = json.dumps(record) + "\n" + json.dumps({**record, "id": "task-1"}) + "\n"
    results, _ = reconcile_text(twice, "tasks.jsonl")
    assert [(r.task_id, r.status) for r in results] == [
        ("task-1", "MATCH"), ("task-1", "DUPLICATE_TASK")]


@pytest.mark.slow  # DuckDB and Spark runs; CI runs them all
def test_every_engine_strips_csv_and_parquet_fields_alike(tmp_path: Path) -> None:
    padded = [line(task_id="t1"), line(task_id="t1 "), line(task_id="t2", provider="evolink\t"),
              line(task_id=" t3", model="kling-v3-image-to-video ", timestamp=" 2026-11-01 ",
                   currency="credits ", status=" succeeded")]
    plain = [line(task_id="t1"), line(task_id="t1"), line(task_id="t2"), line(task_id="t3")]
    expected = _what(python(CATALOG, [write_csv(tmp_path / "plain.csv", plain)])[0])
    assert [row[5] for row in expected] == ["MATCH", "DUPLICATE_TASK", "MATCH", "MATCH"]
    for path in (write_csv(tmp_path / "padded.csv", padded),
                 write_parquet(tmp_path / "padded.parquet", padded)):
        results, _ = same_everywhere(CATALOG, [path], ["duckdb", "spark"])
        assert _what(results) == expected, path.suffix


@pytest.mark.parametrize("text", [
    "", " ", "t1", " t1", "t1 ", "\tt1\x1f", "\r\n", "a\r\n", "\x1ca", "\x01a\x01", "a\x00",
    "\u00e9 ", " \u00e9", "a\u0600 ", "\u0600 ", "a\u0301", "\u3000a\u3000", "!", "a !",
])
def test_duckdb_strips_a_column_as_python_does(text: str) -> None:
    # DuckDB skips the trim when the first byte and last character are no blank: the
    # oracle is Python's own strip of the same blanks (a grapheme such as U+0600 and a
    # space, or a blank that is not ASCII, must not fool the test)
    from ratecard.batch.duckdb_engine import connect
    from ratecard.batch.sql import DUCKDB
    from ratecard.vocabulary import BLANKS

    db = connect()
    got = db.execute(f"SELECT {DUCKDB.strip_column('x')} FROM (SELECT ? AS x)",
                     [text]).fetchone()
    assert got == (text.strip(BLANKS),)
