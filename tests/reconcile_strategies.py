"""Shared helpers and hypothesis strategies for the reconciliation tests.

Invoice lines are built from quotes (``catalog.quote``) of the built-in cards and of the
fictional ``acme`` card (``tests/cards/acme.yaml``), so a line written with the quote's
amount must reconcile to MATCH; the tests then change one thing at a time and check the
verdict.

The acme card has two price versions, the second in force from 2026-07-01, and 8 credits
to the dollar.
Catalogs are loaded without the compiled-catalog cache, so these tests never read or
write a user's cache whether or not a conftest redirects it.
"""

from __future__ import annotations

import csv
import decimal
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st

import ratecard
from ratecard import Catalog
from ratecard.pricing.plans import OfferingPlan, SecondsLimit
from ratecard.reconcile.readers import COLUMNS, REQUIRED, RawLine, read_csv, read_jsonl
from ratecard.reconcile.reconciler import OK_STATUSES, LineResult, Reconciler, Summary
from tests.budget import examples

ACME_PATH = Path(__file__).parent / "cards" / "acme.yaml"
"""The test-only acme card, shared with the engine tests."""

PROPERTY_SETTINGS = settings(max_examples=examples(100), deadline=None)
"""Modest example counts: the reconcile properties together take a few seconds."""

ACME_BOUNDARY = date(2026, 7, 1)
"""First day of acme's second price version (the first's ``effective_to``: exclusive)."""
OLD_VERSION = "2026-01-01..2026-07-01"
NEW_VERSION = "2026-07-01..open"

FIRST_DAY = date(2026, 1, 1)
LAST_DAY = date(2027, 12, 31)
"""Lines are drawn on days every offering is priced on (acme starts on 2026-01-01)."""

INPUT_CAP = Decimal(120)
"""Longest input video drawn where a card gives no upper bound (seconds)."""
SMALLEST = Decimal("0.01")
"""Shortest length drawn where a card gives no lower bound (lengths are > 0)."""

EXACT = decimal.Context(prec=200, traps=[decimal.Inexact, decimal.InvalidOperation])
"""Oracle arithmetic: wide enough for any amount drawn here, and never rounds silently."""

SUCCEEDED_WORDS = ("succeeded", "SUCCESS", "success", "Successful", "completed", "complete",
                   "done")
FAILED_WORDS = ("failed", "FAILED", "failure", "error", "cancelled", "canceled", "CANCELLED")
SOUND_WORDS = {"on": ("on", "ON", "true", "True", "1", "yes"),
               "off": ("off", "OFF", "false", "0", "no")}


def sound_of(text: str) -> bool | None:
    """What one of :data:`SOUND_WORDS` says (``None`` for an empty field: the default)."""
    if not text:
        return None
    return text in SOUND_WORDS["on"]


CURRENCY_WORDS = {"credits": ("credits", "Credits", "CREDITS", "credit"),
                  "USD": ("USD", "usd", "Usd")}


# --------------------------------------------------------------------------- catalogs


def acme_path() -> Path:
    """The test-only acme card."""
    return ACME_PATH


@cache
def load_catalog() -> Catalog:
    """The built-in cards plus acme, loaded once (without the compiled-catalog cache)."""
    return ratecard.load(acme_path(), cache=False)


CATALOG = load_catalog()
PLANS: tuple[OfferingPlan, ...] = tuple(CATALOG.plans())


# --------------------------------------------------------------------------- building lines

DEFAULTS: dict[str, str] = {
    "task_id": "t1", "provider": "evolink", "model": "kling-v3-image-to-video",
    "timestamp": "2026-11-01", "duration": "5", "quality": "720p", "sound": "off",
    "charged": "27.0000", "currency": "credits", "status": "succeeded",
}
"""A line that reconciles to MATCH: evolink charges 5.4 credits a second for 720p silent."""


def line(**values: str) -> dict[str, str]:
    """:data:`DEFAULTS` with some columns changed."""
    return {**DEFAULTS, **values}


