"""``ratecard.whatif``: past usage re-rated at every seller.

Every expected amount is worked out by hand from the seed documents and
``market-prices.md``, never from ratecard:

- EvoLink Kling 3.0 (seed 001): 5.4 credits/s at 720p without sound, x2.0 at 1080p with
  sound; 72 credits = 1 USD. 5 s at 720p silent: 27 credits = 0.375 USD; 10 s at 1080p
  with sound: 108 credits = 1.5 USD; text to video 1080p with sound, 5 s: 54 credits =
  0.75 USD.
- Krea Kling 3.0: 0.1764 USD/s std silent, 0.3528 USD/s pro with audio: 5 s std silent
  0.882 USD; 10 s pro with audio 3.528 USD.
- fal v3 pro image to video with audio 0.168 USD/s (10 s: 1.68); Comfy kling-v3 1080p with
  audio 0.168 USD/s (1.68), 720p silent 0.084 USD/s (5 s: 0.42); the official price 0.084
  USD/s at 720p (5 s: 0.42).
- kling3api pro text to video with sound: 80 credits/s, 5 s by default = 400 credits (seed
  003); no USD value published (with 500 credits per USD: 0.8 USD).
- acme (tests/cards/acme.yaml, fictional): 1.25 credits/s at 720p silent until 2026-07-01,
  1.5 after, billed 4 s at least, 8 credits = 1 USD rounded half-even to 0.01: 4 s is 5
  credits = 0.62 USD (0.625, half-even), later 6 credits = 0.75 USD.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

import ratecard
from ratecard.codes import WHATIF_STATUSES
from ratecard.errors import UnknownOfferingError
from ratecard.whatif import LineWhatIf, WhatIf, lines_from_text, read_lines, whatif
from ratecard.whatif.writers import (
    CSV_HEADERS,
    FIELDS,
    summary_dict,
    write_results,
    write_summary,
)

ACME = Path(__file__).parent / "cards" / "acme.yaml"
CARD = ratecard.load()
HEADER = "task_id,provider,model,timestamp,duration,input_seconds,quality,sound,charged," \
         "currency,status\n"
EVOLINK_720 = "e1,evolink,kling-v3-image-to-video,2026-11-01,5,,720p,off,27.0,credits,succeeded\n"
KREA_1080 = "k1,krea,kling-3.0-image-to-video,2026-10-15,10,,1080p,on,3.528,USD,succeeded\n"
KLING3API = "q1,kling3api,pro-text-to-video,2026-02-05,,,,,400,credits,SUCCESS\n"
D = Decimal


def run(*lines: str, card: ratecard.Catalog = CARD, **policy: object) -> list[LineWhatIf]:
    results, _ = whatif(card, lines_from_text(HEADER + "".join(lines)), **policy)  # type: ignore[arg-type]
    return results


def test_a_job_at_its_cheapest_seller_saves_nothing() -> None:
    [r] = run(EVOLINK_720)
    assert (r.status, r.provider, r.charged, r.charged_currency) == (
        "REPRICED", "evolink", D("27.0"), "credits")
    assert (r.amount, r.currency, r.usd) == (D(27), "credits", D("0.375"))
    assert (r.best_provider, r.best_usd, r.saving_usd) == ("evolink", D("0.375"), D(0))
    assert (r.family, r.mode, r.quality, r.sound, r.seconds) == (
        "kling-3.0", "image-to-video", "720p", "off", D(5))


def test_a_job_at_krea_would_have_cost_less_at_evolink() -> None:
    [r] = run(KREA_1080)
    assert (r.usd, r.best_provider, r.best_model) == (D("3.528"), "evolink",
                                                       "kling-v3-image-to-video")
    assert (r.best_amount, r.best_currency, r.best_usd) == (D(108), "credits", D("1.5"))
    assert r.saving_usd == D("2.028")  # 3.528 - 1.5


def test_the_sellers_that_cannot_serve_it_say_why() -> None:
    [r] = run(EVOLINK_720)
    codes = {(e.provider, e.code) for e in r.excluded}
    assert ("modellix", "FAMILY_NOT_OFFERED") in codes  # sells kling-o3 only
    assert ("fal", "QUALITY_NOT_OFFERED") in codes      # v3 pro renders 1080p
    assert ("kling-official", "REFERENCE_ONLY") in codes  # never routed to
    assert all(e.message for e in r.excluded)


def test_deny_and_allow_change_the_cheapest_route() -> None:
    [denied] = run(KREA_1080, deny=["evolink"])
    # comfy and fal tie at 1.68 USD: the tie-break rule puts comfy first (provider id)
    assert (denied.best_provider, denied.best_usd, denied.saving_usd) == (
        "comfy", D("1.68"), D("1.848"))
    assert ("evolink", "DENIED") in {(e.provider, e.code) for e in denied.excluded}
    [allowed] = run(KREA_1080, allow=["krea"])
    assert (allowed.best_provider, allowed.saving_usd) == ("krea", D(0))


def test_a_policy_that_leaves_out_the_seller_it_went_to_can_cost_more() -> None:
    [r] = run(EVOLINK_720, deny=["evolink"])
    assert (r.best_provider, r.best_usd, r.saving_usd) == ("comfy", D("0.42"), D("-0.045"))


def test_unknown_sellers_in_the_policy_are_refused_before_any_line() -> None:
    with pytest.raises(UnknownOfferingError, match="evolnk"):
        WhatIf(CARD, deny=["evolnk"])


def test_a_credit_only_seller_needs_a_credit_value() -> None:
    [unknown] = run(KLING3API)
    assert (unknown.status, unknown.amount, unknown.usd, unknown.saving_usd) == (
        "USD_UNKNOWN", D(400), None, None)
    assert "--credits-per-usd kling3api" in unknown.reason
    assert unknown.best_provider == "evolink"  # 54 credits = 0.75 USD
    [known] = run(KLING3API, card=CARD.with_credit_value("kling3api", "500"))
    assert (known.status, known.usd, known.best_usd, known.saving_usd) == (
        "REPRICED", D("0.8"), D("0.75"), D("0.05"))


def test_lines_that_cannot_be_rerated_are_accounted_with_their_reason() -> None:
    card = ratecard.load(ACME)
    results = run(
        EVOLINK_720,
        "bad,evolink,kling-v3-image-to-video,2026-11-01,5,,720p,off,abc,credits,succeeded\n",
        EVOLINK_720,  # the same task again
        "u1,evolink,no-such-model,2026-11-01,5,,,,27,credits,succeeded\n",
        "f1,evolink,kling-v3-image-to-video,2026-11-01,5,,720p,off,0,credits,failed\n",
        "a1,acme,acme-gen,2025-12-01,4,,720p,off,5,credits,succeeded\n",  # before any price
        "x1,kling3api,o3-pro-video-edit,2026-11-01,,,,,435,credits,SUCCESS\n",  # no length
        card=card)
    assert [r.status for r in results] == [
        "REPRICED", "INVALID_LINE", "DUPLICATE_TASK", "UNKNOWN_OFFERING", "FAILED_JOB",
        "UNPRICED_DATE", "NEED_UNKNOWN"]
    assert [r.line for r in results] == list(range(2, 9))
    assert all(r.reason for r in results[1:])
    assert all(r.saving_usd is None and r.best_provider is None for r in results[1:6])


def test_a_failed_job_that_was_charged_says_so() -> None:
    free, charged = run(
        "f1,evolink,kling-v3-image-to-video,2026-11-01,5,,720p,off,0,credits,failed\n",
        "f2,evolink,kling-v3-image-to-video,2026-11-01,5,,720p,off,27.0,credits,cancelled\n")
    assert (free.status, free.reason) == ("FAILED_JOB",
                                          "a failed job: nothing to pay, nothing re-rated")
    assert (charged.status, charged.charged) == ("FAILED_JOB", D("27.0"))
    assert charged.reason == ("a cancelled task charged 27.0 credits where nothing was owed "
                              "(reconcile: CHARGED_FOR_FAILED), nothing re-rated")


def test_a_task_record_whose_terms_were_read_from_its_charge_says_so(tmp_path: Path) -> None:
    """An EvoLink hold of 40.5 credits for 5 s is 720p with sound (5 x 5.4 x 1.5, seed 001):
    re-rated as that job, and its reason says the terms were read, not stated."""
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps({
        "created": 1762000000, "id": "h1", "model": "kling-v3-image-to-video",
        "object": "video.generation.task", "status": "pending",
        "task_info": {"video_duration": 5}, "type": "video",
        "usage": {"credits_reserved": 40.5}}) + "\n")
    (line,), _ = whatif(CARD, read_lines([path]))
    assert (line.status, line.quality, line.sound, line.amount) == (
        "REPRICED", "720p", "on", D("40.5"))
    assert line.reason == ("the task record does not say the job's quality and sound: read "
                           "from its charge as 720p, sound on, whose price it is")


def test_at_prices_every_line_on_one_day() -> None:
    card = ratecard.load(ACME)
    march = "a1,acme,acme-gen,2026-03-01,4,,720p,off,5,credits,succeeded\n"
    [own] = run(march, card=card)
    assert (own.amount, own.usd, own.day) == (D(5), D("0.62"), "2026-03-01")
    [later] = run(march, card=card, at="2026-08-01")
    assert (later.amount, later.usd, later.day) == (D(6), D("0.75"), "2026-03-01")


def test_the_summary_adds_up_per_currency_and_per_seller() -> None:
    card = CARD.with_credit_value("kling3api", "500")
    results, summary = whatif(card, lines_from_text(
        HEADER + EVOLINK_720 + KREA_1080 + KLING3API
        + "bad,evolink,kling-v3-image-to-video,2026-11-01,5,,720p,off,1,EUR,succeeded\n"))
    assert summary.lines == 4 == len(results)
    assert summary.by_status == {"REPRICED": 3, "INVALID_LINE": 1}
    # an unknown currency stays apart, under the word the line used
    assert summary.charged == {"evolink credits": D("27.0"), "USD": D("3.528"),
                               "kling3api credits": D(400), "evolink EUR": D(1)}
    # where they went: 0.375 + 3.528 + 0.8; the cheapest route: 0.375 + 1.5 + 0.75
    assert (summary.policy.lines, summary.policy.actual_usd, summary.policy.cheapest_usd) == (
        3, D("4.703"), D("2.625"))
    assert summary.saving_usd == D("2.078")
    evolink = summary.sellers["evolink"].served
    assert (evolink.lines, evolink.cheapest_usd) == (3, D("2.625"))
    krea = summary.sellers["krea"]  # 0.882 + 3.528 + 5 s pro with audio 1.764
    assert (krea.served.lines, krea.served.cheapest_usd) == (3, D("6.174"))
    fal = summary.sellers["fal"]  # v3 pro i2v renders 1080p only; 1.68 for the Krea job
    assert (fal.served.lines, fal.served.cheapest_usd, fal.served.actual_usd) == (
        1, D("1.68"), D("3.528"))
    assert sum(fal.not_served.values()) == 2
    assert summary.sellers["kling-official"].reference
    assert summary.by_month["2026-10"].saving_usd == D("2.028")
    assert summary.by_seller["kling3api"].saving_usd == D("0.05")
    assert summary.to_seller == {"evolink": summary.policy}


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_the_card_total_holds_every_line_priced_where_it_went(engine: str,
                                                              tmp_path: Path) -> None:
    """An edit of unknown length at kling3api's fixed 360 credits (seed 003: "o3-std-
    video-edit ... 360 fixed") is priced where it went but cannot be re-rated elsewhere
    (NEED_UNKNOWN): its line showed 360 credits and the card total left them out."""
    text = HEADER + KLING3API + \
        "x1,kling3api,o3-std-video-edit,2026-11-01,,,720p,off,360,credits,succeeded\n"
    card = CARD.with_credit_value("kling3api", "500")
    if engine == "python":
        results, summary = whatif(card, lines_from_text(text))
    else:
        pytest.importorskip("duckdb")
        from ratecard.whatif.sql import whatif as duckdb_whatif

        path = tmp_path / "usage.csv"
        path.write_text(text, encoding="utf-8")
        results, summary = duckdb_whatif(card, [path])
    assert [(r.status, r.amount) for r in results] == [("REPRICED", D(400)),
                                                       ("NEED_UNKNOWN", D(360))]
    assert summary.card == {"kling3api credits": D(760)}  # 400 + 360


def test_amounts_of_two_sellers_credits_are_never_added() -> None:
    card = CARD.with_credit_value("kling3api", "500")
    _, summary = whatif(card, lines_from_text(HEADER + EVOLINK_720 + KLING3API))
    assert summary.card == {"evolink credits": D(27), "kling3api credits": D(400)}


def test_task_records_are_rerated(tmp_path: Path) -> None:
    status = {"code": 200, "data": {
        "task_id": "n1", "status": "SUCCESS", "consumed_credits": 400,
        "created_at": "2026-02-05T10:30:00Z", "type": "pro-text-to-video",
        "request": {"type": "pro-text-to-video", "prompt": "An eagle", "duration": 5}}}
    path = tmp_path / "tasks.jsonl"
    path.write_text(json.dumps(status) + "\n")
    [r] = list(WhatIf(CARD.with_credit_value("kling3api", "500")).run(read_lines([path])))
    assert (r.task_id, r.status, r.usd, r.best_usd) == ("n1", "REPRICED", D("0.8"), D("0.75"))


def test_parquet_is_read_as_reconcile_reads_it(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    source = tmp_path / "m.csv"
    source.write_text(HEADER + EVOLINK_720 + KREA_1080)
    target = tmp_path / "m.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{source}', all_varchar = true)) TO "
               f"'{target}' (FORMAT parquet)")
    results, _ = whatif(CARD, read_lines([target]))
    assert [(r.line, r.status, r.saving_usd) for r in results] == [
        (1, "REPRICED", 0), (2, "REPRICED", D("2.028"))]


def test_writers_give_every_line_and_every_total() -> None:
    results, summary = whatif(CARD, lines_from_text(HEADER + EVOLINK_720 + KREA_1080))
    out = io.StringIO()
    write_results(results, out, "json")
    rows = [json.loads(text) for text in out.getvalue().splitlines()]
    assert [row["saving_usd"] for row in rows] == ["0.000000", "2.028000"]
    assert set(rows[0]) == set(FIELDS)
    out = io.StringIO()
    write_results(results, out, "csv")
    assert out.getvalue().splitlines()[0].split(",") == list(FIELDS)
    assert len(out.getvalue().splitlines()) == 3
    data = summary_dict(summary)
    assert data["cheapest_route"]["saving_usd"] == "2.028000"
    assert data["by_status"] == {"REPRICED": 2}
    for fmt in ("table", "csv", "json"):
        out = io.StringIO()
        write_summary(summary, out, fmt)
        assert "2.028" in out.getvalue()
    out = io.StringIO()
    write_summary(summary, out, "csv")
    assert out.getvalue().splitlines()[0] == ",".join(CSV_HEADERS)


def test_the_csv_summary_counts_the_lines_of_every_status() -> None:
    """The table and JSON say how many lines got each status; the CSV says it too."""
    bad = "t9,evolink,kling-v3-image-to-video,2026-11-01,x,,720p,off,27.0,credits,succeeded\n"
    _, summary = whatif(CARD, lines_from_text(HEADER + EVOLINK_720 + KREA_1080 + bad))
    out = io.StringIO()
    write_summary(summary, out, "csv")
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["key"], r["lines"]) for r in rows if r["section"] == "status"] == [
        ("REPRICED", "2"), ("INVALID_LINE", "1")]


def test_every_status_is_described() -> None:
    assert set(WHATIF_STATUSES) >= {"REPRICED", "USD_UNKNOWN", "NO_SELLER", "FAILED_JOB",
                                    "NEED_UNKNOWN", "INVALID_LINE", "DUPLICATE_TASK",
                                    "UNKNOWN_OFFERING", "UNPRICED_DATE"}


# --------------------------------------------------------------------------------- diff

def test_diff_of_two_days_says_what_changed_per_second_and_per_clip() -> None:
    from ratecard.whatif.diff import diff

    card = ratecard.load(ACME)
    d = diff(card, card, before_at="2026-03-01", after_at="2026-08-01", seconds=5)
    assert d.unchanged > 0
    assert {(c.provider, c.kind) for c in d.changed} == {("acme", "changed")}
    gen = next(c for c in d.changed if (c.model, c.quality, c.sound) == ("acme-gen", "720p",
                                                                           "off"))
    assert (gen.before, gen.after, gen.delta) == (D("1.25"), D("1.5"), D("0.25"))
    # 5 s x 1.25 = 6.25 credits / 8 = 0.78125 -> 0.78; 5 s x 1.5 = 7.5 / 8 = 0.9375 -> 0.94
    assert (gen.clip_before, gen.clip_after, gen.clip_delta) == (D("0.78"), D("0.94"),
                                                                 D("0.16"))
    cheaper = next(c for c in d.changed if (c.model, c.quality, c.sound) == ("acme-gen",
                                                                              "1080p", "on"))
    assert cheaper.delta == D("-0.75")  # 3.75 -> 3 credits/s: 1080p with sound got cheaper
    edit = next(c for c in d.changed if c.model == "acme-edit")  # fixed 20 -> 24.5 credits
    assert (edit.before, edit.after, edit.usd_before, edit.usd_after) == (
        D(20), D("24.5"), D("2.50"), D("3.06"))  # 2.5 USD; 3.0625 -> 3.06


def test_diff_of_a_usage_file_gives_the_change_in_its_total() -> None:
    from ratecard.whatif.diff import diff

    card = ratecard.load(ACME)
    usage = lines_from_text(HEADER + "a1,acme,acme-gen,2026-03-01,4,,720p,off,5,credits,done\n"
                            + "a2,acme,acme-edit,2026-03-02,,3,,,20,credits,done\n"
                            + "bad,acme,acme-gen,2026-03-01,99,,720p,off,5,credits,done\n")
    d = diff(card, card, before_at="2026-03-01", after_at="2026-08-01", usage=usage)
    assert d.usage is not None
    u = d.usage
    assert (u.lines, u.both, u.neither) == (3, 2, 1)  # 99 s is outside 2-12 s: never priced
    # 4 s x 1.25 + 20 = 25 credits before; 4 s x 1.5 + 24.5 = 30.5 after
    assert (u.before, u.after) == ({"acme credits": D(25)}, {"acme credits": D("30.5")})
    # 0.62 + 2.50 = 3.12 USD before; 0.75 + 3.06 = 3.81 after
    assert (u.usd_before, u.usd_after, u.usd_delta) == (D("3.12"), D("3.81"), D("0.69"))


def test_diff_of_usage_prices_an_edit_of_unknown_length_on_both_sides() -> None:
    """A fixed-price edit without input_seconds has a card price on both days (20 and
    24.5 credits), as whatif's card total counts it; it was "priced neither"."""
    from ratecard.whatif.diff import diff

    card = ratecard.load(ACME)
    usage = lines_from_text(HEADER + "a2,acme,acme-edit,2026-03-02,,,,,20,credits,done\n")
    d = diff(card, card, before_at="2026-03-01", after_at="2026-08-01", usage=usage)
    assert d.usage is not None
    assert (d.usage.both, d.usage.neither) == (1, 0)
    assert (d.usage.before, d.usage.after) == ({"acme credits": D(20)},
                                               {"acme credits": D("24.5")})


