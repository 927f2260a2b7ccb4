"""Reconcile invoice lines against the prices in force on the day of each job.

Every input line gives exactly one :class:`LineResult`, malformed lines included, and the
:class:`Summary` totals (count and charged amount per currency) equal the input's.

Statuses, in the order they are decided:

==================== ===============================================================
INVALID_LINE         the line cannot be read (reason and line number given)
DUPLICATE_TASK       a task id already seen for that provider (the first is checked)
UNKNOWN_OFFERING     no loaded card has this provider and model
UNPRICED_DATE        no price version (or, for a USD line, no credit value) is in
                     force on that day: never priced as zero
UNPRICED_CURRENCY    charged in USD at a provider whose credit value is unknown
CHARGED_FOR_FAILED   a failed or cancelled task that carries a charge
OVERCHARGE           charged more than the card says, beyond the tolerance
UNDERCHARGE          charged less than the card says, beyond the tolerance
RESERVED_NE_SETTLED  the charge is right but the reservation differed from it
ROUNDING_DIFF        off by no more than the tolerance, or the card's amount rounded to
                     the decimal places the charge shows
MATCH                exactly what the card says
==================== ===============================================================

The tolerance is per currency (:mod:`ratecard.reconcile.tolerance`); by default one unit
of the card's declared rounding precision for that currency (``rounding.amount`` or
``rounding.usd``). A charge that shows fewer decimal places than the card rounds to (an
invoice in cents, a card in millionths) is ROUNDING_DIFF when it is the card's amount
rounded to those places by the card's rounding mode for that currency: it is exactly what
the card says, as the invoice can show it.

>>> import ratecard
>>> from ratecard.reconcile.readers import lines_from_text
>>> text = '''task_id,provider,model,timestamp,duration,quality,sound,charged,currency,status
... t1,evolink,kling-v3-image-to-video,2026-11-01,5,720p,off,27.0,credits,succeeded
... t2,evolink,kling-v3-image-to-video,2026-11-01,10,1080p,on,110,credits,succeeded
... '''
>>> results = list(Reconciler(ratecard.load()).run(lines_from_text(text)))
>>> [(r.task_id, r.status, str(r.difference)) for r in results]
[('t1', 'MATCH', '0.0000'), ('t2', 'OVERCHARGE', '2.0000')]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from ratecard.codes import OK_STATUSES, STATUS_ORDER
from ratecard.errors import QuoteError, UnknownOfferingError
from ratecard.money import EXACT, RoundingMode, quantize
from ratecard.numbers import AMOUNT, NumberError, read_number
from ratecard.pricing.index import HasIndex
from ratecard.pricing.plans import OfferingPlan
from ratecard.reconcile.names import OfferingNames
from ratecard.reconcile.readers import COLUMNS, REQUIRED, RawLine
from ratecard.reconcile.reasons import NOTE_SEPARATOR, REASONS, SEPARATOR, USD_VERSION
from ratecard.reconcile.results import LineResult, Scope, Summary, Totals
from ratecard.reconcile.tasks import as_line
from ratecard.reconcile.tolerance import Tolerance, Tolerances
from ratecard.timestamps import ISO_FORM, UNIX_FORM
from ratecard.vocabulary import (
    FAILED_JOB_STATUSES,
    INVOICE_SOUND_WORDS,
    UNSETTLED_JOB_STATUSES,
    invoice_quality,
    job_status,
    parse_sound,
)
from ratecard.vocabulary import currency as currency_of

STATUSES = STATUS_ORDER
"""Every reconciliation status (:data:`ratecard.codes.RECONCILE_STATUSES` describes each)."""

__all__ = ["OK_STATUSES", "STATUSES", "LineResult", "Reconciler", "Summary", "Totals",
           "reconcile"]

(_TASK, _PROVIDER, _MODEL, _DURATION, _INPUT, _QUALITY, _SOUND, _TIMESTAMP, _CHARGED,
 _CURRENCY, _STATUS, _RESERVED) = range(len(COLUMNS))
_REQUIRED = tuple((COLUMNS.index(name), name) for name in REQUIRED)

# each reason's template, bound once (see ratecard.reconcile.reasons)
_AT_LINE = REASONS["at_line"].format
_MISSING = REASONS["missing"].format
_CHARGED_NOT_A_NUMBER = REASONS["charged_not_a_number"].format
_CHARGED_NEGATIVE = REASONS["charged_negative"].format
_RESERVED_NEGATIVE = REASONS["reserved_negative"].format
_CURRENCY_UNKNOWN = REASONS["currency_unknown"].format
_JOB_STATUS_UNKNOWN = REASONS["job_status_unknown"].format
_RESERVED_NOT_A_NUMBER = REASONS["reserved_not_a_number"].format
_TIMESTAMP_UNREADABLE = REASONS["timestamp_unreadable"].format
_SOUND_UNREADABLE = REASONS["sound_unreadable"].format
_CURRENCY_MISMATCH = REASONS["currency_mismatch"].format
_DUPLICATE_TASK = REASONS["duplicate_task"].format
_PLACE = 10**12
"""Lines a source may have, in the place of a line seen (as the SQL engines order lines)."""
_NO_CREDIT_VALUE = REASONS["no_credit_value"].format
_USD_UNKNOWN = REASONS["usd_unknown"].format
_CHARGED_FOR_FAILED = REASONS["charged_for_failed"].format
_OVERCHARGE = REASONS["overcharge"].format
_UNDERCHARGE = REASONS["undercharge"].format
_UNDERCHARGE_UNSETTLED = REASONS["undercharge_unsettled"].format
_RESERVED_NE_SETTLED = REASONS["reserved_ne_settled"].format
_ROUNDING_DIFF = REASONS["rounding_diff"].format
_ROUNDING_SHOWN = REASONS["rounding_shown"].format
_MATCH = REASONS["match"].text
_USD_VERSION = USD_VERSION.format


@dataclass(slots=True)
class _Price:
    credits: Decimal
    usd: Decimal | None
    currency: str
    version: str
    usd_version: str
    amount_tolerance: Decimal
    usd_tolerance: Decimal
    plan: OfferingPlan
    """The offering (its rounding modes of amounts and of USD)."""
    amount_places: int
    """Decimal places the card rounds an amount in its currency to; 0 when a tolerance is
    given for the currency (the charge is then never read as the card's amount shown to
    fewer places: the user said how far it may be)."""
    usd_places: int
    usd_missing: tuple[str, str] | None
    """Why a USD line cannot be priced: (status, reason), when the USD value is unknown."""


_Memo = tuple[date | None, date | None, "_Price | tuple[str, str]"]

_ZERO = Decimal(0)
_subtract = EXACT.subtract  # exact: bounded amounts never need rounding in 60 digits
_add = EXACT.add
_AS_GIVEN = ("", "")
"""The memo's answer for a provider and model the cards spell as the line does."""
_new = tuple.__new__  # LineResult(...) without the Python-level __new__: ~150 ns a line


