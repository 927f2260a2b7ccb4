"""Millisecond timestamps beyond the engines' range, read as the integers they are stored as.

A Parquet ``TIMESTAMP(MILLIS)`` column (Arrow's ``timestamp[ms]``, and ``timestamp[s]``,
which Parquet stores in milliseconds) holds 64-bit milliseconds: the years 292 million BC
to 292 million AD. DuckDB and Spark hold timestamps in 64-bit microseconds, to the year
294247, and convert each value as they read it: one value beyond that failed the whole
file (DuckDB: "Could not convert Timestamp(MS) to Timestamp(US)", Spark: "long
overflow"), and neither engine has a way to read such a column as its stored integers.

So the file's footer (its schema and statistics, Thrift compact protocol) is read here,
without reading any data: :func:`millis_beyond` names the top-level millisecond columns
whose statistics reach past :data:`LOWEST_MS`..:data:`HIGHEST_MS` (or that have no
statistics). For such a file, :func:`plain_copy` writes a copy whose footer declares those
columns plain INT64 (the data pages are the same bytes): every engine reads it, and the
rating query turns each value into its day, or an out-of-range value into an
INVALID_LINE of its own row (:func:`ratecard.batch.staging.range_error`).

>>> LOWEST_MS, HIGHEST_MS
(-9223372022400000, 9223372036854775)
"""

from __future__ import annotations

import shutil
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

LOWEST_MS = -9_223_372_022_400_000
"""The earliest millisecond DuckDB holds (290309 BC, December 22); Spark holds more."""
HIGHEST_MS = 9_223_372_036_854_775
"""The last millisecond DuckDB and Spark hold (294247 AD, January 10)."""

_MAGIC = b"PAR1"
_STOP, _TRUE, _FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY, _LIST, _SET, _MAP, \
    _STRUCT = range(13)
_INT64 = 2
"""``Type.INT64`` of the Parquet format."""
_TIMESTAMP_MILLIS = 9
"""``ConvertedType.TIMESTAMP_MILLIS``."""

Field = list[Any]
"""One field of a Thrift struct: ``[id, compact type, value]``."""


_DEPTH = 64
"""Deepest nesting of structs and collections read: a Parquet footer nests a few levels
(schema, logical type, timestamp unit); a deeper one is not read (a damaged or hostile
file), never a recursion error."""


