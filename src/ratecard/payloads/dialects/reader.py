"""Reading native JSON bodies: typed field access that collects violations instead of raising.

Shared by every dialect. A field of the wrong JSON type becomes a ``WRONG_TYPE`` violation
naming its path; an unknown field becomes a warning; ``null`` counts as absent. Numbers
are read as :class:`~decimal.Decimal` (JSON parsed with ``parse_float=Decimal``; a float
from plain ``json.loads`` is read through its shortest ``repr``) within the bounds of the
field it fills (:mod:`ratecard.money`: seconds, amounts, counts...); one outside them
(``1E-999999999``, 5000 digits) is a violation before anything prints or adds it.

>>> r = Reader()
>>> r.number("5", "duration"), r.violations[0].code
(None, 'WRONG_TYPE')
>>> load_json('{"duration": 5.0}')
({'duration': Decimal('5.0')}, None)
>>> load_json('{"a": 1,}')[1].message
'not valid JSON at line 1, column 9: Expecting property name enclosed in double quotes'

JSON text never makes :func:`load_json` raise: nesting past Python's recursion limit,
numbers of any length, ``NaN``, repeated keys and bytes that are not UTF-8 each come back
as a violation.

>>> [load_json(text)[1].code for text in ("[" * 100_000, '{"a": NaN}', '{"a": 1, "a": 2}')]
['INVALID_JSON', 'INVALID_JSON', 'DUPLICATE_KEY']
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ratecard.errors import brief
from ratecard.numbers import (
    AMOUNT,
    COUNT,
    JSON_NUMBER,
    NUMBER,
    SECONDS,
    UNIX_TIME,
    Bounds,
    NumberError,
    read_number,
)
from ratecard.payloads.request import Request
from ratecard.payloads.violations import Violation, violation_list, warning_list


@dataclass(slots=True)
class Parsed:
    """What an adapter read from a body: the canonical request (``None`` when the body
    names no usable model), where each canonical input sits in this body, and problems."""

    request: Request | None
    paths: Mapping[str, str]
    """Canonical input -> its path in the body (``first_frame`` -> ``image_start``)."""
    violations: list[Violation]
    warnings: list[str]


class _RefusedError(Exception):
    """Raised from inside the JSON parser's hooks: the text is refused with a violation."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.violation = Violation(code, "(body)", message)


_LONG_INT = 1000
"""Integers longer than this many characters are read as Decimal (``int`` of a long text
takes quadratic time, and Python refuses more than 4300 digits); the reader then reports
them as ``INVALID_NUMBER`` wherever a number is read."""


def _int(text: str) -> int | Decimal:
    return int(text) if len(text) <= _LONG_INT else Decimal(text)


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except ArithmeticError:  # an exponent beyond what Decimal can hold: 1e99999999999999999999
        raise _RefusedError("INVALID_NUMBER", f"number {brief(text)} cannot be read: its "
                            "exponent is out of any range") from None


def _constant(name: str) -> Any:
    raise _RefusedError("INVALID_JSON",
                        f"{name} is not a JSON number (JSON has no NaN or Infinity)")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _RefusedError("DUPLICATE_KEY",
                                    f"key {brief(key)} appears twice in one object: which "
                                    "value the provider reads is not defined")
            seen.add(key)
    return result


_DECODER = json.JSONDecoder(parse_float=_decimal, parse_int=_int, parse_constant=_constant,
                            object_pairs_hook=_object)


def load_json(text: str | bytes) -> tuple[Any, Violation | None]:
    """Parse JSON text with exact numbers; never raises for any text. A syntax error
    becomes an ``INVALID_JSON`` violation with its line and column; so do bytes that are
    not UTF-8, nesting deeper than the interpreter can follow, and ``NaN``/``Infinity``
    (not JSON); a key given twice in one object is ``DUPLICATE_KEY``."""
    try:
        if isinstance(text, bytes | bytearray):
            text = _utf8(bytes(text))
        value = _DECODER.decode(text)
        problem = nesting_violation(value, "INVALID_JSON")
        if problem is None and (_SURROGATE_ESCAPE.search(text) or not text.isascii()):
            problem = _lone_surrogate(value)
        return (None, problem) if problem is not None else (value, None)
    except json.JSONDecodeError as exc:
        return None, Violation("INVALID_JSON", "(body)",
                               f"not valid JSON at line {exc.lineno}, column {exc.colno}: "
                               f"{exc.msg}")
    except UnicodeDecodeError as exc:
        return None, Violation("INVALID_JSON", "(body)",
                               f"not UTF-8 text: {exc.reason} at byte {exc.start}")
    except RecursionError:
        return None, Violation("INVALID_JSON", "(body)", _TOO_DEEP)
    except _RefusedError as exc:
        return None, exc.violation


