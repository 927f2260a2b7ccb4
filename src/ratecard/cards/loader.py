"""Read rate card files: YAML to validated :class:`~ratecard.cards.schema.RateCard` models.

YAML is read with YAML 1.2 scalars: floats become :class:`~decimal.Decimal`, and only
``true``/``false`` are booleans (``on``/``off``/``yes``/``no`` stay strings). Every
error names the file, the line, the key and what was expected.

>>> card = read_card(builtin_dir() / "evolink.yaml").card
>>> card.provider, card.credit_values[0].credits_per_usd
('evolink', Decimal('72'))
"""

from __future__ import annotations

import errno
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ratecard.cards.paths import builtin_dir as builtin_dir
from ratecard.cards.paths import builtin_paths as builtin_paths
from ratecard.cards.paths import expand_paths as expand_paths
from ratecard.cards.schema import RateCard
from ratecard.errors import CardError, CardProblem, brief, close_matches, did_you_mean
from ratecard.money import plain
from ratecard.numbers import CARD_NUMBER, NumberError, read_number

Location = tuple[str | int, ...]


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    """Safe YAML loader (libyaml when present) with YAML 1.2 booleans and Decimal floats."""


# YAML 1.2 core schema scalars: PyYAML's YAML 1.1 rules read on/off/yes/no as booleans,
# 16:9 as the base-60 number 969 and 010 as octal; none of that here.
_REPLACED = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _REPLACED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
)


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    """A YAML float as an exact Decimal within the bounds every card number obeys."""
    text = str(loader.construct_scalar(node))
    if text.lstrip("+-").lower() in (".inf", ".nan"):
        raise yaml.constructor.ConstructorError(
            None, None, f"{text!r} is not a finite number", node.start_mark)
    try:
        return read_number(text, CARD_NUMBER, "value")
    except NumberError as exc:
        raise yaml.constructor.ConstructorError(None, None, str(exc), node.start_mark) from None


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    """A YAML integer, bounded like every card number (never a 5,000-digit conversion);
    ``!!int 0.1764`` is an error, never truncated to 0."""
    number = _construct_decimal(loader, node)
    if number != number.to_integral_value():
        raise yaml.constructor.ConstructorError(
            None, None, f"{brief(node.value)} is tagged !!int but is not a whole number",
            node.start_mark)
    return int(number)


