"""Providers' task records reconcile like invoice lines: one per JSON line or in an array."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ratecard
from ratecard.reconcile.readers import InvoiceError, read_lines
from ratecard.reconcile.reconciler import LineResult, reconcile

CATALOG = ratecard.load(cache=False)

EVOLINK_TASK = {  # seed 001's response example
    "created": 1757169743, "id": "task-unified-1757169743-v3i2v",
    "model": "kling-v3-image-to-video", "object": "video.generation.task", "progress": 0,
    "status": "pending",
    "task_info": {"can_cancel": True, "estimated_time": 180, "video_duration": 5},
    "type": "video",
    "usage": {"billing_rule": "per_second", "credits_reserved": 27.0, "user_group": "default"},
}
KLING3API_RECORD = {  # seed 003's status response
    "code": 200, "message": "success",
    "data": {"task_id": "n75abc123kling3", "status": "SUCCESS", "consumed_credits": 400,
             "created_at": "2026-02-05T10:30:00Z",
             "request": {"type": "pro-text-to-video",
                         "prompt": "A majestic eagle soaring through clouds at sunset",
                         "duration": 5, "aspect_ratio": "16:9"},
             "response": ["https://cdn.example.com/videos/abc123.mp4"],
             "error_message": None, "type": "pro-text-to-video"},
}


def _run(path: Path) -> list[LineResult]:
    results, _ = reconcile(CATALOG, read_lines([path]))
    return results


def test_the_seed_task_records_reconcile_to_their_recorded_credits(tmp_path: Path) -> None:
    path = tmp_path / "tasks.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in (EVOLINK_TASK, KLING3API_RECORD)) + "\n")
    evolink, kling = _run(path)
    # seed 001's task object does not say the job's quality or sound (its request example
    # asks for 1080p with sound, 10 s); the object holds 27 credits for 5 s: 5 x 5.4, the
    # price of 720p without sound (multiplier 1.0), and of no other quality and sound
    assert (evolink.status, evolink.task_id) == ("MATCH", "task-unified-1757169743-v3i2v")
    assert (evolink.charged, evolink.expected) == (Decimal("27.0"), Decimal(27))
    assert evolink.reason == ("the task record does not say the job's quality and sound: "
                              "read from its charge as 720p, sound off, whose price it is")
    assert (kling.status, kling.charged, kling.expected, kling.day) == (
        "MATCH", Decimal(400), Decimal(400), "2026-02-05")


def test_a_json_array_of_records_is_numbered_by_element(tmp_path: Path) -> None:
    failed = json.loads(json.dumps(KLING3API_RECORD))
    failed["data"].update(task_id="n75bad", status="FAILED")
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([EVOLINK_TASK, KLING3API_RECORD, failed, "oops"]))
    results = _run(path)
    assert [(r.line, r.status) for r in results] == [
        (1, "MATCH"), (2, "MATCH"), (3, "CHARGED_FOR_FAILED"), (4, "INVALID_LINE")]
    assert results[2].difference == Decimal(400)


def test_overcharged_task_record_is_flagged(tmp_path: Path) -> None:
    record = json.loads(json.dumps(KLING3API_RECORD))
    record["data"]["consumed_credits"] = 420
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps(record) + "\n")
    (result,) = _run(path)
    assert (result.status, result.difference) == ("OVERCHARGE", Decimal(20))


def test_an_unreadable_record_is_an_invalid_line_not_an_abort(tmp_path: Path) -> None:
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps({"code": 200, "data": {"task_id": "x"}}) + "\n")
    (result,) = _run(path)
    assert result.status == "INVALID_LINE"
    assert "kling3api task record" in result.reason


def test_a_json_file_that_is_not_an_array_or_lines_is_unusable(tmp_path: Path) -> None:
    path = tmp_path / "tasks.json"
    path.write_text("[1, 2")
    with pytest.raises(InvoiceError, match="not a JSON array"):
        _run(path)


_EXPONENT_RECORD = ('{"code": 200, "data": {"task_id": "k1", "status": "SUCCESS", '
                    '"consumed_credits": 4e2, "created_at": "2026-02-05T10:30:00Z", '
                    '"request": {"type": "pro-text-to-video", "prompt": "x", '
                    '"duration": 5}}}\n')
"""Seed 003's pro text-to-video, 5 s with sound (80 credits/s): 400 credits, written as
the JSON number 4e2."""


@pytest.mark.parametrize("engine", ["python", pytest.param("duckdb", marks=pytest.mark.slow)])
def test_a_record_number_in_exponent_form_is_read_as_its_value(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The Python path wrote it as 4E+2, which the SQL engines refuse: one engine said
    MATCH, the others INVALID_LINE."""
    from ratecard.cli import main

    if engine == "duckdb":
        pytest.importorskip("duckdb")
    source, out = tmp_path / "k3.jsonl", tmp_path / "results.csv"
    source.write_text(_EXPONENT_RECORD, encoding="utf-8")
    status = main(["reconcile", str(source), "--engine", engine, "--out", str(out)])
    capsys.readouterr()
    assert status == 0
    assert out.read_text(encoding="utf-8").splitlines()[1] == (
        f"{source},1,k1,kling3api,pro-text-to-video,2026-02-05,succeeded,MATCH,credits,"
        "400,400,0,,start..open,")


