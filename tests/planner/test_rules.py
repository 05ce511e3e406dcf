"""Each planning rule holds on the hand-made plan and names the exact breach of a tampered one."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pamtps.domain.plan import Assignment, Duty, Plan
from pamtps.planner import rules
from tests.planner.tiny import NRP, T_PASAR, T_SUKAMAJU_1, T_TALANG, tiny_scenario


def move(plan: Plan, name: str, duty: Duty, target: str = "", leader: bool = False) -> None:
    """Give the persona ``name`` another duty in the plan."""
    for a in plan.assignments:
        if a.nrp == NRP[name]:
            a.duty, a.target, a.leader = duty, target, leader


def post(plan: Plan, pid: str):
    return plan.post_by_id()[pid]


def _drop_tps(plan: Plan) -> None:
    post(plan, "P4").tps.remove(T_TALANG)


def _tps_in_two_posts(plan: Plan) -> None:
    post(plan, "P3").tps.append(T_PASAR)


def _rawan_officer_leaves(plan: Plan) -> None:
    move(plan, "Budi", Duty.HQ, "polsek_hulu")


def _required_below_pattern(plan: Plan) -> None:
    post(plan, "P2").required = 1


def _team_piles_up(plan: Plan) -> None:
    move(plan, "Wira", Duty.POST, "P4")
    move(plan, "Wati", Duty.POST, "P4")


def _post_crosses_sector(plan: Plan) -> None:
    post(plan, "P4").tps.remove(T_PASAR)
    post(plan, "P2").tps.append(T_PASAR)


def _rawan_post_grows(plan: Plan) -> None:
    post(plan, "P2").tps.remove(T_SUKAMAJU_1)
    post(plan, "P1").tps.append(T_SUKAMAJU_1)


def _post_off_its_tps(plan: Plan) -> None:
    post(plan, "P2").lat += 0.01


def _rawan_post_at_milder_tps(plan: Plan) -> None:
    where = {t.code: (t.lat, t.lng) for t in tiny_scenario().dataset.tps}
    _rawan_post_grows(plan)
    post(plan, "P1").lat, post(plan, "P1").lng = where[T_SUKAMAJU_1]


def _outsider_alone(plan: Plan) -> None:
    move(plan, "Tono", Duty.HQ, "polres")


def _sick_on_post(plan: Plan) -> None:
    move(plan, "Dewi", Duty.POST, "P4")


def _barred_desa(plan: Plan) -> None:
    move(plan, "Andi", Duty.POST, "P2", leader=True)
    move(plan, "Citra", Duty.POST, "P1")


def _two_leaders(plan: Plan) -> None:
    move(plan, "Budi", Duty.POST, "P1", leader=True)


def _junior_leads(plan: Plan) -> None:
    move(plan, "Andi", Duty.POST, "P1", leader=False)
    move(plan, "Budi", Duty.POST, "P1", leader=True)


def _kapolres_as_padal(plan: Plan) -> None:
    move(plan, "Sari", Duty.HQ, "polsek_hulu")
    move(plan, "Bambang", Duty.PADAL, "16.99.01")


def _duplicate_nrp(plan: Plan) -> None:
    plan.assignments.append(Assignment(NRP["Andi"], Duty.HQ, "polsek_hulu"))


def _unknown_nrp(plan: Plan) -> None:
    plan.assignments.append(Assignment("00000000", Duty.HQ, "polres"))


def _own_officer_off_tps(plan: Plan) -> None:
    move(plan, "Lina", Duty.HQ, "polsek_hilir")


def _platoon_split(plan: Plan) -> None:
    move(plan, "Hana", Duty.RESERVE, "polres")


def _guard_leaves(plan: Plan) -> None:
    move(plan, "Rudi", Duty.HQ, "polres")


def _kapolres_on_tps(plan: Plan) -> None:
    move(plan, "Bambang", Duty.POST, "P4")


# rule, tamper, (satisfied, total) after the tamper, words the violation names
BREACHES: list[tuple[Callable, Callable[[Plan], None], tuple[int, int], str]] = [
    (rules.rule_every_tps_covered, _drop_tps, (5, 6), f"TPS {T_TALANG} in 0 posts"),
    (rules.rule_every_tps_covered, _tps_in_two_posts, (5, 6), "in 2 posts ['P3', 'P4']"),
    (rules.rule_min_officers_at_rawan_tps, _rawan_officer_leaves, (0, 1), "1 officer(s) for 1 TPS"),
    (rules.rule_posts_meet_pattern, _rawan_officer_leaves, (3, 4), "post P1: 1+0 TNI of 2+0"),
    (rules.rule_posts_meet_pattern, _required_below_pattern, (3, 4), "below the pattern 2+0"),
    (rules.rule_strength_in_more_posts, _team_piles_up, (0, 1),
     "2 officers beyond the pattern (posts P4): enough for 1 more kurang rawan post(s) of 2"),
    (rules.rule_posts_within_sector, _post_crosses_sector, (3, 4), "post P2 (polsek_hulu)"),
    (rules.rule_max_tps_per_post, _rawan_post_grows, (3, 4), "post P1: 2 TPS, at most 1 (rawan)"),
    (rules.rule_post_at_its_class_tps, _post_off_its_tps, (3, 4), "post P2 (kurang_rawan) stands"),
    (rules.rule_post_at_its_class_tps, _rawan_post_at_milder_tps, (3, 4),
     "post P1 (rawan) stands at"),
    (rules.rule_no_outsider_only_post, _outsider_alone, (3, 4), "post P3: no own officer"),
    (rules.rule_unavailable_not_assigned, _sick_on_post, (0, 1), "is sick but on post"),
    (rules.rule_conflicts_respected, _barred_desa, (7, 8), "barred from ['16.99.01.2002']"),
    (rules.rule_one_leader_per_post, _two_leaders, (3, 4), "post P1: leader(s) ['88030005', "),
    (rules.rule_one_leader_per_post, _junior_leads, (3, 4), "most senior 88030005"),
    (rules.rule_padal_per_kecamatan, _kapolres_as_padal, (1, 2), "not eligible: ['70010001']"),
    (rules.rule_every_officer_accounted, _duplicate_nrp, (17, 18), "88030005 has 2 duties"),
    (rules.rule_every_officer_accounted, _unknown_nrp, (18, 18), "00000000 is not on the roster"),
    (rules.rule_tps_share_met, _own_officer_off_tps, (0, 1), "5 own officers on TPS, due 6"),
    (rules.rule_reserve_units_whole, _platoon_split, (1, 2), "brimob: 1 officer(s) away"),
    (rules.rule_guards_staffed, _guard_leaves, (0, 1), "kpu_contoh: 2 of 3"),
    (rules.rule_hq_leaders_off_tps, _kapolres_on_tps, (1, 2), "70010001 (Kapolres) on a TPS"),
]


def test_every_rule_is_listed_once_and_named_after_its_function():
    """RULES holds each rule_* function of the module once, its result named without 'rule_'."""
    functions = {name for name in dir(rules) if name.startswith("rule_")}
    assert {rule.__name__ for rule in rules.RULES} == functions
    assert len(rules.RULES) == len(functions)


@pytest.mark.parametrize("rule", rules.RULES, ids=lambda rule: rule.__name__)
def test_rule_holds_on_the_hand_made_plan(rule, tiny, good_plan):
    """The hand-made plan satisfies the rule fully, with no violation."""
    result = rule(good_plan, tiny)
    assert result.ok, result.violations
    assert result.rule == rule.__name__.removeprefix("rule_")
    assert result.total > 0


@pytest.mark.parametrize(
    ("rule", "tamper", "count", "words"),
    BREACHES,
    ids=[f"{rule.__name__}-{tamper.__name__.strip('_')}" for rule, tamper, *_ in BREACHES],
)
def test_rule_names_the_breach_of_a_tampered_plan(rule, tamper, count, words, tiny, good_plan):
    """After the tamper the rule fails, counts what still holds and names the breach."""
    tamper(good_plan)
    result = rule(good_plan, tiny)
    assert not result.ok
    assert (result.satisfied, result.total) == count
    assert any(words in v for v in result.violations), result.violations


def test_one_officer_beyond_the_pattern_is_no_pile_up(tiny, good_plan):
    """An odd officer left over joins a post (the planner's ``reinforce``): fewer than a kurang
    rawan team beyond the pattern, so no post could have been formed from them."""
    move(good_plan, "Wira", Duty.POST, "P4")
    assert rules.rule_strength_in_more_posts(good_plan, tiny).ok


def test_reserve_floor_counts_each_station(good_plan):
    """With a floor of 2, the Polres station (1 soldier) fails and the KPU station (2) holds."""
    scenario = tiny_scenario(
        reserve={"unit_types": ["brimob", "tni"], "floor": 2, "stations": {"brimob": "kpu_contoh"}}
    )
    result = rules.rule_reserve_floor(good_plan, scenario)
    assert (result.satisfied, result.total) == (1, 2)
    assert result.violations == ["polres: 1 in reserve, floor 2"]


def test_rule_descriptions_read_as_sentences(tiny, good_plan):
    """A result prints as 'description: N of M'."""
    result = rules.rule_min_officers_at_rawan_tps(good_plan, tiny)
    assert str(result) == "2 officers at each rawan TPS: 1 of 1"
    assert str(rules.rule_tps_share_met(good_plan, tiny)) == (
        "own officers on TPS >= 1/2 of 13 = 6: 1 of 1"
    )
