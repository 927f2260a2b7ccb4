"""The authoring models of a rate card: what a ``pricing_tables/*.yaml`` file may say.

These strict pydantic models reject unknown keys, check each card on its own (complete
matrices, non-overlapping versions, resolvable references) and generate
``pricing_tables/.schema.json``. Checks that span cards live in :mod:`ratecard.cards.loader`.

>>> from decimal import Decimal
>>> Rounding(mode="half_up", precision=Decimal("0.0001")).precision
Decimal('0.0001')
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any, Literal

from pydantic import Field, StrictBool, field_validator, model_validator

from ratecard.cards.base import (
    AcceptedSeconds,
    BilledSeconds,
    CardDate,
    Identifier,
    Matrix,
    NonNegativeDecimal,
    NonNegativeRate,
    PositiveAcceptedSeconds,
    PositiveBilledSeconds,
    PositiveDecimal,
    PositiveRate,
    Quality,
    Sound,
    Source,
    Strict,
)
from ratecard.cards.constraints import Constraints
from ratecard.money import EXACT, RoundingMode, is_power_of_ten, multiply, plain
from ratecard.numbers import (
    AMOUNT_PRECISION,
    CARD_RATE,
    SECONDS_PRECISION,
    USD_PRECISION,
    Bounds,
    usd_ratio_problem,
    within,
)
from ratecard.pricing.plans import SecondsLimit
from ratecard.vocabulary import Fact, Feature, Mode

SCHEMA_FILE_NAME = ".schema.json"

class Rounding(Strict):
    """A rounding stage: round to a multiple of ``precision`` with ``mode``."""

    mode: RoundingMode
    """``half_up`` (billing), ``half_even`` (banker's), ``half_down``, ``up`` (away from zero),
    ``down`` (toward zero), ``ceiling``, ``floor``."""
    precision: PositiveDecimal
    """A power of ten: ``1`` for whole units, ``0.0001`` for four decimal places."""
    source: Source | None = None

    @field_validator("precision")
    @classmethod
    def _power_of_ten(cls, value: Decimal) -> Decimal:
        if not is_power_of_ten(value) or value > 1:
            raise ValueError("precision must be a power of ten from 1 down, such as 1 or 0.01, "
                             f"not {plain(value)}")
        # 1.0 and 1 must round alike: keep the value, not how it was written
        return value.normalize(EXACT)

    def check_places(self, bounds: Bounds, stage: str) -> None:
        """Refuse a precision finer than ``bounds`` allow (the places the SQL engines
        round ``stage`` to); the message starts with ``precision:``."""
        if not within(self.precision, bounds):
            raise ValueError(f"precision: {stage} are rounded to at most {bounds.places} "
                             f"decimal places (a precision from 1 down to "
                             f"{Decimal(1).scaleb(-bounds.places):f}), not {self.precision:f}")


class CardRounding(Strict):
    """How a card's amounts are rounded."""

    amount: Rounding
    """Rounding of the amount in the card's own currency (credits or USD)."""
    usd: Rounding
    """Rounding of the USD amount (for a credit card: credits divided by credits per USD)."""

    @model_validator(mode="after")
    def _places(self) -> CardRounding:
        for name, rounding, bounds, stage in (
                ("amount", self.amount, AMOUNT_PRECISION, "amounts"),
                ("usd", self.usd, USD_PRECISION, "USD amounts")):
            try:
                rounding.check_places(bounds, stage)
            except ValueError as exc:
                raise ValueError(f"{name}.{exc}") from None
        return self


class Validity(Strict):
    """A half-open validity ``[effective_from, effective_to)``; ``null`` means unbounded."""

    effective_from: CardDate | None = None
    """First day the version applies (inclusive); ``null``: the sources do not say."""
    effective_to: CardDate | None = None
    """First day the version no longer applies (exclusive); ``null``: still in force."""

    @model_validator(mode="after")
    def _ordered(self) -> Validity:
        if self.effective_to == date.min:
            raise ValueError(f"effective_to: ({self.effective_to}) leaves the version no "
                             "day: nothing comes before it")
        if (
            self.effective_from is not None
            and self.effective_to is not None
            and self.effective_to <= self.effective_from
        ):
            raise ValueError(
                f"effective_to: ({self.effective_to}) must be after "
                f"effective_from ({self.effective_from})"
            )
        return self

    def covers(self, day: date) -> bool:
        """True when ``day`` falls in ``[effective_from, effective_to)``."""
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day < self.effective_to
        )

    def label(self) -> str:
        """``2026-01-01..open`` style name of the validity range."""
        start = self.effective_from.isoformat() if self.effective_from else "start"
        end = self.effective_to.isoformat() if self.effective_to else "open"
        return f"{start}..{end}"


