"""One table of reasons: the Python reconciler and the SQL query word each one alike.

Each template of :data:`ratecard.reconcile.reasons.REASONS` is formatted in Python and
rendered as an SQL concatenation that DuckDB evaluates; with plain values (no quotes, where
Python's ``repr`` and SQL's quoting agree) the two texts are the same.
"""

from __future__ import annotations

from string import Formatter

import pytest

from ratecard.codes import RECONCILE_STATUSES
from ratecard.reconcile.reasons import REASONS, USD_VERSION, Reason
from tests.batch_lines import require_duckdb


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
