"""The one rating query: invoice lines x rates table -> one result per line, in SQL.

:func:`rating_query` returns the text both engines run. It implements the rules of
:mod:`ratecard.pricing.engine` and :mod:`ratecard.reconcile.reconciler`, in the same order, over two
relations: ``rates`` (the table of :mod:`ratecard.batch.rates`) and ``lines``, the
invoice lines as text (:data:`LINE_COLUMNS`; ``''`` where a value is absent, as the
Python readers give them). The Python path is the reference: the differential tests
(``tests/test_batch_differential.py``) hold the two to the same results.

**Exactness.** No DOUBLE anywhere and no decimal division. Rounding ``x >= 0`` to
``10^-k`` multiplies by the integer ``10^k``, takes FLOOR and the exact fraction, and bumps
by the mode (:data:`BUMP_RULES`); USD is an integer division of ``amount_units x usd_num``
by ``usd_den`` with the same rules on the remainder. Types are narrow so that no product
needs more than 38 digits: seconds ``DECIMAL(13,6)``, rates ``DECIMAL(18,8)`` (below 10^9),
exact amounts ``DECIMAL(30,14)``, money ``DECIMAL(38,10)``.

**How it scales.** Prices are computed once per distinct (provider, model, duration,
input_seconds, quality, sound) and validity piece, then joined back with the line's day;
duplicates are found through a 64-bit hash of (provider, task_id) whose repeats are then
checked exactly on the few lines concerned; plain money text and canonical timestamps
(``2026-11-01``, ``2026-11-01T10:00:00Z``) take fast paths checked by a round trip.

**Known limits** (by design; each is INVALID_LINE in SQL where Python reads the value,
pinned by ``tests/test_batch_limits.py``):

- money (``charged``, ``reserved``) is a plain decimal: optional sign, digits, optional
  point, ASCII blanks around, at most 26 integer digits and 10 decimal places (zeros
  beyond are fine); no exponent (``2.7E+1``), digit separators (``2_7``), non-ASCII
  digits or blanks. A DECIMAL Parquet column is read through its text; FLOAT money is
  refused;
- seconds (``duration``, ``input_seconds``): the same grammar, at most 7 integer digits and
  6 decimal places;
- timestamps: Unix seconds (ASCII digits) or :data:`ISO`: a date, optionally ``T`` or a
  space and ``HH:MM[:SS[.fraction]]`` with ``Z``, ``+HH``, ``+HHMM`` or ``+HH:MM``. Not read:
  week dates, basic-format times, other separators, offsets with seconds, a date with
  ``Z``;
- blanks trimmed from status, sound, quality and money are the ASCII ones Python trims;
  case folding is the engine's ``lower``;
- USD needs ``amount_units x usd_num < 10^18`` (EvoLink: below 4 x 10^12 credits a line);
- cards: see :mod:`ratecard.batch.rates` (what does not fit is refused when the rates
  table is built, never rounded).

Where the two dialects differ, :class:`Dialect` renders the difference (string literals
and their escapes, the full-match regex, integer division, adding days, trimming given
characters, the hash, formatting a timestamp, CTE materialization hints); the rest of the
text is shared.

>>> "regexp_full_match" in rating_query(DUCKDB), " RLIKE " in rating_query(SPARK)
(True, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ratecard.money import ROUNDING
from ratecard.vocabulary import CURRENCY_WORDS, INVOICE_SOUND_WORDS, INVOICE_STATUS_WORDS

LINE_COLUMNS = (
    "file_no", "source", "line", "error", "raw_charged", "task_id", "provider", "model",
    "duration", "input_seconds", "quality", "sound", "ts", "charged", "currency", "status",
    "reserved",
)
"""Columns of the ``lines`` relation: where the line is (``file_no`` orders files as given,
``line`` within a file), the reader's error (``''`` when none) and the charged text of a
broken line, then the canonical fields of :data:`ratecard.reconcile.readers.COLUMNS` as text
(``ts`` is the timestamp)."""

RESULT_COLUMNS = (
    "source", "line", "task_id", "provider", "model", "day", "job_status", "status",
    "currency", "expected", "charged", "difference", "reserved", "price_version", "reason",
)
"""The result columns, named and ordered as :class:`ratecard.reconcile.reconciler.LineResult`."""

FORMAT_COLUMNS = ("file_no", "charged_scale", "expected_scale", "reserved_scale")
"""Columns after the result columns: the input order and the decimal places the Python
path would show each amount with (used to give results the same text)."""

WHITESPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
"""What ``str.strip()`` removes, ASCII part: the SQL engines trim exactly these."""
_WS = "[ \\t\\n\\r\\x0b\\x0c\\x1c-\\x1f]"
NUMBER = f"{_WS}*[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+){_WS}*"
"""Plain decimal numbers (no exponent, no digit separators), surrounding blanks allowed."""
PLAIN_MONEY = "[0-9]{1,26}([.][0-9]{0,10})?"
"""The common case of money text: digits, a point and at most 10 decimals, nothing else."""
UNIX = "0{0,20}[0-9]{1,12}"
"""Unix seconds: ASCII digits."""
ISO = ("[0-9]{4}-[0-9]{2}-[0-9]{2}"
       "([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?")
"""The ISO 8601 forms the SQL engines read: a date, optionally ``T`` or a space and
``HH:MM[:SS[.fraction]]`` with ``Z``, ``+HH``, ``+HHMM`` or ``+HH:MM``."""
LAST_DAY_SECONDS = 253402300799
"""9999-12-31T23:59:59Z, the last Unix second Python's dates reach."""


