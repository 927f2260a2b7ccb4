"""Files and output (issue "Nothing lost, nothing guessed, nothing let in"): ``--out`` never
destroys an input or leaves a partial file that looks whole, Ctrl-C exits 130 with one
line, CSV cells never run as spreadsheet formulas, and a closed pipe keeps the exit
status."""

from __future__ import annotations

import csv
import io
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ratecard.cli import main
from ratecard.reconcile import lines_from_text, reconcile
from ratecard.reconcile.writers import spreadsheet_safe, write_results
from tests.output_checks import one_error_line, small_invoice
from tests.reconcile_strategies import csv_text, line
from tests.strategies import CATALOG

CLI = [sys.executable, "-c", "import sys; from ratecard.cli import main; sys.exit(main())"]


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATECARD_NO_CACHE", "1")


# --------------------------------------------------------------------------- --out checks

def test_out_naming_the_input_is_refused_and_the_input_is_intact(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = small_invoice(tmp_path)
    before = path.read_bytes()
    assert main(["reconcile", str(path), "--out", str(path)]) == 2
    assert "is an input file" in one_error_line(capsys)
    assert path.read_bytes() == before


def test_out_naming_the_input_through_another_path_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = small_invoice(tmp_path)
    link = tmp_path / "link.csv"
    link.symlink_to(path)
    before = path.read_bytes()
    assert main(["reconcile", str(path), "--out", str(link)]) == 2
    assert path.read_bytes() == before
    assert main(["reconcile", str(path), "--out", str(tmp_path / "." / path.name)]) == 2


@pytest.mark.parametrize("command", ["reconcile", "rates"])
def test_out_in_a_missing_directory_or_a_directory_is_one_line_and_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    args = [command, str(small_invoice(tmp_path))] if command == "reconcile" else [command]
    assert main([*args, "--out", str(tmp_path / "nowhere" / "out.csv")]) == 2
    assert "no such directory" in one_error_line(capsys)
    folder = tmp_path / "results.csv"
    folder.mkdir()
    assert main([*args, "--out", str(folder)]) == 2
    assert "is a directory" in one_error_line(capsys)


@pytest.mark.parametrize("command", ["reconcile", "whatif", "rates"])
def test_out_ending_in_a_slash_names_a_directory_and_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    """``--out results.csv/`` wrote the file ``results.csv``: a name ending in ``/``
    is a directory's, as every file call of the system reads it."""
    args = [command] if command == "rates" else [command, str(small_invoice(tmp_path))]
    assert main([*args, "--out", f"{tmp_path / 'results.csv'}/"]) == 2
    named = f"{tmp_path / 'results.csv'}/"
    assert one_error_line(capsys) == (f"ratecard: error: --out {named} ends in /, which "
                                      "names a directory: name a file (without it)")
    assert not (tmp_path / "results.csv").exists()


def test_out_is_complete_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    assert main(["reconcile", str(small_invoice(tmp_path, 5)), "--out", str(out)]) == 0
    assert len(list(csv.reader(out.open(encoding="utf-8")))) == 6
    assert sorted(p.name for p in tmp_path.iterdir()) == ["invoice.csv", "results.csv"]


@pytest.mark.parametrize("out", ["results.csv", "results.jsonl", "results.txt"])
def test_a_nul_in_an_invoice_never_reaches_the_results_file(tmp_path: Path,
                                                            out: str) -> None:
    """A task id or provider holding a zero byte was written raw into the results."""
    path = tmp_path / "damaged.csv"
    path.write_text(csv_text([line(task_id="t\x001"), line(task_id="t2", provider="e\x00")]),
                    encoding="utf-8")
    assert main(["reconcile", str(path), "--out", str(tmp_path / out)]) == 1
    written = (tmp_path / out).read_bytes()
    assert b"\x00" not in written
    assert written.count(b"holds a NUL character") == 2


def test_out_through_a_link_replaces_the_file_it_points_to_and_keeps_the_link(
        tmp_path: Path) -> None:
    real = tmp_path / "kept" / "results.csv"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    assert main(["reconcile", str(small_invoice(tmp_path, 2)), "--out", str(link)]) == 0
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert len(list(csv.reader(real.open(encoding="utf-8")))) == 3
    assert sorted(p.name for p in real.parent.iterdir()) == ["results.csv"]


def test_out_keeps_the_permissions_of_the_file_it_replaces(tmp_path: Path) -> None:
    out = tmp_path / "private.csv"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o600)
    assert main(["rates", "--out", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o600
    assert out.read_text(encoding="utf-8").startswith("provider")


def test_out_to_a_device_writes_through_it_and_leaves_it_a_device(tmp_path: Path) -> None:
    device = tmp_path / "null"  # a copy of /dev/null: a regression must not break the machine's
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    assert main(["rates", "--out", str(device)]) == 0
    assert device.is_char_device()
    assert main(["offerings", "--format", "csv", "--out", str(device)]) == 0
    assert device.is_char_device()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


def _full_device(tmp_path: Path) -> Path:
    """A copy of /dev/full: every write to it fails with ENOSPC."""
    device = tmp_path / "full.csv"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except PermissionError:
        pytest.skip("making a device node needs root")
    return device


def test_a_file_that_cannot_be_written_is_one_line_and_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A full disk printed a traceback and exited 1, the status of "discrepancies found":
    a script would look for results that were never written."""
    device = _full_device(tmp_path)
    assert main(["reconcile", str(small_invoice(tmp_path)), "--out", str(device)]) == 2
    assert one_error_line(capsys) == (f"ratecard: error: --out {device}: cannot be written: No "
                              "space left on device")
    with device.open("w") as full:
        done = subprocess.run([*CLI, "offerings", "--format", "csv"], stdout=full,
                              stderr=subprocess.PIPE, text=True, check=False)
    assert (done.returncode, done.stderr) == (
        2, "ratecard: error: cannot read or write: No space left on device\n")


@pytest.mark.slow
def test_duckdb_that_cannot_write_is_one_line_and_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("duckdb")
    if not Path("/proc/self").is_dir():
        pytest.skip("needs /proc, where no file can be created")
    assert main(["reconcile", str(small_invoice(tmp_path)), "--engine", "duckdb",
                 "--out", "/proc/results.parquet"]) == 2
    assert one_error_line(capsys) == ("ratecard: error: --out /proc/results.parquet: cannot be "
                              "written: No such file or directory")


def test_out_to_a_named_pipe_writes_into_the_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "results.csv"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    assert main(["reconcile", str(small_invoice(tmp_path, 2)), "--out", str(fifo)]) == 0
    text = reader.communicate(timeout=60)[0].decode("utf-8")
    assert len(text.splitlines()) == 3
    assert fifo.is_fifo()


def test_out_dash_is_refused_instead_of_creating_a_file_named_dash(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["rates", "--out", "-"]) == 2
    assert "standard output" in one_error_line(capsys)
    assert main(["offerings", "--out", "-"]) == 2
    assert "standard output" in one_error_line(capsys)
    assert not (tmp_path / "-").exists()


def test_out_through_a_link_into_a_missing_directory_is_one_line_and_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = tmp_path / "latest.csv"
    link.symlink_to(tmp_path / "gone" / "results.csv")
    assert main(["rates", "--out", str(link)]) == 2
    assert "does not exist" in one_error_line(capsys)
    assert link.is_symlink()


@pytest.mark.parametrize("argv", [
    ["rates", "--out"], ["rates", "--format", "json", "--out"],
    ["offerings", "--format", "csv", "--out"], ["compare", "--family", "kling-3.0",
                                                "--mode", "text-to-video", "--duration",
                                                "5", "--out"]])
def test_text_is_never_written_into_a_parquet_name(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """``rates --out r.parquet`` wrote CSV into a file every Parquet reader then rejects."""
    target = tmp_path / "rates.parquet"
    assert main([*argv, str(target)]) == 2
    assert "not Parquet" in one_error_line(capsys)
    assert not target.exists()


# --------------------------------------------------------------------------- Ctrl-C

def _bigsmall_invoice(tmp_path: Path, rows: int) -> Path:
    path = tmp_path / "big.csv"
    one = csv_text([line(task_id="x")]).splitlines()
    with path.open("w", encoding="utf-8") as handle:
        handle.write(one[0] + "\n")
        body = one[1].split(",", 1)[1]
        handle.writelines(f"t{i},{body}\n" for i in range(rows))
    return path


def _wait_until_reading(pid: int, source: Path) -> None:
    """Until the process has the input open (its imports are done, the work has begun)."""
    deadline = time.monotonic() + 60
    fds = Path(f"/proc/{pid}/fd")
    while time.monotonic() < deadline:
        try:
            if any(os.readlink(fd) == str(source) for fd in fds.iterdir()):
                time.sleep(0.2)
                return
        except OSError:
            pass
        time.sleep(0.02)
    raise AssertionError("the command never opened its input")


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize(("sent", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)],
                         ids=["Ctrl-C", "SIGTERM"])
def test_an_interrupt_exits_with_one_line_and_no_partial_out(tmp_path: Path, engine: str,
                                                          sent: int, status: int) -> None:
    """SIGTERM (a job scheduler's stop) left a hidden partial file beside --out."""
    source = _bigsmall_invoice(tmp_path, 400_000)
    out = tmp_path / "results.csv"
    env = {**os.environ, "RATECARD_NO_CACHE": "1"}
    process = subprocess.Popen([*CLI, "reconcile", str(source), "--engine", engine,
                                "--out", str(out)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)
    _wait_until_reading(process.pid, source)
    process.send_signal(sent)
    _stdout, stderr = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the run finished before the interrupt arrived")
    assert process.returncode == status, stderr
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv"]


# --------------------------------------------------------------------------- CSV formulas

@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx",
                                  "=HYPERLINK(\"http://x\")"])
def test_formula_cells_are_neutralised(cell: str) -> None:
    assert spreadsheet_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["t1", "evolink", "-2.0000", "-0.5", "12",
                                  "-2.0000 credits; -0.1 USD", ""])
def test_numbers_and_plain_text_are_kept(cell: str) -> None:
    assert spreadsheet_safe(cell) == cell


def test_results_csv_never_starts_a_text_cell_with_a_formula() -> None:
    text = csv_text([line(task_id="=cmd|' /C calc'!A0", model="@SUM(1)"),
                     line(task_id="t2", charged="26")])
    results, _ = reconcile(CATALOG, lines_from_text(text, "=evil.csv"))
    out = io.StringIO()
    write_results(results, out, "csv")
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), row
            if cell.startswith("-"):
                float(cell)  # only a negative number may start with "-"
    assert rows[1][2] == "'=cmd|' /C calc'!A0"