class Reconciler:
    """Checks invoice lines against a Catalog; remembers task ids to flag duplicates.

    ``tolerance``: the largest difference still reported as ROUNDING_DIFF, per currency
    (a :class:`~ratecard.reconcile.tolerance.Tolerance`, a mapping such as ``{"credits":
    Decimal(1), "USD": Decimal("0.01")}``, or one amount for every currency); for a
    currency it does not name, one unit of the card's declared rounding precision.
    """

    def __init__(self, catalog: HasIndex, tolerance: Tolerances = None) -> None:
        self.index = catalog.index
        """The prices lines are checked against."""
        self.tolerance = Tolerance.coerce(tolerance, self.index)
        self.summary = Summary(Scope.of(self.index))
        self._seen: dict[str, dict[str, int]] = {}
        """Task ids seen, per provider, each with where it first appeared (the place of
        its source in ``_sources`` x :data:`_PLACE` + its line: one int, ~130 bytes a
        task with its id)."""
        self._sources: dict[str, int] = {}
        """The sources read, each with its place (their order)."""
        self._source_names: list[str] = []
        self._prices: dict[tuple[str, ...], list[_Memo]] = {}
        """Prices by the line's pricing fields, each with the days it applies to: a month
        of lines costs one quote per job shape and price version, not per day. Bounded:
        at most :data:`_PRICE_LIMIT` entries, :data:`_PIECES` per job shape."""
        self._memos = 0
        """Entries in ``_prices``."""
        self._days: dict[str, tuple[date, str] | str] = {}
        self._amounts: dict[str, Decimal | str] = {}
        """Charged texts read, each as its amount or why it is not one."""
        self._names = OfferingNames.of(self.index)
        self._named: dict[tuple[str, str], tuple[str, str]] = {}
        """Provider and model texts read, each as the cards spell them (bounded)."""

    def run(self, lines: Iterable[RawLine]) -> Iterator[LineResult]:
        """One result per line, in input order; the summary is kept up to date."""
        cells = self.summary.cells  # the summary's accumulators, updated inline (hot loop)
        new_cell = self.summary.cell
        check = self.check
        for raw in lines:
            result = check(raw)
            key = (result[3], result[4], result[7], result[8])
            cell = cells.get(key)
            if cell is None:
                cell = new_cell(key)
            cell[0] += 1
            value = result[10]  # charged
            if value is not None:
                total = cell[1]
                cell[1] = value if total is None else _add(total, value)
            value = result[9]  # expected
            if value is not None:
                total = cell[2]
                cell[2] = value if total is None else _add(total, value)
            value = result[11]  # difference
            if value is not None:
                total = cell[3]
                cell[3] = value if total is None else _add(total, value)
            yield result

    def check(self, raw: RawLine) -> LineResult:
        """The verdict on one line (also recording its task id for duplicates)."""
        source, line, fields, error, raw_charged, task_record, note = raw
        if task_record is not None:
            return self.check(as_line(self.index, raw))
        if note:  # how the line was read, after its reason (as the SQL engines add it)
            result = self.check(raw._replace(note=None))
            return result._replace(reason=NOTE_SEPARATOR.join(
                text for text in (result.reason, note) if text))
        # the provider and model as the cards spell them (EvoLink: evolink)
        if fields and self._named.get((fields[1], fields[2])) is not _AS_GIVEN:
            raw = self.named(raw)
            fields = raw.fields
        if error is not None:
            return self._invalid(raw, error, _amount_or_none(raw_charged))
        (task, provider, model, _, _, _, _, timestamp, charged_text, currency_text,
         status_text, reserved_text) = fields
        # every amount through the one bounded reader (ratecard.numbers): refused, never
        # guessed (27_0, NaN, 1E+999, 1E-99 are not amounts), so sums stay exact
        charged = self._amounts.get(charged_text)
        if charged is None:
            charged = self._amount(charged_text)
        if not (task and provider and model and timestamp and charged_text and currency_text
                and status_text):
            missing = SEPARATOR.join(name for index, name in _REQUIRED if not fields[index])
            return self._invalid(raw, _MISSING(columns=missing),
                                 None if isinstance(charged, str) else charged)
        if isinstance(charged, str):  # why it is not an amount
            return self._invalid(raw, charged, None)
        if charged < 0:
            return self._invalid(raw, _CHARGED_NEGATIVE(charged=charged_text), charged)
        currency = currency_of(currency_text)
        if currency is None:
            return self._invalid(raw, _CURRENCY_UNKNOWN(currency=currency_text), charged)
        job = job_status(status_text)
        if job is None:
            return self._invalid(raw, _JOB_STATUS_UNKNOWN(status=status_text), charged)
        reserved = None
        if reserved_text:
            try:
                reserved = _unsigned_zero(read_number(reserved_text, AMOUNT, "reserved"))
            except NumberError as exc:
                return self._invalid(raw, _number_problem(exc, _RESERVED_NOT_A_NUMBER(
                    reserved=reserved_text)), charged)
            if reserved < 0:
                return self._invalid(raw, _RESERVED_NEGATIVE(reserved=reserved_text), charged)
        parsed = self._days.get(timestamp)
        if parsed is None:
            parsed = self._day(timestamp)
        if isinstance(parsed, str):
            return self._invalid(raw, parsed, charged)
        day, iso = parsed

        seen = self._seen.get(provider)
        if seen is None:
            seen = self._seen[provider] = {}
        first = seen.get(task)
        if first is not None:
            first_place, first_line = divmod(first, _PLACE)
            return _new(LineResult, (source, line, task, provider, model, iso, job,
                              "DUPLICATE_TASK", currency, None, charged, None, reserved, None,
                              _DUPLICATE_TASK(task_id=task, provider=provider,
                                              first_source=self._source_names[first_place],
                                              first_line=first_line)))
        place = self._sources.get(source)
        if place is None:
            place = self._sources[source] = len(self._source_names)
            self._source_names.append(source)
        seen[task] = place * _PLACE + line

        key = fields[1:7]
        price = None
        for start, end, known in self._prices.get(key, ()):
            if (start is None or start <= day) and (end is None or day < end):
                price = known
                break
        if price is None:
            price = self._remember(key, fields, day)
        if isinstance(price, tuple):
            status, reason = price
            if status == "INVALID_LINE":
                return self._invalid(raw, reason, charged)
            return _new(LineResult, (source, line, task, provider, model, iso, job, status,
                              currency, None, charged, None, reserved, None, reason))
        if currency == price.currency:
            expected = price.credits
            tolerance = price.amount_tolerance
            version = price.version
            in_usd = False
        elif currency == "USD":
            if price.usd_missing is not None:
                status, reason = price.usd_missing
                return _new(LineResult, (source, line, task, provider, model, iso, job, status,
                                  currency, None, charged, None, reserved, price.version,
                                  reason))
            assert price.usd is not None
            expected = price.usd
            tolerance = price.usd_tolerance
            version = price.usd_version
            in_usd = True
        else:
            return self._invalid(raw, _CURRENCY_MISMATCH(currency=currency, provider=provider,
                                                         card_currency=price.currency),
                                 charged)
        if job in FAILED_JOB_STATUSES:
            if charged:
                return _new(LineResult, (source, line, task, provider, model, iso, job,
                                  "CHARGED_FOR_FAILED", currency, _ZERO, charged, charged,
                                  reserved, version,
                                  _CHARGED_FOR_FAILED(job=job, charged=charged, currency=currency)))
            # nothing charged for a failed task: a match, even if a reservation was released
            return _new(LineResult, (source, line, task, provider, model, iso, job, "MATCH",
                                     currency, _ZERO, charged, _subtract(charged, _ZERO),
                                     reserved, version, _MATCH))
        difference = _subtract(charged, expected)
        if not difference:
            if reserved is not None and reserved != charged:
                return _new(LineResult, (source, line, task, provider, model, iso, job,
                                  "RESERVED_NE_SETTLED", currency, expected, charged,
                                  difference, reserved, version,
                                  _RESERVED_NE_SETTLED(reserved=reserved, charged=charged,
                                                       currency=currency)))
            return _new(LineResult, (source, line, task, provider, model, iso, job, "MATCH",
                              currency, expected, charged, difference, reserved, version,
                              _MATCH))
        shown = None
        if difference > tolerance or difference.copy_negate() > tolerance:
            plan = price.plan
            shown = _shown(charged, expected, price.usd_places, plan.usd_mode) if in_usd \
                else _shown(charged, expected, price.amount_places, plan.amount_mode)
            if shown is None:
                if difference > tolerance:
                    return _new(LineResult, (
                        source, line, task, provider, model, iso, job, "OVERCHARGE", currency,
                        expected, charged, difference, reserved, version,
                        _OVERCHARGE(difference=difference, currency=currency)))
                return _new(LineResult, (
                    source, line, task, provider, model, iso, job, "UNDERCHARGE", currency,
                    expected, charged, difference, reserved, version,
                    _UNDERCHARGE_UNSETTLED(difference=difference.copy_negate(),
                                           currency=currency, job=job)
                    if job in UNSETTLED_JOB_STATUSES else
                    _UNDERCHARGE(difference=difference.copy_negate(), currency=currency)))
        if reserved is not None and reserved != charged:
            status = "RESERVED_NE_SETTLED"
            reason = _RESERVED_NE_SETTLED(reserved=reserved, charged=charged, currency=currency)
        else:
            status = "ROUNDING_DIFF"
            reason = shown or _ROUNDING_DIFF(tolerance=tolerance)
        return _new(LineResult, (source, line, task, provider, model, iso, job, status,
                          currency, expected, charged, difference, reserved, version, reason))

    def invoice_line(self, raw: RawLine) -> RawLine:
        """The invoice line ``raw`` stands for: itself, or a task record read by its
        provider's adapter (what :meth:`check` checks; see :mod:`ratecard.reconcile.tasks`)."""
        return self.named(as_line(self.index, raw))

    def named(self, raw: RawLine) -> RawLine:
        """``raw`` with its provider and model as the cards spell them
        (:class:`~ratecard.reconcile.names.OfferingNames`): ``EvoLink`` is ``evolink``."""
        fields = raw.fields
        if not fields:
            return raw
        pair = (fields[_PROVIDER], fields[_MODEL])
        named = self._named.get(pair)
        if named is None:
            if len(self._named) >= _MEMO_LIMIT:
                self._named.clear()
            named = self._names(*pair)
            named = self._named[pair] = _AS_GIVEN if named == pair else named
        if named is _AS_GIVEN:
            return raw
        return raw._replace(fields=(*fields[:_PROVIDER], *named, *fields[_MODEL + 1:]))

    def _invalid(self, raw: RawLine, reason: str, charged: Decimal | None) -> LineResult:
        fields = raw.fields
        if fields:
            task, provider, model = fields[_TASK] or None, fields[_PROVIDER] or None, \
                fields[_MODEL] or None
            text = fields[_CURRENCY]
            currency = (currency_of(text) or text) if text else None
        else:
            task = provider = model = currency = None
        return LineResult(raw.source, raw.line, task, provider, model, None, None,
                          "INVALID_LINE", currency, None, charged, None, None, None,
                          _AT_LINE(source=raw.source, line=raw.line, reason=reason))

    def _amount(self, text: str) -> Decimal | str:
        """The charged amount ``text`` reads as, or why it is not one (remembered: invoices
        repeat a few prices; bounded like the days)."""
        if len(self._amounts) > _MEMO_LIMIT:
            self._amounts.clear()
        try:
            amount: Decimal | str = _unsigned_zero(read_number(text, AMOUNT, "charged"))
        except NumberError as exc:
            amount = _number_problem(exc, _CHARGED_NOT_A_NUMBER(charged=text))
        self._amounts[text] = amount
        return amount

    def _day(self, text: str) -> tuple[date, str] | str:
        if len(self._days) > _MEMO_LIMIT:  # timestamps with times rarely repeat: stay bounded
            self._days.clear()
        day = _parse_day(text)
        parsed = self._days[text] = day if isinstance(day, str) else (day, day.isoformat())
        return parsed

    def _remember(self, key: tuple[str, ...], fields: tuple[str, ...],
                  day: date) -> _Price | tuple[str, str]:
        price, start, end = self._price(fields, day)
        if self._memos >= _PRICE_LIMIT:  # distinct job shapes without end: start afresh
            self._prices.clear()
            self._memos = 0
        memos = self._prices.setdefault(key, [])
        if len(memos) >= _PIECES:  # one shape on many unpriced days: keep the scan short
            self._memos -= len(memos)
            memos.clear()
        memos.append((start, end, price))
        self._memos += 1
        return price

    def _price(self, fields: tuple[str, ...],
               day: date) -> tuple[_Price | tuple[str, str], date | None, date | None]:
        """The price of a line's job on ``day`` (or why there is none), and the days
        ``[start, end)`` over which that answer holds."""
        every_day = (None, None)
        one_day = (day, day + timedelta(days=1) if day < date.max else None)  # 9999-12-31
        provider, model = fields[_PROVIDER], fields[_MODEL]
        sound_text = fields[_SOUND]
        sound = None if not sound_text else parse_sound(sound_text, INVOICE_SOUND_WORDS)
        if sound_text and sound is None:
            return ("INVALID_LINE", _SOUND_UNREADABLE(sound=sound_text)), *every_day
        try:
            plan = self.index.plan(provider, model)
            quote = self.index.quote(provider, model, duration=fields[_DURATION] or None,
                                       input_seconds=fields[_INPUT] or None,
                                       quality=invoice_quality(fields[_QUALITY]),
                                       sound=sound, at=day, invoiced=True)
        except UnknownOfferingError as exc:
            return ("UNKNOWN_OFFERING", str(exc)), *every_day
        except QuoteError as exc:
            if exc.code in _EVERY_DAY_ERRORS:
                return ("INVALID_LINE", str(exc)), *every_day
            # UNPRICED_DATE, and errors found only once a price is in force that day (a
            # length outside the accepted range): another day may answer otherwise
            status = "UNPRICED_DATE" if exc.code == "UNPRICED_DATE" else "INVALID_LINE"
            return (status, str(exc)), *one_day
        usd_missing = None
        if quote.usd is None:
            usd_missing = (
                ("UNPRICED_DATE", _NO_CREDIT_VALUE(provider=provider, day=day))
                if plan.credits else
                ("UNPRICED_CURRENCY", _USD_UNKNOWN(provider=provider)))
        own = self.tolerance.of(plan.currency, provider)
        usd = self.tolerance.of("USD", provider)
        price = _Price(quote.credits, quote.usd, quote.currency, quote.price_version,
                       _USD_VERSION(price_version=quote.price_version,
                                    credit_version=quote.credit_version),
                       plan.amount_precision if own is None else own,
                       plan.usd_precision if usd is None else usd,
                       plan, 0 if own is not None else _places(plan.amount_precision),
                       0 if usd is not None else _places(plan.usd_precision),
                       usd_missing)
        if usd_missing is not None and plan.credits:
            return price, *one_day  # no credit value that day: check again on the next
        return price, *quote.validity


