"""Health: circuits per seller x model, the policy file, task records, and routing with it.

Expected values are literals from the policy under test (failures, window, cool-down,
probes) and the seeds' prices (EvoLink's 10.8 credits/s for Kling 3.0 1080p with sound,
seed 001; fal's 0.168 USD/s and Comfy's 0.168 USD/s, market-prices.md).
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ratecard
from ratecard import CircuitPolicy, Health, HealthPolicy, Need, QuoteError
from ratecard.errors import CardError

CARD = ratecard.load()
NEED = Need(family="kling-3.0", mode="image-to-video", quality="1080p", sound=True,
            duration=10)
I2V = "kling-v3-image-to-video"
POLICY = HealthPolicy(CircuitPolicy(failures=3, window=60.0, cooldown=30.0, probes=1,
                                    probe_timeout=300.0))


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def tripped(clock: Clock, policy: HealthPolicy = POLICY) -> Health:
    health = Health(policy, clock=clock)
    for _ in range(policy.default.failures):
        health.record("evolink", I2V, "failed", latency=2)
    return health


def test_the_builtin_policy_is_the_cards_assumption() -> None:
    policy = ratecard.load_health_policy()
    default = policy.default
    assert (default.failures, default.window, default.cooldown, default.probes,
            default.probe_timeout) == (5, 300.0, 120.0, 1, 600.0)
    assert default.origin is not None
    assert default.origin.basis == "inferred"
    assert "assumption" in (default.origin.note or "")
    assert policy.sellers == {}


def test_failures_within_the_window_open_the_circuit_until_the_cooldown_ends() -> None:
    clock = Clock()
    health = Health(POLICY, clock=clock)
    health.record("evolink", I2V, "failed")
    clock.now += 61  # the first failure leaves the window
    health.record("evolink", I2V, "failed")
    health.record("evolink", I2V, "timed_out")
    assert health.status("evolink", I2V).state == "closed"
    assert health.status("evolink", I2V).failures_in_window == 2
    health.record("evolink", I2V, "succeeded")  # a success does not forgive failures
    health.record("evolink", I2V, "failed")
    status = health.status("evolink", I2V)
    assert (status.state, status.retry_at, status.opened) == ("open", clock.now + 30, 1)
    assert (status.succeeded, status.failed, status.timed_out) == (1, 3, 1)
    clock.now += 29
    assert health.status("evolink", I2V).state == "open"
    assert not health.admit("evolink", I2V)
    clock.now += 1  # exactly the cool-down
    assert health.status("evolink", I2V).state == "half_open"


def test_a_look_at_a_later_time_changes_no_later_answer() -> None:
    clock = Clock()
    health = tripped(clock)  # open at 1000, cool-down 30 s: retry at 1030
    assert health.status("evolink", I2V, at=2000).state == "half_open"
    assert [s.state for s in health.statuses(at=5000)] == ["half_open"]
    clock.now = 1010  # a failure of a job sent before it opened: counted, changes nothing
    health.record("evolink", I2V, "failed")
    status = health.status("evolink", I2V)
    assert (status.state, status.retry_at, status.opened, status.failed) == \
        ("open", 1030.0, 1, 4)


def test_an_outcome_dated_before_the_latest_counts_at_the_latest_time() -> None:
    health = Health(POLICY, clock=Clock(0.0))
    health.record("evolink", I2V, "failed", at=500)
    health.record("evolink", I2V, "failed", at=400)  # arrived late: counts at 500
    health.record("evolink", I2V, "failed", at=100)
    status = health.status("evolink", I2V, at=500)
    assert (status.state, status.retry_at) == ("open", 530.0)  # not 130, already past
    assert health.status("evolink", I2V, at=200).state == "open"  # seen at 500: no going back
    assert health.admit("evolink", I2V, at=520) is False


def test_half_open_allows_its_probes_then_closes_or_opens_again() -> None:
    clock = Clock()
    health = tripped(clock)
    clock.now += 30
    assert health.admit("evolink", I2V)
    assert not health.admit("evolink", I2V)  # one probe at a time
    health.record("evolink", I2V, "failed")
    assert health.status("evolink", I2V).state == "open"  # for another cool-down
    assert health.status("evolink", I2V).retry_at == clock.now + 30
    clock.now += 30
    assert health.admit("evolink", I2V)
    health.record("evolink", I2V, "succeeded")
    assert health.status("evolink", I2V).state == "closed"
    assert health.admit("evolink", I2V)
    assert health.admit("evolink", I2V)


def test_a_silent_probe_frees_its_place_after_the_probe_timeout() -> None:
    clock = Clock()
    health = tripped(clock)
    clock.now += 30
    assert health.admit("evolink", I2V)
    assert health.status("evolink", I2V).retry_at == clock.now + 300
    clock.now += 299
    assert not health.admit("evolink", I2V)
    clock.now += 1
    assert health.admit("evolink", I2V)


def test_circuits_are_per_seller_and_model() -> None:
    clock = Clock()
    health = tripped(clock)
    assert health.status("evolink", "kling-v3-text-to-video").state == "closed"
    assert health.status("kling3api", I2V).state == "closed"
    assert len(health) == 1  # reading a circuit never made one


def test_per_seller_overrides_from_a_policy_file(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("""
defaults:
  failures: 5
  window_seconds: 300
  cooldown_seconds: 120
  probes: 1
  probe_timeout_seconds: 600
  source: {document: ops-runbook, checked_on: 2026-12-03, basis: inferred}
