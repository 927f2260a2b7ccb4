"""The authoring models of request constraints: what a provider accepts in a request body.

A rate card declares them under ``constraints:`` once for the whole card and/or per
offering (an offering's merge over the card's, see ``pricing_tables/README.md``). Each rule
names canonical *inputs* (``prompt``, ``first_frame``, ``video``, ...), never a provider's
own field names: the adapters in :mod:`ratecard.payloads.dialects` map a native body onto those
inputs, and :mod:`ratecard.payloads.validate` checks them. Every rule carries a ``source``.

>>> from ratecard.cards.base import Source
>>> src = Source(document="004_c15657de96eea0ce.txt", checked_on="2026-11-21", basis="documented")
>>> TextLimit(inputs=["prompt"], max=2500, source=src).max
2500
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictBool, field_validator, model_validator

from ratecard.cards.base import CardDecimal, NonNegativeDecimal, Sound, Source, Strict
from ratecard.money import plain

InputName = Literal[
    "prompt", "negative_prompt", "first_frame", "end_frame", "reference_images", "elements",
    "video", "multi_shot", "shots", "duration", "aspect_ratio", "sound", "cfg_scale",
    "callback_url", "keep_original_sound", "watermark",
]
"""A canonical input of a request (see :class:`ratecard.payloads.request.Request`)."""

TextInput = Literal["prompt", "negative_prompt"]
"""Inputs whose length in characters can be limited."""

CountedInput = Literal["reference_images", "elements", "video", "shots"]
"""Inputs that hold several items (image URLs, subject elements, videos, shots)."""

PositiveInt = Annotated[int, Field(gt=0)]
NonNegativeInt = Annotated[int, Field(ge=0)]


def _unique(values: list[str]) -> list[str]:
    if len(set(values)) != len(values):
        raise ValueError(f"values must be unique, got {values}")
    return values


Unique = AfterValidator(_unique)


class TextLimit(Strict):
    """At most ``max`` characters (Unicode code points) in each of ``inputs``."""

    inputs: Annotated[list[TextInput], Unique] = Field(min_length=1)
    """The text inputs limited: ``prompt``, ``negative_prompt``."""
    max: PositiveInt | None
    """Largest accepted length; ``null``: no character limit (e.g. to lift a card-wide
    limit for an offering whose limit is in tokens, which ratecard cannot count)."""
    source: Source



class CountLimit(Strict):
    """At most ``max`` items in ``inputs`` taken together (``[reference_images, elements]``:
    images plus elements)."""

    inputs: Annotated[list[CountedInput], Unique] = Field(min_length=1)
    """``reference_images``, ``elements``, ``video`` (video URLs supplied), ``shots``."""
    max: NonNegativeInt
    source: Source



class Requirement(Strict):
    """At least one of ``any_of`` must be given (``[first_frame]``: a first frame is
    required)."""

    any_of: Annotated[list[InputName], Unique] = Field(min_length=1)
    reason: str | None = None
    """Shown in the violation, e.g. which of two disagreeing documents the rule follows."""
    source: Source



class Forbidden(Strict):
    """``all_of`` must not be given together; one input: that input is not accepted."""

    all_of: Annotated[list[InputName], Unique] = Field(min_length=1)
    reason: str | None = None
    """Shown in the violation."""
    source: Source



class Ignored(Strict):
    """``inputs`` are accepted but ignored: dropped before pricing, with a warning."""

    inputs: Annotated[list[InputName], Unique] = Field(min_length=1)
    reason: str | None = None
    """Shown in the warning."""
    source: Source



class Choices(Strict):
    """The accepted values of a text input (``"16:9"``, ``"9:16"``, ``"1:1"``)."""

    values: Annotated[list[str], Unique] = Field(min_length=1)
    """Text values; quote them in YAML (``"16:9"``)."""
    source: Source

    @field_validator("values", mode="before")
    @classmethod
    def _quoted(cls, values: object) -> object:
        if isinstance(values, list) and any(type(v) is int for v in values):
            raise ValueError(f'aspect ratios are text such as "16:9", not numbers (got {values})')
        return values



class NumberRange(Strict):
    """An inclusive range of accepted numbers; ``null`` bounds are open."""

    min: CardDecimal | None = None
    max: CardDecimal | None = None
    source: Source

    @model_validator(mode="after")
    def _ordered(self) -> NumberRange:
        if self.min is not None and self.max is not None and self.max < self.min:
            raise ValueError(f"max: ({self.max}) must not be below min ({self.min})")
        return self


class VideoInput(Strict):
    """What an input video must be. Checked only for what the caller says about the video
    (its URL's extension, and the metadata passed beside the body); its length is checked
    against the offering's ``accepts.input_seconds``."""

    formats: list[str] | None = None
    """Accepted container formats, lower case file extensions: ``[mp4, mov]``."""
    max_mb: NonNegativeDecimal | None = None
    """Largest accepted file, in megabytes."""
    min_px: PositiveInt | None = None
    """Smallest accepted width and height, in pixels."""
    max_px: PositiveInt | None = None
    """Largest accepted width and height, in pixels."""
    min_fps: NonNegativeDecimal | None = None
    max_fps: NonNegativeDecimal | None = None
    source: Source

    @field_validator("formats")
    @classmethod
    def _lower(cls, values: list[str] | None) -> list[str] | None:
        if values is not None and any(v != v.lower().lstrip(".") for v in values):
            raise ValueError(f"write formats as lower case extensions without a dot, "
                             f"got {values}")
        return values if values is None else _unique(values)

    @model_validator(mode="after")
    def _ordered(self) -> VideoInput:
        for low, high in (("min_px", "max_px"), ("min_fps", "max_fps")):
            a, b = getattr(self, low), getattr(self, high)
            if a is not None and b is not None and b < a:
                raise ValueError(f"{high}: ({plain(Decimal(b))}) must not be below {low} "
                                 f"({plain(Decimal(a))})")
        return self


class CallbackUrl(Strict):
    """What a completion callback address must be."""

    schemes: list[str] = Field(default_factory=lambda: ["https"], min_length=1)
    """Accepted URL schemes (``[https]``: HTTPS only)."""
    max_chars: PositiveInt | None = None
    """Longest accepted address."""
    public_host_only: StrictBool = False
    """``true``: no internal or private addresses (loopback, private, link-local and
    reserved IP literals, ``localhost``, ``*.local``, ``*.internal``). Host names are not
    resolved."""
    source: Source


class MultiShot(Strict):
    """Rules of multi-shot generation (several shots in one clip)."""

    shot_types: Annotated[list[str], Unique] = Field(min_length=1)
    """Accepted shot types; one is required when multi-shot is on."""
    shots_required_for: list[str] = Field(default_factory=list)
    """Shot types that take per-shot prompts and durations (the others plan the shots
    themselves and ignore any given)."""
    min_shots: NonNegativeInt = 1
    """Fewest shots for a type in ``shots_required_for``."""
    max_shots: PositiveInt | None = None
    """Most shots for a type in ``shots_required_for``."""
    shot_prompt_max_chars: PositiveInt | None = None
    """Longest prompt of one shot, in characters."""
    durations_sum_to_duration: StrictBool = False
    """``true``: the shots' durations must add up to the clip's duration."""
    source: Source

    @model_validator(mode="after")
    def _consistent(self) -> MultiShot:
        unknown = [t for t in self.shots_required_for if t not in self.shot_types]
        if unknown:
            raise ValueError(f"shots_required_for: {unknown} are not in shot_types "
                             f"{self.shot_types}")
        if self.max_shots is not None and self.max_shots < self.min_shots:
            raise ValueError(f"max_shots: ({self.max_shots}) must not be below min_shots "
                             f"({self.min_shots})")
        return self


class SoundWithInputs(Strict):
    """A sound setting imposed whenever one of ``inputs`` is given (applied with a
    warning, as it changes the price)."""

    inputs: list[InputName] = Field(min_length=1)
    value: Sound
    reason: str
    """Shown in the warning."""
    source: Source


class Constraints(Strict):
    """What a provider accepts in a request body, by canonical input.

    Declared on the card (every offering) and on an offering. An offering's list entries
    replace the card's for the same input(s) (``max_chars`` by input, ``max_items`` by
    input set) or add to them (``requires``, ``forbids``, ``ignores``); its other keys
    replace the card's.
    """

    max_chars: list[TextLimit] = Field(default_factory=list)
    """Character limits of text inputs."""
    max_items: list[CountLimit] = Field(default_factory=list)
    """Limits on how many images, elements, videos or shots."""
    requires: list[Requirement] = Field(default_factory=list)
    """Inputs that must be given (violation codes ``MISSING_IMAGE``, ``MISSING_VIDEO``,
    ``INVALID_PROMPT``, ``MISSING_INPUT``)."""
    forbids: list[Forbidden] = Field(default_factory=list)
    """Inputs, or combinations of inputs, that are not accepted."""
    ignores: list[Ignored] = Field(default_factory=list)
    """Inputs accepted but ignored (dropped before pricing, with a warning)."""
    aspect_ratios: Choices | None = None
    """Accepted aspect ratios."""
    cfg_scale: NumberRange | None = None
    """Accepted prompt adherence (``cfg_scale``)."""
    video_input: VideoInput | None = None
    """What an input video must be."""
    callback_url: CallbackUrl | None = None
    """What a completion callback address must be."""
    multi_shot: MultiShot | None = None
    """Multi-shot rules; without them a multi-shot request is not checked (a warning)."""
    forced_sound_with: SoundWithInputs | None = None
    """Sound imposed when some input is given (EvoLink O3: off with a video input)."""

    @model_validator(mode="after")
    def _no_duplicates(self) -> Constraints:
        seen: set[str] = set()
        for index, limit in enumerate(self.max_chars):
            for name in limit.inputs:
                if name in seen:
                    raise ValueError(f"max_chars.{index}.inputs: {name!r} is limited twice")
                seen.add(name)
        sets: set[frozenset[str]] = set()
        for index, count in enumerate(self.max_items):
            key = frozenset(count.inputs)
            if key in sets:
                raise ValueError(f"max_items.{index}.inputs: {sorted(key)} is limited twice")
            sets.add(key)
        return self
