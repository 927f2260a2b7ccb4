"""Fuzzing every input surface of a body: Python bodies, raw JSON text (and bytes), task
records, Python arguments, and the ``check`` command line.

Each property is what the documentation promises, checked against no computed oracle:

- ``check_payload``/``inspect_payload`` never raise for a body (only for an unknown
  provider), and every violation code is one of :data:`ratecard.codes.VIOLATIONS`;
- ``quote_payload`` raises only :class:`~ratecard.PayloadError`; ``read_task`` only
  :class:`~ratecard.PayloadError`; wrong Python arguments only
  :class:`~ratecard.QuoteError`;
- each input takes bounded time, and bounded memory (tracemalloc peak at most a fixed
  multiple of the input's size, plus a constant: no number that prints as a gigabyte, no
  message that copies megabytes, no violation list that grows without end);
- ``ratecard check`` returns an exit status, never a traceback, and prints a bounded
  amount for any bytes on standard input.
"""

from __future__ import annotations

import io
import json
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ratecard import Need, PayloadError, QuoteError, TaskRecord
from ratecard.cli import main
from ratecard.codes import VIOLATIONS
from ratecard.payloads.violations import MAX_LISTED
from tests.budget import examples
from tests.payload_strategies import CARD, valid_cases

E = TypeVar("E", bound=Exception)

FUZZ = settings(max_examples=examples(120), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROVIDERS = ("evolink", "kling3api")
SECONDS_PER_INPUT = 2.0
MEMORY_FACTOR = 200
"""Peak bytes allocated per byte of input (parsed JSON takes some tens of times its text)."""
MEMORY_CONSTANT = 4 * 1024 * 1024

EXTREME_NUMBERS = st.sampled_from([
    "1e999999999", "-1e999999999", "1e-999999999", "0e-999999999", "0e999999999",
    "9" * 5000, "-" + "1" * 20_000, "1." + "0" * 5000, "123456789012345678901234567890123456789012",
    "1E400", "-0", "0.0", "1e-7", "5", "10", "15.5",
])
SPECIAL_TOKENS = st.sampled_from(["NaN", "Infinity", "-Infinity", "[" * 3000, "{" * 3000,
                                  '"\\ud800"', '"\\udfff"', "\ufeff", "\x00", "\\", '"',
                                  '{"a":1,"a":2}', "tru", "nul", ",", "]", "}"])
ODD_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-(10**50), 10**50),
    st.decimals(allow_nan=True, allow_infinity=True), st.floats(),
    st.text(max_size=40), st.sampled_from(["x" * 100_000, "\ud800", "720p", "on", "5"]),
    EXTREME_NUMBERS.map(Decimal),
)
ODD_KEYS = st.one_of(st.text(max_size=10), st.integers(), st.none(), st.booleans(),
                    st.tuples(st.integers()), st.sampled_from(["k" * 100_000, "\ud800"]))
"""Keys a Python dict may have (a JSON object's keys are always text)."""
ODD_VALUES = st.recursive(ODD_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(ODD_KEYS, inner, max_size=5),
    st.tuples(inner), st.frozensets(st.text(max_size=5), max_size=3)), max_leaves=20)
"""Anything a Python caller may put in a body, JSON or not."""

BODY_KEYS = ("model", "type", "prompt", "negative_prompt", "duration", "quality", "sound",
             "image_start", "image_url", "image", "image_end", "end_image", "image_urls",
             "images", "video_url", "video_urls", "video", "aspect_ratio", "cfg_scale",
             "callback_url", "keep_original_sound", "model_params", "multi_shot", "shots",
             "elements", "watermark", "unknown")
TASK_KEYS = ("id", "status", "model", "created", "task_info", "usage", "error", "object",
             "code", "message", "data", "task_id", "consumed_credits", "created_at",
             "request", "response", "error_message", "type", "progress")