def csv_text(rows: Iterable[Mapping[str, str]], columns: Sequence[str] = COLUMNS) -> str:
    """A CSV invoice: a header of ``columns`` and one record per row (``""`` if absent)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue()


def jsonl_text(rows: Iterable[Mapping[str, str]], numbers: Iterable[str] = ()) -> str:
    """JSON Lines: one object per row; columns in ``numbers`` written as JSON numbers."""
    raw = set(numbers)
    lines = []
    for row in rows:
        parts = [f"{json.dumps(key)}: {value if key in raw and value else json.dumps(value)}"
                 for key, value in row.items()]
        lines.append("{" + ", ".join(parts) + "}\n")
    return "".join(lines)


def read_text(text: str, name: str = "invoice.csv") -> list[RawLine]:
    """The raw lines of ``text`` as the file reader would see them (``newline=""``)."""
    handle = io.StringIO(text, newline="")
    if name.endswith(".jsonl"):
        return list(read_jsonl(handle, name))
    return list(read_csv(handle, name))


def reconcile_text(text: str, name: str = "invoice.csv", *, catalog: Catalog = CATALOG,
                   tolerance: Decimal | None = None) -> tuple[list[LineResult], Summary]:
    """Every result of ``text`` (CSV, or JSON Lines for a ``.jsonl`` name) and the summary,
    from a fresh Reconciler."""
    reconciler = Reconciler(catalog, tolerance)
    results = list(reconciler.run(read_text(text, name)))
    return results, reconciler.summary


def reconcile_rows(*rows: Mapping[str, str], columns: Sequence[str] = COLUMNS,
                   tolerance: Decimal | None = None) -> list[LineResult]:
    """Results of a CSV invoice made of ``rows``."""
    return reconcile_text(csv_text(rows, columns), tolerance=tolerance)[0]


def check(**values: str) -> LineResult:
    """The verdict on one :func:`line`."""
    (result,) = reconcile_rows(line(**values))
    return result


# --------------------------------------------------------------------------- oracles


def exact_sum(values: Iterable[Decimal]) -> Decimal:
    """The exact sum (never rounded: a sum that would need rounding raises)."""
    total = Decimal(0)
    for value in values:
        total = EXACT.add(total, value)
    return total


def parse_amount(text: str | None) -> Decimal | None:
    """A charged text as a finite Decimal, or None: the oracle's own reading."""
    if text is None:
        return None
    try:
        value = Decimal(text.strip())
    except decimal.InvalidOperation:
        return None
    return value if value.is_finite() else None


def header_is_usable(text: str) -> bool:
    """Whether csv.reader finds a first record naming every required column, and no
    canonical column twice. A byte-order mark that starts the file is no part of the
    header (the readers drop one that starts a line)."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""),
                        skipinitialspace=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return False
    names = [name.strip() for name in header]
    return all(column in names for column in REQUIRED) \
        and all(names.count(column) < 2 for column in COLUMNS)


def record_starts(text: str) -> list[int]:
    """The physical line of each result after the header: where each record starts, as
    csv.reader splits ``text`` (a record it cannot read counts too: it is still a line of
    input), except that a record over several lines that is not well formed CSV gives one
    result per physical line: strict quoting must read it as one record of the header's
    width, and none of its inner lines may be such a record by itself."""
    physical = io.StringIO(text, newline="").readlines()
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    width = len(next(reader))
    starts: list[int] = []
    end = reader.line_num
    while True:
        try:
            next(reader)
        except StopIteration:
            return starts
        except csv.Error:
            pass
        start, end = end + 1, reader.line_num
        lines = physical[start - 1:end]
        starts.extend([start] if _one_record(lines, width) else range(start, end + 1))


def _one_record(lines: list[str], width: int) -> bool:
    if len(lines) == 1:
        return True

    def strict(part: list[str]) -> list[list[str]] | None:
        try:
            return list(csv.reader(part, strict=True, skipinitialspace=True))
        except csv.Error:
            return None

    rows = strict(lines)
    if rows is None or len(rows) != 1 or len(rows[0]) != width:
        return False
    return not any((rows := strict([inner])) and len(rows[0]) == width
                   for inner in lines[1:-1])


def assert_groups_add_up(summary: Summary) -> None:
    """The per provider x model x status groups (and by_status) add up to the total."""
    total = summary.total
    groups = list(summary.groups.values())
    assert sum(group.lines for group in groups) == total.lines
    for name in ("charged", "expected", "difference"):
        merged: dict[str, Decimal] = {}
        for group in groups:
            for currency, value in getattr(group, name).items():
                merged[currency] = exact_sum([merged.get(currency, Decimal(0)), value])
        assert merged == getattr(total, name), name
    assert sum(summary.by_status.values()) == total.lines
    assert summary.discrepancies == sum(
        count for status, count in summary.by_status.items() if status not in OK_STATUSES)


NO_EXPECTED = frozenset({"INVALID_LINE", "DUPLICATE_TASK", "UNKNOWN_OFFERING",
                         "UNPRICED_DATE", "UNPRICED_CURRENCY"})
"""The statuses whose lines carry no expected amount (README: reconcile statuses)."""


def assert_unpriced_adds_up(summary: Summary, results: Iterable[LineResult]) -> None:
    """Exactly the lines of :data:`NO_EXPECTED` have no expected amount, and
    ``summary.unpriced`` counts them and their charges: the part of the charged total
    that expected and difference do not cover."""
    lines = 0
    charged: dict[str, Decimal] = {}
    for result in results:
        assert (result.expected is None) == (result.status in NO_EXPECTED), result
        if result.status not in NO_EXPECTED:
            continue
        lines += 1
        unit = summary.scope.unit(result.currency, result.provider)
        if unit is not None and result.charged is not None:
            charged[unit] = exact_sum([charged.get(unit, Decimal(0)), result.charged])
    assert summary.unpriced.lines == lines
    assert summary.unpriced.charged == charged


# --------------------------------------------------------------------------- strategies


@dataclass(frozen=True)
class PricedLine:
    """An invoice line built from a quote, and what reconciling it must report."""

    values: Mapping[str, str]
    """Canonical column -> text."""
    expected: Decimal
    """The quote's amount in ``currency`` (0 for a failed or cancelled task)."""
    currency: str
    tolerance: Decimal
    """One unit of the card's rounding precision for ``currency``."""
    price_version: str
    day: date
    """The job's UTC day."""
    succeeded: bool

    def with_values(self, **changes: str) -> PricedLine:
        return replace(self, values={**self.values, **changes})


