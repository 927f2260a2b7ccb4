"""The frozen price index: every compiled offering of the loaded cards, by provider and model.

This is the runtime half of a :class:`~ratecard.api.Catalog`: what quoting needs and
nothing else (no pydantic, no YAML, no I/O). Everything below the front door (routing,
payloads, reconciliation, the SQL engines) works on a :class:`PriceIndex`; anything with an
``index`` attribute holding one (a Catalog) is accepted in its place.

>>> import ratecard
>>> index = ratecard.load().index
>>> index.quote("evolink", "kling-v3-image-to-video", duration=10, quality="1080p",
...             sound=True).credits
Decimal('108.0000')
>>> index.plan("evolink", "kling-v3-image-to-vid")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ratecard.errors.UnknownOfferingError: evolink has no model 'kling-v3-image-to-vid'; did you mean ...
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Protocol

from ratecard.errors import QuoteError, UnknownOfferingError, brief, close_matches, did_you_mean
from ratecard.money import GridDivider, plain
from ratecard.numbers import (
    CARD_RATE,
    SECONDS,
    NumberError,
    read_number,
    usd_ratio_problem,
)
from ratecard.pricing.engine import DateArg, SoundArg, day_of
from ratecard.pricing.engine import quote as _quote
from ratecard.pricing.explain import billing_text, per_second_usd
from ratecard.pricing.facts import cell_facts
from ratecard.pricing.plans import CreditPlan, OfferingPlan, SecondsLimit, Span
from ratecard.pricing.provenance import (
    SUPPLIED,
    RecordedConflict,
    UsedFact,
    conflicts_of,
    markers,
    price_basis,
)
from ratecard.pricing.quote import Quote


@dataclass(frozen=True)
class OfferingPrice:
    """One row of ``ratecard offerings``: an offering's price at one quality x sound."""

    provider: str
    model: str
    family: str
    mode: str
    quality: str
    sound: str
    kind: str
    """``per_second`` or ``fixed``."""
    price: Decimal
    """Per-second rate (after multiplier) or fixed price, in ``currency``."""
    currency: str
    usd: Decimal | None
    """The same in USD; ``None`` when the credit value is unknown."""
    accepts: str
    billing: str
    price_version: str
    source: str
    facts: tuple[UsedFact, ...] = ()
    """What the row rests on (qualities, sounds, price, multiplier, credit value), each
    with its source and the recorded conflicts touching it."""
    notes: str | None = None
    """The offering's notes in the card."""

    @property
    def markers(self) -> tuple[str, ...]:
        """Compact markers (``inferred: price``, ``conflict``); empty: all documented."""
        return markers(self.facts)

    @property
    def basis(self) -> str:
        """``inferred`` when the price itself is inferred, else ``documented``."""
        return price_basis(self.facts)

    @property
    def conflicts(self) -> tuple[RecordedConflict, ...]:
        """The recorded conflicts touching a fact of this row."""
        return conflicts_of(self.facts)


def accepts_text(plan: OfferingPlan) -> str:
    """What lengths an offering accepts, in words: the output duration of a generation,
    the input video's length of an edit (also of a fixed-price edit, whose price does not
    depend on it).

    >>> from ratecard import load
    >>> accepts_text(load().plan("evolink", "kling-o3-video-edit"))
    'input video at least 3 s'
    >>> accepts_text(load().plan("kling3api", "o3-pro-video-edit"))
    'input video of any length (none documented)'
    """
    if plan.basis == "duration":
        return plan.accepts.describe() if plan.accepts else "any duration (none documented)"
    limit = plan.accepts_input
    if limit is None:
        return "input video of any length (none documented)"
    if limit.min is None and limit.max is None and not limit.integer:
        return "input video of any length"
    return f"input video {limit.describe()}"


class HasIndex(Protocol):
    """Anything that carries a price index (a :class:`PriceIndex`, a Catalog)."""

    @property
    def index(self) -> PriceIndex: ...


