"""Wall time of a fresh process that loads the built-in cards, and of ``ratecard quote``.

Each figure is the median of N runs of a new Python process, beside a baseline measured
in the same run: ``python -c pass`` (the interpreter's own start-up).

- load, cached: ``import ratecard; ratecard.load()`` with the compiled-catalog cache warm
  (the normal case after the first run on a machine).
- load, cold: the same with ``RATECARD_NO_CACHE=1``: YAML parsing and pydantic validation.
- quote CLI: ``ratecard quote --provider evolink --model kling-v3-image-to-video ...``.

    python bench/bench_startup.py [--runs 21] [--json bench/results/startup.json]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from _report import report, row

LOAD = "import ratecard; ratecard.load()"


def wall_ms(command: list[str], runs: int, env: dict[str, str]) -> list[float]:
    """Milliseconds of wall time per run of ``command`` (one warm-up run first)."""
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        samples.append((time.perf_counter() - start) * 1e3)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()

    env = dict(os.environ)
    env.pop("RATECARD_NO_CACHE", None)
    cold = dict(env, RATECARD_NO_CACHE="1")
    script = shutil.which("ratecard") or str(Path(sys.executable).with_name("ratecard"))
    quote = [script, "quote", "--provider", "evolink", "--model", "kling-v3-image-to-video",
             "--duration", "10", "--quality", "1080p", "--sound", "on"]

    python = wall_ms([sys.executable, "-c", "pass"], args.runs, env)
    base = row("", python, "ms")["median"]
    rows = [row("python -c pass (baseline)", python, "ms", ratio=1.0)]
    for name, command, environment, limit in (
        ("import + load, cache warm", [sys.executable, "-c", LOAD], env, "150 ms"),
        ("import + load, no cache", [sys.executable, "-c", LOAD], cold, None),
        ("ratecard quote, cache warm", quote, env, "250 ms"),
        ("ratecard quote, no cache", quote, cold, None),
    ):
        samples = wall_ms(command, args.runs, environment)
        extra = {"limit": limit} if limit else {}
        rows.append(row(name, samples, "ms", ratio=row("", samples, "ms")["median"] / base,
                        **extra))
    report("process wall time (median of runs)", rows, args.json)


if __name__ == "__main__":
    main()
