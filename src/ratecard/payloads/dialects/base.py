"""What a provider dialect is: how one provider writes request bodies and task records.

Each dialect module (:mod:`~ratecard.payloads.dialects.evolink`,
:mod:`~ratecard.payloads.dialects.kling3api`) owns its field tables and status words and
ends with one ``DIALECT = Dialect(...)``; :mod:`ratecard.payloads.dialects` lists them.

A dialect reads a native body into the canonical request (``parse``) and writes a
canonical request back as a native body (``render``). Rendering places each canonical
input where the dialect's documents say it goes (a :class:`Place`, with the document and
its words); an input with no place for the target model is returned in
:attr:`Rendered.unplaced`, never dropped silently, and a field written for a model whose
API reference does not document it is returned in :attr:`Rendered.inferred`.

>>> place = Place("first_frame", "image", "003_d85ea8d62f3ed7f3.txt",
...               "image: optional string 图生视频任务的图片 URL",
...               modes=frozenset({"image-to-video"}))
>>> place.takes("pro-image-to-video", "image-to-video", "kling-3.0"), place.takes(
...     "pro-text-to-video", "text-to-video", "kling-3.0")
(True, False)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ratecard.payloads.dialects.reader import Parsed
from ratecard.payloads.request import Request, VideoInfo
from ratecard.payloads.tasks import TaskRecord
from ratecard.pricing.plans import OfferingPlan

BodyParser = Callable[[object, str, VideoInfo | None], Parsed]
"""Reads a native body (``body, provider, video``) into a canonical request."""
TaskReader = Callable[[object, str], tuple[TaskRecord, Mapping[str, Any] | None]]
"""Reads a native task record into a TaskRecord and the request body it carries, if any."""
TaskShape = Callable[[Mapping[str, Any]], bool]
"""Whether a JSON object looks like one of the provider's task records."""


@dataclass(frozen=True, slots=True)
class Place:
    """Where one canonical input goes in a dialect's body, and the words that say so.

    Which bodies have the place is said the way the document says it: by model id, by
    mode (kling3api: "仅限图生视频", image to video only) or by family ("仅限 Kling 3.0");
    ``None`` means no restriction of that kind.
    """

    input: str
    """The canonical input (a :class:`~ratecard.payloads.request.Request` field name)."""
    path: str
    """Where it is written (``image_start``, ``model_params.element_list``)."""
    document: str
    """The source document (seed file name or page address)."""
    quote: str
    """The document's own words."""
    models: frozenset[str] | None = None
    """The models whose body takes it."""
    modes: frozenset[str] | None = None
    """The modes whose body takes it."""
    families: frozenset[str] | None = None
    """The families whose body takes it."""
    documented_for: frozenset[str] | None = None
    """The models whose API reference documents it; ``None``: every model that takes it.
    Written for another model, the field is an inference (see :attr:`Rendered.inferred`)."""
    checked_on: str | None = None
    """The day the document was read, for a page that can change (``None``: a seed)."""

    def takes(self, model: str, mode: str, family: str) -> bool:
        """Whether the body of ``model`` (of ``mode`` and ``family``) has this place."""
        return ((self.models is None or model in self.models)
                and (self.modes is None or mode in self.modes)
                and (self.families is None or family in self.families))

    def documents(self, model: str) -> bool:
        """Whether a document says ``model``'s body takes this field."""
        return self.documented_for is None or model in self.documented_for


@dataclass(frozen=True, slots=True)
class Rendered:
    """A native body written from a canonical request, and what could not be written."""

    body: dict[str, Any]
    """The body, ready to send (numbers as ``int`` or ``Decimal``)."""
    unplaced: tuple[str, ...]
    """Canonical inputs the request gives that the body format has no place for (for this
    model). The translator refuses or warns about each; rendering never drops silently."""
    inferred: tuple[str, ...]
    """One note per field (or model id) written where no API reference in the sources
    documents it for this model: the body rests on an inference there."""


BodyRenderer = Callable[[Request, OfferingPlan], Rendered]
"""Writes a canonical request as a native body for the offering ``plan`` (the target
model). The request's defaults should already be explicit (see
:func:`ratecard.payloads.translate.resolve`)."""


@dataclass(frozen=True)
class Dialect:
    """How one provider writes request bodies and task records."""

    name: str
    """Display name, used in messages."""
    model_path: str
    """The body field naming the offering (``model``, ``type``)."""
    unknown_model_code: str
    """Violation code when that field names no offering of the card."""
    parse: BodyParser
    read_task: TaskReader
    statuses: Mapping[str, str]
    """The provider's task status words (lower case) -> the normalised job status."""
    is_task: TaskShape
    """Recognises the provider's task records among invoice lines."""
    render: BodyRenderer | None = None
    """Writes a canonical request as a native body (``None``: ratecard only reads them)."""
    places: tuple[Place, ...] = ()
    """Where each canonical input goes in a body, with its source (what ``render`` uses)."""
    writes: frozenset[str] | None = None
    """The offerings whose bodies the dialect reads and writes (``None``: every one of the
    provider's); the others are priced but ``NO_DIALECT``."""
    sound_defaults: Mapping[str, bool] = field(default_factory=dict)
    """Offering -> the sound the provider documents for a body that leaves it out, where
    that is not the card's assumed default (fal's v3 ``generate_audio``: true)."""

    def own_sound(self, plan: OfferingPlan) -> bool:
        """The sound a body for ``plan`` gets without saying: the imposed one, else the
        dialect's documented default, else the card's.

        >>> import ratecard
        >>> from ratecard.payloads.dialects import dialect_for
        >>> plan = ratecard.load().plan("fal", "v3-standard-text-to-video")
        >>> plan.default_sound, dialect_for("fal").own_sound(plan)
        (False, True)
        """
        if plan.forced_sound is not None:
            return plan.forced_sound
        return self.sound_defaults.get(plan.model, plan.default_sound)

    def writes_model(self, model: str) -> bool:
        """Whether ratecard can write this dialect's body for offering ``model``.

        >>> from ratecard.payloads.dialects import dialect_for
        >>> fal = dialect_for("fal")
        >>> fal.writes_model("v3-pro-image-to-video"), fal.writes_model("o1-image-to-video")
        (True, False)
        """
        return self.render is not None and (self.writes is None or model in self.writes)
