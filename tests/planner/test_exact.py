"""The planner against exact optima: an independent MIP of each sector (tests/planner/oracle).

For a planned instance, each sector is solved exactly with the officers the plan seats there
(``oracle.sector``), and the exact sectors are put back into the plan. The harness asserts:

- the oracle is right: never above the planner's own cost of a sector (the planner's sector is
  one of the plans it searches), and equal to plain enumeration on tiny sectors;
- (a) the planner's cost of each sector is within ``MEETS_NOW`` of the exact optimum;
- (b) the planner's objective is never below its reported bound;
- (c) the reported bound is never above the optimum. The optimum is at most the objective of the
  plan with every sector exact (it passes every rule and ``check_objective``), so a bound above
  that plan's objective is proven invalid. ``BOUND_EXCESS_NOW`` is how far above it today's
  bound lies.

The target is ``TARGET`` (1 %) for (a) and 0 for (c). ``MEETS_NOW`` and ``BOUND_EXCESS_NOW``
state what the planner meets today, measured, per instance type: where they exceed the target,
the planner misses it by that much.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from pamtps.domain.plan import Plan, Scenario
from pamtps.planner import check_objective, plan, travel_for, validate
from tests.planner.oracle.brute import cheapest
from tests.planner.oracle.generated import generated
from tests.planner.oracle.mip import Kind, SectorInstance, solve_sector
from tests.planner.oracle.sector import improved, sector_of_plan

TARGET = 0.01
# Measured on the planner with counted stop criteria (seeds 1 and 2, and seed 3 with rawan posts
# of two; OKU's two smallest sectors): the worst generated sector 1.9 % above its optimum (seed
# 1; seed 2: 0.7 %, seed 3: 1.4 %; 3.5 % on seed 1 before two posts' TPS were shared anew), OKU
# 0.12 % (Sosoh Buay Rayap; Ulu Ogan at its optimum), within the target. The bound lies 1.7 %,
# 1.8 %, 2.3 % (seeds 1 to 3) and 1.9 % (OKU) below the plan with those sectors exact: valid,
# so (c) is asserted at its target, 0. The plans do not depend on the machine's speed, so the
# margins are small.
MEETS_NOW = {"generated": 0.02, "oku": TARGET}  # planner over the exact optimum of a sector, - 1
BOUND_EXCESS_NOW = {"generated": 0.0, "oku": 0.0}  # bound over a better plan's objective, - 1
OKU_SMALLEST = ("polsek.16.01.20", "polsek.16.01.07")  # Ulu Ogan 32 TPS, Sosoh Buay Rayap 49
SEEDS = (1, 2)


def _random_sector(rng: random.Random, officers: bool) -> SectorInstance:
    n = rng.randint(3, 6)
    points = np.array([[rng.uniform(0, 10), rng.uniform(0, 10)] for _ in range(n)])
    minutes = np.abs(points[:, None, :] - points[None, :, :]).sum(axis=2)
    classes = tuple(rng.choice(["kurang_rawan"] * 3 + ["rawan"]) for _ in range(n))
    kinds: tuple[Kind, ...] = ()
    if officers:
        kinds = tuple(
            Kind(count, local, tuple(rng.uniform(0, 30) for _ in range(n)),
                 rng.choice([0.0, 120.0]), frozenset(rng.sample(range(n), rng.randint(0, 1))))
            for count, local in ((2, True), (rng.randint(1, 2), rng.random() < 0.5))
        )
    # a rawan post of one TPS, or of two (then it may hold a kurang rawan TPS besides)
    pattern = {"kurang_rawan": (2, 3), "rawan": (2, rng.randint(1, 2)), "sangat_rawan": (2, 1),
               "khusus": (2, 1)}
    return SectorInstance("random", tuple(map(str, range(n))), classes, pattern, minutes, kinds)


@pytest.mark.parametrize("seed", range(12))
def test_the_oracle_finds_the_cheapest_of_every_plan_of_a_tiny_sector(seed):
    """On random sectors of 3 to 6 TPS (some rawan, some officers barred), the MIP's optimum is
    the least cost over every partition, base and seating, enumerated by plain loops."""
    rng = random.Random(seed)
    instance = _random_sector(rng, officers=seed % 3 != 0)
    posts = None if instance.kinds else rng.randint(1, len(instance.codes))
    expected = cheapest(instance, posts)
    if expected == float("inf"):
        with pytest.raises(RuntimeError):
            solve_sector(instance, posts=posts)
        return
    solution = solve_sector(instance, posts=posts)
    assert solution.optimal
    assert solution.objective == pytest.approx(expected, abs=1e-6)


def _check(scenario: Scenario, result: Plan, sectors: list[str], kind: str) -> None:
    """The harness's assertions (see the module docstring) on the given sectors of a plan."""
    travel = travel_for(scenario)
    assert result.quality.lower_bound is not None
    assert result.quality.objective >= result.quality.lower_bound - 1e-6  # (b)
    solved = []
    for code in sectors:
        planned = sector_of_plan(scenario, result, code, travel)
        solution = solve_sector(planned.instance, time_limit=60)
        assert solution.optimal, code
        assert solution.objective <= planned.planner + 1e-6, code  # the oracle is right
        assert planned.planner <= (1 + MEETS_NOW[kind]) * solution.objective + 1e-6, code  # (a)
        solved.append((planned, solution))
    better = improved(scenario, result, solved)
    assert [r.rule for r in validate(better, scenario) if not r.ok] == []
    assert check_objective(better, scenario).ok
    assert better.quality.objective <= result.quality.objective + 1e-6
    assert result.quality.lower_bound <= (1 + BOUND_EXCESS_NOW[kind]) * better.quality.objective