class CreditValue(Validity):
    """What one unit of the card's currency is worth in USD, over a validity range."""

    credits_per_usd: PositiveRate
    """How many credits make one US dollar (EvoLink: 72)."""
    source: Source


class Defaults(Strict):
    """Values a provider assumes when a request leaves a parameter out."""

    quality: Quality | None = None
    sound: Sound | None = None
    duration: PositiveBilledSeconds | None = None
    """Seconds of output when the request gives no duration."""
    source: Source | None = None


class SecondsRange(Strict):
    """A range of seconds the provider accepts in a request (never a billing clamp)."""

    min: AcceptedSeconds | None = None
    """Smallest accepted value, inclusive; ``null``: no lower bound beyond > 0."""
    max: PositiveAcceptedSeconds | None = None
    """Largest accepted value, inclusive; ``null``: no upper bound."""
    integer: StrictBool = False
    """Whole seconds only (EvoLink: "Range: 3-15 seconds (integer)")."""
    source: Source

    @model_validator(mode="after")
    def _ordered(self) -> SecondsRange:
        if self.min is not None and self.max is not None and self.max < self.min:
            raise ValueError(f"max: ({self.max}) must not be below min ({self.min})")
        return self

    def compiled(self) -> SecondsLimit:
        """The engine's form of this range (what it admits, how it is described)."""
        return SecondsLimit(self.min, self.max, self.integer)

    def describe(self) -> str:
        """Human text such as ``3..15 s, whole seconds`` or ``at least 3 s``."""
        return self.compiled().describe()


class Accepts(Strict):
    """What a provider accepts in a request for one offering."""

    duration: SecondsRange | None = None
    """Requested output seconds, for generation offerings."""
    input_seconds: SecondsRange | None = None
    """Length of the input video: billed by edit offerings, and checked whenever a caller
    gives it for a request with a video input."""


class Billing(Strict):
    """How the billed quantity is derived from the request."""

    basis: Literal["duration", "input_seconds", "fixed"]
    """``duration``: requested output seconds; ``input_seconds``: the input video's length;
    ``fixed``: one price whatever the length."""
    min_seconds: BilledSeconds | None = None
    """Shorter clips are billed as this many seconds (a clamp, not a request limit)."""
    max_seconds: PositiveBilledSeconds | None = None
    """Longer clips are billed as this many seconds."""
    rounding: Rounding | None = None
    """How billed seconds are rounded after clamping; ``null``: billed exactly."""
    source: Source

    @model_validator(mode="after")
    def _consistent(self) -> Billing:
        if self.basis == "fixed" and (
            self.min_seconds is not None or self.max_seconds is not None or self.rounding
        ):
            raise ValueError("basis: a fixed-price basis takes no min/max seconds or rounding")
        if (
            self.min_seconds is not None
            and self.max_seconds is not None
            and self.max_seconds < self.min_seconds
        ):
            raise ValueError(
                f"max_seconds: ({self.max_seconds}) must not be below min_seconds "
                f"({self.min_seconds})"
            )
        if self.rounding is not None:
            try:
                self.rounding.check_places(SECONDS_PRECISION, "billed seconds")
            except ValueError as exc:
                raise ValueError(f"rounding.{exc}") from None
        return self


