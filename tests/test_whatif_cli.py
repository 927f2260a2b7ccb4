"""``ratecard whatif`` and ``ratecard diff`` as a user runs them: the installed entry point,
in a folder holding the documented files (``tests/user_files.py``).

``march.csv`` holds an EvoLink Kling 3.0 image-to-video job, 5 s at 720p without sound:
27 credits (5.4 credits/s, seed 001) = 0.375 USD (72 credits per USD), the cheapest of
all sellers; and a kling3api pro text-to-video job, 5 s with sound by default: 400 credits
(seed 003), 0.8 USD at the 500 credits per USD given here, where EvoLink would have
charged 54 credits = 0.75 USD (5.4 x 2.0 x 5): a saving of 0.05 USD.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from tests.user_files import ratecard, write_user_files

pytestmark = pytest.mark.slow  # one process or more per test

CREDITS = ("--credits-per-usd", "kling3api=500")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_user_files(tmp_path_factory.mktemp("user"))


def test_the_summary_says_what_the_cheapest_route_saves(folder: Path) -> None:
    result = ratecard("whatif", "march.csv", *CREDITS, "--format", "json", cwd=folder)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["lines"] == 2
    assert data["charged"] == {"evolink credits": "27.0", "kling3api credits": "400"}
    assert data["cheapest_route"] == {"lines": 2, "actual_usd": "1.175000",
                                      "cheapest_usd": "1.125000", "saving_usd": "0.050000"}
    evolink = next(s for s in data["sellers"] if s["provider"] == "evolink")
    assert (evolink["lines"], evolink["usd"]) == (2, "1.125000")


def test_every_line_is_written_with_its_cheapest_seller(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "lines.csv"
    result = ratecard("whatif", "march.csv", "tasks.jsonl", *CREDITS, "--out", str(out),
                      cwd=folder)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [(r["source"], r["line"]) for r in rows] == [
        ("march.csv", "2"), ("march.csv", "3"), ("tasks.jsonl", "1")]
    assert [(r["best_provider"], r["saving_usd"]) for r in rows] == [
        ("evolink", "0.000000"), ("evolink", "0.050000"), ("evolink", "0.050000")]
    assert "modellix:FAMILY_NOT_OFFERED" in rows[0]["excluded"]


def test_spark_gives_the_same_lines_and_summary(folder: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    out = tmp_path / "lines.csv"
    result = ratecard("whatif", "march.csv", "tasks.jsonl", *CREDITS, "--engine", "spark",
                      "--format", "json", "--out", str(out), cwd=folder)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["lines"] == 3
    assert data["cheapest_route"] == {"lines": 3, "actual_usd": "1.975000",
                                      "cheapest_usd": "1.875000", "saving_usd": "0.100000"}
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [(r["source"], r["line"], r["best_provider"], r["saving_usd"]) for r in rows] == [
        ("march.csv", "2", "evolink", "0.000000"), ("march.csv", "3", "evolink", "0.050000"),
        ("tasks.jsonl", "1", "evolink", "0.050000")]


def test_parquet_out_holds_exact_amounts(folder: Path, tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "lines.parquet"
    result = ratecard("whatif", "month.parquet", *CREDITS, "--out", str(out), cwd=folder)
    assert result.returncode == 0, result.stderr
    rows = duckdb.sql(f"SELECT line, status, usd, saving_usd FROM '{out}' ORDER BY line"
                      ).fetchall()
    assert rows == [(1, "REPRICED", Decimal("0.375"), Decimal(0)),
                    (2, "REPRICED", Decimal("0.8"), Decimal("0.05"))]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_parquet_out_of_a_line_not_rerated_excludes_no_one(engine: str, tmp_path: Path) -> None:
    """DuckDB wrote NULL where Python wrote '' (the text of no exclusion)."""
    duckdb = pytest.importorskip("duckdb")
    usage, out = tmp_path / "usage.csv", tmp_path / "lines.parquet"
    usage.write_text("task_id,provider,model,timestamp,duration,charged,currency,status\n"
                     "bad,evolink,kling-v3-image-to-video,2026-11-01,5,abc,credits,succeeded\n"
                     "f1,evolink,kling-v3-image-to-video,2026-11-01,5,0,credits,failed\n")
    result = ratecard("whatif", str(usage), "--engine", engine, "--out", str(out))
    assert result.returncode == 1, result.stderr
    rows = duckdb.sql(f"SELECT status, excluded FROM '{out}' ORDER BY line").fetchall()
    assert rows == [("INVALID_LINE", ""), ("FAILED_JOB", "")]


def test_a_line_without_usd_value_exits_1_and_says_why(folder: Path) -> None:
    result = ratecard("whatif", "march.csv", "--format", "csv", cwd=folder)
    assert result.returncode == 1, result.stderr
    assert "total,lines,2,,,,,1," in result.stdout


@pytest.mark.parametrize(("argv", "message"), [
    (("--deny", "evolnk"), "--deny: unknown provider 'evolnk'; did you mean evolink?"),
    (("--at", "2026-13-01"), "--at must be a date"),
    (("--out", "x.xls"), "--out x.xls: use a .csv"),
    (("--out", "march.csv"), "is an input file"),
])
def test_bad_input_is_one_line_and_exit_2(folder: Path, argv: tuple[str, ...],
                                          message: str) -> None:
    result = ratecard("whatif", "march.csv", *argv, cwd=folder)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr.count("\n") == 1
    assert message in result.stderr


def test_standard_input_is_read(folder: Path) -> None:
    named = ratecard("whatif", "march.csv", *CREDITS, "--format", "json", cwd=folder)
    piped = ratecard("whatif", "-", *CREDITS, "--format", "json", cwd=folder,
                     stdin=(folder / "march.csv").read_text())
    assert json.loads(piped.stdout)["cheapest_route"] == \
        json.loads(named.stdout)["cheapest_route"]


def test_diff_of_two_days_prints_the_changed_prices(folder: Path) -> None:
    result = ratecard("diff", "--tables", "my-cards/acme.yaml", "--from", "2026-03-01",
                      "--to", "2026-08-01", "--format", "csv", cwd=folder)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    gen = next(r for r in rows if (r["model"], r["quality"], r["sound"]) == (
        "acme-gen", "720p", "off"))
    # 1.25 -> 1.5 credits/s; 5 s: 0.78 -> 0.94 USD (8 credits per USD, half-even to 0.01)
    assert (gen["kind"], gen["before"], gen["after"], gen["clip_usd_delta"]) == (
        "changed", "1.25", "1.5", "0.16")
    assert {r["provider"] for r in rows} == {"acme"}


def test_diff_of_two_card_directories(folder: Path) -> None:
    result = ratecard("diff", "pricing_tables", "my-cards", "--usage", "march.csv",
                      "--format", "json", cwd=folder)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {c["kind"] for c in data["changed"]} == {"added", "removed"}
    assert data["usage"]["priced_before_only"] == 2  # my-cards sells neither job


def test_diff_csv_names_conflict_rows_as_documented(folder: Path) -> None:
    """The rows were ``conflict_appeare`` and ``conflict_resolve``."""
    result = ratecard("diff", "pricing_tables", "my-cards", "--format", "csv", cwd=folder)
    assert result.returncode == 0, result.stderr
    kinds = {row["kind"] for row in csv.DictReader(io.StringIO(result.stdout))}
    assert "conflict_resolved" in kinds  # the built-in cards' conflicts are gone in NEW
    assert kinds <= {"added", "removed", "changed", "conflict_appeared", "conflict_resolved"}



def test_diff_prints_billing_terms_that_changed_at_the_same_price(folder: Path,
                                                                  tmp_path: Path) -> None:
    """A card billing 5 s at least instead of 4 was reported as "0 changed"."""
    acme = (folder / "my-cards" / "acme.yaml").read_text(encoding="utf-8")
    assert acme.count("min_seconds: 4\n") == 1
    new = tmp_path / "acme.yaml"
    new.write_text(acme.replace("min_seconds: 4\n", "min_seconds: 5\n"), encoding="utf-8")
    old = str(folder / "my-cards" / "acme.yaml")
    table = ratecard("diff", old, str(new), cwd=folder)
    assert table.returncode == 0, table.stderr
    assert "changed: 0" not in table.stdout
    assert ("acme acme-gen 720p sound off: billing per second, min 4 s, rounded up to 1 s -> "
            "per second, min 5 s, rounded up to 1 s") in table.stdout
    rows = list(csv.DictReader(io.StringIO(ratecard("diff", old, str(new), "--format", "csv",
                                                    cwd=folder).stdout)))
    assert {(r["kind"], r["model"], Decimal(r["delta"]), r["what"]) for r in rows} == {
        ("changed", "acme-gen", Decimal(0), "billing")}
    assert len(rows) == 4  # 720p/1080p x sound off/on
    assert {r["terms_after"] for r in rows} == {
        "billing: per second, min 5 s, rounded up to 1 s"}
    with_usage = ratecard("diff", old, str(new), "--usage", "march.csv", cwd=folder)
    assert with_usage.returncode == 0, with_usage.stderr
    assert with_usage.stdout.count("terms changed (before -> after):") == 1  # was twice


@pytest.mark.parametrize(("argv", "message"), [
    (("--from", "2026-01-01"), "--from and --to name the two days"),
    (("only-one",), "give two card paths"),
    (("a", "b"), "no such file or directory: a, b"),
    (("--from", "x", "--to", "2026-01-01"), "date"),
])
def test_diff_bad_input_is_one_line_and_exit_2(folder: Path, argv: tuple[str, ...],
                                               message: str) -> None:
    result = ratecard("diff", *argv, cwd=folder)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr.count("\n") == 1
    assert message in result.stderr


def test_diff_usage_csv_rows_have_one_label_each(folder: Path) -> None:
    """The USD of the lines known on both sides was labelled ``USD``, like the card total of
    the sellers that price in USD: a pivot on the column added the two."""
    result = ratecard("diff", "--from", "2026-01-01", "--to", "2026-12-01", "--usage",
                      "march.csv", *CREDITS, "--format", "csv", cwd=folder)
    assert result.returncode == 0, result.stderr
    usage = [r for r in csv.DictReader(io.StringIO(result.stdout)) if r["kind"] == "usage"]
    labels = [r["currency"] for r in usage]
    assert len(labels) == len(set(labels))
    assert labels[-1] == "USD (2 lines)"
    assert (usage[-1]["before"], usage[-1]["after"]) == ("1.175000", "1.175000")


def test_diff_usage_reads_other_column_names_as_whatif_does(folder: Path,
                                                            tmp_path: Path) -> None:
    """The README says --usage takes any file whatif reads: one that needs --column was
    refused ("unrecognized arguments: --column")."""
    march = (folder / "march.csv").read_text(encoding="utf-8")
    renamed = tmp_path / "export.csv"
    renamed.write_text(march.replace("charged", "amount_billed", 1), encoding="utf-8")
    argv = ("diff", "--from", "2026-01-01", "--to", "2026-12-01", *CREDITS, "--format",
            "json")
    named = ratecard(*argv, "--usage", "march.csv", cwd=folder)
    mapped = ratecard(*argv, "--usage", str(renamed), "--column", "charged=amount_billed",
                      cwd=folder)
    assert mapped.returncode == 0, mapped.stderr
    assert json.loads(mapped.stdout)["usage"] == json.loads(named.stdout)["usage"]
    alone = ratecard(*argv, "--column", "charged=amount_billed", cwd=folder)
    assert (alone.returncode, alone.stderr) == (
        2, "ratecard: error: --column applies to --usage FILE\n")
