"""Reading invoices: CSV and JSON Lines, column mapping, line numbers, and the inputs that
cannot be used at all (InvoiceError) versus single bad lines (INVALID_LINE)."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from ratecard.reconcile.readers import (
    COLUMNS,
    Columns,
    InvoiceError,
    lines_from_text,
    read_csv,
    read_jsonl,
    read_lines,
)
from ratecard.reconcile.reconciler import Reconciler
from tests.reconcile_strategies import (
    CATALOG,
    DEFAULTS,
    csv_text,
    jsonl_text,
    line,
    read_text,
    reconcile_rows,
    reconcile_text,
)

THEIRS = {"task_id": "id", "provider": "vendor", "model": "sku", "timestamp": "created_at",
          "duration": "seconds", "quality": "resolution", "sound": "audio",
          "charged": "amount_billed", "currency": "unit", "status": "state"}
"""Another export's names for the canonical columns."""


def _theirs(values: dict[str, str]) -> dict[str, str]:
    return {THEIRS.get(column, column): value for column, value in values.items()}


IDENTITY = Columns()


def _run(path: Path, columns: Columns = IDENTITY) -> list[str]:
    return [r.status for r in Reconciler(CATALOG).run(read_lines([path], columns))]


# --------------------------------------------------------------------------- CSV


def test_columns_are_found_by_name_in_any_order_and_unknown_ones_ignored() -> None:
    layout = ["note", "charged", "status", "currency", "timestamp", "sound", "quality",
              "duration", "model", "provider", "task_id"]
    results = reconcile_rows(line(), line(task_id="t2", charged="28"), columns=layout)
    assert [r.status for r in results] == ["MATCH", "OVERCHARGE"]


def test_absent_optional_columns_mean_the_card_defaults() -> None:
    # no duration, quality nor sound column: evolink's defaults, 5 s 720p without sound
    layout = ["task_id", "provider", "model", "timestamp", "charged", "currency", "status"]
    assert [r.status for r in reconcile_rows(line(), columns=layout)] == ["MATCH"]


def test_spaces_after_separators_and_around_names_are_ignored() -> None:
    text = (" task_id , provider,model,timestamp,duration,charged,currency,status\n"
            "t1, evolink, kling-v3-image-to-video, 2026-11-01, 5, 27, credits, succeeded\n")
    assert [r.status for r in reconcile_text(text)[0]] == ["MATCH"]


def test_a_quoted_field_spanning_lines_is_one_record_numbered_by_its_first_line() -> None:
    text = csv_text([line(task_id="multi\nline"), line(task_id="t2")])
    raw = read_text(text)
    assert [(r.line, r.fields[0] if r.fields else None) for r in raw] == [
        (2, "multi\nline"), (4, "t2")]


def test_crlf_line_ends_count_one_line_each() -> None:
    text = csv_text([line(), line(task_id="t2")]).replace("\n", "\r\n")
    assert [(r.line, r.error) for r in read_text(text)] == [(2, None), (3, None)]


def test_a_file_converted_to_crlf_twice_has_one_line_per_line() -> None:
    """``\\r\\r\\n`` once read as a line ending in ``\\r`` and a blank line after it:
    every invoice line followed by an INVALID_LINE and the line numbers doubled."""
    header, t1, t2, t3 = csv_text([line(), line(task_id="t2"), line(task_id="t3")]).split()
    text = "\r\r\n".join([header, t1, t2, "", t3, ""])  # and a blank line
    assert [(r.line, r.fields[0] if r.fields else r.error) for r in read_text(text)] == [
        (2, "t1"), (3, "t2"), (4, "blank line"), (5, "t3")]


def test_a_doubled_carriage_return_is_a_line_end_across_reads() -> None:
    """Lines far beyond one read (64 Ki characters): a CR at the end of one read and the
    CRLF at the start of the next are still one line end."""
    rows = [line(task_id=f"t{n:05}") for n in range(3000)]
    for ending in ("\r\r\n", "\r"):
        raw = read_text(csv_text(rows).replace("\n", ending))
        assert [(r.line, r.error) for r in raw] == [(n, None) for n in range(2, 3002)]
        assert raw[-1].fields[0] == "t02999"


def test_a_quoted_field_ending_its_lines_in_a_doubled_carriage_return_is_one_record(
        ) -> None:
    text = csv_text([line(task_id="multi\nline"), line(task_id="t2")])
    raw = read_text(text.replace("\n", "\r\r\n"))
    assert [(r.line, r.fields[0] if r.fields else r.error) for r in raw] == [
        (2, "multi\r\r\nline"), (4, "t2")]


def test_an_unreadable_record_is_one_invalid_line_and_reading_goes_on() -> None:
    # a carriage return inside an unquoted field of text read without newline=""
    text = csv_text([line(), line(task_id="t\r2"), line(task_id="t3")])
    raw = lines_from_text(text, "export.csv")
    assert [(r.line, r.error is None) for r in raw] == [(2, True), (3, False), (4, True)]
    assert str(raw[1].error).startswith("unreadable CSV")
    results = list(Reconciler(CATALOG).run(raw))
    assert [r.status for r in results] == ["MATCH", "INVALID_LINE", "MATCH"]
    assert results[1].reason.startswith("export.csv:3: unreadable CSV")


