"""The home-sector rule read off a plan, without a solver: who serves outside his sector, and why.

A Kapolsek commands his own sector: his officers guard its TPS first; BKO and Polres staff fill
the rest. Staffing prices every departure from that (``staffing.HomeSector``); this module
checks a finished plan against it and gives the reasons, for the rule
``polsek_officers_in_own_sector`` and for ``explain_officer``. A Polsek officer outside his
sector is justified when both hold:

- his own sector needs him no more: every TPS seat of his sector that he could take is held by
  one of its own officers (it has more officers than its posts need);
- the sector he serves in had no one of its own left: none of its officers stays at his unit
  who could have taken the seat.

A Polsek officer kept at his unit is justified when no seat of his sector that he could take is
held by someone from elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from pamtps.domain import Officer
from pamtps.domain.plan import Assignment, Duty, Plan, Post, Scenario
from pamtps.planner.policy import home_sector, is_hq_leader


@dataclass(frozen=True)
class HomeCase:
    """One Polsek officer on a TPS post or at his unit, judged by the home-sector rule."""

    nrp: str
    home: str  # his Polsek (sector code)
    sector: str | None  # the sector of the post he sits on; None at his unit
    home_seats: int  # police seats on his sector's posts
    home_held: int  # of them, held by his sector's own officers
    taken_by_others: tuple[str, ...]  # NRP of others on his sector's seats he could take
    host_idle: tuple[str, ...]  # officers of the host sector at their unit who could sit there

    @property
    def outside(self) -> bool:
        return self.sector is not None and self.sector != self.home

    @property
    def justified(self) -> bool:
        if self.sector == self.home:
            return True
        return not self.taken_by_others and not self.host_idle


class HomeSectorView:
    """A plan's TPS seats by sector, and its Polsek officers' duties."""

    def __init__(self, plan: Plan, scenario: Scenario) -> None:
        dataset = scenario.dataset
        self.officers = {o.nrp: o for o in dataset.personnel}
        self.posts: dict[str, Post] = plan.post_by_id()
        self.desa_of = {t.code: t.desa_code for t in dataset.tps}
        self.home = {
            o.nrp: h for o in dataset.personnel if (h := home_sector(dataset, o)) is not None
        }
        self.duty: dict[str, Assignment] = {a.nrp: a for a in plan.assignments}
        self.seated: dict[str, list[Assignment]] = {}  # sector -> police on its posts
        for a in plan.assignments:
            post = self.posts.get(a.target) if a.duty is Duty.POST else None
            officer = self.officers.get(a.nrp)
            if post is not None and officer is not None and officer.rank.service == "polri":
                self.seated.setdefault(post.sector, []).append(a)

    def may_sit(self, officer: Officer, post_id: str) -> bool:
        """Whether the officer could sit on the post (not barred from any of its desa)."""
        post = self.posts.get(post_id)
        desa = {self.desa_of.get(c) for c in post.tps} if post else set()
        return not (officer.barred_desa & desa)

    def idle(self, sector: str) -> list[Officer]:
        """The sector's own officers at their unit who could sit on a TPS post."""
        return [
            o
            for nrp, home in self.home.items()
            if home == sector
            and (o := self.officers[nrp]).available
            and not is_hq_leader(o)
            and (a := self.duty.get(nrp)) is not None
            and a.duty is Duty.HQ
        ]

    def case(self, nrp: str) -> HomeCase | None:
        """The officer's case, if he is a Polsek officer on a TPS post or at his unit."""
        home, a = self.home.get(nrp), self.duty.get(nrp)
        if home is None or a is None or a.duty not in (Duty.POST, Duty.HQ):
            return None
        officer = self.officers[nrp]
        if a.duty is Duty.HQ and (not officer.available or is_hq_leader(officer)):
            return None
        post = self.posts.get(a.target) if a.duty is Duty.POST else None
        sector = post.sector if post is not None else None
        if a.duty is Duty.POST and sector is None:
            return None
        mine = self.seated.get(home, [])
        taken = tuple(
            b.nrp
            for b in mine
            if self.home.get(b.nrp) != home and b.nrp != nrp and self.may_sit(officer, b.target)
        )
        idle: tuple[str, ...] = ()
        if sector is not None and sector != home:
            idle = tuple(o.nrp for o in self.idle(sector) if self.may_sit(o, a.target))
        held = sum(1 for b in mine if self.home.get(b.nrp) == home)
        return HomeCase(nrp, home, sector, len(mine), held, taken, idle)

    def cases(self) -> list[HomeCase]:
        """Every Polsek officer on a TPS post or at his unit, in roster order."""
        return [c for nrp in self.officers if (c := self.case(nrp)) is not None]


def why(case: HomeCase, name_of: dict[str, str]) -> list[str]:
    """The reasons of a case, one line each (English; sector names from ``name_of``)."""
    home = name_of.get(case.home, case.home)
    lines = []
    if case.taken_by_others:
        lines.append(
            f"{len(case.taken_by_others)} TPS seat(s) of {home} that he could take are held by "
            f"officers from elsewhere ({', '.join(case.taken_by_others[:5])}"
            f"{', ...' if len(case.taken_by_others) > 5 else ''})"
        )
    elif case.outside or case.sector is None:
        lines.append(
            f"{home} needs him no more on its TPS: the {case.home_seats} seat(s) he could take "
            f"are all held by its own officers ({case.home_held} of them on its posts)"
        )
    if case.outside and case.sector is not None:
        host = name_of.get(case.sector, case.sector)
        if case.host_idle:
            lines.append(
                f"{host} still had {len(case.host_idle)} officer(s) of its own at their unit "
                f"who could take this seat ({', '.join(case.host_idle[:5])})"
            )
        else:
            lines.append(
                f"{host} had no officer of its own left for this seat: all of them are on duty"
            )
    return lines
