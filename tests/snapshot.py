"""Golden snapshot of the built-in cards' quotes: ``tests/snapshots/quotes.json``.

Every offering x quality x sound (``off`` and ``on``, so forced and refused sounds are on
record too) x 0..20 seconds is quoted without ``at`` (the built-in prices are open-ended).
Duration-billed offerings get ``duration``; edits and fixed prices get ``input_seconds``.
Each entry keeps the quote's billed seconds, exact and rounded amounts, USD, warnings and
price version, or the error code and message. A data edit thus shows up in review as a
diff of results, one line per quote.

Regenerate after an intended change::

    python tests/snapshot.py --update

Without ``--update`` the script only reports whether the committed file is current.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import ratecard
from ratecard import Catalog, QuoteError

SNAPSHOT = Path(__file__).resolve().parent / "snapshots" / "quotes.json"
REGENERATE = "python tests/snapshot.py --update"
SECONDS = range(21)
SOUNDS = ("off", "on")
KEPT = ("billed_seconds", "credits", "credits_exact", "price_version", "usd", "usd_exact",
        "warnings")

Entry = dict[str, Any]


def key(provider: str, model: str, quality: str, sound: str, field: str, seconds: int) -> str:
    """``evolink/kling-v3-image-to-video/720p/sound-off/duration=05``: sorts naturally."""
    return f"{provider}/{model}/{quality}/sound-{sound}/{field}={seconds:02d}"


def entry(catalog: Catalog, provider: str, model: str, quality: str, sound: str, field: str,
          seconds: int) -> Entry:
    """One quote's kept fields, or its error."""
    length: dict[str, Any] = {field: seconds}
    try:
        quote = catalog.quote(provider, model, quality=quality, sound=sound, **length)
    except QuoteError as exc:
        return {"error": exc.code, "message": str(exc)}
    as_dict = quote.to_dict()
    return {name: as_dict[name] for name in KEPT}


def generate(catalog: Catalog | None = None) -> dict[str, Entry]:
    """The snapshot of ``catalog`` (default: the built-in cards)."""
    catalog = catalog or ratecard.load()
    snapshot: dict[str, Entry] = {}
    for provider, card in sorted(catalog.cards.items()):
        for offering in card.offerings:
            field = "duration" if offering.billing.basis == "duration" else "input_seconds"
            for quality in offering.qualities:
                for sound in SOUNDS:
                    for seconds in SECONDS:
                        name = key(provider, offering.id, quality, sound, field, seconds)
                        snapshot[name] = entry(catalog, provider, offering.id, quality, sound,
                                               field, seconds)
    return snapshot


def render(snapshot: Mapping[str, Entry]) -> str:
    """Stable JSON text: keys sorted, one quote per line."""
    lines = [
        f"  {json.dumps(name, ensure_ascii=False)}: "
        f"{json.dumps(snapshot[name], sort_keys=True, ensure_ascii=False)}"
        for name in sorted(snapshot)
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def read(path: Path = SNAPSHOT) -> dict[str, Entry] | None:
    """The committed snapshot, or ``None`` when there is none."""
    if not path.is_file():
        return None
    value: dict[str, Entry] = json.loads(path.read_text(encoding="utf-8"))
    return value


def differences(expected: Mapping[str, Entry], actual: Mapping[str, Entry],
                limit: int = 12) -> list[str]:
    """Readable lines for the first ``limit`` differences, and how many there are in all.

    >>> differences({"a": {"credits": "1"}, "b": {}}, {"a": {"credits": "2"}, "c": {}})
    ["a: credits: '1' -> '2'", 'b: missing now (was {})', 'c: new (now {})', '3 quotes differ']
    """
    lines: list[str] = []
    differing = 0
    for name in sorted(set(expected) | set(actual)):
        if expected.get(name) == actual.get(name):
            continue
        differing += 1
        if len(lines) >= limit:
            continue
        if name not in actual:
            lines.append(f"{name}: missing now (was {expected[name]})")
        elif name not in expected:
            lines.append(f"{name}: new (now {actual[name]})")
        else:
            old, new = expected[name], actual[name]
            changed = [
                f"{field}: {old.get(field)!r} -> {new.get(field)!r}"
                for field in sorted(set(old) | set(new))
                if old.get(field) != new.get(field)
            ]
            lines.append(f"{name}: {'; '.join(changed)}")
    if differing:
        lines.append(f"{differing} quotes differ" if differing > 1 else "1 quote differs")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--update", action="store_true", help=f"rewrite {SNAPSHOT.name}")
    args = parser.parse_args(argv)
    current = generate()
    if args.update:
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(render(current), encoding="utf-8")
        print(f"wrote {len(current)} quotes to {SNAPSHOT}")
        return 0
    committed = read()
    if committed is None:
        print(f"{SNAPSHOT} does not exist; create it with: {REGENERATE}")
        return 1
    lines = differences(committed, current)
    if not lines:
        print(f"{SNAPSHOT.name} is current ({len(current)} quotes)")
        return 0
    print("\n".join(lines))
    print(f"regenerate with: {REGENERATE}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
