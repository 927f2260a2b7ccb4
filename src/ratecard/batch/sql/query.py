"""The rating query: invoice lines x rates table -> one verdict per line.

:func:`rating_query` reads the lines (:mod:`~ratecard.batch.sql.lines`), prices each
distinct job shape (:mod:`~ratecard.batch.sql.prices`), finds duplicates and decides each
line's status and reason as :class:`~ratecard.reconcile.reconciler.Reconciler` does.
Duplicates are found through a 64-bit hash of (provider, task_id) whose repeats are then
checked exactly on the few lines concerned.

>>> from ratecard.batch.sql.dialects import DUCKDB
>>> [cte.name for cte in query_ctes(DUCKDB, "NULL", "lines", "rates")][-4:]
['lines_marked', 'lines_expected', 'lines_shown', 'lines_decided']
"""

from __future__ import annotations

from collections.abc import Mapping

from ratecard.batch.sql.columns import FORMAT_COLUMNS, RESULT_COLUMNS
from ratecard.batch.sql.ctes import Cte, with_clause
from ratecard.batch.sql.dialects import Dialect
from ratecard.batch.sql.lines import line_ctes
from ratecard.batch.sql.names import named_ctes
from ratecard.batch.sql.numbers import (
    MONEY,
    USD_DIGITS,
    decimal_places,
    decimals_shown,
    money,
    round_nonnegative,
    text_at,
)
from ratecard.batch.sql.prices import PRICED_KEY, key_alias, price_ctes
from ratecard.batch.sql.verdicts import concat, reason, status
from ratecard.batch.sql.words import FAILED_JOBS, UNSETTLED_JOBS, USD
from ratecard.money import ROUNDING_CONTEXT, plain
from ratecard.reconcile import results as summaries
from ratecard.reconcile.names import OfferingNames
from ratecard.reconcile.reasons import NOTE_SEPARATOR, USD_VERSION
from ratecard.reconcile.results import CURRENCIES, OTHER, Scope
from ratecard.reconcile.tolerance import Tolerance, ToleranceError

_ORDER = "CAST(file_no AS BIGINT) * 1000000000000 + line"
"""A line's place in the input: files in the order given, then lines."""


def _priced_join() -> str:
    """The condition joining a line to the price of its key in force on its day."""
    same_key = "\n    AND ".join(f"p.{key_alias(column)} = c.{column}" for column in PRICED_KEY)
    return (f"{same_key}\n    AND (NOT p.p_dated OR ((p.p_from IS NULL OR p.p_from <= c.day_v)"
            "\n      AND (p.p_to IS NULL OR c.day_v < p.p_to)))")


