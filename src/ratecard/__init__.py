"""ratecard: exact, explained prices for AI video generation from declarative rate cards.

>>> import ratecard
>>> card = ratecard.load()
>>> q = card.quote("evolink", "kling-v3-image-to-video", duration=10, quality="1080p", sound=True)
>>> q.credits, q.usd, q.billed_seconds
(Decimal('108.0000'), Decimal('1.500000'), Decimal('10'))
"""

from importlib.metadata import PackageNotFoundError, version

from ratecard.api import Catalog, OfferingPrice, load
from ratecard.errors import CardError, CardProblem, QuoteError, RatecardError, UnknownOfferingError
from ratecard.payloads.request import Request, Shot, VideoInfo
from ratecard.payloads.tasks import TaskRecord
from ratecard.payloads.violations import PayloadError, Violation
from ratecard.pricing.quote import Quote, Step
from ratecard.routing.candidates import Candidate, Comparison, Exclusion, Route
from ratecard.routing.need import Need

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


def _version() -> str:
    """The installed distribution's version (pyproject.toml's, one place to change it)."""
    try:
        return version("ratecard")
    except PackageNotFoundError:  # imported from a source tree that was never installed
        return "0+unknown"


__version__: str = _version()
"""The version of the installed ``ratecard`` distribution, from its metadata."""
