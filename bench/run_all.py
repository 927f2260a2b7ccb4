"""Run every benchmark in ``bench/`` with quick settings and write one JSON summary.

Each script runs in its own process with settings short enough for the whole run to take
a few minutes; each measure of the summary names its figure (``ratecard``), the baseline
measured in the same run (``baseline``) and their ratio, the goal from the speed issue and
whether it is met. A script that fails, or a peer that is not installed, is reported as
such; nothing is left out silently.

``--readme`` rewrites the README's performance table (between the
``<!-- bench:summary:start -->`` and ``<!-- bench:summary:end -->`` markers) from the
summary; ``--from FILE`` regenerates it from a summary written before, without running.

    python bench/run_all.py [--out bench/results/summary.json] [--readme] [--from FILE]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _report import machine

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"
START = "<!-- bench:summary:start -->"
END = "<!-- bench:summary:end -->"

QUICK: dict[str, list[str]] = {
    "bench_quote.py": ["--repeats", "7", "--number", "5000"],
    "bench_route.py": ["--repeats", "7", "--number", "1000"],
    "bench_payload.py": ["--repeats", "7", "--number", "2000"],
    "bench_gateway.py": ["--repeats", "7", "--number", "1000"],
    "bench_startup.py": ["--runs", "9"],
    "bench_reconcile.py": ["--lines", "200000", "--runs", "1"],
    "bench_batch.py": ["--lines", "1000000", "--sample", "100000", "--runs", "1"],
    "gateway_sim.py": ["--requests", "20000"],
}
"""Quick settings per script; a script not listed here runs with ``--json`` only."""


def _reconcile(data: Any) -> list[dict[str, Any]]:
    """bench_reconcile.py: lines/s of the Python reconciler beside the csv.reader floor."""
    rows = data if isinstance(data, list) else data.get("rows", [])
    by_name = {row["name"]: row for row in rows if isinstance(row, dict) and "name" in row}
    base, ours = by_name.get("baseline"), by_name.get("reconcile")
    if base is None or ours is None:
        return []
    return [{"measure": "reconcile, Python path (CSV, quick size)", "name": "reconcile",
             "unit": "lines/s", "ratecard": ours["lines_per_s"],
             "baseline_name": "csv.reader + Decimal floor", "baseline": base["lines_per_s"],
             "ratio": ours["lines_per_s"] / base["lines_per_s"], "goal": 600_000,
             "higher_is_better": True, "met": ours["lines_per_s"] >= 600_000}]


def _batch(data: Any) -> list[dict[str, Any]]:
    """bench_batch.py: DuckDB lines/s beside the Python path on the same Parquet sample."""
    if not isinstance(data, dict) or "duckdb_lines_per_s" not in data:
        return []
    rate = data["duckdb_lines_per_s"]
    python = data.get("python_parquet", {}).get("lines_per_s")
    goal = 10_000_000 / 1.5  # the goal: 10M Parquet lines in 1.5 s
    return [{"measure": "reconcile, DuckDB, Parquet (quick size)", "name": "duckdb",
             "unit": "lines/s", "ratecard": rate, "baseline_name": "Python path, Parquet",
             "baseline": python, "ratio": None if not python else rate / python,
             "goal": goal, "higher_is_better": True, "met": rate >= goal}]


ADAPTERS: dict[str, Callable[[Any], list[dict[str, Any]]]] = {
    "bench_reconcile.py": _reconcile,
    "bench_batch.py": _batch,
}
"""How to read the measures of the scripts that do not write ``measures`` themselves."""


def run_script(script: Path, folder: Path) -> dict[str, Any]:
    """Run one script; its measures, or why there are none."""
    out = folder / f"{script.stem}.json"
    command = [sys.executable, str(script), *QUICK.get(script.name, []), "--json", str(out)]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=HERE, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    print(done.stdout, end="")
    result: dict[str, Any] = {"script": script.name, "args": command[2:-2],
                              "seconds": round(seconds, 1), "exit": done.returncode,
                              "measures": [], "notes": []}
    if done.returncode != 0:
        result["notes"].append(f"failed: {done.stderr.strip().splitlines()[-1:]}")
        print(done.stderr, end="", file=sys.stderr)
        return result
    if not out.exists():
        result["notes"].append("wrote no JSON")
        return result
    data = json.loads(out.read_text())
    if isinstance(data, dict) and "measures" in data:
        result["measures"] = data["measures"]
        result["notes"] = data.get("notes", [])
    elif script.name in ADAPTERS:
        result["measures"] = ADAPTERS[script.name](data)
    if not result["measures"]:
        result["notes"].append("no measure with a goal (figures printed above)")
    return result


def run_all(only: list[str] | None) -> dict[str, Any]:
    """Run every ``bench*.py`` and ``*_sim.py`` script of this folder."""
    scripts = sorted(p for p in HERE.glob("*.py")
                     if p.name.startswith("bench_") or p.name.endswith("_sim.py"))
    if only:
        scripts = [p for p in scripts if p.name in only or p.stem in only]
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for script in scripts:
            print(f"== {script.name} {' '.join(QUICK.get(script.name, []))}", flush=True)
            results.append(run_script(script, Path(folder)))
    return {"when": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine(),
            "scripts": results,
            "measures": [m for r in results for m in r["measures"]]}


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "lines/s":
        return f"{value / 1000:,.0f}k lines/s"
    return f"{value:,.2f} {unit}" if value < 100 else f"{value:,.0f} {unit}"


def table(summary: dict[str, Any]) -> str:
    """The README's performance table, in Markdown."""
    info = summary["machine"]
    load = ", ".join(f"{x:.1f}" for x in info.get("load_average", []))
    lines = [
        f"Measured {summary['when'][:10]} by `bench/run_all.py` (quick settings), Python "
        f"{info['python']}, {info['cpus']} CPUs, load average {load or 'unknown'} (a shared "
        "machine: absolute figures move with its load, ratios much less).",
        "",
        "| measure | ratecard | baseline, same run | ratio | goal | met |",
        "|---|---|---|---|---|---|",
    ]
    for m in summary["measures"]:
        base = "-" if m["baseline"] is None else \
            f"{_figure(m['baseline'], m['unit'])} ({m['baseline_name']})"
        ratio = "-" if m["ratio"] is None else f"{m['ratio']:.2f}"
        goal = f"{'>=' if m['higher_is_better'] else '<='} {_figure(m['goal'], m['unit'])}"
        lines.append(f"| {m['measure']} | {_figure(m['ratecard'], m['unit'])} | {base} | "
                     f"{ratio} | {goal} | {'yes' if m['met'] else 'no'} |")
    notes = [f"{r['script']}: {note}" for r in summary["scripts"] for note in r["notes"]]
    if notes:
        lines += ["", *[f"- {note}" for note in notes]]
    return "\n".join(lines)


def rewrite_readme(summary: dict[str, Any], readme: Path = README) -> None:
    """Replace the text between the markers with the table."""
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{readme}: no {START} ... {END} markers")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{table(summary)}\n{END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(HERE / "results" / "summary.json"))
    parser.add_argument("--readme", action="store_true",
                        help="rewrite the README's performance table from the summary")
    parser.add_argument("--from", dest="source", metavar="FILE",
                        help="use a summary written before instead of running")
    parser.add_argument("--only", nargs="*", help="run only these scripts")
    args = parser.parse_args()
    if args.source:
        summary = json.loads(Path(args.source).read_text())
    else:
        start = time.perf_counter()
        summary = run_all(args.only)
        summary["seconds"] = round(time.perf_counter() - start, 1)
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(summary, indent=2) + "\n")
        print(f"summary: {args.out} ({summary['seconds']} s)")
    print(table(summary))
    if args.readme:
        rewrite_readme(summary)
        print(f"rewrote the table in {README}")


if __name__ == "__main__":
    main()
