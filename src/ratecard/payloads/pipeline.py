"""Quote and check the exact body you are about to send, and read task records.

The pipeline is: native body --adapter--> canonical request --validate (the card's
constraints)--> request as priced --:meth:`Catalog.quote <ratecard.Catalog.quote>`--> Quote,
with the adapter's and the validator's warnings added to the quote's. Use it through the
Catalog: :meth:`~ratecard.Catalog.quote_payload`, :meth:`~ratecard.Catalog.check_payload`,
:meth:`~ratecard.Catalog.inspect_payload` and :meth:`~ratecard.Catalog.read_task`.

>>> import ratecard
>>> card = ratecard.load()
>>> body = {"model": "kling-v3-image-to-video", "prompt": "A gentle breeze",
...         "image_start": "https://example.com/portrait.jpg", "duration": 5, "quality": "720p"}
>>> card.quote_payload("evolink", body).credits
Decimal('27.0000')
>>> card.check_payload("kling3api", {"type": "pro-image-to-video", "prompt": "x", "duration": 20})
... # doctest: +NORMALIZE_WHITESPACE
[Violation(code='INVALID_DURATION', path='duration', message='duration 20 s is not accepted by
 kling3api/pro-image-to-video: it accepts 3..15 s, whole seconds', source=None),
 Violation(code='MISSING_IMAGE', path='image', message='image is required by
 kling3api/pro-image-to-video', source='003_d85ea8d62f3ed7f3.txt')]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ratecard.errors import QuoteError, UnknownOfferingError, brief
from ratecard.money import plain
from ratecard.payloads.dialects import DIALECTS, Dialect, dialect_for
from ratecard.payloads.dialects.reader import load_json, nesting_violation, unwritable_number
from ratecard.payloads.request import Request, VideoInfo
from ratecard.payloads.tasks import TaskRecord
from ratecard.payloads.validate import check_request
from ratecard.payloads.violations import PayloadError, Violation
from ratecard.pricing.engine import DateArg
from ratecard.pricing.index import PriceIndex
from ratecard.pricing.plans import OfferingPlan
from ratecard.pricing.quote import Quote

Body = Mapping[str, Any] | str | bytes
"""A request body: parsed JSON (numbers ideally as Decimal), or JSON text."""


@dataclass(frozen=True, slots=True)
class Inspection:
    """Everything ratecard learns from one body before pricing it."""

    request: Request | None
    """The canonical request as the body states it (``None``: the body names no model)."""
    priced: Request | None
    """The request as it will be priced: ignored inputs dropped, imposed sound applied."""
    plan: OfferingPlan | None
    """The offering, when the body names one of the card's."""
    violations: tuple[Violation, ...]
    warnings: tuple[str, ...]
    paths: Mapping[str, str] = field(default_factory=dict)
    """Canonical input -> its path in the body (empty when the body was not read)."""

    @property
    def valid(self) -> bool:
        """True when the provider accepts the body (as far as the card says)."""
        return not self.violations


def dialect(index: PriceIndex, provider: str) -> Dialect:
    """The dialect of ``provider``, or an error naming the providers that have one."""
    index.check_provider(provider)
    found = dialect_for(provider)
    if found is None:
        raise QuoteError("NO_ADAPTER", f"ratecard reads no request bodies of {brief(provider)}; "
                         f"it reads those of {', '.join(DIALECTS)}", "provider")
    return found


def inspect(index: PriceIndex, provider: str, body: Body, *,
            video: VideoInfo | None = None, written: bool = False) -> Inspection:
    """Read and check ``body``; never raises for a bad body (only for an unknown provider,
    or a ``video`` that is not a :class:`~ratecard.payloads.request.VideoInfo`).
    ``written``: a body ratecard wrote itself from a request it read (a translation), whose
    nesting and numbers need no second look."""
    speaker = dialect(index, provider)
    _check_video(video)
    problem: Violation | None = None
    text = isinstance(body, str | bytes)
    if isinstance(body, str | bytes):
        body, problem = load_json(body)
    elif not written:  # a Python object: JSON text was checked by load_json
        problem = nesting_violation(body)
    if problem is not None:
        return Inspection(None, None, None, (problem,), ())
    parsed = speaker.parse(body, provider, video)
    violations, warnings = parsed.violations, parsed.warnings
    if not (text or written or violations):  # a number passed on unread that JSON cannot carry
        problem = unwritable_number(body)
        if problem is not None:
            violations.append(problem)
    request = parsed.request
    if request is None:
        return Inspection(None, None, None, tuple(violations), tuple(warnings),
                          parsed.paths)
    try:
        plan = index.plan(provider, request.model)
    except UnknownOfferingError as exc:
        violations.append(Violation(speaker.unknown_model_code, speaker.model_path, str(exc)))
        return Inspection(request, None, None, tuple(violations), tuple(warnings),
                          parsed.paths)
    priced = check_request(request, plan, parsed.paths, violations, warnings,
                           speaker.places)
    return Inspection(request, priced, plan, tuple(violations), tuple(warnings),
                      parsed.paths)


