"""``ratecard diff --usage FILE --format csv`` carries the usage's line counts.

The table says "usage: 3 lines, 1 priced on both sides (0 before only, 0 after only, 2
neither)" and JSON gives ``usage.lines``, ``priced_both``, ...; the CSV said none of it,
so its amounts (over the lines priced on both sides only) read as the whole usage's."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from ratecard.cli import main
from tests.reconcile_strategies import csv_text, line


def test_diff_usage_csv_rows_carry_the_line_counts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    usage = tmp_path / "usage.csv"
    usage.write_text(csv_text([line(), line(task_id="t2", duration="100"),
                               line(task_id="t3", provider="nope", model="x")]))
    assert main(["diff", "--from", "2026-01-01", "--to", "2026-12-01", "--usage", str(usage),
                 "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][-6:] == ["terms_after", "usage_lines", "priced_both",
                            "priced_before_only", "priced_after_only", "priced_neither"]
    assert {len(row) for row in rows} == {25}
    assert [row for row in rows if row[0] == "usage"] == [
        ["usage", "", "", "", "", "evolink credits", "27.0000", "27.0000", "0.0000",
         *[""] * 11, "3", "1", "0", "0", "2"],
        ["usage", "", "", "", "", "USD (1 lines)", "0.375000", "0.375000", "0.000000",
         *[""] * 11, "3", "1", "0", "0", "2"],
    ]
