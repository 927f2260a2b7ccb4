"""Translate a native body from one provider's dialect into another's, priced at the target.

The body is read and checked at its source (:func:`~ratecard.payloads.pipeline.inspect`),
its defaults are made explicit (:func:`resolve`: the canonical request then says every
duration, quality and sound it will be priced with), the target's offering for the same
(family, mode, quality, sound) is chosen, and the target dialect writes the request as its
body. That body is then read and checked by the target's own dialect and priced by the
same code as :meth:`~ratecard.Catalog.quote_payload`, so the quote is the one the target
will charge, not a figure worked out on the side.

Nothing is degraded silently. An input the target's body has no place for refuses the
translation (:data:`CANNOT_EXPRESS`), unless it only tunes delivery (:data:`DROPPABLE`:
a callback address, a watermark setting, a prompt-adherence scale, the input's audio
track), in which case it is left out with a warning; so is an input the target ignores.
A body the target would refuse refuses the translation with the target's violations.
Every reason is reported at once, in a :class:`TranslationError`.

>>> import ratecard
>>> card = ratecard.load()
>>> body = {"model": "kling-v3-image-to-video", "prompt": "Day to night",
...         "image_start": "https://example.com/day.jpg", "duration": 10, "quality": "1080p"}
>>> t = card.translate(body, source="evolink", target="kling3api")
>>> t.body  # doctest: +NORMALIZE_WHITESPACE
{'type': 'pro-image-to-video', 'prompt': 'Day to night', 'image': 'https://example.com/day.jpg',
 'duration': 10, 'sound': False}
>>> t.quote.credits
Decimal('540')
>>> print(t.warnings[0])  # doctest: +NORMALIZE_WHITESPACE
the request keeps the defaults the evolink body leaves out (sound off); the kling3api body
states them where it has a field for them (kling3api's own default would be sound on)
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ratecard.errors import QuoteError, brief
from ratecard.money import plain
from ratecard.numbers import JSON_NUMBER, within
from ratecard.payloads.dialects import DIALECTS, Dialect, dialect_for
from ratecard.payloads.dialects.base import Rendered
from ratecard.payloads.dialects.reader import load_json
from ratecard.payloads.dialects.writer import RENDERED_INPUTS
from ratecard.payloads.pipeline import Body, Inspection, dialect, inspect, quote_inspected
from ratecard.payloads.request import Request, VideoInfo, changed
from ratecard.payloads.validate import FEATURE_INPUTS
from ratecard.payloads.violations import PayloadError, Violation
from ratecard.pricing.engine import DateArg
from ratecard.pricing.index import PriceIndex
from ratecard.pricing.plans import OfferingPlan
from ratecard.pricing.quote import Quote, provenance_dict
from ratecard.vocabulary import EDIT_MODES, on_off

CANNOT_EXPRESS = "CANNOT_EXPRESS"
"""The violation code of an input, or an offering, the target cannot express."""

DROPPABLE: Mapping[str, str] = {
    "callback_url": "{target} will not call back: poll its task status instead",
    "watermark": "{target}'s own watermark setting applies",
    "cfg_scale": "{target}'s own prompt adherence applies",
    "keep_original_sound": "{target}'s own handling of the input video's audio applies",
}
"""Inputs that tune delivery, not what is generated or billed, and what happens without
them: where the target's body has no place for one, it is left out with a warning. Any
other input the target cannot place refuses the translation."""

_WHAT: Mapping[str, str] = {
    "prompt": "a prompt", "negative_prompt": "a negative prompt",
    "first_frame": "a first frame", "end_frame": "an end frame",
    "reference_images": "reference images", "video": "an input video",
    "duration": "an output duration", "aspect_ratio": "an aspect ratio",
    "quality": "a quality setting", "sound": "a sound setting",
    "multi_shot": "multi-shot", "shot_type": "a multi-shot type",
    "shots": "per-shot prompts", "elements": "subject elements (element_list)",
    "callback_url": "a callback address", "watermark": "a watermark setting",
    "cfg_scale": "a prompt-adherence scale (cfg_scale)",
    "keep_original_sound": "keeping the input video's audio",
}
"""Canonical inputs in words, for messages."""


@dataclass(frozen=True, slots=True)
class Source:
    """A body read at its source: what every translation of it starts from."""

    provider: str
    body: Mapping[str, Any]
    """The body as parsed (sent unchanged when the target is the source's own offering)."""
    found: Inspection
    """The source's reading and check of it (valid)."""
    plan: OfferingPlan
    request: Request
    """The canonical request as the source prices it, every default explicit."""
    defaulted: tuple[str, ...]
    """Pricing inputs the body left out where the offering offers a choice, taken from
    the source's defaults (``duration``, ``quality``, ``sound``); a quality or sound the
    offering fixes (a kling3api type, a forced sound) is not a default."""
    video: VideoInfo | None

    @property
    def features(self) -> frozenset[str]:
        """The features the request uses (what a need for it would list)."""
        return features_of(self.request, self.plan.mode)


@dataclass(frozen=True, slots=True)
class Translation:
    """A body written for ``target``, the quote the target will charge for it, and what
    changed on the way."""

    source: str
    target: str
    model: str
    """The target's offering (its model or task type id)."""
    body: dict[str, Any]
    """Ready to send: numbers are ``int`` or ``Decimal`` (:func:`dumps` writes it as JSON
    text, exactly)."""
    priced: Request
    """The request as the target read and checked its body (what it prices)."""
    quote: Quote
    """The target's price for ``body``, by the same pipeline as ``quote_payload``."""
    warnings: tuple[str, ...]
    """What changed: defaults made explicit, what the source's own rules changed (an
    input it ignores, a sound it forces), inputs left out and why, the target's warnings
    about the body. For the source's own offering (the body as given): the warnings its
    :meth:`~ratecard.Catalog.quote_payload` gives."""
    dropped: tuple[str, ...]
    """Canonical inputs of the source request left out (each with a warning)."""
    inferred: tuple[str, ...]
    """Fields (or the model id) written where no API reference in the sources documents
    them for the target model: the body rests on an inference there."""
    plan: OfferingPlan = field(repr=False, compare=False)
    """The target offering."""

    @property
    def request(self) -> Request:
        """The canonical request as the target prices it, every default explicit."""
        return resolve(self.priced, self.plan)

    @property
    def basis(self) -> str:
        """``documented`` when every field written is documented for the target model,
        else ``inferred`` (see :attr:`inferred`)."""
        return "inferred" if self.inferred else "documented"

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form (write it with :func:`dumps`: the body's numbers stay numbers,
        exactly), the quote's amounts as decimal strings."""
        q = self.quote
        return {
            "source": self.source, "target": self.target, "model": self.model,
            "body": self.body, "body_basis": self.basis,
            "inferred": list(self.inferred), "dropped": list(self.dropped),
            "warnings": list(self.warnings),
            "quality": q.quality, "sound": on_off(q.sound),
            "billed_seconds": None if q.billed_seconds is None else plain(q.billed_seconds),
            "currency": q.currency, "amount": plain(q.amount),
            "usd": None if q.usd is None else plain(q.usd),
            **provenance_dict(q.facts, q.notes),
        }


class TranslationError(PayloadError):
    """The request cannot be sent to the target: :attr:`violations` lists every reason
    (``CANNOT_EXPRESS`` for what the target cannot express, the target's own codes for
    what it would refuse in the body the request becomes)."""

    def __init__(self, source: str, target: str, violations: list[Violation]) -> None:
        self.source = source
        self.target = target
        super().__init__(violations)


def features_of(request: Request, mode: str) -> frozenset[str]:
    """The features ``request`` uses (an edit's video is its own input, not a feature)."""
    return frozenset(feature for name, feature in FEATURE_INPUTS.items()
                     if request.has(name) and not (name == "video" and mode in EDIT_MODES))


def resolve(request: Request, plan: OfferingPlan) -> Request:
    """``request`` with every default of ``plan`` explicit: the quality, the sound (an
    imposed sound wins), the duration of a duration-billed offering; one video (the one
    the provider uses) and no unknown fields. Two bodies that ``resolve`` alike are the
    same job at the same price.

    >>> import ratecard
    >>> plan = ratecard.load().plan("kling3api", "pro-text-to-video")
    >>> r = resolve(Request("kling3api", plan.model, prompt="x"), plan)
    >>> r.quality, r.sound, r.duration
    ('1080p', True, Decimal('5'))
    """
    sound = request.sound if request.sound is not None else plan.default_sound
    if plan.forced_sound is not None:
        sound = plan.forced_sound
    duration = request.duration
    if duration is None and plan.basis == "duration":
        duration = plan.default_duration
    quality = request.quality or plan.default_quality
    if (quality, sound, duration) == (request.quality, request.sound, request.duration) \
            and request.video_count <= 1 and request.first_frame_count <= 1 \
            and not request.unknown_fields:
        return request
    return changed(request, quality=quality, sound=sound, duration=duration,
                   video_count=min(request.video_count, 1),
                   first_frame_count=min(request.first_frame_count, 1), unknown_fields=())


def read_source(index: PriceIndex, provider: str, body: Body, *,
                video: VideoInfo | None = None) -> Source:
    """Read and check ``body`` at ``provider``; raise
    :class:`~ratecard.payloads.violations.PayloadError` unless the provider accepts it (a
    body's meaning, its defaults and ignored fields, is defined only for an accepted one).
    """
    text = body
    if isinstance(body, str | bytes):
        parsed, problem = load_json(body)
        if problem is not None:
            raise PayloadError([problem])
        body = parsed
    # a str is JSON text, read once: a body that is a JSON string is refused, not re-read
    found = inspect(index, provider, text if isinstance(body, str) else body, video=video)
    if found.violations:
        raise PayloadError(found.violations)
    assert found.priced is not None
    assert found.plan is not None
    assert isinstance(body, Mapping)
    priced, plan = found.priced, found.plan
    defaulted = tuple(name for name in plan.chosen_terms if getattr(priced, name) is None)
    return Source(provider, body, found, plan, resolve(priced, plan), defaulted,
                  priced.video)


def choose_offering(index: PriceIndex, source: Source, target: str,
                    model: str | None = None) -> OfferingPlan:
    """The target's offering for the source request's family, mode, quality and sound
    (``model`` names one); raise :class:`TranslationError` (``CANNOT_EXPRESS``) when
    there is none, with every other reason the request cannot be written for each of
    the target's offerings of its family and mode (:func:`_reasons_anyway`). Several:
    the one taking every feature the request uses, then the lowest model id."""
    request, plan = source.request, source.plan
    family, mode, quality, sound = plan.family, plan.mode, request.quality, request.sound
    assert quality is not None
    assert sound is not None
    index.check_provider(target)
    if model is not None:
        plans = [index.plan(target, model)]
    else:
        plans = [p for p in index.plans(target) if p.family == family and p.mode == mode]
    why = _mismatch(plans, target, family, mode, quality, sound, model is not None)
    if why is not None:
        raise TranslationError(source.provider, target, [
            Violation(CANNOT_EXPRESS, _source_path(source, "model"), why),
            *_reasons_anyway(index, source, [p for p in plans
                                             if (p.family, p.mode) == (family, mode)])])
    fitting = [p for p in plans if serves(p, quality, sound)]
    used = source.features
    fitting.sort(key=lambda p: (not used <= p.features, p.model))
    return fitting[0]


def _reasons_anyway(index: PriceIndex, source: Source,
                    plans: list[OfferingPlan]) -> list[Violation]:
    """The reasons, besides its quality or sound, that the request cannot be written for
    any of ``plans`` (offerings of its family and mode that serve neither): the request is
    tried at each with the offering's own quality and sound, and a reason is kept when
    every one of them gives it (same code and path), as first given."""
    speaker = dialect_for(plans[0].provider) if plans else None
    common: dict[tuple[str, str], Violation] | None = None
    for plan in sorted(plans, key=lambda p: p.model):
        if speaker is None or not speaker.writes_model(plan.model) or plan.required_features:
            continue
        own = changed(source.request, quality=None, sound=None)
        refusals = _attempt(index, source, plan, resolve(own, plan)).refusals
        found = {(v.code, v.path): v for v in refusals}
        common = found if common is None else \
            {key: v for key, v in common.items() if key in found}
    return list((common or {}).values())


def serves(plan: OfferingPlan, quality: str, sound: bool) -> bool:
    """Whether ``plan`` renders ``quality`` and delivers ``sound`` (and asks no feature
    of its own)."""
    if quality not in plan.qualities or plan.required_features:
        return False
    if plan.forced_sound is not None:
        return plan.forced_sound is sound
    return on_off(sound) in plan.sounds


def _mismatch(plans: list[OfferingPlan], target: str, family: str, mode: str, quality: str,
              sound: bool, named: bool) -> str | None:
    """Why no offering of ``plans`` serves the request (``None``: one does)."""
    if any(serves(p, quality, sound) for p in plans if p.family == family and p.mode == mode):
        return None
    if named:
        p = plans[0]
        if (p.family, p.mode) != (family, mode):
            return (f"{target}/{p.model} is {p.family} {p.mode}, not {family} {mode}")
    elif not plans:
        return f"{target} sells no {family} {mode} offering"
    qualities = sorted({q for p in plans for q in p.qualities})
    if quality not in qualities:
        return (f"{target} sells {family} {mode} in {', '.join(qualities)}, not {quality}")
    wanted = f"sound {on_off(sound)}"
    options = []
    for p in plans:
        if p.required_features:
            options.append(f"{p.model} only with {', '.join(sorted(p.required_features))}")
        elif p.forced_sound is not None:
            options.append(f"{p.model} forces sound {on_off(p.forced_sound)}"
                           + (f" ({p.forced_reason})" if p.forced_reason else ""))
        else:
            options.append(f"{p.model} prices sound {', '.join(p.sounds)}")
    return f"{target} has no {family} {mode} {quality} offering with {wanted}: " + \
        "; ".join(options)


def _source_path(source: Source, name: str) -> str:
    """Where canonical input ``name`` sits in the source's body (for messages): the path
    the source's reader found it at (EvoLink's ``image_url`` or ``video``, not the
    ``image_start`` or ``video_url`` its writer would use), else its writer's place for
    the source model, else the canonical name."""
    speaker = dialect_for(source.provider)
    if name == "model":
        return speaker.model_path if speaker is not None else "model"
    found = source.found.paths.get(name)
    if found is not None:
        return found.removesuffix("[0]")
    if speaker is not None:
        for place in speaker.places:
            if place.input == name and place.takes(source.plan.model, source.plan.mode,
                                                   source.plan.family):
                return place.path
    return name


def writer(index: PriceIndex, provider: str) -> Dialect:
    """The dialect that writes ``provider``'s bodies, or ``NO_DIALECT``."""
    index.check_provider(provider)
    found = dialect_for(provider)
    if found is None or found.render is None:
        writable = ", ".join(p for p, d in DIALECTS.items() if d.render is not None)
        raise QuoteError("NO_DIALECT", f"ratecard writes no request bodies of "
                         f"{brief(provider)}: no document it can cite describes them (it "
                         f"writes those of {writable}); compare and route still price it",
                         "target")
    return found


def translate(index: PriceIndex, body: Body, *, source: str, target: str,
              video: VideoInfo | None = None, model: str | None = None,
              at: DateArg = None) -> Translation:
    """Translate ``body`` from ``source``'s dialect to ``target``'s (see
    :meth:`ratecard.Catalog.translate`)."""
    dialect(index, source)
    writer(index, target)
    read = read_source(index, source, body, video=video)
    plan = choose_offering(index, read, target, model)
    speaker = writer(index, target)
    if not speaker.writes_model(plan.model) and \
            (plan.provider, plan.model) != (read.provider, read.plan.model):
        raise QuoteError("NO_DIALECT", f"ratecard writes no request bodies of "
                         f"{target}/{plan.model}: it has read no document describing that "
                         f"endpoint's body (it writes {target}'s "
                         f"{', '.join(sorted(speaker.writes or ()))}); compare and route "
                         "still price it", "target")
    return translate_to(index, read, plan, at=at)


def translate_to(index: PriceIndex, source: Source, plan: OfferingPlan, *,
                 at: DateArg = None) -> Translation:
    """Write ``source``'s request as a body for the offering ``plan`` and price it there;
    raise :class:`TranslationError` with every reason it cannot be sent there."""
    target = plan.provider
    if target == source.provider and plan.model == source.plan.model:
        assert source.found.priced is not None
        given = quote_inspected(index, target, source.found, at=at)
        # what quote_payload prints: the reading's warnings and the engine's (a forced sound)
        return Translation(target, target, plan.model, dict(source.body),
                           source.found.priced, given, given.warnings, (), (), plan)
    tried = _attempt(index, source, plan, source.request)
    refusals, found = tried.refusals, tried.found
    quote: Quote | None = None
    if not refusals:
        try:
            quote = quote_inspected(index, target, found, at=at)
        except PayloadError as exc:
            refusals.extend(exc.violations)
    if refusals:
        raise TranslationError(source.provider, target, refusals)
    assert quote is not None
    assert found.priced is not None
    changes = (*_changes(source, plan), *tried.warnings, *found.warnings)
    return Translation(source.provider, target, plan.model, tried.rendered.body,
                       found.priced, quote, changes, tuple(tried.dropped),
                       tried.rendered.inferred, plan)


@dataclass(slots=True)
class _Attempt:
    """``request`` written for an offering and read back there, before pricing."""

    rendered: Rendered
    found: Inspection
    refusals: list[Violation]
    warnings: list[str]
    dropped: list[str]


def _attempt(index: PriceIndex, source: Source, plan: OfferingPlan,
             request: Request) -> _Attempt:
    """Write ``request`` (``source``'s, every default explicit) for ``plan`` and read the
    body back with the target's own dialect: every reason it cannot go there."""
    target = plan.provider
    speaker = writer(index, target)
    assert speaker.render is not None
    warnings: list[str] = []
    dropped: list[str] = []
    request = _drop_ignored(request, plan, warnings, dropped)  # render reads plan
    rendered = speaker.render(request, plan)
    refusals = _opaque(source, plan)
    for name in rendered.unplaced:
        path = _source_path(source, name)
        if name in DROPPABLE:
            dropped.append(name)
            warnings.append(f"{path}: a {speaker.name} body has no place for "
                            f"{_WHAT[name]}; left out: "
                            f"{DROPPABLE[name].format(target=target)}")
        else:
            refusals.append(Violation(
                CANNOT_EXPRESS, path, f"a {speaker.name} body has no place for "
                f"{_WHAT.get(name, name)}: no {target} document describes one for "
                f"{plan.model}"))
    found = inspect(index, target, rendered.body, video=source.video, written=True)
    refusals.extend(found.violations)
    return _Attempt(rendered, found, refusals, warnings, dropped)


def _opaque(source: Source, plan: OfferingPlan) -> list[Violation]:
    """A refusal for each field of the source body that changes what is generated but has
    no canonical form (fal's ``multi_prompt``): no other body can carry it, and leaving it
    out would send a different job (a multi-shot body without its shots)."""
    origin, model = source.provider, source.plan.model
    return [Violation(
        CANNOT_EXPRESS, path, f"{path} is documented by {origin} for {model}, but ratecard "
        f"has no canonical form for it, so no {plan.provider} body can carry it, and "
        f"leaving it out would change the job: only {origin}/{model} takes this body, as "
        "given") for path in source.request.opaque_fields]


def _drop_ignored(request: Request, plan: OfferingPlan, warnings: list[str],
                  dropped: list[str]) -> Request:
    """``request`` without the inputs the target offering ignores (each warned about)."""
    cleared: dict[str, Any] = {}
    for rule in plan.rules.ignores:
        for name in rule.inputs:
            if name in ("quality", "sound") or not request.has(name):
                continue
            cleared[name] = () if isinstance(getattr(request, name), tuple) else None
            dropped.append(name)
            warnings.append(f"{plan.provider}/{plan.model} ignores {_WHAT.get(name, name)} "
                            f"({rule.reason or 'documented as ignored'}; {rule.source}): "
                            "left out")
    return changed(request, **cleared) if cleared else request


def _changes(source: Source, plan: OfferingPlan) -> list[str]:
    """Warnings about the request itself: defaults made explicit, what the source body
    said that has no canonical meaning (unknown fields, more videos than it uses)."""
    found: list[str] = []
    request, origin = source.request, source.provider
    if source.defaulted:
        values = []
        for name in source.defaulted:
            value = getattr(request, name)
            values.append(f"{plain(value)} s" if name == "duration" else
                          f"sound {on_off(value)}" if name == "sound" else str(value))
        theirs = []
        speaker = dialect_for(plan.provider)
        imposed = speaker.own_sound(plan) if speaker is not None else \
            plan.forced_sound if plan.forced_sound is not None else plan.default_sound
        if "sound" in source.defaulted and imposed is not request.sound:
            theirs.append(f"sound {on_off(imposed)}")
        if "duration" in source.defaulted and plan.default_duration is not None and \
                plan.default_duration != request.duration:
            theirs.append(f"{plain(plan.default_duration)} s")
        own = f" ({plan.provider}'s own default would be {', '.join(theirs)})" \
            if theirs else ""
        found.append(f"the request keeps the defaults the {origin} body leaves out "
                     f"({', '.join(values)}); the {plan.provider} body states them where it "
                     f"has a field for them{own}")
    found.extend(_source_rules(source, plan.provider))
    priced = source.found.priced
    if priced is not None and priced.first_frame_count > 1:
        found.append(f"the {origin} body gives {priced.first_frame_count} first frames; "
                     f"{origin} uses one, by its documented priority, and only that one is "
                     "carried")
    if priced is not None and priced.video_count > 1:
        found.append(f"the {origin} body gives {priced.video_count} videos; {origin} uses "
                     "only the first, and only it is carried")
    for name in source.found.request.unknown_fields if source.found.request else ():
        found.append(f"{name}: unknown to ratecard's {origin} dialect, so it has no "
                     "canonical meaning: not carried")
    return found


def _source_rules(source: Source, target: str) -> list[str]:
    """What the source's own rules changed in the body before it was translated, in the
    words the source's quote uses: each input its offering ignores (not carried) and a
    sound it forces (carried as forced)."""
    given, priced = source.found.request, source.found.priced
    if given is None or priced is None or priced is given:
        return []  # the source's rules left the request as read (check_request)
    plan, origin = source.plan, source.provider
    where = f"{origin}/{plan.model}"
    said: list[str] = []
    ignored: set[str] = set()
    for rule in plan.rules.ignores:
        for name in rule.inputs:
            if not given.has(name) or name in ignored:
                continue
            ignored.add(name)
            value = getattr(source.request, name)
            kept = "not carried" if name not in ("quality", "sound") else \
                f"the {target} body carries {_term(name, value)}"
            said.append(f"{_source_path(source, name)} is ignored by {where}: "
                        f"{rule.reason or 'documented as ignored'} ({rule.source}): {kept}")
    for name in RENDERED_INPUTS:
        if name not in ignored and given.has(name) and not priced.has(name):
            said.append(f"{_source_path(source, name)} is ignored by {where}: not carried")
    final = source.request.sound
    before = given.sound if given.sound is not None else plan.default_sound
    if "sound" not in ignored and final is not None and before is not final:
        forcing = plan.rules.forced_sound_with
        reason = forcing.reason if forcing is not None and forcing.value is final and \
            any(priced.has(name) for name in forcing.inputs) else \
            plan.forced_reason or f"{where} imposes it"
        said.append(f"sound forced {on_off(final)}: {reason}: the {target} body carries "
                    f"{_term('sound', final)}")
    return said


def _term(name: str, value: Any) -> str:
    return f"sound {on_off(value)}" if name == "sound" else \
        f"{plain(value)} s" if name == "duration" else str(value)


def dumps(value: Any, *, indent: int | None = None) -> str:
    """``value`` as JSON text, every ``Decimal`` written as a JSON number with its exact
    digits (``json`` alone cannot write a Decimal, and a float would approximate it).

    >>> from decimal import Decimal
    >>> dumps({"cfg_scale": Decimal("0.55"), "duration": Decimal("10"), "images": ["a"]})
    '{"cfg_scale": 0.55, "duration": 10, "images": ["a"]}'

    A number beyond what ratecard reads (:data:`~ratecard.numbers.JSON_NUMBER`), passed on
    from a field it does not know, keeps its exponent: writing its digits could take
    megabytes.

    >>> dumps({"zz": Decimal("1E+100000"), "tiny": Decimal("1E-3000000")})
    '{"zz": 1E+100000, "tiny": 1E-3000000}'
    """
    from decimal import Decimal

    digits: list[str] = []
    token = f"\x00{secrets.token_hex(8)}:"

    def plainly(item: Any) -> Any:
        if isinstance(item, Decimal):
            if not within(item, JSON_NUMBER):  # passed on from a field ratecard does not read
                if not item.is_finite():
                    raise ValueError(f"{item} is not a JSON number")
                digits.append(str(item))  # exact, and short: 1E+100000, never 100,001 digits
            elif item == item.to_integral_value():
                return int(item)
            else:
                digits.append(format(item, "f"))
            return f"{token}{len(digits) - 1}"
        if isinstance(item, Mapping):
            return {key: plainly(inner) for key, inner in item.items()}
        if isinstance(item, list | tuple):
            return [plainly(inner) for inner in item]
        return item

    text = json.dumps(plainly(value), indent=indent, ensure_ascii=False, allow_nan=False)
    for number, exact in enumerate(digits):
        text = text.replace(json.dumps(f"{token}{number}", ensure_ascii=False), exact)
    return text
