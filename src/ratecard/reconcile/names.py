"""Provider and model names of an invoice line, as the loaded cards spell them.

An export may write a seller's name as its brand (``EvoLink``) or a model id in capitals
(``Kling-V3-Image-To-Video``); the cards name them ``evolink`` and
``kling-v3-image-to-video``. A name the cards know as it is stays as it is; otherwise a
name whose ASCII lower case is that of exactly one provider (or of exactly one model of
the line's provider) is read as that one. Text that is not printable ASCII is never
folded (as :func:`ratecard.vocabulary.fold`), and a lower case two names share (cards
``Foo`` and ``foo``) names neither: the line keeps the name it gave. The SQL engines read
names by the same rule (:mod:`ratecard.batch.sql.names`).

>>> names = OfferingNames([("evolink", "kling-v3-image-to-video")])
>>> names("EvoLink", "Kling-V3-Image-To-Video")
('evolink', 'kling-v3-image-to-video')
>>> names("evolink ", "nope")
('evolink ', 'nope')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence

from ratecard.pricing.index import PriceIndex


class OfferingNames:
    """Reads a line's provider and model as the cards spell them (see the module)."""

    @classmethod
    def of(cls, index: PriceIndex) -> OfferingNames:
        """The names of every offering of ``index``."""
        return cls((plan.provider, plan.model) for plan in index.plans())

    __slots__ = ("_models", "_providers", "models_of")

    def __init__(self, offerings: Iterable[tuple[str, str]]) -> None:
        by_provider: dict[str, list[str]] = {}
        for provider, model in sorted(set(offerings)):
            by_provider.setdefault(provider, []).append(model)
        self.models_of: Mapping[str, Sequence[str]] = by_provider
        """Each provider's models, as the cards spell them (sorted)."""
        self._providers = unique_folds(list(by_provider))
        self._models = {provider: unique_folds(models)
                        for provider, models in by_provider.items()}

    @property
    def provider_folds(self) -> Mapping[str, str]:
        """Each provider's lower case -> the provider, where no other shares it."""
        return self._providers

    def model_folds(self, provider: str) -> Mapping[str, str]:
        """Each of ``provider``'s models' lower case -> the model, where no other of its
        models shares it."""
        return self._models.get(provider, {})

    def __call__(self, provider: str, model: str) -> tuple[str, str]:
        """``(provider, model)`` as the cards spell them (the pair given when they do not
        know it by either rule)."""
        provider = self._providers.get(fold(provider), provider)
        models = self._models.get(provider)
        if models is not None:
            model = models.get(fold(model), model)
        return provider, model


def fold(name: str) -> str:
    """``name`` in lower case when it is printable ASCII, else ``""`` (no name; SQL:
    :func:`ratecard.batch.sql.words.folded`)."""
    return name.lower() if name.isascii() and name.isprintable() else ""


def unique_folds(names: Collection[str], blanks: str = "") -> dict[str, str]:
    """Each name's lower case (``blanks`` around it aside) -> the name, for the lower
    cases only one name has.

    >>> unique_folds(["Foo", "foo", "Bar ", "x\u0130"], " ")
    {'bar': 'Bar '}
    """
    counts = Counter(fold(name.strip(blanks)) for name in names)
    return {lower: name for name in names
            if (lower := fold(name.strip(blanks))) and counts[lower] == 1}
