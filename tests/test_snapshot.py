"""The committed golden snapshot of every built-in quote is current."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.snapshot import REGENERATE, SECONDS, SNAPSHOT, differences, generate, read, render
from tests.strategies import CATALOG, all_offerings


@pytest.fixture(scope="module")
def committed() -> dict[str, dict[str, object]]:
    snapshot = read()
    if snapshot is None:
        pytest.fail(f"{SNAPSHOT} is missing; create it with: {REGENERATE}")
    return snapshot


def test_snapshot_is_current(committed: dict[str, dict[str, object]]) -> None:
    current = generate(CATALOG)
    if committed != current:
        report = "\n".join(differences(committed, current))
        pytest.fail(f"{SNAPSHOT.name} differs from the quotes of the built-in cards:\n"
                    f"{report}\nIf the change is intended, regenerate with: {REGENERATE}")


def test_snapshot_file_is_stably_rendered() -> None:
    text = SNAPSHOT.read_text(encoding="utf-8")
    assert text == render(json.loads(text)), f"not in canonical form; run {REGENERATE}"


def test_snapshot_covers_every_offering_quality_sound_and_second(
    committed: dict[str, dict[str, object]],
) -> None:
    offerings = {tuple(name.split("/")[:2]) for name in committed}
    assert offerings == set(all_offerings())
    cells = sum(
        len(offering.qualities) * 2  # sound off and on
        for card in CATALOG.cards.values()
        for offering in card.offerings
    )
    assert len(committed) == cells * len(SECONDS)


@pytest.mark.parametrize(
    ("name", "field", "value"),
    [
        ("evolink/kling-v3-image-to-video/720p/sound-off/duration=05", "credits", "27.0000"),
        ("evolink/kling-v3-image-to-video/1080p/sound-on/duration=10", "usd", "1.500000"),
        ("evolink/kling-v3-image-to-video/720p/sound-off/duration=02", "error",
         "INVALID_DURATION"),
        ("evolink/kling-o1-video-edit/720p/sound-off/input_seconds=20", "billed_seconds", "10"),
        ("evolink/kling-o1-video-edit/720p/sound-off/input_seconds=01", "credits", "36.0000"),
        ("evolink/kling-o1-video-edit/720p/sound-off/input_seconds=00", "error",
         "INVALID_DURATION"),
        ("evolink/kling-o3-video-edit/1080p/sound-on/input_seconds=07", "credits", "75.6378"),
        ("evolink/kling-o3-text-to-video/720p/sound-on/duration=05", "error", "INVALID_SOUND"),
        ("kling3api/pro-text-to-video/1080p/sound-on/duration=05", "credits", "400"),
        ("kling3api/pro-text-to-video/1080p/sound-on/duration=05", "usd", None),
        ("kling3api/o3-pro-video-edit/1080p/sound-off/input_seconds=17", "credits", "435"),
    ],
)
def test_snapshot_spot_checks(committed: dict[str, dict[str, object]], name: str, field: str,
                              value: object) -> None:
    assert committed[name][field] == value


def test_forced_sound_is_on_record(committed: dict[str, dict[str, object]]) -> None:
    forced = committed["evolink/kling-o3-video-edit/720p/sound-on/input_seconds=05"]
    warnings = forced["warnings"]
    assert isinstance(warnings, list)
    assert warnings[0].startswith("sound forced off")


def test_differences_are_readable() -> None:
    old = {"x/y/720p/sound-off/duration=05": {"credits": "27.0000", "usd": "0.375000"}}
    new = {"x/y/720p/sound-off/duration=05": {"credits": "28.0000", "usd": "0.375000"}}
    assert differences(old, new) == [
        "x/y/720p/sound-off/duration=05: credits: '27.0000' -> '28.0000'",
        "1 quote differs",
    ]
    many_old = {f"k{i:02d}": {"credits": str(i)} for i in range(30)}
    many_new = {f"k{i:02d}": {"credits": str(i + 1)} for i in range(30)}
    lines = differences(many_old, many_new, limit=5)
    assert len(lines) == 6
    assert lines[-1] == "30 quotes differ"


def test_the_script_reports_a_current_snapshot() -> None:
    script = Path(__file__).resolve().parent / "snapshot.py"
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "is current" in result.stdout
