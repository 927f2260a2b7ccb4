"""How far a charge may be from the card's amount and still be ROUNDING_DIFF: per currency.

A tolerance is an amount in one unit, so it is given per currency: ``USD``, ``credits``
(every provider's credits) or ``credits@<provider>`` (one provider's, which wins over
``credits``). A currency given none keeps the default: one unit of the card's declared
rounding precision for that currency (``rounding.amount`` or ``rounding.usd``).

On the command line: ``--tolerance credits=1 --tolerance USD=0.01``. A bare number is
refused there: it would mean one credit and one dollar alike.

>>> tolerance = Tolerance.parse(["credits=1", "credits@kling3api=5", "usd=0.01"])
>>> tolerance.of("credits", "evolink"), tolerance.of("credits", "kling3api")
(Decimal('1'), Decimal('5'))
>>> tolerance.of("USD", "evolink"), Tolerance.parse(["USD=0.01"]).of("credits", "evolink")
(Decimal('0.01'), None)
>>> try:
...     Tolerance.parse(["0.5"])
... except ToleranceError as exc:
...     print(*str(exc).split(" ("), sep="\\n(")
--tolerance 0.5: say which currency it is in, e.g. --tolerance credits=0.5 or --tolerance USD=0.5
(one number would mean 0.5 credits and 0.5 USD alike)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Union

from ratecard.errors import RatecardError, brief
from ratecard.money import plain
from ratecard.numbers import AMOUNT, NumberError, read_number
from ratecard.pricing.index import PriceIndex
from ratecard.vocabulary import CURRENCY_WORDS
from ratecard.vocabulary import currency as currency_of

_USD = CURRENCY_WORDS["usd"]
_CREDITS = CURRENCY_WORDS["credits"]


class ToleranceError(RatecardError):
    """A tolerance that cannot be used (its words say how to write one)."""


@dataclass(frozen=True)
class Tolerance:
    """Tolerances by currency key: ``USD``, ``credits`` or ``credits@<provider>``."""

    amounts: Mapping[str, Decimal] = field(default_factory=dict)

    @classmethod
    def every(cls, amount: Decimal) -> Tolerance:
        """The same amount in every currency (the Python API's bare number).

        >>> Tolerance.every(Decimal("0.5")).of("USD", "x")
        Decimal('0.5')
        """
        return cls({_CREDITS: amount, _USD: amount})

    @classmethod
    def coerce(cls, value: Tolerances, index: PriceIndex | None = None) -> Tolerance:
        """A :class:`Tolerance` from what a caller gives: one, a mapping of currency keys
        to amounts, one amount (a number) for every currency, or ``None`` (the cards'
        defaults); with ``index``, checked against its cards (see :meth:`check`).
        Anything else, or an amount that is no number >= 0, is a :class:`ToleranceError`.

        >>> Tolerance.coerce(1).of("USD", "x"), Tolerance.coerce({"USD": "0.01"}).of("USD", "x")
        (Decimal('1'), Decimal('0.01'))
        >>> Tolerance.coerce(-1)
        Traceback (most recent call last):
        ...
        ratecard.reconcile.tolerance.ToleranceError: tolerance -1: a tolerance is a number >= 0
        """
        if value is None:
            return cls()
        if isinstance(value, Tolerance):
            found = value
        elif isinstance(value, Mapping):
            for key in value:
                if type(key) is not str:
                    raise ToleranceError(f"tolerance: a currency key must be text (credits, "
                                         f"credits@PROVIDER or USD), not {brief(key)}")
            found = cls.parse(f"{key}={amount}" for key, amount in value.items())
        elif isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            try:
                amount = read_number(value, AMOUNT, "tolerance")
            except NumberError as exc:
                raise ToleranceError(f"{exc}; a tolerance is a number >= 0") from None
            if amount < 0:
                raise ToleranceError(f"tolerance {brief(value)}: a tolerance is a number >= 0")
            found = cls.every(amount)
        else:
            raise ToleranceError(f"tolerance must be a Tolerance, a mapping of currencies to "
                                 f"amounts or one number, not {type(value).__name__} "
                                 f"{brief(value)}")
        if index is not None:
            found.check(index)
        return found

    @classmethod
    def parse(cls, texts: Iterable[str]) -> Tolerance:
        """From ``CURRENCY=AMOUNT`` texts (the command line's ``--tolerance``)."""
        amounts: dict[str, Decimal] = {}
        for text in texts:
            key, sep, number = (part.strip() for part in text.partition("="))
            if not sep:
                try:
                    bare = plain(read_number(key, AMOUNT, "--tolerance"))
                except NumberError:
                    raise ToleranceError(f"--tolerance {brief(text)}: write CURRENCY=AMOUNT, "
                                         "e.g. credits=1 or USD=0.01") from None
                raise ToleranceError(
                    f"--tolerance {bare}: say which currency it is in, e.g. --tolerance "
                    f"credits={bare} or --tolerance USD={bare} (one number would mean {bare} "
                    f"credits and {bare} USD alike)")
            name = _key(key)
            if name is None:
                raise ToleranceError(
                    f"--tolerance {brief(text)}: {brief(key)} is not a currency; write "
                    "credits=X, credits@PROVIDER=X or USD=X")
            if name in amounts:
                raise ToleranceError(f"--tolerance {name} is given twice")
            try:
                amount = read_number(number, AMOUNT, f"--tolerance {name}")
            except NumberError as exc:
                if exc.problem in ("syntax", "type", "length"):
                    raise ToleranceError(f"--tolerance {brief(text)}: {brief(number)} is not "
                                         "a number") from None
                raise ToleranceError(f"{exc}; a tolerance is a number >= 0") from None
            if amount < 0:
                raise ToleranceError(f"--tolerance {brief(text)}: a tolerance is a number >= 0")
            amounts[name] = amount
        return cls(amounts)

    def check(self, index: PriceIndex) -> None:
        """Refuse ``credits@<provider>`` for a provider no card of ``index`` prices in
        credits (a typo would otherwise silently keep the default)."""
        credit_providers = {provider for (provider, _), plan in index.all_plans.items()
                            if plan.currency == _CREDITS}
        for name in self.amounts:
            provider = name.partition("@")[2]
            if provider and provider not in credit_providers:
                raise ToleranceError(
                    f"--tolerance {name}: no loaded card prices {brief(provider)} in credits "
                    f"(providers in credits: {', '.join(sorted(credit_providers))})")

    def of(self, currency: str, provider: str) -> Decimal | None:
        """The tolerance for a line charged in ``currency`` at ``provider``, or ``None``
        for the card's default."""
        amounts = self.amounts
        if not amounts:
            return None
        if currency == _USD:
            return amounts.get(_USD)
        return amounts.get(f"{_CREDITS}@{provider}", amounts.get(_CREDITS))

    def __bool__(self) -> bool:
        return bool(self.amounts)


Tolerances = Union["Tolerance", Mapping[str, Decimal], Decimal, None]
"""What an API takes as a tolerance (see :meth:`Tolerance.coerce`)."""


def _key(text: str) -> str | None:
    """The currency key ``text`` names, or ``None``."""
    word, at, provider = text.partition("@")
    currency = currency_of(word.strip())
    if currency is None or (at and (currency != _CREDITS or not provider.strip())):
        return None
    return f"{currency}@{provider.strip()}" if at else currency
