"""minsheng's front ends: the command line, result files, calibration, batch experiments."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("minsheng")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"
