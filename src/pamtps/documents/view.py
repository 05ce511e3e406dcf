"""One read-only view of a plan and its scenario: the lookups every output needs, built once.

A Plan holds codes and NRPs; the printed outputs need names, ranks, desa, Polsek and Padal.
``PlanView`` joins them so that the writers only lay the results out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from pamtps.documents import labels
from pamtps.domain import Officer, Precision, Tps, Unit, UnitType, VulnerabilityClass
from pamtps.domain.plan import Assignment, Duty, Plan, Post, Scenario


@dataclass(frozen=True)
class Member:
    """An officer with his duty in the plan."""

    officer: Officer
    assignment: Assignment

    @property
    def display(self) -> str:
        return self.officer.display


class PlanView:
    """Names, teams and groupings of a plan, for writers that lay them out."""

    def __init__(self, plan: Plan, scenario: Scenario) -> None:
        self.plan = plan
        self.scenario = scenario
        self.dataset = scenario.dataset
        self.operation = scenario.operation
        self.officers = {officer.nrp: officer for officer in self.dataset.personnel}
        self.tps = {tps.code: tps for tps in self.dataset.tps}
        self.posts = plan.post_by_id()
        self.by_duty: dict[Duty, list[Member]] = defaultdict(list)
        for assignment in plan.assignments:
            officer = self.officers.get(assignment.nrp)
            if officer is None:
                raise ValueError(f"plan names NRP {assignment.nrp} who is not in the roster")
            self.by_duty[assignment.duty].append(Member(officer, assignment))
        self.teams: dict[str, list[Member]] = defaultdict(list)
        for member in self.by_duty[Duty.POST]:
            self.teams[member.assignment.target].append(member)
        for team in self.teams.values():
            team.sort(key=_senior_first)

    # Names and places.

    def area_name(self, code: str) -> str:
        area = self.dataset.area_by_code.get(code)
        return area.name if area else code

    def unit_name(self, code: str) -> str:
        unit = self.dataset.unit_by_code.get(code)
        return unit.name if unit else code

    @cached_property
    def polres(self) -> Unit | None:
        return next((u for u in self.dataset.units if u.type is UnitType.POLRES), None)

    @property
    def polres_name(self) -> str:
        return self.polres.name if self.polres else f"Polres {self.regency_name}"

    @property
    def regency_name(self) -> str:
        """'Ogan Komering Ulu': the regency without 'Kabupaten' (a Kota keeps its 'Kota')."""
        return self.area_name(self.operation.regency).removeprefix("Kabupaten ")

    @property
    def zone(self) -> str:
        return labels.time_zone(self.operation.regency)

    def station_name(self, code: str) -> str:
        """A reserve station or guarded object by its unit or object code."""
        for obj in self.dataset.objects:
            if obj.code == code:
                return obj.name
        return self.unit_name(code)

    def station_point(self, code: str) -> tuple[float, float] | None:
        """(lat, lng) of a station: an object or a unit's base."""
        for obj in self.dataset.objects:
            if obj.code == code:
                return obj.lat, obj.lng
        unit = self.dataset.unit_by_code.get(code)
        return (unit.base_lat, unit.base_lng) if unit else None

    # Posts and people.

    def class_of(self, tps: Tps) -> VulnerabilityClass:
        return self.plan.classes.get(tps.code, tps.vulnerability)

    def post_tps(self, post: Post) -> list[Tps]:
        """The post's TPS in code order (desa, then number), as they are printed."""
        return sorted(
            (self.tps[code] for code in post.tps if code in self.tps), key=lambda t: t.code
        )

    def tps_by_desa(self, post: Post) -> list[tuple[str, str]]:
        """(TPS numbers, desa name) per desa of a post: [('001-003', 'Negeri Sindang')]."""
        numbers: dict[str, list[int]] = defaultdict(list)
        for tps in self.post_tps(post):
            numbers[tps.desa_code].append(tps.number)
        return [(labels.number_ranges(n), self.area_name(d)) for d, n in sorted(numbers.items())]

    @cached_property
    def sectors(self) -> list[Unit]:
        """The Polsek sectors that hold posts, in the dataset's order (unknown codes last)."""
        codes = {post.sector for post in self.plan.posts}
        known = [u for u in self.dataset.units if u.code in codes]
        missing = sorted(codes - {u.code for u in known})
        return known + [
            Unit(code, code, UnitType.POLSEK, None, (), None, 0.0, 0.0, Precision.ESTIMATED)
            for code in missing
        ]

    def sector_posts(self, sector: str) -> list[Post]:
        posts = [post for post in self.plan.posts if post.sector == sector]
        return sorted(posts, key=lambda p: (p.kecamatan, p.id))

    def sector_kecamatan(self, sector: str) -> list[str]:
        return sorted({post.kecamatan for post in self.plan.posts if post.sector == sector})

    def team(self, post_id: str) -> list[Member]:
        """The officers of a post, the team leader first, then by seniority."""
        return self.teams.get(post_id, [])

    def padal(self, kecamatan: str) -> list[Officer]:
        return [m.officer for m in self.by_duty[Duty.PADAL] if m.assignment.target == kecamatan]

    def head_of(self, unit_code: str, function: str) -> Officer | None:
        """The officer holding a function in a unit, e.g. the Kapolsek of a sector."""
        return next(
            (
                o
                for o in self.dataset.personnel
                if o.unit_code == unit_code and o.function == function
            ),
            None,
        )

    @property
    def kapolres(self) -> Officer | None:
        return self.head_of(self.polres.code, "Kapolres") if self.polres else None

    def reserve(self) -> dict[str, list[Member]]:
        """Reserve officers by station."""
        return self.stations(Duty.RESERVE)

    def stations(self, duty: Duty) -> dict[str, list[Member]]:
        """Officers of a duty by target (reserve station, guarded object): by unit, seniority."""
        stations: dict[str, list[Member]] = defaultdict(list)
        for member in self.by_duty[duty]:
            stations[member.assignment.target].append(member)
        return {
            code: sorted(members, key=lambda m: (m.officer.unit_code, _senior_first(m)))
            for code, members in sorted(stations.items())
        }


def _senior_first(member: Member) -> tuple[bool, int, str]:
    return (not member.assignment.leader, -member.officer.rank.seniority, member.officer.name)
