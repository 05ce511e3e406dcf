"""The plan's lower bound holds for every plan the rules allow, checked against exact optima."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from pamtps.domain import VulnerabilityClass
from pamtps.domain.plan import Post, Scenario
from pamtps.planner.bound import price_bound
from pamtps.planner.classify import classify
from pamtps.planner.improve import best_base
from pamtps.planner.posts import build_posts
from pamtps.planner.solve import plan
from pamtps.planner.staffing import seat_pools, staff, tps_strength
from pamtps.planner.travel import travel_for
from pamtps.planner.validation import validate
from tests.planner.tiny import tiny_scenario

V = VulnerabilityClass


def _objective(scenario: Scenario, posts: list[Post], own: int) -> float:
    """The objective of the posts, exactly staffed: ground plus seats plus price."""
    travel = travel_for(scenario)
    by_code = {t.code: t for t in scenario.dataset.tps}
    ground = sum(
        float(travel.minutes(p.lat, p.lng, by_code[c].lat, by_code[c].lng)) for p in posts
        for c in p.tps
    )
    return ground + staff(scenario, posts, travel, own_on_tps=own).objective


def _formations(scenario: Scenario, posts: list[Post]) -> list[list[Post]]:
    """Every way to place the bases of the tiny plan's posts and to split its pairs of TPS
    (the seats, 8, allow no more posts than 4: the cells' fewest)."""
    by_code = {t.code: t for t in scenario.dataset.tps}
    choices = []
    for post in posts:
        choices.append([
            replace(post, lat=by_code[c].lat, lng=by_code[c].lng,
                    kecamatan=by_code[c].kecamatan_code)
            for c in post.tps
        ])
    return [list(option) for option in itertools.product(*choices)]


def test_tiny_bound_is_below_the_exact_optimum_and_the_plan_reaches_it(tiny):
    """On the tiny regency every post formation the seats allow is enumerated and staffed
    exactly: the bound is at most the best of them, and the planner finds that best."""
    result = plan(tiny)
    travel = travel_for(tiny)
    own, _ = tps_strength(tiny, travel)
    optimum = min(_objective(tiny, f, own) for f in _formations(tiny, result.posts))
    assert result.quality.lower_bound is not None
    assert result.quality.lower_bound <= optimum + 1e-6
    assert result.quality.objective == pytest.approx(optimum, abs=0.02)
    assert [str(r) for r in validate(result, tiny) if not r.ok] == []


def test_oku_price_bound_is_at_most_the_price_the_plan_pays(oku, oku_plan):
    """OKU: the least home-sector price any plan pays (every seat the Polsek cannot hold from
    their own officers costs it) is 208 seats x 120 minutes, and the plan pays at least that
    (a few seats more: it trades their price for less travel)."""
    travel = travel_for(oku)
    own, _ = tps_strength(oku, travel)
    pools = seat_pools(oku, travel, own)
    paid = oku_plan.quality.stages["staffing"]["home_sector_price_min"]
    least = price_bound(oku, oku_plan.classes, pools, 477, own)
    assert least == 208 * 120
    assert least <= paid <= least + 5 * 120


def test_oku_bound_is_valid_and_below_a_rebased_plan(oku, oku_plan):
    """OKU: the bound lies below the plan; the plan beats the first grouping with every base
    moved to the member TPS of least ground plus team travel and re-scored, which itself
    passes every rule (so a bound above it would be no bound)."""
    travel = travel_for(oku)
    classes, _ = classify(oku, travel=travel)
    own, lent = tps_strength(oku, travel)
    first = build_posts(oku, classes, travel, own + lent)
    staffed = staff(oku, first.posts, travel, own_on_tps=own)
    by_code = {t.code: t for t in oku.dataset.tps}
    base_of = {o.nrp: (o.base_lat, o.base_lng) for o in oku.dataset.personnel}
    team: dict[str, list[str]] = {}
    for a in staffed.assignments:
        if a.duty.value == "post":
            team.setdefault(a.target, []).append(a.nrp)
    rebased = staffed.numbers["home_sector_price_min"]
    for post in first.posts:
        points = [(by_code[c].lat, by_code[c].lng) for c in post.tps]
        ground = travel.matrix(points, points)
        pull = travel.matrix([base_of[n] for n in team[post.id]], points).sum(axis=0)
        b = best_base(ground, pull, list(range(len(points))))
        rebased += float(ground[b].sum() + pull[b])
    for guard in (a for a in staffed.assignments if a.duty.value == "guard"):
        rebased += guard.travel_min
    bound = oku_plan.quality.lower_bound
    assert bound is not None and bound <= oku_plan.quality.objective
    assert oku_plan.quality.objective < rebased
    assert bound < rebased
    assert "any post formation the rules allow" in oku_plan.quality.stages["bound"]["problem"]


@pytest.mark.parametrize("price", [0, 30, 400])
def test_tiny_bound_is_below_the_exact_optimum_at_any_home_sector_price(price):
    """The joint bound prices each seat's travel and home-sector price together: at a free, a
    cheap and a dear price it stays below the optimum enumerated over every post formation."""
    scenario = tiny_scenario(staffing={"outside_sector_minutes": price})
    result = plan(scenario)
    own, _ = tps_strength(scenario, travel_for(scenario))
    optimum = min(_objective(scenario, f, own) for f in _formations(scenario, result.posts))
    assert result.quality.lower_bound is not None
    assert result.quality.lower_bound <= optimum + 1e-6
    assert result.quality.objective >= optimum - 0.02