def _construct_bool(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> bool:
    """``true`` or ``false`` (YAML 1.2), also under an explicit ``!!bool`` tag."""
    text = str(loader.construct_scalar(node))
    if text.lower() not in ("true", "false"):
        raise yaml.constructor.ConstructorError(
            None, None, f"{brief(text)} is tagged !!bool but is not true or false",
            node.start_mark)
    return text.lower() == "true"


def _construct_date(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    """A YAML date; an impossible one (2026-02-30), or ``!!timestamp`` on text that is no
    date at all, is an error with its line."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError, AttributeError) as exc:  # AttributeError: no match
        why = "" if isinstance(exc, AttributeError) else f": {exc}"
        raise yaml.constructor.ConstructorError(
            None, None, f"{brief(node.value)} is not a date{why}", node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_date)

MAX_CARD_BYTES = 4 * 1024 * 1024
"""Largest rate card file read (the built-in cards are under 40 KB)."""
MAX_VALUES = 200_000
"""Most values a card may hold once its aliases are expanded (anchors that refer to
anchors can otherwise grow a few hundred bytes into gigabytes)."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists a card may have."""


@dataclass(frozen=True)
class LoadedCard:
    """A validated rate card and where it came from."""

    card: RateCard
    path: Path
    lines: dict[Location, int]
    """Line (1-based) of every key and list item, by its path in the document."""

    def line_of(self, location: Location) -> int | None:
        """Line of the deepest known prefix of ``location``."""
        for end in range(len(location), -1, -1):
            line = self.lines.get(tuple(location[:end]))
            if line is not None:
                return line
        return None


def read_card(path: Path, data: bytes | None = None) -> LoadedCard:
    """Read and validate one rate card file; ``data``, when given, is its bytes as already
    read (the compiled-catalog cache keys on the very bytes that are parsed).

    Raises :class:`~ratecard.errors.CardError` listing every problem found.
    """
    if data is None:
        data = read_card_bytes(path)
    return parse_card(decode_card(data, str(path)), str(path))


def read_card_bytes(path: Path) -> bytes:
    """The bytes of a card file, read with limits: a regular file (never a FIFO or a
    device, which could block or never end) of at most :data:`MAX_CARD_BYTES`; a
    symbolic link loop or any other failure is a :class:`~ratecard.errors.CardError`."""
    def fail(message: str) -> CardError:
        return CardError([CardProblem(str(path), None, None, message)])

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise fail("not a regular file (a rate card is a YAML file)")
        if info.st_size > MAX_CARD_BYTES:
            raise fail(f"{info.st_size} bytes: a rate card may have at most "
                       f"{MAX_CARD_BYTES} bytes")
        with path.open("rb") as handle:
            data = handle.read(MAX_CARD_BYTES + 1)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise fail("cannot read: a loop of symbolic links") from None
        raise fail(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_CARD_BYTES:
        raise fail(f"more than {MAX_CARD_BYTES} bytes: a rate card may have at most "
                   f"{MAX_CARD_BYTES} bytes")
    return data


def decode_card(data: bytes, name: str) -> str:
    """Card bytes as text; bytes that are not UTF-8 are a CardError with the line."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise CardError([CardProblem(name, line, None,
                                     f"not UTF-8 text (byte {exc.start + 1})")]) from None


def parse_card(text: str, name: str) -> LoadedCard:
    """Validate rate card YAML ``text``; ``name`` is used in error messages."""
    data, lines = parse_yaml(text, name, "a rate card")
    try:
        card = RateCard.model_validate(data)
    except ValidationError as exc:
        raise CardError(_problems_from(exc, name, lines)) from None
    return LoadedCard(card=card, path=Path(name), lines=lines)


def parse_yaml(text: str, name: str, what: str) -> tuple[dict[str, Any], dict[Location, int]]:
    """YAML ``text`` as plain values (numbers as Decimal, YAML 1.2 scalars, the limits
    above) and the line of every key; ``what`` names the document in errors (``a rate
    card``). Raises :class:`~ratecard.errors.CardError` with ``file:line``."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise CardError([CardProblem(name, line, None, f"invalid YAML: {exc.problem}")]) from None
    except yaml.YAMLError as exc:  # e.g. a control character the YAML reader refuses
        line = text[:getattr(exc, "position", 0)].count("\n") + 1
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        raise CardError([CardProblem(name, line, None, f"invalid YAML: {reason}")]) from None
    except RecursionError:
        raise CardError([CardProblem(name, None, None, "invalid YAML: nested too deeply "
                                     f"(at most {MAX_DEPTH} levels)")]) from None
    if node is None:
        raise CardError([CardProblem(name, 1, None, "the file is empty")])
    lines: dict[Location, int] = {}
    problems: list[CardProblem] = []
    try:
        data = _to_python(loader, node, (), lines, problems, name, [MAX_VALUES])
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        problem = str(exc.problem)
        if "tag:yaml.org,2002:merge" in problem:
            problem = ("merge keys (<<) are not read: cards are YAML 1.2, which has none; "
                       "write the keys out (an alias * may stand for a whole value)")
        raise CardError([CardProblem(name, line, None, f"invalid value: {problem}")]) from None
    finally:
        loader.dispose()
    if problems:
        raise CardError(problems)
    if not isinstance(data, dict):
        raise CardError([CardProblem(name, node.start_mark.line + 1, None,
                                     f"{what} must be a mapping of keys")])
    return data, lines


def _to_python(
    loader: Any,
    node: yaml.Node,
    location: Location,
    lines: dict[Location, int],
    problems: list[CardProblem],
    name: str,
    budget: list[int],
) -> Any:
    """Construct plain Python values from a YAML node tree, recording lines; at most
    ``budget[0]`` values and :data:`MAX_DEPTH` levels in all, aliases expanded."""
    budget[0] -= 1
    if budget[0] < 0 or len(location) > MAX_DEPTH:
        what = (f"more than {MAX_VALUES} values once its aliases are expanded"
                if budget[0] < 0 else f"nested more than {MAX_DEPTH} levels deep")
        raise yaml.constructor.ConstructorError(None, None, f"the card has {what}",
                                                node.start_mark)
    lines[location] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, Decimal | int) and not isinstance(key, bool):
                key = str(key)
            if not isinstance(key, str):
                problems.append(CardProblem(name, key_node.start_mark.line + 1,
                                            _dotted(location), "keys must be text"))
                continue
            if key in result:
                problems.append(CardProblem(
                    name, key_node.start_mark.line + 1, _dotted((*location, key)),
                    f"duplicate key {key!r} (first at line {lines[(*location, key)]})"))
                continue
            lines[(*location, key)] = key_node.start_mark.line + 1
            result[key] = _to_python(loader, value_node, (*location, key), lines, problems, name,
                                     budget)
            lines[(*location, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(loader, item, (*location, index), lines, problems, name, budget)
            for index, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)


def _dotted(location: Sequence[str | int]) -> str:
    return ".".join(str(part) for part in location) or "(top level)"


_RELATIVE_PATH = re.compile(r"^([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*): (.*)$", re.DOTALL)
"""Validators start a message with the path of the offending key, relative to the model."""

_EXPECTED = {
    "extra_forbidden": "unknown key: not part of the rate card schema "
    "(see pricing_tables/README.md)",
    "missing": "required key is missing",
}


def _problems_from(
    exc: ValidationError, name: str, lines: dict[Location, int],
    model: type[BaseModel] = RateCard,
) -> list[CardProblem]:
    loaded = LoadedCard(card=None, path=Path(name), lines=lines)  # type: ignore[arg-type]
    problems = []
    errors = exc.errors(include_url=False)
    locations = [_clean_location(error["loc"]) for error in errors]
    for error, location in zip(errors, locations, strict=True):
        if isinstance(error.get("input"), dict | list) and any(
                len(other) > len(location) and other[:len(location)] == location
                for other in locations):
            # a union's other branch ("must be a number, got dict {...}") where the branch
            # the value has the shape of names the cell itself: that one says what is wrong
            continue
        if error["type"] == "dict_type" and sum(other == location for other in locations) > 1:
            continue  # a number where a number or a table may be: the number branch says why
        message = _EXPECTED.get(error["type"], error["msg"])
        if error["type"] == "string_pattern_mismatch" and \
                error.get("ctx", {}).get("pattern") == r"\S":
            message = "must not be blank"
        if model is not RateCard:
            message = message.replace("the rate card schema", "its schema")
        if error["type"] == "extra_forbidden" and location:
            close = close_matches(str(location[-1]), _known_keys(model), most=2, cutoff=0.7)
            message += did_you_mean(close, " or ")
        if error["type"] == "value_error":
            message = message.removeprefix("Value error, ")
            inner = _RELATIVE_PATH.match(message)
            if inner:
                location = (*location, *(int(p) if p.isdigit() else p
                                         for p in inner.group(1).split(".")))
                message = inner.group(2)
        if error["type"] not in _EXPECTED and "input" in error and not isinstance(
            error["input"], dict | list
        ) and repr(error["input"]) not in message:
            shown = error["input"]
            message = f"{message} (got {_shown(shown)})"
        problems.append(CardProblem(name, loaded.line_of(location), _dotted(location), message))
    return problems


def _shown(value: object) -> str:
    """A value pydantic refused, as a problem quotes it: a number in plain digits."""
    return plain(value) if isinstance(value, Decimal) else repr(value)


def problems_from(exc: ValidationError, name: str, lines: dict[Location, int],
                  model: type[BaseModel]) -> list[CardProblem]:
    """The problems of a file validated against ``model``, each with ``file:line``."""
    return _problems_from(exc, name, lines, model)


def _known_keys(model: type[BaseModel] = RateCard) -> list[str]:
    """Every key ``model`` (and the models in it) accepts, for did-you-mean hints."""
    keys: set[str] = set()
    pending: list[type[BaseModel]] = [model]
    seen: set[type[BaseModel]] = set()
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        keys.update(model.model_fields)
        for field in model.model_fields.values():
            for arg in _flatten(field.annotation):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    pending.append(arg)
    return sorted(keys)


def _flatten(annotation: object) -> list[object]:
    args = getattr(annotation, "__args__", None)
    if not args:
        return [annotation]
    return [item for arg in args for item in _flatten(arg)]


def _clean_location(loc: tuple[int | str, ...]) -> Location:
    """Drop pydantic's union branch names so the location is a path in the YAML."""
    cleaned: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and (
            part in {"decimal", "dict[str,dict[literal['off','on'],decimal]]"}
            or part.startswith(("function-", "dict[", "constrained-"))
            or "[" in part
        ):
            continue
        cleaned.append(part)
    return tuple(cleaned)


def duplicate_providers(cards: Iterable[LoadedCard]) -> list[CardProblem]:
    """A problem for each card whose provider an earlier card already has (the same file
    given twice included): one file per provider, naming both files."""
    first: dict[str, Path] = {}
    problems = []
    for item in cards:
        provider = item.card.provider
        if provider in first:
            problems.append(CardProblem(
                str(item.path), item.line_of(("provider",)), "provider",
                f"provider {provider!r} is already defined in {first[provider]}; give each "
                "provider one file"))
        else:
            first[provider] = item.path
    return problems


def read_cards(paths: Iterable[Path | tuple[Path, bytes | None]]) -> list[LoadedCard]:
    """Read several card files (or ``(path, bytes already read)``), collecting every
    file's problems before raising."""
    loaded: list[LoadedCard] = []
    problems: list[CardProblem] = []
    for item in paths:
        path, data = item if isinstance(item, tuple) else (item, None)
        try:
            loaded.append(read_card(path, data))
        except CardError as exc:
            problems.extend(exc.problems)
    if problems:
        raise CardError(problems)
    return loaded