class PriceVersion(Validity):
    """The price of an offering over a validity range.

    Give exactly one of ``per_second`` and ``fixed``. Either may be one number for every
    quality and sound, or a matrix by quality and sound. ``multipliers`` (a matrix) scales
    a single ``per_second`` base rate per quality and sound.
    """

    per_second: NonNegativeRate | Matrix | None = None
    """Price per billed second in the card's currency (a number, or a matrix)."""
    multipliers: Matrix | None = None
    """Factor applied to a single ``per_second`` base, per quality and sound."""
    fixed: NonNegativeRate | Matrix | None = None
    """Price of one job whatever its length (a number, or a matrix)."""
    source: Source

    @model_validator(mode="after")
    def _one_price(self) -> PriceVersion:
        if (self.per_second is None) == (self.fixed is None):
            raise ValueError("per_second: give exactly one of per_second and fixed")
        if self.multipliers is not None and self.fixed is not None:
            raise ValueError("multipliers: multipliers scale a per_second base rate, not a "
                             "fixed price; give fixed as a matrix instead")
        if self.multipliers is not None and not isinstance(self.per_second, Decimal):
            raise ValueError("multipliers: multipliers scale a single per_second base rate; "
                             "give per_second as one number")
        if self.multipliers is not None and isinstance(self.per_second, Decimal):
            for quality, row in self.multipliers.items():
                for sound, factor in row.items():
                    rate = multiply(self.per_second, factor)
                    if not within(rate, CARD_RATE):
                        raise ValueError(
                            f"multipliers.{quality}.{sound}: per_second {plain(self.per_second)} "
                            f"x {plain(factor)} is a rate of {rate.normalize(EXACT):f}: the SQL "
                            f"engines take a rate below {CARD_RATE.limit} with at most "
                            f"{CARD_RATE.places} decimal places")
        return self


class ClaimLimits(Strict):
    """What a claim would accept, in a form ``check`` can test: when a body is accepted by
    the card but not by this claim (the claim the card did not follow), ``check`` warns."""

    video_formats: list[str] | None = None
    """The input video formats the claim accepts, lower case extensions (``[mp4, mov]``)."""
    video_max_mb: NonNegativeDecimal | None = None
    """The largest input video the claim accepts, in megabytes."""
    input_seconds_min: NonNegativeDecimal | None = None
    """The shortest input video the claim accepts, in seconds."""
    input_seconds_max: PositiveDecimal | None = None
    """The longest input video the claim accepts, in seconds."""

    @field_validator("video_formats")
    @classmethod
    def _lower(cls, values: list[str] | None) -> list[str] | None:
        if values is not None and any(v != v.lower().lstrip(".") for v in values):
            raise ValueError(f"write formats as lower case extensions without a dot, "
                             f"got {values}")
        return values


class Claim(Strict):
    """One source's statement in a conflict."""

    value: str
    """What the source says, as it says it (``$0.176/s``)."""
    source: Source
    limits: ClaimLimits | None = None
    """What the claim accepts, when it is a limit on the input video a body can break."""


class Conflict(Strict):
    """Sources that disagree, and what the card does about it."""

    subject: str
    """What the disagreement is about (unique in the card: it names the conflict)."""
    offering: Identifier | None = None
    """The offering concerned, if only one (must exist in the card)."""
    offerings: list[Identifier] = Field(default_factory=list)
    """The offerings concerned, if several (each must exist in the card). With neither
    ``offering`` nor ``offerings``, the conflict concerns every offering of the card."""
    touches: list[Fact] = Field(default_factory=list)
    """The facts the disagreement is about (``price``, ``credit_value``, ``video_input``,
    ...): answers that use one of them show the conflict. Empty: the ``price``."""
    claims: list[Claim] = Field(min_length=2)
    resolution: str
    """What the card uses and why; the other claims stay on record."""

    @model_validator(mode="after")
    def _one_way_to_name_offerings(self) -> Conflict:
        if self.offering is not None and self.offerings:
            raise ValueError("offerings: give offering (one) or offerings (several), not both")
        if len(set(self.offerings)) != len(self.offerings):
            raise ValueError(f"offerings: values must be unique, got {self.offerings}")
        if len(set(self.touches)) != len(self.touches):
            raise ValueError(f"touches: values must be unique, got {self.touches}")
        return self

    @property
    def concerned(self) -> list[str]:
        """The offerings concerned (empty: every offering of the card)."""
        return [self.offering] if self.offering is not None else list(self.offerings)


class FeatureSupport(Strict):
    """An input or control an offering accepts, and whether its price requires it."""

    name: Feature
    """``end-frame``, ``reference-images``, ``multi-shot``, ``voice-control``,
    ``video-input`` or ``elements``."""
    required: StrictBool = False
    """``true``: the offering's price applies only to requests that use this feature, so
    a need without it is not served here (fal's voice-control price column). ``false``
    (the default): the feature is optional and does not change the price."""
    source: Source


class ForcedSound(Strict):
    """A sound setting the provider imposes, applied with a warning."""

    value: Sound
    reason: str
    source: Source


