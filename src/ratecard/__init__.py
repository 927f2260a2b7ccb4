"""ratecard: exact, explained prices for AI video generation from declarative rate cards.

>>> import ratecard
>>> card = ratecard.load()
>>> q = card.quote("evolink", "kling-v3-image-to-video", duration=10, quality="1080p", sound=True)
>>> q.credits, q.usd, q.billed_seconds
(Decimal('108.0000'), Decimal('1.500000'), Decimal('10'))
"""

from typing import TYPE_CHECKING, Any

from ratecard.api import Catalog, OfferingPrice, load, load_health_policy
from ratecard.errors import CardError, CardProblem, QuoteError, RatecardError, UnknownOfferingError
from ratecard.pricing.quote import Quote, Step

if TYPE_CHECKING:  # imported on first use (see __getattr__): quoting needs none of them
    from ratecard.gateway.route_payload import PayloadRoute, PayloadStep
    from ratecard.payloads.request import Request, Shot, VideoInfo
    from ratecard.payloads.tasks import TaskRecord
    from ratecard.payloads.translate import Translation, TranslationError
    from ratecard.payloads.violations import PayloadError, Violation
    from ratecard.routing.candidates import Candidate, Comparison, Exclusion, Route
    from ratecard.routing.health import CircuitPolicy, CircuitStatus, Health, HealthPolicy
    from ratecard.routing.need import Need

_LAZY = {
    "Candidate": "ratecard.routing.candidates",
    "Comparison": "ratecard.routing.candidates",
    "Exclusion": "ratecard.routing.candidates",
    "Route": "ratecard.routing.candidates",
    "CircuitPolicy": "ratecard.routing.health",
    "CircuitStatus": "ratecard.routing.health",
    "Health": "ratecard.routing.health",
    "HealthPolicy": "ratecard.routing.health",
    "Need": "ratecard.routing.need",
    "PayloadRoute": "ratecard.gateway.route_payload",
    "PayloadStep": "ratecard.gateway.route_payload",
    "Request": "ratecard.payloads.request",
    "Shot": "ratecard.payloads.request",
    "VideoInfo": "ratecard.payloads.request",
    "TaskRecord": "ratecard.payloads.tasks",
    "Translation": "ratecard.payloads.translate",
    "TranslationError": "ratecard.payloads.translate",
    "PayloadError": "ratecard.payloads.violations",
    "Violation": "ratecard.payloads.violations",
}
"""The names of routing and of request bodies, by the module that defines them: imported
on first use (``import ratecard; ratecard.load()`` and a quote need none of them)."""

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


def __getattr__(name: str) -> Any:
    """``__version__``: the installed distribution's version, from its metadata (one place
    to change it: pyproject.toml), read on first use so ``import ratecard`` stays light;
    and the routing and request-body names (:data:`_LAZY`), imported on first use."""
    where = _LAZY.get(name)
    if where is not None:
        from importlib import import_module

        value = getattr(import_module(where), name)
        globals()[name] = value
        return value
    if name != "__version__":
        raise AttributeError(f"module 'ratecard' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ratecard")
    except PackageNotFoundError:  # imported from a source tree that was never installed
        return "0+unknown"


def __dir__() -> list[str]:
    """The module's names, the ones imported on first use (:data:`_LAZY`) included."""
    return sorted({*globals(), *_LAZY})
