"""Every engine reads every input the same way: providers' task records (the seeds' own
examples included), and files whatever their names."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ratecard
from tests.batch_lines import require_duckdb
from tests.engines import ENGINES, python, same_everywhere, write_parquet

CATALOG = ratecard.load(cache=False)

EVOLINK_TASK: dict[str, Any] = {  # seed 001's response example
    "created": 1757169743, "id": "task-unified-1757169743-v3i2v",
    "model": "kling-v3-image-to-video", "object": "video.generation.task", "progress": 0,
    "status": "pending",
    "task_info": {"can_cancel": True, "estimated_time": 180, "video_duration": 5},
    "type": "video",
    "usage": {"billing_rule": "per_second", "credits_reserved": 27.0, "user_group": "default"},
}
KLING3API_RECORD: dict[str, Any] = {  # seed 003's status response
    "code": 200, "message": "success",
    "data": {"task_id": "n75abc123kling3", "status": "SUCCESS", "consumed_credits": 400,
             "created_at": "2026-02-05T10:30:00Z",
             "request": {"type": "pro-text-to-video",
                         "prompt": "A majestic eagle soaring through clouds at sunset",
                         "duration": 5, "aspect_ratio": "16:9"},
             "response": ["https://cdn.example.com/videos/abc123.mp4"],
             "error_message": None, "type": "pro-text-to-video"},
}


def _variant(record: dict[str, Any], **changes: Any) -> dict[str, Any]:
    copy: dict[str, Any] = json.loads(json.dumps(record))
    for path, value in changes.items():
        target = copy
        *parents, last = path.split("__")
        for key in parents:
            target = target[key]
        target[last] = value
    return copy


RECORDS = [
    EVOLINK_TASK,
    KLING3API_RECORD,
    _variant(EVOLINK_TASK, id="evo-failed", status="failed"),  # a hold, released
    _variant(EVOLINK_TASK, id="evo-cancelled", status="cancelled"),
    _variant(EVOLINK_TASK, id="evo-over", usage__credits_reserved=30),
    _variant(EVOLINK_TASK, id="evo-on", usage__credits_reserved=40.5),
    _variant(EVOLINK_TASK, id="evo-dear", usage__credits_reserved=60),
    _variant(KLING3API_RECORD, data__task_id="k-failed", data__status="FAILED"),
    _variant(KLING3API_RECORD, data__task_id="k-over", data__consumed_credits=420),
    {"code": 200, "data": {"task_id": "unreadable"}},
    KLING3API_RECORD,  # the same task again
]
STATUSES = ["MATCH", "MATCH", "MATCH", "MATCH", "INVALID_LINE", "MATCH", "OVERCHARGE",
            "CHARGED_FOR_FAILED", "OVERCHARGE", "INVALID_LINE", "DUPLICATE_TASK"]
"""An EvoLink task object does not say the job's quality or sound: a hold for 5 s is read
from its charge (27: 720p without sound; 40.5: 720p with sound, 5 x 5.4 x 1.5), checked
against the dearest above every price (60 > 54, 1080p with sound), and not checked
between two (30: INVALID_LINE, its charge kept); a failed or cancelled one owes nothing
whatever it was."""


def _tasks(tmp_path: Path, suffix: str = ".jsonl") -> Path:
    path = tmp_path / f"tasks{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(RECORDS), encoding="utf-8")
    else:
        path.write_text("".join(json.dumps(record) + "\n" for record in RECORDS),
                        encoding="utf-8")
    return path


@pytest.mark.slow  # DuckDB runs; CI runs them all
@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_duckdb_reads_task_records_as_python_does(tmp_path: Path, suffix: str) -> None:
    """The staging step once wrote a task record as an empty line: INVALID_LINE for all."""
    require_duckdb()
    results, summary = same_everywhere(CATALOG, [_tasks(tmp_path, suffix)], ["duckdb"])
    assert [r.status for r in results] == STATUSES
    assert (results[0].charged, results[0].expected) == (Decimal("27.0"), Decimal(27))
    assert "does not say the job's quality and sound" in results[0].reason
    assert (results[6].expected, results[6].difference) == (Decimal(54), Decimal(6))
    assert (results[1].charged, results[1].expected) == (Decimal(400), Decimal(400))
    # evolink: 27.0 held while pending, 0 and 0 for the released holds, 30, 40.5, 60 held
    assert summary.total.charged == {"credits@evolink": Decimal("157.5"),
                                     "credits@kling3api": Decimal(1620)}


@pytest.mark.slow
def test_spark_reads_task_records_as_python_does(tmp_path: Path) -> None:
    require_duckdb()
    results, _ = same_everywhere(CATALOG, [_tasks(tmp_path)], ["duckdb", "spark"])
    assert [r.status for r in results] == STATUSES


def test_a_failed_evolink_task_holding_credits_is_a_released_hold(tmp_path: Path) -> None:
    """Only usage.credits_reserved, and failed or cancelled: nothing was settled."""
    results, _ = python(CATALOG, [_tasks(tmp_path)])
    for result in results[2:4]:
        assert result.status == "MATCH"
        assert (result.charged, result.reserved, result.expected) == (
            Decimal(0), Decimal("27.0"), Decimal(0))
    # kling3api states what it consumed: a failed task that consumed credits is charged
    assert (results[7].status, results[7].charged) == ("CHARGED_FOR_FAILED", Decimal(400))


O1_EDIT_TASK: dict[str, Any] = {  # an EvoLink task object of the O1 edit (seed 002)
    "created": 1793491200, "id": "o1-short", "model": "kling-o1-video-edit",
    "object": "video.generation.task", "status": "completed",
    "task_info": {"video_duration": 2}, "type": "video",
    "usage": {"billing_rule": "per_second", "credits_reserved": 36},
}
CLAMPED_RECORDS = [
    O1_EDIT_TASK,  # 2 s billed at the 3 s minimum: 3 x 12 = 36 credits
    _variant(O1_EDIT_TASK, id="o1-long", task_info__video_duration=25,
             usage__credits_reserved=120),  # 25 s billed at the 10 s maximum: 120
    _variant(O1_EDIT_TASK, id="o1-short-charged-2s", usage__credits_reserved=24),
    _variant(KLING3API_RECORD, data__task_id="k-short", data__request__duration=2),
]
CLAMPED_STATUSES = ["MATCH", "MATCH", "UNDERCHARGE", "INVALID_LINE"]
"""Lengths beyond EvoLink's billing minimum and maximum are priced at them; kling3api
states no billing minimum, so its 2 s request is refused as ever."""


@pytest.mark.slow  # DuckDB and Spark run; CI runs them all
@pytest.mark.parametrize("engines", [["duckdb"], ["duckdb", "spark"]])
def test_records_and_typed_lines_beyond_the_billing_clamps_are_priced_alike(
        tmp_path: Path, engines: list[str]) -> None:
    require_duckdb()
    path = tmp_path / "tasks.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in CLAMPED_RECORDS),
                    encoding="utf-8")
    # and a Parquet invoice of typed columns: Kling 3.0 at EvoLink, 2 s and 2.5 s (DECIMAL)
    # billed at the 3 s minimum, 3 x 5.4 = 16.2 credits; 0 s refused (no clamp covers it)
    import duckdb

    invoice = tmp_path / "invoice.parquet"
    rows = " UNION ALL ".join(
        f"SELECT '{task}' AS task_id, 'evolink' AS provider, "
        f"'kling-v3-image-to-video' AS model, DATE '2026-11-01' AS timestamp, "
        f"{seconds}::DECIMAL(6,2) AS duration, '720p' AS quality, FALSE AS sound, "
        f"16.2::DECIMAL(10,4) AS charged, 'credits' AS currency, 'succeeded' AS status"
        for task, seconds in (("v3-2s", "2"), ("v3-2.5s", "2.5"), ("v3-0s", "0")))
    duckdb.connect().execute(f"COPY ({rows}) TO '{invoice}' (FORMAT parquet)")
    results, _ = same_everywhere(CATALOG, [path, invoice], engines)
    assert [r.status for r in results] == [*CLAMPED_STATUSES, "MATCH", "MATCH",
                                           "INVALID_LINE"], [r.reason for r in results]
    assert [r.expected for r in results] == [Decimal(36), Decimal(120), Decimal(36), None,
                                             Decimal("16.2"), Decimal("16.2"), None]
    assert "duration 2 s is not accepted by kling3api/pro-text-to-video" in results[3].reason


NAMES = ["g[1].parquet", "*.parquet", "a\\b.parquet", "x:y.parquet", "{a,b}.parquet",
         "sp ace.parquet", "?.parquet", "http:/host/file.parquet"]
"""Names DuckDB or Spark would read as a pattern, a URL or a path separator."""


def _files(tmp_path: Path) -> dict[str, Path]:
    """Each name with as many lines as its place in :data:`NAMES`, plus decoys a pattern
    would pick instead (g1.parquet, a.parquet, b.parquet)."""
    line = {"provider": "evolink", "model": "kling-v3-image-to-video", "duration": "5",
            "quality": "720p", "sound": "off", "timestamp": "2026-11-01", "charged": "27.0",
            "currency": "credits", "status": "succeeded"}
    paths = {}
    for count, name in enumerate(["g1.parquet", "a.parquet", "b.parquet", *NAMES], start=1):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        rows = [{**line, "task_id": f"{name}-{n}"} for n in range(count)]
        paths[name] = write_parquet(path, rows)
    return paths


@pytest.mark.slow  # DuckDB runs; CI runs them all
@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_file_names_are_file_names(tmp_path: Path, engine: str) -> None:
    require_duckdb()
    paths = _files(tmp_path)
    for count, name in enumerate(NAMES, start=4):
        results, _ = ENGINES[engine](CATALOG, [paths[name]])
        assert len(results) == count, name
        assert {r.source for r in results} == {str(paths[name])}
        assert {r.task_id.rsplit("-", 1)[0] for r in results if r.task_id} == {name}


@pytest.mark.slow
def test_file_names_are_file_names_in_spark(tmp_path: Path) -> None:
    require_duckdb()
    paths = _files(tmp_path)
    for count, name in enumerate(NAMES, start=4):
        results, _ = ENGINES["spark"](CATALOG, [paths[name]])
        assert len(results) == count, name


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_results_go_to_the_file_named(tmp_path: Path) -> None:
    require_duckdb()
    from ratecard.batch.duckdb_engine import DuckDBRun, connect

    source = _files(tmp_path)["g[1].parquet"]
    target = tmp_path / "out" / "results:[1].parquet"
    target.parent.mkdir()
    with DuckDBRun(CATALOG, [source], keep_results=True) as run:
        run.write_parquet(target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["results:[1].parquet"]
    plain = tmp_path / "check.parquet"
    target.rename(plain)
    assert connect().execute(f"SELECT count(*) FROM '{plain}'").fetchone() == (4,)


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_whatif_results_go_to_the_file_named(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """whatif handed DuckDB the --out name as it was: ``hf://x.parquet`` (a folder
    ``hf:`` here) sent DuckDB to install an extension and fetch from the network, and
    failed as if the input could not be read. It is written through a plain name, as
    reconcile writes."""
    require_duckdb()
    from ratecard.whatif.sql import DuckDBWhatIf

    monkeypatch.chdir(tmp_path)
    (tmp_path / "hf:").mkdir()
    source = _files(tmp_path)["g[1].parquet"]
    with DuckDBWhatIf(CATALOG, [source]) as run:
        run.write_parquet("hf://x.parquet")
    assert [p.name for p in (tmp_path / "hf:").iterdir()] == ["x.parquet"]


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_a_path_that_looks_like_a_url_never_reaches_duckdb(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DuckDB once tried to install an extension for such a path; now it sees only the
    names ratecard makes."""
    require_duckdb()
    from ratecard.batch import duckdb_engine

    seen: list[str] = []
    connect = duckdb_engine.connect

    class Recording:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def execute(self, sql: str, *args: Any) -> Any:
            seen.append(sql)
            return self.inner.execute(sql, *args)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.inner, name)

    monkeypatch.setattr(duckdb_engine, "connect", lambda *a: Recording(connect(*a)))
    path = _files(tmp_path)["http:/host/file.parquet"]
    results, _ = duckdb_engine.reconcile(CATALOG, [path])
    assert len(results) == 11
    reads = [sql for sql in seen if "read_parquet(" in sql]
    assert reads
    assert not any("http:" in sql.split("read_parquet(")[1].split(",")[0] for sql in reads)
    with pytest.raises(ratecard.RatecardError, match="no such invoice file"):
        duckdb_engine.reconcile(CATALOG, ["http://example.com/month.parquet"])


