"""The notebooks in ``notebooks/`` run against the built-in cards, exactly as committed.

Each committed notebook is executed in a fresh python3 kernel (nbclient) that imports
ratecard from this checkout's ``src/``, with no display (``MPLBACKEND=Agg``; the notebooks
draw inline). A cell that raises fails the test, and so does a notebook that no longer
prints what is committed: a card or code change that moves a number means rebuilding the
notebooks (``python notebooks/build.py``) and reviewing the diff. The committed cells must
be exactly those ``notebooks/build.py`` writes, so edits go through it.
"""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ratecard_notebook_build",
                                                  ROOT / "notebooks" / "build.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build()
NAMES: list[str] = list(build.NOTEBOOKS)

KEY_OUTPUTS: dict[str, tuple[str, ...]] = {
    "01-quote-and-compare": (
        "-> 27.0000 credits = 0.375000 USD", "-> 108.0000 credits = 1.500000 USD",
        "-> 400 credits = USD unknown", "billed at least 3 s: 2 -> 3",
        "billed at most 10 s: 25 -> 10",
        "USD_UNKNOWN (priced at 800 credits)",
    ),
    "02-cheapest-route": (
        "route, down=['evolink']:", "failing over from evolink to comfy costs 0.180000 USD",
        "never ranked, USD unknown: kling3api",
    ),
    "03-reconcile": (
        "every injected error found, and nothing else", "totals conserved",
        "DUPLICATE_TASK", "CHARGED_FOR_FAILED", "lines to dispute",
    ),
    "04-gateway-routing": (
        "kling3api body:", "priced there: 800 credits", "CANNOT_EXPRESS",
        "UNHEALTHY (retry at t=124 s)", "NO_DIALECT", "health-aware", "oracle",
    ),
    "05-what-if": (
        "3,000 lines: REPRICED 3000", "cheapest route", "saving",
        "evolink/kling-v3-image-to-video 1080p with sound: 0.150000 -> 0.180000 USD/s",
    ),
}

GUARD = "import ratecard\nprint(ratecard.__file__)"
"""Appended to the executed copy: which ratecard the kernel imported."""


def committed(name: str) -> Any:
    return nbformat.read(build.path_of(name), as_version=4)  # type: ignore[no-untyped-call]


def test_every_notebook_is_checked() -> None:
    assert sorted(KEY_OUTPUTS) == sorted(NAMES)
    on_disk = sorted(path.stem for path in (ROOT / "notebooks").glob("*.ipynb"))
    assert on_disk == sorted(NAMES), "a notebook not built by notebooks/build.py"


@pytest.mark.parametrize("name", NAMES)
def test_committed_cells_are_the_ones_build_py_writes(name: str) -> None:
    def cells(nb: Any) -> list[tuple[str, str, list[str]]]:
        return [(cell.cell_type, cell.source, list(cell.metadata.get("tags", [])))
                for cell in nb.cells]

    assert cells(committed(name)) == cells(build.build(name)), (
        f"notebooks/{name}.ipynb differs from notebooks/build.py: edit build.py and run "
        "`python notebooks/build.py`")


@pytest.mark.parametrize("name", NAMES)
def test_committed_with_outputs(name: str) -> None:
    nb = committed(name)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code), "committed without executing"
    outputs = [output for cell in code for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    assert any("image/png" in output.get("data", {}) for output in outputs)


def test_readme_figure_is_the_notebooks() -> None:
    assert build.FIGURE.read_bytes() == build.figure(committed(build.FIGURE_NOTEBOOK))
    assert "notebooks/figures/cost-vs-duration.png" in (ROOT / "README.md").read_text()


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_and_prints_what_is_committed(name: str) -> None:
    saved = committed(name)
    nb = copy.deepcopy(saved)
    nb.cells.append(nbformat.v4.new_code_cell(GUARD, id="guard"))  # type: ignore[no-untyped-call]
    build.execute(nb)  # raises CellExecutionError if any cell fails

    imported = Path(build.printed(nb)[-1].strip()).resolve()
    assert imported.is_relative_to(ROOT / "src"), f"the kernel imported {imported}"
    errors = [output for cell in nb.cells if cell.cell_type == "code"
              for output in cell.outputs if output.output_type == "error"]
    assert not errors
    text = "".join(build.printed(nb))
    for key in KEY_OUTPUTS[name]:
        assert key in text, key
    assert build.printed(nb)[:-1] == build.printed(saved), (
        f"notebooks/{name}.ipynb prints something else now: rebuild it with "
        "`python notebooks/build.py` and review the diff")
