"""Requests that cannot be priced fail with a stable code, the field at fault and a
message that says what would be accepted; harmless oddities are warnings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ratecard import QuoteError, RatecardError, UnknownOfferingError
from tests.strategies import CATALOG

V3 = ("evolink", "kling-v3-image-to-video")
O3_EDIT = ("evolink", "kling-o3-video-edit")
O1_EDIT = ("evolink", "kling-o1-video-edit")


# --------------------------------------------------------------------------- unknown names


def test_unknown_provider_suggests_close_matches() -> None:
    with pytest.raises(UnknownOfferingError, match=r"unknown provider 'evolnk'; did you mean "
                       r"evolink\?") as info:
        CATALOG.quote("evolnk", "kling-v3-image-to-video")
    error = info.value
    assert error.code == "UNKNOWN_PROVIDER"
    assert error.field == "provider"
    assert error.suggestions == ["evolink"]
    assert f"known: {', '.join(CATALOG.providers)}" in str(error)
    assert "kling3api" in str(error)
    assert isinstance(error, QuoteError)
    assert isinstance(error, LookupError)
    assert isinstance(error, RatecardError)


def test_unknown_provider_with_nothing_close() -> None:
    with pytest.raises(UnknownOfferingError, match="unknown provider 'zzz'") as info:
        CATALOG.quote("zzz", "anything")
    assert info.value.suggestions == []
    assert "did you mean" not in str(info.value)


def test_unknown_model_suggests_close_matches() -> None:
    with pytest.raises(UnknownOfferingError, match="did you mean kling-v3-image-to-video") as info:
        CATALOG.quote("evolink", "kling-v3-image-to-vid")
    assert info.value.code == "UNKNOWN_MODEL"
    assert info.value.field == "model"
    assert info.value.suggestions[0] == "kling-v3-image-to-video"


def test_a_kling3api_type_asked_at_evolink_names_its_seller() -> None:
    with pytest.raises(UnknownOfferingError, match=r"'pro-text-to-video' is sold by kling3api"):
        CATALOG.quote("evolink", "pro-text-to-video")


def test_an_evolink_model_asked_at_kling3api_names_its_seller() -> None:
    with pytest.raises(UnknownOfferingError, match=r"is sold by evolink") as info:
        CATALOG.quote("kling3api", "kling-o1-video-edit")
    assert info.value.code == "UNKNOWN_MODEL"


def test_plan_raises_like_quote() -> None:
    with pytest.raises(UnknownOfferingError, match="did you mean evolink"):
        CATALOG.plan("evolinc", "kling-v3-image-to-video")
    with pytest.raises(UnknownOfferingError, match="unknown provider"):
        CATALOG.plans("nobody")


# --------------------------------------------------------------------------- quality / sound


def test_unknown_quality_lists_the_offered_ones() -> None:
    with pytest.raises(QuoteError, match="does not offer quality '4k'; choose one of 720p, "
                       "1080p") as info:
        CATALOG.quote(*V3, quality="4k")
    assert info.value.code == "INVALID_QUALITY"
    assert info.value.field == "quality"


def test_a_quality_of_another_offering_is_refused() -> None:
    with pytest.raises(QuoteError, match="choose one of 1080p") as info:
        CATALOG.quote("kling3api", "pro-text-to-video", quality="720p")
    assert info.value.code == "INVALID_QUALITY"


@pytest.mark.parametrize("sound", ["maybe", "", "1", 1, 0, 1.0])
def test_unreadable_sound_values(sound: object) -> None:
    with pytest.raises(QuoteError, match="sound must be on or off") as info:
        CATALOG.quote(*V3, sound=sound)  # type: ignore[arg-type]
    assert info.value.code == "INVALID_SOUND"
    assert info.value.field == "sound"


@pytest.mark.parametrize(("sound", "on"), [(True, True), (False, False), ("on", True),
                                           ("off", False), ("ON", True), (" Off ", False),
                                           ("true", True), ("false", False)])
def test_readable_sound_values(sound: bool | str, on: bool) -> None:
    assert CATALOG.quote(*V3, sound=sound).sound is on


def test_sound_an_offering_does_not_sell() -> None:
    with pytest.raises(QuoteError, match="does not offer sound on; it offers sound off") as info:
        CATALOG.quote("evolink", "kling-o3-text-to-video", sound=True)
    assert info.value.code == "INVALID_SOUND"
    assert info.value.field == "sound"


def test_sound_on_for_o3_video_edit_is_forced_off_with_a_warning() -> None:
    forced = CATALOG.quote(*O3_EDIT, input_seconds=5, sound=True)
    plain = CATALOG.quote(*O3_EDIT, input_seconds=5, sound=False)
    assert forced.sound is False
    assert forced.credits == plain.credits == Decimal("40.5")
    assert len(forced.warnings) == 1
    assert forced.warnings[0].startswith("sound forced off: ")
    assert "video input" in forced.warnings[0]
    assert plain.warnings == ()
    assert CATALOG.quote(*O3_EDIT, input_seconds=5, sound="on").warnings == forced.warnings


# --------------------------------------------------------------------------- seconds


def test_input_seconds_on_a_generation_offering() -> None:
    with pytest.raises(QuoteError, match="billed by duration; input_seconds applies only to "
                       "video-edit offerings") as info:
        CATALOG.quote(*V3, input_seconds=5)
    assert info.value.code == "INVALID_INPUT"
    assert info.value.field == "input_seconds"


@pytest.mark.parametrize("offering", [O3_EDIT, O1_EDIT])
def test_missing_input_seconds_on_an_evolink_edit(offering: tuple[str, str]) -> None:
    with pytest.raises(QuoteError, match="billed by the input video's length: give "
                       "input_seconds") as info:
        CATALOG.quote(*offering)
    assert info.value.code == "MISSING_VIDEO"
    assert info.value.field == "input_seconds"


def test_missing_input_seconds_even_with_a_duration() -> None:
    with pytest.raises(QuoteError, match="give input_seconds") as info:
        CATALOG.quote(*O3_EDIT, duration=5)
    assert info.value.code == "MISSING_VIDEO"


@pytest.mark.parametrize("offering", [O3_EDIT, O1_EDIT])
def test_duration_on_an_edit_is_a_warning_not_an_error(offering: tuple[str, str]) -> None:
    quote = CATALOG.quote(*offering, input_seconds=6, duration=15)
    assert quote.billed_seconds == Decimal(6)
    assert "duration is ignored: this edit is billed by the input video's length" in \
        quote.warnings
    assert quote.credits == CATALOG.quote(*offering, input_seconds=6).credits


def test_duration_on_a_fixed_price_is_a_warning() -> None:
    quote = CATALOG.quote("kling3api", "o3-std-video-edit", duration=8)
    assert quote.credits == Decimal(360)
    assert quote.warnings[0] == "duration is ignored: this offering has a fixed price"


@pytest.mark.parametrize(
    ("duration", "shown"),
    [(2, "2"), (16, "16"), (0, "0"), (-5, "-5"), (5.5, "5.5"), ("5.5", "5.5"),
     (Decimal("3.01"), "3.01")],
)
def test_out_of_range_duration_names_the_range(duration: object, shown: str) -> None:
    with pytest.raises(QuoteError, match=rf"duration {shown} s is not accepted by "
                       r"evolink/kling-v3-image-to-video: it accepts 3\.\.15 s, whole "
                       r"seconds") as info:
        CATALOG.quote(*V3, duration=duration)
    assert info.value.code == "INVALID_DURATION"
    assert info.value.field == "duration"


@pytest.mark.parametrize("duration", ["abc", True, float("nan"), float("inf"), [5], None])
def test_unreadable_durations(duration: object) -> None:
    if duration is None:  # no duration is the provider's default, not an error
        assert CATALOG.quote(*V3, duration=duration).billed_seconds == Decimal(5)
        return
    with pytest.raises(QuoteError, match="duration must be") as info:
        CATALOG.quote(*V3, duration=duration)
    assert info.value.code == "INVALID_DURATION"
    assert info.value.field == "duration"


@pytest.mark.parametrize("seconds", [0, -1, "-0.5"])
def test_non_positive_input_length_on_an_edit(seconds: object) -> None:
    with pytest.raises(QuoteError, match=r"input_seconds .* is not accepted") as info:
        CATALOG.quote(*O1_EDIT, input_seconds=seconds)
    assert info.value.code == "INVALID_DURATION"
    assert info.value.field == "input_seconds"


def test_o3_edit_input_shorter_than_3_s() -> None:
    with pytest.raises(QuoteError, match="it accepts at least 3 s") as info:
        CATALOG.quote(*O3_EDIT, input_seconds="2.9")
    assert info.value.code == "INVALID_DURATION"


@pytest.mark.parametrize("seconds", [0, -5])
def test_non_positive_input_length_on_a_fixed_price(seconds: int) -> None:
    with pytest.raises(QuoteError, match="input_seconds") as info:
        CATALOG.quote("kling3api", "o3-pro-video-edit", input_seconds=seconds)
    assert info.value.code == "INVALID_DURATION"


@pytest.mark.parametrize(("offering", "field"), [(("kling3api", "pro-text-to-video"),
                                                  "duration"),
                                                 (O1_EDIT, "input_seconds")])
def test_over_precise_seconds_are_a_quote_error(offering: tuple[str, str], field: str) -> None:
    length: dict[str, Any] = {field: Decimal("3." + "1" * 70)}
    with pytest.raises(QuoteError):
        CATALOG.quote(*offering, **length)


def test_a_refusal_message_does_not_contradict_itself() -> None:
    with pytest.raises(QuoteError, match="is not accepted") as info:
        CATALOG.quote(*O1_EDIT, input_seconds=0)
    assert "any length" not in str(info.value)


@pytest.mark.parametrize("seconds", ["1E+60", "12345678901"])
def test_absurd_lengths_are_a_quote_error(seconds: str) -> None:
    with pytest.raises(QuoteError, match="not a plausible number of seconds") as info:
        CATALOG.quote("evolink", "kling-o3-video-edit", input_seconds=Decimal(seconds))
    assert info.value.code == "INVALID_DURATION"
