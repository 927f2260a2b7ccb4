"""The quote memo and the cached JSON form: what they return equals what is computed afresh,
they are bounded, and they never outlive a price change, a credit value or a date.

Oracles: the seed figures as literals (EvoLink Kling 3.0 image-to-video 1080p with sound
is 10.8 credits/s at 72 credits per USD, seed 001 and market-prices.md), and quotes
computed with ``at=`` (never remembered), compared through their JSON form.
"""

from __future__ import annotations

import copy
import functools
import json
import pickle
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ratecard
from ratecard import Catalog, QuoteError
from ratecard.pricing import engine, index, plans
from ratecard.pricing.plans import OfferingPlan
from ratecard.pricing.quote import ReadOnlyDict, ReadOnlyList
from tests.strategies import CATALOG, PROPERTY_SETTINGS

I2V = ("evolink", "kling-v3-image-to-video")


def _fresh(card: Catalog, provider: str, model: str, **kwargs: Any) -> dict[str, Any]:
    """The JSON form of a quote computed afresh (``at`` today: never remembered)."""
    day = card.index.today or date.today()
    return card.quote(provider, model, at=day, **kwargs).to_dict()


def test_a_remembered_quote_is_the_seed_figure_and_the_same_object() -> None:
    card = ratecard.load()
    first = card.quote(*I2V, duration=10, quality="1080p", sound=True)
    again = card.quote(*I2V, duration=10, quality="1080p", sound=True)
    assert again is first
    assert (again.credits, again.usd) == (Decimal("108.0000"), Decimal("1.500000"))
    assert again.to_dict() == _fresh(card, *I2V, duration=10, quality="1080p", sound=True)


def test_equal_arguments_written_differently_are_quoted_as_written() -> None:
    card = ratecard.load()
    whole = card.quote(*I2V, duration=10)
    floating = card.quote(*I2V, duration=10.0)
    text = card.quote(*I2V, duration="10.0")
    written = card.quote(*I2V, duration=Decimal("10.00"))
    assert floating is not whole
    assert [q.steps[0].detail for q in (whole, floating, text, written)] == [
        "requested duration: 10 s", "requested duration: 10.0 s",
        "requested duration: 10.0 s", "requested duration: 10.00 s"]
    assert card.quote(*I2V, duration=Decimal("10.0")).steps[0].detail == \
        "requested duration: 10.0 s"
    on = card.quote(*I2V, sound=True)
    assert card.quote(*I2V, sound="on") is not on
    assert card.quote(*I2V, sound="on").to_dict() == on.to_dict()


def test_errors_are_never_remembered() -> None:
    card = ratecard.load()
    for _ in range(2):
        with pytest.raises(QuoteError) as info:
            card.quote(*I2V, duration=16)
        assert info.value.code == "INVALID_DURATION"
    with pytest.raises(QuoteError):
        card.quote(*I2V, duration=[10])
    assert all(key[2] != 16 for key in card.index._quotes)


def test_a_quote_cannot_be_changed() -> None:
    q = ratecard.load().quote(*I2V, duration=10, quality="1080p", sound=True)
    for name, value in (("usd", Decimal(0)), ("amount", Decimal(0)), ("warnings", ()),
                        ("quality", "720p"), ("billed_seconds", None)):
        with pytest.raises(AttributeError):
            setattr(q, name, value)
    assert q.usd == Decimal("1.500000")


def test_to_dict_is_new_each_time_and_its_shared_parts_refuse_changes() -> None:
    q = ratecard.load().quote(*I2V, duration=10, quality="1080p", sound=True)
    first = q.to_dict()
    first["usd"] = "0"
    first["extra"] = 1
    second = q.to_dict()
    assert second["usd"] == "1.500000"
    assert "extra" not in second
    assert isinstance(second["steps"], ReadOnlyList)
    assert isinstance(second["steps"][0], ReadOnlyDict)
    with pytest.raises(TypeError, match="shared"):
        second["steps"].append({})
    with pytest.raises(TypeError, match="shared"):
        second["steps"][0]["value"] = "0"
    with pytest.raises(TypeError, match="shared"):
        second["warnings"] += ["x"]
    copied = copy.deepcopy(second)
    copied["steps"][0]["value"] = "0"
    copied["steps"].append({})
    assert type(copied["steps"]) is list
    assert type(copy.copy(second["facts"])) is list
    assert pickle.loads(pickle.dumps(second)) == second
    assert type(pickle.loads(pickle.dumps(second))["facts"][0]) is dict
    assert json.loads(json.dumps(second)) == second
    assert q.to_dict()["steps"][0]["value"] == "10"