sellers:
  kling3api:
    failures: 2
    probes: 3
    source: {document: ops-runbook, checked_on: 2026-12-03, basis: inferred}
""")
    policy = ratecard.load_health_policy(path)
    assert policy.for_seller("kling3api").failures == 2
    assert policy.for_seller("kling3api").probes == 3
    assert policy.for_seller("kling3api").cooldown == 120.0  # from the defaults
    assert policy.for_seller("evolink").failures == 5
    health = Health(policy, clock=Clock())
    for provider in ("kling3api", "evolink"):
        health.record(provider, "m", "failed")
        health.record(provider, "m", "failed")
    assert health.status("kling3api", "m").state == "open"
    assert health.status("evolink", "m").state == "closed"


def test_a_bad_policy_file_says_file_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("defaults:\n  failures: 0\n  window_seconds: 300\n"
                    "  cooldown_seconds: 120\n  probes: 1\n  probe_timeout_seconds: 600\n"
                    "  source: {document: x, checked_on: 2026-12-03, basis: inferred}\n"
                    "sellers:\n  evolink:\n    cooldown: 5\n")
    with pytest.raises(CardError) as caught:
        ratecard.load_health_policy(path)
    problems = {(p.line, p.key) for p in caught.value.problems}
    assert (2, "defaults.failures") in problems
    assert (10, "sellers.evolink.cooldown") in problems
    assert "unknown key: not part of its schema" in str(caught.value)


def test_outcomes_from_task_records() -> None:
    clock = Clock(datetime(2026, 12, 3, 10, 5, tzinfo=UTC).timestamp())
    health = Health(POLICY, clock=clock)
    failed = CARD.read_task("kling3api", {"code": 200, "data": {
        "task_id": "n75x", "status": "FAILED", "created_at": "2026-12-03T10:00:00Z",
        "request": {"type": "pro-text-to-video", "prompt": "x"}}})
    running = CARD.read_task("evolink", {"id": "t", "model": I2V, "status": "processing",
                                         "object": "video.generation.task"})
    assert health.record_task(failed) == "failed"
    assert health.record_task(running) is None
    status = health.status("kling3api", "pro-text-to-video")
    assert (status.failed, status.latency) == (1, 300.0)  # 10:05 - 10:00
    assert len(health) == 1


def test_a_task_record_read_again_is_counted_once() -> None:
    health = Health(POLICY, clock=Clock(datetime(2026, 12, 3, 11, tzinfo=UTC).timestamp()))
    def failed(task_id: str) -> Any:
        return CARD.read_task("evolink", {
            "id": task_id, "model": I2V, "status": "failed", "created": 1764759600,
            "object": "video.generation.task"})
    # one failed task polled five times: one failure, the circuit stays closed
    assert [health.record_task(failed("task-1")) for _ in range(5)] == \
        ["failed", None, None, None, None]
    status = health.status("evolink", I2V)
    assert (status.state, status.failed) == ("closed", 1)
    # the same id at another seller is another task
    other = CARD.read_task("kling3api", {"code": 200, "data": {
        "task_id": "task-1", "status": "FAILED", "created_at": "2026-12-03T10:00:00Z",
        "request": {"type": "pro-text-to-video", "prompt": "x"}}})
    assert health.record_task(other) == "failed"
    # three distinct failed tasks open it (failures=3)
    assert [health.record_task(failed(t)) for t in ("task-2", "task-3")] == \
        ["failed", "failed"]
    assert health.status("evolink", I2V).state == "open"


def test_the_task_ids_remembered_are_bounded() -> None:
    from ratecard.routing.health import TASKS_KEPT
    health = Health(HealthPolicy(CircuitPolicy(1000, 1.0, 1.0, 1, 1.0)), clock=Clock())
    def done(i: int) -> Any:
        return CARD.read_task("evolink", {"id": f"t{i}", "model": I2V, "status": "completed",
                                          "object": "video.generation.task"})
    for i in range(TASKS_KEPT + 1):
        assert health.record_task(done(i)) == "succeeded"
    assert health.record_task(done(TASKS_KEPT)) is None  # the newest is remembered
    assert health.record_task(done(0)) == "succeeded"  # the oldest was let go


@dataclass(frozen=True)
class Task:
    """A caller's own task record (what Health.record_task reads of one)."""

    provider: str
    model: str
    status: str
    created: datetime | None
    task_id: str


