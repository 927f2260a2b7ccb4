"""``ratecard route --payload FILE --provider P`` and the health options, on the command
line. Figures: seed 001 (EvoLink 5.4 credits/s x 2.0 for 1080p with sound, 72 credits per
USD), seed 003 (kling3api pro 80 credits/s with audio, here at a supplied 500 per USD)."""

from __future__ import annotations

import argparse
import json
import tracemalloc
from pathlib import Path

import pytest

import ratecard
from ratecard.cli import main
from ratecard.cli.gateway import health_from

BODY = {"model": "kling-v3-image-to-video", "prompt": "Dusk",
        "image_start": "https://example.com/a.jpg", "duration": 10, "quality": "1080p",
        "sound": "on", "callback_url": "https://hooks.example.com/done"}
FAILURES = [{"provider": "evolink", "model": "kling-v3-image-to-video", "outcome": "failed",
             "at": f"2026-12-03T10:0{minute}:00Z", "latency": 2} for minute in range(5)]
NOW = ["--now", "2026-12-03T10:05:00Z"]
CREDIT = ["--credits-per-usd", "kling3api=500"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    body = tmp_path / "body.json"
    body.write_text(json.dumps(BODY))
    outcomes = tmp_path / "outcomes.jsonl"
    outcomes.write_text("\n".join(json.dumps(item) for item in FAILURES) + "\n")
    return {"body": str(body), "outcomes": str(outcomes)}


def test_table_lists_each_body(capsys: pytest.CaptureFixture[str],
                               files: dict[str, str]) -> None:
    status, out, _ = run(capsys, "route", "--payload", files["body"], "--provider",
                         "evolink", *CREDIT)
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == ("route: evolink kling-v3-image-to-video body -> kling-3.0 "
                        "image-to-video, 1080p, sound on, 10 s")
    ranked = [line.split()[:2] for line in lines if line[:1].isdigit()]
    assert ranked == [["1", "evolink"], ["2", "kling3api"], ["3", "fal"]]
    assert "108.0000 credits" in out
    assert "1.500000" in out
    assert "800 credits" in out
    assert "1.600000" in out
    body_2 = lines[lines.index("body 2 (kling3api/pro-image-to-video, translated from "
                               "evolink):") + 1]
    assert json.loads(body_2) == {"type": "pro-image-to-video", "prompt": "Dusk",
                                  "image": "https://example.com/a.jpg", "duration": 10,
                                  "sound": True}
    assert "changed: callback_url: a kling3api body has no place" in out
    body_3 = lines[lines.index("body 3 (fal/v3-pro-image-to-video, translated from "
                               "evolink):") + 1]
    assert json.loads(body_3) == {  # fal's v3 pro image-to-video input schema (llms.txt)
        "endpoint_id": "fal-ai/kling-video/v3/pro/image-to-video",
        "input": {"prompt": "Dusk", "start_image_url": "https://example.com/a.jpg",
                  "duration": "10", "generate_audio": True}}
    assert "1.680000" in out  # 0.168 USD/s x 10 s (market-prices.md)
    assert "NO_DIALECT" in out  # comfy


def test_the_table_writes_no_control_character_of_a_body(capsys: pytest.CaptureFixture[str],
                                                         tmp_path: Path) -> None:
    """A body's right-to-left override or C1 control reached the terminal raw; each is a
    JSON escape now, so the line is still the same JSON."""
    body = tmp_path / "body.json"
    prompt = "Dusk \u202e\u009b2J"
    body.write_text(json.dumps({**BODY, "prompt": prompt}))
    status, out, _ = run(capsys, "route", "--payload", str(body), "--provider", "evolink",
                         *CREDIT)
    assert status == 0
    assert not {"\u202e", "\u009b"} & set(out)
    shown = [line for line in out.splitlines() if line.startswith("  {")]
    assert len(shown) == 3
    assert json.loads(shown[0])["prompt"] == prompt
    assert "\\u202e\\u009b2J" in shown[0]


def test_json_carries_the_bodies(capsys: pytest.CaptureFixture[str],
                                 files: dict[str, str]) -> None:
    status, out, _ = run(capsys, "route", "--payload", files["body"], "--provider",
                         "evolink", "--format", "json")
    assert status == 0
    data = json.loads(out)
    step, fal = data["chain"]  # no kling3api credit value: it is USD_UNKNOWN
    assert step["body"] == BODY
    assert (fal["provider"], fal["usd"], fal["body"]["input"]["duration"]) == \
        ("fal", "1.680000", "10")
    assert (step["provider"], step["usd"], step["body_basis"]) == ("evolink", "1.500000",
                                                                   "documented")
    codes = {(e["provider"], e["model"]): e["code"] for e in data["excluded"]}
    assert codes[("kling3api", "pro-image-to-video")] == "USD_UNKNOWN"
    assert codes[("comfy", "kling-v3-image-to-video")] == "NO_DIALECT"


def test_outcomes_open_a_circuit(capsys: pytest.CaptureFixture[str],
                                 files: dict[str, str]) -> None:
    status, out, _ = run(capsys, "route", "--payload", files["body"], "--provider",
                         "evolink", *CREDIT, "--outcomes", files["outcomes"], *NOW)
    assert status == 0
    assert "health: evolink/kling-v3-image-to-video open, retry at 2026-12-03T10:06:00Z " \
           "(in 60 s)" in out
    ranked = [line.split()[1] for line in out.splitlines() if line[:1].isdigit()]
    assert ranked == ["kling3api", "fal"]
    status, out, _ = run(capsys, "route", "--payload", files["body"], "--provider",
                         "evolink", "--outcomes", files["outcomes"], *NOW, "--format",
                         "json")
    data = json.loads(out)
    assert status == 0  # evolink is open and kling3api has no USD value: fal is left
    assert [step["provider"] for step in data["chain"]] == ["fal"]
    (unhealthy,) = [e for e in data["excluded"] if e["code"] == "UNHEALTHY"]
    assert unhealthy["retry_at"] == 1796292360.0  # 2026-12-03T10:06:00Z
    assert data["circuits"][0]["state"] == "open"


def test_outcomes_work_with_a_need_too(capsys: pytest.CaptureFixture[str],
                                       files: dict[str, str]) -> None:
    status, out, _ = run(capsys, "route", "--family", "kling-3.0", "--mode",
                         "image-to-video", "--quality", "1080p", "--sound", "on",
                         "--duration", "10", "--outcomes", files["outcomes"], *NOW)
    assert status == 0
    assert next(line.split()[1] for line in out.splitlines() if line[:1].isdigit()) == "comfy"
    assert "UNHEALTHY" in out


def _circuits(capsys: pytest.CaptureFixture[str], body: str, *outcomes: Path) -> object:
    status, out, err = run(capsys, "route", "--payload", body, "--provider", "evolink",
                           "--outcomes", *map(str, outcomes), *NOW, "--format", "json")
    assert status == 0, err
    return json.loads(out)["circuits"]


def test_an_outcome_is_read_in_any_case_as_an_invoice_is(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, files: dict[str, str]) -> None:
    """``FAILED`` and ``EvoLink`` (the seller's own spelling) refused the whole file
    ("outcome must be one of ...", "unknown provider 'EvoLink'") although an invoice's
    words and names are read in any case: the same five failures, spelt loosely, open the
    same circuit."""
    spelt = [{**item, "provider": ["EvoLink", " EVOLINK", "evolink"][n % 3],
              "model": "Kling-V3-Image-To-Video" if n % 2 else item["model"],
              "outcome": ["FAILED", " Failed ", "failed"][n % 3]}
             for n, item in enumerate(FAILURES)]
    loose = tmp_path / "loose.jsonl"
    loose.write_text("\n".join(json.dumps(item) for item in spelt))
    circuits = _circuits(capsys, files["body"], loose)
    assert circuits == _circuits(capsys, files["body"], Path(files["outcomes"]))
    assert isinstance(circuits, list)
    assert [(c["provider"], c["model"], c["state"])
            for c in circuits] == [("evolink", "kling-v3-image-to-video", "open")]
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({**FAILURES[0], "outcome": "FAILURE"}) + "\n")
    status, _, err = run(capsys, "route", "--payload", files["body"], "--provider",
                         "evolink", "--outcomes", str(other), *NOW)
    assert status == 2
    assert "outcome must be one of succeeded, failed, timed_out, not 'FAILURE'" in err


