"""The Parquet footer reader (:mod:`ratecard.batch.parquet_footer`) on footers that are not
well formed: a damaged or hostile file is never a crash, a hang or a memory blow-up; the
file is then left to the engine, which says what is wrong with it."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from ratecard.batch.parquet_footer import _footer, _Reader, millis_beyond


def _with_footer(path: Path, footer: bytes) -> Path:
    """A file that ends like a Parquet file whose footer is ``footer``."""
    path.write_bytes(b"PAR1" + b"\0" * 16 + footer + struct.pack("<I", len(footer)) + b"PAR1")
    return path


def _varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    return bytes([*out, value])


# field 1 of the file metadata, a list of a million doubles (type 7), and no bytes for them
MILLION_DOUBLES = bytes([0x19, 0xF7]) + _varint(1_000_000)
# field 1, a binary value (type 8) of 2**40 bytes that are not there
HUGE_BINARY = bytes([0x18]) + _varint(1 << 40)
# field 1, a struct (type 12) holding field 1, a struct... 100,000 deep
DEEP = bytes([0x1C]) * 100_000


@pytest.mark.parametrize("footer", [MILLION_DOUBLES, HUGE_BINARY],
                         ids=["list-longer-than-footer", "binary-past-the-end"])
def test_a_value_claiming_more_than_the_footer_holds_is_refused(footer: bytes) -> None:
    """A list once took its claimed length on trust: a million doubles read as a million
    empty values, 2**60 as a hang."""
    with pytest.raises(ValueError, match="footer"):
        _Reader(footer).struct()


def test_a_footer_nested_past_any_real_one_is_not_read(tmp_path: Path) -> None:
    """Structs nested 100,000 deep were a RecursionError out of reconcile."""
    path = _with_footer(tmp_path / "deep.parquet", DEEP)
    assert _footer(path) is None
    assert millis_beyond(path) == []