def bounded(call: Callable[[], Any], size: int) -> Any:
    """Run ``call`` and check it took bounded time and memory for an input of ``size``."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        return call()
    finally:
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert elapsed < SECONDS_PER_INPUT, f"{elapsed:.2f} s for {size} bytes"
        assert peak <= MEMORY_FACTOR * size + MEMORY_CONSTANT, f"{peak} bytes for {size}"


def raised(kind: type[E], call: Callable[[], Any]) -> E | None:
    """The ``kind`` error ``call`` raised, or ``None``; any other exception propagates
    (and fails the test)."""
    try:
        call()
    except kind as exc:
        return exc
    return None


def check_violations(found: Any) -> None:
    assert isinstance(found, list | tuple)
    assert len(found) <= MAX_LISTED
    for violation in found:
        assert violation.code in VIOLATIONS, violation
        assert len(violation.message) < 2000, violation.message[:200]


def as_text(value: Any) -> str:
    """JSON text of ``value`` (Decimals written as numbers, as they came)."""
    def default(item: Any) -> Any:
        if isinstance(item, Decimal):
            return "__DECIMAL__" + str(item) + "__END__"
        return str(item)
    text = json.dumps(value, default=default, ensure_ascii=False, skipkeys=True)
    return text.replace('"__DECIMAL__', "").replace('__END__"', "")


@st.composite
def python_bodies(draw: st.DrawFn) -> tuple[str, Any]:
    """A valid body with odd values in its fields, or anything at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(PROVIDERS)), draw(ODD_VALUES)
    case = draw(valid_cases())
    body: dict[Any, Any] = dict(case.body)
    for key in draw(st.lists(st.sampled_from(BODY_KEYS), min_size=1, max_size=5)):
        body[key] = draw(ODD_VALUES)
    if draw(st.booleans()):
        body[draw(ODD_KEYS)] = draw(ODD_VALUES)
    return case.provider, body


RAW_VALUES = st.one_of(
    st.integers(4000, 30_000).map(lambda n: "9" * n),                    # int() refuses
    st.integers(41, 3000).map(lambda n: "1" * n),                        # too many digits
    st.integers(32, 10**12).map(lambda e: f"1e{e}"),                     # huge exponent
    st.integers(41, 10**12).map(lambda e: f"-1.5e-{e}"),                 # tiny exponent
    st.integers(500, 5000).map(lambda n: "[" * n + "]" * n),              # deep arrays
    st.integers(500, 5000).map(lambda n: '{"a":' * n + "1" + "}" * n),    # deep objects
    st.sampled_from(["NaN", "Infinity", "-Infinity", '{"a":1,"a":2}', '"\\ud800"',
                     "0e-999999999", "5", "15.5", "-0", "true", "null", '"720p"']),
)
"""Text put where a JSON value goes, each danger its own branch so each is drawn often:
numbers of any size, nesting of any depth, tokens that are not JSON values."""


