"""A Kapolsek commands his own sector: his officers guard its TPS first, others fill the rest.

Tiny cases on the line regency of ``tiny.py`` (Hulu: P1 and P2, 4 seats; Hilir: P3 and P4, 4
seats), with officers added or made sick so that travel alone would send a Polsek officer across
the boundary; and OKU, where travel alone sends 66 across the boundary on the default posts.
"""

from __future__ import annotations

from dataclasses import replace

from pamtps.domain import Availability
from pamtps.domain.plan import Duty, Plan, Scenario
from pamtps.planner.home_sector import HomeSectorView
from pamtps.planner.staffing import staff
from pamtps.planner.validation import explain_officer, validate
from tests.planner.line_travel import LineTravel
from tests.planner.tiny import NRP, OFFICERS, officer, tiny_plan, tiny_posts, tiny_scenario

HULU_POSTS, HILIR_POSTS = {"P1", "P2"}, {"P3", "P4"}
OFF = {"staffing": {"outside_sector_minutes": 0}}
# Eka of Polsek Hulu lives at 0.60, next to Hilir's posts (P3 at 0.52, P4 at 0.70).
EKA = officer("94030019", "Bripda", "Eka", "polsek_hulu", at=0.60)
FERI = officer("95030020", "Bripda", "Feri", "polsek_hulu", at=0.65)


def _plan_of(scenario: Scenario, travel: LineTravel) -> tuple[Plan, dict]:
    result = staff(scenario, tiny_posts(), travel)
    plan = tiny_plan()
    plan.assignments = result.assignments
    return plan, result.numbers


def _seat(plan: Plan, name: str) -> tuple[Duty, str]:
    nrp = {**NRP, "Eka": EKA.nrp, "Feri": FERI.nrp}[name]
    a = next(a for a in plan.assignments if a.nrp == nrp)
    return a.duty, a.target


def _rule(plan: Plan, scenario: Scenario):
    return next(r for r in validate(plan, scenario) if r.rule == "polsek_officers_in_own_sector")


def test_a_sector_with_enough_officers_keeps_them_at_home(travel):
    """Hulu has 4 officers for its 4 seats: Eka sits in Hulu although Hilir's P4 is 10 min away."""
    people = [*OFFICERS, EKA]
    home = tiny_scenario(people)
    plan, numbers = _plan_of(home, travel)
    assert _seat(plan, "Eka")[1] in HULU_POSTS
    assert numbers["polsek_outside_sector"] == 0
    assert _rule(plan, home).ok and _rule(plan, home).total == 6
    by_travel, _ = _plan_of(tiny_scenario(people, **OFF), travel)
    assert _seat(by_travel, "Eka")[1] in HILIR_POSTS  # travel alone sends her across


def test_travel_alone_breaks_the_rule_and_validate_names_the_officer(travel):
    """The plan made with the rule off, judged with it on: Eka in Hilir fails (Hulu's seat she
    could take is held by BKO Gita); the other five Polsek officers on TPS hold."""
    people = [*OFFICERS, EKA]
    by_travel, _ = _plan_of(tiny_scenario(people, **OFF), travel)
    result = _rule(by_travel, tiny_scenario(people))
    assert (result.satisfied, result.total) == (5, 6)
    assert len(result.violations) == 1 and result.violations[0].startswith(EKA.nrp)
    assert NRP["Gita"] in result.violations[0]


def test_a_short_sector_borrows_and_the_plan_says_so(travel):
    """Hilir's officers are all sick and two Polres staff away: Feri of Hulu (Hulu has 5 officers
    for 4 seats) serves on P4, the rule holds and his explanation says why."""
    away = {"Joko", "Lina", "Rudi", "Wati"}
    people = [
        replace(o, availability=Availability.SICK) if o.name in away else o for o in OFFICERS
    ] + [EKA, FERI]
    scenario = tiny_scenario(people, guards=[])
    plan, numbers = _plan_of(scenario, travel)
    hulu = [n for n in ("Andi", "Budi", "Citra", "Eka")]
    assert _seat(plan, "Feri") == (Duty.POST, "P4")
    assert all(_seat(plan, n)[1] in HULU_POSTS for n in hulu)
    assert numbers["polsek_outside_sector"] == 1
    assert _rule(plan, scenario).ok
    text = explain_officer(plan, scenario, FERI.nrp)
    assert "outside his sector: an officer of Polsek Hulu on a post of Polsek Hilir" in text
    assert "within the home-sector rule" in text
    assert "Polsek Hulu needs him no more on its TPS: the 4 seat(s)" in text
    assert "Polsek Hilir had no officer of its own left for this seat" in text


