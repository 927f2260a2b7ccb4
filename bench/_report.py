"""Shared helpers for the benchmarks: repeat, take medians, print a table and JSON."""

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
    """What the figures were measured on."""
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }


def report(title: str, rows: list[dict[str, Any]], out: str | None) -> None:
    """Print rows as a table (median first) and optionally write them as JSON."""
    print(title)
    width = max(len(row["name"]) for row in rows)
    for row in rows:
        ratio = f"  ratio {row['ratio']:.2f}" if "ratio" in row else ""
        limit = f"  (limit {row['limit']})" if "limit" in row else ""
        print(f"  {row['name']:<{width}}  median {row['median']:9.2f} {row['unit']}"
              f"  min {row['min']:9.2f}{ratio}{limit}")
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps({"title": title, "machine": machine(), "rows": rows},
                                        indent=2) + "\n")


def row(name: str, samples: list[float], unit: str, **extra: Any) -> dict[str, Any]:
    """A result row with the median and minimum of ``samples``."""
    return {"name": name, "median": statistics.median(samples), "min": min(samples),
            "unit": unit, "samples": len(samples), **extra}
