"""Every reason a reconcile verdict gives, in one table.

A reason is a :meth:`str.format` template over named fields (``{charged!r}`` quotes the
value). The Python reconciler formats these templates; the SQL query
(:mod:`ratecard.batch.sql`) renders the same templates as ``||`` concatenations. Rewording
a reason, or adding one, is one edit here; so is the other text both paths write, the
price version of a USD line (:data:`USD_VERSION`).

Each reason says which status it explains (a name of
:data:`ratecard.codes.RECONCILE_STATUSES`) and who gives it on the Python path
(:data:`Origin`). Where the SQL engines word a reason differently (they name their
narrower grammar), :attr:`Reason.sql` gives their template; the SQL renderer fills its
grammar fields.

>>> from decimal import Decimal
>>> REASONS["overcharge"].format(difference=Decimal("2.0000"), currency="credits")
'charged 2.0000 credits more than the card'
>>> REASONS["job_status_unknown"].format(status="done!")
"status 'done!' is not one of cancelled, failed, pending, running, succeeded"
>>> REASONS["overcharge"].format(difference=Decimal("1E-7"), currency="credits")
'charged 0.0000001 credits more than the card'
>>> REASONS["charged_for_failed"].fields
('job', 'charged', 'currency')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from string import Formatter
from typing import Final, Literal

from ratecard.codes import RECONCILE_STATUSES
from ratecard.money import plain
from ratecard.vocabulary import CURRENCY_WORDS, INVOICE_STATUS_WORDS, on_off

Origin = Literal["reader", "reconcile", "pricing", "sql"]
"""Who gives a reason on the Python path: ``reader``: the invoice reader formats
:attr:`Reason.text` (every engine stages its words as they are); ``reconcile``: the
reconciler formats :attr:`Reason.text`; ``pricing``: the reconciler passes on the pricing
engine's own message (a :class:`~ratecard.errors.QuoteError`), which says more, and
``text`` is the SQL engines' shorter wording; ``sql``: only the SQL engines reach it."""


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason text, for one status."""

    name: str
    status: str
    """The reconcile status this reason explains."""
    text: str
    """The template, :meth:`str.format` syntax over named fields."""
    origin: Origin = "reconcile"
    sql: str = ""
    """The SQL engines' template where their wording differs; empty: ``text``."""
    format: Callable[..., str] = field(init=False, repr=False, compare=False)
    """``text.format``: the reason for the given fields, a Decimal written plain (as the SQL
    engines write it: ``0.0000001``, not ``1E-7``)."""

    def __post_init__(self) -> None:
        if self.status not in RECONCILE_STATUSES:
            raise ValueError(f"reason {self.name}: {self.status} is not a reconcile status")
        object.__setattr__(self, "format", _plain_decimals(self.text.format))

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields of :attr:`text`, in order."""
        return tuple(name for _, name, _, _ in Formatter().parse(self.text) if name)


def _plain_decimals(format: Callable[..., str]) -> Callable[..., str]:
    def plain_format(**fields: object) -> str:
        return format(**{name: plain(value) if isinstance(value, Decimal) else value
                         for name, value in fields.items()})
    return plain_format


def _table(*reasons: Reason) -> dict[str, Reason]:
    return {reason.name: reason for reason in reasons}


SEPARATOR: Final = ", "
"""Between the items of a list in a reason (the missing columns)."""

NOTE_SEPARATOR: Final = "; "
"""Between a verdict's reason and what it adds about how the line was read
(:attr:`~ratecard.reconcile.readers.RawLine.note`)."""

TERMS_READ: Final[Mapping[str, str]] = {
    "agrees": "the task record does not say the job's {terms}: read from its charge as "
              "{chosen}, whose price it is{also}",
    "above": "the task record does not say the job's {terms}: checked against the dearest, "
             "{chosen}, as the charge is above the price of every one",
    "below": "the task record does not say the job's {terms}: checked against the "
             "cheapest, {chosen}, as the charge is below the price of every one",
}
"""The note a task record's verdict carries when the terms it does not say were read from
its charge (:func:`ratecard.reconcile.tasks.as_line`): the charge is some terms' price,
or above (below) every one."""

TERMS_ALSO: Final = " (as it is of {others})"
"""After :data:`TERMS_READ` ``agrees``: other terms of the same price."""

USD_VERSION: Final = "{price_version}; credit value {credit_version}"
"""The ``price_version`` of a line charged in USD at a credits card: both versions used."""

_CURRENCIES = " or ".join(dict.fromkeys(CURRENCY_WORDS.values()))
_JOB_STATUSES = SEPARATOR.join(sorted(set(INVOICE_STATUS_WORDS.values())))
_SOUNDS = f"{on_off(True)} or {on_off(False)}"

REASONS: Final[Mapping[str, Reason]] = _table(
    # why a line cannot be read (INVALID_LINE), in the order the fields are checked
    Reason("at_line", "INVALID_LINE", "{source}:{line}: {reason}"),
    Reason("quote_unclosed", "INVALID_LINE", "a quoted field is not closed on its line",
           "reader"),
    Reason("broken_span", "INVALID_LINE",
           "{reason} (lines {first}-{last} were one malformed quoted record, read line by "
           "line)", "reader"),
    Reason("header_again", "INVALID_LINE",
           "the header line again: a second file appended to the first?", "reader"),
    Reason("header_other", "INVALID_LINE",
           "a header line in another column order or with other columns: a second file "
           "appended to the first? The lines after it are read by it", "reader"),
    Reason("line_too_long", "INVALID_LINE", "the line is longer than {limit} characters",
           "reader"),
    Reason("field_too_long", "INVALID_LINE", "{field} is longer than {limit} characters",
           "reader"),
    Reason("field_nul", "INVALID_LINE", "{field} holds a NUL character (a zero byte)",
           "reader"),
    Reason("timestamp_beyond_range", "INVALID_LINE",
           "{field} is {ms} milliseconds from 1970-01-01, beyond the timestamps the engines "
           "hold (the years 290308 BC to 294247 AD)", "reader"),
    Reason("in_array", "INVALID_LINE",
           "element {element} of the array (line {line}, column {column}): {reason}",
           "reader"),
    Reason("element_too_long", "INVALID_LINE", "the element is longer than {limit} characters",
           "reader"),
    Reason("element_empty", "INVALID_LINE",
           "no value between its separators (two commas, or a comma and a bracket)",
           "reader"),
    Reason("task_unreadable", "INVALID_LINE", "unreadable {provider} task record: {error}"),
    Reason("task_terms_unknown", "INVALID_LINE",
           "the {provider} task record does not say the job's {terms}, on which the price "
           "of {model} depends: its charge cannot be checked from the record alone "
           "(reconcile the invoice's lines, or read the record with the request body sent: "
           "Catalog.read_task(..., request=body))"),
    Reason("task_charge_between", "INVALID_LINE",
           "the {provider} task record does not say the job's {terms}, on which the price "
           "of {model} depends, and its charge {charged} is the price of none of them "
           "({prices}): it cannot be checked from the record alone (reconcile the "
           "invoice's lines, or read the record with the request body sent: "
           "Catalog.read_task(..., request=body))"),
    Reason("task_models_disagree", "INVALID_LINE",
           "the {provider} task record names the model {record_model!r} but its request "
           "{request_model!r}: which one was billed cannot be told"),
    Reason("missing", "INVALID_LINE", "missing {columns}"),
    Reason("charged_not_a_number", "INVALID_LINE", "charged {charged!r} is not a number",
           sql="charged {charged!r} is not a number"
               " (SQL engines read plain decimals, at most {decimals} decimal places)"),
    Reason("charged_negative", "INVALID_LINE",
           "charged {charged!r} is below 0: a refund or credit is not a charge for a job "
           "(reconcile charges; net refunds apart)"),
    Reason("currency_unknown", "INVALID_LINE",
           f"currency {{currency!r}} is not {_CURRENCIES}"),
    Reason("job_status_unknown", "INVALID_LINE",
           f"status {{status!r}} is not one of {_JOB_STATUSES}"),
    Reason("reserved_not_a_number", "INVALID_LINE", "reserved {reserved!r} is not a number"),
    Reason("reserved_negative", "INVALID_LINE", "reserved {reserved!r} is below 0"),
    Reason("timestamp_unreadable", "INVALID_LINE",
           "timestamp {timestamp!r} is not a date (YYYY-MM-DD[THH:MM[:SS[.fraction]]]"
           "[Z|±HH[:MM]]) or Unix seconds (9 to 12 digits, 1973 to 9999)"),
    Reason("sound_unreadable", "INVALID_LINE", f"sound {{sound!r}} is not {_SOUNDS}"),
    # why a line's job has no price (the pricing engine's errors, first clause)
    Reason("offering_unknown", "UNKNOWN_OFFERING",
           "no loaded card has provider {provider!r} and model {model!r}", "pricing"),
    Reason("quality_not_offered", "INVALID_LINE",
           "{provider}/{model} does not offer quality {quality!r}", "pricing"),
    Reason("sound_not_offered", "INVALID_LINE",
           "{provider}/{model} does not offer sound {sound}", "pricing"),
    Reason("price_not_in_force", "UNPRICED_DATE",
           "{provider}/{model} has no price in force on {day} (price versions: {versions})",
           "pricing"),
    Reason("input_not_applicable", "INVALID_LINE",
           "{provider}/{model} is billed by duration; input_seconds applies only to "
           "video-edit offerings", "pricing"),
    Reason("input_missing", "INVALID_LINE",
           "{provider}/{model} is billed by the input video's length: give input_seconds",
           "pricing"),
    Reason("seconds_not_a_number", "INVALID_LINE", "{field} must be a number, got {text!r}",
           "pricing",
           sql="{field} must be a number (SQL engines read plain decimals, at most"
               " {decimals} decimal places and {digits} integer digits), got {text!r}"),
    Reason("seconds_not_accepted", "INVALID_LINE",
           "{field} {seconds} s is not accepted by {provider}/{model}", "pricing"),
    Reason("usd_out_of_range", "INVALID_LINE",
           "the USD amount is beyond the SQL engines' range (below 10^{digits} units)",
           "sql"),
    Reason("currency_mismatch", "INVALID_LINE",
           "charged in {currency} but {provider} prices in {card_currency}"),
    # the other verdicts, in the order they are decided
    Reason("duplicate_task", "DUPLICATE_TASK",
           "task {task_id} already appeared for {provider}, first at "
           "{first_source}:{first_line}"),
    Reason("no_credit_value", "UNPRICED_DATE", "no {provider} credit value is in force on {day}"),
    Reason("usd_unknown", "UNPRICED_CURRENCY",
           "charged in USD but the USD value of a {provider} credit is unknown; give one "
           "with an overlay card"),
    Reason("charged_for_failed", "CHARGED_FOR_FAILED", "a {job} task charged {charged} {currency}"),
    Reason("overcharge", "OVERCHARGE", "charged {difference} {currency} more than the card"),
    Reason("undercharge", "UNDERCHARGE", "charged {difference} {currency} less than the card"),
    Reason("undercharge_unsettled", "UNDERCHARGE",
           "charged {difference} {currency} less than the card, but the task is {job}: what "
           "it is charged may not be settled yet"),
    Reason("reserved_ne_settled", "RESERVED_NE_SETTLED",
           "reserved {reserved} but settled {charged} {currency}"),
    Reason("rounding_diff", "ROUNDING_DIFF", "within the tolerance of {tolerance}"),
    Reason("rounding_shown", "ROUNDING_DIFF",
           "the card's amount rounded to the {places} decimal places the charge shows"),
    Reason("match", "MATCH", ""),
)
"""Every reason, by name."""
