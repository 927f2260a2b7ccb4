"""The front door: :func:`load` and the :class:`Catalog` it returns.

A Catalog is composed here, at the top, from the parts below it: the compiled
:class:`~ratecard.pricing.index.PriceIndex` (quotes), a
:class:`~ratecard.routing.matching.RouteIndex` over it (compare and route), the payload
dialects (native request bodies and task records) and, on demand, the validated cards
(conflicts). Every method delegates; no rule lives here.

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
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from ratecard.cards.load import compile_cards, load_index
from ratecard.pricing.engine import DateArg, SoundArg
from ratecard.pricing.facts import CardFact, bases_kept, card_facts, recorded_conflicts
from ratecard.pricing.index import OfferingPrice, PriceIndex
from ratecard.pricing.plans import OfferingPlan
from ratecard.pricing.provenance import RecordedConflict
from ratecard.pricing.quote import Quote

# Imported when used: the authoring layer (pydantic, YAML) when cards are read; routing
# (with its health circuits) by the methods that compare and route; request bodies by the
# methods that read them, so importing ratecard and loading the cards (what quoting needs)
# imports none of them.
if TYPE_CHECKING:
    from ratecard.cards.loader import LoadedCard
    from ratecard.cards.schema import Conflict, RateCard
    from ratecard.gateway.route_payload import PayloadRoute
    from ratecard.payloads.pipeline import Body, Inspection
    from ratecard.payloads.request import Request, VideoInfo
    from ratecard.payloads.tasks import TaskRecord
    from ratecard.payloads.translate import Translation
    from ratecard.payloads.violations import Violation
    from ratecard.routing.candidates import Comparison, Route
    from ratecard.routing.health import Health, HealthPolicy
    from ratecard.routing.matching import RouteIndex
    from ratecard.routing.need import Need

__all__ = ["Catalog", "OfferingPrice", "load", "load_health_policy"]


class Catalog:
    """Compiled rate cards and everything they answer. Immutable: load a new Catalog to
    change prices (:meth:`with_credit_value` returns a new one)."""

    __slots__ = ("_cards", "_index", "_routes")

    def __init__(
        self,
        plans: Mapping[tuple[str, str], OfferingPlan],
        files: Mapping[str, Path],
        *,
        today: date | None = None,
        replaced: Iterable[str] = (),
    ) -> None:
        self._index = PriceIndex(plans, files, today=today, replaced=replaced)
        self._routes: RouteIndex | None = None
        self._cards: Mapping[str, RateCard] | None = None

    @classmethod
    def of(cls, index: PriceIndex, cards: Mapping[str, RateCard] | None = None) -> Catalog:
        """A Catalog over an existing price index (and its validated cards, if known)."""
        catalog = cls.__new__(cls)
        catalog._index = index
        catalog._routes = None
        catalog._cards = None if cards is None else MappingProxyType(dict(cards))
        return catalog

    @classmethod
    def from_cards(cls, loaded: Iterable[LoadedCard], *, today: date | None = None,
                   replaced: Iterable[str] = ()) -> Catalog:
        """Compile validated cards (see :func:`load` for the usual way in)."""
        compiled = compile_cards(loaded, today=today, replaced=replaced)
        return cls.of(compiled.index, compiled.cards)

    # ------------------------------------------------------------------ prices

    @property
    def index(self) -> PriceIndex:
        """The compiled price index (what everything below the front door works on)."""
        return self._index

    @property
    def providers(self) -> tuple[str, ...]:
        """Provider ids, sorted."""
        return self._index.providers

    @property
    def files(self) -> Mapping[str, Path]:
        """The file each card was read from."""
        return self._index.files

    @property
    def replaced(self) -> tuple[str, ...]:
        """Built-in providers replaced by cards given to :func:`load`."""
        return self._index.replaced

    @property
    def cards(self) -> Mapping[str, RateCard]:
        """The validated rate cards by provider id (read again from their files, once, if
        the catalog came from the cache)."""
        if self._cards is None:
            from ratecard.cards.loader import read_card

            self._cards = MappingProxyType(
                {p: read_card(path).card for p, path in self._index.files.items()})
        return self._cards

    def plan(self, provider: str, model: str) -> OfferingPlan:
        """The compiled offering; an unknown provider or model lists the close matches."""
        return self._index.plan(provider, model)

    def plans(self, provider: str | None = None) -> list[OfferingPlan]:
        """Compiled offerings, sorted by provider then model."""
        return self._index.plans(provider)

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
        """Price one request. See :func:`ratecard.pricing.engine.quote` for the rules.

        >>> import ratecard
        >>> q = ratecard.load().quote("kling3api", "pro-text-to-video")
        >>> q.credits, q.usd, q.billed_seconds
        (Decimal('400'), None, Decimal('5'))
        """
        return self._index.quote(provider, model, duration=duration,
                                 input_seconds=input_seconds, quality=quality, sound=sound,
                                 at=at)

    def offerings(self, provider: str | None = None, at: DateArg = None) -> list[OfferingPrice]:
        """Every offering x quality x sound with its price in force on ``at`` (default today).

        >>> import ratecard
        >>> row = ratecard.load().offerings("evolink")[0]
        >>> row.model, row.quality, row.sound, row.price, row.usd
        ('kling-o1-video-edit', '720p', 'off', Decimal('12'), Decimal('0.166667'))
        """
        return self._index.offerings(provider, at)

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
        return Catalog.of(self._index.with_credit_value(provider, credits_per_usd),
                          self._cards)

    def conflicts(self, provider: str | None = None) -> list[tuple[str, Conflict]]:
        """Every recorded disagreement between sources, as (provider, conflict); an
        unknown ``provider`` is an :class:`~ratecard.UnknownOfferingError`."""
        if provider is not None:
            self._index.check_provider(provider)
        return [(p, conflict) for p, card in self.cards.items()
                if provider is None or p == provider for conflict in card.conflicts]

    def recorded_conflicts(self, provider: str | None = None) -> list[RecordedConflict]:
        """Every recorded disagreement between sources, in the compiled form answers
        show: the offerings and facts it touches, each claim's source, the resolution.

        >>> import ratecard
        >>> [c.subject for c in ratecard.load().recorded_conflicts("fal")]
        ['Kling 3.0 Pro image-to-video price per second']
        """
        return recorded_conflicts(self._index.plans(provider))

    def facts(self, provider: str | None = None,
              basis: Iterable[str] | None = None) -> list[CardFact]:
        """Every fact of the cards (of ``provider``), each with its source and the
        offerings it applies to; ``basis`` keeps only that basis or those bases
        (``documented``, ``inferred``, ``supplied``, ``unsourced``).

        >>> import ratecard
        >>> [(f.fact.fact, f.fact.value) for f in ratecard.load().facts("evolink", ["inferred"])
        ...  if f.fact.fact == "credit_value"]
        [('credit_value', '72 credits per USD (start..open)')]
        """
        kept = bases_kept(basis)
        return [item for item in card_facts(self._index.plans(provider))
                if kept is None or item.fact.basis in kept]

    # ------------------------------------------------------------------ compare and route

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
        from ratecard.routing.compare import compare

        return compare(self.routing_index(), need, providers=providers, at=at)

    def route(self, need: Need, *, down: Iterable[str] = (), health: Health | None = None,
              max_usd: object = None, allow: Iterable[str] | None = None,
              deny: Iterable[str] = (), include_reference: bool = False,
              at: DateArg = None) -> Route:
        """The fallback chain for ``need``: the cheapest available candidate first.

        Providers in ``down`` or ``deny``, or missing from ``allow`` (when given), are
        excluded, as are candidates whose USD amount is unknown or above ``max_usd``, and
        reference cards unless ``include_reference``. With ``health`` (a
        :class:`~ratecard.Health`, read at its clock's time), an offering whose circuit is
        open is excluded as ``UNHEALTHY`` with the time it may be retried (``retry_at``),
        and one whose circuit is half-open is offered as a probe (``probe``) while a probe
        is free. Ties: see :mod:`ratecard.routing.candidates`.

        >>> import ratecard
        >>> need = ratecard.Need(family="kling-3.0", mode="image-to-video",
        ...                      quality="1080p", sound=True, duration=10)
        >>> r = ratecard.load().route(need, down=["evolink"], max_usd="2")
        >>> r.head.provider, r.head.usd
        ('comfy', Decimal('1.680000'))
        """
        from ratecard.routing.route import route

        return route(self.routing_index(), need, down=down, health=health, max_usd=max_usd,
                     allow=allow, deny=deny, include_reference=include_reference, at=at)

    def route_payload(self, body: Body, *, source: str, video: VideoInfo | None = None,
                      health: Health | None = None, down: Iterable[str] = (),
                      max_usd: object = None, allow: Iterable[str] | None = None,
                      deny: Iterable[str] = (), include_reference: bool = False,
                      at: DateArg = None) -> PayloadRoute:
        """The fallback chain for the native ``body`` written for ``source``: each step a
        seller and model, its quote, and the body to send there (translated into its
        dialect; the source's own offering gets ``body`` unchanged).

        The need the body describes is routed like :meth:`route` (``health``, ``down``,
        ``max_usd``, ``allow``, ``deny``, ``include_reference``); then a seller without
        a documented body format is excluded as ``NO_DIALECT`` and one that cannot
        express the request, or would refuse the body it becomes, as ``CANNOT_EXPRESS``
        (every reason in ``refusals``). Raises
        :class:`~ratecard.payloads.violations.PayloadError` when ``source`` would refuse
        ``body``, or when an edit's input length is not given (``video=``). See
        :mod:`ratecard.gateway.route_payload`.

        >>> import ratecard
        >>> body = {"type": "std-text-to-video", "prompt": "An eagle", "sound": False}
        >>> r = ratecard.load().route_payload(body, source="kling3api")
        >>> r.head.provider, r.head.body["model"], r.head.usd
        ('evolink', 'kling-v3-text-to-video', Decimal('0.375000'))
        """
        from ratecard.gateway.route_payload import route_payload

        return route_payload(self.routing_index(), body, source=source, video=video, health=health,
                             down=down, max_usd=max_usd, allow=allow, deny=deny,
                             include_reference=include_reference, at=at)

    def routing_index(self) -> RouteIndex:
        """The index :meth:`compare` and :meth:`route` use (built on first use, then kept
        with the catalog: it remembers what it has evaluated)."""
        if self._routes is None:
            from ratecard.routing.matching import RouteIndex

            self._routes = RouteIndex(self._index)
        return self._routes

    # ------------------------------------------------------------ native request bodies

    def quote_payload(self, provider: str, body: Body, *, video: VideoInfo | None = None,
                      at: DateArg = None) -> Quote:
        """Price the native request ``body`` exactly as it would be sent to ``provider``.

        Raises :class:`~ratecard.payloads.violations.PayloadError` carrying every violation
        of the card's constraints. Pass ``video`` (its length, at least) to price an edit
        billed by its input's length. See :mod:`ratecard.payloads.pipeline`.

        >>> import ratecard
        >>> ratecard.load().quote_payload("kling3api", {"type": "pro-text-to-video",
        ...                                             "prompt": "An eagle"}).credits
        Decimal('400')
        """
        from ratecard.payloads import pipeline as payloads

        return payloads.quote(self._index, provider, body, video=video, at=at)

    def check_payload(self, provider: str, body: Body, *,
                      video: VideoInfo | None = None) -> list[Violation]:
        """Every reason ``provider`` would not accept ``body`` (empty: it would). Never
        raises for a bad body.

        >>> import ratecard
        >>> [v.code for v in ratecard.load().check_payload("kling3api", {"type": "pro-x"})]
        ['INVALID_TYPE']
        """
        from ratecard.payloads import pipeline as payloads

        return list(payloads.inspect(self._index, provider, body, video=video).violations)

    def inspect_payload(self, provider: str, body: Body, *,
                        video: VideoInfo | None = None) -> Inspection:
        """The canonical request read from ``body``, its violations and warnings."""
        from ratecard.payloads import pipeline as payloads

        return payloads.inspect(self._index, provider, body, video=video)

    def quote_request(self, request: Request, *, at: DateArg = None) -> Quote:
        """Price a canonical :class:`~ratecard.payloads.request.Request`."""
        from ratecard.payloads import pipeline as payloads

        return payloads.quote_request(self._index, request, at=at)

    def translate(self, body: Body, *, source: str, target: str,
                  video: VideoInfo | None = None, model: str | None = None,
                  at: DateArg = None) -> Translation:
        """Rewrite ``body``, written for ``source``, as ``target``'s body for the same job,
        and price it there.

        The target offering is the one with the same family, mode, quality and sound as
        the request (``model`` names one). The result holds the body, the quote the
        target charges for it (priced by ``quote_payload``'s pipeline), and what changed
        (``warnings``: defaults made explicit, inputs the target ignores or has no field
        for that only tune delivery, left out). Raises
        :class:`~ratecard.payloads.violations.PayloadError` when ``source`` would refuse
        the body, :class:`~ratecard.payloads.translate.TranslationError` with every
        reason when ``target`` cannot express the request or would refuse it, and
        :class:`~ratecard.QuoteError` ``NO_DIALECT`` when ratecard cannot write
        ``target``'s bodies. See :mod:`ratecard.payloads.translate`.

        >>> import ratecard
        >>> t = ratecard.load().translate({"type": "std-text-to-video", "prompt": "An eagle",
        ...                                "sound": False}, source="kling3api",
        ...                               target="evolink")
        >>> t.body, t.quote.credits  # doctest: +NORMALIZE_WHITESPACE
        ({'model': 'kling-v3-text-to-video', 'prompt': 'An eagle', 'duration': 5,
          'quality': '720p', 'sound': 'off'}, Decimal('27.0000'))
        >>> t.basis
        'inferred'
        """
        from ratecard.payloads.translate import translate

        return translate(self._index, body, source=source, target=target, video=video,
                         model=model, at=at)

    def read_task(self, provider: str, task: Body, *, request: Body | None = None,
                  video: VideoInfo | None = None) -> TaskRecord:
        """Read a provider's task record into a priced
        :class:`~ratecard.payloads.tasks.TaskRecord`.

        >>> import ratecard
        >>> task = {"id": "task-1", "model": "kling-v3-image-to-video", "status": "pending",
        ...         "created": 1757169743, "task_info": {"video_duration": 5},
        ...         "usage": {"credits_reserved": 27}}
        >>> record = ratecard.load().read_task("evolink", task)
        >>> record.credits, record.quote.credits, record.status
        (Decimal('27'), Decimal('27.0000'), 'pending')
        """
        from ratecard.payloads import pipeline as payloads

        return payloads.read_task(self._index, provider, task, request=request, video=video)


def load(*paths: str | Path, builtin: bool = True, today: date | None = None,
         cache: bool = True) -> Catalog:
    """Load the built-in rate cards, plus (or instead of) cards from ``paths``.

    A card in ``paths`` whose provider matches a built-in card replaces it; two cards in
    ``paths`` for the same provider are an error. Directories contribute every ``*.yaml``.
    ``builtin=False`` loads only ``paths``. With ``cache`` (the default) a catalog compiled
    from the very same files by the very same ratecard is reused from the cache directory
    (see :mod:`ratecard.cards.cache`); cards are always validated before they are first
    cached.

    >>> import ratecard
    >>> ratecard.load().providers
    ('comfy', 'evolink', 'fal', 'kling-official', 'kling3api', 'krea', 'modellix')
    """
    loaded = load_index(*paths, builtin=builtin, today=today, cache=cache)
    return Catalog.of(loaded.index, loaded.cards)


def load_health_policy(path: str | Path | None = None) -> HealthPolicy:
    """Read, validate and compile a health policy file (default: the built-in
    ``pricing_tables/health/policy.yaml``); :class:`~ratecard.errors.CardError` with
    ``file:line`` for every problem. See :mod:`ratecard.cards.health`.

    >>> load_health_policy().default.failures
    5
    """
    from ratecard.cards.health import load_health_policy as read_policy

    return read_policy(path)
