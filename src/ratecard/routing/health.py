"""What a gateway has seen of each seller lately: one circuit per seller x model.

:class:`Health` is fed the outcome of every attempt (``succeeded``, ``failed``,
``timed_out``, with its latency and time), directly or from task records, and keeps a
circuit per seller and model:

- **closed**: routed to. ``failures`` failures within ``window`` seconds open it.
- **open**: excluded (``UNHEALTHY``, with the time it may be retried) for ``cooldown``
  seconds after it opened. An outcome that arrives while it is open (a job sent before it
  opened) is counted, and changes nothing.
- **half-open**: once the cool-down is over, offered for at most ``probes`` attempts at a
  time. A gateway takes a probe with :meth:`Health.admit` before it sends; a probe with no
  outcome after ``probe_timeout`` seconds frees its place. The next success closes the
  circuit; the next failure or time-out opens it again for another cool-down.

The policy (those five numbers, with defaults and per-seller overrides) is data:
``pricing_tables/health/policy.yaml``, read by :func:`ratecard.load_health_policy` into
the plain :class:`HealthPolicy` below. Time comes only from the clock given to
:class:`Health` (or an ``at=`` argument), never from the system implicitly, so the same
outcomes recorded in the same order at the same times always give the same answers. A
circuit never moves back in time: an outcome or probe dated before the latest one it has
seen counts at that latest time (a clock stepped back, or threads that read the clock
before taking the lock), and looking at a circuit (:meth:`Health.status` at any time)
changes nothing. Record in time order for answers that do not depend on arrival order
(``ratecard route --outcomes`` sorts by time first). One lock guards every circuit;
memory is bounded in bytes, whatever the names and ids given: at most ``max_circuits``
circuits, each named by a provider and model of at most :data:`NAME_CHARS` characters
(longer ones are refused: no card's provider or offering is longer), and in each at
most ``failures`` failure times, ``probes`` probe times and :data:`LATENCIES` latencies;
and the last :data:`TASKS_KEPT` tasks recorded (a task is counted once), each kept as a
16-byte digest of its provider and id, not the id itself.

>>> now = [0.0]
>>> policy = HealthPolicy(CircuitPolicy(failures=2, window=60, cooldown=30, probes=1,
...                                     probe_timeout=300))
>>> health = Health(policy, clock=lambda: now[0])
>>> health.record("evolink", "kling-v3-image-to-video", "failed", at=1)
>>> health.record("evolink", "kling-v3-image-to-video", "timed_out", latency=600, at=2)
>>> health.status("evolink", "kling-v3-image-to-video").state
'open'
>>> now[0] = 40.0
>>> health.admit("evolink", "kling-v3-image-to-video"), health.admit(
...     "evolink", "kling-v3-image-to-video")
(True, False)
>>> health.record("evolink", "kling-v3-image-to-video", "succeeded", latency=170)
>>> health.status("evolink", "kling-v3-image-to-video").state
'closed'
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from statistics import median
from typing import Any, Protocol

from ratecard.errors import QuoteError, brief
from ratecard.pricing.provenance import Origin
from ratecard.vocabulary import OUTCOMES, TASK_OUTCOMES

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"
"""The circuit states (:data:`ratecard.vocabulary.CIRCUIT_STATES`)."""

LATENCIES = 32
"""Latencies kept per circuit (the most recent), for :attr:`CircuitStatus.latency`."""

TASKS_KEPT = 4096
"""Tasks :meth:`Health.record_task` remembers (the most recent), so that a task record
read again (a status polled twice, a log with repeats) is not counted twice. Each is kept
as a 16-byte BLAKE2b digest of its provider and task id, whatever the id's length (a
seller's id has no limit): two different tasks share a digest with a probability of
about 2**-128 per pair, and then the second would be taken for the first and not
counted."""

NAME_CHARS = 80
"""Longest provider or model name :meth:`Health.record` keeps a circuit for, in
characters: a rate card's provider and offering ids are at most 80 (so ``route`` never
reads a longer one), and a name is held as long as its circuit is."""

MAX_CIRCUITS = 4096
"""Default bound on the circuits one :class:`Health` keeps (the built-in cards have fewer
than 50 offerings)."""

_FAR = 1e15
"""Seconds beyond which a time or latency is refused (30 million years)."""

Clock = Callable[[], float]
"""Seconds on one steady scale: ``time.monotonic`` or ``time.time`` (use the latter to
feed task records, whose times are wall-clock), or a simulation's clock."""

