"""The gateway simulation in bench/ (its figures are reported in the README and notebook
04): seeded, so the same seed gives the same figures; every request is accounted for."""

from __future__ import annotations

import importlib.util
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gateway_sim", ROOT / "bench" /
                                                  "gateway_sim.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gateway_sim"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


SIM = _load()


@pytest.mark.slow  # a simulated day of routing; CI runs it
def test_same_seed_same_figures_and_every_request_accounted_for() -> None:
    first = SIM.simulate(1500, seed=3)
    assert SIM.simulate(1500, seed=3)["summary"] == first["summary"]
    assert SIM.simulate(1500, seed=4)["summary"] != first["summary"]
    for tally in first["tallies"].values():
        assert tally.requests == 1500
        assert tally.succeeded + tally.late + tally.unserved == 1500
        assert isinstance(tally.spend, Decimal)
        assert tally.wasted <= tally.spend
    assert first["tallies"]["oracle"].wasted == 0  # it never sends to a failing seller


def test_the_schedule_is_seeded_and_starts_with_each_kind_of_failure() -> None:
    outages = SIM.schedule(3 * SIM.DAY, seed=7)
    assert outages == SIM.schedule(3 * SIM.DAY, seed=7)
    assert outages[:len(SIM.FIRST_DAY)] == tuple(sorted(
        SIM.FIRST_DAY, key=lambda o: (o.start, o.seller)))
    assert SIM.state_at(outages, "evolink", "kling-v3-image-to-video", 0.5 * SIM.HOUR) == "down"
    assert SIM.state_at(outages, "kling3api", "pro-image-to-video", 1.5 * SIM.HOUR) == \
        "degraded"
    assert SIM.state_at(outages, "evolink", "kling-o3-video-edit", 2.75 * SIM.HOUR) == "up"
