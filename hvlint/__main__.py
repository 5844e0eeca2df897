"""`python -m hvlint`."""

import os
import sys

if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]  # the current directory is data to check, not a place to import modules from

from hvlint.cli import run

run()
