"""Raw JSON text: every bad body is a list of violations, never an exception, and the
command line never prints a traceback for one.

Expected codes and paths are literals; counts come from the body's own construction
(``n`` bad items make ``n`` violations).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import ratecard
from ratecard import PayloadError
from ratecard.cli import main
from ratecard.codes import VIOLATIONS
from ratecard.payloads.violations import MAX_LISTED

CARD = ratecard.load()
I2V = '"model": "kling-v3-image-to-video", "image_start": "https://cdn.example.com/a.jpg"'


def codes(provider: str, body: str | bytes) -> list[tuple[str, str]]:
    found = CARD.check_payload(provider, body)
    assert all(v.code in VIOLATIONS for v in found)
    return [(v.code, v.path) for v in found]


@pytest.mark.parametrize("text", [
    "[" * 100_000,
    '{"a": ' * 100_000,
    "[" * 100_000 + "]" * 100_000,
    '{"model": ' + "[" * 50_000 + "]" * 50_000 + "}",
], ids=["open arrays", "open objects", "closed arrays", "deep field"])
def test_deep_nesting_is_invalid_json(text: str) -> None:
    assert codes("evolink", text) == [("INVALID_JSON", "(body)")]
    assert "nested too deeply" in CARD.check_payload("evolink", text)[0].message


def _seeded(depth: int) -> dict[str, object]:
    """An image-to-video body whose unknown field ``seed`` is ``depth - 1`` arrays deep:
    with the body itself, ``depth`` levels."""
    seed: list[object] = []
    for _ in range(depth - 2):
        seed = [seed]
    return {"model": "kling-v3-image-to-video", "image_start": "https://e.com/a.jpg",
            "seed": seed}


def _seeded_text(depth: int) -> str:
    """:func:`_seeded` as JSON text (``json.dumps`` itself recurses once per level)."""
    return ('{"model": "kling-v3-image-to-video", "image_start": "https://e.com/a.jpg", '
            f'"seed": {"[" * (depth - 1)}{"]" * (depth - 1)}}}')


@pytest.mark.parametrize("depth", [65, 200, 495, 700, 989])
def test_a_body_deeper_than_64_levels_is_refused_everywhere(
        depth: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Below the parser's own limit (about 990), such a body was read, then rendering the
    route's bodies recursed past Python's limit: a RecursionError traceback."""
    body = _seeded(depth)
    assert codes("evolink", _seeded_text(depth)) == [("INVALID_JSON", "(body)")]
    assert [(v.code, v.path) for v in CARD.check_payload("evolink", body)] == \
        [("INVALID_BODY", "(body)")]
    with pytest.raises(PayloadError, match="more than 64 levels deep"):
        CARD.route_payload(body, source="evolink")
    path = tmp_path / "deep.json"
    path.write_text(_seeded_text(depth))
    for form in ("table", "json"):
        status = main(["route", "--payload", str(path), "--provider", "evolink",
                       "--format", form])
        out, err = capsys.readouterr()
        assert (status, out) == (2, "")
        assert err == (f"ratecard: error: {path}: nested too deeply: arrays and objects "
                       "inside each other more than 64 levels deep (a request body has a "
                       "handful)\n")


def test_a_body_64_levels_deep_is_read(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    body = _seeded(64)
    assert json.loads(_seeded_text(64)) == body
    assert CARD.check_payload("evolink", _seeded_text(64)) == []
    assert CARD.check_payload("evolink", body) == []
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(body))
    status = main(["route", "--payload", str(path), "--provider", "evolink",
                   "--format", "json"])
    out, _ = capsys.readouterr()
    assert status == 0
    assert json.loads(out)["chain"][0]["body"] == body


def test_a_body_that_holds_itself_is_refused() -> None:
    body: dict[str, object] = {"model": "kling-v3-text-to-video", "prompt": "Dusk"}
    body["seed"] = [body]
    assert [(v.code, v.path) for v in CARD.check_payload("evolink", body)] == \
        [("INVALID_BODY", "(body)")]


@pytest.mark.parametrize(("number", "code"), [
    ("9" * 5000, "INVALID_NUMBER"),
    ("-" + "1" * 100_000, "INVALID_NUMBER"),
    ("1e999999999", "INVALID_NUMBER"),
    ("1e-999999999", "INVALID_NUMBER"),
    ("0e-999999999", "INVALID_NUMBER"),
    ("1." + "0" * 99 + "1", "INVALID_NUMBER"),
    ("12345678901234567890123456789012345678901", "INVALID_NUMBER"),
], ids=["5000 digits", "100000 digits", "huge exponent", "tiny exponent", "zero, tiny",
        "100 places", "41 digits"])
