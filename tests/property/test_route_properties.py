"""Properties of compare and route over the built-in cards (the issue's list, and more).

- the head of a route costs no more than any other eligible candidate;
- removing a provider never makes the route cheaper;
- a provider marked down never appears;
- the result does not depend on the order the cards were loaded;
- every excluded offering carries a reason, and every offering is accounted for;
- the budget is never exceeded, and nothing unpriced is ever ranked.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ratecard import Catalog, Need
from ratecard.cards.loader import read_cards
from ratecard.cards.paths import builtin_paths
from ratecard.routing.candidates import REASONS, Candidate
from tests.route_strategies import CATALOG, ROUTE_SETTINGS, budgets, needs, provider_sets

LOADED = read_cards(builtin_paths())


def eligible(candidate: Candidate, down: frozenset[str], deny: frozenset[str],
             budget: Decimal | None) -> bool:
    """Whether a compared candidate may be routed to under these limits."""
    return (candidate.provider not in down and candidate.provider not in deny
            and not candidate.reference and (budget is None or candidate.usd <= budget))


@ROUTE_SETTINGS
@given(needs(), provider_sets, provider_sets, budgets)
def test_the_chain_is_every_eligible_candidate_cheapest_first(
    need: Need, down: frozenset[str], deny: frozenset[str], budget: Decimal | None
) -> None:
    route = CATALOG.route(need, down=down, deny=deny, max_usd=budget)
    compared = CATALOG.compare(need).candidates
    expected = [c for c in compared if eligible(c, down, deny, budget)]
    assert list(route.chain) == expected
    if route.head is not None:
        assert all(route.head.usd <= other.usd for other in expected)
    assert [c.usd for c in route.chain] == sorted(c.usd for c in route.chain)


@ROUTE_SETTINGS
@given(needs(), st.sampled_from(CATALOG.providers), budgets)
def test_removing_a_provider_never_makes_the_route_cheaper(
    need: Need, removed: str, budget: Decimal | None
) -> None:
    before = CATALOG.route(need, max_usd=budget)
    for after in (CATALOG.route(need, max_usd=budget, deny=[removed]),
                  CATALOG.route(need, max_usd=budget, down=[removed])):
        if before.head is None:
            assert after.head is None
        elif after.head is not None:
            assert after.head.usd >= before.head.usd
        assert len(after.chain) <= len(before.chain)


@ROUTE_SETTINGS
@given(needs(), provider_sets)
def test_a_provider_marked_down_never_appears(need: Need, down: frozenset[str]) -> None:
    route = CATALOG.route(need, down=down)
    assert not {c.provider for c in route.chain} & down
    for exclusion in route.exclusions:
        if exclusion.provider in down and exclusion.model is not None:
            assert exclusion.code == "DOWN"


@ROUTE_SETTINGS
@given(needs(), st.permutations(LOADED), provider_sets, budgets)
def test_the_result_does_not_depend_on_load_order(
    need: Need, order: list[object], down: frozenset[str], budget: Decimal | None
) -> None:
    shuffled = Catalog.from_cards(order)  # type: ignore[arg-type]
    assert shuffled.route(need, down=down, max_usd=budget).to_dict() == \
        CATALOG.route(need, down=down, max_usd=budget).to_dict()
    assert shuffled.compare(need).to_dict() == CATALOG.compare(need).to_dict()


@ROUTE_SETTINGS
@given(needs(), provider_sets, provider_sets, budgets)
def test_every_exclusion_has_a_reason_and_every_offering_is_accounted_for(
    need: Need, down: frozenset[str], deny: frozenset[str], budget: Decimal | None
) -> None:
    route = CATALOG.route(need, down=down, deny=deny, max_usd=budget)
    for exclusion in route.exclusions:
        assert exclusion.code in REASONS
        assert exclusion.message.strip()
    placed = {(c.provider, c.model) for c in route.chain} | {
        (e.provider, e.model) for e in route.exclusions}
    shape = [p for p in CATALOG.plans() if (p.family, p.mode) == (need.family, need.mode)]
    assert {(p.provider, p.model) for p in shape} <= placed
    selling = {p.provider for p in shape}
    unserved = {e.provider for e in route.exclusions if e.model is None}
    assert selling | unserved == set(CATALOG.providers)
    assert not selling & unserved


@ROUTE_SETTINGS
@given(needs(), budgets)
def test_the_budget_is_never_exceeded_and_nothing_unpriced_is_ranked(
    need: Need, budget: Decimal | None
) -> None:
    route = CATALOG.route(need, max_usd=budget)
    for candidate in route.chain:
        assert candidate.usd is not None
        assert candidate.quote.usd == candidate.usd
        assert budget is None or candidate.usd <= budget
    assert "kling3api" not in {c.provider for c in route.chain}  # no credit value known


@ROUTE_SETTINGS
@given(needs(shaped=False))
def test_every_candidate_matches_the_need_exactly(need: Need) -> None:
    for candidate in CATALOG.compare(need).candidates:
        plan = CATALOG.plan(candidate.provider, candidate.model)
        assert need.family in (None, plan.family)
        assert candidate.mode in need.modes
        assert need.quality in (None, candidate.quality)
        assert need.sound in (None, candidate.sound)
        assert candidate.quote.sound == candidate.sound  # never forced away from the need
        assert need.features <= plan.features
        assert plan.required_features <= need.features
        again = CATALOG.quote(candidate.provider, candidate.model, duration=need.duration,
                              input_seconds=need.input_seconds, quality=candidate.quality,
                              sound=candidate.sound)
        assert (again.credits, again.usd) == (candidate.credits, candidate.usd)
