"""Load rate cards into a compiled price index: read, validate, compile, cache.

This is the one door from the authoring layer (YAML, pydantic) to the runtime layer
(:mod:`ratecard.pricing`): :func:`load_index` gives a
:class:`~ratecard.pricing.index.PriceIndex` and, when the cards were read now rather than
taken from the cache, the validated cards. :func:`ratecard.load` wraps it in a Catalog.

>>> loaded = load_index()
>>> loaded.index.providers
('comfy', 'evolink', 'fal', 'kling-official', 'kling3api', 'krea', 'modellix')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ratecard.cards import cache as compiled_cache
from ratecard.cards import compiled
from ratecard.cards.cache import Source
from ratecard.cards.paths import builtin_paths, expand_paths
from ratecard.cards.shipped import read_shipped
from ratecard.errors import CardError, CardProblem
from ratecard.pricing.index import PriceIndex
from ratecard.pricing.plans import OfferingPlan

if TYPE_CHECKING:  # the authoring models: imported only when cards are read
    from ratecard.cards.loader import LoadedCard
    from ratecard.cards.schema import RateCard


@dataclass(frozen=True)
class Loaded:
    """A compiled price index, and the validated cards it was compiled from."""

    index: PriceIndex
    cards: Mapping[str, RateCard] | None
    """The validated cards by provider; ``None`` when the index came from the cache."""


def compile_cards(loaded: Iterable[LoadedCard], *, today: date | None = None,
                  replaced: Iterable[str] = ()) -> Loaded:
    """Compile validated cards into a price index (every offering of every card)."""
    from ratecard.cards.compiler import compile_card

    plans: dict[tuple[str, str], OfferingPlan] = {}
    files: dict[str, Path] = {}
    cards: dict[str, RateCard] = {}
    for item in loaded:
        provider = item.card.provider
        files[provider] = item.path
        cards[provider] = item.card
        for model, plan in compile_card(item.card).items():
            plans[(provider, model)] = plan
    return Loaded(PriceIndex(plans, files, today=today, replaced=replaced), cards)


def load_index(*paths: str | Path, builtin: bool = True, today: date | None = None,
               cache: bool = True) -> Loaded:
    """The built-in cards, plus (or instead of) the cards in ``paths``, compiled (see
    :func:`ratecard.load` for the rules).

    Each card file is read once: the cache key is made from those bytes and, on a miss,
    the cards are parsed from those same bytes (see :mod:`ratecard.cards.cache`). A cache
    entry that is not exactly right is a miss. The built-in cards alone come from the
    compiled file shipped beside them (:mod:`ratecard.cards.shipped`) when it matches
    their bytes: no YAML, no pydantic, no user cache."""
    files = expand_paths(paths)
    base = builtin_paths() if builtin else []
    if not cache:
        return _read_validated([(f, None) for f in files], [(f, None) for f in base], today)
    base_sources = compiled_cache.read_sources(base)
    if base and not files:  # the built-in cards alone: shipped compiled beside them
        shipped = read_shipped(base_sources)
        if shipped is not None:
            plans, card_files = shipped
            return Loaded(PriceIndex(plans, card_files, today=today), None)
    file_sources = compiled_cache.read_sources(files)
    key = compiled_cache.key_for([*base_sources, *file_sources])
    if key is not None:
        data = compiled_cache.read(key)
        if data is not None:
            try:
                plans, card_files, replaced = compiled.decode(data, key)
            except compiled.BadEntryError:
                pass
            else:
                return Loaded(PriceIndex(plans, card_files, today=today, replaced=replaced),
                              None)
    loaded = _read_validated(file_sources, base_sources, today)
    if key is not None:
        index = loaded.index
        files_resolved = {p: f.resolve() for p, f in index.files.items()}
        compiled_cache.write(key, compiled.encode(key, index.all_plans, files_resolved,
                                                  index.replaced))
    return loaded


def _read_validated(files: list[Source], base: list[Source], today: date | None) -> Loaded:
    from ratecard.cards.loader import duplicate_providers, read_cards

    extra = read_cards(files)
    problems = duplicate_providers(extra)
    if problems:
        raise CardError(problems)
    seen = {item.card.provider: item for item in extra}
    builtin = read_cards(base)
    problems = duplicate_providers(builtin)
    if problems:
        raise CardError(problems)
    replaced = sorted(item.card.provider for item in builtin if item.card.provider in seen)
    cards = [item for item in builtin if item.card.provider not in seen] + list(seen.values())
    if not cards:
        raise CardError([CardProblem("(load)", None, None, "no rate cards to load")])
    return compile_cards(cards, today=today, replaced=replaced)

