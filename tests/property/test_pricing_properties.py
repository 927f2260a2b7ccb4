"""Properties every quote of the built-in cards must have, checked against the card data
(``catalog.cards[provider]``), never against the engine's own compiled values."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import ratecard
from ratecard import QuoteError
from tests.strategies import (
    CATALOG,
    PROPERTY_SETTINGS,
    SOUND_RANK,
    Cell,
    Request,
    accepted_range,
    accepted_seconds,
    all_cells,
    all_offerings,
    cells,
    credits_per_usd_on,
    data_price,
    dates,
    expected_billed,
    input_lengths,
    offering_of,
    priced_on,
    quality_rank,
    requantize,
    requests,
    round_fraction,
    version_on,
)

O1_EDIT = ("evolink", "kling-o1-video-edit")


def test_the_catalog_has_something_to_check() -> None:
    bases = {cell.basis for cell in all_cells()}
    assert bases == {"duration", "input_seconds", "fixed"}
    assert len(all_offerings()) >= 10


@PROPERTY_SETTINGS
@given(requests())
def test_amount_is_billed_seconds_times_the_documented_rate(request: Request) -> None:
    cell = request.cell
    version = version_on(cell.offering, request.at)
    if version is None:
        with pytest.raises(QuoteError) as info:
            request.quote()
        assert info.value.code == "UNPRICED_DATE"
        return
    quote = request.quote()
    kind, rate = data_price(version, cell.quality, cell.sound)
    assert quote.unit_rate == rate
    if kind == "fixed":
        assert quote.billed_seconds is None
        assert quote.amount_exact == rate
    else:
        assert quote.billed_seconds == expected_billed(cell.offering, request.seconds)
        assert quote.amount_exact == quote.billed_seconds * rate
    amount = cell.card.rounding.amount
    assert quote.credits == requantize(quote.amount_exact, amount.precision, amount.mode)
    assert quote.price_version.startswith(
        version.effective_from.isoformat() if version.effective_from else "start")


@pytest.mark.parametrize("seconds", ["3.75", "4.75", "3.25", "5.5"])
def test_kling3api_takes_whole_seconds_so_its_credits_need_no_rounding(seconds: str) -> None:
    """kling3api documents no fractional durations (seed 003 gives every range, default and
    example in whole seconds): 3.75 s is refused, and whole seconds x whole credits per
    second leave nothing for the declared rounding to round."""
    cell = Cell("kling3api", "pro-text-to-video", "1080p", "off")
    with pytest.raises(QuoteError) as info:
        CATALOG.quote(cell.provider, cell.model, duration=Decimal(seconds), sound="off")
    assert info.value.code == "INVALID_DURATION"
    assert "whole seconds" in str(info.value)
    whole = Decimal(seconds).to_integral_value()
    quote = CATALOG.quote(cell.provider, cell.model, duration=whole, sound="off")
    amount = cell.card.rounding.amount
    assert quote.amount_exact == whole * 54
    assert quote.credits == requantize(whole * 54, amount.precision, amount.mode) == whole * 54


@PROPERTY_SETTINGS
@given(input_lengths(high=Decimal(1000)), dates())
def test_o1_edit_is_billed_between_3_and_10_s_whatever_the_input(
    seconds: Decimal, day: date
) -> None:
    quote = CATALOG.quote(*O1_EDIT, input_seconds=seconds, at=day)
    assert quote.billed_seconds is not None
    assert Decimal(3) <= quote.billed_seconds <= Decimal(10)
    assert quote.billed_seconds == min(max(seconds, Decimal(3)), Decimal(10))
    assert Decimal(36) <= quote.credits <= Decimal(120)


@PROPERTY_SETTINGS
@given(requests(basis="input_seconds"))
def test_billing_clamps_hold_for_every_clamped_offering(request: Request) -> None:
    assume(priced_on(request))
    billing = request.cell.offering.billing
    billed = request.quote().billed_seconds
    assert billed is not None
    if billing.min_seconds is not None:
        assert billed >= billing.min_seconds
    if billing.max_seconds is not None:
        assert billed <= billing.max_seconds


FIXED_EDITS = [(p, m) for p, m in all_offerings() if m in {"o3-pro-video-edit",
                                                           "o3-std-video-edit"}]


def test_kling3api_o3_edits_are_the_fixed_price_offerings() -> None:
    assert FIXED_EDITS == [("kling3api", "o3-pro-video-edit"), ("kling3api", "o3-std-video-edit")]
    fixed = sorted({(c.provider, c.model) for c in all_cells() if c.basis == "fixed"})
    assert fixed == FIXED_EDITS


@PROPERTY_SETTINGS
@given(cells(basis="fixed"), input_lengths(), input_lengths(), dates())
def test_fixed_prices_do_not_move_with_input_length(
    cell: Cell, first: Decimal, second: Decimal, day: date
) -> None:
    version = version_on(cell.offering, day)
    assume(version is not None)
    assert version is not None
    kwargs: dict[str, Any] = {"quality": cell.quality, "sound": cell.sound, "at": day}
    one = CATALOG.quote(cell.provider, cell.model, input_seconds=first, **kwargs)
    two = CATALOG.quote(cell.provider, cell.model, input_seconds=second, **kwargs)
    without = CATALOG.quote(cell.provider, cell.model, **kwargs)
    assert one.credits == two.credits == without.credits
    assert one.amount_exact == data_price(version, cell.quality, cell.sound)[1]
    assert one.billed_seconds is None


@st.composite
def duration_pairs(draw: st.DrawFn) -> tuple[Cell, Decimal, Decimal, date]:
    cell = draw(cells())
    seconds = accepted_seconds(accepted_range(cell.offering))
    first, second = sorted((draw(seconds), draw(seconds)))
    return cell, first, second, draw(dates())


@PROPERTY_SETTINGS
@given(duration_pairs())
def test_price_never_falls_when_duration_rises(
    pair: tuple[Cell, Decimal, Decimal, date],
) -> None:
    cell, shorter, longer, day = pair
    assume(version_on(cell.offering, day) is not None)
    field = "duration" if cell.basis == "duration" else "input_seconds"

    def quote(seconds: Decimal) -> ratecard.Quote:
        return CATALOG.quote(cell.provider, cell.model, quality=cell.quality, sound=cell.sound,
                             at=day, **{field: seconds})

    low, high = quote(shorter), quote(longer)
    assert low.amount_exact <= high.amount_exact
    assert low.credits <= high.credits
    if low.usd is not None and high.usd is not None:
        assert low.usd <= high.usd


@st.composite
def rising_cells(draw: st.DrawFn) -> tuple[Cell, Cell, Decimal, date]:
    """Two cells of one offering, the second at least as high in quality and in sound."""
    provider, model = draw(st.sampled_from(all_offerings()))
    offering = offering_of(provider, model)
    pool = [c for c in all_cells() if (c.provider, c.model) == (provider, model)]
    low = draw(st.sampled_from(pool))
    higher = [
        c for c in pool
        if quality_rank(c.quality) >= quality_rank(low.quality)
        and SOUND_RANK[c.sound] >= SOUND_RANK[low.sound]
    ]
    high = draw(st.sampled_from(higher))
    seconds = draw(accepted_seconds(accepted_range(offering)))
    return low, high, seconds, draw(dates())


@PROPERTY_SETTINGS
@given(rising_cells())
def test_price_never_falls_when_quality_or_sound_rise_where_the_data_says_so(
    drawn: tuple[Cell, Cell, Decimal, date],
) -> None:
    low, high, seconds, day = drawn
    version = version_on(low.offering, day)
    assume(version is not None)
    assert version is not None
    low_rate = data_price(version, low.quality, low.sound)[1]
    high_rate = data_price(version, high.quality, high.sound)[1]
    field = "duration" if low.basis == "duration" else "input_seconds"

    def quote(cell: Cell) -> ratecard.Quote:
        return CATALOG.quote(cell.provider, cell.model, quality=cell.quality, sound=cell.sound,
                             at=day, **{field: seconds})

    cheap, dear = quote(low), quote(high)
    # only where the card's data says the higher cell costs at least as much
    if high_rate >= low_rate:
        assert dear.amount_exact >= cheap.amount_exact
        assert dear.credits >= cheap.credits
    # and the data decides the other way round too: nothing assumes sound costs more
    if high_rate <= low_rate:
        assert dear.credits <= cheap.credits


def test_some_built_in_upgrades_cost_more() -> None:
    """The property above is not vacuous: upgrades with a dearer rate exist."""
    dearer = 0
    for provider, model in all_offerings():
        offering = offering_of(provider, model)
        for version in offering.prices:
            rates = {(q, s): data_price(version, q, s)[1]
                     for q in offering.qualities for s in offering.sounds}
            dearer += sum(
                rates[b] > rates[a] for a in rates for b in rates
                if quality_rank(b[0]) >= quality_rank(a[0])
                and SOUND_RANK[b[1]] >= SOUND_RANK[a[1]]
            )
    assert dearer > 0


@PROPERTY_SETTINGS
@given(requests())
def test_usd_is_credits_over_credits_per_usd_exactly_then_rounded(request: Request) -> None:
    assume(priced_on(request))
    quote = request.quote()
    card = request.cell.card
    cpu = credits_per_usd_on(card, request.at)
    if cpu is None:
        assert quote.usd is None
        assert quote.usd_exact is None
        assert quote.warnings[-1].startswith("USD unknown")
        return
    assert quote.usd_exact == Fraction(quote.credits) / Fraction(cpu)
    rule = card.rounding.usd
    assert quote.usd is not None
    assert Fraction(quote.usd) == round_fraction(quote.usd_exact, rule.precision, rule.mode)
    assert quote.usd.as_tuple().exponent == rule.precision.as_tuple().exponent


@PROPERTY_SETTINGS
@given(requests())
def test_rounding_twice_changes_nothing(request: Request) -> None:
    assume(priced_on(request))
    quote = request.quote()
    rounding = request.cell.card.rounding
    again = requantize(quote.credits, rounding.amount.precision, rounding.amount.mode)
    assert again == quote.credits
    assert str(again) == str(quote.credits)
    if quote.usd is not None:
        usd = requantize(quote.usd, rounding.usd.precision, rounding.usd.mode)
        assert usd == quote.usd
        assert str(usd) == str(quote.usd)


@PROPERTY_SETTINGS
@given(requests())
def test_the_steps_end_in_the_quotes_own_values(request: Request) -> None:
    assume(priced_on(request))
    quote = request.quote()
    steps = {step.name: step.value for step in quote.steps}
    names = [step.name for step in quote.steps]
    assert len(names) == len(set(names)), names
    assert names[-1] == "usd"
    assert steps["usd"] == quote.usd
    amount_step = "credits" if quote.currency == "credits" else "amount"
    assert names[-2] == amount_step
    assert steps[amount_step] == quote.credits
    if quote.billed_seconds is None:
        assert steps["fixed"] == quote.unit_rate
    else:
        assert steps["rate"] == quote.unit_rate
        billed_step = [n for n in names if n in {"billed", "rounded"}]
        assert len(billed_step) == 1
        assert steps[billed_step[0]] == quote.billed_seconds
    as_dict = quote.to_dict()
    assert [step["name"] for step in as_dict["steps"]] == names


def floats_in(value: object, where: str = "") -> Iterator[str]:
    """Paths of every float inside a JSON-like value."""
    if isinstance(value, float):
        yield where
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from floats_in(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from floats_in(item, f"{where}[{index}]")


@PROPERTY_SETTINGS
@given(requests())
def test_no_amount_is_ever_a_float(request: Request) -> None:
    assume(priced_on(request))
    quote = request.quote()
    assert type(quote.credits) is Decimal
    assert type(quote.amount_exact) is Decimal
    assert type(quote.unit_rate) is Decimal
    assert quote.billed_seconds is None or type(quote.billed_seconds) is Decimal
    assert quote.usd is None or type(quote.usd) is Decimal
    assert quote.usd_exact is None or type(quote.usd_exact) is Fraction
    assert all(step.value is None or type(step.value) is Decimal for step in quote.steps)
    as_dict = quote.to_dict()
    assert list(floats_in(as_dict)) == []
    for key in ("credits", "credits_exact", "usd", "usd_exact", "billed_seconds"):
        assert as_dict[key] is None or isinstance(as_dict[key], str)


@PROPERTY_SETTINGS
@given(requests(), st.sampled_from([float, str]))
def test_float_and_text_seconds_price_like_decimals(request: Request, kind: type) -> None:
    """``7.4`` (a float) is read as the decimal 7.4, not as its binary approximation."""
    assume(priced_on(request))
    kwargs = request.kwargs()
    field = "duration" if "duration" in kwargs else "input_seconds"
    kwargs[field] = kind(request.seconds)
    other = CATALOG.quote(request.cell.provider, request.cell.model, **kwargs)
    assert other.amount_exact == request.quote().amount_exact


# --------------------------------------------------------------------------- refusals

RANGED = [c for c in all_cells() if accepted_range(c.offering) is not None
          and c.basis != "fixed"]


def is_fractional(value: Decimal) -> bool:
    return value != value.to_integral_value()


@st.composite
def refused_seconds(draw: st.DrawFn) -> tuple[Cell, Decimal]:
    """A cell and a length its card says the provider refuses."""
    cell = draw(st.sampled_from(RANGED))
    accepts = accepted_range(cell.offering)
    assert accepts is not None
    step = Decimal("0.01")
    options: list[st.SearchStrategy[Decimal]] = [
        st.decimals(max_value=Decimal(0), min_value=Decimal(-100), places=2)
    ]
    if accepts.min is not None and accepts.min > 0:
        options.append(st.decimals(min_value=Decimal(0), max_value=accepts.min - step,
                                   places=2))
    if accepts.max is not None:
        options.append(st.decimals(min_value=accepts.max + step, max_value=accepts.max + 100,
                                   places=2))
    if accepts.integer:
        low = accepts.min or Decimal(0)
        high = accepts.max or Decimal(100)
        options.append(st.decimals(min_value=low, max_value=high, places=2)
                       .filter(is_fractional))
    return cell, draw(st.one_of(options))


@PROPERTY_SETTINGS
@given(refused_seconds())
def test_outside_the_accepted_range_is_invalid_duration(drawn: tuple[Cell, Decimal]) -> None:
    cell, seconds = drawn
    field = "duration" if cell.basis == "duration" else "input_seconds"
    accepts = accepted_range(cell.offering)
    assert accepts is not None
    kwargs: dict[str, Any] = {field: seconds}
    with pytest.raises(QuoteError, match=rf"^{field} .* s is not accepted by "
                       rf"{cell.provider}/{cell.model}: it accepts ") as info:
        CATALOG.quote(cell.provider, cell.model, quality=cell.quality, sound=cell.sound,
                      **kwargs)
    assert info.value.code == "INVALID_DURATION"
    assert info.value.field == field
    message = str(info.value)
    if accepts.max is not None:
        low = Decimal(0) if accepts.min is None else accepts.min
        assert f"{low:f}..{accepts.max:f} s" in message
    elif accepts.min is not None:
        assert f"at least {accepts.min:f} s" in message
    if accepts.integer:
        assert "whole seconds" in message


@pytest.mark.parametrize(
    ("provider", "model", "duration", "range_text"),
    [
        ("evolink", "kling-v3-image-to-video", 2, "3..15 s, whole seconds"),
        ("evolink", "kling-v3-image-to-video", 16, "3..15 s, whole seconds"),
        ("evolink", "kling-v3-image-to-video", Decimal("5.5"), "3..15 s, whole seconds"),
        ("evolink", "kling-o3-text-to-video", Decimal("5.5"), "3..15 s, whole seconds"),
        ("kling3api", "pro-text-to-video", 2, "3..15 s"),
        ("kling3api", "o3-std-reference-to-video", Decimal("15.01"), "3..15 s"),
    ],
)
def test_documented_refusals(provider: str, model: str, duration: int | Decimal,
                             range_text: str) -> None:
    with pytest.raises(QuoteError, match=range_text.replace(".", r"\.")) as info:
        CATALOG.quote(provider, model, duration=duration)
    assert info.value.code == "INVALID_DURATION"


def test_fractional_seconds_are_accepted_where_the_card_allows_them() -> None:
    """No built-in card allows a fractional duration (no source says a seller takes one);
    an input video's length is fractional, and billed so where the card says."""
    for provider, model in (("kling3api", "pro-text-to-video"),
                            ("fal", "v3-standard-text-to-video")):
        with pytest.raises(QuoteError) as info:
            CATALOG.quote(provider, model, duration=Decimal("5.5"))
        assert info.value.code == "INVALID_DURATION"
    quote = CATALOG.quote("fal", "o3-pro-video-to-video-edit", input_seconds=Decimal("5.5"))
    assert quote.billed_seconds == Decimal("5.5")
    assert quote.credits == Decimal("1.848000")
