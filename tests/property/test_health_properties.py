"""Health as a state machine, against a simple model written here: every circuit's state,
retry time and probe count agree after any sequence of outcomes, probes and clock moves;
the same outcomes at the same times give the same answers; memory stays bounded.

The model keeps every failure time (not a bounded window of them) and recomputes what the
module documents: ``failures`` failures within ``window`` seconds open a closed circuit,
which becomes half-open ``cooldown`` seconds later; half-open admits ``probes`` attempts
at a time (a silent one frees its place after ``probe_timeout``); the next success closes
it, the next failure opens it again. Time only moves forward here, as a clock does; an
outcome dated earlier than the latest one counts at the latest time, and a look at a later
time changes nothing.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from ratecard import CircuitPolicy, Health, HealthPolicy
from tests.budget import examples

SELLERS = ("evolink", "kling3api")
MODELS = ("m1", "m2")
OUTCOMES = ("succeeded", "failed", "timed_out")
POLICIES = st.builds(
    CircuitPolicy,
    failures=st.integers(1, 4), window=st.sampled_from([10.0, 60.0, 300.0]),
    cooldown=st.sampled_from([5.0, 30.0, 120.0]), probes=st.integers(1, 3),
    probe_timeout=st.sampled_from([20.0, 600.0]))


@dataclass
class ModelCircuit:
    """The reference circuit: the rules in the plainest form."""

    policy: CircuitPolicy
    state: str = "closed"
    failures: list[float] = field(default_factory=list)
    retry_at: float = 0.0
    probes: list[float] = field(default_factory=list)
    opened: int = 0
    last: float = float("-inf")
    """The latest time an outcome or probe was seen at: an earlier one counts at it."""

    def moved(self, at: float) -> float:
        self.last = max(self.last, at)
        return self.last

    def tick(self, now: float) -> None:
        if self.state == "open" and now >= self.retry_at:
            self.state, self.probes = "half_open", []
        if self.state == "half_open":
            self.probes = [t for t in self.probes if now - t < self.policy.probe_timeout]

    def open(self, now: float) -> None:
        self.state, self.retry_at, self.failures, self.probes = \
            "open", now + self.policy.cooldown, [], []
        self.opened += 1

    def record(self, failed: bool, at: float) -> None:
        now = self.moved(at)
        self.tick(now)
        if self.state == "closed" and failed:
            self.failures.append(now)
            recent = [t for t in self.failures if now - t < self.policy.window]
            if len(recent) >= self.policy.failures:
                self.open(now)
        elif self.state == "half_open":
            if failed:
                self.open(now)
            else:
                self.state, self.failures, self.probes = "closed", [], []

    def admit(self, at: float) -> bool:
        now = self.moved(at)
        self.tick(now)
        if self.state == "closed":
            return True
        if self.state == "open" or len(self.probes) >= self.policy.probes:
            return False
        self.probes.append(now)
        return True


class HealthMachine(RuleBasedStateMachine):
    """Drive a Health and the model side by side."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0
        self.health: Health | None = None
        self.model: dict[tuple[str, str], ModelCircuit] = {}
        self.policy: HealthPolicy | None = None

    @precondition(lambda self: self.health is None)
    @rule(default=POLICIES, override=POLICIES)
    def start(self, default: CircuitPolicy, override: CircuitPolicy) -> None:
        self.policy = HealthPolicy(default, {"kling3api": override})
        self.health = Health(self.policy, clock=lambda: self.now)

    def circuit(self, seller: str, model: str) -> ModelCircuit:
        assert self.policy is not None
        key = (seller, model)
        if key not in self.model:
            self.model[key] = ModelCircuit(self.policy.for_seller(seller))
        return self.model[key]

    @precondition(lambda self: self.health is not None)
    @rule(seconds=st.sampled_from([0.0, 0.5, 1.0, 4.0, 5.0, 9.99, 10.0, 20.0, 30.0, 60.0,
                                   121.0, 600.0]))
    def wait(self, seconds: float) -> None:
        self.now += seconds

    @precondition(lambda self: self.health is not None)
    @rule(seller=st.sampled_from(SELLERS), model=st.sampled_from(MODELS),
          outcome=st.sampled_from(OUTCOMES))
    def record(self, seller: str, model: str, outcome: str) -> None:
        assert self.health is not None
        self.health.record(seller, model, outcome, latency=1.5)
        self.circuit(seller, model).record(outcome != "succeeded", self.now)

    @precondition(lambda self: self.health is not None)
    @rule(seller=st.sampled_from(SELLERS), model=st.sampled_from(MODELS),
          outcome=st.sampled_from(OUTCOMES), back=st.sampled_from([0.5, 10.0, 1000.0]))
    def record_late(self, seller: str, model: str, outcome: str, back: float) -> None:
        """An outcome dated before the latest time its circuit saw counts at that time."""
        assert self.health is not None
        self.health.record(seller, model, outcome, at=self.now - back)
        self.circuit(seller, model).record(outcome != "succeeded", self.now - back)

    @precondition(lambda self: self.health is not None)
    @rule(seller=st.sampled_from(SELLERS), model=st.sampled_from(MODELS),
          ahead=st.sampled_from([1.0, 31.0, 700.0, 1e6]))
    def look_ahead(self, seller: str, model: str, ahead: float) -> None:
        """Looking at a circuit at a later time changes nothing: the model ignores it."""
        assert self.health is not None
        self.health.status(seller, model, at=self.now + ahead)
        self.health.statuses(at=self.now + ahead)

    @precondition(lambda self: self.health is not None)
    @rule(seller=st.sampled_from(SELLERS), model=st.sampled_from(MODELS))
    def admit(self, seller: str, model: str) -> None:
        assert self.health is not None
        expected = self.circuit(seller, model).admit(self.now) \
            if (seller, model) in self.model else True
        assert self.health.admit(seller, model) == expected

    @invariant()
    def agrees_with_the_model(self) -> None:
        if self.health is None:
            return
        for (seller, model), kept in self.model.items():
            reference = copy.deepcopy(kept)  # a look changes nothing: tick a copy
            reference.tick(max(self.now, reference.last))
            status = self.health.status(seller, model)
            assert status.state == reference.state
            assert status.opened == reference.opened
            assert status.probes_in_flight == len(reference.probes)
            if reference.state == "open":
                assert status.retry_at == reference.retry_at
            # bounded: never more failures or probes kept than the policy counts
            assert status.failures_in_window <= reference.policy.failures
            assert status.probes_in_flight <= reference.policy.probes
            assert status.routable == (reference.state == "closed" or (
                reference.state == "half_open"
                and len(reference.probes) < reference.policy.probes))
        assert len(self.health) == len(self.model)


