"""The committed golden snapshots: one file per built-in card and no other, each in
canonical form; the script reports what is wrong and regenerates.

That each card's file is current is part of the shared contract (``tests/contract.py``),
run by ``tests/providers/test_<provider>.py``, so a stale file fails its card's module."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.snapshot import (
    REGENERATE,
    SECONDS,
    SNAPSHOTS,
    committed,
    differences,
    generate_all,
    main,
    path_of,
    problems,
    read,
    render,
    update,
)
from tests.strategies import CATALOG, all_offerings

Snapshot = dict[str, dict[str, object]]


@pytest.fixture(scope="module")
def union() -> Snapshot:
    """Every committed file's quotes together."""
    found: Snapshot = {}
    for path in committed().values():
        found.update(json.loads(path.read_text(encoding="utf-8")))
    return found


def test_there_is_one_file_per_builtin_card_and_no_other() -> None:
    files = committed()
    missing = sorted(set(CATALOG.providers) - set(files))
    extra = sorted(set(files) - set(CATALOG.providers))
    assert not missing, f"no snapshot for {missing}; create it with: {REGENERATE}"
    assert not extra, f"snapshot files of no built-in card: {extra}; {REGENERATE} removes them"
    assert list(files) == list(CATALOG.providers)
    assert sorted(path.name for path in SNAPSHOTS.iterdir()) == [
        f"{provider}.json" for provider in CATALOG.providers]


@pytest.mark.parametrize("provider", CATALOG.providers)
def test_each_file_is_stably_rendered_and_holds_only_its_provider(provider: str) -> None:
    text = path_of(provider).read_text(encoding="utf-8")
    snapshot = json.loads(text)
    assert text == render(snapshot), f"not in canonical form; run {REGENERATE}"
    assert {name.split("/")[0] for name in snapshot} == {provider}


def test_snapshot_covers_every_offering_quality_sound_and_second(union: Snapshot) -> None:
    offerings = {tuple(name.split("/")[:2]) for name in union}
    assert offerings == set(all_offerings())
    cells = sum(
        len(offering.qualities) * 2  # sound off and on
        for card in CATALOG.cards.values()
        for offering in card.offerings
    )
    assert len(union) == cells * len(SECONDS)


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
def test_snapshot_spot_checks(union: Snapshot, name: str, field: str, value: object) -> None:
    assert union[name][field] == value
    snapshot = read(name.split("/")[0])
    assert snapshot is not None
    assert snapshot[name][field] == value


def test_forced_sound_is_on_record() -> None:
    snapshot = read("evolink")
    assert snapshot is not None
    forced = snapshot["evolink/kling-o3-video-edit/720p/sound-on/input_seconds=05"]
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


def test_a_missing_an_extra_and_a_stale_file_are_each_an_error(tmp_path: Path) -> None:
    current = generate_all(CATALOG)
    assert update(current, tmp_path) == [
        f"wrote {len(current[p])} quotes to {path_of(p, tmp_path)}" for p in CATALOG.providers]
    assert sorted(committed(tmp_path)) == sorted(current)
    assert problems(current, tmp_path) == []

    path_of("krea", tmp_path).unlink()
    path_of("acme", tmp_path).write_text("{\n}\n", encoding="utf-8")
    stale = json.loads(path_of("evolink", tmp_path).read_text(encoding="utf-8"))
    name = "evolink/kling-v3-image-to-video/720p/sound-off/duration=05"
    stale[name] = {**stale[name], "credits": "28.0000"}
    path_of("evolink", tmp_path).write_text(render(stale), encoding="utf-8")
    assert problems(current, tmp_path) == [
        "krea.json is missing (the krea card has no snapshot)",
        "acme.json is extra (no built-in card is 'acme')",
        "evolink.json is stale:",
        f"  {name}: credits: '28.0000' -> '27.0000'",
        "  1 quote differs",
    ]
    assert main(["--directory", str(tmp_path)], CATALOG) == 1

    path_of("evolink", tmp_path).write_text(json.dumps(current["evolink"]), encoding="utf-8")
    assert "evolink.json is not in canonical form" in problems(current, tmp_path)

    assert update(current, tmp_path)[-1] == \
        f"removed {path_of('acme', tmp_path)} (no built-in card is 'acme')"
    assert sorted(committed(tmp_path)) == sorted(current)
    assert not path_of("acme", tmp_path).exists()
    assert problems(current, tmp_path) == []


@pytest.mark.slow  # subprocesses; the test above checks the same functions in-process
def test_the_script_reports_current_snapshots_and_updates_a_directory(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parent / "snapshot.py"
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(CATALOG.providers)} snapshot files are current" in result.stdout
    (tmp_path / "gone.json").write_text("{\n}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), "--update", "--directory",
                             str(tmp_path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(committed(tmp_path)) == list(CATALOG.providers)
    for provider in CATALOG.providers:
        assert path_of(provider, tmp_path).read_text(encoding="utf-8") == \
            path_of(provider).read_text(encoding="utf-8")
