"""The contract every built-in rate card keeps, run by each card's own test module.

python-holidays' pattern: one shared test class, one subclass per data file. Each module
``tests/providers/test_<provider>.py`` holds::

    class TestEvolinkCard(CardContract):
        provider = "evolink"

and pytest runs every check below for that card (``pytest_generate_tests`` on the class
spreads the per-cell, per-offering and per-source checks over that card's data), beside
the provider's own checks.

Every expected value here comes from the card's *authoring data* (``catalog.cards``, the
validated pydantic models), through the simple exact models of :mod:`tests.card_data` and
:mod:`tests.strategies` (Fraction and ``Decimal.quantize`` arithmetic written for the
tests), or from literals; never from the engine's compiled plans or from the function
being checked.
"""

from __future__ import annotations

import decimal
import json
import re
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar

import pytest

import ratecard
from ratecard import Need, QuoteError
from ratecard.cards.schema import Defaults, Offering, RateCard, Rounding
from ratecard.cli import main as cli
from tests.card_data import (
    MARKET,
    PAGE_DATES,
    PRICED,
    SEED_FILE,
    SEEDS,
    Sourced,
    admits,
    cells_of,
    default_choice,
    exponent,
    field_of,
    fraction_of,
    is_builtin_document,
    just_outside,
    lowest_and_highest,
    no_float,
    restates_the_only_choice,
    sourced_blocks,
    usd_model,
)
from tests.snapshot import REGENERATE, differences, generate, path_of, read
from tests.strategies import (
    CATALOG,
    Cell,
    accepted_range,
    credits_per_usd_on,
    data_price,
    expected_billed,
    requantize,
    version_on,
)

PRICING_TABLES = Path(__file__).resolve().parent.parent / "pricing_tables"
MODELINE = "# yaml-language-server: $schema=./.schema.json"

QUALITIES = ("720p", "1080p", "4k")
SOUNDS = ("off", "on")
DECIMAL_TEXT = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
"""How JSON output writes an amount: plain positional digits, never an exponent."""
EXACT = decimal.Context(prec=80, traps=[decimal.Inexact, decimal.InvalidOperation])
"""Products of card figures are exact: a rounded one would be a wrong oracle."""


# --------------------------------------------------------------------------- the contract


