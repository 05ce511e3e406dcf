"""What each base of a cell would take at the coverage prices: the joint relaxation's inner loop.

At prices ``p`` (one per column, a TPS a base may take), base ``r`` would take its ``k`` TPS of
least reduced cost ``ground[r, j] - p[j]`` where below zero (all of them where it has ``k`` or
fewer). Only a few percent of a cell's pairs are below zero at any step (4 to 12 % on the
Sumatera Selatan regencies), so instead of the whole base x column matrix, each column keeps its
bases sorted by minutes (``Sorted``), and a pass walks each column only until the minutes reach
its price. The pass is compiled by numba (plain loops with an early exit, which numpy cannot
express without reading every pair); it is called at every subgradient step.

Reduced costs are formed in single precision, as the minutes are stored (``bound.SINGLE_ERROR``
bounds what that costs), and summed in double.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import numba
import numpy as np
from numpy.typing import NDArray

F32: TypeAlias = NDArray[np.float32]
F64: TypeAlias = NDArray[np.float64]
I32: TypeAlias = NDArray[np.int32]
I64: TypeAlias = NDArray[np.int64]
Flags: TypeAlias = NDArray[np.bool_]


@dataclass(frozen=True)
class Sorted:
    """A cell's minutes by column: ``minutes[j]`` ascending, ``bases[j]`` the rows they are from
    (infinite minutes, a base's own column, last)."""

    minutes: NDArray[np.float32]  # columns x bases
    bases: NDArray[np.int32]  # columns x bases

    @classmethod
    def of(cls, ground: NDArray[np.float64]) -> Sorted:
        """The sorted view of a base x column matrix of minutes."""
        single = np.ascontiguousarray(ground.T, dtype=np.float32)
        order = np.argsort(single, axis=1, kind="stable")
        return cls(np.take_along_axis(single, order, axis=1), order.astype(np.int32))


@dataclass(frozen=True)
class Taken:
    """One pass at one set of prices: per base, its gain (sum of the reduced costs it takes,
    at most 0), whether it had more than ``k`` below zero (``many``) and, if so, the largest it
    takes (``threshold``); and the pairs below zero (``start``/``column``/``value``, by base)."""

    gain: NDArray[np.float64]
    many: NDArray[np.bool_]
    threshold: NDArray[np.float32]
    start: NDArray[np.int64]
    column: NDArray[np.int32]
    value: NDArray[np.float32]

    def cover(self, opened: NDArray[np.bool_], covered: NDArray[np.float64]) -> None:
        """Add to ``covered`` (one per column) each TPS the ``opened`` bases take."""
        _cover(self.start, self.column, self.value, self.many, self.threshold, opened, covered)


def taken(cell: Sorted, prices: NDArray[np.float32], k: int, bases: int) -> Taken:
    """What each of the ``bases`` takes at ``prices`` (single precision, one per column),
    ``k`` TPS at most."""
    gain, threshold, start, column, value = _taken(cell.minutes, cell.bases, prices, k, bases)
    return Taken(gain, start[1:] - start[:-1] > k, threshold, start, column, value)


@numba.njit(cache=True, nogil=True)
def _taken(minutes: F32, bases: I32, prices: F32, k: int, n: int) -> tuple[F64, F32, I64, I32, F32]:
    count = np.zeros(n, dtype=np.int64)
    _count(minutes, bases, prices, count)
    start = np.zeros(n + 1, dtype=np.int64)
    start[1:] = np.cumsum(count)
    column = np.empty(start[-1], dtype=np.int32)
    value = np.empty(start[-1], dtype=np.float32)
    _fill(minutes, bases, prices, start, column, value)
    gain = np.zeros(n)
    threshold = np.zeros(n, dtype=np.float32)
    _gain(start, value, k, gain, threshold)
    return gain, threshold, start, column, value


@numba.njit(cache=True, nogil=True)
def _count(minutes: F32, bases: I32, prices: F32, count: I64) -> None:
    for j in range(minutes.shape[0]):
        p = prices[j]
        for t in range(minutes.shape[1]):
            if not minutes[j, t] < p:
                break
            count[bases[j, t]] += 1


@numba.njit(cache=True, nogil=True)
def _fill(minutes: F32, bases: I32, prices: F32, start: I64, column: I32, value: F32) -> None:
    at = start[:-1].copy()
    for j in range(minutes.shape[0]):
        p = prices[j]
        for t in range(minutes.shape[1]):
            m = minutes[j, t]
            if not m < p:
                break
            r = bases[j, t]
            column[at[r]] = j
            value[at[r]] = m - p
            at[r] += 1


@numba.njit(cache=True, nogil=True)
def _gain(start: I64, value: F32, k: int, gain: F64, threshold: F32) -> None:
    buffer = np.empty(int(np.max(start[1:] - start[:-1])) if len(start) > 1 else 0, np.float32)
    for r in range(len(start) - 1):
        n = start[r + 1] - start[r]
        total = 0.0
        if n > k:  # the k least, by Hoare's selection in a copy: the row keeps its order
            buffer[:n] = value[start[r] : start[r + 1]]
            lo, hi, target = 0, n - 1, k - 1
            while lo < hi:
                pivot = buffer[(lo + hi) // 2]
                i, j = lo, hi
                while i <= j:
                    while buffer[i] < pivot:
                        i += 1
                    while buffer[j] > pivot:
                        j -= 1
                    if i <= j:
                        buffer[i], buffer[j] = buffer[j], buffer[i]
                        i += 1
                        j -= 1
                if target <= j:
                    hi = j
                elif target >= i:
                    lo = i
                else:
                    break
            for q in range(k):
                total += buffer[q]
            threshold[r] = buffer[target]
        else:
            for e in range(start[r], start[r + 1]):
                total += value[e]
        gain[r] = total


@numba.njit(cache=True, nogil=True)
def _cover(
    start: I64, column: I32, value: F32, many: Flags, threshold: F32, opened: Flags, covered: F64
) -> None:
    for r in range(len(start) - 1):
        if not opened[r]:
            continue
        for e in range(start[r], start[r + 1]):
            if not many[r] or value[e] <= threshold[r]:
                covered[column[e]] += 1.0


def cheapest_kinds(
    seat: F64, mu: F64, own: Flags, alpha: float, beta: float
) -> tuple[I64, I64, F64, F64]:
    """For each base (a column of ``seat``, kinds x bases): the kind of officer whose seat there
    costs least at these prices (``seat + mu - alpha * own - beta``) among the own kinds, the
    kind that costs least of all, and those two costs; ties to the lower kind, as
    ``numpy.argmin`` breaks them. One pass over the matrix, no kinds x bases temporaries."""
    bases = seat.shape[1]
    mine, cheapest = np.zeros(bases, np.int64), np.zeros(bases, np.int64)
    own_low, low = np.full(bases, np.inf), np.full(bases, np.inf)
    _cheapest_kinds(seat, mu, own.astype(np.float64), alpha, beta, mine, cheapest, own_low, low)
    return mine, cheapest, own_low, low


@numba.njit(cache=True, nogil=True)
def _cheapest_kinds(
    seat: F64, mu: F64, own: F64, alpha: float, beta: float, mine: I64, cheapest: I64,
    own_low: F64, low: F64,
) -> None:
    for k in range(seat.shape[0]):
        shift = mu[k]
        away = alpha * own[k]
        for b in range(seat.shape[1]):
            r = seat[k, b] + shift - away - beta
            if r < low[b]:
                low[b] = r
                cheapest[b] = k
            if own[k] and r < own_low[b]:
                own_low[b] = r
                mine[b] = k
