"""Reading native JSON bodies: typed field access that collects violations instead of raising.

Shared by every dialect. A field of the wrong JSON type becomes a ``WRONG_TYPE`` violation
naming its path; an unknown field becomes a warning; ``null`` counts as absent. Numbers
are read as :class:`~decimal.Decimal` (JSON parsed with ``parse_float=Decimal``; a float
from plain ``json.loads`` is read through its shortest ``repr``).

>>> r = Reader()
>>> r.number("5", "duration"), r.violations[0].code
(None, 'WRONG_TYPE')
>>> load_json('{"duration": 5.0}')
({'duration': Decimal('5.0')}, None)
>>> load_json('{"a": 1,}')[1].message
'not valid JSON at line 1, column 9: Expecting property name enclosed in double quotes'
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ratecard.errors import shown
from ratecard.money import (
    AMOUNT,
    COUNT,
    NUMBER,
    SECONDS,
    UNIX_TIME,
    Bounds,
    NumberError,
    read_number,
)
from ratecard.payloads.request import Request
from ratecard.payloads.violations import Violation


@dataclass(slots=True)
class Parsed:
    """What an adapter read from a body: the canonical request (``None`` when the body
    names no usable model), where each canonical input sits in this body, and problems."""

    request: Request | None
    paths: Mapping[str, str]
    """Canonical input -> its path in the body (``first_frame`` -> ``image_start``)."""
    violations: list[Violation]
    warnings: list[str]


def load_json(text: str | bytes) -> tuple[Any, Violation | None]:
    """Parse JSON text with exact numbers; a syntax error becomes an ``INVALID_JSON``
    violation with its line and column."""
    try:
        return json.loads(text, parse_float=Decimal), None
    except json.JSONDecodeError as exc:
        return None, Violation("INVALID_JSON", "(body)",
                               f"not valid JSON at line {exc.lineno}, column {exc.colno}: "
                               f"{exc.msg}")
    except UnicodeDecodeError as exc:
        return None, Violation("INVALID_JSON", "(body)", f"not UTF-8 text: {exc.reason}")


def json_type(value: object) -> str:
    """The JSON name of a value's type, with an article: ``a string``, ``an array``.

    >>> json_type(True), json_type(Decimal("1.5")), json_type([])
    ('a boolean', 'a number', 'an array')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return f"a {type(value).__name__}"