def test_diff_of_usage_shows_a_currency_of_one_side_only(tmp_path: Path) -> None:
    """acme priced in USD after: the delta had no USD key (and the CSV and table no row),
    so the credits looked as if they had fallen to nothing."""
    from ratecard.whatif.diff import diff

    text = ACME.read_text(encoding="utf-8")
    usd = tmp_path / "acme.yaml"
    start, end = text.index("credit_values:"), text.index("defaults:")
    usd.write_text(text[:start].replace("currency: credits\n", "currency: USD\n")
                   + text[end:], encoding="utf-8")
    usage = lines_from_text(HEADER + "a1,acme,acme-gen,2026-08-01,4,,720p,off,0.75,USD,done\n")
    d = diff(ratecard.load(ACME, builtin=False), ratecard.load(usd, builtin=False),
             before_at="2026-08-01", after_at="2026-08-01", usage=usage)
    assert d.usage is not None
    delta = d.usage.to_dict()["delta"]
    assert delta == {"USD": "6.00", "acme credits": "-6.00"}  # 4 s x 1.5 on both sides


def test_diff_of_two_card_sets_lists_added_and_removed_offerings() -> None:
    from ratecard.whatif.diff import diff

    old = ratecard.load(builtin=True)
    new = ratecard.load(ACME)
    d = diff(old, new, before_at="2026-08-01", after_at="2026-08-01")
    assert {c.kind for c in d.changed} == {"added"}
    assert {c.provider for c in d.changed} == {"acme"}
    assert [c.subject for c in d.conflicts_appeared] == ["Acme 1 edit price"]
    assert d.conflicts_resolved == ()
    back = diff(new, old, before_at="2026-08-01", after_at="2026-08-01")
    assert {c.kind for c in back.changed} == {"removed"}
    assert [c.subject for c in back.conflicts_resolved] == ["Acme 1 edit price"]




