"""The deployment planner: Scenario in, Plan out (``pamtps.domain.plan`` holds both types).

Its public entry points, the only names other packages import from it (the import-rule test
in tests/test_architecture.py enforces this):

- ``plan(scenario)``: classify TPS, form posts, staff them, hold the reserve (``solve``);
- ``replan(previous, scenario)``: re-plan after changes, keeping what still holds;
- ``validate(plan, scenario)``: check every planning rule, without any solver;
- ``summary``, ``explain_tps``, ``explain_officer``: a plan's figures and reasons;
- ``travel_for(scenario)`` and ``place_of(dataset, code)``: the travel-time model a plan is made
  with, so that a dispatch's ETA on election day is estimated the same way.
"""

from pamtps.planner.policy import place_of
from pamtps.planner.replan import PlanDiff, replan
from pamtps.planner.solve import plan, summary
from pamtps.planner.travel import Point, TravelModel, travel_for
from pamtps.planner.validate import explain_officer, explain_tps, validate

__all__ = [
    "PlanDiff",
    "Point",
    "TravelModel",
    "explain_officer",
    "explain_tps",
    "place_of",
    "plan",
    "replan",
    "summary",
    "travel_for",
    "validate",
]
