"""Re-rate past usage at every seller: what each line cost, and what it would have cost.

Every input line (an invoice line or a task record, read by
:mod:`ratecard.reconcile.readers`) gives exactly one :class:`LineWhatIf`. A line is read
and checked by the reconciler (:class:`~ratecard.reconcile.reconciler.Reconciler`:
unreadable lines, duplicate tasks and unknown offerings are reported as it reports them),
priced where it went with the card in force on the pricing day (the line's UTC day, or
``at``), turned into a :class:`~ratecard.routing.need.Need` (the offering's family and
mode, the quality and sound it delivered, its seconds, the features its price requires)
and matched against every seller by :func:`ratecard.routing.compare.compare` and
:func:`ratecard.routing.route.route`: nothing here prices by arithmetic of its own.

The **cheapest-route policy** sends each job to the head of its route: the cheapest
seller that can serve it, in USD, among those ``allow``/``deny`` leave (reference cards
are never routed to, a seller whose USD value is unknown is never taken as free). The
**saving** of a line is the card's USD price where it went minus the head's USD price
(negative when the policy leaves out a cheaper seller the job went to).

>>> import ratecard
>>> from ratecard.reconcile.readers import lines_from_text
>>> text = "task_id,provider,model,timestamp,duration,quality,sound,charged,currency,status\\n"
>>> text += "t1,krea,kling-3.0-image-to-video,2026-11-01,10,1080p,on,3.528,USD,succeeded\\n"
>>> results, summary = whatif(ratecard.load(), lines_from_text(text))
>>> r = results[0]
>>> r.status, r.usd, (r.best_provider, r.best_usd), r.saving_usd
('REPRICED', Decimal('3.528000'), ('evolink', Decimal('1.500000')), Decimal('2.028000'))
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from ratecard.codes import WHATIF_RATED, WHATIF_STATUSES
from ratecard.errors import QuoteError, UnknownOfferingError
from ratecard.money import EXACT, plain
from ratecard.pricing.engine import DateArg, day_of
from ratecard.pricing.index import HasIndex, PriceIndex
from ratecard.pricing.plans import OfferingPlan
from ratecard.reconcile.readers import COLUMNS, RawLine
from ratecard.reconcile.reasons import NOTE_SEPARATOR
from ratecard.reconcile.reconciler import Reconciler
from ratecard.routing.candidates import Candidate, Exclusion
from ratecard.routing.compare import compare
from ratecard.routing.matching import RouteIndex, provider_set
from ratecard.routing.need import Need
from ratecard.routing.route import route
from ratecard.vocabulary import (
    EDIT_MODES,
    FAILED_JOB_STATUSES,
    INVOICE_SOUND_WORDS,
    invoice_quality,
    on_off,
    parse_sound,
    unit_name,
)

__all__ = ["STATUSES", "Excluded", "LineWhatIf", "Savings", "SellerTotals", "WhatIf",
           "WhatIfSummary", "charged_label", "currency_label", "whatif"]

STATUSES = tuple(WHATIF_STATUSES)
"""Every status a line may get (:data:`ratecard.codes.WHATIF_STATUSES` describes each)."""

(_TASK, _PROVIDER, _MODEL, _DURATION, _INPUT, _QUALITY, _SOUND, _TIMESTAMP, _CHARGED,
 _CURRENCY, _STATUS, _RESERVED) = range(len(COLUMNS))
PASSED_ON = frozenset({"INVALID_LINE", "DUPLICATE_TASK", "UNKNOWN_OFFERING"})
"""Reconcile statuses that end a line's what-if as they are: it cannot be re-rated."""
FAILED_REASON = "a {job} job: nothing to pay, nothing re-rated"
"""The reason of a FAILED_JOB line."""
CHARGED_FAILED_REASON = " where nothing was owed (reconcile: CHARGED_FOR_FAILED), nothing re-rated"
"""Ends the reason of a FAILED_JOB line that carries a charge, after reconcile's own."""
_ZERO = Decimal(0)
_add = EXACT.add  # exact: bounded amounts never need rounding in 60 digits
_subtract = EXACT.subtract


class Excluded(NamedTuple):
    """A seller's offering that could not take the job under the policy, and why."""

    provider: str
    model: str | None
    code: str
    """A reason code of :data:`ratecard.codes.EXCLUSIONS`."""
    message: str