class Offering(Strict):
    """One priced thing a provider sells, by its native model id."""

    id: Identifier
    """The provider's own model or type id (``kling-v3-image-to-video``)."""
    family: Identifier
    """Canonical model family: ``kling-3.0``, ``kling-o3``, ``kling-o1``."""
    mode: Mode
    title: str | None = None
    qualities: list[Quality] = Field(min_length=1)
    """Qualities this offering renders."""
    qualities_source: Source | None = None
    """Where ``qualities`` come from. ``documented``: a need for another quality is not
    served (``QUALITY_NOT_OFFERED``). ``inferred`` or absent: the card prices only these,
    and says so (``UNPRICED``) rather than that the seller lacks the others."""
    sounds: list[Sound] = Field(min_length=1)
    """Sound settings this offering accepts and prices."""
    sounds_source: Source | None = None
    """Where ``sounds`` come from, read as ``qualities_source`` is
    (``SOUND_NOT_OFFERED`` or ``UNPRICED``)."""
    defaults: Defaults | None = None
    """Overrides of the card's defaults for this offering."""
    forced_sound: ForcedSound | None = None
    """A sound setting the provider imposes whatever the request says."""
    features: list[FeatureSupport] = Field(default_factory=list)
    """Inputs and controls the offering accepts beyond its mode's own (end frame,
    reference images, ...). A need that asks for a feature is served only by offerings
    that list it; a ``required`` feature must be in the need. Empty: none documented."""
    accepts: Accepts
    billing: Billing
    prices: list[PriceVersion] = Field(min_length=1)
    constraints: Constraints | None = None
    """What the provider accepts in a request for this offering, merged over the card's
    ``constraints`` (see :class:`~ratecard.cards.constraints.Constraints`)."""
    notes: str | None = None

    @field_validator("qualities", "sounds")
    @classmethod
    def _unique(cls, values: list[str]) -> list[str]:
        if len(set(values)) != len(values):
            raise ValueError(f"values must be unique, got {values}")
        return values

    @model_validator(mode="after")
    def _consistent(self) -> Offering:
        needed = {"duration": self.accepts.duration, "input_seconds": self.accepts.input_seconds}
        if self.billing.basis in needed and needed[self.billing.basis] is None:
            raise ValueError(
                f"accepts: billing.basis is {self.billing.basis!r}, so accepts."
                f"{self.billing.basis} must say which values the provider accepts"
            )
        accepted = needed.get(self.billing.basis)
        if accepted is not None:
            self._check_clamps(accepted)
        if self.forced_sound is not None and self.forced_sound.value not in self.sounds:
            raise ValueError(
                f"forced_sound.value: {self.forced_sound.value!r} is not in sounds {self.sounds}"
            )
        for index, version in enumerate(self.prices):
            for name in ("per_second", "multipliers", "fixed"):
                matrix = getattr(version, name)
                if isinstance(matrix, dict):
                    _check_matrix(matrix, self.qualities, self.sounds, f"prices.{index}.{name}")
            if version.fixed is not None and self.billing.basis != "fixed":
                raise ValueError(f"prices.{index}.fixed: a fixed price needs billing.basis: fixed")
            if version.per_second is not None and self.billing.basis == "fixed":
                raise ValueError(
                    f"prices.{index}.per_second: billing.basis fixed needs a fixed price"
                )
        _check_no_overlap(self.prices, "prices")
        names = [feature.name for feature in self.features]
        for index, name in enumerate(names):
            if name in names[:index]:
                raise ValueError(f"features.{index}.name: feature {name!r} is listed twice")
        return self


    def _check_clamps(self, accepted: SecondsRange) -> None:
        """A billing clamp beyond every accepted length bills every clip alike: a typo, or
        a fixed price written as a clamp."""
        basis, low, high = self.billing.basis, self.billing.min_seconds, \
            self.billing.max_seconds
        if low is not None and accepted.max is not None and low > accepted.max:
            raise ValueError(
                f"billing.min_seconds: {low} is above the longest accepted {basis} "
                f"({accepted.max} s), so every clip would be billed {low} s; a price that "
                "does not depend on the length is billing.basis: fixed")
        if high is not None and accepted.min is not None and high < accepted.min:
            raise ValueError(
                f"billing.max_seconds: {high} is below the shortest accepted {basis} "
                f"({accepted.min} s), so every clip would be billed {high} s; a price that "
                "does not depend on the length is billing.basis: fixed")