def test_only_a_missing_required_column_refuses_the_file() -> None:
    layout = [c for c in COLUMNS if c != "charged"]
    with pytest.raises(InvoiceError, match=r"required column missing: charged"):
        reconcile_text(csv_text([line()], layout))


def test_every_missing_required_column_is_named() -> None:
    with pytest.raises(InvoiceError, match=r"required columns missing: model, currency") as info:
        reconcile_text("task_id,provider,timestamp,charged,status\n")
    assert "--column CANONICAL=THEIRS" in str(info.value)


@pytest.mark.parametrize("column", COLUMNS)
def test_a_column_that_is_read_given_twice_refuses_the_file(column: str) -> None:
    layout = [*COLUMNS, column]  # which of the two holds the value would be a guess
    at = (COLUMNS.index(column) + 1, len(COLUMNS) + 1)
    with pytest.raises(InvoiceError, match=rf"names {column} twice \(columns {at[0]} and "
                                           rf"{at[1]}\)"):
        reconcile_text(csv_text([line()], layout))


def test_a_column_that_is_not_read_may_repeat() -> None:
    layout = [*COLUMNS, "note", "note"]
    results = list(Reconciler(CATALOG).run(lines_from_text(csv_text([line()], layout))))
    assert [r.status for r in results] == ["MATCH"]


@pytest.mark.parametrize("text", ["", "\n"])
def test_a_file_without_a_header_is_refused(text: str) -> None:
    with pytest.raises(InvoiceError):
        reconcile_text(text)


def test_a_header_alone_gives_no_results() -> None:
    results, summary = reconcile_text(csv_text([]))
    assert results == []
    assert summary.total.lines == 0


# --------------------------------------------------------------------------- 27,0


def test_a_decimal_comma_is_refused_never_guessed() -> None:
    results, summary = reconcile_text(csv_text([line(charged="27,0")]))  # quoted: one field
    (result,) = results
    assert result.status == "INVALID_LINE"
    assert result.reason == "invoice.csv:2: charged '27,0' is not a number"
    assert result.charged is None
    assert summary.total.charged == {}


def test_an_unquoted_decimal_comma_is_a_wrong_field_count_not_an_amount() -> None:
    header = "task_id,provider,model,timestamp,duration,charged,currency,status\n"
    text = header + "t1,evolink,kling-v3-image-to-video,2026-11-01,5,27,0,credits,succeeded\n"
    results, summary = reconcile_text(text)
    (result,) = results
    assert result.status == "INVALID_LINE"
    assert result.reason == "invoice.csv:2: 9 fields where the header has 8"
    assert result.charged != Decimal(270)
    assert "credits" not in summary.total.charged  # never counted as 27 or 27.0 credits


def test_a_decimal_comma_in_json_is_refused() -> None:
    text = jsonl_text([line(charged="27,0")])
    (result,) = reconcile_text(text, "invoice.jsonl")[0]
    assert result.status == "INVALID_LINE"
    assert result.reason == "invoice.jsonl:1: charged '27,0' is not a number"
    assert result.charged is None


# --------------------------------------------------------------------------- --column


def test_columns_parse_canonical_equals_theirs() -> None:
    columns = Columns.parse([f"{c}={t}" for c, t in THEIRS.items()])
    assert columns.source_of("charged") == "amount_billed"
    assert columns.source_of("reserved") == "reserved"


@pytest.mark.parametrize(("pair", "message"), [
    ("charged", "write CANONICAL=THEIRS"),
    ("charged=", "write CANONICAL=THEIRS"),
    ("amount=charged", "'amount' is not a column"),
])
def test_a_bad_column_mapping_is_refused(pair: str, message: str) -> None:
    with pytest.raises(InvoiceError, match=message):
        Columns.parse([pair])


def test_a_csv_with_other_column_names_is_read_through_the_mapping(tmp_path: Path) -> None:
    rows = [_theirs(line()), _theirs(line(task_id="t2", charged="30"))]
    path = tmp_path / "export.csv"
    path.write_text(csv_text(rows, list(rows[0])), encoding="utf-8")
    columns = Columns.parse([f"{c}={t}" for c, t in THEIRS.items()])
    assert _run(path, columns) == ["MATCH", "OVERCHARGE"]
    with pytest.raises(InvoiceError, match=r"task_id, provider, model, timestamp, charged"):
        _run(path)


def test_a_mapped_column_missing_from_the_header_names_both_names() -> None:
    with pytest.raises(InvoiceError, match=r"charged \(as amount\)"):
        list(read_csv(io.StringIO(csv_text([line()])), "invoice.csv",
                      Columns.parse(["charged=amount"])))


# --------------------------------------------------------------------------- JSON Lines


