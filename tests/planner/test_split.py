"""Two posts' TPS shared anew (``improve._best_split``), against every split of them enumerated."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from pamtps.planner.improve import Cell, _best_split


def _cheapest(cell: Cell, union: list[int]) -> float:
    """The least cost of the two posts over every split of their TPS within the cap."""
    best = float("inf")
    for sides in itertools.product((0, 1), repeat=len(union)):
        p = [i for i, side in zip(union, sides) if side == 0]
        q = [i for i, side in zip(union, sides) if side == 1]
        if 1 <= len(p) <= cell.cap and 1 <= len(q) <= cell.cap:
            best = min(best, cell.cost(0, p)[0] + cell.cost(1, q)[0])
    return best


@pytest.mark.parametrize("seed", range(20))
def test_the_split_is_the_cheapest_of_every_split_of_two_posts(seed):
    """Random points, random team pulls and caps: when a split saves, it is the cheapest one
    there is; when none saves, there is none."""
    rng = random.Random(seed)
    n = rng.randint(3, 9)
    points = np.array([[rng.uniform(0, 20), rng.uniform(0, 20)] for _ in range(n)])
    minutes = np.abs(points[:, None, :] - points[None, :, :]).sum(axis=2)
    pull = np.array([[rng.uniform(0, 30) for _ in range(n)] for _ in range(2)])
    cap = rng.randint(-(-n // 2), n - 1)
    order = list(range(n))
    rng.shuffle(order)
    cut = rng.randint(max(1, n - cap), min(cap, n - 1))
    cell = Cell(minutes, pull, [sorted(order[:cut]), sorted(order[cut:])], cap)
    now = cell.cost(0, cell.members[0])[0] + cell.cost(1, cell.members[1])[0]
    best = _cheapest(cell, cell.members[0] + cell.members[1])
    found = _best_split(cell, 0, 1, now)
    if best < now - 1e-6:
        assert found is not None
        p, q = found
        assert len(p) <= cap and len(q) <= cap
        assert sorted(p + q) == list(range(n))
        assert cell.cost(0, p)[0] + cell.cost(1, q)[0] == pytest.approx(best, abs=1e-9)
    else:
        assert found is None
