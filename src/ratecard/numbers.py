"""One bounded reader for every number that enters ratecard.

Durations, amounts, card numbers, counts and timestamps arrive from cards, command-line
flags, JSON bodies, task records and invoice lines. Each kind has declared
:class:`Bounds` (magnitude, decimal places, digits), and :func:`read_number` reads any of
them exactly or refuses it, before anything prints, adds or multiplies it: a number that
passes can be formatted, summed and multiplied exactly in :data:`ratecard.money.EXACT`.

>>> read_number("7.4", SECONDS, "duration"), read_number(27, AMOUNT, "charged")
(Decimal('7.4'), Decimal('27'))
>>> read_number("1e-999999999", SECONDS, "duration")
Traceback (most recent call last):
...
ratecard.numbers.NumberError: duration '1e-999999999' has more than 9 decimal places
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from ratecard.errors import brief
from ratecard.money import EXACT, grid_ratio


@dataclass(frozen=True, slots=True)
class Bounds:
    """What a number of one kind may be, so that every number ratecard reads is small
    enough to print, compare and compute with exactly, and cheap to read.

    A value is refused unless its magnitude is below ``10 ** below``, it has at most
    ``places`` decimal places and at most ``digits`` digits (zeros ending the decimal places
    aside, in both: a typed column's scale is not a digit written), and, for ``integer``,
    it is whole.
    """

    noun: str
    """What the numbers are, in words (``number of seconds``)."""
    below: int
    places: int
    digits: int
    integer: bool = False
    text: int = 100
    """Longest text read at all (blanks around it aside)."""

    @property
    def limit(self) -> str:
        """``10 ** below`` in plain digits, as messages write the bound (never ``1E+16``).

        >>> AMOUNT.limit
        '10000000000000000'
        """
        return str(10**self.below)


SECONDS: Final = Bounds("number of seconds", below=10, places=9, digits=30)
"""Durations and video lengths: below 1E+10 s (three centuries), at most 9 decimals."""
AMOUNT: Final = Bounds("amount", below=16, places=20, digits=34)
"""Money charged, reserved, budgets and tolerances: below 1E+16, at most 20 decimals;
sums of a billion such amounts stay exact in :data:`EXACT`."""
CARD_NUMBER: Final = Bounds("rate card number", below=9, places=10, digits=30)
"""Rates, multipliers, fixed prices, credit values, precisions, limits in a rate card:
below 1E+9 with at most 10 decimals, so that every product the engine forms from them and
a bounded number of seconds (rate x multiplier x seconds: at most 57 digits) is exact in
:data:`EXACT`. The keys the SQL engines read are held to the narrower bounds below, so a
card that validates is a card every engine prices."""
CARD_RATE: Final = Bounds("rate", below=9, places=8, digits=30)
"""A card's per-second rates, fixed prices, multipliers and credits per USD, and each
per-second rate times its multiplier: below 1E+9 with at most 8 decimals. The SQL engines
hold them exactly as ``DECIMAL(18,8)``, and billed seconds x rate in ``DECIMAL(30,14)``."""
CARD_SECONDS: Final = Bounds("number of seconds", below=9, places=6, digits=30)
"""The accepted lengths of a card (``accepts``): at most 6 decimals, as the SQL engines
read seconds."""
BILLED_SECONDS: Final = Bounds("number of seconds billed", below=7, places=6, digits=30)
"""A card's billing clamps (``min_seconds``, ``max_seconds``) and default durations:
below 1E+7 s (115 days) with at most 6 decimals, the seconds the SQL engines bill
(``DECIMAL(13,6)``)."""
SECONDS_PRECISION: Final = Bounds("billed seconds precision", below=1, places=6, digits=30)
"""A card's billed-seconds rounding precision: a power of ten from 1 down to 10^-6."""
AMOUNT_PRECISION: Final = Bounds("amount precision", below=1, places=8, digits=30)
"""A card's amount rounding precision: a power of ten from 1 down to 10^-8."""
USD_PRECISION: Final = Bounds("USD precision", below=1, places=10, digits=30)
"""A card's USD rounding precision: a power of ten from 1 down to 10^-10."""
USD_RATIO_MAX: Final = 10**12
"""Largest numerator or denominator of a card's USD conversion in lowest terms,
``amount precision / (credits per USD x USD precision)``: the SQL engines convert an
amount to USD with these two integers in 64-bit arithmetic."""


def usd_ratio_problem(amount_precision: Decimal, credits_per_usd: Decimal,
                      usd_precision: Decimal) -> str | None:
    """Why ``credits_per_usd`` cannot convert amounts rounded to ``amount_precision`` into
    USD rounded to ``usd_precision`` in every engine, or ``None`` when it can (the ratio in
    lowest terms within :data:`USD_RATIO_MAX`).

    >>> usd_ratio_problem(Decimal("0.0001"), Decimal("72"), Decimal("0.000001")) is None
    True
    >>> usd_ratio_problem(Decimal("0.0001"), Decimal("999999999.99999999"),
    ...                   Decimal("0.000001"))[:45]
    '999999999.99999999 credits per USD turns amou'
    """
    ratio = grid_ratio(amount_precision, credits_per_usd, usd_precision)
    if max(ratio.numerator, ratio.denominator) <= USD_RATIO_MAX:
        return None
    return (f"{credits_per_usd:f} credits per USD turns amounts rounded to "
            f"{amount_precision:f} into USD rounded to {usd_precision:f} by the ratio "
            f"{ratio.numerator}/{ratio.denominator}: the SQL engines take terms of at most "
            f"{USD_RATIO_MAX:,} (give a credit value with fewer significant digits, or "
            "round more coarsely)")


COUNT: Final = Bounds("whole number", below=12, places=0, digits=30, integer=True)
"""Indexes, pixels, counts: whole numbers below 1E+12."""
NUMBER: Final = Bounds("number", below=15, places=15, digits=30)
"""Any other number a request body or record carries (``cfg_scale``, ...)."""
JSON_NUMBER: Final = Bounds("number", below=31, places=40, digits=40)
"""What a number in JSON text (a body, a task record, a cached catalog) may be at all,
before the bounds of the field it fills: refused beyond this before anything formats or
adds it (``1E-999999999`` is finite, but printing it takes a gigabyte)."""
UNIX_TIME: Final = Bounds("Unix time in seconds", below=12, places=6, digits=30)
"""Timestamps in seconds since 1970: below 1E+12 (the year 33658), at most 6 decimals."""


class NumberError(ValueError):
    """A value that is not a number of the expected kind; the message quotes at most a
    short form of the value. ``problem`` says which rule it broke: ``type`` (not a number
    type), ``syntax`` (text that is not a number), ``finite``, ``digits``, ``magnitude``,
    ``places`` or ``length`` (text too long to read)."""

    def __init__(self, message: str, problem: str) -> None:
        super().__init__(message)
        self.problem = problem


def read_number(value: object, bounds: Bounds, what: str) -> Decimal:
    """``value`` (Decimal, int, float, or text) as an exact Decimal within ``bounds``,
    else :class:`NumberError` saying what ``what`` must be.

    Floats are read through their shortest ``repr`` (``7.4`` is ``Decimal('7.4')``);
    booleans, NaN, infinities, digit separators (``1_000``), a decimal comma (``60,5``),
    text that is not ASCII (other digits, other blanks) and values outside the bounds are
    refused. Reading never costs more than the bounded text it accepts.

    >>> read_number(7.4, SECONDS, "input_seconds"), read_number(" 10 ", SECONDS, "duration")
    (Decimal('7.4'), Decimal('10'))
    >>> read_number("1e-999999999", SECONDS, "duration")
    Traceback (most recent call last):
    ...
    ratecard.numbers.NumberError: duration '1e-999999999' has more than 9 decimal places
    """
    if type(value) is Decimal:
        result = value
    elif isinstance(value, bool):
        raise NumberError(f"{what} must be {_a(bounds.noun)}, not {brief(value)}", "type")
    elif isinstance(value, int):
        if value.bit_length() > 4 * bounds.below + 4:  # certainly >= 10 ** below
            raise NumberError(f"{what} {brief(value)} is not a plausible {bounds.noun} (it "
                              f"must be below {bounds.limit})", "magnitude")
        result = Decimal(value)
    elif isinstance(value, float):  # float.__repr__: a subclass's own repr (numpy's
        result = Decimal(float.__repr__(value))  # "np.float64(5.0)") is no number
    elif isinstance(value, str):
        if not value.isascii():  # Decimal reads other digits, strips other blanks: no guess
            raise NumberError(f"{what} must be a number in ASCII digits, got {brief(value)}",
                              "syntax")
        text = value.strip()
        if len(text) > bounds.text:
            raise NumberError(f"{what} {brief(value)} is too long to be {_a(bounds.noun)}",
                              "length")
        if "_" in text:
            raise NumberError(f"{what} {brief(value)} is not {_a(bounds.noun)}: digit "
                              "separators are not read (write plain digits)", "syntax")
        try:
            result = Decimal(text)
        except decimal.InvalidOperation:
            raise NumberError(f"{what} must be a number, got {brief(value)}",
                              "syntax") from None
    elif isinstance(value, Decimal):  # a subclass
        result = Decimal(value)
    else:
        raise NumberError(f"{what} must be a number, got {type(value).__name__} "
                          f"{brief(value)}", "type")
    return _bounded(result, value, bounds, what)


def within(value: Decimal, bounds: Bounds) -> bool:
    """True when the Decimal ``value`` is finite and within ``bounds``.

    >>> within(Decimal("7.4"), JSON_NUMBER), within(Decimal("1E-999999999"), JSON_NUMBER)
    (True, False)
    """
    try:
        _bounded(value, value, bounds, "value")
    except NumberError:
        return False
    return True


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _bounded(result: Decimal, value: object, bounds: Bounds, what: str) -> Decimal:
    if not result.is_finite():
        raise NumberError(f"{what} must be a finite number, got {brief(value)}", "finite")
    _, digits, exponent = result.as_tuple()
    assert isinstance(exponent, int)
    if (result and result.adjusted() >= bounds.below) or exponent > bounds.below:
        raise NumberError(f"{what} {brief(value)} is not a plausible {bounds.noun} (it must "
                          f"be below {bounds.limit})", "magnitude")
    if exponent < -bounds.places:
        # decimal places that count: trailing zeros (27.0000) are only how it is written
        places = -exponent
        for digit in reversed(digits):
            if digit or not places:
                break
            places -= 1
        if places > bounds.places:
            if bounds.integer:
                raise NumberError(f"{what} must be {_a(bounds.noun)}, not {brief(value)}",
                                  "places")
            raise NumberError(f"{what} {brief(value)} has more than {bounds.places} decimal "
                              "places", "places")
        # only zeros beyond the places allowed: drop them (the value is the same)
        result = result.quantize(_QUANTA[bounds.places], context=EXACT)
        digits = result.as_tuple().digits
        exponent = -bounds.places
    if len(digits) > bounds.digits:
        written = _written_digits(digits, exponent)
        if written > bounds.digits:
            raise NumberError(f"{what} {brief(value)} has more than {bounds.digits} "
                              "significant digits", "digits")
        # zeros that end the decimal places (a typed column's scale): drop them, so that
        # the digits computed with stay within the bound
        result = result.quantize(_QUANTA[written - len(digits) - exponent], context=EXACT)
    return result


def _written_digits(digits: tuple[int, ...], exponent: int) -> int:
    """How many digits a number has without the zeros that end its decimal places.

    >>> _written_digits(Decimal("27.0000").as_tuple().digits, -4)
    2
    """
    zeros = 0
    for digit in reversed(digits[len(digits) + exponent:] if exponent < 0 else ()):
        if digit:
            break
        zeros += 1
    return len(digits) - zeros


_QUANTA = [Decimal(1).scaleb(-places) for places in range(61)]
"""``10 ** -places``, for every number of places a bound may allow."""