@pytest.mark.parametrize("created", [20261101, 0, -34560000, 99999999])
def test_an_evolink_creation_time_is_read_as_invoices_read_unix_seconds(
        tmp_path: Path, created: int) -> None:
    """9 to 12 digits, from 1973: 20261101 was a second of 1970-08-23 and priced at the
    oldest prices, where an invoice line with the same timestamp is refused."""
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps({**EVOLINK_TASK, "created": created}) + "\n")
    (result,) = _run(path)
    assert result.status == "INVALID_LINE"
    assert result.reason.endswith(
        "created must be a Unix time in seconds, 9 to 12 digits (1973 to 9999), not "
        f"{created}")


def test_the_first_evolink_creation_time_read_is_in_1973(tmp_path: Path) -> None:
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps({**EVOLINK_TASK, "created": 100000000,
                                "status": "failed"}) + "\n")
    (result,) = _run(path)
    assert (result.status, result.day) == ("MATCH", "1973-03-03")  # a released hold


def _kling(request: dict[str, object], consumed: int = 800) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(json.dumps(KLING3API_RECORD))
    record["data"].update(consumed_credits=consumed, request=request)
    return record


def test_a_carried_request_without_type_is_of_the_records_type(tmp_path: Path) -> None:
    """Seed 003's record names the type twice (data.type, data.request.type); a request
    without its own lost its duration and was priced at the defaults: 10 s billed 800
    credits was an OVERCHARGE of 400."""
    record = _kling({"prompt": "eagle", "duration": 10})
    read = CATALOG.read_task("kling3api", record)
    assert read.quote is not None
    assert read.request is not None
    assert (read.quote.credits, read.request.duration) == (Decimal(800), Decimal(10))
    assert "data.request has no type: data.type 'pro-text-to-video' is taken" in \
        " ".join(read.warnings)
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps(record) + "\n")
    (result,) = _run(path)
    assert (result.status, result.expected) == ("MATCH", Decimal(800))


@pytest.mark.parametrize(("request_", "said"), [
    ({"type": "pro-text-to-video", "prompt": "x", "duration": "10"},
     "duration must be a finite number, not a string '10'"),
    ({"type": "pro-text-to-video", "prompt": "x", "duration": 10, "sound": "false"},
     "sound must be true or false, not a string 'false'"),
])
def test_a_price_term_the_request_states_unreadably_is_not_priced_at_a_default(
        tmp_path: Path, request_: dict[str, object], said: str) -> None:
    """"duration": "10" was dropped and the job priced at the card's 5 s (OVERCHARGE 400);
    "sound": "false" at sound on (UNDERCHARGE 260)."""
    record = _kling(request_, consumed=540)
    read = CATALOG.read_task("kling3api", record)
    assert read.quote is None
    assert said in (read.quote_error or "")
    assert read.unread == (said,)
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps(record) + "\n")
    (result,) = _run(path)
    assert (result.status, result.task_id, result.charged, result.expected) == (
        "INVALID_LINE", "n75abc123kling3", Decimal(540), None)
    assert said in result.reason
    assert "not priced with the card's defaults" in result.reason


def test_a_null_price_term_is_left_out_not_unreadable() -> None:
    read = CATALOG.read_task("kling3api", _kling(
        {"type": "pro-text-to-video", "prompt": "x", "duration": None}, consumed=400))
    assert read.unread == ()
    assert read.quote is not None
    assert read.quote.credits == Decimal(400)  # the card's 5 s, as for a missing key


