"""The ``constraints`` keys of a rate card: validation, merging, schema and documentation."""

from __future__ import annotations

from pathlib import Path

import pytest

import ratecard
from ratecard import CardError
from ratecard.cards.constraints import Constraints
from ratecard.cards.loader import builtin_paths, parse_card
from ratecard.cards.schema import json_schema

ROOT = Path(__file__).resolve().parent.parent
EVOLINK_TEXT = next(p for p in builtin_paths() if p.name == "evolink.yaml").read_text(
    encoding="utf-8")
SOURCE = "{document: test, checked_on: 2026-11-21, basis: documented}"


def card_with(card_rules: str = "", offering_rules: str = "") -> str:
    """evolink.yaml with extra card-wide constraints and extra rules on its first offering
    (kling-v3-image-to-video)."""
    text = EVOLINK_TEXT
    if card_rules:
        text = text.replace("\nconstraints:\n", f"\nconstraints:\n{card_rules}", 1)
    if offering_rules:
        marker = "    constraints:\n      requires:\n"
        assert marker in text
        text = text.replace(marker, f"    constraints:\n{offering_rules}      requires:\n", 1)
    return text


MINIMAL = """\
provider: acme
name: Acme
currency: USD
defaults: {{quality: 720p, sound: off, duration: 5}}
rounding:
  amount: {{mode: half_up, precision: 0.01}}
  usd: {{mode: half_up, precision: 0.01}}
{card_rules}offerings:
  - id: clip
    family: kling-3.0
    mode: text-to-video
    qualities: [720p]
    sounds: [off]
    accepts:
      duration: {{min: 3, max: 15, source: {source}}}
    billing: {{basis: duration, source: {source}}}
    prices:
      - per_second: 0.1
        source: {source}
    constraints:
{rules}"""


def minimal(rules: str, card_rules: str = "") -> str:
    """A one-offering card whose offering has ``rules`` as its constraints."""
    return MINIMAL.format(rules=rules, card_rules=card_rules, source=SOURCE)


def problems(text: str) -> list[str]:
    with pytest.raises(CardError) as caught:
        parse_card(text, "card.yaml")
    return [str(p) for p in caught.value.problems]


def test_offering_rules_merge_over_the_card_rules(tmp_path: Path) -> None:
    text = card_with(
        card_rules=f"  requires:\n    - {{any_of: [prompt], source: {SOURCE}}}\n"
                   f"  cfg_scale: {{min: 0, max: 1, source: {SOURCE}}}\n",
        offering_rules=f"      max_chars:\n        - {{inputs: [prompt], max: 100, "
                       f"source: {SOURCE}}}\n"
                       f"      cfg_scale: {{min: 0, max: 2, source: {SOURCE}}}\n")
    path = tmp_path / "evolink.yaml"
    path.write_text(text, encoding="utf-8")
    catalog = ratecard.load(path, cache=False)
    own = catalog.plan("evolink", "kling-v3-image-to-video").rules
    other = catalog.plan("evolink", "kling-o3-text-to-video").rules
    assert own.max_chars["prompt"].max == 100                     # replaced for its input
    assert own.max_chars["negative_prompt"].max == 2500           # kept from the card
    assert [r.inputs for r in own.requires] == [("prompt",), ("first_frame",)]  # added
    assert own.cfg_scale is not None
    assert own.cfg_scale.max == 2
    assert other.max_chars["prompt"].max == 2500
    assert other.cfg_scale is not None
    assert other.cfg_scale.max == 1
    body = {"model": "kling-v3-image-to-video", "image_start": "https://x.test/a.jpg"}
    found = catalog.check_payload("evolink", {**body, "prompt": "p" * 101})
    assert [(v.code, v.path, v.source) for v in found] == [("INVALID_PROMPT", "prompt", "test")]
    assert [v.code for v in catalog.check_payload("evolink", body)] == ["INVALID_PROMPT"]


