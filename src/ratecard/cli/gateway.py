"""``ratecard route`` for a gateway: route a native body (``--payload FILE --provider P``),
and read what it saw of the sellers (``--outcomes FILE``) into circuits.

Kept apart from :mod:`ratecard.cli.route`, which only adds these options and hands over.

``--outcomes`` reads JSON Lines (or a JSON array): each item is either an outcome,
``{"provider": "evolink", "model": "kling-v3-image-to-video", "outcome": "failed",
"at": "2026-12-03T10:00:00Z", "latency": 2.5}`` (``at``: ISO 8601 or Unix seconds;
``latency`` optional), or a provider's task record (an EvoLink task object, a kling3api
status record), whose outcome is dated at its creation time (records carry no completion
time). ``--now`` is the time the circuits are read at (default: the current time). Every
outcome must name a seller and model of the cards and have a time no later than ``--now``;
they are recorded in time order, whatever the order of the lines and files. A task record
read again (the same seller's task id) is counted once; two that disagree are an error.
JSON Lines are read one line at a time, and each task is remembered by a 16-byte digest of
its seller and id (:func:`ratecard.routing.health.task_key`), whatever the id's length.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext, suppress
from datetime import UTC, datetime
from decimal import Decimal
from itertools import chain
from typing import Any, BinaryIO, NamedTuple

from ratecard.api import Catalog, load_health_policy
from ratecard.cli.body import read_payload, report_refused
from ratecard.cli.candidates import (
    print_candidates,
    print_candidates_csv,
    print_exclusions,
)
from ratecard.cli.options import STDIN, BadInputError, add_video_arguments, video_info
from ratecard.errors import QuoteError, brief
from ratecard.gateway.route_payload import PayloadRoute
from ratecard.numbers import NUMBER, NumberError, read_number
from ratecard.payloads.dialects import DIALECTS, task_provider
from ratecard.payloads.dialects.reader import load_json
from ratecard.payloads.translate import dumps
from ratecard.payloads.violations import PayloadError
from ratecard.reconcile.names import OfferingNames
from ratecard.routing.health import Health, checked_latency, task_key
from ratecard.terminal import printable, printable_json
from ratecard.vocabulary import BLANKS, OUTCOMES, TASK_OUTCOMES, fold

NEED_OPTIONS = ("family", "mode", "quality", "sound", "duration")
"""Options that describe a need; a body describes its own."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--payload``, ``--provider``, ``--video-info`` and the health options. The need's
    length (``--duration``/``--input-seconds``) stops being required: a body gives it."""
    for group in parser._mutually_exclusive_groups:  # the need's length, from options.py
        group.required = False
    add_video_arguments(parser)
    parser.add_argument("--provider", metavar="P",
                        help="with --payload: whose dialect the body is written in "
                        f"({', '.join(DIALECTS)})")
    health = parser.add_argument_group(
        "health", "what the gateway saw of each seller lately: a seller x model whose "
        "circuit is open is excluded (UNHEALTHY, with when it may be retried); a half-open "
        "one is offered for a probe")
    health.add_argument("--outcomes", nargs="+", metavar="FILE",
                        help="JSON Lines (or a JSON array) of outcomes {provider, model, "
                        "outcome: succeeded|failed|timed_out, at, latency (optional)} or of "
                        "task records (dated at their creation; a task read again is "
                        "counted once); each at no later than --now, recorded in time "
                        "order; - reads standard input")
    health.add_argument("--health-policy", metavar="FILE",
                        help="circuit policy (default: pricing_tables/health/policy.yaml)")
    health.add_argument("--now", metavar="TIME",
                        help="read the circuits at this time (ISO 8601, or Unix seconds: "
                        "9 to 12 digits; default: now)")


def check_need_form(args: argparse.Namespace) -> None:
    """Without ``--payload``, the need's length is required (as before), and the options
    about a body (``--provider``, ``--video-info``) are refused, never ignored."""
    for name, flag in (("provider", "--provider"), ("video_info", "--video-info")):
        if getattr(args, name, None) is not None:
            raise BadInputError("INVALID_INPUT", f"{flag} describes a --payload body, and "
                                "there is none; to route to some sellers only, use --allow",
                                name)
    if args.duration is None and args.input_seconds is None:
        raise BadInputError("INVALID_INPUT", "route needs --duration (generation) or "
                            "--input-seconds (video-edit), or --payload FILE with "
                            "--provider P", "duration")


def health_from(args: argparse.Namespace, catalog: Catalog) -> Health | None:
    """The circuits the health options describe, or ``None`` without ``--outcomes``.

    Every outcome is checked before any is recorded (a known seller and model, a time no
    later than ``--now``), then recorded in time order: the circuits do not depend on the
    order of the lines or of the files."""
    if not args.outcomes:
        if args.health_policy or args.now:
            raise BadInputError("INVALID_INPUT", "--health-policy and --now apply to "
                                "--outcomes FILE", "outcomes")
        return None
    now = time.time() if args.now is None else _time(args.now, "--now")
    policy = load_health_policy(args.health_policy)
    unknown = sorted(set(policy.sellers) - set(catalog.cards))
    if unknown:
        raise BadInputError("INVALID_INPUT", f"--health-policy {policy.file}: sellers "
                            f"{', '.join(unknown)} are not providers of the cards (known: "
                            f"{', '.join(sorted(catalog.cards))})", "health_policy")
    health = Health(policy, clock=lambda: now)
    seen: list[_Seen] = []
    tasks: dict[bytes, _Seen] = {}  # by task_key: 16 bytes a task, whatever its id's length
    names = OfferingNames.of(catalog.index)
    for name in args.outcomes:
        for where, item in _items(name):
            read = _read(catalog, item, where, now, names)
            if read is None:
                continue
            found, task_id = read
            if found.task is not None:
                first = tasks.setdefault(found.task, found)
                if first is not found:
                    _same_task(first, found, task_id)
                    continue  # a task read again (a status polled twice) is counted once
            seen.append(found)
    seen.sort(key=lambda found: found.at)  # stable: equal times keep the files' order
    for found in seen:
        health.record(found.provider, found.model, found.outcome, latency=found.latency,
                      at=found.at)
    return health


def run(args: argparse.Namespace, catalog: Catalog, health: Health | None) -> int:
    """Route ``--payload``: the chain with the body for each step (table or JSON)."""
    given = [f"--{name.replace('_', '-')}" for name in NEED_OPTIONS if getattr(args, name)]
    if args.feature:
        given.append("--feature")
    if given:
        raise BadInputError("INVALID_INPUT", f"{', '.join(given)}: the body says what it "
                            "needs; with --payload give only --provider, --input-seconds "
                            "or --video-info (the input video's length)", "payload")
    if args.provider is None:
        raise BadInputError("INVALID_INPUT", "--payload needs --provider (the dialect the "
                            "body is written in)", "provider")
    body = read_payload(args.payload)
    try:
        result = catalog.route_payload(
            body, source=args.provider, video=video_info(args.input_seconds, args.video_info),
            health=health, down=args.down, max_usd=args.max_usd, allow=args.allow,
            deny=args.deny, include_reference=args.include_reference, at=args.at)
    except PayloadError as exc:
        return report_refused(args.provider, body, exc)
    if args.format == "json":
        data = result.to_dict()
        if health is not None:
            data["circuits"] = circuits_json(health)
        print(dumps(data, indent=2))
        return 0 if result.chain else 1
    if args.format == "csv":
        print_candidates_csv(tuple(step.candidate for step in result.chain),
                             result.exclusions, tuple(dumps(step.body) for step in result.chain))
        return 0 if result.chain else 1
    _print_table(result, health, args.sources)
    return 0 if result.chain else 1


def circuits_json(health: Health) -> list[dict[str, Any]]:
    """Every circuit the outcomes made, as JSON."""
    return [status.to_dict() for status in health.statuses()]


def print_circuits(health: Health) -> None:
    """The circuits that are not closed, one line each."""
    for status in health.statuses():
        if status.state == "closed":
            continue
        when = "" if status.retry_at is None else \
            f", retry at {_iso(status.retry_at)} (in {status.retry_at - status.at:.0f} s)"
        print(f"health: {status.provider}/{status.model} {status.state.replace('_', '-')}"
              f"{when}")


def _print_table(result: PayloadRoute, health: Health | None, sources: bool) -> None:
    print(f"route: {result.source} {result.source_model} body -> {result.need.describe()}")
    if health is not None:
        print_circuits(health)
    print_candidates(tuple(step.candidate for step in result.chain), result.need,
                     "no provider can take this body now", result.caveats, sources)
    for rank, step in enumerate(result.chain, 1):
        t = step.translation
        how = "as given" if t.source == t.target else f"translated from {t.source}"
        basis = "" if t.basis == "documented" else ", inferred fields"
        probe = ", probe: take it with Health.admit first" if step.probe else ""
        print(f"\nbody {rank} ({step.provider}/{step.model}, {how}{basis}{probe}):")
        print(f"  {printable_json(dumps(step.body))}")
        said = "changed" if t.source != t.target else "warning"  # as given: the check's
        for warning in t.warnings:
            print(f"  {said}: {printable(' '.join(warning.split()))}")
        for note in t.inferred:
            print(f"  inferred: {printable(note)}")
    print_exclusions(result.exclusions)


def _items(name: str) -> Iterable[tuple[str, Any]]:
    """(where, item) of a JSON Lines file (``FILE:LINE``), read a line at a time, or of a
    JSON array file (``FILE item N``); ``-`` is standard input. Only a text whose first
    character is ``[`` can be an array: only that one is read whole."""
    path = "standard input" if name == STDIN else name
    with _opened(name) as stream:
        lines = _read_lines(stream, name)
        ahead: list[bytes] = []
        first = b""  # the first line that is not blank, the BOM of the text taken off
        for line in lines:
            first = line.removeprefix(_BOM) if not ahead else line
            ahead.append(line)
            if first.strip(_BLANKS):
                break
        if first.lstrip(_BLANKS).startswith(b"["):
            text = b"".join([*ahead, *lines])
            whole, problem = load_json(text)
            if problem is None and isinstance(whole, list):
                yield from ((f"{path} item {index}", item)
                            for index, item in enumerate(whole, 1))
                return
            ahead, lines = [text], iter(())
        number = 0
        for chunk in chain(ahead, lines):
            for line in chunk.splitlines():  # as bytes.splitlines: \r and \r\n end one too
                number += 1
                if not line.strip():
                    continue
                item, problem = load_json(line)
                if problem is not None:
                    raise BadInputError("INVALID_INPUT",
                                        f"{path}:{number}: {problem.message}", "outcomes")
                yield f"{path}:{number}", item


_BOM = b"\xef\xbb\xbf"
_BLANKS = b" \t\r\n"
"""JSON's blanks (RFC 8259): what may come before an array's ``[``."""


def _opened(name: str) -> AbstractContextManager[BinaryIO]:
    """``name`` opened to read bytes; standard input is read, never closed."""
    try:
        if name == STDIN:
            raw = getattr(sys.stdin, "buffer", None)
            return nullcontext(io.BytesIO(sys.stdin.read().encode()) if raw is None else raw)
        return open(name, "rb")
    except OSError as exc:
        raise _unreadable(name, exc) from None


def _read_lines(stream: BinaryIO, name: str) -> Iterator[bytes]:
    """The lines of ``stream``, one at a time; a failed read is :func:`_unreadable`."""
    try:
        yield from stream
    except OSError as exc:
        raise _unreadable(name, exc) from None


def _unreadable(name: str, exc: OSError) -> BadInputError:
    return BadInputError("INVALID_INPUT", f"cannot read --outcomes {name}: {exc.strerror}",
                         "outcomes")


class _Seen(NamedTuple):
    """One outcome read from ``--outcomes``, checked, not yet recorded."""

    at: float
    provider: str
    model: str
    outcome: str
    latency: Any
    where: str = ""
    task: bytes | None = None
    """:func:`~ratecard.routing.health.task_key` of a task record's provider and id (16
    bytes, not the id, which may be of any length); ``None`` for an outcome object."""


def _same_task(first: _Seen, again: _Seen, task_id: str) -> None:
    """Refuse a task record read again that says something else of the same task (its id
    ``task_id``, quoted short: an id may be of any length)."""
    if (again.outcome, again.model, again.at) != (first.outcome, first.model, first.at):
        said = (f"{first.outcome} ({first.model}, created {_iso(first.at)}) at "
                f"{first.where}, {again.outcome} ({again.model}, created {_iso(again.at)})")
        raise BadInputError("INVALID_INPUT", f"{again.where}: task {brief(printable(task_id))} "
                            f"of {again.provider} is recorded twice and the records disagree: "
                            f"{said}", "outcomes")


def _read(catalog: Catalog, item: Any, where: str, now: float,
          names: OfferingNames) -> tuple[_Seen, str] | None:
    """The outcome ``item`` (an outcome object or a task record) says, checked, and the
    record's task id (``""`` for an outcome object); ``None`` for a task that says nothing
    of its seller yet (pending, running, cancelled). An outcome object's words are read
    as an invoice's are: ``FAILED`` is failed, ``EvoLink`` is evolink."""
    if not isinstance(item, dict):
        raise BadInputError("INVALID_INPUT", f"{where}: an outcome or task record is a JSON "
                            f"object, not {brief(item)}", "outcomes")
    provider = task_provider(item)
    try:
        if provider is not None:
            record = catalog.read_task(provider, item)
            outcome = TASK_OUTCOMES.get(record.status)
            if record.status == "unknown":
                raise BadInputError("INVALID_INPUT", f"{where}: task status "
                                    f"{printable(record.raw_status)!r} is not a status "
                                    f"ratecard knows for {record.provider}, so it cannot "
                                    "say whether the task failed; give it as an outcome "
                                    "with provider, model, outcome and at", "outcomes")
            if outcome is None:  # pending, running, cancelled: nothing seen of the seller yet
                return None
            if record.model is None:
                raise BadInputError("INVALID_INPUT", f"{where}: a {record.status} task "
                                    "record without its model cannot be placed on a "
                                    "circuit; give it as an outcome with provider and "
                                    "model", "outcomes")
            if record.created is None:
                raise BadInputError("INVALID_INPUT", f"{where}: a {record.status} task "
                                    "record without its creation time cannot be placed in "
                                    "time; give it as an outcome with at", "outcomes")
            seen = _Seen(record.created.timestamp(), record.provider, record.model, outcome,
                         None, where, task_key(record.provider, record.task_id))
            task_id = record.task_id
        else:
            seen, task_id = _outcome(item, where, names), ""
        catalog.plan(seen.provider, seen.model)  # a seller and model the cards know
    except QuoteError as exc:
        if isinstance(exc, BadInputError):
            raise
        raise BadInputError(exc.code, f"{where}: {exc}", "outcomes") from None
    if seen.at < 0:
        raise BadInputError("INVALID_INPUT", f"{where}: at "
                            f"{datetime.fromtimestamp(seen.at, tz=UTC).isoformat()} is "
                            "before 1970 (times are Unix seconds from 1970 to 9999)",
                            "outcomes")
    if seen.at > now:
        raise BadInputError("INVALID_INPUT", f"{where}: at {_iso(seen.at)} is after the "
                            f"time the circuits are read at ({_iso(now)}); give --now",
                            "outcomes")
    return seen, task_id


def _outcome(item: dict[str, Any], where: str, names: OfferingNames) -> _Seen:
    unknown = set(item) - {"provider", "model", "outcome", "at", "latency"}
    if unknown:
        raise BadInputError("INVALID_INPUT", f"{where}: unknown keys "
                            f"{', '.join(sorted(unknown))} (an outcome has provider, "
                            "model, outcome, at, latency)", "outcomes")
    for key in ("provider", "model", "outcome"):
        if type(item.get(key)) is not str:
            raise BadInputError("INVALID_INPUT", f"{where}: {key} must be text", "outcomes")
    outcome = fold(item["outcome"].strip(BLANKS))
    if outcome not in OUTCOMES:
        raise QuoteError("INVALID_OUTCOME", f"outcome must be one of {', '.join(OUTCOMES)}, "
                         f"not {brief(item['outcome'])}", "outcome")
    if "at" not in item:
        raise BadInputError("INVALID_INPUT", f"{where}: at is missing (when the outcome "
                            "was seen: ISO 8601 or Unix seconds)", "outcomes")
    latency = item.get("latency")
    if isinstance(latency, str):  # written as text, as an invoice's amounts may be
        with suppress(NumberError):  # if not, checked_latency says what it must be
            latency = read_number(latency, NUMBER, "latency")
    provider, model = names(item["provider"].strip(BLANKS), item["model"].strip(BLANKS))
    return _Seen(_time(item["at"], f"{where}: at"), provider, model, outcome,
                 None if latency is None else checked_latency(latency), where)


_LAST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp()
"""The last Unix second a time may be (times are shown as ISO 8601 dates)."""


_UNIX_TEXT = re.compile(r"[0-9]{9,12}(\.[0-9]+)?")
"""Unix seconds written as text: 9 to 12 ASCII digits, as in invoices (``"2026"`` is a
year, not a second of 1970; no digit separators, no other scripts' digits)."""


def _time(value: object, what: str) -> float:
    """ISO 8601 (naive: UTC) or Unix seconds from 1970 to 9999, as Unix seconds; Unix
    seconds written as text have 9 to 12 digits (:data:`_UNIX_TEXT`)."""
    seconds: float | None = None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        try:
            seconds = float(value)
        except (OverflowError, ValueError):  # 10**400; a signalling NaN
            seconds = None
    elif isinstance(value, str):
        text = value.strip()
        if _UNIX_TEXT.fullmatch(text):
            seconds = float(text)
        elif text.isascii():  # other digits, other blanks: no guess
            try:
                moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                pass
            else:
                seconds = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)) \
                    .timestamp()
    if seconds is not None and 0 <= seconds < _LAST:  # NaN and inf fail too
        return seconds
    raise BadInputError("INVALID_INPUT", f"{what} must be an ISO 8601 time or Unix seconds, "
                        f"from 1970 to 9999 (as text: 9 to 12 digits), not {brief(value)}",
                        "now")


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat(timespec="seconds") \
        .replace("+00:00", "Z")
