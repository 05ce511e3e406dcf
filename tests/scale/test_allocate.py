"""The Polda's allocation is exact: the integer program matches brute force on tiny instances."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest

from pamtps.scale.allocate import PLATOON, Need, Pool, allocate, covers, share_of, summarise


def brute_force(needs: list[Need], pool: Pool) -> tuple[int, int, float]:
    """The best (rawan short, all short, distance) over every allocation within the pool."""
    bko, platoons, tni = pool.lendable()
    best: tuple[int, int, float] | None = None
    per_polres = list(itertools.product(range(bko + 1), range(platoons + 1), range(tni + 1)))
    for choice in itertools.product(per_polres, repeat=len(needs)):
        if (sum(c[0] for c in choice) > bko or sum(c[1] for c in choice) > platoons
                or sum(c[2] for c in choice) > tni):
            continue
        if any(0 < covers(pool, *c)[1] < pool.floor for c in choice):
            continue  # a reserve below the floor
        result = summarise([share_of(n, pool, *c) for n, c in zip(needs, choice)], needs)
        key = (result.rawan_short, result.short, round(result.distance, 6))
        best = key if best is None or key < best else best
    assert best is not None
    return best


def test_rawan_seats_are_served_before_other_seats() -> None:
    """Two BKO for a Polres short of 2 rawan seats and one short of 2 other seats: rawan wins."""
    needs = [Need("16.01", 0, 2, 0, 10.0), Need("16.02", 2, 0, 0, 200.0)]
    result = allocate(needs, Pool(bko_polri=2, brimob=0, tni=0))
    assert [s.bko_polri for s in result.shares] == [0, 2]
    assert result.rawan_short == 0 and result.short == 2


def test_nearer_polres_is_served_first_when_the_pool_is_short() -> None:
    """Equal needs, a short pool: the Polres nearer the base gets the officers."""
    needs = [Need("far", 0, 3, 0, 300.0), Need("near", 0, 3, 0, 5.0)]
    result = allocate(needs, Pool(bko_polri=3, brimob=0, tni=0))
    assert {s.code: s.bko_polri for s in result.shares} == {"far": 0, "near": 3}


def test_nothing_is_lent_beyond_the_need_and_the_reserve_is_kept() -> None:
    """A large pool: every need met, the rest and the stated share stay with the Polda."""
    needs = [Need("a", 1, 4, 30, 50.0), Need("b", 0, 2, 45, 80.0)]
    pool = Pool(bko_polri=100, brimob=10 * PLATOON, tni=40, reserve_share=Fraction(1, 10))
    result = allocate(needs, pool)
    assert result.short == 0
    assert [s.bko_polri for s in result.shares] == [5, 2]
    assert sum(s.bko_polri for s in result.shares) <= pool.lendable()[0] == 90
    assert sum(s.brimob_platoons for s in result.shares) <= pool.lendable()[1] == 9
    # Contingency in whole platoons or TNI persons, the cheapest mix that covers it.
    for share, need in zip(result.shares, needs):
        assert share.brimob + share.tni >= need.contingency


def test_brimob_is_lent_in_whole_platoons() -> None:
    """Brimob persons that do not make a whole platoon are never lent."""
    pool = Pool(bko_polri=0, brimob=2 * PLATOON + 29, tni=0)
    result = allocate([Need("a", 0, 0, 200, 1.0)], pool)
    assert result.shares[0].brimob == 2 * PLATOON
    assert result.shares[0].contingency_short == 200 - 2 * PLATOON


def test_a_reserve_below_the_floor_is_never_lent() -> None:
    """A Polres short of 2 reserve persons gets none rather than 2 TNI under a floor of 10."""
    result = allocate([Need("a", 0, 0, 2, 1.0)], Pool(bko_polri=0, brimob=0, tni=9, floor=10))
    assert result.shares[0].tni == 0 and result.short == 2
    result = allocate([Need("a", 0, 0, 2, 1.0)], Pool(bko_polri=0, brimob=0, tni=12, floor=10))
    assert result.shares[0].tni == 10 and result.short == 0


@pytest.mark.parametrize("seed", range(16))
def test_allocation_matches_brute_force(seed: int) -> None:
    """On random tiny instances the three objectives equal brute force's optimum exactly."""
    rng = random.Random(seed)
    needs = [Need(f"p{i}", rng.randint(0, 3), rng.randint(0, 3),
                  rng.choice([0, 0, 20, 40, 70]), float(rng.randint(0, 300)))
             for i in range(rng.randint(2, 3))]
    pool = Pool(bko_polri=rng.randint(0, 5), brimob=rng.randint(0, 2) * PLATOON + rng.randint(0, 5),
                tni=rng.randint(0, 4), reserve_share=Fraction(rng.choice([0, 1, 2]), 10),
                brimob_on_tps=rng.random() < 0.3, tni_on_tps=rng.random() < 0.3,
                floor=rng.choice([0, 0, 3]))
    result = allocate(needs, pool)
    assert (result.rawan_short, result.short, round(result.distance, 6)) == brute_force(
        needs, pool)
    lendable = pool.lendable()
    assert sum(s.bko_polri for s in result.shares) <= lendable[0]
    assert sum(s.brimob_platoons for s in result.shares) <= lendable[1]
    assert sum(s.tni for s in result.shares) <= lendable[2]