@pytest.mark.parametrize(("rules", "message"), [
    (f"      max_chars:\n        - {{inputs: [prompt], max: 1, source: {SOURCE}}}\n"
     f"        - {{inputs: [prompt, negative_prompt], max: 2, source: {SOURCE}}}\n",
     "max_chars.1.inputs: 'prompt' is limited twice"),
    (f"      max_items:\n        - {{inputs: [elements], max: 1, source: {SOURCE}}}\n"
     f"        - {{inputs: [elements], max: 2, source: {SOURCE}}}\n",
     "max_items.1.inputs: ['elements'] is limited twice"),
    (f"      aspect_ratios: {{values: [169], source: {SOURCE}}}\n",
     'aspect ratios are text such as "16:9"'),
    (f"      max_chars:\n        - {{inputs: [video], max: 1, source: {SOURCE}}}\n",
     "Input should be 'prompt' or 'negative_prompt'"),
    (f"      forbids:\n        - {{all_of: [end_frame, end_frame], source: {SOURCE}}}\n",
     "values must be unique"),
    (f"      video_input: {{formats: [MP4], source: {SOURCE}}}\n", "lower case extensions"),
    (f"      video_input: {{min_px: 900, max_px: 720, source: {SOURCE}}}\n",
     "max_px: (720) must not be below min_px (900)"),
    (f"      cfg_scale: {{min: 1, max: 0, source: {SOURCE}}}\n", "must not be below min"),
    (f"      forced_sound_with: {{inputs: [video], value: loud, reason: r, source: {SOURCE}}}\n",
     "Input should be 'off' or 'on'"),
    ("      requires:\n        - {any_of: [prompt]}\n", "required key is missing"),
    (f"      requires:\n        - {{any_of: [portrait], source: {SOURCE}}}\n",
     "Input should be 'prompt'"),
])
def test_bad_constraints_are_rejected_with_their_path(rules: str, message: str) -> None:
    found = problems(minimal(rules))
    assert any(message in p and "offerings.0.constraints" in p for p in found), found


def test_multi_shot_rules_are_consistent() -> None:
    rules = f"      multi_shot: {{shot_types: [a], shots_required_for: [b], source: {SOURCE}}}\n"
    assert any("shots_required_for: ['b'] are not in shot_types" in p
               for p in problems(minimal(rules)))
    rules = f"      multi_shot: {{shot_types: [a], min_shots: 3, max_shots: 2, source: {SOURCE}}}\n"
    assert any("max_shots: (2) must not be below min_shots (3)" in p
               for p in problems(minimal(rules)))


def test_an_imposed_sound_must_be_priced() -> None:
    card_rules = (f"constraints:\n  forced_sound_with: {{inputs: [video], value: on, reason: r, "
                  f"source: {SOURCE}}}\n")
    found = problems(minimal("      {}\n", card_rules))
    assert found == ["card.yaml:9: constraints.forced_sound_with.value: sound 'on' is not "
                     "priced by clip (sounds ['off'])"]
    assert parse_card(minimal("      {}\n"), "acme.yaml").card.offerings[0].constraints \
        == Constraints()


def test_the_committed_json_schema_is_up_to_date() -> None:
    committed = (ROOT / "pricing_tables" / ".schema.json").read_text(encoding="utf-8")
    assert committed == json_schema(), "run: ratecard schema > pricing_tables/.schema.json"


def test_every_constraints_key_is_documented() -> None:
    readme = (ROOT / "pricing_tables" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Constraints", 1)[1].split("\n## ", 1)[0]
    for key in Constraints.model_fields:
        assert f"| `{key}` |" in section, key
    for code in ("INVALID_PROMPT", "TOO_MANY_INPUTS", "MISSING_IMAGE", "UNSUPPORTED_INPUT",
                 "CONFLICTING_INPUTS", "INVALID_ASPECT_RATIO", "INVALID_CFG_SCALE",
                 "INVALID_VIDEO", "INVALID_CALLBACK_URL", "SHOT_DURATION_MISMATCH"):
        assert code in section, code