@pytest.mark.parametrize("seed", SEEDS)
def test_on_generated_instances_the_planner_is_within_what_it_meets_now(seed):
    """A sample of OKU's TPS (about 150, in all 11 sectors): every sector exact, (a), (b), (c)."""
    scenario = generated(seed)
    result = plan(scenario)
    _check(scenario, result, sorted({p.sector for p in result.posts}), "generated")


def test_with_rawan_posts_of_two_a_rawan_post_takes_a_kurang_rawan_tps_and_all_holds():
    """With rawan posts of up to two TPS, the exact sectors may put a kurang rawan TPS in a rawan
    post (standing at its rawan TPS), and so does the planner here: (a), (b), (c) still hold,
    the bound's relaxation counting such posts too."""
    scenario = generated(3, rawan_tps=2)
    result = plan(scenario)
    mixed = [p for p in result.posts if len({result.classes[c] for c in p.tps}) > 1]
    assert [p.vulnerability.value for p in mixed] == ["rawan"]
    _check(scenario, result, sorted({p.sector for p in result.posts}), "generated")


def test_on_the_smallest_oku_sectors_the_planner_is_within_what_it_meets_now(oku, oku_plan):
    """Ulu Ogan (32 TPS) and Sosoh Buay Rayap (49 TPS) exact, with their officers: (a), (b), (c)."""
    _check(oku, oku_plan, list(OKU_SMALLEST), "oku")


def test_the_ulu_ogan_cell_of_six_posts_has_the_exact_optimum_found_before(oku, oku_plan):
    """The post stage's own problem on Ulu Ogan's kurang rawan TPS: six posts of at most 8 TPS,
    ground only. The exact optimum is 236.1 minutes (found by an earlier independent MIP); the
    planner's equal-size groups cost more."""
    planned = sector_of_plan(oku, oku_plan, "polsek.16.01.20", travel_for(oku))
    instance = planned.instance
    assert set(instance.classes) == {"kurang_rawan"}
    cell = SectorInstance("ulu ogan kr", instance.codes, instance.classes, instance.pattern,
                          instance.minutes)
    solution = solve_sector(cell, posts=6)
    assert solution.optimal and round(solution.objective, 1) == 236.1
    sizes = sorted(len(p.members) for p in solution.posts)
    assert max(sizes) <= 8 and sizes[-1] - sizes[0] > 1  # unequal sizes: not the balanced problem

