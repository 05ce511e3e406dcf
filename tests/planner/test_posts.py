"""Posts: the pattern per class, never across a sector, spread evenly, bounded from below."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import numpy as np
import pytest

from pamtps.datasets import load_dataset
from pamtps.domain import VulnerabilityClass
from pamtps.domain.operation import PatternRule
from pamtps.domain.plan import Scenario, Shortage
from pamtps.io.operation_file import bundled_operation, load_operation
from pamtps.planner.classify import classify
from pamtps.planner.grouping import nearest_neighbour_bound, solve
from pamtps.planner.posts import PostStage, build_posts, spread_posts
from pamtps.planner.sectors import sector_of_tps
from pamtps.planner.stop import WALL_CLOCK, Clock, StopCriteria
from pamtps.planner.travel import travel_for
from tests.planner.toy import (
    HILIR,
    SECTOR_HILIR,
    SECTOR_HULU,
    TALANG_2,
    TALANG_3,
    TPS,
    UJUNG_1,
    UJUNG_2,
    UNITS,
    VIOLENT,
    toy_scenario,
)

V = VulnerabilityClass
KR_OF_4 = PatternRule(officers_per_post=2, max_tps_per_post=4)
KR_OF_8 = PatternRule(officers_per_post=2, max_tps_per_post=8)


def posts_of(scenario: Scenario, officers: int | None, seed: int = 2024) -> PostStage:
    classes, _ = classify(scenario)
    return build_posts(scenario, classes, travel_for(scenario), officers, seed=seed)


def kurang_rawan_per_sector(stage: PostStage) -> dict[str, int]:
    return dict(Counter(p.sector for p in stage.posts if p.vulnerability is V.KURANG_RAWAN))


def test_rawan_tps_gets_its_own_post() -> None:
    """Talang Jauh 003 (rawan, 1 TPS per post) has a post of its own with 2 officers."""
    stage = posts_of(toy_scenario(), None)
    post = next(p for p in stage.posts if TALANG_3 in p.tps)
    assert (post.id, post.tps, post.vulnerability, post.required) == (
        f"{SECTOR_HULU}-R-003", [TALANG_3], V.RAWAN, 2
    )


def test_rawan_tps_two_to_a_post_are_grouped_by_distance() -> None:
    """Rawan at up to 2 TPS per post: Talang Jauh 002 and 003 share one, Kota Hulu 006 is alone."""
    scenario = toy_scenario(pattern={"rawan": {"officers_per_post": 2, "max_tps_per_post": 2}})
    stage = posts_of(scenario, None)
    rawan = sorted(p.tps for p in stage.posts if p.vulnerability is V.RAWAN)
    assert rawan == [[VIOLENT], [TALANG_2, TALANG_3]]


def test_posts_never_cross_a_sector() -> None:
    """Every TPS of a post lies in the post's sector, and every TPS is in exactly one post."""
    scenario = toy_scenario()
    sector_of = sector_of_tps(scenario.dataset)
    for officers in (None, 20):
        stage = posts_of(scenario, officers)
        assert all(sector_of[code] == post.sector for post in stage.posts for code in post.tps)
        assert sorted(c for p in stage.posts for c in p.tps) == sorted(t.code for t in TPS)


def test_requirement_mode_makes_the_fewest_posts_the_pattern_allows() -> None:
    """Up to 4 kurang rawan TPS per post: Hulu's 6 need 2 posts, Hilir's 7 need 2."""
    stage = posts_of(toy_scenario(), None)
    assert kurang_rawan_per_sector(stage) == {SECTOR_HULU: 2, SECTOR_HILIR: 2}
    assert all(len(p.tps) <= 4 for p in stage.posts)
    assert (len(stage.posts), stage.officers, stage.shortages) == (8, 16, [])


def test_nearby_tps_share_a_post() -> None:
    """The two far TPS of Ujung Hilir are guarded by the same team."""
    stage = posts_of(toy_scenario(), None)
    assert any({UJUNG_1, UJUNG_2} <= set(p.tps) for p in stage.posts)


def test_allocation_spreads_posts_evenly() -> None:
    """20 officers: 8 for the 4 other posts, 6 pairs for 6 and 7 kurang rawan TPS: 3 and 3."""
    stage = posts_of(toy_scenario(), 20)
    assert kurang_rawan_per_sector(stage) == {SECTOR_HULU: 3, SECTOR_HILIR: 3}
    assert stage.officers == 20 and all(p.required == 2 for p in stage.posts)


def test_spread_is_by_largest_remainder() -> None:
    """10 pairs for 30 and 10 TPS: quotas 7.5 and 2.5; the tie goes to the lower code."""
    assert spread_posts(10, {"a": 30, "b": 10}, KR_OF_8) == {"a": 8, "b": 2}


def test_spread_never_goes_below_a_sector_minimum() -> None:
    """6 pairs for 40 and 3 TPS: b's quota (0.4) is lifted to its minimum of 1 post."""
    assert spread_posts(6, {"a": 40, "b": 3}, KR_OF_8) == {"a": 5, "b": 1}


def test_spread_gives_up_when_minimums_cannot_be_met() -> None:
    """5 pairs cannot cover 40 TPS at 8 per post plus a sector of 3."""
    assert spread_posts(5, {"a": 40, "b": 3}, KR_OF_8) is None


def test_odd_officer_count_gives_one_post_of_three() -> None:
    """21 officers: the odd one joins the kurang rawan post with the most ground to cover."""
    stage = posts_of(toy_scenario(), 21)
    assert Counter(p.required for p in stage.posts) == {2: 9, 3: 1}
    assert stage.officers == 21


