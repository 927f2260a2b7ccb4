"""Invoice lines for the differential tests of the SQL engines, generated deterministically.

:func:`generate` draws lines from every offering x quality x sound of a catalog (the
built-in cards plus the test-only cards in ``tests/cards/rounding``, which use every
rounding mode on billed seconds, amounts and USD, with price and credit value versions
that cross on given days) and covers: accepted-range boundaries, clamps, ties at half a
rounding unit, the first and last day of every validity and the day before, timestamps
in every form the SQL grammar reads (offsets that move the UTC day, Unix seconds),
unknown offerings, unpriced days, USD lines, failed and cancelled tasks, duplicates,
reservations and invalid lines.

Values outside what the SQL engines read by design (documented in
``ratecard.batch.sql``: exponents, digit separators, more than 10 decimal places in money
or 6 in seconds, non-ASCII digits or blanks, ISO forms outside the SQL grammar) are not
generated here; ``test_batch_limits`` pins those down separately.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import ratecard
from ratecard.api import Catalog
from ratecard.errors import QuoteError
from ratecard.pricing.plans import OfferingPlan
from ratecard.reconcile.readers import COLUMNS

CARDS = Path(__file__).parent / "cards" / "rounding"
"""Test-only rate cards: every rounding mode, versions crossing at dates."""

BASE_DAYS = [date(2025, 12, 20), date(2026, 1, 15), date(2026, 2, 10), date(2026, 3, 15),
             date(2026, 5, 20), date(2026, 6, 15), date(2026, 8, 15), date(2026, 10, 10),
             date(2026, 11, 21)]

BAD_TIMESTAMPS = ["2026-02-30", "2026-13-01T00:00:00Z", "2026-11-01T24:00:00",
                  "2026-11-01T23:60", "2026-11-01T10:00:60", "yesterday", "11/01/2026",
                  " 2026-11-01", "2026-11-01 ", "2026-11-01T10:00:00+24:00", "0000-01-01",
                  "2026-11-01T", "99999999999999", "2026-11-01T10:00:00+23:60", "-1",
                  "0001-01-01T00:30+01:00", "9999-12-31T23:30-01:00"]
BAD_NUMBERS = ["abc", "1,5", "  ", "--1", "1.2.3", "+", ".", "0x10", "NaN", "Infinity",
               "1 000"]


def require_duckdb() -> None:
    """Skip when DuckDB is missing locally; under ``CI`` (where the dev extra installs it)
    fail instead: CI runs every engine."""
    import os

    import pytest

    try:
        import duckdb  # noqa: F401
    except ImportError:
        reason = "duckdb is not installed (pip install -e '.[dev]')"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI must run every engine")
        pytest.skip(reason)


def catalog() -> Catalog:
    """The built-in cards plus the rounding test cards."""
    return ratecard.load(CARDS)


def _days(plan: OfferingPlan) -> list[date]:
    days = set(BASE_DAYS)
    for versions in plan.cells.values():
        for cell in versions:
            for edge in (cell.span.start, cell.span.end):
                if edge is not None:
                    days.update({edge, edge - timedelta(days=1)})
    for credit in plan.credits:
        if credit.span is not None:
            for edge in (credit.span.start, credit.span.end):
                if edge is not None:
                    days.update({edge, edge - timedelta(days=1)})
    return sorted(days)


def _seconds(plan: OfferingPlan, rng: random.Random) -> tuple[list[str], list[str]]:
    """Seconds texts worth trying: accepted values (ties of the billing rounding among
    them), and boundaries: the accepted range's and the clamps', just inside and outside."""
    limit = plan.accepts if plan.basis != "fixed" else plan.accepts_input
    low = limit.min if limit and limit.min is not None else Decimal("0.5")
    high = limit.max if limit and limit.max is not None else Decimal(40)
    whole = bool(limit and limit.integer)
    inside: set[Decimal] = set()
    quantum = plan.seconds_precision
    for _ in range(12):
        if whole:
            inside.add(Decimal(rng.randint(int(low) or 1, int(high))))
        else:
            inside.add(low + (high - low) * rng.randint(0, 1000) / 1000)
    if quantum is not None and not whole:
        for k in range(1, 40):
            tie = quantum * k + quantum / 2
            for value in (tie, tie + Decimal("0.000001"), tie - Decimal("0.000001")):
                if low <= value <= high:
                    inside.add(value)
    # far outside any range too (7 integer digits, what SQL reads): refused, yet priced on
    # the way (1,000 s x 10.8 credits/s once overflowed DuckDB's 64-bit product), or
    # billed at a clamp (EvoLink bills 0.25 s as its 3 s minimum; rt-even 1,000 s as 30 s)
    edges: set[Decimal] = {Decimal(0), Decimal(-3), Decimal("0.25"), Decimal(1000),
                           Decimal(9999999)}
    for edge in (limit.min if limit else None, limit.max if limit else None,
                 plan.min_seconds, plan.max_seconds):
        if edge is not None:
            edges.update({edge, edge + Decimal("0.001"), edge - Decimal("0.001"),
                          edge + 1, edge - Decimal("0.5")})
    return ([f"{v:f}" for v in sorted(inside)], [f"{v:f}" for v in sorted(edges)])


def _pick(seconds: tuple[list[str], list[str]], rng: random.Random) -> str:
    inside, edges = seconds
    return rng.choice(edges if rng.random() < 0.2 else inside)


ODD_SECONDS = ["", " 6 ", "+5", "5.", ".5", "abc", "12.000000", "1,5"]
"""Seconds texts that are blank, unusual or not numbers."""


def _timestamp(day: date, rng: random.Random) -> str:
    """A timestamp text whose UTC day is ``day``, in one of the forms the grammar reads."""
    moment = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
        seconds=rng.randrange(86400))
    form = rng.randrange(9)
    if form == 0:
        return day.isoformat()
    if form == 1:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if form == 2:
        return moment.strftime("%Y-%m-%d %H:%M")
    if form == 3:
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + "." + str(rng.randrange(10 ** 6))
    if form == 4:
        if day.year < 1970:  # pragma: no cover - the days generated are recent
            return day.isoformat()
        return str(int(moment.timestamp()))
    if form == 5:
        return moment.strftime("%Y-%m-%dT%H:%M:%S,5Z")
    minutes = rng.randrange(-23 * 60 - 59, 23 * 60 + 60)
    if abs(minutes) > 23 * 60 + 59 or day in (date.min, date.max):
        minutes = 0
    local = moment + timedelta(minutes=minutes)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    if local.year < 1 or local.year > 9999:  # pragma: no cover
        return day.isoformat()
    text = local.strftime("%Y-%m-%dT%H:%M:%S")
    if form == 6:
        return f"{text}{sign}{hours:02d}:{rest:02d}"
    if form == 7:
        return f"{text}{sign}{hours:02d}{rest:02d}"
    if rest:
        return f"{text}{sign}{hours:02d}:{rest:02d}"
    return f"{text}{sign}{hours:02d}"


def _money_text(value: Decimal, rng: random.Random) -> str:
    """``value`` written one of the ways an export might write it (same value)."""
    text = f"{value:f}"
    form = rng.randrange(8)
    if form == 1:
        return text + ("0" if "." in text else ".0")
    if form == 2:
        return f" {text} "
    if form == 3 and value >= 0:
        return "+" + text
    if form == 4 and "." in text:
        return text.rstrip("0").rstrip(".") or "0"
    return text


class _Maker:
    def __init__(self, cat: Catalog, seed: int) -> None:
        self.catalog = cat
        self.rng = random.Random(seed)
        self.lines: list[dict[str, str]] = []
        self.tasks: list[tuple[str, str]] = []
        self.plans = cat.plans()

    def task(self, provider: str) -> str:
        rng = self.rng
        if self.tasks and rng.random() < 0.03:
            old_provider, old = self.tasks[rng.randrange(len(self.tasks))]
            if rng.random() < 0.8 or old_provider != provider:
                return old  # a duplicate (or the same id at another provider)
        name = f"t{len(self.lines)}"
        self.tasks.append((provider, name))
        return name

    def add(self, plan: OfferingPlan | None, *, provider: str, model: str, quality: str,
            sound: str, seconds: str, day: date, currency: str | None = None) -> None:
        rng = self.rng
        duration = input_seconds = ""
        if plan is not None and plan.basis == "input_seconds":
            input_seconds = seconds
            if rng.random() < 0.05:
                duration = "5"  # ignored by an edit
        elif plan is not None and plan.basis == "fixed":
            if rng.random() < 0.5:
                input_seconds = seconds
        else:
            duration = seconds
            if rng.random() < 0.02:
                input_seconds = "4"  # refused for a generation
        currency = currency or rng.choice(["credits", "credits", "credits", "USD", "usd",
                                           "Credits", "credit"])
        expected = self._expected(plan, provider, model, duration, input_seconds, quality,
                                  sound, day, currency)
        status = rng.choice(["succeeded"] * 12 + ["SUCCESS", "completed", " Done ", "failed",
                                                   "cancelled", "canceled", "pending",
                                                   "running", "error"])
        charged = self._charged(expected, plan, currency, status)
        reserved = ""
        roll = rng.random()
        if roll < 0.05:
            reserved = charged
        elif roll < 0.08:
            reserved = _money_text(Decimal(rng.randint(0, 9999)) / 100, rng)
        elif roll < 0.085:
            reserved = "n/a"
        self.lines.append({
            "task_id": self.task(provider), "provider": provider, "model": model,
            "duration": duration, "input_seconds": input_seconds, "quality": quality,
            "sound": sound, "timestamp": _timestamp(day, rng), "charged": charged,
            "currency": currency, "status": status, "reserved": reserved,
        })

    def _expected(self, plan: OfferingPlan | None, provider: str, model: str, duration: str,
                  input_seconds: str, quality: str, sound: str, day: date,
                  currency: str) -> Decimal | None:
        if plan is None:
            return None
        words = {"on": True, "true": True, "1": True, "yes": True, "off": False,
                 "false": False, "0": False, "no": False}
        try:
            # invoiced: lengths beyond a billing clamp are charged at the clamp
            q = self.catalog.index.quote(provider, model, duration=duration or None,
                                         input_seconds=input_seconds or None,
                                         quality=quality.strip() or None,
                                         sound=words.get(sound.strip().lower()) if sound
                                         else None, at=day, invoiced=True)
        except (QuoteError, KeyError):
            return None
        if currency.lower() == "usd" and plan.currency != "USD":
            return q.usd
        return q.credits

    def _charged(self, expected: Decimal | None, plan: OfferingPlan | None, currency: str,
                 status: str) -> str:
        rng = self.rng
        if expected is None:
            return _money_text(Decimal(rng.randint(0, 100000)) / 1000, rng)
        if status.strip().lower() in ("failed", "cancelled", "canceled", "error") \
                and rng.random() < 0.6:
            return rng.choice(["0", "0.00", "0.0000"])
        assert plan is not None
        unit = plan.usd_precision if currency.lower() == "usd" and plan.currency != "USD" \
            else plan.amount_precision
        roll = rng.random()
        if roll < 0.55:
            delta = Decimal(0)
        elif roll < 0.65:
            delta = unit * rng.choice([1, -1])  # exactly the tolerance
        elif roll < 0.72:
            delta = unit / rng.choice([2, 10, 1000]) * rng.choice([1, -1])
        elif roll < 0.8:
            delta = (unit + Decimal("0.0000000001")) * rng.choice([1, -1])
        else:
            delta = Decimal(rng.randint(1, 5000)) / 100 * rng.choice([1, -1])
        return _money_text(expected + delta, rng)

    def systematic(self) -> None:
        """Every offering x quality x sound x interesting day, and every seconds boundary."""
        rng = self.rng
        for plan in self.plans:
            qualities = [*plan.qualities, "", " " + plan.qualities[0] + " ", "8k"]
            sounds = [*plan.sounds, "", "ON", " true ", "1", "no"]
            seconds = _seconds(plan, rng)
            for day in _days(plan):
                for quality in qualities:
                    for sound in sounds:
                        if rng.random() < 0.5:
                            continue
                        self.add(plan, provider=plan.provider, model=plan.model,
                                 quality=quality, sound=sound, day=day,
                                 seconds=_pick(seconds, rng))
            for text in seconds[1] + ODD_SECONDS:
                for currency in ("credits", "USD"):
                    self.add(plan, provider=plan.provider, model=plan.model, quality="",
                             sound="", seconds=text, day=rng.choice(_days(plan)),
                             currency=currency)

    def random_lines(self, count: int) -> None:
        rng = self.rng
        for _ in range(count):
            plan = self.plans[rng.randrange(len(self.plans))]
            quality = rng.choice([*plan.qualities, ""])
            sound = rng.choice([*plan.sounds, ""])
            seconds = _seconds(plan, rng)
            self.add(plan, provider=plan.provider, model=plan.model, quality=quality,
                     sound=sound, seconds=_pick(seconds, rng),
                     day=rng.choice(_days(plan)))

    def odd_lines(self) -> None:
        """Unknown offerings and invalid lines of every kind."""
        rng = self.rng
        plan = self.plans[0]
        for provider, model in (("nope", "kling-x"), (plan.provider, "kling-x"),
                                ("EVOLINK", "kling-v3-image-to-video")):
            for day in BASE_DAYS[:4]:
                self.add(None, provider=provider, model=model, quality="", sound="",
                         seconds="5", day=day)
        good = {"task_id": "odd", "provider": "evolink", "model": "kling-v3-image-to-video",
                "duration": "5", "input_seconds": "", "quality": "720p", "sound": "off",
                "timestamp": "2026-11-01", "charged": "27.0", "currency": "credits",
                "status": "succeeded", "reserved": ""}
        variants: list[dict[str, str]] = []
        for column in ("task_id", "provider", "model", "timestamp", "charged", "currency",
                       "status"):
            variants.append({column: ""})
        variants += [{"charged": bad} for bad in BAD_NUMBERS]
        variants += [{"reserved": bad} for bad in BAD_NUMBERS if bad.strip()]
        variants += [{"timestamp": bad} for bad in BAD_TIMESTAMPS]
        variants += [{"currency": c} for c in ("EUR", " credits", "USD ", "crédits")]
        variants += [{"status": s} for s in ("done!", "", "ok")]
        variants += [{"sound": "loud"}, {"quality": "4k"}, {"duration": "2"},
                     {"duration": "16"}, {"duration": "7.5"}, {"input_seconds": "5"},
                     {"charged": "", "currency": ""}, {"task_id": "", "charged": "x"}]
        for number, variant in enumerate(variants):
            for repeat in range(3):
                line = {**good, **variant}
                if line["task_id"]:
                    line["task_id"] = f"odd{number}-{repeat}"
                if repeat == 2:
                    line["charged"] = line["charged"] if variant.get("charged") is not None \
                        else _money_text(Decimal(rng.randint(0, 9999)) / 100, rng)
                self.lines.append(line)


def generate(cat: Catalog, random_lines: int = 6000, seed: int = 20261121) -> list[dict[str, str]]:
    """The lines, as canonical columns of text (``''`` when absent), deterministic."""
    maker = _Maker(cat, seed)
    maker.systematic()
    maker.random_lines(random_lines)
    maker.odd_lines()
    lines = maker.lines
    rng = maker.rng
    rng.shuffle(lines)
    return lines


def rows(lines: list[dict[str, str]]) -> Iterator[tuple[str, ...]]:
    """Each line as a tuple in :data:`ratecard.reconcile.readers.COLUMNS` order."""
    for line in lines:
        yield tuple(line[column] for column in COLUMNS)


def write_parquet(lines: list[dict[str, str]], path: Path) -> None:
    """Write ``lines`` as a Parquet file of text columns (through a CSV file, with DuckDB)."""
    from ratecard.batch.duckdb_engine import connect

    text = path.with_suffix(".csv")
    with text.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow(COLUMNS)
        writer.writerows(rows(lines))
    types = ", ".join(f"'{c}': 'VARCHAR'" for c in COLUMNS)
    db = connect()
    try:
        db.execute(f"COPY (SELECT * FROM read_csv('{text}', header = true, quote = '\"', "
                   f"escape = '\"', columns = {{{types}}}, parallel = false)) "
                   f"TO '{path}' (FORMAT parquet)")
    finally:
        db.close()
        text.unlink()


def millis_parquet(path: Path, rows: list[tuple[str, int | None]],
                   beyond: dict[int, int] | None = None) -> Path:
    """An invoice of EvoLink Kling 3.0 lines (5 s, 27.0 credits: a MATCH on a day of its
    price) whose ``timestamp`` is a Parquet TIMESTAMP(MILLIS) column (Arrow's
    ``timestamp[ms]``): one line per ``(task_id, milliseconds since 1970 or None)``.

    DuckDB cannot write a value beyond its own timestamps, so each key of ``beyond`` (a
    value of ``rows``) is written and then overwritten in place by its value: the file is
    uncompressed and each 8-byte value stored as it is (the dictionary and the statistics,
    where it is the least or the greatest)."""
    import struct

    from ratecard.batch.duckdb_engine import connect

    values = " UNION ALL ".join(
        f"SELECT {n} AS n, '{task}' AS task_id, "
        + ("NULL" if ms is None else f"make_timestamp({ms}::BIGINT * 1000)")
        + "::TIMESTAMP_MS AS ts" for n, (task, ms) in enumerate(rows))
    db = connect()
    try:
        db.execute(
            "COPY (SELECT task_id, 'evolink' AS provider, 'kling-v3-image-to-video' AS model, "
            "ts AS timestamp, '5' AS duration, '27.0' AS charged, 'credits' AS currency, "
            f"'succeeded' AS status FROM ({values}) ORDER BY n) TO '{path}' "
            "(FORMAT parquet, COMPRESSION uncompressed)")
    finally:
        db.close()
    data = path.read_bytes()
    for old, new in (beyond or {}).items():
        mark = struct.pack("<q", old)
        assert mark in data, old
        data = data.replace(mark, struct.pack("<q", new))
    path.write_bytes(data)
    return path
