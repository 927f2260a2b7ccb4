"""A JSON ``\\ud800`` escape is valid JSON but not text: half of a UTF-16 surrogate pair,
which no UTF-8 output can hold. It was read, then writing the line (``--out``, the DuckDB
staging file) ended in a UnicodeEncodeError traceback. Every JSON reader now refuses it
as the line's or body's own error; an escaped pair (an emoji) is still one character."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ratecard
from ratecard.cli import main
from ratecard.payloads.dialects.reader import load_json

CARD = ratecard.load()
GOOD = {"task_id": "t2", "provider": "evolink", "model": "kling-v3-image-to-video",
        "timestamp": "2026-11-01", "duration": 5, "charged": "27.0000",
        "currency": "credits", "status": "succeeded"}


def _lines(path: Path) -> Path:
    bad = json.dumps({**GOOD, "task_id": "t1"}).replace('"t1"', '"t\\ud800"')
    path.write_text(bad + "\n" + json.dumps(GOOD) + "\n", encoding="ascii")
    return path


def test_a_body_with_a_lone_surrogate_is_invalid_json() -> None:
    body = '{"model": "kling-v3-text-to-video", "prompt": "Dusk \\udc00"}'
    found = CARD.check_payload("evolink", body)
    assert [(v.code, v.path) for v in found] == [("INVALID_JSON", "(body)")]
    assert "surrogate" in found[0].message


def test_an_escaped_pair_is_one_character() -> None:
    body = '{"model": "kling-v3-text-to-video", "prompt": "Dusk \\ud83c\\udfac"}'
    assert CARD.check_payload("evolink", body) == []
    assert load_json(body)[0]["prompt"] == "Dusk \U0001f3ac"


@pytest.mark.parametrize("engine", ["python", pytest.param("duckdb", marks=pytest.mark.slow)])
def test_reconcile_refuses_the_line_and_writes_the_rest(
        engine: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if engine == "duckdb":
        pytest.importorskip("duckdb")
    source, out = _lines(tmp_path / "lines.jsonl"), tmp_path / "results.csv"
    status = main(["reconcile", str(source), "--engine", engine, "--out", str(out)])
    capsys.readouterr()
    assert status == 1  # a discrepancy: the invalid line
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 3
    assert rows[1].startswith(f"{source},1,")
    assert "INVALID_LINE" in rows[1]
    assert "surrogate" in rows[1]
    assert rows[2].startswith(f"{source},2,t2,")
    assert ",MATCH," in rows[2]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0xD780, max_codepoint=0xE080),
               max_size=6))
def test_what_load_json_returns_can_always_be_written(text: str) -> None:
    """Any string near the surrogate block, escaped as JSON (``ensure_ascii``) or not:
    either refused with a violation, or a value UTF-8 can write."""
    for form in (json.dumps({"prompt": text}),
                 json.dumps({"prompt": text}, ensure_ascii=False)):
        value, problem = load_json(form)
        if problem is None:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        else:
            assert problem.code == "INVALID_JSON"
