"""When the planner's searches stop: counted criteria first, the wall clock only as a safety net.

A search that stops on a count (starts, steps, rounds) does the same work on any machine, so the
same seed gives the same plan however loaded the machine is. The wall clock (the operation's
``[solver] time_limit_s``) only guards against a run that would never end; when it cuts in, the
plan says so (``stopped_by = "wall_clock"``) and is no longer reproducible.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

ITERATIONS = "iterations"  # a counted criterion ran out (the search could have gone on)
CONVERGED = "converged"  # every search reached its own end (no improving move, bound certified)
WALL_CLOCK = "wall_clock"  # the safety net cut in: the plan depends on the machine's speed
LP_GAP = 0.02  # the gap a plan is held to: above it, the bound is finished by its LP


@dataclass(frozen=True)
class StopCriteria:
    """The counted limits of the post stage's searches, and the wall-clock safety net.

    ``starts``: seeded starts of each cell's grouping; ``bound_iterations``: subgradient steps of
    each cell's Lagrangian; ``search_rounds``: rounds of the local search over each sector's posts
    and bases; ``restaff_rounds``: times the posts are improved for their teams and staffed
    again; ``relaxed_rounds``: times posts are formed afresh from the bound's relaxation
    (``relaxed``), each from the last better plan's bound (0: never); ``lp_above_gap``: the
    gap the bound's steps must leave for the bound to be finished by its LP (``master``: column
    generation, HiGHS; ``LP_GAP``, the default; 1.0: never, as ``pamtps plan --no-lp-bound``),
    in at most ``lp_rounds`` solves and ``lp_iterations`` simplex iterations in all;
    ``wall_clock_s``: seconds after which every search stops where it is.
    """

    starts: int = 2
    bound_iterations: int = 200
    search_rounds: int = 30
    restaff_rounds: int = 2
    relaxed_rounds: int = 1
    lp_above_gap: float = LP_GAP
    lp_rounds: int = 30
    lp_iterations: int = 100_000
    wall_clock_s: float = 60.0

    def __post_init__(self) -> None:
        for name in ("starts", "bound_iterations", "search_rounds", "restaff_rounds", "lp_rounds",
                     "lp_iterations"):
            if getattr(self, name) < 1:
                raise ValueError(f"StopCriteria.{name} must be at least 1")
        if self.relaxed_rounds < 0:
            raise ValueError("StopCriteria.relaxed_rounds must not be below 0")
        if self.lp_above_gap < 0:
            raise ValueError("StopCriteria.lp_above_gap must not be below 0")
        if not self.wall_clock_s > 0:
            raise ValueError("StopCriteria.wall_clock_s must be above 0")

    def clock(self) -> Clock:
        """A clock for one run, its safety net starting now."""
        return Clock(self, time.monotonic() + self.wall_clock_s)


@dataclass
class Clock:
    """One run's criteria, its wall-clock deadline, and which criteria stopped its searches."""

    criteria: StopCriteria
    deadline: float
    hits: set[str] = field(default_factory=set)

    def out_of_time(self) -> bool:
        """Whether the safety net has cut in (and, if so, it is recorded)."""
        if time.monotonic() < self.deadline:
            return False
        self.hits.add(WALL_CLOCK)
        return True

    def ran_out(self) -> None:
        """Record that a counted limit stopped a search that could have gone on."""
        self.hits.add(ITERATIONS)

    @property
    def stopped_by(self) -> str:
        """The criterion that decided the plan: the wall clock over a count over convergence."""
        for name in (WALL_CLOCK, ITERATIONS):
            if name in self.hits:
                return name
        return CONVERGED
