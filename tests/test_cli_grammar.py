"""One grammar for every subcommand, checked as a user meets it: the installed ``ratecard``
entry point run as a subprocess, in a folder holding the files the commands name.

Expected values come from the seed documents (EvoLink Kling 3.0 image-to-video: 5.4
credits/s, x2.0 at 1080p with sound, 72 credits = 1 USD; kling3api pro text-to-video: 400
credits), from market-prices.md (fal Kling 3.0 Pro image-to-video: $0.112/s) or from
arithmetic done here, never from the code under test.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import json
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from ratecard.cli import app
from tests.user_files import RATECARD, ratecard, shell, user_env, write_user_files

# every test here runs the installed entry point as a user would: one process or more
# each, so the quick run (pytest -m "not slow") leaves them to CI
pytestmark = pytest.mark.slow

COMMANDS = ("quote", "offerings", "compare", "route", "sources", "check", "lint", "rates",
            "reconcile", "whatif", "diff", "schema")
I2V = ("--family", "kling-3.0", "--mode", "image-to-video", "--quality", "1080p",
       "--sound", "on", "--duration", "10")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_user_files(tmp_path_factory.mktemp("user"))


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("ratecard: error: ")
    return result.stderr


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- install and first run --------------------------------------------------------------

def test_python_m_ratecard_is_the_same_command() -> None:
    script = ratecard("--version")
    module = subprocess.run([sys.executable, "-m", "ratecard", "--version"], capture_output=True,
                            text=True, check=False)
    from importlib.metadata import version

    assert script.returncode == module.returncode == 0
    assert script.stdout == module.stdout == f"ratecard {version('ratecard')}\n"


def test_version_comes_from_the_distribution_metadata() -> None:
    from importlib.metadata import version

    import ratecard as package

    assert package.__version__ == version("ratecard")


def test_license_file_matches_the_metadata() -> None:
    from importlib.metadata import metadata

    root = Path(__file__).resolve().parent.parent
    assert metadata("ratecard")["License-Expression"] == "MIT"
    assert (root / "LICENSE").read_text().startswith("MIT License")
    assert (root / "src" / "ratecard" / "py.typed").exists()


@pytest.mark.slow  # mypy from a cold cache takes a few seconds
def test_mypy_sees_ratecard_types_in_user_code(tmp_path: Path) -> None:
    user = tmp_path / "user.py"
    user.write_text("import ratecard\n\ncatalog: int = ratecard.load()\n")
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                             str(user)], capture_output=True, text=True, cwd=tmp_path,
                            check=False)
    assert result.returncode == 1, result.stdout
    assert 'expression has type "Catalog", variable has type "int"' in result.stdout


def test_spark_without_java_is_one_line(folder: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    env = user_env()
    env.pop("JAVA_HOME", None)
    env["PATH"] = str(tmp_path)  # no java here
    result = ratecard("reconcile", "march.csv", "--engine", "spark", cwd=folder, env=env)
    message = one_error_line(result)
    assert "needs Java 17 or later" in message
    assert "JAVA_HOME" in message


def test_spark_with_an_old_java_says_which(folder: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    java = tmp_path / "bin" / "java"
    java.parent.mkdir()
    java.write_text("#!/bin/sh\necho 'java version \"1.8.0_392\"' >&2\n")
    java.chmod(0o755)
    env = user_env()
    env["JAVA_HOME"] = str(tmp_path)
    message = one_error_line(ratecard("reconcile", "march.csv", "--engine", "spark",
                                      cwd=folder, env=env))
    assert f"{java} is Java 8" in message


# --- help ---------------------------------------------------------------------------------

def help_text(command: str | None) -> str:
    """What ``ratecard [COMMAND] --help`` prints, read in this process (the tests that check
    the printed form run the installed entry point; collecting the examples must not)."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), pytest.raises(SystemExit):
        app.main([*([command] if command else []), "--help"])
    return printed.getvalue()


