"""Where each fact of a compiled rate card comes from, and how sure ratecard is of it.

The compiler (:mod:`ratecard.cards.compiler`) turns every ``source`` of a card into an
:class:`Origin` and every recorded conflict into a :class:`RecordedConflict`, once; the plans
keep them by reference (a price cell its price's origin, an offering its other facts' in
:class:`OfferingSources`), so quoting does no extra work. Answers build their
:class:`UsedFact` lists only when asked (``Quote.facts``, ``to_dict``). Nothing here imports
pydantic or YAML, and everything is a frozen dataclass, so compiled catalogs still pickle.

>>> origin = Origin("inferred", "000_60837b4ac9c6861d.txt", date(2026, 11, 21),
...                 "起步价为 $0.075/秒", "taken as 720p without sound")
>>> fact = UsedFact("price", "5.4 credits/s", origin)
>>> fact.basis, markers([fact, UsedFact("multiplier", "x 1.334", origin)])
('inferred', ('inferred: price',))
>>> marker_text(markers([UsedFact("price", "12 credits/s", None)]))
'no source: price'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ratecard.money import plain
from ratecard.vocabulary import FACTS

DEFAULT_FACTS = frozenset({"default_quality", "default_sound", "default_duration"})
"""Facts that are a card's defaults: labelled the card's assumption unless documented."""

PRICE_FACTS = frozenset({"price", "multiplier"})
"""The facts a price itself rests on ("a route whose winner rests on an inferred price")."""


@dataclass(frozen=True, slots=True)
class Origin:
    """The source of one fact: its basis, the document, the day it was checked against it,
    and the document's own words."""

    basis: str
    """``documented``, ``inferred`` or ``supplied`` (see :data:`ratecard.vocabulary.BASES`)."""
    document: str
    """A seed file name, ``market-prices.md`` or a page address."""
    checked_on: date | None
    """The day the fact was checked against the document (``None``: supplied by the user)."""
    quote: str | None = None
    """The document's words (``...`` joins passages that are apart in the document)."""
    note: str | None = None
    """How an inferred fact was derived, or what a reader should know."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {"basis": self.basis, "document": self.document,
                "checked_on": None if self.checked_on is None else self.checked_on.isoformat(),
                "quote": self.quote, "note": self.note}


SUPPLIED = Origin("supplied", "user-supplied credit value", None, None,
                  "given with --credits-per-usd or Catalog.with_credit_value")
"""The origin of a credit value the caller gave."""


@dataclass(frozen=True, slots=True)
class ClaimLimits:
    """What one claim of a conflict would accept, so a body on its side can be flagged."""

    video_formats: tuple[str, ...] | None = None
    video_max_mb: Decimal | None = None
    input_seconds_min: Decimal | None = None
    input_seconds_max: Decimal | None = None

    def describe(self) -> str:
        """``formats mp4, mov; at most 100 MB`` style text.

        >>> ClaimLimits(None, Decimal(100), Decimal(3), Decimal(20)).describe()
        'at most 100 MB; input 3..20 s'
        """
        parts = []
        if self.video_formats is not None:
            parts.append(f"formats {', '.join(self.video_formats)}")
        if self.video_max_mb is not None:
            parts.append(f"at most {plain(self.video_max_mb)} MB")
        low, high = self.input_seconds_min, self.input_seconds_max
        if low is not None or high is not None:
            if high is None:
                parts.append(f"input at least {plain(low)} s")  # type: ignore[arg-type]
            else:
                parts.append(f"input {'0' if low is None else plain(low)}..{plain(high)} s")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form: numbers as decimal strings."""
        def text(value: Decimal | None) -> str | None:
            return None if value is None else plain(value)
        return {"video_formats": None if self.video_formats is None
                else list(self.video_formats),
                "video_max_mb": text(self.video_max_mb),
                "input_seconds_min": text(self.input_seconds_min),
                "input_seconds_max": text(self.input_seconds_max)}


@dataclass(frozen=True, slots=True)
class Claim:
    """What one source says in a conflict."""

    value: str
    origin: Origin
    limits: ClaimLimits | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {"value": self.value, **self.origin.to_dict(),
                "limits": None if self.limits is None else self.limits.to_dict()}


@dataclass(frozen=True, slots=True)
class RecordedConflict:
    """Sources that disagree, what the disagreement touches and how the card resolves it."""

    id: str
    """``provider:subject-in-words``: stable while the subject is."""
    provider: str
    subject: str
    offerings: tuple[str, ...]
    """The offerings concerned; empty: every offering of the card."""
    touches: tuple[str, ...]
    """The facts concerned (:data:`ratecard.vocabulary.FACTS`)."""
    claims: tuple[Claim, ...]
    resolution: str
    position: int = 0
    """Its place among the card's conflicts (the order listings keep)."""

    def concerns(self, model: str) -> bool:
        """True when the conflict concerns offering ``model``."""
        return not self.offerings or model in self.offerings

    def touches_fact(self, fact: str) -> bool:
        """True when the conflict touches ``fact``."""
        return fact in self.touches

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {"id": self.id, "provider": self.provider, "subject": self.subject,
                "offerings": list(self.offerings), "touches": list(self.touches),
                "claims": [claim.to_dict() for claim in self.claims],
                "resolution": " ".join(self.resolution.split())}


