"""Fuzzing every input surface of ``reconcile``: the command line, CSV lines, JSON lines,
task records and Parquet rows, on the Python engine and (slow) DuckDB.

What is checked is what the documentation promises, with no computed oracle:

- every input line is accounted for exactly once: one result per physical line, numbered
  in order (a CSV record may span lines only where the csv module itself reads those lines
  as one record of the header's width, and no line after the first reads alone as one
  but the last of a record its quoted field opens),
  and the summary counts as many lines;
- only documented outcomes: statuses of :data:`ratecard.codes.RECONCILE_STATUSES`, an
  INVALID_LINE reason that starts with ``file:line:``, :class:`InvoiceError` only for a
  file that cannot be used at all; from the CLI an exit status (0, 1, 2), never a
  traceback;
- bounded time and memory per input (:func:`tests.bounded.bounded`), whatever the fields
  hold (megabytes of digits, other scripts' digits, stray quotes, decimal commas);
- the SQL engines give the Python engine's results (slow).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import ratecard
from ratecard.cli import main
from ratecard.codes import RECONCILE_STATUSES
from ratecard.reconcile.readers import COLUMNS, FIELD_LIMIT
from ratecard.reconcile.reconciler import LineResult, Summary
from tests.bounded import bounded
from tests.budget import examples
from tests.engines import python, same_everywhere, write_parquet
from tests.reconcile_strategies import assert_groups_add_up, assert_unpriced_adds_up

CATALOG = ratecard.load(cache=False)
QUICK = settings(max_examples=examples(60), deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(max_examples=15, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
HEADER = ("task_id", "provider", "model", "timestamp", "duration", "quality", "sound",
          "charged", "currency", "status")

GOOD = {"task_id": "t", "provider": "evolink", "model": "kling-v3-image-to-video",
        "timestamp": "2026-11-01", "duration": "5", "quality": "720p", "sound": "off",
        "charged": "27.0", "currency": "credits", "status": "succeeded"}
"""A line the card prices at 27.0000 credits (seed 001)."""

HOSTILE = ["", " ", "60,5", "60.5", "1e-999999999", "9E+999999", "NaN", "-Infinity",
           "\u0665\u0666", "\uff12\uff17.0", "27.0\u00a0", "27_0", "0x1b", "1" * 120,
           "9" * (FIELD_LIMIT + 1), "x" * 5000, "2026-02-30", "1793577600",
           "1793577600000", "SUCCESS", "failed", "USD", "credits", "EUR", "on", "kling3api",
           "pro-text-to-video", "=cmd|'/C calc'!A0", "\x00", "\t", "é", "\ufffd", "1080p",
           "\ufefft", "t\x00", "\u2028", "\x85"]
"""Values each field may take besides its good one and arbitrary text."""


def fields(draw: st.DrawFn, *, quotes: bool) -> dict[str, str]:
    """A line: each field good, hostile or arbitrary text (no line breaks, and no ``"``
    unless ``quotes``)."""
    alphabet = st.characters(blacklist_characters="\r\n" + ("" if quotes else '"'),
                             codec="utf-8")
    out = {}
    for name in HEADER:
        out[name] = draw(st.one_of(st.just(GOOD[name]), st.sampled_from(HOSTILE),
                                   st.text(alphabet, max_size=12)))
        if not quotes:
            out[name] = out[name].replace('"', "")
    return out


@st.composite
def lines_of(draw: st.DrawFn, quotes: bool) -> list[dict[str, str]]:
    """Up to eight lines of :func:`fields`."""
    return [fields(draw, quotes=quotes)
            for _ in range(draw(st.integers(min_value=0, max_value=8)))]


def _csv(rows: list[dict[str, str]], quoting: bool) -> str:
    """Rows as CSV lines, fields joined with commas as they are (a comma in a field makes a
    row of another width: that is part of the fuzz) or quoted by the csv module."""
    if quoting:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows([row[name] for name in HEADER] for row in rows)
        return out.getvalue()
    return "".join(",".join(row[name] for name in HEADER) + "\n"
                   for row in [dict(zip(HEADER, HEADER, strict=True)), *rows])


@contextlib.contextmanager
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="ratecard-fuzz-") as name:
        yield Path(name)


def documented(results: list[LineResult], summary: Summary, source: str) -> None:
    """Only documented outcomes, and the summary counts every result once."""
    assert summary.total.lines == len(results)
    assert sum(summary.by_status.values()) == len(results)
    for result in results:
        assert result.source == source
        assert result.status in RECONCILE_STATUSES, result
        if result.status == "INVALID_LINE":
            assert result.reason.startswith(f"{source}:{result.line}: "), result
        assert len(result.reason) < 2_000, result  # a bad value is quoted short
        # a zero byte never reaches a result (nor so the results file written from it)
        assert not any(isinstance(value, str) and "\x00" in value for value in result), result
    assert_groups_add_up(summary)
    assert_unpriced_adds_up(summary, results)


def one_per_physical_line(results: list[LineResult], text: str, first: int) -> None:
    """Every physical line after the header has its result: itself, or the record the csv
    module reads it into (a quoted field spanning lines, of the header's width)."""
    physical = [f"{line}\n" for line in text.split("\n")[:-1]][first - 1:]  # \n only, as csv
    numbers = [r.line for r in results]
    assert numbers == sorted(set(numbers)), numbers
    if not numbers:
        assert not physical
        return
    assert numbers[0] == first
    assert all(first <= n < first + len(physical) for n in numbers)
    ends = [*numbers[1:], first + len(physical)]
    for start, end in zip(numbers, ends, strict=True):
        if end - start > 1:  # lines without a result of their own: one record with start
            span = physical[start - first:end - first]
            rows = list(csv.reader(span, strict=True, skipinitialspace=True))
            assert len(rows) == 1, (start, end, span)
            assert len(rows[0]) == len(HEADER), (start, end, span)
            # and no line of it a record on its own: every such line has its result (the
            # last one excepted where the quoted field opens the record, as "multi /
            # line",evolink,... whose last line reads alone as a record too)
            opens = len(next(csv.reader(span[:1], skipinitialspace=True))) == 1
            for text in span[1:-1] if opens else span[1:]:
                assert _alone_width(text) != len(HEADER), (start, end, span)


def _alone_width(text: str) -> int | None:
    """How many fields one physical line reads as on its own (``None``: a quote it does
    not close)."""
    try:
        return len(next(csv.reader([text], strict=True, skipinitialspace=True), []))
    except csv.Error:
        return None


def _reconcile_file(path: Path) -> tuple[list[LineResult], Summary]:
    with bounded(megabytes=48):
        return python(CATALOG, [path])


# --------------------------------------------------------------------------- CSV lines


@QUICK
@given(lines_of(quotes=False), st.booleans())
def test_csv_lines_without_quotes_each_get_one_result(rows: list[dict[str, str]],
                                                      quoting: bool) -> None:
    text = _csv(rows, quoting)
    with folder() as where:
        path = where / "fuzz.csv"
        path.write_text(text, encoding="utf-8", newline="")
        results, summary = _reconcile_file(path)
    if not quoting:  # no quote anywhere: one result per physical line, exactly
        assert [r.line for r in results] == list(range(2, len(rows) + 2))
    one_per_physical_line(results, text, 2)
    documented(results, summary, str(path))


@QUICK
@given(lines_of(quotes=True))
@example([{**GOOD, "status": '"succeeded'}, {**GOOD, "task_id": "u", "status": 'succeeded"'}])
def test_csv_lines_with_stray_quotes_lose_no_line(rows: list[dict[str, str]]) -> None:
    text = _csv(rows, quoting=False)
    with folder() as where:
        path = where / "fuzz.csv"
        path.write_text(text, encoding="utf-8", newline="")
        results, summary = _reconcile_file(path)
    one_per_physical_line(results, text, 2)
    documented(results, summary, str(path))


LINE_ENDS = ["\r\n", "\r\r\n", "\r"]
"""Line ends of other systems besides the line feed: Windows, a file converted to CRLF
twice, an old Mac."""


def _ended(draw: st.DrawFn, lines: list[str]) -> str:
    """``lines`` (no line end in any), each ended by its own line end: one for the whole
    file, or one drawn per line (two exports of different systems appended), the last
    line maybe unended. An empty line after a CR-ended one is ended by a CR (its CRLF
    would make the CR before it one ``\\r\\r\\n`` line end with it)."""
    if draw(st.booleans()):
        ends = [draw(st.sampled_from(LINE_ENDS))] * len(lines)
    else:
        ends = [draw(st.sampled_from(["\n", *LINE_ENDS])) for _ in lines]
    for n in range(1, len(lines)):  # a CR, then an empty line's CRLF: one CR CR LF end
        if not lines[n] and ends[n - 1] == "\r":
            ends[n] = "\r"
    if ends and lines[-1] and draw(st.booleans()):
        ends[-1] = ""
    return "".join(line + end for line, end in zip(lines, ends, strict=True))


_LINE_ENDS_MODEL = re.compile(r"\r\r\n|\r\n|\r|\n")
"""Where a line ends, by the documented rule: CR CR LF, CRLF, CR or LF."""


def physical_lines(text: str) -> int:
    """How many lines ``text`` holds by the documented rule (a last line with no end
    counts)."""
    return len(_LINE_ENDS_MODEL.split(text)) - (text == "" or text[-1] in "\r\n")


def _verdicts(results: list[LineResult]) -> list[tuple[object, ...]]:
    return [(r.line, r.status, r.task_id, r.charged, r.expected) for r in results]


@QUICK
@given(lines_of(quotes=False), st.booleans(), st.data())
def test_csv_lines_read_alike_whatever_their_line_ends(rows: list[dict[str, str]],
                                                       quoting: bool, data: st.DataObject
                                                       ) -> None:
    """The same lines ended by ``\\r\\r\\n`` once gave each a blank line after it; ends
    that switch part way end one line each too."""
    text = _csv(rows, quoting)
    with folder() as where:
        path = where / "fuzz.csv"
        path.write_text(text, encoding="utf-8", newline="")
        expected, _ = _reconcile_file(path)
        path.write_text(data.draw(st.composite(_ended)(text.split("\n")[:-1])),
                        encoding="utf-8", newline="")
        results, summary = _reconcile_file(path)
    assert _verdicts(results) == _verdicts(expected)
    documented(results, summary, str(path))


def test_a_decimal_comma_is_never_an_amount() -> None:
    """60,5 quoted is not a number; unquoted it is a row of one field too many: in no
    total either way, never 605 or 60.5 (or 60)."""
    rows = [{**GOOD, "task_id": "a", "charged": "60,5"}]
    with folder() as where:
        quoted = where / "quoted.csv"
        quoted.write_text(_csv(rows, quoting=True), encoding="utf-8")
        plain = where / "plain.csv"
        plain.write_text(_csv(rows, quoting=False), encoding="utf-8")
        jsonl = where / "comma.jsonl"
        jsonl.write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")
        for path in (quoted, plain, jsonl):
            [result], summary = python(CATALOG, [path])
            assert (result.status, result.charged) == ("INVALID_LINE", None), path
            assert summary.total.charged == {}, path


# --------------------------------------------------------------------------- JSON lines

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.sampled_from(HOSTILE) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=8)


