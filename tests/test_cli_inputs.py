"""The files a command reads, run in-process (``ratecard.cli.main``): standard input is
read once, and ``--out`` never replaces an input.

The cards are ``tests/cards/acme.yaml`` (fictional); the usage lines are
``tests/user_files.py``'s ``march.csv``.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from ratecard.cli import main
from tests.user_files import HEADER, LINES, ROOT

ACME = ROOT / "tests" / "cards" / "acme.yaml"
DAYS = ("--from", "2026-03-01", "--to", "2026-08-01")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def one_error_line(status: int, out: str, err: str) -> str:
    assert (status, out) == (2, ""), err
    assert err.count("\n") == 1, err
    assert err.startswith("ratecard: error: ")
    return err


@pytest.mark.parametrize(("argv", "named"), [
    (("diff", "-", "-"), "- and -"),
    (("diff", "-", str(ACME), "--usage", "-"), "--usage - and -"),
    (("diff", *DAYS, "--usage", "-", "--usage", "-"), "--usage - and --usage -"),
    (("diff", *DAYS, "--tables", "-", "--usage", "-"), "--tables - and --usage -"),
])
def test_diff_reads_standard_input_once(monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str],
                                        argv: tuple[str, ...], named: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(ACME.read_text(encoding="utf-8")))
    err = one_error_line(*run(capsys, *argv))
    assert f"standard input can be read once, but {named} all ask for it" in err


@pytest.mark.parametrize(("argv", "target"), [
    (("diff", "old.yaml", "new.yaml"), "old.yaml"),
    (("diff", "old.yaml", "new.yaml"), "new.yaml"),
    (("diff", *DAYS, "--usage", "march.csv"), "march.csv"),
])
def test_diff_out_is_never_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str],
                                    argv: tuple[str, ...], target: str) -> None:
    for name in ("old.yaml", "new.yaml"):
        shutil.copy(ACME, tmp_path / name)
    (tmp_path / "march.csv").write_text(HEADER + LINES, encoding="utf-8")
    before = (tmp_path / target).read_bytes()
    monkeypatch.chdir(tmp_path)
    err = one_error_line(*run(capsys, *argv, "--out", target))
    assert f"--out {target} is an input file" in err
    assert (tmp_path / target).read_bytes() == before