def _grouped(words: Mapping[str, object]) -> dict[str, tuple[str, ...]]:
    groups: dict[str, tuple[str, ...]] = {}
    for word, value in words.items():
        key = str(value).upper() if isinstance(value, bool) else str(value)
        groups[key] = (*groups.get(key, ()), word)
    return groups


# the Python path's own vocabularies, so the two never drift apart
STATUS_WORDS = _grouped(INVOICE_STATUS_WORDS)
"""Job status -> the spellings read as it (compared after trimming and lower-casing)."""
CURRENCIES = _grouped(CURRENCY_WORDS)
SOUND_WORDS = _grouped(INVOICE_SOUND_WORDS)
EXACT_CURRENCY = {"credits": ("credits",), "USD": ("USD",)}
"""The spellings looked up first (the common case), before case folding."""
EXACT_STATUS = {job: (job,) for job in STATUS_WORDS}
BUMP_RULES = {name: rule.sql_nonnegative for name, rule in ROUNDING.items()}
"""When rounding a non-negative value adds one unit (from :data:`ratecard.money.ROUNDING`):
``f`` is the part below the unit (compared with ``h``, half a unit), ``w`` the whole
units."""


@dataclass(frozen=True)
class Dialect:
    """What differs between DuckDB and Spark SQL, and nothing else."""

    name: str

    def literal(self, text: str) -> str:
        """A string literal. Spark unescapes backslashes in literals; DuckDB does not.

        >>> DUCKDB.literal("it's"), SPARK.literal("a\\\\d'")
        ("'it''s'", "'a\\\\\\\\d\\\\''")
        """
        if self.name == "duckdb":
            return "'" + text.replace("'", "''") + "'"
        out = []
        for char in text:
            if char in "\\'":
                out.append("\\" + char)
            elif ord(char) < 32:
                out.append(f"\\u{ord(char):04x}")
            else:
                out.append(char)
        return "'" + "".join(out) + "'"

    def full_match(self, expr: str, pattern: str) -> str:
        """``expr`` matches ``pattern`` entirely (RE2 in DuckDB, java.util.regex in Spark).

        >>> SPARK.full_match("x", "[0-9]+")
        "(x RLIKE '^(?:[0-9]+)\\\\\\\\z')"
        """
        if self.name == "duckdb":
            return f"regexp_full_match({expr}, {self.literal(pattern)})"
        # Java's $ also matches before a final newline: \z is the true end
        return f"({expr} RLIKE {self.literal('^(?:' + pattern + ')' + chr(92) + 'z')})"

    def int_div(self, a: str, b: str) -> str:
        """Integer division of non-negative BIGINTs.

        >>> DUCKDB.int_div("a", "b"), SPARK.int_div("a", "b")
        ('(a // b)', '(a div b)')
        """
        return f"({a} // {b})" if self.name == "duckdb" else f"({a} div {b})"

    def add_days(self, day: str, days: str) -> str:
        """``day`` plus an INTEGER number of days.

        >>> SPARK.add_days("d", "1")
        'date_add(d, CAST(1 AS INTEGER))'
        """
        if self.name == "duckdb":
            return f"CAST({day} + CAST({days} AS INTEGER) AS DATE)"
        return f"date_add({day}, CAST({days} AS INTEGER))"

    def strip(self, expr: str, chars: str = WHITESPACE) -> str:
        """``expr`` without leading and trailing ``chars``."""
        if self.name == "duckdb":
            return f"trim({expr}, {self.literal(chars)})"
        return f"trim(BOTH {self.literal(chars)} FROM {expr})"

    def hash(self, *exprs: str) -> str:
        """A 64-bit hash of the values (only ever used to find candidates, then checked).

        >>> DUCKDB.hash("provider", "task_id"), SPARK.hash("provider", "task_id")
        ('hash(provider, task_id)', 'xxhash64(provider, task_id)')
        """
        name = "hash" if self.name == "duckdb" else "xxhash64"
        return f"{name}({', '.join(exprs)})"

    def format_utc(self, expr: str) -> str:
        """A TIMESTAMP written ``YYYY-MM-DDTHH:MM:SSZ``."""
        if self.name == "duckdb":
            return f"strftime({expr}, '%Y-%m-%dT%H:%M:%SZ')"
        return f"date_format({expr}, \"yyyy-MM-dd'T'HH:mm:ss'Z'\")"

    @property
    def inline(self) -> str:
        """How a common table expression is declared when it must not be materialized
        (DuckDB would otherwise store every line; Spark always inlines)."""
        return "AS NOT MATERIALIZED" if self.name == "duckdb" else "AS"

    def ltrim(self, expr: str, chars: str) -> str:
        """``expr`` without leading ``chars``."""
        if self.name == "duckdb":
            return f"ltrim({expr}, {self.literal(chars)})"
        return f"trim(LEADING {self.literal(chars)} FROM {expr})"

    def rtrim(self, expr: str, chars: str) -> str:
        """``expr`` without trailing ``chars``."""
        if self.name == "duckdb":
            return f"rtrim({expr}, {self.literal(chars)})"
        return f"trim(TRAILING {self.literal(chars)} FROM {expr})"