class Reader:
    """Collects the violations and warnings found while reading one body."""

    __slots__ = ("violations", "warnings")

    def __init__(self) -> None:
        self.violations: list[Violation] = []
        self.warnings: list[str] = []

    def wrong(self, path: str, expected: str, value: object) -> None:
        """Record a ``WRONG_TYPE`` violation."""
        value_text = f" {shown(value)}" if isinstance(value, str | bool | int | Decimal) else ""
        self.violations.append(Violation(
            "WRONG_TYPE", path, f"{path} must be {expected}, not {json_type(value)}{value_text}"))

    def missing(self, path: str, what: str) -> None:
        """Record a ``MISSING_FIELD`` violation."""
        self.violations.append(Violation("MISSING_FIELD", path, f"{path} is required: {what}"))

    def unknown(self, path: str, dialect: str) -> None:
        """Warn about a field the dialect does not know."""
        self.warnings.append(f"unknown field {path}: not part of {dialect}'s documented "
                             "request body; passed on as is, not checked or priced")

    def text(self, value: object, path: str) -> str | None:
        """A string, else ``None`` and a violation."""
        if type(value) is str:
            return value
        self.wrong(path, "a string", value)
        return None

    def flag(self, value: object, path: str) -> bool | None:
        """A JSON boolean, else ``None`` and a violation."""
        if value is True or value is False:
            return value
        self.wrong(path, "true or false", value)
        return None

    def number(self, value: object, path: str, bounds: Bounds = NUMBER,
               code: str = "INVALID_NUMBER") -> Decimal | None:
        """A finite JSON number within ``bounds`` as a Decimal, else ``None`` and a
        violation: ``WRONG_TYPE`` for a value that is not a finite number, ``code`` for a
        number out of bounds."""
        if (type(value) is int or (type(value) is Decimal and value.is_finite())
                or (type(value) is float and math.isfinite(value))):
            try:
                return read_number(value, bounds, path)
            except NumberError as exc:
                self.violations.append(Violation(code, path, str(exc)))
                return None
        self.wrong(path, "a finite number", value)
        return None

    def seconds(self, value: object, path: str) -> Decimal | None:
        """A number of seconds (:data:`ratecard.money.SECONDS`), else ``None`` and a
        violation (``INVALID_DURATION`` when out of bounds)."""
        return self.number(value, path, SECONDS, "INVALID_DURATION")

    def amount(self, value: object, path: str) -> Decimal | None:
        """An amount of money or credits (:data:`ratecard.money.AMOUNT`)."""
        return self.number(value, path, AMOUNT)

    def count(self, value: object, path: str) -> Decimal | None:
        """A whole number such as an index (:data:`ratecard.money.COUNT`)."""
        return self.number(value, path, COUNT, "WRONG_TYPE")

    def unix_time(self, value: object, path: str) -> Decimal | None:
        """Seconds since 1970 (:data:`ratecard.money.UNIX_TIME`); out of range is
        ``WRONG_TYPE``: the field must be a Unix time."""
        return self.number(value, path, UNIX_TIME, "WRONG_TYPE")

    def texts(self, value: object, path: str) -> tuple[str, ...] | None:
        """An array of strings, else ``None`` and a violation per bad item."""
        if not isinstance(value, list | tuple):
            self.wrong(path, "an array of strings", value)
            return None
        good = True
        for index, item in enumerate(value):
            if type(item) is not str:
                self.wrong(f"{path}[{index}]", "a string", item)
                good = False
        return tuple(value) if good else None

    def mapping(self, value: object, path: str) -> Mapping[str, Any] | None:
        """A JSON object, else ``None`` and a violation."""
        if isinstance(value, Mapping):
            return value
        self.wrong(path, "an object", value)
        return None


FieldReader = Callable[[Reader, object, str], Any]

KINDS: dict[str, FieldReader] = {
    "text": Reader.text,
    "flag": Reader.flag,
    "number": Reader.number,
    "seconds": Reader.seconds,
    "texts": Reader.texts,
}
"""How a simple field is read, by the kind named in a dialect's field table."""


def read_field(reader: Reader, fields: Mapping[str, tuple[str, str]], key: str, value: object,
               values: dict[str, Any], path: str | None = None) -> bool:
    """Read ``key`` if the dialect maps it to a canonical input (``fields``: body key ->
    (canonical name, kind in :data:`KINDS`)); returns whether it did. ``None`` is absent;
    ``path`` names the field in messages (default: ``key``).

    >>> reader, values = Reader(), {}
    >>> read_field(reader, {"prompt": ("prompt", "text")}, "prompt", "a cat", values), values
    (True, {'prompt': 'a cat'})
    >>> read_field(reader, {}, "surprise", 1, values)
    False
    """
    spec = fields.get(key)
    if spec is None:
        return False
    if value is not None:
        name, kind = spec
        got = KINDS[kind](reader, value, path or key)
        if got is not None:
            values[name] = got
    return True


def finish(reader: Reader, provider: str, id_key: str, offering: object, what: str,
           example: str, values: dict[str, Any], unknown: list[str],
           paths: Mapping[str, str]) -> Parsed:
    """The parsed body: its canonical request, once the offering id (the body's ``id_key``:
    ``model`` or ``type``) is known to be text; else the violations that say why not.

    >>> parsed = finish(Reader(), "kling3api", "type", None, "the task type",
    ...                 "the task type, such as pro-text-to-video", {}, [], {})
    >>> parsed.request, [v.code for v in parsed.violations]
    (None, ['MISSING_FIELD'])
    """
    if offering is None:
        reader.missing(id_key, example)
        return Parsed(None, paths, reader.violations, reader.warnings)
    if type(offering) is not str:
        reader.wrong(id_key, f"a string ({what})", offering)
        return Parsed(None, paths, reader.violations, reader.warnings)
    if unknown:
        values["unknown_fields"] = tuple(unknown)
    return Parsed(Request(provider, offering, **values), paths, reader.violations,
                  reader.warnings)