def test_json_lines_with_numbers_strings_and_a_malformed_line(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    good = jsonl_text([line(), line(task_id="t2", charged="30")], numbers=["charged",
                                                                          "duration"])
    path.write_text(good.replace("\n", "\n{not json\n", 1) + "\n[1, 2]\n"
                    + json.dumps({"task_id": "t3"}) + "\n", encoding="utf-8")
    results = list(Reconciler(CATALOG).run(read_lines([path])))
    assert [(r.line, r.status) for r in results] == [
        (1, "MATCH"), (2, "INVALID_LINE"), (3, "OVERCHARGE"), (4, "INVALID_LINE"),
        (5, "INVALID_LINE"), (6, "INVALID_LINE")]
    assert results[1].reason.startswith(f"{path}:2: invalid JSON")
    assert results[3].reason == f"{path}:4: blank line"
    assert results[4].reason == f"{path}:5: not a JSON object"
    assert results[5].reason.startswith(f"{path}:6: missing provider, model, timestamp")


@pytest.mark.parametrize("suffix", [".jsonl", ".ndjson", ".json", ".JSONL"])
def test_json_lines_are_recognised_by_extension(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"export{suffix}"
    path.write_text(jsonl_text([line()]), encoding="utf-8")
    assert _run(path) == ["MATCH"]


def test_json_lines_through_the_column_mapping(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(jsonl_text([_theirs(line())], numbers=["amount_billed"]),
                    encoding="utf-8")
    assert _run(path, Columns.parse([f"{c}={t}" for c, t in THEIRS.items()])) == ["MATCH"]
    assert _run(path) == ["INVALID_LINE"]  # unmapped: no required field found


def test_json_booleans_and_nested_values() -> None:
    text = "".join(json.dumps(values) + "\n" for values in [
        {**line(), "sound": False, "duration": 5},  # a JSON boolean and an integer
        {**line(task_id="t2"), "duration": [5]},  # a list where a number belongs
    ])
    results = reconcile_text(text, "invoice.jsonl")[0]
    assert [r.status for r in results] == ["MATCH", "INVALID_LINE"]
    assert "[5]" in results[1].reason


def test_a_json_number_keeps_its_exact_digits() -> None:
    text = jsonl_text([line(charged="27.00010000000000000001")], numbers=["charged"])
    (result,) = reconcile_text(text, "invoice.jsonl")[0]
    assert result.charged == Decimal("27.00010000000000000001")  # never through a float
    assert result.status == "OVERCHARGE"


# --------------------------------------------------------------------------- bugs


def test_a_csv_with_a_utf8_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text([line()]).encode())
    assert _run(path) == ["MATCH"]


def test_two_exports_appended_have_the_second_header_named_and_its_tasks_compared(
        tmp_path: Path) -> None:
    """``cat a.csv b.csv`` of two Excel exports: the second one's byte-order mark starts a
    line. Its header was an INVALID_LINE "charged 'charged' is not a number" and a task
    id after a mark (``\\ufefft1``) a task of its own, never a DUPLICATE_TASK of ``t1``."""
    text = csv_text([line()])
    record = text.split("\n", 1)[1]  # the line of t1, without the header
    path = tmp_path / "joined.csv"  # two exports, then a third one's line after a mark
    path.write_bytes(("\ufeff" + text + "\ufeff" + text + "\ufeff" + record).encode())
    results = list(Reconciler(CATALOG).run(read_lines([path])))
    assert [(r.line, r.status, r.task_id) for r in results] == [
        (2, "MATCH", "t1"), (3, "INVALID_LINE", None), (4, "DUPLICATE_TASK", "t1"),
        (5, "DUPLICATE_TASK", "t1")]
    assert results[1].reason == (f"{path}:3: the header line again: a second file appended "
                                 "to the first?")


HEADER_LINE = ("task_id,provider,model,duration,input_seconds,quality,sound,timestamp,"
               "charged,currency,status,reserved")
"""The header :func:`csv_text` writes, spelled out."""


@pytest.mark.parametrize("again", [
    HEADER_LINE.upper(),  # another export's capitals
    HEADER_LINE.replace(",", " , "),  # blanks around every name
    " " + HEADER_LINE.replace("currency", "Currency\t") + " ",
    ",".join(f'"{name}"' for name in HEADER_LINE.split(",")),  # quoted
    ",".join(f' "{name.title()}"' for name in HEADER_LINE.split(",")),
    "\ufeff" + HEADER_LINE.upper(),  # after a second export's byte-order mark
])
def test_a_header_repeated_in_another_spelling_is_the_header_again(tmp_path: Path,
                                                                   again: str) -> None:
    """Only a line that was exactly the header was taken for it: the same header in
    capitals was an INVALID_LINE "charged 'CHARGED' is not a number" whose task id was
    TASK_ID, as if it were a job."""
    text = csv_text([line(), line(task_id="t2")])
    header, t1, t2, _ = text.split("\n")
    assert header == HEADER_LINE
    path = tmp_path / "joined.csv"
    path.write_text("\n".join([header, t1, again, t2, ""]), encoding="utf-8")
    raw = list(read_lines([path]))
    assert [(r.line, r.fields[0] if r.fields else r.error) for r in raw] == [
        (2, "t1"), (3, "the header line again: a second file appended to the first?"),
        (4, "t2")]


def test_a_renamed_header_repeated_in_capitals_is_the_header_again(tmp_path: Path) -> None:
    """With ``--column task_id=id``, the header is ``id,...``: ``ID,...`` again is it."""
    text = csv_text([line(), line(task_id="t2")]).replace("task_id", "id", 1)
    header, t1, t2, _ = text.split("\n")
    path = tmp_path / "joined.csv"
    path.write_text("\n".join([header, t1, header.upper(), t2, ""]), encoding="utf-8")
    raw = list(read_lines([path], Columns.parse(["task_id=id"])))
    assert [(r.line, r.fields[0] if r.fields else r.error) for r in raw] == [
        (2, "t1"), (3, "the header line again: a second file appended to the first?"),
        (4, "t2")]


def test_the_header_again_inside_a_malformed_quoted_record_is_named(tmp_path: Path) -> None:
    """A stray quote swallowed the second export's header: read line by line, it was a
    line of task TASK_ID."""
    text = csv_text([line(), line(task_id="t2", model="QQoops")]).replace("QQ", '"')
    record = csv_text([line(task_id="t3")]).split("\n")[1]
    path = tmp_path / "joined.csv"
    path.write_text(text + HEADER_LINE.upper() + "\n" + record + "\n", encoding="utf-8")
    raw = list(read_lines([path]))
    span = " (lines 3-5 were one malformed quoted record, read line by line)"
    assert [(r.line, r.fields[0] if r.fields else r.error) for r in raw] == [
        (2, "t1"), (3, "a quoted field is not closed on its line" + span),
        (4, "the header line again: a second file appended to the first?" + span),
        (5, "t3")]


@pytest.mark.parametrize("other", [
    HEADER_LINE.replace("charged", "27.0000"),  # a name where a value is: a line
    HEADER_LINE.replace("task_id", "task id"),
    HEADER_LINE.replace("status,", ""),  # a required name missing: another width
    HEADER_LINE.replace("reserved", "charged"),  # a name twice: no header to read by
])
def test_a_line_that_is_not_the_header_is_not_taken_for_it(tmp_path: Path,
                                                           other: str) -> None:
    text = csv_text([line()])
    path = tmp_path / "joined.csv"
    path.write_text(text + other + "\n", encoding="utf-8")
    raw = list(read_lines([path]))
    assert raw[1].line == 3
    assert raw[1].error is None or "header line" not in raw[1].error


OTHER_HEADER = ("a header line in another column order or with other columns: a second "
                "file appended to the first? The lines after it are read by it")


def _statuses(path: Path, columns: Columns | None = None) -> list[tuple[int, str, str | None]]:
    results = Reconciler(CATALOG).run(read_lines([path], columns or Columns()))
    return [(r.line, r.status, r.task_id or r.reason) for r in results]


def test_lines_under_a_header_in_another_order_are_read_by_it(tmp_path: Path) -> None:
    """``cat a.csv b.csv`` of two exports whose columns are in other orders: the lines
    after the second header were read in the first one's positions (a charge read from
    the column of seconds, a sound from that of qualities), verdicts about values no line
    holds."""
    second = HEADER_LINE.split(",")[::-1]
    t2 = line(task_id="t2", sound="on", charged="40.5000", reserved="40.5")  # 8.1 a second
    t3 = line(task_id="t3", duration="10", quality="1080p", charged="71.9820")  # 7.1982
    path = tmp_path / "joined.csv"
    path.write_text(csv_text([line()]) + csv_text([t2, t3], second), encoding="utf-8")
    raw = list(read_lines([path]))
    assert [(r.line, r.fields or r.error) for r in raw] == [
        (2, ("t1", "evolink", "kling-v3-image-to-video", "5", "", "720p", "off",
             "2026-11-01", "27.0000", "credits", "succeeded", "")),
        (3, OTHER_HEADER),
        (4, ("t2", "evolink", "kling-v3-image-to-video", "5", "", "720p", "on",
             "2026-11-01", "40.5000", "credits", "succeeded", "40.5")),
        (5, ("t3", "evolink", "kling-v3-image-to-video", "10", "", "1080p", "off",
             "2026-11-01", "71.9820", "credits", "succeeded", ""))]
    assert _statuses(path)[1:] == [(3, "INVALID_LINE", f"{path}:3: {OTHER_HEADER}"),
                                   (4, "MATCH", "t2"), (5, "MATCH", "t3")]


def test_lines_under_a_header_with_other_columns_are_read_by_it(tmp_path: Path) -> None:
    """The second export has a column more and the optional ones fewer (another width):
    each of its lines was an INVALID_LINE "8 fields where the header has 12". A third
    header in the second's order is that header again; one in the first order switches
    back."""
    second = ["Note", "Charged", "Task_ID", "Provider", "Model", "Timestamp", "Duration",
              "Currency", "Status"]  # no quality, sound, reserved: the card's defaults
    t2 = {**line(task_id="t2"), "Note": "promo"}
    t2 = {name: t2.get(name.lower(), t2.get(name, "")) for name in second}
    first_again = csv_text([line(task_id="t3", duration="10", charged="54.0000")])
    path = tmp_path / "joined.csv"
    path.write_text(csv_text([line()]) + csv_text([t2], second)
                    + csv_text([t2 | {"Task_ID": "t4"}], second) + first_again,
                    encoding="utf-8")
    again = "the header line again: a second file appended to the first?"
    assert _statuses(path) == [
        (2, "MATCH", "t1"), (3, "INVALID_LINE", f"{path}:3: {OTHER_HEADER}"),
        (4, "MATCH", "t2"), (5, "INVALID_LINE", f"{path}:5: {again}"), (6, "MATCH", "t4"),
        (7, "INVALID_LINE", f"{path}:7: {OTHER_HEADER}"), (8, "MATCH", "t3")]


def test_a_renamed_header_in_another_order_is_read_by_its_names(tmp_path: Path) -> None:
    """Under ``--column``, the second header is the export's own names, in capitals and
    another order."""
    mine = [THEIRS.get(name, name) for name in HEADER_LINE.split(",")]
    renamed = {THEIRS.get(name, name).upper(): value
               for name, value in line(task_id="t2").items()}
    path = tmp_path / "joined.csv"
    path.write_text(csv_text([{THEIRS.get(k, k): v for k, v in line().items()}], mine)
                    + csv_text([renamed], [name.upper() for name in mine[::-1]]),
                    encoding="utf-8")
    columns = Columns.parse([f"{canonical}={theirs}" for canonical, theirs in THEIRS.items()])
    assert _statuses(path, columns) == [
        (2, "MATCH", "t1"), (3, "INVALID_LINE", f"{path}:3: {OTHER_HEADER}"),
        (4, "MATCH", "t2")]


def test_a_header_in_another_order_inside_a_malformed_quoted_record_is_read_by(
        tmp_path: Path) -> None:
    """A stray quote swallowed the second export's header, in another order: read line
    by line, the lines after it are read by it too."""
    text = csv_text([line(), line(task_id="t2", model="QQoops")]).replace("QQ", '"')
    second = HEADER_LINE.split(",")[::-1]
    path = tmp_path / "joined.csv"
    path.write_text(text + csv_text([line(task_id="t3")], second), encoding="utf-8")
    raw = list(read_lines([path]))
    span = " (lines 3-5 were one malformed quoted record, read line by line)"
    assert [(r.line, r.fields[0] if r.fields else r.error) for r in raw] == [
        (2, "t1"), (3, "a quoted field is not closed on its line" + span),
        (4, OTHER_HEADER + span), (5, "t3")]


def test_json_lines_appended_after_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    path = tmp_path / "joined.jsonl"
    export = b"\xef\xbb\xbf" + jsonl_text([line()]).encode()
    path.write_bytes(export + export)
    results = list(Reconciler(CATALOG).run(read_lines([path])))
    assert [(r.line, r.status, r.task_id) for r in results] == [
        (1, "MATCH", "t1"), (2, "DUPLICATE_TASK", "t1")]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_a_nul_in_a_field_makes_its_line_invalid_naming_the_column(tmp_path: Path,
                                                                    suffix: str) -> None:
    """A zero byte was kept in the field: ``t\\x001`` a MATCH whose task id wrote a raw NUL
    into the results file. A NUL in a column that is not read changes nothing."""
    rows = [line(task_id="t\x001"), line(task_id="t2", provider="evo\x00link"),
            line(task_id="t3", charged="27\x00"), line(task_id="t4")]
    rows = [{**row, "note": "x\x00y"} for row in rows]  # a column no engine reads
    path = tmp_path / f"damaged{suffix}"
    text = csv_text(rows, [*COLUMNS, "note"]) if suffix == ".csv" else jsonl_text(rows)
    path.write_text(text, encoding="utf-8")
    results = list(Reconciler(CATALOG).run(read_lines([path])))
    assert [(r.line - results[0].line, r.status, r.task_id, r.charged) for r in results] == [
        (0, "INVALID_LINE", None, None), (1, "INVALID_LINE", None, None),
        (2, "INVALID_LINE", None, None), (3, "MATCH", "t4", Decimal(27))]
    assert [r.reason.split(": ", 1)[1] for r in results[:3]] == [
        "task_id holds a NUL character (a zero byte)",
        "provider holds a NUL character (a zero byte)",
        "charged holds a NUL character (a zero byte)"]


def test_a_line_that_is_not_utf8_is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(csv_text([line(), line(task_id="caf\u00e9")]).encode("latin-1"))
    try:
        statuses = _run(path)
    except InvoiceError:
        return  # refusing the file with a message is acceptable too
    assert statuses == ["MATCH", "INVALID_LINE"]


def test_a_carriage_return_inside_a_json_line_ends_it(tmp_path: Path) -> None:
    """A lone CR ends a JSON line wherever it is, as it ends a CSV line (outside quotes)
    and as an editor shows it: a CR between the tokens of a line-feed file's object was
    JSON whitespace, so the file was read by another rule than the one its line numbers
    are shown by. Each piece is its own line, none lost."""
    path = tmp_path / "export.jsonl"
    path.write_text(jsonl_text([line(), line(task_id="t2")]).replace(", ", ",\r", 1),
                    encoding="utf-8", newline="")
    raw = list(read_lines([path]))
    assert [(r.line, r.fields[0] if r.fields else (r.error or "")[:12]) for r in raw] == [
        (1, "invalid JSON"), (2, "invalid JSON"), (3, "t2")]


@pytest.mark.parametrize("suffix", [".jsonl", ".ndjson", ".json"])
def test_json_lines_ending_in_carriage_returns_only_are_lines(tmp_path: Path,
                                                              suffix: str) -> None:
    """An old Mac file (CR line ends, no line feed) was one line: an INVALID_LINE "invalid
    JSON: ... Extra data" standing for every line of the file."""
    path = tmp_path / f"mac{suffix}"
    text = jsonl_text([line(), line(task_id="t2")]) + "\n" + jsonl_text([line(task_id="t3")])
    path.write_text(text.replace("\n", "\r"), encoding="utf-8", newline="")
    raw = list(read_lines([path]))
    assert [(r.line, r.fields[0] if r.fields else r.error) for r in raw] == [
        (1, "t1"), (2, "t2"), (3, "blank line"), (4, "t3")]


MIXED_ENDS = [
    ["\r", "\r", "\n", "\n"],  # an old Mac export, then a Unix one appended
    ["\n", "\n", "\r", "\r"],
    ["\r", "\r\n", "\r", "\r\r\n"],
    ["\r\n", "\r\n", "\r", ""],
    ["\r\r\n", "\n", "\r", "\r\n"],
]


@pytest.mark.parametrize("ends", MIXED_ENDS)
@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".ndjson"])
def test_line_ends_that_switch_part_way_end_a_line_each(tmp_path: Path, suffix: str,
                                                        ends: list[str]) -> None:
    """A JSON Lines file was read by its first line end only: CR lines then LF lines were
    one unreadable line (an "Extra data" INVALID_LINE standing for several), LF lines then
    CR lines glued the last ones into one. Every CR, LF, CRLF or CR CR LF ends one line,
    in CSV and JSON Lines alike."""
    rows = [line(task_id=f"t{n}") for n in range(1, 5)]
    if suffix == ".csv":
        header, *records = csv_text(rows).splitlines()
        text = header + "\n" + "".join(r + e for r, e in zip(records, ends, strict=True))
        first = 2
    else:
        records = jsonl_text(rows).splitlines()
        text = "".join(r + e for r, e in zip(records, ends, strict=True))
        first = 1
    path = tmp_path / f"mixed{suffix}"
    path.write_text(text, encoding="utf-8", newline="")
    raw = list(read_lines([path]))
    assert [(r.line, r.error, r.fields[0]) for r in raw] == [
        (first + n, None, f"t{n + 1}") for n in range(4)]