def _invoice_object(draw: st.DrawFn) -> dict[str, Any]:
    """A good invoice line as a JSON object, some of its fields replaced by any JSON."""
    row: dict[str, Any] = dict(GOOD)
    for name in draw(st.sets(st.sampled_from(HEADER))):
        row[name] = draw(json_values)
    return row


@st.composite
def json_lines(draw: st.DrawFn) -> list[str]:
    """JSON lines: invoice objects with fields replaced, other JSON, and text that is not
    JSON (no line feed inside a line)."""
    out = []
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        kind = draw(st.sampled_from(["object", "value", "text", "number"]))
        if kind == "object":
            out.append(json.dumps(_invoice_object(draw)))
        elif kind == "value":
            out.append(json.dumps(draw(json_values)))
        elif kind == "number":  # numbers as JSON text, beyond what Python floats hold
            number = draw(st.sampled_from(["1e400000", "9E+999999", "1e-99", "-0", "60.5",
                                           "1" * 5000]))
            out.append(json.dumps({**GOOD, "charged": 0}).replace(": 0", f": {number}"))
        else:
            out.append(draw(st.text(st.characters(blacklist_characters="\n",
                                                  codec="utf-8"),
                                    max_size=30)))
    return out


@QUICK
@given(json_lines())
def test_json_lines_each_get_one_result(lines: list[str]) -> None:
    """A carriage return inside a line ends it, as anywhere: one result per line by the
    documented rule."""
    text = "".join(f"{line}\n" for line in lines)
    with folder() as where:
        path = where / "fuzz.jsonl"
        path.write_text(text, encoding="utf-8", newline="")
        results, summary = _reconcile_file(path)
    assert [r.line for r in results] == list(range(1, physical_lines(text) + 1))
    documented(results, summary, str(path))


