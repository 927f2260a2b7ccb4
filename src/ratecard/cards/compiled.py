"""The compiled catalog as bytes for the cache: a data format that cannot run code, and a
decoder that trusts none of it.

The format is JSON with a versioned schema (:data:`SCHEMA`): the key it was stored under,
the compiled plans, the card files and the replaced providers. A dataclass is written as
the list of its field values in declaration order, a Decimal as its text, a date in ISO
8601, a mapping as a list of pairs. Nothing in it names a type or a function: the decoder
is built from the annotations of :mod:`ratecard.pricing.plans` and
:mod:`ratecard.pricing.rules` and constructs only those dataclasses, checking every value
on the way: its JSON type, each Decimal finite and within
:data:`~ratecard.numbers.JSON_NUMBER`, each count in range, each literal from its table
(rounding modes), each list and text of a sane size. :func:`decode` then checks what
types cannot say: the words from their vocabularies (modes, qualities, sounds,
features), precisions powers of ten, each price version's rate equal to base x
multiplier, versions in order without overlap, and each USD converter the one its plan's
rounding rules make. An entry that fails any check is
:class:`BadEntryError`, which the loader treats as a cache miss.

Why not pickle: loading a pickle runs whatever it names. Why not a serialisation library:
the one tried (msgspec) decodes fast but costs more to import than this whole decode, on
every start (measured: ``bench/bench_startup.py``).

>>> import ratecard
>>> index = ratecard.load(cache=False).index
>>> data = encode("k" * 64, index.all_plans, index.files, index.replaced)
>>> plans, files, replaced = decode(data, "k" * 64)
>>> plans[("evolink", "kling-v3-image-to-video")].current  # resolved again on load
{}
>>> decode(data, "x" * 64)
Traceback (most recent call last):
...
ratecard.cards.compiled.BadEntryError: the entry was stored under another key
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from ratecard.money import ROUNDING, GridDivider, is_power_of_ten, multiply
from ratecard.numbers import JSON_NUMBER, within
from ratecard.pricing.plans import CreditPlan, OfferingPlan, PriceCell, SecondsLimit, Span
from ratecard.vocabulary import FEATURES, MODES, is_quality

SCHEMA: Final = 1
"""Version of the encoded form. The key covers ratecard's source, so an entry written by
another version is never even looked up; the version guards the format all the same."""

MAX_TEXT: Final = 4096
"""Longest text an entry may hold (ids, titles, reasons, source documents, paths)."""
MAX_ITEMS: Final = 10_000
"""Most items of any list or mapping in an entry (plans included)."""
MAX_COUNT: Final = 10**9
"""Largest whole number an entry may hold (character and item limits)."""

PlanKey = tuple[str, str]
Decoder = Callable[[Any], Any]


class BadEntryError(ValueError):
    """A cache entry that is not exactly what :func:`encode` writes for a valid catalog."""


# ------------------------------------------------------------------------------ encode

def encode(key: str, plans: Mapping[PlanKey, OfferingPlan], files: Mapping[str, Path],
           replaced: Iterable[str], *, base: Path | None = None) -> bytes:
    """The bytes stored under ``key``: plans as compiled (``current`` left empty: it
    depends on the day, and is resolved again on load). With ``base``, card files are
    stored relative to it (the built-in cards shipped compiled beside them)."""
    stored = [_plain(dataclasses.replace(plan, current={}, credit_current=None))
              for _, plan in sorted(plans.items())]
    names = {p: (f.relative_to(base).as_posix() if base is not None else str(f))
             for p, f in files.items()}
    entry = {"schema": SCHEMA, "key": key, "plans": stored,
             "files": [[p, names[p]] for p in sorted(names)],
             "replaced": list(replaced)}
    return json.dumps(entry, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":")).encode("utf-8")


def _plain(value: Any) -> Any:
    """``value`` as JSON data (see the module's description of the format)."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, GridDivider):
        return [_plain(part) for part in value.spec]
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, frozenset):
        return sorted(_plain(item) for item in value)
    if isinstance(value, Mapping):
        return [[_plain(k), _plain(v)] for k, v in value.items()]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [_plain(getattr(value, f.name)) for f in dataclasses.fields(value)]
    raise TypeError(f"cannot store a {type(value).__name__} in the cache")


