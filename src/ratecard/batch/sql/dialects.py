"""What differs between DuckDB and Spark SQL: one small class per dialect.

:class:`Dialect` says what every dialect renders (string literals and their escapes, the
full-match regex, integer division, adding days, trimming given characters, the hash,
formatting a timestamp, how a common table expression stays unmaterialized);
:class:`DuckDBDialect` and :class:`SparkDialect` render it. The rest of the query text
is shared.

>>> DUCKDB.int_div("a", "b"), SPARK.int_div("a", "b")
('(a // b)', '(a div b)')
>>> DUCKDB, SPARK.name
(DuckDBDialect(), 'spark')
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar, Literal

from ratecard.vocabulary import BLANKS

WHITESPACE = BLANKS
"""What ``str.strip()`` removes, ASCII part (:data:`ratecard.vocabulary.BLANKS`): the SQL
engines trim exactly these, as the Python path does."""

Side = Literal["BOTH", "LEADING", "TRAILING"]
"""Which end of a text :meth:`Dialect.trim` trims."""


class Dialect(ABC):
    """The SQL a dialect writes where DuckDB and Spark differ, and nothing else."""

    __slots__ = ()

    name: ClassVar[str]
    """``duckdb`` or ``spark``."""
    hash_function: ClassVar[str]
    """A 64-bit hash of any values (only ever used to find candidates, then checked)."""
    inline: ClassVar[str]
    """How a common table expression is declared when it must not be materialized."""
    materialized: ClassVar[str]
    """How a common table expression is declared when it is to be computed once."""
    grouping_sets: ClassVar[bool]
    """Whether the rating query groups the lines by task and by job shape in one scan
    (``GROUPING SETS``) rather than in one scan each."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    @abstractmethod
    def literal(self, text: str) -> str:
        """A string literal holding ``text``."""

    @abstractmethod
    def full_match(self, expr: str, pattern: str) -> str:
        """``expr`` matches the regular expression ``pattern`` entirely."""

    @abstractmethod
    def int_div(self, a: str, b: str) -> str:
        """Integer division of non-negative BIGINTs."""

    @abstractmethod
    def add_days(self, day: str, days: str) -> str:
        """``day`` plus an INTEGER number of days."""

    @abstractmethod
    def trim(self, side: Side, expr: str, chars: str) -> str:
        """``expr`` without ``chars`` at ``side``."""

    @abstractmethod
    def format_utc(self, expr: str) -> str:
        """A TIMESTAMP written ``YYYY-MM-DDTHH:MM:SSZ``."""

    @abstractmethod
    def from_epoch_ms(self, expr: str) -> str:
        """The TIMESTAMP (UTC) a BIGINT of milliseconds since 1970 stands for."""

    @abstractmethod
    def ordered_join(self, value: str, order: str, separator: str) -> str:
        """An aggregate: the group's ``value`` texts joined by ``separator`` in the order of
        ``order`` (never NULL)."""

    def strip(self, expr: str, chars: str = WHITESPACE) -> str:
        """``expr`` without leading and trailing ``chars`` (blanks, by default)."""
        return self.trim("BOTH", expr, chars)

    def strip_column(self, column: str) -> str:
        """The text column ``column`` without leading and trailing blanks
        (:data:`WHITESPACE`), as :meth:`strip`; a dialect may skip the trim when nothing is
        to be trimmed (``column`` is a name: it may be read several times)."""
        return self.strip(column)

    def ltrim(self, expr: str, chars: str) -> str:
        """``expr`` without leading ``chars``."""
        return self.trim("LEADING", expr, chars)

    def rtrim(self, expr: str, chars: str) -> str:
        """``expr`` without trailing ``chars``."""
        return self.trim("TRAILING", expr, chars)

    def hash(self, *exprs: str) -> str:
        """A 64-bit hash of the values.

        >>> DUCKDB.hash("provider", "task_id"), SPARK.hash("provider", "task_id")
        ('hash(provider, task_id)', 'xxhash64(provider, task_id)')
        """
        return f"{self.hash_function}({', '.join(exprs)})"