class LineWhatIf(NamedTuple):
    """One input line re-rated: where it went, what it cost, the cheapest seller."""

    source: str
    line: int
    task_id: str | None
    provider: str | None
    """The seller the job went to."""
    model: str | None
    day: str | None
    """The UTC day of the job, ISO 8601."""
    job_status: str | None
    status: str
    """See :data:`STATUSES`."""
    reason: str
    """Why the line has its status, in words; for REPRICED, empty unless it says how the
    line was read (a task record's terms) or compared (a clip shorter than its seller's
    requests, compared as the length it was billed as)."""
    charged: Decimal | None
    """What the line says was charged, in ``charged_currency``."""
    charged_currency: str | None
    family: str | None
    mode: str | None
    quality: str | None
    sound: str | None
    """``on`` or ``off``: the sound delivered."""
    seconds: Decimal | None
    """The job's seconds: output duration (generation) or input video length (edit)."""
    amount: Decimal | None
    """The card's price where the job went, in ``currency`` (the card's own)."""
    currency: str | None
    usd: Decimal | None
    """The same in USD; ``None`` when the card's credit value is unknown."""
    price_version: str | None
    best_provider: str | None
    """The cheapest seller the policy allows (``None``: none can serve the job)."""
    best_model: str | None
    best_quality: str | None
    best_sound: str | None
    best_amount: Decimal | None
    best_currency: str | None
    best_usd: Decimal | None
    saving_usd: Decimal | None
    """``usd - best_usd``: what the cheapest route would have saved on this line."""
    excluded: tuple[Excluded, ...]
    """The sellers' offerings that could not serve the job under the policy, and why."""

    @property
    def month(self) -> str | None:
        """The job's month, ``YYYY-MM``."""
        return None if self.day is None else self.day[:7]


@dataclass
class Savings:
    """Lines re-rated (REPRICED) in a group: their USD where they went and at the
    cheapest seller."""

    lines: int = 0
    actual_usd: Decimal = _ZERO
    cheapest_usd: Decimal = _ZERO

    @property
    def saving_usd(self) -> Decimal:
        """``actual_usd - cheapest_usd``."""
        return _subtract(self.actual_usd, self.cheapest_usd)

    def add(self, actual: Decimal, cheapest: Decimal) -> None:
        """Count one line."""
        self.lines += 1
        self.actual_usd = _add(self.actual_usd, actual)
        self.cheapest_usd = _add(self.cheapest_usd, cheapest)


@dataclass
class SellerTotals:
    """What the REPRICED lines would have cost had every one gone to one seller."""

    provider: str
    reference: bool
    """A reference card (the official price): shown for comparison, never routed to."""
    served: Savings = field(default_factory=Savings)
    """Lines the seller can serve with a known USD price: their USD where they went
    (``actual_usd``) and at this seller (``cheapest_usd``: its cheapest offering)."""
    usd_unknown: int = 0
    """Lines it can serve whose USD price is unknown (a credit value not given)."""
    amount: dict[str, Decimal] = field(default_factory=dict)
    """What every line it can serve costs in its own currency (USD unknown included)."""
    not_served: dict[str, int] = field(default_factory=dict)
    """Lines it cannot serve, by reason code (the first of its offerings' reasons)."""


def currency_label(provider: str | None, currency: str | None) -> str:
    """How an amount's currency is named in totals: ``USD``, or the credits of one
    provider (two sellers' credits are different currencies, never added together).

    >>> currency_label("evolink", "credits"), currency_label("fal", "USD")
    ('evolink credits', 'USD')
    >>> currency_label(None, None), currency_label("x; 1 USD", "credits")
    ('?', '"x; 1 USD" credits')

    A currency word from the input is spelt as a provider is (:func:`unit_name`), so that
    it cannot read as another amount:

    >>> currency_label("evolink", "EUR"), currency_label("evolink", "EUR; 1000000 USD")
    ('evolink EUR', 'evolink "EUR; 1000000 USD"')
    """
    if currency is None:
        return "?"
    if currency == "USD":
        return currency
    return f"{unit_name(provider) if provider else '?'} {unit_name(currency)}"