_UNICODE_BLANKS = ["\u00a0", "\u2003", "\u3000", "\u0085", "\u202f"]
"""Blanks ``str.strip()`` removes that are not ASCII: trimmed by no engine."""


@pytest.mark.slow  # DuckDB runs; CI runs them all
@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_a_word_with_a_unicode_blank_is_refused_by_every_engine(tmp_path: Path,
                                                                suffix: str) -> None:
    """Python once trimmed a no-break space from status, sound and quality (str.strip)
    while the SQL engines, which trim the ASCII blanks, refused the line."""
    from tests.engines import write_csv

    require_duckdb()
    # fal v3 pro image-to-video with audio, 0.168 USD/s (market-prices.md): 10 s = 1.68
    job = {"provider": "fal", "model": "v3-pro-image-to-video", "timestamp": "2026-11-01",
           "duration": "10", "quality": "1080p", "sound": "on", "charged": "1.68",
           "currency": "USD", "status": "succeeded"}
    rows = [{**job, "task_id": "ascii", "status": " succeeded\t", "sound": " on ",
             "quality": "\t1080p "}]
    rows += [{**job, "task_id": f"{field}-{ord(blank):x}", field: job[field] + blank}
             for blank in _UNICODE_BLANKS for field in ("status", "sound", "quality")]
    if suffix == ".csv":
        path = write_csv(tmp_path / "blanks.csv", rows)
    else:
        path = tmp_path / "blanks.jsonl"
        path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    results, _ = same_everywhere(CATALOG, [path], ["duckdb"])
    assert [r.status for r in results] == ["MATCH"] + ["INVALID_LINE"] * (len(rows) - 1)


