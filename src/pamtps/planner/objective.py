"""A plan's objective recomputed from the plan itself, with the travel model and nothing else.

The planner minimises three terms, all in minutes:

- *ground*: from each post's point (``Post.lat``/``lng``, its base) to each of its TPS;
- *seats*: from each officer's base to his seat, a TPS post's point or a guarded object;
- *home-sector price* (``[staffing] outside_sector_minutes``, P): P for each TPS seat of a
  Polsek's sector held by someone not of that Polsek, and P for each Polsek officer seated
  outside his sector.

This module sums them again from the plan's posts and assignments (never from the figures the
plan reports), so that ``pamtps validate`` catches a plan whose objective does not match what it
contains. A re-plan reports the seats and the price only (it keeps the posts it can, and its
objective is the staffing's): its stages say so, and the check follows them.
"""

from __future__ import annotations

from dataclasses import dataclass

from pamtps.domain.plan import Duty, Plan, RuleResult, Scenario
from pamtps.planner.policy import home_sector, place_of
from pamtps.planner.travel import TravelModel, travel_for

TOLERANCE_BASE = 0.01  # minutes: the reported objective is rounded to 0.01 min
TOLERANCE_PER_SEAT = 0.005  # minutes: a plan may round each seat's travel to 0.01 min


@dataclass(frozen=True)
class ObjectiveTerms:
    """The objective's terms, recomputed (minutes), and whether the plan counts the ground."""

    ground: float
    seats: float
    price: float
    seated: int  # seats counted (each may have been rounded)
    counts_ground: bool = True

    @property
    def total(self) -> float:
        return (self.ground if self.counts_ground else 0.0) + self.seats + self.price


def counts_ground(plan: Plan) -> bool:
    """Whether the plan's objective includes the ground: every plan but a re-plan's."""
    return "replan" not in plan.quality.stages


def objective_terms(
    plan: Plan, scenario: Scenario, travel: TravelModel | None = None
) -> ObjectiveTerms:
    """The three terms of the plan's objective, summed from its posts and assignments."""
    dataset = scenario.dataset
    travel = travel or travel_for(scenario)
    where = {t.code: (t.lat, t.lng) for t in dataset.tps}
    ground = 0.0
    for post in plan.posts:
        points = [where[c] for c in post.tps if c in where]
        if points:
            ground += float(travel.matrix([(post.lat, post.lng)], points).sum())
    officers = {o.nrp: o for o in dataset.personnel}
    posts = plan.post_by_id()
    polsek = {u.code for u in dataset.polsek}
    price = float(scenario.operation.staffing.outside_sector_minutes)
    seats, paid, seated = 0.0, 0, 0
    for a in plan.assignments:
        officer = officers.get(a.nrp)
        if officer is None or a.duty not in (Duty.POST, Duty.GUARD):
            continue
        seat = posts.get(a.target) if a.duty is Duty.POST else None
        if a.duty is Duty.POST and seat is None:
            continue  # a seat on no post: the rules report it
        point = (seat.lat, seat.lng) if seat is not None else place_of(dataset, a.target)
        seats += travel.minutes(officer.base_lat, officer.base_lng, *point)
        seated += 1
        if seat is not None:
            home = home_sector(dataset, officer)
            paid += (seat.sector in polsek and home != seat.sector) + (
                home is not None and home != seat.sector
            )
    return ObjectiveTerms(ground, seats, price * paid, seated, counts_ground(plan))


def tolerance(terms: ObjectiveTerms) -> float:
    """The largest difference between a reported and a recomputed objective that rounding can
    explain: half a hundredth of a minute per seat, and the objective's own rounding."""
    return TOLERANCE_BASE + TOLERANCE_PER_SEAT * terms.seated


def check_objective(
    plan: Plan, scenario: Scenario, travel: TravelModel | None = None
) -> RuleResult:
    """The reported objective against the one recomputed from the plan (one check, as a rule)."""
    terms = objective_terms(plan, scenario, travel)
    reported = plan.quality.objective
    difference = reported - terms.total
    parts = f"ground {terms.ground:,.2f}, " if terms.counts_ground else ""
    violations = []
    if abs(difference) > tolerance(terms):
        violations.append(
            f"reported objective {reported:,.2f}, recomputed {terms.total:,.2f} "
            f"({parts}seats {terms.seats:,.2f}, home-sector price {terms.price:,.2f}): "
            f"off by {difference:+,.2f} min"
        )
    return RuleResult(
        "objective_recomputed",
        f"reported objective = recomputed from the plan (within {tolerance(terms):,.2f} min)",
        1 - len(violations),
        1,
        violations,
        params={"tolerance": round(tolerance(terms), 2)},
    )