class _Reader:
    """Thrift compact values from ``data``; anything past its end, a collection that
    claims more elements than bytes are left, or nesting past :data:`_DEPTH` is a
    ``ValueError`` (a footer is never trusted to be well formed)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0
        self.depth = 0

    def take(self, size: int) -> bytes:
        if size > len(self.data) - self.at:
            raise ValueError("a value past the footer's end")
        self.at += size
        return self.data[self.at - size:self.at]

    def count(self, size: int) -> int:
        if size > len(self.data) - self.at:  # every element takes a byte at least
            raise ValueError("a collection longer than the footer")
        return size

    def byte(self) -> int:
        value = self.data[self.at]
        self.at += 1
        return value

    def varint(self) -> int:
        shift = result = 0
        while True:
            byte = self.byte()
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result
            shift += 7
            if shift > 70:
                raise ValueError("a varint longer than 10 bytes")

    def zigzag(self) -> int:
        value = self.varint()
        return (value >> 1) ^ -(value & 1)

    def value(self, kind: int) -> Any:
        if kind in (_TRUE, _FALSE):  # in a collection, a byte of its own
            return self.byte()
        if kind == _BYTE:
            return self.byte()
        if kind in (_I16, _I32, _I64):
            return self.zigzag()
        if kind == _DOUBLE:
            return self.take(8)
        if kind == _BINARY:
            return self.take(self.varint())
        if kind in (_LIST, _SET):
            head = self.byte()
            size, element = head >> 4, head & 0x0F
            if size == 15:
                size = self.varint()
            size = self.count(size)
            return (element, [self.nested(element) for _ in range(size)])
        if kind == _MAP:
            size = self.count(self.varint())
            if not size:
                return (0, 0, [])
            types = self.byte()
            key, value = types >> 4, types & 0x0F
            return (key, value,
                    [(self.nested(key), self.nested(value)) for _ in range(size)])
        if kind == _STRUCT:
            return self.struct()
        raise ValueError(f"unknown Thrift compact type {kind}")

    def nested(self, kind: int) -> Any:
        """A value inside a collection, one level deeper."""
        self.depth += 1
        try:
            if self.depth > _DEPTH:
                raise ValueError("a footer nested too deep")
            return self.value(kind)
        finally:
            self.depth -= 1

    def struct(self) -> list[Field]:
        self.depth += 1
        try:
            if self.depth > _DEPTH:
                raise ValueError("a footer nested too deep")
            return self._fields()
        finally:
            self.depth -= 1

    def _fields(self) -> list[Field]:
        fields: list[Field] = []
        last = 0
        while True:
            head = self.byte()
            if head == _STOP:
                return fields
            delta, kind = head >> 4, head & 0x0F
            number = last + delta if delta else self.zigzag()
            value = kind == _TRUE if kind in (_TRUE, _FALSE) else self.value(kind)
            fields.append([number, kind, value])
            last = number


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        if value < 0x80:
            out.append(value)
            return bytes(out)
        out.append((value & 0x7F) | 0x80)
        value >>= 7


def _zigzag(value: int) -> bytes:
    return _varint((value << 1) ^ (value >> 63))


def _value(kind: int, value: Any) -> bytes:
    if kind in (_TRUE, _FALSE, _BYTE):
        return bytes([value])
    if kind in (_I16, _I32, _I64):
        return _zigzag(value)
    if kind == _DOUBLE:
        return bytes(value)
    if kind == _BINARY:
        return _varint(len(value)) + bytes(value)
    if kind in (_LIST, _SET):
        element, items = value
        head = bytes([len(items) << 4 | element]) if len(items) < 15 else \
            bytes([0xF0 | element]) + _varint(len(items))
        return head + b"".join(_value(element, item) for item in items)
    if kind == _MAP:
        key, val, pairs = value
        if not pairs:
            return b"\x00"
        return _varint(len(pairs)) + bytes([key << 4 | val]) + b"".join(
            _value(key, k) + _value(val, v) for k, v in pairs)
    if kind == _STRUCT:
        return _struct(value)
    raise ValueError(f"unknown Thrift compact type {kind}")  # pragma: no cover


def _struct(fields: Sequence[Field]) -> bytes:
    out = bytearray()
    last = 0
    for number, kind, value in fields:
        if kind in (_TRUE, _FALSE):
            kind = _TRUE if value else _FALSE
        delta = number - last
        out += bytes([delta << 4 | kind]) if 0 < delta <= 15 else \
            bytes([kind]) + _zigzag(number)
        if kind not in (_TRUE, _FALSE):
            out += _value(kind, value)
        last = number
    out.append(_STOP)
    return bytes(out)


def _field(fields: Sequence[Field], number: int) -> Any:
    return next((value for n, _, value in fields if n == number), None)


def _footer(path: str | Path) -> tuple[int, list[Field]] | None:
    """Where a Parquet file's footer starts, and the footer; ``None`` when the file is not
    a plain (unencrypted) Parquet file or its footer cannot be read."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            if size < 12:
                return None
            handle.seek(size - 8)
            tail = handle.read(8)
            if tail[4:] != _MAGIC:
                return None
            length = struct.unpack("<I", tail[:4])[0]
            if length > size - 12:
                return None
            start = size - 8 - length
            handle.seek(start)
            data = handle.read(length)
        return start, _Reader(data).struct()
    except (OSError, ValueError, IndexError):
        return None


