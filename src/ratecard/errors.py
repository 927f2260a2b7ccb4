"""Errors ratecard raises: each says what was wrong, where, and what would be right.

>>> str(CardProblem("evolink.yaml", 12, "offerings.0.prices", "give exactly one of ..."))
'evolink.yaml:12: offerings.0.prices: give exactly one of ...'
>>> close_matches("evolnk", ["evolink", "fal", "kling3api"])
['evolink']
>>> did_you_mean(["evolink", "fal"])
'; did you mean evolink, fal?'
>>> print(brief("x" * 5000), brief(["720p"]), brief(10**5000))
'xxxxxxxxxxxxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxxxxxxxxxxxx' ['720p'] an integer of 16610 bits
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal


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

    def __init__(self, problems: Sequence[CardProblem], what: str = "rate card") -> None:
        self.problems = list(problems)
        self.what = what
        """What the files are: ``rate card``, or ``health policy``."""
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


MAX_HINT_CHARS = 100
"""Names longer than this get no "did you mean" hint (no name is that long)."""


def close_matches(name: str, known: Iterable[str], *, most: int = 3,
                  cutoff: float = 0.5) -> list[str]:
    """The names of ``known`` closest to ``name`` (for "did you mean" hints); none for a
    name that is not text or is longer than :data:`MAX_HINT_CHARS`."""
    if not isinstance(name, str) or len(name) > MAX_HINT_CHARS:
        return []
    import difflib  # imported for a name not found only (heapq with it): rarely needed

    return difflib.get_close_matches(name, list(known), n=most, cutoff=cutoff)


def did_you_mean(close: Sequence[str], joiner: str = ", ") -> str:
    """``"; did you mean a, b?"`` for close matches, or ``""`` when there are none."""
    return f"; did you mean {joiner.join(close)}?" if close else ""


class _Brief(reprlib.Repr):
    """:func:`reprlib.repr` limits, and big integers described rather than converted (an
    integer of more than 4300 digits cannot even be written out)."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 2
        self.maxstring = 60
        self.maxother = 60
        self.maxlong = 40
        self.maxlist = self.maxtuple = self.maxset = self.maxfrozenset = self.maxdict = 4

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 128:
            return f"an integer of {x.bit_length()} bits"
        return super().repr_int(x, level)

    def repr_Decimal(self, x: Decimal, level: int) -> str:  # noqa: N802 (reprlib's name)
        """A number in plain digits (``10000000000000000``) where they fit, else as it reads
        (``1E+400``), never ``Decimal('1E+400')``."""
        text = str(x)
        _, digits, exponent = x.as_tuple()
        if "E" in text and isinstance(exponent, int) and \
                len(digits) + abs(exponent) < self.maxother:  # short: write it out
            text = f"{x:f}"
        if len(text) <= self.maxother:
            return text
        half = (self.maxother - 3) // 2
        return f"{text[:half]}...{text[-half:]}"


_BRIEF = _Brief()


def brief(value: object) -> str:
    """A bad value as an error message quotes it: its ``repr``, cut to a few dozen
    characters (a message never carries megabytes of what a caller sent)."""
    return _BRIEF.repr(value)