@QUICK
@given(json_lines(), st.data())
def test_json_lines_read_alike_whatever_their_line_ends(lines: list[str],
                                                        data: st.DataObject) -> None:
    """The same lines ended by carriage returns alone were one unreadable line; ends that
    switch part way (CR lines, then LF lines) were read by the first line's end only."""
    lines = [line.replace("\r", "") for line in lines]  # a CR of a line would end it
    with folder() as where:
        path = where / "fuzz.jsonl"
        path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8",
                        newline="")
        expected, _ = _reconcile_file(path)
        path.write_text(data.draw(st.composite(_ended)(lines)), encoding="utf-8",
                        newline="")
        results, summary = _reconcile_file(path)
    assert [r.line for r in results] == list(range(1, len(lines) + 1))
    assert _verdicts(results) == _verdicts(expected)
    documented(results, summary, str(path))


UNPARSABLE_ELEMENTS = ['{"charged": NaN}', '{"task_id": "a", "task_id": "b"}', '"\\ud800"',
                       "[" * 70 + "]" * 70, '{"task_id": "x",}', "1e99999999999999999999",
                       "-Infinity", "", " ", '{"a": 1 2}', "tru", '"\\x"']
"""Elements that are no JSON value of their own, their brackets and quotes balanced: one
bad line each, never a file refused."""