# ------------------------------------------------------------------------------ decode

def decode(data: bytes, key: str, *, base: Path | None = None,
           ) -> tuple[dict[PlanKey, OfferingPlan], dict[str, Path], tuple[str, ...]]:
    """The plans, card files and replaced providers of an entry stored under ``key``;
    :class:`BadEntryError` for anything else. With ``base``, the entry's card files are
    plain names in that directory (as :func:`encode` writes them with ``base``)."""
    try:
        entry = _JSON.decode(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # JSON, UTF-8, int() and our hooks
        raise BadEntryError(f"not a compiled catalog: {str(exc)[:200]}") from None
    if not isinstance(entry, dict) or set(entry) != {"schema", "key", "plans", "files",
                                                      "replaced"}:
        raise BadEntryError("not a compiled catalog")
    if entry["schema"] != SCHEMA or type(entry["schema"]) is not int:
        raise BadEntryError(f"schema {str(entry['schema'])[:20]}, not {SCHEMA}")
    if entry["key"] != key:
        raise BadEntryError("the entry was stored under another key")
    files = {provider: Path(name) for provider, name in _FILES(entry["files"]).items()}
    if base is not None:
        if not all(len(path.parts) == 1 for path in files.values()):
            raise BadEntryError("a shipped card file that is not a plain file name")
        files = {provider: base / path for provider, path in files.items()}
    if not all(path.is_absolute() for path in files.values()):
        raise BadEntryError("a card file that is not an absolute path")
    plans: dict[PlanKey, OfferingPlan] = {}
    for plan in _list(entry["plans"], _plan_decoder()):
        _check_plan(plan, files)
        if (plan.provider, plan.model) in plans:
            raise BadEntryError(f"{plan.provider}/{plan.model} is stored twice")
        plans[(plan.provider, plan.model)] = plan
    if {provider for provider, _ in plans} != set(files):
        raise BadEntryError("the card files and the plans name different providers")
    replaced = tuple(_list(entry["replaced"], _text))
    if not set(replaced) <= set(files):
        raise BadEntryError("a replaced provider without a card")
    return plans, files, replaced


def _no_float(text: str) -> Any:
    raise ValueError(f"a JSON number {text[:20]} where only texts hold fractions")


def _no_constant(text: str) -> Any:
    raise ValueError(f"{text} is not JSON")


def _short_int(text: str) -> int:
    if len(text) > 12:
        raise ValueError("a whole number of more than 12 digits")
    return int(text)


_JSON = json.JSONDecoder(parse_float=_no_float, parse_int=_short_int,
                         parse_constant=_no_constant)
"""Plain JSON: no float (Decimals are texts), no NaN, no number too long to convert."""


def _bad(what: str, value: object) -> typing.NoReturn:
    raise BadEntryError(f"{what}, not {type(value).__name__} {str(value)[:40]}")


def _text(value: Any) -> str:
    if type(value) is not str or len(value) > MAX_TEXT:
        _bad("a text", value)
    return value


def _flag(value: Any) -> bool:
    if value is not True and value is not False:
        _bad("true or false", value)
    return value


def _count(value: Any) -> int:
    if type(value) is not int or not 0 <= value <= MAX_COUNT:
        _bad(f"a whole number from 0 to {MAX_COUNT}", value)
    return value


def _number(value: Any) -> Decimal:
    number = _NUMBERS.get(value) if type(value) is str else None
    if number is not None:
        return number
    if type(value) is not str or len(value) > 100:
        _bad("a decimal number as text", value)
    try:
        number = Decimal(value)
    except ArithmeticError:
        _bad("a decimal number", value)
    if not within(number, JSON_NUMBER):
        _bad("a finite, plausible number", value)
    if len(_NUMBERS) < 4096:
        _NUMBERS[value] = number
    return number


_NUMBERS: dict[str, Decimal] = {}
"""Numbers already read and checked, by their text (prices and precisions repeat; a
Decimal is immutable, so sharing one is safe)."""


def _day(value: Any) -> date:
    if type(value) is not str or len(value) != 10:
        _bad("an ISO date", value)
    try:
        return date.fromisoformat(value)
    except ValueError:
        _bad("an ISO date", value)


def _none(value: Any) -> None:
    if value is not None:
        _bad("null", value)


def _divider(value: Any) -> GridDivider:
    """A USD converter from its four parts, each checked before any arithmetic."""
    grid, divisor, precision, mode = _fixed(value, 4)
    known = _DIVIDERS.get((grid, divisor, precision, mode)) if all(
        type(part) is str for part in value) else None
    if known is not None:
        return known
    parts = _number(grid), _number(divisor), _number(precision)
    if not (is_power_of_ten(parts[0]) and is_power_of_ten(parts[2]) and parts[1] > 0):
        _bad("a USD converter of powers of ten and a divisor > 0", value)
    if mode not in ROUNDING:
        _bad("a rounding mode", mode)
    divider = GridDivider(*parts, mode)
    if len(_DIVIDERS) < 256:
        _DIVIDERS[(grid, divisor, precision, mode)] = divider
    return divider


_DIVIDERS: dict[tuple[str, str, str, str], GridDivider] = {}
"""Converters already built and checked, by their four texts (immutable, so shared)."""


def _fixed(value: Any, size: int) -> list[Any]:
    if type(value) is not list or len(value) != size:
        _bad(f"a list of {size}", value)
    return value


def _list(value: Any, item: Decoder) -> list[Any]:
    if type(value) is not list or len(value) > MAX_ITEMS:
        _bad("a list", value)
    return [item(x) for x in value]


def _pairs(key: Decoder, item: Decoder) -> Decoder:
    def decode_mapping(value: Any) -> dict[Any, Any]:
        result = {key(k): item(v) for k, v in (_fixed(pair, 2) for pair in _list(value, _id))}
        if len(result) != len(value):
            _bad("a mapping without repeated keys", value)
        return result
    return decode_mapping


def _id(value: Any) -> Any:
    return value


_SCALARS: Final[Mapping[object, Decoder]] = {
    str: _text, bool: _flag, int: _count, Decimal: _number, date: _day,
    GridDivider: _divider, type(None): _none,
}


def _decoder(kind: Any) -> Decoder:
    """The decoder of one annotated type (built once per type, then reused)."""
    scalar = _SCALARS.get(kind)
    if scalar is not None:
        return scalar
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is typing.Union or origin is types.UnionType:
        present = [arg for arg in args if arg is not type(None)]
        if len(present) != 1 or len(args) != 2:
            raise TypeError(f"the cache cannot store {kind}")
        inner = _decoder(present[0])
        return lambda value: None if value is None else inner(value)
    if origin is typing.Literal:
        allowed = frozenset(args)
        def literal(value: Any) -> Any:
            if type(value) is not str or value not in allowed:
                _bad("one of " + ", ".join(sorted(map(str, allowed))), value)
            return value
        return literal
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _decoder(args[0])
        return lambda value: tuple(_list(value, item))
    if origin is tuple:
        parts = [_decoder(arg) for arg in args]
        return lambda value: tuple(d(x) for d, x in zip(parts, _fixed(value, len(parts)),
                                                      strict=True))
    if origin is frozenset:
        item = _decoder(args[0])
        return lambda value: frozenset(_list(value, item))
    if origin in (Mapping, dict):
        return _pairs(_decoder(args[0]), _decoder(args[1]))
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _dataclass_decoder(kind)
    raise TypeError(f"the cache cannot store {kind}")


def _dataclass_decoder(kind: type) -> Decoder:
    known = _BUILT.get(kind)
    if known is not None:
        return known
    hints = typing.get_type_hints(kind)
    fields = [_decoder(hints[f.name]) for f in dataclasses.fields(kind)]
    size = len(fields)

    def decode_dataclass(value: Any) -> Any:
        return kind(*[d(x) for d, x in zip(fields, _fixed(value, size), strict=True)])
    _BUILT[kind] = decode_dataclass
    return decode_dataclass


_BUILT: dict[type, Decoder] = {}
"""The decoder of each dataclass, built once (it reads annotations, which is slow)."""


_PLAN_DECODER: list[Decoder] = []


def _plan_decoder() -> Decoder:
    """The decoder of :class:`OfferingPlan`, built on first use (it reads annotations)."""
    if not _PLAN_DECODER:
        _PLAN_DECODER.append(_decoder(OfferingPlan))
    return _PLAN_DECODER[0]


_FILES: Final = _pairs(_text, _text)


# ------------------------------------------------------------------------- the checks

def _need(condition: bool, plan: OfferingPlan, what: str) -> None:
    if not condition:
        raise BadEntryError(f"{plan.provider[:40]}/{plan.model[:60]}: {what}")


def _check_plan(plan: OfferingPlan, files: Mapping[str, Path]) -> None:
    """What the types cannot say about a decoded plan."""
    _need(plan.provider in files, plan, "no card file")
    _need(bool(plan.provider and plan.model), plan, "empty provider or model")
    _need(plan.mode in MODES, plan, f"mode {plan.mode[:40]!r}")
    _need(plan.currency in ("credits", "USD"), plan, "currency")
    _need(plan.basis in ("duration", "input_seconds", "fixed"), plan, "basis")
    _need(bool(plan.qualities) and all(is_quality(q) for q in plan.qualities), plan,
          "qualities")
    _need(bool(plan.sounds) and set(plan.sounds) <= {"on", "off"}, plan, "sounds")
    _need(plan.default_quality in plan.qualities, plan, "default quality")
    _need(plan.features <= _FEATURES and plan.required_features <= plan.features, plan,
          "features")
    _need(not plan.current and plan.credit_current is None, plan, "resolved prices stored")
    for precision, mode in ((plan.amount_precision, plan.amount_mode),
                            (plan.usd_precision, plan.usd_mode),
                            (plan.seconds_precision, plan.seconds_mode)):
        _need((precision is None) == (mode is None), plan, "precision without mode")
        _need(precision is None or is_power_of_ten(precision), plan, "precision")
    for limit in (plan.accepts, plan.accepts_input):
        _need(limit is None or _limit_ok(limit), plan, "accepted seconds")
    for bound in (plan.min_seconds, plan.max_seconds, plan.default_duration):
        _need(bound is None or bound >= 0, plan, "seconds")
    keys = {(q, s == "on") for q in plan.qualities for s in plan.sounds}
    _need(set(plan.cells) <= keys, plan, "a price for a quality or sound not offered")
    for versions in plan.cells.values():
        _need(bool(versions), plan, "a cell without prices")
        _spans_ok(plan, [cell.span for cell in versions])
        for cell in versions:
            _need(_cell_ok(cell), plan, "a price that does not add up")
    for credit in plan.credits:
        _need(credit.credits_per_usd > 0, plan, "credit value")
        _need(credit.to_usd.spec == (plan.amount_precision, credit.credits_per_usd,
                                     plan.usd_precision, plan.usd_mode), plan,
              "a USD converter that is not the card's")
    _spans_ok(plan, [c.span for c in plan.credits if c.span is not None])
    _need(plan.currency != "USD" or _usd_ok(plan.credits), plan, "USD card credit value")


_FEATURES: Final = frozenset(FEATURES)


def _limit_ok(limit: SecondsLimit) -> bool:
    low, high = limit.min, limit.max
    return (low is None or low >= 0) and (high is None or high > 0) and \
        (low is None or high is None or low <= high)


def _cell_ok(cell: PriceCell) -> bool:
    if cell.kind not in ("per_second", "fixed") or cell.base < 0 or cell.unit_rate < 0:
        return False
    if cell.multiplier is None:
        return cell.unit_rate == cell.base
    return cell.multiplier > 0 and cell.unit_rate == multiply(cell.base, cell.multiplier)


def _spans_ok(plan: OfferingPlan, spans: list[Span]) -> None:
    for span in spans:
        _need(span.start is None or span.end is None or span.start < span.end, plan,
              "a price version that ends before it starts")
    for before, after in itertools.pairwise(spans):
        _need(before.end is not None and after.start is not None and
              before.end <= after.start, plan, "price versions out of order or overlapping")


def _usd_ok(credits: tuple[CreditPlan, ...]) -> bool:
    return len(credits) == 1 and credits[0].span is None and credits[0].credits_per_usd == 1