def test_memory_held_is_bounded_in_bytes_whatever_the_ids_and_names() -> None:
    """Task ids were kept whole (300 ids of 64 KiB held about 19 MiB; a seller's id has
    no length limit), and so were names of any length given to record()."""
    health = Health(HealthPolicy(CircuitPolicy(1000, 1.0, 1.0, 1, 1.0)), clock=Clock())
    health.record("evolink", I2V, "succeeded")  # the circuit exists before measuring
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(300):
            long_id = f"{i:06d}" + "x" * (64 * 1024)
            assert health.record_task(Task("evolink", I2V, "succeeded", None, long_id)) \
                == "succeeded"
            with contextlib.suppress(QuoteError):  # refused (next test); measured anyway
                health.record("evolink", long_id, "failed")
        del long_id
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held < 256 * 1024, held
    assert len(health) == 1
    assert health.status("evolink", I2V).succeeded == 301
    # a long id is still remembered: read again, it is not counted again
    again = Task("evolink", I2V, "succeeded", None, "000299" + "x" * (64 * 1024))
    assert health.record_task(again) is None


def test_a_name_longer_than_any_cards_is_refused_and_keeps_nothing() -> None:
    from pydantic import TypeAdapter, ValidationError

    from ratecard.cards.base import Identifier

    ids = TypeAdapter(Identifier)  # a card's provider and offering ids: at most 80
    ids.validate_python("p" * 80)
    with pytest.raises(ValidationError):
        ids.validate_python("p" * 81)
    health = Health(POLICY, clock=Clock())
    health.record("p" * 80, "m" * 80, "failed")  # the longest a card's id may be
    for provider, model, field in (("p" * 81, I2V, "provider"), ("evolink", "m" * 81, "model")):
        with pytest.raises(QuoteError) as caught:
            health.record(provider, model, "failed")
        assert (caught.value.code, caught.value.field) == ("INVALID_OUTCOME", field)
        assert "at most 80 characters" in str(caught.value)
    long_model = CARD.read_task("evolink", {"id": "t1", "model": "m" * 1000,
                                            "status": "failed"})
    with pytest.raises(QuoteError) as caught:
        health.record_task(long_model)
    assert caught.value.field == "model"
    assert len(health) == 1
    # the refused task was not claimed: the same id with a card's model is counted
    assert health.record_task(Task("evolink", I2V, "failed", None, "t1")) == "failed"