def test_a_latency_written_as_text_is_read_as_its_number(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, files: dict[str, str]) -> None:
    """``"latency": "2.5"`` refused the whole file although ``at`` is read from text and
    an invoice's amounts are: a plain decimal in text is that number of seconds."""
    texts = ["2", " 2 ", "2.0", "2", "2e0"]
    loose = tmp_path / "loose.jsonl"
    loose.write_text("\n".join(json.dumps({**item, "latency": text})
                               for item, text in zip(FAILURES, texts, strict=True)))
    circuits = _circuits(capsys, files["body"], loose)
    assert circuits == _circuits(capsys, files["body"], Path(files["outcomes"]))
    assert isinstance(circuits, list)
    assert [(c["state"], c["latency"]) for c in circuits] == [("open", 2.0)]
    for text in ("-1", "1_0", "NaN", "\uff12", "2 s"):  # a full-width 2
        bad = tmp_path / "bad.jsonl"
        bad.write_text(json.dumps({**FAILURES[0], "latency": text}) + "\n")
        status, _, err = run(capsys, "route", "--payload", files["body"], "--provider",
                             "evolink", "--outcomes", str(bad), *NOW)
        assert status == 2
        assert f"{bad}:1: latency must be a finite number of seconds >= 0" in err


def test_the_order_of_outcomes_does_not_change_the_circuits(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, files: dict[str, str]) -> None:
    """Five failures 10:00-10:04 open the circuit at 10:04 (cool-down 120 s: retry at
    10:06) whatever order the lines and files are in; read newest first, the fifth line
    (10:00) used to open it at 10:00, half-open by 10:05."""
    success = {"provider": "evolink", "model": "kling-v3-image-to-video",
               "outcome": "succeeded", "at": "2026-12-03T09:59:00Z"}
    in_order = tmp_path / "in_order.jsonl"
    in_order.write_text("\n".join(json.dumps(i) for i in [success, *FAILURES]))
    newest_first = tmp_path / "newest_first.jsonl"
    newest_first.write_text("\n".join(json.dumps(i) for i in [*FAILURES[::-1], success]))
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text(json.dumps([FAILURES[3], FAILURES[0], success]))
    second.write_text(json.dumps([FAILURES[4], FAILURES[2], FAILURES[1]]))
    expected = _circuits(capsys, files["body"], in_order)
    assert expected[0]["state"] == "open"  # type: ignore[index]
    assert expected[0]["retry_at"] == 1796292360.0  # type: ignore[index]  # 10:06:00Z
    assert _circuits(capsys, files["body"], newest_first) == expected
    assert _circuits(capsys, files["body"], second, first) == expected