def test_a_carriage_return_in_a_quoted_csv_field_stays_data(tmp_path: Path) -> None:
    """Only a quoted CSV field holds a line end as data, whatever the file's other line
    ends: the record's lines are counted, the next record numbered after them."""
    header, t1, t2, _ = csv_text([line(model="a-b"), line(task_id="t2")]).split("\n")
    t1 = t1.replace("a-b", '"a\rb"')
    path = tmp_path / "quoted.csv"
    path.write_text(header + "\r" + t1 + "\n" + t2 + "\r", encoding="utf-8", newline="")
    raw = list(read_lines([path]))
    assert [(r.line, r.fields[0], r.fields[2]) for r in raw] == [
        (2, "t1", "a\rb"), (4, "t2", DEFAULTS["model"])]


def test_a_json_lines_file_of_long_lines_ending_in_carriage_returns(tmp_path: Path) -> None:
    """Far more lines than the first bytes looked at, each ended by a carriage return."""
    path = tmp_path / "mac.jsonl"
    rows = [line(task_id=f"t{n:05}") for n in range(2000)]
    path.write_text(jsonl_text(rows).replace("\n", "\r"), encoding="utf-8", newline="")
    raw = list(read_lines([path]))
    assert [(r.line, r.error) for r in raw] == [(n, None) for n in range(1, 2001)]
    assert raw[-1].fields[0] == "t01999"


