"""Properties of native bodies: valid ones are accepted and priced like the canonical
request; each single mutation is reported with its exact code and path; no body makes
ratecard raise anything but its documented errors."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given

from ratecard import PayloadError, Quote
from tests.payload_strategies import (
    CARD,
    PAYLOAD_SETTINGS,
    Case,
    Mutation,
    junk_bodies,
    mutations,
    valid_cases,
)


@PAYLOAD_SETTINGS
@given(valid_cases())
def test_valid_bodies_are_accepted(case: Case) -> None:
    assert CARD.check_payload(case.provider, case.body, video=case.video) == []


@PAYLOAD_SETTINGS
@given(valid_cases())
def test_valid_bodies_price_like_the_canonical_request(case: Case) -> None:
    got = CARD.quote_payload(case.provider, case.body, video=case.video)
    want = case.expected_quote()
    assert (got.model, got.quality, got.sound) == (want.model, want.quality, want.sound)
    assert got.billed_seconds == want.billed_seconds
    assert got.amount_exact == want.amount_exact
    assert got.credits == want.credits
    assert got.usd == want.usd
    assert [s.to_dict() for s in got.steps] == [s.to_dict() for s in want.steps]
    # the engine's own warnings come last, after what reading the body changed
    assert got.warnings[len(got.warnings) - len(want.warnings):] == want.warnings


@PAYLOAD_SETTINGS
@given(mutations())
def test_each_mutation_is_reported_with_its_code_and_path(mutation: Mutation) -> None:
    provider = mutation.provider
    found = CARD.check_payload(provider, mutation.body, video=mutation.video)
    assert (mutation.code, mutation.path) in [(v.code, v.path) for v in found], \
        (mutation.name, found)
    with pytest.raises(PayloadError) as caught:
        CARD.quote_payload(provider, mutation.body, video=mutation.video)
    assert caught.value.violations == found


@PAYLOAD_SETTINGS
@given(junk_bodies())
def test_no_body_raises_anything_but_payload_errors(item: tuple[str, Any]) -> None:
    provider, body = item
    found = CARD.check_payload(provider, body)
    assert all(v.code and v.path and v.message for v in found)
    error: PayloadError | None = None
    try:
        quote = CARD.quote_payload(provider, body)
    except PayloadError as exc:
        error = exc
    if error is not None:
        assert error.violations, "a PayloadError always carries its violations"
    else:
        assert isinstance(quote, Quote)
        assert not found
