"""The ``ratecard`` command line: a thin front over the public API.

One module per subcommand (its parser and its ``run``), shared options in
:mod:`~ratecard.cli.options`, shared output in :mod:`~ratecard.cli.output`, and the
dispatch table in :mod:`~ratecard.cli.app`.

Exit status: 0 on success; 1 for a negative answer (``check`` finds violations, ``lint``
an invalid card, ``compare`` or ``route`` nothing that can serve, ``reconcile``
discrepancies); 2 for bad input (one line on stderr naming the flag and what to fix);
130 after Ctrl-C.
"""

from ratecard.cli.app import build_parser, main

__all__ = ["build_parser", "main"]