class PriceIndex:
    """Compiled offerings by (provider, model), resolved for the pricing day. Immutable."""

    __slots__ = ("_files", "_plans", "_providers", "_quotes", "_replaced", "_today")

    def __init__(
        self,
        plans: Mapping[tuple[str, str], OfferingPlan],
        files: Mapping[str, Path],
        *,
        today: date | None = None,
        replaced: Iterable[str] = (),
    ) -> None:
        day = today or date.today()
        self._today = today
        self._plans: Mapping[tuple[str, str], OfferingPlan] = MappingProxyType(
            {key: plan.as_of(day) for key, plan in sorted(plans.items())})
        self._files: Mapping[str, Path] = MappingProxyType(dict(sorted(files.items())))
        self._providers = tuple(self._files)
        self._replaced = tuple(replaced)
        self._quotes: dict[tuple[object, ...], Quote] = {}

    @property
    def index(self) -> PriceIndex:
        """This index (so a PriceIndex is accepted wherever a Catalog is)."""
        return self

    @property
    def today(self) -> date | None:
        """The day given to ``load(today=...)``: quotes without ``at`` use it instead of
        the clock; ``None`` means the clock's today."""
        return self._today

    @property
    def providers(self) -> tuple[str, ...]:
        """Provider ids, sorted."""
        return self._providers

    @property
    def files(self) -> Mapping[str, Path]:
        """The file each card was read from."""
        return self._files

    @property
    def replaced(self) -> tuple[str, ...]:
        """Built-in providers replaced by cards given to ``load``."""
        return self._replaced

    @property
    def all_plans(self) -> Mapping[tuple[str, str], OfferingPlan]:
        """Every compiled offering by (provider, model), sorted."""
        return self._plans

    def plan(self, provider: str, model: str) -> OfferingPlan:
        """The compiled offering; an unknown provider or model lists the close matches.

        A provider or model that is not text is a :class:`~ratecard.errors.QuoteError`
        (``INVALID_INPUT``)."""
        _check_name(provider, "provider")
        _check_name(model, "model")
        plan = self._plans.get((provider, model))
        if plan is not None:
            return plan
        if provider not in self._files:
            close = close_matches(provider, self._providers)
            raise UnknownOfferingError(
                "UNKNOWN_PROVIDER",
                f"unknown provider {brief(provider)}{did_you_mean(close)} "
                f"(known: {', '.join(self._providers)})",
                "provider", close)
        models = [m for (p, m) in self._plans if p == provider]
        close = close_matches(model, models)
        elsewhere = sorted(p for (p, m) in self._plans if m == model)
        hint = did_you_mean(close)
        if elsewhere:
            hint += f" ({brief(model)} is sold by {', '.join(elsewhere)})"
        raise UnknownOfferingError(
            "UNKNOWN_MODEL",
            f"{provider} has no model {brief(model)}{hint}; run `ratecard offerings --provider "
            f"{provider}` to list its models",
            "model", close)

    def check_provider(self, provider: str) -> None:
        """Raise :class:`~ratecard.errors.UnknownOfferingError` for an unknown provider."""
        _check_name(provider, "provider")
        if provider not in self._files:
            self.plan(provider, "")

    def plans(self, provider: str | None = None) -> list[OfferingPlan]:
        """Compiled offerings, sorted by provider then model."""
        if provider is not None:
            self.check_provider(provider)
        return [plan for (p, _), plan in self._plans.items()
                if provider is None or p == provider]

    def quote(
        self,
        provider: str,
        model: str,
        *,
        duration: object = None,
        input_seconds: object = None,
        quality: str | None = None,
        sound: SoundArg = None,
        at: DateArg = None,
        invoiced: bool = False,
    ) -> Quote:
        """Price one request. See :func:`ratecard.pricing.engine.quote` for the rules
        (``invoiced``: seconds already billed, priced at the card's billing clamps beyond
        them, as reconcile and whatif price invoice lines and task records).

        Quotes without ``at`` are remembered (at most :data:`QUOTES`, forgotten all at once
        past that): the same arguments, of the same types, return the same immutable
        :class:`~ratecard.pricing.quote.Quote`. Only a quote that holds on every later day
        is kept (priced on the index's ``today``, or on prices and a credit value in force
        from the day the index was made on), so the memo never outlives a price change;
        quotes with ``at`` are always computed.

        >>> import ratecard
        >>> index = ratecard.load().index
        >>> a = index.quote("evolink", "kling-v3-image-to-video", duration=10)
        >>> a is index.quote("evolink", "kling-v3-image-to-video", duration=10)
        True
        >>> a is index.quote("evolink", "kling-v3-image-to-video", duration=10.0)
        False
        """
        if at is None:
            # the types are part of the key, and a Decimal is keyed by its text: 10, 10.0
            # and Decimal("10.0") are equal, but quoted as written
            key: tuple[object, ...] | None = (
                provider, model,
                str(duration) if type(duration) is Decimal else duration, type(duration),
                str(input_seconds) if type(input_seconds) is Decimal else input_seconds,
                type(input_seconds), quality, type(quality), sound, type(sound), invoiced)
            try:
                found = self._quotes.get(key)  # type: ignore[arg-type]
            except TypeError:  # an unhashable argument: never remembered
                found = key = None
            if found is not None:
                return found
        else:
            key = None
        try:
            plan = self._plans.get((provider, model)) or self.plan(provider, model)
        except TypeError:  # unhashable: a provider or model that is not text
            plan = self.plan(provider, model)
        quoted = _quote(plan, duration=duration, input_seconds=input_seconds,
                        quality=quality, sound=sound, at=self._today if at is None else at,
                        invoiced=invoiced)
        if key is not None and _lasting(self._today, plan, quoted) and \
                _KEYABLE.issuperset(map(type, key)) and \
                all(len(part) <= _KEY_TEXT for part in key if type(part) is str):
            quotes = self._quotes
            if len(quotes) >= QUOTES:
                quotes.clear()
            quotes[key] = quoted
        return quoted

    def offerings(self, provider: str | None = None, at: DateArg = None) -> list[OfferingPrice]:
        """Every offering x quality x sound with its price in force on ``at`` (default today)."""
        day = day_of(self._today if at is None else at)
        rows = []
        for plan in self.plans(provider):
            credit = plan.credit_at(day)
            for quality in plan.qualities:
                for sound in plan.sounds:
                    cell = plan.cell_at((quality, sound == "on"), day)
                    if cell is None:
                        continue
                    rows.append(OfferingPrice(
                        provider=plan.provider, model=plan.model, family=plan.family,
                        mode=plan.mode, quality=quality, sound=sound, kind=cell.kind,
                        price=cell.unit_rate, currency=plan.currency,
                        usd=per_second_usd(plan, cell, credit),
                        accepts=accepts_text(plan),
                        billing=billing_text(plan), price_version=cell.label,
                        source=cell.source,
                        facts=cell_facts(plan, cell, credit, quality, sound == "on"),
                        notes=plan.sources.notes))
        return rows

    def unpriced_cells(self, provider: str | None = None, at: DateArg = None
                       ) -> list[tuple[str, str, str, str, str]]:
        """The offering x quality x sound cells :meth:`offerings` leaves out on ``at``: no
        price version in force that day. Each is (provider, model, quality, sound, its
        price versions)."""
        day = day_of(self._today if at is None else at)
        return [(plan.provider, plan.model, quality, sound,
                 ", ".join(cell.label for cell in plan.cells[(quality, sound == "on")]))
                for plan in self.plans(provider) for quality in plan.qualities
                for sound in plan.sounds
                if plan.cell_at((quality, sound == "on"), day) is None]

    def with_credit_value(self, provider: str, credits_per_usd: object) -> PriceIndex:
        """A new index in which one credit of ``provider`` is worth ``1 / credits_per_usd``
        USD on every date (see :meth:`ratecard.api.Catalog.with_credit_value`)."""
        self.check_provider(provider)  # one named provider: None is not "every card"
        plans = self.plans(provider)
        other = sorted({plan.currency for plan in plans} - {"credits"})
        if other:
            raise QuoteError("INVALID_CREDIT_VALUE",
                             f"{provider} prices in {', '.join(other)}, not credits; a "
                             "credit value applies only to a credits card", "credits_per_usd")
        try:  # held to a card's own credit_values bounds: every engine prices with it
            value = read_number(credits_per_usd, CARD_RATE, "credits_per_usd")
        except NumberError as exc:
            raise QuoteError("INVALID_CREDIT_VALUE", str(exc), "credits_per_usd") from None
        if value <= 0:
            raise QuoteError("INVALID_CREDIT_VALUE",
                             f"credits_per_usd must be more than 0, not {plain(value)}",
                             "credits_per_usd")
        for plan in plans:
            problem = usd_ratio_problem(plan.amount_precision, value, plan.usd_precision)
            if problem is not None:
                raise QuoteError("INVALID_CREDIT_VALUE", f"credits_per_usd: {problem}",
                                 "credits_per_usd")
        updated = dict(self._plans)
        for plan in plans:
            credit = CreditPlan(Span(None, None), value,
                                GridDivider(plan.amount_precision, value, plan.usd_precision,
                                            plan.usd_mode),
                                "user-supplied credit value", SUPPLIED)
            updated[(plan.provider, plan.model)] = replace(plan, credits=(credit,),
                                                           usd_unknown_reason=None)
        return PriceIndex(updated, self._files, today=self._today, replaced=self._replaced)


