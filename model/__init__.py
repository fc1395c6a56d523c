"""minsheng's simulation model: synthetic households, measures, providers. No front ends here.

`load_scenario` and `Scenario` need only the loader (pydantic, PyYAML, numpy); `run_scenario`,
`MinshengModel` and `Results` import the model itself (Mesa, pandas, scipy) when first used, so
`minsheng validate` and `minsheng --help` start quickly.
"""

from model.scenario import Scenario, ScenarioError, load_scenario

__all__ = ["MinshengModel", "Results", "Scenario", "ScenarioError", "load_scenario", "run_scenario"]
_FROM_CORE = {"MinshengModel", "Results", "run_scenario"}


def __getattr__(name: str):
    """`model.run_scenario` and the like, imported from model.core on first use."""
    if name in _FROM_CORE:
        from model import core

        return getattr(core, name)
    raise AttributeError(f"module 'model' has no attribute {name!r}")
