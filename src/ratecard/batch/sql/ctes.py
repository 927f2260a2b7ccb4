"""Named common table expressions, each with a one-line comment saying what it holds.

>>> from ratecard.batch.sql.dialects import DUCKDB
>>> print(with_clause(DUCKDB, [Cte("two", "the number two", "SELECT 2 AS n"),
...                            Cte("big", "big lines", "SELECT * FROM t", inline=True)]))
WITH
-- the number two
two AS (
  SELECT 2 AS n
),
-- big lines
big AS NOT MATERIALIZED (
  SELECT * FROM t
)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ratecard.batch.sql.dialects import Dialect


@dataclass(frozen=True, slots=True)
class Cte:
    """One common table expression: ``name AS (body)``, preceded by ``-- comment``."""

    name: str
    comment: str
    """What each row holds, in one line."""
    body: str
    """The SELECT; continuation lines indented by two spaces."""
    inline: bool = False
    """Never materialized: it is as wide as the input and read by one consumer each time."""
    materialized: bool = False
    """Computed once where the dialect can say so: it is small, and read more than once."""

    def render(self, d: Dialect) -> str:
        """The definition, as it appears in a WITH clause."""
        if "\n" in self.comment:
            raise ValueError(f"{self.name}: a CTE's comment is one line")
        keyword = d.inline if self.inline else d.materialized if self.materialized else "AS"
        return f"-- {self.comment}\n{self.name} {keyword} (\n  {self.body.strip()}\n)"


def with_clause(d: Dialect, ctes: Iterable[Cte]) -> str:
    """``WITH`` and every definition, in order (each may read the ones before)."""
    defined = list(ctes)
    names = [cte.name for cte in defined]
    if len(set(names)) != len(names):
        raise ValueError(f"CTE names repeat: {names}")
    return "WITH\n" + ",\n".join(cte.render(d) for cte in defined)