QUOTES = 1024
"""Most quotes (without ``at``) a :class:`PriceIndex` remembers: about 15 MiB at most,
with every quote's JSON form kept (about 15 KiB each), a few MiB without."""

_KEY_TEXT = 64
"""The longest text a remembered quote is keyed by: a value padded with blanks (read as
the value) is quoted, never remembered, so the memo's bytes stay bounded."""

_KEYABLE = frozenset({str, int, float, bool, type(None), type})
"""The types of a memo key's parts whose equal values are quoted alike, so a quote keyed
by them may be remembered (a Decimal argument is keyed by its text: ``7.50`` and ``7.5``
are equal but shown as written)."""


def _lasting(today: date | None, plan: OfferingPlan, quoted: Quote) -> bool:
    """Whether ``quoted`` holds on every later call without ``at``: the index prices on a
    fixed day, or the quote used the price and credit value in force for good from the
    day the index was made on (not ones found for the clock's today)."""
    if today is not None:
        return True
    credit = plan.credit_current
    return (plan.current.get((quoted.quality, quoted.sound)) is quoted._cell
            and quoted._credit is credit and (credit is not None or not plan.credits))


def unquotable(index: PriceIndex) -> list[str]:
    """Where the engine fails to price an offering at the edges of what it accepts: every
    price version of every quality x sound, at the shortest and longest accepted length
    (or the largest number of seconds read at all, when there is no maximum). A card that
    lints passes this check, so a card that lints is a card that quotes; a request the
    offering refuses (a :class:`~ratecard.errors.QuoteError`) is an answer, not a failure.

    >>> import ratecard
    >>> unquotable(ratecard.load().index)
    []
    """
    problems = []
    for plan in index.all_plans.values():
        limit = plan.accepts_input if plan.basis == "fixed" else plan.accepts
        lengths: list[Decimal | None] = [None] if limit is None else [
            _shortest(limit), limit.max if limit.max is not None else _LONGEST]
        for (quality, on), versions in plan.cells.items():
            for cell in versions:
                day = cell.span.start or (
                    cell.span.end - timedelta(days=1) if cell.span.end else date(2000, 1, 1))
                for seconds in lengths:
                    by_duration = plan.basis == "duration"
                    length = {"duration" if by_duration else "input_seconds":
                              seconds} if seconds is not None else {}
                    try:
                        _quote(plan, duration=seconds if by_duration else None,
                               input_seconds=None if by_duration else seconds,
                               quality=quality, sound=on, at=day)
                    except QuoteError:
                        continue
                    except (ArithmeticError, ValueError, TypeError) as exc:
                        problems.append(
                            f"{plan.provider}/{plan.model} ({quality}, sound "
                            f"{'on' if on else 'off'}, {cell.label}, {length or 'default'}) "
                            f"cannot be quoted: {type(exc).__name__}: {brief(str(exc))}")
    return problems


_LONGEST = Decimal(10) ** SECONDS.below - 1
"""The most seconds :data:`ratecard.numbers.SECONDS` reads."""


def _shortest(limit: SecondsLimit) -> Decimal:
    if limit.min is not None and limit.min > 0:
        return limit.min
    return Decimal(1) if limit.integer else Decimal("0.001")


def _check_name(value: object, what: str) -> None:
    if type(value) is not str:
        raise QuoteError("INVALID_INPUT", f"{what} must be text, not {type(value).__name__} "
                         f"{brief(value)}", what)
