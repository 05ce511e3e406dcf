"""The planning rules, one function each: ``rule_<name>(plan, scenario) -> RuleResult``.

Rules read only the plan and the scenario, never a solver, so they check any plan however it
was made (the planner's, the manual baseline, a plan edited by hand). Each result counts what
holds of what it checks ("2 officers at each rawan TPS: 20 of 20") and names every violation.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from pamtps.domain import Officer, Origin, VulnerabilityClass
from pamtps.domain.plan import Assignment, Duty, Plan, RuleResult, Scenario
from pamtps.planner.home_sector import HomeSectorView, why
from pamtps.planner.policy import (
    NEVER_PADAL,
    guards,
    hq_unit,
    is_hq_leader,
    is_reserve_unit,
    kecamatan_with_tps,
    leader_of,
    own_strength,
    own_target,
    station_of,
    strictest,
)
from pamtps.planner.sectors import sector_by_kecamatan

Rule = Callable[[Plan, Scenario], RuleResult]


def _officers(scenario: Scenario) -> dict[str, Officer]:
    return {o.nrp: o for o in scenario.dataset.personnel}


def _teams(plan: Plan) -> dict[str, list[Assignment]]:
    teams: dict[str, list[Assignment]] = {post.id: [] for post in plan.posts}
    for a in plan.assignments:
        if a.duty is Duty.POST:
            teams.setdefault(a.target, []).append(a)
    return teams


def _police(team: list[Assignment], officers: dict[str, Officer]) -> int:
    return sum(1 for a in team if a.nrp in officers and officers[a.nrp].origin is not Origin.TNI)


def _posts_of_tps(plan: Plan) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for post in plan.posts:
        for code in post.tps:
            found[code].append(post.id)
    return found


def _result(
    rule: str,
    description: str,
    total: int,
    violations: list[str],
    failed: int | None = None,
    key: str = "",
    **params: Any,
) -> RuleResult:
    """The rule's result; ``key`` and ``params`` give its text in the catalogue (``rule.<rule>``
    unless ``key`` says otherwise)."""
    failed = len(violations) if failed is None else failed
    return RuleResult(rule, description, total - failed, total, violations, key, params)


def rule_every_tps_covered(plan: Plan, scenario: Scenario) -> RuleResult:
    """Each TPS of the dataset lies in exactly one post."""
    found = _posts_of_tps(plan)
    violations = []
    for tps in scenario.dataset.tps:
        posts = found.get(tps.code, [])
        if len(posts) != 1:
            violations.append(f"TPS {tps.code} in {len(posts)} posts {posts}")
    known = {t.code for t in scenario.dataset.tps}
    extra = [
        f"TPS {code} of post(s) {found[code]} is not in the dataset"
        for code in sorted(set(found) - known)
    ]
    return _result(
        "every_tps_covered",
        "every TPS in exactly one post",
        len(scenario.dataset.tps),
        violations + extra,
        len(violations),
    )


def rule_min_officers_at_rawan_tps(plan: Plan, scenario: Scenario) -> RuleResult:
    """Each rawan TPS has the pattern's officers, in a post no larger than the pattern allows."""
    pattern = scenario.operation.pattern[VulnerabilityClass.RAWAN]
    need, most = pattern.officers_per_post, pattern.max_tps_per_post
    officers, teams, found = _officers(scenario), _teams(plan), _posts_of_tps(plan)
    posts = plan.post_by_id()
    rawan = sorted(c for c, cls in plan.classes.items() if cls is VulnerabilityClass.RAWAN)
    violations = []
    for code in rawan:
        post_ids = found.get(code, [])
        if len(post_ids) != 1:
            violations.append(f"rawan TPS {code} in {len(post_ids)} posts")
            continue
        have = _police(teams[post_ids[0]], officers)
        size = len(posts[post_ids[0]].tps)
        if have < need or size > most:
            violations.append(
                f"rawan TPS {code}: {have} officer(s) for {size} TPS at post {post_ids[0]}"
            )
    where = "each rawan TPS" if most == 1 else f"each post of at most {most} rawan TPS"
    return _result(
        "min_officers_at_rawan_tps", f"{need} officers at {where}", len(rawan), violations,
        key="" if most == 1 else "rule.min_officers_at_rawan_tps.grouped", need=need, most=most,
    )


