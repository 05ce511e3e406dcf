"""plan() orchestrates the stages into a Plan that meets every rule and carries its quality."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from pamtps.domain.plan import Plan
from pamtps.planner.solve import plan, status_of, summary
from pamtps.planner.stop import CONVERGED, ITERATIONS, WALL_CLOCK, StopCriteria
from pamtps.planner.validation import validate
from tests.planner.tiny import OFFICERS, tiny_scenario


def _timeless(data: dict[str, Any]) -> dict[str, Any]:
    """A plan's dict without wall-clock seconds, the one thing a rerun may change."""
    if isinstance(data, dict):
        return {k: _timeless(v) for k, v in data.items() if k != "seconds"}
    return data


def test_oku_plan_reproduces_the_reported_operation(oku, oku_plan):
    """All 1,225 TPS covered, 20 rawan TPS with 2 each, 418 Polres + 59 BKO on TPS,
    80 Brimob and 30 TNI in reserve."""
    numbers = summary(oku_plan, oku)
    assert (numbers["tps"], numbers["tps_covered"]) == (1225, 1225)
    assert numbers["tps_by_class"]["rawan"] == numbers["rawan_tps"] == 20
    assert numbers["min_officers_at_rawan_tps"] >= 2
    assert numbers["officers_on_tps_by_origin"] == {
        "polres": 418,
        "bko_polri": 59,
        "brimob": 0,
        "tni": 0,
    }
    assert numbers["reserve"]["brimob"] == 80 and numbers["reserve"]["tni"] == 30


def test_oku_plan_meets_every_rule(oku, oku_plan):
    """The validator finds no broken rule in the OKU plan."""
    results = validate(oku_plan, oku)
    assert [str(r) for r in results if not r.ok] == []
    assert summary(oku_plan, oku)["rules_passed"] == len(results)


def test_oku_plan_carries_an_honest_quality(oku_plan):
    """Objective >= the valid lower bound (the higher of its two bounds; on OKU the joint
    one); the objective is the sum of its stages; staffing is exact for its posts; the first
    grouping's bound is named for the restricted problem it bounds, not taken for the plan's."""
    quality = oku_plan.quality
    stages = quality.stages
    assert set(stages) == {"classify", "posts", "staffing", "bound"}
    assert quality.lower_bound is not None and quality.objective >= quality.lower_bound
    posts, staffing, bound = stages["posts"], stages["staffing"], stages["bound"]
    assert quality.objective == round(posts["objective"] + staffing["objective"], 2)
    assert quality.lower_bound <= max(bound["price_bound"], bound["joint_bound"])
    assert bound["joint_bound"] > bound["price_bound"]
    assert "lower_bound" not in posts and "not a bound on the plan" in posts["restricted_problem"]
    assert staffing["objective"] == staffing["lower_bound"] and staffing["status"] == "optimal"
    assert quality.status == status_of(quality.objective, quality.lower_bound, False)
    assert quality.seed == oku_plan.seed == 2024


def test_oku_plan_round_trips_through_a_dict(oku_plan):
    """Plan.from_dict(plan.to_dict()) gives the same plan back."""
    assert Plan.from_dict(oku_plan.to_dict()).to_dict() == oku_plan.to_dict()


def test_every_assignment_on_a_post_has_its_travel_time(oku_plan):
    """Officers on TPS posts carry the minutes from their base to the post."""
    travel = [a.travel_min for a in oku_plan.assignments if a.duty.value == "post"]
    assert len(travel) == 477 and all(m >= 0 for m in travel) and sum(travel) > 0


def test_same_scenario_and_seed_give_the_same_plan(tiny):
    """Two runs with the same seed give the same plan, to the last number (run time aside)."""
    first, second = plan(tiny, seed=11), plan(tiny, seed=11)
    assert _timeless(first.to_dict()) == _timeless(second.to_dict())
    assert first.seed == first.quality.seed == 11


def test_tiny_plan_meets_every_rule_within_a_hundredth_of_a_percent(tiny):
    """The tiny regency's plan passes the validator; its valid gap is under 0.01 %
    (test_bound checks it against the enumerated optimum)."""
    result = plan(tiny)
    assert [str(r) for r in validate(result, tiny) if not r.ok] == []
    assert result.quality.gap is not None and result.quality.gap < 1e-4


def test_requirement_mode_reports_needs_per_sector():
    """Requirement mode: 8 officers needed, 6 own (share 1/2), the 2 BKO on the roster cover
    the shortfall, nothing left to request."""
    scenario = tiny_scenario(mode="requirement")
    result = plan(scenario)
    need = result.requirement
    assert (need["needed"], need["own"], need["shortfall"], need["bko"]) == (8, 6, 2, 2)
    assert need["bko_to_request"] == 0 and result.shortages == []
    assert sum(row["needed"] for row in need["sectors"].values()) == 8
    assert all(r.ok for r in validate(result, scenario))


def test_requirement_mode_without_bko_says_how_many_to_request():
    """Without BKO on the roster, 2 must be requested and the short sectors say so."""
    scenario = tiny_scenario([o for o in OFFICERS if o.unit_code != "bko"], mode="requirement")
    result = plan(scenario)
    assert result.requirement["bko_to_request"] == 2
    assert sum(s.missing for s in result.shortages) == 2
    assert result.quality.status == "short"


def test_summary_has_the_stable_keys(tiny):
    """summary() names every headline number the shells print."""
    keys = {
        "tps",
        "tps_covered",
        "tps_by_class",
        "posts",
        "officers_on_tps",
        "officers_on_tps_by_origin",
        "reserve",
        "min_officers_at_rawan_tps",
        "objective",
        "lower_bound",
        "gap",
        "status",
        "seconds",
        "seed",
        "stopped_by",
        "rules_passed",
        "rules_total",
    }
    assert keys <= set(summary(plan(tiny), tiny))


def test_oku_plan_is_the_same_on_a_second_run_while_the_machine_is_loaded(oku, oku_plan):
    """Planning OKU again with the same seed, while two busy processes load every core, gives
    the identical plan: the searches stop on counts, never on the wall clock."""
    busy = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)
    ]
    try:
        again = plan(oku, seed=oku_plan.seed)
    finally:
        for process in busy:
            process.kill()
            process.wait()
    assert _timeless(again.to_dict()) == _timeless(oku_plan.to_dict())
    assert summary(again, oku)["stopped_by"] in (ITERATIONS, CONVERGED)


def test_a_wall_clock_that_cuts_in_is_recorded(tiny):
    """A safety net too short for the searches stops them, and the plan says so."""
    result = plan(tiny, time_limit=1e-9)
    assert summary(result, tiny)["stopped_by"] == WALL_CLOCK
    assert [str(r) for r in validate(result, tiny) if not r.ok] == []


def test_stop_criteria_refuse_nonsense():
    """Counted limits below one, or a safety net of no time, are refused."""
    with pytest.raises(ValueError, match="starts"):
        StopCriteria(starts=0)
    with pytest.raises(ValueError, match="wall_clock_s"):
        StopCriteria(wall_clock_s=0)
