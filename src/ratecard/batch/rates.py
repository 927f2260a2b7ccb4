"""The Catalog as a flat rates table: every rule the engine applies, one row per price.

One row per provider x model x quality x sound x (price version ∩ credit value version):
the validity of a row is the intersection of the two half-open spans, and the days a
credit card has no credit value in force get rows of their own with ``credits_per_usd``
NULL, so every day a price is in force is covered by exactly one row. Offering-level
rules (defaults, accepted ranges, clamps, rounding) repeat on every row of the offering.

Every money and seconds column is an exact DECIMAL of a declared width (:data:`COLUMNS`).
The values a card may give are bounded so that they fit (:mod:`ratecard.numbers`: rates,
base prices, multipliers and credit values :data:`~ratecard.numbers.CARD_RATE`, accepted
seconds :data:`~ratecard.numbers.CARD_SECONDS`, billed bounds and default durations
:data:`~ratecard.numbers.BILLED_SECONDS`, the rounding precisions
:data:`~ratecard.numbers.SECONDS_PRECISION`, :data:`~ratecard.numbers.AMOUNT_PRECISION`
and :data:`~ratecard.numbers.USD_PRECISION`, the USD conversion
:data:`~ratecard.numbers.USD_RATIO_MAX`): card validation refuses the rest with its file
and line. A value that still does not fit (a credit value given for one run) is refused
with :class:`RatesError` rather than rounded.

>>> import ratecard
>>> rows = rate_rows(ratecard.load())
>>> row = next(r for r in rows if (r["provider"], r["model"]) == ("evolink",
...            "kling-v3-image-to-video") and r["quality"] == "1080p" and r["sound"])
>>> row["unit_rate"], row["multiplier"], row["usd_num"], row["usd_den"], row["credit_version"]
(Decimal('10.8'), Decimal('2.0'), 25, 18, 'start..open')
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import IO, Any

from ratecard.csv_out import CsvWriter
from ratecard.errors import RatecardError
from ratecard.money import grid_ratio, plain
from ratecard.numbers import (
    AMOUNT_PRECISION,
    BILLED_SECONDS,
    CARD_RATE,
    CARD_SECONDS,
    SECONDS_PRECISION,
    USD_PRECISION,
    USD_RATIO_MAX,
    Bounds,
    within,
)
from ratecard.pricing.index import HasIndex
from ratecard.pricing.plans import CreditPlan, OfferingPlan, SecondsLimit, Span
from ratecard.reconcile.writers import spreadsheet_safe

SECONDS = "DECIMAL(18,6)"
RATE = "DECIMAL(18,8)"
PRECISION = "DECIMAL(11,10)"

COLUMNS: tuple[tuple[str, str], ...] = (
    ("provider", "STRING"), ("model", "STRING"), ("family", "STRING"), ("mode", "STRING"),
    ("quality", "STRING"), ("sound", "BOOLEAN"),
    ("valid_from", "DATE"), ("valid_to", "DATE"),
    ("price_version", "STRING"), ("credit_version", "STRING"),
    ("kind", "STRING"), ("base", RATE), ("multiplier", RATE), ("unit_rate", RATE),
    ("basis", "STRING"),
    ("accepts_min", SECONDS), ("accepts_max", SECONDS), ("accepts_integer", "BOOLEAN"),
    ("accepts_input_min", SECONDS), ("accepts_input_max", SECONDS),
    ("accepts_input_integer", "BOOLEAN"),
    ("min_seconds", SECONDS), ("max_seconds", SECONDS),
    ("seconds_precision", PRECISION), ("seconds_scale", "INTEGER"), ("seconds_mode", "STRING"),
    ("amount_precision", PRECISION), ("amount_scale", "INTEGER"), ("amount_mode", "STRING"),
    ("usd_precision", PRECISION), ("usd_scale", "INTEGER"), ("usd_mode", "STRING"),
    ("usd_num", "BIGINT"), ("usd_den", "BIGINT"),
    ("currency", "STRING"), ("credits_per_usd", RATE), ("usd_known", "BOOLEAN"),
    ("default_quality", "STRING"), ("default_sound", "BOOLEAN"),
    ("default_duration", SECONDS), ("forced_sound", "BOOLEAN"), ("source", "STRING"),
)
"""Column names and SQL types of the rates table, in order. ``valid_from``/``valid_to``
NULL: unbounded. ``accepts_integer`` NULL: no accepted range is declared (nothing is
checked); ``*_scale``: decimal places of the rounding quantum (``10^-scale``) and of the
rounded value; ``usd_num``/``usd_den``: the USD conversion as integers,
``usd_units = round(amount x 10^amount_scale x usd_num / usd_den)`` by ``usd_mode``, and
USD = ``usd_units x usd_precision``; ``credits_per_usd`` NULL: no credit value in force
(``usd_known`` says whether the card gives one on any day)."""

NAMES = tuple(name for name, _ in COLUMNS)

MAX_SECONDS = Decimal(10) ** BILLED_SECONDS.below
"""Seconds the SQL engines bill at most (clamps and default durations included)."""
MAX_RATE = Decimal(10) ** CARD_RATE.below
"""Largest per-second rate or fixed price the SQL engines take."""
MAX_RATIO = USD_RATIO_MAX
"""Largest ``usd_num``/``usd_den``."""


class RatesError(RatecardError):
    """A card rule the rates table (and so the SQL engines) cannot represent exactly."""


def rate_rows(catalog: HasIndex) -> list[dict[str, Any]]:
    """Every row of the rates table, sorted by provider, model, quality, sound, validity."""
    rows: list[dict[str, Any]] = []
    for plan in catalog.index.plans():
        rows.extend(_plan_rows(plan))
    return rows


def _plan_rows(plan: OfferingPlan) -> list[dict[str, Any]]:
    where = f"{plan.provider}/{plan.model}"
    if plan.basis != "fixed" and plan.accepts is None:  # pragma: no cover - schema requires it
        raise RatesError(f"{where}: a per-second offering needs an accepted range")
    common = {
        "provider": plan.provider, "model": plan.model, "family": plan.family,
        "mode": plan.mode, "basis": plan.basis,
        **_limit("accepts", plan.accepts, where),
        **_limit("accepts_input", plan.accepts_input, where),
        "min_seconds": _seconds(plan.min_seconds, where, "min_seconds", BILLED_SECONDS),
        "max_seconds": _seconds(plan.max_seconds, where, "max_seconds", BILLED_SECONDS),
        "seconds_precision": plan.seconds_precision,
        "seconds_scale": None if plan.seconds_precision is None
        else _scale(plan.seconds_precision, SECONDS_PRECISION, where, "billing.rounding"),
        "seconds_mode": plan.seconds_mode,
        "amount_precision": plan.amount_precision,
        "amount_scale": _scale(plan.amount_precision, AMOUNT_PRECISION, where,
                               "rounding.amount"),
        "amount_mode": plan.amount_mode,
        "usd_precision": plan.usd_precision,
        "usd_scale": _scale(plan.usd_precision, USD_PRECISION, where, "rounding.usd"),
        "usd_mode": plan.usd_mode,
        "currency": plan.currency, "usd_known": bool(plan.credits),
        "default_quality": plan.default_quality, "default_sound": plan.default_sound,
        "default_duration": _seconds(plan.default_duration, where, "default duration",
                                     BILLED_SECONDS),
        "forced_sound": plan.forced_sound,
    }
    pieces = _credit_pieces(plan)
    rows = []
    for (quality, on), versions in sorted(plan.cells.items()):
        for cell in versions:
            _fits(cell.unit_rate, CARD_RATE, where, "price")
            _fits(cell.base, CARD_RATE, where, "base price")
            if cell.multiplier is not None:
                _fits(cell.multiplier, CARD_RATE, where, "multiplier")
            for span, credit in pieces:
                piece = _intersect(cell.span, span)
                if piece is None:
                    continue
                num, den = _usd_ratio(plan, credit, where)
                rows.append({
                    **common, "quality": quality, "sound": on,
                    "valid_from": piece.start, "valid_to": piece.end,
                    "price_version": cell.label,
                    "credit_version": None if credit is None else credit.label,
                    "kind": cell.kind, "base": cell.base, "multiplier": cell.multiplier,
                    "unit_rate": cell.unit_rate, "usd_num": num, "usd_den": den,
                    "credits_per_usd": None if credit is None else credit.credits_per_usd,
                    "source": cell.source,
                })
    rows.sort(key=lambda r: (r["quality"], r["sound"], r["valid_from"] or date.min))
    return [{name: row[name] for name in NAMES} for row in rows]


def _credit_pieces(plan: OfferingPlan) -> list[tuple[Span, CreditPlan | None]]:
    """The whole timeline cut by the credit values in force, gaps included (as ``None``)."""
    if not plan.credits:
        return [(Span(None, None), None)]
    pieces: list[tuple[Span, CreditPlan | None]] = []
    cursor: date | None = None
    first = True
    for credit in plan.credits:
        span = credit.span or Span(None, None)
        if span.start is not None and (first or (cursor is not None and cursor < span.start)):
            pieces.append((Span(cursor, span.start), None))
        pieces.append((span, credit))
        first = False
        cursor = span.end
        if cursor is None:
            return pieces
    pieces.append((Span(cursor, None), None))
    return pieces


def _intersect(a: Span, b: Span) -> Span | None:
    starts = [d for d in (a.start, b.start) if d is not None]
    ends = [d for d in (a.end, b.end) if d is not None]
    start = max(starts) if starts else None
    end = min(ends) if ends else None
    if start is not None and end is not None and start >= end:
        return None
    return Span(start, end)


def _usd_ratio(plan: OfferingPlan, credit: CreditPlan | None,
               where: str) -> tuple[int | None, int | None]:
    if credit is None:
        return None, None
    _fits(credit.credits_per_usd, CARD_RATE, where, "credits_per_usd")
    ratio = grid_ratio(plan.amount_precision, credit.credits_per_usd, plan.usd_precision)
    if ratio.numerator > MAX_RATIO or ratio.denominator > MAX_RATIO:
        raise RatesError(f"{where}: the USD conversion {plain(credit.credits_per_usd)} credits/USD "
                         f"needs integers above {MAX_RATIO} (usd_num/usd_den)")
    return ratio.numerator, ratio.denominator


def _limit(prefix: str, limit: SecondsLimit | None, where: str) -> dict[str, Any]:
    if limit is None:
        return {f"{prefix}_min": None, f"{prefix}_max": None, f"{prefix}_integer": None}
    return {f"{prefix}_min": _seconds(limit.min, where, f"{prefix}.min", CARD_SECONDS),
            f"{prefix}_max": _seconds(limit.max, where, f"{prefix}.max", CARD_SECONDS),
            f"{prefix}_integer": limit.integer}


def _seconds(value: Decimal | None, where: str, what: str, bounds: Bounds) -> Decimal | None:
    if value is None:
        return None
    _fits(value, bounds, where, what)
    return value


def _fits(value: Decimal, bounds: Bounds, where: str, what: str) -> None:
    if not within(value, bounds):
        raise RatesError(f"{where}: {what} {plain(value)}: the SQL engines take it below "
                         f"{bounds.limit} with at most {bounds.places} decimal places")


def _scale(precision: Decimal, bounds: Bounds, where: str, what: str) -> int:
    exponent = precision.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent > 0 or not within(precision, bounds):
        raise RatesError(f"{where}: {what} precision {plain(precision)}: the SQL engines round to "
                         f"1 down to 10^-{bounds.places}")
    return -exponent


def row_tuples(rows: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Rows as tuples in :data:`COLUMNS` order.

    >>> import ratecard
    >>> from ratecard.cards.paths import builtin_dir
    >>> evolink = ratecard.load(builtin_dir() / "evolink.yaml", builtin=False)
    >>> row_tuples(rate_rows(evolink))[0][:4]
    ('evolink', 'kling-o1-video-edit', 'kling-o1', 'video-edit')
    """
    return [tuple(row[name] for name in NAMES) for row in rows]


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_csv(rows: Sequence[dict[str, Any]], out: IO[str]) -> None:
    """The rates table as CSV with a header; NULL is an empty field, decimals plain.

    >>> import io, ratecard
    >>> out = io.StringIO()
    >>> write_csv(rate_rows(ratecard.load()), out)
    >>> out.getvalue().splitlines()[0].split(",")[:6]
    ['provider', 'model', 'family', 'mode', 'quality', 'sound']
    """
    writer = CsvWriter(out)
    writer.writerow(NAMES)
    for row in rows:
        writer.writerow([spreadsheet_safe("" if (text := _text(row[name])) is None else text)
                         for name in NAMES])


def write_json(rows: Sequence[dict[str, Any]], out: IO[str]) -> None:
    """The rates table as JSON: ``{"columns": {name: SQL type}, "rows": [{name: value}]}``
    with decimals as strings, dates ISO, booleans and integers as such, NULL as null.

    >>> import io, json, ratecard
    >>> out = io.StringIO()
    >>> from ratecard.cards.paths import builtin_dir
    >>> write_json(rate_rows(ratecard.load(builtin_dir() / "evolink.yaml", builtin=False)), out)
    >>> table = json.loads(out.getvalue())
    >>> table["columns"]["unit_rate"], table["rows"][0]["unit_rate"], table["rows"][0]["sound"]
    ('DECIMAL(18,8)', '12', False)
    """
    data = [{name: (row[name] if isinstance(row[name], bool | int) else _text(row[name]))
             for name in NAMES} for row in rows]
    json.dump({"columns": dict(COLUMNS), "rows": data}, out, indent=1, ensure_ascii=False)
    out.write("\n")
