"""bench/run_all.py: the summary's verdicts come from the goals, and the README's table is
rewritten between its markers and nowhere else (no timing is measured or asserted)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str) -> ModuleType:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "bench"))


REPORT = _load("_report")
RUN_ALL = _load("run_all")


def _row(name: str, median: float, **extra: Any) -> dict[str, Any]:
    return {"name": name, "median": median, "min": median, "unit": "us", "samples": 3,
            **extra}


def test_measures_compare_with_the_goal_and_the_baseline_of_the_same_run() -> None:
    rows = [_row("floor", 2.0),
            _row("fast", 0.5, baseline="floor", goal=1.0, measure="one quote"),
            _row("slow", 3.0, baseline="floor", goal=1.0),
            _row("rate", 700_000.0, goal=600_000, higher_is_better=True),
            _row("no goal", 9.0, baseline="floor")]
    found = REPORT.measures(rows)
    assert [(m["measure"], m["met"], m["ratio"]) for m in found] == [
        ("one quote", True, 0.25), ("slow", False, 1.5), ("rate", True, None)]


def _summary() -> dict[str, Any]:
    return {"when": "2026-12-03T19:00:00+00:00",
            "machine": {"python": "3.11.7", "cpus": 2, "load_average": [1.0, 2.0, 3.0]},
            "scripts": [{"script": "bench_quote.py", "notes": ["LiteLLM skipped: x"]}],
            "measures": REPORT.measures([
                _row("floor", 2.0), _row("quote", 0.5, baseline="floor", goal=1.0,
                                         measure="one quote, catalog loaded")])}


def test_the_readme_table_is_rewritten_between_its_markers(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# title\n\nbefore\n{RUN_ALL.START}\nold table\n{RUN_ALL.END}\n"
                      "after\n", encoding="utf-8")
    RUN_ALL.rewrite_readme(_summary(), readme)
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# title\n\nbefore\n")
    assert text.endswith(f"{RUN_ALL.END}\nafter\n")
    assert "old table" not in text
    assert "| one quote, catalog loaded | 0.50 us | 2.00 us (floor) | 0.25 | <= 1.00 us | " \
           "yes |" in text
    assert "- bench_quote.py: LiteLLM skipped: x" in text
    RUN_ALL.rewrite_readme(_summary(), readme)
    assert readme.read_text(encoding="utf-8") == text  # the same summary, the same file


def test_a_readme_without_markers_is_refused(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# no markers\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="markers"):
        RUN_ALL.rewrite_readme(_summary(), readme)


def test_the_project_readme_has_the_markers() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.count(RUN_ALL.START) == 1
    assert text.count(RUN_ALL.END) == 1