def _verdict_ctes(d: Dialect, tolerance: str) -> list[Cte]:
    """From each read line to its status: duplicates, its price, what the card expects."""
    invalid, priced = status("INVALID_LINE"), "'PRICED'"
    charged_places = decimals_shown(d, "charged")
    # the card's amount rounded to the charge's places, as the card rounds that currency
    shown = round_nonnegative(f"CAST(card_expected AS {_SHOWN_TYPE})", charged_places,
                              "card_mode", _SHOWN_MOST + 1, _SHOWN_MOST)
    return [
        Cte("tasks_repeated", "the first readable line of each (provider, task_id) seen twice",
            """SELECT provider AS f_provider, task_id AS f_task, min(ord) AS first_ord,
    min_by(source, ord) AS first_source, min_by(line, ord) AS first_line
  FROM candidates_checked WHERE invalid IS NULL
  GROUP BY provider, task_id HAVING count(*) > 1"""),
        Cte("lines_priced", "each line with its task's first line and the price on its day",
            f"""SELECT c.*, p.*, f.first_ord, f.first_source, f.first_line,
    (c.currency_v = p.card_currency) AS in_card_currency,
    (c.currency_v = '{USD}') AS in_usd,
    (c.job_v IN {FAILED_JOBS}) AS job_failed
  FROM lines_checked c
  LEFT JOIN tasks_repeated f ON f.f_provider = c.provider AND f.f_task = c.task_id
  LEFT JOIN keys_priced p ON {_priced_join()}"""),
        Cte("lines_staged", "how far the line gets (PRICED or a status), the card's terms for it",
            f"""SELECT j.*,
    CASE
      WHEN invalid IS NOT NULL THEN {invalid}
      WHEN first_ord IS NOT NULL AND ord > first_ord THEN {status('DUPLICATE_TASK')}
      WHEN p_provider IS NULL THEN {status('UNPRICED_DATE')}
      WHEN p_status IS NOT NULL THEN p_status
      WHEN in_card_currency THEN {priced}
      WHEN in_usd AND usd_state = 'ok' THEN {priced}
      WHEN in_usd AND usd_state = 'RANGE' THEN {invalid}
      WHEN in_usd THEN usd_state
      ELSE {invalid}
    END AS stage,
    (CASE WHEN job_failed THEN CAST(0 AS {MONEY.sql_type}) WHEN in_card_currency THEN amount
      ELSE usd END) AS card_expected,
    COALESCE({tolerance}, CASE WHEN in_card_currency THEN amount_precision
      ELSE usd_precision END) AS tol,
    (CASE WHEN in_card_currency THEN price_version ELSE {usd_version(d)} END) AS card_version,
    (CASE WHEN job_failed THEN 0 WHEN in_card_currency THEN amount_scale ELSE usd_scale END)
      AS card_scale,
    (CASE WHEN in_card_currency THEN amount_scale ELSE usd_scale END) AS card_places,
    (CASE WHEN in_card_currency THEN amount_mode ELSE usd_mode END) AS card_mode
  FROM lines_priced j"""),
        Cte("lines_marked", "whether the line is priced or unreadable, and its reservation differs",
            f"""SELECT s.*, (stage = {priced}) AS is_priced, (stage = {invalid}) AS is_invalid,
    (reserved_v IS NOT NULL AND reserved_v <> charged_v) AS reservation_differs
  FROM lines_staged s"""),
        Cte("lines_expected", "what the card expects (0 for a failed job) and charged - expected",
            """SELECT s.*, (CASE WHEN is_priced THEN card_expected END) AS expected_v,
    (CASE WHEN is_priced THEN charged_v - card_expected END) AS difference_v
  FROM lines_marked s"""),
        Cte("lines_shown", "beyond the tolerance: is it the card's amount as the charge shows it?",
            f"""SELECT s.*,
    (CASE WHEN is_priced AND NOT job_failed AND (difference_v > tol OR -difference_v > tol)
        AND {charged_places} < card_places AND {charged_places} <= {_SHOWN_MOST}
        AND {charged_places} > 0 AND {tolerance} IS NULL
      THEN {shown} = charged_v ELSE FALSE END) AS shown,
    {charged_places} AS charged_places
  FROM lines_expected s"""),
        Cte("lines_decided", "the status of each line, decided as the Python reconciler does",
            f"""SELECT s.*,
    CASE
      WHEN NOT is_priced THEN stage
      WHEN job_failed THEN (CASE WHEN charged_v <> 0 THEN {status('CHARGED_FOR_FAILED')}
        ELSE {status('MATCH')} END)  -- nothing charged: a released reservation is fine
      WHEN difference_v = 0 THEN (CASE WHEN reservation_differs
        THEN {status('RESERVED_NE_SETTLED')} ELSE {status('MATCH')} END)
      WHEN NOT shown AND difference_v > tol THEN {status('OVERCHARGE')}
      WHEN NOT shown AND -difference_v > tol THEN {status('UNDERCHARGE')}
      WHEN reservation_differs THEN {status('RESERVED_NE_SETTLED')}
      ELSE {status('ROUNDING_DIFF')}
    END AS status_v
  FROM lines_shown s"""),
    ]


_SHOWN_TYPE = "DECIMAL(28,10)"
"""A card amount rounded to the places a charge shows: every USD and card amount fits."""
_SHOWN_MOST = 9
"""Most decimal places a charge may show and still be rounded to (fewer than the card's)."""


def tolerance_sql(d: Dialect, tolerance: Tolerance, as_text: bool = False) -> str:
    """The tolerance given for a line's currency, as :meth:`Tolerance.of` picks it (NULL:
    the card's precision); ``as_text``: as the text given, for the reason.

    >>> from ratecard.batch.sql.dialects import DUCKDB
    >>> given = Tolerance.parse(["USD=0.01", "credits@fal=2"])
    >>> print(tolerance_sql(DUCKDB, given))
    (CASE WHEN currency_v = 'USD' THEN CAST('0.01' AS DECIMAL(38,10)) WHEN provider = 'fal' \
THEN CAST('2' AS DECIMAL(38,10)) ELSE NULL END)
    >>> print(tolerance_sql(DUCKDB, given, as_text=True))
    (CASE WHEN currency_v = 'USD' THEN '0.01' WHEN provider = 'fal' THEN '2' ELSE NULL END)
    """
    if not tolerance:
        return "NULL"
    amounts = tolerance.amounts

    def literal(key: str) -> str:
        amount = amounts.get(key)
        if amount is None:
            return "NULL"
        if -int(amount.normalize(ROUNDING_CONTEXT).as_tuple().exponent) > MONEY.scale:
            raise ToleranceError(f"--tolerance {key}={amount}: the SQL engines take at most "
                                 f"{MONEY.scale} decimal places")
        if as_text:
            return d.literal(plain(amount))
        return f"CAST({d.literal(f'{amount:f}')} AS {MONEY.sql_type})"

    arms = [f"WHEN currency_v = '{USD}' THEN {literal(USD)}"]
    arms += [f"WHEN provider = {d.literal(key.partition('@')[2])} THEN {literal(key)}"
             for key in sorted(amounts) if "@" in key]
    return f"(CASE {' '.join(arms)} ELSE {literal('credits')} END)"