def seconds_in(limit: SecondsLimit | None) -> st.SearchStrategy[Decimal]:
    """Lengths ``limit`` accepts: whole seconds where it says so, else up to 2 places."""
    low = SMALLEST if limit is None or limit.min is None else max(limit.min, SMALLEST)
    high = INPUT_CAP if limit is None or limit.max is None else limit.max
    whole = st.integers(
        min_value=int(low.to_integral_value(rounding=decimal.ROUND_CEILING)),
        max_value=int(high.to_integral_value(rounding=decimal.ROUND_FLOOR)),
    ).map(Decimal)
    if limit is not None and limit.integer:
        return whole
    return st.one_of(whole, st.decimals(min_value=low, max_value=high, places=1),
                     st.decimals(min_value=low, max_value=high, places=2))


def billed_seconds_in(plan: OfferingPlan, limit: SecondsLimit | None
                      ) -> st.SearchStrategy[Decimal]:
    """Lengths an invoice may bill for ``plan``: the accepted ones, and where the card
    clamps (``billing.min_seconds``, ``max_seconds``) lengths beyond a clamp, accepted or
    not, whole or not (billed at the clamp: EvoLink's 2 s Kling 3.0 video is billed 3 s)."""
    options = [seconds_in(limit)]
    if plan.basis != "fixed" and plan.min_seconds is not None and plan.min_seconds > SMALLEST:
        options.append(st.decimals(min_value=SMALLEST, max_value=plan.min_seconds - SMALLEST,
                                   places=2))
    if plan.basis != "fixed" and plan.max_seconds is not None:
        options.append(st.decimals(min_value=plan.max_seconds + SMALLEST,
                                   max_value=plan.max_seconds + INPUT_CAP, places=2))
    return st.one_of(*options)


@st.composite
def timestamps(draw: st.DrawFn, unix: bool = True) -> tuple[str, date]:
    """(timestamp text, its UTC day) in the forms an export may use: a date, a UTC or
    naive date-time, a date-time with another offset (whose local day may differ), or
    Unix seconds."""
    day = draw(st.dates(min_value=FIRST_DAY, max_value=LAST_DAY))
    moment = datetime.combine(day, draw(st.times()), tzinfo=UTC)
    styles = ["date", "z", "utc", "naive", "space", "offset"] + (["unix"] if unix else [])
    style = draw(st.sampled_from(styles))
    if style == "date":
        return day.isoformat(), day
    if style == "z":
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ"), day
    if style == "utc":
        return moment.isoformat(), day
    if style == "naive":
        return moment.replace(tzinfo=None).isoformat(), day
    if style == "space":
        return moment.strftime("%Y-%m-%d %H:%M:%S"), day
    if style == "offset":
        minutes = draw(st.integers(min_value=-14 * 60, max_value=14 * 60))
        return moment.astimezone(timezone(timedelta(minutes=minutes))).isoformat(), day
    return str(int(moment.timestamp())), day


def amount_texts(value: Decimal, scientific: bool = True) -> st.SearchStrategy[str]:
    """Texts of the same number: as quoted, plain, with trailing zeros added or removed,
    and (optionally) in scientific notation."""
    plain = f"{value:f}"
    options = [str(value), plain, plain + ("00" if "." in plain else ".00"),
               f"{value.normalize():f}"]
    if scientific:
        options += [str(value.normalize()), f"{value:E}"]
    return st.sampled_from(options)


