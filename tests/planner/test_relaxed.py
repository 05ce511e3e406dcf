"""Posts read off the bound (``relaxed``) on a regency where the first plan breaks a rule.

Ogan Komering Ilir (16.02), planned as ``pamtps plan --regency 16.02`` plans it: its first
posts, staffed, break the home-sector rule, and so does the cheapest of the relaxed candidates.
The planner ranks the candidates that keep the rule first, so the plan keeps every rule.
"""

from __future__ import annotations

import pytest

from pamtps.domain.plan import Scenario
from pamtps.io.operation_file import bundled_operation, load_operation
from pamtps.planner.classify import classify
from pamtps.planner.posts import build_posts
from pamtps.planner.solve import _home_rule_holds, plan
from pamtps.planner.staffing import staff, tps_strength
from pamtps.planner.travel import travel_for
from pamtps.planner.validation import validate
from pamtps.scenarios import ScenarioSource, build_scenario

OKI = "16.02"


@pytest.fixture(scope="module")
def oki() -> Scenario:
    operation = load_operation(bundled_operation("default")).replace(regency=OKI)
    return build_scenario(ScenarioSource("bundled", OKI), operation, None)


def test_the_first_posts_of_oki_break_the_home_sector_rule(oki):
    """The case the ranking is for: staffed as they are grouped, the first posts send Polsek
    officers out of their sector where their own seats are held by others."""
    travel = travel_for(oki)
    classes, _ = classify(oki, travel=travel)
    own, lent = tps_strength(oki, travel)
    first = build_posts(oki, classes, travel, own + lent)
    staffed = staff(oki, first.posts, travel, own_on_tps=own)
    assert not _home_rule_holds(oki, first.posts, staffed)


def test_oki_plan_from_the_relaxed_posts_keeps_every_rule(oki):
    """The plan taken from the relaxed posts keeps every rule, the home-sector rule too."""
    result = plan(oki)
    broken = [r.rule for r in validate(result, oki) if not r.ok]
    assert broken == []
    assert result.quality.lower_bound is not None
    assert result.quality.lower_bound <= result.quality.objective
