"""Every built-in fact traces to one of its six documents, and every answer says so.

The oracles are independent of the code under test: sources are read from the card files
with ``yaml.safe_load`` (not ratecard's loader), and quotes are looked up in the documents
themselves (``tests/documents/``: copies of ``shared/seeds/`` and
``shared/market-prices.md``, checked against ``shared/`` when it is beside the checkout).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from ratecard import Need, QuoteError, VideoInfo
from ratecard.cli import main
from tests.route_strategies import CATALOG

ROOT = Path(__file__).resolve().parents[1]
TABLES = ROOT / "pricing_tables"
DOCUMENTS = Path(__file__).resolve().parent / "documents"
TODAY = date.today()
"""No fact was checked after today (a card is edited on the day its facts are checked)."""
PAGE_DATES = {date(2026, 11, 1), date(2026, 5, 8), date(2026, 6, 22)}
"""Dates the documents show (the month a page was seen, pull request merges): nobody
checked a fact on them."""

Doc = dict[str, Any]


def _documents() -> dict[str, str]:
    docs = {p.name: p.read_text(encoding="utf-8") for p in (DOCUMENTS / "seeds").glob("*.txt")}
    docs["market-prices.md"] = (DOCUMENTS / "market-prices.md").read_text(encoding="utf-8")
    return docs


DOCS = _documents()
SQUASHED = {name: re.sub(r"\s+", "", text) for name, text in DOCS.items()}
CARDS: dict[str, Doc] = {
    (card := yaml.safe_load(path.read_text(encoding="utf-8")))["provider"]: card
    for path in sorted(TABLES.glob("*.yaml"))}


def offering(provider: str, model: str) -> Doc:
    return next(o for o in CARDS[provider]["offerings"] if o["id"] == model)


def sources(node: object, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str, Doc]]:
    """Every ``source`` mapping in a card, with its dotted path."""
    if isinstance(node, dict):
        if {"document", "checked_on", "basis"} <= set(node):
            yield ".".join(map(str, path)), node
            return
        for key, value in node.items():
            yield from sources(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from sources(value, (*path, index))


ALL_SOURCES = [(provider, where, source) for provider, card in CARDS.items()
               for where, source in sources(card)]


def expected(source: Doc | None) -> dict[str, Any]:
    """The provenance keys an answer must show for ``source``."""
    if source is None:
        return {"basis": "unsourced", "document": None, "checked_on": None, "quote": None,
                "note": None}
    return {"basis": source["basis"], "document": source["document"],
            "checked_on": source["checked_on"].isoformat(), "quote": source.get("quote"),
            "note": source.get("note")}


def provenance(fact: Doc) -> dict[str, Any]:
    return {key: fact[key] for key in ("basis", "document", "checked_on", "quote", "note")}


# --------------------------------------------------------------------------- documents


def test_the_copies_are_the_six_documents() -> None:
    assert sorted(DOCS) == ["000_60837b4ac9c6861d.txt", "001_82db72441ebb5bb7.txt",
                            "002_802c29637f30495e.txt", "003_d85ea8d62f3ed7f3.txt",
                            "004_c15657de96eea0ce.txt", "market-prices.md"]
    shared = ROOT.parent / "shared"
    if not shared.is_dir():
        pytest.skip("no shared/ beside the checkout to compare the copies with")
    for name, text in DOCS.items():
        original = shared / ("market-prices.md" if name.endswith(".md") else f"seeds/{name}")
        assert original.read_text(encoding="utf-8") == text, name


@pytest.mark.parametrize(("provider", "where", "source"), ALL_SOURCES,
                         ids=[f"{p}:{w}" for p, w, _ in ALL_SOURCES])
def test_every_source_cites_a_document_and_quotes_it_verbatim(
    provider: str, where: str, source: Doc
) -> None:
    assert source["document"] in DOCS, f"{source['document']} is not one of the six documents"
    checked = source["checked_on"]
    assert isinstance(checked, date)
    assert date(2026, 1, 1) <= checked <= TODAY
    assert checked not in PAGE_DATES
    quote = source.get("quote")
    if source["basis"] == "documented":
        assert quote, "a documented fact quotes its document"
    else:
        assert source["basis"] == "inferred"
        assert source.get("note"), "an inferred fact says how it was derived"
    for passage in re.split(r"\.\.\.|…", quote or ""):
        squashed = re.sub(r"\s+", "", passage)
        assert squashed in SQUASHED[source["document"]], \
            f"not in {source['document']} (whitespace aside): {passage.strip()!r}"


@pytest.mark.parametrize("provider", sorted(CARDS))
def test_every_built_in_fact_has_a_source(provider: str) -> None:
    card = CARDS[provider]
    assert card["defaults"].get("source"), "defaults"
    for stage in ("amount", "usd"):
        assert card["rounding"][stage].get("source"), f"rounding.{stage}"
    for item in card.get("credit_values", []):
        assert item.get("source")
    for o in card["offerings"]:
        for key in ("qualities_source", "sounds_source"):
            assert o.get(key), f"{o['id']}: {key}"
        if o.get("defaults"):
            assert o["defaults"].get("source"), f"{o['id']}: defaults"
        rounding = o["billing"].get("rounding")
        if rounding:
            assert rounding.get("source"), f"{o['id']}: billing.rounding"
    for conflict in card.get("conflicts", []):
        assert conflict.get("touches"), f"conflict {conflict['subject']!r} names no fact"


def test_market_cards_cite_market_prices_or_a_seed_only() -> None:
    for provider in ("fal", "krea", "comfy", "modellix", "kling-official"):
        for _, source in sources(CARDS[provider]):
            assert source["document"] in DOCS
        text = (TABLES / f"{provider}.yaml").read_text(encoding="utf-8")
        for gone in ("POST /", "start_image", "widget", "Total credits", "klingai.com",
                     "docs.comfy.org", "2026-11-01", "2026-05-08", "2026-06-22"):
            assert gone not in text, (provider, gone)


def test_durations_are_whole_seconds_everywhere() -> None:
    """No source says a seller takes a fraction of a second."""
    for provider, card in CARDS.items():
        for o in card["offerings"]:
            limit = o["accepts"].get("duration")
            if limit is None:
                continue
            assert limit["integer"] is True, (provider, o["id"])
            if o["billing"]["basis"] == "duration":
                with pytest.raises(QuoteError) as info:
                    CATALOG.quote(provider, o["id"], duration="5.5")
                assert info.value.code == "INVALID_DURATION"


# --------------------------------------------------------------------------- answers


def expected_fact(provider: str, model: str, fact: str) -> Doc | None:
    """The YAML source of ``fact`` of one offering, read without ratecard."""
    card, o = CARDS[provider], offering(provider, model)
    own = o.get("defaults") or {}
    default = {"default_quality": "quality", "default_sound": "sound",
               "default_duration": "duration"}
    if fact in default:
        key = default[fact]
        chosen: Doc | None
        if key in own:
            chosen = own.get("source")
        elif key in card["defaults"]:
            chosen = card["defaults"]["source"]
        else:
            chosen = o["qualities_source" if key == "quality" else "sounds_source"]
        return chosen
    table: dict[str, Any] = {
        "qualities": lambda: o["qualities_source"],
        "sounds": lambda: o["sounds_source"],
        "forced_sound": lambda: o["forced_sound"]["source"],
        "billing": lambda: o["billing"]["source"],
        "seconds_rounding": lambda: o["billing"]["rounding"].get("source")
        or o["billing"]["source"],
        "price": lambda: o["prices"][-1]["source"],
        "multiplier": lambda: o["prices"][-1]["source"],
        "amount_rounding": lambda: card["rounding"]["amount"]["source"],
        "usd_rounding": lambda: card["rounding"]["usd"]["source"],
        "credit_value": lambda: card["credit_values"][-1]["source"],
        "duration": lambda: o["accepts"]["duration"]["source"],
        "input_seconds": lambda: o["accepts"]["input_seconds"]["source"],
    }
    result: Doc | None = table[fact]()
    return result


def expected_conflicts(provider: str, model: str, fact: str) -> set[str]:
    """Subjects of the recorded conflicts touching ``fact`` of the offering."""
    found = set()
    for conflict in CARDS[provider].get("conflicts", []):
        concerned = ([conflict["offering"]] if conflict.get("offering")
                     else conflict.get("offerings") or [])
        if concerned and model not in concerned:
            continue
        if fact in (conflict.get("touches") or ["price"]):
            found.add(conflict["subject"])
    return found


def check_facts(provider: str, model: str, answer: Doc) -> None:
    """Every provenance field of one JSON answer against the card file."""
    by_id = {c["id"]: c for c in answer["conflicts"]}
    assert answer["facts"], "an answer with no facts"
    for fact in answer["facts"]:
        name = fact["fact"]
        where = f"{provider}/{model} {name}"
        assert provenance(fact) == expected(expected_fact(provider, model, name)), where
        subjects = {by_id[cid]["subject"] for cid in fact["conflicts"]}
        assert subjects == expected_conflicts(provider, model, name), where
    touching = {cid for fact in answer["facts"] for cid in fact["conflicts"]}
    assert set(by_id) == touching
    for conflict in answer["conflicts"]:
        recorded = next(c for c in CARDS[provider]["conflicts"]
                        if c["subject"] == conflict["subject"])
        assert [c["document"] for c in conflict["claims"]] == [
            c["source"]["document"] for c in recorded["claims"]]
        assert [c["quote"] for c in conflict["claims"]] == [
            c["source"].get("quote") for c in recorded["claims"]]
        assert conflict["resolution"] == " ".join(recorded["resolution"].split())
    changed = [f for f in answer["facts"] if f["changed"] and f["basis"] == "inferred"]
    assert bool(changed) == any(m.startswith(("inferred", "assumed")) for m in answer["markers"])
    assert ("conflict" in answer["markers"]) == bool(answer["conflicts"])
    price_inferred = any(f["basis"] != "documented" for f in answer["facts"]
                         if f["fact"] in ("price", "multiplier"))
    assert answer["basis"] == ("inferred" if price_inferred else "documented")
    assert answer["notes"] == (None if not offering(provider, model).get("notes")
                               else " ".join(offering(provider, model)["notes"].split()))


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    status = main([*argv, "--format", "json"])
    out = capsys.readouterr().out
    assert status in (0, 1)
    return json.loads(out)


ALL_OFFERINGS = [(p, o["id"]) for p, card in CARDS.items() for o in card["offerings"]]


@pytest.mark.parametrize(("provider", "model"), ALL_OFFERINGS,
                         ids=[f"{p}/{m}" for p, m in ALL_OFFERINGS])
def test_quote_json_shows_each_fact_as_the_card_states_it(
    capsys: pytest.CaptureFixture[str], provider: str, model: str
) -> None:
    basis = offering(provider, model)["billing"]["basis"]
    args = ["quote", "--provider", provider, "--model", model]
    if basis != "duration":
        args += ["--input-seconds", "7.4"]
    answer = run_json(capsys, *args)
    check_facts(provider, model, answer)
    names = [f["fact"] for f in answer["facts"]]
    assert {"qualities", "sounds", "billing", "price", "amount_rounding"} <= set(names)
    for step in answer["steps"]:
        assert set(step["facts"]) <= set(names), step
    card = CARDS[provider]
    if basis == "duration":
        assert "default_duration" in names  # no --duration: the default was used
        assumption = card["defaults"]["source"]["basis"] != "documented" or (
            "duration" in (offering(provider, model).get("defaults") or {})
            and offering(provider, model)["defaults"]["source"]["basis"] != "documented")
        detail = answer["steps"][0]["detail"]
        assert ("the card's assumption" in detail) == assumption, detail
        assert ("provider default" in detail) == (not assumption), detail


def test_offerings_json_shows_what_each_row_rests_on(capsys: pytest.CaptureFixture[str]) -> None:
    rows = run_json(capsys, "offerings")
    assert len(rows) > 50
    for row in rows:
        check_facts(row["provider"], row["model"], row)
        assert row["source"] == row["facts"][[f["fact"] for f in row["facts"]].index(
            "price")]["document"]


@pytest.mark.parametrize("length", [["--duration", "10"], ["--input-seconds", "7"]])
def test_compare_and_route_json_show_the_facts_of_every_candidate(
    capsys: pytest.CaptureFixture[str], length: list[str]
) -> None:
    data = run_json(capsys, "compare", *length)
    assert data["candidates"]
    for candidate in data["candidates"]:
        check_facts(candidate["provider"], candidate["model"], candidate)
    head = data["candidates"][0]
    assert data["head_basis"] == head["basis"]
    for family, mode in (("kling-3.0", "image-to-video"), ("kling-o3", "text-to-video"),
                         ("kling-o3", "video-edit")):
        args = ["route", "--family", family, "--mode", mode, "--include-reference",
                "--credits-per-usd", "kling3api=500"]
        args += ["--input-seconds", "7"] if mode == "video-edit" else ["--duration", "10"]
        route = run_json(capsys, *args)
        for candidate in route["chain"]:
            if candidate["provider"] == "kling3api":  # the supplied credit value
                value = next(f for f in candidate["facts"] if f["fact"] == "credit_value")
                assert value["basis"] == "supplied"
                continue
            check_facts(candidate["provider"], candidate["model"], candidate)


def test_an_inferred_cheapest_says_so() -> None:
    need = Need(family="kling-o3", mode="text-to-video", quality="720p", sound=False,
                duration=10)
    comparison = CATALOG.compare(need)
    head = comparison.candidates[0]
    source = offering(head.provider, head.model)["prices"][-1]["source"]
    assert source["basis"] == "inferred"
    assert comparison.to_dict()["head_basis"] == "inferred"
    assert any(c.startswith(f"the cheapest, {head.provider}/{head.model}") and
               "inferred price" in c for c in comparison.caveats)
    documented = CATALOG.compare(Need(family="kling-3.0", mode="image-to-video",
                                      quality="1080p", sound=True, duration=10))
    first = documented.candidates[0]
    assert offering(first.provider, first.model)["prices"][-1]["source"]["basis"] == \
        "documented"
    assert not any("inferred price" in c for c in documented.caveats)
    assert any(c.startswith("tie:") for c in documented.caveats) == (
        documented.candidates[0].usd == documented.candidates[1].usd)


# --------------------------------------------------------------------------- exclusions


def length_of(o: Doc) -> dict[str, object]:
    if o["billing"]["basis"] == "duration":
        return {"duration": o["accepts"]["duration"].get("min") or 5}
    return {"input_seconds": 5}


@pytest.mark.parametrize(("provider", "model"), ALL_OFFERINGS,
                         ids=[f"{p}/{m}" for p, m in ALL_OFFERINGS])
def test_a_quality_or_sound_no_source_prices_is_unpriced_not_refused(
    provider: str, model: str
) -> None:
    """A need the card lists no price for is QUALITY_ or SOUND_NOT_OFFERED only where a
    document says what the offering renders or imposes; otherwise UNPRICED."""
    o = offering(provider, model)
    features = [f["name"] for f in o.get("features", []) if f.get("required")]
    base = {"family": o["family"], "mode": o["mode"], "features": features, **length_of(o)}
    others = [q for q in ("720p", "1080p", "4k") if q not in o["qualities"]]
    if others:
        need = Need(quality=others[0], **base)
        [exclusion] = [e for e in CATALOG.compare(need, providers=[provider]).exclusions
                       if e.model == model]
        documented = o["qualities_source"]["basis"] == "documented"
        assert exclusion.code == ("QUALITY_NOT_OFFERED" if documented else "UNPRICED")
        if not documented:
            assert "renders" not in exclusion.message
            assert f"no source prices {others[0]}" in exclusion.message
    sounds = ["on" if s is True else "off" for s in o["sounds"]]  # YAML 1.1: on/off bools
    missing = [s for s in ("off", "on") if s not in sounds]
    if missing:
        need = Need(sound=missing[0], **base)
        [exclusion] = [e for e in CATALOG.compare(need, providers=[provider]).exclusions
                       if e.model == model]
        source = (o["forced_sound"]["source"] if "forced_sound" in o
                  else o["sounds_source"])
        documented = source["basis"] == "documented"
        assert exclusion.code == ("SOUND_NOT_OFFERED" if documented else "UNPRICED")
        if not documented:
            assert "delivers sound" not in exclusion.message
        [fact] = exclusion.to_dict()["facts"]
        assert provenance(fact) == expected(source)


def test_the_issues_two_capability_claims_are_gone() -> None:
    o3 = CATALOG.compare(Need(family="kling-o3", mode="text-to-video", sound=True,
                              duration=5), providers=["evolink"])
    [sound] = [e for e in o3.exclusions if e.model == "kling-o3-text-to-video"]
    assert sound.code == "UNPRICED"
    assert "delivers sound off only" not in sound.message
    o1 = CATALOG.compare(Need(family="kling-o1", mode="video-edit", quality="1080p",
                              input_seconds=5), providers=["evolink"])
    [quality] = [e for e in o1.exclusions if e.model == "kling-o1-video-edit"]
    assert quality.code == "UNPRICED"
    assert "renders 720p, not 1080p" not in quality.message


def test_a_fixed_price_edit_shows_its_accepted_input_length(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = run_json(capsys, "offerings", "--provider", "kling3api")
    edits = [r for r in rows if r["mode"] == "video-edit"]
    assert edits
    for row in edits:
        assert "input_seconds" not in offering("kling3api", row["model"])["accepts"]
        assert row["accepts"] == "input video of any length (none documented)"
    evolink = {r["model"]: r["accepts"] for r in run_json(capsys, "offerings", "--provider",
                                                          "evolink")}
    assert evolink["kling-o3-video-edit"] == "input video at least 3 s"


# --------------------------------------------------------------------------- check


def claim_limits(provider: str, model: str) -> list[Doc]:
    return [claim["limits"] for c in CARDS[provider].get("conflicts", [])
            if model in ([c.get("offering")] + (c.get("offerings") or []))
            for claim in c["claims"] if claim.get("limits")]


O3_EDIT = {"model": "kling-o3-video-edit", "prompt": "x",
           "video_url": "https://x.test/in.mp4"}
O1_EDIT = {"model": "kling-o1-video-edit", "prompt": "x",
           "video_urls": ["https://x.test/in.mp4"]}


@pytest.mark.parametrize(("body", "video", "warned"), [
    (O3_EDIT, VideoInfo(seconds=5, size_mb=150), True),     # over the widget's 100MB
    (O3_EDIT, VideoInfo(seconds=5, size_mb=90), False),
    (O3_EDIT, VideoInfo(seconds=20, size_mb=90), True),     # over the 3-15 s output
    (O1_EDIT, VideoInfo(seconds=5, format="webm"), True),   # not .mp4/.mov
    (O1_EDIT, VideoInfo(seconds=5, format="mov"), False),
    (O1_EDIT, VideoInfo(seconds=25), True),                 # outside 3-20 s
    (O1_EDIT, VideoInfo(seconds="2.5"), True),
    (O1_EDIT, VideoInfo(seconds=12), False),
])
def test_check_warns_about_a_body_on_a_losing_claims_side(
    body: Doc, video: VideoInfo, warned: bool
) -> None:
    model = body["model"]
    limits = claim_limits("evolink", model)
    fmt = video.file_format
    outside = any(
        (lim.get("video_formats") and fmt and fmt not in lim["video_formats"])
        or (lim.get("video_max_mb") and video.size_mb and video.size_mb > lim["video_max_mb"])
        or (lim.get("input_seconds_max") and video.seconds
            and video.seconds > Decimal(lim["input_seconds_max"]))
        or (lim.get("input_seconds_min") and video.seconds
            and video.seconds < Decimal(lim["input_seconds_min"]))
        for lim in limits)
    assert outside == warned  # the oracle, from the card file, agrees with the case
    found = CATALOG.inspect_payload("evolink", body, video=video)
    assert found.valid
    notes = [w for w in found.warnings if "recorded conflict" in w]
    assert bool(notes) == warned, found.warnings


def test_a_body_the_card_refuses_gets_the_violation_not_a_warning() -> None:
    found = CATALOG.inspect_payload("evolink", O3_EDIT, video=VideoInfo(seconds=5,
                                                                       size_mb=250))
    assert [v.code for v in found.violations] == ["INVALID_VIDEO"]
    assert not [w for w in found.warnings if "recorded conflict" in w]


def test_facts_take_one_basis_or_several_and_refuse_an_unknown_one() -> None:
    """A bare string was read letter by letter and a misspelt basis matched nothing:
    both gave no facts and no error."""
    inferred = CATALOG.facts("evolink", ["inferred"])
    assert inferred
    assert {f.fact.basis for f in inferred} == {"inferred"}
    assert CATALOG.facts("evolink", "inferred") == inferred
    for wrong in (["infered"], "infered", 5, [None]):
        with pytest.raises(QuoteError) as caught:
            CATALOG.facts("evolink", wrong)  # type: ignore[arg-type]
        assert caught.value.code == "INVALID_INPUT"
        assert "documented, inferred, supplied, unsourced" in str(caught.value)


def test_conflicts_of_an_unknown_provider_are_refused() -> None:
    """conflicts("fall") answered [] where recorded_conflicts refused it."""
    from ratecard import UnknownOfferingError

    assert [p for p, _ in CATALOG.conflicts("fal")] == ["fal"]
    with pytest.raises(UnknownOfferingError):
        CATALOG.conflicts("fall")
    with pytest.raises(QuoteError):
        CATALOG.conflicts(["fal"])  # type: ignore[arg-type]


def test_the_o3_edit_records_both_readings_of_its_1080p_price() -> None:
    """Seed 000 prices the 1080p edit at 10.8054 credits/s in its table and says "Billed
    by input video duration at 8.1 credits/second." in its parameters: the card charged
    the table's price without recording the other reading."""
    quote = CATALOG.quote("evolink", "kling-o3-video-edit", input_seconds=5, quality="1080p")
    assert quote.credits == Decimal("54.0270")  # 5 s x 10.8054 credits (seed 000)
    [conflict] = [c for c in CATALOG.recorded_conflicts("evolink")
                  if c.subject == "Kling O3 video edit price at 1080p"]
    said = {claim.origin.quote for claim in conflict.claims}
    assert said == {
        "| Kling O3 Video Edit | Video Editing | 1080p | $0.150/ second(10.8054 Credits) |",
        "Billed by input video duration at 8.1 credits/second."}
    assert conflict.id in {c.id for c in quote.conflicts}