@st.composite
def priced_lines(draw: st.DrawFn, plans: Sequence[OfferingPlan] = PLANS, *,
                 unix: bool = True, scientific: bool = True,
                 failed: bool = True) -> PricedLine:
    """A line of any offering x quality x sound x billed seconds (accepted, or beyond a
    billing clamp) x day, charged what its invoiced quote says, in credits or (where the
    card has a credit value) in USD."""
    plan = draw(st.sampled_from(plans))
    quality = draw(st.sampled_from(("", *plan.qualities)))
    sound_name = draw(st.sampled_from(("", *plan.sounds)))
    sound = None if not sound_name else sound_name == "on"
    sound_text = draw(st.sampled_from(SOUND_WORDS[sound_name])) if sound_name else ""
    duration: Decimal | None = None
    input_seconds: Decimal | None = None
    if plan.basis == "duration":
        duration = draw(st.none() | billed_seconds_in(plan, plan.accepts))
    elif plan.basis == "input_seconds":
        input_seconds = draw(billed_seconds_in(plan, plan.accepts))
    elif plan.accepts_input is not None:
        input_seconds = draw(st.none() | seconds_in(plan.accepts_input))
    stamp, day = draw(timestamps(unix=unix))
    quote = CATALOG.index.quote(plan.provider, plan.model, duration=duration,
                                input_seconds=input_seconds, quality=quality or None,
                                sound=sound, at=day, invoiced=True)
    if quote.currency == "credits" and quote.usd is not None and draw(st.booleans()):
        currency, amount = "USD", quote.usd
        tolerance = plan.usd_precision
        version = f"{quote.price_version}; credit value {quote.credit_version}"
    else:  # the card's own currency (credits, or USD for a USD card)
        currency, amount = quote.currency, quote.credits
        tolerance = plan.amount_precision
        version = quote.price_version
    succeeded = not failed or draw(st.integers(min_value=0, max_value=9)) > 0
    if succeeded:
        status = draw(st.sampled_from(SUCCEEDED_WORDS))
    else:
        status = draw(st.sampled_from(FAILED_WORDS))
        amount = Decimal(0)  # a failed or cancelled task costs nothing
    charged = draw(amount_texts(amount, scientific))
    values = {
        "provider": plan.provider, "model": plan.model, "timestamp": stamp,
        "duration": "" if duration is None else str(duration),
        "input_seconds": "" if input_seconds is None else str(input_seconds),
        "quality": quality, "sound": sound_text, "charged": charged,
        "currency": draw(st.sampled_from(CURRENCY_WORDS[currency])), "status": status,
        "reserved": draw(st.sampled_from(("", charged))),
    }
    return PricedLine(values, amount, currency, tolerance, version, day, succeeded)


@st.composite
def invoices(draw: st.DrawFn, min_size: int = 1, max_size: int = 10, *,
             unix: bool = True, scientific: bool = True,
             failed: bool = True) -> list[PricedLine]:
    """Priced lines with distinct task ids."""
    lines = draw(st.lists(priced_lines(unix=unix, scientific=scientific, failed=failed),
                          min_size=min_size, max_size=max_size))
    return [priced.with_values(task_id=f"job-{i:04d}") for i, priced in enumerate(lines)]


@st.composite
def layouts(draw: st.DrawFn, lines: Sequence[PricedLine]) -> list[str]:
    """A header for ``lines``: the required columns, those the lines fill, maybe some
    others (an unknown one too), in any order."""
    needed = [c for c in COLUMNS
              if c in REQUIRED or any(priced.values.get(c) for priced in lines)]
    spare = [c for c in COLUMNS if c not in needed] + ["note"]
    extra = draw(st.lists(st.sampled_from(spare), unique=True))
    return list(draw(st.permutations(needed + extra)))


FUZZ_CHUNKS = (",", '"', '""', ',"', '",', "\n", "\r", "\r\n", "\n\n", " ", "\t", ";",
               "\x00", "x", "9", ".", "-", "é", "\u2028", "\ufeff")
"""What the fuzzer inserts: CSV structure (separators, quotes, line ends) and odd
characters; no letters or digits that could spell a number the engine cannot take (those
cases have their own tests)."""


@st.composite
def mangled(draw: st.DrawFn, text: str, chunks: Sequence[str] = FUZZ_CHUNKS) -> str:
    """``text`` with one to four ``chunks`` inserted at random places, then perhaps
    truncated; mostly after the first line, so most headers survive to let the lines be
    read, while some do not."""
    header = text.find("\n") + 1

    def position(length: int) -> int:
        low = 0 if draw(st.integers(min_value=0, max_value=4)) == 0 else min(header, length)
        return draw(st.integers(min_value=low, max_value=length))

    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = position(len(text))
        text = text[:at] + draw(st.sampled_from(chunks)) + text[at:]
    if draw(st.booleans()):
        text = text[:position(len(text))]
    return text