@pytest.mark.slow  # DuckDB and Spark run; CI runs them all
@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_a_word_folded_only_outside_ascii_is_refused_by_every_engine(tmp_path: Path,
                                                                     engine: str) -> None:
    """DuckDB lowers a dotted capital I (U+0130) to ``i``, Python and Spark to ``i`` and a
    combining dot: ``FA\u0130LED`` was a failed job in DuckDB and an unreadable line
    elsewhere. No word is read from text that is not ASCII."""
    from tests.engines import write_csv

    require_duckdb()
    # fal v3 pro image-to-video with audio, 0.168 USD/s (market-prices.md): 10 s = 1.68
    fal = {"provider": "fal", "model": "v3-pro-image-to-video", "timestamp": "2026-11-01",
           "duration": "10", "quality": "1080p", "sound": "on", "charged": "1.68",
           "currency": "USD", "status": "succeeded"}
    # EvoLink Kling 3.0 image to video, 5 s at 720p without sound: 27 credits (seed 001)
    evolink = {"provider": "evolink", "model": "kling-v3-image-to-video",
               "timestamp": "2026-11-01", "duration": "5", "quality": "720p", "sound": "off",
               "charged": "27", "currency": "credits", "status": "succeeded"}
    rows = [{**fal, "task_id": "failed", "status": "FAILED"},
            {**fal, "task_id": "dotted-failed", "status": "FA\u0130LED"},
            {**fal, "task_id": "dotted-running", "status": "\u0130N_PROGRESS"},
            {**evolink, "task_id": "credits", "currency": "CREDITS"},
            {**evolink, "task_id": "dotted-credits", "currency": "CRED\u0130TS"}]
    path = write_csv(tmp_path / "dotted.csv", rows)
    results, _ = same_everywhere(CATALOG, [path], [engine])
    assert [r.status for r in results] == [
        "CHARGED_FOR_FAILED", "INVALID_LINE", "INVALID_LINE", "MATCH", "INVALID_LINE"]


