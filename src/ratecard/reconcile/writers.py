"""Write reconciliation results and summaries: CSV, JSON (Lines) and tables.

>>> import io, ratecard
>>> from ratecard.reconcile.readers import lines_from_text
>>> from ratecard.reconcile.reconciler import reconcile
>>> text = "task_id,provider,model,timestamp,charged,currency,status\\n"
>>> text += "a,kling3api,pro-text-to-video,2026-02-05,400,credits,SUCCESS\\n"
>>> results, summary = reconcile(ratecard.load(), lines_from_text(text))
>>> out = io.StringIO()
>>> write_results(results, out, "csv")
>>> out.getvalue().splitlines()[1].split(",")[7:12]
['MATCH', 'credits', '400', '400', '0']
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

from ratecard.codes import UNPRICED_STATUSES
from ratecard.csv_out import CsvWriter
from ratecard.money import plain
from ratecard.reconcile.reconciler import LineResult, Summary
from ratecard.reconcile.results import OTHER

FIELDS = LineResult._fields

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a CSV cell as a formula (OWASP's list)."""
_ID = r"[A-Za-z0-9][A-Za-z0-9._-]*"
_AMOUNT = rf"-?[0-9]+(\.[0-9]+)?( (USD|credits(@{_ID})?|{_ID} credits))?"
_NUMBERS = re.compile(f"{_AMOUNT}(; {_AMOUNT})*")
"""Plain numbers, or amounts with their unit as reconcile (``-2.0000 credits@evolink;
0.5 USD``) or whatif (``-2.0000 evolink credits``) names it: safe (the provider in a unit
is letters, digits and ``._-``; any other name is quoted, and such a cell is guarded)."""
_TEXT_FIELDS = tuple(i for i, name in enumerate(FIELDS)
                     if name in ("source", "task_id", "provider", "model", "day", "job_status",
                                 "currency", "price_version", "reason"))
"""Result columns that may carry text from the input (amounts are Decimals, never text)."""
_DECIMAL_FIELDS = tuple(i for i, name in enumerate(FIELDS)
                        if name in ("expected", "charged", "difference", "reserved"))