TimeArg = float | int | Decimal | datetime
"""A time: seconds on the clock's scale, or a datetime (its Unix time; naive is UTC)."""


@dataclass(frozen=True, slots=True)
class CircuitPolicy:
    """When a seller x model circuit opens, how long it stays open, how it is probed."""

    failures: int
    """Failures (or time-outs) within :attr:`window` that open the circuit."""
    window: float
    """Seconds: failures older than this no longer count."""
    cooldown: float
    """Seconds the circuit stays open before it may be probed."""
    probes: int
    """Attempts allowed at a time while half-open."""
    probe_timeout: float
    """Seconds after which a probe with no outcome frees its place."""
    origin: Origin | None = field(default=None, compare=False)
    """Where these numbers come from (the policy file's ``source``)."""

    def __post_init__(self) -> None:
        for name in ("failures", "probes"):
            value = getattr(self, name)
            if type(value) is not int or not 1 <= value <= 1000:
                raise QuoteError("INVALID_HEALTH", f"{name} must be a whole number from 1 "
                                 f"to 1000, not {brief(value)}", name)
        for name in ("window", "cooldown", "probe_timeout"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or isinstance(value, bool) or \
                    not 0 < value < 1e9:
                raise QuoteError("INVALID_HEALTH", f"{name} must be a number of seconds "
                                 f"above 0, not {brief(value)}", name)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {"failures": self.failures, "window_seconds": self.window,
                "cooldown_seconds": self.cooldown, "probes": self.probes,
                "probe_timeout_seconds": self.probe_timeout,
                "source": None if self.origin is None else self.origin.to_dict()}


@dataclass(frozen=True)
class HealthPolicy:
    """The circuit policy of every seller: a default, and per-seller overrides. Checked
    when made: a default or override that is no :class:`CircuitPolicy`, or sellers that
    are no mapping of provider ids, is ``INVALID_HEALTH`` naming the field."""

    default: CircuitPolicy
    sellers: Mapping[str, CircuitPolicy] = field(default_factory=dict)
    """Overrides by provider id (each a whole policy: the file's override merged over
    the defaults)."""
    file: str | None = None
    """The policy file it was read from."""

    def __post_init__(self) -> None:
        default, sellers = self.default, self.sellers
        if not isinstance(default, CircuitPolicy):
            raise QuoteError("INVALID_HEALTH", f"default must be a CircuitPolicy, not "
                             f"{type(default).__name__} {brief(default)}", "default")
        if not isinstance(sellers, Mapping):
            raise QuoteError("INVALID_HEALTH", f"sellers must be a mapping of provider ids "
                             f"to CircuitPolicy, not {type(sellers).__name__} "
                             f"{brief(sellers)}", "sellers")
        for seller, policy in sellers.items():
            if type(seller) is not str:
                raise QuoteError("INVALID_HEALTH", f"sellers: a provider id must be text, "
                                 f"not {type(seller).__name__} {brief(seller)}", "sellers")
            if not isinstance(policy, CircuitPolicy):
                raise QuoteError("INVALID_HEALTH", f"sellers[{brief(seller)}] must be a "
                                 f"CircuitPolicy, not {type(policy).__name__} "
                                 f"{brief(policy)}", "sellers")
        # a copy: the caller's mapping, changed later, would bypass these checks
        object.__setattr__(self, "sellers", dict(sellers))

    def for_seller(self, provider: str) -> CircuitPolicy:
        """The policy of ``provider``'s circuits."""
        return self.sellers.get(provider, self.default)


class TaskLike(Protocol):
    """What :meth:`Health.record_task` reads of a task record
    (:class:`ratecard.TaskRecord`, from :meth:`ratecard.Catalog.read_task`)."""

    @property
    def provider(self) -> str: ...
    @property
    def model(self) -> str | None: ...
    @property
    def status(self) -> str: ...
    @property
    def created(self) -> datetime | None: ...


@dataclass(frozen=True, slots=True)
class CircuitStatus:
    """One circuit as seen at a time."""

    provider: str
    model: str
    state: str
    """``closed``, ``open`` or ``half_open``."""
    at: float
    """The time it was seen at."""
    retry_at: float | None
    """Open: when the cool-down ends. Half-open with no probe free: when the oldest probe
    times out. Otherwise ``None``."""
    failures_in_window: int
    probes_in_flight: int
    probes_left: int | None
    """Half-open: probes that may still be sent; otherwise ``None``."""
    succeeded: int
    failed: int
    timed_out: int
    opened: int
    """How many times the circuit opened."""
    latency: float | None
    """Median of the recent latencies recorded (seconds)."""
    policy: CircuitPolicy = field(repr=False)

    @property
    def routable(self) -> bool:
        """Whether ``route`` offers it: closed, or half-open with a probe free."""
        return self.state == CLOSED or (self.state == HALF_OPEN and bool(self.probes_left))

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {"provider": self.provider, "model": self.model, "state": self.state,
                "at": self.at, "retry_at": self.retry_at,
                "failures_in_window": self.failures_in_window,
                "probes_in_flight": self.probes_in_flight, "probes_left": self.probes_left,
                "succeeded": self.succeeded, "failed": self.failed,
                "timed_out": self.timed_out, "opened": self.opened,
                "latency": self.latency, "policy": self.policy.to_dict()}


CircuitView = tuple[str, float | None, int | None, int]
"""A circuit as routing reads it: (state, retry_at, probes_left, probes_in_flight)."""

_NEVER_SEEN: CircuitView = (CLOSED, None, None, 0)


class _Circuit:
    """One seller x model: its state and bounded history (guarded by the Health's lock)."""

    __slots__ = ("counts", "failures", "last", "latencies", "opened", "policy", "probes",
                 "retry_at", "state")

    def __init__(self, policy: CircuitPolicy) -> None:
        self.policy = policy
        self.state = CLOSED
        self.failures: deque[float] = deque(maxlen=policy.failures)
        self.probes: deque[float] = deque(maxlen=policy.probes)
        self.latencies: deque[float] = deque(maxlen=LATENCIES)
        self.retry_at = 0.0
        self.last = -math.inf
        """The latest time recorded or admitted at: the circuit never moves back."""
        self.counts = [0, 0, 0]  # succeeded, failed, timed_out
        self.opened = 0

    def tick(self, now: float) -> float:
        """Move the circuit to ``now`` (never back: an earlier time counts as the latest
        one seen) and return that time: an open circuit whose cool-down is over becomes
        half-open, and a half-open one frees the places of probes that timed out."""
        if now < self.last:
            now = self.last
        else:
            self.last = now
        if self.state is OPEN and now >= self.retry_at:
            self.state = HALF_OPEN
            self.probes.clear()
        if self.state is HALF_OPEN:
            probes, timeout = self.probes, self.policy.probe_timeout
            while probes and now - probes[0] >= timeout:
                probes.popleft()
        return now

    def record(self, failed: bool, kind: int, now: float, latency: float | None) -> None:
        self.counts[kind] += 1
        if latency is not None:
            self.latencies.append(latency)
        now = self.tick(now)
        state = self.state
        if state is CLOSED:
            if failed:
                failures = self.failures
                failures.append(now)
                if len(failures) == self.policy.failures and \
                        now - failures[0] < self.policy.window:
                    self._open(now)
        elif state is HALF_OPEN:
            if failed:
                self._open(now)
            else:
                self.state = CLOSED
                self.failures.clear()
                self.probes.clear()

    def _open(self, now: float) -> None:
        self.state = OPEN
        self.retry_at = now + self.policy.cooldown
        self.opened += 1
        self.failures.clear()
        self.probes.clear()

    def admit(self, now: float) -> bool:
        self.tick(now)
        state = self.state
        if state is CLOSED:
            return True
        if state is OPEN or len(self.probes) >= self.policy.probes:
            return False
        self.probes.append(self.last)
        return True

    def view(self, now: float) -> CircuitView:
        """The circuit at ``now`` (or at the latest time seen, when ``now`` is earlier),
        changing nothing: a look at any time leaves every later answer as it was."""
        if now < self.last:
            now = self.last
        state = self.state
        if state is OPEN:
            if now < self.retry_at:
                return state, self.retry_at, None, 0
            return HALF_OPEN, None, self.policy.probes, 0
        if state is HALF_OPEN:
            timeout = self.policy.probe_timeout
            live = [t for t in self.probes if now - t < timeout]
            left = self.policy.probes - len(live)
            return state, (None if left else live[0] + timeout), left, len(live)
        return state, None, None, 0


_KINDS: Mapping[str, tuple[bool, int]] = {
    name: (failed, index) for index, (name, failed) in enumerate(OUTCOMES.items())}
"""Outcome word -> (a failure?, its counter)."""


class Health:
    """Circuits per seller x model, fed with outcomes (see the module's documentation).

    ``clock`` gives the time in seconds whenever a method is called without ``at=``; it
    is required: Health never reads the system's time by itself. Thread-safe.
    """

    __slots__ = ("_circuits", "_clock", "_lock", "_max", "_tasks", "policy")

    def __init__(self, policy: HealthPolicy, *, clock: Clock,
                 max_circuits: int = MAX_CIRCUITS) -> None:
        if not isinstance(policy, HealthPolicy):
            raise QuoteError("INVALID_HEALTH", f"policy must be a HealthPolicy (see "
                             f"ratecard.load_health_policy), not {type(policy).__name__}",
                             "policy")
        if not callable(clock):
            raise QuoteError("INVALID_HEALTH", "clock must be a function returning "
                             "seconds, such as time.monotonic", "clock")
        if type(max_circuits) is not int or max_circuits < 1:
            raise QuoteError("INVALID_HEALTH", f"max_circuits must be a whole number >= 1, "
                             f"not {brief(max_circuits)}", "max_circuits")
        self.policy = policy
        """The policy every circuit follows."""
        self._clock = clock
        self._max = max_circuits
        self._lock = threading.Lock()
        self._circuits: OrderedDict[tuple[str, str], _Circuit] = OrderedDict()
        self._tasks: OrderedDict[bytes, None] = OrderedDict()

    def now(self) -> float:
        """The clock's time."""
        return _seconds(self._clock(), "clock()")

    def __len__(self) -> int:
        """How many circuits are kept."""
        return len(self._circuits)

    def record(self, provider: str, model: str, outcome: str, *,
               latency: float | int | Decimal | None = None,
               at: TimeArg | None = None) -> None:
        """Record one attempt's ``outcome`` (``succeeded``, ``failed`` or ``timed_out``)
        at ``provider``'s ``model``, at time ``at`` (default: the clock), with its
        ``latency`` in seconds (kept for :attr:`CircuitStatus.latency`)."""
        kind = _KINDS.get(outcome) if type(outcome) is str else None
        if kind is None:
            raise QuoteError("INVALID_OUTCOME", f"outcome must be one of "
                             f"{', '.join(OUTCOMES)}, not {brief(outcome)}", "outcome")
        if type(provider) is not str or type(model) is not str or \
                len(provider) > NAME_CHARS or len(model) > NAME_CHARS:
            _names(provider, model, kept=True)
        now = self._clock() if at is None else at
        if type(now) is not float or not -_FAR < now < _FAR:  # NaN and inf fail too
            now = _seconds(now, "clock()" if at is None else "at")
        if latency is not None and (type(latency) is not float or not 0 <= latency < _FAR):
            latency = checked_latency(latency)
        key = (provider, model)
        with self._lock:
            circuit = self._circuits.get(key)
            if circuit is None:
                circuit = self._new(key)
            else:
                self._circuits.move_to_end(key)
            circuit.record(kind[0], kind[1], now, latency)

    def record_task(self, record: TaskLike, *, at: TimeArg | None = None,
                    latency: float | int | Decimal | None = None) -> str | None:
        """Record what a task record says of its seller: ``succeeded`` or ``failed``
        (a pending, running, cancelled or unknown task says nothing yet: ``None``, nothing
        recorded). A task is counted once: the same seller's task id seen again (among the
        last :data:`TASKS_KEPT`) records nothing and returns ``None``. ``at`` is when the
        outcome was seen (default: the clock); the latency defaults to ``at`` minus the
        task's creation time when the record gives one (then the clock must be Unix time).
        Returns the outcome recorded."""
        try:
            status, model, created = record.status, record.model, record.created
            provider = record.provider
        except AttributeError:
            raise QuoteError("INVALID_OUTCOME", "record must be a task record (see "
                             f"ratecard.Catalog.read_task), not {type(record).__name__}",
                             "record") from None
        outcome = TASK_OUTCOMES.get(status) if type(status) is str else None
        if outcome is None or model is None:
            return None
        if created is not None and not isinstance(created, datetime):
            raise QuoteError("INVALID_OUTCOME", f"record.created must be a datetime, not "
                             f"{type(created).__name__}", "record")
        now = self.now() if at is None else _seconds(at, "at")
        if latency is None and created is not None:
            latency = max(0.0, now - _seconds(created, "record.created"))  # naive is UTC
        elif latency is not None:
            latency = checked_latency(latency)
        _names(provider, model, kept=True)  # before the task is claimed
        task_id = getattr(record, "task_id", None)
        if type(task_id) is str:
            # claimed before recording: of two threads given the same task, one counts it
            key = task_key(provider, task_id)
            with self._lock:
                if key in self._tasks:
                    return None
                self._tasks[key] = None
                if len(self._tasks) > TASKS_KEPT:
                    self._tasks.popitem(last=False)
        self.record(provider, model, outcome, latency=latency, at=now)
        return outcome

    def admit(self, provider: str, model: str, *, at: TimeArg | None = None) -> bool:
        """Whether an attempt may be sent to ``provider``'s ``model`` now, taking a probe
        when the circuit is half-open: call it just before sending. ``True`` when closed;
        ``False`` when open, or half-open with every probe in flight."""
        now = self.now() if at is None else _seconds(at, "at")
        _names(provider, model)
        key = (provider, model)
        with self._lock:
            circuit = self._circuits.get(key)
            if circuit is None:
                return True
            self._circuits.move_to_end(key)
            return circuit.admit(now)

    def view(self, provider: str, model: str, now: float) -> CircuitView:
        """A circuit at ``now``, for routing, changing nothing: a circuit never recorded
        is closed (and is not created)."""
        with self._lock:
            circuit = self._circuits.get((provider, model))
            return _NEVER_SEEN if circuit is None else circuit.view(now)

    def views(self, keys: list[tuple[str, str]], now: float) -> list[CircuitView]:
        """:meth:`view` of several (provider, model) circuits under one lock."""
        closed = _NEVER_SEEN
        with self._lock:
            circuits = self._circuits
            return [closed if (c := circuits.get(key)) is None else c.view(now)
                    for key in keys]

    def status(self, provider: str, model: str, *, at: TimeArg | None = None) -> CircuitStatus:
        """The circuit of ``provider``'s ``model`` at ``at`` (default: the clock)."""
        now = self.now() if at is None else _seconds(at, "at")
        _names(provider, model)
        with self._lock:
            circuit = self._circuits.get((provider, model))
            if circuit is None:
                circuit = _Circuit(self.policy.for_seller(provider))
            return _status(provider, model, circuit, now)

    def statuses(self, *, at: TimeArg | None = None) -> tuple[CircuitStatus, ...]:
        """Every circuit kept, sorted by provider and model."""
        now = self.now() if at is None else _seconds(at, "at")
        with self._lock:
            return tuple(_status(p, m, c, now) for (p, m), c in sorted(self._circuits.items()))

    def _new(self, key: tuple[str, str]) -> _Circuit:
        """A new closed circuit; past the bound, the least recently used closed circuit
        is forgotten (else the least recently used one). Called under the lock."""
        circuits = self._circuits
        if len(circuits) >= self._max:
            victim = next((k for k, c in circuits.items() if c.state is CLOSED),
                          next(iter(circuits)))
            del circuits[victim]
        circuit = circuits[key] = _Circuit(self.policy.for_seller(key[0]))
        return circuit


def _status(provider: str, model: str, circuit: _Circuit, now: float) -> CircuitStatus:
    state, retry, left, in_flight = circuit.view(now)
    window = circuit.policy.window
    seen = max(now, circuit.last)
    recent = sum(1 for t in circuit.failures if seen - t < window)
    latencies = circuit.latencies
    return CircuitStatus(
        provider, model, state, now, retry, recent, in_flight, left,
        circuit.counts[0], circuit.counts[1], circuit.counts[2], circuit.opened,
        median(latencies) if latencies else None, circuit.policy)


def _names(provider: object, model: object, *, kept: bool = False) -> None:
    """Refuse a provider or model that is not text, or (``kept``: names a circuit is kept
    under) is longer than :data:`NAME_CHARS` characters (``INVALID_OUTCOME``)."""
    for what, value in (("provider", provider), ("model", model)):
        if type(value) is not str:
            raise QuoteError("INVALID_OUTCOME", f"{what} must be text, not "
                             f"{type(value).__name__} {brief(value)}", what)
        if kept and len(value) > NAME_CHARS:
            raise QuoteError("INVALID_OUTCOME", f"{what} must be at most {NAME_CHARS} "
                             f"characters (no rate card's {what} is longer), not "
                             f"{len(value)}: {brief(value)}", what)


def task_key(provider: str, task_id: str) -> bytes:
    """What :meth:`Health.record_task` remembers of a task: 16 bytes, whatever the id's
    length (see :data:`TASKS_KEPT`). The provider's length comes first, so no provider
    and id run into another pair's; a lone surrogate is hashed as it is."""
    text = f"{len(provider)}:{provider}{task_id}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=16).digest()


def checked_latency(value: object) -> float:
    """A latency as float seconds: a finite number from 0, or ``INVALID_OUTCOME``.

    >>> checked_latency(2), checked_latency(Decimal("1.5"))
    (2.0, 1.5)
    >>> checked_latency(-1)
    Traceback (most recent call last):
    ...
    ratecard.errors.QuoteError: latency must be a finite number of seconds >= 0, not int -1
    """
    return _seconds(value, "latency")


def _seconds(value: object, what: str) -> float:
    """A time or duration as float seconds; anything else is ``INVALID_OUTCOME``."""
    if isinstance(value, datetime):  # naive (no tzinfo, or one with no offset) is UTC
        moment = value if value.utcoffset() is not None else value.replace(tzinfo=UTC)
        return moment.timestamp()
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        try:
            seconds = float(value)
        except (OverflowError, ValueError):  # 10**400; a signalling NaN
            seconds = math.nan
        if math.isfinite(seconds) and abs(seconds) < _FAR and \
                (what != "latency" or seconds >= 0):
            return seconds
    shown = brief(value)  # an integer of 1329 bits says its type itself
    if not shown.startswith("an integer"):
        shown = f"{type(value).__name__} {shown}"
    raise QuoteError("INVALID_OUTCOME", f"{what} must be a finite number of seconds"
                     f"{' >= 0' if what == 'latency' else ' or a datetime'}, not {shown}",
                     what)