def test_carriage_return_line_ends_after_a_first_line_longer_than_8_kib(
        tmp_path: Path) -> None:
    """The line end was looked for in the first 8 KiB only: a first line longer than
    that (a 9,000-digit charge) hid it, and the whole file was one line."""
    path = tmp_path / "mac.jsonl"
    text = jsonl_text([line(charged="1" * 9000), line(task_id="t2")])
    path.write_text(text.replace("\n", "\r"), encoding="utf-8", newline="")
    raw = list(read_lines([path]))
    assert [r.line for r in raw] == [1, 2]
    assert raw[1].fields[0] == "t2"


def test_a_carriage_return_in_a_long_first_line_of_a_line_feed_file_ends_it(
        tmp_path: Path) -> None:
    """A CR inside a first line longer than 8 KiB of a line-feed file: one line end, as
    anywhere else."""
    path = tmp_path / "lf.jsonl"
    first = jsonl_text([line(charged="1" * 9000)]).replace(", ", ",\r", 1)
    path.write_text(first + jsonl_text([line(task_id="t2")]), encoding="utf-8", newline="")
    raw = list(read_lines([path]))
    assert [r.line for r in raw] == [1, 2, 3]
    assert raw[2].fields[0] == "t2"


def test_a_nested_json_value_holding_a_number_is_an_invalid_line_not_a_crash() -> None:
    """JSON numbers are read as Decimals; a list of them where a scalar belongs once
    raised TypeError while the line was being written back as text."""
    text = '{"task_id": [0.5], "provider": "evolink", "charged": {"a": 1.5}}\n'
    [line] = read_jsonl(io.StringIO(text), "x.jsonl")
    assert line.fields[0] == '["0.5"]'


