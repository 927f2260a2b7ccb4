"""``ratecard quote --payload`` and ``ratecard check``: output, exit status, standard input."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from ratecard.cli import main

FIRST_AND_END = {"model": "kling-v3-image-to-video", "prompt": "Transition from day to night",
                 "image_start": "https://example.com/day.jpg",
                 "image_end": "https://example.com/night.jpg", "duration": 10,
                 "quality": "1080p", "sound": "on"}
BAD = {"model": "kling-v3-image-to-video", "duration": 2, "callback_url": "http://x.test/cb"}


def body_file(tmp_path: Path, body: Any, name: str = "body.json") -> str:
    path = tmp_path / name
    path.write_text(body if isinstance(body, str) else json.dumps(body), encoding="utf-8")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_quote_payload_prints_the_quote(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "quote", "--provider", "evolink", "--payload",
                           body_file(tmp_path, FIRST_AND_END))
    assert (status, err) == (0, "")
    assert "credits         108.0000" in out
    assert "1.500000 USD" in out


def test_quote_payload_from_standard_input_as_json(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    body = {"model": "kling-o3-video-edit", "video_url": "https://x.test/in.mp4",
            "duration": 9, "seed": 1}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(body)))
    status, out, _ = run(capsys, "quote", "--provider", "evolink", "--payload", "-",
                         "--input-seconds", "7.4", "--format", "json")
    data = json.loads(out)
    assert status == 0
    assert (data["credits"], data["billed_seconds"]) == ("56.7000", "7")
    assert data["warnings"][0].startswith("unknown field seed")
    assert any(w.startswith("duration is ignored") for w in data["warnings"])


def test_quote_payload_lists_every_violation_and_exits_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "quote", "--provider", "evolink", "--payload",
                           body_file(tmp_path, BAD))
    assert (status, out) == (2, "")
    assert "evolink would not accept this body (3 problems)" in err
    for code in ("INVALID_DURATION", "MISSING_IMAGE", "INVALID_CALLBACK_URL"):
        assert code in err


def test_quote_payload_of_an_edit_without_its_length_says_what_to_pass(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit = {"model": "kling-o3-video-edit", "video_url": "https://x.test/in.mp4"}
    status, _, err = run(capsys, "quote", "--provider", "evolink", "--payload",
                         body_file(tmp_path, edit))
    assert status == 2
    assert "MISSING_VIDEO_LENGTH" in err
    assert "--input-seconds" in err
    assert "ratecard needs the input video's length" in err
    assert "would not accept" not in err  # the provider takes it: ratecard cannot price it


@pytest.mark.parametrize("extra", [["--model", "x"], ["--duration", "5"], ["--quality", "720p"],
                                   ["--sound", "on"]])
def test_payload_excludes_the_request_options(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str]) -> None:
    status, _, err = run(capsys, "quote", "--provider", "evolink", "--payload",
                         body_file(tmp_path, FIRST_AND_END), *extra)
    assert status == 2
    assert f"{extra[0]} cannot be used with --payload" in err


def test_quote_needs_a_model_or_a_payload(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "quote", "--provider", "evolink")
    assert status == 2
    assert "--model" in err
    assert "--payload" in err
    status, _, err = run(capsys, "quote", "--provider", "evolink", "--model",
                         "kling-o3-video-edit", "--video-info", "fps=30")
    assert status == 2
    assert "--video-info describes the video of a --payload body" in err


def test_malformed_json_is_reported_with_line_and_column(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = body_file(tmp_path, '{\n  "model": "kling-v3-image-to-video",\n  "duration": 5,\n}')
    for command in ("quote", "check"):
        status, out, err = run(capsys, command, "--provider", "evolink", "--payload", path)
        assert (status, out) == (2, "")
        assert f"{path}: not valid JSON at line 4, column 1" in err


def test_missing_payload_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "check", "--provider", "evolink", "--payload",
                         str(tmp_path / "none.json"))
    assert status == 2
    assert "cannot read --payload" in err


def test_check_valid_body_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "check", "--provider", "evolink", "--payload",
                         body_file(tmp_path, {**FIRST_AND_END, "seed": 3}))
    assert status == 0
    assert out.startswith("valid: evolink/kling-v3-image-to-video accepts this body")
    assert "warning: unknown field seed" in out


def test_check_invalid_body_exits_1_with_a_table(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "check", "--provider", "evolink", "--payload",
                         body_file(tmp_path, BAD))
    assert status == 1
    assert out.startswith("invalid: 3 violations for evolink/kling-v3-image-to-video")
    assert "callback_url  INVALID_CALLBACK_URL" in out


def test_check_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = {"type": "o3-pro-video-edit", "prompt": "Snow",
            "video": "https://x.test/in.mp4", "cfg_scale": 3}
    status, out, _ = run(capsys, "check", "--provider", "kling3api", "--payload",
                         body_file(tmp_path, body), "--format", "json")
    data = json.loads(out)
    assert status == 0
    assert data["valid"] is True
    assert data["violations"] == []
    assert data["model"] == "o3-pro-video-edit"
    assert data["warnings"][0].startswith("cfg_scale is ignored")
    k3 = {"type": "pro-image-to-video", "prompt": "x", "cfg_scale": 3}
    status, out, _ = run(capsys, "check", "--provider", "kling3api", "--payload",
                         body_file(tmp_path, k3, "k3.json"), "--format", "json")
    data = json.loads(out)
    assert status == 1
    assert [(v["code"], v["path"]) for v in data["violations"]] == [
        ("MISSING_IMAGE", "image"), ("INVALID_CFG_SCALE", "cfg_scale")]


def test_check_video_info(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit = body_file(tmp_path, {"model": "kling-o3-video-edit",
                                "video_url": "https://x.test/in.mp4"})
    status, out, _ = run(capsys, "check", "--provider", "evolink", "--payload", edit,
                         "--video-info", "width=640,fps=30,format=mp4", "--input-seconds", "2",
                         "--format", "json")
    assert status == 1
    assert [(v["code"], v["path"]) for v in json.loads(out)["violations"]] == [
        ("INVALID_DURATION", "video.seconds"), ("INVALID_VIDEO", "video.width")]
    status, _, err = run(capsys, "check", "--provider", "evolink", "--payload", edit,
                         "--video-info", "colour=red")
    assert status == 2
    assert "--video-info takes KEY=VALUE pairs" in err
    status, _, err = run(capsys, "check", "--provider", "evolink", "--payload", edit,
                         "--video-info", "width=wide")
    assert status == 2
    assert "whole pixels" in err


def test_check_unknown_provider_exits_2(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "check", "--provider", "evolnk", "--payload",
                         body_file(tmp_path, FIRST_AND_END))
    assert status == 2
    assert "did you mean evolink" in err


def test_the_readme_commands_are_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "quote", "--provider", "evolink", "--model",
                         "kling-v3-image-to-video", "--duration", "10", "--quality", "1080p",
                         "--sound", "on")
    assert status == 0
    assert "credits         108.0000 (exact 108.0)" in out
