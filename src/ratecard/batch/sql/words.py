"""The invoice vocabularies of :mod:`ratecard.vocabulary` as SQL lookups, so the Python path
and the SQL engines read the same words.

>>> STATUS_WORDS["cancelled"], CURRENCIES["USD"]
(('cancelled', 'canceled'), ('usd',))
>>> lookup("x", {"USD": ("usd",)})
"(CASE x WHEN 'usd' THEN 'USD' END)"
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ratecard.batch.sql.dialects import Dialect
from ratecard.vocabulary import (
    CURRENCY_WORDS,
    FAILED_JOB_STATUSES,
    INVOICE_SOUND_WORDS,
    INVOICE_STATUS_WORDS,
    UNSETTLED_JOB_STATUSES,
    on_off,
)


def _grouped(words: Mapping[str, object]) -> dict[str, tuple[str, ...]]:
    groups: dict[str, tuple[str, ...]] = {}
    for word, value in words.items():
        key = str(value).upper() if isinstance(value, bool) else str(value)
        groups[key] = (*groups.get(key, ()), word)
    return groups


STATUS_WORDS = _grouped(INVOICE_STATUS_WORDS)
"""Job status -> the spellings read as it (compared after trimming and lower-casing)."""
CURRENCIES = _grouped(CURRENCY_WORDS)
"""Currency -> the spellings read as it (compared after lower-casing)."""
SOUND_WORDS = _grouped(INVOICE_SOUND_WORDS)
"""``TRUE``/``FALSE`` -> the spellings read as sound on/off."""
EXACT_CURRENCY = {currency: (currency,) for currency in CURRENCIES}
"""The spellings looked up first (the common case), before case folding."""
EXACT_STATUS = {job: (job,) for job in STATUS_WORDS}
USD = CURRENCY_WORDS["usd"]
"""The currency of USD lines."""


def sql_list(words: Iterable[str]) -> str:
    """Plain words (no quote in them) as an SQL list, for ``IN``.

    >>> sql_list({"failed", "cancelled"})
    "('cancelled', 'failed')"
    """
    return "(" + ", ".join(f"'{word}'" for word in sorted(words)) + ")"


FAILED_JOBS = sql_list(FAILED_JOB_STATUSES)
"""Job statuses for which nothing may be charged, as an SQL list."""
UNSETTLED_JOBS = sql_list(UNSETTLED_JOB_STATUSES)
"""Job statuses of a task not finished, as an SQL list."""


def lookup(expr: str, table: Mapping[str, tuple[str, ...]], quote: bool = True) -> str:
    """``expr`` looked up in ``{value: words}`` (NULL when it is none of the words);
    ``quote=False`` for values that are SQL already (``TRUE``)."""
    arms = " ".join(f"WHEN '{word}' THEN {repr(value) if quote else value}"
                    for value, words in table.items() for word in words)
    return f"(CASE {expr} {arms} END)"


def folded(d: Dialect, expr: str) -> str:
    """``expr`` in lower case when it is printable ASCII, else NULL: every word is ASCII,
    and engines fold other letters differently (DuckDB lowers ``İ`` to ``i``, Python and
    Spark to ``i`` and a combining dot), so text that is not ASCII is never folded into a
    word (:func:`ratecard.vocabulary.fold`)."""
    return f"(CASE WHEN {d.full_match(expr, '[ -~]*')} THEN lower({expr}) END)"


def on_off_word(expr: str) -> str:
    """The word of the BOOLEAN ``expr``: ``on`` or ``off``."""
    return f"(CASE WHEN {expr} THEN '{on_off(True)}' ELSE '{on_off(False)}' END)"