def _check_video(video: object) -> None:
    if video is not None and not isinstance(video, VideoInfo):
        raise QuoteError("INVALID_VIDEO", f"video must be a ratecard.VideoInfo, not "
                         f"{type(video).__name__} {brief(video)}", "video")


def quote(index: PriceIndex, provider: str, body: Body, *, video: VideoInfo | None = None,
          at: DateArg = None) -> Quote:
    """Price ``body``; raises :class:`~ratecard.payloads.violations.PayloadError` with every
    violation when the provider would not accept it."""
    return quote_inspected(index, provider, inspect(index, provider, body, video=video),
                           at=at)


def quote_inspected(index: PriceIndex, provider: str, found: Inspection, *,
                    at: DateArg = None) -> Quote:
    """The second half of :func:`quote`: price a body already read and checked by
    :func:`inspect` (a translated body is priced here too, so that its quote is the one
    :meth:`~ratecard.Catalog.quote_payload` gives)."""
    if found.violations:
        raise PayloadError(found.violations)
    assert found.priced is not None
    assert found.plan is not None
    request = found.priced
    if found.plan.basis == "input_seconds" and request.input_seconds is None:
        raise PayloadError([Violation(
            "MISSING_VIDEO_LENGTH", "video.seconds",
            f"{provider}/{request.model} is billed by the input video's length, which the "
            "body does not say: pass video=VideoInfo(seconds=...) (command line: "
            "--input-seconds)")])
    result = quote_request(index, request, at=at)
    return result.with_warnings(found.warnings) if found.warnings else result


def quote_request(index: PriceIndex, request: Request, *, at: DateArg = None,
                  invoiced: bool = False) -> Quote:
    """Price a canonical request with :meth:`Catalog.quote <ratecard.Catalog.quote>`.

    The input video's length is passed for offerings not billed by duration; ``invoiced``:
    the request of a job already billed (a task record), priced at the card's billing
    clamps beyond them (see :func:`ratecard.pricing.engine.quote`).
    """
    plan = index.plan(request.provider, request.model)
    seconds = None if plan.basis == "duration" else request.input_seconds
    return index.quote(request.provider, request.model, duration=request.duration,
                         input_seconds=seconds, quality=request.quality, sound=request.sound,
                         at=at, invoiced=invoiced)


