"""The README's commands and code, run as a reader would run them, so it cannot drift from
the tool.

Every fenced block of the README is run, in a folder holding the files its commands name
(``tests/user_files.py``: ``body.json``, ``march.csv``, ``month.parquet``, ``my-cards/``...)
with the installed ``ratecard`` first on PATH and ``.venv`` pointing at the installed
environment:

- a ``sh`` block runs in bash, stopping at the first command that fails; a plain fenced
  block right after it is what the commands print, and must be printed exactly (trailing
  blanks aside);
- a ``python`` block runs as a script with the installed Python;
- an install line (``python3 -m venv .venv && .venv/bin/pip install ...``) must be in
  ``.ci/run`` word for word (CI runs it on a fresh machine); what follows its install
  steps is run here like any command;
- a block preceded by ``<!-- readme-test: skip: REASON -->`` is not run; the marker must
  give its reason.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.user_files import ROOT, shell, user_env, write_user_files

README = ROOT / "README.md"
INSTALL = "python3 -m venv .venv && .venv/bin/pip install "
SKIP = re.compile(r"<!-- readme-test: skip: (?P<reason>[^>]*\S)\s*-->\s*$")


@dataclass(frozen=True)
class Block:
    line: int
    """Line of the opening fence (1-based)."""
    language: str
    text: str
    output: str | None
    """The plain block that follows a ``sh`` block: what it prints."""
    skip: str | None
    """Why the README says not to run it."""


def blocks() -> list[Block]:
    lines = README.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    i = 0
    while i < len(lines):
        fence = re.match(r"^```(\w*)\s*$", lines[i])
        if not fence:
            i += 1
            continue
        end = lines.index("```", i + 1)
        before = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        skip = SKIP.match(before)
        found.append(Block(i + 1, fence.group(1), "\n".join(lines[i + 1:end]), None,
                           skip.group("reason") if skip else None))
        i = end + 1
    result: list[Block] = []
    for block in found:
        if block.language == "" and result and result[-1].language == "sh" \
                and _adjacent(lines, result[-1], block):
            last = result.pop()
            result.append(Block(last.line, last.language, last.text, block.text, last.skip))
        else:
            result.append(block)
    return result


def _adjacent(lines: list[str], first: Block, second: Block) -> bool:
    end_of_first = first.line + first.text.count("\n") + 2
    return all(not line.strip() for line in lines[end_of_first:second.line - 1])


def runnable(block: Block) -> str:
    """The shell text to run: install lines reduced to what follows their install steps."""
    commands = []
    for line in block.text.splitlines():
        if line.startswith(INSTALL):
            steps = line.split(" && ")
            rest = [step for step in steps[2:] if not step.startswith(".venv/bin/pip ")]
            commands.extend(rest)
        else:
            commands.append(line)
    return "\n".join(commands)


def params() -> list[object]:
    found: list[object] = []
    for block in blocks():
        if block.language not in ("sh", "python"):
            continue
        marks = [pytest.mark.slow]  # processes (and a JVM): CI runs them all
        found.append(pytest.param(block, marks=marks, id=f"line-{block.line}-{block.language}"))
    return found


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_user_files(tmp_path_factory.mktemp("readme"))


def test_the_readme_has_runnable_blocks_and_every_skip_says_why() -> None:
    every = blocks()
    assert sum(b.language == "sh" and b.skip is None for b in every) >= 6
    assert sum(b.language == "python" and b.skip is None for b in every) >= 3
    assert all(b.language in ("sh", "python", "") for b in every)
    text = README.read_text(encoding="utf-8")
    assert text.count("<!-- readme-test") == sum(b.skip is not None for b in every)


def test_install_lines_are_the_ones_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    installs = [line for b in blocks() for line in b.text.splitlines()
                if line.startswith(INSTALL)]
    assert len(installs) == 2  # the quickstart and the test command
    quickstart, tests = installs
    assert quickstart in ci
    assert tests in ci
    assert "'.[dev]'" not in quickstart  # a quote needs the package alone
    assert ci.index(quickstart) < ci.index(tests)


@pytest.mark.parametrize("block", params())
def test_readme_block_runs_as_written(block: Block, folder: Path) -> None:
    if block.skip is not None:
        pytest.skip(f"README says: {block.skip}")
    if block.language == "python":
        result = subprocess.run([sys.executable, "-"], input=block.text, cwd=folder,
                                env=user_env(), capture_output=True, text=True, timeout=600,
                                check=False)
    else:
        result = shell(runnable(block), folder)
    assert result.returncode == 0, (block.text, result.stdout, result.stderr)
    if block.output is not None:
        printed = [line.rstrip() for line in result.stdout.rstrip("\n").splitlines()]
        shown = [line.rstrip() for line in block.output.splitlines()]
        assert printed == shown