@pytest.mark.parametrize("extra", [
    {"id": "row-17", "usage": {"credits_reserved": 108.0}},
    {"data": {"task_id": "n75x", "status": "SUCCESS"}},
    {"id": "row-17", "object": "video.generation.task"},
])
def test_an_invoice_line_carrying_a_sellers_keys_is_still_an_invoice_line(
        tmp_path: Path, extra: dict[str, object]) -> None:
    """An export that kept the seller's id and usage beside the invoice's columns was read
    as an EvoLink task object (task id row-17, "missing timestamp"), or, with a data
    object, as a kling3api record whose provider replaced the line's: its charge left
    every total."""
    line = {"task_id": "inv-1", "provider": "evolink", "model": "kling-v3-image-to-video",
            "timestamp": "2026-11-02", "duration": 10, "quality": "1080p", "sound": "on",
            "charged": 108.0, "currency": "credits", "status": "succeeded", **extra}
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps(line) + "\n")
    (result,) = _run(path)
    assert (result.status, result.task_id, result.provider, result.charged) == (
        "MATCH", "inv-1", "evolink", Decimal("108.0"))  # 10 s x 5.4 x 2.0 (seed 001)


def _evolink_ten_seconds(credits: str, task_id: str = "t-10") -> dict[str, Any]:
    """A completed EvoLink task object (seed 001's shape) of 10 s holding ``credits``."""
    return {**EVOLINK_TASK, "id": task_id, "status": "completed", "created": 1793577600,
            "task_info": {"video_duration": 10},
            "usage": {"credits_reserved": json.loads(credits)}}


# 10 s of Kling 3.0 at EvoLink, 5.4 credits/s (seed 001) times the multiplier of each
# quality and sound: 720p off 1.0, 720p on 1.5, 1080p off 1.333, 1080p on 2.0
TEN_SECONDS = {"720p, sound off": "54", "720p, sound on": "81",
               "1080p, sound off": "71.982", "1080p, sound on": "108"}


@pytest.mark.parametrize("terms", list(TEN_SECONDS))
def test_an_evolink_task_of_unknown_quality_and_sound_is_read_from_its_charge(
        tmp_path: Path, terms: str) -> None:
    """The record does not say the quality or sound. Priced at the card's defaults (720p,
    sound off: 54) a correct 108-credit hold was an OVERCHARGE of 54; refused outright,
    seed 001's own example could not be checked. A charge that is the price of exactly one
    quality and sound is that job's charge: a MATCH that says what it read."""
    task = _evolink_ten_seconds(TEN_SECONDS[terms])
    assert CATALOG.read_task("evolink", task).assumed == ("quality", "sound")
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps(task) + "\n")
    (result,) = _run(path)
    assert (result.status, result.task_id, result.expected) == (
        "MATCH", "t-10", Decimal(TEN_SECONDS[terms]))
    assert result.reason == ("the task record does not say the job's quality and sound: "
                             f"read from its charge as {terms}, whose price it is")


@pytest.mark.parametrize(("charged", "status", "expected", "against"), [
    ("120", "OVERCHARGE", "108", "checked against the dearest, 1080p, sound on, as the "
                                 "charge is above the price of every one"),
    ("20", "UNDERCHARGE", "54", "checked against the cheapest, 720p, sound off, as the "
                                "charge is below the price of every one"),
])
def test_a_charge_beyond_every_price_is_checked_against_the_nearest_bound(
        tmp_path: Path, charged: str, status: str, expected: str, against: str) -> None:
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps(_evolink_ten_seconds(charged)) + "\n")
    (result,) = _run(path)
    assert (result.status, result.expected, result.difference) == (
        status, Decimal(expected), Decimal(charged) - Decimal(expected))
    assert result.reason.endswith(
        "; the task record does not say the job's quality and sound: " + against)