def test_tasks_are_told_apart_by_provider_and_id_whatever_they_hold() -> None:
    health = Health(HealthPolicy(CircuitPolicy(1000, 1.0, 1.0, 1, 1.0)), clock=Clock())
    tasks = [Task("ab", "m", "succeeded", None, "c"), Task("a", "m", "succeeded", None, "bc"),
             Task("a", "m", "succeeded", None, "b:c"), Task("a:b", "m", "succeeded", None, "c"),
             Task("a", "m", "succeeded", None, "\ud800"),
             Task("a", "m", "succeeded", None, "\ud801")]
    assert [health.record_task(t) for t in tasks] == ["succeeded"] * 6
    assert [health.record_task(t) for t in tasks] == [None] * 6


class NoOffset(tzinfo):
    """A tzinfo that does not know its offset: the datetime is naive all the same."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return None


@pytest.fixture(params=[("XST+05", 5 * 3600), ("YST-09", -9 * 3600)],
                ids=["5 h west of UTC", "9 h east of UTC"])
def local_time_not_utc(request: pytest.FixtureRequest,
                       monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    zone, west = request.param
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    assert time.timezone == west  # the zone took: local time is not UTC
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("local_time_not_utc")
@pytest.mark.parametrize("created", [
    datetime(2026, 3, 1, 12, 0),
    datetime(2026, 3, 1, 12, 0, tzinfo=NoOffset()),
    datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
], ids=["naive", "tzinfo with no offset", "UTC"])
@pytest.mark.parametrize("at", [
    datetime(2026, 3, 1, 12, 2),
    datetime(2026, 3, 1, 12, 2, tzinfo=NoOffset()),
    1772366520.0,  # 2026-03-01 12:02 UTC
], ids=["at naive", "at no offset", "at Unix time"])
def test_a_naive_time_is_utc_in_the_local_time_of_any_zone(created: datetime,
                                                          at: datetime | float) -> None:
    """record_task read a naive ``created`` as local time: 0.0 s (clamped) 5 h west of
    UTC, 9 h too much east of it."""
    health = Health(POLICY, clock=Clock())
    record = Task("evolink", I2V, "succeeded", created, "t1")
    assert health.record_task(record, at=at) == "succeeded"
    assert health.status("evolink", I2V, at=at).latency == 120.0


def test_threads_given_the_same_task_count_it_once() -> None:
    health = Health(HealthPolicy(CircuitPolicy(1000, 1.0, 1.0, 1, 1.0)), clock=Clock())
    records = [CARD.read_task("evolink", {"id": f"t{i}", "model": I2V, "status": "completed",
                                          "object": "video.generation.task"})
               for i in range(300)]
    recorded: list[str | None] = []
    def work() -> None:
        recorded.extend(health.record_task(r) for r in records)
    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert recorded.count("succeeded") == 300
    assert recorded.count(None) == 1500
    assert health.status("evolink", I2V).succeeded == 300


def test_bad_arguments_are_refused_with_codes() -> None:
    health = Health(POLICY, clock=Clock())
    bad_calls: list[dict[str, Any]] = [
        {"outcome": "ok"}, {"outcome": "failed", "at": "noon"},
        {"outcome": "failed", "latency": -1}, {"outcome": "failed", "at": float("nan")}]
    for bad in bad_calls:
        with pytest.raises(QuoteError) as caught:
            health.record("evolink", I2V, **bad)
        assert caught.value.code == "INVALID_OUTCOME"
    with pytest.raises(QuoteError) as caught:
        CircuitPolicy(failures=0, window=1, cooldown=1, probes=1, probe_timeout=1)
    assert caught.value.code == "INVALID_HEALTH"
    with pytest.raises(QuoteError) as caught:
        CARD.route(NEED, health="evolink is down")  # type: ignore[arg-type]
    assert caught.value.code == "INVALID_HEALTH"


@pytest.mark.parametrize("clock", [lambda: None, lambda: float("nan"), lambda: "noon"],
                         ids=["None", "NaN", "text"])
def test_a_bad_clock_is_blamed_on_the_clock_by_every_method(clock: Any) -> None:
    """record said "at must be ..." although no at= was given."""
    health = Health(POLICY, clock=clock)
    calls: list[Any] = [lambda: health.record("evolink", I2V, "failed"),
                        lambda: health.record_task(Task("evolink", I2V, "failed", None, "t")),
                        lambda: health.admit("evolink", I2V),
                        lambda: health.status("evolink", I2V)]
    for call in calls:
        with pytest.raises(QuoteError) as caught:
            call()
        assert (caught.value.code, caught.value.field) == ("INVALID_OUTCOME", "clock()")
        assert str(caught.value).startswith("clock() must be a finite number of seconds")
    assert len(health) == 0


@pytest.mark.parametrize("call", [
    lambda h: h.record(None, I2V, "failed"),
    lambda h: h.record("evolink", [I2V], "failed"),
    lambda h: h.record("evolink", None, "succeeded"),
    lambda h: h.record_task(None),
    lambda h: h.record_task({"status": "failed", "model": I2V}),
    lambda h: h.admit(None, I2V),
    lambda h: h.admit("evolink", 5),
    lambda h: h.status(5, 6),
    # float() of these raised OverflowError / ValueError
    lambda h: h.record("evolink", I2V, "failed", at=10**400),
    lambda h: h.record("evolink", I2V, "failed", latency=10**400),
    lambda h: h.record("evolink", I2V, "failed", at=Decimal("sNaN")),
    lambda h: h.admit("evolink", I2V, at=-10**400),
    lambda h: h.status("evolink", I2V, at=Decimal("sNaN")),
], ids=["record provider None", "record model a list", "record model None",
        "record_task None", "record_task a dict", "admit provider None", "admit model 5",
        "status of numbers", "record at 10**400", "record latency 10**400",
        "record at sNaN", "admit at -10**400", "status at sNaN"])
def test_a_wrong_python_type_is_an_outcome_error_not_a_crash(call: Any) -> None:
    """A TypeError (unhashable), AttributeError, or a circuit for ``None`` slipped
    through before."""
    health = Health(POLICY, clock=Clock())
    with pytest.raises(QuoteError) as caught:
        call(health)
    assert caught.value.code == "INVALID_OUTCOME"
    assert len(health) == 0


GOOD = POLICY.default


@pytest.mark.parametrize(("make", "field", "said"), [
    (lambda: HealthPolicy({"failures": 2, "window": 60, "cooldown": 30, "probes": 1,
                           "probe_timeout": 300}),  # type: ignore[arg-type]
     "default", "default must be a CircuitPolicy, not dict {'cooldown': 30, 'failures': 2"),
    (lambda: HealthPolicy(None),  # type: ignore[arg-type]
     "default", "default must be a CircuitPolicy, not NoneType None"),
    (lambda: HealthPolicy(GOOD, sellers=["evolink"]),  # type: ignore[arg-type]
     "sellers", "sellers must be a mapping of provider ids to CircuitPolicy, not list "
     "['evolink']"),
    (lambda: HealthPolicy(GOOD, sellers=None),  # type: ignore[arg-type]
     "sellers", "sellers must be a mapping of provider ids to CircuitPolicy, not NoneType"),
    (lambda: HealthPolicy(GOOD, sellers={"evolink": {"failures": 1}}),  # type: ignore[dict-item]
     "sellers", "sellers['evolink'] must be a CircuitPolicy, not dict {'failures': 1}"),
    (lambda: HealthPolicy(GOOD, sellers={5: GOOD}),  # type: ignore[dict-item]
     "sellers", "sellers: a provider id must be text, not int 5"),
], ids=["default a dict", "default None", "sellers a list", "sellers None",
        "a seller's policy a dict", "a seller's id a number"])
def test_a_policy_of_the_wrong_types_is_refused_when_made(
        make: Any, field: str, said: str) -> None:
    """Each was accepted, then failed with a raw AttributeError at the first record,
    status or route(health=...) (the int seller id was kept in silence)."""
    with pytest.raises(QuoteError) as caught:
        make()
    assert (caught.value.code, caught.value.field) == ("INVALID_HEALTH", field)
    assert said in str(caught.value)


def test_a_policy_keeps_its_own_copy_of_the_sellers() -> None:
    """The caller's dict, changed after the checks, changed the policy past them."""
    sellers = {"evolink": GOOD}
    policy = HealthPolicy(GOOD, sellers=sellers)
    sellers["evolink"] = {"failures": 1}  # type: ignore[assignment]
    sellers["fal"] = None  # type: ignore[assignment]
    assert policy.for_seller("evolink") is GOOD
    assert policy.for_seller("fal") is GOOD