@pytest.mark.slow  # DuckDB and Spark run; CI runs them all
@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_a_quality_in_capitals_is_that_quality_in_every_engine(tmp_path: Path,
                                                                engine: str) -> None:
    """An export's ``1080P`` or ``4K`` was refused ("does not offer quality '1080P'")
    while its ``ON`` and ``SUCCEEDED`` were read; it is 1080p now, in every engine. Text
    that is not printable ASCII is never folded: the Kelvin sign (U+212A, which lowers
    to ``k``) and a control character leave the line refused alike."""
    from tests.engines import write_csv

    require_duckdb()
    # fal v3 pro image-to-video with audio, 0.168 USD/s (market-prices.md): 10 s = 1.68
    fal = {"provider": "fal", "model": "v3-pro-image-to-video", "timestamp": "2026-11-01",
           "duration": "10", "quality": "1080p", "sound": "on", "charged": "1.68",
           "currency": "USD", "status": "succeeded"}
    # Krea Kling 3.0, 4k: 0.441 USD/s with or without audio (market-prices.md): 5 s = 2.205
    krea = {"provider": "krea", "model": "kling-3.0-text-to-video", "timestamp": "2026-11-01",
            "duration": "5", "quality": "4k", "sound": "off", "charged": "2.205",
            "currency": "USD", "status": "succeeded"}
    rows = [{**fal, "task_id": "caps", "quality": "1080P"},
            {**fal, "task_id": "blanks", "quality": " 1080P\t"},
            {**krea, "task_id": "4K", "quality": "4K"},
            {**krea, "task_id": "kelvin", "quality": "4\u212a"},
            {**fal, "task_id": "control", "quality": "1080P\x01"}]
    path = write_csv(tmp_path / "caps.csv", rows)
    results, _ = same_everywhere(CATALOG, [path], [engine])
    assert [r.status for r in results] == [
        "MATCH", "MATCH", "MATCH", "INVALID_LINE", "INVALID_LINE"]