def usd_version(d: Dialect) -> str:
    """The price version of a USD line: :data:`ratecard.reconcile.reasons.USD_VERSION`."""
    return concat(d, USD_VERSION, price_version="price_version", credit_version="credit_version")


def _reason(d: Dialect, tolerance_text: str) -> str:
    """The reason column: why a line has its status, in the reconciler's words, amounts
    written as Python writes them (``tolerance_text``: the tolerance given, as text)."""
    mismatch = reason(d, "currency_mismatch", currency="currency_v", provider="provider",
                      card_currency="card_currency")
    beyond = reason(d, "usd_out_of_range", digits=USD_DIGITS)
    unreadable = f"COALESCE(invalid, p_reason, CASE WHEN in_usd THEN {beyond} ELSE {mismatch} END)"
    currency = "currency_v"
    charged = text_at("charged_v", "charged_places", MONEY.scale)
    difference = text_at("difference_v", "greatest(charged_places, card_scale)", MONEY.scale)
    short = d.ltrim(difference, "-")  # an undercharge says by how much, unsigned
    reserved = text_at("reserved_v", decimals_shown(d, "reserved"), MONEY.scale)
    by_stage = {
        "INVALID_LINE": ("is_invalid", reason(d, "at_line", source="source",
                                              line="CAST(line AS STRING)", reason=unreadable)),
        "DUPLICATE_TASK": (f"stage = {status('DUPLICATE_TASK')}",
                           reason(d, "duplicate_task", task_id="task_id", provider="provider",
                                  first_source="first_source",
                                  first_line="CAST(first_line AS STRING)")),
        "UNPRICED_DATE": (f"stage = {status('UNPRICED_DATE')} AND p_status IS NULL",
                          reason(d, "no_credit_value", provider="provider",
                                 day="CAST(day_v AS STRING)")),
        "price_not_in_force": (f"stage = {status('UNPRICED_DATE')}",
                               reason(d, "price_not_in_force", provider="provider",
                                      model="model", day="CAST(day_v AS STRING)",
                                      versions="p_versions")),
        "UNPRICED_CURRENCY": (f"stage = {status('UNPRICED_CURRENCY')}",
                              reason(d, "usd_unknown", provider="provider")),
        "": ("NOT is_priced", "p_reason"),  # the key's own reason
    }
    by_status = {
        "CHARGED_FOR_FAILED": reason(d, "charged_for_failed", job="job_v", charged=charged,
                                     currency=currency),
        "MATCH": reason(d, "match"),
        "OVERCHARGE": reason(d, "overcharge", difference=difference, currency=currency),
        "UNDERCHARGE": (
            f"(CASE WHEN job_v IN {UNSETTLED_JOBS} THEN "
            + reason(d, "undercharge_unsettled", difference=short, currency=currency,
                     job="job_v")
            + " ELSE " + reason(d, "undercharge", difference=short, currency=currency)
            + " END)"),
        "RESERVED_NE_SETTLED": reason(d, "reserved_ne_settled", reserved=reserved,
                                      charged=charged, currency=currency),
    }
    stages = "".join(f"\n    WHEN {test}\n      THEN {text}" for test, text in by_stage.values())
    statuses = "".join(f"\n      WHEN {status(name)} THEN {text}"
                       for name, text in by_status.items())
    tolerance = f"COALESCE({tolerance_text}, {text_at('tol', 'card_places', MONEY.scale)})"
    rounding = reason(d, "rounding_diff", tolerance=tolerance)
    shown = reason(d, "rounding_shown", places="CAST(charged_places AS STRING)")
    return (f"(CASE{stages}\n    ELSE (CASE status_v{statuses}\n      ELSE (CASE WHEN shown"
            f" THEN {shown} ELSE {rounding} END) END)\n  END)")


