"""minsheng's simulation model: synthetic households, measures, providers. No front ends here.

Every name is imported when first used: `load_scenario` and `Scenario` bring the loader
(pydantic, PyYAML, numpy); `run_scenario`, `MinshengModel` and `Results` the model itself (Mesa,
pandas, scipy), so `minsheng --help` imports none of them and `minsheng validate` only the
loader.
"""

__all__ = ["MinshengModel", "Results", "Scenario", "ScenarioError", "load_scenario", "run_scenario"]
_FROM = {
    "MinshengModel": "model.core",
    "Results": "model.core",
    "run_scenario": "model.core",
    "Scenario": "model.scenario",
    "load_scenario": "model.scenario",
    "ScenarioError": "model.problems",
}


def __getattr__(name: str):
    """`model.run_scenario`, `model.load_scenario` and the like, imported on first use: a
    submodule such as `model.problems` then loads without the loader or the model."""
    if name in _FROM:
        import importlib

        return getattr(importlib.import_module(_FROM[name]), name)
    raise AttributeError(f"module 'model' has no attribute {name!r}")
