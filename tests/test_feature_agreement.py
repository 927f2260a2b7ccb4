"""Features agree with validation: a body that uses a feature is accepted exactly where a
need asking for that feature is served.

For every offering of the providers whose bodies ratecard reads, each feature's input is
added to a minimal body; what must happen is read from the card file (``yaml.safe_load``):
listed feature, accepted; an explicit ``forbids`` of the input, UNSUPPORTED_INPUT; an
``ignores``, dropped with a warning; otherwise UNDOCUMENTED_INPUT. And a need with the
feature is left out as FEATURE_UNSUPPORTED exactly where the card lists no such feature.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from ratecard import Need, VideoInfo
from tests.route_strategies import CATALOG

TABLES = Path(__file__).resolve().parents[1] / "pricing_tables"
CARDS: dict[str, dict[str, Any]] = {
    p: yaml.safe_load((TABLES / f"{p}.yaml").read_text(encoding="utf-8"))
    for p in ("evolink", "kling3api")}
URL = "https://x.test/in"

# feature -> (canonical input, what each dialect's body adds for it)
INPUTS: dict[str, tuple[str, dict[str, dict[str, Any]]]] = {
    "end-frame": ("end_frame", {"evolink": {"image_end": f"{URL}.jpg"},
                                "kling3api": {"end_image": f"{URL}.jpg"}}),
    "reference-images": ("reference_images", {"evolink": {"image_urls": [f"{URL}.jpg"]},
                                              "kling3api": {"images": [f"{URL}.jpg"]}}),
    "elements": ("elements", {"evolink": {"model_params": {
        "element_list": [{"element_id": "1"}]}}}),
    "multi-shot": ("multi_shot", {"evolink": {"model_params": {
        "multi_shot": True, "shot_type": "intelligence"}}}),
    "video-input": ("video", {"evolink": {"video_url": f"{URL}.mp4"},
                              "kling3api": {"video": f"{URL}.mp4"}}),
}


def base_body(provider: str, o: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = ({"model": o["id"]} if provider == "evolink"
                            else {"type": o["id"]})
    body["prompt"] = "x"
    if o["mode"] == "image-to-video":
        body["image_start" if provider == "evolink" else "image"] = f"{URL}.jpg"
    if o["mode"] == "video-edit":
        body["video_url" if provider == "evolink" else "video"] = f"{URL}.mp4"
    return body


def rules(card: dict[str, Any], o: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return [*(card.get("constraints") or {}).get(key, []),
            *(o.get("constraints") or {}).get(key, [])]


CASES = [(provider, o["id"], feature) for provider, card in CARDS.items()
         for o in card["offerings"] for feature, (_, bodies) in INPUTS.items()
         if provider in bodies and not (feature == "video-input" and o["mode"] == "video-edit")]


@pytest.mark.parametrize(("provider", "model", "feature"), CASES,
                         ids=[f"{p}/{m}/{f}" for p, m, f in CASES])
def test_a_feature_s_input_is_accepted_exactly_where_the_feature_is_listed(
    provider: str, model: str, feature: str
) -> None:
    card = CARDS[provider]
    o = next(o for o in card["offerings"] if o["id"] == model)
    name, bodies = INPUTS[feature]
    body = base_body(provider, o)
    for key, value in bodies[provider].items():
        if isinstance(value, dict):
            body.setdefault(key, {}).update(value)
        else:
            body[key] = value
    video = VideoInfo(seconds=5) if o["billing"]["basis"] == "input_seconds" else None
    found = CATALOG.inspect_payload(provider, body, video=video)
    codes = {v.code for v in found.violations}
    listed = feature in {f["name"] for f in o.get("features", [])}
    refused = any(r["all_of"] == [name] for r in rules(card, o, "forbids"))
    ignored = any(name in r["inputs"] for r in rules(card, o, "ignores"))
    if listed:
        assert "UNDOCUMENTED_INPUT" not in codes, found.violations
        assert "UNSUPPORTED_INPUT" not in codes, found.violations
    elif refused:
        assert "UNSUPPORTED_INPUT" in codes
        assert "UNDOCUMENTED_INPUT" not in codes
    elif ignored:
        assert "UNDOCUMENTED_INPUT" not in codes
        assert any("ignored" in w for w in found.warnings)
    else:
        assert "UNDOCUMENTED_INPUT" in codes, found.violations


ALL = [(p, o["id"], f) for p, card in CARDS.items() for o in card["offerings"]
       for f in INPUTS]


@pytest.mark.parametrize(("provider", "model", "feature"), ALL,
                         ids=[f"{p}/{m}/{f}" for p, m, f in ALL])
def test_a_need_with_a_feature_is_served_exactly_where_it_is_listed(
    provider: str, model: str, feature: str
) -> None:
    o = next(o for o in CARDS[provider]["offerings"] if o["id"] == model)
    length: dict[str, Any] = ({"input_seconds": 5} if o["mode"] == "video-edit"
                              else {"duration": 5})
    need = Need(family=o["family"], mode=o["mode"], features=[feature], **length)
    comparison = CATALOG.compare(need, providers=[provider])
    unsupported = {e.model for e in comparison.exclusions if e.code == "FEATURE_UNSUPPORTED"}
    listed = feature in {f["name"] for f in o.get("features", [])}
    assert (model not in unsupported) == listed