def _results(d: Dialect, tolerance_text: str) -> dict[str, str]:
    """Each column of the result: :data:`RESULT_COLUMNS`, then :data:`FORMAT_COLUMNS`."""
    unpriced = f"({status('UNPRICED_DATE')}, {status('UNPRICED_CURRENCY')})"
    columns = {
        "source": "source",
        "line": "line",
        "task_id": "NULLIF(task_id, '')",
        "provider": "NULLIF(provider, '')",
        "model": "NULLIF(model, '')",
        "day": "(CASE WHEN is_invalid THEN NULL ELSE CAST(day_v AS STRING) END)",
        "job_status": "(CASE WHEN is_invalid THEN NULL ELSE job_v END)",
        "status": "status_v",
        "currency": "(CASE WHEN currency = '' THEN NULL ELSE COALESCE(currency_v, currency) END)",
        "expected": "expected_v",
        "charged": f"(CASE WHEN error <> '' THEN {money(d, 'raw_charged')} ELSE charged_v END)",
        "difference": "difference_v",
        "reserved": "(CASE WHEN is_invalid THEN NULL ELSE reserved_v END)",
        "price_version": f"""(CASE WHEN is_priced THEN card_version
    WHEN stage IN {unpriced} AND p_status IS NULL THEN price_version END)""",
        # the reason, then what the line's reading adds (either may be empty)
        "reason": (f"concat_ws({d.literal(NOTE_SEPARATOR)}, "
                   f"NULLIF({_reason(d, tolerance_text)}, ''), NULLIF(note, ''))"),
        "file_no": "file_no",
        "charged_scale": f"""(CASE WHEN charged_plain AND error = ''
      THEN {decimal_places('charged')}
    WHEN error <> '' THEN {decimals_shown(d, 'raw_charged')}
    ELSE {decimals_shown(d, 'charged')} END)""",
        "expected_scale": "(CASE WHEN is_priced THEN card_scale END)",
        "reserved_scale": decimals_shown(d, "reserved"),
    }
    assert tuple(columns) == RESULT_COLUMNS + FORMAT_COLUMNS
    return columns


def _grouped_ctes(d: Dialect, rates: str) -> list[Cte]:
    """``task_hashes_repeated`` and the prices of the lines' distinct job shapes: two
    groupings of every line, in one scan of them where the dialect has grouping sets."""
    repeated = "hashes of (provider, task_id) seen more than once"
    if not d.grouping_sets:
        return [Cte("task_hashes_repeated", repeated,
                    "SELECT dk AS c_dk FROM lines_numbered GROUP BY dk HAVING count(*) > 1"),
                *price_ctes(d, "lines_named", rates)]
    key = ", ".join(PRICED_KEY)
    return [
        Cte("lines_grouped", "in one scan: repeated task hashes (is_key false), job shapes",
            f"""SELECT dk AS c_dk, {key}, (grouping(dk) = 1) AS is_key
  FROM lines_numbered
  GROUP BY GROUPING SETS ((dk), ({key}))
  HAVING count(*) > 1 OR grouping(dk) = 1""", materialized=True),
        Cte("task_hashes_repeated", repeated,
            "SELECT c_dk FROM lines_grouped WHERE NOT is_key"),
        *price_ctes(d, "lines_named", rates,
                    distinct=f"SELECT {key} FROM lines_grouped WHERE is_key"),
    ]


def query_ctes(d: Dialect, tolerance: str, lines: str, rates: str,
               names: OfferingNames | None = None) -> list[Cte]:
    """Every CTE of the rating query, in order (``names``: the cards' names, which a line's
    provider and model are read as; none by default)."""
    return [
        *named_ctes(d, lines, names or OfferingNames(())),
        Cte("lines_numbered", "each line with its place in the input and a hash of its task",
            f"""SELECT l.*, {_ORDER} AS ord, {d.hash('provider', 'task_id')} AS dk
  FROM lines_named l""", inline=True),
        *_grouped_ctes(d, rates),
        *line_ctes(d, "lines", "lines_numbered"),
        Cte("candidates", "the lines whose task hash repeats: the only possible duplicates",
            "SELECT s.* FROM lines_numbered s JOIN task_hashes_repeated c ON c.c_dk = s.dk",
            inline=True),
        *line_ctes(d, "candidates", "candidates"),
        *_verdict_ctes(d, tolerance),
    ]


