"""Properties of ``ratecard.whatif``: every line accounted for exactly once, savings that
add up exactly, a cheapest route never dearer than the seller the job went to (it can
serve its own job), a policy that is obeyed, and hostile input answered with documented
errors only, quickly."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from ratecard.errors import QuoteError
from ratecard.reconcile.readers import InvoiceError
from ratecard.whatif import STATUSES, WhatIf, whatif
from tests.bounded import bounded
from tests.budget import examples
from tests.reconcile_strategies import (
    CATALOG,
    PricedLine,
    csv_text,
    exact_sum,
    header_is_usable,
    invoices,
    jsonl_text,
    layouts,
    mangled,
    read_text,
    record_starts,
)

KNOWN = CATALOG.with_credit_value("kling3api", "500")
"""Every seller with a USD value (kling3api's is the user's: 500 credits per USD)."""
PROVIDERS = KNOWN.providers
PROPERTY_SETTINGS = settings(max_examples=examples(50), deadline=None)
"""Fewer examples than the reconcile properties: these draw the same lines, and re-rating
each one prices it at every seller."""
REFERENCES = frozenset(plan.provider for plan in KNOWN.plans() if plan.reference)


def _rows(lines: Sequence[PricedLine]) -> list[dict[str, str]]:
    return [dict(priced.values) for priced in lines]


def _requestable(priced: PricedLine) -> bool:
    """Whether the seller the job went to accepts its length in a request: a length billed
    at a clamp beyond the accepted range (EvoLink's 2 s Kling 3.0 video, billed 3 s) was
    invoiced, but no seller, that one included, takes a request for it."""
    values = priced.values
    try:
        KNOWN.quote(values["provider"], values["model"], duration=values["duration"] or None,
                    input_seconds=values["input_seconds"] or None, at=priced.day)
    except QuoteError as exc:
        return exc.code != "INVALID_DURATION"
    return True


@PROPERTY_SETTINGS
@given(invoices(max_size=8))
def test_priced_lines_are_rerated_and_add_up(lines: list[PricedLine]) -> None:
    results, summary = whatif(KNOWN, read_text(csv_text(_rows(lines))))
    assert [r.line for r in results] == list(range(2, len(lines) + 2))
    assert summary.lines == len(results) == sum(summary.by_status.values())
    repriced = []
    for priced, r in zip(lines, results, strict=True):
        assert r.status in STATUSES
        if not priced.succeeded:
            assert r.status == "FAILED_JOB", r
            continue
        plan = KNOWN.plan(priced.values["provider"], priced.values["model"])
        if plan.mode == "video-edit" and not priced.values["input_seconds"]:
            assert r.status == "NEED_UNKNOWN", r  # a fixed-price edit of unknown length
            continue
        requestable = _requestable(priced)
        if not requestable:  # priced where it went; maybe no seller takes it
            assert r.status in ("REPRICED", "NO_SELLER"), r
            assert (r.usd if priced.currency == "USD" else r.amount) == priced.expected, r
            if r.status == "NO_SELLER":
                assert r.best_provider is None
                assert (r.provider, r.model, "INVALID_DURATION") in {
                    (e.provider, e.model, e.code) for e in r.excluded}, r
                continue
        assert r.status == "REPRICED", r
        assert r.usd is not None
        assert r.best_usd is not None
        assert r.saving_usd is not None
        if priced.currency == "USD":
            assert r.usd == priced.expected
        else:
            assert r.amount == priced.expected
        assert r.saving_usd == r.usd - r.best_usd
        if r.provider not in REFERENCES and requestable:  # it can serve its own job
            assert r.best_usd <= r.usd, r
        repriced.append(r)
    assert summary.policy.lines == len(repriced)
    assert summary.policy.actual_usd == exact_sum(r.usd for r in repriced)  # type: ignore[misc]
    assert summary.saving_usd == exact_sum(r.saving_usd for r in repriced)  # type: ignore[misc]
    assert sum(g.lines for g in summary.by_month.values()) == len(repriced)
    assert sum(g.lines for g in summary.by_model.values()) == len(repriced)
    for totals in summary.sellers.values():
        served = totals.served.lines + totals.usd_unknown + sum(totals.not_served.values())
        assert served == len(repriced), totals


@PROPERTY_SETTINGS
@given(invoices(max_size=6, failed=False), st.sets(st.sampled_from(PROVIDERS)),
       st.one_of(st.none(), st.sets(st.sampled_from(PROVIDERS), min_size=1)))
def test_the_cheapest_route_obeys_the_policy(lines: list[PricedLine], deny: set[str],
                                             allow: set[str] | None) -> None:
    results, summary = whatif(KNOWN, read_text(csv_text(_rows(lines))), deny=deny,
                              allow=allow)
    assert summary.lines == len(lines)
    for r in results:
        if r.best_provider is not None:
            assert r.best_provider not in deny
            assert allow is None or r.best_provider in allow
            assert r.best_provider not in REFERENCES
        elif r.status not in ("NEED_UNKNOWN",):
            assert r.status == "NO_SELLER", r


@PROPERTY_SETTINGS
@given(st.data())
def test_fuzzed_csv_gives_documented_errors_only_and_keeps_every_line(
        data: st.DataObject) -> None:
    lines = data.draw(invoices(max_size=6, unix=False, scientific=False), label="lines")
    text = data.draw(mangled(csv_text(_rows(lines), data.draw(layouts(lines)))), label="text")
    with bounded():
        try:
            results, summary = whatif(KNOWN, read_text(text, "fuzz.csv"))
        except InvoiceError:
            assert not header_is_usable(text), "refused a file whose header is intact"
            return
    assert [r.line for r in results] == record_starts(text)
    assert summary.lines == len(results) == sum(summary.by_status.values())
    for r in results:
        assert r.status in STATUSES
        assert r.source == "fuzz.csv"
        if r.status != "REPRICED":
            assert r.reason, r


@PROPERTY_SETTINGS
@given(st.data())
def test_mangled_json_lines_keep_one_result_per_line(data: st.DataObject) -> None:
    lines = data.draw(invoices(max_size=6, unix=False, scientific=False), label="lines")
    text = data.draw(mangled(jsonl_text(_rows(lines), ()), ("{", "}", '"', ",", ":", "\n",
                                                             " ", "[", "x", "9")),
                     label="text")
    with bounded():
        results = list(WhatIf(KNOWN).run(read_text(text, "fuzz.jsonl")))
    physical = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    assert [r.line for r in results] == list(range(1, physical + 1))
    assert all(r.status in STATUSES for r in results)


@PROPERTY_SETTINGS
@given(st.one_of(st.text(max_size=30), st.integers(), st.decimals(allow_nan=True),
                 st.floats(), st.none(), st.lists(st.integers(), max_size=2)),
       st.one_of(st.none(), st.text(max_size=20), st.dates().map(str)))
def test_diff_takes_any_clip_length_and_day_or_says_why(seconds: object,
                                                         day: str | None) -> None:
    from ratecard.errors import QuoteError
    from ratecard.whatif.diff import diff

    code = None
    with bounded():
        try:
            d = diff(KNOWN, KNOWN, before_at=day, after_at=day, seconds=seconds)
        except QuoteError as exc:
            code = exc.code
    if code is not None:
        assert code in ("INVALID_DURATION", "INVALID_DATE")
        return
    assert d.changed == ()  # the same cards on the same day: nothing changed
    assert d.seconds > 0
