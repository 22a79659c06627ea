"""Simulated department systems and the province scenario they publish (see ``generator``)."""

from scenarios.builder import Submission
from scenarios.expectation import Expectation, differences, observed
from scenarios.generator import Phase, Scenario, build_scenario

__all__ = [
    "Expectation",
    "Phase",
    "Scenario",
    "Submission",
    "build_scenario",
    "differences",
    "observed",
]
