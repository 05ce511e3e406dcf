"""The executable specification: check a plan against every rule, and explain it, no solver.

``validate`` runs every rule of ``rules.RULES``; ``explain_tps`` and ``explain_officer`` answer
the two questions people ask of a plan: who guards this TPS, and where do I go.
"""

from __future__ import annotations

from collections.abc import Callable

from pamtps.domain import Dataset, Officer, VulnerabilityClass
from pamtps.domain.plan import Assignment, ClassReason, Duty, Plan, RuleResult, Scenario
from pamtps.planner.home_sector import HomeSectorView, why
from pamtps.planner.rules import RULES


def validate(plan: Plan, scenario: Scenario) -> list[RuleResult]:
    """Every planning rule checked on the plan, in ``RULES`` order."""
    return [rule(plan, scenario) for rule in RULES]


def _label(cls: VulnerabilityClass) -> str:
    return cls.value.replace("_", " ")


def _name_of(dataset: Dataset, code: str) -> str:
    """A readable name for a unit, guarded object or area code (the code itself if unknown)."""
    if code in dataset.unit_by_code:
        return dataset.unit_by_code[code].name
    for obj in dataset.objects:
        if obj.code == code:
            return obj.name
    area = dataset.area_by_code.get(code)
    return f"{area.name} ({code})" if area else code


def _who(officer: Officer | None, nrp: str) -> str:
    if officer is None:
        return f"NRP {nrp} (not on the roster)"
    return f"{officer.display} (NRP {nrp}, {officer.function})"


def explain_tps(
    plan: Plan,
    scenario: Scenario,
    code: str,
    reason_text: Callable[[ClassReason], str] = str,
) -> str:
    """Who guards a TPS: its class and why, its post, the team with ranks, the nearest reserve.

    ``reason_text`` renders each class reason (a code with parameters) in the reader's language;
    the shells pass ``pamtps.i18n.reason_text``, which the planner may not import.
    """
    dataset = scenario.dataset
    tps = next((t for t in dataset.tps if t.code == code), None)
    if tps is None:
        raise KeyError(f"no TPS {code} in dataset {dataset.name}")
    officers = {o.nrp: o for o in dataset.personnel}
    cls = plan.classes.get(code)
    lines = [
        f"{tps.label} ({code}), {_name_of(dataset, tps.desa_code)}, "
        f"Kecamatan {_name_of(dataset, tps.kecamatan_code)}",
        f"class: {_label(cls) if cls else 'not classed'}"
        + "".join(f"\n  - {reason_text(reason)}" for reason in plan.reasons.get(code, [])),
    ]
    post = next((p for p in plan.posts if code in p.tps), None)
    if post is None:
        lines.append("post: none (this TPS is not covered)")
    else:
        team = plan.team(post.id)
        lines.append(
            f"post {post.id} ({_label(post.vulnerability)}, "
            f"{_name_of(dataset, post.sector)}): {len(post.tps)} TPS, "
            f"{len(team)} of {post.required} officers"
        )
        lines += [
            f"  {'leader' if a.leader else 'member'}: {_who(officers.get(a.nrp), a.nrp)}, "
            f"{a.travel_min:.0f} min from base"
            for a in team
        ]
    minutes = plan.reserve_minutes.get(code)
    lines.append("nearest reserve: " + (f"{minutes:.0f} min" if minutes is not None else "none"))
    return "\n".join(lines)


def _duty_line(plan: Plan, dataset: Dataset, a: Assignment) -> str:
    if a.duty is Duty.POST:
        post = plan.post_by_id().get(a.target)
        where = f"post {a.target}" + (" as leader" if a.leader else "")
        if post is not None:
            where += f": TPS {', '.join(post.tps)} ({_name_of(dataset, post.kecamatan)})"
        return where
    if a.duty is Duty.UNAVAILABLE:
        return "unavailable: no duty in this plan"
    names = {
        Duty.PADAL: "Padal of kecamatan",
        Duty.GUARD: "guard at",
        Duty.RESERVE: "reserve at",
        Duty.HQ: "duty at",
    }
    return f"{names[a.duty]} {_name_of(dataset, a.target)}"


def explain_officer(plan: Plan, scenario: Scenario, nrp: str) -> str:
    """Where an officer goes: his duty, post or target, his partners and his travel time."""
    dataset = scenario.dataset
    officers = {o.nrp: o for o in dataset.personnel}
    mine = [a for a in plan.assignments if a.nrp == nrp]
    if nrp not in officers and not mine:
        raise KeyError(f"no officer with NRP {nrp}")
    officer = officers.get(nrp)
    unit = _name_of(dataset, officer.unit_code) if officer else "unknown unit"
    lines = [f"{_who(officer, nrp)}, {unit}"]
    if not mine:
        lines.append("duty: none in this plan")
    for a in mine:
        lines.append("duty: " + _duty_line(plan, dataset, a))
        if a.duty is Duty.UNAVAILABLE:
            continue
        others = [
            b
            for b in plan.assignments
            if b.duty is a.duty and b.target == a.target and b.nrp != nrp
        ]
        if a.duty is Duty.POST:
            lines += [
                f"  partner: {_who(officers.get(b.nrp), b.nrp)}" + (" (leader)" if b.leader else "")
                for b in others
            ]
        else:
            lines.append(f"  with {len(others)} other officer(s)")
        lines.append(f"travel: {a.travel_min:.0f} min from base")
    lines += _home_sector_lines(plan, scenario, nrp)
    return "\n".join(lines)


def _home_sector_lines(plan: Plan, scenario: Scenario, nrp: str) -> list[str]:
    """Why a Polsek officer serves outside his sector, or stays at his unit (home-sector rule)."""
    case = HomeSectorView(plan, scenario).case(nrp)
    if case is None or not (case.outside or case.sector is None):
        return []
    names = {u.code: u.name for u in scenario.dataset.units}
    home = names.get(case.home, case.home)
    if case.outside and case.sector is not None:
        head = f"outside his sector: an officer of {home} on a post of {names.get(case.sector)}"
    else:
        head = f"not on a TPS: at his unit, {home}"
    price = scenario.operation.staffing.outside_sector_minutes
    verdict = (
        "within the home-sector rule"
        if case.justified
        else f"against the home-sector rule (price {price:g} min)"
        if price
        else "the home-sector rule is off"
    )
    return [f"{head} ({verdict})", *(f"  because {line}" for line in why(case, names))]
