"""An invoice's column names are read in any case of ASCII letters, as its words are.

A spreadsheet's header ``Task_ID,Provider,...,Charged`` refused the whole file ("required
columns missing: task_id, charged") although a repeated header in capitals is taken for
the header again. Expected values are literals: seed 001 prices EvoLink Kling 3.0 image
to video, 5 s at 720p without sound, at 27 credits.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

import ratecard
from ratecard.reconcile.readers import Columns, InvoiceError, lines_from_text, read_jsonl
from ratecard.reconcile.reconciler import reconcile
from tests.batch_lines import require_duckdb

CATALOG = ratecard.load(cache=False)

ROW = "t1,evolink,kling-v3-image-to-video,2026-11-01,5,720p,off,27,credits,succeeded\n"


def _statuses(text: str, columns: Columns | None = None) -> list[str]:
    results, _ = reconcile(CATALOG, lines_from_text(text, "x.csv", columns or Columns()))
    return [result.status for result in results]


@pytest.mark.parametrize("header", [
    "Task_ID,Provider,Model,Timestamp,Duration,Quality,Sound,Charged,Currency,Status",
    "TASK_ID,PROVIDER,MODEL,TIMESTAMP,DURATION,QUALITY,SOUND,CHARGED,CURRENCY,STATUS",
    "task_id,provider,model,timestamp,Duration,Quality,Sound,charged,currency,status",
])
def test_a_header_in_capitals_is_read(header: str) -> None:
    assert _statuses(header + "\n" + ROW) == ["MATCH"]


def test_a_mapped_name_is_found_in_any_case_too() -> None:
    header = "ID,provider,model,timestamp,duration,quality,sound,AMOUNT,currency,status\n"
    assert _statuses(header + ROW, Columns.parse(["task_id=id", "charged=amount"])) == \
        ["MATCH"]


def test_the_exact_name_wins_and_two_spellings_name_neither() -> None:
    # charged is read from the column named exactly so (27), never from CHARGED (99)
    header = "task_id,provider,model,timestamp,duration,quality,sound,CHARGED,charged," \
             "currency,status\n"
    row = "t1,evolink,kling-v3-image-to-video,2026-11-01,5,720p,off,99,27,credits,succeeded\n"
    assert _statuses(header + row) == ["MATCH"]
    header = "task_id,provider,model,timestamp,duration,quality,sound,Charged,CHARGED," \
             "currency,status\n"
    with pytest.raises(InvoiceError, match="required column missing: charged"):
        _statuses(header + row)


def test_json_keys_in_capitals_are_read() -> None:
    text = ('{"Task_Id": "j1", "Provider": "evolink", "MODEL": "kling-v3-image-to-video", '
            '"timestamp": "2026-11-01", "Duration": 5, "quality": "720p", "sound": "off", '
            '"Charged": 27, "currency": "credits", "status": "succeeded"}\n'
            '{"task_id": "j2", "provider": "evolink", "model": "kling-v3-image-to-video", '
            '"timestamp": "2026-11-01", "duration": 5, "charged": 27, '
            '"currency": "credits", "status": "succeeded"}\n')
    results, _ = reconcile(CATALOG, read_jsonl(io.StringIO(text, newline=""), "x.jsonl"))
    assert [(r.task_id, r.status, r.charged) for r in results] == [
        ("j1", "MATCH", Decimal(27)), ("j2", "MATCH", Decimal(27))]


@pytest.mark.slow  # DuckDB and Spark run; CI runs them all
@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_a_parquet_file_s_columns_in_capitals_are_read_in_every_engine(
        tmp_path: object, engine: str) -> None:
    from pathlib import Path

    from tests.engines import same_everywhere, write_csv

    require_duckdb()
    import duckdb

    assert isinstance(tmp_path, Path)
    job = {"Task_ID": "t1", "Provider": "evolink", "Model": "kling-v3-image-to-video",
           "Timestamp": "2026-11-01", "Duration": "5", "Quality": "720p", "Sound": "off",
           "Charged": "27", "Currency": "credits", "Status": "succeeded"}
    rows = [job, {**job, "Task_ID": "t2", "Charged": "28"}]
    text = write_csv(tmp_path / "caps.csv", rows, list(job))
    parquet = tmp_path / "caps.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{text}', all_varchar = true)) "
               f"TO '{parquet}' (FORMAT parquet)")
    for path in (parquet, text):
        results, _ = same_everywhere(CATALOG, [path], [engine])
        assert [r.status for r in results] == ["MATCH", "OVERCHARGE"]
