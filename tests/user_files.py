"""The files a user's commands name (``body.json``, ``march.csv``, ``month.parquet``...),
written into a folder, and the installed ``ratecard`` run there as a user runs it.

The README's commands and every subcommand's ``--help`` examples are run in such a folder
(``tests/test_readme.py``, ``tests/test_cli_grammar.py``). The invoice lines are priced by
hand from the seed documents: EvoLink's Kling 3.0 image-to-video at 720p without sound is
5.4 credits/s (seed 001), so 5 s is 27.0 credits; kling3api's pro text-to-video is a fixed
400 credits (seed 003).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RATECARD = BIN / "ratecard"
"""The installed entry point, as ``pip install`` made it."""

HEADER = "task_id,provider,model,timestamp,duration,charged,currency,status\n"
LINES = ("t1,evolink,kling-v3-image-to-video,2026-11-01,5,27.0,credits,succeeded\n"
         "t2,kling3api,pro-text-to-video,2026-02-05,,400,credits,SUCCESS\n")

BODY = {"model": "kling-v3-image-to-video", "prompt": "Transition from day to night",
        "image_start": "https://example.com/day.jpg", "image_end": "https://example.com/night.jpg",
        "duration": 10, "quality": "1080p", "sound": "on"}
EDIT = {"model": "kling-o3-video-edit", "prompt": "Make it snow",
        "video_url": "https://example.com/in.mp4"}
KLING3API_BODY = {"type": "pro-text-to-video", "prompt": "A lighthouse at dusk", "duration": 5}
STATUS = {  # seed 003's status response
    "code": 200, "message": "success",
    "data": {"task_id": "n75abc123kling3", "status": "SUCCESS", "consumed_credits": 400,
             "created_at": "2026-02-05T10:30:00Z",
             "request": {"type": "pro-text-to-video",
                         "prompt": "A majestic eagle soaring through clouds at sunset",
                         "duration": 5, "aspect_ratio": "16:9"},
             "response": ["https://cdn.example.com/videos/abc123.mp4"],
             "error_message": None, "type": "pro-text-to-video"}}

OUTCOMES = (  # what a gateway saw: kling3api failing twice, then once timing out
    {"provider": "kling3api", "model": "pro-text-to-video", "outcome": "failed",
     "at": "2026-12-03T10:00:00Z"},
    {"provider": "kling3api", "model": "pro-text-to-video", "outcome": "failed",
     "at": "2026-12-03T10:01:00Z"},
    {"provider": "kling3api", "model": "pro-text-to-video", "outcome": "timed_out",
     "at": "2026-12-03T10:02:00Z", "latency": 300},
)


def write_user_files(folder: Path) -> Path:
    """Every file the documented commands name, in ``folder`` (returned)."""
    (folder / "body.json").write_text(json.dumps(BODY), encoding="utf-8")
    (folder / "edit.json").write_text(json.dumps(EDIT), encoding="utf-8")
    (folder / "kling3api-body.json").write_text(json.dumps(KLING3API_BODY), encoding="utf-8")
    (folder / "status.json").write_text(json.dumps(STATUS), encoding="utf-8")
    (folder / "march.csv").write_text(HEADER + LINES, encoding="utf-8")
    (folder / "export.csv").write_text(
        HEADER.replace("task_id", "id").replace("charged", "amount_billed") + LINES,
        encoding="utf-8")
    (folder / "tasks.jsonl").write_text(json.dumps(STATUS) + "\n", encoding="utf-8")
    (folder / "outcomes.jsonl").write_text("".join(json.dumps(o) + "\n" for o in OUTCOMES),
                                           encoding="utf-8")
    (folder / "my-cards").mkdir(exist_ok=True)
    shutil.copy(ROOT / "tests" / "cards" / "acme.yaml", folder / "my-cards" / "acme.yaml")
    shutil.copy(ROOT / "tests" / "cards" / "acme.yaml", folder / "my-card.yaml")
    shutil.copytree(ROOT / "pricing_tables", folder / "pricing_tables", dirs_exist_ok=True)
    venv = folder / ".venv"
    if not venv.exists():  # the README's .venv/bin/ratecard is the installed one
        venv.symlink_to(Path(sys.prefix), target_is_directory=True)
    try:
        import duckdb
    except ImportError:  # pragma: no cover - the dev extra has it
        return folder
    connection = duckdb.connect()
    target = str(folder / "month.parquet").replace("'", "''")
    source = str(folder / "march.csv").replace("'", "''")
    connection.execute(f"COPY (SELECT * FROM read_csv('{source}', all_varchar = true)) "
                       f"TO '{target}' (FORMAT parquet)")
    connection.close()
    return folder


def user_env() -> dict[str, str]:
    """The environment a user's shell has: the installed scripts first on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("COLUMNS", None)
    return env


def shell(script: str, folder: Path, stdin: str | None = None,
          timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """``script`` run by bash (``set -euo pipefail``) in ``folder``, as a user types it."""
    return subprocess.run(["bash", "-c", f"set -euo pipefail\n{script}"], cwd=folder,
                          env=user_env(), input=stdin, capture_output=True, text=True,
                          timeout=timeout, check=False)


def ratecard(*argv: str, cwd: Path | None = None, stdin: str | None = None,
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed ``ratecard`` entry point run with ``argv``."""
    return subprocess.run([str(RATECARD), *argv], cwd=cwd, input=stdin, capture_output=True,
                          text=True, env=env or user_env(), timeout=600, check=False)
