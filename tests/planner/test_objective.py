"""The objective recomputed from a plan's posts and assignments matches the planner's, and a plan
whose objective does not match what it contains fails the check."""

from __future__ import annotations

import copy
from dataclasses import replace

from pamtps.domain import Availability
from pamtps.domain.plan import Duty, Plan, Scenario
from pamtps.planner import check_objective, plan, replan
from pamtps.planner.objective import objective_terms, tolerance


def _edited(plan_: Plan, objective: float) -> Plan:
    edited = copy.deepcopy(plan_)
    edited.quality = replace(edited.quality, objective=objective)
    return edited


def test_the_planners_oku_objective_is_the_one_recomputed_from_its_plan(oku, oku_plan):
    """Ground, seats and home-sector price summed again give the reported objective, to within
    what rounding each seat to 0.01 min can explain; each term matches the stage that made it."""
    terms = objective_terms(oku_plan, oku)
    stages = oku_plan.quality.stages
    assert abs(terms.total - oku_plan.quality.objective) <= tolerance(terms)
    assert abs(terms.ground - stages["posts"]["objective"]) < 0.01
    assert abs(terms.seats - stages["staffing"]["seat_travel_min"]) <= tolerance(terms)
    assert terms.price == stages["staffing"]["home_sector_price_min"]
    assert check_objective(oku_plan, oku).ok


def test_an_objective_edited_by_one_percent_fails_and_names_both_values(oku, oku_plan):
    """Lowered by 1 %, the reported objective no longer matches: the check names both values."""
    reported = round(oku_plan.quality.objective * 0.99, 2)
    result = check_objective(_edited(oku_plan, reported), oku)
    assert not result.ok
    assert f"reported objective {reported:,.2f}" in result.violations[0]
    recomputed = objective_terms(oku_plan, oku).total
    assert f"recomputed {recomputed:,.2f}" in result.violations[0]


def test_an_objective_edited_beyond_the_rounding_tolerance_fails(oku, oku_plan):
    """Three minutes more than the rounding can explain is caught; less is not a mismatch."""
    terms = objective_terms(oku_plan, oku)
    assert not check_objective(_edited(oku_plan, terms.total + tolerance(terms) + 3), oku).ok
    assert check_objective(_edited(oku_plan, terms.total + tolerance(terms) / 2), oku).ok


def test_a_post_base_moved_without_a_new_objective_fails(oku, oku_plan):
    """Moving one post's base 2 km away changes the ground and its team's travel."""
    moved = copy.deepcopy(oku_plan)
    post = moved.posts[0]
    post.lat += 0.02
    result = check_objective(moved, oku)
    assert not result.ok and result.rule == "objective_recomputed"


def test_a_polsek_officer_swapped_out_of_his_sector_pays_the_price_twice(oku, oku_plan):
    """A Polsek officer at home swaps seats with a Polres officer of another sector: the price
    goes from 120 to 360 (his seat and the other seat given away, and he is outside)."""
    from pamtps.planner.policy import home_sector

    swapped = copy.deepcopy(oku_plan)
    posts = swapped.post_by_id()
    officers = {o.nrp: o for o in oku.dataset.personnel}
    seats = [a for a in swapped.assignments if a.duty is Duty.POST]
    home = {a.nrp: home_sector(oku.dataset, officers[a.nrp]) for a in seats}
    first = next(a for a in seats if home[a.nrp] == posts[a.target].sector)
    other = next(
        a
        for a in seats
        if home[a.nrp] is None
        and officers[a.nrp].origin.is_local
        and posts[a.target].sector not in (posts[first.target].sector,)
        and posts[a.target].sector.startswith("polsek.")
    )
    first.target, other.target = other.target, first.target
    before, after = objective_terms(oku_plan, oku), objective_terms(swapped, oku)
    assert after.price - before.price == 240.0
    assert not check_objective(swapped, oku).ok


def test_a_replan_counts_its_seats_and_price_only(tiny: Scenario):
    """A re-plan reports its staffing's objective; the check follows its stages and passes."""
    first = plan(tiny)
    assert check_objective(first, tiny).ok
    leader = next(a for a in first.assignments if a.duty is Duty.POST and a.leader)
    sick = [
        replace(o, availability=Availability.SICK) if o.nrp == leader.nrp else o
        for o in tiny.dataset.personnel
    ]
    after = Scenario(replace(tiny.dataset, personnel=sick), tiny.operation)
    second, _ = replan(first, after)
    terms = objective_terms(second, after)
    assert not terms.counts_ground
    assert check_objective(second, after).ok
    assert not check_objective(_edited(second, second.quality.objective + 5), after).ok
