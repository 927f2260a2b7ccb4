"""``python -m ratecard``: the same command line as the ``ratecard`` script."""

import sys

from ratecard.cli import main

if __name__ == "__main__":
    sys.exit(main())