@pytest.mark.parametrize(("old", "new", "what", "before", "after"), [
    ("      min_seconds: 4\n", "      min_seconds: 5\n", "billing",
     "per second, min 4 s, rounded up to 1 s", "per second, min 5 s, rounded up to 1 s"),
    ("        mode: up\n        precision: 1\n", "        mode: down\n        precision: 1\n",
     "billing", "per second, min 4 s, rounded up to 1 s",
     "per second, min 4 s, rounded down to 1 s"),
    ("    mode: half_even\n", "    mode: half_up\n", "rounding",
     "amount half_up to 0.01, USD half_even to 0.01",
     "amount half_up to 0.01, USD half_up to 0.01"),
    ("    precision: 0.01\n    source:\n      document: https://acme.example/pricing\n"
     "      checked_on: 2026-11-21\n      basis: documented\n  usd:",
     "    precision: 1\n    source:\n      document: https://acme.example/pricing\n"
     "      checked_on: 2026-11-21\n      basis: documented\n  usd:", "rounding",
     "amount half_up to 0.01, USD half_even to 0.01", "amount half_up to 1, USD half_even to 0.01"),
    ("        max: 12\n", "        max: 10\n", "accepts", "2..12 s", "2..10 s"),
    # a line without a duration is priced at the default: 4 -> 6 s moves every such bill
    ("  quality: 720p\n  sound: off\n  duration: 4\n",
     "  quality: 720p\n  sound: off\n  duration: 6\n", "defaults",
     "quality 720p, sound off, duration 4 s", "quality 720p, sound off, duration 6 s"),
], ids=["min-seconds", "seconds-rounding", "usd-rounding", "amount-precision", "accepts",
        "defaults"])