@st.composite
def json_texts(draw: st.DrawFn) -> tuple[str, str | bytes]:
    """JSON text of a valid body, then mangled: raw values in value positions (extreme
    numbers, deep nesting, NaN), a key given twice, stray tokens anywhere, cut short, or
    as bytes in another encoding."""
    case = draw(valid_cases())
    body = dict(case.body)
    raws = {}
    for n, key in enumerate(draw(st.lists(st.sampled_from(BODY_KEYS), max_size=3))):
        body[key] = f"__RAW{n}__"
        raws[f'"__RAW{n}__"'] = draw(RAW_VALUES)
    text = as_text(body)
    for placeholder, raw in raws.items():
        text = text.replace(placeholder, raw)
    if draw(st.booleans()):
        key = draw(st.sampled_from(BODY_KEYS))
        text = text.rstrip("}") + f', "{key}": {draw(RAW_VALUES)}}}'
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.one_of(SPECIAL_TOKENS, st.text(max_size=5))) + text[at:]
    if draw(st.integers(0, 5)) == 0:
        text = text[:draw(st.integers(0, len(text)))]
    encoding = draw(st.sampled_from(["str", "utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    if encoding == "str":
        return case.provider, text
    return case.provider, text.encode(encoding, errors="replace")


@FUZZ
@given(python_bodies())
def test_a_python_body_gives_violations_never_an_exception(item: tuple[str, Any]) -> None:
    provider, body = item
    found = bounded(lambda: CARD.check_payload(provider, body), 10_000)
    check_violations(found)
    inspection = CARD.inspect_payload(provider, body)
    assert len(inspection.warnings) <= MAX_LISTED
    assert all(len(w) < 2000 for w in inspection.warnings)
    refused = raised(PayloadError, lambda: CARD.quote_payload(provider, body))
    assert refused is None or refused.violations


@settings(FUZZ, max_examples=examples(200))
@given(st.one_of(json_texts(), json_texts(), json_texts(),
                 st.tuples(st.sampled_from(PROVIDERS), st.binary(max_size=300)),
                 st.tuples(st.sampled_from(PROVIDERS), st.text(max_size=300))))
def test_raw_json_text_gives_violations_never_an_exception(
        item: tuple[str, str | bytes]) -> None:
    provider, text = item
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "replace"))
    found = bounded(lambda: CARD.check_payload(provider, text), size)
    check_violations(found)
    refused = raised(PayloadError, lambda: CARD.quote_payload(provider, text))
    assert refused is None or refused.violations


@st.composite
def task_records(draw: st.DrawFn) -> tuple[str, Any]:
    provider = draw(st.sampled_from(PROVIDERS))
    record: dict[str, Any] = {}
    if provider == "evolink":
        record = {"id": "task-1", "status": "pending", "model": "kling-v3-image-to-video",
                  "created": 1757169743, "usage": {"credits_reserved": 27}}
    else:
        record = {"code": 200, "data": {"task_id": "n75", "status": "SUCCESS",
                                        "consumed_credits": 400, "request": {
                                            "type": "pro-text-to-video", "prompt": "x"}}}
    target = record if provider == "evolink" or draw(st.booleans()) else record["data"]
    for key in draw(st.lists(st.sampled_from(TASK_KEYS), max_size=4)):
        target[key] = draw(ODD_VALUES)
    if draw(st.booleans()):
        text = as_text(record)
        at = draw(st.integers(0, len(text)))
        return provider, text[:at] + draw(RAW_VALUES) + text[at:]
    return provider, record


@FUZZ
@given(task_records())
def test_a_task_record_is_read_or_refused_with_a_payload_error(item: tuple[str, Any]) -> None:
    provider, record = item

    def read() -> TaskRecord | None:
        try:
            return CARD.read_task(provider, record)
        except PayloadError as exc:
            check_violations(exc.violations)
            return None

    found = bounded(read, 10_000 if not isinstance(record, str) else len(record) + 1)
    if found is not None:
        assert len(found.warnings) <= 3 * MAX_LISTED
        check_violations(found.request_violations)


ARGUMENTS = ("duration", "input_seconds", "quality", "sound", "at")


@FUZZ
@given(st.sampled_from([("evolink", "kling-v3-image-to-video"),
                        ("evolink", "kling-o3-video-edit"),
                        ("kling3api", "pro-text-to-video")]),
       st.dictionaries(st.sampled_from(ARGUMENTS), ODD_VALUES, max_size=3))
def test_wrong_python_arguments_are_only_quote_errors(
        offering: tuple[str, str], arguments: dict[str, Any]) -> None:
    refused = raised(QuoteError, lambda: bounded(lambda: CARD.quote(*offering, **arguments),
                                                 10_000))
    assert refused is None or len(str(refused)) < 2000


NEED_ARGUMENTS = ("family", "mode", "quality", "sound", "duration", "input_seconds",
                  "features")


@FUZZ
@given(st.dictionaries(st.sampled_from(NEED_ARGUMENTS), ODD_VALUES, max_size=4),
       st.dictionaries(st.sampled_from(("down", "deny", "allow", "max_usd", "at")),
                       ODD_VALUES, max_size=2))
def test_a_need_and_a_route_take_anything_and_raise_only_quote_errors(
        fields: dict[str, Any], options: dict[str, Any]) -> None:
    def compare_and_route() -> None:
        need = Need(**fields)
        CARD.compare(need)
        CARD.route(need, **options)

    refused = raised(QuoteError, compare_and_route)
    assert refused is None or len(str(refused)) < 2000


@settings(max_examples=examples(60), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(st.one_of(json_texts().map(lambda item: item[1]), st.binary(max_size=200)),
       st.sampled_from(PROVIDERS), st.sampled_from(["table", "json"]))
def test_check_never_prints_a_traceback(capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch,
                                        data: str | bytes, provider: str, fmt: str) -> None:
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    status = main(["check", "--provider", provider, "--payload", "-", "--format", fmt])
    out, err = capsys.readouterr()
    assert status in (0, 1, 2)
    assert "Traceback" not in out + err
    assert len(out) + len(err) < 100_000
