"""Billed records read from providers' task objects: what reconciliation consumes.

A :class:`TaskRecord` holds what a provider's task object states (id, model, status,
creation time, credits reserved or consumed, video length) beside the canonical request
that produced it and ratecard's quote of that request, so the two amounts can be compared.
Read one with :meth:`ratecard.Catalog.read_task`.

Statuses are normalised to a small vocabulary (:data:`STATUSES`); the provider's own word
stays in ``raw_status``.

Each dialect (:mod:`ratecard.payloads.dialects`) owns its provider's status words.

>>> words = {"in_progress": "running", "success": "succeeded"}
>>> normalise_status("IN_PROGRESS", words), normalise_status("paused", words)
('running', 'unknown')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ratecard.errors import brief
from ratecard.money import plain
from ratecard.vocabulary import JOB_STATUSES

if TYPE_CHECKING:
    from ratecard.payloads.request import Request
    from ratecard.payloads.violations import Violation
    from ratecard.pricing.quote import Quote

STATUSES = JOB_STATUSES
"""The normalised task statuses (:data:`ratecard.vocabulary.JOB_STATUSES`)."""


def normalise_status(raw: str, vocabulary: Mapping[str, str],
                     warnings: list[str] | None = None) -> str:
    """The normalised status of a provider's status word (``unknown`` if not known, with a
    warning appended to ``warnings``)."""
    status = vocabulary.get(raw.strip().lower(), "unknown")
    if status == "unknown" and warnings is not None:
        warnings.append(f"task status {brief(raw)} is not a known status: normalised to "
                        "unknown")
    return status


@dataclass(frozen=True, slots=True)
class TaskRecord:
    """One provider task as billed: what the record states, the request that produced it,
    and ratecard's quote of that request (dated on the task's creation day)."""

    provider: str
    task_id: str
    model: str | None
    """The offering (model or type id) the record names, if any."""
    status: str
    """Normalised: ``pending``, ``running``, ``succeeded``, ``failed``, ``cancelled`` or
    ``unknown``."""
    raw_status: str
    """The provider's own status word."""
    created: datetime | None
    """When the task was created (UTC, timezone-aware), if the record says."""
    credits_reserved: Decimal | None = None
    """Credits held when the task was created (EvoLink ``usage.credits_reserved``)."""
    credits_consumed: Decimal | None = None
    """Credits charged (kling3api ``data.consumed_credits``)."""
    duration: Decimal | None = None
    """Seconds of video the record states (EvoLink ``task_info.video_duration``), or the
    duration of the request it carries (kling3api ``data.request.duration``)."""
    billing_rule: str | None = None
    """EvoLink ``usage.billing_rule`` (``per_second``)."""
    user_group: str | None = None
    """EvoLink ``usage.user_group``: prices may differ per group."""
    error_message: str | None = None
    outputs: tuple[str, ...] = ()
    """Result video URLs, when the record lists them."""
    request: Request | None = None
    """The canonical request that produced the task: read from the request body the record
    carries (kling3api) or the caller gave, else built from the record's model and length."""
    request_violations: tuple[Violation, ...] = ()
    """What the request body breaks of the card's constraints (the task ran anyway)."""
    quote: Quote | None = None
    """ratecard's price of ``request`` on the creation day; ``None`` when it cannot be
    priced (see ``quote_error``)."""
    quote_error: str | None = None
    warnings: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()
    """Price terms the request states but ratecard cannot read (why, for each): then
    ``quote`` is ``None``, never a price at the card's defaults."""
    assumed: tuple[str, ...] = ()
    """Price terms neither the record nor a request states, on which the offering's price
    depends (``quality``, ``sound``): ``quote`` takes the card's defaults for them (with a
    warning), and reconcile cannot check the record's charge."""
    """Assumptions made (defaults used for what the record does not say), unknown fields."""

    @property
    def credits(self) -> Decimal | None:
        """The credits the record bills: consumed if stated, else reserved."""
        return self.credits_consumed if self.credits_consumed is not None \
            else self.credits_reserved

    @property
    def credits_basis(self) -> str | None:
        """``consumed``, ``reserved`` or ``None``: what :attr:`credits` is."""
        if self.credits_consumed is not None:
            return "consumed"
        return None if self.credits_reserved is None else "reserved"

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form: amounts as decimal strings, times in ISO 8601."""
        def num(value: Decimal | None) -> str | None:
            return None if value is None else plain(value)

        return {
            "provider": self.provider, "task_id": self.task_id, "model": self.model,
            "status": self.status, "raw_status": self.raw_status,
            "created": None if self.created is None else self.created.isoformat(),
            "credits": num(self.credits), "credits_basis": self.credits_basis,
            "credits_reserved": num(self.credits_reserved),
            "credits_consumed": num(self.credits_consumed),
            "duration": num(self.duration), "billing_rule": self.billing_rule,
            "user_group": self.user_group, "error_message": self.error_message,
            "outputs": list(self.outputs),
            "request_violations": [v.to_dict() for v in self.request_violations],
            "quote": None if self.quote is None else self.quote.to_dict(),
            "quote_error": self.quote_error, "warnings": list(self.warnings),
        }
