"""Writing native JSON bodies: the one render loop every dialect shares.

A dialect declares where each canonical input goes (its :class:`~.base.Place` table) and
how a value is spelled in its bodies (an :data:`Encoder`); :func:`render_with` walks the
request's inputs in a fixed order, writes each one that has a place for the target model,
and returns every input it could not place and every field it wrote on an inference.
Nothing is dropped silently: the caller (:mod:`ratecard.payloads.translate`) refuses or
warns about each unplaced input.

>>> body: dict[str, object] = {}
>>> put(body, "model_params.watermark_info.enabled", False)
>>> body
{'model_params': {'watermark_info': {'enabled': False}}}
>>> number(Decimal("5")), number(Decimal("0.55"))
(5, Decimal('0.55'))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from ratecard.payloads.dialects.base import Place, Rendered
from ratecard.payloads.request import Request
from ratecard.pricing.plans import OfferingPlan

RENDERED_INPUTS: tuple[str, ...] = (
    "prompt", "negative_prompt", "first_frame", "end_frame", "reference_images", "video",
    "duration", "aspect_ratio", "quality", "sound", "cfg_scale", "keep_original_sound",
    "callback_url", "multi_shot", "shot_type", "shots", "elements", "watermark",
)
"""The canonical inputs a body can carry, in the order they are written. Not rendered:
``input_seconds`` and the video's metadata (they travel beside a body, never in it),
``video_count`` (a body carries the one video its provider uses), ``unknown_fields``
(a field no dialect knows has no canonical meaning to translate) and ``opaque_fields``
(a documented field with no canonical form: a translation is refused)."""

PRICING_INPUTS = frozenset({"duration", "quality", "sound"})
"""Inputs that are always known once defaults are explicit: a model with no place for one
is fine as long as the value is what the model does without it (its only quality, its
imposed or default sound)."""

IMPLIED = object()
"""What an encoder returns for an input its place implies (kling3api's quality is in its
``type``): placed, nothing more written."""

Encoder = Callable[[str, Any, Place], Any]
"""Spells one canonical value as the dialect writes it (``sound`` -> ``"on"``)."""


def put(body: dict[str, Any], path: str, value: Any) -> None:
    """Write ``value`` at the dotted ``path`` of ``body``, creating objects on the way."""
    *parents, last = path.split(".")
    target = body
    for key in parents:
        target = target.setdefault(key, {})
    target[last] = value


def number(value: Decimal) -> int | Decimal:
    """A JSON number: a whole value as ``int`` (``5``, never ``5.0``), else the Decimal."""
    return int(value) if value == value.to_integral_value() else value


def implied_by_model(name: str, value: Any, plan: OfferingPlan) -> bool:
    """Whether ``plan`` does ``value`` for pricing input ``name`` without being told."""
    if name == "quality":
        return bool(value == plan.default_quality)
    if name == "sound":
        imposed = plan.forced_sound if plan.forced_sound is not None else plan.default_sound
        return bool(value == imposed)
    return value is None or (plan.basis != "duration" and name == "duration")


_Slot = tuple[str, Place | None, tuple[str, ...]]
"""One input of a model's render plan: the input, its place for the model (or ``None``),
and the place's path split at dots."""


def render_with(request: Request, plan: OfferingPlan, model_key: str,
                places: Mapping[str, tuple[Place, ...]], encode: Encoder,
                documented_models: frozenset[str], dialect: str) -> Rendered:
    """Write ``request`` as a body for ``plan``'s model: ``model_key`` names the model,
    then every input in :data:`RENDERED_INPUTS` order that has a place for the model."""
    slots, notes = _model_plan(places, plan.model, plan.mode, plan.family,
                               documented_models, dialect, model_key)
    body: dict[str, Any] = {model_key: plan.model}
    unplaced: list[str] = []
    inferred: list[str] = [notes[""]] if "" in notes else []
    for name, place, parts in slots:
        value = getattr(request, name)
        if value is None or value == () or (value is False and name == "multi_shot") or \
                (type(value) is str and not value.strip()):
            continue  # not given (Request.has)
        if place is None:
            if name not in PRICING_INPUTS or not implied_by_model(name, value, plan):
                unplaced.append(name)
            continue
        written = encode(name, value, place)
        if written is IMPLIED:
            continue
        if len(parts) == 1:
            body[parts[0]] = written
        else:
            put(body, place.path, written)
        note = notes.get(name)
        if note is not None:
            inferred.append(note)
    return Rendered(body, tuple(unplaced), tuple(inferred))


_PLANS: dict[tuple[int, str, str, str], tuple[tuple[_Slot, ...], dict[str, str]]] = {}
"""Render plans by (places table, model, mode, family): a memo of a pure function of the
dialects' constant place tables (it changes no answer, only how soon it comes), bounded
at 4096 models."""


def _model_plan(places: Mapping[str, tuple[Place, ...]], model: str, mode: str, family: str,
                documented_models: frozenset[str], dialect: str, model_key: str
                ) -> tuple[tuple[_Slot, ...], dict[str, str]]:
    """Which place each input has for a model, and the notes of the inferred ones (the
    model id's under ``""``), worked out once per model."""
    key = (id(places), model, mode, family)
    found = _PLANS.get(key)
    if found is not None:
        return found
    slots: list[_Slot] = []
    notes: dict[str, str] = {}
    if model not in documented_models:
        notes[""] = (f"{model_key} {model}: no source prints this model id; the rate card "
                     "infers it (see the offering's notes)")
    for name in RENDERED_INPUTS:
        place = next((p for p in places.get(name, ()) if p.takes(model, mode, family)), None)
        slots.append((name, place, () if place is None else tuple(place.path.split("."))))
        if place is not None and not place.documents(model):
            assert place.documented_for is not None
            shown = ", ".join(sorted(place.documented_for))
            notes[name] = (f"{place.path}: no {dialect} API reference documents it for "
                           f"{model}; written as {place.document} documents it for {shown}")
    if len(_PLANS) >= 4096:
        _PLANS.clear()
    found = _PLANS[key] = (tuple(slots), notes)
    return found


def places_by_input(places: tuple[Place, ...]) -> dict[str, tuple[Place, ...]]:
    """A dialect's places grouped by canonical input, in declaration order."""
    grouped: dict[str, list[Place]] = {}
    for place in places:
        grouped.setdefault(place.input, []).append(place)
    return {name: tuple(found) for name, found in grouped.items()}
