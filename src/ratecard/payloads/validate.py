"""Check a canonical request against its offering's declared constraints.

Every rule comes from the rate card (:mod:`ratecard.pricing.rules`); every problem is reported,
not just the first, as a :class:`~ratecard.payloads.violations.Violation` with the path of the
field in the provider's own body. Effects that change the price (an ignored duration, sound
forced off with a video input) are applied to the returned request and reported as
warnings, never silently.

>>> from ratecard import load
>>> from ratecard.payloads.request import Request
>>> plan = load().plan("evolink", "kling-v3-image-to-video")
>>> problems, warnings = [], []
>>> _ = check_request(Request("evolink", plan.model, duration=Decimal("5.5")), plan,
...                   {"duration": "duration", "first_frame": "image_start"}, problems, warnings)
>>> [(v.code, v.path) for v in problems]
[('INVALID_DURATION', 'duration'), ('MISSING_IMAGE', 'image_start')]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields, replace
from decimal import Decimal
from typing import Any

from ratecard.errors import brief
from ratecard.money import EXACT, plain
from ratecard.payloads.callback import callback_problem
from ratecard.payloads.dialects.base import Place
from ratecard.payloads.request import Request, Shot, VideoInfo
from ratecard.payloads.violations import Violation
from ratecard.pricing.plans import OfferingPlan, SecondsLimit
from ratecard.pricing.provenance import ClaimLimits
from ratecard.pricing.rules import InputRule, MultiShotRule, VideoRule
from ratecard.vocabulary import EDIT_MODES

_EMPTY: Mapping[str, Any] = {f.name: f.default for f in fields(Request)}
"""The value of each canonical input when it is not given."""

MISSING_CODES: Mapping[str, str] = {
    "first_frame": "MISSING_IMAGE", "end_frame": "MISSING_IMAGE",
    "reference_images": "MISSING_IMAGE", "video": "MISSING_VIDEO",
    "prompt": "INVALID_PROMPT", "shots": "MISSING_SHOTS",
}
"""Violation code of a missing required input (by the first input a rule names)."""

_PRICE_TERMS = frozenset({"duration", "quality", "sound"})


def check_request(
    request: Request,
    plan: OfferingPlan,
    paths: Mapping[str, str],
    violations: list[Violation],
    warnings: list[str],
    places: Iterable[Place] = (),
) -> Request:
    """Append every violation of ``plan``'s rules by ``request`` to ``violations`` and every
    effect applied to ``warnings``; return the request as it will be priced. ``places``:
    where the body's dialect documents each input (an input it documents for other models
    only is refused, see :meth:`_Check.placed`)."""
    check = _Check(plan, paths, violations, warnings)
    rules = plan.rules
    effective = request
    cleared: dict[str, Any] = {}
    for rule in rules.ignores:
        for name in rule.inputs:
            if request.has(name):
                warnings.append(f"{check.path(name)} is ignored by {check.where}: "
                                f"{rule.reason or 'documented as ignored'} ({rule.source})")
                cleared[name] = _EMPTY[name]
    shot_rule = rules.multi_shot
    if request.multi_shot:
        if shot_rule is not None and request.shots and request.shot_type in \
                shot_rule.shot_types and request.shot_type not in shot_rule.shots_required_for:
            warnings.append(f"{check.path('shots')} is ignored with shot type "
                            f"{brief(request.shot_type)}: the shots are planned from the "
                            "prompt")
            cleared["shots"] = ()
    elif request.shot_type is not None or request.shots:
        given = [check.path(n) for n in ("shot_type", "shots") if request.has(n)]
        warnings.append(f"{' and '.join(given)} only apply with multi-shot on: ignored")
        cleared.update(shot_type=None, shots=())
    if cleared:
        effective = replace(request, **cleared)
    forced = rules.forced_sound_with
    if forced is not None and any(effective.has(name) for name in forced.inputs):
        current = plan.default_sound if effective.sound is None else effective.sound
        if current is not forced.value:
            word = "on" if forced.value else "off"
            warnings.append(f"sound forced {word}: {forced.reason}")
            effective = replace(effective, sound=forced.value)
    check.pricing(effective)
    check.texts(effective)
    for rule in rules.requires:
        if not any(effective.has(name) for name in rule.inputs):
            check.missing(rule)
    refused: set[str] = set()
    for rule in rules.forbids:
        if all(effective.has(name) for name in rule.inputs):
            check.forbidden(rule)
            if len(rule.inputs) == 1:
                refused.add(rule.inputs[0])
    check.features(effective, refused)
    check.placed(effective, places)
    for count in rules.max_items:
        total = sum(effective.count(name) for name in count.inputs)
        if total > count.max:
            parts = " and ".join(f"{check.path(n)} {effective.count(n)}" for n in count.inputs)
            together = " together" if len(count.inputs) > 1 else ""
            check.add("TOO_MANY_INPUTS", count.inputs[0],
                      f"{parts}: {check.where} accepts at most {count.max}{together}",
                      count.source, check.path(count.inputs[0]).removesuffix("[0]"))
    check.values(effective)
    if effective.multi_shot:
        check.multi_shot(effective)
    check.conflicts(effective)
    return effective


FEATURE_INPUTS: Mapping[str, str] = {
    "end_frame": "end-frame", "reference_images": "reference-images", "elements": "elements",
    "multi_shot": "multi-shot", "video": "video-input",
}
"""The canonical input that uses each feature an offering may list (a video is a feature
only of a generation mode: an edit's video is its own input). A body that gives one of
these is accepted only by an offering that lists the feature, exactly as a need that asks
for the feature is served only by such an offering."""


class _Check:
    """The checks, sharing the offering, the paths and the lists being filled."""

    __slots__ = ("paths", "plan", "violations", "warnings", "where")

    def __init__(self, plan: OfferingPlan, paths: Mapping[str, str],
                 violations: list[Violation], warnings: list[str]) -> None:
        self.plan = plan
        self.paths = paths
        self.violations = violations
        self.warnings = warnings
        self.where = f"{plan.provider}/{plan.model}"

    def path(self, name: str) -> str:
        return self.paths.get(name, name)

    def add(self, code: str, name: str, message: str, source: str | None = None,
            path: str | None = None) -> None:
        self.violations.append(Violation(code, path or self.path(name), message, source))

    def pricing(self, request: Request) -> None:
        """Quality, sound and duration: what the engine needs to price the request."""
        plan = self.plan
        if request.quality is not None and request.quality not in plan.qualities:
            self.add("INVALID_QUALITY", "quality",
                     f"{self.where} does not render {brief(request.quality)}; it renders "
                     f"{', '.join(plan.qualities)}")
        if request.sound is not None and plan.forced_sound is None:
            word = "on" if request.sound else "off"
            if word not in plan.sounds:
                self.add("INVALID_SOUND", "sound",
                         f"{self.where} has no price for sound {word} in the rate card; it "
                         f"prices sound {', '.join(plan.sounds)}")
        if plan.basis == "duration":
            seconds = request.duration if request.duration is not None else \
                plan.default_duration
            if seconds is not None and not _admits(plan.accepts, seconds):
                self.add("INVALID_DURATION", "duration",
                         f"duration {plain(seconds)} s is not accepted by {self.where}: it "
                         f"accepts {_accepts(plan.accepts)}")
        video = request.video
        if video is not None and video.seconds is not None and \
                not _admits(plan.accepts_input, video.seconds):
            self.add("INVALID_DURATION", "video", f"the input video's length "
                     f"{plain(video.seconds)} s is not accepted by {self.where}: it accepts "
                     f"{_accepts(plan.accepts_input)}", path="video.seconds")

    def texts(self, request: Request) -> None:
        for name in ("prompt", "negative_prompt"):
            rule = self.plan.rules.max_chars.get(name)
            value = getattr(request, name)
            if rule is not None and rule.max is not None and value is not None \
                    and len(value) > rule.max:
                self.add("INVALID_PROMPT", name,
                         f"{self.path(name)} is {len(value)} characters long; {self.where} "
                         f"accepts at most {rule.max}", rule.source)

    def missing(self, rule: InputRule) -> None:
        first = rule.inputs[0]
        code = MISSING_CODES.get(first, "MISSING_INPUT")
        names = [self.path(name) for name in rule.inputs]
        what = f"{names[0]} is" if len(names) == 1 else f"one of {', '.join(names)} is"
        reason = f": {rule.reason}" if rule.reason else ""
        self.add(code, first, f"{what} required by {self.where}{reason}", rule.source)

    def forbidden(self, rule: InputRule) -> None:
        names = [self.path(name) for name in rule.inputs]
        reason = f": {rule.reason}" if rule.reason else ""
        if len(names) == 1:
            self.add("UNSUPPORTED_INPUT", rule.inputs[0],
                     f"{names[0]} is not accepted by {self.where}{reason}", rule.source)
        else:
            self.add("CONFLICTING_INPUTS", rule.inputs[0],
                     f"{' and '.join(names)} cannot be used together with {self.where}"
                     f"{reason}", rule.source)

    def features(self, request: Request, refused: set[str]) -> None:
        """Inputs that use a feature the card does not list for the offering: no source
        says the provider takes them, so ratecard cannot say it accepts or prices them."""
        plan = self.plan
        for name, feature in FEATURE_INPUTS.items():
            if name in refused or feature in plan.features or not request.has(name):
                continue
            if name == "video" and plan.mode in EDIT_MODES:
                continue
            listed = ", ".join(sorted(plan.features)) or "none"
            path = self.path(name)
            self.add("UNDOCUMENTED_INPUT", name,
                     f"{path} ({feature}) is not documented for {self.where} (its documented "
                     f"features: {listed}): no source says the provider takes it, so "
                     "ratecard can neither accept nor price it", None,
                     path.removesuffix("[0]"))
        if plan.mode == "text-to-video" and "first_frame" not in refused and \
                request.has("first_frame"):
            path = self.path("first_frame")
            self.add("UNDOCUMENTED_INPUT", "first_frame",
                     f"{path} (a first frame) is not documented for {self.where}, a "
                     "text-to-video offering: no source says the provider takes it (an "
                     "image-to-video offering does), so ratecard can neither accept nor "
                     "price it", None, path.removesuffix("[0]"))

    def placed(self, request: Request, places: Iterable[Place]) -> None:
        """Inputs the body's dialect documents for other models only (EvoLink's
        negative_prompt is in seed 004's Kling 3.0 reference, not in seed 000's O3 video
        edit): read the same way for every model, they would be passed on as meaningful
        where no source says the provider takes them. The price terms are left to
        :meth:`pricing` (a model states its quality or sound by its price), and an input
        already refused or ignored is not refused twice."""
        flagged: set[str] | None = None
        for name, first in _undocumented(places, self.plan):
            if not request.has(name):
                continue
            if flagged is None:
                flagged = {v.path for v in self.violations}
            path = self.path(name)
            bare = path.removesuffix("[0]")
            if path in flagged or bare in flagged:
                continue
            scope = first.documented_for or first.models or first.modes or \
                first.families or frozenset()
            self.add("UNDOCUMENTED_INPUT", name,
                     f"{path} is not documented for {self.where}: {first.document} documents "
                     f"it for {', '.join(sorted(scope))} (\"{first.quote}\"); no source says "
                     "the provider takes it here, so ratecard can neither accept nor price "
                     "it", None, bare)

    def conflicts(self, request: Request) -> None:
        """Warn where the body is accepted by the card but not by a claim of a recorded
        conflict (the side the card did not follow): the provider may reject it."""
        video = request.video
        if video is None:
            return
        flagged = {v.path for v in self.violations}
        for conflict in self.plan.sources.conflicts:
            against: dict[str, list[str]] = {}  # problem -> the claims that refuse it
            for claim in conflict.claims:
                limits = claim.limits
                if limits is None:
                    continue
                problem, path = _outside(limits, video)
                if problem is not None and path not in flagged:
                    against.setdefault(problem, []).append(
                        f"{claim.origin.document}: \"{claim.value}\"")
            for problem, claims in against.items():
                self.warnings.append(
                    f"{problem}: accepted by the card, but not by {'; '.join(claims)}, one "
                    f"side of the recorded conflict \"{conflict.subject}\"; {self.where} "
                    "may reject it")

    def multi_shot(self, request: Request) -> None:
        """Check the shot type and, where the type takes them, the shots."""
        rule = self.plan.rules.multi_shot
        if rule is None:
            self.warnings.append(f"multi-shot is not documented for {self.where}: its shots "
                                 "are passed on unchecked")
            return
        kind = request.shot_type
        if kind is None:
            self.add("MISSING_SHOT_TYPE", "shot_type",
                     f"{self.path('shot_type')} is required when multi-shot is on (one of "
                     f"{', '.join(rule.shot_types)})", rule.source)
        elif kind not in rule.shot_types:
            self.add("INVALID_SHOT_TYPE", "shot_type",
                     f"{self.path('shot_type')} {brief(kind)} is not accepted; use one of "
                     f"{', '.join(rule.shot_types)}", rule.source)
        elif kind in rule.shots_required_for:
            self._shots(request, request.shots, rule)

    def _shots(self, request: Request, shots: tuple[Shot, ...], rule: MultiShotRule) -> None:
        where = self.path("shots")
        count = len(shots)
        if count < rule.min_shots:
            self.add("MISSING_SHOTS", "shots",
                     f"{where} needs at least {rule.min_shots} shot(s) with shot type "
                     f"{brief(request.shot_type)}, has {count}", rule.source)
        elif rule.max_shots is not None and count > rule.max_shots:
            self.add("TOO_MANY_SHOTS", "shots", f"{where} has {count} shots; {self.where} "
                     f"accepts at most {rule.max_shots}", rule.source)
        limit = rule.shot_prompt_max_chars
        for index, shot in enumerate(shots):
            if limit is not None and shot.prompt is not None and len(shot.prompt) > limit:
                path = f"{where}[{index}].prompt"
                self.add("INVALID_PROMPT", "shots", f"{path} is {len(shot.prompt)} characters "
                         f"long; at most {limit} per shot", rule.source, path)
            if shot.duration is not None and shot.duration <= 0:
                path = f"{where}[{index}].duration"
                self.add("INVALID_DURATION", "shots", f"{path} must be more than 0 s, not "
                         f"{plain(shot.duration)}", rule.source, path)
        durations = [shot.duration for shot in shots if shot.duration is not None]
        if rule.durations_sum_to_duration and shots and len(durations) == count:
            total = Decimal(0)
            for seconds in durations:  # bounded seconds: the exact sum never rounds
                total = EXACT.add(total, seconds)
            target = request.duration if request.duration is not None else \
                self.plan.default_duration
            if target is not None and total != target:
                given = "" if request.duration is not None else " (the default)"
                self.add("SHOT_DURATION_MISMATCH", "shots",
                         f"the shots last {plain(total)} s in all but the duration is "
                         f"{plain(target)} s{given}; they must be equal", rule.source)

    def values(self, request: Request) -> None:
        """Aspect ratio, cfg_scale, the input video and the callback address."""
        rules = self.plan.rules
        choices = rules.aspect_ratios
        if choices is not None and request.aspect_ratio is not None and \
                request.aspect_ratio not in choices.values:
            self.add("INVALID_ASPECT_RATIO", "aspect_ratio",
                     f"aspect ratio {brief(request.aspect_ratio)} is not accepted by "
                     f"{self.where}; "
                     f"use one of {', '.join(choices.values)}", choices.source)
        scale = rules.cfg_scale
        if scale is not None and request.cfg_scale is not None and \
                not scale.admits(request.cfg_scale):
            self.add("INVALID_CFG_SCALE", "cfg_scale",
                     f"cfg_scale {plain(request.cfg_scale)} is outside {scale.describe()}",
                     scale.source)
        if rules.video is not None and request.video is not None:
            self._video(request, rules.video)
        callback = rules.callback_url
        if callback is not None and request.callback_url is not None:
            problem = callback_problem(request.callback_url, callback)
            if problem is not None:
                self.add("INVALID_CALLBACK_URL", "callback_url",
                         f"{self.path('callback_url')} {problem}", callback.source)

    def _video(self, request: Request, rule: VideoRule) -> None:
        video = request.video
        assert video is not None
        fmt = video.file_format
        if rule.formats is not None and fmt is not None and fmt not in rule.formats:
            path = "video.format" if video.format is not None else self.path("video")
            how = "" if video.format is not None else " (from the URL)"
            self.add("INVALID_VIDEO", "video", f"video format {fmt}{how} is not accepted by "
                     f"{self.where}; use {', '.join(rule.formats)}", rule.source, path)
        if rule.max_mb is not None and video.size_mb is not None and \
                video.size_mb > rule.max_mb:
            self.add("INVALID_VIDEO", "video", f"the video is {plain(video.size_mb)} MB; "
                     f"{self.where} accepts at most {plain(rule.max_mb)} MB", rule.source,
                     "video.size_mb")
        if rule.pixels is not None:
            for name in ("width", "height"):
                value = getattr(video, name)
                if value is not None and not rule.pixels.admits(Decimal(value)):
                    self.add("INVALID_VIDEO", "video", f"video {name} {value} px is outside "
                             f"{rule.pixels.describe()} px", rule.source, f"video.{name}")
        if rule.fps is not None and video.fps is not None and not rule.fps.admits(video.fps):
            self.add("INVALID_VIDEO", "video", f"video frame rate {plain(video.fps)} fps is "
                     f"outside {rule.fps.describe()} fps", rule.source, "video.fps")


def _outside(limits: ClaimLimits, video: VideoInfo) -> tuple[str | None, str]:
    """What of ``video`` falls outside ``limits`` (and where), or ``None``."""
    fmt = video.file_format
    if limits.video_formats is not None and fmt is not None and \
            fmt not in limits.video_formats:
        return f"video format {fmt}", "video.format" if video.format else "video"
    if limits.video_max_mb is not None and video.size_mb is not None and \
            video.size_mb > limits.video_max_mb:
        return f"a {plain(video.size_mb)} MB video", "video.size_mb"
    seconds = video.seconds
    if seconds is not None and (
            (limits.input_seconds_min is not None and seconds < limits.input_seconds_min)
            or (limits.input_seconds_max is not None and seconds > limits.input_seconds_max)):
        return f"a {plain(seconds)} s input video", "video.seconds"
    return None, ""


def _admits(limit: SecondsLimit | None, seconds: Decimal) -> bool:
    """What the engine accepts: the card's limit, or more than 0 s where it has none."""
    return limit.admits(seconds) if limit is not None else seconds > 0


