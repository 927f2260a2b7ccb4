"""A canonical need: what a job must deliver, whoever sells it.

A :class:`Need` is matched against every offering of every loaded card by
:mod:`ratecard.routing.route`. Matching is exact on everything that changes what is delivered or
billed: family, mode, quality, sound, length and the features the job uses.

>>> need = Need(family="kling-3.0", mode="image-to-video", quality="1080p", sound="on",
...             duration=10, features=["end-frame"])
>>> need.sound, need.duration, sorted(need.features)
(True, Decimal('10'), ['end-frame'])
>>> need.describe()
'kling-3.0 image-to-video, 1080p, sound on, 10 s, with end-frame'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NoReturn

from ratecard.errors import QuoteError, brief
from ratecard.money import plain
from ratecard.numbers import SECONDS, NumberError, read_number
from ratecard.vocabulary import (
    EDIT_MODES,
    FEATURES,
    GENERATION_MODES,
    MODES,
    is_quality,
    on_off,
    parse_sound,
)

__all__ = ["EDIT_MODES", "FEATURES", "GENERATION_MODES", "MODES", "Need", "SecondsArg"]


SecondsArg = Decimal | int | float | str | None
"""Seconds as a caller may give them; floats are read through their shortest repr."""


@dataclass(frozen=True, slots=True, init=False)
class Need:
    """What a job must deliver: the canonical request matched against every offering.

    - ``family`` and ``mode``: ``None`` means any (``compare`` only; ``route`` needs both).
    - ``quality`` (``720p``, ``1080p``, ``4k``) and ``sound`` (``True``/``"on"``,
      ``False``/``"off"``): ``None`` means any, and each offering x quality x sound is then
      a separate candidate.
    - exactly one of ``duration`` (output seconds: the generation modes) and
      ``input_seconds`` (the input video's length: ``video-edit``).
    - ``features``: inputs the job uses (``end-frame``, ``reference-images``,
      ``multi-shot``, ``voice-control``, ``video-input``, ``elements``).

    Values are checked and normalised on construction; a bad one raises
    :class:`~ratecard.errors.QuoteError` with code ``INVALID_NEED``.

    >>> Need(mode="video-edit", duration=5)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ratecard.errors.QuoteError: a video-edit need gives input_seconds (...), not duration
    """

    family: str | None
    mode: str | None
    quality: str | None
    sound: bool | None
    duration: Decimal | None
    input_seconds: Decimal | None
    features: frozenset[str]

    def __init__(self, *, family: str | None = None, mode: str | None = None,
                 quality: str | None = None, sound: bool | str | None = None,
                 duration: SecondsArg = None, input_seconds: SecondsArg = None,
                 features: Iterable[str] = ()) -> None:
        put = object.__setattr__
        put(self, "family", family)
        put(self, "mode", mode)
        put(self, "quality", quality)
        put(self, "sound", sound)
        put(self, "duration", duration)
        put(self, "input_seconds", input_seconds)
        put(self, "features", features)
        if self.family is not None and type(self.family) is not str:
            _bad(f"family must be text such as kling-3.0, not {_shown(self.family)}", "family")
        if self.mode is not None and (type(self.mode) is not str or self.mode not in MODES):
            _bad(f"mode must be one of {', '.join(MODES)}, not {_shown(self.mode)}", "mode")
        if self.quality is not None and not is_quality(self.quality):
            _bad(f"quality must look like 720p, 1080p or 4k, not {_shown(self.quality)}",
                 "quality")
        put(self, "sound", _sound(self.sound))
        for name in ("duration", "input_seconds"):
            value = getattr(self, name)
            if value is not None:
                put(self, name, _seconds(value, name))
        if (self.duration is None) == (self.input_seconds is None):
            _bad("give exactly one of duration (output seconds, generation) and "
                 "input_seconds (the input video's length, video-edit)",
                 "duration" if self.duration is None else "input_seconds")
        if self.mode in EDIT_MODES and self.duration is not None:
            _bad(f"a {self.mode} need gives input_seconds (the input video's length), "
                 "not duration", "duration")
        if self.mode in GENERATION_MODES and self.input_seconds is not None:
            _bad(f"a {self.mode} need gives duration (output seconds), not input_seconds",
                 "input_seconds")
        put(self, "features", _features(self.features))

    @property
    def modes(self) -> frozenset[str]:
        """The modes this need can be served in: its own, or every mode of its kind."""
        if self.mode is not None:
            return frozenset({self.mode})
        return GENERATION_MODES if self.duration is not None else EDIT_MODES

    def describe(self) -> str:
        """One line of human text naming every part of the need."""
        mode = self.mode or ("any generation mode" if self.duration is not None
                             else "video-edit")
        parts = [f"{self.family} {mode}" if self.family else f"any family, {mode}"]
        parts.append(self.quality or "any quality")
        parts.append("any sound" if self.sound is None else f"sound {on_off(self.sound)}")
        if self.duration is not None:
            parts.append(f"{plain(self.duration)} s")
        else:
            assert self.input_seconds is not None
            parts.append(f"input video {plain(self.input_seconds)} s")
        if self.features:
            parts.append("with " + ", ".join(sorted(self.features)))
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form: seconds as decimal strings, ``None`` for "any"."""
        return {
            "family": self.family,
            "mode": self.mode,
            "quality": self.quality,
            "sound": None if self.sound is None else on_off(self.sound),
            "duration": None if self.duration is None else plain(self.duration),
            "input_seconds": None if self.input_seconds is None else plain(self.input_seconds),
            "features": sorted(self.features),
        }


def _bad(message: str, field_name: str) -> NoReturn:
    raise QuoteError("INVALID_NEED", message, field_name)


def _shown(value: object) -> str:
    """A bad value as a message quotes it, with its type when it is not text."""
    return brief(value) if type(value) is str else f"{type(value).__name__} {brief(value)}"


def _sound(value: object) -> bool | None:
    if value is None:
        return None
    on = parse_sound(value)
    if on is not None:
        return on
    _bad(f"sound must be on, off or None (any), not {_shown(value)}", "sound")


def _seconds(value: object, name: str) -> Decimal:
    try:
        seconds = read_number(value, SECONDS, name)
    except NumberError as exc:
        raise QuoteError("INVALID_NEED", str(exc), name) from None
    if seconds <= 0:
        _bad(f"{name} must be more than 0 seconds, not {plain(seconds)}", name)
    return seconds


def _features(value: object) -> frozenset[str]:
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, Iterable) or isinstance(value, bytes | Mapping):
        _bad(f"features must be a list of names, not {_shown(value)}", "features")
    names: set[str] = set()
    for count, name in enumerate(value):
        if count >= MAX_FEATURES:
            _bad(f"features lists more than {MAX_FEATURES} names", "features")
        if type(name) is not str or name not in FEATURES:
            shown = name if type(name) is str and len(name) <= 40 else _shown(name)
            _bad(f"unknown feature {shown}; features are {', '.join(FEATURES)}",
                 "features")
        names.add(name)
    return frozenset(names)


MAX_FEATURES = 64
"""Most names ``features`` may list (each known feature once is far fewer)."""
