"""Errors ratecard raises: each says what was wrong, where, and what would be right.

>>> str(CardProblem("evolink.yaml", 12, "offerings.0.prices", "give exactly one of ..."))
'evolink.yaml:12: offerings.0.prices: give exactly one of ...'
>>> close_matches("evolnk", ["evolink", "fal", "kling3api"])
['evolink']
>>> did_you_mean(["evolink", "fal"])
'; did you mean evolink, fal?'
"""

from __future__ import annotations

import decimal
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class RatecardError(Exception):
    """Base of every error ratecard raises on purpose."""


@dataclass(frozen=True)
class CardProblem:
    """One problem in one rate card file."""

    file: str
    line: int | None
    key: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class CardError(RatecardError):
    """One or more rate card files are invalid; :attr:`problems` lists them all."""

    def __init__(self, problems: Sequence[CardProblem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = "; ".join(str(problem) for problem in self.problems[:3])
        more = f" (and {count - 3} more)" if count > 3 else ""
        super().__init__(f"{head}{more}")


class QuoteError(RatecardError, ValueError):
    """A request that cannot be priced; ``code`` is stable, ``field`` names the input."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        self.code = code
        self.field = field
        super().__init__(message)


class UnknownOfferingError(QuoteError, LookupError):
    """No such provider or model; :attr:`suggestions` lists the close matches."""

    def __init__(self, code: str, message: str, field: str, suggestions: Sequence[str]) -> None:
        self.suggestions = list(suggestions)
        super().__init__(code, message, field)


def close_matches(name: str, known: Iterable[str], *, most: int = 3,
                  cutoff: float = 0.5) -> list[str]:
    """The names of ``known`` closest to ``name`` (for "did you mean" hints)."""
    return difflib.get_close_matches(name, list(known), n=most, cutoff=cutoff)


def did_you_mean(close: Sequence[str], joiner: str = ", ") -> str:
    """``"; did you mean a, b?"`` for close matches, or ``""`` when there are none."""
    return f"; did you mean {joiner.join(close)}?" if close else ""


def shown(value: object, limit: int = 32) -> str:
    """A short, printable form of a bad value for an error message: never megabytes, and
    never an expensive ``repr`` of a huge value.

    >>> shown("1e-999999999"), shown("x" * 100)
    ("'1e-999999999'", "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... (100 characters)")
    >>> shown(10 ** 5000), shown(list(range(10 ** 6)))
    ('an integer of about 5001 digits', 'a list of 1000000 items')
    """
    if type(value) is int and value.bit_length() > 4 * limit:
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
    if isinstance(value, str | bytes):
        if len(value) > limit:
            return f"{value[:limit - 3]!r}... ({len(value)} characters)"
        return repr(value)
    if isinstance(value, decimal.Decimal):
        digits = len(value.as_tuple().digits)
        return f"a number of {digits} digits" if digits > limit else str(value)
    if isinstance(value, list | tuple | dict | set | frozenset) and len(value) > 4:
        return f"a {type(value).__name__} of {len(value)} items"
    try:
        text = repr(value)
    except (RecursionError, ValueError):  # deeply nested, or an int beyond str's limit
        return f"a {type(value).__name__} too large to show"
    if len(text) > limit:
        return f"{text[:limit]}... ({type(value).__name__})"
    return text