# --------------------------------------------------------------------------- closed pipe

@pytest.mark.slow  # runs the entry point in a pipe; CI runs it
def test_a_closed_pipe_keeps_the_exit_status(tmp_path: Path) -> None:
    """3,000 lines of unknown models: a summary far longer than a pipe's buffer, and exit 1;
    the reader stops after one line."""
    path = tmp_path / "unknown.csv"
    path.write_text(csv_text([line(task_id=f"t{i}", model=f"no-such-model-{i}")
                              for i in range(3000)]), encoding="utf-8")
    env = {**os.environ, "RATECARD_NO_CACHE": "1"}
    process = subprocess.Popen([*CLI, "reconcile", str(path)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)
    assert process.stdout is not None
    process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode() if process.stderr else ""
    assert process.wait(timeout=120) == 1, stderr
    assert "Traceback" not in stderr
    assert "BrokenPipe" not in stderr


@pytest.mark.parametrize("command", ["reconcile", "whatif", "rates", "offerings"])
def test_an_empty_out_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 command: str) -> None:
    """``--out "$RESULTS"`` with the variable unset wrote nothing and said nothing."""
    invoice = str(small_invoice(tmp_path))
    args = [command, invoice] if command in ("reconcile", "whatif") else [command]
    for empty in ("", " "):
        with pytest.raises(SystemExit) as caught:
            main([*args, "--out", empty])
        assert caught.value.code == 2
        assert "argument --out: name a file (the name given is empty)" in \
            capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["invoice.csv"]


