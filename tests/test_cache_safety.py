"""The compiled-catalog cache never executes or trusts what it reads.

Every test has a cache directory of its own. Expected prices are literals worked out from
``tests/cards/acme.yaml`` (720p without sound: 1.5 credits a second from July 2026, so
4 s cost 6.00), and what a cached load answers is compared with a load that does not use
the cache at all (YAML and pydantic), an independent path.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import pickle
import shutil
import stat
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ratecard
from ratecard.cards import cache, compiled
from ratecard.cards import load as card_load
from ratecard.cards.paths import builtin_paths
from ratecard.pricing.index import PriceIndex
from ratecard.pricing.plans import CreditPlan, OfferingPlan, PriceCell
from tests.budget import examples

REPO = Path(__file__).resolve().parent.parent
ACME = REPO / "tests" / "cards" / "acme.yaml"
ROUNDING = REPO / "tests" / "cards" / "rounding"
JULY = date(2026, 8, 1)
NOBODY = 65534
as_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                             reason="making a file another user's needs root")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache directory of the test's own (not yet created)."""
    path = tmp_path / "cache"
    monkeypatch.setenv("RATECARD_CACHE_DIR", str(path))
    monkeypatch.delenv("RATECARD_NO_CACHE", raising=False)
    return path


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    """A copy of the acme card that a test may edit."""
    path = tmp_path / "cards" / "acme.yaml"
    path.parent.mkdir()
    shutil.copyfile(ACME, path)
    return path


def acme_price(catalog: ratecard.Catalog) -> Decimal:
    return catalog.quote("acme", "acme-gen", duration=4, at=JULY).credits


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{cache.SUFFIX}"))


def key_of(*paths: Path) -> str:
    key = cache.key_for(cache.read_sources(list(paths)))
    assert key is not None
    return key


def hit(paths: list[Path]) -> bool:
    """Whether loading ``paths`` is answered from the cache (no cards read)."""
    return card_load.load_index(*paths, builtin=False).cards is None


# ------------------------------------------------------------------ format and round trip

@pytest.mark.parametrize("cards", [[], [ACME], [ROUNDING]], ids=["builtin", "acme", "rounding"])
def test_a_cached_catalog_is_the_compiled_catalog(folder: Path, cards: list[Path]) -> None:
    fresh = ratecard.load(*cards, cache=False)
    ratecard.load(*cards)                  # writes the entry
    cached = card_load.load_index(*cards)  # reads it
    assert cached.cards is None, "the second load must be a cache hit"
    assert dict(cached.index.all_plans) == dict(fresh.index.all_plans)
    assert cached.index.files == {p: f.resolve() for p, f in fresh.index.files.items()}


def test_the_entry_is_data_and_private(folder: Path) -> None:
    ratecard.load(ACME, builtin=False)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    [entry] = entries(folder)
    assert stat.S_IMODE(entry.stat().st_mode) & 0o077 == 0
    data = json.loads(entry.read_bytes())  # plain data, no code
    assert data["schema"] == compiled.SCHEMA
    assert data["key"] == entry.name.removesuffix(cache.SUFFIX)


# ------------------------------------------------------------------ nothing executes

class _Marker:
    """Unpickling this writes a file: the proof that a pickle ran."""

    path = ""

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.write_text, (Path(self.path), "pickle ran"))


@pytest.mark.parametrize("suffix", [cache.SUFFIX, ".pickle"])
def test_a_planted_pickle_never_runs(folder: Path, acme: Path, tmp_path: Path,
                                     suffix: str) -> None:
    marker = tmp_path / "ran"
    _Marker.path = str(marker)
    folder.mkdir(mode=0o700)
    (folder / f"{key_of(acme)}{suffix}").write_bytes(pickle.dumps(_Marker()))
    catalog = ratecard.load(acme, builtin=False)
    assert not marker.exists()
    assert acme_price(catalog) == Decimal("6.00")


# ------------------------------------------------------------------ entries not ours

def plant(folder: Path, acme: Path, divide_by: int = 100) -> Path:
    """A well-formed entry under the right key whose prices are divided by ``divide_by``."""
    fresh = ratecard.load(acme, builtin=False, cache=False).index

    def cheaper(cell: Any) -> Any:
        return dataclasses.replace(cell, base=cell.base / divide_by,
                                   unit_rate=cell.unit_rate / divide_by)

    plans = {k: dataclasses.replace(p, cells={c: tuple(cheaper(v) for v in vs)
                                              for c, vs in p.cells.items()})
             for k, p in fresh.all_plans.items()}
    key = key_of(acme)
    folder.mkdir(mode=0o700, exist_ok=True)
    entry = folder / f"{key}{cache.SUFFIX}"
    entry.write_bytes(compiled.encode(key, plans, {"acme": acme.resolve()}, ()))
    entry.chmod(0o600)
    return entry


