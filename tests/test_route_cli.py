"""``ratecard compare`` and ``ratecard route`` on the command line."""

from __future__ import annotations

import json

import pytest

from ratecard.cli import main

I2V = ["--family", "kling-3.0", "--mode", "image-to-video", "--quality", "1080p",
       "--sound", "on", "--duration", "10"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_compare_one_provider_shows_offerings_x_quality_x_sound_as_one_table(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "compare", "--provider", "evolink", "--duration", "10")
    assert status == 0
    rows = [line for line in out.splitlines() if line[:1].isdigit()]
    assert len(rows) == 14
    assert "kling-v3-text-to-video" in rows[-1]
    assert "1080p" in rows[-1]
    assert "108.0000 credits" in rows[-1]
    assert "1.500000" in rows[-1]
    assert out.splitlines()[0] == "compare: any family, any generation mode, any quality, " \
        "any sound, 10 s"


def test_compare_lists_what_cannot_serve_apart_with_reasons(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "compare", *I2V)
    assert status == 0
    served, _, excluded = out.partition("not served")
    assert "1.680000" in served
    assert "reference" not in served
    assert "USD_UNKNOWN" in excluded
    assert "800 credits" in excluded
    assert "FAMILY_NOT_OFFERED" in excluded


def test_compare_json_keeps_decimal_strings(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "compare", *I2V, "--format", "json")
    data = json.loads(out)
    assert status == 0
    assert [(c["provider"], c["usd"]) for c in data["candidates"]][:2] == [
        ("evolink", "1.500000"), ("comfy", "1.680000")]


def test_route_with_down_and_budget(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "route", *I2V, "--down", "evolink", "--max-usd", "2")
    assert status == 0
    assert out.splitlines()[0].endswith("(down: evolink; max 2 USD)")
    rows = [line.split() for line in out.splitlines() if line[:1].isdigit()]
    assert [row[1] for row in rows] == ["comfy", "fal"]
    assert "DOWN" in out
    assert "OVER_BUDGET" in out


def test_route_credits_per_usd_gives_kling3api_a_value(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "route", *I2V, "--credits-per-usd", "kling3api=500",
                         "--format", "json")
    chain = json.loads(out)["chain"]
    assert status == 0
    assert (chain[1]["provider"], chain[1]["usd"]) == ("kling3api", "1.600000")


def test_route_exits_1_when_nothing_can_serve(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "route", *I2V[:-1], "30")
    assert status == 1
    assert "no provider can serve this need now" in out
    status, out, _ = run(capsys, "route", *I2V[:-1], "30", "--format", "json")
    assert status == 1
    assert json.loads(out)["chain"] == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["route", "--mode", "image-to-video", "--duration", "5"], "family and a mode"),
        (["route", *I2V, "--down", "fall"], "did you mean fal?"),
        (["route", *I2V, "--max-usd", "cheap"], "--max-usd must be a number"),
        (["compare", "--duration", "0"], "more than 0"),
        (["compare", "--duration", "5", "--credits-per-usd", "kling3api"], "PROVIDER=NUMBER"),
        (["compare", "--duration", "5", "--credits-per-usd", "fal=100"], "not credits"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys: pytest.CaptureFixture[str], argv: list[str],
                                         message: str) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert message in err


def test_compare_needs_a_length(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["compare", "--family", "kling-3.0"])
    assert info.value.code == 2
    assert "--duration" in capsys.readouterr().err


def test_quote_accepts_credits_per_usd(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "quote", "--provider", "kling3api", "--model",
                         "pro-text-to-video", "--credits-per-usd", "kling3api=500",
                         "--format", "json")
    assert status == 0
    assert json.loads(out)["usd"] == "0.800000"