def test_shortage_is_reported_per_sector() -> None:
    """12 officers for 16 needed: shared 8 to Hulu (needs 10) and 4 to Hilir (needs 6)."""
    stage = posts_of(toy_scenario(), 12)
    assert stage.shortages == [Shortage(SECTOR_HULU, 10, 8), Shortage(SECTOR_HILIR, 6, 4)]
    assert kurang_rawan_per_sector(stage) == {SECTOR_HULU: 2, SECTOR_HILIR: 2}


def test_kecamatan_without_polsek_is_a_sector_of_its_own() -> None:
    """Without Polsek Hilir, Hilir's posts belong to sector.16.98.02."""
    scenario = toy_scenario(units=[u for u in UNITS if u.code != SECTOR_HILIR])
    stage = posts_of(scenario, None)
    assert {p.sector for p in stage.posts} == {SECTOR_HULU, f"sector.{HILIR}"}


def test_same_seed_same_posts() -> None:
    """The posts depend only on the scenario and the seed."""
    first, again = posts_of(toy_scenario(), 20, seed=7), posts_of(toy_scenario(), 20, seed=7)
    assert first.posts == again.posts


def test_post_stands_at_its_medoid_and_has_a_readable_id() -> None:
    """A post's point is one of its TPS; ids read sector-class-number."""
    scenario = toy_scenario()
    where = {t.code: (t.lat, t.lng) for t in scenario.dataset.tps}
    stage = posts_of(scenario, 20)
    assert all((p.lat, p.lng) in [where[c] for c in p.tps] for p in stage.posts)
    assert [p.id for p in stage.posts if p.sector == SECTOR_HILIR] == [
        f"{SECTOR_HILIR}-K-001", f"{SECTOR_HILIR}-KR-001", f"{SECTOR_HILIR}-KR-002",
        f"{SECTOR_HILIR}-KR-003",
    ]


def test_objective_never_falls_below_the_bound() -> None:
    """On the toy the Lagrangian bound meets the objective: the grouping is optimal."""
    stage = posts_of(toy_scenario(), None)
    assert stage.lower_bound is not None
    assert stage.objective == pytest.approx(stage.lower_bound)
    assert stage.bound_method.startswith("Lagrangian relaxation")


def _optimum(minutes: np.ndarray, k: int) -> float:
    """The balanced p-median by enumeration (tiny cases only)."""
    n = len(minutes)
    q, r = divmod(n, k)
    best = math.inf
    for labels in itertools.product(range(k), repeat=n):
        sizes = Counter(labels)
        if sorted(sizes.values()) != sorted([q + 1] * r + [q] * (k - r)):
            continue
        cost = 0.0
        for g in range(k):
            members = [i for i in range(n) if labels[i] == g]
            cost += min(minutes[m, members].sum() for m in members)
        best = min(best, cost)
    return best


def test_grouping_finds_the_optimum_and_the_bound_stays_below_it() -> None:
    """On random 8-TPS cases: groups = optimum >= Lagrangian bound >= nearest-neighbour bound."""
    rng = np.random.default_rng(3)
    for _ in range(5):
        points = rng.uniform(0, 10, size=(8, 2))
        minutes = np.linalg.norm(points[:, None] - points[None, :], axis=2)
        optimum = _optimum(minutes, 3)
        solution = solve(minutes, points, 3, seed=1)
        assert solution.groups.cost == pytest.approx(optimum)
        assert nearest_neighbour_bound(minutes, 3) <= solution.bound + 1e-9 <= optimum + 2e-9
        assert sorted(len(m) for m in solution.groups.members) == [2, 3, 3]


@pytest.fixture(scope="module")
def oku_stage() -> tuple[Scenario, dict[str, VulnerabilityClass], PostStage]:
    scenario = Scenario(load_dataset("oku-2024"), load_operation(bundled_operation()))
    classes, _ = classify(scenario)
    return scenario, classes, build_posts(scenario, classes, travel_for(scenario), 477)


def test_oku_classes_20_rawan_and_1_khusus(oku_stage: tuple) -> None:
    """OKU: 1,225 TPS classed; the 20 pre-screened are rawan, the special TPS khusus."""
    _, classes, _ = oku_stage
    assert len(classes) == 1225
    assert Counter(classes.values()) == {V.KURANG_RAWAN: 1204, V.RAWAN: 20, V.KHUSUS: 1}


def test_oku_posts_use_exactly_477_officers(oku_stage: tuple) -> None:
    """418 Polres + 59 BKO on TPS: every officer has a post, no sector is short."""
    scenario, classes, stage = oku_stage
    sector_of = sector_of_tps(scenario.dataset)
    assert stage.officers == sum(p.required for p in stage.posts) == 477
    assert stage.shortages == []
    assert sorted(c for p in stage.posts for c in p.tps) == sorted(classes)
    assert all(sector_of[c] == p.sector for p in stage.posts for c in p.tps)
    kurang = [len(p.tps) for p in stage.posts if p.vulnerability is V.KURANG_RAWAN]
    assert min(kurang) >= 1 and max(kurang) <= 8
    assert stage.lower_bound is not None and stage.lower_bound <= stage.objective


def test_a_time_limit_already_spent_still_gives_posts_and_a_valid_bound() -> None:
    """Past the deadline every TPS still has a post; the bound falls back and says so."""
    scenario = toy_scenario()
    classes, _ = classify(scenario)
    stage = build_posts(
        scenario, classes, travel_for(scenario), None, clock=Clock(StopCriteria(), 0.0)
    )
    assert sorted(c for p in stage.posts for c in p.tps) == sorted(classes)
    assert stage.lower_bound is not None and stage.lower_bound <= stage.objective + 1e-9
    assert "time limit reached: nearest-neighbour bound" in stage.bound_method
    assert stage.stopped_by == WALL_CLOCK