def help_examples(command: str | None) -> list[str]:
    """The example commands a ``--help`` prints, continuation lines joined."""
    text = help_text(command)
    block = text.split("\nexamples:\n", 1)[1].split("\n\n", 1)[0]
    joined = block.replace("\\\n", "\n").splitlines()
    commands: list[str] = []
    for line in joined:
        if line.startswith("      ") and commands:
            commands[-1] += " " + line.strip()
        else:
            commands.append(line.strip())
    return commands


def test_top_level_help_lists_the_exit_codes() -> None:
    text = ratecard("--help").stdout
    status = text.split("exit status:\n", 1)[1]
    for code in ("0", "1", "2", "130"):
        assert re.search(rf"^  {code} ", status, re.MULTILINE), code


@pytest.mark.parametrize("command", COMMANDS)
def test_each_help_has_its_own_examples_printed_as_written(command: str) -> None:
    text = ratecard(command, "--help").stdout
    examples = help_examples(command)
    assert examples
    assert all(f"{example} ".startswith(f"ratecard {command} ") for example in examples), examples
    assert "     --" not in text.split("\nexamples:\n", 1)[1].replace("\\\n      --", "")
    for line in text.split("\nexamples:\n", 1)[1].split("\n\n", 1)[0].splitlines():
        assert "  " not in line.strip(" ").split("#")[0].rstrip(), line  # no collapsed runs


def runnable_examples() -> Iterator[object]:
    for command in (None, *COMMANDS):
        for example in help_examples(command):
            if "COMMAND" in example:
                continue
            marks = [pytest.mark.slow] if "--engine spark" in example else []
            yield pytest.param(example, marks=marks, id=example[9:60])


@pytest.mark.slow  # one process per case: CI runs them all
@pytest.mark.parametrize("example", list(runnable_examples()))
def test_every_help_example_runs_as_written(folder: Path, example: str) -> None:
    result = shell(example, folder)
    assert result.returncode == 0, (example, result.stdout, result.stderr)


# --- one grammar ----------------------------------------------------------------------------

def test_tables_is_repeatable_and_never_swallows_the_next_argument(folder: Path) -> None:
    result = ratecard("reconcile", "--tables", "my-cards/acme.yaml", "march.csv",
                      "--tables", "pricing_tables/evolink.yaml", "--format", "json",
                      cwd=folder)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["by_status"] == {"MATCH": 2}
    quote = ratecard("quote", "--tables", "my-cards/acme.yaml", "--provider", "evolink",
                     "--model", "kling-v3-image-to-video", "--format", "json", cwd=folder)
    assert quote.returncode == 0, quote.stderr


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_reconcile_reads_standard_input(folder: Path, engine: str) -> None:
    piped = ratecard("reconcile", "-", "--engine", engine, "--format", "json",
                     stdin=(folder / "march.csv").read_text(), cwd=folder)
    named = ratecard("reconcile", "march.csv", "--engine", engine, "--format", "json",
                     cwd=folder)
    assert piped.returncode == named.returncode == 0, piped.stderr
    assert json.loads(piped.stdout) == json.loads(named.stdout)
    jsonl = ratecard("reconcile", "-", "--engine", engine, "--format", "json",
                     stdin=(folder / "tasks.jsonl").read_text(), cwd=folder)
    named = ratecard("reconcile", "tasks.jsonl", "--engine", engine, "--format", "json",
                     cwd=folder)
    assert json.loads(jsonl.stdout) == json.loads(named.stdout), jsonl.stderr
    if engine == "python":  # the SQL engines read invoice columns, not task records
        assert json.loads(jsonl.stdout)["by_status"] == {"MATCH": 1}


