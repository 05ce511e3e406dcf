"""What the planner takes and gives: Scenario in, Plan out.

A Plan is plain data (it round-trips through JSON with ``to_dict``/``from_dict``) so that it can
be written to a file, stored, validated without any solver and compared with a later re-plan.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from typing import Any

from pamtps.domain import Dataset, VulnerabilityClass
from pamtps.domain.operation import OperationConfig


@dataclass(frozen=True)
class Scenario:
    """A dataset (with its roster) and the operation's rules: everything a plan depends on."""

    dataset: Dataset
    operation: OperationConfig


@dataclass(frozen=True)
class Reason:
    """Why a TPS has its class, as a message code and its parameters (plain JSON values).

    The text is rendered in the reader's language by ``pamtps.i18n.reason_text``, e.g.
    ``Reason("prescreen", {"rank": 3, "of": 1225, "km": 34.2, "base": "Polsek Ulu Ogan"})``.
    """

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        # Only a fallback for logs and tests; people read the rendered text.
        shown = ", ".join(f"{key}={value}" for key, value in self.params.items())
        return f"{self.code}({shown})"


ClassReason = Reason | str
"""A reason in a plan: a Reason, or plain text in a plan file written before reasons had codes."""


def reason_of(data: Any) -> ClassReason:
    """A reason as a plan file holds it: {"code": ..., "params": {...}}, or a plain string."""
    if isinstance(data, dict) and "code" in data:
        return Reason(str(data["code"]), dict(data.get("params") or {}))
    return str(data)


class Duty(enum.StrEnum):
    """What an officer does in the plan; every officer has exactly one."""

    POST = "post"  # on a TPS post
    PADAL = "padal"  # controlling officer over a kecamatan's posts
    GUARD = "guard"  # guarding an object (KPU office, warehouse, PPK)
    RESERVE = "reserve"
    HQ = "hq"  # staff duty at headquarters / the command post
    UNAVAILABLE = "unavailable"


@dataclass
class Post:
    """A group of TPS guarded together by one team.

    ``required`` is the minimum team size by the pattern; ``sector`` is the Polsek unit code.
    ``lat``/``lng`` is where the team is based for travel (its central TPS).
    """

    id: str
    sector: str
    kecamatan: str
    vulnerability: VulnerabilityClass
    tps: list[str]
    required: int
    tni_required: int
    lat: float
    lng: float


@dataclass
class Assignment:
    """One officer's duty. ``target`` is a post id, kecamatan code, object code, station or ''."""

    nrp: str
    duty: Duty
    target: str = ""
    leader: bool = False
    travel_min: float = 0.0


@dataclass
class RuleResult:
    """One rule checked on a plan: "2 officers at each rawan TPS: 20 of 20".

    ``description`` is in English, for logs and code; a reader gets the catalogue's text of
    ``key`` (default ``rule.<rule>``) filled with ``params``.
    """

    rule: str
    description: str
    satisfied: int
    total: int
    violations: list[str] = field(default_factory=list)
    key: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The catalogue key of the rule's text for a reader."""
        return self.key or f"rule.{self.rule}"

    @property
    def ok(self) -> bool:
        return self.satisfied == self.total and not self.violations

    def __str__(self) -> str:
        return f"{self.description}: {self.satisfied} of {self.total}"


@dataclass
class Quality:
    """How good a plan is and how sure we are: a plan without a bound says 'heuristic'."""

    objective: float
    lower_bound: float | None
    status: str  # "optimal", "feasible", "heuristic", "short" (strength below the minimums)
    seconds: float
    seed: int
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        if self.lower_bound is None:
            return None
        if self.objective == 0:
            return 0.0
        return max(self.objective - self.lower_bound, 0.0) / abs(self.objective)


@dataclass
class Shortage:
    """Officers missing in a sector to meet the pattern (instead of 'infeasible')."""

    sector: str
    needed: int
    available: int

    @property
    def missing(self) -> int:
        return max(self.needed - self.available, 0)


@dataclass
class Plan:
    """A deployment plan: classes, posts, every officer's duty, reserve reach and quality."""

    dataset: str
    operation: str
    regency: str
    mode: str
    seed: int
    classes: dict[str, VulnerabilityClass]  # TPS code -> class
    reasons: dict[str, list[ClassReason]]  # TPS code -> why it has its class
    posts: list[Post]
    assignments: list[Assignment]
    reserve_minutes: dict[str, float]  # TPS code -> travel time of the nearest reserve
    quality: Quality
    shortages: list[Shortage] = field(default_factory=list)
    requirement: dict[str, Any] = field(default_factory=dict)  # requirement mode: need per sector
    version: int = 1

    def post_by_id(self) -> dict[str, Post]:
        return {post.id: post for post in self.posts}

    def team(self, post_id: str) -> list[Assignment]:
        return [a for a in self.assignments if a.duty is Duty.POST and a.target == post_id]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["quality"]["gap"] = self.quality.gap
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        quality = dict(data["quality"])
        quality.pop("gap", None)
        return cls(
            dataset=data["dataset"],
            operation=data["operation"],
            regency=data["regency"],
            mode=data["mode"],
            seed=data["seed"],
            classes={k: VulnerabilityClass(v) for k, v in data["classes"].items()},
            reasons={k: [reason_of(r) for r in v] for k, v in data["reasons"].items()},
            posts=[
                Post(**{**p, "vulnerability": VulnerabilityClass(p["vulnerability"])})
                for p in data["posts"]
            ],
            assignments=[Assignment(**{**a, "duty": Duty(a["duty"])}) for a in data["assignments"]],
            reserve_minutes=dict(data["reserve_minutes"]),
            quality=Quality(**quality),
            shortages=[Shortage(**s) for s in data.get("shortages", [])],
            requirement=dict(data.get("requirement", {})),
            version=data.get("version", 1),
        )
