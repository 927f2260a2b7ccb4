"""Every closed vocabulary ratecard reads or writes, each in one table, free of pydantic.

Modes, features and qualities (shared by rate cards, needs and requests); the words that
mean sound on or off; the words of job statuses and currencies in invoices. A word table
is the one place a word is added: every reader (Python, the SQL query, the CLI's help)
takes it from here.

>>> from typing import get_args
>>> get_args(Mode)
('text-to-video', 'image-to-video', 'reference-to-video', 'video-edit')
>>> parse_sound(" ON "), parse_sound("yes"), parse_sound("yes", INVOICE_SOUND_WORDS)
(True, None, True)
>>> on_off(True), job_status("Completed"), currency("usd")
('on', 'succeeded', 'USD')
>>> unit_name("evolink"), unit_name("x; 1000000 USD"), unit_name("a\\nb")
('evolink', '"x; 1000000 USD"', '"a\\\\nb"')
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Final, Literal, get_args

Mode = Literal["text-to-video", "image-to-video", "reference-to-video", "video-edit"]
"""What an offering does: generate from text, from a first frame, from references, or
edit a video."""

MODES: Final[tuple[str, ...]] = get_args(Mode)

GENERATION_MODES: Final[frozenset[str]] = frozenset(
    {"text-to-video", "image-to-video", "reference-to-video"})
"""Modes described by an output ``duration``."""

EDIT_MODES: Final[frozenset[str]] = frozenset({"video-edit"})
"""Modes described by the input video's length, ``input_seconds``."""

Feature = Literal[
    "end-frame", "reference-images", "multi-shot", "voice-control", "video-input", "elements"
]
"""An input or control a request may use beyond the mode's own inputs.

``end-frame``: a last frame as well as the first (image-to-video). ``reference-images``:
images that guide subjects or style. ``multi-shot``: several shots, each with its own
prompt, in one clip. ``voice-control``: chosen voices for generated speech.
``video-input``: a reference video in a generation mode (a ``video-edit`` always takes a
video, so it needs no feature). ``elements``: saved subjects (EvoLink ``element_list``)."""

FEATURES: Final[tuple[str, ...]] = get_args(Feature)
"""Every feature name a card may list and a need may ask for."""

Fact = Literal[
    "price", "multiplier", "billing", "seconds_rounding", "amount_rounding", "usd_rounding",
    "credit_value", "qualities", "sounds", "forced_sound", "duration", "input_seconds",
    "default_quality", "default_sound", "default_duration", "features",
    "max_chars", "max_items", "requires", "forbids", "ignores", "aspect_ratios", "cfg_scale",
    "video_input", "callback_url", "multi_shot", "forced_sound_with",
]
"""One kind of fact a rate card states, each with its own source: what an answer used and
what a recorded conflict touches (``touches`` in a card's ``conflicts``)."""

FACTS: Final[Mapping[str, str]] = {
    "price": "price",
    "multiplier": "multiplier",
    "billing": "billing rule",
    "seconds_rounding": "billed-seconds rounding",
    "amount_rounding": "amount rounding",
    "usd_rounding": "USD rounding",
    "credit_value": "credit value",
    "qualities": "qualities",
    "sounds": "sounds",
    "forced_sound": "forced sound",
    "duration": "accepted duration",
    "input_seconds": "accepted input length",
    "default_quality": "default quality",
    "default_sound": "default sound",
    "default_duration": "default duration",
    "features": "features",
    "max_chars": "prompt length",
    "max_items": "input count",
    "requires": "required input",
    "forbids": "refused input",
    "ignores": "ignored input",
    "aspect_ratios": "aspect ratios",
    "cfg_scale": "cfg_scale range",
    "video_input": "input video",
    "callback_url": "callback address",
    "multi_shot": "multi-shot rules",
    "forced_sound_with": "sound forced by an input",
}
"""Every fact name and the words an answer uses for it (``inferred: price``).

>>> list(FACTS) == list(get_args(Fact))
True
"""