def test_numbers_that_cannot_be_read_exactly_are_invalid_number(number: str,
                                                                code: str) -> None:
    body = f'{{{I2V}, "duration": {number}}}'
    found = CARD.check_payload("evolink", body)
    assert [(v.code, v.path) for v in found] == [(code, "duration")]
    assert len(found[0].message) < 300


def test_an_exponent_beyond_what_decimal_holds_is_invalid_number() -> None:
    body = f'{{{I2V}, "duration": 1e{"9" * 30}}}'
    assert codes("evolink", body) == [("INVALID_NUMBER", "(body)")]


@pytest.mark.parametrize("zeros", [39, 100])
def test_a_plausible_long_number_is_still_read(zeros: int) -> None:
    """Zeros that end the decimal places are neither places nor digits: 5.000... is 5."""
    body = f'{{{I2V}, "duration": 5.{"0" * zeros}}}'
    assert codes("evolink", body) == []


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(constant: str) -> None:
    assert codes("evolink", f'{{{I2V}, "duration": {constant}}}') == \
        [("INVALID_JSON", "(body)")]


def test_a_key_given_twice_is_reported() -> None:
    body = f'{{{I2V}, "duration": 5, "duration": 15}}'
    found = CARD.check_payload("evolink", body)
    assert [(v.code, v.path) for v in found] == [("DUPLICATE_KEY", "(body)")]
    assert "'duration'" in found[0].message


def test_a_key_given_twice_in_a_nested_object_is_reported() -> None:
    body = f'{{{I2V}, "model_params": {{"multi_shot": true, "multi_shot": false}}}}'
    assert codes("evolink", body) == [("DUPLICATE_KEY", "(body)")]


@pytest.mark.parametrize("data", [
    b"\xff\xfe{\x00}\x00",                       # UTF-16 with a byte order mark
    '{"model": "x"}'.encode("utf-32"),
    b'{"model": "\xff"}',                        # not UTF-8 at all
    b'{"model": "\xed\xa0\x80"}',                # an encoded surrogate: not UTF-8
], ids=["utf-16", "utf-32", "latin-1 byte", "encoded surrogate"])
def test_bytes_that_are_not_utf8_are_invalid_json(data: bytes) -> None:
    found = CARD.check_payload("evolink", data)
    assert [(v.code, v.path) for v in found] == [("INVALID_JSON", "(body)")]
    assert "not UTF-8" in found[0].message


def test_utf8_bytes_with_a_byte_order_mark_are_read() -> None:
    body = ("\ufeff{" + I2V + ', "duration": 5}').encode("utf-8")
    assert codes("evolink", body) == []


def test_a_shot_duration_far_out_of_range_is_a_violation() -> None:
    body = {"model": "kling-v3-image-to-video", "image_start": "https://cdn.example.com/a.jpg",
            "model_params": {"multi_shot": True, "shot_type": "customize",
                             "multi_prompt": [{"prompt": "a", "duration": "1e1000000"},
                                              {"prompt": "b", "duration": "1e-1000000"}]}}
    found = codes("evolink", json.dumps(body))
    assert ("INVALID_DURATION", "model_params.multi_prompt[0].duration") in found
    assert ("INVALID_DURATION", "model_params.multi_prompt[1].duration") in found


def test_violations_are_capped_and_the_last_counts_the_rest() -> None:
    items = 10_000
    body = {"model": "kling-v3-image-to-video", "image_urls": [1] * items}
    found = CARD.check_payload("evolink", body)
    # every item is WRONG_TYPE, and the first frame is missing: items + 1 in all
    assert len(found) == MAX_LISTED
    assert found[-1].code == "MORE_VIOLATIONS"
    assert found[-1].message.startswith(f"{items + 1 - (MAX_LISTED - 1)} more violations")
    assert {v.code for v in found[:-1]} == {"WRONG_TYPE"}


def test_warnings_are_capped() -> None:
    body = {"model": "kling-v3-image-to-video", "image_start": "https://cdn.example.com/a.jpg",
            **{f"extra{n}": n for n in range(5_000)}}
    found = CARD.inspect_payload("evolink", body)
    assert found.valid
    assert len(found.warnings) == MAX_LISTED
    assert found.warnings[-1] == f"{5_000 - (MAX_LISTED - 1)} more warnings are not listed"


def test_a_megabyte_field_name_or_value_makes_short_messages() -> None:
    big = "k" * 1_000_000
    found = CARD.inspect_payload("evolink", {"model": big, big: 1, "duration": big})
    assert all(len(v.message) < 400 for v in found.violations)
    assert all(len(w) < 400 for w in found.warnings)