def test_rule_counts_polsek_officers_of_the_hand_made_plan(good_plan, tiny):
    """The hand-made plan: Andi, Budi, Citra, Joko and Lina all in their sector, 5 of 5."""
    result = _rule(good_plan, tiny)
    assert (result.satisfied, result.total, result.violations) == (5, 5, [])


def test_two_polsek_officers_trading_sectors_both_break_the_rule(good_plan, tiny):
    """Citra (Hulu) and Joko (Hilir) swap posts: each could have held his own sector's seat."""
    swap = {NRP["Citra"]: "P4", NRP["Joko"]: "P2"}
    good_plan.assignments = [
        replace(a, target=swap[a.nrp]) if a.nrp in swap else a for a in good_plan.assignments
    ]
    result = _rule(good_plan, tiny)
    assert (result.satisfied, result.total) == (3, 5)
    assert sorted(v.split()[0] for v in result.violations) == sorted(swap)


def test_the_rule_off_checks_nothing(good_plan):
    """With outside_sector_minutes = 0 the rule is reported off, 0 of 0."""
    result = _rule(good_plan, tiny_scenario(**OFF))
    assert (result.satisfied, result.total, result.ok) == (0, 0, True)
    assert "off" in result.description


def test_price_enters_objective_and_bound_alike(travel):
    """Feri outside costs his travel plus the price, in the objective and the bound alike."""
    away = {"Joko", "Lina", "Rudi", "Wati"}
    people = [
        replace(o, availability=Availability.SICK) if o.name in away else o for o in OFFICERS
    ] + [EKA, FERI]
    on = staff(tiny_scenario(people, guards=[]), tiny_posts(), travel)
    n = on.numbers
    assert on.objective == on.lower_bound == n["seat_travel_min"] + n["home_sector_price_min"]
    # 120 for Feri outside, 120 for each Hilir seat not held by a Hilir officer (all four)
    assert n["home_sector_price_min"] == 120 * (1 + 4)


OKU_OUTSIDE_MEASURED = 0  # Polsek officers outside their sector in the default OKU plan
# The same posts staffed with the rule off (travel alone). 66 since posts are formed from the
# bound's relaxation (``relaxed``) with each sector's post count read off the bound: posts nearer
# the officers' stations leave fewer crossings worth the travel; 63 since the local search also
# shares two posts' TPS anew (``improve._best_split``). A count measured on the plan, not a target.
OKU_OUTSIDE_BY_TRAVEL = 63


def test_oku_keeps_polsek_officers_in_their_sector(oku, oku_plan):
    """Default OKU: at most the measured number of Polsek officers outside their sector, each
    explained, and the rule holds for every Polsek officer on TPS or at his unit."""
    staffing = oku_plan.quality.stages["staffing"]
    cases = HomeSectorView(oku_plan, oku).cases()
    outside = [c for c in cases if c.outside]
    assert staffing["polsek_outside_sector"] == len(outside) <= OKU_OUTSIDE_MEASURED
    assert staffing["polsek_on_tps"] > 234  # more of them on TPS than travel alone put there
    for case in outside:
        assert "because" in explain_officer(oku_plan, oku, case.nrp)
    result = _rule(oku_plan, oku)
    assert result.ok and result.total == len(cases) > 0


def test_oku_by_travel_alone_sends_officers_across_and_explains_each(oku, oku_plan):
    """Re-staffed with the rule off on the same posts, OKU sends 66 Polsek officers across;
    judged by the rule, each is named and explained."""
    from pamtps.planner.travel import travel_for

    off = Scenario(oku.dataset, oku.operation.replace(staffing=replace(
        oku.operation.staffing, outside_sector_minutes=0.0)))
    result = staff(off, oku_plan.posts, travel_for(off), own_on_tps=418)
    plan = replace(oku_plan, assignments=result.assignments)
    outside = [c for c in HomeSectorView(plan, oku).cases() if c.outside]
    assert result.numbers["polsek_outside_sector"] == len(outside) == OKU_OUTSIDE_BY_TRAVEL
    assert len(_rule(plan, oku).violations) >= len(outside)
    for case in outside[:10]:
        text = explain_officer(plan, oku, case.nrp)
        assert "outside his sector" in text and "because" in text


def test_plan_summary_counts_polsek_officers_outside_their_sector(oku, oku_plan):
    """`pamtps plan --json` reports the home-sector count: on OKU every Polsek officer on a TPS
    post serves in his own sector; with travel alone, 89 would not."""
    from pamtps.planner import summary

    counts = summary(oku_plan, oku)["polsek_outside_sector"]
    cases = [c for c in HomeSectorView(oku_plan, oku).cases() if c.sector is not None]
    assert counts == {"on_tps": len(cases), "outside": 0, "unjustified": 0}
    assert counts["on_tps"] > 234  # more of the Polsek's own on TPS than by travel alone
