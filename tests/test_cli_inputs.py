"""The files a command reads, run in-process (``ratecard.cli.main``): standard input is
read once.

The card piped in is ``tests/cards/acme.yaml`` (fictional).
"""

from __future__ import annotations

import io

import pytest

from ratecard.cli import main
from tests.user_files import ROOT

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
