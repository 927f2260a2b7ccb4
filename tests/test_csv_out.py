"""Every CSV ratecard writes reads back as the rows it wrote, whatever the cells hold: a
lone carriage return in a task id or a provider is one cell, not a line end."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ratecard.cli import main
from ratecard.csv_out import CsvWriter

LINE = {"task_id": "a\rb", "provider": "evolink", "model": "kling-v3-image-to-video",
        "timestamp": "2026-11-01", "duration": "5", "quality": "720p", "sound": "off",
        "charged": "27.0", "currency": "credits", "status": "succeeded"}


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@given(st.lists(st.lists(st.one_of(st.none(), st.text()), min_size=1, max_size=6),
                max_size=5))
def test_what_is_written_reads_back_cell_for_cell(rows: list[list[str | None]]) -> None:
    out = io.StringIO()
    CsvWriter(out).writerows(rows)
    back = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    # csv writes a row of one empty cell as "" (quoted), read back as [""]
    assert back == [["" if cell is None else cell for cell in row] for row in rows]


def test_a_carriage_return_in_a_task_id_is_one_results_row(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = tmp_path / "lines.jsonl"
    lines.write_text(json.dumps({**LINE, "provider": "evo\rlink"}) + "\n" + json.dumps(LINE)
                     + "\n")
    results = tmp_path / "results.csv"
    assert main(["reconcile", str(lines), "--out", str(results), "--format", "csv"]) in (0, 1)
    rows = _rows(results)
    assert len(rows) == 3, rows  # the header and one row per line
    assert [row[2] for row in rows[1:]] == ["a\rb", "a\rb"]
    assert [row[3] for row in rows[1:]] == ["evo\rlink", "evolink"]
    summary = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    assert [row[0] for row in summary] == ["provider", "evo\rlink", "evolink", "TOTAL"]


def test_a_carriage_return_in_a_whatif_line_is_one_row(tmp_path: Path) -> None:
    lines = tmp_path / "lines.jsonl"
    lines.write_text(json.dumps(LINE) + "\n")
    results = tmp_path / "whatif.csv"
    assert main(["whatif", str(lines), "--out", str(results)]) == 0
    rows = _rows(results)
    assert len(rows) == 2, rows
    assert rows[1][2] == "a\rb"