@pytest.mark.parametrize(("provider", "text", "code"), [
    ("evolink", "[" * 100_000, "INVALID_JSON"),
    ("evolink", '{"id": "t", "status": "pending", "created": 1e400}', "INVALID_NUMBER"),
    ("evolink", '{"id": "t", "status": "pending", "id": "u"}', "DUPLICATE_KEY"),
    ("kling3api", '{"code": 200, "data": {"task_id": "t", "status": "SUCCESS", '
                  '"consumed_credits": ' + "7" * 5000 + "}}", "INVALID_NUMBER"),
    ("kling3api", '{"code": 500, "message": "' + "m" * 1_000_000 + '"}', "TASK_ERROR"),
    ("kling3api", '{"code": ' + "5" * 5000 + "}", "TASK_ERROR"),
], ids=["deep", "created 1e400", "id twice", "credits 5000 digits", "megabyte message",
        "code 5000 digits"])
def test_raw_task_records_raise_only_payload_errors(provider: str, text: str,
                                                    code: str) -> None:
    with pytest.raises(PayloadError) as caught:
        CARD.read_task(provider, text)
    assert [v.code for v in caught.value.violations] == [code]
    assert len(str(caught.value)) < 400


def run_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
              data: bytes, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("data", [b"\xff\xfe\xfd", b"[" * 100_000,
                                  b'{"duration": ' + b"9" * 5000 + b"}", b'{"a": NaN}'],
                         ids=["not utf-8", "deep", "5000 digits", "NaN"])
def test_check_on_standard_input_never_prints_a_traceback(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        data: bytes) -> None:
    status, out, err = run_stdin(monkeypatch, capsys, data, "check", "--provider", "evolink",
                                 "--payload", "-")
    assert status in (1, 2)
    assert "Traceback" not in out + err
    assert len(out + err) < 2000


def test_check_refuses_a_lone_surrogate(monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Half a UTF-16 pair is not text: refused as the body's error, never a traceback (it
    was once accepted and printed escaped; the other JSON readers could not write it)."""
    data = ('{' + I2V + ', "\\ud800": 1, "model_params": {"shot_type": "\\udfff"}}').encode()
    status, out, err = run_stdin(monkeypatch, capsys, data, "check", "--provider", "evolink",
                                 "--payload", "-", "--format", "json")
    assert (status, out) == (2, "")
    assert err == ("ratecard: error: standard input: a string holds half of a UTF-16 "
                   "surrogate pair (a lone \\uD800-\\uDFFF): not text\n")


def test_check_of_a_directory_is_bad_input(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["check", "--provider", "evolink", "--payload", str(tmp_path)])
    _, err = capsys.readouterr()
    assert status == 2
    assert err.startswith("ratecard: error: cannot read --payload")


_BODY_IN_A_STRING = json.dumps("{" + I2V + ', "duration": 5}')
"""A JSON string whose text is a body: the string is not an object, whatever it holds."""


def test_a_json_string_is_not_a_body_in_the_library() -> None:
    """A str body is JSON text, read once: the body inside the string is never priced."""
    assert codes("evolink", _BODY_IN_A_STRING) == [("INVALID_BODY", "(body)")]
    for call in (lambda: CARD.route_payload(_BODY_IN_A_STRING, source="evolink"),
                 lambda: CARD.translate(_BODY_IN_A_STRING, source="evolink",
                                        target="kling3api")):
        with pytest.raises(PayloadError, match="must be a JSON object, not a string"):
            call()


@pytest.mark.parametrize(("command", "status"), [("check", 1), ("quote", 2), ("route", 2)])
def test_a_json_string_is_not_a_body_on_the_command_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, status: int) -> None:
    path = tmp_path / "body.json"
    path.write_text(_BODY_IN_A_STRING, encoding="utf-8")
    assert main([command, "--provider", "evolink", "--payload", str(path)]) == status
    out, err = capsys.readouterr()
    assert "INVALID_BODY" in out + err
    assert "not a string" in out + err
    assert "Traceback" not in err


def test_a_number_in_a_message_reads_as_the_body_wrote_it() -> None:
    """Messages quoted a JSON number as Python's repr: ``Decimal('1E+400')``."""
    [violation] = CARD.check_payload("evolink", "{" + I2V + ', "duration": 1e400}')
    assert violation.code == "INVALID_NUMBER"
    assert violation.message.startswith("duration 1E+400 is not a plausible number")