def _spark_like(folder: Path, *extra: str) -> Path:
    folder.mkdir()
    for name in ("_SUCCESS", "._SUCCESS.crc", "part-00000-1f.snappy.parquet",
                 ".part-00000-1f.snappy.parquet.crc", *extra):
        (folder / name).write_bytes(b"")
    return folder


def test_spark_parquet_out_may_replace_an_earlier_spark_output_only(tmp_path: Path) -> None:
    """Spark writes a directory: a second run of the README's command was refused ("is a
    directory"), and a file in the way failed after the whole run with a traceback."""
    from ratecard.cli.output import OutputError, out_path

    earlier = _spark_like(tmp_path / "earlier.parquet")
    assert out_path(str(earlier), directory=True) == earlier
    with pytest.raises(OutputError, match="is a directory; name a file"):
        out_path(str(earlier))
    mixed = _spark_like(tmp_path / "mixed.parquet", "notes.txt")
    with pytest.raises(OutputError, match="holds more than an earlier Spark output"):
        out_path(str(mixed), directory=True)
    with pytest.raises(OutputError, match="holds more than an earlier Spark output"):
        out_path(str(tmp_path), directory=True)
    file = tmp_path / "file.parquet"
    file.write_text("OLD")
    with pytest.raises(OutputError, match="is a file, and Spark writes its Parquet as a "
                                          "directory"):
        out_path(str(file), directory=True)
    assert file.read_text() == "OLD"