def test_a_charge_between_prices_and_none_of_them_is_not_checked(tmp_path: Path) -> None:
    """60 credits lies between 54 (720p, sound off) and 71.982 (1080p, sound off): which
    job it was, and so whether it was charged right, cannot be told from the record."""
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps(_evolink_ten_seconds("60")) + "\n")
    (result,) = _run(path)
    assert (result.status, result.charged, result.expected) == (
        "INVALID_LINE", Decimal(60), None)
    assert "does not say the job's quality and sound" in result.reason
    # cheapest first: 54 = 10 x 5.4, 71.982 = x 1.333, 81 = x 1.5, 108 = x 2.0 (seed 001)
    assert ("its charge 60 is the price of none of them (720p, sound off: 54.0000; 1080p, "
            "sound off: 71.9820; 720p, sound on: 81.0000; 1080p, sound on: 108.0000)"
            in result.reason)


def test_a_task_of_unknown_terms_below_the_billing_minimum_is_read_at_the_minimum(
        tmp_path: Path) -> None:
    """2 s of Kling 3.0 at EvoLink is billed as 3 s (seed 001: "Minimum billing: 3
    seconds"): 3 x 5.4 x 1.5 = 24.3 credits is 720p with sound."""
    task = {**_evolink_ten_seconds("24.3"), "task_info": {"video_duration": 2}}
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps(task) + "\n")
    (result,) = _run(path)
    assert (result.status, result.charged, result.expected) == (
        "MATCH", Decimal("24.3"), Decimal("24.3"))
    assert result.reason.endswith("read from its charge as 720p, sound on, whose price it is")


def test_a_task_of_unknown_terms_and_no_creation_time_is_refused_for_its_day(
        tmp_path: Path) -> None:
    """No day, no price in force to read the terms from: the line says what it lacks and
    nothing about terms read at some other day's prices."""
    task = _evolink_ten_seconds("54")
    del task["created"]
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps(task) + "\n")
    (result,) = _run(path)
    assert (result.status, result.charged, result.expected) == (
        "INVALID_LINE", Decimal(54), None)
    assert result.reason.endswith(":1: missing timestamp"), result.reason


def test_a_failed_task_of_unknown_terms_owes_nothing_as_before(tmp_path: Path) -> None:
    task = {**_evolink_ten_seconds("108"), "status": "failed"}
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps(task) + "\n")
    (result,) = _run(path)
    assert (result.status, result.charged, result.expected) == ("MATCH", Decimal(0),
                                                                Decimal(0))
    assert "quality" not in result.reason


def test_an_evolink_task_of_an_offering_with_one_quality_and_sound_is_checked(
        tmp_path: Path) -> None:
    """O1 video edit: 720p only, no sound choice; 12 credits/s of the input, 3-10 s billed
    (seed 002): 7 s is 84 credits."""
    task = {**EVOLINK_TASK, "id": "t-edit", "model": "kling-o1-video-edit",
            "status": "completed", "created": 1793577600,
            "task_info": {"video_duration": 7}, "usage": {"credits_reserved": 84}}
    assert CATALOG.read_task("evolink", task).assumed == ()
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps(task) + "\n")
    (result,) = _run(path)
    assert (result.status, result.expected) == ("MATCH", Decimal(84))


def test_a_record_whose_model_and_request_disagree_is_not_checked(tmp_path: Path) -> None:
    """data.type std, data.request.type pro: the request was priced and the 600 credits
    charged reported as an UNDERCHARGE of 200, without a word of the disagreement."""
    record = _kling({"type": "pro-text-to-video", "prompt": "x", "duration": 10},
                    consumed=600)
    record["data"]["type"] = "std-text-to-video"
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps(record) + "\n")
    (result,) = _run(path)
    assert (result.status, result.charged) == ("INVALID_LINE", Decimal(600))
    assert "names the model 'std-text-to-video' but its request 'pro-text-to-video'" in \
        result.reason


def test_a_failed_task_owes_nothing_whatever_its_record_leaves_unsaid(tmp_path: Path) -> None:
    """Its expected amount is 0 whatever the model, quality or length: it is checked."""
    disagreeing = _kling({"type": "pro-text-to-video", "prompt": "x", "duration": "10"},
                         consumed=0)
    disagreeing["data"].update(type="std-text-to-video", status="FAILED")
    evolink = {**EVOLINK_TASK, "status": "failed", "usage": {"credits_reserved": 27.0}}
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps(disagreeing) + "\n" + json.dumps(evolink) + "\n")
    assert [(r.status, r.expected) for r in _run(path)] == [
        ("MATCH", Decimal(0)), ("MATCH", Decimal(0))]
