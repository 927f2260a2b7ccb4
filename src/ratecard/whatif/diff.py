"""What changed between two price lists: two days of the same cards, or two sets of cards.

:func:`diff` compares every offering x quality x sound priced on each side (its per-second
rate or fixed price, in the card's currency and in USD, and the price of a typical clip
quoted by the engine), the recorded conflicts that appeared or were resolved, and, given
usage lines, what the change does to their total (each line re-rated on both sides by
:class:`~ratecard.whatif.rerate.WhatIf`).

>>> import ratecard
>>> card = ratecard.load()
>>> d = diff(card, card.with_credit_value("kling3api", "500"))
>>> c = d.changed[0]
>>> c.provider, c.model, c.before, c.after
('kling3api', 'o3-pro-image-to-video', Decimal('48'), Decimal('48'))
>>> c.usd_before, c.usd_after, c.clip_after  # 48 credits/s / 500; 5 s
(None, Decimal('0.096000'), Decimal('0.480000'))
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ratecard.errors import QuoteError
from ratecard.money import EXACT, plain
from ratecard.numbers import SECONDS, NumberError, read_number
from ratecard.pricing.engine import DateArg, day_of
from ratecard.pricing.facts import recorded_conflicts
from ratecard.pricing.index import HasIndex, OfferingPrice, PriceIndex
from ratecard.pricing.provenance import RecordedConflict
from ratecard.reconcile.readers import RawLine
from ratecard.vocabulary import EDIT_MODES
from ratecard.whatif.rerate import WhatIf, currency_label

__all__ = ["TERMS", "TYPICAL_SECONDS", "CardDiff", "OfferingChange", "UsageChange", "diff"]

TYPICAL_SECONDS = Decimal(5)
"""The length of a typical clip (output seconds, or an edit's input video), by default."""

_Key = tuple[str, str, str, str]

TERMS = ("price", "usd", "accepts", "billing", "rounding", "features", "defaults")
"""Everything compared per offering x quality x sound: what it costs (``price`` in its
currency, ``usd``), which lengths it takes (``accepts``), how the billed seconds are counted
(``billing``: minimum, maximum, rounding of seconds), how amounts are rounded
(``rounding``), and the features it takes or requires (``features``)."""


@dataclass(frozen=True)
class OfferingChange:
    """One offering x quality x sound whose price differs between the two sides."""

    provider: str
    model: str
    quality: str
    sound: str
    kind: str
    """``added``, ``removed`` or ``changed``."""
    currency: str | None
    before: Decimal | None
    """Per-second rate (or fixed price) before, in ``currency``; ``None``: not priced."""
    after: Decimal | None
    usd_before: Decimal | None
    """The same in USD (``None``: not priced, or no USD value)."""
    usd_after: Decimal | None
    clip_before: Decimal | None
    """A typical clip quoted before, in USD (``None``: no USD value, or not quotable)."""
    clip_after: Decimal | None
    version_before: str | None
    version_after: str | None
    what: tuple[str, ...] = ()
    """What differs for a ``changed`` one, in :data:`TERMS` order (``price``, ``usd``,
    ``accepts``, ``billing``, ``rounding``, ``features``); empty for added and removed."""
    terms_before: tuple[tuple[str, str], ...] = ()
    """Each differing term in words before (``("billing", "per second, min 4 s")``)."""
    terms_after: tuple[tuple[str, str], ...] = ()

    @property
    def delta(self) -> Decimal | None:
        """``after - before`` per second (or of the fixed price), when both are priced
        in the same currency."""
        if self.before is None or self.after is None:
            return None
        return EXACT.subtract(self.after, self.before)

    @property
    def usd_delta(self) -> Decimal | None:
        """The same in USD, when both are known."""
        if self.usd_before is None or self.usd_after is None:
            return None
        return EXACT.subtract(self.usd_after, self.usd_before)

    @property
    def clip_delta(self) -> Decimal | None:
        """What a typical clip costs more (negative: less), in USD, when both are known."""
        if self.clip_before is None or self.clip_after is None:
            return None
        return EXACT.subtract(self.clip_after, self.clip_before)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: amounts as decimal strings."""
        def text(value: Decimal | None) -> str | None:
            return None if value is None else plain(value)

        return {"provider": self.provider, "model": self.model, "quality": self.quality,
                "sound": self.sound, "kind": self.kind, "currency": self.currency,
                "before": text(self.before), "after": text(self.after),
                "delta": text(self.delta), "usd_before": text(self.usd_before),
                "usd_after": text(self.usd_after), "usd_delta": text(self.usd_delta),
                "clip_usd_before": text(self.clip_before),
                "clip_usd_after": text(self.clip_after),
                "clip_usd_delta": text(self.clip_delta),
                "version_before": self.version_before, "version_after": self.version_after,
                "what": list(self.what), "terms_before": dict(self.terms_before),
                "terms_after": dict(self.terms_after)}


@dataclass
class UsageChange:
    """What the change does to the total of usage lines, each priced where it went."""

    lines: int = 0
    both: int = 0
    """Lines priced on both sides (the others are counted apart, never as zero)."""
    before_only: int = 0
    after_only: int = 0
    neither: int = 0
    before: dict[str, Decimal] = field(default_factory=dict)
    """The card's price where each job went, per currency label (lines priced on both)."""
    after: dict[str, Decimal] = field(default_factory=dict)
    usd_lines: int = 0
    """Lines with a USD price on both sides."""
    usd_before: Decimal = Decimal(0)
    usd_after: Decimal = Decimal(0)

    @property
    def usd_delta(self) -> Decimal:
        """``usd_after - usd_before`` over :attr:`usd_lines`."""
        return EXACT.subtract(self.usd_after, self.usd_before)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: amounts as decimal strings."""
        zero = Decimal(0)  # a currency on one side only (a card that changed currency)
        delta = {label: plain(EXACT.subtract(self.after.get(label, zero),
                                             self.before.get(label, zero)))
                 for label in sorted({*self.before, *self.after})}
        return {"lines": self.lines, "priced_both": self.both,
                "priced_before_only": self.before_only, "priced_after_only": self.after_only,
                "priced_neither": self.neither,
                "before": {k: plain(v) for k, v in sorted(self.before.items())},
                "after": {k: plain(v) for k, v in sorted(self.after.items())},
                "delta": delta, "usd_lines": self.usd_lines,
                "usd_before": plain(self.usd_before), "usd_after": plain(self.usd_after),
                "usd_delta": plain(self.usd_delta)}


@dataclass(frozen=True)
class CardDiff:
    """Everything that differs between two price lists."""

    before_at: str
    after_at: str
    seconds: Decimal
    """The typical clip's length."""
    changed: tuple[OfferingChange, ...]
    """Sorted by provider, model, quality, sound; added and removed ones too."""
    unchanged: int
    """Offering x quality x sound priced alike on both sides."""
    conflicts_appeared: tuple[RecordedConflict, ...]
    conflicts_resolved: tuple[RecordedConflict, ...]
    usage: UsageChange | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: amounts as decimal strings."""
        return {"before_at": self.before_at, "after_at": self.after_at,
                "clip_seconds": plain(self.seconds),
                "changed": [c.to_dict() for c in self.changed], "unchanged": self.unchanged,
                "conflicts_appeared": [_conflict(c) for c in self.conflicts_appeared],
                "conflicts_resolved": [_conflict(c) for c in self.conflicts_resolved],
                "usage": None if self.usage is None else self.usage.to_dict()}


def _conflict(conflict: RecordedConflict) -> dict[str, Any]:
    return {"id": conflict.id, "provider": conflict.provider, "subject": conflict.subject,
            "resolution": conflict.resolution}


def diff(before: HasIndex, after: HasIndex, *, before_at: DateArg = None,
         after_at: DateArg = None, seconds: object = TYPICAL_SECONDS,
         usage: Iterable[RawLine] | None = None) -> CardDiff:
    """Compare ``before`` priced on ``before_at`` with ``after`` priced on ``after_at``
    (the same catalog on two days, or two catalogs; a day left ``None`` is today).

    ``seconds``: the typical clip (output seconds, or an edit's input video); ``usage``:
    lines whose total is compared, each priced where it went on its own day, or on
    ``before_at``/``after_at`` when given.
    """
    old_day = day_of(before_at)
    new_day = day_of(after_at)
    try:
        clip = read_number(seconds, SECONDS, "seconds")
    except NumberError as exc:
        raise QuoteError("INVALID_DURATION", str(exc), "seconds") from None
    if clip <= 0:
        raise QuoteError("INVALID_DURATION", f"seconds must be above 0, not {plain(clip)}",
                         "seconds")
    old_index, new_index = before.index, after.index
    old_rows = _rows(old_index, old_day)
    new_rows = _rows(new_index, new_day)
    changes = []
    unchanged = 0
    old_terms, new_terms = _Terms(old_index), _Terms(new_index)
    for key in sorted(old_rows.keys() | new_rows.keys()):
        old, new = old_rows.get(key), new_rows.get(key)
        what: tuple[str, ...] = ()
        before_terms: dict[str, str] = {}
        after_terms: dict[str, str] = {}
        if old is not None and new is not None:
            before_terms, after_terms = old_terms.of(old), new_terms.of(new)
            what = tuple(t for t in TERMS if before_terms[t] != after_terms[t])
            if not what:
                unchanged += 1
                continue
        kind = "added" if old is None else "removed" if new is None else "changed"
        same_currency = old is None or new is None or old.currency == new.currency
        changes.append(OfferingChange(
            *key, kind, (new or old).currency if same_currency else None,  # type: ignore[union-attr]
            None if old is None or not same_currency else old.price,
            None if new is None or not same_currency else new.price,
            None if old is None else old.usd, None if new is None else new.usd,
            None if old is None else _clip(old_index, key, clip, old_day),
            None if new is None else _clip(new_index, key, clip, new_day),
            None if old is None else old.price_version,
            None if new is None else new.price_version,
            what, tuple((t, before_terms[t]) for t in what),
            tuple((t, after_terms[t]) for t in what)))
    old_conflicts = {c.id: c for c in recorded_conflicts(old_index.plans())}
    new_conflicts = {c.id: c for c in recorded_conflicts(new_index.plans())}
    appeared = tuple(c for i, c in sorted(new_conflicts.items())
                     if i not in old_conflicts or old_conflicts[i].resolution != c.resolution)
    resolved = tuple(c for i, c in sorted(old_conflicts.items()) if i not in new_conflicts)
    change = None
    if usage is not None:
        change = _usage(before, after, usage, before_at, after_at)
    return CardDiff(old_day.isoformat(), new_day.isoformat(), clip, tuple(changes), unchanged,
                    appeared, resolved, change)


class _Terms:
    """The :data:`TERMS` of each row of one side, in words (an offering's plan read once)."""

    def __init__(self, index: PriceIndex) -> None:
        self._index = index
        self._plans: dict[tuple[str, str], tuple[str, str, str]] = {}

    def of(self, row: OfferingPrice) -> dict[str, str]:
        plan_terms = self._plans.get((row.provider, row.model))
        if plan_terms is None:
            plan = self._index.plan(row.provider, row.model)
            rounding = (f"amount {plan.amount_mode} to {plain(plan.amount_precision)}, "
                        f"USD {plan.usd_mode} to {plain(plan.usd_precision)}")
            features = (f"takes {', '.join(sorted(plan.features)) or 'none'}; requires "
                        f"{', '.join(sorted(plan.required_features)) or 'none'}")
            # what a job that leaves them out is priced at (an invoice line without
            # them): only the defaults that can change this offering's price
            length = "none" if plan.default_duration is None \
                else f"{plain(plan.default_duration)} s"
            shown = {"quality": f"quality {plan.default_quality}",
                     "sound": f"sound {'on' if plan.default_sound else 'off'}",
                     "duration": f"duration {length}"}
            defaults = ", ".join(shown[term] for term in ("quality", "sound", "duration")
                                 if term in plan.chosen_terms) or "none that change the price"
            plan_terms = self._plans[(row.provider, row.model)] = (rounding, features,
                                                                    defaults)
        fixed = " fixed" if row.kind == "fixed" else "/s"
        usd = "unknown" if row.usd is None else f"{plain(row.usd)} USD{fixed}"
        return {"price": f"{plain(row.price)} {row.currency}{fixed}", "usd": usd,
                "accepts": row.accepts, "billing": row.billing, "rounding": plan_terms[0],
                "features": plan_terms[1], "defaults": plan_terms[2]}


def _rows(index: PriceIndex, day: Any) -> dict[_Key, OfferingPrice]:
    return {(r.provider, r.model, r.quality, r.sound): r for r in index.offerings(at=day)}


def _clip(index: PriceIndex, key: _Key, seconds: Decimal, day: Any) -> Decimal | None:
    provider, model, quality, sound = key
    plan = index.plan(provider, model)
    edit = plan.mode in EDIT_MODES
    try:
        quote = index.quote(provider, model, quality=quality, sound=sound == "on", at=day,
                            duration=None if edit else seconds,
                            input_seconds=seconds if edit and plan.basis != "fixed" else None)
    except QuoteError:
        return None  # a typical clip it does not take (too long, too short)
    return quote.usd


def _usage(before: HasIndex, after: HasIndex, lines: Iterable[RawLine],
           before_at: DateArg, after_at: DateArg) -> UsageChange:
    lines = list(lines)
    old_run, new_run = WhatIf(before, at=before_at), WhatIf(after, at=after_at)
    change = UsageChange()
    add = EXACT.add
    for old, new in zip(old_run.run(lines), new_run.run(lines), strict=True):
        change.lines += 1
        # priced where it went: every line with a card amount, as whatif's card total
        # (a fixed-price edit of unknown length too)
        old_ok, new_ok = old.amount is not None, new.amount is not None
        if not (old_ok and new_ok):
            if old_ok:
                change.before_only += 1
            elif new_ok:
                change.after_only += 1
            else:
                change.neither += 1
            continue
        assert old.amount is not None
        assert new.amount is not None
        change.both += 1
        for totals, line in ((change.before, old), (change.after, new)):
            label = currency_label(line.provider, line.currency)
            totals[label] = add(totals.get(label, Decimal(0)), line.amount)  # type: ignore[arg-type]
        if old.usd is not None and new.usd is not None:
            change.usd_lines += 1
            change.usd_before = add(change.usd_before, old.usd)
            change.usd_after = add(change.usd_after, new.usd)
    return change
