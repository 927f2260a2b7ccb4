"""The rates table: one row per offering x quality x sound x price version x credit value
version, covering every priced day exactly once, and its CSV, JSON and Parquet exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import ratecard
from ratecard.batch.rates import NAMES, rate_rows, write_csv, write_json
from tests.batch_lines import CARDS, catalog, require_duckdb
from tests.strategies import round_fraction


def _rows(provider: str, model: str, quality: str, sound: bool) -> list[dict[str, Any]]:
    return [r for r in rate_rows(catalog()) if (r["provider"], r["model"], r["quality"],
                                                 r["sound"]) == (provider, model, quality,
                                                                 sound)]


def test_every_builtin_cell_has_rows() -> None:
    card = ratecard.load()
    rows = rate_rows(card)
    cells = {(r["provider"], r["model"], r["quality"], r["sound"]) for r in rows}
    assert cells == {(p.provider, p.model, q, s == "on") for p in card.plans()
                     for q in p.qualities for s in p.sounds}
    assert all(list(row) == list(NAMES) for row in rows)


def test_price_and_credit_versions_are_intersected() -> None:
    rows = _rows("rt-hdown", "hdown-secs", "720p", False)
    spans = [(r["valid_from"], r["valid_to"], r["price_version"], r["credits_per_usd"])
             for r in rows]
    assert spans == [
        (None, date(2026, 3, 1), "start..2026-03-01", Decimal(8)),
        (date(2026, 3, 1), date(2026, 5, 15), "2026-03-01..open", Decimal(8)),
        (date(2026, 5, 15), None, "2026-03-01..open", Decimal(12)),
    ]


def test_days_without_a_credit_value_get_rows_of_their_own() -> None:
    rows = _rows("rt-even", "even-secs", "720p", True)
    gaps = [(r["valid_from"], r["valid_to"]) for r in rows if r["credits_per_usd"] is None]
    assert gaps == [(date(2026, 6, 1), date(2026, 7, 1))]
    assert all(r["usd_known"] for r in rows)
    unknown = _rows("kling3api", "pro-text-to-video", "1080p", True)
    assert [(r["credits_per_usd"], r["usd_known"], r["credit_version"]) for r in unknown] \
        == [(None, False, None)]


def test_each_priced_day_is_covered_by_exactly_one_row() -> None:
    cat = catalog()
    rows = rate_rows(cat)
    day = date(2025, 12, 1)
    while day < date(2026, 12, 31):
        for plan in cat.plans():
            for (quality, sound), _versions in plan.cells.items():
                covering = [r for r in rows if (r["provider"], r["model"], r["quality"],
                                                r["sound"]) == (plan.provider, plan.model,
                                                                quality, sound)
                            and (r["valid_from"] is None or r["valid_from"] <= day)
                            and (r["valid_to"] is None or day < r["valid_to"])]
                cell = plan.cell_at((quality, sound), day)
                assert len(covering) == (0 if cell is None else 1), (plan.model, day)
                if cell is not None:
                    credit = plan.credit_at(day)
                    assert covering[0]["unit_rate"] == cell.unit_rate
                    assert covering[0]["credit_version"] == (credit and credit.label)
        day += timedelta(days=9)


def test_usd_integers_convert_like_the_engine() -> None:
    """``round(units x usd_num / usd_den)`` units of ``usd_precision`` is the USD of the
    amount: checked against an exact model (Fraction arithmetic, the card's own credit
    value and rounding rule, :func:`tests.strategies.round_fraction`), not against
    ``ratecard.money``, which the engine and the SQL share; then the engine agrees."""
    cat = catalog()
    for row in rate_rows(cat):
        if row["usd_num"] is None:
            continue
        card = cat.cards[row["provider"]]
        if card.currency == "USD":
            per_usd = Decimal(1)
        else:
            (value,) = [v for v in card.credit_values if v.label() == row["credit_version"]]
            per_usd = value.credits_per_usd
        assert (row["usd_precision"], row["usd_mode"]) == (card.rounding.usd.precision,
                                                           card.rounding.usd.mode)
        plan = cat.plan(row["provider"], row["model"])
        credit = next(c for c in plan.credits if c.label == row["credit_version"])
        for units in (0, 1, 5, 17, 125, 9999, 123457, 10**9 + 7):
            amount = Decimal(units).scaleb(-row["amount_scale"])
            expected = round_fraction(Fraction(amount) / Fraction(per_usd),
                                      card.rounding.usd.precision, card.rounding.usd.mode)
            usd = round_fraction(Fraction(units * row["usd_num"], row["usd_den"]), Decimal(1),
                                 row["usd_mode"])
            assert usd * Fraction(row["usd_precision"]) == expected, (row, units)
            assert Fraction(credit.to_usd(amount)) == expected, (row, units)


def test_csv_and_json_exports() -> None:
    rows = rate_rows(ratecard.load())
    out = io.StringIO()
    write_csv(rows, out)
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(table) == len(rows)
    o1 = [i for i, row in enumerate(table)
          if (row["provider"], row["model"]) == ("evolink", "kling-o1-video-edit")]
    assert len(o1) == 1
    first = table[o1[0]]
    assert (first["unit_rate"], first["sound"], first["valid_from"]) == ("12", "false", "")
    out = io.StringIO()
    write_json(rows, out)
    data = json.loads(out.getvalue())
    assert data["columns"]["usd_num"] == "BIGINT"
    assert data["rows"][o1[0]]["usd_den"] == 18
    assert data["rows"][o1[0]]["unit_rate"] == "12"


def test_parquet_export_keeps_the_declared_types(tmp_path: Path) -> None:
    require_duckdb()
    from ratecard.batch.duckdb_engine import connect
    from ratecard.batch.duckdb_engine import write_rates_parquet as write_parquet

    rows = rate_rows(catalog())
    target = tmp_path / "rates.parquet"
    write_parquet(rows, target)
    db = connect()
    types = dict(db.execute(f"DESCRIBE SELECT * FROM '{target}'").fetchall()[i][:2]
                 for i in range(len(NAMES)))
    back = db.execute(f"SELECT * FROM '{target}'").fetchall()
    db.close()
    assert types["unit_rate"] == "DECIMAL(18,8)"
    assert types["valid_from"] == "DATE"
    assert [dict(zip(NAMES, row, strict=True)) for row in back] == rows


def test_a_card_the_sql_engines_cannot_hold_exactly_is_refused(tmp_path: Path) -> None:
    text = (CARDS / "rt-up.yaml").read_text(encoding="utf-8")
    card = tmp_path / "fine.yaml"
    card.write_text(text.replace("precision: 0.0001", "precision: 0.000000001"),
                    encoding="utf-8")
    with pytest.raises(ratecard.CardError, match=r"fine\.yaml:9: rounding\.amount\.precision"):
        ratecard.load(card, builtin=False)


@pytest.mark.parametrize(("value", "said"), [
    ("0.000000001", "has more than 8 decimal places"),
    ("999999999.99999999", "999999999.99999999 credits per USD turns amounts rounded to "
     "0.0001 into USD rounded to 0.01 by the ratio 1000000/99999999999999999: the SQL "
     "engines take terms of at most 1,000,000,000,000"),
])
def test_a_credit_value_the_sql_engines_cannot_hold_exactly_is_refused(value: str,
                                                                       said: str) -> None:
    """Given for one run, it is held to a card's own credit_values bounds: the Python
    engine rated with 1E-9 (and 999999999.99999999 priced every job at 0.000000 USD)
    where the SQL engines refused it."""
    card = ratecard.load(CARDS / "rt-up.yaml", builtin=False)
    with pytest.raises(ratecard.QuoteError) as caught:
        card.with_credit_value("rt-up", value)
    assert caught.value.code == "INVALID_CREDIT_VALUE"
    assert said in str(caught.value)
