"""Properties of translation, over every valid body the payload strategies draw:

- reading what a dialect rendered gives back the same canonical request;
- translating A -> B -> A keeps the request, except the inputs left out on the way (each
  with a warning), wherever B can express it;
- the quote of a translated body is the quote of the canonical request at the target
  (``card.quote`` with the request's own duration or input length, quality and sound);
- a refusal lists reasons with known codes, and nothing else is ever raised.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from hypothesis import given

from ratecard.codes import VIOLATIONS
from ratecard.payloads.dialects import DIALECTS
from ratecard.payloads.request import Request
from ratecard.payloads.translate import (
    Translation,
    TranslationError,
    read_source,
    resolve,
    translate_to,
)
from tests.payload_strategies import CARD, PAYLOAD_SETTINGS, Case, valid_cases

OTHER = {"evolink": "kling3api", "kling3api": "evolink"}
NOT_COMPARED = {"provider", "model", "video_count", "unknown_fields"}


def _canonical(request: Request, drop: set[str]) -> dict[str, Any]:
    """The request's inputs as a dict, without ``drop`` (and without who sells it)."""
    return {f.name: getattr(request, f.name) for f in fields(Request)
            if f.name not in NOT_COMPARED | drop}


@PAYLOAD_SETTINGS
@given(valid_cases())
def test_reading_what_a_dialect_rendered_gives_the_same_request(case: Case) -> None:
    source = read_source(CARD.index, case.provider, case.body, video=case.video)
    dialect = DIALECTS[case.provider]
    assert dialect.render is not None
    rendered = dialect.render(source.request, source.plan)
    parsed = dialect.parse(rendered.body, case.provider, source.video)
    assert parsed.violations == []
    assert parsed.request is not None
    again = resolve(parsed.request, source.plan)
    drop = set(rendered.unplaced)
    assert _canonical(again, drop) == _canonical(source.request, drop)
    # a dialect places every input of a body it accepts: one its documents give no place
    # for in the model's body (documented for other models only) is UNDOCUMENTED_INPUT
    assert drop == set()


@PAYLOAD_SETTINGS
@given(valid_cases())
def test_there_and_back_keeps_the_request(case: Case) -> None:
    there = _translate(case.provider, OTHER[case.provider], case)
    if there is None:
        return
    source = read_source(CARD.index, case.provider, case.body, video=case.video)
    back_source = read_source(CARD.index, there.target, there.body, video=case.video)
    own = DIALECTS[case.provider].render
    assert own is not None
    # a valid body gives no input its own dialect has no place for in the model's body
    # (one it documents for other models only is UNDOCUMENTED_INPUT): A can express it all
    assert own(source.request, source.plan).unplaced == ()
    back = translate_to(CARD.index, back_source, source.plan)  # must be expressible
    assert back.model == case.model
    dropped = set(there.dropped) | set(back.dropped)
    original = resolve(source.request, source.plan)
    returned = resolve(back.request, source.plan)
    assert _canonical(returned, dropped) == _canonical(original, dropped)


@PAYLOAD_SETTINGS
@given(valid_cases())
def test_a_translated_body_costs_what_the_request_costs_at_the_target(case: Case) -> None:
    for target in DIALECTS:
        translation = _translate(case.provider, target, case)
        if translation is None:
            continue
        request = translation.request
        plan = CARD.plan(target, translation.model)
        seconds = request.video.seconds if request.video is not None else None
        want = CARD.quote(
            target, translation.model,
            duration=request.duration if plan.basis == "duration" else None,
            input_seconds=seconds if plan.basis == "input_seconds" else None,
            quality=request.quality, sound=request.sound)
        got = translation.quote
        assert (got.quality, got.sound, got.billed_seconds) == \
            (want.quality, want.sound, want.billed_seconds)
        assert (got.amount_exact, got.credits, got.usd) == \
            (want.amount_exact, want.credits, want.usd)
        # the same body priced again through quote_payload: one pipeline
        again = CARD.quote_payload(target, translation.body, video=case.video)
        assert (again.credits, again.usd) == (got.credits, got.usd)
        # and the target's own quote of the source request, quality and sound kept
        assert (got.quality, got.sound) == (request.quality, request.sound)


def _translate(source: str, target: str, case: Case) -> Translation | None:
    """The translation, or ``None`` after checking a refusal is well formed."""
    try:
        return CARD.translate(case.body, source=source, target=target, video=case.video)
    except TranslationError as exc:
        refusal = exc
    assert refusal.violations
    assert all(v.code in VIOLATIONS for v in refusal.violations)
    assert all(v.message for v in refusal.violations)
    return None


def test_resolve_is_idempotent_on_every_offering() -> None:
    for plan in CARD.plans("evolink") + CARD.plans("kling3api"):
        once = resolve(Request(plan.provider, plan.model), plan)
        assert resolve(once, plan) == once
        assert replace(once, quality=None, sound=None, duration=None) == \
            Request(plan.provider, plan.model)