def rating_query(d: Dialect, tolerance: Tolerance | None = None, lines: str = "lines",
                 rates: str = "rates", keep: Mapping[str, str] | None = None,
                 names: OfferingNames | None = None) -> str:
    """The rating query over ``lines`` and ``rates``: :data:`RESULT_COLUMNS` then
    :data:`FORMAT_COLUMNS`, one row per line, in no particular order.

    ``tolerance`` overrides the card's precision per currency (at most 10 decimal places);
    ``lines`` and ``rates`` name the two relations; ``keep`` adds columns after those
    (name -> expression over ``lines_decided``: a line's own fields, ``day_v``...);
    ``names`` are the cards' names, which a line's provider and model are read as
    (:meth:`OfferingNames.of <ratecard.reconcile.names.OfferingNames.of>` the index the
    rates come from; without them, as given).
    """
    tol = tolerance_sql(d, tolerance or Tolerance())
    tol_text = tolerance_sql(d, tolerance or Tolerance(), as_text=True)
    columns = {**_results(d, tol_text), **(keep or {})}
    select = ",\n  ".join(name if expr == name else f"{expr} AS {name}"
                           for name, expr in columns.items())
    return (f"\n{with_clause(d, query_ctes(d, tol, lines, rates, names))}\n"
            f"-- one row per line: its verdict, and how Python would show its amounts\n"
            f"SELECT\n  {select}\nFROM lines_decided\n")


def summary_query(d: Dialect, results: str, scope: Scope, limit: int | None = None) -> str:
    """Totals per provider x model x status x currency over a relation of results, and the
    most decimal places among each total's addends (how Python's sum would show it), as
    :class:`~ratecard.reconcile.results.Summary` keeps them: a currency word not read is
    one group (``NULL``); of the (provider, model) pairs no card offers, the first
    ``limit`` seen have groups of their own and the rest are gathered under ``(other)``
    (``gathered``: apart from a provider or model the input names ``(other)``).

    >>> from ratecard.batch.sql.dialects import DUCKDB
    >>> summary_query(DUCKDB, "results", Scope()).split("GROUP BY")[-1].strip()
    'provider, model, gathered, status, currency'
    """
    limit = summaries.GROUP_LIMIT if limit is None else limit
    offered: dict[str, list[str]] = {}
    for provider, model in sorted(scope.offerings):
        offered.setdefault(provider, []).append(model)
    arms = "".join(
        f" WHEN {d.literal(provider)} THEN model IN ({', '.join(map(d.literal, models))})"
        for provider, models in offered.items())
    is_offered = f"COALESCE(CASE provider{arms} ELSE FALSE END, FALSE)" if offered else "FALSE"
    known = ", ".join(map(d.literal, sorted(scope.providers)))
    own_provider = f"(CASE WHEN provider IN ({known}) THEN provider ELSE {d.literal(OTHER)} END)" \
        if known else d.literal(OTHER)
    currencies = ", ".join(map(d.literal, sorted(CURRENCIES)))
    return f"""
WITH
-- per provider x model x status x currency (a word not read: NULL), and its first line
cells AS (
  SELECT provider, model, status,
    (CASE WHEN currency IN ({currencies}) THEN currency END) AS currency,
    count(*) AS lines, sum(charged) AS charged, sum(expected) AS expected,
    sum(difference) AS difference,
    max(CASE WHEN charged IS NOT NULL THEN charged_scale END) AS charged_scale,
    max(expected_scale) AS expected_scale,
    max(CASE WHEN difference IS NOT NULL THEN charged_scale END) AS difference_scale,
    min({_ORDER}) AS first_ord
  FROM {results}
  GROUP BY provider, model, status, (CASE WHEN currency IN ({currencies}) THEN currency END)
),
-- the (provider, model) pairs no card offers, numbered in the order they first appear
unoffered AS (
  SELECT COALESCE(provider, '') AS u_provider, COALESCE(model, '') AS u_model,
    row_number() OVER (ORDER BY min(first_ord)) AS seen
  FROM cells WHERE NOT {is_offered}
  GROUP BY COALESCE(provider, ''), COALESCE(model, '')
),
-- each cell under its own pair, or past the limit under (other)
placed AS (
  SELECT
    (CASE WHEN u.seen > {limit} THEN {own_provider} ELSE provider END) AS provider,
    (CASE WHEN u.seen > {limit} THEN {d.literal(OTHER)} ELSE model END) AS model,
    COALESCE(u.seen > {limit}, FALSE) AS gathered, status, currency, lines, charged,
    expected, difference, charged_scale, expected_scale,
    difference_scale
  FROM cells c
  LEFT JOIN unoffered u ON u.u_provider = COALESCE(c.provider, '')
    AND u.u_model = COALESCE(c.model, '')
)
SELECT provider, model, status, currency, sum(lines) AS lines,
  sum(charged) AS charged, sum(expected) AS expected, sum(difference) AS difference,
  max(charged_scale) AS charged_scale, max(expected_scale) AS expected_scale,
  max(difference_scale) AS difference_scale, gathered
FROM placed
GROUP BY provider, model, gathered, status, currency
"""
