"""Limits of what one command may ask for, light to import (the command line's parser uses them)."""

MAX_RUNS = 10_000  # runs one experiment may imply (`--max-runs` raises it)

# households one run may simulate from the command line: above 5 million the run must also fit
# in this machine's available memory. Peak memory of `minsheng run` (2024-2035, /usr/bin/time
# -v), 2026-12-03: 970-977 MiB at 1M households and 6.8-7.1 GiB (at most 7,237 MiB) at 10M, a
# line of about 280 MiB plus 700 MiB per million households; the estimate adds 10% to it
MAX_HOUSEHOLDS = 10_000_000
BASE_MIB = 280
MIB_PER_MILLION_HOUSEHOLDS = 700
MEMORY_MARGIN = 1.10


def available_mib() -> float | None:
    """Memory this machine can give a new process (MemAvailable, MiB); None where unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def memory_needed_mib(households: int) -> float:
    """Estimated peak memory of one run of `households` households (MiB)."""
    return MEMORY_MARGIN * (BASE_MIB + households / 1e6 * MIB_PER_MILLION_HOUSEHOLDS)


def households_that_fit(free_mib: float) -> int:
    """The most households whose estimated peak memory fits in `free_mib` MiB."""
    return max(int((free_mib / MEMORY_MARGIN - BASE_MIB) / MIB_PER_MILLION_HOUSEHOLDS * 1e6), 0)