@pytest.mark.parametrize(("written", "said"), [
    ("probes: true", "defaults.probes: Input should be a valid integer"),
    ("probes: 1.0", "defaults.probes: Input should be a valid integer"),
    ("probes: '1'", "defaults.probes: Input should be a valid integer"),
    ("failures: 2.5", "defaults.failures: Input should be a valid integer"),
])
def test_a_count_of_the_policy_is_written_as_a_whole_number(
        tmp_path: Path, written: str, said: str) -> None:
    """``probes: true`` was read as 1 and ``failures: 2.5`` as 2."""
    path = tmp_path / "policy.yaml"
    counts = {"failures: 5": "failures", "probes: 1": "probes"}
    text = ("defaults:\n  failures: 5\n  window_seconds: 300\n  cooldown_seconds: 120\n"
            "  probes: 1\n  probe_timeout_seconds: 600\n"
            "  source: {document: x, checked_on: 2026-12-03, basis: inferred}\n")
    key = written.split(":")[0]
    original = next(line for line in counts if counts[line] == key)
    path.write_text(text.replace(original, written))
    with pytest.raises(CardError) as caught:
        ratecard.load_health_policy(path)
    assert said in str(caught.value)
    assert caught.value.what == "health policy"


def test_the_command_line_calls_a_bad_policy_a_health_policy(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ratecard.cards.health import builtin_policy_path
    from ratecard.cli import main

    outcomes = tmp_path / "outcomes.jsonl"
    outcomes.write_text("")
    policy = tmp_path / "policy.yaml"
    policy.write_text("defaults: [1]\n")
    argv = ["route", "--family", "kling-3.0", "--mode", "image-to-video", "--duration", "5",
            "--outcomes", str(outcomes), "--now", "1700000000", "--health-policy",
            str(policy)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"ratecard: error: invalid health policy: {policy}:1: defaults:")
    builtin = builtin_policy_path().read_text(encoding="utf-8")
    policy.write_text(builtin.replace("sellers: {}", "sellers:\n  evolnk:\n    probes: 2\n"
                                      "    source: {document: x, checked_on: 2026-12-03, "
                                      "basis: inferred}"))
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "sellers evolnk are not providers of the cards" in err


def test_memory_is_bounded_forgetting_closed_circuits_first() -> None:
    clock = Clock()
    health = Health(POLICY, clock=clock, max_circuits=3)
    for _ in range(3):
        health.record("evolink", I2V, "failed")  # open: kept
    for n in range(10):
        health.record("fal", f"m{n}", "succeeded")
    assert len(health) == 3
    assert health.status("evolink", I2V).state == "open"
    assert [s.model for s in health.statuses()] == [I2V, "m8", "m9"]


def test_threads_lose_no_outcome() -> None:
    health = Health(HealthPolicy(CircuitPolicy(1000, 1.0, 1.0, 1, 1.0)), clock=Clock())
    def work(n: int) -> None:
        for i in range(2000):
            health.record("evolink", I2V, "succeeded" if i % 2 else "timed_out",
                          latency=n, at=i)
    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    status = health.status("evolink", I2V, at=0)
    assert (status.succeeded, status.timed_out) == (8000, 8000)


# ------------------------------------------------------------------ routing with health

def test_an_open_circuit_is_unhealthy_with_its_retry_time() -> None:
    clock = Clock()
    health = tripped(clock)
    route = CARD.route(NEED, health=health)
    assert route.head is not None
    assert (route.head.provider, route.head.usd) == ("comfy", Decimal("1.680000"))
    (excluded,) = [e for e in route.exclusions if e.provider == "evolink"]
    assert (excluded.code, excluded.model, excluded.retry_at) == ("UNHEALTHY", I2V,
                                                                  clock.now + 30)
    assert "may be probed in 30 s" in excluded.message
    assert route.health_at == clock.now
    assert route.to_dict()["excluded"][[e.provider for e in route.exclusions]
                                       .index("evolink")]["retry_at"] == clock.now + 30


def test_a_half_open_circuit_is_offered_for_its_probe_only() -> None:
    clock = Clock()
    health = tripped(clock)
    clock.now += 30
    route = CARD.route(NEED, health=health)
    assert route.head is not None
    assert (route.head.provider, route.head.probe) == ("evolink", True)
    assert route.head.credits == Decimal("10.8") * 10
    assert not any(c.probe for c in route.chain[1:])
    assert health.admit("evolink", I2V)
    route = CARD.route(NEED, health=health)
    assert route.head is not None
    assert route.head.provider == "comfy"
    (excluded,) = [e for e in route.exclusions if e.provider == "evolink"]
    assert excluded.code == "UNHEALTHY"
    assert excluded.retry_at == clock.now + 300
    health.record("evolink", I2V, "succeeded", latency=170)
    route = CARD.route(NEED, health=health)
    assert route.head is not None
    assert (route.head.provider, route.head.probe) == ("evolink", False)


def test_health_beside_down() -> None:
    clock = Clock()
    health = tripped(clock)
    route = CARD.route(NEED, health=health, down=["comfy"])
    codes = {e.provider: e.code for e in route.exclusions if e.model is not None}
    assert (codes["evolink"], codes["comfy"]) == ("UNHEALTHY", "DOWN")
    assert route.head is not None
    assert route.head.provider == "fal"


def test_a_health_that_saw_nothing_changes_no_route() -> None:
    health = Health(POLICY, clock=Clock())
    health.record("fal", "v3-pro-image-to-video", "succeeded")
    for need in (NEED, Need(family="kling-o3", mode="video-edit", input_seconds=7)):
        plain_route = CARD.route(need, deny=["krea"], allow=None).to_dict()
        healthy = CARD.route(need, deny=["krea"], health=health).to_dict()
        assert healthy.pop("health_at") == 1000.0
        plain_route.pop("health_at")
        assert healthy == plain_route


def test_the_policy_file_schema_is_committed_and_every_key_documented() -> None:
    from ratecard.cards.health import CircuitDefaults, builtin_policy_path, json_schema

    folder = builtin_policy_path().parent
    assert (folder / ".schema.json").read_text(encoding="utf-8") == json_schema(), \
        "run: python -m ratecard.cards.health > pricing_tables/health/.schema.json"
    assert builtin_policy_path().read_text().startswith(
        "# yaml-language-server: $schema=./.schema.json\n")
    readme = (folder.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Health policy", 1)[1]
    for key in CircuitDefaults.model_fields:
        assert f"| `{key}` |" in section, key
