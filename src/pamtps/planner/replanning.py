"""Re-plan after reality changes, keeping every assignment that still holds.

Officers fall sick, Polri reclassifies TPS (overrides in the operation file), the Polda withdraws
a BKO unit. ``replan`` keeps every post whose sector's classes did not change, rebuilds the posts
of the sectors whose did (with the officers that sector had), and re-staffs with a large bonus
for each officer keeping his seat (``staffing.KEEP_BONUS``), so only what must change changes.
``PlanDiff`` says what did: posts, who left, who replaced them and why.

A re-plan keeps the posts as they were sent out: when lent officers leave, own officers from HQ
duty fill their seats, even above the TPS quota (the rule ``tps_share_met`` then says so).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from pamtps.domain import Dataset
from pamtps.domain.plan import Assignment, Plan, Post, Quality, Scenario
from pamtps.planner.classify import classify
from pamtps.planner.policy import own_target, tps_quota
from pamtps.planner.posts import build_posts
from pamtps.planner.sectors import sector_of_tps
from pamtps.planner.solve import make_plan, requirement_report, status_of, with_solver
from pamtps.planner.staffing import Continuity, reserve_reach, staff, tps_strength
from pamtps.planner.travel import TravelModel, travel_for


@dataclass
class PostChange:
    """A post that changed: added, removed, its TPS or its team (who left, who joined)."""

    post: str
    change: str  # "added", "removed", "tps", "team"
    left: list[str] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)


@dataclass
class OfficerChange:
    """An officer whose duty or target changed, and why."""

    nrp: str
    before: str
    after: str
    reason: str


@dataclass
class PlanDiff:
    """What a re-plan changed, readable with ``str()``."""

    rebuilt_sectors: list[str]
    posts: list[PostChange]
    officers: list[OfficerChange]
    kept: int  # officers whose duty and target did not change
    notes: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # NRP -> "Bripka Andi" where known

    def _who(self, nrp: str) -> str:
        return f"{self.names[nrp]} ({nrp})" if nrp in self.names else nrp

    def __str__(self) -> str:
        lines = [
            f"Re-plan: {len(self.posts)} post(s) changed, {len(self.officers)} officer(s) "
            f"changed duty, {self.kept} kept theirs."
        ]
        lines.append("Sectors rebuilt: " + (", ".join(self.rebuilt_sectors) or "none"))
        lines += [f"Note: {note}" for note in self.notes]
        for change in self.posts:
            parts = [f"{self._who(n)} left" for n in change.left]
            parts += [f"{self._who(n)} joined" for n in change.joined]
            lines.append(f"Post {change.post} ({change.change}): " + ("; ".join(parts) or "-"))
        lines += [
            f"Officer {self._who(c.nrp)}: {c.before} -> {c.after} ({c.reason})"
            for c in self.officers
        ]
        return "\n".join(lines)


def _describe(a: Assignment | None) -> str:
    if a is None:
        return "not in the plan"
    return f"{a.duty.value} {a.target}".strip()


def _teams(plan: Plan) -> dict[str, set[str]]:
    return {post.id: {a.nrp for a in plan.team(post.id)} for post in plan.posts}


def diff_plans(
    before: Plan, after: Plan, scenario: Scenario, rebuilt: list[str] | None = None
) -> PlanDiff:
    """The changes from ``before`` to ``after`` (``scenario`` is the new reality)."""
    officers = {o.nrp: o for o in scenario.dataset.personnel}
    old_posts, new_posts = before.post_by_id(), after.post_by_id()
    old_teams, new_teams = _teams(before), _teams(after)
    posts = []
    for pid in sorted(old_posts.keys() | new_posts.keys()):
        old, new = old_teams.get(pid, set()), new_teams.get(pid, set())
        if pid not in new_posts:
            change = "removed"
        elif pid not in old_posts:
            change = "added"
        elif set(old_posts[pid].tps) != set(new_posts[pid].tps):
            change = "tps"
        elif old != new:
            change = "team"
        else:
            continue
        posts.append(PostChange(pid, change, sorted(old - new), sorted(new - old)))
    left_post = {n: c.post for c in posts for n in c.left}
    joined_for = {n: c.left for c in posts for n in c.joined}
    old_duty = {a.nrp: a for a in before.assignments}
    new_duty = {a.nrp: a for a in after.assignments}
    changes, kept = [], 0
    for nrp in sorted(old_duty.keys() | new_duty.keys()):
        a, b = old_duty.get(nrp), new_duty.get(nrp)
        if a is not None and b is not None and (a.duty, a.target) == (b.duty, b.target):
            kept += 1
            continue
        if nrp not in officers:
            reason = "withdrawn from the roster"
        elif not officers[nrp].available:
            reason = officers[nrp].availability.value
        elif joined_for.get(nrp):
            reason = "replaces " + ", ".join(joined_for[nrp])
        elif nrp in left_post:
            reason = f"post {left_post[nrp]} changed"
        else:
            reason = "reassigned"
        changes.append(OfficerChange(nrp, _describe(a), _describe(b), reason))
    names = {n: officers[n].display for n in old_duty.keys() | new_duty.keys() if n in officers}
    return PlanDiff(sorted(rebuilt or []), posts, changes, kept, names=names)


def _sector_posts(
    scenario: Scenario,
    sector: str,
    classes: dict[str, Any],
    travel: TravelModel,
    budget: int | None,
) -> list[Post]:
    """New posts for one sector's TPS alone, for ``budget`` officers (None: the pattern)."""
    sector_of = sector_of_tps(scenario.dataset)
    d = scenario.dataset
    tps = [t for t in d.tps if sector_of[t.code] == sector]
    sub = Dataset(
        d.name, d.regency_codes, d.areas, tps, d.units, d.personnel, d.objects, d.boundaries
    )
    stage = build_posts(
        Scenario(sub, scenario.operation), {t.code: classes[t.code] for t in tps}, travel, budget
    )
    return list(stage.posts)