DUCKDB = Dialect("duckdb")
SPARK = Dialect("spark")


def _pow10(scale: str, width: int, most: int) -> str:
    """``10^scale`` as an exact DECIMAL(width,0), for ``0 <= scale <= most``."""
    arms = " ".join(f"WHEN {k} THEN {10 ** k}" for k in range(most + 1))
    return f"CAST(CASE {scale} {arms} END AS DECIMAL({width},0))"


def _quantum(scale: str, most: int) -> str:
    """``10^-scale`` as an exact DECIMAL(11,10)."""
    arms = " ".join(f"WHEN {k} THEN {Decimal(1).scaleb(-k):f}" for k in range(most + 1))
    return f"CAST(CASE {scale} {arms} END AS DECIMAL(11,10))"


def _bump(mode: str, fraction: str, whole: str, half: str) -> str:
    """Whether rounding by ``mode`` adds one unit (see :data:`BUMP_RULES`)."""
    arms = " ".join(f"WHEN '{name}' THEN " + rule.format(f=fraction, h=half, w=whole)
                    for name, rule in BUMP_RULES.items())
    return f"(CASE {mode} {arms} ELSE FALSE END)"


def round_nonnegative(x: str, scale: str, mode: str, width: int, most: int) -> str:
    """``x >= 0`` rounded to ``10^-scale`` by ``mode``, as DECIMAL(38,10).

    ``width`` bounds the integer factor's type so ``x x 10^scale`` fits 38 digits.

    >>> from ratecard.batch.duckdb_engine import connect
    >>> db = connect()
    >>> tie = "CAST(0.125 AS DECIMAL(30,14))"
    >>> [str(db.execute(f"SELECT {round_nonnegative(tie, '2', repr(mode), 9, 8)}")
    ...      .fetchone()[0]) for mode in ("half_up", "half_even", "half_down", "up", "down")]
    ['0.1300000000', '0.1200000000', '0.1200000000', '0.1300000000', '0.1200000000']
    """
    factor = _pow10(scale, width, most)
    units = f"({x} * {factor})"
    whole = f"FLOOR({units})"
    fraction = f"({units} - {whole})"
    bump = _bump(mode, fraction, whole, "0.5")
    return (f"CAST(({whole} + CASE WHEN {bump} THEN 1 ELSE 0 END) * {_quantum(scale, most)}"
            " AS DECIMAL(38,10))")


def number(d: Dialect, expr: str, integer_digits: int, scale: int, precision: int) -> str:
    """The text ``expr`` as DECIMAL(precision, scale), or NULL when it is not a plain decimal
    or needs more integer digits or (non-zero) decimals than declared.

    Plain digits take a fast path; signs, blanks and extra zeros the general one.

    >>> from ratecard.batch.duckdb_engine import connect
    >>> db = connect()
    >>> [db.execute(f"SELECT {number(DUCKDB, repr(text), 26, 10, 38)}").fetchone()[0]
    ...  for text in (" +27.50 ", "27.5000000000000", "2.7E+1", "27.00000000001")]
    [Decimal('27.5000000000'), Decimal('27.5000000000'), None, None]
    """
    fast = f"[0-9]{{1,{integer_digits}}}([.][0-9]{{0,{scale}}})?"
    text = d.strip(expr)
    dot = f"instr({text}, '.')"
    whole = f"(CASE WHEN {dot} > 0 THEN substr({text}, 1, {dot} - 1) ELSE {text} END)"
    decimals = f"(CASE WHEN {dot} > 0 THEN substr({text}, {dot} + 1) ELSE '' END)"
    return (f"(CASE WHEN {d.full_match(expr, fast)} THEN TRY_CAST({expr} AS "
            f"DECIMAL({precision},{scale}))"
            f" WHEN {d.full_match(expr, NUMBER)}"
            f" AND length({d.ltrim(whole, '+-0')}) <= {integer_digits}"
            f" AND length({d.rtrim(decimals, '0')}) <= {scale}"
            f" THEN TRY_CAST({text} AS DECIMAL({precision},{scale})) END)")


def decimals_shown(d: Dialect, expr: str) -> str:
    """Decimal places of a plain decimal's text (how Python's Decimal would show it).

    >>> from ratecard.batch.duckdb_engine import connect
    >>> connect().execute(f"SELECT {decimals_shown(DUCKDB, repr(' 27.50 '))}").fetchone()
    (2,)
    """
    text = d.strip(expr)
    return (f"(CASE WHEN instr({text}, '.') > 0 THEN length({text}) - instr({text}, '.')"
            " ELSE 0 END)")


def _money(d: Dialect, expr: str) -> str:
    return number(d, expr, 26, 10, 38)


def _seconds(d: Dialect, expr: str) -> str:
    return number(d, expr, 7, 6, 13)