def _top_level(schema: list[list[Field]]) -> list[tuple[int, list[Field]]]:
    """The root's children: ``(index in schema, element)``."""
    out = []
    index = 1
    for _ in range(_field(schema[0], 5) or 0):
        if index >= len(schema):
            break
        out.append((index, schema[index]))
        pending = _field(schema[index], 5) or 0
        index += 1
        while pending:  # skip a group's descendants
            pending += (_field(schema[index], 5) or 0) - 1
            index += 1
    return out


def _is_millis(element: list[Field]) -> bool:
    if _field(element, 1) != _INT64 or _field(element, 5):
        return False
    logical = _field(element, 10)
    if logical is not None:
        timestamp = _field(logical, 8)
        return timestamp is not None and _field(_field(timestamp, 2) or [], 1) is not None
    return bool(_field(element, 6) == _TIMESTAMP_MILLIS)


def _within(chunk_meta: list[Field]) -> bool:
    """Whether a column chunk's statistics say every value is within the engines' range."""
    stats = _field(chunk_meta, 12)
    if stats is None:
        return False
    low = _field(stats, 6) if _field(stats, 6) is not None else _field(stats, 2)
    high = _field(stats, 5) if _field(stats, 5) is not None else _field(stats, 1)
    if low is None or high is None:
        return bool(_field(stats, 3) == _field(chunk_meta, 5))  # all NULL
    if len(low) != 8 or len(high) != 8:
        return False
    lowest: int = struct.unpack("<q", low)[0]
    highest: int = struct.unpack("<q", high)[0]
    return lowest >= LOWEST_MS and highest <= HIGHEST_MS


def millis_beyond(path: str | Path) -> list[str]:
    """The top-level ``TIMESTAMP(MILLIS)`` columns of the Parquet file ``path`` that may
    hold a value the engines cannot (statistics past the range, or none); ``[]`` for a
    file whose footer is not read here (the engine then says what is wrong with it)."""
    found = _footer(path)
    if found is None:
        return []
    _, meta = found
    schema_field = _field(meta, 2)
    if not schema_field or not schema_field[1]:
        return []
    columns = {bytes(_field(element, 4) or b"").decode("utf-8", "replace"): index
               for index, element in _top_level(schema_field[1]) if _is_millis(element)}
    beyond = []
    groups: list[list[Field]] = (_field(meta, 4) or (0, []))[1]
    for name in columns:
        for group in groups:
            chunks: list[list[Field]] = (_field(group, 1) or (0, []))[1]
            chunk_meta = next((m for m in (_field(c, 3) for c in chunks) if m is not None
                               and [bytes(p).decode("utf-8", "replace")
                                    for p in (_field(m, 3) or (0, []))[1]] == [name]), None)
            if chunk_meta is None or not _within(chunk_meta):
                beyond.append(name)
                break
    return beyond


def plain_copy(path: str | Path, names: Sequence[str], target: Path) -> Path:
    """A copy of the Parquet file ``path`` at ``target`` whose footer declares the
    top-level columns ``names`` plain INT64 (their milliseconds), nothing else changed."""
    found = _footer(path)
    if found is None:  # pragma: no cover - millis_beyond read it
        raise ValueError(f"{path}: no Parquet footer")
    start, meta = found
    schema = _field(meta, 2)[1]
    wanted = set(names)
    for index, element in _top_level(schema):
        if bytes(_field(element, 4) or b"").decode("utf-8", "replace") in wanted:
            schema[index] = [f for f in element if f[0] not in (6, 10)]
    footer = _struct(meta)
    with open(path, "rb") as source, open(target, "wb") as out:
        remaining = start
        while remaining > 0:
            chunk = source.read(min(remaining, 1 << 22))
            if not chunk:
                break
            out.write(chunk)
            remaining -= len(chunk)
        out.write(footer + struct.pack("<I", len(footer)) + _MAGIC)
    shutil.copymode(path, target)
    return target