@st.composite
def json_array(draw: st.DrawFn) -> tuple[str, int]:
    """A JSON array's text and how many elements it holds: invoice objects with fields
    replaced, other JSON values, task records and :data:`UNPARSABLE_ELEMENTS`, joined
    with any JSON blanks."""
    items = []
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        kind = draw(st.sampled_from(["line", "value", "record", "unparsable"]))
        if kind == "line":
            row = _invoice_object(draw)
            items.append(json.dumps(row, indent=draw(st.sampled_from([None, 1]))))
        elif kind == "value":
            items.append(json.dumps(draw(json_values)))
        elif kind == "record":
            items.append(json.dumps(draw(task_records())))
        else:
            items.append(draw(st.sampled_from(UNPARSABLE_ELEMENTS)))
    blank = st.text(st.sampled_from(" \t\r\n"), max_size=3)
    body = ",".join(draw(blank) + item + draw(blank) for item in items)
    if items and not body.strip(" \t\r\n"):
        return "[" + body + "]", len(items) if len(items) > 1 else 0
    return draw(blank) + "[" + body + "]" + draw(blank), len(items)


@QUICK
@given(json_array())
@example(("[1,,NaN,]", 4))
def test_json_array_elements_each_get_one_result(array: tuple[str, int]) -> None:
    """One element that is no JSON of its own once refused the whole file."""
    text, count = array
    with folder() as where:
        path = where / "fuzz.json"
        path.write_text(text, encoding="utf-8", newline="")
        results, summary = _reconcile_file(path)
    assert [r.line for r in results] == list(range(1, count + 1))
    documented(results, summary, str(path))


NO_OBJECTS = ['{"charged": NaN}', '{"task_id": "a", "task_id": "b"}', '{"task_id": "x",}',
              "5", '"t"', "[1,\n2]", '{"a":\r1 2}']
"""Elements that are INVALID_LINE whatever their neighbours: their reason says where they
start (a line and a column)."""


