"""`python -m core` runs the `hardship` command line."""

import sys

from core.cli import main

sys.exit(main())
