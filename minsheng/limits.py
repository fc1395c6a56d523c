"""Limits of what one command may ask for, light to import (the command line's parser uses them)."""

MAX_RUNS = 10_000  # runs one experiment may imply (`--max-runs` raises it)

# households one run may simulate from the command line: above 5 million the run must also fit
# in this machine's available memory (peak measured with `make bench`: 1,173 MiB at 1M
# households, December 2026; MIB_PER_MILLION_HOUSEHOLDS adds about 10% to that)
MAX_HOUSEHOLDS = 10_000_000
MIB_PER_MILLION_HOUSEHOLDS = 1_300


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
    return households / 1e6 * MIB_PER_MILLION_HOUSEHOLDS
