"""What the ``--out`` tests share: a small invoice to write results of, and the one line
of error a refused ``--out`` prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reconcile_strategies import csv_text, line


def small_invoice(tmp_path: Path, rows: int = 3, name: str = "invoice.csv") -> Path:
    """A CSV invoice of ``rows`` MATCH lines (tasks ``t0``, ``t1``...) in ``tmp_path``."""
    path = tmp_path / name
    path.write_text(csv_text([line(task_id=f"t{i}") for i in range(rows)]), encoding="utf-8")
    return path


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    """The one line on standard error: no traceback, and no temporary ``.part`` name."""
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    assert ".part" not in captured.err
    return lines[0]
