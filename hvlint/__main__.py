"""`python -m hvlint`."""

import sys

from hvlint.cli import main

sys.exit(main())