def rule_posts_meet_pattern(plan: Plan, scenario: Scenario) -> RuleResult:
    """Each post has its strictest TPS's class, required >= the pattern, and a full team."""
    officers, teams = _officers(scenario), _teams(plan)
    violations = []
    for post in plan.posts:
        pattern = scenario.operation.pattern[post.vulnerability]
        worst = strictest(plan.classes[c] for c in post.tps if c in plan.classes)
        police = _police(teams[post.id], officers)
        tni = len(teams[post.id]) - police
        if worst is not post.vulnerability:
            violations.append(
                f"post {post.id} is {post.vulnerability.value}, its TPS {worst.value}"
            )
        elif post.required < pattern.officers_per_post or post.tni_required < pattern.tni_per_post:
            violations.append(
                f"post {post.id} requires {post.required}+{post.tni_required} TNI, "
                f"below the pattern {pattern.officers_per_post}+"
                f"{pattern.tni_per_post}"
            )
        elif police < post.required or tni < post.tni_required:
            violations.append(
                f"post {post.id}: {police}+{tni} TNI of {post.required}+"
                f"{post.tni_required} required"
            )
    return _result(
        "posts_meet_pattern", "every post staffed to the pattern", len(plan.posts), violations
    )


def rule_strength_in_more_posts(plan: Plan, scenario: Scenario) -> RuleResult:
    """Strength goes into more posts, not bigger teams (allocation spreads it "as evenly as the
    pattern's minimums allow"): the police beyond each post's pattern add up to fewer than a
    kurang rawan team, or, when every kurang rawan post already holds a single TPS (no post can
    be added), sit on kurang rawan posts whose teams differ by at most one."""
    officers, teams = _officers(scenario), _teams(plan)
    pattern = scenario.operation.pattern
    team = pattern[VulnerabilityClass.KURANG_RAWAN].officers_per_post
    beyond = {
        post.id: _police(teams[post.id], officers) - pattern[post.vulnerability].officers_per_post
        for post in plan.posts
    }
    extra = sum(max(n, 0) for n in beyond.values())
    kurang = [p for p in plan.posts if p.vulnerability is VulnerabilityClass.KURANG_RAWAN]
    piled = sorted(p for p, n in beyond.items() if n > 0)
    violations = []
    if extra >= team and any(len(p.tps) > 1 for p in kurang):
        violations.append(
            f"{extra} officers beyond the pattern (posts {', '.join(piled[:5])}"
            f"{', ...' if len(piled) > 5 else ''}): enough for {extra // team} more kurang "
            f"rawan post(s) of {team}"
        )
    elif extra >= team:
        sizes = [_police(teams[p.id], officers) for p in kurang]
        elsewhere = [p.id for p in plan.posts
                     if p.vulnerability is not VulnerabilityClass.KURANG_RAWAN and beyond[p.id] > 0]
        if sizes and max(sizes) - min(sizes) > 1:
            violations.append(f"kurang rawan teams of {min(sizes)} to {max(sizes)} officers")
        if elsewhere:
            violations.append(f"officers beyond the pattern on posts {', '.join(elsewhere[:5])}")
    return _result(
        "strength_in_more_posts",
        f"officers beyond the pattern fewer than a kurang rawan team of {team}",
        1,
        violations,
        team=team,
        failed=1 if violations else 0,
    )


def rule_posts_within_sector(plan: Plan, scenario: Scenario) -> RuleResult:
    """Each post's TPS all lie in its sector (a post never crosses a Polsek's boundary)."""
    sector_of = sector_by_kecamatan(scenario.dataset)
    kecamatan = {t.code: t.kecamatan_code for t in scenario.dataset.tps}
    violations = []
    for post in plan.posts:
        outside = [c for c in post.tps if sector_of.get(kecamatan.get(c, "")) != post.sector]
        if outside or sector_of.get(post.kecamatan) != post.sector:
            violations.append(f"post {post.id} ({post.sector}) holds TPS outside it: {outside}")
    return _result(
        "posts_within_sector", "every post within one sector (Polsek)", len(plan.posts), violations
    )