def _words(expr: str, table: Mapping[str, tuple[str, ...]], quote: bool = True) -> str:
    """``expr`` looked up in ``{value: words}`` (NULL when it is none of the words)."""
    arms = " ".join(f"WHEN '{word}' THEN {repr(value) if quote else value}"
                    for value, words in table.items() for word in words)
    return f"(CASE {expr} {arms} END)"


def _timestamp_columns(d: Dialect) -> dict[str, str]:
    """Expressions for the UTC day of ``ts``, in layers (each may use the ones before):
    ``unix_day``; ``ts_offset`` (minutes east of UTC), ``ts_local`` (minutes into the local
    day), ``ts_time_ok``; then ``iso_day``. ``ts_unix``/``ts_iso`` say which grammar matched.
    """
    n = "length(ts)"

    def two(at: str) -> str:
        return f"TRY_CAST(substr(ts, {at}, 2) AS INTEGER)"

    def signed(at: str, minutes: str) -> str:
        return f"(CASE WHEN substr(ts, {at}, 1) = '-' THEN -1 ELSE 1 END) * ({minutes})"

    # after a time, the ISO grammar allows only Z, +HH:MM, +HHMM or +HH at the very end
    offset = (f"CASE WHEN NOT ts_iso THEN NULL WHEN {n} <= 16 OR substr(ts, {n}, 1) = 'Z' THEN 0"
              f" WHEN substr(ts, {n} - 5, 1) IN ('+', '-') THEN "
              + signed(f"{n} - 5", f"{two(f'{n} - 4')} * 60 + {two(f'{n} - 1')}")
              + f" WHEN substr(ts, {n} - 4, 1) IN ('+', '-') THEN "
              + signed(f"{n} - 4", f"{two(f'{n} - 3')} * 60 + {two(f'{n} - 1')}")
              + f" WHEN substr(ts, {n} - 2, 1) IN ('+', '-') THEN "
              + signed(f"{n} - 2", f"{two(f'{n} - 1')} * 60")
              + " ELSE 0 END")
    seconds = two("18")
    time_ok = (f"CASE WHEN NOT ts_iso THEN NULL WHEN {n} = 10 THEN TRUE ELSE"
               f" {two('12')} <= 23 AND {two('15')} <= 59"
               f" AND ({n} < 19 OR substr(ts, 17, 1) <> ':' OR {seconds} <= 59) END")
    unix = ("CASE WHEN ts_unix AND CAST(ts AS DECIMAL(38,0)) <= "
            f"{LAST_DAY_SECONDS} THEN "
            + d.add_days("DATE '1970-01-01'",
                         d.int_div("CAST(CAST(ts AS DECIMAL(38,0)) AS BIGINT)", "86400"))
            + " END")
    utc = "(ts_local - ts_offset)"
    shift = f"(CASE WHEN {utc} < 0 THEN -1 WHEN {utc} >= 1440 THEN 1 ELSE 0 END)"
    iso = ("CASE WHEN ts_time_ok AND abs(ts_offset) < 1440 AND substr(ts, 1, 4) <> '0000'"
           f" THEN {d.add_days('TRY_CAST(substr(ts, 1, 10) AS DATE)', shift)} END")
    return {
        "unix_day": unix,
        "ts_offset": offset,
        "ts_local": f"CASE WHEN NOT ts_iso THEN NULL WHEN {n} = 10 THEN 0"
                    f" ELSE {two('12')} * 60 + {two('15')} END",
        "ts_time_ok": time_ok,
        "iso_day": iso,
    }


REQUIRED = ("task_id", "provider", "model", "ts", "charged", "currency", "status")


def _quoted(text: str) -> str:
    return f"'''' || {text} || ''''"


