"""Exact decimals in SQL: plain decimal text read as DECIMAL, and rounding by any mode.

No DOUBLE anywhere and no decimal division. Rounding ``x >= 0`` to ``10^-k`` multiplies
by the integer ``10^k``, takes FLOOR and the exact fraction, and bumps by the mode
(:data:`BUMP_RULES`, from :data:`ratecard.money.ROUNDING`). Types are narrow so that no
product needs more than 38 digits: seconds ``DECIMAL(13,6)``, rates ``DECIMAL(18,8)``,
exact amounts ``DECIMAL(30,14)``, money ``DECIMAL(38,10)``.

>>> MONEY.sql_type, SECONDS.sql_type, PLAIN_MONEY
('DECIMAL(38,10)', 'DECIMAL(13,6)', '[0-9]{1,16}([.][0-9]{0,10})?')
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ratecard.batch.sql.dialects import Dialect
from ratecard.money import ROUNDING
from ratecard.numbers import AMOUNT, BILLED_SECONDS


@dataclass(frozen=True, slots=True)
class DecimalText:
    """A plain decimal read from text: at most ``digits`` integer digits and ``scale``
    (non-zero) decimal places, as ``DECIMAL(precision, scale)``."""

    digits: int
    scale: int
    precision: int

    @property
    def sql_type(self) -> str:
        """The SQL type values are read as."""
        return f"DECIMAL({self.precision},{self.scale})"

    @property
    def plain(self) -> str:
        """The common case: digits, a point and decimals, nothing else (a fast path)."""
        return f"[0-9]{{1,{self.digits}}}([.][0-9]{{0,{self.scale}}})?"


MONEY = DecimalText(AMOUNT.below, 10, 38)
"""Money (``charged``, ``reserved``) and every amount: below ``1E+16`` like every amount
Python reads (:data:`ratecard.numbers.AMOUNT`), at most 10 decimal places where Python
reads 20; the 38 digits leave room for exact sums."""
SECONDS = DecimalText(BILLED_SECONDS.below, BILLED_SECONDS.places,
                      BILLED_SECONDS.below + BILLED_SECONDS.places)
"""Seconds (``duration``, ``input_seconds``), and the seconds billed: a card's clamps and
default durations (:data:`ratecard.numbers.BILLED_SECONDS`) are read as this type."""
EXACT_AMOUNT = "DECIMAL(30,14)"
"""Seconds x rate, before rounding."""
PRODUCT_SECONDS = "DECIMAL(38,6)"
"""Seconds as a factor of seconds x rate, and of seconds x ``10^scale`` when billed seconds
are rounded: wide, so that the engine multiplies in 128 bits (DuckDB types
``DECIMAL(13,6) x DECIMAL(18,8)`` as ``DECIMAL(18,14)``, and 1,000 s x 10.8 already
overflows it, even for a line whose seconds are refused)."""
USD_DIGITS = 18
"""USD is computed in BIGINT: ``amount_units x usd_num`` must stay below ``10^18``."""

_WS = "[ \\t\\n\\r\\x0b\\x0c\\x1c-\\x1f]"
NUMBER = f"{_WS}*[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+){_WS}*"
"""Plain decimal numbers (no exponent, no digit separators), surrounding blanks allowed."""
PLAIN_MONEY = MONEY.plain
"""The common case of money text: digits, a point and at most 10 decimals, nothing else."""

BUMP_RULES = {name: rule.sql_nonnegative for name, rule in ROUNDING.items()}
"""When rounding a non-negative value adds one unit (from :data:`ratecard.money.ROUNDING`):
``f`` is the part below the unit (compared with ``h``, half a unit), ``w`` the whole
units."""


def pow10(scale: str, width: int, most: int) -> str:
    """``10^scale`` as an exact DECIMAL(width,0), for ``0 <= scale <= most``."""
    arms = " ".join(f"WHEN {k} THEN {10 ** k}" for k in range(most + 1))
    return f"CAST(CASE {scale} {arms} END AS DECIMAL({width},0))"


def quantum(scale: str, most: int) -> str:
    """``10^-scale`` as an exact DECIMAL(11,10)."""
    arms = " ".join(f"WHEN {k} THEN {Decimal(1).scaleb(-k):f}" for k in range(most + 1))
    return f"CAST(CASE {scale} {arms} END AS DECIMAL(11,10))"


def bump(mode: str, fraction: str, whole: str, half: str) -> str:
    """Whether rounding by ``mode`` adds one unit (see :data:`BUMP_RULES`)."""
    arms = " ".join(f"WHEN '{name}' THEN " + rule.format(f=fraction, h=half, w=whole)
                    for name, rule in BUMP_RULES.items())
    return f"(CASE {mode} {arms} ELSE FALSE END)"


def round_nonnegative(x: str, scale: str, mode: str, width: int, most: int) -> str:
    """``x >= 0`` rounded to ``10^-scale`` by ``mode``, as DECIMAL(38,10).

    ``width`` bounds the integer factor's type so ``x x 10^scale`` fits 38 digits.

    >>> from ratecard.batch.duckdb_engine import connect
    >>> db = connect()
    >>> tie = "CAST(0.125 AS DECIMAL(30,14))"
    >>> [str(db.execute(f"SELECT {round_nonnegative(tie, '2', repr(mode), 9, 8)}")
    ...      .fetchone()[0]) for mode in ("half_up", "half_even", "half_down", "up", "down")]
    ['0.1300000000', '0.1200000000', '0.1200000000', '0.1300000000', '0.1200000000']
    """
    units = f"({x} * {pow10(scale, width, most)})"
    whole = f"FLOOR({units})"
    fraction = f"({units} - {whole})"
    return (f"CAST(({whole} + CASE WHEN {bump(mode, fraction, whole, '0.5')} THEN 1 ELSE 0 END)"
            f" * {quantum(scale, most)} AS {MONEY.sql_type})")


def number(d: Dialect, expr: str, integer_digits: int, scale: int, precision: int,
           plain: str | None = None) -> str:
    """The text ``expr`` as DECIMAL(precision, scale), or NULL when it is not a plain decimal
    or needs more integer digits or (non-zero) decimals than declared.

    Plain digits take a fast path; signs, blanks and extra zeros the general one. ``plain``:
    an expression already saying whether ``expr`` matches the fast path's grammar.
    The general path's text is NULL on the fast path: an engine that computes a repeated
    subexpression for every row (DuckDB) then trims only the texts that need it.

    >>> from ratecard.batch.duckdb_engine import connect
    >>> from ratecard.batch.sql.dialects import DUCKDB
    >>> db = connect()
    >>> [db.execute(f"SELECT {number(DUCKDB, repr(text), 26, 10, 38)}").fetchone()[0]
    ...  for text in (" +27.50 ", "27.5000000000000", "2.7E+1", "27.00000000001")]
    [Decimal('27.5000000000'), Decimal('27.5000000000'), None, None]
    """
    grammar = DecimalText(integer_digits, scale, precision)
    fast = plain or d.full_match(expr, grammar.plain)
    text = f"(CASE WHEN {fast} THEN NULL ELSE {d.strip(expr)} END)"
    dot = f"instr({text}, '.')"
    whole = f"(CASE WHEN {dot} > 0 THEN substr({text}, 1, {dot} - 1) ELSE {text} END)"
    decimals = f"(CASE WHEN {dot} > 0 THEN substr({text}, {dot} + 1) ELSE '' END)"
    return (f"(CASE WHEN {fast} THEN TRY_CAST({expr} AS "
            f"{grammar.sql_type})"
            f" WHEN {d.full_match(expr, NUMBER)}"
            f" AND length({d.ltrim(whole, '+-0')}) <= {integer_digits}"
            f" AND length({d.rtrim(decimals, '0')}) <= {scale}"
            f" THEN TRY_CAST({text} AS {grammar.sql_type}) END)")


def money(d: Dialect, expr: str, plain: str | None = None) -> str:
    """The text ``expr`` read as :data:`MONEY` (NULL when it is not; ``plain``: whether it
    matches :data:`PLAIN_MONEY`, when known)."""
    return number(d, expr, MONEY.digits, MONEY.scale, MONEY.precision, plain)


def seconds(d: Dialect, expr: str) -> str:
    """The text ``expr`` read as :data:`SECONDS` (NULL when it is not)."""
    return number(d, expr, SECONDS.digits, SECONDS.scale, SECONDS.precision)


def decimal_places(text: str) -> str:
    """Decimal places of the (already trimmed) plain decimal ``text``."""
    return f"(CASE WHEN instr({text}, '.') > 0 THEN length({text}) - instr({text}, '.') ELSE 0 END)"


def text_at(value: str, places: str, scale: int) -> str:
    """The DECIMAL(p, ``scale``) ``value`` as plain text with ``places`` decimal places, as
    Python shows the same value read with that many (the places dropped must be zeros).

    >>> from ratecard.batch.duckdb_engine import connect
    >>> db = connect()
    >>> value = "CAST(-54 AS DECIMAL(38,10))"
    >>> [db.execute(f"SELECT {text_at(value, str(k), 10)}").fetchone()[0] for k in (0, 4, 12)]
    ['-54', '-54.0000', '-54.000000000000']
    """
    text = f"CAST({value} AS STRING)"
    return (f"(CASE WHEN {places} > {scale} THEN {text} || repeat('0', {places} - {scale})"
            f" WHEN {places} = 0 THEN substr({text}, 1, length({text}) - {scale + 1})"
            f" ELSE substr({text}, 1, length({text}) - {scale} + {places}) END)")


def decimals_shown(d: Dialect, expr: str) -> str:
    """Decimal places of a plain decimal's text (how Python's Decimal would show it).

    >>> from ratecard.batch.duckdb_engine import connect
    >>> from ratecard.batch.sql.dialects import DUCKDB
    >>> connect().execute(f"SELECT {decimals_shown(DUCKDB, repr(' 27.50 '))}").fetchone()
    (2,)
    """
    return decimal_places(d.strip(expr))
