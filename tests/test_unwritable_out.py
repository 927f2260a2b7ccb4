"""An ``--out`` that cannot be written (a directory that does not exist or is not
writable, a path that is a directory, a file system that takes no files, a full disk):
one line naming ``--out`` as the user gave it and why, exit 2, and no temporary
``.part`` file left behind, on every engine and in both commands. The library's writers
raise an :class:`~ratecard.reconcile.readers.InvoiceError` naming the path they were
given, never a name of ratecard's own.

``/proc`` takes no new file, even from root, so it stands for a place that cannot be
written wherever the tests run; a read-only directory does only for a user other than
root."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from ratecard.cli import main
from ratecard.reconcile.readers import InvoiceError
from tests.output_checks import one_error_line, small_invoice
from tests.strategies import CATALOG

NOWHERE = Path("/proc/ratecard-results")
"""A directory that cannot hold a new file (``/proc`` takes none)."""


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATECARD_NO_CACHE", "1")


@pytest.fixture
def proc() -> None:
    if not Path("/proc/self").is_dir():
        pytest.skip("needs /proc, where no file can be created")


def _left(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if ".part" in path.name)


COMMANDS = [
    pytest.param(["reconcile", "--engine", "python"], ".csv", id="reconcile-python-csv"),
    pytest.param(["reconcile", "--engine", "duckdb"], ".csv", id="reconcile-duckdb-csv"),
    pytest.param(["reconcile", "--engine", "duckdb"], ".parquet",
                 id="reconcile-duckdb-parquet"),
    pytest.param(["whatif", "--engine", "python"], ".jsonl", id="whatif-python-jsonl"),
    pytest.param(["whatif", "--engine", "python"], ".parquet", id="whatif-python-parquet"),
    pytest.param(["whatif", "--engine", "duckdb"], ".csv", id="whatif-duckdb-csv"),
    pytest.param(["whatif", "--engine", "duckdb"], ".parquet", id="whatif-duckdb-parquet"),
]


def _run(command: list[str], invoice: Path, out: str) -> int:
    name, *options = command
    status: int = main([name, str(invoice), *options, "--out", out, "--no-progress"])
    return status


@pytest.fixture(params=["checked-first", "found-late"])
def when(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """``--out`` is tried before any work; ``found-late`` leaves that out, as when the
    directory changes during the run, so the write itself fails."""
    if request.param == "found-late":
        monkeypatch.setattr("ratecard.cli.output._can_write_beside",
                            lambda name, target: None)
    return str(request.param)


@pytest.mark.usefixtures("proc", "when")
@pytest.mark.parametrize(("command", "suffix"), COMMANDS)
def test_a_place_that_takes_no_file_is_named_as_given(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str],
        suffix: str) -> None:
    """The error named ``/proc/.results.csv.1234.5d2a.part``, a file the user never
    asked for."""
    pytest.importorskip("duckdb")
    out = f"/proc/results{suffix}"
    assert _run(command, small_invoice(tmp_path), out) == 2
    assert one_error_line(capsys) == (f"ratecard: error: --out {out}: cannot be written: No such "
                              "file or directory")


@pytest.mark.usefixtures("proc", "when")
@pytest.mark.parametrize(("command", "suffix"), COMMANDS)
def test_a_link_to_such_a_place_is_named_as_the_link(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        command: list[str], suffix: str) -> None:
    pytest.importorskip("duckdb")
    monkeypatch.chdir(tmp_path)
    (tmp_path / f"results{suffix}").symlink_to(f"/proc/results{suffix}")
    out = f"./results{suffix}"
    assert _run(command, small_invoice(tmp_path), out) == 2
    assert one_error_line(capsys) == (f"ratecard: error: --out {out}: cannot be written: No such "
                              "file or directory")
    assert _left(tmp_path) == []


@pytest.mark.usefixtures("when")
@pytest.mark.parametrize(("command", "suffix"), COMMANDS)
def test_a_read_only_directory_says_so_and_leaves_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str],
        suffix: str) -> None:
    pytest.importorskip("duckdb")
    if os.geteuid() == 0:
        pytest.skip("root writes into a read-only directory")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        out = f"{folder}/results{suffix}"
        assert _run(command, small_invoice(tmp_path), out) == 2
        assert one_error_line(capsys) == (f"ratecard: error: --out {out}: cannot be written: the "
                                  f"directory {folder} is not writable (permission denied)")
        assert _left(folder) == []
    finally:
        folder.chmod(stat.S_IRWXU)


def test_a_full_disk_through_a_link_names_the_link(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A full disk: the write fails deep inside a buffered write, with no file name."""
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    out = tmp_path / "results.csv"
    out.symlink_to("/dev/full")
    assert main(["reconcile", str(small_invoice(tmp_path)), "--out", str(out)]) == 2
    assert one_error_line(capsys) == (f"ratecard: error: --out {out}: cannot be written: No space "
                              "left on device")


