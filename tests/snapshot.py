"""Golden snapshot of the built-in cards' quotes: ``tests/snapshots/<provider>.json``.

One file per built-in card, so a card edit shows up in review as a diff of that
provider's file only. Every offering x quality x sound (``off`` and ``on``, so forced and
refused sounds are on record too) x 0..20 seconds is quoted without ``at`` (the built-in
prices are open-ended). Duration-billed offerings get ``duration``; edits and fixed prices
get ``input_seconds``. Each entry keeps the quote's billed seconds, exact and rounded
amounts, USD, warnings and price version, or the error code and message, one line per
quote, keyed ``provider/model/quality/sound-x/field=NN``.

There is exactly one file per built-in provider: a missing file (a new card) and an extra
file (a card removed or renamed) are errors, like a stale one.

Regenerate after an intended change (this writes every provider's file and removes the
files of providers that no longer exist)::

    python tests/snapshot.py --update

Without ``--update`` the script only reports whether the committed files are current.
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

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
REGENERATE = "python tests/snapshot.py --update"
SECONDS = range(21)
SOUNDS = ("off", "on")
KEPT = ("billed_seconds", "credits", "credits_exact", "price_version", "usd", "usd_exact",
        "warnings")

Entry = dict[str, Any]


def key(provider: str, model: str, quality: str, sound: str, field: str, seconds: int) -> str:
    """``evolink/kling-v3-image-to-video/720p/sound-off/duration=05``: sorts naturally."""
    return f"{provider}/{model}/{quality}/sound-{sound}/{field}={seconds:02d}"


def path_of(provider: str, directory: Path = SNAPSHOTS) -> Path:
    """The snapshot file of one provider.

    >>> path_of("kling-official", Path("snapshots")).as_posix()
    'snapshots/kling-official.json'
    """
    return directory / f"{provider}.json"


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


def generate(catalog: Catalog, provider: str) -> dict[str, Entry]:
    """The snapshot of one provider's card in ``catalog``."""
    snapshot: dict[str, Entry] = {}
    for offering in catalog.cards[provider].offerings:
        field = "duration" if offering.billing.basis == "duration" else "input_seconds"
        for quality in offering.qualities:
            for sound in SOUNDS:
                for seconds in SECONDS:
                    name = key(provider, offering.id, quality, sound, field, seconds)
                    snapshot[name] = entry(catalog, provider, offering.id, quality, sound,
                                           field, seconds)
    return snapshot


def generate_all(catalog: Catalog | None = None) -> dict[str, dict[str, Entry]]:
    """The snapshot of every card of ``catalog`` (default: the built-in cards), by provider."""
    catalog = catalog or ratecard.load()
    return {provider: generate(catalog, provider) for provider in sorted(catalog.cards)}


def render(snapshot: Mapping[str, Entry]) -> str:
    """Stable JSON text: keys sorted, one quote per line."""
    lines = [
        f"  {json.dumps(name, ensure_ascii=False)}: "
        f"{json.dumps(snapshot[name], sort_keys=True, ensure_ascii=False)}"
        for name in sorted(snapshot)
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def committed(directory: Path = SNAPSHOTS) -> dict[str, Path]:
    """Every snapshot file in ``directory``, by the provider its name says."""
    return {path.stem: path for path in sorted(directory.glob("*.json"))}


def read(provider: str, directory: Path = SNAPSHOTS) -> dict[str, Entry] | None:
    """The committed snapshot of ``provider``, or ``None`` when there is none."""
    path = path_of(provider, directory)
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


def problems(current: Mapping[str, Mapping[str, Entry]],
             directory: Path = SNAPSHOTS) -> list[str]:
    """What is wrong with the files in ``directory`` against ``current`` (by provider):
    missing files, extra files, and the differences of each stale file. Empty: all current.
    """
    found: list[str] = []
    files = committed(directory)
    for provider in sorted(set(current) - set(files)):
        found.append(f"{path_of(provider, directory).name} is missing (the {provider} card "
                     "has no snapshot)")
    for provider in sorted(set(files) - set(current)):
        found.append(f"{files[provider].name} is extra (no built-in card is {provider!r})")
    for provider in sorted(set(current) & set(files)):
        text = files[provider].read_text(encoding="utf-8")
        lines = differences(json.loads(text), current[provider])
        if lines:
            found.append(f"{files[provider].name} is stale:")
            found.extend(f"  {line}" for line in lines)
        elif text != render(current[provider]):
            found.append(f"{files[provider].name} is not in canonical form")
    return found


def update(current: Mapping[str, Mapping[str, Entry]],
           directory: Path = SNAPSHOTS) -> list[str]:
    """Write every provider's file and remove the files of unknown providers; returns
    what was done, one line each."""
    directory.mkdir(parents=True, exist_ok=True)
    done: list[str] = []
    for provider, snapshot in sorted(current.items()):
        path = path_of(provider, directory)
        path.write_text(render(snapshot), encoding="utf-8")
        done.append(f"wrote {len(snapshot)} quotes to {path}")
    for provider, path in committed(directory).items():
        if provider not in current:
            path.unlink()
            done.append(f"removed {path} (no built-in card is {provider!r})")
    return done


def main(argv: Sequence[str] | None = None, catalog: Catalog | None = None) -> int:
    """The script: check (exit 1 on any problem) or ``--update`` the snapshot files of
    ``catalog`` (default: the built-in cards)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--update", action="store_true",
                        help="rewrite every provider's file and remove files of unknown ones")
    parser.add_argument("--directory", type=Path, default=SNAPSHOTS,
                        help="where the snapshot files are (default: %(default)s)")
    args = parser.parse_args(argv)
    current = generate_all(catalog)
    if args.update:
        print("\n".join(update(current, args.directory)))
        return 0
    found = problems(current, args.directory)
    if not found:
        total = sum(len(snapshot) for snapshot in current.values())
        print(f"{len(current)} snapshot files are current ({total} quotes)")
        return 0
    print("\n".join(found))
    print(f"regenerate with: {REGENERATE}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
