"""Records over several physical lines: a quoted field that holds line breaks is one
record; two records a stray quote joined are each read, so no line loses its result; and
reading either stays linear in the input."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest

from ratecard.reconcile import readers, spans
from ratecard.reconcile.readers import lines_from_text
from ratecard.reconcile.reconciler import Reconciler
from tests.reconcile_strategies import CATALOG

HEADER = ("task_id,provider,model,timestamp,duration,input_seconds,quality,sound,charged,"
          "currency,status,note\n")
ROW = "{task},evolink,kling-v3-image-to-video,2026-11-01,5,,720p,off,{charged},credits,succeeded,"


def row(task: str, note: str, charged: str = "27.0") -> str:
    return ROW.format(task=task, charged=charged) + note + "\n"


def outcome(text: str) -> list[tuple[int, str, str | None]]:
    """(line, status, task) of each result of the CSV ``text``, read as ``x.csv``."""
    results = Reconciler(CATALOG).run(lines_from_text(text, "x.csv"))
    return [(r.line, r.status, r.task_id) for r in results]


def test_two_lines_a_stray_quote_joins_are_each_read() -> None:
    # e2 opens a quote at its last field, e3 closes it at its own: read as one record of
    # the header's width, e3's 999-credit charge would have had no result
    text = HEADER + row("e1", "ok") + row("e2", '"5 inch') + \
        row("e3", '12 inch"', charged="999.0") + row("e4", "ok")
    assert outcome(text) == [(2, "MATCH", "e1"), (3, "INVALID_LINE", None),
                             (4, "OVERCHARGE", "e3"), (5, "MATCH", "e4")]
    raw = lines_from_text(text, "x.csv")
    assert raw[1].error == ("a quoted field is not closed on its line (lines 3-4 were one "
                            "malformed quoted record, read line by line)")


def test_a_blank_line_between_the_two_quotes_is_its_own_line_too() -> None:
    text = HEADER + row("e2", '"5 inch') + "\n" + row("e3", '12 inch"', charged="999.0")
    assert outcome(text) == [(2, "INVALID_LINE", None), (3, "INVALID_LINE", None),
                             (4, "OVERCHARGE", "e3")]
    assert lines_from_text(text, "x.csv")[1].error is not None
    assert str(lines_from_text(text, "x.csv")[1].error).startswith("blank line")


def test_a_stray_quote_opening_a_field_mid_record_is_caught_too() -> None:
    # the quote opens the model, e3's own model closes it: e3 is read as itself (its model
    # with the quote a seller offers none of)
    text = HEADER + ROW.format(task="e2", charged="27.0").replace(",kling", ',"kling', 1) + \
        "ok\n" + ROW.format(task="e3", charged="999.0").replace("-video,", '-video",', 1) + "ok\n"
    assert outcome(text) == [(2, "INVALID_LINE", None), (3, "UNKNOWN_OFFERING", "e3")]


@pytest.mark.parametrize("note", ["line one\nline two", "one\n\ntwo", "a\nb\nc",
                                  'say ""hi""\nbye', "1,2,3\nfour"])
def test_a_note_over_several_lines_is_one_record(note: str) -> None:
    quoted = '"' + note.replace('"', '""') + '"'
    text = HEADER + row("e1", quoted) + row("e2", "ok")
    raw = lines_from_text(text, "x.csv")
    assert [(r.line, r.error, r.fields[0]) for r in raw] == [(2, None, "e1"), (
        2 + note.count("\n") + 1, None, "e2")]
    assert outcome(text) == [(2, "MATCH", "e1"), (raw[1].line, "MATCH", "e2")]


def test_a_quoted_first_field_over_lines_is_one_record() -> None:
    # "multi / line",evolink,...: the last line alone reads as a record of the header's
    # width too, the shape every record whose quoted field opens it has
    text = HEADER + '"multi\n' + row('line"', "ok") + row("e2", "ok")
    raw = lines_from_text(text, "x.csv")
    assert [(r.line, r.error, r.fields[0]) for r in raw] == [
        (2, None, "multi\nline"), (4, None, "e2")]


def test_a_first_line_that_is_a_whole_record_but_for_its_opening_quote_is_broken() -> None:
    text = HEADER + '"' + row("e2", "ok") + row('e3"', "ok", charged="999.0")
    assert [r.line for r in lines_from_text(text, "x.csv")] == [2, 3]


@pytest.mark.parametrize(("lines", "width", "expected"), [
    (['t1,"a\n', 'b",3\n'], 3, True),
    (['"a\n', 'b",2,3\n'], 3, True),
    (['t1,2,"a\n', 'b"\n'], 3, True),
    (['t1,2,"a\n', "\n", 'b"\n'], 3, True),
    (['t1,2,"a\n', 'x,y,b"\n'], 3, False),
    (['t1,2,"a\n', "\n", 'x,y,b"\n'], 3, False),
    (['t1,"a\n', 'x,b",3\n'], 3, False),  # the one a record's shape cannot tell: read apart
    (['"t1,2,a\n', 'b",2,3\n'], 3, False),
])
def test_well_formed(lines: Sequence[str], width: int, expected: bool) -> None:
    assert spans.well_formed(lines, width) is expected


# --------------------------------------------------------------------------- linear time


class Lines(list[str]):
    """A chunk of lines that counts the lines of every pass over it."""

    passes = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        Lines.passes += len(self)
        return super().__iter__()


class Counting(io.StringIO):
    def readlines(self, hint: int = -1) -> list[str]:  # type: ignore[override]
        return Lines(super().readlines(hint))


HEAD7 = "task_id,provider,model,timestamp,charged,currency,status\n"


@pytest.mark.parametrize("odd", ["\n", '"\n', "a,b\n", '"a\n"\n'])
def test_each_odd_line_is_gone_over_a_bounded_number_of_times(odd: str) -> None:
    # blank lines, lone quotes, rows of the wrong width: finding the text of one line
    # never goes over the lines read with it again
    Lines.passes = 0
    text = HEAD7 + odd * 5_000
    raw = list(readers.read_csv(Counting(text, newline=""), "x.csv"))
    assert [r.line for r in raw] == list(range(2, text.count("\n") + 1))
    assert all(r.error for r in raw)
    assert Lines.passes <= 4 * text.count("\n")


def test_a_hundred_thousand_blank_lines_are_a_hundred_thousand_results() -> None:
    raw = lines_from_text(HEAD7 + "\n" * 100_000, "x.csv")
    assert len(raw) == 100_000
    assert {r.error for r in raw} == {"blank line"}
