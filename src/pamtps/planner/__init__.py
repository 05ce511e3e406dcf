"""The deployment planner: Scenario in, Plan out (``pamtps.domain.plan`` holds both types).

Its public entry points, the only names other packages import from it (the import-rule test
in tests/test_architecture.py enforces this):

- ``plan(scenario)``: classify TPS, form posts, staff them, hold the reserve (``solve``), its
  searches stopped by the counted criteria of a ``StopCriteria`` (by default the bound is
  finished by its LP where the gap stays above ``LP_GAP``, 2 %; ``plan --no-lp-bound``: never);
- ``replan(previous, scenario)``: re-plan after changes, keeping what still holds;
- ``validate(plan, scenario)``: check every planning rule, without any solver;
- ``check_objective(plan, scenario)``: the reported objective against the one recomputed from
  the plan's posts and assignments with the travel model;
- ``summary``, ``explain_tps``, ``explain_officer``: a plan's figures and reasons;
- ``travel_for(scenario)`` and ``place_of(dataset, code)``: the travel-time model a plan is made
  with, so that a dispatch's ETA on election day is estimated the same way.

Each is loaded from its module on first use: the validator must run where the solvers' numpy
and scipy are not installed, so importing this package loads none of them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pamtps.planner.objective import check_objective
    from pamtps.planner.policy import place_of
    from pamtps.planner.replanning import PlanDiff, replan
    from pamtps.planner.solve import plan, summary
    from pamtps.planner.stop import LP_GAP, StopCriteria
    from pamtps.planner.travel import Point, TravelModel, travel_for
    from pamtps.planner.validation import explain_officer, explain_tps, validate

HOMES = {
    "PlanDiff": "replanning",
    "check_objective": "objective",
    "Point": "travel",
    "TravelModel": "travel",
    "explain_officer": "validation",
    "explain_tps": "validation",
    "place_of": "policy",
    "plan": "solve",
    "replan": "replanning",
    "StopCriteria": "stop",
    "LP_GAP": "stop",
    "summary": "solve",
    "travel_for": "travel",
    "validate": "validation",
}
"""Each public name and the module of this package that defines it."""

__all__ = [
    "LP_GAP",
    "PlanDiff",
    "Point",
    "StopCriteria",
    "TravelModel",
    "check_objective",
    "explain_officer",
    "explain_tps",
    "place_of",
    "plan",
    "replan",
    "summary",
    "travel_for",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name not in HOMES:
        raise AttributeError(f"module 'pamtps.planner' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"pamtps.planner.{HOMES[name]}"), name)
    globals()[name] = value  # the next lookup finds it without this function
    return value