def test_the_planted_entry_would_be_read_if_it_were_ours(folder: Path, acme: Path) -> None:
    """The control for the tests below: the same entry, ours and private, is used."""
    plant(folder, acme)
    assert acme_price(ratecard.load(acme, builtin=False)) == Decimal("0.06")


@pytest.mark.parametrize("mode", [0o666, 0o620, 0o602])
def test_an_entry_others_can_write_is_ignored(folder: Path, acme: Path, mode: int) -> None:
    plant(folder, acme).chmod(mode)
    assert acme_price(ratecard.load(acme, builtin=False)) == Decimal("6.00")


@as_root
def test_an_entry_of_another_user_is_ignored(folder: Path, acme: Path) -> None:
    os.chown(plant(folder, acme), NOBODY, NOBODY)
    assert acme_price(ratecard.load(acme, builtin=False)) == Decimal("6.00")


@as_root
def test_a_directory_of_another_user_is_not_used(folder: Path, acme: Path) -> None:
    plant(folder, acme)
    os.chown(folder, NOBODY, NOBODY)
    assert acme_price(ratecard.load(acme, builtin=False)) == Decimal("6.00")
    assert len(entries(folder)) == 1, "nothing written there either"


def test_a_symlinked_entry_is_ignored(folder: Path, acme: Path, tmp_path: Path) -> None:
    entry = plant(folder, acme)
    target = tmp_path / "elsewhere.json"
    entry.rename(target)
    entry.symlink_to(target)
    assert acme_price(ratecard.load(acme, builtin=False)) == Decimal("6.00")


def test_an_oversized_entry_is_ignored(folder: Path, acme: Path) -> None:
    entry = plant(folder, acme)
    with entry.open("ab") as stream:
        stream.truncate(cache.MAX_ENTRY_BYTES + 1)
    assert acme_price(ratecard.load(acme, builtin=False)) == Decimal("6.00")


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o1777])
def test_a_directory_others_can_write_is_not_used_nor_changed(folder: Path, acme: Path,
                                                                mode: int) -> None:
    plant(folder, acme)
    folder.chmod(mode)
    assert acme_price(ratecard.load(acme, builtin=False)) == Decimal("6.00")
    assert stat.S_IMODE(folder.stat().st_mode) == mode
    assert len(entries(folder)) == 1, "nothing written there either"


def test_a_readable_directory_of_ours_is_used(folder: Path, acme: Path) -> None:
    """0755, as the old pickle cache created it: others may read, no one else may write."""
    plant(folder, acme)
    folder.chmod(0o755)
    assert acme_price(ratecard.load(acme, builtin=False)) == Decimal("0.06")


# ------------------------------------------------------------------ bad entries are misses

def mutate(entry: Path, change: Any) -> None:
    data = json.loads(entry.read_bytes())
    change(data)
    entry.write_text(json.dumps(data), encoding="utf-8")


def at(kind: type, name: str) -> int:
    """Where field ``name`` of dataclass ``kind`` sits in an entry: a dataclass is the list
    of its values in declaration order (the format ``compiled`` documents)."""
    return [f.name for f in dataclasses.fields(kind)].index(name)


def set_field(data: dict[str, Any], name: str, value: object) -> None:
    data["plans"][0][at(OfferingPlan, name)] = value


def cells(data: dict[str, Any]) -> Iterator[list[Any]]:
    """Every price cell of every plan of an entry."""
    for plan in data["plans"]:
        for _, versions in plan[at(OfferingPlan, "cells")]:
            yield from versions


def _set_price(data: dict[str, Any], value: object) -> None:
    for cell in cells(data):
        cell[at(PriceCell, "base")] = cell[at(PriceCell, "unit_rate")] = value


def _converter(data: dict[str, Any], part: int, value: str) -> None:
    credit = data["plans"][0][at(OfferingPlan, "credits")][0]
    credit[at(CreditPlan, "to_usd")][part] = value


def _overlap(data: dict[str, Any]) -> None:
    for plan in data["plans"]:
        for _, versions in plan[at(OfferingPlan, "cells")]:
            if len(versions) > 1:
                versions[0][at(PriceCell, "span")][1] = "2026-12-31"
                return
    raise AssertionError("acme has two price versions")