MAX_NESTING = 64
"""The most levels of arrays and objects inside each other a body, record or outcome may
have; a request body has a handful. Deeper ones are refused before anything walks them
(rendering one recursed past Python's limit)."""

_TOO_DEEP = (f"nested too deeply: arrays and objects inside each other more than "
             f"{MAX_NESTING} levels deep (a request body has a handful)")


def nesting_violation(value: Any, code: str = "INVALID_BODY") -> Violation | None:
    """``code`` when ``value`` nests arrays and objects more than :data:`MAX_NESTING` levels
    (or holds itself), else ``None``; never recurses.

    >>> nesting_violation({"seed": [[1]]}) is None
    True
    >>> nesting_violation({"seed": [[[]]] * 2}, "INVALID_JSON") is None
    True
    >>> deep: list[object] = []
    >>> for _ in range(MAX_NESTING):
    ...     deep = [deep]
    >>> nesting_violation(deep).message  # the outer list is level 1: 65 levels
    'nested too deeply: arrays and objects inside each other more than 64 levels deep (a \
request body has a handful)'
    """
    if not isinstance(value, Mapping | list | tuple):
        return None
    stack: list[tuple[Any, int]] = [(value, 1)]
    scalar = _SCALARS
    while stack:
        item, depth = stack.pop()
        if depth > MAX_NESTING:
            return Violation(code, "(body)", _TOO_DEEP)
        for child in item.values() if isinstance(item, Mapping) else item:
            if type(child) not in scalar and isinstance(child, Mapping | list | tuple):
                stack.append((child, depth + 1))
    return None


_SCALARS = frozenset({str, int, float, bool, Decimal, type(None)})
"""Types that hold nothing: skipped without the slower check for a container."""

_WIDEST_INT = 10**4000
"""Beyond this a whole number cannot be written as JSON text (Python writes at most 4300
digits) nor carried into another body."""


def unwritable_number(value: Any) -> Violation | None:
    """``INVALID_BODY`` when a Python object body holds a number no JSON text can: NaN or
    an infinity, or a whole number of more than 4000 digits (JSON text read by
    :func:`load_json` never does). Run after the dialect has read the body, so a field it
    reads says so itself, at its path; this finds the ones passed on unread.

    >>> unwritable_number({"seed": [float("nan")]}).message
    'nan is not a JSON number: a body holds finite numbers only'
    >>> unwritable_number({"seed": 10**30}) is None
    True
    """
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is Decimal or kind is float:
            if not (item.is_finite() if kind is Decimal else math.isfinite(item)):
                return Violation("INVALID_BODY", "(body)", f"{item} is not a JSON number: a "
                                 "body holds finite numbers only")
        elif kind is int:
            if not -_WIDEST_INT < item < _WIDEST_INT:
                return Violation("INVALID_BODY", "(body)", "a whole number of more than 4000 "
                                 "digits: no JSON text ratecard writes can hold it")
        elif isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return None


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
"""A ``\\uD800``-``\\uDFFF`` escape: half of a UTF-16 pair, text only when paired."""