def test_the_memo_is_bounded() -> None:
    card = ratecard.load()
    quotes = card.index._quotes
    for tenths in range(30, 30 + index.QUOTES + 50):
        card.quote("evolink", "kling-o3-video-edit", input_seconds=tenths / 10)
        assert len(quotes) <= index.QUOTES
    # the last one is remembered, and still right (8.1 credits/s, 720p sound off, 7 s)
    edit = card.quote("evolink", "kling-o3-video-edit", input_seconds=7.4)
    assert edit is card.quote("evolink", "kling-o3-video-edit", input_seconds=7.4)
    assert edit.credits == Decimal("56.7000")


def test_the_memo_is_bounded_in_bytes_too() -> None:
    """A value padded with blanks is read as the value: keyed as given, 200 quotes of a
    100 KB of blanks each held 20 MiB."""
    import tracemalloc

    card = ratecard.load()
    card.quote(*I2V, duration=5)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for pad in range(200):
            padded = card.quote(*I2V, duration=" " * (100_000 + pad) + "5")
            assert padded.credits == 27  # seed 001: 5 s at 5.4 credits/s (720p, no sound)
        del padded
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held < 8 * 2**20, f"{held / 2**20:.0f} MiB held"


def test_a_credit_value_gives_a_new_memo() -> None:
    card = ratecard.load()
    unknown = card.quote("kling3api", "pro-text-to-video")
    priced = card.with_credit_value("kling3api", 500)
    known = priced.quote("kling3api", "pro-text-to-video")
    assert (unknown.credits, unknown.usd) == (Decimal("400"), None)
    assert (known.credits, known.usd) == (Decimal("400"), Decimal("0.800000"))
    assert card.quote("kling3api", "pro-text-to-video").usd is None
    assert priced.with_credit_value("kling3api", 400).quote(
        "kling3api", "pro-text-to-video").usd == Decimal("1.000000")


def _repriced_card(tmp_path: Path, change: date) -> Path:
    """A card whose price goes from 5.4 to 6 credits/s and whose credit value goes from 72
    to 80 credits per USD on ``change``."""
    source = "{document: market-prices.md, checked_on: 2026-11-21, basis: documented}"
    path = tmp_path / "repriced.yaml"
    path.write_text(f"""\
provider: repriced
name: A card whose price changes
currency: credits
credit_values:
  - {{credits_per_usd: 72, effective_to: {change}, source: {source}}}
  - {{credits_per_usd: 80, effective_from: {change}, source: {source}}}
defaults: {{quality: 720p, sound: off, duration: 5}}
rounding:
  amount: {{mode: half_up, precision: 0.0001}}
  usd: {{mode: half_up, precision: 0.000001}}
offerings:
  - id: gen
    family: kling-3.0
    mode: text-to-video
    qualities: [720p]
    sounds: [off]
    accepts:
      duration: {{min: 3, max: 15, integer: true, source: {source}}}
    billing: {{basis: duration, source: {source}}}
    prices:
      - {{effective_to: {change}, per_second: 5.4, source: {source}}}
      - {{effective_from: {change}, per_second: 6, source: {source}}}
""", encoding="utf-8")
    return path


