"""ratecard: exact, explained prices for AI video generation from declarative rate cards.

>>> import ratecard
>>> card = ratecard.load()
>>> q = card.quote("evolink", "kling-v3-image-to-video", duration=10, quality="1080p", sound=True)
>>> q.credits, q.usd, q.billed_seconds
(Decimal('108.0000'), Decimal('1.500000'), Decimal('10'))
"""

from typing import TYPE_CHECKING, Any

from ratecard.catalog import Catalog, OfferingPrice, load
from ratecard.errors import CardError, CardProblem, QuoteError, RatecardError, UnknownOfferingError
from ratecard.quote import Quote, Step

if TYPE_CHECKING:
    from ratecard.need import Need
    from ratecard.request import Request, Shot, VideoInfo
    from ratecard.route import Candidate, Comparison, Exclusion, Route
    from ratecard.tasks import TaskRecord
    from ratecard.violations import PayloadError, Violation

_LAZY = {
    "Need": "ratecard.need",
    "Request": "ratecard.request",
    "Shot": "ratecard.request",
    "VideoInfo": "ratecard.request",
    "Candidate": "ratecard.route",
    "Comparison": "ratecard.route",
    "Exclusion": "ratecard.route",
    "Route": "ratecard.route",
    "TaskRecord": "ratecard.tasks",
    "PayloadError": "ratecard.violations",
    "Violation": "ratecard.violations",
}
"""Public names imported on first use, so ``import ratecard`` stays light for a quote."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ratecard' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "Candidate",
    "CardError",
    "CardProblem",
    "Catalog",
    "Comparison",
    "Exclusion",
    "Need",
    "OfferingPrice",
    "PayloadError",
    "Quote",
    "QuoteError",
    "RatecardError",
    "Request",
    "Route",
    "Shot",
    "Step",
    "TaskRecord",
    "UnknownOfferingError",
    "VideoInfo",
    "Violation",
    "load",
]
__version__ = "0.1.0"