def test_diff_names_an_offering_whose_billing_changed_at_the_same_price(
        tmp_path: Path, old: str, new: str, what: str, before: str, after: str) -> None:
    """Only the price was compared: a card billing 5 s at least instead of 4, rounding
    seconds down, rounding USD half-up or taking 10 s at most said "0 changed"."""
    from ratecard.whatif.diff import diff

    text = ACME.read_text(encoding="utf-8")
    assert text.count(old) == 1
    changed = tmp_path / "acme.yaml"
    changed.write_text(text.replace(old, new), encoding="utf-8")
    d = diff(ratecard.load(ACME, builtin=False), ratecard.load(changed, builtin=False),
             before_at="2026-08-01", after_at="2026-08-01")
    gen = [c for c in d.changed if c.model == "acme-gen"]
    assert len(gen) == 4  # 720p/1080p x sound off/on, at the same price per second
    assert {(c.kind, c.what, c.delta) for c in gen} == {("changed", (what,), D(0))}
    assert {(c.terms_before, c.terms_after) for c in gen} == {(((what, before),),
                                                               ((what, after),))}
    edit = [c for c in d.changed if c.model == "acme-edit"]
    assert [c.what for c in edit] == ([("rounding",)] if what == "rounding" else [])
    assert d.unchanged == 1 - len(edit)


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_seller_excluded_for_a_day_without_a_price_names_each_lines_own_day(
        engine: str, tmp_path: Path) -> None:
    """Jobs of one shape in one stretch of unchanged prices, on days rt-even has no price:
    the answer was remembered per stretch, so a line could say "no price in force on"
    another line's day."""
    card = ratecard.load(Path(__file__).parent / "cards" / "rounding")
    days = ["2026-11-21", "2026-10-10", "2026-11-21", "2026-12-01"]
    lines = [f"t{i},rt-floor,ceil-secs,{day},4.19,,1080p,off,32,credits,succeeded\n"
             for i, day in enumerate(days)]
    if engine == "python":
        results, summary = whatif(card, lines_from_text(HEADER + "".join(lines)))
    else:
        pytest.importorskip("duckdb")
        from ratecard.whatif.sql import whatif as duckdb_whatif

        path = tmp_path / "usage.csv"
        path.write_text(HEADER + "".join(lines), encoding="utf-8")
        results, summary = duckdb_whatif(card, [path])
    said = [[e.message for e in r.excluded if e.provider == "rt-even"] for r in results]
    assert said == [[f"rt-even/even-secs has no price in force on {day} (price versions: "
                     "start..2026-04-01, 2026-04-01..2026-09-01)"] for day in days]
    # every line at rt-floor: 4.19 s x 7.77 = 32.5563 credits, floored to 32; at 3 credits
    # a dollar 10.666.., up to 10.66667 USD (tests/cards/rounding/rt-floor.yaml)
    sellers = {seller["provider"]: seller for seller in summary_dict(summary)["sellers"]}
    assert (sellers["rt-floor"]["usd"], sellers["rt-floor"]["amount"]) == (
        "42.66668", {"rt-floor credits": "128"})


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_charged_amounts_of_no_unit_or_of_no_seller_are_in_no_total(
        engine: str, tmp_path: Path) -> None:
    """Credits of lines naming no seller were added together under "? credits" (whoever
    sold them), and amounts without a currency under "?"; they stay on their lines, as in
    reconcile. A currency word ratecard does not price in keeps a total of its own."""
    lines = [EVOLINK_720,
             "e2,evolink,kling-v3-image-to-video,2026-11-01,5,,720p,off,9,EUR,succeeded\n",
             "e3,,kling-v3-image-to-video,2026-11-01,5,,720p,off,7,credits,succeeded\n",
             "e4,,kling-v3-image-to-video,2026-11-01,5,,720p,off,8,credits,succeeded\n",
             "e5,nope,some-model,2026-11-01,5,,720p,off,3,credits,succeeded\n",
             "e6,nope,some-model,2026-11-01,5,,720p,off,2,usd,succeeded\n",
             "e7,evolink,kling-v3-image-to-video,2026-11-01,5,,720p,off,6,,succeeded\n"]
    if engine == "python":
        _, summary = whatif(CARD, lines_from_text(HEADER + "".join(lines)))
    else:
        pytest.importorskip("duckdb")
        from ratecard.whatif.sql import whatif as duckdb_whatif

        path = tmp_path / "usage.csv"
        path.write_text(HEADER + "".join(lines), encoding="utf-8")
        _, summary = duckdb_whatif(CARD, [path])
    totals = summary_dict(summary)
    assert totals["lines"] == 7
    assert totals["charged"] == {"USD": "2", "evolink EUR": "9", "evolink credits": "27.0",
                                 "nope credits": "3"}