@pytest.mark.slow  # DuckDB and Spark run; CI runs them all
@pytest.mark.parametrize("engine", ["duckdb", "spark"])
@pytest.mark.parametrize("form", ["csv", "parquet"])
def test_a_seller_named_by_its_brand_is_that_seller_in_every_engine(tmp_path: Path,
                                                                    engine: str,
                                                                    form: str) -> None:
    """``EvoLink`` (the seeds' own spelling) or a model id in capitals was
    UNKNOWN_OFFERING; each is read as the cards spell it in every engine, a task repeated
    under two spellings is a duplicate, and a name that is not printable ASCII (a dotted
    capital I) is never folded."""
    require_duckdb()
    # EvoLink kling-v3-image-to-video, 720p without sound: 5.4 credits/s (seed 001)
    job = {"timestamp": "2026-11-01", "duration": "5", "quality": "720p", "sound": "off",
           "charged": "27", "currency": "credits", "status": "succeeded"}
    rows = [{**job, "task_id": "t1", "provider": "EvoLink",
             "model": "kling-v3-image-to-video"},
            {**job, "task_id": "t1", "provider": "evolink",
             "model": "KLING-V3-IMAGE-TO-VIDEO"},
            {**job, "task_id": "t2", "provider": "EVOLINK",
             "model": "Kling-V3-Image-To-Video"},
            {**job, "task_id": "t3", "provider": "EVOL\u0130NK",
             "model": "kling-v3-image-to-video"},
            {**job, "task_id": "t4", "provider": "evolink", "model": "Kling-V3-Nope"}]
    from tests.engines import write_csv

    path = (write_csv(tmp_path / "brands.csv", rows) if form == "csv"
            else write_parquet(tmp_path / "brands.parquet", rows))
    results, _ = same_everywhere(CATALOG, [path], [engine])
    assert [(r.provider, r.model, r.status) for r in results] == [
        ("evolink", "kling-v3-image-to-video", "MATCH"),
        ("evolink", "kling-v3-image-to-video", "DUPLICATE_TASK"),
        ("evolink", "kling-v3-image-to-video", "MATCH"),
        ("EVOL\u0130NK", "kling-v3-image-to-video", "UNKNOWN_OFFERING"),
        ("evolink", "Kling-V3-Nope", "UNKNOWN_OFFERING")]


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_a_json_number_in_exponent_form_is_its_value_in_every_engine(tmp_path: Path) -> None:
    """A JSON number is a number however it is written: ``1e1`` was staged as the text
    ``1E+1``, which the SQL engines refuse, while Python read 10."""
    require_duckdb()
    # EvoLink kling-v3-image-to-video, 720p without sound: 5.4 credits/s (seed 001)
    job = ('"provider": "evolink", "model": "kling-v3-image-to-video", '
           '"timestamp": "2026-11-01", "currency": "credits", "status": "succeeded"')
    numbers = [("1e1", "5.4e1"), ("5", "2.70E+1"), ("10", "540e-1"), ("5.0e0", "0.27e2")]
    path = tmp_path / "numbers.jsonl"
    path.write_text("".join(f'{{"task_id": "t{n}", {job}, "duration": {duration}, '
                            f'"charged": {charged}}}\n'
                            for n, (duration, charged) in enumerate(numbers)),
                    encoding="utf-8")
    results, _ = same_everywhere(CATALOG, [path], ["duckdb"])
    assert [(r.status, r.charged) for r in results] == [
        ("MATCH", Decimal(54)), ("MATCH", Decimal(27)), ("MATCH", Decimal(54)),
        ("MATCH", Decimal(27))]


# EvoLink Kling 3.0 image to video, 5 s at 720p without sound: 27 credits (seed 001)
_EVOLINK_JOB = {"provider": "evolink", "model": "kling-v3-image-to-video",
                "timestamp": "2026-11-01", "duration": "5", "quality": "720p",
                "sound": "off", "charged": "27", "currency": "credits",
                "status": "succeeded"}


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_a_file_converted_to_crlf_twice_reads_alike_in_every_engine(tmp_path: Path) -> None:
    """``\\r\\r\\n`` once gave a blank INVALID_LINE after every line, in every engine."""
    from tests.engines import write_csv

    require_duckdb()
    path = write_csv(tmp_path / "twice.csv",
                     [{**_EVOLINK_JOB, "task_id": task} for task in ("t1", "t2", "t1")])
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\r\n"))
    results, _ = same_everywhere(CATALOG, [path], ["duckdb"])
    assert [(r.line, r.status, r.task_id) for r in results] == [
        (2, "MATCH", "t1"), (3, "MATCH", "t2"), (4, "DUPLICATE_TASK", "t1")]


@pytest.mark.slow  # DuckDB runs; CI runs them all
@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_exports_appended_after_their_byte_order_marks_read_alike(tmp_path: Path,
                                                                  suffix: str) -> None:
    """A second export's byte-order mark at the start of a line: its header once read as
    an invoice line and its task ids (``\\ufefft1``) never duplicates of the first's."""
    from tests.engines import write_csv

    require_duckdb()
    rows = [{**_EVOLINK_JOB, "task_id": task} for task in ("t1", "t2")]
    if suffix == ".csv":
        export = write_csv(tmp_path / "one.csv", rows).read_text(encoding="utf-8")
        lines = [(2, "MATCH", "t1"), (3, "MATCH", "t2"), (4, "INVALID_LINE", None),
                 (5, "DUPLICATE_TASK", "t1"), (6, "DUPLICATE_TASK", "t2")]
    else:
        export = "".join(json.dumps(row) + "\n" for row in rows)
        lines = [(1, "MATCH", "t1"), (2, "MATCH", "t2"), (3, "DUPLICATE_TASK", "t1"),
                 (4, "DUPLICATE_TASK", "t2")]
    path = tmp_path / f"joined{suffix}"
    path.write_text("\ufeff" + export + "\ufeff" + export, encoding="utf-8")
    results, _ = same_everywhere(CATALOG, [path], ["duckdb"])
    assert [(r.line, r.status, r.task_id) for r in results] == lines


@pytest.mark.slow  # DuckDB and Spark run; CI runs them all
@pytest.mark.parametrize(("suffix", "engine"), [(".csv", "duckdb"), (".jsonl", "duckdb"),
                                                (".parquet", "duckdb"), (".parquet", "spark")])
