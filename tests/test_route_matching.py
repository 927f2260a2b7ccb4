"""Matching is exact, exclusions say why, ties are broken by the stated rule, and a
credit value comes only from the user."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import ratecard
from ratecard import Need, QuoteError, UnknownOfferingError
from ratecard.cards.paths import builtin_dir
from ratecard.routing.candidates import Exclusion
from tests.route_strategies import CATALOG

I2V_1080_ON_10 = Need(family="kling-3.0", mode="image-to-video", quality="1080p", sound=True,
                      duration=10)


def codes(exclusions: tuple[Exclusion, ...]) -> dict[tuple[str, str | None], set[str]]:
    found: dict[tuple[str, str | None], set[str]] = {}
    for e in exclusions:
        found.setdefault((e.provider, e.model), set()).add(e.code)
    return found


# --------------------------------------------------------------------------- matching


def test_an_offering_without_sound_does_not_serve_a_sound_on_need() -> None:
    """fal's O1 row has no audio-on price: the need is UNPRICED there (no source prices
    it), not refused as if fal had said the model has no sound."""
    need = Need(family="kling-o1", mode="image-to-video", sound=True, duration=5)
    comparison = CATALOG.compare(need)
    assert comparison.candidates == ()
    assert codes(comparison.exclusions)[("fal", "o1-standard-image-to-video")] == \
        {"UNPRICED"}


def test_a_forced_sound_is_not_a_match_either() -> None:
    """EvoLink forces O3 edits to sound off: a sound-on edit is not served there, rather
    than quoted with a warning."""
    need = Need(family="kling-o3", mode="video-edit", sound=True, input_seconds=5)
    found = codes(CATALOG.compare(need).exclusions)
    assert found[("evolink", "kling-o3-video-edit")] == {"SOUND_NOT_OFFERED"}


def test_a_3_to_10_s_offering_does_not_serve_12_s() -> None:
    need = Need(family="kling-o1", mode="image-to-video", sound=False, duration=12)
    comparison = CATALOG.compare(need)
    assert comparison.candidates == ()
    exclusion = next(e for e in comparison.exclusions
                     if e.model == "o1-standard-image-to-video")
    assert exclusion.code == "INVALID_DURATION"
    assert "3..10 s" in exclusion.message
    ten = CATALOG.compare(Need(family="kling-o1", mode="image-to-video", duration=10))
    assert {c.model for c in ten.candidates} >= {"o1-standard-image-to-video"}


def test_a_flat_priced_turbo_is_not_kling_3_0() -> None:
    for need in (I2V_1080_ON_10, Need(family="kling-3.0", mode="image-to-video", duration=5)):
        models = {c.model for c in CATALOG.route(need).chain} | {
            c.model for c in CATALOG.compare(need).candidates}
        assert not any("turbo" in model for model in models)
    turbo = CATALOG.compare(Need(family="kling-3.0-turbo", mode="image-to-video",
                                 quality="1080p", sound=True, duration=5))
    assert [(c.provider, c.usd) for c in turbo.candidates] == [
        ("comfy", Decimal("0.700000")), ("fal", Decimal("0.700000"))]


def test_quality_must_be_rendered() -> None:
    found = codes(CATALOG.route(I2V_1080_ON_10).exclusions)
    assert found[("kling3api", "std-image-to-video")] == {"QUALITY_NOT_OFFERED"}
    # only the official 720p price is known: 1080p is unpriced there, not "not rendered"
    assert found[("kling-official", "kling-3.0-image-to-video")] == {"UNPRICED"}


def test_features_must_be_listed_and_required_features_must_be_used() -> None:
    found = codes(CATALOG.route(I2V_1080_ON_10).exclusions)
    assert found[("fal", "v3-pro-image-to-video-voice-control")] == {"FEATURE_REQUIRED"}
    voiced = CATALOG.route(Need(family="kling-3.0", mode="image-to-video", quality="1080p",
                                sound=True, duration=10, features=["voice-control"]))
    assert [(c.provider, c.model, c.usd) for c in voiced.chain] == [
        ("fal", "v3-pro-image-to-video-voice-control", Decimal("1.960000"))]
    assert codes(voiced.exclusions)[("evolink", "kling-v3-image-to-video")] == \
        {"FEATURE_UNSUPPORTED"}
    end_frame = CATALOG.route(Need(family="kling-3.0", mode="image-to-video", quality="1080p",
                                   sound=True, duration=10, features=["end-frame"]))
    assert [c.provider for c in end_frame.chain] == ["evolink"]  # Krea lists no features


def test_a_video_edit_need_matches_only_edits_and_a_generation_need_only_generation() -> None:
    edits = CATALOG.compare(Need(input_seconds="7.4"))
    assert {c.mode for c in edits.candidates} == {"video-edit"}
    generation = CATALOG.compare(Need(duration=10))
    assert "video-edit" not in {c.mode for c in generation.candidates}


def test_any_quality_and_sound_give_one_candidate_per_cell() -> None:
    rows = CATALOG.compare(Need(duration=10), providers=["evolink"]).candidates
    cells = {(c.model, c.quality, c.sound) for c in rows}
    assert len(cells) == len(rows) == 14
    assert ("kling-v3-image-to-video", "1080p", True) in cells


# --------------------------------------------------------------------------- USD unknown


def test_kling3api_is_excluded_with_usd_unknown_until_a_credit_value_is_given() -> None:
    route = CATALOG.route(I2V_1080_ON_10)
    unknown = [e for e in route.exclusions if e.provider == "kling3api"
               and e.code == "USD_UNKNOWN"]
    assert [e.model for e in unknown] == ["pro-image-to-video"]
    assert unknown[0].quote is not None
    assert unknown[0].quote.credits == Decimal("800")
    assert "kling3api" not in {c.provider for c in route.chain}

    given = CATALOG.with_credit_value("kling3api", Decimal(500))
    chain = given.route(I2V_1080_ON_10).chain
    assert [(c.provider, c.usd) for c in chain][:2] == [
        ("evolink", Decimal("1.500000")), ("kling3api", Decimal("1.600000"))]
    assert CATALOG.route(I2V_1080_ON_10).chain[1].provider != "kling3api"  # unchanged


def test_an_overlay_card_gives_a_credit_value_too(tmp_path: Path) -> None:
    text = (builtin_dir() / "kling3api.yaml").read_text(encoding="utf-8")
    start = text.index("credit_values: []")
    end = text.index("\ndefaults:")
    card = tmp_path / "kling3api.yaml"
    card.write_text(text[:start] + """credit_values:
  - credits_per_usd: 400
    source: {document: https://kling3api.com/pricing, checked_on: 2026-11-21, basis: documented}
""" + text[end:], encoding="utf-8")
    catalog = ratecard.load(card, cache=False)
    assert catalog.replaced == ("kling3api",)
    chain = catalog.route(I2V_1080_ON_10, down=["evolink"]).chain
    assert [(c.provider, c.usd) for c in chain] == [
        ("comfy", Decimal("1.680000")), ("fal", Decimal("1.680000")),
        ("kling3api", Decimal("2.000000")), ("krea", Decimal("3.528000"))]


def test_with_credit_value_refuses_what_is_not_a_credit_value() -> None:
    with pytest.raises(QuoteError, match="USD"):
        CATALOG.with_credit_value("fal", 100)
    with pytest.raises(QuoteError, match="more than 0"):
        CATALOG.with_credit_value("kling3api", 0)
    with pytest.raises(QuoteError, match="number"):
        CATALOG.with_credit_value("kling3api", "lots")
    with pytest.raises(UnknownOfferingError, match="kling3api"):
        CATALOG.with_credit_value("kling3ap", 500)


# --------------------------------------------------------------------------- route rules


def test_the_reference_card_is_compared_but_never_routed_unless_asked() -> None:
    need = Need(family="kling-3.0", mode="image-to-video", quality="720p", sound=False,
                duration=10)
    compared = [(c.provider, c.usd, c.reference) for c in CATALOG.compare(need).candidates]
    # a tie at 0.84: sellers before the reference
    assert compared[:3] == [("evolink", Decimal("0.750000"), False),
                            ("comfy", Decimal("0.840000"), False),
                            ("kling-official", Decimal("0.840000"), True)]
    route = CATALOG.route(need)
    assert "kling-official" not in {c.provider for c in route.chain}
    assert codes(route.exclusions)[("kling-official", "kling-3.0-image-to-video")] == \
        {"REFERENCE_ONLY"}
    asked = CATALOG.route(need, include_reference=True)
    assert [c.provider for c in asked.chain][:3] == ["evolink", "comfy", "kling-official"]


def test_ties_are_broken_by_provider_id_then_model_id() -> None:
    chain = CATALOG.route(I2V_1080_ON_10).chain
    assert [(c.provider, c.usd) for c in chain] == [
        ("evolink", Decimal("1.500000")), ("comfy", Decimal("1.680000")),
        ("fal", Decimal("1.680000")), ("krea", Decimal("3.528000"))]


def test_down_deny_allow_and_budget_exclude_with_reasons() -> None:
    route = CATALOG.route(I2V_1080_ON_10, down=["evolink"], deny=["comfy"],
                          max_usd=Decimal("3"))
    assert [c.provider for c in route.chain] == ["fal"]
    found = codes(route.exclusions)
    assert found[("evolink", "kling-v3-image-to-video")] == {"DOWN"}
    assert found[("comfy", "kling-v3-image-to-video")] == {"DENIED"}
    assert found[("krea", "kling-3.0-image-to-video")] == {"OVER_BUDGET"}
    allowed = CATALOG.route(I2V_1080_ON_10, allow=["krea", "fal"])
    assert [c.provider for c in allowed.chain] == ["fal", "krea"]
    assert codes(allowed.exclusions)[("evolink", "kling-v3-image-to-video")] == {"NOT_ALLOWED"}


def test_the_budget_compares_exact_rounded_usd() -> None:
    at = CATALOG.route(I2V_1080_ON_10, max_usd="1.5")
    assert [c.provider for c in at.chain] == ["evolink"]  # 1.500000 <= 1.5
    below = CATALOG.route(I2V_1080_ON_10, max_usd="1.499999")
    assert below.chain == ()
    assert below.head is None


def test_route_needs_a_family_and_a_mode_and_known_names() -> None:
    with pytest.raises(QuoteError, match="family and a mode"):
        CATALOG.route(Need(duration=5))
    with pytest.raises(UnknownOfferingError, match=r"kling-3\.0") as info:
        CATALOG.route(Need(family="kling-3", mode="image-to-video", duration=5))
    assert info.value.code == "UNKNOWN_FAMILY"
    with pytest.raises(UnknownOfferingError, match="did you mean fal"):
        CATALOG.route(I2V_1080_ON_10, down=["fall"])
    with pytest.raises(QuoteError, match="max_usd"):
        CATALOG.route(I2V_1080_ON_10, max_usd="-1")


def test_providers_that_sell_nothing_matching_are_listed_once() -> None:
    found = codes(CATALOG.route(I2V_1080_ON_10).exclusions)
    assert found[("modellix", None)] == {"FAMILY_NOT_OFFERED"}
    o3_t2v = codes(CATALOG.route(Need(family="kling-o3", mode="text-to-video",
                                      duration=5)).exclusions)
    assert o3_t2v[("fal", None)] == {"MODE_NOT_OFFERED"}


# --------------------------------------------------------------------------- need


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "exactly one of duration"),
        ({"duration": 5, "input_seconds": 5}, "exactly one of duration"),
        ({"mode": "text-to-video", "input_seconds": 5}, "gives duration"),
        ({"mode": "video-edit", "duration": 5}, "gives input_seconds"),
        ({"mode": "text-to-image", "duration": 5}, "mode must be one of"),
        ({"quality": "1080", "duration": 5}, "quality must look like"),
        ({"sound": "loud", "duration": 5}, "sound must be"),
        ({"duration": 0}, "more than 0"),
        ({"duration": "soon"}, "must be a number"),
        ({"duration": 5, "features": ["lip-sync"]}, "unknown feature lip-sync"),
    ],
)
def test_a_bad_need_says_what_is_wrong(fields: dict[str, object], message: str) -> None:
    with pytest.raises(QuoteError, match=message) as info:
        Need(**fields)  # type: ignore[arg-type]
    assert info.value.code == "INVALID_NEED"


def test_json_forms_keep_amounts_as_decimal_strings() -> None:
    data = CATALOG.route(I2V_1080_ON_10, down=["evolink"]).to_dict()
    assert data["need"]["duration"] == "10"
    expected = {
        "rank": 1, "provider": "comfy", "model": "kling-v3-image-to-video",
        "family": "kling-3.0", "mode": "image-to-video", "quality": "1080p", "sound": "on",
        "billed_seconds": "10", "currency": "credits", "amount": "354.4800",
        "usd": "1.680000", "reference": False, "price_version": "start..open",
        "source": "market-prices.md", "warnings": []}
    assert {key: data["chain"][0][key] for key in expected} == expected
    down = next(e for e in data["excluded"] if e["code"] == "DOWN")
    assert down["amount"] is None
    assert down["model"] == "kling-v3-image-to-video"
    unknown = next(e for e in data["excluded"] if e["code"] == "USD_UNKNOWN")
    assert (unknown["amount"], unknown["usd"]) == ("800", None)


def test_a_copy_of_the_cards_routes_the_same(tmp_path: Path) -> None:
    """Routing depends on the cards' contents only, not on where they were read from."""
    for path in builtin_dir().glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    copied = ratecard.load(tmp_path, builtin=False, cache=False)
    assert copied.route(I2V_1080_ON_10).to_dict() == CATALOG.route(I2V_1080_ON_10).to_dict()


def test_compare_and_route_price_on_the_day_the_catalog_was_loaded_for() -> None:
    """Without ``at``, a catalog loaded with ``today=`` prices on that day, like its quotes;
    ``at`` still wins."""
    from datetime import date

    loaded = ratecard.load(today=date(2026, 1, 1))
    assert loaded.route(I2V_1080_ON_10).to_dict() == \
        CATALOG.route(I2V_1080_ON_10, at="2026-01-01").to_dict()
    assert loaded.compare(I2V_1080_ON_10, at="2026-11-21").to_dict() == \
        CATALOG.compare(I2V_1080_ON_10, at="2026-11-21").to_dict()


def test_a_remembered_route_shows_seconds_as_this_need_writes_them() -> None:
    catalog = ratecard.load()
    tenth = catalog.route(Need(family="kling-3.0", mode="text-to-video",
                               duration=Decimal("10.0")))
    whole = catalog.route(Need(family="kling-3.0", mode="text-to-video",
                               duration=Decimal("10")))
    assert str(tenth.chain[0].quote.billed_seconds) == "10.0"
    assert str(whole.chain[0].quote.billed_seconds) == "10"