def charged_label(provider: str | None, currency: str | None) -> str | None:
    """The total a line's charged amount is added to (:func:`currency_label`), or ``None``
    when its unit is not known: no currency, or credits of no named seller (whose credits
    they are is unknown, so they are added to no seller's). A currency word ratecard does
    not price in (``EUR``) keeps a total of its own, under that word.

    >>> charged_label("nope", "credits"), charged_label(None, "USD"), charged_label("x", "EUR")
    ('nope credits', 'USD', 'x EUR')
    >>> charged_label(None, "credits"), charged_label("evolink", None)
    (None, None)
    """
    if currency is None or (currency == "credits" and not provider):
        return None
    return currency_label(provider, currency)


class WhatIfSummary:
    """Totals of a what-if run: every line counted once, amounts per currency."""

    def __init__(self, providers: Iterable[tuple[str, bool]] = ()) -> None:
        self.lines = 0
        self.by_status: dict[str, int] = {}
        self.charged: dict[str, Decimal] = {}
        """What the lines say was charged, by :func:`currency_label` (every line)."""
        self.card: dict[str, Decimal] = {}
        """The card's price where each job went, by currency label: every line priced
        there, re-rated elsewhere or not (an edit of unknown length at a fixed price)."""
        self.policy = Savings()
        """The REPRICED lines: USD where they went and under the cheapest-route policy."""
        self.sellers: dict[str, SellerTotals] = {
            provider: SellerTotals(provider, reference) for provider, reference in providers}
        self.by_month: dict[str, Savings] = {}
        self.by_model: dict[str, Savings] = {}
        """By the job's model family (``kling-3.0``, ``kling-o3``...)."""
        self.by_seller: dict[str, Savings] = {}
        """By the seller the job went to."""
        self.to_seller: dict[str, Savings] = {}
        """By the seller the cheapest route sends the job to."""

    @property
    def saving_usd(self) -> Decimal:
        """What the cheapest-route policy would have saved on the REPRICED lines."""
        return self.policy.saving_usd

    @property
    def not_rerated(self) -> int:
        """Lines neither REPRICED nor a failed job (their reason says why)."""
        return sum(n for status, n in self.by_status.items()
                   if status not in ("REPRICED", "FAILED_JOB"))


class _Answer(NamedTuple):
    """What one seller answers a job: its cheapest price, or why it cannot serve it."""

    code: str
    """``OK``, ``USD_UNKNOWN`` or an exclusion code."""
    usd: Decimal | None
    amount: Decimal | None
    currency: str | None


class _Rerated(NamedTuple):
    """A job shape re-rated on one pricing day (remembered: a month repeats its jobs)."""

    status: str
    reason: str
    family: str | None
    mode: str | None
    quality: str | None
    sound: str | None
    seconds: Decimal | None
    amount: Decimal | None
    currency: str | None
    usd: Decimal | None
    price_version: str | None
    best: Candidate | None
    excluded: tuple[Excluded, ...]
    answers: tuple[tuple[str, _Answer], ...]


_MEMO = 100_000
"""Most job shapes x days remembered before the memo starts afresh."""
DAY_BOUND = frozenset({"UNPRICED_DATE", "INVALID_LINE"})
"""Answers whose words name the day: remembered per day, not per stretch of days."""
_DAY_BOUND_EXCLUSIONS = frozenset({"UNPRICED_DATE"})
"""Exclusions whose words name the day ("no price in force on 2026-10-10")."""


def names_its_day(rerated: _Rerated) -> bool:
    """Whether the words of ``rerated`` name its pricing day (its own answer, or a seller
    excluded for having no price that day): such an answer holds for that day only, not
    for its stretch of days, or a line would show another line's day."""
    return rerated.status in DAY_BOUND or any(
        excluded.code in _DAY_BOUND_EXCLUSIONS for excluded in rerated.excluded)


def price_changes(index: PriceIndex) -> list[date]:
    """Every day some price or credit value starts or ends, sorted: between two of them
    (and before the first, after the last) every price of ``index`` stays the same.

    >>> import ratecard
    >>> price_changes(ratecard.load().index)
    []
    """
    days: set[date] = set()
    for plan in index.plans():
        spans = [cell.span for cells in plan.cells.values() for cell in cells]
        spans += [credit.span for credit in plan.credits if credit.span is not None]
        for span in spans:
            days.update(d for d in (span.start, span.end) if d is not None)
    return sorted(days)


