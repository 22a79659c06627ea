"""Simulated department systems and the province scenario they publish (see ``generator``)."""

from thidua.scenario.expectation import Expectation, differences, observed
from thidua.scenario.generator import Phase, Scenario, Submission, build_scenario

__all__ = [
    "Expectation",
    "Phase",
    "Scenario",
    "Submission",
    "build_scenario",
    "differences",
    "observed",
]