# --------------------------------------------------------------------------- the library

def _duckdb_run(invoice: Path, path: str) -> None:
    from ratecard.batch.duckdb_engine import DuckDBRun

    with DuckDBRun(CATALOG, [invoice]) as run:
        run.write_parquet(path)


def _duckdb_whatif(invoice: Path, path: str) -> None:
    from ratecard.whatif.sql import DuckDBWhatIf

    with DuckDBWhatIf(CATALOG, [invoice]) as run:
        run.write_parquet(path)


def _python_whatif(invoice: Path, path: str) -> None:
    from ratecard.whatif import WhatIf, read_lines
    from ratecard.whatif.writers import write_results_parquet

    write_results_parquet(WhatIf(CATALOG).run(read_lines([invoice])), path)


def _rates(invoice: Path, path: str) -> None:
    from ratecard.batch.duckdb_engine import write_rates_parquet
    from ratecard.batch.rates import rate_rows

    write_rates_parquet(rate_rows(CATALOG), path)


WRITERS = [pytest.param(writer, id=writer.__name__.strip("_"))
           for writer in (_duckdb_run, _duckdb_whatif, _python_whatif, _rates)]


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("name", ["results.parquet", "results [1].parquet"],
                         ids=["plain", "pattern"])
def test_library_writers_name_the_path_they_were_given(
        tmp_path: Path, writer: Callable[[Path, str], None], name: str) -> None:
    """A name that is not plain is written through ratecard's temporary folder: the error
    was an OSError of the move, or named ratecard's own file."""
    pytest.importorskip("duckdb")
    invoice = small_invoice(tmp_path)
    missing = f"{tmp_path}/missing/{name}"
    with pytest.raises(InvoiceError) as raised:
        writer(invoice, missing)
    assert str(raised.value) == (f"{missing}: cannot be written: no such directory "
                                 f"{tmp_path}/missing")
    folder = tmp_path / "folder.parquet"
    folder.mkdir()
    with pytest.raises(InvoiceError) as raised:
        writer(invoice, str(folder))
    assert str(raised.value) == f"{folder}: cannot be written: it is a directory"


# --------------------------------------------------------------------------- Spark

@pytest.mark.slow
@pytest.mark.usefixtures("proc", "when")
@pytest.mark.parametrize("command", ["reconcile", "whatif"])
def test_spark_names_out_as_given(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  command: str) -> None:
    """Spark's error named the temporary folder, after a stage failure and its cause."""
    from tests.engines import spark_session

    spark_session()
    invoice = small_invoice(tmp_path)
    out = "/proc/results.parquet"
    assert _run([command, "--engine", "spark"], invoice, out) == 2
    assert one_error_line(capsys) in (
        f"ratecard: error: --out {out}: cannot be written: No such file or directory",
        f"ratecard: error: --out {out}: cannot be written: a directory for it cannot be made")


@pytest.mark.slow
@pytest.mark.usefixtures("proc")
def test_spark_library_names_the_path_it_was_given(tmp_path: Path) -> None:
    from ratecard.batch.spark_engine import SparkRun
    from tests.engines import spark_session

    out = "/proc/results [1].parquet"
    with SparkRun(CATALOG, [small_invoice(tmp_path)], spark=spark_session()) as run, \
            pytest.raises(InvoiceError) as raised:
        run.write_parquet(out)
    assert str(raised.value) == f"{out}: cannot be written: No such file or directory"
