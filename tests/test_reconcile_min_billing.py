"""An invoice line or task record shorter than the seller's billing minimum (or longer than
its maximum) is priced at it, in every engine; a request for it is still refused.

EvoLink, seed 001: "Minimum billing: 3 seconds ... 短于 3 秒的视频按 3 秒最低标准计费"
(videos shorter than 3 s are billed as 3 s), while its API accepts "Range: 3-15 seconds
(integer)" (seed 004). Kling 3.0 is "5.4 credits per second", x1.333 at 1080p without
sound and x2.0 at 1080p with it; 72 credits are 1 USD (the card: 5.4/72 = 0.075).
Kling O1 video edit, seed 002: "$0.176/ second(12 Credits)", "Minimum billing: 3 seconds
(videos < 3s are charged for 3s) ... Maximum billing: 10 seconds (videos > 10s are charged
for 10s)". Every expected amount below is worked out by hand from those quotes.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import ratecard
from ratecard.errors import QuoteError
from ratecard.reconcile.reconciler import LineResult
from ratecard.routing.need import Need
from ratecard.whatif import read_lines, whatif
from tests.batch_lines import require_duckdb
from tests.engines import python, same_everywhere, write_csv

CATALOG = ratecard.load(cache=False)

V3 = {"provider": "evolink", "model": "kling-v3-image-to-video", "timestamp": "2026-11-01",
      "quality": "720p", "sound": "off", "currency": "credits", "status": "succeeded"}
O1 = {"provider": "evolink", "model": "kling-o1-video-edit", "timestamp": "2026-11-01",
      "currency": "credits", "status": "succeeded"}

# (line, status, expected): what the card charges for the job as billed
LINES: list[tuple[dict[str, str], str, str | None]] = [
    # 2 s, billed as 3 s: 3 x 5.4 = 16.2 credits
    ({**V3, "duration": "2", "charged": "16.2"}, "MATCH", "16.2000"),
    # not a whole second, yet below the minimum: billed 3 s all the same
    ({**V3, "duration": "2.5", "charged": "16.2"}, "MATCH", "16.2000"),
    # charged for the 2 s asked, not the 3 s billed: 5.4 credits short
    ({**V3, "duration": "2", "charged": "10.8"}, "UNDERCHARGE", "16.2000"),
    # 1080p without sound: 3 x 5.4 x 1.333 = 21.5946; with sound 3 x 5.4 x 2.0 = 32.4
    ({**V3, "duration": "1", "quality": "1080p", "charged": "21.5946"}, "MATCH", "21.5946"),
    ({**V3, "duration": "1", "quality": "1080p", "sound": "on", "charged": "32.4"}, "MATCH",
     "32.4000"),
    # in USD: 16.2 credits / 72 = 0.225 USD
    ({**V3, "duration": "2", "charged": "0.225", "currency": "USD"}, "MATCH", "0.225000"),
    # kling-v3-text-to-video has the same minimum
    ({**V3, "model": "kling-v3-text-to-video", "duration": "1", "charged": "16.2"}, "MATCH",
     "16.2000"),
    # the O1 edit: 1.5 s input billed 3 s (36 credits), 25 s billed 10 s (120 credits)
    ({**O1, "input_seconds": "1.5", "charged": "36"}, "MATCH", "36.0000"),
    ({**O1, "input_seconds": "25", "charged": "120"}, "MATCH", "120.0000"),
    # no clamp covers these: refused as ever
    ({**V3, "duration": "0", "charged": "16.2"}, "INVALID_LINE", None),
    ({**V3, "duration": "-2", "charged": "16.2"}, "INVALID_LINE", None),
    ({**V3, "duration": "16", "charged": "86.4"}, "INVALID_LINE", None),  # no maximum
    ({**V3, "duration": "3.5", "charged": "18.9"}, "INVALID_LINE", None),  # whole seconds
    ({"provider": "kling3api", "model": "pro-text-to-video", "timestamp": "2026-11-01",
      "duration": "2", "charged": "400", "currency": "credits", "status": "SUCCESS"},
     "INVALID_LINE", None),  # kling3api states no billing minimum
]


def _invoice(tmp_path: Path) -> Path:
    rows = [{**line, "task_id": f"t{n}"} for n, (line, _, _) in enumerate(LINES)]
    return write_csv(tmp_path / "invoice.csv", rows)


def _check(results: list[LineResult]) -> None:
    assert [r.status for r in results] == [status for _, status, _ in LINES], \
        [(r.status, r.reason) for r in results]
    for result, (_, _, expected) in zip(results, LINES, strict=True):
        if expected is None:
            assert result.expected is None
        else:
            assert result.expected is not None
            assert (f"{result.expected:f}", result.expected) == (expected, Decimal(expected))
    assert results[2].difference == Decimal("-5.4")
    assert "duration 16 s is not accepted by evolink/kling-v3-image-to-video" \
        in results[11].reason
    assert "duration 2 s is not accepted by kling3api/pro-text-to-video" in results[13].reason


def test_python_prices_lines_beyond_the_billing_clamps_at_them(tmp_path: Path) -> None:
    results, _ = python(CATALOG, [_invoice(tmp_path)])
    _check(results)


def test_duckdb_prices_them_as_python_does(tmp_path: Path) -> None:
    require_duckdb()
    results, _ = same_everywhere(CATALOG, [_invoice(tmp_path)], ["duckdb"])
    _check(results)


@pytest.mark.slow  # Spark starts a JVM
def test_spark_prices_them_as_python_does(tmp_path: Path) -> None:
    require_duckdb()
    results, _ = same_everywhere(CATALOG, [_invoice(tmp_path)], ["duckdb", "spark"])
    _check(results)


def test_the_invoiced_quote_explains_the_clamp() -> None:
    index = CATALOG.index
    quote = index.quote("evolink", "kling-v3-image-to-video", duration=2, quality="720p",
                        sound=False, at="2026-11-01", invoiced=True)
    assert (quote.billed_seconds, quote.credits, quote.usd) == (
        Decimal(3), Decimal("16.2000"), Decimal("0.225000"))
    details = [step.detail for step in quote.steps]
    assert "billed at least 3 s: 2 -> 3" in details
    edit = index.quote("evolink", "kling-o1-video-edit", input_seconds=25, at="2026-11-01",
                       invoiced=True)
    assert (edit.billed_seconds, edit.credits) == (Decimal(10), Decimal("120.0000"))
    assert "billed at most 10 s: 25 -> 10" in [step.detail for step in edit.steps]


@pytest.mark.parametrize("seconds", [0, 16, "3.5"])
def test_an_invoiced_quote_still_refuses_what_no_clamp_covers(seconds: object) -> None:
    with pytest.raises(QuoteError) as error:
        CATALOG.index.quote("evolink", "kling-v3-image-to-video", duration=seconds,
                            at="2026-11-01", invoiced=True)
    assert error.value.code == "INVALID_DURATION"


def test_a_request_below_the_accepted_range_is_still_refused() -> None:
    """The seller rejects a 2 s request: quote and route say so, as before."""
    with pytest.raises(QuoteError) as error:
        CATALOG.quote("evolink", "kling-v3-image-to-video", duration=2, at="2026-11-01")
    assert error.value.code == "INVALID_DURATION"
    assert "it accepts 3..15 s, whole seconds" in str(error.value)
    need = Need(family="kling-3.0", mode="image-to-video", quality="720p", sound=False,
                duration=2)
    chosen = CATALOG.route(need, at="2026-11-01")
    assert chosen.head is None
    assert ("evolink", "INVALID_DURATION") in {(e.provider, e.code) for e in chosen.exclusions}


def test_a_task_record_with_its_request_is_priced_at_the_minimum() -> None:
    record = {"created": 1793491200, "id": "task-short", "model": "kling-v3-image-to-video",
              "object": "video.generation.task", "status": "completed",
              "task_info": {"video_duration": 2}, "type": "video",
              "usage": {"billing_rule": "per_second", "credits_reserved": 16.2}}
    body = {"model": "kling-v3-image-to-video", "prompt": "a fox", "duration": 2,
            "quality": "720p", "sound": "off", "image_start": "https://example.com/a.png"}
    read = CATALOG.read_task("evolink", record, request=body)
    assert read.quote is not None
    assert (read.quote.billed_seconds, read.quote.credits) == (Decimal(3), Decimal("16.2000"))
    assert read.quote_error is None
    # the request as sent is still outside what EvoLink accepts
    assert [v.code for v in read.request_violations] == ["INVALID_DURATION"]


WHATIF_LINES = [
    {**V3, "task_id": "w1", "duration": "2", "charged": "16.2"},
    {**V3, "task_id": "w2", "duration": "16", "charged": "86.4"},
]


def test_whatif_compares_a_short_line_as_the_clip_it_was_billed_as(tmp_path: Path) -> None:
    """Priced at EvoLink's minimum where it went (3 s x 5.4 = 16.2 credits, seed 001).
    No seller takes a 2 s request, EvoLink included, so the job is compared as the 3 s
    clip it was billed as (it was NO_SELLER: every seller refused a 2 s request), and
    the reason says so; the line keeps its own 2 s."""
    path = write_csv(tmp_path / "invoice.csv", WHATIF_LINES)
    results, _ = whatif(CATALOG, read_lines([path]))
    short, long = results
    assert (short.status, short.amount, short.usd, short.seconds) == (
        "REPRICED", Decimal("16.2000"), Decimal("0.225000"), Decimal(2))
    # 3 s of 720p without sound: EvoLink 16.2 credits = 0.225 USD is the cheapest
    # (Comfy 3 x 0.084 = 0.252 USD, Krea 3 x 0.1764 = 0.5292 USD; market-prices.md)
    assert (short.best_provider, short.best_usd, short.saving_usd) == (
        "evolink", Decimal("0.225000"), Decimal("0.000000"))
    assert "billed as 3 s" in short.reason
    assert "compared for a 3 s clip" in short.reason
    assert "INVALID_DURATION" not in {e.code for e in short.excluded}
    assert long.status == "INVALID_LINE"  # no maximum covers 16 s: refused as before
    require_duckdb()
    from ratecard.whatif.sql import whatif as duckdb_whatif

    in_sql, _ = duckdb_whatif(CATALOG, [path])
    assert [(r.status, r.amount, r.usd) for r in in_sql] == \
        [(r.status, r.amount, r.usd) for r in results]


def test_an_invoiced_quote_says_its_seconds_were_invoiced_not_requested() -> None:
    """A quote of an invoice line explains its first step as the invoiced duration;
    a request's quote keeps "requested duration"."""
    index = CATALOG.index
    invoiced = index.quote("evolink", "kling-v3-image-to-video", duration=2, quality="720p",
                           sound=False, invoiced=True)
    asked = index.quote("evolink", "kling-v3-image-to-video", duration=4, quality="720p",
                        sound=False)
    assert [(s.name, s.detail) for s in invoiced.steps[:2]] == [
        ("duration", "invoiced duration: 2 s"), ("clamped", "billed at least 3 s: 2 -> 3")]
    assert (asked.steps[0].name, asked.steps[0].detail) == ("duration", "requested duration: 4 s")
