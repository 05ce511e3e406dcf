"""The Lagrangian bound: exact evaluations, a bound no grouping beats, and a time limit kept."""

from __future__ import annotations

import time

import numpy as np

from pamtps.planner.grouping import balanced_groups, nearest_neighbour_bound
from pamtps.planner.lagrangian import Lagrangian, ascent
from pamtps.planner.stop import Clock, StopCriteria


def _random_cell(seed: int, n: int = 60) -> np.ndarray:
    points = np.random.default_rng(seed).uniform(0, 10, size=(n, 2))
    return np.linalg.norm(points[:, None] - points[None, :], axis=2)


def _full_value(minutes: np.ndarray, k: int, lam: np.ndarray) -> float:
    """The Lagrangian value read off every row in full: the definition, slowly."""
    n = len(minutes)
    q, r = divmod(n, k)
    values = []
    for j in range(n):
        reduced = np.sort(np.delete(minutes[j] - lam, j))
        value = -lam[j] + reduced[: q - 1].sum()
        if r and reduced[q - 1] < 0:
            value += reduced[q - 1]
        values.append(value)
    return float(lam.sum() + np.sort(values)[:k].sum())


def test_evaluation_looking_at_the_nearest_tps_equals_the_full_one() -> None:
    """Skipping far TPS never changes the value, whatever the multipliers (even wild ones)."""
    rng = np.random.default_rng(5)
    for seed, n, k in [(1, 60, 11), (2, 60, 7), (3, 60, 29), (4, 60, 1), (5, 9, 2)]:
        minutes = _random_cell(seed, n)
        relaxation = Lagrangian(minutes, k)
        for lam in (relaxation.start(), rng.uniform(0, 8, n), rng.uniform(-2, 30, n)):
            found = relaxation.evaluate(lam)
            assert abs(found.value - _full_value(minutes, k, lam)) < 1e-9
            assert len(set(found.medoids.tolist())) == k


def test_ascent_bound_lies_between_the_simple_bound_and_the_grouping() -> None:
    """Nearest-neighbour bound <= Lagrangian bound <= the heuristic's grouping cost."""
    minutes = _random_cell(4, 90)
    points = np.random.default_rng(4).uniform(0, 10, size=(90, 2))
    groups = balanced_groups(minutes, points, 15, seed=1)
    found = ascent(minutes, 15, groups.cost, StopCriteria().clock())
    assert nearest_neighbour_bound(minutes, 15) < found.bound <= groups.cost + 1e-9
    assert found.steps > 0 and len(found.medoids) == 15


def test_ascent_past_its_deadline_takes_no_step() -> None:
    """A deadline already gone: no step, no bound claimed (the caller falls back)."""
    minutes = _random_cell(6)
    found = ascent(minutes, 10, 100.0, Clock(StopCriteria(), time.monotonic() - 1))
    assert found.steps == 0 and found.medoids == []