def read_task(index: PriceIndex, provider: str, task: Body, *, request: Body | None = None,
              video: VideoInfo | None = None) -> TaskRecord:
    """Read a provider's task record into a :class:`~ratecard.payloads.tasks.TaskRecord`, priced.

    The request is the body the record carries (kling3api ``data.request``), else
    ``request``, else one built from the record's model and video length with the card's
    defaults for what the record does not say (with a warning). The quote is dated on the
    task's creation day, and prices a length beyond the card's billing minimum or maximum
    at it, as the seller billed the job (``request_violations`` may still refuse the
    request: the seller accepts no such request); a request that cannot be priced leaves
    ``quote`` ``None`` and says why in ``quote_error``. Raises
    :class:`~ratecard.payloads.violations.PayloadError` for a record that is not JSON or
    lacks its id or status.
    """
    speaker = dialect(index, provider)
    _check_video(video)
    if isinstance(task, str | bytes):
        task, problem = load_json(task)
    else:
        problem = nesting_violation(task)
    if problem is not None:
        raise PayloadError([problem])
    record, carried = speaker.read_task(task, provider)
    warnings = list(record.warnings)
    body = request if request is not None else carried
    canonical: Request | None = None
    violations: tuple[Violation, ...] = ()
    unread: tuple[str, ...] = ()
    assumed: tuple[str, ...] = ()
    if body is not None:
        found = inspect(index, provider, body, video=video)
        canonical, violations = found.priced or found.request, found.violations
        warnings += found.warnings
        unread = unread_terms(body, found)
        if canonical is not None and record.model is not None and \
                canonical.model != record.model:
            warnings.append(f"the record's model {brief(record.model)} differs from the "
                            f"request's {brief(canonical.model)}; the request is priced")
        if canonical is not None and record.duration is not None and \
                canonical.duration is not None and canonical.duration != record.duration:
            warnings.append(f"the record's length {plain(record.duration)} s differs from "
                            f"the request's {plain(canonical.duration)} s; the request is "
                            "priced")
    elif record.model is not None:
        canonical, assumed = _from_record(index, record, video, warnings)
    duration = record.duration
    if duration is None and canonical is not None:
        duration = canonical.duration
    if record.created is None and canonical is not None:
        warnings.append("the record gives no creation time: priced at the prices in force "
                        "today")
    quoted, error = None, None
    if unread:
        error = (f"the request it carries cannot be priced as sent: {'; '.join(unread)} "
                 "(it is not priced with the card's defaults)")
    elif canonical is None and body is not None:
        error = ("the request cannot be read: "
                 + "; ".join(v.message for v in violations[:3]))
    elif canonical is None:
        error = "the record names no model and carries no request: pass request="
    else:
        try:
            quoted = quote_request(index, canonical, at=record.created, invoiced=True)
        except QuoteError as exc:
            error = f"{exc.code}: {exc}"
    return replace(record, request=canonical, request_violations=violations, quote=quoted,
                   quote_error=error, duration=duration, warnings=tuple(warnings),
                   unread=unread, assumed=assumed)


PRICE_TERMS = ("model", "duration", "quality", "sound")
"""What a request states that decides its price (the input video's length is given
apart, as ``video=``)."""


def unread_terms(body: Body, found: Inspection) -> tuple[str, ...]:
    """The price terms ``body`` states (a value that is not null) but ratecard could not
    read, each as its violation's message: priced, they would take the card's default in
    place of what was sent (``"duration": "10"`` is not 10 s, nor the default 5 s)."""
    if not isinstance(body, Mapping):
        return ()
    request = found.priced or found.request
    model_path = found.paths.get("model")
    unread = []
    for term in PRICE_TERMS:
        path = found.paths.get(term)
        if path is None or body.get(path) is None:
            continue
        if term != "model" and path == model_path and request is not None:
            continue  # the model names it (kling3api's type: pro is 1080p)
        if request is not None and getattr(request, term) is not None:
            continue
        said = [v.message for v in found.violations if v.path == path]
        unread.append(said[0] if said else f"{path} {brief(body[path])} is not read")
    return tuple(dict.fromkeys(unread))  # kling3api's type holds the model and quality


def _from_record(index: PriceIndex, record: TaskRecord, video: VideoInfo | None,
                 warnings: list[str]) -> tuple[Request, tuple[str, ...]]:
    """A request from what a record states (model and video length), defaults for the rest;
    and the terms so assumed that the offering's price depends on."""
    assert record.model is not None
    try:
        plan = index.plan(record.provider, record.model)
    except UnknownOfferingError:  # quote_request reports it in quote_error
        return Request(record.provider, record.model, duration=record.duration), ()
    seconds = record.duration
    assumed = tuple(term for term in plan.chosen_terms if term != "duration")
    warnings.append(
        f"the {record.provider} task record does not say the quality or sound: priced with "
        f"the card's defaults ({plan.default_quality}, sound "
        f"{'on' if plan.default_sound else 'off'}); pass request= to price the body as sent")
    if plan.basis == "duration":
        return Request(record.provider, record.model, duration=seconds), assumed
    if seconds is None and video is not None:
        seconds = video.seconds
    info = video if video is not None else VideoInfo(seconds=seconds)
    return Request(record.provider, record.model, input_seconds=seconds, video=info,
                   video_count=1), assumed