def test_a_quote_priced_for_the_clocks_today_is_not_remembered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A price that changes tomorrow: quotes without ``at`` follow the clock, memo or not."""
    today = date.today()
    card = ratecard.load(_repriced_card(tmp_path, today + timedelta(days=1)), builtin=False)
    before = card.quote("repriced", "gen")
    assert (before.credits, before.usd) == (Decimal("27.0000"), Decimal("0.375000"))
    assert card.quote("repriced", "gen") is not before

    class Tomorrow(date):
        @classmethod
        def today(cls) -> Tomorrow:
            day = today + timedelta(days=1)
            return cls(day.year, day.month, day.day)

    monkeypatch.setattr(engine, "date", Tomorrow)
    after = card.quote("repriced", "gen")
    assert (after.credits, after.usd) == (Decimal("30.0000"), Decimal("0.375000"))


def test_a_price_in_force_for_good_is_remembered_and_at_is_never(tmp_path: Path) -> None:
    card = ratecard.load(_repriced_card(tmp_path, date(2026, 3, 1)), builtin=False)
    assert card.quote("repriced", "gen") is card.quote("repriced", "gen")
    old = card.quote("repriced", "gen", at=date(2026, 2, 28))
    assert (old.credits, old.usd) == (Decimal("27.0000"), Decimal("0.375000"))
    assert card.quote("repriced", "gen", at=date(2026, 2, 28)) is not old
    now = card.quote("repriced", "gen")
    assert (now.credits, now.usd) == (Decimal("30.0000"), Decimal("0.375000"))
    # an index loaded for a fixed day remembers the quotes of that day
    then = ratecard.load(_repriced_card(tmp_path, date(2026, 3, 1)), builtin=False,
                         today=date(2026, 2, 1))
    first = then.quote("repriced", "gen")
    assert (first.credits, first.usd) == (Decimal("27.0000"), Decimal("0.375000"))
    assert then.quote("repriced", "gen") is first
    assert then.quote("repriced", "gen", at=date(2026, 3, 1)).credits == Decimal("30.0000")


def test_plans_resolved_for_one_day_are_resolved_again_for_another(tmp_path: Path) -> None:
    """A new Catalog over the plans of another (a gateway's reload) prices its own day: the
    plans of February know nothing in force for good yet, those of March know 6 credits/s
    at 80 credits per USD."""
    february = ratecard.load(_repriced_card(tmp_path, date(2026, 3, 1)), builtin=False,
                             today=date(2026, 2, 1))
    plans = {(p.provider, p.model): p for p in february.plans()}
    same = ratecard.Catalog(plans, february.files, today=date(2026, 2, 1))
    assert same.plans() == february.plans()
    assert all(a is b for a, b in zip(same.plans(), february.plans(), strict=True))
    march = ratecard.Catalog(plans, february.files, today=date(2026, 3, 1))
    assert (march.quote("repriced", "gen").credits, march.quote("repriced", "gen").usd) == \
        (Decimal("30.0000"), Decimal("0.375000"))
    back = ratecard.Catalog({(p.provider, p.model): p for p in march.plans()},
                            march.files, today=date(2026, 2, 1))
    assert (back.quote("repriced", "gen").credits, back.quote("repriced", "gen").usd) == \
        (Decimal("27.0000"), Decimal("0.375000"))


SECONDS = st.one_of(st.none(), st.integers(-2, 40), st.floats(-1, 40, allow_nan=False),
                    st.decimals(-1, 40, places=2), st.sampled_from(["5", "10.0", " 7 ", "x"]))


@PROPERTY_SETTINGS
@given(offering=st.sampled_from(sorted(CATALOG.index.all_plans)), duration=SECONDS,
       input_seconds=SECONDS, quality=st.sampled_from([None, "720p", "1080p", "4k", 7]),
       sound=st.sampled_from([None, True, False, "on", "off", 1, 0, "maybe"]),
       repeat=st.integers(1, 3))
def test_a_remembered_answer_is_the_fresh_answer(
        offering: tuple[str, str], duration: object, input_seconds: object, quality: object,
        sound: object, repeat: int) -> None:
    """Any arguments, asked once or several times: the same answer (or the same error)
    as a quote computed afresh with ``at``."""
    provider, model = offering
    kwargs: dict[str, Any] = {"duration": duration, "input_seconds": input_seconds,
                              "quality": quality, "sound": sound}
    try:
        fresh: dict[str, Any] | str = _fresh(CATALOG, provider, model, **kwargs)
    except QuoteError as exc:
        fresh = exc.code
    for _ in range(repeat):
        try:
            got: dict[str, Any] | str = CATALOG.quote(provider, model, **kwargs).to_dict()
        except QuoteError as exc:
            got = exc.code
        assert got == fresh
    assert len(CATALOG.index._quotes) <= index.QUOTES


@functools.cache
def _repriced_plans() -> tuple[OfferingPlan, ...]:
    """The repriced card's plan resolved for February and for March (its price and credit
    value change on March 1), and the built-in plans."""
    folder = Path(tempfile.mkdtemp(prefix="ratecard-resolved-"))
    card = _repriced_card(folder, date(2026, 3, 1))
    february = ratecard.load(card, builtin=False, today=date(2026, 2, 1))
    march = ratecard.load(card, builtin=False, today=date(2026, 3, 1))
    return (*february.plans(), *march.plans(), *CATALOG.plans())


@PROPERTY_SETTINGS
@given(days=st.lists(st.dates(date(2026, 1, 1), date(2026, 5, 1)), min_size=1, max_size=8))
def test_a_remembered_resolution_is_the_one_checked_afresh(days: list[date]) -> None:
    """Whether a plan is resolved for a day (what a new Catalog asks of every plan it is
    given) is remembered per plan and day: asked in any order, again and again, the
    answer is the one worked out afresh, and so is the plan a new Catalog prices with."""
    for day in [*days, *days]:
        for plan in _repriced_plans():
            assert plan._resolved_for(day) is plan._check_resolved(day)
            fresh = Catalog({(plan.provider, plan.model): plan},
                            {**CATALOG.files, "repriced": Path("repriced.yaml")}, today=day)
            assert fresh.plan(plan.provider, plan.model) == _as_of_afresh(plan, day)


def _as_of_afresh(plan: OfferingPlan, day: date) -> OfferingPlan:
    """``plan.as_of(day)`` with nothing remembered."""
    with mock.patch.object(plans, "_RESOLVED_SIZE", 0), \
            mock.patch.object(plans, "_RESOLVED", {}):
        return plan.as_of(day)
