"""The timestamps an invoice line may carry, one grammar for every engine.

A line's ``timestamp`` is Unix seconds (ASCII digits) or an ISO 8601 calendar date in
the extended form, optionally followed by a time: ``YYYY-MM-DD``, then ``T`` or a space
and ``HH:MM[:SS[.fraction]]``, then ``Z``, ``+HH``, ``+HHMM`` or ``+HH:MM`` (naive is UTC).
Other ISO 8601 forms (week dates, the basic form ``20261101``, an hour alone) are
refused by every engine alike, never read by one and refused by another.

>>> bool(ISO_FORM.fullmatch("2026-11-01T10:00:00.5+05:30")), bool(ISO_FORM.fullmatch("2026-W44-7"))
(True, False)
"""

from __future__ import annotations

import re
from typing import Final

UNIX: Final = "0{0,20}[0-9]{1,12}"
"""Unix seconds: ASCII digits."""
ISO: Final = ("[0-9]{4}-[0-9]{2}-[0-9]{2}"
              "([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?")
"""The ISO 8601 forms read: a date, optionally ``T`` or a space and
``HH:MM[:SS[.fraction]]`` with ``Z``, ``+HH``, ``+HHMM`` or ``+HH:MM``."""
ISO_FORM: Final = re.compile(ISO)
""":data:`ISO` compiled (use ``fullmatch``)."""