def test_a_nul_in_a_field_is_an_invalid_line_in_every_engine(tmp_path: Path, suffix: str,
                                                             engine: str) -> None:
    """A zero byte in a task id or a provider was kept as it was (the SQL engines' reason
    showed it as a space), and written raw into the results."""
    from tests.engines import write_csv

    require_duckdb()
    rows = [{**_EVOLINK_JOB, "task_id": "t\x001"},
            {**_EVOLINK_JOB, "task_id": "t2", "provider": "evo\x00link"},
            {**_EVOLINK_JOB, "task_id": "t3", "model": "x" * 300 + "\x00"},
            {**_EVOLINK_JOB, "task_id": "t1"}]
    path = tmp_path / f"damaged{suffix}"
    if suffix == ".csv":
        write_csv(path, rows)
    elif suffix == ".jsonl":
        path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    else:
        write_parquet(path, rows)
    results, _ = same_everywhere(CATALOG, [path], [engine])
    assert [(r.status, r.task_id, r.reason.split(": ", 1)[-1]) for r in results] == [
        ("INVALID_LINE", None, "task_id holds a NUL character (a zero byte)"),
        ("INVALID_LINE", None, "provider holds a NUL character (a zero byte)"),
        ("INVALID_LINE", None, "model is longer than 256 characters"),
        ("MATCH", "t1", "")]


@pytest.mark.slow  # DuckDB runs; CI runs them all
def test_json_lines_of_carriage_return_line_ends_read_alike(tmp_path: Path) -> None:
    """Old Mac line ends (CR only): a JSON Lines file of them was one INVALID_LINE (a CSV
    file of them was read line by line already)."""
    require_duckdb()
    rows = [{**_EVOLINK_JOB, "task_id": task} for task in ("t1", "t2", "t1")]
    path = tmp_path / "mac.jsonl"
    path.write_text("".join(json.dumps(row) + "\r" for row in rows), encoding="utf-8",
                    newline="")
    results, _ = same_everywhere(CATALOG, [path], ["duckdb"])
    assert [(r.line, r.status, r.task_id) for r in results] == [
        (1, "MATCH", "t1"), (2, "MATCH", "t2"), (3, "DUPLICATE_TASK", "t1")]


@pytest.mark.slow  # DuckDB and Spark run; CI runs them all
@pytest.mark.parametrize(("suffix", "engines"), [(".csv", ["duckdb"]),
                                                 (".jsonl", ["duckdb"]),
                                                 (".jsonl", ["duckdb", "spark"])])
def test_line_ends_that_switch_part_way_read_alike(tmp_path: Path, suffix: str,
                                                   engines: list[str]) -> None:
    """An old Mac export with a Unix one appended (CR lines, then LF and CRLF lines): a
    JSON Lines file was read by its first line end only, its CR lines one INVALID_LINE in
    every engine. Every line end now ends one line, in every engine."""
    from tests.engines import write_csv

    require_duckdb()
    rows = [{**_EVOLINK_JOB, "task_id": task} for task in ("t1", "t2", "t3", "t1")]
    ends = ["\r", "\r", "\n", "\r\n", "\r\r\n"]
    if suffix == ".csv":
        lines = write_csv(tmp_path / "one.csv", rows).read_text(encoding="utf-8").split("\n")
        first = 2
    else:
        lines = [json.dumps(row) for row in rows]
        first = 1
    path = tmp_path / f"mixed{suffix}"
    path.write_text("".join(text + end for text, end in zip(lines, ends, strict=False)),
                    encoding="utf-8", newline="")
    results, _ = same_everywhere(CATALOG, [path], engines)
    assert [(r.line, r.status, r.task_id) for r in results] == [
        (first, "MATCH", "t1"), (first + 1, "MATCH", "t2"), (first + 2, "MATCH", "t3"),
        (first + 3, "DUPLICATE_TASK", "t1")]


@pytest.mark.slow  # DuckDB and Spark run; CI runs them all
@pytest.mark.parametrize("engines", [["duckdb"], ["duckdb", "spark"]])
def test_a_header_repeated_in_another_spelling_is_the_header_again_alike(
        tmp_path: Path, engines: list[str]) -> None:
    """``cat a.csv b.csv`` of two exports whose headers differ in case, blanks or quotes:
    the second header was an invalid invoice line of task TASK_ID in every engine."""
    from tests.engines import write_csv

    require_duckdb()
    export = write_csv(tmp_path / "one.csv", [{**_EVOLINK_JOB, "task_id": "t1"}])
    header, record, _ = export.read_text(encoding="utf-8").split("\n")
    spellings = [header.upper(), header.replace(",", " , "),
                 ",".join(f'"{name.title()}"' for name in header.split(","))]
    path = tmp_path / "joined.csv"
    path.write_text("\n".join([header, record] + [f"{again}\n{record}" for again in spellings])
                    + "\n", encoding="utf-8")
    results, _ = same_everywhere(CATALOG, [path], engines)
    again = f"{path}:{{}}: the header line again: a second file appended to the first?"
    assert [(r.line, r.status, r.task_id or r.reason) for r in results] == [
        (2, "MATCH", "t1"), (3, "INVALID_LINE", again.format(3)),
        (4, "DUPLICATE_TASK", "t1"), (5, "INVALID_LINE", again.format(5)),
        (6, "DUPLICATE_TASK", "t1"), (7, "INVALID_LINE", again.format(7)),
        (8, "DUPLICATE_TASK", "t1")]