_EVERY_DAY_ERRORS = frozenset({"INVALID_QUALITY", "INVALID_SOUND", "INVALID_DATE"})
"""Quote errors that hold whatever the day: the engine finds them before it looks for the
price in force (an INVALID_DURATION is found after it, so on a day with no price the
answer is UNPRICED_DATE instead)."""

_MEMO_LIMIT = 100_000
"""Most entries the memos of texts read (days, amounts) hold before they start afresh:
whatever the input, the reconciler's memory stays bounded (only the task ids seen grow
with it: finding duplicates needs every one)."""

_PRICE_LIMIT = 20_000
"""Most prices remembered (a price and its key weigh about a kilobyte)."""
_PIECES = 32
"""Most validity pieces remembered for one job shape (a shape seen on many days without a
price has one piece per day)."""

_BOUNDS_PROBLEMS = frozenset({"digits", "magnitude", "places"})
"""Ways a number can break :data:`ratecard.numbers.AMOUNT` that its own message words."""


def _number_problem(error: NumberError, not_a_number: str) -> str:
    """Why a text is not an amount: ``not_a_number`` for what is not a number at all, the
    bounded reader's own words for a number beyond an amount's bounds."""
    return str(error) if error.problem in _BOUNDS_PROBLEMS else not_a_number


