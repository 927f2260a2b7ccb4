"""The price of each distinct job shape, in SQL: the rules of :mod:`ratecard.pricing.engine`.

Prices are computed once per distinct (provider, model, duration, input_seconds, quality,
sound) of the invoice lines, the *key*, and validity piece of its price cell; the lines
are joined back to them with their day (:mod:`ratecard.batch.sql.query`). Why a key
cannot be priced is decided by :func:`key_checks`, in the engine's order.

>>> from ratecard.batch.sql.dialects import DUCKDB
>>> [cte.name for cte in price_ctes(DUCKDB, "lines", "rates")][-3:]
['usd_divided', 'usd_remainders', 'keys_priced']
>>> [check.flag for check in key_checks(DUCKDB)][:3]
['sound_unreadable', 'offering_unknown', 'quality_not_offered']
"""

from __future__ import annotations

from dataclasses import dataclass

from ratecard.batch.sql.ctes import Cte
from ratecard.batch.sql.dialects import Dialect
from ratecard.batch.sql.numbers import (
    EXACT_AMOUNT,
    MONEY,
    PRODUCT_SECONDS,
    SECONDS,
    USD_DIGITS,
    bump,
    decimals_shown,
    pow10,
    round_nonnegative,
    seconds,
    text_at,
)
from ratecard.batch.sql.verdicts import reason, status
from ratecard.batch.sql.words import SOUND_WORDS, folded, lookup, on_off_word
from ratecard.numbers import AMOUNT_PRECISION, SECONDS_PRECISION

PRICED_KEY = ("provider", "model", "duration", "input_seconds", "quality", "sound")
"""The columns of a line that decide its price (with its day)."""


def key_alias(column: str) -> str:
    """The name of a key column in ``keys_priced`` (apart from the lines' own)."""
    return f"p_{column}"


@dataclass(frozen=True, slots=True)
class Check:
    """One reason a key cannot be priced: a flag column, its status and its reason."""

    flag: str
    """The column holding the predicate (named as its reason)."""
    predicate: str
    status: str
    reason: str


def key_checks(d: Dialect) -> list[Check]:
    """Why a key cannot be priced, in the order the pricing engine checks: the first
    flag that holds gives the key's status and reason."""
    invalid = status("INVALID_LINE")
    model: dict[str, str | int] = {"provider": "provider", "model": "model"}
    # invoiced seconds beyond a billing clamp are billed at the clamp, accepted or not
    # (SecondsLimit.admits_billed); a fixed price has no clamps
    accepted = ("\n      secs > 0 AND ((basis <> 'fixed' AND ("
                "(min_seconds IS NOT NULL AND secs < min_seconds)"
                "\n        OR (max_seconds IS NOT NULL AND secs > max_seconds)))"
                "\n      OR ((lim_min IS NULL OR secs >= lim_min)"
                "\n      AND (lim_max IS NULL OR secs <= lim_max)"
                "\n      AND (NOT COALESCE(lim_int, FALSE) OR secs = FLOOR(secs))))")
    rows: list[tuple[str, str, str, dict[str, str | int]]] = [
        ("sound_unreadable", "sound <> '' AND sound_word IS NULL", invalid,
         {"sound": "sound"}),
        ("offering_unknown", "o_provider IS NULL", status("UNKNOWN_OFFERING"), model),
        ("quality_not_offered", "NOT has_cell AND NOT has_quality", invalid,
         {**model, "quality": "want_quality"}),
        ("sound_not_offered", "NOT has_cell", invalid,
         {**model, "sound": on_off_word("want_sound")}),
        ("price_not_in_force", "is_gap", status("UNPRICED_DATE"), {}),
        ("input_not_applicable", "basis = 'duration' AND input_seconds <> ''", invalid, model),
        ("input_missing", "basis = 'input_seconds' AND input_seconds = ''", invalid, model),
        ("seconds_not_a_number", "secs IS NULL AND (basis <> 'fixed' OR input_seconds <> '')",
         invalid, {"field": "seconds_field", "text": "secs_text", "decimals": SECONDS.scale,
                   "digits": SECONDS.digits}),
        ("seconds_not_accepted", "(lim_int IS NOT NULL OR basis = 'fixed') AND secs IS NOT NULL"
         f" AND NOT ({accepted})", invalid,
         {**model, "field": "seconds_field",
          "seconds": text_at("secs", decimals_shown(d, "secs_text"), SECONDS.scale)}),
    ]
    # a day without a price is named with the line's day, in the line's reason
    return [Check(flag, predicate, verdict,
                  reason(d, flag, **fields) if fields else "CAST(NULL AS STRING)")
            for flag, predicate, verdict, fields in rows]