def test_a_json_lines_file_starting_with_a_list_is_read_line_by_line(tmp_path: Path) -> None:
    """Only a .json file may be one JSON array: a .jsonl file whose first line is a list
    has that line unreadable, and the others read, never the file refused."""
    path = tmp_path / "x.jsonl"
    path.write_text('[]\n{"task_id": "t1"}\n', encoding="utf-8")
    lines = list(read_lines([path]))
    assert [(line.line, line.error) for line in lines] == [(1, "not a JSON object"),
                                                          (2, None)]


def _array_of(*elements: str) -> str:
    """A pretty-printed JSON array of element texts, one element a line from line 2."""
    return "[\n" + ",\n".join(f"  {element}" for element in elements) + "\n]\n"


def _good(task_id: str) -> str:
    return json.dumps(line(task_id=task_id))


def test_one_bad_element_of_a_json_array_is_one_invalid_line(tmp_path: Path) -> None:
    """An element that is no JSON of its own (NaN, a key twice, a lone surrogate, nesting
    too deep, a syntax error) made the whole file "not a JSON array of records": no
    result for any element. Now each element is one line, the bad ones INVALID_LINE."""
    path = tmp_path / "export.json"
    path.write_text(_array_of(
        _good("t1"),
        '{"task_id": "t2", "charged": NaN}',
        '{"task_id": "t3", "task_id": "t4"}',
        '"\\ud800"',
        "[" * 70 + "]" * 70,
        '{"task_id": "t5",}',
        "5",
        "",
        _good("t6"),
    ), encoding="utf-8")
    results = list(Reconciler(CATALOG).run(read_lines([path])))
    assert [(r.line, r.status) for r in results] == [
        (1, "MATCH"), (2, "INVALID_LINE"), (3, "INVALID_LINE"), (4, "INVALID_LINE"),
        (5, "INVALID_LINE"), (6, "INVALID_LINE"), (7, "INVALID_LINE"), (8, "INVALID_LINE"),
        (9, "MATCH")]
    at = f"{path}:"
    assert [r.reason for r in results[1:8]] == [
        f"{at}2: element 2 of the array (line 3, column 3): invalid JSON: NaN is not a JSON "
        "number (JSON has no NaN or Infinity)",
        f"{at}3: element 3 of the array (line 4, column 3): invalid JSON: key 'task_id' "
        "appears twice in one object: which value the provider reads is not defined",
        f"{at}4: element 4 of the array (line 5, column 3): invalid JSON: a string holds "
        "half of a UTF-16 surrogate pair (a lone \\uD800-\\uDFFF): not text",
        f"{at}5: element 5 of the array (line 6, column 3): invalid JSON: nested too "
        "deeply: arrays and objects inside each other more than 64 levels deep (a request "
        "body has a handful)",
        f"{at}6: element 6 of the array (line 7, column 3): invalid JSON: not valid JSON at "
        "line 7, column 20: Expecting property name enclosed in double quotes",
        f"{at}7: element 7 of the array (line 8, column 3): not a JSON object",
        f"{at}8: element 8 of the array (line 9, column 3): no value between its separators "
        "(two commas, or a comma and a bracket)",
    ]