HealthMachine.TestCase.settings = settings(max_examples=examples(150), stateful_step_count=50,
                                           deadline=None)
TestHealthMachine = HealthMachine.TestCase


EVENTS = st.lists(st.tuples(st.sampled_from(SELLERS), st.sampled_from(MODELS),
                            st.sampled_from((*OUTCOMES, "admit")),
                            st.floats(0, 100, allow_nan=False)), max_size=60)


@settings(max_examples=examples(60), deadline=None)
@given(POLICIES, EVENTS)
def test_same_outcomes_and_clock_same_answers(policy: CircuitPolicy,
                                              events: list[tuple[str, str, str, float]]
                                              ) -> None:
    def run() -> list[object]:
        now = [0.0]
        health = Health(HealthPolicy(policy), clock=lambda: now[0])
        seen: list[object] = []
        for seller, model, what, step in events:
            now[0] += step
            if what == "admit":
                seen.append(health.admit(seller, model))
            else:
                health.record(seller, model, what, latency=step)
        seen.extend(s.to_dict() for s in health.statuses())
        return seen

    assert run() == run()


@settings(max_examples=examples(40), deadline=None)
@given(st.integers(1, 6), st.lists(st.tuples(st.text(max_size=3), st.text(max_size=3),
                                             st.sampled_from(OUTCOMES)), max_size=200))
def test_memory_is_bounded(limit: int, events: list[tuple[str, str, str]]) -> None:
    policy = CircuitPolicy(failures=2, window=60.0, cooldown=30.0, probes=1,
                           probe_timeout=60.0)
    health = Health(HealthPolicy(policy), clock=lambda: 0.0, max_circuits=limit)
    for seller, model, outcome in events:
        health.record(seller, model, outcome, latency=1)
        assert len(health) <= limit
    for status in health.statuses():
        assert status.failures_in_window <= policy.failures