@st.composite
def placed_array(draw: st.DrawFn) -> tuple[str, list[int]]:
    """A JSON array whose lines end in any line end (one drawn per place, CR CR LF
    included), and where each element that is no invoice object starts: the offset of
    its first character (``-1`` for an invoice object, spread over lines or not)."""
    ends = st.sampled_from(["\n", *LINE_ENDS])
    blank = st.lists(st.one_of(st.sampled_from(" \t"), ends), max_size=3).map("".join)
    text, starts = draw(blank) + "[", []
    for n in range(draw(st.integers(min_value=0, max_value=6))):
        if draw(st.booleans()):
            item = json.dumps(_invoice_object(draw), indent=draw(st.sampled_from([None, 1])))
            start = -1
        else:
            item = draw(st.sampled_from(NO_OBJECTS))
            start = 0
        item = re.sub("\n", lambda _: draw(ends), item)
        text += ("," if n else "") + draw(blank)
        starts.append(len(text) if start == 0 else -1)
        text += item + draw(blank)
    return text + "]" + draw(blank), starts


def _place(text: str, offset: int) -> str:
    """Where ``offset`` of ``text`` is, by the documented line ends (a model)."""
    ends = list(_LINE_ENDS_MODEL.finditer(text, 0, offset))
    line_start = ends[-1].end() if ends else 0
    return f"(line {len(ends) + 1}, column {offset - line_start + 1})"


@QUICK
@given(placed_array())
@example(('[\r"t",\r\r\n5,\r\n\r"t"]', [2, 9, 14]))
def test_json_array_elements_are_placed_on_the_lines_an_editor_shows(
        array: tuple[str, list[int]]) -> None:
    """Elements were placed by counting line feeds only: in a CR-only array every one
    was on "line 1"."""
    text, starts = array
    with folder() as where:
        path = where / "fuzz.json"
        path.write_text(text, encoding="utf-8", newline="")
        results, summary = _reconcile_file(path)
    assert [r.line for r in results] == list(range(1, len(starts) + 1))
    for result, start in zip(results, starts, strict=True):
        if start >= 0:
            assert result.status == "INVALID_LINE"
            assert f"of the array {_place(text, start)}: " in result.reason, (result, text)
    documented(results, summary, str(path))


# --------------------------------------------------------------------------- task records

EVOLINK_TASK: dict[str, Any] = {
    "created": 1757169743, "id": "task-unified-1757169743-v3i2v",
    "model": "kling-v3-image-to-video", "object": "video.generation.task", "progress": 0,
    "status": "pending", "task_info": {"can_cancel": True, "video_duration": 5},
    "type": "video", "usage": {"billing_rule": "per_second", "credits_reserved": 27.0}}
KLING3API_RECORD: dict[str, Any] = {
    "code": 200, "message": "success",
    "data": {"task_id": "n75abc123kling3", "status": "SUCCESS", "consumed_credits": 400,
             "created_at": "2026-02-05T10:30:00Z",
             "request": {"type": "pro-text-to-video", "duration": 5},
             "type": "pro-text-to-video"}}
"""The seeds' own examples (seed 001, seed 003), which the fuzzer mutates."""


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield (*prefix, key)
            yield from _paths(inner, (*prefix, key))


@st.composite
def task_records(draw: st.DrawFn) -> dict[str, Any]:
    """A seed's task record with some of its values (at any depth) replaced."""
    record: dict[str, Any] = json.loads(json.dumps(draw(st.sampled_from(
        [EVOLINK_TASK, KLING3API_RECORD]))))
    paths = list(_paths(record))
    for path in draw(st.lists(st.sampled_from(paths), max_size=4)):
        target = record
        for key in path[:-1]:
            if not isinstance(target, dict) or key not in target:
                break
            target = target[key]
        else:
            if isinstance(target, dict):
                target[path[-1]] = draw(json_values)
    return record


@QUICK
@given(st.lists(task_records(), max_size=6))
def test_task_records_each_get_one_result(records: list[dict[str, Any]]) -> None:
    with folder() as where:
        path = where / "tasks.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        results, summary = _reconcile_file(path)
    assert [r.line for r in results] == list(range(1, len(records) + 1))
    documented(results, summary, str(path))


# --------------------------------------------------------------------------- the CLI