def _places(value: Decimal) -> int:
    """Decimal places ``value`` shows (``27.50``: 2; ``27``, ``3E+1``: 0)."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # amounts are finite
    return -exponent if exponent < 0 else 0


def _shown(charged: Decimal, expected: Decimal, card_places: int,
           mode: RoundingMode) -> str | None:
    """Why ``charged`` is the card's ``expected`` as the invoice shows it, or ``None``: an
    invoice that shows fewer decimal places than the card rounds to (``card_places``: cents
    where the card keeps six) charges the card's amount rounded to them, by ``mode``. A
    whole number (``0``, ``4``) is an amount charged, never read as a rounding."""
    places = _places(charged)
    if not places or places >= card_places or quantize(expected, _QUANTA[places], mode) != charged:
        return None
    return _ROUNDING_SHOWN(places=places)


_QUANTA = [Decimal(1).scaleb(-places) for places in range(AMOUNT.places + 1)]
"""``10 ** -places`` for the decimal places an amount may show."""


def _amount_or_none(text: str | None) -> Decimal | None:
    """An amount, or ``None`` for anything else (for the totals of unreadable lines)."""
    if not text:
        return None
    try:
        return read_number(text, AMOUNT, "charged")
    except NumberError:
        return None


def _parse_day(text: str) -> date | str:
    """The UTC day of a timestamp, or why it is not one.

    >>> _parse_day("2026-02-05T23:30:00-05:00"), _parse_day("1757169743")
    (datetime.date(2026, 2, 6), datetime.date(2025, 9, 6))
    >>> print(_parse_day("1793491200000"))  # milliseconds are not guessed
    timestamp '1793491200000' is not a date (YYYY-MM-DD[THH:MM[:SS[.fraction]]][Z|±HH[:MM]]) \