@pytest.mark.slow
def test_spark_parquet_out_run_twice_replaces_the_first(tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    from tests.engines import spark_session

    spark_session()  # skips without Java
    target = tmp_path / "results.parquet"
    invoice = str(small_invoice(tmp_path))
    for _ in range(2):
        done = subprocess.run([*CLI, "reconcile", invoice, "--engine", "spark", "--out",
                               str(target)], capture_output=True, text=True, check=False)
        assert done.returncode in (0, 1), done.stderr
        assert "Traceback" not in done.stderr
    assert (target / "_SUCCESS").exists()
    assert len(list(target.glob("part-*.parquet"))) >= 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["invoice.csv", "results.parquet"]


@pytest.mark.parametrize("cell", ["-1.68 USD; 0 evolink credits", "-27 evolink credits",
                                  "-0.5 USD; -2 kling3api credits; 3 credits@evolink"])
def test_whatif_amounts_are_kept_as_amounts(cell: str) -> None:
    assert spreadsheet_safe(cell) == cell


@pytest.mark.parametrize("cell", ["-1 a+b credits", "-1 =A1 credits", "-1 evolink credits!A0",
                                  '-1 credits@"x; 1 USD"', "-1 x|y credits"])
def test_an_amount_look_alike_with_a_formula_is_guarded(cell: str) -> None:
    assert spreadsheet_safe(cell) == "'" + cell


def test_whatif_csv_summary_leaves_a_negative_total_an_amount(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]
                                                               ) -> None:
    path = tmp_path / "neg.csv"
    path.write_text(
        "task_id,provider,model,timestamp,duration,quality,sound,charged,currency,status\n"
        "n1,evolink,kling-v3-image-to-video,2026-11-01,5,720p,off,-27,credits,succeeded\n"
        "n2,evolink,kling-v3-image-to-video,2026-11-01,5,720p,off,27,credits,succeeded\n"
        "n3,fal,v3-pro-image-to-video,2026-11-01,10,1080p,on,-1.68,USD,succeeded\n",
        encoding="utf-8")
    main(["whatif", str(path), "--format", "csv"])
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[2] == ["total", "charged", "", "", "", "", "", "", "-1.68 USD; 0 evolink credits"]
