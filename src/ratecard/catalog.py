"""The Catalog: every loaded rate card, compiled once into an immutable, indexed whole.

>>> import ratecard
>>> card = ratecard.load()
>>> card.providers
('comfy', 'evolink', 'fal', 'kling-official', 'kling3api', 'krea', 'modellix')
>>> q = card.quote("evolink", "kling-v3-image-to-video", duration=10, quality="1080p", sound=True)
>>> q.credits
Decimal('108.0000')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from ratecard import engine
from ratecard.compiled import OfferingPlan
from ratecard.engine import DateArg, SoundArg
from ratecard.engine import quote as _quote
from ratecard.errors import CardError, CardProblem, QuoteError, UnknownOfferingError
from ratecard.explain import per_second_usd
from ratecard.paths import builtin_paths, expand_paths
from ratecard.quote import Quote

if TYPE_CHECKING:
    from ratecard.loader import LoadedCard
    from ratecard.need import Need
    from ratecard.payload import Body, Inspection
    from ratecard.request import Request, VideoInfo
    from ratecard.route import Comparison, Route, RouteIndex
    from ratecard.schema import Conflict, RateCard
    from ratecard.tasks import TaskRecord
    from ratecard.violations import Violation


@dataclass(frozen=True)
class OfferingPrice:
    """One row of ``ratecard offerings``: an offering's price at one quality x sound."""

    provider: str
    model: str
    family: str
    mode: str
    quality: str
    sound: str
    kind: str
    """``per_second`` or ``fixed``."""
    price: Decimal
    """Per-second rate (after multiplier) or fixed price, in ``currency``."""
    currency: str
    usd: Decimal | None
    """The same in USD; ``None`` when the credit value is unknown."""
    accepts: str
    billing: str
    price_version: str
    source: str