class WhatIf:
    """Re-rates lines against every seller of a Catalog (see the module docs).

    ``at``: price every line on this day instead of its own; ``allow``/``deny``: the
    sellers the cheapest-route policy may use (``None``: all). Unknown provider names
    raise :class:`~ratecard.errors.UnknownOfferingError` here, before any line is read.
    """

    def __init__(self, catalog: HasIndex, *, at: DateArg = None,
                 allow: Iterable[str] | None = None, deny: Iterable[str] = ()) -> None:
        index = catalog.index
        self.index = index
        routing = getattr(catalog, "routing_index", None)
        self.routes: RouteIndex = routing() if callable(routing) else RouteIndex(index)
        self.at: date | None = None if at is None else day_of(at)
        self.allow = None if allow is None else provider_set(index, allow, "allow")
        self.deny = provider_set(index, deny, "deny")
        self.reconciler = Reconciler(catalog)
        references = {plan.provider: plan.reference for plan in index.plans()}
        self.summary = WhatIfSummary((p, references.get(p, False)) for p in index.providers)
        self._memo: dict[tuple[Any, ...], _Rerated] = {}
        self.bounds = price_changes(index)
        """The days some price changes (see :func:`price_changes`)."""

    def run(self, lines: Iterable[RawLine]) -> Iterator[LineWhatIf]:
        """One result per line, in input order; the summary is kept up to date."""
        for raw in lines:
            result, rerated = self._line(raw)
            self._count(result, rerated)
            yield result

    def _line(self, raw: RawLine) -> tuple[LineWhatIf, _Rerated | None]:
        line = self.reconciler.invoice_line(raw)
        checked = self.reconciler.check(line)
        (source, number, task, provider, model, day, job, status, currency, _, charged, _, _,
         _, reason) = checked
        head = (source, number, task, provider, model, day, job)
        if status in PASSED_ON:
            return _unrated(head, status, reason, charged, currency), None
        assert provider is not None
        assert day is not None
        if job in FAILED_JOB_STATUSES:
            failed = (reason + CHARGED_FAILED_REASON if status == "CHARGED_FOR_FAILED"
                      else FAILED_REASON.format(job=job))
            return _unrated(head, "FAILED_JOB", failed, charged, currency), None
        pricing_day = self.at or date.fromisoformat(day)
        rerated = self.rerated(line.fields, pricing_day)
        best = rerated.best
        saving = None
        if rerated.status == "REPRICED":
            assert best is not None
            assert rerated.usd is not None
            saving = _subtract(rerated.usd, best.usd)
        reason = rerated.reason
        if line.note:  # how a task record's terms were read, as reconcile says it
            reason = NOTE_SEPARATOR.join(filter(None, (reason, line.note)))
        return LineWhatIf(
            *head, rerated.status, reason, charged, currency, rerated.family,
            rerated.mode, rerated.quality, rerated.sound, rerated.seconds, rerated.amount,
            rerated.currency, rerated.usd, rerated.price_version,
            None if best is None else best.provider, None if best is None else best.model,
            None if best is None else best.quality,
            None if best is None else on_off(best.sound),
            None if best is None else best.credits, None if best is None else best.currency,
            None if best is None else best.usd, saving, rerated.excluded), rerated

    def rerated(self, fields: tuple[str, ...], day: date) -> _Rerated:
        """The job shape of ``fields`` (an invoice line's canonical fields) re-rated on
        ``day``: remembered per stretch of days over which no price changes (a month of
        lines costs one comparison per job shape), or per day for a day-bound error."""
        shape = fields[1:7]
        stretch = (*shape, bisect_right(self.bounds, day))
        found = self._memo.get(stretch) or self._memo.get((*shape, day))
        if found is None:
            if len(self._memo) >= _MEMO:
                self._memo.clear()
            found = self._rerate(fields, day)
            self._memo[(*shape, day) if names_its_day(found) else stretch] = found
        return found

    def _rerate(self, fields: tuple[str, ...], day: date) -> _Rerated:
        provider, model = fields[_PROVIDER], fields[_MODEL]
        sound_text = fields[_SOUND]
        sound = None if not sound_text else parse_sound(sound_text, INVOICE_SOUND_WORDS)
        if sound_text and sound is None:  # the reconciler reports it first
            return _failed("INVALID_LINE", f"sound {sound_text!r} is not on or off")
        try:
            plan = self.index.plan(provider, model)
            quote = self.index.quote(provider, model, duration=fields[_DURATION] or None,
                                     input_seconds=fields[_INPUT] or None,
                                     quality=invoice_quality(fields[_QUALITY]), sound=sound,
                                     at=day, invoiced=True)
        except UnknownOfferingError as exc:  # pragma: no cover - the reconciler says so
            return _failed("UNKNOWN_OFFERING", str(exc))
        except QuoteError as exc:
            status = "UNPRICED_DATE" if exc.code == "UNPRICED_DATE" else "INVALID_LINE"
            return _failed(status, str(exc))
        priced = (plan.family, plan.mode, quote.quality, on_off(quote.sound))
        where = (quote.amount, quote.currency, quote.usd, quote.price_version)
        edit = plan.mode in EDIT_MODES
        seconds_text = fields[_INPUT] if edit else fields[_DURATION]
        seconds: object = seconds_text or (None if edit else plan.default_duration)
        if seconds is None:
            return _Rerated("NEED_UNKNOWN", f"{provider}/{model} is an edit and the line "
                            "does not give its input video's length (input_seconds): no "
                            "other seller can be priced for it", *priced, None, *where, None,
                            (), ())
        try:
            need = Need(family=plan.family, mode=plan.mode, quality=quote.quality,
                        sound=quote.sound, features=plan.required_features,
                        duration=None if edit else _seconds(seconds),
                        input_seconds=_seconds(seconds) if edit else None)
        except QuoteError as exc:  # pragma: no cover - the quote above accepted the seconds
            return _Rerated("NEED_UNKNOWN", str(exc), *priced, None, *where, None, (), ())
        seconds_value = need.input_seconds if edit else need.duration
        note = ""
        shortest = None if edit else _shortest_billed(plan, need.duration)
        if shortest is not None:  # billed as a longer clip than the line's: compare that
            assert need.duration is not None
            note = (f"{plain(need.duration)} s is shorter than {provider} takes as a request "
                    f"and was billed as {plain(shortest)} s (its minimum billing): every "
                    f"seller is compared for a {plain(shortest)} s clip")
            need = Need(family=plan.family, mode=plan.mode, quality=quote.quality,
                        sound=quote.sound, features=plan.required_features, duration=shortest)
        answers = _answers(compare(self.routes, need, at=day))
        chosen = route(self.routes, need, allow=self.allow, deny=self.deny, at=day)
        excluded = tuple(Excluded(e.provider, e.model, e.code, " ".join(e.message.split()))
                         for e in _distinct(chosen.exclusions))
        best = chosen.head
        if quote.usd is None:
            status, reason = "USD_UNKNOWN", (
                f"{provider} has no USD value of a credit in force: give one with "
                f"--credits-per-usd {provider}=NUMBER (Catalog.with_credit_value)")
        elif best is None:
            status, reason = "NO_SELLER", "no seller the policy allows can serve this job"
        else:
            status, reason = "REPRICED", ""
        reason = NOTE_SEPARATOR.join(filter(None, (reason, note)))
        return _Rerated(status, reason, *priced, seconds_value, *where, best, excluded,
                        answers)

    def _count(self, result: LineWhatIf, rerated: _Rerated | None) -> None:
        summary = self.summary
        summary.lines += 1
        status = result.status
        summary.by_status[status] = summary.by_status.get(status, 0) + 1
        label = charged_label(result.provider, result.charged_currency)
        if result.charged is not None and label is not None:
            summary.charged[label] = _add(summary.charged.get(label, _ZERO), result.charged)
        if result.amount is not None:  # priced where it went (re-rated or not)
            label = currency_label(result.provider, result.currency)
            summary.card[label] = _add(summary.card.get(label, _ZERO), result.amount)
        if status not in WHATIF_RATED or rerated is None:
            return
        if status != "REPRICED":
            return
        assert result.usd is not None
        assert result.best_usd is not None
        actual, cheapest = result.usd, result.best_usd
        summary.policy.add(actual, cheapest)
        for groups, key in ((summary.by_month, result.month), (summary.by_model, result.family),
                            (summary.by_seller, result.provider),
                            (summary.to_seller, result.best_provider)):
            groups.setdefault(key or "?", Savings()).add(actual, cheapest)
        for provider, answer in rerated.answers:
            totals = summary.sellers.get(provider)
            if totals is None:  # pragma: no cover - every provider is listed up front
                totals = summary.sellers[provider] = SellerTotals(provider, False)
            if answer.amount is not None:
                label = currency_label(provider, answer.currency)
                totals.amount[label] = _add(totals.amount.get(label, _ZERO), answer.amount)
            if answer.code == "OK":
                assert answer.usd is not None
                totals.served.add(actual, answer.usd)
            elif answer.code == "USD_UNKNOWN":
                totals.usd_unknown += 1
            else:
                totals.not_served[answer.code] = totals.not_served.get(answer.code, 0) + 1


