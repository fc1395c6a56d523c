"""minsheng's front ends: the command line, result files, calibration, batch experiments."""


def __getattr__(name: str):
    """`minsheng.__version__`, read from the installed package's metadata when first asked for
    (importlib.metadata costs a tenth of a second that `minsheng --help` does without)."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("minsheng")
        except PackageNotFoundError:  # running from a checkout that was never installed
            return "0.0.0+unknown"
    raise AttributeError(f"module 'minsheng' has no attribute {name!r}")