def rule_post_at_its_class_tps(plan: Plan, scenario: Scenario) -> RuleResult:
    """Each post stands at one of its own TPS of the post's class: the team is where the most
    vulnerable of its TPS is, and a post's ground is counted from a TPS it holds. (A post of a
    stricter class may hold TPS of a milder one, within its pattern's TPS per post.)"""
    where = {t.code: (t.lat, t.lng) for t in scenario.dataset.tps}
    violations = []
    for post in plan.posts:
        own_class = [c for c in post.tps if plan.classes.get(c) is post.vulnerability]
        if not any(where.get(c) == (post.lat, post.lng) for c in own_class):
            violations.append(
                f"post {post.id} ({post.vulnerability.value}) stands at {post.lat}, {post.lng}: "
                f"none of its {post.vulnerability.value} TPS {own_class}"
            )
    return _result(
        "post_at_its_class_tps", "every post at one of its TPS of its class", len(plan.posts),
        violations,
    )


def rule_max_tps_per_post(plan: Plan, scenario: Scenario) -> RuleResult:
    """No post holds more TPS than the pattern of its strictest TPS allows."""
    violations = []
    for post in plan.posts:
        cls = strictest(plan.classes[c] for c in post.tps if c in plan.classes)
        most = scenario.operation.pattern[cls].max_tps_per_post
        if len(post.tps) > most:
            violations.append(f"post {post.id}: {len(post.tps)} TPS, at most {most} ({cls.value})")
    return _result(
        "max_tps_per_post", "no post above the pattern's TPS per post", len(plan.posts), violations
    )


def rule_no_outsider_only_post(plan: Plan, scenario: Scenario) -> RuleResult:
    """Each post has at least one own officer of the Polres, who knows the ground."""
    officers, teams = _officers(scenario), _teams(plan)
    violations = [
        f"post {post.id}: no own officer among {[a.nrp for a in teams[post.id]]}"
        for post in plan.posts
        if not any(a.nrp in officers and officers[a.nrp].origin.is_local for a in teams[post.id])
    ]
    return _result(
        "no_outsider_only_post", "an own officer on every post", len(plan.posts), violations
    )


def rule_unavailable_not_assigned(plan: Plan, scenario: Scenario) -> RuleResult:
    """Unavailable officers have no duty; available ones are not marked unavailable."""
    duty = {a.nrp: a.duty for a in plan.assignments}
    checked, violations = 0, []
    for officer in scenario.dataset.personnel:
        marked = duty.get(officer.nrp) is Duty.UNAVAILABLE
        if officer.available and not marked:
            continue
        checked += 1
        if officer.available:
            violations.append(f"{officer.nrp} is available but marked unavailable")
        elif not marked:
            violations.append(
                f"{officer.nrp} is {officer.availability.value} but on "
                f"{duty.get(officer.nrp, 'no duty')}"
            )
    return _result(
        "unavailable_not_assigned", "no duty for unavailable officers", checked, violations
    )


def rule_conflicts_respected(plan: Plan, scenario: Scenario) -> RuleResult:
    """No officer serves on a post holding a TPS in a desa he is barred from."""
    officers, posts = _officers(scenario), plan.post_by_id()
    desa_of = {t.code: t.desa_code for t in scenario.dataset.tps}
    on_post = [a for a in plan.assignments if a.duty is Duty.POST and a.nrp in officers]
    violations = []
    for a in on_post:
        post = posts.get(a.target)
        barred = officers[a.nrp].barred_desa
        desa = {desa_of.get(c) for c in post.tps} if post else set()
        if barred & desa:
            violations.append(f"{a.nrp} at post {a.target}, barred from {sorted(barred & desa)}")
    return _result(
        "conflicts_respected", "no officer in a desa he is barred from", len(on_post), violations
    )


