"""Routing over many providers: the answer over a catalog of clones equals the answer over
the built-in cards, plus one ``FAMILY_NOT_OFFERED`` per clone that sells other families,
in the documented order (provider, model, quality, sound, code)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

import ratecard
from ratecard import Catalog, Need
from ratecard.routing.candidates import Exclusion
from tests.strategies import CATALOG

NEED = Need(family="kling-3.0", mode="image-to-video", quality="1080p", sound=True,
            duration=10)


@pytest.fixture(scope="module")
def crowded() -> Catalog:
    """The built-in offerings, and 20 copies of them under other provider ids, each copy
    selling its own families (``kling-3.0-g01``, ...)."""
    plans = {}
    files = {}
    for group in range(21):
        for plan in CATALOG.plans():
            name = plan.provider if group == 0 else f"{plan.provider}-g{group:02d}"
            family = plan.family if group == 0 else f"{plan.family}-g{group:02d}"
            plans[(name, plan.model)] = replace(plan, provider=name, family=family)
            files[name] = CATALOG.files[plan.provider]
    return Catalog(plans, files)


def _order(exclusions: tuple[Exclusion, ...]) -> list[tuple[str, str, str, int, str]]:
    return [e.sort_key() for e in exclusions]


def test_route_over_many_providers_is_the_built_in_route_and_the_clones_left_out(
        crowded: Catalog) -> None:
    small = ratecard.load().route(NEED)
    big = crowded.route(NEED)
    assert big.chain == small.chain
    assert big.head is not None
    assert (big.head.provider, big.head.usd) == ("evolink", Decimal("1.500000"))
    clones = [e for e in big.exclusions if "-g" in e.provider]
    assert len(clones) == 20 * len(CATALOG.providers)
    assert {e.code for e in clones} == {"FAMILY_NOT_OFFERED"}
    assert [e for e in big.exclusions if "-g" not in e.provider] == list(small.exclusions)
    assert _order(big.exclusions) == sorted(_order(big.exclusions))


@pytest.mark.parametrize("limits", [
    {"down": ["evolink"]}, {"deny": ["fal", "comfy"], "max_usd": "1.6"},
    {"allow": ["evolink", "kling3api-g03", "fal-g20"]}, {"max_usd": "0"},
])
def test_limits_over_many_providers_keep_the_order(crowded: Catalog,
                                                   limits: dict[str, object]) -> None:
    big = crowded.route(NEED, **limits)  # type: ignore[arg-type]
    small = ratecard.load().route(NEED, **{k: [p for p in v if "-g" not in p]  # type: ignore[arg-type]
                                           if isinstance(v, list) else v
                                           for k, v in limits.items()})
    assert big.chain == small.chain
    assert _order(big.exclusions) == sorted(_order(big.exclusions))
    assert len(big.exclusions) == len(set(map(id, big.exclusions)))


def test_compare_with_providers_keeps_only_those(crowded: Catalog) -> None:
    only = ["comfy", "comfy-g05", "evolink", "krea-g11"]
    found = crowded.compare(NEED, providers=only)
    assert {e.provider for e in found.exclusions} | {c.provider for c in found.candidates} \
        <= set(only)
    assert {e.provider for e in found.exclusions if e.model is None} == {
        "comfy-g05", "krea-g11"}
    assert _order(found.exclusions) == sorted(_order(found.exclusions))


@pytest.mark.parametrize("catalog", ["built-in", "crowded"])
@pytest.mark.parametrize("limits", [{}, {"max_usd": "1.6"}, {"include_reference": True},
                                    {"max_usd": "0", "include_reference": True}])
def test_the_remembered_route_is_the_route_computed_with_limits(
        crowded: Catalog, catalog: str, limits: dict[str, object]) -> None:
    """Without limits on sellers a route is read from the remembered, sorted answers;
    ``allow`` naming every provider takes the other path and must give the same route."""
    card = crowded if catalog == "crowded" else ratecard.load()
    for _ in range(2):  # the first computes, the second reads the memo
        fast = card.route(NEED, **limits)  # type: ignore[arg-type]
        slow = card.route(NEED, allow=card.providers, **limits)  # type: ignore[arg-type]
        assert fast.chain == slow.chain
        assert fast.exclusions == slow.exclusions
        assert [e.message for e in fast.exclusions] == [e.message for e in slow.exclusions]


def test_a_route_with_health_reads_the_memo_only_while_every_circuit_is_closed() -> None:
    card = ratecard.load()
    clock = [1000.0]
    health = ratecard.Health(ratecard.load_health_policy(), clock=lambda: clock[0])
    health.record("comfy", "kling-v3-image-to-video", "succeeded", latency=100)
    closed = card.route(NEED, health=health)
    assert closed.chain == card.route(NEED, health=health, allow=card.providers).chain
    assert closed.exclusions == card.route(NEED, health=health,
                                           allow=card.providers).exclusions
    assert closed.health_at == 1000.0
    assert closed.head is not None
    assert closed.head.provider == "evolink"
    for _ in range(health.policy.for_seller("evolink").failures):
        health.record("evolink", "kling-v3-image-to-video", "failed")
    opened = card.route(NEED, health=health)
    assert "evolink" not in [c.provider for c in opened.chain]
    assert [e.code for e in opened.exclusions if e.provider == "evolink"
            and e.model == "kling-v3-image-to-video"] == ["UNHEALTHY"]
    assert opened.chain == card.route(NEED, health=health, allow=card.providers).chain
