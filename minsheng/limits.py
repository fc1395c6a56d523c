"""Limits of what one command may ask for, light to import (the command line's parser uses them)."""

MAX_RUNS = 10_000  # runs one experiment may imply (`--max-runs` raises it)