def test_results_of_standard_input_name_it(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    result = ratecard("reconcile", "-", "--out", str(out),
                      stdin=(folder / "march.csv").read_text(), cwd=folder)
    assert result.returncode == 0, result.stderr
    assert {row["source"] for row in csv_rows(out.read_text())} == {"<stdin>"}


def test_a_card_and_lint_read_standard_input(folder: Path) -> None:
    card = (folder / "my-card.yaml").read_text()
    quote = ratecard("quote", "--tables", "-", "--provider", "acme", "--format", "json",
                     "--model", json.loads(ratecard("offerings", "--tables", "my-card.yaml",
                                                    "--provider", "acme", "--format", "json",
                                                    cwd=folder).stdout)[0]["model"],
                     stdin=card, cwd=folder)
    assert quote.returncode == 0, quote.stderr
    lint = ratecard("lint", "-", "--format", "json", stdin=card, cwd=folder)
    assert lint.returncode == 0
    assert json.loads(lint.stdout)["files"] == ["<stdin>"]
    broken = ratecard("lint", "-", stdin=card.replace("currency: credits", "currency: euros"),
                      cwd=folder)
    assert broken.returncode == 1
    assert broken.stdout.startswith("<stdin>:")


def test_standard_input_is_read_once(folder: Path) -> None:
    message = one_error_line(ratecard("quote", "--provider", "evolink", "--payload", "-",
                                      "--tables", "-", stdin="{}", cwd=folder))
    assert "standard input can be read once" in message


@pytest.mark.parametrize(("argv", "flag"), [
    (("quote", "--provider", "evolink", "--model", "kling-v3-image-to-video", "--at",
      "2026-13-01"), "--at must be a date"),
    (("quote", "--provider", "evolink", "--model", "kling-o3-video-edit", "--input-seconds",
      "abc"), "--input-seconds must be a number"),
    (("quote", "--provider", "evolink", "--model", "kling-o3-video-edit"),
     "give --input-seconds"),
    (("quote", "--provider", "evolnk", "--model", "kling-o3-video-edit"),
     "--provider: unknown provider 'evolnk'; did you mean evolink?"),
    (("quote", "--provider", "evolink", "--model", "kling-v3-image-to-video", "--quality",
      "9k"), "--quality: "),
    (("route", *I2V, "--max-usd", "cheap"), "--max-usd must be a number"),
    (("route", *I2V, "--down", "evolnk"), "--down: unknown provider"),
    (("offerings", "--credits-per-usd", "kling3api=abc"), "--credits-per-usd must be a number"),
    (("compare", "--input-seconds", "-3"), "--input-seconds must be more than 0"),
])
def test_errors_name_the_flag_typed(argv: tuple[str, ...], flag: str) -> None:
    message = one_error_line(ratecard(*argv))
    assert flag in message
    assert not re.search(r"(?<![\w-])(input_seconds|max_usd|credits_per_usd)\b", message)


def test_route_help_is_routes_own() -> None:
    text = ratecard("route", "--help").stdout
    assert "usage: ratecard route" in text
    assert "ratecard quote" not in text
    assert "ratecard reconcile" not in text


def test_compare_exits_1_when_nothing_can_serve_as_route_does() -> None:
    long = (*I2V[:-1], "30")  # no Kling 3.0 offering accepts 30 s
    compare, route = ratecard("compare", *long), ratecard("route", *long)
    assert (compare.returncode, route.returncode) == (1, 1)
    assert ratecard("compare", *I2V).returncode == 0


def test_compare_of_an_offering_without_usd_value_still_serves() -> None:
    result = ratecard("compare", "--provider", "kling3api", "--family", "kling-3.0", "--mode",
                      "text-to-video", "--duration", "5", "--format", "json")
    data = json.loads(result.stdout)
    assert data["candidates"] == []
    assert {e["code"] for e in data["exclusions"]} >= {"USD_UNKNOWN"}
    assert result.returncode == 0


def test_lint_of_a_missing_file_exits_2_like_every_command(folder: Path) -> None:
    lint = one_error_line(ratecard("lint", "nonexistent.yaml", cwd=folder))
    quote = one_error_line(ratecard("quote", "--tables", "nonexistent.yaml", "--provider",
                                    "evolink", "--model", "x", cwd=folder))
    assert "nonexistent.yaml" in lint
    assert "nonexistent.yaml" in quote


def test_credits_per_usd_on_reconcile_and_rates(folder: Path, tmp_path: Path) -> None:
    invoice = tmp_path / "usd.csv"  # 400 credits at 500 credits = 1 USD is 0.8 USD
    invoice.write_text("task_id,provider,model,timestamp,charged,currency,status\n"
                       "u1,kling3api,pro-text-to-video,2026-02-05,0.80,USD,SUCCESS\n")
    unknown = ratecard("reconcile", str(invoice), "--format", "json")
    given = ratecard("reconcile", str(invoice), "--format", "json",
                     "--credits-per-usd", "kling3api=500")
    assert json.loads(unknown.stdout)["by_status"] == {"UNPRICED_CURRENCY": 1}
    assert (given.returncode, json.loads(given.stdout)["by_status"]) == (0, {"MATCH": 1})
    rows = csv_rows(ratecard("rates", "--credits-per-usd", "kling3api=500").stdout)
    kling = [row for row in rows if row["provider"] == "kling3api"]
    assert kling
    assert all(row["credits_per_usd"] == "500" for row in kling)


def test_a_usd_cards_quote_prints_its_amount_once() -> None:
    out = ratecard("quote", "--provider", "fal", "--model", "v3-pro-image-to-video",
                   "--duration", "5").stdout
    usd = [line for line in out.splitlines() if line.startswith("USD")]
    assert len(usd) == 1, out
    assert usd[0].split()[1] == "0.560000"  # 5 s x $0.112/s


def test_quote_json_says_amount_like_every_answer() -> None:
    fal = json.loads(ratecard("quote", "--provider", "fal", "--model", "v3-pro-image-to-video",
                              "--duration", "5", "--format", "json").stdout)
    evolink = json.loads(ratecard("quote", "--provider", "evolink", "--model",
                                  "kling-v3-image-to-video", "--duration", "10", "--quality",
                                  "1080p", "--sound", "on", "--format", "json").stdout)
    assert (fal["amount"], fal["currency"], fal["usd"]) == ("0.560000", "USD", "0.560000")
    assert (evolink["amount"], evolink["currency"]) == ("108.0000", "credits")
    assert evolink["credits"] == evolink["amount"]  # deprecated, kept for a release
    compare = json.loads(ratecard("compare", *I2V, "--format", "json").stdout)
    assert compare["exclusions"] == compare["excluded"]
    assert "amount" in compare["candidates"][0]


def test_conflicting_input_lengths_are_reported() -> None:
    edit = ("quote", "--provider", "evolink", "--payload", "-", "--input-seconds", "7.4")
    body = json.dumps({"model": "kling-o3-video-edit", "video_url": "https://example.com/a.mp4"})
    message = one_error_line(ratecard(*edit, "--video-info", "seconds=8", stdin=body))
    assert "--input-seconds 7.4 and --video-info seconds=8 disagree" in message
    same = ratecard(*edit, "--video-info", "seconds=7.40", stdin=body)
    assert same.returncode == 0, same.stderr
    twice = one_error_line(ratecard("offerings", "--credits-per-usd", "kling3api=500",
                                    "--credits-per-usd", "kling3api=400"))
    assert "two credit values" in twice


def test_two_sources_for_one_column_are_reported(folder: Path) -> None:
    message = one_error_line(ratecard("reconcile", "export.csv", "--column", "charged=a",
                                      "--column", "charged=amount_billed", cwd=folder))
    assert "--column charged=a and --column charged=amount_billed disagree" in message


def test_quote_payload_of_an_edit_without_length_says_ratecard_needs_it(folder: Path) -> None:
    message = one_error_line(ratecard("quote", "--provider", "evolink", "--payload",
                                      "edit.json", cwd=folder))
    assert "ratecard needs the input video's length" in message
    assert "would not accept" not in message
    assert ratecard("check", "--provider", "evolink", "--payload", "edit.json",
                    cwd=folder).returncode == 0


# --- --format csv and --out -----------------------------------------------------------------

LISTS = {
    "offerings": ("offerings", "--provider", "evolink"),
    "compare": ("compare", *I2V),
    "route": ("route", *I2V),
    "sources": ("sources", "--provider", "fal"),
    "lint": ("lint",),
    "check": ("check", "--provider", "evolink", "--payload", "body.json"),
    "reconcile": ("reconcile", "march.csv"),
    "whatif": ("whatif", "march.csv", "--credits-per-usd", "kling3api=500"),
    "diff": ("diff", "pricing_tables", "my-cards", "--usage", "march.csv"),
}


@pytest.mark.slow  # one process per case: CI runs them all
@pytest.mark.parametrize("command", [*LISTS, "rates"])
def test_every_list_takes_table_json_and_csv(folder: Path, command: str) -> None:
    argv = LISTS.get(command, ("rates",))
    for fmt in ("table", "json", "csv"):
        result = ratecard(*argv, "--format", fmt, cwd=folder)
        assert result.returncode == 0, (fmt, result.stderr)
        assert result.stdout.strip()
        if fmt == "json":
            json.loads(result.stdout)
        if fmt == "csv":  # a valid body has no violation: the header alone
            assert csv_rows(result.stdout) or command == "check"
            assert "," in result.stdout.splitlines()[0]


def test_offerings_csv_holds_the_seed_prices(folder: Path) -> None:
    rows = csv_rows(ratecard("offerings", "--provider", "evolink", "--format", "csv").stdout)
    row = next(r for r in rows if r["model"] == "kling-v3-image-to-video"
               and r["quality"] == "1080p" and r["sound"] == "on")
    # 5.4 credits/s x 2.0 = 10.8 credits/s; / 72 credits per USD = 0.15 USD/s
    assert (Decimal(row["price"]), row["currency"], Decimal(row["usd"])) == (
        Decimal("10.8"), "credits", Decimal("0.15"))


def test_compare_csv_ranks_candidates_then_lists_exclusions() -> None:
    rows = csv_rows(ratecard("compare", *I2V, "--format", "csv").stdout)
    ranked = [r for r in rows if r["rank"]]
    assert ranked[0]["provider"] == "evolink"
    assert (ranked[0]["amount"], ranked[0]["usd"]) == ("108.0000", "1.500000")  # 10 s x 10.8
    assert [int(r["rank"]) for r in ranked] == list(range(1, len(ranked) + 1))
    assert rows.index(ranked[-1]) == len(ranked) - 1  # exclusions after the candidates
    assert all(r["code"] for r in rows[len(ranked):])


@pytest.mark.slow  # one process per case: CI runs them all
@pytest.mark.parametrize("command", ["offerings", "compare", "route", "sources", "lint",
                                     "diff"])
def test_out_writes_what_would_be_printed(folder: Path, tmp_path: Path, command: str) -> None:
    for fmt in ("table", "json", "csv"):
        printed = ratecard(*LISTS[command], "--format", fmt, cwd=folder)
        out = tmp_path / f"{command}.{fmt}"
        written = ratecard(*LISTS[command], "--format", fmt, "--out", str(out), cwd=folder)
        assert (written.returncode, written.stdout) == (printed.returncode, "")
        assert out.read_text() == printed.stdout


def test_out_refuses_a_directory_and_an_input(folder: Path) -> None:
    assert "is a directory" in one_error_line(ratecard("offerings", "--out", "my-cards",
                                                       cwd=folder))
    assert "is an input file" in one_error_line(
        ratecard("lint", "my-card.yaml", "--out", "my-card.yaml", cwd=folder))
    assert (folder / "my-card.yaml").read_text().startswith("# yaml-language-server")


def test_csv_cells_never_run_as_formulas(folder: Path, tmp_path: Path) -> None:
    card = (folder / "my-card.yaml").read_text().replace("name: Acme Video (fictional)",
                                                         "name: Acme Video (fictional)")
    evil = tmp_path / "evil.yaml"
    evil.write_text(card.replace("provider: acme", "provider: acme").replace(
        "https://acme.example/pricing", "=HYPERLINK(\"https://x.test\")"))
    rows = csv_rows(ratecard("sources", "--tables", str(evil), "--provider", "acme", "--all",
                             "--format", "csv").stdout)
    documents = {row["document"] for row in rows}
    assert "'=HYPERLINK(\"https://x.test\")" in documents
    assert not any(cell.startswith("=") for row in rows for cell in row.values())


# --- progress -------------------------------------------------------------------------------

def big_invoice(folder: Path, lines: int) -> Path:
    path = folder / f"big-{lines}.csv"
    if not path.exists():
        row = "evolink,kling-v3-image-to-video,2026-11-01,5,27.0,credits,succeeded\n"
        path.write_text("task_id,provider,model,timestamp,duration,charged,currency,status\n"
                        + "".join(f"t{i},{row}" for i in range(lines)))
    return path


def on_a_terminal(argv: list[str], cwd: Path, sized: bool = True) -> tuple[int, str, str]:
    """Run ``ratecard`` with standard error on a pseudo-terminal, as in a user's shell
    (``sized``: one that says its size, as a terminal window does)."""
    leader, follower = pty.openpty()
    if sized:
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = user_env()
    env["COLUMNS"] = "120"
    process = subprocess.Popen([str(RATECARD), *argv], cwd=cwd, stdout=subprocess.PIPE,
                               stderr=follower, stdin=subprocess.DEVNULL, env=env)
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the follower closed
            break
        if not chunk:
            break
        shown += chunk
    assert process.stdout is not None
    out = process.stdout.read().decode()
    status = process.wait(60)
    os.close(leader)
    return status, out, shown.decode(errors="replace")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_reconcile_on_a_terminal_shows_lines_rate_and_eta(folder: Path, engine: str) -> None:
    invoice = big_invoice(folder, 20_000)
    status, out, err = on_a_terminal(["reconcile", invoice.name, "--engine", engine], folder)
    assert status == 0, err
    assert "20000 lines: MATCH 20000" in out
    assert "lines/s" in err, err
    assert "100%" in err, err
    assert re.search(r"20\.0k/20\.0k", err), err


@pytest.mark.parametrize("sized", [True, False])
def test_rates_on_a_terminal_shows_a_bar(folder: Path, sized: bool) -> None:
    status, _, err = on_a_terminal(["rates", "--out", "rates.csv"], folder, sized)
    assert status == 0
    assert "rows/s" in err
    assert "100%" in err


def test_nothing_on_stderr_when_piped_unless_asked(folder: Path) -> None:
    invoice = big_invoice(folder, 2_000)
    quiet = ratecard("reconcile", invoice.name, cwd=folder)
    asked = ratecard("reconcile", invoice.name, "--progress", cwd=folder)
    assert (quiet.returncode, quiet.stderr) == (0, "")
    assert "lines/s" in asked.stderr
    assert "100%" in asked.stderr
    assert asked.stdout == quiet.stdout
    status, _, err = on_a_terminal(["reconcile", invoice.name, "--no-progress"], folder)
    assert (status, err) == (0, "")
    assert ratecard("rates", "--progress", cwd=folder).stderr
    assert not ratecard("rates", cwd=folder).stderr


@pytest.mark.slow  # starts a JVM
def test_spark_reconcile_shows_progress_when_asked(folder: Path) -> None:
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java")
    result = ratecard("reconcile", "month.parquet", "--engine", "spark", "--progress",
                      cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "2 lines: MATCH 2" in result.stdout
    assert "rating (spark)" in result.stderr
    assert "100%" in result.stderr


def test_spark_says_what_went_wrong_and_nothing_else(tmp_path: Path) -> None:
    """Spark's start-up warnings (host name, native libraries, log levels) are not shown;
    the JVM's own ``WARNING:`` lines (incubator modules) are outside Spark's logging."""
    pytest.importorskip("pyspark")
    duckdb = pytest.importorskip("duckdb")
    path = tmp_path / "float.parquet"
    duckdb.sql("COPY (SELECT 't1' AS task_id, 'evolink' AS provider, "
               "'kling-v3-text-to-video' AS model, DATE '2026-11-01' AS timestamp, "
               "5 AS duration, 27.0::DOUBLE AS charged, 'credits' AS currency, "
               f"'succeeded' AS status) TO '{path}' (FORMAT parquet)")
    result = ratecard("reconcile", str(path), "--engine", "spark")
    said = [line for line in result.stderr.splitlines() if not line.startswith("WARNING: ")]
    assert result.returncode == 2, result.stderr
    assert said == [f"ratecard: error: {path}: column charged (charged) has type double: "
                    "money must be DECIMAL or text"], result.stderr
