"""One table of reasons: the Python reconciler and the SQL query word each one alike.

Each template of :data:`ratecard.reconcile.reasons.REASONS` is formatted in Python and
rendered as an SQL concatenation that DuckDB evaluates; with plain values (no quotes, where
Python's ``repr`` and SQL's quoting agree) the two texts are the same.
"""

from __future__ import annotations

from pathlib import Path
from string import Formatter

import pytest

import ratecard
from ratecard.codes import RECONCILE_STATUSES
from ratecard.reconcile.reasons import REASONS, USD_VERSION, Reason
from tests.batch_lines import require_duckdb

CATALOG = ratecard.load(cache=False)


def _values(template: str) -> dict[str, str | int]:
    return {name: (3 if name in ("decimals", "digits") else f"v-{name}")
            for _, name, _, _ in Formatter().parse(template) if name}


@pytest.mark.parametrize("name", sorted(REASONS))
def test_python_and_sql_give_the_same_text(name: str) -> None:
    require_duckdb()
    from ratecard.batch.duckdb_engine import connect
    from ratecard.batch.sql.dialects import DUCKDB, SPARK
    from ratecard.batch.sql.verdicts import reason

    template = REASONS[name].sql or REASONS[name].text
    values = _values(template)
    fields = {key: value if isinstance(value, int) else DUCKDB.literal(value)
              for key, value in values.items()}
    [sql] = connect().execute(f"SELECT {reason(DUCKDB, name, **fields)}").fetchone()
    assert sql == template.format(**values)
    assert reason(SPARK, name, **fields)  # every dialect renders it


def test_every_reason_explains_a_status() -> None:
    assert {reason.status for reason in REASONS.values()} <= set(RECONCILE_STATUSES)
    with pytest.raises(ValueError, match="not a reconcile status"):
        Reason("x", "NOT_A_STATUS", "")


def test_a_usd_version_names_both_versions() -> None:
    assert USD_VERSION.format(price_version="v1", credit_version="c2") == "v1; credit value c2"


_AMOUNTS_HEADER = "task_id,provider,model,timestamp,duration,charged,currency,status,reserved\n"
_AMOUNTS = {
    # charged against the card's 27.0000 credits for 5 s (seed 001): the reason writes the
    # difference with the decimals of the charge or of the card, whichever has more
    "a1,evolink,kling-v3-image-to-video,2026-11-01,5,28.5,credits,succeeded,":
        "charged 1.5000 credits more than the card",
    "a2,evolink,kling-v3-image-to-video,2026-11-01,5,26,credits,succeeded,":
        "charged 1.0000 credits less than the card",
    "a3,evolink,kling-v3-image-to-video,2026-11-01,5,3.25,credits,failed,":
        "a failed task charged 3.25 credits",
    "a4,evolink,kling-v3-image-to-video,2026-11-01,5,27,credits,succeeded,30.0":
        "reserved 30.0 but settled 27 credits",
    "a5,evolink,kling-v3-image-to-video,2026-11-01,5,27.00001,credits,succeeded,":
        "within the tolerance of 0.0001",
    # 400 credits for 5 s of pro text-to-video, a charge written with 12 decimals
    "a7,kling3api,pro-text-to-video,2026-11-01,5,401.000000000000,credits,succeeded,":
        "within the tolerance of 1",
    "a8,kling3api,pro-text-to-video,2026-11-01,5,370.5,credits,succeeded,":
        "charged 29.5 credits less than the card",
}


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_reasons_write_amounts_as_the_invoice_and_card_show_them(engine: str,
                                                                 tmp_path: Path) -> None:
    """Amounts in a reason have the places Python shows, written plain, in every engine
    (SQL once wrote ``1.5000000000``; Python wrote ``1E-7``)."""
    from tests.engines import ENGINES

    if engine != "python":
        require_duckdb()
    path = tmp_path / "amounts.csv"
    path.write_text(_AMOUNTS_HEADER + "\n".join(_AMOUNTS) + "\n", encoding="utf-8")
    results, _ = ENGINES[engine](CATALOG, [path])
    assert [r.reason for r in results] == list(_AMOUNTS.values())


def test_a_given_tolerance_is_written_as_given_and_tiny_amounts_plain(tmp_path: Path) -> None:
    require_duckdb()
    from tests.engines import ENGINES

    path = tmp_path / "tolerance.csv"
    path.write_text(_AMOUNTS_HEADER + "".join(
        f"{task},evolink,kling-v3-image-to-video,2026-11-01,5,{charged},credits,succeeded,\n"
        for task, charged in (("a", "27.4"), ("b", "27.0000001"))), encoding="utf-8")
    for engine, tolerance, reasons in (
            ("python", "0.50", ["within the tolerance of 0.50", "within the tolerance of 0.50"]),
            ("duckdb", "0.50", ["within the tolerance of 0.50", "within the tolerance of 0.50"]),
            ("python", "0.00000001", ["charged 0.4000 credits more than the card",
                                      "charged 0.0000001 credits more than the card"]),
            ("duckdb", "0.00000001", ["charged 0.4000 credits more than the card",
                                      "charged 0.0000001 credits more than the card"])):
        results, _ = ENGINES[engine](CATALOG, [path], tolerance={"credits": tolerance})
        assert [r.reason for r in results] == reasons, engine
