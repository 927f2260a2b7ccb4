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

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

from ratecard.reconcile.reconciler import LineResult, Summary

FIELDS = LineResult._fields


def write_results(results: Iterable[LineResult], out: IO[str], fmt: str) -> None:
    """Write every result to ``out`` as ``csv``, ``json`` (JSON Lines) or ``table``."""
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(FIELDS)
        writer.writerows(results)  # in C; csv writes None as an empty field
    elif fmt == "json":
        for result in results:
            out.write(json.dumps(result_dict(result), ensure_ascii=False))
            out.write("\n")
    else:
        from tabulate import tabulate

        rows = [["" if value is None else str(value) for value in result] for result in results]
        out.write(tabulate(rows, headers=FIELDS, tablefmt="simple", disable_numparse=True))
        out.write("\n")


def result_dict(result: LineResult) -> dict[str, Any]:
    """JSON-ready form of one result: amounts as decimal strings, the day in ISO."""
    return {name: (None if value is None else value if isinstance(value, int | str)
                   else str(value) if not hasattr(value, "isoformat") else value.isoformat())
            for name, value in zip(FIELDS, result, strict=True)}


def summary_rows(summary: Summary) -> list[dict[str, Any]]:
    """One row per provider x model x status, then a TOTAL row; amounts per currency."""
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
    return {currency: str(value) for currency, value in sorted(amounts.items())}


def write_summary(summary: Summary, out: IO[str], fmt: str) -> None:
    """The summary as a table, CSV or JSON."""
    rows = summary_rows(summary)
    if fmt == "json":
        json.dump({"rows": rows, "by_status": dict(sorted(summary.by_status.items())),
                   "lines": summary.total.lines, "discrepancies": summary.discrepancies},
                  out, indent=2, ensure_ascii=False)
        out.write("\n")
        return
    flat = [[r["provider"], r["model"], r["status"], r["lines"],
             _text(r["charged"]), _text(r["expected"]), _text(r["difference"])] for r in rows]
    headers = ["provider", "model", "status", "lines", "charged", "expected", "difference"]
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(flat)
        return
    from tabulate import tabulate

    out.write(tabulate(flat, headers=headers, tablefmt="simple", disable_numparse=True))
    out.write("\n")


def _text(amounts: dict[str, str]) -> str:
    return "; ".join(f"{value} {currency}" for currency, value in amounts.items())

