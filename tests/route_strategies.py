"""Hypothesis strategies and helpers for the compare/route tests.

Needs are drawn from what the built-in cards sell (every family x mode pair, every
quality they render, lengths inside and outside the accepted ranges), so the properties
exercise real matching, exclusions and prices. The built-in catalog is loaded once.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from hypothesis import settings
from hypothesis import strategies as st

import ratecard
from ratecard import Catalog, Need
from ratecard.routing.need import EDIT_MODES, FEATURES
from tests.budget import examples

ROUTE_SETTINGS = settings(max_examples=examples(80), deadline=None)
"""Enough examples to cover every family x mode pair, quick enough for the suite."""


@cache
def builtin_catalog() -> Catalog:
    """The built-in rate cards, loaded once per test session."""
    return ratecard.load()


CATALOG = builtin_catalog()

SHAPES: list[tuple[str, str]] = sorted({(p.family, p.mode) for p in CATALOG.plans()})
"""Every (family, mode) some built-in card sells."""

QUALITIES: list[str] = sorted({q for p in CATALOG.plans() for q in p.qualities})

PROVIDERS: list[str] = list(CATALOG.providers)

seconds = st.one_of(
    st.integers(min_value=1, max_value=20).map(Decimal),
    st.decimals(min_value=Decimal("0.5"), max_value=Decimal("16"), places=1,
                allow_nan=False, allow_infinity=False),
)
"""Lengths in and around every accepted range (3-10 s, 3-15 s, open ranges)."""


@st.composite
def needs(draw: st.DrawFn, *, shaped: bool = True) -> Need:
    """A need for something the built-in cards sell; ``shaped=False`` may leave family
    and mode open (compare only)."""
    shape = draw(st.sampled_from(SHAPES))
    family: str | None = shape[0]
    mode: str | None = shape[1]
    if not shaped:
        family = draw(st.sampled_from([family, None]))
        mode = draw(st.sampled_from([mode, None]))
    length = draw(seconds)
    edit = mode in EDIT_MODES if mode is not None else draw(st.booleans())
    return Need(
        family=family,
        mode=mode,
        quality=draw(st.sampled_from([None, *QUALITIES])),
        sound=draw(st.sampled_from([None, False, True])),
        duration=None if edit else length,
        input_seconds=length if edit else None,
        features=draw(st.frozensets(st.sampled_from(FEATURES), max_size=2)
                      | st.just(frozenset())),
    )


provider_sets = st.frozensets(st.sampled_from(PROVIDERS), max_size=3)

budgets = st.one_of(
    st.none(),
    st.decimals(min_value=Decimal(0), max_value=Decimal(6), places=2, allow_nan=False,
                allow_infinity=False),
)
