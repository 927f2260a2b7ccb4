"""The canonical request: one provider-neutral description of a video job.

Adapters (:mod:`ratecard.payloads.dialects`) turn a provider's native body into a :class:`Request`;
the validator (:mod:`ratecard.payloads.validate`) checks it against the offering's declared
constraints; the engine prices it. ``None`` means "not given" (the provider's default
applies), never zero or off.

>>> r = Request("evolink", "kling-v3-image-to-video", duration=Decimal(5),
...             first_frame="https://example.com/a.jpg")
>>> r.has("first_frame"), r.has("end_frame")
(True, False)
>>> VideoInfo(seconds=7.4).seconds
Decimal('7.4')
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal

from ratecard.errors import QuoteError, brief
from ratecard.numbers import AMOUNT, SECONDS, Bounds, NumberError, read_number


@dataclass(frozen=True, slots=True)
class Shot:
    """One shot of a multi-shot request."""

    prompt: str | None
    duration: Decimal | None
    """Seconds of the shot; ``None`` when the body gives none (a violation)."""
    index: int | None = None
    """The body's own shot number, if it gives one."""


Number = Decimal | int | float | str
"""A number as a caller may give it (floats are read through their shortest ``repr``)."""


@dataclass(frozen=True, slots=True, init=False)
class VideoInfo:
    """An input video: its URL (from the body) and what the caller knows about it.

    Request bodies carry only a URL; pass the rest beside the body (``video=`` of
    :meth:`ratecard.Catalog.quote_payload`, ``--input-seconds`` on the command line) to
    have it checked, and ``seconds`` to price an edit billed by the input's length.
    Numbers are converted to :class:`~decimal.Decimal` (floats through their shortest
    ``repr``); a value that is not a number raises :class:`~ratecard.QuoteError`.

    >>> VideoInfo(seconds="7.4", width=1920, height=1080, fps=30).fps
    Decimal('30')
    """

    url: str | None
    seconds: Decimal | None
    """Length of the input video."""
    format: str | None
    """Container format as a file extension (``mp4``); else taken from the URL's path."""
    size_mb: Decimal | None
    """File size in megabytes."""
    width: int | None
    height: int | None
    fps: Decimal | None

    def __init__(self, url: str | None = None, seconds: Number | None = None,
                 format: str | None = None, size_mb: Number | None = None,
                 width: int | None = None, height: int | None = None,
                 fps: Number | None = None) -> None:
        put = object.__setattr__
        for name, text in (("url", url), ("format", format)):
            if text is not None and type(text) is not str:
                raise QuoteError("INVALID_VIDEO", f"video.{name} must be text, not "
                                 f"{type(text).__name__} {brief(text)}", f"video.{name}")
        put(self, "url", url)
        put(self, "seconds", _number(seconds, "video.seconds"))
        put(self, "format", None if format is None else format.lower().lstrip("."))
        put(self, "size_mb", _number(size_mb, "video.size_mb", AMOUNT))
        for name, value in (("width", width), ("height", height)):
            if value is not None and (type(value) is not int or not 0 < value < 10**9):
                raise QuoteError("INVALID_VIDEO", f"video.{name} must be a whole number of "
                                 f"pixels, not {brief(value)}", f"video.{name}")
            put(self, name, value)
        put(self, "fps", _number(fps, "video.fps", AMOUNT))

    @property
    def file_format(self) -> str | None:
        """The format given, else the extension of the URL's path (``None`` if neither).

        >>> VideoInfo(url="https://x.test/clip.MOV?sig=1").file_format
        'mov'
        """
        if self.format is not None:
            return self.format
        if not self.url:
            return None
        path = self.url.split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1]
        return path.rsplit(".", 1)[1].lower() if "." in path else None


def _number(value: Number | None, what: str, bounds: Bounds = SECONDS) -> Decimal | None:
    if value is None:
        return None
    try:
        number = read_number(value, bounds, what)
    except NumberError as exc:
        raise QuoteError("INVALID_VIDEO", str(exc), what) from None
    if number < 0:
        raise QuoteError("INVALID_VIDEO", f"{what} must not be negative, got {brief(value)}",
                         what)
    return number


@dataclass(frozen=True, slots=True)
class Request:
    """A provider-neutral request, as an adapter read it from a native body.

    ``provider`` and ``model`` name the offering (the provider's own model or type id).
    Every other field is ``None`` (or empty) when the body leaves it out.
    """

    provider: str
    model: str
    duration: Decimal | None = None
    """Requested output seconds."""
    input_seconds: Decimal | None = None
    """Length of the input video (from the caller's video metadata), for edits."""
    quality: str | None = None
    sound: bool | None = None
    prompt: str | None = None
    negative_prompt: str | None = None
    first_frame: str | None = None
    """First-frame image URL."""
    end_frame: str | None = None
    """End-frame image URL."""
    reference_images: tuple[str, ...] = ()
    elements: tuple[str, ...] = ()
    """Subject element ids."""
    multi_shot: bool = False
    shot_type: str | None = None
    shots: tuple[Shot, ...] = ()
    video: VideoInfo | None = None
    """The input video used (by the provider's priority when the body gives several)."""
    video_count: int = 0
    """How many video URLs the body gives (only ``video`` is used)."""
    callback_url: str | None = None
    aspect_ratio: str | None = None
    cfg_scale: Decimal | None = None
    keep_original_sound: bool | None = None
    watermark: bool | None = None
    unknown_fields: tuple[str, ...] = ()
    """Paths of body fields the adapter does not know (passed on, unpriced)."""
    opaque_fields: tuple[str, ...] = ()
    """Paths of fields the provider documents for the offering but ratecard has no
    canonical form for (fal's ``multi_prompt``): they change what is generated, so the
    body is sent only as given, to its own offering; no other body can carry them."""
    first_frame_count: int = 0
    """How many first-frame images the body gives (only ``first_frame`` is used)."""

    def has(self, name: str) -> bool:
        """Whether canonical input ``name`` is given (an empty or blank text is not).

        >>> Request("p", "m", prompt="  ").has("prompt"), Request("p", "m").has("sound")
        (False, False)
        """
        value = getattr(self, name)
        if value is None:
            return False
        kind = type(value)
        if kind is str:
            return bool(value.strip())
        if kind is tuple:
            return bool(value)
        if kind is bool and name == "multi_shot":
            return bool(value)
        return True

    def count(self, name: str) -> int:
        """How many items input ``name`` holds (videos: every URL the body gave)."""
        if name == "video":
            return self.video_count
        value = getattr(self, name)
        return len(value) if isinstance(value, tuple) else int(self.has(name))


_FIELDS = tuple(f.name for f in fields(Request))


def changed(request: Request, **changes: object) -> Request:
    """``request`` with ``changes``: :func:`dataclasses.replace` without its per-call
    introspection (twice as fast; a translation makes a few per body).

    >>> changed(Request("p", "m", prompt="x"), quality="720p").quality
    '720p'
    """
    new = object.__new__(Request)
    put = object.__setattr__
    for name in _FIELDS:
        put(new, name, changes[name] if name in changes else getattr(request, name))
    return new
