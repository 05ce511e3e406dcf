"""A hand-made plan for the OKU dataset, only for output tests (until the planner exists).

Every 50th TPS is rawan, every 300th sangat rawan, TPS khusus are khusus. Each such TPS is a
post of its own; the kurang rawan TPS of a kecamatan are grouped six by six in code order. Each
post gets two officers of its sector (then of the Polres HQ and BKO), the senior one leading.
Two Polres officers guard the KPU warehouse and two the PPK of Ulu Ogan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from pamtps.domain import Officer, Origin, TpsKind, VulnerabilityClass
from pamtps.domain.plan import Assignment, Duty, Plan, Post, Quality, Scenario

GROUP = 6
RESERVE_STATIONS = {
    "brimob.16.01.ton1": "kpu.16.01",
    "brimob.16.01.ton2": "polres.16.01",
    "brimob.16.01.ton3": "polsek.16.01.09",
    "tni.16.01": "polres.16.01",
}
GUARDS = ("gudang.16.01", "ppk.16.01.20")
LEADERS = ("Kapolres", "Wakapolres", "Kapolsek", "Wakapolsek")


def toy_classes(scenario: Scenario) -> dict[str, VulnerabilityClass]:
    classes = {}
    for i, tps in enumerate(scenario.dataset.tps):
        if tps.kind is TpsKind.KHUSUS:
            classes[tps.code] = VulnerabilityClass.KHUSUS
        elif i % 300 == 7:
            classes[tps.code] = VulnerabilityClass.SANGAT_RAWAN
        elif i % 50 == 3:
            classes[tps.code] = VulnerabilityClass.RAWAN
        else:
            classes[tps.code] = VulnerabilityClass.KURANG_RAWAN
    return classes


def toy_posts(scenario: Scenario, classes: dict[str, VulnerabilityClass]) -> list[Post]:
    ds = scenario.dataset
    by_kecamatan: dict[str, list[str]] = defaultdict(list)
    for tps in sorted(ds.tps, key=lambda t: t.code):
        by_kecamatan[tps.kecamatan_code].append(tps.code)
    tps_by_code = {t.code: t for t in ds.tps}
    posts = []
    for kecamatan, codes in sorted(by_kecamatan.items()):
        sector = ds.sector_of(kecamatan)
        assert sector is not None
        plain = [c for c in codes if classes[c] is VulnerabilityClass.KURANG_RAWAN]
        groups = [[c] for c in codes if classes[c] is not VulnerabilityClass.KURANG_RAWAN]
        groups += [plain[i : i + GROUP] for i in range(0, len(plain), GROUP)]
        for number, group in enumerate(groups, start=1):
            first = tps_by_code[group[0]]
            posts.append(
                Post(
                    f"{kecamatan}-P{number:02d}",
                    sector.code,
                    kecamatan,
                    classes[group[0]],
                    group,
                    2,
                    0,
                    first.lat,
                    first.lng,
                )
            )
    return posts


def toy_plan(scenario: Scenario) -> Plan:
    """A plan to follow by hand: posts per kecamatan, two officers each, the rest reserve/HQ."""
    ds = scenario.dataset
    classes = toy_classes(scenario)
    posts = toy_posts(scenario, classes)
    free = [o for o in ds.personnel if o.function not in LEADERS]
    used: set[str] = set()
    assignments: list[Assignment] = []

    def pick(candidates: list[Officer], count: int) -> list[Officer]:
        chosen: list[Officer] = []
        for officer in candidates:
            if officer.nrp not in used and len(chosen) < count:
                used.add(officer.nrp)
                chosen.append(officer)
        return chosen

    for unit_code, station in RESERVE_STATIONS.items():
        members = [o for o in ds.personnel if o.unit_code == unit_code]
        assignments += [Assignment(o.nrp, Duty.RESERVE, station) for o in pick(members, 999)]
    perwira = [o for o in free if o.rank.group.is_officer and o.origin is Origin.POLRES]
    for kecamatan in sorted({p.kecamatan for p in posts}):
        assignments += [Assignment(o.nrp, Duty.PADAL, kecamatan) for o in pick(perwira, 1)]
    for post in posts:
        pair = pick([o for o in free if o.unit_code == post.sector] + free, 2)
        pair.sort(key=lambda o: -o.rank.seniority)
        assignments += [
            Assignment(o.nrp, Duty.POST, post.id, i == 0, 12.5) for i, o in enumerate(pair)
        ]
    for station in GUARDS:
        guards = pick([o for o in free if o.origin is Origin.POLRES], 2)
        assignments += [Assignment(o.nrp, Duty.GUARD, station) for o in guards]
    rest = [o for o in ds.personnel if o.nrp not in used]
    assignments += [Assignment(o.nrp, Duty.HQ, "polres.16.01") for o in rest]
    return Plan(
        dataset=ds.name,
        operation=scenario.operation.name,
        regency="16.01",
        mode="allocation",
        seed=7,
        classes=classes,
        reasons={},
        posts=posts,
        assignments=assignments,
        reserve_minutes={t.code: 20.0 for t in ds.tps},
        quality=Quality(
            objective=1234.5, lower_bound=1200.0, status="feasible", seconds=3.2, seed=7
        ),
    )


def one_sector(plan: Plan, sector: str) -> Plan:
    """The plan cut down to one sector's posts (their officers keep posts, the rest go to HQ)."""
    posts = [p for p in plan.posts if p.sector == sector]
    kept = {p.id for p in posts}
    assignments = [
        a if a.duty is not Duty.POST or a.target in kept else Assignment(a.nrp, Duty.HQ, "")
        for a in plan.assignments
    ]
    return replace(plan, posts=posts, assignments=assignments)
