"""Read rate card files: YAML to validated :class:`~ratecard.cards.schema.RateCard` models.

YAML is read with YAML 1.2 scalars: floats become :class:`~decimal.Decimal`, and only
``true``/``false`` are booleans (``on``/``off``/``yes``/``no`` stay strings). Every
error names the file, the line, the key and what was expected.

>>> card = read_card(builtin_dir() / "evolink.yaml").card
>>> card.provider, card.credit_values[0].credits_per_usd
('evolink', Decimal('72'))
"""

from __future__ import annotations

import re
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
from ratecard.errors import CardError, CardProblem, close_matches, did_you_mean

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
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        value = Decimal(text)
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite():
        raise yaml.constructor.ConstructorError(
            None, None, f"{text!r} is not a finite number", node.start_mark)
    return value


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


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
    try:
        if data is None:
            data = path.read_bytes()
        text = data.decode("utf-8")
    except OSError as exc:
        problem = CardProblem(str(path), None, None, f"cannot read: {exc.strerror}")
        raise CardError([problem]) from None
    except UnicodeDecodeError as exc:
        raise CardError([CardProblem(str(path), None, None, f"not UTF-8 text: {exc}")]) from None
    return parse_card(text, str(path))


def parse_card(text: str, name: str) -> LoadedCard:
    """Validate rate card YAML ``text``; ``name`` is used in error messages."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise CardError([CardProblem(name, line, None, f"invalid YAML: {exc.problem}")]) from None
    if node is None:
        raise CardError([CardProblem(name, 1, None, "the file is empty")])
    lines: dict[Location, int] = {}
    problems: list[CardProblem] = []
    try:
        data = _to_python(loader, node, (), lines, problems, name)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise CardError([CardProblem(name, line, None, f"invalid value: {exc.problem}")]) from None
    finally:
        loader.dispose()
    if problems:
        raise CardError(problems)
    if not isinstance(data, dict):
        raise CardError([CardProblem(name, node.start_mark.line + 1, None,
                                     "a rate card must be a mapping of keys")])
    try:
        card = RateCard.model_validate(data)
    except ValidationError as exc:
        raise CardError(_problems_from(exc, name, lines)) from None
    return LoadedCard(card=card, path=Path(name), lines=lines)


def _to_python(
    loader: Any,
    node: yaml.Node,
    location: Location,
    lines: dict[Location, int],
    problems: list[CardProblem],
    name: str,
) -> Any:
    """Construct plain Python values from a YAML node tree, recording lines."""
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
            result[key] = _to_python(loader, value_node, (*location, key), lines, problems, name)
            lines[(*location, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(loader, item, (*location, index), lines, problems, name)
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
    exc: ValidationError, name: str, lines: dict[Location, int]
) -> list[CardProblem]:
    loaded = LoadedCard(card=None, path=Path(name), lines=lines)  # type: ignore[arg-type]
    problems = []
    for error in exc.errors(include_url=False):
        location = _clean_location(error["loc"])
        message = _EXPECTED.get(error["type"], error["msg"])
        if error["type"] == "extra_forbidden" and location:
            close = close_matches(str(location[-1]), _known_keys(), most=2, cutoff=0.7)
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
        ):
            message = f"{message} (got {error['input']!r})"
        problems.append(CardProblem(name, loaded.line_of(location), _dotted(location), message))
    return problems


def _known_keys() -> list[str]:
    """Every key the rate card models accept, for did-you-mean hints."""
    keys: set[str] = set()
    pending: list[type[BaseModel]] = [RateCard]
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