BASES: Final[Mapping[str, str]] = {
    "documented": "the document states it",
    "inferred": "derived from what the document states (its note says how)",
    "supplied": "given by the user (a credit value on the command line or in Python)",
}
"""The basis of a fact: how sure ratecard is of it. A card's sources are ``documented``
or ``inferred``; ``supplied`` marks what the caller gave."""

QUALITY_PATTERN: Final = re.compile(r"^([0-9]{3,4}p|[0-9]k)$")
"""A canonical quality name: ``720p``, ``1080p``, ``4k``."""


def is_quality(value: object) -> bool:
    """True for a canonical quality name.

    >>> is_quality("1080p"), is_quality("HD"), is_quality(720)
    (True, False, False)
    """
    return isinstance(value, str) and QUALITY_PATTERN.match(value) is not None


BLANKS: Final = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
"""The blanks trimmed around a word or number of an invoice line: the ASCII ones
``str.strip()`` removes, which the SQL engines trim too. Other blanks (a no-break space
copied from a web page) stay, so the line is refused alike in every engine."""


def invoice_quality(text: str) -> str | None:
    """An invoice line's quality as it is priced: trimmed of :data:`BLANKS` and, when it is
    printable ASCII, in lower case (every canonical quality is: an export's ``1080P`` is
    1080p, as its ``OFF`` is sound off); ``None`` when nothing is left. Other text is kept
    as it is, so it is refused alike in every engine (see :func:`fold`).

    >>> invoice_quality(" 1080P "), invoice_quality("4K"), invoice_quality(" ")
    ('1080p', '4k', None)
    >>> invoice_quality("4\u212a")  # the Kelvin sign is not folded into k
    '4\u212a'
    """
    text = text.strip(BLANKS)
    if text.isascii() and text.isprintable():
        text = text.lower()
    return text or None


# ---------------------------------------------------------------- sound

SOUND_WORDS: Final[Mapping[str, bool]] = {"on": True, "true": True, "off": False,
                                          "false": False}
"""Sound as the API and the command line take it (compared in lower case)."""

INVOICE_SOUND_WORDS: Final[Mapping[str, bool]] = {**SOUND_WORDS, "1": True, "yes": True,
                                                  "0": False, "no": False}
"""Sound as invoice and billing exports write it: also ``1``/``0`` and ``yes``/``no``."""


def parse_sound(value: object, words: Mapping[str, bool] = SOUND_WORDS) -> bool | None:
    """``True``/``False`` for a bool or a sound word of ``words``; ``None`` for anything
    else (the caller says what was wrong, in its own terms)."""
    if value is True or value is False:
        return value
    if isinstance(value, str):
        return words.get(fold(value.strip(BLANKS)))
    return None


def on_off(sound: bool) -> str:
    """The word ratecard writes for a sound setting: ``on`` or ``off``."""
    return "on" if sound else "off"


# ---------------------------------------------------------------- jobs and currencies

JOB_STATUSES: Final[tuple[str, ...]] = ("pending", "running", "succeeded", "failed",
                                        "cancelled", "unknown")
"""The normalised status of a provider's task (a provider's own words map onto these in
its dialect, :mod:`ratecard.payloads.dialects`)."""

FAILED_JOB_STATUSES: Final[frozenset[str]] = frozenset({"failed", "cancelled"})
"""Job statuses for which nothing may be charged."""

UNSETTLED_JOB_STATUSES: Final[frozenset[str]] = frozenset({"pending", "running"})
"""Job statuses of a task not finished: what it is charged may not be settled yet."""

OUTCOMES: Final[Mapping[str, bool]] = {"succeeded": False, "failed": True,
                                        "timed_out": True}
"""What a gateway saw of one attempt at a seller (:class:`ratecard.Health`), and whether
it counts as a failure: ``succeeded``; ``failed`` (an error answer or a failed task);
``timed_out`` (the gateway gave up waiting)."""