OPTIONS: list[tuple[str, st.SearchStrategy[str] | None]] = [
    ("--engine", st.sampled_from(["python", "duckdb", "spork", ""])),
    ("--format", st.sampled_from(["table", "csv", "json", "xml"])),
    ("--tolerance", st.sampled_from(["credits=1", "USD=0.01", "credits@evolink=2",
                                     "credits=1e-999999999", "EUR=1", "1", "credits=-1",
                                     "credits@nope=1", "USD=NaN", "credits=\uff11",
                                     "credits=1,5", "credits=1" + "0" * 5000])),
    ("--column", st.sampled_from(["charged=amount", "task_id=id", "nope=x", "charged=",
                                  "=x", "charged"])),
    ("--credits-per-usd", st.sampled_from(["kling3api=500", "kling3api=0",
                                           "kling3api=1e999999999", "x=1", "kling3api"])),
    ("--no-progress", None),
    ("--progress", None),
]


@st.composite
def argvs(draw: st.DrawFn) -> list[str]:
    argv = ["reconcile", "INVOICE"]
    for option, values in draw(st.lists(st.sampled_from(OPTIONS), max_size=4)):
        argv.append(option)
        if values is not None:
            argv.append(draw(values))
    if draw(st.booleans()):
        argv.append(draw(st.sampled_from(["--out", "--bogus", "-x", "--", "MISSING.csv",
                                          "OUT"])))
    return argv


@QUICK
@given(argvs())
def test_the_command_line_answers_with_a_status_never_a_traceback(argv: list[str]) -> None:
    with folder() as where:
        invoice = where / "march.csv"
        invoice.write_text(_csv([GOOD, {**GOOD, "task_id": "u", "charged": "60,5"}],
                                quoting=True), encoding="utf-8")
        argv = [str(invoice) if a == "INVOICE" else str(where / "results.csv") if a == "OUT"
                else a for a in argv]
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err), \
                bounded(megabytes=48):
            try:
                status = main(argv)
            except SystemExit as exc:  # argparse's usage errors
                status = exc.code  # type: ignore[assignment]
        assert invoice.read_text(encoding="utf-8").startswith("task_id,")  # never touched
    assert status in (0, 1, 2), (argv, status, err.getvalue())
    assert "Traceback" not in err.getvalue()
    if status == 2:
        assert 0 < len(err.getvalue()) < 3_000, err.getvalue()


# --------------------------------------------------------------------------- other engines


@pytest.mark.slow
@SLOW
@given(lines_of(quotes=True), st.booleans())
def test_duckdb_reads_fuzzed_csv_as_python_does(rows: list[dict[str, str]],
                                                quoting: bool) -> None:
    with folder() as where:
        path = where / "fuzz.csv"
        path.write_text(_csv(rows, quoting), encoding="utf-8", newline="")
        results, summary = same_everywhere(CATALOG, [path], ["duckdb"])
    documented(results, summary, str(path))


@pytest.mark.slow
@SLOW
@given(json_lines(), st.lists(task_records(), max_size=4))
def test_duckdb_reads_fuzzed_json_and_task_records_as_python_does(
        lines: list[str], records: list[dict[str, Any]]) -> None:
    with folder() as where:
        path = where / "fuzz.jsonl"
        path.write_text("".join(f"{line}\n" for line in
                                [*lines, *(json.dumps(r) for r in records)]),
                        encoding="utf-8")
        results, summary = same_everywhere(CATALOG, [path], ["duckdb"])
    assert [r.line for r in results] == list(range(1, len(lines) + len(records) + 1))
    documented(results, summary, str(path))


@pytest.mark.slow
@SLOW
@given(json_array())
def test_duckdb_reads_fuzzed_json_arrays_as_python_does(array: tuple[str, int]) -> None:
    text, count = array
    with folder() as where:
        path = where / "fuzz.json"
        path.write_text(text, encoding="utf-8", newline="")
        results, summary = same_everywhere(CATALOG, [path], ["duckdb"])
    assert [r.line for r in results] == list(range(1, count + 1))
    documented(results, summary, str(path))


@pytest.mark.slow
@SLOW
@given(lines_of(quotes=True))
def test_parquet_rows_each_get_one_result_alike(rows: list[dict[str, str]]) -> None:
    with folder() as where:
        path = write_parquet(where / "fuzz.parquet",
                             [{**dict.fromkeys(COLUMNS, ""), **row} for row in rows])
        results, summary = same_everywhere(CATALOG, [path], ["duckdb"])
    assert [r.line for r in results] == list(range(1, len(rows) + 1))
    documented(results, summary, str(path))
