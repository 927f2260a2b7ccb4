"""The package's shape: no import cycle anywhere, and the layers import-linter enforces.

The layer contracts themselves live in ``pyproject.toml`` (``[tool.importlinter]``) and
run in CI as ``lint-imports``; this test adds what a layers contract does not see: a
cycle between two modules of the same layer.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for name in ("a", "b", "c"):
        graph.add_module(name)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="a")
    graph.add_import(importer="b", imported="c")
    assert _cycles(graph) == [["a", "b"]]


def test_no_import_cycle_in_the_package() -> None:
    graph = grimp.build_graph("ratecard")
    assert _cycles(graph) == []


@pytest.mark.slow
def test_the_import_contracts_hold() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter)], cwd=ROOT, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_quote_imports_no_other_subcommand() -> None:
    """``ratecard quote`` is the hot command line: it builds the parser of its own
    subcommand only, and the body dialects are read only for ``--payload``."""
    code = ("import sys\nfrom ratecard.cli import main\n"
            "main(['quote', '--provider', 'evolink', '--model', 'kling-v3-image-to-video', "
            "'--format', 'json'])\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('ratecard.'))), "
            "file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True, timeout=120)
    loaded = set(result.stderr.split())
    assert "ratecard.cli.quote" in loaded
    others = {f"ratecard.cli.{name}" for name in (
        "offerings", "compare", "route", "sources", "check", "lint", "rates", "reconcile",
        "whatif", "diff", "schema", "gateway", "body")}
    assert not loaded & others, sorted(loaded & others)
    assert not {m for m in loaded if m.startswith(("ratecard.payloads.dialects",
                                                     "ratecard.reconcile."))}
