"""The Polda's pool lent across its Polres: exact, lexicographic, whole platoons, reserve kept.

Each Polres states what it lacks after placing its own strength (``Need``, from the planner in
requirement mode): TPS seats on rawan posts (any rawan class), other TPS seats, and contingency
(the guards its operation gives a reserve unit, such as the KPU office). The Polda holds a pool
(``Pool``): BKO Polri and TNI in persons, Brimob in whole platoons, and keeps a stated share of
each back as its own reserve. The allocation, an integer program solved by HiGHS
(``scipy.optimize.milp``) in three stages, each keeping the optimum of the ones before:

1. the fewest rawan seats left short;
2. then the fewest officers left short in all (TPS seats and contingency);
3. then the least distance: every person lent costs 1 plus the kilometres from the nearest of
   the pool's bases to the Polres headquarters, so nothing is lent that no shortfall needs
   (the rest stays with the Polda) and, when the pool is short, nearer Polres are served first.

A Polres that receives reserve persons receives at least the operation's reserve floor
(``reserve.floor``, persons a standby station must keep), so a handful of TNI is never lent alone.
Which forces fill TPS seats follows the operation: a force the operation holds in reserve
(``reserve.unit_types``, Brimob and TNI by default) stands by as contingency, the others sit on
TPS posts, as the planner would seat them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

PLATOON = 30  # persons in a Brimob platoon lent whole


@dataclass(frozen=True)
class Need:
    """What one Polres lacks beyond its own strength, and how far it is from the pool."""

    code: str
    rawan: int  # TPS seats on rawan posts its own officers cannot fill
    safe: int  # other TPS seats its own officers cannot fill
    contingency: int  # reserve persons its operation asks for (guards from the reserve)
    km: float  # from the nearest base of the pool to the Polres headquarters


@dataclass(frozen=True)
class Pool:
    """The Polda's pool: persons (Brimob: persons, lent as whole platoons) and the share kept."""

    bko_polri: int
    brimob: int
    tni: int
    reserve_share: Fraction = Fraction(0)
    brimob_on_tps: bool = False  # False: Brimob stands by as contingency
    tni_on_tps: bool = False
    floor: int = 0  # a Polres's reserve of lent units: none, or at least this many persons

    @property
    def platoons(self) -> int:
        """Whole platoons the Brimob persons form (a remainder under a platoon is not lent)."""
        return self.brimob // PLATOON

    def kept(self) -> tuple[int, int, int]:
        """Held back as the Polda's reserve: BKO persons, Brimob platoons, TNI persons."""
        share = self.reserve_share
        return (math.ceil(share * self.bko_polri), math.ceil(share * self.platoons),
                math.ceil(share * self.tni))

    def lendable(self) -> tuple[int, int, int]:
        """What may be lent: BKO persons, Brimob platoons, TNI persons."""
        kept = self.kept()
        return (self.bko_polri - kept[0], self.platoons - kept[1], self.tni - kept[2])


@dataclass(frozen=True)
class Share:
    """What one Polres receives and what it still lacks after it."""

    code: str
    bko_polri: int
    brimob_platoons: int
    tni: int
    rawan_short: int  # rawan seats still short
    tps_short: int  # TPS seats still short (rawan included)
    contingency_short: int

    @property
    def brimob(self) -> int:
        return self.brimob_platoons * PLATOON

    @property
    def persons(self) -> int:
        return self.bko_polri + self.brimob + self.tni


@dataclass(frozen=True)
class Allocation:
    """The shares, and the three objectives in order (rawan short, all short, distance)."""

    shares: list[Share]
    rawan_short: int
    short: int
    distance: float


def covers(pool: Pool, bko: int, platoons: int, tni: int) -> tuple[int, int]:
    """(TPS seats, contingency persons) that a share fills, by where each force serves."""
    brimob = platoons * PLATOON
    seats = bko + (brimob if pool.brimob_on_tps else 0) + (tni if pool.tni_on_tps else 0)
    return seats, (0 if pool.brimob_on_tps else brimob) + (0 if pool.tni_on_tps else tni)


