"""ratecard: exact, explained prices for AI video generation from declarative rate cards.

>>> import ratecard
>>> card = ratecard.load()
>>> q = card.quote("evolink", "kling-v3-image-to-video", duration=10, quality="1080p", sound=True)
>>> q.credits, q.usd, q.billed_seconds
(Decimal('108.0000'), Decimal('1.500000'), Decimal('10'))
"""

from ratecard.api import Catalog, OfferingPrice, load, load_health_policy
from ratecard.errors import CardError, CardProblem, QuoteError, RatecardError, UnknownOfferingError
from ratecard.gateway.route_payload import PayloadRoute, PayloadStep
from ratecard.payloads.request import Request, Shot, VideoInfo
from ratecard.payloads.tasks import TaskRecord
from ratecard.payloads.translate import Translation, TranslationError
from ratecard.payloads.violations import PayloadError, Violation
from ratecard.pricing.quote import Quote, Step
from ratecard.routing.candidates import Candidate, Comparison, Exclusion, Route
from ratecard.routing.health import CircuitPolicy, CircuitStatus, Health, HealthPolicy
from ratecard.routing.need import Need

__all__ = [
    "Candidate",
    "CardError",
    "CardProblem",
    "Catalog",
    "CircuitPolicy",
    "CircuitStatus",
    "Comparison",
    "Exclusion",
    "Health",
    "HealthPolicy",
    "Need",
    "OfferingPrice",
    "PayloadError",
    "PayloadRoute",
    "PayloadStep",
    "Quote",
    "QuoteError",
    "RatecardError",
    "Request",
    "Route",
    "Shot",
    "Step",
    "TaskRecord",
    "Translation",
    "TranslationError",
    "UnknownOfferingError",
    "VideoInfo",
    "Violation",
    "load",
    "load_health_policy",
]


def __getattr__(name: str) -> str:
    """``__version__``: the installed distribution's version, from its metadata (one place
    to change it: pyproject.toml), read on first use so ``import ratecard`` stays light."""
    if name != "__version__":
        raise AttributeError(f"module 'ratecard' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ratecard")
    except PackageNotFoundError:  # imported from a source tree that was never installed
        return "0+unknown"
