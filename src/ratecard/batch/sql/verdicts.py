"""Reconcile statuses and reasons as SQL, from the tables the Python path uses.

:func:`status` writes a name of :data:`ratecard.codes.RECONCILE_STATUSES`;
:func:`reason` turns a template of :data:`ratecard.reconcile.reasons.REASONS` into a ``||``
concatenation (:func:`concat`), each field given as an SQL expression (text) or a constant.

>>> from ratecard.batch.sql.dialects import DUCKDB
>>> reason(DUCKDB, "overcharge", difference="CAST(d AS STRING)", currency="currency_v")
"'charged ' || CAST(d AS STRING) || ' ' || currency_v || ' more than the card'"
>>> reason(DUCKDB, "sound_unreadable", sound="sound")
"'sound ''' || sound || ''' is not on or off'"
>>> reason(DUCKDB, "match"), status("MATCH")
("''", "'MATCH'")
"""

from __future__ import annotations

from string import Formatter

from ratecard.batch.sql.dialects import Dialect
from ratecard.codes import RECONCILE_STATUSES
from ratecard.reconcile.reasons import REASONS


def status(name: str) -> str:
    """The status ``name`` as an SQL literal (a name of ``RECONCILE_STATUSES`` only)."""
    if name not in RECONCILE_STATUSES:
        raise ValueError(f"{name} is not a reconcile status")
    return f"'{name}'"


def reason(d: Dialect, name: str, **fields: str | int) -> str:
    """The reason ``name`` (its SQL wording) as a concatenation (see :func:`concat`)."""
    return concat(d, REASONS[name].sql or REASONS[name].text, **fields)


def concat(d: Dialect, template: str, **fields: str | int) -> str:
    """The :meth:`str.format` ``template`` as a ``||`` concatenation.

    A ``str`` field is an SQL expression of type text; an ``int`` is a constant written
    into the text. ``{field!r}`` quotes the value between single quotes.

    >>> from ratecard.batch.sql.dialects import DUCKDB
    >>> concat(DUCKDB, "{a}; at most {n} of {b!r}", a="x", n=3, b="y")
    "x || '; at most 3 of ''' || y || ''''"
    """
    parts: list[str] = []
    pending = ""  # literal text not yet written
    used = set()
    for text, field, _, conversion in Formatter().parse(template):
        pending += text
        if field is None:
            continue
        used.add(field)
        value = fields[field]
        if isinstance(value, int):
            pending += str(value)
            continue
        quote = "'" if conversion == "r" else ""
        if pending + quote:
            parts.append(d.literal(pending + quote))
        parts.append(value)
        pending = quote
    if pending or not parts:
        parts.append(d.literal(pending))
    if used != set(fields):
        raise ValueError(f"{template!r} has no field {', '.join(sorted(set(fields) - used))}")
    return " || ".join(parts)