TASK_OUTCOMES: Final[Mapping[str, str]] = {"succeeded": "succeeded", "failed": "failed"}
"""The outcome a task record's normalised status gives (:data:`JOB_STATUSES`); a pending,
running, cancelled or unknown task says nothing about the seller's health yet."""

CIRCUIT_STATES: Final[tuple[str, ...]] = ("closed", "open", "half_open")
"""A seller x model circuit: ``closed`` (routed to), ``open`` (excluded until its
cool-down ends), ``half_open`` (offered for a bounded number of probes)."""

INVOICE_STATUS_WORDS: Final[Mapping[str, str]] = {
    "succeeded": "succeeded", "success": "succeeded", "successful": "succeeded",
    "completed": "succeeded", "complete": "succeeded", "done": "succeeded",
    "failed": "failed", "failure": "failed", "error": "failed",
    "cancelled": "cancelled", "canceled": "cancelled",
    "pending": "pending", "queued": "pending", "running": "running",
    "in_progress": "running", "processing": "running",
}
"""Job status words an invoice line may carry (compared in lower case, trimmed)."""

CURRENCY_WORDS: Final[Mapping[str, str]] = {"credits": "credits", "credit": "credits",
                                            "usd": "USD"}
"""Currency words an invoice line may carry (compared in lower case)."""


def job_status(text: str, words: Mapping[str, str] = INVOICE_STATUS_WORDS) -> str | None:
    """The normalised job status of ``text``, or ``None`` when it is not a known word."""
    return words.get(text) or words.get(fold(text.strip(BLANKS)))


def currency(text: str) -> str | None:
    """``credits`` or ``USD`` for a currency word, or ``None``."""
    return CURRENCY_WORDS.get(text) or CURRENCY_WORDS.get(fold(text))


def fold(text: str) -> str:
    """``text`` in lower case, to be looked up among words, which are all ASCII; text that
    is not ASCII is returned as it is, never folded into a word: a dotted capital I (U+0130)
    lowers to ``i`` and a combining dot in Python and Spark but to ``i`` alone in DuckDB,
    and the Kelvin sign (U+212A) to ``k`` (so the SQL engines fold only printable ASCII
    too).

    >>> fold("In_Progress"), fold("\\u0130N_PROGRESS") == "\\u0130N_PROGRESS"
    ('in_progress', True)
    """
    return text.lower() if text.isascii() else text


_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
SUMMARY_WORDS: Final = frozenset({"TOTAL", "?", "(other)"})
"""The provider and model words a summary writes of its own: the total row, a line that
did not say, the lines gathered past the summary's limit."""


@lru_cache(maxsize=4096)  # whatif names a unit per line; sellers are few
def unit_name(name: str) -> str:
    """A seller's name as a unit (``credits@evolink``, ``evolink credits``) spells it: as
    it is when it is letters, digits and ``._-`` (every provider id), otherwise as a JSON
    string (``"x; 1000000 USD"``, a line feed as ``\\n``), so that a name from the input
    can never read as a separator, another amount or another row."""
    if _PLAIN_NAME.fullmatch(name):
        return name
    return json.dumps(name, ensure_ascii=False)


def cell_name(name: str) -> str:
    """A provider or model from the input as a summary's row names it: as it is, unless it
    reads as one of the summary's own words (:data:`SUMMARY_WORDS`) or starts with ``"``:
    then as a JSON string (``"TOTAL"``), so that it cannot pass for the total row or the
    gathered ``(other)``.

    >>> cell_name("evolink"), cell_name("TOTAL"), cell_name('"TOTAL"')
    ('evolink', '"TOTAL"', '"\\\\"TOTAL\\\\""')
    """
    if name in SUMMARY_WORDS or name.startswith('"'):
        return json.dumps(name, ensure_ascii=False)
    return name