def _line_chain(d: Dialect, p: str, source: str) -> str:
    """The per-line common table expressions ``{p}_flagged`` .. ``{p}_checked`` over
    ``source``: every field read from its text, the day, and why a line is invalid."""
    nm = d.inline
    strip = d.strip
    required = REQUIRED
    missing = ", ".join(
        f"CASE WHEN {c} = '' THEN '{'timestamp' if c == 'ts' else c}' END" for c in required)
    ts = _timestamp_columns(d)
    return f"""{p}_flagged {nm} (
  SELECT s.*, (CASE WHEN length(ts) = 20 THEN TRY_CAST(ts AS TIMESTAMP) END) AS ts_t,
    {d.full_match('charged', PLAIN_MONEY)} AS charged_plain
  FROM {source} s
),
{p}_fast AS (
  SELECT f.*,
    (CASE WHEN ts_t IS NOT NULL AND {d.format_utc('ts_t')} = ts THEN CAST(ts_t AS DATE)
      WHEN length(ts) = 10 AND CAST(TRY_CAST(ts AS DATE) AS STRING) = ts
      THEN TRY_CAST(ts AS DATE) END) AS ts_fast
  FROM {p}_flagged f
),
{p}_staged AS (
  SELECT f.*,
    (CASE WHEN ts_fast IS NOT NULL THEN FALSE ELSE {d.full_match('ts', UNIX)} END) AS ts_unix
  FROM {p}_fast f
),
{p}_staged_iso AS (
  SELECT f.*,
    (CASE WHEN ts_fast IS NOT NULL OR ts_unix THEN FALSE ELSE {d.full_match('ts', ISO)} END)
      AS ts_iso
  FROM {p}_staged f
),
{p}_timed AS (
  SELECT s.*, {ts['unix_day']} AS unix_day, {ts['ts_offset']} AS ts_offset,
    {ts['ts_local']} AS ts_local, {ts['ts_time_ok']} AS ts_time_ok
  FROM {p}_staged_iso s
),
{p}_parsed AS (
  SELECT t.*,
    (CASE WHEN charged_plain THEN TRY_CAST(charged AS DECIMAL(38,10))
      ELSE {_money(d, 'charged')} END) AS charged_v,
    {_words('currency', EXACT_CURRENCY)} AS currency_exact,
    {_words('status', EXACT_STATUS)} AS job_exact,
    (CASE WHEN reserved = '' THEN NULL ELSE {_money(d, 'reserved')} END) AS reserved_v,
    {ts['iso_day']} AS iso_day
  FROM {p}_timed t
),
{p}_dated AS (
  SELECT p.*,
    COALESCE(currency_exact, {_words('lower(currency)', CURRENCIES)}) AS currency_v,
    COALESCE(job_exact, {_words(f'lower({strip("status")})', STATUS_WORDS)}) AS job_v,
    (CASE WHEN ts_fast BETWEEN DATE '0001-01-01' AND DATE '9999-12-31' THEN ts_fast
      WHEN ts_unix THEN unix_day
      WHEN iso_day BETWEEN DATE '0001-01-01' AND DATE '9999-12-31' THEN iso_day END) AS day_v
  FROM {p}_parsed p
),
{p}_checked {nm} (
  SELECT p.*,
    CASE
      WHEN error <> '' THEN error
      WHEN {' OR '.join(f"{c} = ''" for c in required)}
        THEN 'missing ' || concat_ws(', ', {missing})
      WHEN charged_v IS NULL THEN 'charged ' || {_quoted('charged')} || ' is not a number'
        || ' (SQL engines read plain decimals, at most 10 decimal places)'
      WHEN currency_v IS NULL THEN 'currency ' || {_quoted('currency')}
        || ' is not credits or USD'
      WHEN job_v IS NULL THEN 'status ' || {_quoted('status')}
        || ' is not one of cancelled, failed, pending, running, succeeded'
      WHEN reserved <> '' AND reserved_v IS NULL THEN 'reserved ' || {_quoted('reserved')}
        || ' is not a number'
      WHEN day_v IS NULL THEN 'timestamp ' || {_quoted('ts')}
        || ' is not an ISO 8601 date or Unix seconds'
    END AS invalid
  FROM {p}_dated p
),
"""


