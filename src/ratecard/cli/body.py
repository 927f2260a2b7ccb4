"""Reading a native request body named on the command line (``--payload FILE`` or ``-``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ratecard.cli.options import BadInputError
from ratecard.codes import PRICING_NEEDS
from ratecard.payloads.dialects.reader import load_json
from ratecard.payloads.violations import PayloadError


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
    """The parsed JSON body of ``--payload`` (numbers as Decimal); bad JSON exits 2.

    A file holding one JSON string is given back as its text: the library reads a string
    as JSON text, so the parsed string would be read a second time (and a body inside it
    priced); read once, it is a string, not an object, and refused."""
    text = read_body(name)
    body, problem = load_json(text)
    if problem is not None:
        raise BadInputError(problem.code, f"{'standard input' if name == '-' else name}: "
                            f"{problem.message}", "payload")
    return text if isinstance(body, str) else body


def report_refused(provider: str, body: Any, exc: PayloadError) -> int:
    """Print why ``provider`` would not take ``body`` (one problem a line) and what
    ratecard needs to price it; returns exit status 2."""
    refused = [v for v in exc.violations if v.code not in PRICING_NEEDS]
    needed = [v for v in exc.violations if v.code in PRICING_NEEDS]
    if refused:
        print(f"ratecard: error: {provider} would not accept this body "
              f"({len(refused)} problem{'s' if len(refused) > 1 else ''}):", file=sys.stderr)
        for violation in refused:
            print(f"  {violation}", file=sys.stderr)
    if needed:
        model = body.get("model") or body.get("type") if isinstance(body, dict) else None
        what = f"{provider}/{model}" if isinstance(model, str) else provider
        print(f"ratecard: error: ratecard needs the input video's length to price this "
              f"body: {what} bills an edit by it and the body does not say it; give "
              "--input-seconds S (or --video-info seconds=S) (MISSING_VIDEO_LENGTH)",
              file=sys.stderr)
    return 2
