"""The quote engine: a pure function from a compiled offering and a request to a Quote.

No floats, no I/O, no global state: every rule comes from the compiled rate card.

>>> from ratecard import load
>>> plan = load().plan("evolink", "kling-o1-video-edit")
>>> quote(plan, input_seconds=25).billed_seconds   # billed at most 10 s
Decimal('10')
"""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, date, datetime
from decimal import Decimal

from ratecard.errors import QuoteError, brief
from ratecard.money import EXACT, ROUNDING_CONTEXT, ROUNDING_MODES, plain
from ratecard.numbers import SECONDS, NumberError, read_number
from ratecard.pricing.plans import OfferingPlan, PriceCell, SecondsLimit
from ratecard.pricing.quote import Quote
from ratecard.vocabulary import parse_sound

SoundArg = bool | str | None
DateArg = date | str | None

_multiply = EXACT.multiply


def quote(
    plan: OfferingPlan,
    *,
    duration: object = None,
    input_seconds: object = None,
    quality: str | None = None,
    sound: SoundArg = None,
    at: DateArg = None,
    invoiced: bool = False,
) -> Quote:
    """Price one request against one compiled offering.

    ``duration`` is the requested output length (generation); ``input_seconds`` the input
    video's length (edits). ``quality`` and ``sound`` default to the card's defaults;
    ``at`` selects the price version in force on that day (default: today).
    Raises :class:`~ratecard.errors.QuoteError` for anything the provider would not accept,
    and for an argument of the wrong type (``quality=["720p"]``).

    ``invoiced``: the seconds were already billed (an invoice line, a task record), not
    asked for. Seconds beyond the card's billing clamps (``billing.min_seconds``,
    ``max_seconds``) are then priced at the clamp, as the seller bills them, even where a
    request for them would be refused; seconds no clamp covers must still be accepted.

    >>> from ratecard import load
    >>> plan = load().plan("evolink", "kling-v3-image-to-video")
    >>> quote(plan, duration=2, quality="720p", sound=False, invoiced=True).credits
    Decimal('16.2000')
    """
    warnings: tuple[str, ...] = ()
    defaulted = 0  # bit 1: quality, bit 2: sound came from the card's defaults
    if quality is None:
        quality = plan.default_quality
        defaulted = 1
    elif type(quality) is not str:
        raise QuoteError("INVALID_QUALITY", f"quality must be text such as "
                         f"{plan.default_quality}, not {type(quality).__name__} "
                         f"{brief(quality)}", "quality")
    if sound is None:
        on = plan.default_sound
        defaulted |= 2
    elif sound is True or sound is False:
        on = sound
    else:
        on = _sound(sound)
    forced = plan.forced_sound
    if forced is not None and on is not forced:
        warnings = (f"sound forced {'on' if forced else 'off'}: {plan.forced_reason}",)
        on = forced
    key = (quality, on)
    if at is None:
        cell = plan.current.get(key)
        credit = plan.credit_current
        if cell is None or (credit is None and plan.credits):
            day = date.today()
            cell = cell or _cell(plan, key, day)
            credit = credit or plan.credit_at(day)
    else:
        day = day_of(at)
        cell = _cell(plan, key, day)
        credit = plan.credit_at(day)

    basis = plan.basis
    seconds: Decimal | None
    if basis == "duration":
        if input_seconds is not None:
            raise QuoteError(
                "INVALID_INPUT",
                f"{plan.provider}/{plan.model} is billed by duration; input_seconds applies "
                "only to video-edit offerings",
                "input_seconds",
            )
        if duration is None:
            seconds = plan.default_duration
            origin = "default"
        else:
            seconds = Decimal(duration) if type(duration) is int and 0 < duration < 10**9 \
                else seconds_arg(duration, "duration")
            origin = "invoiced" if invoiced else "duration"
        _check(plan, plan.accepts, seconds, "duration", invoiced)
    elif basis == "input_seconds":
        if input_seconds is None:
            raise QuoteError(
                "MISSING_VIDEO",
                f"{plan.provider}/{plan.model} is billed by the input video's length: "
                "give input_seconds",
                "input_seconds",
            )
        if duration is not None:
            warnings += ("duration is ignored: this edit is billed by the input video's length",)
        seconds = seconds_arg(input_seconds, "input_seconds")
        origin = "input_seconds"
        _check(plan, plan.accepts, seconds, "input_seconds", invoiced)
    else:
        seconds = None
        origin = "fixed"
        if duration is not None:
            warnings += ("duration is ignored: this offering has a fixed price",)
        if input_seconds is not None:
            seconds = seconds_arg(input_seconds, "input_seconds")
            origin = "input_seconds"
            _check(plan, plan.accepts_input, seconds, "input_seconds")

    clamp: str | None = None
    if basis == "fixed":
        billed = None
        amount_exact = cell.unit_rate
    else:
        billed = seconds
        assert billed is not None
        low = plan.min_seconds
        high = plan.max_seconds
        if low is not None and billed < low:
            billed, clamp = low, "min"
        elif high is not None and billed > high:
            billed, clamp = high, "max"
        if plan.seconds_precision is not None:
            billed = billed.quantize(plan.seconds_precision,
                                     ROUNDING_MODES[plan.seconds_mode],  # type: ignore[index]
                                     ROUNDING_CONTEXT)
        amount_exact = _multiply(billed, cell.unit_rate)
    # positional arguments: keywords cost ~100 ns a call on C decimal methods
    amount = amount_exact.quantize(plan.amount_precision, ROUNDING_MODES[plan.amount_mode],
                                   ROUNDING_CONTEXT)
    if credit is None:
        usd = None
        warnings += (_usd_unknown(plan),)
    else:
        usd = credit.to_usd(amount)
    return Quote(plan, cell, credit, quality, on, seconds, origin, clamp, billed, amount_exact,
                 amount, usd, warnings, defaulted)


