"""Arguments of the wrong Python type are a QuoteError with a stable code, never a
TypeError or AttributeError from deep inside; and a bad value is quoted briefly.

Each case is a literal call a caller could write by mistake (``quality=["720p"]``, a
provider name in a list, a dict where a Need goes), with the code the documentation
promises for it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

import ratecard
from ratecard import Need, QuoteError, VideoInfo
from ratecard.errors import brief

CARD: Any = ratecard.load()
"""Typed as Any: these calls pass wrong types on purpose."""
AnyNeed: Any = Need
AnyVideo: Any = VideoInfo
MODEL = ("evolink", "kling-v3-image-to-video")
NEED = Need(family="kling-3.0", mode="image-to-video", duration=5)
BODY = {"model": "kling-v3-image-to-video", "image_start": "https://cdn.example.com/a.jpg"}

CASES: list[tuple[str, Callable[[], Any], str]] = [
    ("quality in a list", lambda: CARD.quote(*MODEL, quality=["720p"]), "INVALID_QUALITY"),
    ("quality a number", lambda: CARD.quote(*MODEL, quality=720), "INVALID_QUALITY"),
    ("quality a dict", lambda: CARD.quote(*MODEL, quality={"q": 1}), "INVALID_QUALITY"),
    ("sound a list", lambda: CARD.quote(*MODEL, sound=["on"]), "INVALID_SOUND"),
    ("sound a number", lambda: CARD.quote(*MODEL, sound=1), "INVALID_SOUND"),
    ("duration a list", lambda: CARD.quote(*MODEL, duration=[5]), "INVALID_DURATION"),
    ("duration bytes", lambda: CARD.quote(*MODEL, duration=b"5"), "INVALID_DURATION"),
    ("duration 10**5000", lambda: CARD.quote(*MODEL, duration=10**5000), "INVALID_DURATION"),
    ("duration 1e-99999", lambda: CARD.quote(*MODEL, duration="1e-99999"), "INVALID_DURATION"),
    ("at a number", lambda: CARD.quote(*MODEL, at=20260101), "INVALID_DATE"),
    ("at a list", lambda: CARD.quote(*MODEL, at=["2026-01-01"]), "INVALID_DATE"),
    ("provider a list", lambda: CARD.quote(["evolink"], MODEL[1]), "INVALID_INPUT"),
    ("model a tuple of lists", lambda: CARD.quote("evolink", ([],)), "INVALID_INPUT"),
    ("model None", lambda: CARD.quote("evolink", None), "INVALID_INPUT"),
    ("plan of a dict", lambda: CARD.plan({"p": 1}, "m"), "INVALID_INPUT"),
    ("offerings of a list", lambda: CARD.offerings(["evolink"]), "INVALID_INPUT"),
    ("offerings at a float", lambda: CARD.offerings(at=1.5), "INVALID_DATE"),
    ("credit value of a list",
     lambda: CARD.with_credit_value(["kling3api"], "500"), "INVALID_INPUT"),
    ("credit value a list", lambda: CARD.with_credit_value("kling3api", [500]),
     "INVALID_CREDIT_VALUE"),
    ("credit value of no provider (not every card)",
     lambda: CARD.with_credit_value(None, 5), "INVALID_INPUT"),
    ("need family a number", lambda: AnyNeed(family=3, duration=5), "INVALID_NEED"),
    ("need mode a list", lambda: AnyNeed(mode=["video-edit"], duration=5), "INVALID_NEED"),
    ("need quality a list", lambda: AnyNeed(quality=["720p"], duration=5), "INVALID_NEED"),
    ("need sound a list", lambda: AnyNeed(sound=["on"], duration=5), "INVALID_NEED"),
    ("need features of lists", lambda: AnyNeed(duration=5, features=[["x"]]), "INVALID_NEED"),
    ("need features of dicts", lambda: AnyNeed(duration=5, features=[{}]), "INVALID_NEED"),
    ("need features a number", lambda: AnyNeed(duration=5, features=5), "INVALID_NEED"),
    ("need features a dict", lambda: AnyNeed(duration=5, features={"end-frame": 1}),
     "INVALID_NEED"),
    ("need duration a set", lambda: AnyNeed(duration={5}), "INVALID_NEED"),
    ("compare a dict", lambda: CARD.compare({"family": "kling-3.0"}), "INVALID_NEED"),
    ("route a string", lambda: CARD.route("kling-3.0"), "INVALID_NEED"),
    ("compare providers a number", lambda: CARD.compare(NEED, providers=5), "INVALID_INPUT"),
    ("compare providers of lists", lambda: CARD.compare(NEED, providers=[["evolink"]]),
     "INVALID_INPUT"),
    ("route down of numbers", lambda: CARD.route(NEED, down=[1, "evolink"]), "INVALID_INPUT"),
    ("route deny a dict", lambda: CARD.route(NEED, deny={"evolink": True}), "INVALID_INPUT"),
    ("route max_usd a list", lambda: CARD.route(NEED, max_usd=[2]), "INVALID_BUDGET"),
    ("video format a number", lambda: AnyVideo(format=4), "INVALID_VIDEO"),
    ("video url a list", lambda: AnyVideo(url=["https://x"]), "INVALID_VIDEO"),
    ("video width huge", lambda: AnyVideo(width=10**5000), "INVALID_VIDEO"),
    ("video seconds a dict", lambda: AnyVideo(seconds={}), "INVALID_VIDEO"),
    ("check_payload video a dict",
     lambda: CARD.check_payload("evolink", BODY, video={"seconds": 5}), "INVALID_VIDEO"),
    ("read_task video a number",
     lambda: CARD.read_task("evolink", {"id": "t", "status": "pending"}, video=5),
     "INVALID_VIDEO"),
    ("check_payload provider a list", lambda: CARD.check_payload(["evolink"], BODY),
     "INVALID_INPUT"),
]


@pytest.mark.parametrize(("name", "call", "code"), CASES, ids=[c[0] for c in CASES])
def test_a_wrong_python_type_is_a_quote_error(name: str, call: Callable[[], Any],
                                              code: str) -> None:
    with pytest.raises(QuoteError) as caught:
        call()
    assert caught.value.code == code, (name, caught.value)


@pytest.mark.parametrize("value", ["x" * 1_000_000, ["720p"] * 100_000, 10**5000,
                                   {"k" * 1000: "v" * 1000}],
                         ids=["long text", "long list", "huge integer", "long dict"])
def test_a_bad_value_is_quoted_in_a_few_dozen_characters(value: object) -> None:
    calls: tuple[Callable[[], Any], ...] = (
                 lambda: CARD.quote(*MODEL, quality=value),
                 lambda: CARD.quote(*MODEL, duration=value),
                 lambda: CARD.quote(*MODEL, sound=value),
                 lambda: CARD.quote(*MODEL, at=value),
                 lambda: CARD.compare(AnyNeed(family=value, duration=5)),
                 lambda: AnyNeed(duration=5, features=[value]))
    for call in calls:
        with pytest.raises(QuoteError) as caught:
            call()
        assert len(str(caught.value)) < 400, str(caught.value)[:500]


def test_an_unknown_model_of_a_megabyte_is_quoted_briefly() -> None:
    name = "kling" * 200_000
    with pytest.raises(ratecard.UnknownOfferingError) as caught:
        CARD.quote("evolink", name)
    assert len(str(caught.value)) < 400
    assert caught.value.suggestions == []


def test_brief_cuts_text_and_describes_integers_too_long_to_print() -> None:
    assert brief("ab") == "'ab'"
    assert brief(["720p"]) == "['720p']"
    assert len(brief("x" * 10_000)) <= 62
    assert brief(10**5000) == "an integer of 16610 bits"  # 5000 * log2(10) rounded up
    assert brief(True) == "True"


class Float64(float):
    """A float whose own repr is no number, as numpy's ``np.float64(5.0)``."""

    def __repr__(self) -> str:
        return f"np.float64({float(self)!r})"


