"""An invoice line's provider and model as the cards spell them, in SQL.

:func:`named_ctes` gives ``lines_named``: the lines with ``provider`` and ``model`` read by
the rule of :class:`ratecard.reconcile.names.OfferingNames` (``EvoLink`` is ``evolink``).
The names are written into the query as constants, so a line whose names the cards spell
as it does costs one comparison with a short list; only the others are folded and looked
up. Both CTEs are inline: they are as wide as the input.

>>> from ratecard.batch.sql.dialects import DUCKDB
>>> sql = provider_name(DUCKDB, "l.provider", OfferingNames([("evolink", "m")]))
>>> "WHEN l.provider IN ('evolink') THEN l.provider" in sql
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ratecard.batch.sql.columns import LINE_COLUMNS
from ratecard.batch.sql.ctes import Cte
from ratecard.batch.sql.dialects import Dialect
from ratecard.batch.sql.words import folded
from ratecard.reconcile.names import OfferingNames


def provider_name(d: Dialect, expr: str, names: OfferingNames) -> str:
    """The provider ``expr`` as the cards spell it."""
    known = list(names.models_of)
    if not known:
        return expr
    return _named(d, expr, known, names.provider_folds)


def model_name(d: Dialect, provider: str, model: str, names: OfferingNames) -> str:
    """The model ``model`` of the provider ``provider`` (as the cards spell it) as the cards
    spell it."""
    arms = "".join(
        f"\n      WHEN {d.literal(name)} THEN "
        f"{_named(d, model, list(models), names.model_folds(name))}"
        for name, models in names.models_of.items())
    return f"(CASE {provider}{arms}\n      ELSE {model} END)" if arms else model


def _named(d: Dialect, expr: str, known: Sequence[str], folds: Mapping[str, str]) -> str:
    """``expr`` when it is one of ``known``, else the name its lower case is in ``folds``,
    else ``expr``."""
    exact = ", ".join(map(d.literal, known))
    if not folds:
        return expr
    arms = " ".join(f"WHEN {d.literal(lower)} THEN {d.literal(name)}"
                    for lower, name in folds.items())
    # the folded text only where it is not a name (see lines.unless)
    other = f"(CASE WHEN {expr} IN ({exact}) THEN NULL ELSE {folded(d, expr)} END)"
    return (f"(CASE WHEN {expr} IN ({exact}) THEN {expr}"
            f" ELSE COALESCE(CASE {other} {arms} END, {expr}) END)")


def named_ctes(d: Dialect, lines: str, names: OfferingNames) -> list[Cte]:
    """The CTEs from ``lines`` to ``lines_named`` (see the module)."""
    def columns(provider: str, model: str) -> str:
        return ", ".join(provider if name == "provider" else model if name == "model"
                         else name for name in LINE_COLUMNS)

    return [
        Cte("lines_provider_named", "each line, its provider as the cards spell it",
            f"SELECT {columns(provider_name(d, 'provider', names) + ' AS provider', 'model')}"
            f"\n  FROM {lines}", inline=True),
        Cte("lines_named", "each line, its provider and model as the cards spell them",
            f"SELECT {columns('provider', model_name(d, 'provider', 'model', names) + ' AS model')}"
            "\n  FROM lines_provider_named", inline=True),
    ]