def seconds_arg(value: object, what: str) -> Decimal:
    """A caller's number of seconds as a Decimal (bounded: :data:`ratecard.numbers.SECONDS`),
    or a QuoteError naming the field.

    >>> seconds_arg(7.4, "input_seconds")
    Decimal('7.4')
    """
    try:
        return read_number(value, SECONDS, what)
    except NumberError as exc:
        raise QuoteError("INVALID_DURATION", str(exc), what) from None


def day_of(value: DateArg) -> date:
    """The day a date argument names: today for ``None``; ISO strings and datetimes accepted.
    A time with a UTC offset counts on its UTC day, the day reconcile prices a line on; a
    naive time counts on its own date (as reconcile reads it: UTC).

    >>> day_of("2026-02-05T10:30:00Z")
    datetime.date(2026, 2, 5)
    >>> day_of("2026-02-05T23:30:00-05:00"), day_of("2026-02-05T23:30:00")
    (datetime.date(2026, 2, 6), datetime.date(2026, 2, 5))
    """
    if value is None:
        return date.today()
    moment: object = value
    if isinstance(value, str) and len(value) <= 64:
        with suppress(ValueError):
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if isinstance(moment, datetime):
        try:
            if moment.utcoffset() is None:
                return moment.date()
            return moment.astimezone(UTC).date()
        except (OverflowError, ValueError):  # its UTC day is before year 1 or after 9999
            pass
    elif isinstance(moment, date):
        return moment
    raise QuoteError("INVALID_DATE",
                     f"at must be a date such as 2026-11-21, not {brief(value)}", "at")


def _sound(value: object) -> bool:
    on = parse_sound(value)
    if on is not None:
        return on
    raise QuoteError("INVALID_SOUND",
                     f"sound must be on or off (or a bool), not {brief(value)}", "sound")


def _cell(plan: OfferingPlan, key: tuple[str, bool], day: date) -> PriceCell:
    cell = plan.cell_at(key, day)
    if cell is not None:
        return cell
    quality, on = key
    if quality not in plan.qualities:
        raise QuoteError(
            "INVALID_QUALITY",
            f"{plan.provider}/{plan.model} does not offer quality {brief(quality)}; "
            f"choose one of {', '.join(plan.qualities)}",
            "quality",
        )
    sound = "on" if on else "off"
    if sound not in plan.sounds:
        raise QuoteError(
            "INVALID_SOUND",
            f"{plan.provider}/{plan.model} does not offer sound {sound}; "
            f"it offers sound {', '.join(plan.sounds)}",
            "sound",
        )
    ranges = ", ".join(cell.label for cell in plan.cells[key])
    raise QuoteError(
        "UNPRICED_DATE",
        f"{plan.provider}/{plan.model} has no price in force on {day.isoformat()} "
        f"(price versions: {ranges})",
        "at",
    )


def _check(plan: OfferingPlan, limit: SecondsLimit | None, value: Decimal | None,
           field: str, invoiced: bool = False) -> None:
    """Refuse seconds the offering does not take: outside ``limit`` (at most 0 without
    one), or, when ``invoiced`` (billed seconds), outside it and inside the card's clamps."""
    if value is None:
        return
    if limit is None:
        admitted = value > 0
    elif invoiced:
        admitted = limit.admits_billed(value, plan.min_seconds, plan.max_seconds)
    else:
        admitted = limit.admits(value)
    if not admitted:
        accepts = limit.describe() if limit is not None else "more than 0 s"
        raise QuoteError(
            "INVALID_DURATION",
            f"{field} {plain(value)} s is not accepted by {plan.provider}/{plan.model}: "
            f"it accepts {accepts}",
            field,
        )


def _usd_unknown(plan: OfferingPlan) -> str:
    if plan.credits:
        return f"USD unknown: no {plan.provider} credit value is in force on that date"
    reason = plan.usd_unknown_reason
    return f"USD unknown: {reason}" if reason else "USD unknown"
