"""``ratecard rates`` and ``ratecard reconcile --engine``: same summary and results from
every engine, Parquet by default through DuckDB, one-line errors."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

import ratecard
from ratecard import cli
from ratecard.reconcile.readers import COLUMNS
from tests.batch_lines import require_duckdb


@pytest.fixture(autouse=True)
def _duckdb() -> None:
    require_duckdb()


LINES = [
    ["t1", "evolink", "kling-v3-image-to-video", "5", "", "720p", "off", "2026-11-01",
     "27.0", "credits", "succeeded", ""],
    ["t2", "evolink", "kling-v3-image-to-video", "10", "", "1080p", "on", "1793577600",
     "110", "credits", "succeeded", ""],
    ["t2", "evolink", "kling-v3-image-to-video", "10", "", "1080p", "on", "2026-11-02",
     "108", "credits", "succeeded", ""],
    ["t3", "kling3api", "pro-text-to-video", "", "", "", "", "2026-11-01T23:30:00-05:00",
     "5.555", "USD", "succeeded", ""],
    ["t4", "evolink", "kling-o3-video-edit", "", "7.5", "720p", "", "2026-11-03",
     "64.8", "credits", "failed", ""],
    ["t5", "acme", "x", "5", "", "", "", "2026-11-03", "1", "credits", "succeeded", ""],
]


@pytest.fixture
def invoice(tmp_path: Path) -> dict[str, Path]:
    text = tmp_path / "march.csv"
    with text.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([{"timestamp": "timestamp"}.get(c, c) for c in COLUMNS])
        writer.writerows(LINES)
    parquet = tmp_path / "march.parquet"
    from ratecard.batch.duckdb_engine import connect

    db = connect()
    db.execute(f"COPY (SELECT * FROM read_csv('{text}', all_varchar = true)) "
               f"TO '{parquet}' (FORMAT parquet)")
    db.close()
    return {"csv": text, "parquet": parquet}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_rates_json_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "rates", "--format", "json")
    assert status == 0
    # every built-in price and credit value is open-ended: one row per offering cell
    cells = sum(len(p.qualities) * len(p.sounds) for p in ratecard.load().plans())
    assert len(json.loads(out)["rows"]) == cells
    status, out, _ = run(capsys, "rates")
    assert status == 0
    assert out.splitlines()[0].startswith("provider,model,family,mode")


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_rates_parquet_needs_out(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "rates", "--format", "parquet")
    assert status == 2
    assert "--format parquet needs --out" in err
    target = tmp_path / "rates.parquet"
    assert run(capsys, "rates", "--format", "parquet", "--out", str(target))[0] == 0
    assert target.stat().st_size > 0


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_engines_give_the_same_summary_and_results(capsys: pytest.CaptureFixture[str],
                                                   invoice: dict[str, Path],
                                                   tmp_path: Path) -> None:
    outputs = {}
    for engine, source in (("python", "csv"), ("python", "parquet"), ("duckdb", "csv"),
                           ("duckdb", "parquet"), (None, "parquet")):
        target = tmp_path / f"{engine}-{source}.csv"
        argv = ["reconcile", str(invoice[source]), "--format", "json", "--out", str(target)]
        if engine:
            argv += ["--engine", engine]
        status, out, _ = run(capsys, *argv)
        assert status == 1  # discrepancies were found
        summary = json.loads(out)
        rows = [row[:-1] for row in csv.reader(target.open(encoding="utf-8"))]
        outputs[(engine, source)] = (summary, [row[1:] for row in rows])
    first = outputs[("python", "csv")]
    assert first[0]["by_status"] == {"CHARGED_FOR_FAILED": 1, "DUPLICATE_TASK": 1,
                                     "MATCH": 1, "OVERCHARGE": 1, "UNKNOWN_OFFERING": 1,
                                     "UNPRICED_CURRENCY": 1}
    for key, (summary, rows) in outputs.items():
        assert summary == first[0], key
        # line numbers differ (a CSV counts its header), every other field agrees
        assert [row[1:] for row in rows] == [row[1:] for row in first[1]], key


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_parquet_results_need_a_sql_engine(capsys: pytest.CaptureFixture[str],
                                           invoice: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "results.parquet"
    status, _, err = run(capsys, "reconcile", str(invoice["csv"]), "--out", str(target))
    assert status == 2
    assert "need --engine duckdb or spark" in err
    status, out, _ = run(capsys, "reconcile", str(invoice["parquet"]), "--out", str(target))
    assert status == 1
    assert "results in" in out
    from ratecard.batch.duckdb_engine import connect

    db = connect()
    statuses = [row[0] for row in db.execute(f"SELECT status FROM '{target}'").fetchall()]
    db.close()
    assert statuses[:3] == ["MATCH", "OVERCHARGE", "DUPLICATE_TASK"]


def test_a_missing_engine_names_its_extra(capsys: pytest.CaptureFixture[str],
                                          invoice: dict[str, Path],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "duckdb", None)  # import duckdb now raises ImportError
    status, _, err = run(capsys, "reconcile", str(invoice["parquet"]))
    assert status == 2
    assert err.strip() == ("ratecard: error: duckdb is not installed: pip install "
                           "'ratecard[duckdb]' to use it")


def test_sql_engines_refuse_a_tolerance_they_cannot_hold(capsys: pytest.CaptureFixture[str],
                                                         invoice: dict[str, Path]) -> None:
    status, _, err = run(capsys, "reconcile", str(invoice["parquet"]), "--tolerance",
                         "credits=0.00000000001")
    assert status == 2
    assert "--tolerance credits=0.00000000001: the SQL engines take at most 10 decimal " \
        "places" in err  # as typed, not 1E-11


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_typed_parquet_columns(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                               invoice: dict[str, Path]) -> None:
    from ratecard.batch.duckdb_engine import connect

    typed = tmp_path / "typed.parquet"
    db = connect()
    db.execute(f"""COPY (SELECT task_id, provider, model, TRY_CAST(duration AS INTEGER)
        AS duration, TRY_CAST(input_seconds AS DOUBLE) AS input_seconds, quality,
        sound = 'on' AS sound, TIMESTAMPTZ '2026-11-01 23:30:00-05:00' AS timestamp,
        CAST(charged AS DECIMAL(18,4)) AS charged, currency, status
        FROM read_csv('{invoice["csv"]}', all_varchar = true)) TO '{typed}' (FORMAT parquet)""")
    money = tmp_path / "float.parquet"
    db.execute(f"COPY (SELECT * REPLACE (CAST(charged AS DOUBLE) AS charged) FROM '{typed}') "
               f"TO '{money}' (FORMAT parquet)")
    db.close()
    status, _, err = run(capsys, "reconcile", str(money))
    assert status == 2
    assert "has type DOUBLE: money must be DECIMAL or text" in err
    results = {}
    for engine in ("python", "duckdb"):
        status, out, _ = run(capsys, "reconcile", str(typed), "--engine", engine,
                             "--format", "json")
        results[engine] = json.loads(out)
    assert results["python"] == results["duckdb"]
    assert results["duckdb"]["by_status"]["MATCH"] >= 1


@pytest.mark.slow  # DuckDB runs; CI runs them all
@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_credit_value_no_engine_holds_is_refused_by_every_engine(
        capsys: pytest.CaptureFixture[str], invoice: dict[str, Path], engine: str) -> None:
    """The Python engine rated every line at 1E-10 credits per USD; DuckDB refused."""
    status, out, err = run(capsys, "reconcile", str(invoice["csv"]), "--engine", engine,
                           "--credits-per-usd", "kling3api=0.0000000001")
    assert (status, out) == (2, "")
    assert err == ("ratecard: error: --credits-per-usd '0.0000000001' has more than 8 "
                   "decimal places\n")
