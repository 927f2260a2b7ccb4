"""Human tables show what came from input, never obey it: a provider, model or task id
holding an escape sequence (``ESC [2J`` clears the screen, ``ESC ]0;...BEL`` retitles the
window), a carriage return or a right-to-left override was written raw to the terminal by
``reconcile``, ``whatif`` and the other tables (reasons were already escaped)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ratecard.cli import main
from ratecard.terminal import printable, text_table

HOSTILE = {
    "task_id": "t\x1b]0;pwned\x07",
    "provider": "evo\x1b[2Jlink",
    "model": "kling-v3\u202e-image",
}
RAW = ("\x1b", "\x07", "\u202e", "\r")


def invoice(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.csv"
    path.write_text("task_id,provider,model,timestamp,charged,currency,status\n"
                    f"\"{HOSTILE['task_id']}\",\"{HOSTILE['provider']}\","
                    f"\"{HOSTILE['model']}\",2026-11-01,27,credits,\"succ\reeded\"\n",
                    encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize(("command", "to_file"), [
    ("reconcile", False), ("reconcile", True), ("whatif", False), ("whatif", True),
])
def test_a_table_escapes_control_characters_from_the_input(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str,
        to_file: bool) -> None:
    """On the terminal (the summary), and in a ``.txt`` table of every line (``--out``)."""
    path = invoice(tmp_path)
    table = tmp_path / "lines.txt"
    main([command, str(path), *(["--out", str(table)] if to_file else [])])
    out = table.read_text(encoding="utf-8") if to_file else capsys.readouterr().out
    if command == "whatif" and not to_file:  # only in a unit: a JSON string, its escape
        assert '"evo\\u001b[2Jlink" credits' in out
    else:
        assert HOSTILE["provider"].replace("\x1b", "\\x1b") in out  # shown, as its escape
    for raw in RAW:
        assert raw not in out, f"{raw!r} printed raw by {command}"


def test_machine_output_keeps_the_text_as_it_was(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """JSON is for programs: the provider is what the file said (JSON escapes it itself)."""
    import json

    main(["reconcile", "--format", "json", str(invoice(tmp_path))])
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert {(r["provider"], r["model"]) for r in rows} >= {(HOSTILE["provider"],
                                                             HOSTILE["model"])}


CONTROLS = st.sampled_from(["\x00", "\x07", "\x08", "\t", "\x0b", "\x0c", "\r", "\x1b",
                            "\x7f", "\x85", "\x9b", "\u061c", "\u200e", "\u200f", "\u2028",
                            "\u2029", "\u202a", "\u202e", "\u2066", "\u2069"])


@given(st.lists(st.one_of(CONTROLS, st.text(max_size=5)), max_size=12))
def test_printable_text_holds_no_control_character_and_nothing_else_changes(
        parts: list[str]) -> None:
    text = "".join(parts)
    shown = printable(text)
    assert not any(c in shown for c in "\x00\x07\x08\t\x0b\x0c\r\x1b\x7f\x85\x9b\u061c"
                   "\u200e\u200f\u2028\u2029\u202a\u202e\u2066\u2069")
    # the model: each control character becomes its escape, every other character stays
    expected = "".join(
        c.encode("unicode_escape").decode("ascii")
        if c != "\n" and (ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f
                          or c in "\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d"
                                  "\u202e\u2066\u2067\u2068\u2069")
        else c for c in text)
    assert shown == expected


def test_a_line_break_in_a_cell_is_kept_for_wrapping() -> None:
    assert text_table([["a\nb", 1]], headers=["x", "n"]).splitlines() == [
        "x    n", "---  ---", "a    1", "b"]


BODY = ('{"model":"kling-v3-image-to-video","prompt":"x","image_start":"https://a.b/c.jpg",'
        '"duration":5,"quality":"720p","z\\u001b[2Jz":1}')


@pytest.mark.parametrize("argv", [
    ["check", "--provider", "evolink", "--payload"],
    ["quote", "--provider", "evolink", "--payload"],
    ["route", "--credits-per-usd", "kling3api=500", "--provider", "evolink", "--payload"],
])
def test_warnings_about_a_body_escape_its_key_names(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """An unknown key holding ESC [2J was quoted raw in the warnings (and the changed
    lines of a translation); the body itself is JSON, which escapes it."""
    path = tmp_path / "body.json"
    path.write_text(BODY, encoding="utf-8")
    main([*argv, str(path)])
    out, err = capsys.readouterr()
    assert "unknown field z\\x1b[2Jz" in out
    assert "\x1b" not in out + err


def test_an_error_line_escapes_what_it_quotes(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    outcomes = tmp_path / "outcomes.jsonl"
    outcomes.write_text('{"provider": "evolink", "model": "kling-v3-image-to-video", '
                        '"outcome": "failed", "at": 1762000000, "z\\u001b]0;x\\u0007": 1}\n',
                        encoding="utf-8")
    assert main(["route", "--family", "kling-3.0", "--mode", "image-to-video", "--duration",
                 "5", "--outcomes", str(outcomes), "--now", "1762000100"]) == 2
    err = capsys.readouterr().err
    assert "unknown keys z\\x1b]0;x\\x07" in err
    assert "\x1b" not in err
