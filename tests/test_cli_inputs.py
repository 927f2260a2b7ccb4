"""The files a command reads, run in-process (``ratecard.cli.main``): standard input is
read once, ``--out`` never replaces an input, and ``diff OLD NEW`` reads only OLD and NEW.

The cards are ``tests/cards/acme.yaml`` (fictional: 1.25 credits/s for acme-gen at 720p
without sound until 2026-07-01, 1.5 from then on; USD rounded half-even to 0.01) and the
built-in EvoLink card; the usage lines are ``tests/user_files.py``'s ``march.csv``.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from ratecard.cli import main
from tests.user_files import HEADER, LINES, ROOT

ACME = ROOT / "tests" / "cards" / "acme.yaml"
DAYS = ("--from", "2026-03-01", "--to", "2026-08-01")
EVOLINK = ROOT / "pricing_tables" / "evolink.yaml"


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


def test_diff_of_two_card_sets_refuses_tables(capsys: pytest.CaptureFixture[str]) -> None:
    err = one_error_line(*run(capsys, "diff", str(EVOLINK), str(ACME), "--tables", str(ACME)))
    assert "OLD NEW are each a full set of cards" in err
    assert "--tables" in err


@pytest.mark.parametrize(("old", "kind", "before", "after"), [
    # 5 s at 1.25 and 1.5 credits/s, 10 credits per USD: 0.625 -> 0.62, 0.75
    (ACME, "changed", "0.62", "0.75"),
    (EVOLINK, "added", "", "0.75"),  # acme only on the NEW side
])
def test_diff_of_two_card_sets_takes_their_credit_values(
        capsys: pytest.CaptureFixture[str], old: Path, kind: str, before: str,
        after: str) -> None:
    status, out, err = run(capsys, "diff", str(old), str(ACME), *DAYS, "--credits-per-usd",
                           "acme=10", "--format", "csv")
    assert (status, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    gen = next(r for r in rows if (r["model"], r["quality"], r["sound"]) == (
        "acme-gen", "720p", "off"))
    assert (gen["kind"], gen["clip_usd_before"], gen["clip_usd_after"]) == (
        kind, before, after)


def test_diff_of_two_card_sets_names_their_providers(
        capsys: pytest.CaptureFixture[str]) -> None:
    err = one_error_line(*run(capsys, "diff", str(EVOLINK), str(ACME), "--credits-per-usd",
                              "acm=10"))
    assert "--credits-per-usd acm=10: unknown provider 'acm'; did you mean acme? " \
        "(known: acme, evolink)" in err


EDIT_BODY = '{"model": "kling-o1-video-edit", "prompt": "x", "video_url": "https://a/b.mp4"}'


@pytest.mark.parametrize(("argv", "message"), [
    (("compare", "--provider", "nope", "--duration", "5"),
     "ratecard: error: --provider: unknown provider 'nope'"),
    (("route", "--provider", "evolink", "--duration", "5", "--family", "kling-3.0",
      "--mode", "text-to-video"),
     "ratecard: error: --provider describes a --payload body, and there is none"),
    (("route", "--video-info", "seconds=5", "--input-seconds", "5", "--family", "kling-o1",
      "--mode", "video-edit"),
     "ratecard: error: --video-info describes a --payload body, and there is none"),
    (("quote", "--payload", "BODY", "--provider", "evolink", "--input-seconds", "abc"),
     "ratecard: error: --input-seconds must be a number, got 'abc'"),
    (("route", "--payload", "BODY", "--provider", "evolink", "--input-seconds", "abc"),
     "ratecard: error: --input-seconds must be a number, got 'abc'"),
    (("quote", "--payload", "BODY", "--provider", "evolink", "--video-info", "seconds=abc"),
     "ratecard: error: --video-info seconds must be a number, got 'abc'"),
    (("quote", "--payload", "BODY", "--provider", "evolink", "--video-info", "seconds=5,fps=x"),
     "ratecard: error: --video-info fps must be a number, got 'x'"),
])
def test_errors_name_the_option_typed(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                      argv: tuple[str, ...], message: str) -> None:
    """They named the library's parameter (``providers``) or the body's field
    (``video.seconds``), which the user never typed; route ignored --provider (the
    dialect of a body) without a body, as if it limited the sellers."""
    body = tmp_path / "body.json"
    body.write_text(EDIT_BODY, encoding="utf-8")
    err = one_error_line(*run(capsys, *(str(body) if a == "BODY" else a for a in argv)))
    assert err.startswith(message), err


@pytest.mark.parametrize(("argv", "message"), [
    (("whatif", "--deny", "krea", "march.csv"),
     "--deny took march.csv as a seller name: give the files before --deny, or end its "
     "list with --"),
    (("whatif", "--allow", "evolink", "fal", "-", "--deny", "krea"), "--allow took -"),
    (("whatif", "--deny", "krea"), "whatif needs at least one FILE (usage:"),
])
def test_whatif_says_when_allow_or_deny_took_its_file(
        capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str) -> None:
    """It said only "the following arguments are required: FILE" for a file given."""
    err = one_error_line(*run(capsys, *argv))
    assert message in err, err


def test_route_reads_outcomes_from_standard_input(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """``--outcomes -`` looked for a file named '-'."""
    import json

    outcome = {"provider": "evolink", "model": "kling-v3-text-to-video", "outcome": "failed",
               "at": "2026-12-05T09:00:00Z"}
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(
        (json.dumps(outcome) + "\n").encode())))
    status, out, err = run(capsys, "route", "--family", "kling-3.0", "--mode", "text-to-video",
                           "--duration", "5", "--outcomes", "-", "--now",
                           "2026-12-05T09:10:00Z", "--format", "json")
    assert status == 0, err
    [circuit] = json.loads(out)["circuits"]
    assert (circuit["provider"], circuit["model"], circuit["failed"]) == (
        "evolink", "kling-v3-text-to-video", 1)


def test_outcomes_and_a_payload_cannot_both_be_standard_input(
        capsys: pytest.CaptureFixture[str]) -> None:
    err = one_error_line(*run(capsys, "route", "--payload", "-", "--provider", "evolink",
                              "--outcomes", "-"))
    assert "--payload - and --outcomes - all ask for it" in err, err


@pytest.mark.parametrize("command", [("offerings",), ("rates",),
                                     ("compare", "--duration", "5")])
@pytest.mark.parametrize("name", ["acme.yaml", "new.yml"])
def test_out_never_writes_a_card_of_a_tables_directory(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, command: tuple[str, ...],
        name: str) -> None:
    """``offerings --tables cards --out cards/acme.yaml`` replaced the card read with the
    table printed (and a new .yml there would be read as a card next time)."""
    cards = tmp_path / "cards"
    cards.mkdir()
    shutil.copy(ACME, cards / "acme.yaml")
    before = (cards / "acme.yaml").read_bytes()
    err = one_error_line(*run(capsys, *command, "--tables", str(cards),
                              "--out", str(cards / name)))
    assert "is a rate card file of the input directory" in err, err
    assert (cards / "acme.yaml").read_bytes() == before
    assert sorted(p.name for p in cards.iterdir()) == ["acme.yaml"]


@pytest.mark.parametrize(("argv", "said"), [
    (["offerings", "--tables", ""], "--tables is empty"),
    (["lint", ""], "a file argument is empty"),
    (["reconcile", " "], "a file argument is empty"),
    (["whatif", ""], "a file argument is empty"),
])
def test_an_empty_file_name_is_refused(capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                       argv: list[str], said: str) -> None:
    """``--tables "$CARDS"`` with the variable unset read every *.yaml of the current
    directory (Path("") is "."), and lint checked them."""
    shutil.copy(ROOT / "pricing_tables" / "krea.yaml", tmp_path / "acme.yaml")
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "")
    assert err.startswith(f"ratecard: error: {said}: give a file or directory name")


@pytest.mark.parametrize("command", [("reconcile",), ("whatif",),
                                     ("whatif", "--engine", "duckdb")])
@pytest.mark.parametrize("second", ["same", "dotted", "link"])
def test_a_file_given_twice_is_refused_not_read_twice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        command: tuple[str, ...], second: str) -> None:
    """Its lines were read twice: each a DUPLICATE_TASK of itself, and a doubled total."""
    if "duckdb" in command:
        pytest.importorskip("duckdb")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "march.csv").write_text(HEADER + "".join(LINES), encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(tmp_path / "march.csv")
    other = {"same": "march.csv", "dotted": "./march.csv", "link": "link.csv"}[second]
    err = one_error_line(*run(capsys, *command, "march.csv", other))
    said = "march.csv is given twice" if second == "same" else \
        f"march.csv and {other} are the same file"
    assert f"{said}: give each file once" in err


def test_diff_usage_given_twice_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "march.csv").write_text(HEADER + "".join(LINES), encoding="utf-8")
    err = one_error_line(*run(capsys, "diff", *DAYS, "--usage", "march.csv", "--usage",
                              "march.csv"))
    assert "march.csv is given twice" in err


@pytest.mark.parametrize(("given", "said"), [
    ("abc", "--video-info seconds must be a number, got 'abc'"),
    ("NaN", "--video-info seconds must be a finite number, got 'NaN'"),
    ("", "--video-info seconds must be a number, got ''"),
])
def test_a_bad_video_info_length_beside_input_seconds_says_what_is_wrong(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], given: str, said: str) -> None:
    """It said the two "disagree about the input video's length" (and with the check for
    that relaxed, --input-seconds would have stood in for the bad value unseen)."""
    body = tmp_path / "edit.json"
    body.write_text('{"model": "kling-o3-video-edit", "prompt": "x", '
                    '"video_url": "https://example.com/in.mp4"}')
    status = main(["quote", "--provider", "evolink", "--payload", str(body),
                   "--input-seconds", "7", "--video-info", f"seconds={given}"])
    out, err = capsys.readouterr()
    assert (status, out, err) == (2, "", f"ratecard: error: {said}\n")


@pytest.mark.parametrize(("text", "statuses"), [
    # JSON Lines whose first line is a list: that line is invalid, the rest read
    ('[1, 2]\n{"task_id": "t1", "provider": "evolink", "model": "kling-v3-image-to-video", '
     '"timestamp": "2026-11-01", "duration": 5, "quality": "720p", "sound": "off", '
     '"charged": 27, "currency": "credits", "status": "succeeded"}\n',
     {"INVALID_LINE": 1, "MATCH": 1}),
    ('[{"task_id": "t1"\n', {"INVALID_LINE": 1}),  # an array cut short: one bad line
])
def test_standard_input_that_starts_with_a_bracket_but_is_no_array_is_read_by_line(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], text: str,
        statuses: dict[str, int]) -> None:
    """It was refused whole ("not a JSON array of records"), where the same text in a
    .jsonl file gives each line its result."""
    import json

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    status, out, err = run(capsys, "reconcile", "-", "--no-progress", "--format", "json")
    assert status == 1, err
    assert json.loads(out)["by_status"] == statuses


def test_standard_input_of_json_lines_ending_in_carriage_returns(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Old Mac line ends (CR, no line feed) piped in were one INVALID_LINE."""
    import json

    from tests.reconcile_strategies import jsonl_text, line

    text = jsonl_text([line(), line(task_id="t2"), line()]).replace("\n", "\r")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    status, out, err = run(capsys, "reconcile", "-", "--no-progress", "--format", "json")
    assert status == 1, err
    assert json.loads(out)["by_status"] == {"DUPLICATE_TASK": 1, "MATCH": 2}