def _unrated(head: tuple[Any, ...], status: str, reason: str, charged: Decimal | None,
             currency: str | None) -> LineWhatIf:
    values = (*head, status, reason, charged, currency, *(None,) * 17, ())
    return LineWhatIf._make(values)


def _shortest_billed(plan: OfferingPlan, seconds: Decimal | None) -> Decimal | None:
    """The card's minimum billing when ``seconds`` (a generation line's length) is below
    what ``plan`` takes as a request and billed at that minimum, else ``None``.

    The seller bills such a clip as the minimum, and no seller takes a request that
    short: the job is compared as the shortest clip its seller bills.

    >>> import ratecard
    >>> plan = ratecard.load().index.plan("evolink", "kling-v3-image-to-video")
    >>> _shortest_billed(plan, Decimal(2)), _shortest_billed(plan, Decimal(3))
    (Decimal('3'), None)
    """
    low, limit = plan.min_seconds, plan.accepts
    if seconds is None or low is None or limit is None or seconds >= low:
        return None
    return None if limit.admits(seconds) else low


def _seconds(value: object) -> Decimal | str:
    """Seconds as the line gives them (text) or the card's default (a Decimal)."""
    assert isinstance(value, Decimal | str)
    return value


def _failed(status: str, reason: str) -> _Rerated:
    return _Rerated(status, reason, *(None,) * 10, (), ())


