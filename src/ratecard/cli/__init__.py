"""The ``ratecard`` command line: a thin front over the public API.

One module per subcommand (its parser and its ``run``), shared options in
:mod:`~ratecard.cli.options`, shared output in :mod:`~ratecard.cli.output`, and the
dispatch table in :mod:`~ratecard.cli.app`.

Exit status: 0 on success, 1 when ``lint`` finds problems or ``check`` finds violations,
2 for bad input (with a message on stderr saying what to fix).
"""

from ratecard.cli.app import build_parser, main

__all__ = ["build_parser", "main"]
