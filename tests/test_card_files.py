"""A card file is read with limits: every bad file is a CardError naming the file (and the
line where there is one), never a traceback, a hang or gigabytes of memory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import ratecard
from ratecard import CardError
from ratecard.cards.loader import MAX_CARD_BYTES, read_card
from tests.bounded import bounded

ROOT = Path(__file__).resolve().parent.parent
KREA = (ROOT / "pricing_tables" / "krea.yaml").read_text(encoding="utf-8")


def _problem(path: Path) -> ratecard.CardProblem:
    with bounded(), pytest.raises(CardError) as caught:
        read_card(path)
    problem = caught.value.problems[0]
    assert problem.file == str(path)
    assert "Traceback" not in problem.message
    return problem


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "card.yaml"
    os.mkfifo(path)
    assert "not a regular file" in _problem(path).message


def test_a_device_is_refused(tmp_path: Path) -> None:
    assert "not a regular file" in _problem(Path("/dev/zero")).message


def test_a_loop_of_symbolic_links_is_reported(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.symlink_to(b)
    b.symlink_to(a)
    assert "loop of symbolic links" in _problem(a).message


def test_a_file_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(KREA + "#" * MAX_CARD_BYTES, encoding="utf-8")
    assert f"at most {MAX_CARD_BYTES} bytes" in _problem(path).message


@pytest.mark.slow  # parses a large file; CI runs it
def test_an_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    """407 bytes of anchors that refer to anchors: 9^9 values once expanded."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problem = _problem(path)
    assert "values once its aliases are expanded" in problem.message
    assert problem.line is not None


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    assert "depth" in _problem(path).message or "deep" in _problem(path).message


@pytest.mark.parametrize(("old", "new", "words"), [
    ("checked_on: 2026-12-03", "checked_on: 2026-02-30", "not a date"),
    ("name: Krea", "name: Kr\x07ea", "invalid YAML"),
    ("name: Krea", "name: \udcff", None),
    # an explicit tag: never truncated (0.1764 was read as 0), never a traceback
    ("720p: {off: 0.1764,", "720p: {off: !!int 0.1764,", "tagged !!int but is not a whole"),
    ("720p: {off: 0.1764,", "720p: {off: !!bool 0.5,", "tagged !!bool but is not true"),
    ("checked_on: 2026-12-03", "checked_on: !!timestamp soon", "'soon' is not a date"),
    # a number is not a date (pydantic would read 0 as 1970-01-01)
    ("checked_on: 2026-12-03", "checked_on: 0", "0 is not a date"),
    ("        source: *price_source", "        effective_to: 20261101\n"
     "        source: *price_source", "20261101 is not a date"),
    # a version that ends before year 1 covers no day (lint ended in an OverflowError)
    ("        source: *price_source", "        effective_to: 0001-01-01\n"
     "        source: *price_source", "leaves the version no day"),
])
def test_a_bad_value_has_its_line(tmp_path: Path, old: str, new: str,
                                  words: str | None) -> None:
    assert old in KREA
    path = tmp_path / "krea.yaml"
    path.write_bytes(KREA.replace(old, new, 1).encode("utf-8", "surrogateescape"))
    problem = _problem(path)
    assert problem.line is not None
    if words is not None:
        assert words in problem.message


def test_a_good_card_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "krea.yaml"
    path.write_text(KREA, encoding="utf-8")
    assert read_card(path).card.provider == "krea"


def test_a_whole_number_under_an_int_tag_is_read(tmp_path: Path) -> None:
    path = tmp_path / "krea.yaml"
    path.write_text(KREA.replace("min: 3", "min: !!int 3", 1), encoding="utf-8")
    assert read_card(path).card.provider == "krea"


@pytest.mark.parametrize("argv", [
    ["offerings", "--tables", "{fifo}"],
    ["quote", "--tables", "{big}", "--provider", "krea", "--model", "kling-3.0-text-to-video"],
])
def test_every_command_reads_cards_with_the_limits(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """``--tables`` went through the compiled-catalog cache, which read every file whole
    before the loader's checks: a FIFO hung, /dev/zero filled memory (not run here: it
    would take the machine's memory when it fails), 5 MB passed."""
    from ratecard.cli import main

    folder = tmp_path / "cards"
    folder.mkdir()
    (folder / "krea.yaml").write_text(KREA, encoding="utf-8")
    os.mkfifo(folder / "stray.yaml")
    big = tmp_path / "big.yaml"
    big.write_text(KREA + "#" * MAX_CARD_BYTES + "\n", encoding="utf-8")
    argv = [arg.format(fifo=folder, big=big) for arg in argv]
    with bounded():
        status = main(argv)
    out, err = capsys.readouterr()
    assert (status, out) == (2, "")
    assert "not a regular file" in err or f"at most {MAX_CARD_BYTES} bytes" in err