"""Result columns holding Decimals, written positionally (:func:`plain_rows`)."""


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula: text starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return gets a leading ``'`` (OWASP's advice); plain
    numbers and amounts, negative ones included, are left as they are.

    >>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("-2.5000"), spreadsheet_safe("t1")
    ("'=HYPERLINK(1)", '-2.5000', 't1')
    >>> spreadsheet_safe("-2.0000 credits@evolink; -0.1 USD"), spreadsheet_safe("-1+2")
    ('-2.0000 credits@evolink; -0.1 USD', "'-1+2")
    >>> spreadsheet_safe("-1.68 USD; 0 evolink credits"), spreadsheet_safe("-1 a+b credits")
    ('-1.68 USD; 0 evolink credits', "'-1 a+b credits")
    """
    if cell.startswith(FORMULA_STARTS) and not _NUMBERS.fullmatch(cell):
        return "'" + cell
    return cell


def safe_rows(rows: Iterable[Sequence[Any]], text_fields: Sequence[int]) -> Iterator[Any]:
    """``rows`` with the cells at ``text_fields`` made :func:`spreadsheet_safe`; a row whose
    text cells are all safe is passed on untouched (no copy)."""
    for row in rows:
        for index in text_fields:
            cell = row[index]
            if cell and cell[0] in "=+-@\t\r":
                fixed = list(row)
                for i in text_fields:
                    if isinstance(fixed[i], str):
                        fixed[i] = spreadsheet_safe(fixed[i])
                yield fixed
                break
        else:
            yield row


def plain_rows(rows: Iterable[Sequence[Any]], decimal_fields: Sequence[int]
               ) -> Iterator[Any]:
    """``rows`` with the Decimals at ``decimal_fields`` written as text without an exponent
    (:func:`ratecard.money.plain`): ``str`` writes a difference of ``1E-19`` and ten seconds
    read from ``1e1`` as ``1E+1``. A row whose Decimals print plainly is passed on untouched.

    >>> from decimal import Decimal
    >>> list(plain_rows([("a", Decimal("1E-19")), ("b", Decimal("2.5"))], [1]))
    [['a', '0.0000000000000000001'], ('b', Decimal('2.5'))]
    """
    for row in rows:
        for index in decimal_fields:
            value = row[index]
            if value is not None and "E" in str(value):
                fixed = list(row)
                for i in decimal_fields:
                    if fixed[i] is not None:
                        fixed[i] = plain(fixed[i])
                yield fixed
                break
        else:
            yield row


def write_results(results: Iterable[LineResult], out: IO[str], fmt: str) -> None:
    """Write every result to ``out`` as ``csv``, ``json`` (JSON Lines) or ``table``; CSV
    cells that a spreadsheet would run as a formula are neutralised
    (:func:`spreadsheet_safe`)."""
    if fmt == "csv":
        writer = CsvWriter(out)
        writer.writerow(FIELDS)
        # csv writes None as empty
        writer.writerows(safe_rows(plain_rows(results, _DECIMAL_FIELDS), _TEXT_FIELDS))
    elif fmt == "json":
        for result in results:
            out.write(json.dumps(result_dict(result), ensure_ascii=False))
            out.write("\n")
    else:
        from ratecard.terminal import text_table

        rows = [["" if value is None else str(value) for value in result]
                for result in plain_rows(results, _DECIMAL_FIELDS)]
        out.write(text_table(rows, headers=FIELDS, line_breaks=False, tablefmt="simple",
                             disable_numparse=True))
        out.write("\n")


def result_dict(result: LineResult) -> dict[str, Any]:
    """JSON-ready form of one result: amounts as decimal strings, the day in ISO."""
    return {name: (None if value is None else value if isinstance(value, int | str)
                   else plain(value) if isinstance(value, Decimal)
                   else str(value) if not hasattr(value, "isoformat") else value.isoformat())
            for name, value in zip(FIELDS, result, strict=True)}


def summary_rows(summary: Summary) -> list[dict[str, Any]]:
    """One row per provider x model x status, then a TOTAL row; amounts per unit (``USD``,
    ``credits@<provider>``: never added across units)."""
    rows = []
    for (provider, model, status), totals in sorted(summary.groups.items()):
        rows.append(_row(provider, model, status, totals))
    rows.append(_row("TOTAL", "", "", summary.total))
    return rows


def _row(provider: str, model: str, status: str, totals: Any) -> dict[str, Any]:
    return {
        "provider": provider, "model": model, "status": status, "lines": totals.lines,
        "charged": _amounts(totals.charged), "expected": _amounts(totals.expected),
        "difference": _amounts(totals.difference),
    }


def _amounts(amounts: dict[str, Any]) -> dict[str, str]:
    return {currency: plain(value) for currency, value in sorted(amounts.items())}


def write_summary(summary: Summary, out: IO[str], fmt: str) -> None:
    """The summary as a table, CSV or JSON."""
    rows = summary_rows(summary)
    unpriced = summary.unpriced
    untotalled = summary.total.untotalled
    by_status = summary.by_status
    unpriced_statuses = {status: count for status, count in sorted(by_status.items())
                         if status in UNPRICED_STATUSES}
    if fmt == "json":
        json.dump({"rows": rows, "by_status": dict(sorted(by_status.items())),
                   "lines": summary.total.lines, "discrepancies": summary.discrepancies,
                   "unpriced": {"lines": unpriced.lines,
                                "charged": _amounts(unpriced.charged),
                                "by_status": unpriced_statuses},
                   "untotalled_lines": untotalled},
                  out, indent=2, ensure_ascii=False)
        out.write("\n")
        return
    flat = [[r["provider"], r["model"], r["status"], r["lines"],
             _text(r["charged"]), _text(r["expected"]), _text(r["difference"])] for r in rows]
    headers = ["provider", "model", "status", "lines", "charged", "expected", "difference"]
    if fmt == "csv":
        # what the table says under TOTAL, per row: of its lines, those with no expected
        # amount (and what they were charged), and those in no total
        counts = [_unpriced(status, totals)
                  for (_, _, status), totals in sorted(summary.groups.items())]
        counts.append([unpriced.lines, _text(_amounts(unpriced.charged)), untotalled])
        writer = CsvWriter(out)
        writer.writerow([*headers, *CSV_COUNTS])
        writer.writerows(safe_rows((row + extra for row, extra in
                                    zip(flat, counts, strict=True)), (0, 1, 2, 4, 5, 6, 8)))
        return
    from ratecard.terminal import printable, text_table

    out.write(text_table(flat, headers=headers, line_breaks=False, tablefmt="simple",
                         disable_numparse=True))
    out.write("\n")
    if unpriced.charged:
        statuses = ", ".join(f"{status} {count}" for status, count in
                             unpriced_statuses.items())
        others = summary.total.lines - unpriced.lines
        amounts = printable(_text(_amounts(unpriced.charged)), False)
        out.write(f"TOTAL charged includes {amounts} on "
                  f"{_lines(unpriced.lines)} with no expected amount ({statuses}); expected "
                  f"and difference cover the other {_lines(others)}\n")
    if untotalled:
        out.write(f"{_lines(untotalled)} with no expected amount {_are(untotalled)} in no "
                  f"total either: an amount in a currency word not read, credits of no named "
                  f"seller, or credits of the sellers gathered under {OTHER} (past the first "
                  f"{summary.limit} provider x model pairs no card offers)\n")


CSV_COUNTS = ("unpriced_lines", "unpriced_charged", "untotalled_lines")
"""The columns ``reconcile --format csv`` adds after the table's: of a row's lines, those
with no expected amount (:data:`~ratecard.codes.UNPRICED_STATUSES`, JSON's ``unpriced``)
and what they were charged, and those in no total (JSON's ``untotalled_lines``)."""


def _unpriced(status: str, totals: Any) -> list[Any]:
    if status in UNPRICED_STATUSES:
        return [totals.lines, _text(_amounts(totals.charged)), totals.untotalled]
    return [0, "", totals.untotalled]


def _are(count: int) -> str:
    return "is" if count == 1 else "are"


def _lines(count: int) -> str:
    return f"{count} line" if count == 1 else f"{count} lines"


def _text(amounts: dict[str, str]) -> str:
    return "; ".join(f"{value} {currency}" for currency, value in amounts.items())