def rule_one_leader_per_post(plan: Plan, scenario: Scenario) -> RuleResult:
    """Each post has exactly one leader, its most senior member; no leader off a post."""
    officers, teams = _officers(scenario), _teams(plan)
    violations = []
    for post in plan.posts:
        team = [a for a in teams[post.id] if a.nrp in officers]
        leaders = [a.nrp for a in team if a.leader]
        senior = leader_of([officers[a.nrp] for a in team]).nrp if team else None
        if team and leaders != [senior]:
            violations.append(f"post {post.id}: leader(s) {leaders}, most senior {senior}")
    failed = len(violations)
    violations += [
        f"{a.nrp} leads but is on {a.duty.value}"
        for a in plan.assignments
        if a.leader and a.duty is not Duty.POST
    ]
    return _result(
        "one_leader_per_post",
        "one leader per post, the most senior rank",
        len(plan.posts),
        violations,
        failed,
    )


def rule_padal_per_kecamatan(plan: Plan, scenario: Scenario) -> RuleResult:
    """Each kecamatan has ``padal_per_kecamatan`` Padal, each a perwira (not Kapolres/Waka)."""
    need = scenario.operation.padal_per_kecamatan
    officers = _officers(scenario)
    padal: dict[str, list[str]] = defaultdict(list)
    for a in plan.assignments:
        if a.duty is Duty.PADAL:
            padal[a.target].append(a.nrp)
    violations = []
    kecamatan = kecamatan_with_tps(scenario.dataset)
    for kec in kecamatan:
        wrong = [
            n
            for n in padal[kec]
            if n not in officers
            or not officers[n].rank.group.is_officer
            or officers[n].function in NEVER_PADAL
        ]
        if len(padal[kec]) != need or wrong:
            violations.append(
                f"kecamatan {kec}: {len(padal[kec])} Padal of {need}; not eligible: {wrong}"
            )
    return _result(
        "padal_per_kecamatan", f"{need} Padal (perwira) per kecamatan", len(kecamatan), violations,
        need=need,
    )


def rule_every_officer_accounted(plan: Plan, scenario: Scenario) -> RuleResult:
    """Each officer of the roster has exactly one duty; the plan names no unknown NRP."""
    counts = Counter(a.nrp for a in plan.assignments)
    roster = [o.nrp for o in scenario.dataset.personnel]
    violations = [f"{nrp} has {counts[nrp]} duties" for nrp in roster if counts[nrp] != 1]
    failed = len(violations)
    violations += [f"{nrp} is not on the roster" for nrp in sorted(set(counts) - set(roster))]
    return _result(
        "every_officer_accounted",
        "exactly one duty for every officer",
        len(roster),
        violations,
        failed,
    )


def rule_tps_share_met(plan: Plan, scenario: Scenario) -> RuleResult:
    """Own officers on TPS: at least the quota (allocation), or as many as the seats need up to
    it (requirement). More is allowed: a re-plan may put an own officer in a sick BKO's seat."""
    local = {o.nrp for o in scenario.dataset.personnel if o.origin.is_local}
    on_tps = sum(1 for a in plan.assignments if a.duty is Duty.POST and a.nrp in local)
    target = own_target(scenario, plan.posts)
    violations = [] if on_tps >= target else [f"{on_tps} own officers on TPS, due {target}"]
    description = (
        f"own officers on TPS >= {scenario.operation.tps_share} of "
        f"{own_strength(scenario.dataset)} = {target}"
    )
    return _result(
        "tps_share_met", description, 1, violations, share=str(scenario.operation.tps_share),
        strength=own_strength(scenario.dataset), target=target,
    )


def rule_reserve_units_whole(plan: Plan, scenario: Scenario) -> RuleResult:
    """Each reserve unit's available officers are all in reserve, together at its station."""
    duty = {a.nrp: a for a in plan.assignments}
    units = [u for u in scenario.dataset.units if is_reserve_unit(scenario, u)]
    violations = []
    for unit in units:
        station = station_of(scenario, unit)
        members = [
            o for o in scenario.dataset.personnel if o.unit_code == unit.code and o.available
        ]
        away = [
            o.nrp
            for o in members
            if (a := duty.get(o.nrp)) is None
            or a.duty is not Duty.RESERVE
            or (scenario.operation.reserve.keep_units_whole and a.target != station)
        ]
        if away:
            violations.append(f"{unit.code}: {len(away)} officer(s) away from {station}")
    return _result(
        "reserve_units_whole", "reserve units whole at their station", len(units), violations
    )