@pytest.mark.parametrize("end", ["\r", "\r\n", "\r\r\n", "mixed"])
def test_array_elements_are_placed_on_lines_counted_as_the_readers_count_them(
        tmp_path: Path, end: str) -> None:
    """Lines were counted at line feeds only: in a CR-only .json array every element's
    reason said "line 1", whatever line it was on."""
    text = _array_of(_good("t1"), '{"task_id": "t2", "charged": NaN}', "5",
                     '{"task_id": "t3",}')
    assert text.count("\n") == 6
    if end == "mixed":
        ends = iter(["\r", "\r\n", "\n", "\r\r\n", "\r", "\n"])
        text = re.sub("\n", lambda _: next(ends), text)
    else:
        text = text.replace("\n", end)
    path = tmp_path / "export.json"
    path.write_text(text, encoding="utf-8", newline="")
    assert [(line.line, line.error) for line in read_lines([path])] == [
        (1, None),
        (2, "element 2 of the array (line 3, column 3): invalid JSON: NaN is not a JSON "
            "number (JSON has no NaN or Infinity)"),
        (3, "element 3 of the array (line 4, column 3): not a JSON object"),
        (4, "element 4 of the array (line 5, column 3): invalid JSON: not valid JSON at "
            "line 5, column 20: Expecting property name enclosed in double quotes")]


def test_a_syntax_error_inside_an_element_over_carriage_return_lines(tmp_path: Path) -> None:
    """The parser counts lines at line feeds only; where it says an element's error is
    is told in the file's lines."""
    path = tmp_path / "export.json"
    path.write_text('[\r{"task_id": "a",\r "charged": 1 2},\r\r\n  {"x":\r\n1,\r\r "y" 2}]',
                    encoding="utf-8", newline="")
    assert [(line.line, line.error) for line in read_lines([path])] == [
        (1, "element 1 of the array (line 2, column 1): invalid JSON: not valid JSON at "
            "line 3, column 15: Expecting ',' delimiter"),
        (2, "element 2 of the array (line 4, column 3): invalid JSON: not valid JSON at "
            "line 7, column 6: Expecting ':' delimiter")]


def test_an_array_element_that_is_not_utf8_is_an_invalid_line(tmp_path: Path) -> None:
    """Read as a whole, its undecodable byte became U+FFFD inside the task id: MATCH."""
    path = tmp_path / "export.json"
    path.write_bytes(_array_of(_good("t1"), _good("t2-X")).encode().replace(b"X", b"\xff"))
    assert [(line.line, line.error) for line in read_lines([path])] == [
        (1, None),
        (2, "element 2 of the array (line 3, column 3): not UTF-8 text (undecodable bytes "
            "are shown as \ufffd)")]


def test_an_array_element_longer_than_a_line_may_be_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    long = json.dumps(line(task_id="t2", note="x" * (1 << 20)))
    path.write_text(_array_of(_good("t1"), long, _good("t3")), encoding="utf-8")
    assert [(line.line, line.error) for line in read_lines([path])] == [
        (1, None),
        (2, "element 2 of the array (line 3, column 3): the element is longer than 1048576 "
            "characters"),
        (3, None)]


