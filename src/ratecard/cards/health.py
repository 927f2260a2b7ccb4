"""The health policy file: when a seller's circuit opens, and how it is probed again.

``pricing_tables/health/policy.yaml`` (the built-in one) declares the numbers every seller
x model circuit of :class:`ratecard.Health` follows, with defaults and per-seller
overrides, each with its source. It is read like a rate card (YAML 1.2 scalars, numbers as
Decimal, errors with ``file:line``), validated by the strict models below, and compiled
into the plain :class:`~ratecard.routing.health.HealthPolicy` the runtime uses: nothing
under ``routing`` imports this module, pydantic or YAML. Its JSON Schema is committed as
``pricing_tables/health/.schema.json`` (``python -m ratecard.cards.health``).

>>> policy = load_health_policy()
>>> p = policy.default
>>> p.failures, p.window, p.cooldown, p.probes, p.probe_timeout
(5, 300.0, 120.0, 1, 600.0)
>>> p.origin.basis
'inferred'
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError

from ratecard.cards.base import Identifier, PositiveDecimal, Source, Strict
from ratecard.cards.compiler import origin
from ratecard.cards.loader import decode_card, parse_yaml, problems_from, read_card_bytes
from ratecard.cards.paths import builtin_dir
from ratecard.errors import CardError, CardProblem
from ratecard.routing.health import CircuitPolicy, HealthPolicy

Count = Annotated[int, Field(strict=True, ge=1, le=1000)]
"""A whole number of failures or probes, written as one: ``true``, ``5.0`` and ``"5"`` are
refused, not read as 1 and 5."""


class CircuitDefaults(Strict):
    """The policy of every seller's circuits, unless the seller overrides it."""

    failures: Count
    """Failures (or time-outs) within ``window_seconds`` that open a circuit."""
    window_seconds: PositiveDecimal
    """Seconds within which ``failures`` failures open the circuit."""
    cooldown_seconds: PositiveDecimal
    """Seconds an open circuit stays open before it may be probed (half-open)."""
    probes: Count
    """Attempts allowed at a time while half-open; the next success closes the circuit,
    the next failure opens it again."""
    probe_timeout_seconds: PositiveDecimal
    """Seconds after which a probe with no outcome frees its place."""
    source: Source
    """Where the numbers come from (``inferred`` with a note when they are an
    assumption)."""


class CircuitOverride(Strict):
    """A seller's own numbers: any of the defaults' keys, and the source of them."""

    failures: Count | None = None
    window_seconds: PositiveDecimal | None = None
    cooldown_seconds: PositiveDecimal | None = None
    probes: Count | None = None
    probe_timeout_seconds: PositiveDecimal | None = None
    source: Source
    """Where the seller's numbers come from."""


class HealthFile(Strict):
    """A health policy file."""

    defaults: CircuitDefaults
    sellers: dict[Identifier, CircuitOverride] = Field(default_factory=dict)
    """Per-seller overrides, by provider id; keys not given take the defaults."""


def builtin_policy_path() -> Path:
    """The built-in health policy file."""
    return builtin_dir() / "health" / "policy.yaml"


def load_health_policy(path: str | Path | None = None) -> HealthPolicy:
    """Read, validate and compile a health policy file (default: the built-in one).
    Raises :class:`~ratecard.errors.CardError` with ``file:line`` for every problem."""
    where = builtin_policy_path() if path is None else Path(path)
    name = str(where)
    try:
        data, lines = parse_yaml(decode_card(read_card_bytes(where), name), name,
                                 "a health policy")
        try:
            parsed = HealthFile.model_validate(data)
        except ValidationError as exc:
            raise CardError(problems_from(exc, name, lines, HealthFile)) from None
        return compile_policy(parsed, name)
    except CardError as exc:
        raise CardError(exc.problems, "health policy") from None
    except Exception as exc:  # a value the runtime refuses: say where
        raise CardError([CardProblem(name, None, None, str(exc))], "health policy") from None


def compile_policy(parsed: HealthFile, name: str | None = None) -> HealthPolicy:
    """The runtime policy of a validated file: each override merged over the defaults."""
    base = parsed.defaults
    default = CircuitPolicy(base.failures, float(base.window_seconds),
                            float(base.cooldown_seconds), base.probes,
                            float(base.probe_timeout_seconds), origin(base.source))
    sellers = {}
    for seller, own in sorted(parsed.sellers.items()):
        sellers[seller] = CircuitPolicy(
            own.failures if own.failures is not None else default.failures,
            float(own.window_seconds) if own.window_seconds is not None else default.window,
            float(own.cooldown_seconds) if own.cooldown_seconds is not None
            else default.cooldown,
            own.probes if own.probes is not None else default.probes,
            float(own.probe_timeout_seconds) if own.probe_timeout_seconds is not None
            else default.probe_timeout,
            origin(own.source))
    return HealthPolicy(default, sellers, name)


def json_schema() -> str:
    """The JSON Schema of a health policy file (``pricing_tables/health/.schema.json``)."""
    schema = HealthFile.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://github.com/ratecard/ratecard/pricing_tables/health/.schema.json"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # python -m ratecard.cards.health > pricing_tables/health/.schema.json
    import sys

    sys.stdout.write(json_schema())