@dataclass(frozen=True, slots=True)
class OfferingSources:
    """The origins of one offering's facts, besides its prices (on the price cells), its
    credit values (on the credit plans) and its request rules (on the rules)."""

    qualities: Origin | None = None
    sounds: Origin | None = None
    forced_sound: Origin | None = None
    billing: Origin | None = None
    seconds_rounding: Origin | None = None
    amount_rounding: Origin | None = None
    usd_rounding: Origin | None = None
    duration: Origin | None = None
    """``accepts.duration``."""
    input_seconds: Origin | None = None
    """``accepts.input_seconds``."""
    default_quality: Origin | None = None
    default_sound: Origin | None = None
    default_duration: Origin | None = None
    features: tuple[tuple[str, Origin], ...] = ()
    conflicts: tuple[RecordedConflict, ...] = ()
    """Every recorded conflict that concerns the offering."""
    notes: str | None = None
    """The offering's ``notes``."""

    def origin(self, fact: str) -> Origin | None:
        """The origin of an offering-level fact by name (``None``: no source)."""
        value = getattr(self, fact, None) if fact in _OWN else None
        return value if isinstance(value, Origin) else None

    def touching(self, fact: str) -> tuple[RecordedConflict, ...]:
        """The recorded conflicts that touch ``fact`` of this offering."""
        return tuple(c for c in self.conflicts if c.touches_fact(fact))


_OWN = frozenset({"qualities", "sounds", "forced_sound", "billing", "seconds_rounding",
                  "amount_rounding", "usd_rounding", "duration", "input_seconds",
                  "default_quality", "default_sound", "default_duration"})

NO_SOURCES = OfferingSources()
"""An offering compiled without sources."""


@dataclass(frozen=True, slots=True)
class UsedFact:
    """One fact an answer used, the value it gave, where it comes from and the recorded
    conflicts that touch it."""

    fact: str
    """A name of :data:`ratecard.vocabulary.FACTS`."""
    value: str
    """What the fact said, in words (``5.4 credits/s``, ``3..15 s, whole seconds``)."""
    origin: Origin | None
    """``None``: the card gives no source for it."""
    conflicts: tuple[RecordedConflict, ...] = ()
    changed: bool = True
    """Whether it changed the amount (a rounding that had nothing to round did not, nor
    did the accepted length that admitted the request); markers name only those."""

    @property
    def basis(self) -> str:
        """``documented``, ``inferred``, ``supplied`` or ``unsourced``."""
        return "unsourced" if self.origin is None else self.origin.basis

    @property
    def label(self) -> str:
        """The fact's name in words (``credit value``)."""
        return FACTS.get(self.fact, self.fact)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form; ``conflicts`` lists the ids of the conflicts touching it."""
        origin = self.origin.to_dict() if self.origin is not None else {
            "basis": "unsourced", "document": None, "checked_on": None, "quote": None,
            "note": None}
        return {"fact": self.fact, "label": self.label, "value": self.value, **origin,
                "assumption": self.fact in DEFAULT_FACTS and self.basis != "documented",
                "changed": self.changed, "conflicts": [c.id for c in self.conflicts]}


SHORT: dict[str, str] = {
    "price": "price", "multiplier": "price", "credit_value": "credit value",
    "billing": "billing", "seconds_rounding": "billing", "qualities": "quality/sound",
    "sounds": "quality/sound", "forced_sound": "quality/sound", "duration": "length",
    "input_seconds": "length", "amount_rounding": "rounding", "usd_rounding": "rounding",
    "default_quality": "quality", "default_sound": "sound", "default_duration": "duration",
}
"""The word a marker uses for a fact: the facts one answer uses, grouped (price and
multiplier are one price; the rest keep their own label)."""

_ORDER = ("price", "credit value", "billing", "quality/sound", "length", "rounding")


def markers(facts: Sequence[UsedFact]) -> tuple[str, ...]:
    """The compact markers of an answer: what it used that is inferred, assumed (a card
    default no document gives), without a source, or touched by a recorded conflict,
    most telling first (``inferred: price, credit value``).

    Empty when every fact that changed the answer is documented.
    """
    inferred: list[str] = []
    assumed: list[str] = []
    unsourced: list[str] = []
    conflict = False
    for fact in facts:
        conflict = conflict or bool(fact.conflicts)
        if not fact.changed or fact.basis in ("documented", "supplied"):
            continue
        word = SHORT.get(fact.fact, fact.label)
        if fact.fact in DEFAULT_FACTS:
            _add(assumed, word)
        elif fact.basis == "inferred":
            _add(inferred, word)
        else:
            _add(unsourced, word)
    rank = {word: index for index, word in enumerate(_ORDER)}
    inferred.sort(key=lambda word: rank.get(word, len(rank)))
    unsourced.sort(key=lambda word: rank.get(word, len(rank)))
    found = []
    if inferred:
        found.append("inferred: " + ", ".join(inferred))
    if assumed:
        found.append("assumed: " + ", ".join(assumed))
    if unsourced:
        found.append("no source: " + ", ".join(unsourced))
    if conflict:
        found.append("conflict")
    return tuple(found)


def _add(names: list[str], name: str) -> None:
    if name not in names:
        names.append(name)


def marker_text(found: Sequence[str]) -> str:
    """The markers as one cell of a table: ``documented`` when there are none."""
    return "; ".join(found) or "documented"


def price_basis(facts: Iterable[UsedFact]) -> str:
    """``inferred`` when the price itself (rate, fixed price or multiplier) is inferred or
    has no source, else ``documented``."""
    for fact in facts:
        if fact.fact in PRICE_FACTS and fact.basis not in ("documented", "supplied"):
            return "inferred"
    return "documented"


def conflicts_of(facts: Iterable[UsedFact]) -> tuple[RecordedConflict, ...]:
    """The distinct conflicts touching any of ``facts``, in order of first mention."""
    seen: dict[str, RecordedConflict] = {}
    for fact in facts:
        for conflict in fact.conflicts:
            seen.setdefault(conflict.id, conflict)
    return tuple(seen.values())