def replan(previous: Plan, scenario: Scenario, *, seed: int | None = None) -> tuple[Plan, PlanDiff]:
    """A new plan for the changed ``scenario`` that changes as little of ``previous`` as it can."""
    start = time.perf_counter()
    scenario = with_solver(scenario, None, seed)
    seed = scenario.operation.solver.seed
    travel = travel_for(scenario)
    classes, reasons = classify(scenario, travel=travel)
    sector_of = sector_of_tps(scenario.dataset)
    rebuilt = sorted({sector_of[c] for c in classes if previous.classes.get(c) != classes[c]})
    allocation = scenario.operation.mode == "allocation"
    posts = [p for p in previous.posts if p.sector not in rebuilt]
    for sector in rebuilt:
        budget = sum(p.required for p in previous.posts if p.sector == sector)
        posts += _sector_posts(scenario, sector, classes, travel, budget if allocation else None)
    own, lent = tps_strength(scenario, travel)
    seats = sum(p.required for p in posts)
    own_on_tps = max(own, seats - lent) if allocation else own_target(scenario, posts)
    staffing = staff(
        scenario, posts, travel, own_on_tps=own_on_tps, previous=Continuity.of(previous)
    )
    status = status_of(staffing.objective, staffing.lower_bound, bool(staffing.shortages))
    stages = {
        "replan": {
            "rebuilt_sectors": rebuilt,
            "kept_posts": len(posts) - sum(1 for p in posts if p.sector in rebuilt),
        },
        "staffing": staffing.numbers,
    }
    quality = Quality(
        staffing.objective,
        staffing.lower_bound,
        status,
        round(time.perf_counter() - start, 3),
        seed,
        stages,
    )
    requirement = {} if allocation else requirement_report(scenario, posts, staffing)
    reach = reserve_reach(scenario, staffing.assignments, travel)
    new = make_plan(
        scenario,
        classes,
        reasons,
        posts,
        staffing.assignments,
        reach,
        quality,
        shortages=staffing.shortages,
        requirement=requirement,
        version=previous.version + 1,
    )
    diff = diff_plans(previous, new, scenario, rebuilt)
    if allocation and own_on_tps > tps_quota(scenario):
        diff.notes.append(
            f"{own_on_tps} own officers on TPS, above the quota of "
            f"{tps_quota(scenario)}: they fill the seats of withdrawn lent officers"
        )
    return new, diff