def _lone_surrogate(value: Any) -> Violation | None:
    r"""``INVALID_JSON`` when a string (or key) of ``value`` holds half a UTF-16 pair: it
    cannot be written as UTF-8, so no output could show it (an escaped pair such as
    ``\ud83c\udfac`` decodes to one character and passes).

    >>> load_json('{"id": "t\\ud800"}')[1].message
    'a string holds half of a UTF-16 surrogate pair (a lone \\uD800-\\uDFFF): not text'
    >>> load_json('{"id": "\\ud83c\\udfac"}')
    ({'id': '🎬'}, None)
    """
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return Violation("INVALID_JSON", "(body)", "a string holds half of a "
                                 "UTF-16 surrogate pair (a lone \\uD800-\\uDFFF): not text")
        elif isinstance(item, Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _utf8(data: bytes) -> str:
    """UTF-8 bytes as text (a leading byte order mark is dropped); JSON in UTF-16 or
    UTF-32 is refused: JSON exchanged between systems is UTF-8 (RFC 8259, section 8.1)."""
    encoding = json.detect_encoding(data)
    if encoding not in ("utf-8", "utf-8-sig"):
        raise UnicodeDecodeError(encoding, data[:4], 0, 1, f"the text is {encoding}")
    return data.decode(encoding)


def json_type(value: object) -> str:
    """The JSON name of a value's type, with an article: ``a string``, ``an array``.

    >>> json_type(True), json_type(Decimal("1.5")), json_type([])
    ('a boolean', 'a number', 'an array')
    >>> class Float64(float): ...
    >>> json_type(Float64(5))
    'a Float64'

    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if type(value) in (int, float, Decimal):  # a subclass (numpy's float64) is named:
        return "a number"  # the readers take the JSON types only
    if type(value) is str:
        return "a string"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return f"a {type(value).__name__}"


_SMALL = 10**9
"""Integers of at most 9 digits: within JSON_NUMBER and every field's bounds whose
magnitude and digits admit them (read without the general reader's work)."""


class Reader:
    """Collects the violations and warnings found while reading one body."""

    __slots__ = ("violations", "warnings")

    def __init__(self) -> None:
        self.violations: list[Violation] = violation_list()
        self.warnings: list[str] = warning_list()

    def wrong(self, path: str, expected: str, value: object) -> None:
        """Record a ``WRONG_TYPE`` violation."""
        value_text = f" {brief(value)}" if isinstance(value, str | bool | int | Decimal) else ""
        self.violations.append(Violation(
            "WRONG_TYPE", path, f"{path} must be {expected}, not {json_type(value)}{value_text}"))

    def missing(self, path: str, what: str) -> None:
        """Record a ``MISSING_FIELD`` violation."""
        self.violations.append(Violation("MISSING_FIELD", path, f"{path} is required: {what}"))

    def unknown(self, path: str, dialect: str) -> None:
        """Warn about a field the dialect does not know."""
        shown = path if isinstance(path, str) and len(path) <= 80 else brief(path)
        self.warnings.append(f"unknown field {shown}: not part of {dialect}'s documented "
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
        violation: ``WRONG_TYPE`` for a value that is not a finite number,
        ``INVALID_NUMBER`` for one no field could hold (beyond
        :data:`~ratecard.numbers.JSON_NUMBER`: ``1E-999999999``, 5000 digits), ``code`` for
        one outside this field's ``bounds``."""
        if type(value) is int and -_SMALL < value < _SMALL and bounds.below >= 9 and \
                bounds.digits >= 9:
            return Decimal(value)  # within every bound that admits 9-digit integers
        if (type(value) is int or (type(value) is Decimal and value.is_finite())
                or (type(value) is float and math.isfinite(value))):
            for limits, problem in ((JSON_NUMBER, "INVALID_NUMBER"), (bounds, code)):
                try:
                    number = read_number(value, limits, path)
                except NumberError as exc:
                    self.violations.append(Violation(problem, path, str(exc)))
                    return None
            return number
        self.wrong(path, "a finite number", value)
        return None

    def seconds(self, value: object, path: str) -> Decimal | None:
        """A number of seconds (:data:`ratecard.numbers.SECONDS`), else ``None`` and a
        violation (``INVALID_DURATION`` when out of bounds)."""
        return self.number(value, path, SECONDS, "INVALID_DURATION")

    def amount(self, value: object, path: str) -> Decimal | None:
        """An amount of money or credits (:data:`ratecard.numbers.AMOUNT`)."""
        return self.number(value, path, AMOUNT)

    def count(self, value: object, path: str) -> Decimal | None:
        """A whole number such as an index (:data:`ratecard.numbers.COUNT`)."""
        return self.number(value, path, COUNT, "WRONG_TYPE")

    def unix_time(self, value: object, path: str) -> Decimal | None:
        """Seconds since 1970 (:data:`ratecard.numbers.UNIX_TIME`), read as invoices read
        them: 9 to 12 digits, from 1973 (``20261101`` is a date written without dashes,
        not a second of 1970-08-23; 0 is no time at all). Out of range is ``WRONG_TYPE``:
        the field must be a Unix time."""
        seconds = self.number(value, path, UNIX_TIME, "WRONG_TYPE")
        if seconds is not None and seconds < _FIRST_UNIX_SECOND:
            self.violations.append(Violation(
                "WRONG_TYPE", path, f"{path} must be a Unix time in seconds, 9 to 12 digits "
                f"(1973 to 9999), not {brief(value)}"))
            return None
        return seconds

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


_FIRST_UNIX_SECOND = 10**8
"""The smallest Unix time read (1973-03-03): 9 digits, as in invoices."""

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
