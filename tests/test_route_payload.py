"""Routing the body a gateway holds: the chain with bodies, exclusions with reasons, health.

Prices are the seeds' figures: EvoLink Kling 3.0 at 5.4 credits/s x 2.0 for 1080p with
sound (seed 001) at 72 credits per USD; kling3api pro image-to-video 80 credits/s with
audio (seed 003), at the 500 credits per USD these tests supply; fal and Comfy 0.168 USD/s
(market-prices.md).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given

import ratecard
from ratecard import CircuitPolicy, Health, HealthPolicy, PayloadError, VideoInfo
from ratecard.codes import EXCLUSIONS
from tests.payload_strategies import PAYLOAD_SETTINGS, Case, valid_cases

CARD = ratecard.load().with_credit_value("kling3api", 500)
BODY: dict[str, Any] = {  # seed 001's "First + End Frame" request example
    "model": "kling-v3-image-to-video", "prompt": "Transition from day to night",
    "image_start": "https://example.com/day.jpg", "image_end": "https://example.com/night.jpg",
    "duration": 10, "quality": "1080p", "sound": "on",
}


def test_the_chain_carries_a_body_for_every_seller_that_can_take_it() -> None:
    r = CARD.route_payload(BODY, source="evolink")
    assert [(s.provider, s.model, s.usd) for s in r.chain] == [
        ("evolink", "kling-v3-image-to-video", Decimal("1.500000")),  # 10.8 x 10 / 72
        ("kling3api", "pro-image-to-video", Decimal("1.600000")),  # 80 x 10 / 500
    ]
    assert r.chain[0].body == BODY  # its own seller gets the body unchanged
    assert r.chain[1].body == {
        "type": "pro-image-to-video", "prompt": "Transition from day to night",
        "image": "https://example.com/day.jpg", "end_image": "https://example.com/night.jpg",
        "duration": 10, "sound": True}
    codes = {(e.provider, e.model): e.code for e in r.exclusions}
    # no source says comfy or fal take an end frame
    assert codes[("comfy", "kling-v3-image-to-video")] == "FEATURE_UNSUPPORTED"
    assert codes[("kling3api", "std-image-to-video")] == "QUALITY_NOT_OFFERED"
    assert codes[("modellix", None)] == "FAMILY_NOT_OFFERED"


def test_a_seller_without_a_documented_body_format_is_kept_with_its_price() -> None:
    body = {k: v for k, v in BODY.items() if k != "image_end"}
    r = CARD.route_payload(body, source="evolink")
    assert [s.provider for s in r.chain] == ["evolink", "kling3api"]
    codes = {(e.provider, e.model): e.code for e in r.exclusions}
    # comfy and fal are cheaper than kling3api (0.168 x 10 = 1.68 USD) but ratecard cannot
    # write their bodies
    assert codes[("comfy", "kling-v3-image-to-video")] == "NO_DIALECT"
    assert codes[("fal", "v3-pro-image-to-video")] == "NO_DIALECT"
    nd = next(e for e in r.exclusions if e.provider == "fal" and e.code == "NO_DIALECT")
    assert nd.quote is not None
    assert nd.quote.usd == Decimal("1.680000")
    assert "1.680000 USD" in nd.message


def test_without_a_credit_value_kling3api_is_priced_but_not_ranked() -> None:
    r = ratecard.load().route_payload(BODY, source="evolink")
    assert [s.provider for s in r.chain] == ["evolink"]
    codes = {(e.provider, e.model): e.code for e in r.exclusions}
    assert codes[("kling3api", "pro-image-to-video")] == "USD_UNKNOWN"


def test_cannot_express_lists_every_reason() -> None:
    body = {k: v for k, v in BODY.items() if k not in ("prompt", "image_end")}
    body["model_params"] = {"element_list": [{"element_id": "123456"}]}
    r = CARD.route_payload(body, source="evolink")
    assert [s.provider for s in r.chain] == ["evolink"]
    (excluded,) = [e for e in r.exclusions if e.model == "pro-image-to-video"]
    assert excluded.code == "CANNOT_EXPRESS"
    reasons = r.refusals[("kling3api", "pro-image-to-video")]
    assert {(v.code, v.path) for v in reasons} == {
        ("CANNOT_EXPRESS", "model_params.element_list"), ("INVALID_PROMPT", "prompt")}
    as_json = r.to_dict()
    (listed,) = [e for e in as_json["excluded"] if e["model"] == "pro-image-to-video"]
    assert [v["code"] for v in listed["reasons"]] == ["CANNOT_EXPRESS", "INVALID_PROMPT"]


def test_health_fails_over_to_the_next_body() -> None:
    now = [100.0]
    policy = HealthPolicy(CircuitPolicy(failures=2, window=60.0, cooldown=30.0, probes=1,
                                        probe_timeout=600.0))
    health = Health(policy, clock=lambda: now[0])
    for _ in range(2):
        health.record("evolink", "kling-v3-image-to-video", "failed")
    r = CARD.route_payload(BODY, source="evolink", health=health)
    assert r.head is not None
    assert (r.head.provider, r.head.body["type"]) == ("kling3api", "pro-image-to-video")
    (unhealthy,) = [e for e in r.exclusions if e.code == "UNHEALTHY"]
    assert (unhealthy.provider, unhealthy.retry_at) == ("evolink", 130.0)
    now[0] = 130.0
    r = CARD.route_payload(BODY, source="evolink", health=health)
    assert r.head is not None
    assert (r.head.provider, r.head.probe) == ("evolink", True)


def test_budget_allow_deny_and_down_apply() -> None:
    r = CARD.route_payload(BODY, source="evolink", max_usd="1.55", deny=["fal"])
    assert [s.provider for s in r.chain] == ["evolink"]
    codes = {(e.provider, e.model): e.code for e in r.exclusions}
    assert codes[("kling3api", "pro-image-to-video")] == "OVER_BUDGET"
    assert codes[("fal", "v3-pro-image-to-video")] == "DENIED"
    r = CARD.route_payload(BODY, source="evolink", down=["evolink"], allow=["kling3api",
                                                                           "evolink"])
    assert [s.provider for s in r.chain] == ["kling3api"]


def test_an_edit_needs_its_input_length_to_be_routed() -> None:
    body = {"type": "o3-std-video-edit", "prompt": "snow", "sound": False,
            "video": "https://example.com/in.mp4"}
    with pytest.raises(PayloadError) as caught:
        CARD.route_payload(body, source="kling3api")
    assert caught.value.code == "MISSING_VIDEO_LENGTH"
    r = CARD.route_payload(body, source="kling3api", video=VideoInfo(seconds="7.4"))
    assert [(s.provider, s.model, s.quote.amount, s.usd) for s in r.chain] == [
        ("kling3api", "o3-std-video-edit", Decimal("360"), Decimal("0.720000")),  # fixed
        # 8.1 credits/s x 7 s (7.4 rounds to 7) = 56.7 credits = 0.7875 USD
        ("evolink", "kling-o3-video-edit", Decimal("56.7000"), Decimal("0.787500")),
    ]


# --------------------------------------------------------------------------- properties

@PAYLOAD_SETTINGS
@given(valid_cases())
def test_every_step_is_a_body_the_seller_accepts_at_the_ranked_price(case: Case) -> None:
    plan = CARD.plan(case.provider, case.model)
    if plan.mode == "video-edit" and (case.video is None or case.video.seconds is None):
        return
    r = CARD.route_payload(case.body, source=case.provider, video=case.video)
    for step in r.chain:
        assert CARD.check_payload(step.provider, step.body, video=case.video) == []
        again = CARD.quote_payload(step.provider, step.body, video=case.video)
        assert (again.credits, again.usd) == (step.candidate.credits, step.candidate.usd)
        assert step.quote.usd == step.candidate.usd
        assert (step.quote.quality, step.quote.sound) == (r.need.quality, r.need.sound)
    assert [s.usd for s in r.chain] == sorted(s.usd for s in r.chain)
    # every offering of the need's family and mode is either a step or excluded
    listed = {(s.provider, s.model) for s in r.chain} | {
        (e.provider, e.model) for e in r.exclusions if e.model is not None}
    offered = {(p.provider, p.model) for p in CARD.plans()
               if (p.family, p.mode) == (r.need.family, r.need.mode)}
    assert listed == offered
    assert all(e.code in EXCLUSIONS for e in r.exclusions)
    assert (case.provider, case.model) in {(s.provider, s.model) for s in r.chain} | {
        (e.provider, e.model) for e in r.exclusions if e.code in ("USD_UNKNOWN",)}