def rule_guards_staffed(plan: Plan, scenario: Scenario) -> RuleResult:
    """Each guarded object has its guard (the reserve stationed there counts if from_reserve)."""
    counted = Counter((a.duty, a.target) for a in plan.assignments)
    violations = []
    every = guards(scenario)
    for guard in every:
        code = guard.object.code
        have = counted[(Duty.GUARD, code)] + (
            counted[(Duty.RESERVE, code)] if guard.from_reserve else 0
        )
        if have < guard.size:
            violations.append(f"{code}: {have} of {guard.size}")
    return _result("guards_staffed", "every guarded object has its guard", len(every), violations)


def rule_reserve_floor(plan: Plan, scenario: Scenario) -> RuleResult:
    """Each reserve station keeps at least the floor of officers."""
    floor = scenario.operation.reserve.floor
    stations = Counter(a.target for a in plan.assignments if a.duty is Duty.RESERVE)
    violations = [
        f"{s}: {n} in reserve, floor {floor}" for s, n in sorted(stations.items()) if n < floor
    ]
    return _result(
        "reserve_floor",
        f"at least {floor} officers at each reserve station",
        len(stations),
        violations,
        floor=floor,
    )


def rule_hq_leaders_off_tps(plan: Plan, scenario: Scenario) -> RuleResult:
    """Kapolres, Wakapolres and heads of HQ functions are not on a TPS post."""
    duty = {a.nrp: a.duty for a in plan.assignments}
    leaders = [o for o in scenario.dataset.personnel if is_hq_leader(o)]
    violations = [
        f"{o.nrp} ({o.function}) on a TPS post" for o in leaders if duty.get(o.nrp) is Duty.POST
    ]
    hq = hq_unit(scenario.dataset).name
    return _result(
        "hq_leaders_off_tps", f"{hq} leaders off TPS duty", len(leaders), violations, hq=hq
    )


def rule_polsek_officers_in_own_sector(plan: Plan, scenario: Scenario) -> RuleResult:
    """Polsek officers guard their own sector's TPS first (``home_sector``): none serves outside
    it while his sector or the one he serves in could have seated him or one of its own, and none
    stays at his unit while officers from elsewhere hold his sector's seats. Off (checks nothing)
    when ``[staffing] outside_sector_minutes`` is 0."""
    if not scenario.operation.staffing.outside_sector_minutes:
        return _result(
            "polsek_officers_in_own_sector",
            "Polsek officers on their own sector's TPS first (off: outside_sector_minutes = 0)",
            0,
            [],
            key="rule.polsek_officers_in_own_sector.off",
        )
    cases = HomeSectorView(plan, scenario).cases()
    names = {u.code: u.name for u in scenario.dataset.units}
    violations = [
        f"{c.nrp} ({names.get(c.home, c.home)}) "
        + (f"at post in {names.get(c.sector, c.sector)}" if c.sector else "at his unit")
        + ": "
        + "; ".join(why(c, names))
        for c in cases
        if not c.justified
    ]
    return _result(
        "polsek_officers_in_own_sector",
        "Polsek officers on their own sector's TPS first",
        len(cases),
        violations,
    )


RULES: tuple[Rule, ...] = (
    rule_every_tps_covered,
    rule_min_officers_at_rawan_tps,
    rule_posts_meet_pattern,
    rule_strength_in_more_posts,
    rule_posts_within_sector,
    rule_max_tps_per_post,
    rule_post_at_its_class_tps,
    rule_no_outsider_only_post,
    rule_unavailable_not_assigned,
    rule_conflicts_respected,
    rule_one_leader_per_post,
    rule_padal_per_kecamatan,
    rule_every_officer_accounted,
    rule_tps_share_met,
    rule_reserve_units_whole,
    rule_guards_staffed,
    rule_reserve_floor,
    rule_hq_leaders_off_tps,
    rule_polsek_officers_in_own_sector,
)
"""Every rule, in the order a plan's report lists them."""