class Catalog:
    """Compiled rate cards. Immutable: load a new Catalog to change prices."""

    __slots__ = ("_files", "_index", "_plans", "_providers", "_replaced", "_routing", "_today",
                 "_validated")

    def __init__(
        self,
        plans: Mapping[tuple[str, str], OfferingPlan],
        files: Mapping[str, Path],
        *,
        today: date | None = None,
        replaced: Iterable[str] = (),
    ) -> None:
        day = today or date.today()
        self._today = today
        """The day given to load(): quotes without ``at`` use it instead of the clock."""
        self._routing: RouteIndex | None = None
        self._index = {key: plan.as_of(day) for key, plan in sorted(plans.items())}
        self._plans = MappingProxyType(self._index)
        self._files = MappingProxyType(dict(sorted(files.items())))
        self._providers = tuple(self._files)
        self._replaced = tuple(replaced)
        self._validated: dict[str, RateCard] | None = None

    @classmethod
    def from_cards(cls, loaded: Iterable[LoadedCard], *, today: date | None = None,
                   replaced: Iterable[str] = ()) -> Catalog:
        """Compile validated cards (see :func:`load` for the usual way in)."""
        from ratecard.compiler import compile_card

        plans: dict[tuple[str, str], OfferingPlan] = {}
        files: dict[str, Path] = {}
        cards: dict[str, RateCard] = {}
        for item in loaded:
            provider = item.card.provider
            files[provider] = item.path
            cards[provider] = item.card
            for model, plan in compile_card(item.card).items():
                plans[(provider, model)] = plan
        catalog = cls(plans, files, today=today, replaced=replaced)
        catalog._validated = cards
        return catalog

    @property
    def providers(self) -> tuple[str, ...]:
        """Provider ids, sorted."""
        return self._providers

    @property
    def cards(self) -> Mapping[str, RateCard]:
        """The validated rate cards by provider id (read again from their files if the
        catalog came from the cache)."""
        if self._validated is None:
            from ratecard.loader import read_card

            self._validated = {p: read_card(path).card for p, path in self._files.items()}
        return MappingProxyType(self._validated)

    @property
    def files(self) -> Mapping[str, Path]:
        """The file each card was read from."""
        return self._files

    @property
    def replaced(self) -> tuple[str, ...]:
        """Built-in providers replaced by cards given to :func:`load`."""
        return self._replaced

    def plan(self, provider: str, model: str) -> OfferingPlan:
        """The compiled offering; an unknown provider or model lists the close matches."""
        plan = self._plans.get((provider, model))
        if plan is not None:
            return plan
        import difflib
        if provider not in self._files:
            close = difflib.get_close_matches(provider, self._providers, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise UnknownOfferingError(
                "UNKNOWN_PROVIDER",
                f"unknown provider {provider!r}{hint} (known: {', '.join(self._providers)})",
                "provider", close)
        models = [m for (p, m) in self._plans if p == provider]
        close = difflib.get_close_matches(model, models, n=3, cutoff=0.5)
        elsewhere = sorted(p for (p, m) in self._plans if m == model)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        if elsewhere:
            hint += f" ({model!r} is sold by {', '.join(elsewhere)})"
        raise UnknownOfferingError(
            "UNKNOWN_MODEL",
            f"{provider} has no model {model!r}{hint}; run `ratecard offerings --provider "
            f"{provider}` to list its models",
            "model", close)

    def quote(
        self,
        provider: str,
        model: str,
        *,
        duration: object = None,
        input_seconds: object = None,
        quality: str | None = None,
        sound: SoundArg = None,
        at: DateArg = None,
    ) -> Quote:
        """Price one request. See :func:`ratecard.engine.quote` for the rules.

        >>> import ratecard
        >>> q = ratecard.load().quote("kling3api", "pro-text-to-video")
        >>> q.credits, q.usd, q.billed_seconds
        (Decimal('400'), None, Decimal('5'))
        """
        plan = self._index.get((provider, model)) or self.plan(provider, model)
        return _quote(plan, duration=duration, input_seconds=input_seconds,
                      quality=quality, sound=sound, at=self._today if at is None else at)

    def plans(self, provider: str | None = None) -> list[OfferingPlan]:
        """Compiled offerings, sorted by provider then model."""
        if provider is not None and provider not in self._files:
            self.plan(provider, "")
        return [plan for (p, _), plan in sorted(self._plans.items())
                if provider is None or p == provider]

    def offerings(self, provider: str | None = None, at: DateArg = None) -> list[OfferingPrice]:
        """Every offering x quality x sound with its price in force on ``at`` (default today).

        >>> import ratecard
        >>> row = ratecard.load().offerings("evolink")[0]
        >>> row.model, row.quality, row.sound, row.price, row.usd
        ('kling-o1-video-edit', '720p', 'off', Decimal('12'), Decimal('0.166667'))
        """
        day = engine.day_of(self._today if at is None else at)
        rows = []
        for plan in self.plans(provider):
            credit = plan.credit_at(day)
            for quality in plan.qualities:
                for sound in plan.sounds:
                    cell = plan.cell_at((quality, sound == "on"), day)
                    if cell is None:
                        continue
                    rows.append(OfferingPrice(
                        provider=plan.provider, model=plan.model, family=plan.family,
                        mode=plan.mode, quality=quality, sound=sound, kind=cell.kind,
                        price=cell.unit_rate, currency=plan.currency,
                        usd=per_second_usd(plan, cell, credit),
                        accepts=plan.accepts.describe() if plan.accepts else "any length",
                        billing=_billing_text(plan), price_version=cell.label,
                        source=cell.source))
        return rows

    def compare(self, need: Need, *, providers: Iterable[str] | None = None,
                at: DateArg = None) -> Comparison:
        """What ``need`` costs at every offering that can serve it, cheapest first.

        Each candidate is priced by the quote engine, in USD and in its card's currency.
        Where ``need`` leaves quality or sound as ``None`` (any), each offering x quality x
        sound is a separate candidate. Offerings that cannot serve the need, or whose USD
        value is unknown, are in ``exclusions`` with a reason code and message.
        ``providers`` limits the comparison to those providers.

        >>> import ratecard
        >>> need = ratecard.Need(family="kling-3.0", mode="text-to-video", quality="720p",
        ...                      sound=True, duration=10)
        >>> [(c.provider, str(c.usd)) for c in ratecard.load().compare(need).candidates][:3]
        [('evolink', '1.125000'), ('comfy', '1.260000'), ('fal', '1.260000')]
        """
        from ratecard.route import compare

        return compare(self, need, providers=providers, at=at)

    def route(self, need: Need, *, down: Iterable[str] = (), max_usd: object = None,
              allow: Iterable[str] | None = None, deny: Iterable[str] = (),
              include_reference: bool = False, at: DateArg = None) -> Route:
        """The fallback chain for ``need``: the cheapest available candidate first.

        Providers in ``down`` or ``deny``, or missing from ``allow`` (when given), are
        excluded, as are candidates whose USD amount is unknown or above ``max_usd``, and
        reference cards unless ``include_reference``. Ties: see :mod:`ratecard.route`.

        >>> import ratecard
        >>> need = ratecard.Need(family="kling-3.0", mode="image-to-video",
        ...                      quality="1080p", sound=True, duration=10)
        >>> r = ratecard.load().route(need, down=["evolink"], max_usd="2")
        >>> r.head.provider, r.head.usd
        ('comfy', Decimal('1.680000'))
        """
        from ratecard.route import route

        return route(self, need, down=down, max_usd=max_usd, allow=allow, deny=deny,
                     include_reference=include_reference, at=at)

    def routing_index(self) -> RouteIndex:
        """The index :meth:`compare` and :meth:`route` use, built once on first use."""
        index = self._routing
        if index is None:
            from ratecard.route import RouteIndex

            index = self._routing = RouteIndex(self._index.values(), self._providers)
        return index

    def with_credit_value(self, provider: str, credits_per_usd: object) -> Catalog:
        """A new catalog in which one credit of ``provider`` is worth
        ``1 / credits_per_usd`` USD, on every date.

        This is how a user supplies a credit value a seller does not publish (kling3api):
        ratecard never guesses one. It replaces every credit value of that card (a value
        the card gives is overridden too), leaves every price as it is, and applies to the
        compiled catalog only (``cards`` still shows the file). ``credits_per_usd`` is a
        number > 0 (Decimal, int or text). A card with an unknown credit value can also
        be given one by an overlay card (see ``pricing_tables/README.md``).

        >>> import ratecard
        >>> card = ratecard.load().with_credit_value("kling3api", "500")
        >>> q = card.quote("kling3api", "pro-text-to-video")
        >>> q.credits, q.usd, q.source, q.credit_version
        (Decimal('400'), Decimal('0.800000'), '003_d85ea8d62f3ed7f3.txt', 'start..open')
        """
        from dataclasses import replace

        from ratecard.compiled import CreditPlan, Span
        from ratecard.money import GridDivider, to_decimal

        plans = self.plans(provider)
        if plans[0].currency != "credits":
            raise QuoteError("INVALID_CREDIT_VALUE",
                             f"{provider} prices in {plans[0].currency}, not credits; a "
                             "credit value applies only to a credits card", "credits_per_usd")
        try:
            value = to_decimal(credits_per_usd, "credits_per_usd")
        except ValueError as exc:
            raise QuoteError("INVALID_CREDIT_VALUE", str(exc), "credits_per_usd") from None
        if value <= 0:
            raise QuoteError("INVALID_CREDIT_VALUE",
                             f"credits_per_usd must be more than 0, not {value}",
                             "credits_per_usd")
        updated = dict(self._index)
        for plan in plans:
            credit = CreditPlan(Span(None, None), value,
                                GridDivider(plan.amount_precision, value, plan.usd_precision,
                                            plan.usd_mode),
                                "user-supplied credit value")
            updated[(plan.provider, plan.model)] = replace(plan, credits=(credit,),
                                                           usd_unknown_reason=None)
        catalog = Catalog(updated, self._files, today=self._today, replaced=self._replaced)
        catalog._validated = self._validated
        return catalog

    def conflicts(self, provider: str | None = None) -> list[tuple[str, Conflict]]:
        """Every recorded disagreement between sources, as (provider, conflict)."""
        return [(p, conflict) for p, card in self.cards.items()
                if provider is None or p == provider for conflict in card.conflicts]

    # ------------------------------------------------------------ native request bodies

    def quote_payload(self, provider: str, body: Body, *, video: VideoInfo | None = None,
                      at: DateArg = None) -> Quote:
        """Price the native request ``body`` exactly as it would be sent to ``provider``.

        Raises :class:`~ratecard.violations.PayloadError` carrying every violation of the
        card's constraints. Pass ``video`` (its length, at least) to price an edit billed
        by its input's length. See :mod:`ratecard.payload`.

        >>> import ratecard
        >>> ratecard.load().quote_payload("kling3api", {"type": "pro-text-to-video",
        ...                                             "prompt": "An eagle"}).credits
        Decimal('400')
        """
        from ratecard import payload

        return payload.quote(self, provider, body, video=video, at=at)

    def check_payload(self, provider: str, body: Body, *,
                      video: VideoInfo | None = None) -> list[Violation]:
        """Every reason ``provider`` would not accept ``body`` (empty: it would). Never
        raises for a bad body.

        >>> import ratecard
        >>> [v.code for v in ratecard.load().check_payload("kling3api", {"type": "pro-x"})]
        ['INVALID_TYPE']
        """
        from ratecard import payload

        return list(payload.inspect(self, provider, body, video=video).violations)

    def inspect_payload(self, provider: str, body: Body, *,
                        video: VideoInfo | None = None) -> Inspection:
        """The canonical request read from ``body``, its violations and warnings."""
        from ratecard import payload

        return payload.inspect(self, provider, body, video=video)

    def quote_request(self, request: Request, *, at: DateArg = None) -> Quote:
        """Price a canonical :class:`~ratecard.request.Request`."""
        from ratecard import payload

        return payload.quote_request(self, request, at=at)

    def read_task(self, provider: str, task: Body, *, request: Body | None = None,
                  video: VideoInfo | None = None) -> TaskRecord:
        """Read a provider's task record into a priced :class:`~ratecard.tasks.TaskRecord`.

        >>> import ratecard
        >>> task = {"id": "task-1", "model": "kling-v3-image-to-video", "status": "pending",
        ...         "created": 1757169743, "task_info": {"video_duration": 5},
        ...         "usage": {"credits_reserved": 27}}
        >>> record = ratecard.load().read_task("evolink", task)
        >>> record.credits, record.quote.credits, record.status
        (Decimal('27'), Decimal('27.0000'), 'pending')
        """
        from ratecard import payload

        return payload.read_task(self, provider, task, request=request, video=video)


def _billing_text(plan: OfferingPlan) -> str:
    if plan.basis == "fixed":
        return "fixed price"
    parts = [f"per {'input ' if plan.basis == 'input_seconds' else ''}second"]
    if plan.min_seconds is not None:
        parts.append(f"min {plan.min_seconds:f} s")
    if plan.max_seconds is not None:
        parts.append(f"max {plan.max_seconds:f} s")
    if plan.seconds_precision is not None:
        parts.append(f"rounded {plan.seconds_mode} to {plan.seconds_precision:f} s")
    return ", ".join(parts)


def load(*paths: str | Path, builtin: bool = True, today: date | None = None,
         cache: bool = True) -> Catalog:
    """Load the built-in rate cards, plus (or instead of) cards from ``paths``.

    A card in ``paths`` whose provider matches a built-in card replaces it; two cards in
    ``paths`` for the same provider are an error. Directories contribute every ``*.yaml``.
    ``builtin=False`` loads only ``paths``. With ``cache`` (the default) a catalog compiled
    from the very same files by the very same ratecard is reused from the cache directory
    (see :mod:`ratecard.cache`); cards are always validated before they are first cached.

    >>> import ratecard
    >>> ratecard.load().providers
    ('comfy', 'evolink', 'fal', 'kling-official', 'kling3api', 'krea', 'modellix')
    """
    from ratecard import cache as compiled_cache

    files = expand_paths(paths)
    base = builtin_paths() if builtin else []
    key = compiled_cache.key_for([*base, *files]) if cache else None
    if key is not None:
        hit = compiled_cache.read(key)
        if hit is not None:
            plans, card_files, replaced = hit
            return Catalog(plans, card_files, today=today, replaced=replaced)
    catalog = _load_validated(files, base, today)
    if key is not None:
        files_resolved = {p: f.resolve() for p, f in catalog.files.items()}
        compiled_cache.write(key, (dict(catalog._plans), files_resolved, catalog.replaced))
    return catalog


def _load_validated(files: list[Path], base: list[Path], today: date | None) -> Catalog:
    from ratecard.loader import read_cards

    extra = read_cards(files)
    seen: dict[str, LoadedCard] = {}
    problems = []
    for item in extra:
        first = seen.get(item.card.provider)
        if first is not None:
            problems.append(CardProblem(
                str(item.path), item.line_of(("provider",)), "provider",
                f"provider {item.card.provider!r} is already defined in {first.path}; "
                "give each provider one file"))
        seen[item.card.provider] = item
    if problems:
        raise CardError(problems)
    builtin = read_cards(base)
    _check_unique(builtin)
    replaced = sorted(item.card.provider for item in builtin if item.card.provider in seen)
    cards = [item for item in builtin if item.card.provider not in seen] + list(seen.values())
    if not cards:
        raise CardError([CardProblem("(load)", None, None, "no rate cards to load")])
    return Catalog.from_cards(cards, today=today, replaced=replaced)


def _check_unique(cards: list[LoadedCard]) -> None:
    seen: dict[str, Path] = {}
    for item in cards:
        if item.card.provider in seen:
            raise CardError([CardProblem(str(item.path), item.line_of(("provider",)),
                                         "provider",
                                         f"provider {item.card.provider!r} also in "
                                         f"{seen[item.card.provider]}")])
        seen[item.card.provider] = item.path
