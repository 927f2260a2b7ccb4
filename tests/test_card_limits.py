"""A card that validates is priced alike by every path (Python quote and reconcile, the
rates table, DuckDB), up to the limits of the numbers it may hold."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

import ratecard
from ratecard.reconcile.readers import COLUMNS, read_lines
from ratecard.reconcile.reconciler import reconcile
from tests.batch_lines import require_duckdb

SOURCE = "{document: tests, checked_on: 2026-11-21, basis: documented}"

CARD = f"""\
provider: edge
name: Limits test
currency: credits
credit_values:
  - {{credits_per_usd: 8, source: {SOURCE}}}
defaults: {{quality: 1080p, sound: off, duration: 5}}
rounding:
  amount: {{mode: half_up, precision: 0.0001}}
  usd: {{mode: half_up, precision: 0.01}}
offerings:
  - id: gen
    family: test
    mode: image-to-video
    qualities: [1080p]
    sounds: [off, on]
    accepts: {{duration: {{min: 1, max: 50, source: {SOURCE}}}}}
    billing: {{basis: duration, source: {SOURCE}}}
    prices:
      - per_second: 1.5
        multipliers: {{1080p: {{off: 1, on: 2}}}}
        source: {SOURCE}
"""
"""A small card whose numbers are all well inside the limits (1.5/s, x2 with sound)."""


def card_with(tmp_path: Path, *edits: tuple[str, str]) -> tuple[Path, str]:
    """``CARD`` with each ``(old, new)`` applied (``old`` must occur once), written out."""
    text = CARD
    for old, new in edits:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "edge.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1)
                if needle in line)


def _invoice(tmp_path: Path, line: dict[str, str]) -> Path:
    fields = {"task_id": "t1", "provider": "edge", "model": "gen", "input_seconds": "",
              "quality": "1080p", "timestamp": "2026-11-01T10:00:00Z",
              "status": "succeeded", "reserved": "", **line}
    path = tmp_path / "invoice.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerow([fields[column] for column in COLUMNS])
    return path


@pytest.mark.slow  # a DuckDB run
def test_duckdb_rounds_a_million_billed_seconds_to_the_microsecond(tmp_path: Path) -> None:
    """DuckDB typed seconds x 10^6 as a 64-bit DECIMAL(18,6): rounding 1,000,000 s to
    0.000001 overflowed it and stopped the run. 1,000,000 s x 1.5/s = 1,500,000."""
    require_duckdb()
    from ratecard.batch import duckdb_engine

    path, _ = card_with(tmp_path, ("max: 50,", "max: 9999999,"), (
        "billing: {basis: duration,",
        "billing: {basis: duration, rounding: {mode: up, precision: 0.000001},"))
    card = ratecard.load(path, builtin=False, cache=False)
    invoice = _invoice(tmp_path, {"duration": "1000000", "sound": "off",
                                  "charged": "1500000", "currency": "credits"})
    [python], _ = reconcile(card, read_lines([invoice]))
    [sql], _ = duckdb_engine.reconcile(card, [invoice])
    assert (python.status, python.expected) == ("MATCH", Decimal("1500000.0000"))
    assert sql == python
