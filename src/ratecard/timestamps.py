"""The timestamps an invoice line or a task record may carry, one grammar for every engine.

A line's ``timestamp`` is Unix seconds (ASCII digits, 9 to 12 of them after any leading
zeros: from 100000000, 1973-03-03) or an ISO 8601 calendar date in the extended form,
optionally followed by a time: ``YYYY-MM-DD``, then ``T`` or a space and
``HH:MM[:SS[.fraction]]``, then ``Z``, ``+HH``, ``+HHMM`` or ``+HH:MM`` (naive is UTC).
Other ISO 8601 forms (week dates, the basic form ``20261101``, an hour alone) are
refused by every engine alike, never read by one and refused by another. A shorter
number is refused too: ``20261101`` is a compact date far more often than the Unix time
1970-08-24, and no video was generated before 1973; which one was meant is not guessed.

>>> bool(ISO_FORM.fullmatch("2026-11-01T10:00:00.5+05:30")), bool(ISO_FORM.fullmatch("2026-W44-7"))
(True, False)
>>> bool(UNIX_FORM.fullmatch("1757169743")), bool(UNIX_FORM.fullmatch("20261101"))
(True, False)
"""

from __future__ import annotations

import re
from typing import Final

UNIX: Final = "0{0,20}[1-9][0-9]{8,11}"
"""Unix seconds: ASCII digits, from 100000000 (1973-03-03) to 12 digits."""
UNIX_FORM: Final = re.compile(UNIX)
""":data:`UNIX` compiled (use ``fullmatch``)."""
ISO: Final = ("[0-9]{4}-[0-9]{2}-[0-9]{2}"
              "([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?")
"""The ISO 8601 forms read: a date, optionally ``T`` or a space and
``HH:MM[:SS[.fraction]]`` with ``Z``, ``+HH``, ``+HHMM`` or ``+HH:MM``."""
ISO_FORM: Final = re.compile(ISO)
""":data:`ISO` compiled (use ``fullmatch``)."""