class CardContract:
    """Checks that hold for every built-in card. Subclass it with ``provider`` set."""

    provider: ClassVar[str]
    today: ClassVar[date] = date.today()

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """Spread the checks over this card's cells, offerings and sourced blocks."""
        card = CATALOG.cards[self.provider]
        if "cell" in metafunc.fixturenames:
            cells = cells_of(self.provider)
            metafunc.parametrize("cell", cells, ids=[str(c) for c in cells])
        if "offering" in metafunc.fixturenames:
            metafunc.parametrize("offering", card.offerings, ids=[o.id for o in card.offerings])
        if "sourced" in metafunc.fixturenames:
            blocks = list(sourced_blocks(card))
            metafunc.parametrize("sourced", blocks, ids=[b.where for b in blocks])
        if "priced" in metafunc.fixturenames:
            blocks = [b for b in sourced_blocks(card) if b.kind in PRICED]
            metafunc.parametrize("priced", blocks, ids=[b.where for b in blocks])

    @property
    def card(self) -> RateCard:
        return CATALOG.cards[self.provider]

    def quote(self, cell: Cell, seconds: Decimal | None, **extra: Any) -> ratecard.Quote:
        length = {} if seconds is None else {field_of(cell.offering): seconds}
        return CATALOG.quote(cell.provider, cell.model, quality=cell.quality, sound=cell.sound,
                             at=self.today, **length, **extra)

    def check_amounts(self, cell: Cell, seconds: Decimal | None, quote: ratecard.Quote) -> None:
        """The quote's every amount, against the card's data and exact arithmetic."""
        offering, card = cell.offering, cell.card
        version = version_on(offering, self.today)
        assert version is not None, f"{cell}: no price in force on {self.today}"
        kind, rate = data_price(version, cell.quality, cell.sound)
        forced = offering.forced_sound
        assert (quote.provider, quote.model, quote.quality) == (
            cell.provider, cell.model, cell.quality)
        assert quote.sound is ((forced.value if forced else cell.sound) == "on")
        assert quote.currency == card.currency
        assert quote.unit_rate == rate
        assert quote.price_version == version.label()
        assert quote.source == version.source.document
        if kind == "fixed":
            assert quote.billed_seconds is None
            assert quote.amount_exact == rate
        else:
            assert seconds is not None
            assert quote.billed_seconds == expected_billed(offering, seconds)
            assert quote.amount_exact == EXACT.multiply(quote.billed_seconds, rate)
        rule = card.rounding.amount
        assert quote.credits == requantize(quote.amount_exact, rule.precision, rule.mode)
        assert exponent(quote.credits) == exponent(rule.precision)
        self.check_usd(cell, quote)

    def check_usd(self, cell: Cell, quote: ratecard.Quote) -> None:
        """USD is ``None`` exactly when the card gives no credit value, and never 0 for a
        price that is not 0."""
        card = cell.card
        expected = usd_model(card, quote.credits, self.today)
        if expected is None:
            assert card.currency == "credits"
            assert quote.usd is None
            assert quote.usd_exact is None
            assert quote.credits_per_usd is None
            assert quote.warnings[-1].startswith("USD unknown: ")
            assert quote.to_dict()["usd"] is None
            return
        per_usd = credits_per_usd_on(card, self.today)
        assert per_usd is not None
        assert quote.usd is not None
        assert Fraction(quote.usd) == expected
        assert exponent(quote.usd) == exponent(card.rounding.usd.precision)
        assert quote.usd_exact == Fraction(quote.credits) / Fraction(per_usd)
        assert (quote.usd == 0) is (quote.credits == 0)
        assert not any(w.startswith("USD unknown") for w in quote.warnings)

    # ------------------------------------------------------------------ the file

    def test_the_file_is_named_after_the_provider_and_points_at_the_schema(self) -> None:
        path = Path(CATALOG.files[self.provider])
        assert path.name == f"{self.provider}.yaml"
        assert path.parent == PRICING_TABLES
        assert self.card.provider == self.provider
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == MODELINE, f"{path.name}: the first line must be {MODELINE!r}"

    def test_the_card_lints_clean(self, capsys: pytest.CaptureFixture[str]) -> None:
        path = str(CATALOG.files[self.provider])
        status = cli(["lint", path, "--format", "json"])
        report = json.loads(capsys.readouterr().out)
        assert (status, report["valid"], report["problems"]) == (0, True, [])
        assert report["files"] == [path]
        assert [(c["provider"], c["subject"]) for c in report["conflicts"]] == [
            (self.provider, conflict.subject) for conflict in self.card.conflicts]

    def test_the_snapshot_is_current(self) -> None:
        snapshot = read(self.provider)
        if snapshot is None:
            pytest.fail(f"{path_of(self.provider)} is missing; create it with: {REGENERATE}")
        current = generate(CATALOG, self.provider)
        if snapshot != current:
            report = "\n".join(differences(snapshot, current))
            pytest.fail(f"{path_of(self.provider).name} differs from the quotes of the "
                        f"{self.provider} card:\n{report}\nIf the change is intended, "
                        f"regenerate with: {REGENERATE}")

    # ------------------------------------------------------------------ sources

    def test_every_fact_cites_a_document_and_a_check_date(self, sourced: Sourced) -> None:
        source = sourced.source
        where = f"{self.provider}: {sourced}"
        if source is None:
            optional = isinstance(sourced.block, Defaults) and restates_the_only_choice(
                sourced.block, sourced.offering)
            assert optional, f"{where} has no source"
            return
        document = source.document
        assert is_builtin_document(document), \
            f"{where}: {document!r} is not a seed file (NNN_<16 hex>.txt) or market-prices.md"
        if SEED_FILE.match(document):
            assert document in SEEDS, f"{where}: {document!r} is not one of the seeds"
        assert isinstance(source.checked_on, date)
        assert date(2025, 1, 1) <= source.checked_on <= self.today, \
            f"{where}: implausible date {source.checked_on}"
        assert source.basis in {"documented", "inferred"}
        if source.basis == "inferred":
            assert source.note or source.quote, f"{where}: say how it was inferred"
        assert source.checked_on not in PAGE_DATES, \
            f"{where}: {source.checked_on} is a page's date, not the day it was checked"

    def test_every_price_and_feature_quotes_its_document(self, priced: Sourced) -> None:
        """A seed or market-prices.md, in its own words (tests/test_provenance.py finds the
        words in the document), checked in 2026."""
        source = priced.source
        assert source is not None
        where = f"{self.provider}: {priced}"
        assert source.document in SEEDS or source.document == MARKET, where
        assert source.quote, f"{where}: quote the document"
        assert source.checked_on >= date(2026, 1, 1), where
        if source.basis == "inferred":
            assert source.note, f"{where}: say how it was inferred"

    def test_every_conflict_is_a_real_disagreement_with_a_resolution(self) -> None:
        for conflict in self.card.conflicts:
            values = [claim.value for claim in conflict.claims]
            assert len(set(values)) == len(values) >= 2, conflict.subject
            assert conflict.resolution.strip(), conflict.subject
            if conflict.offering is not None:
                assert conflict.offering in {o.id for o in self.card.offerings}

    def test_the_roundings_are_sourced_and_usd_rounds_no_coarser_than_a_cent(self) -> None:
        rounding = self.card.rounding
        stages: list[Rounding] = [rounding.amount, rounding.usd]
        stages += [o.billing.rounding for o in self.card.offerings if o.billing.rounding]
        assert all(stage.source is not None for stage in stages)
        assert rounding.usd.precision <= Decimal("0.01")
        if self.card.currency == "USD":
            assert rounding.amount.precision <= Decimal("0.01")

    # ------------------------------------------------------------------ quotes

    def test_quotes_at_both_bounds_of_the_accepted_range(self, cell: Cell) -> None:
        accepts = accepted_range(cell.offering)
        for seconds in lowest_and_highest(accepts):
            assert admits(accepts, seconds)
            self.check_amounts(cell, seconds, self.quote(cell, seconds))

    def test_refuses_just_outside_the_accepted_range(self, cell: Cell) -> None:
        accepts = accepted_range(cell.offering)
        field = field_of(cell.offering)
        for seconds in just_outside(accepts):
            assert not admits(accepts, seconds)
            with pytest.raises(QuoteError, match=rf"^{field} .* s is not accepted by "
                               rf"{re.escape(cell.provider)}/{re.escape(cell.model)}: ") as info:
                self.quote(cell, seconds)
            assert (info.value.code, info.value.field) == ("INVALID_DURATION", field), seconds

    def test_a_quote_s_steps_reproduce_its_amount(self, cell: Cell) -> None:
        for seconds in lowest_and_highest(accepted_range(cell.offering)):
            quote = self.quote(cell, seconds)
            steps = {step.name: step.value for step in quote.steps}
            names = [step.name for step in quote.steps]
            assert len(names) == len(set(names)), names
            assert names[0] == field_of(cell.offering)
            assert steps[names[0]] == seconds
            amount_name = "credits" if self.card.currency == "credits" else "amount"
            assert names[-2:] == [amount_name, "usd"]
            if "fixed" in steps:
                exact = steps["fixed"]
            else:
                billing = cell.offering.billing
                clamped = steps.get("clamped", seconds)
                if "clamped" in steps:
                    assert clamped in {billing.min_seconds, billing.max_seconds}
                billed = steps.get("rounded", steps.get("billed"))
                assert billed is not None
                if billing.rounding is not None:
                    assert clamped is not None
                    assert billed == requantize(clamped, billing.rounding.precision,
                                                billing.rounding.mode)
                rate = steps["rate"]
                assert rate is not None
                exact = EXACT.multiply(billed, rate)
            assert exact == quote.amount_exact
            rule = self.card.rounding.amount
            assert steps[amount_name] == requantize(exact, rule.precision, rule.mode)
            assert steps[amount_name] == quote.credits
            usd = steps["usd"]
            expected = usd_model(self.card, quote.credits, self.today)
            assert (usd is None) is (expected is None)
            assert usd is None or Fraction(usd) == expected
            assert usd == quote.usd

    def test_json_output_round_trips_as_decimal_strings(self, cell: Cell) -> None:
        for seconds in lowest_and_highest(accepted_range(cell.offering)):
            quote = self.quote(cell, seconds)
            as_dict = quote.to_dict()
            text = json.dumps(as_dict)
            back = json.loads(text, parse_float=no_float)
            assert back == as_dict
            for key, value in (("billed_seconds", quote.billed_seconds),
                               ("credits", quote.credits),
                               ("credits_exact", quote.amount_exact),
                               ("usd", quote.usd),
                               ("credits_per_usd", quote.credits_per_usd)):
                if value is None:
                    assert back[key] is None, key
                else:
                    assert isinstance(back[key], str), key
                    assert Decimal(back[key]) == value, key
            assert exponent(Decimal(back["credits"])) == exponent(quote.credits)
            if quote.usd_exact is None:
                assert back["usd_exact"] is None
            else:
                assert fraction_of(back["usd_exact"]) == quote.usd_exact
            assert [s["name"] for s in back["steps"]] == [s.name for s in quote.steps]
            for written, step in zip(back["steps"], quote.steps, strict=True):
                if step.value is None:
                    assert written["value"] is None, step.name
                else:
                    assert Decimal(written["value"]) == step.value, step.name
            for value in (back["billed_seconds"], back["credits"], back["credits_exact"],
                          back["usd"], back["credits_per_usd"],
                          *(s["value"] for s in back["steps"])):
                assert value is None or DECIMAL_TEXT.match(value), value

    def test_compare_finds_the_cell_at_its_quoted_price(self, cell: Cell) -> None:
        """A need for exactly this cell (its family, mode, quality, sound and required
        features) finds it, priced as its quote; or excludes it as USD_UNKNOWN when the
        card has no credit value (never at USD 0)."""
        offering = cell.offering
        seconds = lowest_and_highest(accepted_range(offering))[0]
        length = ({"input_seconds": seconds} if offering.mode == "video-edit"
                  else {"duration": seconds})
        required = frozenset(f.name for f in offering.features if f.required)
        need = Need(family=offering.family, mode=offering.mode, quality=cell.quality,
                    sound=cell.sound, features=required, **length)
        comparison = CATALOG.compare(need, providers=[self.provider], at=self.today)
        key = (cell.model, cell.quality, cell.sound == "on")
        found = [c for c in comparison.candidates if (c.model, c.quality, c.sound) == key]
        quote = self.quote(cell, seconds)
        if usd_model(self.card, quote.credits, self.today) is None:
            assert found == []
            excluded = {e.code for e in comparison.exclusions if e.model == cell.model}
            assert excluded == {"USD_UNKNOWN"}
            return
        assert len(found) == 1, comparison.exclusions
        (candidate,) = found
        assert (candidate.provider, candidate.family, candidate.mode) == (
            self.provider, offering.family, offering.mode)
        assert (candidate.credits, candidate.usd, candidate.currency) == (
            quote.credits, quote.usd, self.card.currency)
        assert candidate.reference is self.card.reference

    def test_the_offerings_row_agrees_with_the_card_and_the_quote(self, cell: Cell) -> None:
        rows = [row for row in CATALOG.offerings(self.provider, at=self.today)
                if (row.model, row.quality, row.sound) == (cell.model, cell.quality, cell.sound)]
        assert len(rows) == 1, rows
        row = rows[0]
        offering = cell.offering
        version = version_on(offering, self.today)
        assert version is not None
        kind, rate = data_price(version, cell.quality, cell.sound)
        assert (row.family, row.mode, row.kind, row.price, row.currency) == (
            offering.family, offering.mode, kind, rate, self.card.currency)
        assert (row.price_version, row.source) == (version.label(), version.source.document)
        quote = self.quote(cell, lowest_and_highest(accepted_range(offering))[0])
        assert (row.price, row.price_version, row.source) == (
            quote.unit_rate, quote.price_version, quote.source)
        per_unit = usd_model(self.card, rate, self.today)
        assert (row.usd is None) is (per_unit is None) is (quote.usd is None)
        if row.usd is not None:
            assert Fraction(row.usd) == per_unit
            assert exponent(row.usd) == exponent(self.card.rounding.usd.precision)

    def test_the_offerings_rows_are_exactly_the_cards_cells(
            self, capsys: pytest.CaptureFixture[str]) -> None:
        rows = CATALOG.offerings(self.provider, at=self.today)
        listed = sorted((r.provider, r.model, r.quality, r.sound) for r in rows)
        assert listed == [(c.provider, c.model, c.quality, c.sound)
                          for c in cells_of(self.provider)]
        assert cli(["offerings", "--provider", self.provider, "--format", "json"]) == 0
        printed = json.loads(capsys.readouterr().out, parse_float=no_float)
        assert [(p["model"], p["quality"], p["sound"], p["price"], p["usd"]) for p in printed] \
            == [(r.model, r.quality, r.sound, str(r.price), None if r.usd is None
                 else str(r.usd)) for r in rows]

    def test_the_defaults_are_valid(self, offering: Offering) -> None:
        card = self.card
        quality, sound, duration = default_choice(card, offering)
        assert quality in offering.qualities
        assert sound in offering.sounds
        basis = offering.billing.basis
        if basis == "input_seconds":
            with pytest.raises(QuoteError, match="give input_seconds") as info:
                CATALOG.quote(self.provider, offering.id)
            assert (info.value.code, info.value.field) == ("MISSING_VIDEO", "input_seconds")
            return
        quote = CATALOG.quote(self.provider, offering.id)
        assert (quote.quality, quote.sound) == (quality, sound == "on")
        cell = Cell(self.provider, offering.id, quality, "on" if sound == "on" else "off")
        if basis == "duration":
            assert duration is not None, f"{offering.id}: no default duration"
            assert admits(offering.accepts.duration, duration)
            self.check_amounts(cell, duration, quote)
            assert quote.steps[0].name == "duration"
        else:
            self.check_amounts(cell, None, quote)

    def test_an_unlisted_quality_or_sound_is_refused_or_forced(self, offering: Offering) -> None:
        accepts = accepted_range(offering)
        length: dict[str, Any] = {field_of(offering): lowest_and_highest(accepts)[0]}
        for quality in QUALITIES:
            if quality in offering.qualities:
                continue
            with pytest.raises(QuoteError, match=f"does not offer quality '{quality}'") as info:
                CATALOG.quote(self.provider, offering.id, quality=quality, **length)
            assert (info.value.code, info.value.field) == ("INVALID_QUALITY", "quality")
        for sound in SOUNDS:
            if sound in offering.sounds:
                continue
            if offering.forced_sound is not None:
                quote = CATALOG.quote(self.provider, offering.id, sound=sound, **length)
                assert quote.sound is (offering.forced_sound.value == "on")
                assert quote.warnings[0].startswith(
                    f"sound forced {offering.forced_sound.value}: ")
                continue
            with pytest.raises(QuoteError, match=f"does not offer sound {sound}") as info:
                CATALOG.quote(self.provider, offering.id, sound=sound, **length)
            assert (info.value.code, info.value.field) == ("INVALID_SOUND", "sound")

