"""Write what-if results and summaries: CSV, JSON (Lines), tables and Parquet.

Per line (``--out``): the columns of :class:`~ratecard.whatif.rerate.LineWhatIf`, the
exclusions as ``provider/model:CODE`` joined by ``; `` in CSV, tables and Parquet, and as
objects in JSON. Amounts are decimal strings in JSON, never floats.

>>> import io, ratecard
>>> from ratecard.whatif import lines_from_text, whatif
>>> text = "task_id,provider,model,timestamp,duration,charged,currency,status\\n"
>>> text += "a,evolink,kling-v3-text-to-video,2026-11-01,5,27,credits,done\\n"
>>> results, summary = whatif(ratecard.load(), lines_from_text(text))
>>> out = io.StringIO()
>>> write_results(results, out, "csv")
>>> row = dict(zip(*[line.split(",") for line in out.getvalue().splitlines()[:2]]))
>>> row["status"], row["usd"], row["best_provider"], row["best_usd"], row["saving_usd"]
('REPRICED', '0.375000', 'evolink', '0.375000', '0.000000')
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from ratecard.csv_out import CsvWriter
from ratecard.money import plain
from ratecard.reconcile.writers import safe_rows
from ratecard.whatif.rerate import STATUSES, Excluded, LineWhatIf, Savings, WhatIfSummary

FIELDS: tuple[str, ...] = LineWhatIf._fields
"""The per-line columns, in order."""
_AMOUNTS = frozenset({"charged", "seconds", "amount", "usd", "best_amount", "best_usd",
                      "saving_usd"})
_TEXT_FIELDS = tuple(i for i, name in enumerate(FIELDS)
                     if name not in _AMOUNTS and name != "line")


def excluded_text(excluded: Sequence[Excluded]) -> str:
    """Exclusions as ``provider/model:CODE; ...`` (a provider-wide one without model).

    >>> excluded_text([Excluded("fal", None, "FAMILY_NOT_OFFERED", "..."),
    ...                Excluded("krea", "m", "DENIED", "...")])
    'fal:FAMILY_NOT_OFFERED; krea/m:DENIED'
    """
    return "; ".join(f"{e.provider}{'' if e.model is None else '/' + e.model}:{e.code}"
                     for e in excluded)


def _cells(result: LineWhatIf) -> list[Any]:
    """The line's values, its Decimals as text without an exponent (``str`` writes ten
    seconds read from ``1e1`` as ``1E+1``), its exclusions as text."""
    cells: list[Any] = [plain(v) if type(v) is Decimal else v for v in result]
    cells[-1] = excluded_text(result.excluded)
    return cells


def result_dict(result: LineWhatIf) -> dict[str, Any]:
    """JSON-ready form of one line: amounts as decimal strings, exclusions as objects."""
    data: dict[str, Any] = {name: plain(value) if isinstance(value, Decimal) else value
                            for name, value in zip(FIELDS[:-1], result, strict=False)}
    data["excluded"] = [{"provider": e.provider, "model": e.model, "code": e.code,
                         "message": e.message} for e in result.excluded]
    return data


def write_results(results: Iterable[LineWhatIf], out: IO[str], fmt: str) -> None:
    """Every line to ``out`` as ``csv``, ``json`` (JSON Lines) or ``table``; CSV cells a
    spreadsheet would run as formulas are neutralised."""
    if fmt == "csv":
        writer = CsvWriter(out)
        writer.writerow(FIELDS)
        writer.writerows(safe_rows((_cells(r) for r in results), _TEXT_FIELDS))
    elif fmt == "json":
        for result in results:
            out.write(json.dumps(result_dict(result), ensure_ascii=False))
            out.write("\n")
    else:
        from ratecard.terminal import text_table

        rows = [["" if value is None else str(value) for value in _cells(r)] for r in results]
        out.write(text_table(rows, headers=FIELDS, line_breaks=False, tablefmt="simple",
                             disable_numparse=True))
        out.write("\n")


PARQUET_TYPES = {name: ("BIGINT" if name == "line" else "DECIMAL(38,20)" if name == "charged"
                        else "DECIMAL(38,10)" if name in _AMOUNTS else "VARCHAR")
                 for name in FIELDS}
"""The column types of ``--out FILE.parquet``, every value exact: ``charged`` as the line
gave it, ``DECIMAL(38,20)`` (an amount has at most 20 decimal places and 16 integer
digits, :data:`ratecard.numbers.AMOUNT`); the card's amounts, USD and seconds
``DECIMAL(38,10)`` (a card rounds to at most 10 places)."""


def write_results_parquet(results: Iterable[LineWhatIf], path: str | Path,
                          batch: int = 50_000) -> None:
    """Every line as a Parquet file (:data:`PARQUET_TYPES`; DuckDB writes it)."""
    from ratecard.batch.duckdb_engine import connect
    from ratecard.batch.failures import output_errors

    connection = connect()
    try:
        columns = ", ".join(f'"{name}" {kind}' for name, kind in PARQUET_TYPES.items())
        connection.execute(f"CREATE TABLE whatif ({columns})")
        marks = ", ".join("?" for _ in FIELDS)
        rows: list[list[Any]] = []
        for result in results:
            rows.append(_cells(result))
            if len(rows) >= batch:
                connection.executemany(f"INSERT INTO whatif VALUES ({marks})", rows)
                rows = []
        if rows:
            connection.executemany(f"INSERT INTO whatif VALUES ({marks})", rows)
        target = str(path).replace("'", "''")
        with output_errors(path):
            connection.execute(f"COPY whatif TO '{target}' (FORMAT parquet)")
    finally:
        connection.close()


# ------------------------------------------------------------------------------ summary

def _amounts(amounts: dict[str, Decimal]) -> dict[str, str]:
    return {currency: plain(value) for currency, value in sorted(amounts.items())}


def _amounts_text(amounts: dict[str, Decimal]) -> str:
    return "; ".join(f"{plain(value)} {currency}" for currency, value in sorted(amounts.items()))


def _savings(savings: Savings) -> dict[str, Any]:
    return {"lines": savings.lines, "actual_usd": plain(savings.actual_usd),
            "cheapest_usd": plain(savings.cheapest_usd), "saving_usd": plain(savings.saving_usd)}


def _share(savings: Savings) -> str:
    """The saving as a share of the actual USD, to 0.1 % (display only)."""
    if not savings.actual_usd:
        return ""
    return f"{savings.saving_usd * 100 / savings.actual_usd:.1f} %"


def summary_dict(summary: WhatIfSummary) -> dict[str, Any]:
    """The summary, JSON-ready: amounts as decimal strings, per currency."""
    return {
        "lines": summary.lines,
        "by_status": {s: summary.by_status[s] for s in STATUSES if s in summary.by_status},
        "not_rerated": summary.not_rerated,
        "charged": _amounts(summary.charged),
        "card": _amounts(summary.card),
        "cheapest_route": _savings(summary.policy),
        "sellers": [{
            "provider": t.provider, "reference": t.reference, **_savings(t.served),
            "usd": plain(t.served.cheapest_usd), "usd_unknown": t.usd_unknown,
            "amount": _amounts(t.amount),
            "not_served": dict(sorted(t.not_served.items())),
        } for t in summary.sellers.values()],
        "by_month": {k: _savings(v) for k, v in sorted(summary.by_month.items())},
        "by_model": {k: _savings(v) for k, v in sorted(summary.by_model.items())},
        "by_seller": {k: _savings(v) for k, v in sorted(summary.by_seller.items())},
        "to_seller": {k: _savings(v) for k, v in sorted(summary.to_seller.items())},
    }


CSV_HEADERS = ("section", "key", "lines", "actual_usd", "usd", "saving_usd", "usd_unknown",
               "not_served", "amount")
"""``whatif --format csv``: one row per line of the tables. ``section``: ``total`` (keys
``charged``, ``card``, ``cheapest_route``), ``seller`` (everything to one seller: ``usd``
at that seller for the ``lines`` it can serve, ``actual_usd`` of those same lines),
``month``, ``model``, ``went_to``, ``routed_to`` (``usd`` the cheapest route's), then
``status``: how many lines got each status (``lines``), as the table and JSON say."""


def summary_rows(summary: WhatIfSummary) -> list[tuple[Any, ...]]:
    """The summary as rows of :data:`CSV_HEADERS`."""
    p = summary.policy
    rows: list[tuple[Any, ...]] = [
        ("total", "lines", summary.lines, None, None, None, None, summary.not_rerated, None),
        ("total", "charged", None, None, None, None, None, None,
         _amounts_text(summary.charged)),
        ("total", "card", None, None, None, None, None, None, _amounts_text(summary.card)),
        ("total", "cheapest_route", p.lines, p.actual_usd, p.cheapest_usd, p.saving_usd,
         None, None, None),
    ]
    for t in summary.sellers.values():
        s = t.served
        not_served = "; ".join(f"{code} {n}" for code, n in sorted(t.not_served.items()))
        rows.append(("seller", t.provider + (" (reference)" if t.reference else ""), s.lines,
                     s.actual_usd, s.cheapest_usd, s.saving_usd, t.usd_unknown, not_served,
                     _amounts_text(t.amount)))
    for section, groups in (("month", summary.by_month), ("model", summary.by_model),
                            ("went_to", summary.by_seller), ("routed_to", summary.to_seller)):
        for key, g in sorted(groups.items()):
            rows.append((section, key, g.lines, g.actual_usd, g.cheapest_usd, g.saving_usd,
                         None, None, None))
    rows.extend(("status", status, summary.by_status[status], None, None, None, None, None,
                 None) for status in STATUSES if status in summary.by_status)
    return rows


def write_summary(summary: WhatIfSummary, out: IO[str], fmt: str) -> None:
    """The summary as a table (several, with headings), CSV (:data:`CSV_HEADERS`) or JSON."""
    if fmt == "json":
        json.dump(summary_dict(summary), out, indent=2, ensure_ascii=False)
        out.write("\n")
        return
    if fmt == "csv":
        writer = CsvWriter(out)
        writer.writerow(CSV_HEADERS)
        text = (["" if c is None else c if isinstance(c, str)
                 else plain(c) if isinstance(c, Decimal) else str(c) for c in row]
                for row in summary_rows(summary))
        writer.writerows(safe_rows(text, (0, 1, 7, 8)))
        return
    _write_tables(summary, out)


def _write_tables(summary: WhatIfSummary, out: IO[str]) -> None:
    from ratecard.terminal import printable, text_table

    def table(rows: list[list[str]], headers: Sequence[str]) -> None:
        out.write(text_table(rows, headers=headers, line_breaks=False, tablefmt="simple",
                             disable_numparse=True))
        out.write("\n")

    statuses = ", ".join(f"{s} {summary.by_status[s]}" for s in STATUSES
                         if s in summary.by_status)
    p = summary.policy
    out.write(f"what-if: {summary.lines} line{'' if summary.lines == 1 else 's'} "
              f"({statuses})\n")
    charged = printable(_amounts_text(summary.charged), False)
    card = printable(_amounts_text(summary.card), False)
    out.write(f"charged:      {charged or 'nothing'}\n")
    out.write(f"card price:   {card or 'nothing'} (where each job went)\n")
    out.write(f"re-rated:     {p.lines} lines cost {plain(p.actual_usd)} USD by the cards; "
              f"the cheapest route {plain(p.cheapest_usd)} USD: saving "
              f"{plain(p.saving_usd)} USD{' (' + _share(p) + ')' if _share(p) else ''}\n")
    out.write("\neverything to one seller (the re-rated lines it can serve):\n")
    rows = []
    for t in summary.sellers.values():
        s = t.served
        rows.append([t.provider + (" (reference)" if t.reference else ""), str(s.lines),
                     plain(s.cheapest_usd), plain(s.actual_usd),
                     plain(_difference(s)), str(t.usd_unknown),
                     ", ".join(f"{code} {n}" for code, n in sorted(t.not_served.items())),
                     _amounts_text(t.amount)])
    table(rows, ("seller", "lines", "USD there", "USD actual", "difference", "USD unknown",
                 "not served", "in its currency"))
    for title, groups in (("by month", summary.by_month), ("by model", summary.by_model),
                          ("by the seller it went to", summary.by_seller),
                          ("by the seller the cheapest route picks", summary.to_seller)):
        if not groups:
            continue
        out.write(f"\nsavings of the cheapest route {title}:\n")
        table([[key, str(g.lines), plain(g.actual_usd), plain(g.cheapest_usd),
                plain(g.saving_usd), _share(g)] for key, g in sorted(groups.items())],
              ("", "lines", "USD actual", "USD cheapest", "saving", "share"))


def _difference(savings: Savings) -> Decimal:
    """What the lines would have cost more there (negative: less) than where they went."""
    from ratecard.money import EXACT

    return EXACT.subtract(savings.cheapest_usd, savings.actual_usd)