BAD_ENTRIES: dict[str, Any] = {
    "garbage": lambda entry: entry.write_bytes(b"\x00\xffnot json"),
    "empty": lambda entry: entry.write_bytes(b""),
    "truncated": lambda entry: entry.write_bytes(entry.read_bytes()[:1000]),
    "deep nesting": lambda entry: entry.write_bytes(b"[" * 100_000),
    "another key": lambda entry: mutate(entry, lambda d: d.update(key="0" * 64)),
    "newer schema": lambda entry: mutate(entry, lambda d: d.update(schema=2)),
    "unknown part": lambda entry: mutate(entry, lambda d: d.update(extra=1)),
    "missing part": lambda entry: mutate(entry, lambda d: d.pop("replaced")),
    "no plans": lambda entry: mutate(entry, lambda d: d.update(plans=[])),
    "plan twice": lambda entry: mutate(entry, lambda d: d.update(plans=d["plans"] * 2)),
    "a field more": lambda entry: mutate(entry, lambda d: d["plans"][0].append(1)),
    "a field less": lambda entry: mutate(entry, lambda d: d["plans"][0].pop()),
    "a type name": lambda entry: mutate(
        entry, lambda d: set_field(d, "title", {"__class__": "os.system"})),
    "unknown mode": lambda entry: mutate(entry, lambda d: set_field(d, "mode", "x")),
    "unknown rounding": lambda entry: mutate(
        entry, lambda d: set_field(d, "amount_mode", "banker")),
    "precision 0.05": lambda entry: mutate(
        entry, lambda d: set_field(d, "amount_precision", "0.05")),
    "a count of 10**12": lambda entry: mutate(
        entry, lambda d: d["plans"][0].__setitem__(0, 10**12)),
    "NaN price": lambda entry: mutate(entry, lambda d: _set_price(d, "NaN")),
    "huge price": lambda entry: mutate(entry, lambda d: _set_price(d, "1E+999999999")),
    "tiny price": lambda entry: mutate(entry, lambda d: _set_price(d, "1E-999999999")),
    "negative price": lambda entry: mutate(entry, lambda d: _set_price(d, "-1")),
    "a price in a float": lambda entry: mutate(entry, lambda d: _set_price(d, 0.1)),
    "a price in an int": lambda entry: mutate(entry, lambda d: _set_price(d, 2)),
    "converter not the card's": lambda entry: mutate(entry, lambda d: _converter(d, 1, "7")),
    "converter of 1E-999999": lambda entry: mutate(
        entry, lambda d: _converter(d, 2, "1E-999999")),
    "versions overlap": lambda entry: mutate(entry, _overlap),
    "relative card path": lambda entry: mutate(
        entry, lambda d: d.update(files=[["acme", "acme.yaml"]])),
    "NaN constant": lambda entry: entry.write_bytes(
        entry.read_bytes().replace(b'"1.5"', b"NaN", 1)),
}


@pytest.mark.parametrize("name", list(BAD_ENTRIES))
def test_a_bad_entry_is_a_miss(folder: Path, acme: Path, name: str) -> None:
    entry = plant(folder, acme, divide_by=1)
    assert hit([acme])
    BAD_ENTRIES[name](entry)
    with pytest.raises(compiled.BadEntryError):
        compiled.decode(entry.read_bytes(), key_of(acme))
    assert acme_price(ratecard.load(acme, builtin=False)) == Decimal("6.00")


@settings(max_examples=examples(150), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_corruption_of_an_entry_is_a_miss_or_the_same_catalog(
        data: st.DataObject) -> None:
    valid = _acme_entry()
    raw = bytearray(valid)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(raw) - 1))
        raw[position] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        raw = raw[:data.draw(st.integers(0, len(raw)))]
    started = time.perf_counter()
    try:
        plans, _, _ = compiled.decode(bytes(raw), "k" * 64)
    except compiled.BadEntryError:
        pass
    else:  # a change the checks cannot see must still be well-formed data
        for plan in plans.values():
            PriceIndex({(plan.provider, plan.model): plan}, {plan.provider: ACME})
    assert time.perf_counter() - started < 2


@functools.cache
def _acme_entry() -> bytes:
    index = ratecard.load(ACME, builtin=False, cache=False).index
    return compiled.encode("k" * 64, index.all_plans, {"acme": ACME}, ())


# ------------------------------------------------------------------ the key