@pytest.mark.parametrize(("item", "said"), [
    ({"provider": "evolink", "model": "kling-v3-image-to-video", "outcome": "failed",
      "at": "2099-01-01T00:00:00Z"}, "at 2099-01-01T00:00:00Z is after the time the "
     "circuits are read at (2026-12-03T10:05:00Z)"),
    ({"provider": "evolink", "model": "kling-v3-image-to-video", "outcome": "failed"},
     "at is missing"),
    ({"provider": "evolnk", "model": "kling-v3-image-to-video", "outcome": "failed",
      "at": 0}, "unknown provider 'evolnk'"),
    ({"provider": "evolink", "model": "kling-v9", "outcome": "failed", "at": 0},
     "kling-v9"),
    ({"provider": "evolink", "model": "kling-v3-image-to-video", "outcome": "failed",
      "at": "NaN"}, "at must be an ISO 8601 time or Unix seconds"),
    ({"provider": "evolink", "model": "kling-v3-image-to-video", "outcome": "failed",
      "at": 1e20}, "at must be an ISO 8601 time or Unix seconds, from 1970 to 9999"),
    ({"id": "t1", "model": "kling-v3-image-to-video", "status": "failed",
      "object": "video.generation.task"}, "without its creation time"),
    # a failed task of no model was dropped without a word
    ({"id": "t1", "status": "failed", "object": "video.generation.task",
      "created": 1764756000}, "a failed task record without its model cannot be placed"),
    ({"code": 200, "data": {"task_id": "n1", "status": "FAILED",
                            "created_at": "2026-12-03T10:00:00Z"}},
     "a failed task record without its model cannot be placed"),
    ({"provider": "evolink", "model": "kling-v3-image-to-video", "outcome": "failed",
      "at": 0, "latency": -1}, "latency must be a finite number of seconds >= 0"),
    ({"provider": "evolink", "model": "kling-v3-image-to-video", "outcome": "failed",
      "at": 0, "latency": 1e300}, "latency must be a finite number of seconds >= 0"),
    ({"provider": "evolink", "model": "kling-v3-image-to-video", "outcome": "failed",
      "at": 0, "latency": "abc"}, "latency must be a finite number of seconds >= 0"),
    ({"id": "t1", "model": "kling-v3-image-to-video", "status": "failed", "created": -100,
      "object": "video.generation.task"},
     "created must be a Unix time in seconds, 9 to 12 digits (1973 to 9999), not -100"),
    # 20261101 is a date without dashes: it was read as a second of 1970-08-23
    ({"id": "t1", "model": "kling-v3-image-to-video", "status": "failed",
      "created": 20261101, "object": "video.generation.task"},
     "created must be a Unix time in seconds, 9 to 12 digits (1973 to 9999), not 20261101"),
    ({"code": 200, "data": {"task_id": "n1", "status": "FAILED", "type": "pro-text-to-video",
                            "created_at": "0001-01-01T00:00:00+05:00"}},
     "created_at must be an ISO 8601 time"),
    # a 400-digit number was an OverflowError traceback; "2026" a second of 1970 (a year?);
    # digit separators and other scripts' digits were read by float()
    ({"provider": "evolink", "model": "kling-v3-image-to-video", "outcome": "failed",
      "at": 10**400}, "at must be an ISO 8601 time or Unix seconds"),
    ({"provider": "evolink", "model": "kling-v3-image-to-video", "outcome": "failed",
      "at": 1762000000, "latency": 10**400}, "latency must be a finite number of seconds"),
    *(({"provider": "evolink", "model": "kling-v3-image-to-video", "outcome": "failed",
        "at": text}, "(as text: 9 to 12 digits)")
      for text in ("2026", "1_762_000_000", "\uff11\uff17\uff16\uff12000000", "17620000000000")),
])
def test_an_outcome_that_cannot_be_placed_is_refused_with_its_line(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, files: dict[str, str],
        item: dict[str, object], said: str) -> None:
    """Never recorded at --now by default, never from the future, never for a seller the
    cards do not know (it could push a real circuit out of the bounded set)."""
    outcomes = tmp_path / "outcomes.jsonl"
    outcomes.write_text(json.dumps(FAILURES[0]) + "\n" + json.dumps(item) + "\n")
    status, out, err = run(capsys, "route", "--payload", files["body"], "--provider",
                           "evolink", "--outcomes", str(outcomes), *NOW)
    assert (status, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert f"{outcomes}:2: " in err
    assert said in err


def test_a_json_array_of_outcomes_names_the_item(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path,
                                                 files: dict[str, str]) -> None:
    """A JSON array file is one line: its errors name the item, not a line number."""
    outcomes = tmp_path / "outcomes.json"
    outcomes.write_text(json.dumps([FAILURES[0], {**FAILURES[1], "latency": -1}]))
    status, _, err = run(capsys, "route", "--payload", files["body"], "--provider",
                         "evolink", "--outcomes", str(outcomes), *NOW)
    assert status == 2
    assert f"{outcomes} item 2: latency must be" in err


@pytest.mark.parametrize("now", ["1e20", "nan", "-5", "yesterday"])
def test_a_now_out_of_range_names_now(capsys: pytest.CaptureFixture[str],
                                      files: dict[str, str], now: str) -> None:
    status, _, err = run(capsys, "route", "--payload", files["body"], "--provider",
                         "evolink", "--outcomes", files["outcomes"], "--now", now)
    assert status == 2
    assert err.startswith("ratecard: error: --now must be an ISO 8601 time or Unix seconds")


def test_task_records_are_outcomes_too(capsys: pytest.CaptureFixture[str],
                                       tmp_path: Path, files: dict[str, str]) -> None:
    records = tmp_path / "tasks.json"
    records.write_text(json.dumps([
        {"id": f"t{n}", "model": "kling-v3-image-to-video", "status": "failed",
         "created": 1796291640 + n, "object": "video.generation.task"} for n in range(5)]))
    status, out, _ = run(capsys, "route", "--payload", files["body"], "--provider",
                         "evolink", *CREDIT, "--outcomes", str(records), "--now",
                         "1796291650")
    assert status == 0
    assert "evolink/kling-v3-image-to-video open" in out


def _task(task_id: str, status: str = "failed", created: int = 1796291640) -> object:
    return {"id": task_id, "model": "kling-v3-image-to-video", "status": status,
            "created": created, "object": "video.generation.task"}


def test_a_task_record_read_again_is_counted_once(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path,
                                                  files: dict[str, str]) -> None:
    """One failed task polled five times (and once more in a second file) is one failure:
    five would open the circuit (the built-in policy: 5 failures in 300 s)."""
    log, again = tmp_path / "polls.jsonl", tmp_path / "again.json"
    log.write_text("\n".join(json.dumps(_task("t1", s))
                             for s in ("pending", "processing", *["failed"] * 5)))
    again.write_text(json.dumps([_task("t1"), _task("t2")]))
    circuits = _circuits(capsys, files["body"], log, again)
    assert [(c["state"], c["failed"]) for c in circuits] == [("closed", 2)]  # type: ignore


@pytest.mark.parametrize(("second", "said"), [
    (_task("t1", "completed"), "failed (kling-v3-image-to-video, created "
     "2026-12-03T09:54:00Z) at {log}:1, succeeded (kling-v3-image-to-video, created "
     "2026-12-03T09:54:00Z)"),
    (_task("t1", created=1796291000), "created 2026-12-03T09:43:20Z"),
])
def test_task_records_that_disagree_are_refused(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path, files: dict[str, str],
                                                second: object, said: str) -> None:
    log = tmp_path / "polls.jsonl"
    log.write_text(json.dumps(_task("t1")) + "\n" + json.dumps(second) + "\n")
    status, out, err = run(capsys, "route", "--payload", files["body"], "--provider",
                           "evolink", "--outcomes", str(log), "--now", "1796291650")
    assert (status, out) == (2, "")
    assert f"{log}:2: task 't1' of evolink is recorded twice and the records disagree" \
        in err
    assert said.format(log=log) in err


LONG_ID = "x" * 2**20
"""A task id of 1 MiB: a seller's id has no length limit."""


@pytest.mark.parametrize("ids", ["repeated", "distinct"])
def test_outcomes_are_read_in_memory_bounded_by_a_line_not_the_file(
        tmp_path: Path, ids: str) -> None:
    """A task read again is remembered by a 16-byte digest, not its id, and the lines are
    read one at a time: 16 records with 1 MiB ids (16 MiB) once held the whole file twice
    (its bytes and their lines) and every id seen, 36 to 49 MiB at the peak."""
    log = tmp_path / "polls.jsonl"
    with log.open("w") as out:
        for n in range(16):
            task_id = LONG_ID if ids == "repeated" else f"{n}{LONG_ID}"
            created = 1796291640 + (0 if ids == "repeated" else n)
            out.write(json.dumps(_task(task_id, created=created)) + "\n")
    catalog = ratecard.load()
    args = argparse.Namespace(outcomes=[str(log)], health_policy=None,
                              now="2026-12-03T10:05:00Z")
    tracemalloc.start()
    try:
        health = health_from(args, catalog)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert health is not None
    failed = 1 if ids == "repeated" else 16
    assert [status.failed for status in health.statuses()] == [failed]
    assert peak < 12 * 2**20, f"{peak / 2**20:.1f} MiB"


def test_long_task_records_that_disagree_name_both_lines_briefly(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, files: dict[str, str]) -> None:
    log = tmp_path / "polls.jsonl"
    log.write_text(json.dumps(_task(LONG_ID)) + "\n" + json.dumps(_task(LONG_ID, "completed"))
                   + "\n")
    status, out, err = run(capsys, "route", "--payload", files["body"], "--provider",
                           "evolink", "--outcomes", str(log), *NOW)
    assert (status, out) == (2, "")
    assert err.startswith(f"ratecard: error: {log}:2: task 'xxxxxxxx")
    assert "' of evolink is recorded twice and the records disagree: failed " in err
    assert f"at {log}:1, succeeded" in err
    assert len(err) < 400 + 2 * len(str(log))


def test_a_task_status_word_ratecard_does_not_know_is_refused(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, files: dict[str, str]) -> None:
    """A kling3api record of status TIMEOUT was passed over as if still running."""
    log = tmp_path / "tasks.jsonl"
    log.write_text(json.dumps({"code": 200, "data": {
        "task_id": "n1", "status": "TIMEOUT", "type": "pro-text-to-video",
        "created_at": "2026-12-03T10:00:00Z"}}) + "\n")
    status, out, err = run(capsys, "route", "--payload", files["body"], "--provider",
                           "evolink", "--outcomes", str(log), "--now", "1796291650")
    assert (status, out) == (2, "")
    assert f"{log}:1: task status 'TIMEOUT'" in err


def test_the_table_warns_of_what_the_body_as_given_carries(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An unknown field goes to the source seller unchecked: ``quote`` and ``check`` warn,
    and so must the table that hands the body on (only the JSON said it)."""
    body = tmp_path / "body.json"
    body.write_text(json.dumps({**BODY, "colour": "red"}))
    status, out, _ = run(capsys, "route", "--payload", str(body), "--provider", "evolink",
                         *CREDIT)
    assert status == 0
    lines = out.splitlines()
    first = lines.index("body 1 (evolink/kling-v3-image-to-video, as given):")
    assert json.loads(lines[first + 1])["colour"] == "red"
    assert lines[first + 2].startswith("  warning: unknown field colour: not part of "
                                       "EvoLink's documented request body")


def test_a_wrong_field_of_the_body_is_named_as_the_body_names_it(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    body = tmp_path / "body.json"  # seed 001's first-frame example with a quality it lacks
    body.write_text('{"model": "kling-v3-image-to-video", "prompt": "A gentle breeze", '
                    '"image_start": "https://example.com/portrait.jpg", "duration": 5, '
                    '"quality": "4k"}')
    said: dict[str, str] = {}
    for command, refused in (("route", 2), ("quote", 2), ("check", 1)):
        status, out, err = run(capsys, command, "--payload", str(body), "--provider",
                               "evolink")
        assert status == refused, (command, err)
        assert "quality" in out + err, (command, out, err)
        assert "--quality" not in err, (command, err)  # no such flag was typed
        said[command] = err
    assert said["route"] == said["quote"]  # one report of a refused body, one problem a line
    assert said["route"].splitlines()[1].startswith("  quality: INVALID_QUALITY: ")


def test_bad_input_exits_2(capsys: pytest.CaptureFixture[str], files: dict[str, str],
                           tmp_path: Path) -> None:
    status, _, err = run(capsys, "route", "--payload", files["body"])
    assert (status, err.strip()) == (2, "ratecard: error: --payload needs --provider (the "
                                        "dialect the body is written in)")
    status, _, err = run(capsys, "route", "--payload", files["body"], "--provider",
                         "evolink", "--duration", "5")
    assert status == 2
    assert "--duration: the body says what it needs" in err
    status, _, err = run(capsys, "route", "--family", "kling-3.0", "--mode",
                         "image-to-video")
    assert status == 2
    assert "route needs --duration" in err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"provider": "evolink", "model": "m", "outcome": "crashed"}\n')
    status, _, err = run(capsys, "route", "--payload", files["body"], "--provider",
                         "evolink", "--outcomes", str(bad))
    assert status == 2
    assert f"{bad}:1: outcome must be one of succeeded, failed, timed_out" in err
    status, _, err = run(capsys, "route", "--payload", files["body"], "--provider", "comfy")
    assert status == 2
    assert "reads no request bodies of 'comfy'" in err


def test_csv_lists_each_body_as_json_text(capsys: pytest.CaptureFixture[str],
                                          files: dict[str, str]) -> None:
    """``--format csv`` printed the human table under --payload."""
    import csv
    import io

    status, out, _ = run(capsys, "route", "--payload", files["body"], "--provider",
                         "evolink", *CREDIT, "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[-2:] == ["message", "body"]
    ranked = [row for row in rows if row["rank"]]
    assert [(row["rank"], row["provider"]) for row in ranked] == \
        [("1", "evolink"), ("2", "kling3api"), ("3", "fal")]
    assert ranked[0]["amount"] == "108.0000"  # 5.4 x 2.0 x 10 s
    first = json.loads(ranked[0]["body"])
    assert (first["model"], first["duration"], first["quality"], first["sound"]) == \
        ("kling-v3-image-to-video", 10, "1080p", "on")
    assert all(row["body"] for row in ranked)
    assert all(not row["body"] and row["code"] for row in rows if not row["rank"])


def test_route_help_names_every_dialect_provider_takes(
        capsys: pytest.CaptureFixture[str]) -> None:
    """--help said "(evolink, kling3api)" while fal bodies were read too."""
    with pytest.raises(SystemExit):
        main(["route", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "whose dialect the body is written in (evolink, kling3api, fal)" in text
