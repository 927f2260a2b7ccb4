"""What is wrong with a request body: violations, each with a stable code and a field path.

Codes (stable; the providers' own vocabulary where they have one):

=========================  ==============================================================
``INVALID_JSON``           the body is not JSON (the message gives line and column), is not
                           UTF-8, is nested too deeply, or uses NaN or Infinity
``DUPLICATE_KEY``          a JSON object of the body gives the same key twice
``INVALID_NUMBER``         a number too large, too small or too long to be read exactly
``INVALID_BODY``           the body is not a JSON object
``MISSING_FIELD``          a required field is absent (``model``, ``type``, a shot's prompt)
``WRONG_TYPE``             a field has the wrong JSON type
``UNKNOWN_MODEL``          EvoLink ``model`` is not an offering of the card
``INVALID_TYPE``           kling3api ``type`` is not an offering of the card
``INVALID_DURATION``       duration (or the input video's length) outside what is accepted
``INVALID_PROMPT``         a prompt missing where required, or too long
``MISSING_IMAGE``          a required image (first frame, reference images) is absent
``MISSING_VIDEO``          a required input video is absent
``MISSING_INPUT``          some other required input is absent
``UNSUPPORTED_INPUT``      an input this offering does not accept
``UNDOCUMENTED_INPUT``     an input using a feature the card does not list for the offering
``CONFLICTING_INPUTS``     inputs that must not be given together
``TOO_MANY_INPUTS``        too many images, elements or videos
``INVALID_QUALITY``        a quality the offering does not render
``INVALID_SOUND``          a sound value not accepted or not priced
``INVALID_ASPECT_RATIO``   an aspect ratio not accepted
``INVALID_CFG_SCALE``      ``cfg_scale`` outside its range
``INVALID_VIDEO``          input video format, size, pixels or frame rate not accepted
``INVALID_CALLBACK_URL``   callback address not HTTPS, too long, or internal
``MISSING_SHOT_TYPE``      multi-shot without a shot type
``INVALID_SHOT_TYPE``      a shot type not accepted
``MISSING_SHOTS``          too few shots for a shot type that needs them
``TOO_MANY_SHOTS``         more shots than accepted
``SHOT_DURATION_MISMATCH`` shot durations that do not add up to the duration
``MISSING_VIDEO_LENGTH``   an edit priced by its input's length, without that length
``CANNOT_EXPRESS``         a translation's target has no place for an input, or no offering
                           of the request's family, mode, quality or sound
``MORE_VIOLATIONS``        more violations than are listed (the last entry counts them)
=========================  ==============================================================

A body yields at most :data:`MAX_LISTED` violations and as many warnings, whatever its
size: past that, the last entry counts the rest.

>>> v = Violation("INVALID_PROMPT", "model_params.multi_prompt[2].prompt", "too long")
>>> str(v)
'model_params.multi_prompt[2].prompt: INVALID_PROMPT: too long'
>>> error = PayloadError([v])
>>> error.code, error.field, len(error.violations)
('INVALID_PROMPT', 'model_params.multi_prompt[2].prompt', 1)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, SupportsIndex, TypeVar

from ratecard.errors import QuoteError


@dataclass(frozen=True, slots=True)
class Violation:
    """One reason a provider would not accept a body (or ratecard cannot price it)."""

    code: str
    """Stable code, see :mod:`ratecard.payloads.violations`."""
    path: str
    """Where in the body: ``duration``, ``model_params.multi_prompt[2].prompt``;
    ``video.seconds`` style paths name the video metadata given beside the body."""
    message: str
    """What is wrong and what would be right."""
    source: str | None = None
    """The document the broken rule comes from, when it is a declared constraint."""

    def __str__(self) -> str:
        return f"{self.path}: {self.code}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {"code": self.code, "path": self.path, "message": self.message,
                "source": self.source}


MAX_LISTED = 100
"""Most violations (and, separately, warnings) reported for one body or task record."""

_T = TypeVar("_T")


class Capped(list[_T]):
    """A list that holds at most ``limit`` items: past that, its last item is replaced by
    ``more(n)``, which says that ``n`` more were found (memory stays bounded whatever the
    body's size).

    >>> found = Capped(2, lambda n: f"and {n} more")
    >>> for item in "abcde":
    ...     found.append(item)
    >>> found
    ['a', 'and 4 more']
    """

    __slots__ = ("_dropped", "_limit", "_more")

    def __init__(self, limit: int, more: Callable[[int], _T]) -> None:
        super().__init__()
        self._limit = limit
        self._more = more
        self._dropped = 0

    def append(self, item: _T) -> None:
        if len(self) < self._limit:
            super().append(item)
        else:
            self._dropped += 1
            self[-1] = self._more(self._dropped + 1)

    def extend(self, items: Iterable[_T]) -> None:
        for item in items:
            self.append(item)

    def __iadd__(self, items: Iterable[_T]) -> Capped[_T]:  # type: ignore[override,misc]
        self.extend(items)
        return self

    def insert(self, index: SupportsIndex, item: _T) -> None:
        raise TypeError("a Capped list is only appended to")


def violation_list() -> Capped[Violation]:
    """An empty list for a body's violations, capped at :data:`MAX_LISTED`."""
    return Capped(MAX_LISTED, lambda n: Violation(
        "MORE_VIOLATIONS", "(body)", f"{n} more violations are not listed; fix those above "
        "and check again"))


def warning_list() -> Capped[str]:
    """An empty list for a body's warnings, capped at :data:`MAX_LISTED`."""
    return Capped(MAX_LISTED, lambda n: f"{n} more warnings are not listed")


class PayloadError(QuoteError):
    """A request body that cannot be quoted; :attr:`violations` lists every problem.

    ``code`` and ``field`` are those of the only violation, or ``INVALID_PAYLOAD`` and the
    first path when there are several.
    """

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations = list(violations)
        first = self.violations[0]
        count = len(self.violations)
        head = "; ".join(str(v) for v in self.violations[:3])
        more = f" (and {count - 3} more)" if count > 3 else ""
        code = first.code if count == 1 else "INVALID_PAYLOAD"
        super().__init__(code, f"{head}{more}", first.path)
