"""Provider and model names of an invoice line, as the loaded cards spell them.

An export may write a seller's name as its brand (``EvoLink``) or a model id in capitals
(``Kling-V3-Image-To-Video``); the cards name them ``evolink`` and
``kling-v3-image-to-video``. A name the cards know as it is stays as it is; otherwise a
name whose ASCII lower case is that of exactly one provider (or of exactly one model of
the line's provider) is read as that one. Text that is not printable ASCII is never
folded (see :func:`ratecard.vocabulary.fold`), and a lower case two names share (cards ``Foo`` and
``foo``) names neither: the line keeps the name it gave. The SQL engines read names by the
same rule (:mod:`ratecard.batch.sql.query`).

>>> names = OfferingNames([("evolink", "kling-v3-image-to-video")])
>>> names("EvoLink", "Kling-V3-Image-To-Video")
('evolink', 'kling-v3-image-to-video')
>>> names("evolink ", "nope")
('evolink ', 'nope')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable


class OfferingNames:
    """Reads a line's provider and model as the cards spell them (see the module)."""

    __slots__ = ("_models", "_providers")

    def __init__(self, offerings: Iterable[tuple[str, str]]) -> None:
        pairs = set(offerings)
        providers = {provider for provider, _ in pairs}
        self._providers = _unique_folds(providers)
        by_provider: dict[str, list[str]] = {}
        for provider, model in pairs:
            by_provider.setdefault(provider, []).append(model)
        self._models = {provider: _unique_folds(models)
                        for provider, models in by_provider.items()}

    def __call__(self, provider: str, model: str) -> tuple[str, str]:
        """``(provider, model)`` as the cards spell them (the pair given when they do not
        know it by either rule)."""
        provider = self._providers.get(_fold(provider), provider)
        models = self._models.get(provider)
        if models is not None:
            model = models.get(_fold(model), model)
        return provider, model


def _fold(name: str) -> str:
    """``name`` in lower case when it is printable ASCII, else ``""`` (no name)."""
    return name.lower() if name.isascii() and name.isprintable() else ""


def _unique_folds(names: Collection[str]) -> dict[str, str]:
    """Each name's lower case -> the name, for the lower cases only one name has."""
    counts = Counter(_fold(name) for name in names)
    return {fold: name for name in names if (fold := _fold(name)) and counts[fold] == 1}
