"""Shared helpers for the benchmarks: repeat, take medians, print a table and JSON.

A row with a ``goal`` (in the row's unit) is a *measure*: :func:`report` writes it in the
JSON's ``measures`` list with the median of the row named by its ``baseline``, the ratio
and whether the goal is met; ``bench/run_all.py`` gathers those into one summary.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from timeit import Timer
from typing import Any


def per_call_us(func: Callable[[], object], repeats: int, number: int) -> list[float]:
    """Microseconds per call, one figure per repeat of ``number`` calls."""
    timer = Timer(func)
    timer.timeit(number=max(1, number // 10))  # warm up
    return [seconds / number * 1e6 for seconds in timer.repeat(repeat=repeats, number=number)]


def machine() -> dict[str, Any]:
    """What the figures were measured on (the load average says how busy it was)."""
    try:
        load = list(os.getloadavg())
    except OSError:  # not on every platform
        load = []
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": load,
    }


def measures(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with a goal, each with its baseline's median, ratio and verdict."""
    by_name = {row["name"]: row for row in rows}
    found = []
    for row in rows:
        if "goal" not in row:
            continue
        base = by_name.get(row.get("baseline", ""))
        higher = bool(row.get("higher_is_better", False))
        met = row["median"] >= row["goal"] if higher else row["median"] <= row["goal"]
        found.append({
            "measure": row.get("measure", row["name"]), "name": row["name"],
            "unit": row["unit"], "ratecard": row["median"],
            "baseline_name": None if base is None else base["name"],
            "baseline": None if base is None else base["median"],
            "ratio": None if base is None else row["median"] / base["median"],
            "goal": row["goal"], "higher_is_better": higher, "met": met,
        })
    return found


def report(title: str, rows: list[dict[str, Any]], out: str | None,
           notes: list[str] | None = None) -> None:
    """Print rows as a table (median first) and optionally write them as JSON."""
    print(title)
    width = max(len(row["name"]) for row in rows)
    for row in rows:
        ratio = f"  ratio {row['ratio']:.2f}" if "ratio" in row else ""
        goal = ""
        if "goal" in row:
            goal = f"  (goal {'>=' if row.get('higher_is_better') else '<='} " \
                   f"{row['goal']:g} {row['unit']})"
        print(f"  {row['name']:<{width}}  median {row['median']:9.2f} {row['unit']}"
              f"  min {row['min']:9.2f}{ratio}{goal}")
    for note in notes or ():
        print(f"  note: {note}")
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps({"title": title, "machine": machine(), "rows": rows,
                                         "measures": measures(rows), "notes": notes or []},
                                        indent=2) + "\n")


def row(name: str, samples: list[float], unit: str, **extra: Any) -> dict[str, Any]:
    """A result row with the median and minimum of ``samples``."""
    return {"name": name, "median": statistics.median(samples), "min": min(samples),
            "unit": unit, "samples": len(samples), **extra}


def ratio_row(name: str, samples: list[float], unit: str, base: dict[str, Any],
              **extra: Any) -> dict[str, Any]:
    """A row with its ratio to the median of the ``base`` row, and ``base`` named."""
    made = row(name, samples, unit, **extra)
    made["ratio"] = made["median"] / base["median"]
    made.setdefault("baseline", base["name"])
    return made