def test_the_key_covers_card_bytes_libraries_and_every_package_file(
        folder: Path, acme: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = key_of(acme)
    acme.write_bytes(acme.read_bytes() + b"\n# a comment\n")
    assert key_of(acme) != before
    edited = key_of(acme)

    monkeypatch.setattr(cache, "_library_versions", lambda: "pydantic 99")
    assert key_of(acme) != edited
    monkeypatch.undo()

    package = tmp_path / "package"
    shutil.copytree(cache._PACKAGE, package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "_PACKAGE", package)
    same = key_of(acme)
    (package / "py.typed").write_text("a data file, not Python")
    assert key_of(acme) != same


def test_the_key_names_every_library_that_builds_the_compiled_form() -> None:
    versions = cache._library_versions()
    for name in ("pydantic", "pydantic-core", "PyYAML"):
        assert f"{name} " in versions


def test_a_card_edited_while_loading_never_caches_new_prices_under_an_old_key(
        folder: Path, acme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = cache.read_sources

    def read_then_edit(paths: list[Path]) -> list[cache.Source]:
        sources = real(paths)
        if acme in paths:  # the author saves new prices just after ratecard read the file
            text = acme.read_text(encoding="utf-8")
            acme.write_text(text.replace("720p: {off: 1.5,", "720p: {off: 9.5,"),
                            encoding="utf-8")
        return sources

    monkeypatch.setattr(cache, "read_sources", read_then_edit)
    first = ratecard.load(acme, builtin=False)
    monkeypatch.setattr(cache, "read_sources", real)
    assert acme_price(first) == Decimal("6.00")           # the bytes it read
    assert acme_price(ratecard.load(acme, builtin=False)) == Decimal("38.00")  # 4 x 9.5
    assert acme_price(ratecard.load(acme, builtin=False, cache=False)) == Decimal("38.00")


# ------------------------------------------------------------------ writes and pruning

@pytest.mark.parametrize("failing", ["os.replace", "os.fdopen"])
def test_a_failed_write_leaves_no_temporary_file(folder: Path, acme: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 failing: str) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(failing, fail)
    assert acme_price(ratecard.load(acme, builtin=False)) == Decimal("6.00")
    monkeypatch.undo()
    assert os.listdir(folder) == []


def test_pruning_keeps_the_most_recently_used(folder: Path) -> None:
    folder.mkdir(mode=0o700)
    now = time.time()
    names = [f"{n:064x}{cache.SUFFIX}" for n in range(cache.KEEP + 4)]
    for age, name in enumerate(names):  # names[0] used most recently
        path = folder / name
        path.write_bytes(b"x")
        os.utime(path, (now - age * 60, now - age * 60))
    old = folder / f"{'a' * 64}{cache.SUFFIX}"
    old.write_bytes(b"x")
    os.utime(old, (now - 40 * 86400, now - 40 * 86400))
    legacy = folder / f"{'b' * 64}.pickle"
    legacy.write_bytes(b"x")
    stale = folder / ".tmp-abc_1234.json"
    stale.write_bytes(b"x")
    os.utime(stale, (now - 7200, now - 7200))
    fresh_temp = folder / ".tmp-def_1234.json"
    fresh_temp.write_bytes(b"x")
    unrelated = folder / "notes.txt"
    unrelated.write_text("not ours to delete")
    lookalike = folder / ".tmp-someone-elses-file"
    lookalike.write_text("not a name this cache writes")
    os.utime(lookalike, (now - 7200, now - 7200))

    removed = cache.prune(folder, now=now)

    assert sorted(removed) == sorted([*names[cache.KEEP:], old.name, legacy.name, stale.name])
    left = sorted(os.listdir(folder))
    assert left == sorted([*names[:cache.KEEP], fresh_temp.name, unrelated.name,
                           lookalike.name])


def test_a_hit_counts_as_a_use(folder: Path, acme: Path) -> None:
    ratecard.load(acme, builtin=False)
    [entry] = entries(folder)
    os.utime(entry, (1, 1))
    assert hit([acme])
    assert entry.stat().st_mtime > 1


def test_every_card_or_code_change_no_longer_adds_an_entry_forever(
        folder: Path, acme: Path) -> None:
    for n in range(cache.KEEP + 5):
        acme.write_bytes(ACME.read_bytes() + f"\n# edit {n}\n".encode())
        ratecard.load(acme, builtin=False)
    assert len(entries(folder)) == cache.KEEP


def test_builtin_cards_round_trip_through_the_key() -> None:
    sources = cache.read_sources(builtin_paths())
    assert all(data is not None for _, data in sources)
