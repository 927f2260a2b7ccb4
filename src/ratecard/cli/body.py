"""Reading a native request body named on the command line (``--payload FILE`` or ``-``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ratecard.cli.options import BadInputError
from ratecard.payloads.dialects.reader import load_json


def read_body(name: str) -> str:
    """The text of ``--payload`` (``-``: standard input)."""
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError("INVALID_INPUT", f"cannot read --payload {name}: {exc}",
                            "payload") from None


def read_payload(name: str) -> Any:
    """The parsed JSON body of ``--payload`` (numbers as Decimal); bad JSON exits 2."""
    body, problem = load_json(read_body(name))
    if problem is not None:
        raise BadInputError(problem.code, f"{'standard input' if name == '-' else name}: "
                            f"{problem.message}", "payload")
    return body
