"""What the answering subcommands print about sources: the compact marker of a row, and,
with ``--sources``, each fact with its basis, document, check date and quote, and the
recorded conflicts touching them.

>>> from ratecard.pricing.provenance import Origin, UsedFact
>>> print(fact_rows([("1", (UsedFact("price", "5.4 credits/s",
...     Origin("documented", "001_82db72441ebb5bb7.txt", None, "5.4 credits per second")),))]))
... # doctest: +NORMALIZE_WHITESPACE
[['1', 'price', '5.4 credits/s', 'documented', '001_82db72441ebb5bb7.txt', '',
  '"5.4 credits per second"', '']]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ratecard.pricing.provenance import Origin, RecordedConflict, UsedFact, conflicts_of

Rows = Sequence[tuple[str, Sequence[UsedFact]]]
"""(what the facts are of: a rank, an offering, ``quote``; the facts)."""


def how(fact: UsedFact) -> str:
    """The document's words (quoted) and the card's note, as one text."""
    origin = fact.origin
    if origin is None:
        return "the card gives no source"
    parts = []
    if origin.quote:
        parts.append(f'"{origin.quote}"')
    if origin.note:
        parts.append(" ".join(origin.note.split()))
    return "; ".join(parts)


def fact_rows(rows: Rows) -> list[list[str]]:
    """One table row per fact: of what, fact, value, basis, document, checked, how,
    conflicts (their subjects)."""
    table = []
    for label, facts in rows:
        for fact in facts:
            origin = fact.origin
            table.append([
                label, fact.label, fact.value,
                fact.basis + (" (assumption)" if fact.to_dict()["assumption"] else ""),
                "" if origin is None else origin.document,
                "" if origin is None or origin.checked_on is None
                else origin.checked_on.isoformat(),
                how(fact), "; ".join(c.subject for c in fact.conflicts)])
    return table


def print_sources(rows: Rows, title: str = "sources") -> None:
    """The facts of ``rows`` as a table, then the conflicts touching them."""
    from ratecard.terminal import text_table

    table = fact_rows(rows)
    if not table:
        return
    print(f"\n{title}:")
    print(text_table(table, headers=("of", "fact", "value", "basis", "document", "checked",
                                   "quote; note", "conflicts"),
                   tablefmt="simple", disable_numparse=True,
                   maxcolwidths=[None, None, 28, None, 26, None, 60, 30]))
    print_conflicts(conflicts_of(fact for _, facts in rows for fact in facts))


def print_conflicts(conflicts: Iterable[RecordedConflict], title: str = "") -> None:
    """Recorded conflicts: subject, what they touch, every claim and the resolution."""
    from ratecard.terminal import text_table

    found = list(conflicts)
    if not found:
        return
    print(f"\n{title or 'recorded conflicts'} ({len(found)}):")
    table = []
    for conflict in found:
        claims = "\n".join(f"{claim.value} ({claim.origin.document}{_checked(claim.origin)})"
                           for claim in conflict.claims)
        where = ", ".join(conflict.offerings) or "every offering"
        table.append([conflict.provider, conflict.subject,
                      f"{where}: {', '.join(conflict.touches)}", claims,
                      " ".join(conflict.resolution.split())])
    print(text_table(table, headers=("provider", "subject", "touches", "claims", "resolution"),
                   tablefmt="grid", maxcolwidths=[None, 26, 28, 40, 56]))


def _checked(origin: Origin) -> str:
    return "" if origin.checked_on is None else f", checked {origin.checked_on.isoformat()}"