def _accepts(limit: SecondsLimit | None) -> str:
    return limit.describe() if limit is not None else "more than 0 s"


_UNDOCUMENTED: dict[tuple[int, str, str, str],
                   tuple[Iterable[Place], tuple[tuple[str, Place], ...]]] = {}
"""By (places table, model, mode, family): the inputs the table places for other models
only, each with its first place. A memo of a pure function of the dialects' constant
tables (the table is kept with its answer, so its id is never reused), bounded at 4096."""


def _undocumented(places: Iterable[Place], plan: OfferingPlan) -> tuple[tuple[str, Place], ...]:
    """The inputs, but the price terms, that ``places`` documents for other models than
    ``plan``'s only, with the first place of each (see :meth:`_Check.placed`)."""
    key = (id(places), plan.model, plan.mode, plan.family)
    found = _UNDOCUMENTED.get(key)
    if found is not None and found[0] is places:
        return found[1]
    if not isinstance(places, tuple):  # not a constant table: nothing to remember
        places = tuple(places)
        key = (id(places), plan.model, plan.mode, plan.family)
    by_input: dict[str, list[Place]] = {}
    for place in places:
        by_input.setdefault(place.input, []).append(place)
    answer = tuple((name, options[0]) for name, options in by_input.items()
                   if name not in _PRICE_TERMS and not any(
                       p.takes(plan.model, plan.mode, plan.family) for p in options))
    if len(_UNDOCUMENTED) >= 4096:
        _UNDOCUMENTED.clear()
    _UNDOCUMENTED[key] = (places, answer)
    return answer
