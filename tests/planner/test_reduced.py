"""The relaxation's inner pass (``reduced``) against the dense reading of every pair."""

from __future__ import annotations

import numpy as np
import pytest

from pamtps.planner.reduced import Sorted, cheapest_kinds, taken


def dense(ground: np.ndarray, prices: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each base's gain (its k least reduced costs below 0, summed) and what the opened bases
    would cover, read off the whole matrix."""
    reduced = np.minimum(ground.astype(np.float32) - prices.astype(np.float32), 0.0)
    ranked = np.sort(reduced, axis=1)[:, :k]
    gain = ranked.sum(axis=1, dtype=np.float64)
    threshold = ranked.max(axis=1) if k else np.zeros(len(ground))
    take = (reduced < 0) & (reduced <= threshold[:, None])
    return gain, take


@pytest.mark.parametrize("seed", range(12))
def test_taken_is_the_dense_reading(seed: int) -> None:
    rng = np.random.default_rng(seed)
    bases, columns = rng.integers(1, 40), rng.integers(1, 60)
    ground = rng.uniform(0, 30, (bases, columns)).round(int(rng.integers(0, 3)))  # ties too
    ground[rng.random((bases, columns)) < 0.1] = np.inf  # unreachable, or a base's own column
    prices = rng.uniform(-5, 25, columns)
    k = int(rng.integers(1, 8))
    found = taken(Sorted.of(ground), prices.astype(np.float32), k, bases)
    gain, take = dense(ground, prices, k)
    np.testing.assert_allclose(found.gain, gain, rtol=1e-12, atol=1e-9)
    opened = rng.random(bases) < 0.5
    covered = np.zeros(columns)
    found.cover(opened, covered)
    np.testing.assert_array_equal(covered, take[opened].sum(axis=0))
    below = (ground.astype(np.float32) < prices.astype(np.float32)).sum(axis=1)
    assert (found.many == (below > k)).all()


def test_nothing_is_taken_at_prices_below_every_minute() -> None:
    ground = np.array([[np.inf, 3.0, 4.0], [2.0, np.inf, 1.0]])
    found = taken(Sorted.of(ground), np.zeros(3, dtype=np.float32), 2, 2)
    assert found.gain.tolist() == [0.0, 0.0] and len(found.value) == 0


@pytest.mark.parametrize("seed", range(6))
def test_cheapest_kinds_are_numpys_argmin(seed: int) -> None:
    """The own kind and the kind of least reduced seat cost at each base, ties to the lower
    kind, as the dense matrix and ``numpy.argmin`` give them."""
    rng = np.random.default_rng(seed)
    kinds, bases = int(rng.integers(1, 12)), int(rng.integers(1, 80))
    seat = rng.uniform(0, 90, (kinds, bases)).round(int(rng.integers(0, 2)))  # ties too
    mu = rng.uniform(0, 30, kinds).round(1)
    own = rng.random(kinds) < 0.5
    own[int(rng.integers(kinds))] = True
    alpha, beta = float(rng.uniform(-5, 5)), float(rng.uniform(-20, 120))
    mine, cheapest, own_low, low = cheapest_kinds(seat, mu, own, alpha, beta)
    reduced = seat + mu[:, None] - alpha * own[:, None] - beta
    mine_reduced = np.where(own[:, None], reduced, np.inf)
    assert np.array_equal(cheapest, np.argmin(reduced, axis=0))
    assert np.array_equal(mine, np.argmin(mine_reduced, axis=0))
    assert np.array_equal(low, reduced.min(axis=0))
    assert np.array_equal(own_low, mine_reduced.min(axis=0))
