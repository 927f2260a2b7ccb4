"""Every built-in card runs the shared contract in a module of its own, and the contract's
branches are exercised by the built-in cards (so its checks are not vacuous)."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from tests.card_data import cells_of, just_outside, lowest_and_highest
from tests.contract import CardContract
from tests.strategies import CATALOG, accepted_range, credits_per_usd_on

PROVIDERS_DIR = Path(__file__).resolve().parent / "providers"


def module_name(provider: str) -> str:
    """``kling-official`` -> ``test_kling_official``."""
    return "test_" + provider.replace("-", "_")


def contracts_in(name: str) -> list[str]:
    """The providers whose contract ``tests/providers/<name>.py`` runs."""
    module = importlib.import_module(f"tests.providers.{name}")
    return [value.provider for _, value in inspect.getmembers(module, inspect.isclass)
            if issubclass(value, CardContract) and value is not CardContract
            and value.__name__.startswith("Test")]


def test_every_card_has_its_module_and_every_module_a_card() -> None:
    modules = sorted(path.stem for path in PROVIDERS_DIR.glob("test_*.py"))
    assert modules == sorted(module_name(p) for p in CATALOG.providers)


def test_each_module_runs_the_contract_for_its_own_card_once() -> None:
    for provider in CATALOG.providers:
        assert contracts_in(module_name(provider)) == [provider]


def test_the_contract_meets_every_case_it_handles() -> None:
    cells = [cell for p in CATALOG.providers for cell in cells_of(p)]
    bases = {cell.basis for cell in cells}
    assert bases == {"duration", "input_seconds", "fixed"}
    clamps = [cell for cell in cells if cell.offering.billing.min_seconds is not None
              or cell.offering.billing.max_seconds is not None]
    assert clamps, "no offering clamps its billed seconds"
    assert any(cell.offering.billing.rounding for cell in cells)
    assert any(cell.offering.forced_sound for cell in cells)
    assert any(accepted_range(cell.offering) is None for cell in cells)
    ranges = [accepted_range(cell.offering) for cell in cells]
    assert any(r is not None and r.integer for r in ranges)
    assert any(r is not None and r.max is None for r in ranges)
    assert any(len(just_outside(r)) > 3 for r in ranges)
    assert any(lowest_and_highest(r)[0] < 1 for r in ranges)
    currencies = {(card.currency, credits_per_usd_on(card, CardContract.today) is None)
                  for card in CATALOG.cards.values()}
    assert currencies == {("credits", False), ("credits", True), ("USD", False)}
    assert any(card.conflicts for card in CATALOG.cards.values())
    assert any(o.defaults for card in CATALOG.cards.values() for o in card.offerings)
    assert any(f.required for cell in cells for f in cell.offering.features)
    assert any(card.reference for card in CATALOG.cards.values())