class Array(list[str]):
    """An iterable of names that, like a numpy array, has no truth value for ``==``."""

    def __eq__(self, other: object) -> bool:
        raise ValueError("The truth value of an array is ambiguous")

    __hash__ = None


def test_a_float_subclass_is_read_at_its_value() -> None:
    """numpy's float64 reached Decimal through its repr: a raw decimal.InvalidOperation."""
    assert CARD.quote(*MODEL, duration=Float64(5.0)).credits == 27  # seed 001: 5.4 x 5
    assert Need(family="kling-3.0", mode="image-to-video", duration=Float64(10)).duration == 10
    assert VideoInfo(seconds=Float64(7.4)).seconds == Decimal("7.4")
    priced = CARD.with_credit_value("kling3api", Float64(500))
    assert priced.route(NEED, max_usd=Float64(2)).chain


def test_a_float_subclass_in_a_body_is_named_by_its_type() -> None:
    [found] = CARD.check_payload("evolink", {**BODY, "duration": Float64(5)})
    assert (found.code, found.path) == ("WRONG_TYPE", "duration")
    assert found.message == "duration must be a finite number, not a Float64"


def test_down_and_deny_may_be_any_iterable() -> None:
    """``down == ()`` asked a numpy array for its truth value: a raw ValueError."""
    down = CARD.route(NEED, down=Array(["evolink"]))
    denied = CARD.route(NEED, deny=Array(["evolink"]))
    for answer, code in ((down, "DOWN"), (denied, "DENIED")):
        assert "evolink" not in {step.provider for step in answer.chain}
        assert ("evolink", code) in {(e.provider, e.code) for e in answer.exclusions}
