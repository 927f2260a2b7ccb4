"""Human tables show what came from input, never obey it: a provider, model or task id
holding an escape sequence (``ESC [2J`` clears the screen, ``ESC ]0;...BEL`` retitles the
window), a carriage return or a right-to-left override was written raw to the terminal by
``reconcile``, ``whatif`` and the other tables (reasons were already escaped)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


CELLS = st.one_of(
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=14),
    st.sampled_from(["", "True", "False", " lead", "trail ", "a  b", "10", "-1.50",
                     "1e3", "None", "nan", "a-b-c-d-e-f", "价格", "é", "a\nb", "\x1b[2J",
                     "\t", "x" * 30]),
)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[list[str]], list[str], dict[str, Any]]:
    columns = draw(st.integers(1, 4))
    rows = draw(st.lists(st.lists(CELLS, min_size=columns, max_size=columns), min_size=1,
                         max_size=4))
    headers = draw(st.one_of(st.just([]), st.lists(CELLS, min_size=columns,
                                                    max_size=columns)))
    options: dict[str, Any] = {"tablefmt": draw(st.sampled_from(["simple", "plain"]))}
    # from 2: tabulate never returns from a wide character in a column 1 wide
    widths = draw(st.one_of(st.none(), st.lists(st.one_of(st.none(), st.integers(2, 16)),
                                                max_size=columns + 1)))
    if widths is not None:
        options["maxcolwidths"] = widths
    return rows, headers, options


@given(tables())
def test_a_table_is_the_one_tabulate_writes(
        table: tuple[list[list[str]], list[str], dict[str, Any]]) -> None:
    """The quote's tables are written without importing tabulate where the result is
    sure to be the same (plain ASCII cells that need no wrapping): tabulate is the
    oracle, on every kind of cell, written here or by it."""
    from tabulate import tabulate

    rows, headers, options = table
    expected = tabulate([[printable(c) for c in row] for row in rows],
                        headers=[printable(h) for h in headers], disable_numparse=True,
                        **options)
    assert text_table(rows, headers=headers, **options) == expected


def test_a_plain_table_is_written_without_tabulate() -> None:
    from ratecard.terminal import _plain_table

    rows = [["duration", "10", "requested duration: 10 s"], ["usd", "", "x  y"]]
    assert _plain_table(rows, ["step", "value", "how"],
                        {"tablefmt": "simple", "disable_numparse": True}) == (
        "step      value    how\n"
        "--------  -------  ------------------------\n"
        "duration  10       requested duration: 10 s\n"
        "usd                x  y")  # a column is at least two wider than its header
    assert _plain_table(rows, [], {"tablefmt": "plain", "disable_numparse": True,
                                   "maxcolwidths": [None, 90]}) == (
        "duration  10  requested duration: 10 s\n"
        "usd           x  y")