@pytest.mark.slow  # DuckDB and Spark run; CI runs them all
@pytest.mark.parametrize("engines", [["duckdb"], ["duckdb", "spark"]])
def test_lines_under_a_header_in_another_order_are_read_by_it_alike(
        tmp_path: Path, engines: list[str]) -> None:
    """``cat a.csv b.csv`` of two exports whose columns are in other orders (and other
    sets): every engine read the second export's lines in the first one's positions."""
    from tests.engines import write_csv

    require_duckdb()
    first = write_csv(tmp_path / "one.csv", [{**_EVOLINK_JOB, "task_id": "t1"}])
    reordered = ["charged", "sound", "status", "currency", "timestamp", "duration", "model",
                 "provider", "task_id"]  # no quality: the card's 720p
    second = write_csv(tmp_path / "two.csv", [
        {**_EVOLINK_JOB, "task_id": "t2", "sound": "on", "charged": "40.5"},  # 8.1 a second
        {**_EVOLINK_JOB, "task_id": "t3", "duration": "10", "charged": "54"}], reordered)
    path = tmp_path / "joined.csv"
    path.write_text(first.read_text(encoding="utf-8") + second.read_text(encoding="utf-8"),
                    encoding="utf-8")
    results, _ = same_everywhere(CATALOG, [path], engines)
    other = (f"{path}:3: a header line in another column order or with other columns: a "
             "second file appended to the first? The lines after it are read by it")
    assert [(r.line, r.status, r.task_id or r.reason) for r in results] == [
        (2, "MATCH", "t1"), (3, "INVALID_LINE", other), (4, "MATCH", "t2"),
        (5, "MATCH", "t3")]


@pytest.mark.slow  # DuckDB and Spark run; CI runs them all
@pytest.mark.parametrize("engines", [["duckdb"], ["duckdb", "spark"]])
def test_an_undercharge_of_a_task_not_finished_is_worded_alike(
        tmp_path: Path, engines: list[str]) -> None:
    """A pending or running task charged less than the card: the reason says so in every
    engine (a finished one keeps the plain wording)."""
    from tests.engines import write_csv

    require_duckdb()
    path = write_csv(tmp_path / "open.csv", [
        {**_EVOLINK_JOB, "task_id": "t1", "status": "pending", "charged": "0"},
        {**_EVOLINK_JOB, "task_id": "t2", "status": "In_Progress", "charged": "20"},
        {**_EVOLINK_JOB, "task_id": "t3", "charged": "20"}])
    results, _ = same_everywhere(CATALOG, [path], engines)
    unsettled = ("charged {} credits less than the card, but the task is {}: what it is "
                 "charged may not be settled yet")
    assert [(r.task_id, r.status, r.reason) for r in results] == [
        ("t1", "UNDERCHARGE", unsettled.format("27.0000", "pending")),
        ("t2", "UNDERCHARGE", unsettled.format("7.0000", "running")),
        ("t3", "UNDERCHARGE", "charged 7.0000 credits less than the card")]


DAY_MS = 1793577600000
"""2026-11-01 00:00:00 UTC in milliseconds: EvoLink's Kling 3.0 costs 27 credits for 5 s."""
MILLIS_ROWS = [("in-range", DAY_MS + 10), ("after", DAY_MS + 90), ("no-time", None),
               ("last", DAY_MS + 20), ("past-last", DAY_MS + 30), ("before", DAY_MS),
               ("again", DAY_MS + 40)]
MILLIS_BEYOND = {DAY_MS + 90: 10**16, DAY_MS + 20: 9_223_372_036_854_775,
                 DAY_MS + 30: 9_223_372_036_854_776, DAY_MS: -(10**16)}
"""Written over the values of :data:`MILLIS_ROWS` (the greatest and the least among them,
so that the file's statistics show the range is passed): the year 318857; the last
millisecond DuckDB and Spark hold (294247-01-10) and the next; the year 314912 BC."""
BEYOND_REASON = ("timestamp is {ms} milliseconds from 1970-01-01, beyond the timestamps "
                 "the engines hold (the years 290308 BC to 294247 AD)")


BAD_ELEMENTS = [
    '{"task_id": "nan", "charged": NaN}',  # not JSON
    '{"id": "twice", "id": "again", "object": "video.generation.task"}',  # a key twice
    "5",  # not an object
    "",  # nothing between two commas
    json.dumps({**_variant(KLING3API_RECORD, data__task_id="k-none"), "data": None}),
]


