"""``ratecard sources``, and ``--sources`` and the basis marker on the answering commands.

Expected facts and conflicts are read from the card files with ``yaml.safe_load``, never
from ratecard.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from ratecard.cli import main
from ratecard.cli.app import COMMANDS

TABLES = Path(__file__).resolve().parents[1] / "pricing_tables"
CARDS: dict[str, dict[str, Any]] = {
    (card := yaml.safe_load(path.read_text(encoding="utf-8")))["provider"]: card
    for path in sorted(TABLES.glob("*.yaml"))}
I2V = ["--family", "kling-3.0", "--mode", "image-to-video", "--quality", "1080p",
       "--sound", "on", "--duration", "10"]
O3_T2V = ["--family", "kling-o3", "--mode", "text-to-video", "--quality", "720p",
          "--sound", "off", "--duration", "10"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().out


def inferred_sources(provider: str) -> list[dict[str, Any]]:
    """Every inferred source of a card, outside its conflicts' claims."""
    found: list[dict[str, Any]] = []

    def walk(node: object, path: tuple[object, ...]) -> None:
        if isinstance(node, dict):
            if {"document", "basis", "checked_on"} <= set(node):
                if node["basis"] == "inferred" and path[0] != "conflicts":
                    found.append(node)
                return
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, (*path, index))

    walk(CARDS[provider], ())
    return found


def test_sources_is_a_subcommand() -> None:
    assert "sources" in COMMANDS


