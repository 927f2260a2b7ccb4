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
``video_count`` (a body carries the one video its provider uses) and ``unknown_fields``
(a field no dialect knows has no canonical meaning to translate)."""

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


def render_with(request: Request, plan: OfferingPlan, model_key: str,
                places: Mapping[str, tuple[Place, ...]], encode: Encoder,
                documented_models: frozenset[str], dialect: str) -> Rendered:
    """Write ``request`` as a body for ``plan``'s model: ``model_key`` names the model,
    then every input in :data:`RENDERED_INPUTS` order that has a place for the model."""
    model, mode, family = plan.model, plan.mode, plan.family
    body: dict[str, Any] = {model_key: model}
    unplaced: list[str] = []
    inferred: list[str] = []
    if model not in documented_models:
        inferred.append(f"{model_key} {model}: no source prints this model id; the rate card "
                        "infers it (see the offering's notes)")
    for name in RENDERED_INPUTS:
        if not request.has(name):
            continue
        value = getattr(request, name)
        place = next((p for p in places.get(name, ()) if p.takes(model, mode, family)),
                     None)
        if place is None:
            if name not in PRICING_INPUTS or not implied_by_model(name, value, plan):
                unplaced.append(name)
            continue
        written = encode(name, value, place)
        if written is IMPLIED:
            continue
        put(body, place.path, written)
        if not place.documents(model):
            assert place.documented_for is not None
            shown = ", ".join(sorted(place.documented_for))
            inferred.append(f"{place.path}: no {dialect} API reference documents it for "
                            f"{model}; written as {place.document} documents it for {shown}")
    return Rendered(body, tuple(unplaced), tuple(inferred))


def places_by_input(places: tuple[Place, ...]) -> dict[str, tuple[Place, ...]]:
    """A dialect's places grouped by canonical input, in declaration order."""
    grouped: dict[str, list[Place]] = {}
    for place in places:
        grouped.setdefault(place.input, []).append(place)
    return {name: tuple(found) for name, found in grouped.items()}
