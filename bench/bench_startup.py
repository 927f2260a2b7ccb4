"""Wall and CPU time of a fresh process that loads the built-in cards, and of ``ratecard quote``.

Each figure is the median of N runs of a new Python process, beside a baseline measured
in the same run: ``python -c pass`` (the interpreter's own start-up). The CPU time
(user + system of the child) moves less than the wall time when the machine is shared.

- load, cache warm: ``import ratecard; ratecard.load()`` (the built-in cards ship compiled
  beside them; no YAML, no pydantic).
- load, no cache: the same with ``RATECARD_NO_CACHE=1`` (a first run after install: no
  user cache; the built-in cards are still read from their shipped compiled form).
- quote CLI: ``ratecard quote --provider evolink --model kling-v3-image-to-video ...``
  (the subcommands that need pydantic, YAML or the batch tables import them when they run).

Where the time goes (``python -X importtime -c "import ratecard; ratecard.load()"``,
bytecode compiled): creating the frozen dataclasses of the compiled form and of the
answers is the largest part of importing ratecard (``dataclasses`` generates and compiles
their methods at import, about 1.5 ms each on this machine under load, some 50 of them:
pricing.rules alone is about a tenth of the import); then ``pathlib``, ``re``,
``decimal``, ``json``, ``hashlib``; ``load()`` itself decodes and checks the shipped
compiled cards (about a tenth of the total). The request-body modules (payloads,
gateway) and routing (with ``statistics``, ``threading`` and the health circuits) are
imported only when a body is read or a need routed; ``tempfile`` only when the user cache
is written, ``difflib`` only for a "did you mean" hint. ``ratecard quote`` adds
``argparse`` and the CLI modules; it writes its tables without ``tabulate`` (whose import,
0.10, reads ``importlib.metadata`` for its version and imports ``wcwidth``: a third of
the command) and reads ratecard's own version only for ``--version``.

    python bench/bench_startup.py [--runs 21] [--json bench/results/startup.json]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _report import ratio_row, report, row

LOAD = "import ratecard; ratecard.load()"


def timed_ms(command: list[str], runs: int, env: dict[str, str]) -> tuple[list[float],
                                                                        list[float]]:
    """Milliseconds of wall time and of CPU time per run of ``command`` (after one warm-up
    run)."""
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        walls.append((time.perf_counter() - start) * 1e3)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
                    * 1e3)
    return walls, cpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()

    env = dict(os.environ)
    env.pop("RATECARD_NO_CACHE", None)
    # an installed package has its bytecode compiled (pip does it): let the warm-up run
    # write it, so no run measures compiling ratecard's sources
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cold = dict(env, RATECARD_NO_CACHE="1")
    script = shutil.which("ratecard") or str(Path(sys.executable).with_name("ratecard"))
    quote = [script, "quote", "--provider", "evolink", "--model", "kling-v3-image-to-video",
             "--duration", "10", "--quality", "1080p", "--sound", "on"]

    wall, cpu = timed_ms([sys.executable, "-c", "pass"], args.runs, env)
    base = row("python -c pass (baseline), wall", wall, "ms", ratio=1.0)
    base_cpu = row("python -c pass (baseline), CPU", cpu, "ms", ratio=1.0)
    rows: list[dict[str, Any]] = [base, base_cpu]
    for name, command, environment, goal, measure in (
        ("import + load, cache warm", [sys.executable, "-c", LOAD], env, 45,
         "import + load, warm"),
        ("import + load, no cache", [sys.executable, "-c", LOAD], cold, 100,
         "import + load, first run (no cache)"),
        ("ratecard quote, cache warm", quote, env, 80, "ratecard quote, warm"),
        ("ratecard quote, no cache", quote, cold, 120, "ratecard quote, first run"),
    ):
        wall, cpu = timed_ms(command, args.runs, environment)
        rows.append(ratio_row(f"{name}, wall", wall, "ms", base, goal=goal, measure=measure))
        rows.append(ratio_row(f"{name}, CPU", cpu, "ms", base_cpu))
    report("process wall and CPU time (median of runs; shared 2-core machine)", rows,
           args.json)


if __name__ == "__main__":
    main()