@pytest.mark.parametrize(("text", "why"), [
    ("[1, 2", "the array is not closed: the text ends inside element 2"),
    ('[{"a": "b}]', "a string is not closed: the text ends inside element 1"),
    ("[1]\n[2]\n", "[ after the array at line 2, column 1"),
    ("[1]]", "] after the array at line 1, column 4"),
    ("[1] x", "text after the array at line 1, column 5"),
])
def test_a_json_file_that_is_no_array_is_still_refused(tmp_path: Path, text: str,
                                                      why: str) -> None:
    path = tmp_path / "export.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvoiceError) as refused:
        list(read_lines([path]))
    assert str(refused.value) == f"{path}: not a JSON array of records: {why}"


SEED_001_TASK = """{
  "created": 1757169743,
  "id": "task-unified-1757169743-v3i2v",
  "model": "kling-v3-image-to-video",
  "object": "video.generation.task",
  "progress": 0,
  "status": "pending",
  "task_info": {
    "can_cancel": true,
    "estimated_time": 180,
    "video_duration": 5
  },
  "type": "video",
  "usage": {
    "billing_rule": "per_second",
    "credits_reserved": 27.0,
    "user_group": "default"
  }
}
"""
"""Seed 001's task object, as the page prints it (over 19 lines)."""


def test_a_json_file_of_one_record_over_many_lines_is_one_line(tmp_path: Path) -> None:
    """Saved as the seller's page prints it, the record was 19 INVALID_LINEs ("invalid
    JSON" on each of its lines)."""
    path = tmp_path / "task.json"
    path.write_text(SEED_001_TASK, encoding="utf-8")
    [record] = list(read_lines([path]))
    assert (record.line, record.error) == (1, None)
    assert record.task is not None
    [result] = Reconciler(CATALOG).run(read_lines([path]))
    assert (result.provider, result.model, result.charged) == (
        "evolink", "kling-v3-image-to-video", Decimal("27.0"))


def test_a_json_file_of_two_records_over_many_lines_is_read_line_by_line(
        tmp_path: Path) -> None:
    """Not one document: every line accounted for once, as JSON Lines."""
    path = tmp_path / "tasks.json"
    path.write_text(SEED_001_TASK * 2, encoding="utf-8")
    lines = list(read_lines([path]))
    assert [line.line for line in lines] == list(range(1, 39))
    assert all(line.error for line in lines)


@pytest.mark.parametrize(("separator", "word"), [(";", "semicolons"), ("\t", "tabs"),
                                                 ("|", "vertical bars")])
def test_a_file_separated_by_another_character_is_refused_as_such(
        separator: str, word: str) -> None:
    """It said the required columns were missing and suggested --column, which cannot
    help: the header was one column holding every name."""
    text = csv_text([line()]).replace(",", separator)
    with pytest.raises(InvoiceError, match=f"the header is separated by {word}, not commas"):
        list(read_csv(io.StringIO(text), "export.csv"))


@pytest.mark.parametrize("declared", ["sep=,", "SEP=,", "\ufeffsep=,"])
def test_a_spreadsheets_separator_line_before_the_header_is_read_past(
        tmp_path: Path, declared: str) -> None:
    """Excel writes ``sep=,`` on the first line of a CSV it is told the separator of:
    the whole file was refused, "required columns missing ... the header has sep=,"."""
    path = tmp_path / "excel.csv"
    path.write_text(declared + "\r\n" + csv_text([line(), line(task_id="t2")]),
                    encoding="utf-8")
    assert [(r.line, r.fields[0]) for r in read_lines([path])] == [(3, "t1"), (4, "t2")]


@pytest.mark.parametrize(("separator", "word"), [(";", "semicolons"), ("\t", "tabs"),
                                                 ("|", "vertical bars")])
def test_a_separator_line_declaring_another_separator_is_refused_as_such(
        separator: str, word: str) -> None:
    text = f"sep={separator}\n" + csv_text([line()]).replace(",", separator)
    with pytest.raises(InvoiceError, match=f"^export.csv: line 1 .* declares {word} as the "
                                           "field separator: ratecard reads comma-separated"):
        list(read_csv(io.StringIO(text), "export.csv"))


@pytest.mark.parametrize("first", ["sep=,x", "sep=:", "sep"])
def test_a_first_line_that_only_looks_like_a_separator_line_is_the_header(first: str) -> None:
    with pytest.raises(InvoiceError, match="required columns missing"):
        list(read_csv(io.StringIO(first + "\n" + csv_text([line()])), "export.csv"))


def test_a_header_of_one_unknown_column_is_still_a_missing_columns_error() -> None:
    with pytest.raises(InvoiceError, match="required columns missing"):
        list(read_csv(io.StringIO("task_id;provider\nt1;evolink\n"), "export.csv"))


@pytest.mark.parametrize("first", ["\n", " , ,\n", "\r\n"])
def test_a_blank_first_line_is_named_as_the_header_problem(first: str) -> None:
    """It said "the header has nothing" and suggested --column: the header was on line 2."""
    text = first + csv_text([line()])
    with pytest.raises(InvoiceError, match=r"^export\.csv: line 1 names no column: a CSV "
                                           r"file's first line is its header \(task_id, "):
        list(read_csv(io.StringIO(text, newline=""), "export.csv"))