@pytest.mark.slow  # DuckDB and Spark run; CI runs them all
@pytest.mark.parametrize("engines", [["duckdb"], ["duckdb", "spark"]])
def test_a_millisecond_timestamp_beyond_the_engines_is_an_invalid_line_of_its_own(
        tmp_path: Path, engines: list[str]) -> None:
    # a timestamp[ms] value past DuckDB's year 294247 failed the whole file, in every
    # engine (Python reads Parquet through DuckDB): "Could not convert Timestamp(MS) to
    # Timestamp(US)", Spark's "long overflow"
    require_duckdb()
    from tests.batch_lines import millis_parquet

    path = millis_parquet(tmp_path / "march.parquet", MILLIS_ROWS, MILLIS_BEYOND)
    results, summary = same_everywhere(CATALOG, [path], engines)
    assert [(r.task_id, r.status) for r in results] == [
        ("in-range", "MATCH"), (None, "INVALID_LINE"), ("no-time", "INVALID_LINE"),
        ("last", "INVALID_LINE"), (None, "INVALID_LINE"), (None, "INVALID_LINE"),
        ("again", "MATCH")]
    beyond = {r.line: r.reason for r in results if not r.task_id}
    assert beyond == {
        2: f"{path}:2: " + BEYOND_REASON.format(ms=10**16),
        5: f"{path}:5: " + BEYOND_REASON.format(ms=9_223_372_036_854_776),
        6: f"{path}:6: " + BEYOND_REASON.format(ms=-(10**16))}
    assert "missing timestamp" in results[2].reason
    # the last millisecond the engines hold is read, as the day it is: not a date of
    # years 1 to 9999, as any timestamp past 9999 reads
    assert "294247-01-10" in results[3].reason, results[3].reason
    assert summary.by_status == {"MATCH": 2, "INVALID_LINE": 5}


@pytest.mark.slow  # DuckDB and Spark run; CI runs them all
@pytest.mark.parametrize("engines", [["duckdb"], ["duckdb", "spark"]])
def test_a_json_array_with_bad_elements_is_read_element_by_element_alike(
        tmp_path: Path, engines: list[str]) -> None:
    """One bad element made every engine refuse the whole .json file; now each element is
    one line, in every engine, and the good task records are checked."""
    require_duckdb()
    path = tmp_path / "tasks.json"
    elements = [json.dumps(record) for record in RECORDS[:3]] + BAD_ELEMENTS
    path.write_text("[\n" + ",\n".join(elements) + "\n]\n", encoding="utf-8")
    results, summary = same_everywhere(CATALOG, [path], engines)
    assert [(r.line, r.status) for r in results] == [
        (1, "MATCH"), (2, "MATCH"), (3, "MATCH"), (4, "INVALID_LINE"), (5, "INVALID_LINE"),
        (6, "INVALID_LINE"), (7, "INVALID_LINE"), (8, "INVALID_LINE")]
    assert [r.reason for r in results[3:7]] == [
        f"{path}:4: element 4 of the array (line 5, column 1): invalid JSON: NaN is not a "
        "JSON number (JSON has no NaN or Infinity)",
        f"{path}:5: element 5 of the array (line 6, column 1): invalid JSON: key 'id' "
        "appears twice in one object: which value the provider reads is not defined",
        f"{path}:6: element 6 of the array (line 7, column 1): not a JSON object",
        f"{path}:7: element 7 of the array (line 8, column 1): no value between its "
        "separators (two commas, or a comma and a bracket)"]
    assert results[7].reason.startswith(f"{path}:8: ")
    assert summary.total.lines == 8


@pytest.mark.slow  # DuckDB and Spark run; CI runs them all
@pytest.mark.parametrize("engines", [["duckdb"], ["duckdb", "spark"]])
def test_a_duplicate_task_names_its_first_occurrence_alike(tmp_path: Path,
                                                           engines: list[str]) -> None:
    """DUPLICATE_TASK said only "task t1 already appeared for evolink": which line to
    compare it with was left to a search of every input."""
    from tests.engines import write_csv

    require_duckdb()
    # EvoLink Kling 3.0 image to video, 5 s at 720p without sound: 27 credits (seed 001)
    job = {"provider": "evolink", "model": "kling-v3-image-to-video", "duration": "5",
           "quality": "720p", "sound": "off", "timestamp": "2026-11-01", "charged": "27",
           "currency": "credits", "status": "succeeded"}
    first = write_csv(tmp_path / "a.csv", [{**job, "task_id": "t1"},
                                           {**job, "task_id": "t2", "charged": "x"},
                                           {**job, "task_id": "t2"},
                                           {**job, "task_id": "t1"}])
    second = tmp_path / "b.jsonl"
    second.write_text(json.dumps({**job, "task_id": "t2"}) + "\n", encoding="utf-8")
    third = write_parquet(tmp_path / "c.parquet", [{**job, "task_id": "t1"}])
    results, _ = same_everywhere(CATALOG, [first, second, third], engines)
    assert [(r.task_id, r.status, r.reason) for r in results] == [
        ("t1", "MATCH", ""),
        ("t2", "INVALID_LINE", f"{first}:3: charged 'x' is not a number"),
        ("t2", "MATCH", ""),
        ("t1", "DUPLICATE_TASK", f"task t1 already appeared for evolink, first at {first}:2"),
        ("t2", "DUPLICATE_TASK", f"task t2 already appeared for evolink, first at {first}:4"),
        ("t1", "DUPLICATE_TASK", f"task t1 already appeared for evolink, first at {first}:2"),
    ]
