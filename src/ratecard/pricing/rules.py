"""The compiled form of request constraints: plain, immutable rules for the validator.

A card's ``constraints`` and an offering's are merged once, at compile time
(:mod:`ratecard.cards.compiler`), into one :class:`RequestRules` per offering, kept on its
:class:`~ratecard.pricing.plans.OfferingPlan`. Nothing here imports pydantic.

>>> from ratecard import load
>>> rules = load().plan("evolink", "kling-v3-image-to-video").rules
>>> rules.max_chars["prompt"].max, [r.inputs for r in rules.requires]
(2500, [('first_frame',)])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ratecard.pricing.provenance import Origin


@dataclass(frozen=True, slots=True)
class TextRule:
    """At most ``max`` characters in one text input (``None``: no limit)."""

    input: str
    max: int | None
    source: str
    """The document the rule comes from."""
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class CountRule:
    """At most ``max`` items in ``inputs`` together."""

    inputs: tuple[str, ...]
    max: int
    source: str
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class InputRule:
    """A rule about which inputs are given: required (any of), forbidden (all of) or
    ignored, depending on the list it is in."""

    inputs: tuple[str, ...]
    reason: str | None
    source: str
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class ChoiceRule:
    """The accepted values of a text input."""

    values: tuple[str, ...]
    source: str
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class RangeRule:
    """An inclusive range of numbers (``None``: open)."""

    min: Decimal | None
    max: Decimal | None
    source: str
    origin: Origin | None = None

    def admits(self, value: Decimal) -> bool:
        """True when ``value`` is within the range."""
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    def describe(self) -> str:
        """``0..1`` style text (``at least 3``, ``at most 1``).

        >>> RangeRule(Decimal(0), Decimal(1), "x").describe()
        '0..1'
        """
        if self.min is not None and self.max is not None:
            return f"{self.min:f}..{self.max:f}"
        if self.min is not None:
            return f"at least {self.min:f}"
        return "any value" if self.max is None else f"at most {self.max:f}"


@dataclass(frozen=True, slots=True)
class VideoRule:
    """What an input video must be (format, size, pixels, frame rate)."""

    formats: tuple[str, ...] | None
    max_mb: Decimal | None
    pixels: RangeRule | None
    fps: RangeRule | None
    source: str
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class CallbackRule:
    """What a completion callback address must be."""

    schemes: tuple[str, ...]
    max_chars: int | None
    public_host_only: bool
    source: str
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class MultiShotRule:
    """Multi-shot rules."""

    shot_types: tuple[str, ...]
    shots_required_for: tuple[str, ...]
    min_shots: int
    max_shots: int | None
    shot_prompt_max_chars: int | None
    durations_sum_to_duration: bool
    source: str
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class SoundRule:
    """Sound imposed (``value``: on?) whenever one of ``inputs`` is given."""

    inputs: tuple[str, ...]
    value: bool
    reason: str
    source: str
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class RequestRules:
    """Every request constraint of one offering, card-wide and its own, merged."""

    max_chars: Mapping[str, TextRule] = field(default_factory=dict)
    max_items: tuple[CountRule, ...] = ()
    requires: tuple[InputRule, ...] = ()
    forbids: tuple[InputRule, ...] = ()
    ignores: tuple[InputRule, ...] = ()
    aspect_ratios: ChoiceRule | None = None
    cfg_scale: RangeRule | None = None
    video: VideoRule | None = None
    callback_url: CallbackRule | None = None
    multi_shot: MultiShotRule | None = None
    forced_sound_with: SoundRule | None = None


NO_RULES = RequestRules()
"""An offering without declared constraints."""