@pytest.mark.parametrize("end", ["\r", "\r\n", "\r\r\n"])
def test_standard_input_of_json_lines_whose_first_line_is_longer_than_4_kib(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        end: str) -> None:
    """Standard input's line ends were decided from its first 4 KiB: a CR-only input whose
    first line was longer (a long note) was one INVALID_LINE for the whole input, where
    the same file named on the command line was read line by line."""
    import json

    from tests.reconcile_strategies import jsonl_text, line

    rows = [line(note="x" * 9000), line(task_id="t2"), line(task_id="t3")]
    text = jsonl_text(rows).replace("\n", end)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    status, out, err = run(capsys, "reconcile", "-", "--no-progress", "--format", "json")
    assert (status, json.loads(out)["lines"]) == (0, 3), err
    assert json.loads(out)["by_status"] == {"MATCH": 3}


def test_standard_input_of_one_record_over_many_lines_is_one_line(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Seed 001's EvoLink task object piped as the page prints it was 19 INVALID_LINEs;
    the summary of one line said "1 lines"."""
    from tests.test_invoice_readers import SEED_001_TASK

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(SEED_001_TASK.encode())))
    status, out, _ = run(capsys, "reconcile", "-", "--no-progress")
    assert status == 0  # 27 credits for 5 s: 720p without sound, read from the charge
    assert out.splitlines()[-1] == "1 line: MATCH 1"
    assert "27.0 credits@evolink" in out
