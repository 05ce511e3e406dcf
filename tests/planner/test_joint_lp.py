"""The joint bound's LP, solved to the end (``oracle.joint_lp``): the counted steps never pass it,
its duals give the relaxation its value, and on the tiny regency it lies below the optimum."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from pamtps.planner.bound import polish
from pamtps.planner.solve import plan
from pamtps.planner.staffing import tps_strength
from pamtps.planner.stop import StopCriteria
from pamtps.planner.travel import travel_for
from pamtps.planner.validation import validate
from tests.planner.oracle.generated import generated
from tests.planner.oracle.joint_lp import joint_lp, relaxation_of
from tests.planner.test_bound import _formations, _objective
from tests.planner.tiny import tiny_scenario

DUALS = 1e-5  # relative: the relaxation at the LP's duals below the LP (HiGHS tolerances, and
# what the relaxation takes off for its single-precision ground, ``bound.SINGLE_ERROR``)


@pytest.mark.parametrize("price", [0, 30, 120, 400])
def test_tiny_lp_lies_between_the_bound_and_the_optimum(price):
    """Every post formation of the tiny regency enumerated and staffed exactly: the LP of the
    bound's model is at most that optimum, at least the bound the steps reached, and the
    relaxation at the LP's duals (the dual prices read off HiGHS with their signs) reaches it."""
    scenario = tiny_scenario(staffing={"outside_sector_minutes": price})
    result = plan(scenario)
    own, _ = tps_strength(scenario, travel_for(scenario))
    optimum = min(_objective(scenario, f, own) for f in _formations(scenario, result.posts))
    found = joint_lp(relaxation_of(scenario, result))
    assert found is not None and result.quality.lower_bound is not None
    assert result.quality.lower_bound <= found.value + 1e-6
    assert found.value - found.slack <= optimum + 1e-6  # the plan's minutes are rounded
    assert found.dual_bound <= found.value + 1e-6
    assert found.dual_bound >= found.value * (1 - DUALS) - found.slack - 1e-6


@pytest.mark.parametrize("rawan_tps", [1, 2])
def test_generated_bound_is_at_most_the_lp_and_the_duals_reach_it(rawan_tps):
    """A generated instance of many sectors (rawan posts of one TPS, and of two that may hold a
    kurang rawan TPS): the planner's bound is at most the LP of its model, which is at most the
    plan; the relaxation at the LP's duals reaches the LP."""
    scenario = generated(5, rawan_tps=rawan_tps)
    result = plan(scenario)
    found = joint_lp(relaxation_of(scenario, result))
    assert found is not None and result.quality.lower_bound is not None
    assert result.quality.lower_bound <= found.value + 1e-6
    assert found.value - found.slack <= result.quality.objective + 1e-6
    assert found.dual_bound <= found.value + 1e-6
    assert found.dual_bound >= found.value * (1 - DUALS) - found.slack - 1e-6


def test_the_bound_finished_by_its_lp_reaches_the_oracle_lp():
    """Where the plan's gap is above ``lp_above_gap`` (here any gap; by default 2 %), the
    planner finishes its bound by column generation (``master.finish``): the bound then reaches
    the LP that the oracle solves whole with every column, stays at most that LP, and comes out
    the same on a second run. The posts the LP opens are tried too (``solve.relaxed_plan``): the
    plan is never dearer than without the LP, and keeps every rule."""
    scenario = generated(5, rawan_tps=2)
    result = plan(scenario, stop=StopCriteria(lp_above_gap=0.0))
    steps_only = plan(scenario, stop=StopCriteria(lp_above_gap=1.0))
    found = joint_lp(relaxation_of(scenario, result))
    bound = result.quality.lower_bound
    assert found is not None and bound is not None and steps_only.quality.lower_bound is not None
    assert result.quality.stages["bound"]["lp_optimal"] is True
    assert steps_only.quality.stages["bound"]["lp_rounds"] == 0
    assert result.quality.objective < steps_only.quality.objective  # the LP's posts pay here
    assert result.quality.stages["posts"]["formed_from"] == "lp"
    assert steps_only.quality.stages["posts"]["formed_from"] == "relaxation"
    assert [r.rule for r in validate(result, scenario) if not r.ok] == []
    assert bound <= found.value + 1e-6
    assert bound >= found.dual_bound * (1 - DUALS) - 1e-6
    assert bound >= steps_only.quality.lower_bound
    again = plan(scenario, stop=StopCriteria(lp_above_gap=0.0))
    assert again.quality.lower_bound == bound  # counted rounds and iterations, one thread


def test_polished_coverage_prices_raise_the_relaxation_and_stay_below_its_lp():
    """With the seat prices held, the coverage prices are polished sector by sector
    (``bound.polish``): from the plain start the relaxation rises, never above the LP of its
    model, the seat prices stay as they were, and the sectors are the cells that share TPS."""
    scenario = generated(5, rawan_tps=2)
    relaxation = relaxation_of(scenario, plan(scenario))
    start = relaxation.start(())
    polished, steps = polish(relaxation, start, StopCriteria().clock())
    before, after = relaxation.evaluate(*start)[0], relaxation.evaluate(*polished)[0]
    found = joint_lp(relaxation)
    assert found is not None and steps > 0
    assert before < after <= found.value + 1e-6
    assert all(np.array_equal(held, kept) for held, kept in zip(start[1:], polished[1:]))
    cells = sorted(c for sector in relaxation.sectors for c in sector)
    assert cells == list(range(len(relaxation.cells)))
    sector_of = {c: s for s, sector in enumerate(relaxation.sectors) for c in sector}
    for a, b in itertools.combinations(range(len(relaxation.cells)), 2):
        if set(relaxation.cells[a].columns) & set(relaxation.cells[b].columns):
            assert sector_of[a] == sector_of[b]
    assert len(relaxation.sectors) > 1