class DuckDBDialect(Dialect):
    """DuckDB: RE2 regular expressions, literals without backslash escapes.

    >>> DUCKDB.literal("it's"), DUCKDB.strip("x", " ")
    ("'it''s'", "trim(x, ' ')")
    """

    __slots__ = ()
    name = "duckdb"
    hash_function = "hash"
    inline = "AS NOT MATERIALIZED"  # DuckDB would otherwise store every line
    materialized = "AS MATERIALIZED"
    grouping_sets = True  # one scan keeps the hash and job shape of each line, then groups

    def literal(self, text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    def full_match(self, expr: str, pattern: str) -> str:
        return f"regexp_full_match({expr}, {self.literal(pattern)})"

    def int_div(self, a: str, b: str) -> str:
        return f"({a} // {b})"

    def add_days(self, day: str, days: str) -> str:
        return f"CAST({day} + CAST({days} AS INTEGER) AS DATE)"

    def trim(self, side: Side, expr: str, chars: str) -> str:
        function = {"BOTH": "trim", "LEADING": "ltrim", "TRAILING": "rtrim"}[side]
        return f"{function}({expr}, {self.literal(chars)})"

    def strip_column(self, column: str) -> str:
        # every blank is below '!': text whose first byte and last character are not
        # has nothing to trim, and DuckDB's trim of a set of characters costs more than
        # both tests (the reconcile reads every field of every line so)
        assert max(WHITESPACE) < "!"
        return (f"(CASE WHEN {column} >= '!' AND {column}[-1] >= '!' THEN {column}"
                f" ELSE {self.strip(column)} END)")

    def format_utc(self, expr: str) -> str:
        return f"strftime({expr}, '%Y-%m-%dT%H:%M:%SZ')"

    def from_epoch_ms(self, expr: str) -> str:
        return f"epoch_ms({expr})"

    def ordered_join(self, value: str, order: str, separator: str) -> str:
        return f"string_agg({value}, {self.literal(separator)} ORDER BY {order})"


class SparkDialect(Dialect):
    """Spark SQL: java.util.regex, literals that unescape backslashes.

    >>> SPARK.literal("a\\\\d'"), SPARK.full_match("x", "[0-9]+")
    ("'a\\\\\\\\d\\\\''", "(x RLIKE '^(?:[0-9]+)\\\\\\\\z')")
    >>> SPARK.add_days("d", "1")
    'date_add(d, CAST(1 AS INTEGER))'
    """

    __slots__ = ()
    name = "spark"
    hash_function = "xxhash64"
    inline = "AS"  # Spark always inlines
    materialized = "AS"
    grouping_sets = False  # Spark would expand every line into one row per set

    def literal(self, text: str) -> str:
        out = []
        for char in text:
            if char in "\\'":
                out.append("\\" + char)
            elif ord(char) < 32:
                out.append(f"\\u{ord(char):04x}")
            else:
                out.append(char)
        return "'" + "".join(out) + "'"

    def full_match(self, expr: str, pattern: str) -> str:
        # Java's $ also matches before a final newline: \z is the true end
        return f"({expr} RLIKE {self.literal('^(?:' + pattern + ')' + chr(92) + 'z')})"

    def int_div(self, a: str, b: str) -> str:
        return f"({a} div {b})"

    def add_days(self, day: str, days: str) -> str:
        return f"date_add({day}, CAST({days} AS INTEGER))"

    def trim(self, side: Side, expr: str, chars: str) -> str:
        return f"trim({side} {self.literal(chars)} FROM {expr})"

    def format_utc(self, expr: str) -> str:
        return f"date_format({expr}, \"yyyy-MM-dd'T'HH:mm:ss'Z'\")"

    def from_epoch_ms(self, expr: str) -> str:
        return f"timestamp_millis({expr})"

    def ordered_join(self, value: str, order: str, separator: str) -> str:
        pairs = f"array_sort(collect_list(named_struct('o', {order}, 'v', {value})))"
        return f"array_join(transform({pairs}, x -> x.v), {self.literal(separator)})"


DUCKDB: Dialect = DuckDBDialect()
SPARK: Dialect = SparkDialect()
