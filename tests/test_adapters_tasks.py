"""Task records of both providers: statuses, credits, times, requests, and bad records."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

import ratecard
from ratecard import PayloadError, VideoInfo
from ratecard.payloads.dialects.evolink import STATUSES as EVOLINK_STATUSES
from ratecard.payloads.dialects.kling3api import STATUSES as KLING3API_STATUSES
from ratecard.payloads.tasks import STATUSES, normalise_status

CARD = ratecard.load()

EVOLINK: dict[str, Any] = {
    "created": 1757169743, "id": "task-1", "model": "kling-v3-image-to-video",
    "status": "pending", "task_info": {"video_duration": 5},
    "usage": {"billing_rule": "per_second", "credits_reserved": Decimal("27.0"),
              "user_group": "default"}}
KLING: dict[str, Any] = {"code": 200, "message": "success",
         "data": {"task_id": "n75x", "status": "SUCCESS", "consumed_credits": 400,
                  "created_at": "2026-02-05T10:30:00Z", "type": "pro-text-to-video",
                  "request": {"type": "pro-text-to-video", "prompt": "An eagle",
                              "duration": 5}}}


def with_data(**changes: Any) -> dict[str, Any]:
    return {**KLING, "data": {**KLING["data"], **changes}}


@pytest.mark.parametrize(("raw", "status"), [
    ("pending", "pending"), ("processing", "running"), ("completed", "succeeded"),
    ("failed", "failed"), ("cancelled", "cancelled"), ("Canceled", "cancelled")])
def test_evolink_statuses(raw: str, status: str) -> None:
    record = CARD.read_task("evolink", {**EVOLINK, "status": raw})
    assert (record.status, record.raw_status) == (status, raw)


@pytest.mark.parametrize(("raw", "status"), [
    ("IN_PROGRESS", "running"), ("SUCCESS", "succeeded"), ("FAILED", "failed"),
    ("PENDING", "pending")])
def test_kling3api_statuses(raw: str, status: str) -> None:
    assert CARD.read_task("kling3api", with_data(status=raw)).status == status


def test_every_vocabulary_maps_into_the_normalised_statuses() -> None:
    for vocabulary in (EVOLINK_STATUSES, KLING3API_STATUSES):
        assert set(vocabulary.values()) <= set(STATUSES)
    warnings: list[str] = []
    assert normalise_status("paused", EVOLINK_STATUSES, warnings) == "unknown"
    assert warnings == ["task status 'paused' is not a known status: normalised to unknown"]


def test_an_unknown_status_is_kept_with_a_warning() -> None:
    record = CARD.read_task("evolink", {**EVOLINK, "status": "paused"})
    assert (record.status, record.raw_status) == ("unknown", "paused")
    assert any("not a known status" in w for w in record.warnings)


def test_evolink_edit_task_is_priced_by_its_video_length() -> None:
    task = {**EVOLINK, "model": "kling-o3-video-edit", "task_info": {"video_duration": 7.4},
            "usage": {"credits_reserved": 56.7}}
    record = CARD.read_task("evolink", task)
    assert record.quote is not None
    assert record.quote.billed_seconds == Decimal(7)
    assert record.quote.credits == Decimal("56.7000")
    assert record.credits == Decimal("56.7")  # a plain float was read through its repr


def test_evolink_failed_task_keeps_its_error_message() -> None:
    record = CARD.read_task("evolink", {**EVOLINK, "status": "failed",
                                        "error": {"message": "content policy", "code": 400}})
    assert (record.status, record.error_message) == ("failed", "content policy")


def test_a_record_of_an_unknown_model_is_read_but_not_priced() -> None:
    record = CARD.read_task("evolink", {**EVOLINK, "model": "kling-v9"})
    assert record.quote is None
    assert record.quote_error is not None
    assert record.quote_error.startswith("UNKNOWN_MODEL")


def test_a_request_that_breaks_the_constraints_is_still_priced() -> None:
    long = with_data(request={"type": "pro-text-to-video", "prompt": "x" * 2001,
                              "duration": 5, "sound": False})
    record = CARD.read_task("kling3api", long)
    assert [(v.code, v.path) for v in record.request_violations] == [
        ("INVALID_PROMPT", "prompt")]
    assert record.quote is not None
    assert record.quote.credits == Decimal(270)


def test_a_request_that_cannot_be_priced_says_why() -> None:
    record = CARD.read_task("kling3api", with_data(request={"type": "pro-text-to-video",
                                                            "prompt": "x", "duration": 30}))
    assert record.quote is None
    assert record.quote_error is not None
    assert record.quote_error.startswith("INVALID_DURATION")
    assert record.duration == Decimal(30)


def test_the_request_given_wins_and_a_model_mismatch_is_reported() -> None:
    body = {"model": "kling-v3-text-to-video", "prompt": "A city", "duration": 5}
    record = CARD.read_task("evolink", EVOLINK, request=body)
    assert record.request is not None
    assert record.request.model == "kling-v3-text-to-video"
    assert any("differs from the request's" in w for w in record.warnings)


def test_kling3api_edit_request_with_video_metadata() -> None:
    record = CARD.read_task("kling3api", with_data(
        type="o3-std-video-edit", consumed_credits=360,
        request={"type": "o3-std-video-edit", "prompt": "Snow", "video": "https://x.test/v.mp4"}),
        video=VideoInfo(seconds=12))
    assert record.quote is not None
    assert record.quote.credits == record.credits == Decimal(360)
    assert record.request is not None
    assert record.request.input_seconds == Decimal(12)


def test_bare_data_objects_and_json_text_are_read() -> None:
    assert CARD.read_task("kling3api", KLING["data"]).task_id == "n75x"
    text = json.dumps({**EVOLINK, "usage": {"credits_reserved": 27.0}})
    assert CARD.read_task("evolink", text).credits_reserved == Decimal("27.0")


@pytest.mark.parametrize(("provider", "task", "code", "path"), [
    ("evolink", {k: v for k, v in EVOLINK.items() if k != "id"}, "MISSING_FIELD", "id"),
    ("evolink", {**EVOLINK, "status": None}, "MISSING_FIELD", "status"),
    ("evolink", {**EVOLINK, "created": "yesterday"}, "WRONG_TYPE", "created"),
    ("evolink", {**EVOLINK, "created": 10**20}, "WRONG_TYPE", "created"),
    ("evolink", {**EVOLINK, "usage": {"credits_reserved": "27"}}, "WRONG_TYPE",
     "usage.credits_reserved"),
    ("evolink", [EVOLINK], "INVALID_BODY", "(task)"),
    ("evolink", "{not json", "INVALID_JSON", "(body)"),
    ("kling3api", {"code": 400, "message": "INVALID_PROMPT"}, "TASK_ERROR", "code"),
    ("kling3api", {"code": 200, "data": "none"}, "WRONG_TYPE", "data"),
    ("kling3api", with_data(task_id=None), "MISSING_FIELD", "data.task_id"),
    ("kling3api", with_data(created_at="5 Feb"), "WRONG_TYPE", "data.created_at"),
    # in UTC the first moment of year 1 at +05:00 is before year 1 (was an OverflowError)
    ("kling3api", with_data(created_at="0001-01-01T00:00:00+05:00"), "WRONG_TYPE",
     "data.created_at"),
    ("kling3api", with_data(created_at="9999-12-31T23:59:59-05:00"), "WRONG_TYPE",
     "data.created_at"),
    ("kling3api", with_data(consumed_credits="400"), "WRONG_TYPE", "data.consumed_credits"),
    # ISO 8601 forms no invoice is read in (ratecard.timestamps): the basic form, a week
    # date, an ordinal date were read as 5 February by the record, refused on an invoice
    ("kling3api", with_data(created_at="20260205"), "WRONG_TYPE", "data.created_at"),
    ("kling3api", with_data(created_at="2026-W06-4"), "WRONG_TYPE", "data.created_at"),
    ("kling3api", with_data(created_at="2026-036"), "WRONG_TYPE", "data.created_at"),
    ("kling3api", with_data(created_at="2026-02-05T1030"), "WRONG_TYPE", "data.created_at"),
])
def test_bad_records_raise_a_payload_error_naming_the_field(
        provider: str, task: Any, code: str, path: str) -> None:
    with pytest.raises(PayloadError) as caught:
        CARD.read_task(provider, task)
    assert (caught.value.violations[0].code, caught.value.violations[0].path) == (code, path)


def test_unknown_record_fields_are_warnings() -> None:
    record = CARD.read_task("kling3api", with_data(queue_position=3))
    assert record.warnings == ("unknown field data.queue_position in the kling3api record: "
                               "not read",)
    evolink = CARD.read_task("evolink", {**EVOLINK, "results": ["https://x.test/v.mp4"]})
    assert any("unknown field results" in w for w in evolink.warnings)


def test_records_serialise_to_json_with_decimal_strings() -> None:
    data = CARD.read_task("kling3api", KLING).to_dict()
    text = json.dumps(data)
    assert json.loads(text)["credits"] == "400"
    assert data["created"] == "2026-02-05T10:30:00+00:00"
    assert data["quote"]["credits"] == "400"
    assert data["credits_basis"] == "consumed"


def test_a_record_code_that_is_not_a_number_is_a_payload_error() -> None:
    """A signalling NaN ``code`` raised decimal.InvalidOperation from ``code != 200``."""
    card = ratecard.load()
    data = {"task_id": "n", "status": "SUCCESS", "created_at": "2026-02-05T10:30:00Z",
            "request": {"type": "pro-text-to-video", "prompt": "A"}}
    for code in (Decimal("sNaN"), Decimal("NaN"), True, "200"):
        with pytest.raises(PayloadError):
            card.read_task("kling3api", {"code": code, "data": data})
    assert card.read_task("kling3api", {"code": 200, "data": data}).status == "succeeded"



def test_what_the_record_does_not_say_or_says_otherwise_is_warned_of() -> None:
    """A length the record and the request disagree on, a record without a creation time,
    and unknown keys inside task_info and usage were passed over without a word."""
    body = {"model": "kling-v3-image-to-video", "prompt": "x",
            "image_start": "https://example.com/a.jpg", "duration": 10}
    record = CARD.read_task("evolink", {**EVOLINK, "task_info": {"video_duration": 5}},
                            request=body)
    assert record.quote is not None
    assert record.quote.billed_seconds == Decimal(10)  # the request is priced
    assert "the record's length 5 s differs from the request's 10 s; the request is " \
        "priced" in record.warnings
    undated = {key: value for key, value in EVOLINK.items() if key != "created"}
    assert "the record gives no creation time: priced at the prices in force today" in \
        CARD.read_task("evolink", undated).warnings
    extra = CARD.read_task("evolink", {
        **EVOLINK, "usage": {"credits_reserved": 27.0, "credits_consumed": 27.0},
        "task_info": {"video_duration": 5, "resolution": "1080p"}})
    assert {w for w in extra.warnings if w.startswith("unknown field")} == {
        "unknown field usage.credits_consumed in the EvoLink task: not read",
        "unknown field task_info.resolution in the EvoLink task: not read"}


@pytest.mark.parametrize("code", ["200", True, [200]])
def test_a_code_that_is_not_a_number_is_a_wrong_type_not_an_error_response(
        code: object) -> None:
    """``"code": "200"`` was reported as "the record is an error response: code '200'"."""
    with pytest.raises(PayloadError) as caught:
        CARD.read_task("kling3api", {**KLING, "code": code})
    [violation] = caught.value.violations
    assert (violation.code, violation.path) == ("WRONG_TYPE", "code")
    assert "code must be a number (200 for a status record)" in violation.message