_START = "COALESCE(valid_from, DATE '0001-01-01')"
"""A rates row's first day, the open start first."""


def price_ctes(d: Dialect, lines: str, rates: str, distinct: str | None = None) -> list[Cte]:
    """The CTEs from the distinct keys of ``lines`` to ``keys_priced``: one row per key and
    validity piece with its amount, USD amount, and status and reason when it has none
    (``distinct``: a SELECT of the distinct keys already found, instead of reading ``lines``)."""
    checks = key_checks(d)
    flags = ",\n    ".join(f"({check.predicate}) AS {check.flag}" for check in checks)
    verdict = "".join(f"\n      WHEN {check.flag} THEN {check.status}" for check in checks)
    why = "".join(f"\n      WHEN {check.flag} THEN {check.reason}" for check in checks)
    seconds_type = SECONDS.sql_type
    amount_places, seconds_places = AMOUNT_PRECISION.places, SECONDS_PRECISION.places
    amount = round_nonnegative("amount_exact", "amount_scale", "amount_mode",
                               amount_places + 1, amount_places)
    # wide, as in seconds x rate: DuckDB types DECIMAL(13,6) x 10^6 as DECIMAL(18,6), which
    # 1,000,000 s rounded to 0.000001 already overflows
    billed = round_nonnegative(f"CAST(clamped AS {PRODUCT_SECONDS})", "seconds_scale",
                               "seconds_mode", seconds_places + 1, seconds_places)
    to_units = pow10("amount_scale", amount_places + 1, amount_places)
    usd_bump = bump("usd_mode", "usd_r * 2", "usd_q", "usd_den")
    keys = ", ".join(f"{column} AS {key_alias(column)}" for column in PRICED_KEY)
    cell = "provider, model, quality, sound"
    cell_order = f"PARTITION BY {cell} ORDER BY {_START}"
    sound_word = lookup(folded(d, d.strip('sound')), SOUND_WORDS, quote=False)
    trimmed = d.strip("k.quality")  # lower case when printable ASCII: invoice_quality
    quality = f"COALESCE({folded(d, trimmed)}, {trimmed})"
    return [
        Cte("keys_distinct", "each distinct job shape of the lines, once",
            distinct or f"SELECT DISTINCT {', '.join(PRICED_KEY)} FROM {lines}"),
        Cte("offerings", "each offering's terms: basis, accepted seconds, rounding, defaults",
            f"""SELECT DISTINCT provider AS o_provider, model AS o_model, basis, accepts_min,
    accepts_max, accepts_integer, accepts_input_min, accepts_input_max,
    accepts_input_integer, min_seconds, max_seconds, seconds_scale, seconds_mode,
    amount_precision, amount_scale, amount_mode, usd_precision, usd_scale, usd_mode,
    currency AS card_currency, usd_known, default_quality, default_sound, default_duration,
    forced_sound
  FROM {rates}"""),
        Cte("cell_pieces", "each rates row of a price cell, with the end of the one before",
            f"""SELECT provider, model, quality, sound, price_version, valid_from, valid_to,
    row_number() OVER ({cell_order}) AS piece,
    count(*) OVER (PARTITION BY {cell}) AS pieces,
    lag(valid_to) OVER ({cell_order}) AS before_to
  FROM {rates}"""),
        Cte("cell_versions", "each price cell's versions in date order, as the reason names them",
            f"""SELECT {cell}, {d.ordered_join('price_version', 'starts', ', ')} AS versions
  FROM (SELECT {cell}, price_version, min({_START}) AS starts FROM cell_pieces
    GROUP BY {cell}, price_version) v
  GROUP BY {cell}"""),
        Cte("cells", "the rates rows, and a row for each stretch of days a cell has no price",
            f"""SELECT provider, model, quality, sound, kind, unit_rate, price_version,
    credit_version, usd_num, usd_den, valid_from, valid_to, FALSE AS is_gap,
    CAST(NULL AS STRING) AS versions
  FROM {rates}
  UNION ALL
  SELECT g.provider, g.model, g.quality, g.sound, NULL, NULL, NULL, NULL, NULL, NULL,
    g.gap_from, g.gap_to, TRUE, v.versions
  FROM (SELECT {cell}, CAST(NULL AS DATE) AS gap_from, valid_from AS gap_to
      FROM cell_pieces WHERE piece = 1 AND valid_from IS NOT NULL
    UNION ALL SELECT {cell}, before_to, valid_from
      FROM cell_pieces WHERE piece > 1 AND before_to < valid_from
    UNION ALL SELECT {cell}, valid_to, CAST(NULL AS DATE)
      FROM cell_pieces WHERE piece = pieces AND valid_to IS NOT NULL) g
  JOIN cell_versions v ON v.provider = g.provider AND v.model = g.model
    AND v.quality = g.quality AND v.sound = g.sound"""),
        Cte("offering_qualities", "each quality an offering renders",
            "SELECT DISTINCT provider AS q_provider, model AS q_model, quality AS q_quality"
            f" FROM {rates}"),
        Cte("offering_sounds", "each sound setting an offering delivers",
            "SELECT DISTINCT provider AS s_provider, model AS s_model, sound AS s_sound"
            f" FROM {rates}"),
        Cte("keys_sound_read", "the key's sound word as TRUE or FALSE (NULL: none or unread)",
            f"""SELECT k.*, (CASE WHEN sound = '' THEN NULL ELSE {sound_word} END) AS sound_word
  FROM keys_distinct k"""),
        Cte("keys_offered", "the key with its offering, and the quality and sound it is priced at",
            f"""SELECT k.*, o.*,
    COALESCE(NULLIF({quality}, ''), o.default_quality) AS want_quality,
    COALESCE(o.forced_sound, k.sound_word, o.default_sound) AS want_sound
  FROM keys_sound_read k
  LEFT JOIN offerings o ON o.o_provider = k.provider AND o.o_model = k.model"""),
        Cte("keys_celled", "the key's price cells (one per validity piece), the seconds it bills",
            """SELECT k.*, r.kind, r.unit_rate, r.price_version, r.credit_version, r.usd_num,
    r.usd_den, r.valid_from, r.valid_to, r.provider IS NOT NULL AS has_cell,
    COALESCE(r.is_gap, FALSE) AS is_gap, r.versions AS p_versions,
    q.q_quality IS NOT NULL AS has_quality, s.s_sound IS NOT NULL AS has_sound,
    (CASE WHEN k.basis = 'duration' THEN k.duration ELSE k.input_seconds END) AS secs_text,
    (CASE WHEN k.basis = 'duration' THEN 'duration' ELSE 'input_seconds' END)
      AS seconds_field
  FROM keys_offered k
  LEFT JOIN cells r ON r.provider = k.provider AND r.model = k.model
    AND r.quality = k.want_quality AND r.sound = k.want_sound
    AND (k.sound = '' OR k.sound_word IS NOT NULL)
  LEFT JOIN offering_qualities q ON q.q_provider = k.provider AND q.q_model = k.model
    AND q.q_quality = k.want_quality
  LEFT JOIN offering_sounds s ON s.s_provider = k.provider AND s.s_model = k.model
    AND s.s_sound = k.want_sound"""),
        Cte("seconds_read", "seconds read from text (or the default duration), and their limits",
            f"""SELECT k.*,
    (CASE WHEN basis = 'duration' AND duration = ''
      THEN CAST(default_duration AS {seconds_type}) ELSE {seconds(d, 'secs_text')} END) AS secs,
    (CASE WHEN basis = 'fixed' THEN accepts_input_integer ELSE accepts_integer END) AS lim_int,
    (CASE WHEN basis = 'fixed' THEN accepts_input_min ELSE accepts_min END) AS lim_min,
    (CASE WHEN basis = 'fixed' THEN accepts_input_max ELSE accepts_max END) AS lim_max
  FROM keys_celled k"""),
        Cte("keys_checked", "each reason the key cannot be priced, as a flag",
            f"""SELECT k.*,
    {flags}
  FROM seconds_read k"""),
        Cte("keys_judged", "the first reason that holds: the key's status and reason (NULL: none)",
            f"""SELECT k.*,
    CASE{verdict}
    END AS p_status,
    CASE{why}
    END AS p_reason
  FROM keys_checked k"""),
        Cte("seconds_clamped", "seconds raised to the card's minimum or lowered to its maximum",
            f"""SELECT k.*,
    (CASE WHEN min_seconds IS NOT NULL AND secs < min_seconds
        THEN CAST(min_seconds AS {seconds_type})
      WHEN max_seconds IS NOT NULL AND secs > max_seconds
        THEN CAST(max_seconds AS {seconds_type})
      ELSE secs END) AS clamped
  FROM keys_judged k"""),
        Cte("amounts_exact", "billed seconds (rounded by the card) x unit rate, or the fixed price",
            f"""SELECT k.*,
    CAST(CASE WHEN basis = 'fixed' THEN unit_rate
      WHEN seconds_scale IS NULL THEN CAST(clamped AS {PRODUCT_SECONDS}) * unit_rate
      ELSE CAST({billed} AS {PRODUCT_SECONDS}) * unit_rate END AS {EXACT_AMOUNT})
      AS amount_exact
  FROM seconds_clamped k"""),
        Cte("amounts_rounded", "the amount rounded to the card's precision (priced keys only)",
            f"""SELECT k.*, (CASE WHEN p_status IS NULL THEN {amount} END) AS amount
  FROM amounts_exact k"""),
        Cte("usd_scaled", "the amount in units of its precision x the credit value's numerator",
            f"""SELECT k.*,
    CAST(CAST(amount * {to_units} AS DECIMAL(38,0))
      * CAST(usd_num AS DECIMAL(19,0)) AS DECIMAL(38,0)) AS usd_a
  FROM amounts_rounded k"""),
        Cte("usd_divided", "the whole USD units (NULL beyond the BIGINT range)",
            f"""SELECT k.*,
    (CASE WHEN usd_a < {10 ** USD_DIGITS}
      THEN {d.int_div('CAST(usd_a AS BIGINT)', 'usd_den')} END) AS usd_q
  FROM usd_scaled k"""),
        Cte("usd_remainders", "what the division by the credit value's denominator left",
            """SELECT k.*,
    (CASE WHEN usd_q IS NOT NULL THEN CAST(usd_a AS BIGINT) - usd_q * usd_den END) AS usd_r
  FROM usd_divided k"""),
        Cte("keys_priced", "per key and validity: amount, USD amount rounded, or why there is none",
            f"""SELECT {keys},
    valid_from AS p_from, valid_to AS p_to, has_cell AS p_dated,
    p_status, p_reason, p_versions, card_currency, price_version, credit_version,
    amount_precision,
    usd_precision, amount_scale, usd_scale, amount_mode, usd_mode, amount,
    (CASE WHEN usd_q IS NOT NULL THEN CAST(CAST(usd_q + CASE WHEN {usd_bump}
      THEN 1 ELSE 0 END AS DECIMAL(20,0)) * usd_precision AS {MONEY.sql_type}) END) AS usd,
    (CASE WHEN credit_version IS NULL AND usd_known THEN {status('UNPRICED_DATE')}
      WHEN credit_version IS NULL THEN {status('UNPRICED_CURRENCY')}
      WHEN usd_q IS NULL THEN 'RANGE' ELSE 'ok' END) AS usd_state
  FROM usd_remainders"""),
    ]