def _distinct(exclusions: Iterable[Exclusion]) -> Iterator[Exclusion]:
    """One exclusion per provider, model and code (qualities and sounds folded)."""
    seen: set[tuple[str, str | None, str]] = set()
    for e in exclusions:
        key = (e.provider, e.model, e.code)
        if key not in seen:
            seen.add(key)
            yield e


def _answers(comparison: Any) -> tuple[tuple[str, _Answer], ...]:
    """Each provider's answer to the job: its cheapest candidate (in USD), else its
    cheapest price whose USD value is unknown, else the first reason it cannot serve."""
    found: dict[str, _Answer] = {}
    for c in comparison.candidates:  # cheapest first
        if c.provider not in found:
            found[c.provider] = _Answer("OK", c.usd, c.credits, c.currency)
    unknown: dict[str, _Answer] = {}
    reasons: dict[str, str] = {}
    for e in comparison.exclusions:
        if e.provider in found:
            continue
        if e.code == "USD_UNKNOWN" and e.quote is not None:
            known = unknown.get(e.provider)
            if known is None or (known.amount is not None and e.quote.amount < known.amount):
                unknown[e.provider] = _Answer("USD_UNKNOWN", None, e.quote.amount,
                                              e.quote.currency)
        else:
            reasons.setdefault(e.provider, e.code)
    for provider, answer in unknown.items():
        found.setdefault(provider, answer)
    for provider, code in reasons.items():
        found.setdefault(provider, _Answer(code, None, None, None))
    return tuple(sorted(found.items()))


def whatif(catalog: HasIndex, lines: Iterable[RawLine], *, at: DateArg = None,
           allow: Iterable[str] | None = None,
           deny: Iterable[str] = ()) -> tuple[list[LineWhatIf], WhatIfSummary]:
    """Re-rate ``lines`` in memory: every line's result and the summary.

    >>> import ratecard
    >>> from ratecard.reconcile.readers import lines_from_text
    >>> text = "task_id,provider,model,timestamp,duration,charged,currency,status\\n"
    >>> text += "t1,evolink,kling-v3-image-to-video,2026-11-01,5,27.0,credits,succeeded\\n"
    >>> text += "t2,evolink,kling-v3-image-to-video,2026-11-01,x,27.0,credits,succeeded\\n"
    >>> results, summary = whatif(ratecard.load(), lines_from_text(text))
    >>> [(r.status, r.best_provider) for r in results]
    [('REPRICED', 'evolink'), ('INVALID_LINE', None)]
    >>> summary.lines, summary.charged
    (2, {'evolink credits': Decimal('54.0')})
    """
    run = WhatIf(catalog, at=at, allow=allow, deny=deny)
    results = list(run.run(lines))
    return results, run.summary
