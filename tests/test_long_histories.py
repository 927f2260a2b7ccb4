"""Cards with a long price history or many offerings are checked in time that grows with
their size, not with its square, and a duplicate is reported where it is.

``lint`` quoted every price version through a linear search for the version in force
(8,000 versions: 36 s), and the card check looked each offering up by equality (4,000
offerings: 13.6 s; an exact copy of an offering was reported at the first copy's line).
The cost is counted in calls, never timed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ratecard
from ratecard import CardError
from ratecard.pricing.index import unquotable
from ratecard.pricing.plans import PriceCell, Span

SOURCE = "{document: tests, checked_on: 2026-11-21, basis: documented}"

HEAD = """\
provider: history
name: Long history test
currency: USD
defaults: {quality: 720p, sound: off, duration: 5}
rounding:
  amount: {mode: half_up, precision: 0.01}
  usd: {mode: half_up, precision: 0.01}
offerings:
"""

def offering(name: str) -> str:
    """An offering ``name`` taking 1 to 10 s, its prices to follow."""
    return f"""\
  - id: {name}
    family: test
    mode: text-to-video
    qualities: [720p]
    sounds: [off, on]
    accepts: {{duration: {{min: 1, max: 10, source: {SOURCE}}}}}
    billing: {{basis: duration, source: {SOURCE}}}
    prices:
"""

START = date(2000, 1, 1)


def version(number: int) -> str:
    """A one-day price version, the ``number``-th day from 2000-01-01, at 0.01 x (n + 1)."""
    day = START + timedelta(days=number)
    rate = Decimal(number + 1) / 100
    return (f"      - {{effective_from: {day}, effective_to: {day + timedelta(days=1)}, "
            f"per_second: {rate}, source: {SOURCE}}}\n")


def test_a_price_from_a_long_history_is_the_one_in_force_that_day(tmp_path: Path) -> None:
    path = tmp_path / "history.yaml"
    path.write_text(HEAD + offering("gen") + "".join(version(n) for n in range(300)),
                    encoding="utf-8")
    catalog = ratecard.load(path, builtin=False)
    # day 123 from 2000-01-01 is 2000-05-03: its price is 1.24 USD/s; 5 s = 6.20 USD
    assert catalog.quote("history", "gen", at="2000-05-03").usd == Decimal("6.20")
    assert catalog.quote("history", "gen", at="2000-01-01").usd == Decimal("0.05")
    assert catalog.quote("history", "gen", at="2000-10-26").usd == Decimal("15.00")
    for day in ("1999-12-31", "2000-10-27"):  # the day before the first, after the last
        with pytest.raises(ratecard.QuoteError, match="no price in force"):
            catalog.quote("history", "gen", at=day)


def test_lint_looks_each_version_up_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    versions = 2000
    path = tmp_path / "history.yaml"
    path.write_text(HEAD + offering("gen")
                    + "".join(version(n) for n in range(versions)), encoding="utf-8")
    index = ratecard.load(path, builtin=False).index
    calls = 0
    covers = Span.covers

    def counted(span: Span, day: date) -> bool:
        nonlocal calls
        calls += 1
        return covers(span, day)

    monkeypatch.setattr(Span, "covers", counted)
    assert unquotable(index) == []
    quotes = versions * 2 * 2  # sound off/on, shortest and longest length
    assert calls <= 2 * quotes  # a linear search: about versions / 2 per quote (4 million)


def test_an_exact_copy_of_an_offering_is_reported_at_the_copy(tmp_path: Path) -> None:
    gen = offering("gen") + version(0)
    text = HEAD + gen + offering("other") + version(0) + gen
    path = tmp_path / "history.yaml"
    path.write_text(text, encoding="utf-8")
    copy_line = text.count("\n", 0, text.rindex("  - id: gen")) + 1
    with pytest.raises(CardError, match=r"offerings\.2\.id: offering id 'gen' appears twice"
                       ) as caught:
        ratecard.load(path, builtin=False)
    assert f":{copy_line}:" in str(caught.value)


def _linear(versions: tuple[PriceCell, ...], day: date) -> PriceCell | None:
    """The simplest exact model: the first version whose span covers the day."""
    return next((cell for cell in versions
                 if (cell.span.start is None or cell.span.start <= day)
                 and (cell.span.end is None or day < cell.span.end)), None)


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(1, 4)), min_size=0, max_size=40),
       st.booleans(), st.booleans(), st.integers(-5, 250))
def test_the_version_found_is_the_one_a_scan_finds(gaps: list[tuple[int, int]],
                                                   open_start: bool, open_end: bool,
                                                   offset: int) -> None:
    """Any history (gaps between versions, open first start, open last end) and any day."""
    plan = ratecard.load().plan("krea", "kling-3.0-text-to-video")
    template = next(iter(plan.cells.values()))[0]
    cells = []
    day = 0
    for gap, length in gaps:
        start = START + timedelta(days=day + gap)
        day += gap + length
        cells.append(replace(template, span=Span(start, START + timedelta(days=day))))
    if cells and open_start:
        cells[0] = replace(cells[0], span=Span(None, cells[0].span.end))
    if cells and open_end:
        cells[-1] = replace(cells[-1], span=Span(cells[-1].span.start, None))
    versions = tuple(cells)
    history = replace(plan, cells={("720p", False): versions})
    when = START + timedelta(days=offset)
    assert history.cell_at(("720p", False), when) is _linear(versions, when)
