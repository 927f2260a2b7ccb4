"""The compiled form of request constraints: plain, immutable rules for the validator.

A card's ``constraints`` and an offering's are merged once, at compile time, into one
:class:`RequestRules` per offering (kept on its :class:`~ratecard.compiled.OfferingPlan`).
Nothing here imports pydantic: compiled catalogs are cached without the authoring models.

>>> from ratecard import load
>>> rules = load().plan("evolink", "kling-v3-image-to-video").rules
>>> rules.max_chars["prompt"].max, [r.inputs for r in rules.requires]
(2500, [('first_frame',)])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ratecard.constraints import Constraints


@dataclass(frozen=True, slots=True)
class TextRule:
    """At most ``max`` characters in one text input (``None``: no limit)."""

    input: str
    max: int | None
    source: str
    """The document the rule comes from."""


@dataclass(frozen=True, slots=True)
class CountRule:
    """At most ``max`` items in ``inputs`` together."""

    inputs: tuple[str, ...]
    max: int
    source: str


@dataclass(frozen=True, slots=True)
class InputRule:
    """A rule about which inputs are given: required (any of), forbidden (all of) or
    ignored, depending on the list it is in."""

    inputs: tuple[str, ...]
    reason: str | None
    source: str


@dataclass(frozen=True, slots=True)
class ChoiceRule:
    """The accepted values of a text input."""

    values: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class RangeRule:
    """An inclusive range of numbers (``None``: open)."""

    min: Decimal | None
    max: Decimal | None
    source: str

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


@dataclass(frozen=True, slots=True)
class CallbackRule:
    """What a completion callback address must be."""

    schemes: tuple[str, ...]
    max_chars: int | None
    public_host_only: bool
    source: str


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


@dataclass(frozen=True, slots=True)
class SoundRule:
    """Sound imposed (``value``: on?) whenever one of ``inputs`` is given."""

    inputs: tuple[str, ...]
    value: bool
    reason: str
    source: str


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


def compile_rules(card: Constraints | None, offering: Constraints | None) -> RequestRules:
    """Merge the card's constraints and an offering's into :class:`RequestRules`.

    List entries of the offering replace the card's for the same input (``max_chars``) or
    input set (``max_items``), or add to them (``requires``, ``forbids``, ``ignores``);
    the offering's other keys replace the card's.
    """
    layers = [c for c in (card, offering) if c is not None]
    if not layers:
        return NO_RULES
    max_chars: dict[str, TextRule] = {}
    max_items: dict[frozenset[str], CountRule] = {}
    requires: list[InputRule] = []
    forbids: list[InputRule] = []
    ignores: list[InputRule] = []
    single: dict[str, object] = {}
    for layer in layers:
        for text in layer.max_chars:
            for field_name in text.inputs:
                max_chars[field_name] = TextRule(field_name, text.max, text.source.document)
        for count in layer.max_items:
            max_items[frozenset(count.inputs)] = CountRule(tuple(count.inputs), count.max,
                                                           count.source.document)
        requires += [InputRule(tuple(r.any_of), r.reason, r.source.document)
                     for r in layer.requires]
        forbids += [InputRule(tuple(r.all_of), r.reason, r.source.document)
                    for r in layer.forbids]
        ignores += [InputRule(tuple(r.inputs), r.reason, r.source.document)
                    for r in layer.ignores]
        for name in ("aspect_ratios", "cfg_scale", "video_input", "callback_url", "multi_shot",
                     "forced_sound_with"):
            value = getattr(layer, name)
            if value is not None:
                single[name] = value
    return RequestRules(
        max_chars=max_chars,
        max_items=tuple(max_items.values()),
        requires=tuple(requires),
        forbids=tuple(forbids),
        ignores=tuple(ignores),
        aspect_ratios=_choices(single.get("aspect_ratios")),
        cfg_scale=_range(single.get("cfg_scale")),
        video=_video(single.get("video_input")),
        callback_url=_callback(single.get("callback_url")),
        multi_shot=_multi_shot(single.get("multi_shot")),
        forced_sound_with=_sound(single.get("forced_sound_with")),
    )


def _choices(value: object) -> ChoiceRule | None:
    from ratecard.constraints import Choices

    if not isinstance(value, Choices):
        return None
    return ChoiceRule(tuple(value.values), value.source.document)


def _range(value: object) -> RangeRule | None:
    from ratecard.constraints import NumberRange

    if not isinstance(value, NumberRange):
        return None
    return RangeRule(value.min, value.max, value.source.document)


def _video(value: object) -> VideoRule | None:
    from ratecard.constraints import VideoInput

    if not isinstance(value, VideoInput):
        return None
    source = value.source.document
    pixels = None if value.min_px is None and value.max_px is None else RangeRule(
        None if value.min_px is None else Decimal(value.min_px),
        None if value.max_px is None else Decimal(value.max_px), source)
    fps = None if value.min_fps is None and value.max_fps is None else RangeRule(
        value.min_fps, value.max_fps, source)
    formats = None if value.formats is None else tuple(value.formats)
    return VideoRule(formats, value.max_mb, pixels, fps, source)


def _callback(value: object) -> CallbackRule | None:
    from ratecard.constraints import CallbackUrl

    if not isinstance(value, CallbackUrl):
        return None
    return CallbackRule(tuple(s.lower() for s in value.schemes), value.max_chars,
                        value.public_host_only, value.source.document)


def _multi_shot(value: object) -> MultiShotRule | None:
    from ratecard.constraints import MultiShot

    if not isinstance(value, MultiShot):
        return None
    return MultiShotRule(tuple(value.shot_types), tuple(value.shots_required_for),
                         value.min_shots, value.max_shots, value.shot_prompt_max_chars,
                         value.durations_sum_to_duration, value.source.document)


def _sound(value: object) -> SoundRule | None:
    from ratecard.constraints import SoundWithInputs

    if not isinstance(value, SoundWithInputs):
        return None
    return SoundRule(tuple(value.inputs), value.value == "on", value.reason,
                     value.source.document)