def rating_query(d: Dialect, tolerance: Decimal | None = None, lines: str = "lines",
                 rates: str = "rates") -> str:
    """The rating query over ``lines`` and ``rates``: :data:`RESULT_COLUMNS` then
    :data:`FORMAT_COLUMNS`, one row per line, in no particular order.

    ``tolerance`` overrides the card's precision (at most 10 decimal places); ``lines``
    and ``rates`` name the two relations.
    """
    tol = "NULL" if tolerance is None else f"CAST({d.literal(f'{tolerance:f}')} AS DECIMAL(38,10))"
    strip = d.strip
    amount_round = round_nonnegative("amount_exact", "amount_scale", "amount_mode", 9, 8)
    seconds_round = round_nonnegative("clamped", "seconds_scale", "seconds_mode", 7, 6)
    secs_num = _seconds(d, "secs_text")
    sound_words = _words(f"lower({strip('sound')})", SOUND_WORDS, quote=False)
    nm = d.inline
    dup_source = "(SELECT s.* FROM src s JOIN maybe_dups c ON c.c_dk = s.dk)"
    return f"""
WITH
src {nm} (
  SELECT l.*, CAST(file_no AS BIGINT) * 1000000000000 + line AS ord,
    {d.hash('provider', 'task_id')} AS dk
  FROM {lines} l
),
maybe_dups AS (
  SELECT dk AS c_dk FROM src GROUP BY dk HAVING count(*) > 1
),
price_keys AS (
  SELECT DISTINCT provider, model, duration, input_seconds, quality, sound FROM {lines}
),
offerings AS (
  SELECT DISTINCT provider AS o_provider, model AS o_model, basis, accepts_min, accepts_max,
    accepts_integer, accepts_input_min, accepts_input_max, accepts_input_integer,
    min_seconds, max_seconds, seconds_scale, seconds_mode, amount_precision, amount_scale,
    amount_mode, usd_precision, usd_scale, usd_mode, currency AS card_currency, usd_known,
    default_quality, default_sound, default_duration, forced_sound
  FROM {rates}
),
qualities AS (SELECT DISTINCT provider AS q_provider, model AS q_model, quality AS q_quality
              FROM {rates}),
sounds AS (SELECT DISTINCT provider AS s_provider, model AS s_model, sound AS s_sound
           FROM {rates}),
k1 AS (
  SELECT k.*, (CASE WHEN sound = '' THEN NULL ELSE {sound_words} END) AS sound_word
  FROM price_keys k
),
k2 AS (
  SELECT k.*, o.*,
    COALESCE(NULLIF({strip('k.quality')}, ''), o.default_quality) AS want_quality,
    COALESCE(o.forced_sound, k.sound_word, o.default_sound) AS want_sound
  FROM k1 k LEFT JOIN offerings o ON o.o_provider = k.provider AND o.o_model = k.model
),
k3 AS (
  SELECT k.*, r.kind, r.unit_rate, r.price_version, r.credit_version, r.usd_num, r.usd_den,
    r.valid_from, r.valid_to, r.provider IS NOT NULL AS has_cell,
    q.q_quality IS NOT NULL AS has_quality, s.s_sound IS NOT NULL AS has_sound,
    (CASE WHEN k.basis = 'duration' THEN k.duration ELSE k.input_seconds END) AS secs_text
  FROM k2 k
  LEFT JOIN {rates} r ON r.provider = k.provider AND r.model = k.model
    AND r.quality = k.want_quality AND r.sound = k.want_sound
    AND (k.sound = '' OR k.sound_word IS NOT NULL)
  LEFT JOIN qualities q ON q.q_provider = k.provider AND q.q_model = k.model
    AND q.q_quality = k.want_quality
  LEFT JOIN sounds s ON s.s_provider = k.provider AND s.s_model = k.model
    AND s.s_sound = k.want_sound
),
k4 AS (
  SELECT k.*,
    (CASE WHEN basis = 'duration' AND duration = ''
      THEN CAST(default_duration AS DECIMAL(13,6)) ELSE {secs_num} END) AS secs,
    (CASE WHEN basis = 'fixed' THEN accepts_input_integer ELSE accepts_integer END) AS lim_int,
    (CASE WHEN basis = 'fixed' THEN accepts_input_min ELSE accepts_min END) AS lim_min,
    (CASE WHEN basis = 'fixed' THEN accepts_input_max ELSE accepts_max END) AS lim_max
  FROM k3 k
),
k5 AS (
  SELECT k.*,
    CASE
      WHEN sound <> '' AND sound_word IS NULL THEN 'INVALID_LINE'
      WHEN o_provider IS NULL THEN 'UNKNOWN_OFFERING'
      WHEN NOT has_cell THEN 'INVALID_LINE'
      WHEN basis = 'duration' AND input_seconds <> '' THEN 'INVALID_LINE'
      WHEN basis = 'input_seconds' AND input_seconds = '' THEN 'INVALID_LINE'
      WHEN secs IS NULL AND (basis <> 'fixed' OR input_seconds <> '') THEN 'INVALID_LINE'
      WHEN (lim_int IS NOT NULL OR basis = 'fixed') AND secs IS NOT NULL AND NOT (secs > 0
        AND (lim_min IS NULL OR secs >= lim_min) AND (lim_max IS NULL OR secs <= lim_max)
        AND (NOT COALESCE(lim_int, FALSE) OR secs = FLOOR(secs))) THEN 'INVALID_LINE'
    END AS p_status,
    CASE
      WHEN sound <> '' AND sound_word IS NULL THEN 'sound ' || {_quoted('sound')}
        || ' is not on or off'
      WHEN o_provider IS NULL THEN 'no loaded card has provider ' || {_quoted('provider')}
        || ' and model ' || {_quoted('model')}
      WHEN NOT has_cell AND NOT has_quality THEN provider || '/' || model
        || ' does not offer quality ' || {_quoted('want_quality')}
      WHEN NOT has_cell THEN provider || '/' || model
        || ' does not offer sound ' || (CASE WHEN want_sound THEN 'on' ELSE 'off' END)
      WHEN basis = 'duration' AND input_seconds <> '' THEN provider || '/' || model
        || ' is billed by duration; input_seconds applies only to video-edit offerings'
      WHEN basis = 'input_seconds' AND input_seconds = '' THEN provider || '/' || model
        || ' is billed by the input video''s length: give input_seconds'
      WHEN secs IS NULL AND (basis <> 'fixed' OR input_seconds <> '')
        THEN (CASE WHEN basis = 'duration' THEN 'duration' ELSE 'input_seconds' END)
        || ' must be a number (SQL engines read plain decimals, at most 6 decimal places'
        || ' and 7 integer digits), got ' || {_quoted('secs_text')}
      WHEN (lim_int IS NOT NULL OR basis = 'fixed') AND secs IS NOT NULL AND NOT (secs > 0
        AND (lim_min IS NULL OR secs >= lim_min) AND (lim_max IS NULL OR secs <= lim_max)
        AND (NOT COALESCE(lim_int, FALSE) OR secs = FLOOR(secs)))
        THEN (CASE WHEN basis = 'duration' THEN 'duration ' ELSE 'input_seconds ' END)
        || CAST(secs AS STRING) || ' s is not accepted by ' || provider || '/' || model
    END AS p_reason,
    (CASE WHEN min_seconds IS NOT NULL AND secs < min_seconds
        THEN CAST(min_seconds AS DECIMAL(13,6))
      WHEN max_seconds IS NOT NULL AND secs > max_seconds
        THEN CAST(max_seconds AS DECIMAL(13,6))
      ELSE secs END) AS clamped
  FROM k4 k
),
k6 AS (
  SELECT k.*,
    CAST(CASE WHEN basis = 'fixed' THEN unit_rate
      WHEN seconds_scale IS NULL THEN clamped * unit_rate
      ELSE CAST({seconds_round} AS DECIMAL(13,6)) * unit_rate END AS DECIMAL(30,14))
      AS amount_exact
  FROM k5 k
),
k7 AS (
  SELECT k.*, (CASE WHEN p_status IS NULL THEN {amount_round} END) AS amount
  FROM k6 k
),
k8 AS (
  SELECT k.*,
    CAST(CAST(amount * {_pow10('amount_scale', 9, 8)} AS DECIMAL(38,0))
      * CAST(usd_num AS DECIMAL(19,0)) AS DECIMAL(38,0)) AS usd_a
  FROM k7 k
),
k9 AS (
  SELECT k.*,
    (CASE WHEN usd_a < 1000000000000000000
      THEN {d.int_div('CAST(usd_a AS BIGINT)', 'usd_den')} END) AS usd_q
  FROM k8 k
),
k10 AS (
  SELECT k.*,
    (CASE WHEN usd_q IS NOT NULL THEN CAST(usd_a AS BIGINT) - usd_q * usd_den END) AS usd_r
  FROM k9 k
),
priced AS (
  SELECT provider AS p_provider, model AS p_model, duration AS p_duration,
    input_seconds AS p_input, quality AS p_quality, sound AS p_sound,
    valid_from AS p_from, valid_to AS p_to, has_cell AS p_dated,
    p_status, p_reason, card_currency, price_version, credit_version, amount_precision,
    usd_precision, amount_scale, usd_scale, amount,
    (CASE WHEN usd_q IS NOT NULL THEN CAST(CAST(usd_q + CASE WHEN
      {_bump('usd_mode', 'usd_r * 2', 'usd_q', 'usd_den')}
      THEN 1 ELSE 0 END AS DECIMAL(20,0)) * usd_precision AS DECIMAL(38,10)) END) AS usd,
    (CASE WHEN credit_version IS NULL AND usd_known THEN 'UNPRICED_DATE'
      WHEN credit_version IS NULL THEN 'UNPRICED_CURRENCY'
      WHEN usd_q IS NULL THEN 'RANGE' ELSE 'ok' END) AS usd_state
  FROM k10
),
{_line_chain(d, 'm', 'src')}
{_line_chain(d, 'd', dup_source)}
firsts AS (
  SELECT provider AS f_provider, task_id AS f_task, min(ord) AS first_ord
  FROM d_checked WHERE invalid IS NULL
  GROUP BY provider, task_id HAVING count(*) > 1
),
joined AS (
  SELECT c.*, p.*, f.first_ord,
    CASE
      WHEN c.invalid IS NOT NULL THEN 'INVALID_LINE'
      WHEN f.first_ord IS NOT NULL AND c.ord > f.first_ord THEN 'DUPLICATE_TASK'
      WHEN p.p_provider IS NULL THEN 'UNPRICED_DATE'
      WHEN p.p_status IS NOT NULL THEN p.p_status
      WHEN c.currency_v = p.card_currency THEN 'PRICED'
      WHEN c.currency_v = 'USD' AND p.usd_state = 'ok' THEN 'PRICED'
      WHEN c.currency_v = 'USD' AND p.usd_state = 'RANGE' THEN 'INVALID_LINE'
      WHEN c.currency_v = 'USD' THEN p.usd_state
      ELSE 'INVALID_LINE'
    END AS stage,
    (CASE WHEN c.currency_v = p.card_currency THEN p.amount ELSE p.usd END) AS card_expected,
    COALESCE({tol}, CASE WHEN c.currency_v = p.card_currency THEN p.amount_precision
      ELSE p.usd_precision END) AS tol,
    (CASE WHEN c.currency_v = p.card_currency THEN p.price_version
      ELSE p.price_version || '; credit value ' || p.credit_version END) AS card_version,
    (CASE WHEN c.currency_v = p.card_currency THEN p.amount_scale ELSE p.usd_scale END)
      AS card_scale
  FROM m_checked c
  LEFT JOIN firsts f ON f.f_provider = c.provider AND f.f_task = c.task_id
  LEFT JOIN priced p ON p.p_provider = c.provider AND p.p_model = c.model
    AND p.p_duration = c.duration AND p.p_input = c.input_seconds
    AND p.p_quality = c.quality AND p.p_sound = c.sound
    AND (NOT p.p_dated OR ((p.p_from IS NULL OR p.p_from <= c.day_v)
      AND (p.p_to IS NULL OR c.day_v < p.p_to)))
),
settled AS (
  SELECT j.*,
    (CASE WHEN stage <> 'PRICED' THEN NULL WHEN job_v IN ('failed', 'cancelled')
      THEN CAST(0 AS DECIMAL(38,10)) ELSE card_expected END) AS expected_v
  FROM joined j
),
decided AS (
  SELECT s.*,
    CASE
      WHEN stage <> 'PRICED' THEN stage
      WHEN job_v IN ('failed', 'cancelled') AND charged_v <> 0 THEN 'CHARGED_FOR_FAILED'
      WHEN job_v IN ('failed', 'cancelled') THEN 'MATCH'  -- nothing charged: a released
                                                          -- reservation is no discrepancy
      WHEN charged_v = expected_v AND reserved_v IS NOT NULL AND reserved_v <> charged_v
        THEN 'RESERVED_NE_SETTLED'
      WHEN charged_v = expected_v THEN 'MATCH'
      WHEN charged_v - expected_v > tol THEN 'OVERCHARGE'
      WHEN expected_v - charged_v > tol THEN 'UNDERCHARGE'
      WHEN reserved_v IS NOT NULL AND reserved_v <> charged_v THEN 'RESERVED_NE_SETTLED'
      ELSE 'ROUNDING_DIFF'
    END AS status_v
  FROM settled s
)
SELECT
  source,
  line,
  NULLIF(task_id, '') AS task_id,
  NULLIF(provider, '') AS provider,
  NULLIF(model, '') AS model,
  (CASE WHEN stage = 'INVALID_LINE' THEN NULL ELSE CAST(day_v AS STRING) END) AS day,
  (CASE WHEN stage = 'INVALID_LINE' THEN NULL ELSE job_v END) AS job_status,
  status_v AS status,
  (CASE WHEN currency = '' THEN NULL ELSE COALESCE(currency_v, currency) END) AS currency,
  expected_v AS expected,
  (CASE WHEN error <> '' THEN {_money(d, 'raw_charged')} ELSE charged_v END) AS charged,
  (CASE WHEN stage = 'PRICED' THEN charged_v - expected_v END) AS difference,
  (CASE WHEN stage = 'INVALID_LINE' THEN NULL ELSE reserved_v END) AS reserved,
  (CASE WHEN stage = 'PRICED' THEN card_version
    WHEN stage IN ('UNPRICED_DATE', 'UNPRICED_CURRENCY') AND p_status IS NULL
    THEN price_version END) AS price_version,
  (CASE
    WHEN stage = 'INVALID_LINE' THEN source || ':' || CAST(line AS STRING) || ': ' ||
      COALESCE(invalid, p_reason, CASE WHEN currency_v = 'USD'
        THEN 'the USD amount is beyond the SQL engines'' range (below 10^18 units)'
        ELSE 'charged in ' || currency_v || ' but ' || provider || ' prices in '
        || card_currency END)
    WHEN stage = 'DUPLICATE_TASK' THEN 'task ' || task_id || ' already appeared for '
      || provider
    WHEN stage = 'UNPRICED_DATE' AND p_status IS NULL THEN 'no ' || provider
      || ' credit value is in force on ' || CAST(day_v AS STRING)
    WHEN stage = 'UNPRICED_CURRENCY' THEN 'charged in USD but the USD value of a '
      || provider || ' credit is unknown; give one with an overlay card'
    WHEN stage <> 'PRICED' THEN p_reason
    WHEN status_v = 'CHARGED_FOR_FAILED' THEN 'a ' || job_v || ' task charged '
      || CAST(charged_v AS STRING) || ' ' || currency_v
    WHEN status_v = 'MATCH' THEN ''
    WHEN status_v = 'OVERCHARGE' THEN 'charged ' || CAST(charged_v - expected_v AS STRING)
      || ' ' || currency_v || ' more than the card'
    WHEN status_v = 'UNDERCHARGE' THEN 'charged ' || CAST(expected_v - charged_v AS STRING)
      || ' ' || currency_v || ' less than the card'
    WHEN status_v = 'RESERVED_NE_SETTLED' THEN 'reserved ' || CAST(reserved_v AS STRING)
      || ' but settled ' || CAST(charged_v AS STRING) || ' ' || currency_v
    ELSE 'within the tolerance of ' || CAST(tol AS STRING)
  END) AS reason,
  file_no,
  (CASE WHEN charged_plain AND error = '' THEN
      (CASE WHEN instr(charged, '.') > 0 THEN length(charged) - instr(charged, '.') ELSE 0 END)
    WHEN error <> '' THEN {decimals_shown(d, 'raw_charged')}
    ELSE {decimals_shown(d, 'charged')} END) AS charged_scale,
  (CASE WHEN stage <> 'PRICED' THEN NULL WHEN job_v IN ('failed', 'cancelled') THEN 0
    ELSE card_scale END) AS expected_scale,
  {decimals_shown(d, 'reserved')} AS reserved_scale
FROM decided
"""


def summary_query(results: str) -> str:
    """Totals per provider x model x status x currency over a relation of results, and the
    most decimal places among each total's addends (how Python's sum would show it).

    >>> summary_query("results").split("GROUP BY")[1].strip()
    'provider, model, status, currency'
    """
    return f"""
SELECT provider, model, status, currency, count(*) AS lines,
  sum(charged) AS charged, sum(expected) AS expected, sum(difference) AS difference,
  max(CASE WHEN charged IS NOT NULL THEN charged_scale END) AS charged_scale,
  max(expected_scale) AS expected_scale,
  max(CASE WHEN difference IS NOT NULL THEN charged_scale END) AS difference_scale
FROM {results}
GROUP BY provider, model, status, currency
"""