@pytest.mark.parametrize("provider", sorted(CARDS))
def test_sources_json_lists_every_inferred_fact_and_every_conflict(
    capsys: pytest.CaptureFixture[str], provider: str
) -> None:
    status, out = run(capsys, "sources", "--provider", provider, "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert data["providers"] == [provider]
    assert {f["provider"] for f in data["facts"]} <= {provider}
    assert {f["basis"] for f in data["facts"]} <= {"inferred", "unsourced"}
    listed = {(f["document"], f["checked_on"], f["quote"], f["note"]) for f in data["facts"]}
    for source in inferred_sources(provider):
        key = (source["document"], source["checked_on"].isoformat(), source.get("quote"),
               source.get("note"))
        assert key in listed, key
    ids = {c["offering"] for c in CARDS[provider].get("conflicts", []) if c.get("offering")}
    for fact in data["facts"]:
        assert fact["offerings"]
        assert set(fact["offerings"]) <= {o["id"] for o in CARDS[provider]["offerings"]}
    recorded = CARDS[provider].get("conflicts", [])
    assert [c["subject"] for c in data["conflicts"]] == [c["subject"] for c in recorded]
    for conflict, card_conflict in zip(data["conflicts"], recorded, strict=True):
        assert conflict["touches"] == card_conflict["touches"]
        assert set(conflict["offerings"]) == set(
            ([card_conflict["offering"]] if card_conflict.get("offering") else [])
            + card_conflict.get("offerings", []))
        assert [c["value"] for c in conflict["claims"]] == [
            c["value"] for c in card_conflict["claims"]]
    assert ids <= {o for c in data["conflicts"] for o in c["offerings"]}


def test_sources_all_lists_documented_facts_too(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run(capsys, "sources", "--provider", "evolink", "--all", "--format", "json")
    bases = {f["basis"] for f in json.loads(out)["facts"]}
    assert bases == {"documented", "inferred"}


def test_sources_table_filters_by_provider(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run(capsys, "sources", "--provider", "fal", "krea")
    assert status == 0
    assert out.startswith("inferred facts")
    assert "recorded conflicts (1):" in out  # fal's llms.txt conflict; Krea records none
    assert "evolink" not in out
    assert "llms.txt" in out


def test_sources_table_shows_every_conflict_by_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out = run(capsys, "sources")
    total = sum(len(card.get("conflicts", [])) for card in CARDS.values())
    assert f"recorded conflicts ({total}):" in out


def test_quote_table_has_a_basis_and_sources_on_request(
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = ["quote", "--provider", "evolink", "--model", "kling-o1-video-edit",
            "--input-seconds", "7"]
    status, out = run(capsys, *base)
    assert status == 0
    basis = next(line for line in out.splitlines() if line.startswith("basis"))
    assert "inferred" in basis
    assert "conflict" in basis
    assert any(line.startswith("notes") for line in out.splitlines())
    assert "the card's assumption" in " ".join(out.split())  # the offering's notes
    assert "sources:" not in out
    status, out = run(capsys, *base, "--sources")
    assert status == 0
    assert "sources:" in out
    assert "002_802c29637f30495e.txt" in out
    used = {"qualities", "sounds", "default_quality", "default_sound", "input_seconds",
            "billing", "price", "amount_rounding", "credit_value", "usd_rounding"}
    touching = [c for c in CARDS["evolink"]["conflicts"]
                if "kling-o1-video-edit" in [c.get("offering"), *c.get("offerings", [])]
                and used & set(c["touches"])]
    assert len(touching) == 2  # its price per second, its input length
    assert f"recorded conflicts ({len(touching)}):" in out


def test_offerings_table_has_a_basis_column(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run(capsys, "offerings", "--provider", "kling-official")
    assert status == 0
    header = out.splitlines()[0].split()
    assert header[-1] == "basis"
    assert "inferred: quality/sound" in out
    status, out = run(capsys, "offerings", "--provider", "kling-official", "--sources")
    assert "sources:" in out
    assert "market-prices.md" in out


def test_compare_says_when_the_cheapest_rests_on_an_inferred_price(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out = run(capsys, "compare", *O3_T2V)
    assert status == 0
    served = out.partition("not served")[0]
    first = next(line for line in served.splitlines() if line.startswith("1 "))
    assert "evolink" in first
    assert "inferred: price" in first
    assert "note: the cheapest, evolink/kling-o3-text-to-video (720p, sound off), rests on " \
        "an inferred price" in " ".join(served.split())
    source = next(o for o in CARDS["evolink"]["offerings"]
                  if o["id"] == "kling-o3-text-to-video")["prices"][0]["source"]
    assert source["basis"] == "inferred"


def test_route_marks_its_rows_and_ties(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run(capsys, "route", *I2V, "--down", "evolink")
    assert status == 0
    text = " ".join(out.split())
    assert "note: tie: comfy/kling-v3-image-to-video (1080p, sound on) and " \
        "fal/v3-pro-image-to-video (1080p, sound on) cost the same, 1.680000 USD" in text
    assert "basis" in out.splitlines()[2]
    status, out = run(capsys, "route", *I2V, "--down", "evolink", "--sources")
    assert "sources:" in out
    assert "recorded conflicts" in out


def test_json_answers_always_carry_their_sources(capsys: pytest.CaptureFixture[str]) -> None:
    keys = {"basis", "markers", "marker", "facts", "conflicts", "notes"}
    _, out = run(capsys, "quote", "--provider", "fal", "--model", "v3-pro-image-to-video",
                 "--format", "json")
    assert keys <= set(json.loads(out))
    _, out = run(capsys, "offerings", "--provider", "krea", "--format", "json")
    assert all(keys <= set(row) for row in json.loads(out))
    _, out = run(capsys, "compare", *I2V, "--format", "json")
    data = json.loads(out)
    assert {"head_basis", "caveats"} <= set(data)
    assert all(keys <= set(c) for c in data["candidates"])
    assert all("facts" in e for e in data["excluded"])
    _, out = run(capsys, "route", *I2V, "--format", "json")
    data = json.loads(out)
    assert {"head_basis", "caveats"} <= set(data)
    assert all(keys <= set(c) for c in data["chain"])


def test_lint_json_conflicts_name_what_they_touch(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run(capsys, "lint", "--format", "json")
    assert status == 0
    conflicts = json.loads(out)["conflicts"]
    recorded = [c for card in CARDS.values() for c in card.get("conflicts", [])]
    assert len(conflicts) == len(recorded) >= 17
    for conflict in conflicts:
        assert conflict["touches"]
        assert conflict["id"].startswith(f"{conflict['provider']}:")
        assert all(claim["quote"] for claim in conflict["claims"])
    limited = [c for c in conflicts if any(claim["limits"] for claim in c["claims"])]
    assert {c["subject"] for c in limited} >= {"Kling O3 video edit input size",
                                               "Kling O1 video edit input formats"}
