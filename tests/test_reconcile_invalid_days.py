"""A line refused for its length on a priced day says nothing of another day.

The reconciler remembers a job shape's answer over the days it holds. A length outside
the accepted range is found only once a price is in force (the engine looks the price up
first), so on a day with no price the same line is UNPRICED_DATE: whatever line came
first, each gets the verdict it gets on its own.
"""

from __future__ import annotations

import csv
from pathlib import Path

import ratecard
from ratecard.reconcile.readers import COLUMNS, read_lines
from ratecard.reconcile.reconciler import reconcile

CARDS = Path(__file__).parent / "cards" / "rounding"


def line(task: str, day: str) -> dict[str, str]:
    # rt-even prices even-secs until 2026-09-01 and accepts 0.5..40 s; it bills any length
    # from 2 to 30 s (its clamps), so only a length of 0 s or less is refused
    return {"task_id": task, "provider": "rt-even", "model": "even-secs", "duration": "0",
            "timestamp": day, "charged": "1", "currency": "credits", "status": "succeeded"}


def statuses(tmp_path: Path, lines: list[dict[str, str]]) -> list[str]:
    path = tmp_path / f"lines-{len(list(tmp_path.iterdir()))}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows([[item.get(c, "") for c in COLUMNS] for item in lines])
    results, _ = reconcile(ratecard.load(CARDS), read_lines([path]))
    return [r.status for r in results]


def test_an_invalid_length_on_a_priced_day_is_not_reused_on_an_unpriced_day(
    tmp_path: Path,
) -> None:
    priced, unpriced = line("t1", "2026-08-01"), line("t2", "2026-09-01")
    alone = statuses(tmp_path, [priced]) + statuses(tmp_path, [unpriced])
    assert alone == ["INVALID_LINE", "UNPRICED_DATE"]
    assert statuses(tmp_path, [priced, unpriced]) == alone
    assert statuses(tmp_path, [unpriced, priced]) == alone[::-1]


def test_the_first_and_last_days_of_the_calendar_are_priced_alike_in_any_order(
    tmp_path: Path,
) -> None:
    """9999-12-31 has no next day: a line dated so once stopped the Python engine with an
    OverflowError unless an earlier line of its shape had been priced."""
    from tests.batch_lines import require_duckdb
    from tests.engines import same_everywhere, write_csv

    require_duckdb()
    # fal: v3 pro image-to-video with audio, 0.168 USD/s (market-prices.md): 10 s = 1.68
    job = {"provider": "fal", "model": "v3-pro-image-to-video", "duration": "10",
           "quality": "1080p", "sound": "on", "charged": "1.68", "currency": "USD",
           "status": "succeeded"}
    days = ["9999-12-31", "253402300799", "0001-01-01", "2026-11-01", "9999-12-31T23:59:59Z"]
    for order in (days, days[::-1]):
        path = write_csv(tmp_path / f"days-{order[0][:4]}.csv",
                         [{**job, "task_id": f"t{n}", "timestamp": day}
                          for n, day in enumerate(order)])
        results, _ = same_everywhere(ratecard.load(), [path], ["duckdb"])
        assert [r.status for r in results] == ["MATCH"] * len(days)