or Unix seconds (9 to 12 digits, 1973 to 9999)
    >>> _parse_day("20261101")[:34]  # a compact date is not read as 1970-08-24
    "timestamp '20261101' is not a date"
    """
    try:
        if UNIX_FORM.fullmatch(text):
            return datetime.fromtimestamp(int(text), tz=UTC).date()
        if not ISO_FORM.fullmatch(text):  # the forms every engine reads, no other
            return _TIMESTAMP_UNREADABLE(timestamp=text)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
        return moment.date()
    except (ValueError, OverflowError, OSError):
        return _TIMESTAMP_UNREADABLE(timestamp=text)


def reconcile(catalog: HasIndex, lines: Iterable[RawLine],
              tolerance: Tolerances = None) -> tuple[list[LineResult], Summary]:
    """Reconcile ``lines`` in memory: every result and the summary.

    >>> import ratecard
    >>> from ratecard.reconcile.readers import lines_from_text
    >>> text = "task_id,provider,model,timestamp,charged,currency,status\\n"
    >>> text += "a,kling3api,pro-text-to-video,2026-02-05T10:30:00Z,400,credits,SUCCESS\\n"
    >>> text += "a,kling3api,pro-text-to-video,2026-02-05T10:30:00Z,400,credits,SUCCESS\\n"
    >>> results, summary = reconcile(ratecard.load(), lines_from_text(text))
    >>> [r.status for r in results], summary.total.lines, summary.total.charged
    (['MATCH', 'DUPLICATE_TASK'], 2, {'credits@kling3api': Decimal('800')})
    """
    reconciler = Reconciler(catalog, tolerance)
    results = list(reconciler.run(lines))
    return results, reconciler.summary


def _unsigned_zero(amount: Decimal) -> Decimal:
    """``-0`` (``-0.00``) as ``0`` (``0.00``): a charge of nothing has no sign, and the SQL
    engines' decimals keep none."""
    return amount if amount else amount.copy_abs()
