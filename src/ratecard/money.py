"""Exact decimal arithmetic for money and seconds.

Nothing here uses binary floats or the ambient :mod:`decimal` context: every operation
runs in :data:`EXACT`, a private context that raises instead of rounding silently, and
every rounding names its mode.

>>> from decimal import Decimal
>>> quantize(Decimal("0.1125"), Decimal("0.001"), "half_up")
Decimal('0.113')
>>> quantize(Decimal("0.1125"), Decimal("0.001"), "half_even")
Decimal('0.112')
>>> divide_and_round(Decimal("12"), Decimal("72"), Decimal("0.000001"), "half_up")
Decimal('0.166667')
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal

RoundingMode = Literal["half_up", "half_even", "half_down", "up", "down", "ceiling", "floor"]
"""How a value is rounded to its precision (the names of :mod:`decimal`'s modes)."""


@dataclass(frozen=True, slots=True)
class RoundingRule:
    """One rounding mode, declared once for every engine that rounds.

    ``bumps(twice_rest, denominator, whole_is_odd, negative)`` says whether rounding a
    non-integral quotient away from its integer part adds one unit (``twice_rest`` is
    twice the remainder, compared with the denominator: a half is equality).
    ``sql_nonnegative`` is the same predicate for a value ``>= 0`` in SQL, over ``{f}``
    (the fraction below the unit), ``{h}`` (half a unit) and ``{w}`` (the whole units).
    """

    name: str
    decimal: str
    """The :mod:`decimal` constant (``ROUND_HALF_UP``)."""
    meaning: str
    bumps: Callable[[int, int, bool, bool], bool]
    sql_nonnegative: str


ROUNDING: Final[Mapping[str, RoundingRule]] = {rule.name: rule for rule in (
    RoundingRule("half_up", decimal.ROUND_HALF_UP, "to nearest, halves away from zero",
                 lambda twice, den, odd, neg: twice >= den, "{f} >= {h}"),
    RoundingRule("half_even", decimal.ROUND_HALF_EVEN, "to nearest, halves to even",
                 lambda twice, den, odd, neg: twice > den or (twice == den and odd),
                 "({f} > {h} OR ({f} = {h} AND {w} % 2 = 1))"),
    RoundingRule("half_down", decimal.ROUND_HALF_DOWN, "to nearest, halves toward zero",
                 lambda twice, den, odd, neg: twice > den, "{f} > {h}"),
    RoundingRule("up", decimal.ROUND_UP, "away from zero",
                 lambda twice, den, odd, neg: True, "{f} > 0"),
    RoundingRule("down", decimal.ROUND_DOWN, "toward zero",
                 lambda twice, den, odd, neg: False, "FALSE"),
    RoundingRule("ceiling", decimal.ROUND_CEILING, "toward positive infinity",
                 lambda twice, den, odd, neg: not neg, "{f} > 0"),
    RoundingRule("floor", decimal.ROUND_FLOOR, "toward negative infinity",
                 lambda twice, den, odd, neg: neg, "FALSE"),
)}
"""Every rounding mode a card may declare: the one table Python and SQL round with."""

ROUNDING_MODES: Final[Mapping[str, str]] = {name: rule.decimal for name, rule in
                                            ROUNDING.items()}
"""Mode name -> :mod:`decimal` constant."""

EXACT: Final = decimal.Context(
    prec=60,
    rounding=decimal.ROUND_HALF_UP,
    traps=[decimal.Inexact, decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
"""Context for exact arithmetic: 60 digits, and a result that would need rounding raises."""


ROUNDING_CONTEXT: Final = decimal.Context(prec=60, traps=[decimal.InvalidOperation])
"""Context for quantize: wide enough for any amount, never the ambient context."""


_exact_multiply = EXACT.multiply


class InexactError(ArithmeticError):
    """An operation that must be exact would have had to round."""


def multiply(a: Decimal, b: Decimal) -> Decimal:
    """Exact product of two decimals; raises :class:`InexactError` rather than round.

    >>> multiply(Decimal("5.4"), Decimal("1.333"))
    Decimal('7.1982')
    """
    try:
        return EXACT.multiply(a, b)
    except decimal.Inexact as exc:  # pragma: no cover - needs > 60 significant digits
        raise InexactError(f"{plain(a)} x {plain(b)} has more than 60 significant digits") from exc


def quantize(value: Decimal, precision: Decimal, mode: RoundingMode) -> Decimal:
    """Round ``value`` to a multiple of ``precision`` (a power of ten) with ``mode``.

    Rounding twice changes nothing:

    >>> once = quantize(Decimal("35.99105"), Decimal("0.0001"), "half_up")
    >>> once, quantize(once, Decimal("0.0001"), "half_up") == once
    (Decimal('35.9911'), True)
    """
    return value.quantize(precision, rounding=ROUNDING_MODES[mode], context=ROUNDING_CONTEXT)


def divide_and_round(
    numerator: Decimal, denominator: Decimal, precision: Decimal, mode: RoundingMode
) -> Decimal:
    """``numerator / denominator`` rounded once, exactly, to ``precision`` with ``mode``.

    The quotient may not terminate (12 / 72 = 1/6); the rounding is decided from the exact
    rational value with integer arithmetic, never from a truncated approximation.

    >>> divide_and_round(Decimal("27"), Decimal("72"), Decimal("0.000001"), "half_up")
    Decimal('0.375000')
    >>> divide_and_round(Decimal("-1"), Decimal("8"), Decimal("0.01"), "half_up")
    Decimal('-0.13')
    """
    exact = Fraction(numerator) / Fraction(denominator) / Fraction(precision)
    units = round_fraction(exact, mode)
    return ROUNDING_CONTEXT.multiply(Decimal(units), precision).quantize(
        precision, context=ROUNDING_CONTEXT)


def round_fraction(value: Fraction, mode: RoundingMode) -> int:
    """Round an exact rational to an integer with ``mode``.

    >>> [round_fraction(Fraction(5, 2), m) for m in ("half_up", "half_even", "down", "up")]
    [3, 2, 2, 3]
    >>> round_fraction(Fraction(-5, 2), "half_up"), round_fraction(Fraction(-5, 2), "floor")
    (-3, -3)
    """
    return round_ratio(value.numerator, value.denominator, mode)


def round_ratio(numerator: int, denominator: int, mode: RoundingMode) -> int:
    """Round ``numerator / denominator`` (denominator > 0) to an integer with ``mode``.

    >>> round_ratio(7, 2, "half_even"), round_ratio(-7, 2, "half_even"), round_ratio(1, 3, "up")
    (4, -4, 1)
    """
    negative = numerator < 0
    whole, rest = divmod(-numerator if negative else numerator, denominator)
    if rest == 0:
        return -whole if negative else whole
    bump = ROUNDING[mode].bumps(2 * rest, denominator, whole % 2 == 1, negative)
    if bump:
        whole += 1
    return -whole if negative else whole


def is_power_of_ten(value: Decimal) -> bool:
    """True for 1, 10, 0.1, 0.0001, ...: the precisions money can be rounded to.

    >>> is_power_of_ten(Decimal("0.0001")), is_power_of_ten(Decimal("0.05"))
    (True, False)
    """
    if value <= 0:
        return False
    digits = value.normalize(EXACT).as_tuple().digits
    return digits == (1,)


def plain(value: Decimal) -> str:
    """Decimal as a plain string, never in exponent notation.

    >>> plain(Decimal("1E+1")), plain(Decimal("27.0000")), plain(Decimal("0.000001"))
    ('10', '27.0000', '0.000001')

    A number whose exponent would pad it with more than :data:`MAX_PADDING` zeros is
    written in exponent notation instead, so the text is never much longer than the
    number's digits:

    >>> plain(Decimal("1E-999999999"))
    '1E-999999999'
    """
    text = str(value)
    if "E" not in text:  # already positional: the same text as format "f"
        return text
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and not -MAX_PADDING <= exponent <= MAX_PADDING:
        return text
    return f"{value:f}"


MAX_PADDING: Final = 100
"""Most zeros :func:`plain` adds to write a number without an exponent."""


def grid_ratio(grid: Decimal, divisor: Decimal, precision: Decimal) -> Fraction:
    """``grid / (divisor x precision)`` exactly: an amount of ``k`` units of ``grid``
    divided by ``divisor`` is ``k x grid_ratio`` units of ``precision`` (see
    :class:`GridDivider`).

    >>> grid_ratio(Decimal("0.0001"), Decimal("72"), Decimal("0.000001"))
    Fraction(25, 18)
    """
    return Fraction(grid) / (Fraction(divisor) * Fraction(precision))


class GridDivider:
    """Divide amounts that lie on a fixed grid by a fixed divisor and round, with integers.

    ``amount / divisor`` rounded to ``precision`` with ``mode``, exactly like
    :func:`divide_and_round`, but precomputed for the hot path: an amount on ``grid``
    (``k x grid``) becomes ``round(k x num / den)`` units of ``precision``.

    >>> to_usd = GridDivider(Decimal("0.0001"), Decimal("72"), Decimal("0.000001"), "half_up")
    >>> to_usd(Decimal("27.0000")), to_usd(Decimal("88.8")), to_usd(Decimal("12.00005"))
    (Decimal('0.375000'), Decimal('1.233333'), Decimal('0.166667'))
    >>> to_usd(Decimal("-27.0000"))
    Decimal('-0.375000')

    Two dividers are equal when they were made from the same four values:

    >>> to_usd.spec
    (Decimal('0.0001'), Decimal('72'), Decimal('0.000001'), 'half_up')
    """

    __slots__ = ("_den", "_divisor", "_grid", "_grid_exp", "_mode", "_num", "_precision")

    def __init__(
        self, grid: Decimal, divisor: Decimal, precision: Decimal, mode: RoundingMode
    ) -> None:
        ratio = grid_ratio(grid, divisor, precision)
        self._num, self._den = ratio.numerator, ratio.denominator
        self._grid = grid
        self._grid_exp = -int(grid.normalize(EXACT).as_tuple().exponent)
        self._divisor = divisor
        self._precision = precision
        self._mode: RoundingMode = mode

    @property
    def spec(self) -> tuple[Decimal, Decimal, Decimal, RoundingMode]:
        """``(grid, divisor, precision, mode)``: what the divider was made from."""
        return self._grid, self._divisor, self._precision, self._mode

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GridDivider) and self.spec == other.spec

    def __hash__(self) -> int:
        return hash(self.spec)

    def __repr__(self) -> str:
        return f"GridDivider{self.spec!r}"

    def __call__(self, amount: Decimal) -> Decimal:
        # positional arguments: keywords cost ~100 ns a call on C decimal methods
        scaled = amount.scaleb(self._grid_exp, ROUNDING_CONTEXT)
        whole = int(scaled)
        if whole != scaled:  # not on the grid: take the general path
            return divide_and_round(amount, self._divisor, self._precision, self._mode)
        numerator = whole * self._num
        den = self._den
        if self._mode == "half_up" and numerator >= 0:
            units = (2 * numerator + den) // (2 * den)
        else:
            units = round_ratio(numerator, den, self._mode)
        return _exact_multiply(Decimal(units), self._precision)