def _check_matrix(
    matrix: dict[str, dict[Sound, Decimal]], qualities: list[str], sounds: list[Sound], where: str
) -> None:
    if set(matrix) != set(qualities):
        raise ValueError(
            f"{where}: must have exactly the qualities {sorted(qualities)}, has {sorted(matrix)}"
        )
    for quality, row in matrix.items():
        if set(row) != set(sounds):
            raise ValueError(
                f"{where}.{quality}: must have exactly the sounds {sorted(sounds)}, "
                f"has {sorted(row)}"
            )


def _check_no_overlap(versions: list[Any], where: str) -> None:
    """Reject versions whose half-open ranges overlap."""
    # as day numbers: an open end lies past date.max, so [X, open) still overlaps a
    # version that starts on 9999-12-31
    far_past, far_future = date.min.toordinal(), date.max.toordinal() + 1
    spans = sorted(
        ((far_past if v.effective_from is None else v.effective_from.toordinal(),
          far_future if v.effective_to is None else v.effective_to.toordinal(), i)
         for i, v in enumerate(versions)),
    )
    for (_, end, first), (start, _, second) in pairwise(spans):
        if start < end:
            raise ValueError(
                f"{where}.{second}: its range {versions[second].label()} overlaps "
                f"{where}.{first} ({versions[first].label()}); ranges are half-open "
                "[effective_from, effective_to)"
            )


class RateCard(Strict):
    """One provider's rate card: one YAML file in ``pricing_tables/``."""

    provider: Identifier
    """Short id used in requests and on the command line (``evolink``)."""
    name: str = Field(pattern=r"\S")
    """Display name (not blank)."""
    homepage: str | None = None
    currency: Literal["credits", "USD"]
    """Unit of the card's prices. ``credits`` cards convert to USD with ``credit_values``."""
    reference: StrictBool = False
    """``true``: a reference price list (the official Kling API), not a seller to send jobs
    to. Its offerings are compared but never routed to, unless the caller asks
    (``include_reference=True``, ``--include-reference``)."""
    credit_values: list[CreditValue] = Field(default_factory=list)
    """USD value of a credit over time. Empty: unknown, and USD amounts are left absent."""
    credit_value_unknown_reason: str | None = None
    """Why no credit value is given (required when ``credit_values`` is empty)."""
    defaults: Defaults
    rounding: CardRounding
    offerings: list[Offering] = Field(min_length=1)
    conflicts: list[Conflict] = Field(default_factory=list)
    """Places where sources disagree, kept on record."""
    constraints: Constraints | None = None
    """What the provider accepts in a request, for every offering (an offering's own
    ``constraints`` merge over these)."""

    @model_validator(mode="after")
    def _consistent(self) -> RateCard:
        if self.currency == "USD" and self.credit_values:
            raise ValueError("credit_values: a USD card takes no credit_values")
        if (
            self.currency == "credits"
            and not self.credit_values
            and not self.credit_value_unknown_reason
        ):
            raise ValueError(
                "credit_values: empty; say why in credit_value_unknown_reason "
                "(USD amounts will be absent, never zero)"
            )
        if self.credit_value_unknown_reason and (self.credit_values or self.currency == "USD"):
            raise ValueError("credit_value_unknown_reason: only for a credits card with no "
                             "credit_values; remove it")
        _check_no_overlap(self.credit_values, "credit_values")
        self._check_usd_ratio()
        seen: set[str] = set()
        for position, offering in enumerate(self.offerings):
            if offering.id in seen:
                raise ValueError(
                    f"offerings.{position}.id: offering id {offering.id!r} appears twice")
            seen.add(offering.id)
            self._check_defaults(position, offering)
        subjects: dict[str, int] = {}
        for index, conflict in enumerate(self.conflicts):
            key = "offering" if conflict.offering is not None else "offerings"
            for name in conflict.concerned:
                if name not in seen:
                    raise ValueError(
                        f"conflicts.{index}.{key}: {name!r} is not an offering "
                        f"of this card (offerings: {', '.join(sorted(seen))})"
                    )
            slug = conflict_slug(conflict.subject)
            if slug in subjects:
                first = subjects[slug]
                same = self.conflicts[first].subject == conflict.subject
                raise ValueError(
                    f"conflicts.{index}.subject: conflicts.{first} has "
                    + ("the same subject" if same else
                       f"the subject {self.conflicts[first].subject!r}, which gives the same "
                       f"id {slug!r}")
                    + f" ({conflict.subject!r}); give each its own")
            subjects[slug] = index
        return self

    @model_validator(mode="after")
    def _sound_forced_is_priced(self) -> RateCard:
        card_rule = self.constraints.forced_sound_with if self.constraints else None
        for index, offering in enumerate(self.offerings):
            own = offering.constraints.forced_sound_with if offering.constraints else None
            rule = own or card_rule
            if rule is not None and rule.value not in offering.sounds:
                where = f"offerings.{index}.constraints" if own else "constraints"
                raise ValueError(f"{where}.forced_sound_with.value: sound {rule.value!r} is "
                                 f"not priced by {offering.id} (sounds {offering.sounds})")
        return self

    def _check_usd_ratio(self) -> None:
        """Each credit value converts amounts to USD with integers the SQL engines hold."""
        for index, credit in enumerate(self.credit_values):
            problem = usd_ratio_problem(self.rounding.amount.precision,
                                        credit.credits_per_usd, self.rounding.usd.precision)
            if problem is not None:
                raise ValueError(f"credit_values.{index}.credits_per_usd: {problem}")

    def _check_defaults(self, index: int, offering: Offering) -> None:
        quality, sound = resolve_defaults(self, offering)
        if quality is None or quality not in offering.qualities:
            raise ValueError(
                f"offerings.{index}.qualities: default quality {quality!r} is not one of the "
                f"offering's qualities {offering.qualities}; set the offering's defaults.quality"
            )
        if sound is None or sound not in offering.sounds:
            raise ValueError(
                f"offerings.{index}.sounds: default sound {sound!r} is not one of "
                f"the offering's sounds {offering.sounds}; set the offering's defaults.sound"
            )
        duration = (offering.defaults.duration if offering.defaults else None) or \
            self.defaults.duration
        if offering.billing.basis == "duration":
            limit = offering.accepts.duration
            if duration is None:
                raise ValueError(f"offerings.{index}: no default duration; set defaults.duration")
            if limit is not None and not limit.compiled().admits(duration):
                raise ValueError(
                    f"offerings.{index}.accepts.duration: the default duration {duration} s "
                    f"is outside what the offering accepts ({limit.describe()})")