def share_of(need: Need, pool: Pool, bko: int, platoons: int, tni: int) -> Share:
    """A Polres's share and what it leaves short."""
    seats, reserve = covers(pool, bko, platoons, tni)
    return Share(need.code, bko, platoons, tni, max(need.rawan - seats, 0),
                 max(need.rawan + need.safe - seats, 0), max(need.contingency - reserve, 0))


def cost_per_person(need: Need) -> float:
    """Stage 3's price of one person lent to the Polres: 1 + kilometres from the pool."""
    return 1.0 + need.km


def allocate(needs: list[Need], pool: Pool) -> Allocation:
    """The exact lexicographic allocation (see the module's docstring)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    n = len(needs)
    if n == 0:
        return Allocation([], 0, 0, 0.0)
    # Columns, each a block of n: bko, platoons, tni, rawan short, other seats short, contingency
    # short, and "receives a reserve" (0/1). A short column is pushed down to the true shortfall
    # by its own stage's objective.
    b, k, t, ur, us, uc, z = (np.arange(n) + i * n for i in range(7))
    size = 7 * n
    rows: list[np.ndarray] = []
    lower: list[float] = []
    upper: list[float] = []

    def row(entries: dict[int, float], lo: float, hi: float = np.inf) -> None:
        vector = np.zeros(size)
        for column, value in entries.items():
            vector[column] += value
        rows.append(vector)
        lower.append(lo)
        upper.append(hi)

    seat_k = PLATOON if pool.brimob_on_tps else 0
    seat_t = 1 if pool.tni_on_tps else 0
    for p, need in enumerate(needs):
        seats = {b[p]: 1.0, k[p]: seat_k, t[p]: seat_t}
        row({**seats, ur[p]: 1.0}, need.rawan)  # ur >= rawan - seats
        row({**seats, ur[p]: 1.0, us[p]: 1.0}, need.rawan + need.safe)
        row({k[p]: PLATOON - seat_k, t[p]: 1 - seat_t, uc[p]: 1.0}, need.contingency)
        # The reserve floor: reserve persons lent are 0 (z = 0) or at least the floor (z = 1).
        reserve = {k[p]: PLATOON - seat_k, t[p]: 1 - seat_t}
        row({**reserve, z[p]: -float(pool.floor)}, 0.0)
        row({**reserve, z[p]: -float(PLATOON * pool.platoons + pool.tni)}, -np.inf, 0.0)
    for block, limit in zip((b, k, t), pool.lendable()):
        row(dict.fromkeys(block.tolist(), 1.0), -np.inf, limit)
    integrality = np.zeros(size)
    integrality[: 3 * n] = 1
    integrality[z] = 1
    upper_bound = np.full(size, np.inf)
    upper_bound[z] = 1.0
    bounds = Bounds(np.zeros(size), upper_bound)
    stages = [np.zeros(size) for _ in range(3)]
    stages[0][ur] = 1.0
    stages[1][us] = 1.0
    stages[1][uc] = 1.0
    stages[1][ur] = 1.0
    cost = np.array([cost_per_person(need) for need in needs])
    stages[2][b], stages[2][k], stages[2][t] = cost, cost * PLATOON, cost
    solution = None
    for stage, objective in enumerate(stages):
        result = milp(objective, constraints=LinearConstraint(np.array(rows), lower, upper),
                      integrality=integrality, bounds=bounds)
        if not result.success:
            raise RuntimeError(f"the allocation's stage {stage + 1} failed: {result.message}")
        solution = result.x
        # Keep this stage's optimum (integral shortfalls: half a person of slack is exact).
        rows.append(objective.copy())
        lower.append(-np.inf)
        upper.append(float(result.fun) + (0.5 if stage < 2 else 0.0))
    assert solution is not None
    whole = np.rint(solution[: 3 * n]).astype(int)
    shares = [share_of(need, pool, int(whole[b[p]]), int(whole[k[p]]), int(whole[t[p]]))
              for p, need in enumerate(needs)]
    return summarise(shares, needs)


def summarise(shares: list[Share], needs: list[Need]) -> Allocation:
    """The allocation of these shares with its three objective values."""
    distance = sum(cost_per_person(need) * share.persons for share, need in zip(shares, needs))
    return Allocation(
        shares,
        sum(s.rawan_short for s in shares),
        sum(s.tps_short + s.contingency_short for s in shares),
        round(distance, 6),
    )
