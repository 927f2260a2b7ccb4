"""Every stable code ratecard gives, in one place: what callers may match on.

Four families, each a table of ``code -> meaning``:

- :data:`QUOTE_ERRORS`: the ``code`` of a :class:`~ratecard.errors.QuoteError`;
- :data:`VIOLATIONS`: the ``code`` of a :class:`~ratecard.payloads.violations.Violation`
  (what is wrong with a request body; the providers' own words where they have them);
- :data:`EXCLUSIONS`: why ``compare`` or ``route`` left an offering out;
- :data:`RECONCILE_STATUSES`: the verdict on one invoice line, in the order the
  reconciler decides them (the Python reconciler, the SQL query and the command line's
  help all read this table).

A code is never renamed; adding one is adding a row here (and its tests).

>>> RECONCILE_STATUSES["OVERCHARGE"].meaning
'charged more than the card says, beyond the tolerance'
>>> sorted(OK_STATUSES)
['MATCH', 'ROUNDING_DIFF']
>>> "UNKNOWN_MODEL" in QUOTE_ERRORS and "UNKNOWN_MODEL" in VIOLATIONS
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

QUOTE_ERRORS: Final[Mapping[str, str]] = {
    "UNKNOWN_PROVIDER": "no loaded card has this provider (close matches are suggested)",
    "UNKNOWN_MODEL": "the provider has no such model (close matches are suggested)",
    "UNKNOWN_FAMILY": "no loaded card sells this family",
    "INVALID_DURATION": "a number of seconds outside what the offering accepts, or no number",
    "INVALID_QUALITY": "a quality the offering does not render",
    "INVALID_SOUND": "a sound value that is not on or off, or one the offering does not price",
    "MISSING_VIDEO": "an edit billed by the input video's length, without that length",
    "INVALID_INPUT": "an argument that does not apply to this offering or command",
    "INVALID_DATE": "a date that is not ISO 8601",
    "UNPRICED_DATE": "no price version (or credit value) is in force on the date",
    "INVALID_NEED": "a need that is incomplete or contradicts itself",
    "INVALID_BUDGET": "a budget that is not a number of USD >= 0",
    "INVALID_CREDIT_VALUE": "a credit value that is not a number > 0, or a USD card",
    "INVALID_VIDEO": "a video description that cannot be read",
    "NO_ADAPTER": "ratecard reads no request bodies of this provider",
    "NO_DIALECT": "ratecard writes no request bodies of this provider: no document it can "
                  "cite describes them",
    "INVALID_OUTCOME": "a health outcome that is not succeeded, failed or timed_out, or a "
                       "time or latency that is not a number of seconds",
    "INVALID_HEALTH": "a health argument that is not a ratecard.Health, or a health policy "
                      "value out of range",
    "INVALID_PAYLOAD": "a body with several violations (PayloadError.violations lists them)",
}
"""Codes of :class:`~ratecard.errors.QuoteError` (and its subclasses)."""

VIOLATIONS: Final[Mapping[str, str]] = {
    "INVALID_JSON": "the body is not JSON (the message gives line and column), is not "
                    "UTF-8, nests arrays and objects more than 64 levels deep, or uses NaN "
                    "or Infinity",
    "DUPLICATE_KEY": "a JSON object of the body gives the same key twice: which value the "
                     "provider reads is not defined",
    "INVALID_BODY": "the body is not a JSON object, or (given as Python objects) nests "
                    "more than 64 levels deep or holds itself",
    "MISSING_FIELD": "a required field is absent (model, type, a shot's prompt)",
    "WRONG_TYPE": "a field has the wrong JSON type",
    "UNKNOWN_MODEL": "EvoLink model is not an offering of the card",
    "INVALID_TYPE": "kling3api type is not an offering of the card",
    "UNKNOWN_ENDPOINT": "fal endpoint_id names no offering of the card, or one whose input "
                        "schema ratecard has not read",
    "INVALID_DURATION": "duration (or the input video's length) outside what is accepted",
    "INVALID_PROMPT": "a prompt missing where required, or too long",
    "MISSING_IMAGE": "a required image (first frame, reference images) is absent",
    "MISSING_VIDEO": "a required input video is absent",
    "MISSING_INPUT": "some other required input is absent",
    "UNSUPPORTED_INPUT": "an input this offering does not accept",
    "UNDOCUMENTED_INPUT": "an input that uses a feature the card does not list for the "
                          "offering (reference images, multi-shot, a video, an end frame, "
                          "elements), or a field its seller documents for other models "
                          "only: no source says the provider takes it",
    "CONFLICTING_INPUTS": "inputs that must not be given together",
    "TOO_MANY_INPUTS": "too many images, elements or videos",
    "INVALID_QUALITY": "a quality the offering does not render",
    "INVALID_SOUND": "a sound value not accepted or not priced",
    "INVALID_ASPECT_RATIO": "an aspect ratio not accepted",
    "INVALID_CFG_SCALE": "cfg_scale outside its range",
    "INVALID_VIDEO": "input video format, size, pixels or frame rate not accepted",
    "INVALID_CALLBACK_URL": "callback address not HTTPS, too long, or internal",
    "MISSING_SHOT_TYPE": "multi-shot without a shot type",
    "INVALID_SHOT_TYPE": "a shot type not accepted",
    "MISSING_SHOTS": "too few shots for a shot type that needs them",
    "TOO_MANY_SHOTS": "more shots than accepted",
    "SHOT_DURATION_MISMATCH": "shot durations that do not add up to the duration",
    "MISSING_VIDEO_LENGTH": "an edit priced by its input's length, without that length",
    "TASK_ERROR": "a task record that is a provider's error response",
    "CANNOT_EXPRESS": "the request cannot be written for the target provider: its body "
                      "format has no place for an input the request uses, or it sells no "
                      "offering of the request's family, mode, quality or sound",
    "INVALID_NUMBER": "a number outside the bounds ratecard reads (magnitude, decimal places, "
                      "digits)",
    "MORE_VIOLATIONS": "more violations than are listed: the first 99 are, this one counts "
                       "the rest",
}
"""Codes of a :class:`~ratecard.payloads.violations.Violation`."""

PRICING_NEEDS: Final[frozenset[str]] = frozenset({"MISSING_VIDEO_LENGTH"})
"""Violations that say what ratecard needs to price a body, not why the provider would
refuse it (a provider takes an edit without being told the video's length)."""

EXCLUSIONS: Final[Mapping[str, str]] = {
    "FAMILY_NOT_OFFERED": "the provider sells no offering of the need's family",
    "MODE_NOT_OFFERED": "the provider sells the family, but not in the need's mode",
    "FEATURE_UNSUPPORTED": "the need uses a feature the offering does not list",
    "FEATURE_REQUIRED": "the offering's price applies only to requests using a feature "
                        "the need does not use",
    "QUALITY_NOT_OFFERED": "the offering does not render the need's quality",
    "SOUND_NOT_OFFERED": "the offering does not deliver the need's sound setting",
    "UNPRICED": "no source prices the need's quality or sound at this offering (the card "
                "lists only what a document prices, or what it infers); not a claim that "
                "the seller lacks it",
    "INVALID_DURATION": "the need's length is outside what the offering accepts",
    "MISSING_VIDEO": "the offering is billed by the input video's length",
    "INVALID_INPUT": "the offering is billed by output duration, not an input video",
    "UNPRICED_DATE": "the offering has no price in force on the date",
    "USD_UNKNOWN": "the card's credit value is unknown, so the USD amount is unknown",
    "REFERENCE_ONLY": "a reference card: compared, never routed to unless asked",
    "DOWN": "the provider is marked down",
    "DENIED": "the provider is denied",
    "NOT_ALLOWED": "the provider is not in the allow list",
    "OVER_BUDGET": "the USD amount is over max_usd",
    "UNHEALTHY": "the seller's circuit for this model is open after failures it was seen "
                 "to have (retry_at says when it may be tried again), or half-open with its "
                 "probes in flight",
    "NO_DIALECT": "no document ratecard can cite describes the seller's request body, so "
                  "it cannot write one (the seller is still priced by compare and route)",
    "CANNOT_EXPRESS": "the body cannot be translated for this seller: an input it has no "
                      "place for, or a body it would refuse (every reason is listed)",
}
"""Every reason code an :class:`~ratecard.routing.candidates.Exclusion` may carry."""


@dataclass(frozen=True, slots=True)
class ReconcileStatus:
    """One verdict on an invoice line."""

    name: str
    meaning: str
    ok: bool
    """Not a discrepancy (the command exits 0 when every line is ``ok``)."""
    priced: bool = True
    """Whether its lines have an expected amount (and so a difference); the charged amount
    of the others is in the ``charged`` totals only."""


def _statuses(*rows: tuple[str, str, bool]) -> dict[str, ReconcileStatus]:
    unpriced = ("INVALID_LINE", "DUPLICATE_TASK", "UNKNOWN_OFFERING", "UNPRICED_DATE",
                "UNPRICED_CURRENCY")
    return {name: ReconcileStatus(name, meaning, ok, name not in unpriced)
            for name, meaning, ok in rows}


RECONCILE_STATUSES: Final[Mapping[str, ReconcileStatus]] = _statuses(
    ("INVALID_LINE", "the line cannot be read (reason and line number given)", False),
    ("DUPLICATE_TASK", "a task id already seen for that provider (the first is checked)",
     False),
    ("UNKNOWN_OFFERING", "no loaded card has this provider and model", False),
    ("UNPRICED_DATE", "no price version (or, for a USD line, no credit value) is in force "
     "on that day: never priced as zero", False),
    ("UNPRICED_CURRENCY", "charged in USD at a provider whose credit value is unknown",
     False),
    ("CHARGED_FOR_FAILED", "a failed or cancelled task that carries a charge", False),
    ("OVERCHARGE", "charged more than the card says, beyond the tolerance", False),
    ("UNDERCHARGE", "charged less than the card says, beyond the tolerance", False),
    ("RESERVED_NE_SETTLED", "the charge is right but the reservation differed from it",
     False),
    ("ROUNDING_DIFF", "off by no more than the tolerance", True),
    ("MATCH", "exactly what the card says", True),
)
"""Reconciliation statuses, in the order they are decided."""

OK_STATUSES: Final[frozenset[str]] = frozenset(
    name for name, status in RECONCILE_STATUSES.items() if status.ok)
"""Statuses that are not discrepancies."""

UNPRICED_STATUSES: Final[frozenset[str]] = frozenset(
    name for name, status in RECONCILE_STATUSES.items() if not status.priced)
"""Statuses whose lines have no expected amount: their charges are in no difference."""

STATUS_ORDER: Final[tuple[str, ...]] = (
    "MATCH", "ROUNDING_DIFF", "OVERCHARGE", "UNDERCHARGE", "UNKNOWN_OFFERING",
    "UNPRICED_DATE", "UNPRICED_CURRENCY", "INVALID_LINE", "DUPLICATE_TASK",
    "CHARGED_FOR_FAILED", "RESERVED_NE_SETTLED",
)
"""The statuses in the order reports list them (matches first)."""


def describe_statuses() -> str:
    """The statuses and their meanings as lines of text (for ``--help`` and docs).

    >>> describe_statuses().splitlines()[0]
    'INVALID_LINE: the line cannot be read (reason and line number given)'
    """
    return "\n".join(f"{s.name}: {s.meaning}" for s in RECONCILE_STATUSES.values())


WHATIF_STATUSES: Final[Mapping[str, str]] = {
    "REPRICED": "re-rated: the card's price where the job went, in USD, and the cheapest "
                "seller the policy allows (the saving may be 0, or negative when the policy "
                "leaves the seller it went to out)",
    "USD_UNKNOWN": "re-rated, but the card's price where the job went has no USD value "
                   "(give one with --credits-per-usd), so the saving is unknown",
    "NO_SELLER": "priced where it went, but no seller the policy allows can serve the job",
    "FAILED_JOB": "a failed or cancelled job: nothing to pay, nothing re-rated",
    "NEED_UNKNOWN": "the line does not say enough of the job to price it elsewhere (an edit "
                    "without its input video's length)",
    "INVALID_LINE": "the line cannot be read (reason and line number given)",
    "DUPLICATE_TASK": "a task id already seen for that provider (the first is re-rated)",
    "UNKNOWN_OFFERING": "no loaded card has this provider and model",
    "UNPRICED_DATE": "no price version is in force on the pricing day where the job went",
}
"""The status of one line re-rated by ``ratecard whatif`` (:mod:`ratecard.whatif`), in the
order reports list them; every line gets exactly one."""

WHATIF_RATED: Final[frozenset[str]] = frozenset({"REPRICED", "USD_UNKNOWN", "NO_SELLER"})
"""Statuses of lines priced where they went (their card price is known)."""
