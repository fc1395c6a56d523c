"""minsheng's simulation model: synthetic households, measures, providers. No front ends here."""

from model.core import MinshengModel, Results, run_scenario
from model.scenario import Scenario, ScenarioError, load_scenario

__all__ = ["MinshengModel", "Results", "Scenario", "ScenarioError", "load_scenario", "run_scenario"]
