"""The Python engine, DuckDB and Spark agree on every line of a what-if, and on its summary.

The lines are those of the reconcile differential test (``tests/batch_lines.py``: every
built-in offering x quality x sound, rounding cards, boundaries, unpriced days, USD lines,
failed tasks, duplicates, invalid lines), with kling3api given 500 credits per USD. Every
field of every line must be equal, but the reason of a line the rating query stops
(INVALID_LINE, DUPLICATE_TASK, UNKNOWN_OFFERING: reasons may be shorter in SQL, as in
``ratecard reconcile``); the summaries must be equal to the last digit of their text.

Spark runs the same cases against the Python engine (a shared local session; skipped
without PySpark or Java, failed instead under CI).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

import ratecard
from ratecard.reconcile.readers import COLUMNS
from ratecard.whatif import LineWhatIf, WhatIfSummary, read_lines, whatif
from ratecard.whatif.rerate import PASSED_ON
from ratecard.whatif.writers import summary_dict
from tests.batch_lines import catalog, generate, require_duckdb, write_parquet

ACME = Path(__file__).parent / "cards" / "acme.yaml"
pytestmark = pytest.mark.slow  # each case runs DuckDB and both engines: seconds each


def assert_agree(python: tuple[list[LineWhatIf], WhatIfSummary],
                 duckdb: tuple[list[LineWhatIf], WhatIfSummary]) -> None:
    expected, actual = python[0], duckdb[0]
    assert len(actual) == len(expected)
    differ = [(p, d) for p, d in zip(expected, actual, strict=True)
              if p[:8] + p[9:] != d[:8] + d[9:]
              or (p.status not in PASSED_ON and p.reason != d.reason)]
    assert not differ, f"{len(differ)} lines differ, e.g. {differ[:2]}"
    assert summary_dict(duckdb[1]) == summary_dict(python[1])


def _both(card: ratecard.Catalog, files: Sequence[Path], **policy: object) -> None:
    from ratecard.whatif.sql import whatif as duckdb_whatif

    assert_agree(whatif(card, read_lines(files), **policy),  # type: ignore[arg-type]
                 duckdb_whatif(card, files, **policy))  # type: ignore[arg-type]


def _spark(card: ratecard.Catalog, files: Sequence[Path], **policy: object) -> None:
    from ratecard.whatif.spark import whatif as spark_whatif
    from tests.engines import spark_session

    spark = spark_session()
    assert_agree(whatif(card, read_lines(files), **policy),  # type: ignore[arg-type]
                 spark_whatif(card, files, spark=spark, **policy))  # type: ignore[arg-type]


MIXED = """task_id,provider,model,timestamp,duration,input_seconds,quality,sound,charged,\
currency,status
e1,evolink,kling-v3-image-to-video,2026-11-01,5,,720p,off,27.0,credits,succeeded
k1,krea,kling-3.0-image-to-video,2026-10-15T10:00:00Z,10,,1080p,on,3.528,USD,succeeded
q1,kling3api,pro-text-to-video,2026-02-05,,,,,400,credits,SUCCESS
bad,evolink,kling-v3-image-to-video,2026-11-01,5,,720p,off,abc,credits,succeeded
e1,evolink,kling-v3-image-to-video,2026-11-01,5,,720p,off,27.0,credits,succeeded
u1,evolink,no-such-model,2026-11-01,5,,,,27,credits,succeeded
f1,evolink,kling-v3-image-to-video,2026-11-01,5,,720p,off,0,credits,failed
f2,evolink,kling-v3-image-to-video,2026-11-01,5,,720p,off,27.0,credits,cancelled
a1,acme,acme-gen,2025-12-01,4,,720p,off,5,credits,succeeded
a2,acme,acme-gen,2026-03-01,4,,720p,off,5,credits,succeeded
x1,kling3api,o3-pro-video-edit,2026-11-01,,,,,435,credits,SUCCESS
y1,evolink,kling-v3-image-to-video,2026-11-01,5,,720p,maybe,27.0,credits,succeeded
z1,evolink,kling-v3-image-to-video,2026-11-01,99,,720p,off,27.0,credits,succeeded
"""
TASK = ('{"code": 200, "data": {"task_id": "n1", "status": "SUCCESS", "consumed_credits": '
        '400, "created_at": "2026-02-05T10:30:00Z", "type": "pro-text-to-video", "request": '
        '{"type": "pro-text-to-video", "prompt": "An eagle", "duration": 5}}}\n'
        + "".join(  # EvoLink holds whose quality and sound are read from the charge
            json.dumps({"created": 1762000000, "id": f"h{held}",
                        "model": "kling-v3-image-to-video", "object": "video.generation.task",
                        "status": "pending", "task_info": {"video_duration": 5},
                        "type": "video", "usage": {"credits_reserved": float(held)}}) + "\n"
            for held in ("27.0", "40.5", "60", "30")))


@pytest.mark.parametrize("policy", [{}, {"at": "2026-08-01"}, {"deny": ["evolink"]},
                                    {"allow": ["acme", "krea"]}])
def test_every_status_agrees_on_a_small_file(tmp_path: Path, policy: dict[str, object]) -> None:
    require_duckdb()
    text, tasks = tmp_path / "mixed.csv", tmp_path / "tasks.jsonl"
    text.write_text(MIXED)
    tasks.write_text(TASK)
    _both(ratecard.load(ACME), [text, tasks], **policy)
    _both(ratecard.load(ACME).with_credit_value("kling3api", "500"), [text, tasks], **policy)


def test_every_generated_line_agrees(tmp_path: Path) -> None:
    require_duckdb()
    card = catalog().with_credit_value("kling3api", "500")
    lines = generate(card)
    parquet = tmp_path / "lines.parquet"
    write_parquet(lines, parquet)
    text = tmp_path / "lines.csv"
    with text.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows([line[c] for c in COLUMNS] for line in lines[:3000])
        handle.write("t-broken,evolink\n\n")
    _both(card, [parquet, text])
    _both(card, [text], deny=["evolink", "comfy"], at="2026-06-30")


@pytest.mark.parametrize("policy", [{}, {"at": "2026-08-01", "deny": ["evolink"]}])
def test_spark_agrees_on_a_small_file(tmp_path: Path, policy: dict[str, object]) -> None:
    text, tasks = tmp_path / "mixed.csv", tmp_path / "tasks.jsonl"
    text.write_text(MIXED)
    tasks.write_text(TASK)
    _spark(ratecard.load(ACME).with_credit_value("kling3api", "500"), [text, tasks], **policy)


def test_spark_agrees_on_every_generated_line(tmp_path: Path) -> None:
    require_duckdb()  # writes the Parquet file
    card = catalog().with_credit_value("kling3api", "500")
    lines = generate(card)
    parquet = tmp_path / "lines.parquet"
    write_parquet(lines, parquet)
    _spark(card, [parquet])


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_a_millisecond_timestamp_beyond_the_engines_is_an_invalid_line_of_its_own(
        tmp_path: Path, engine: str) -> None:
    # it failed the whole file in every engine ("Could not convert Timestamp(MS) to
    # Timestamp(US)"; Spark: "long overflow")
    require_duckdb()  # writes the Parquet file
    from tests.batch_lines import millis_parquet
    from tests.test_engines_read_alike import BEYOND_REASON, MILLIS_BEYOND, MILLIS_ROWS

    path = millis_parquet(tmp_path / "march.parquet", MILLIS_ROWS, MILLIS_BEYOND)
    (_both if engine == "duckdb" else _spark)(ratecard.load(), [path])
    results, _ = whatif(ratecard.load(), read_lines([path]))
    assert [r.status for r in results] == ["REPRICED", *["INVALID_LINE"] * 5, "REPRICED"]
    assert results[1].reason == f"{path}:2: " + BEYOND_REASON.format(ms=10**16)