def conflict_slug(subject: str) -> str:
    """The subject of a conflict as an id: its words (letters and digits of any script,
    compatibility forms folded, lower case) joined by ``-``; ``conflict`` when it has none.

    >>> conflict_slug("Kling O1 video edit price per second")
    'kling-o1-video-edit-price-per-second'
    >>> conflict_slug("价格 (\\uff2bling 3.0)")  # a fullwidth K
    '价格-kling-3.0'
    """
    words = _WORD.findall(unicodedata.normalize("NFKC", subject).lower())
    return "-".join(words) or "conflict"


_WORD = re.compile(r"[^\W_]+(?:\.[^\W_]+)*")
"""A word of a conflict's subject: letters and digits (``3.0`` is one word)."""


def resolve_defaults(card: RateCard, offering: Offering) -> tuple[str | None, Sound | None]:
    """The default quality and sound of ``offering``: its own, else the card's, else its
    only quality or sound when it has just one.

    >>> from ratecard import load
    >>> card = load().cards["kling3api"]
    >>> resolve_defaults(card, card.offerings[0])
    ('1080p', 'on')
    """
    own = offering.defaults or Defaults()
    quality = own.quality or card.defaults.quality
    if quality is None and len(offering.qualities) == 1:
        quality = offering.qualities[0]
    sound = own.sound or card.defaults.sound
    if sound is None and len(offering.sounds) == 1:
        sound = offering.sounds[0]
    return quality, sound


def json_schema() -> str:
    """The JSON Schema of a rate card file, as committed in ``pricing_tables/.schema.json``.

    >>> '"RateCard"' in json_schema()
    True
    """
    schema = RateCard.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://github.com/ratecard/ratecard/pricing_tables/.schema.json"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # python -m ratecard.cards.schema > pricing_tables/.schema.json
    import sys

    sys.stdout.write(json_schema())
