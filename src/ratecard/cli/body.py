"""Reading a native request body named on the command line (``--payload FILE`` or ``-``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ratecard.cli.options import BadInputError
from ratecard.payloads.dialects.reader import load_json


def read_body(name: str) -> bytes | str:
    """The bytes of ``--payload`` (``-``: standard input), decoded by the JSON reader (bytes
    that are not UTF-8 are a violation there, not a traceback here). A standard input
    without bytes underneath (replaced by text) is read as text."""
    try:
        if name == "-":
            raw = getattr(sys.stdin, "buffer", None)
            return sys.stdin.read() if raw is None else raw.read()
        return Path(name).read_bytes()
    except OSError as exc:
        raise BadInputError("INVALID_INPUT", f"cannot read --payload {name}: {exc.strerror}",
                            "payload") from None


def read_payload(name: str) -> Any:
    """The parsed JSON body of ``--payload`` (numbers as Decimal); bad JSON exits 2."""
    body, problem = load_json(read_body(name))
    if problem is not None:
        raise BadInputError(problem.code, f"{'standard input' if name == '-' else name}: "
                            f"{problem.message}", "payload")
    return body
