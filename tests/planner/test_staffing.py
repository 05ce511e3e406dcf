"""Staffing gives every officer one duty and seats the TPS posts at least total travel."""

from __future__ import annotations

from dataclasses import replace

from pamtps.domain import Availability, VulnerabilityClass
from pamtps.domain.plan import Duty, Post, Scenario
from pamtps.planner.slots import Slot, fill_slots, post_slots
from pamtps.planner.staffing import staff
from pamtps.planner.validation import validate
from tests.planner.line_travel import LineTravel
from tests.planner.tiny import (
    EXPECTED,
    HILIR,
    HULU,
    NRP,
    OFFICERS,
    SUKAMAJU,
    officer,
    tiny_plan,
    tiny_posts,
    tiny_scenario,
)


def _duties(scenario: Scenario, travel: LineTravel, **kwargs: object) -> dict[str, tuple]:
    result = staff(scenario, tiny_posts(), travel, **kwargs)  # type: ignore[arg-type]
    name = {o.nrp: o.name for o in scenario.dataset.personnel}
    return {name[a.nrp]: (a.duty, a.target, a.leader, a.travel_min) for a in result.assignments}


def _with(changes: dict[str, dict]) -> list:
    return [replace(o, **changes.get(o.name, {})) for o in OFFICERS]


def test_staffing_matches_the_plan_worked_out_by_hand(tiny, travel):
    """Every officer's duty, target, leadership and travel equal the hand-made plan."""
    assert _duties(tiny, travel) == EXPECTED


def test_staffing_reports_an_exact_optimum(tiny, travel):
    """The seats are an assignment problem: objective = lower bound, optimal: 26 minutes of travel
    plus the home-sector price of the 3 Polsek seats held by Tono, Fajar and Gita (3 x 120)."""
    result = staff(tiny, tiny_posts(), travel)
    assert (result.objective, result.lower_bound, result.status) == (386.0, 386.0, "optimal")
    assert result.numbers["seat_travel_min"] == 26.0
    assert result.numbers["home_sector_price_min"] == 360.0
    assert result.numbers["own_on_tps"] == 6 and result.numbers["lent_on_tps"] == 2
    assert result.shortages == []


def test_staffed_plan_meets_every_rule(tiny, travel):
    """The staffing stage's plan passes the validator."""
    plan = tiny_plan()
    plan.assignments = staff(tiny, tiny_posts(), travel).assignments
    assert [r.rule for r in validate(plan, tiny) if not r.ok] == []


def test_sick_officer_has_no_duty_and_another_takes_his_seat(travel):
    """Joko falls sick: he is unavailable, P4 still has two officers, every rule holds."""
    scenario = tiny_scenario(_with({"Joko": {"availability": Availability.SICK}}))
    result = staff(scenario, tiny_posts(), travel)
    duty = {a.nrp: a for a in result.assignments}
    assert duty[NRP["Joko"]].duty is Duty.UNAVAILABLE
    assert len([a for a in result.assignments if a.target == "P4"]) == 2
    plan = tiny_plan()
    plan.assignments = result.assignments
    assert all(r.ok for r in validate(plan, scenario))


def test_barred_officer_never_serves_in_his_desa(travel):
    """Andi, barred from Sukamaju, is kept off P1 and P2 though they are next door."""
    people = _with({"Andi": {"barred_desa": frozenset({SUKAMAJU})}})
    duties = _duties(tiny_scenario(people), travel)
    assert duties["Andi"][1] not in ("P1", "P2")


def test_the_first_seat_of_a_post_goes_to_an_own_officer():
    """Lent officers next door still leave the first seat to the own officer far away."""
    post = Post("P", "s", "k", VulnerabilityClass.KURANG_RAWAN, [], 2, 0, -4.0, 104.0)
    own = officer("1", "Bripka", "Far", "polres", at=0.9)
    near = [
        officer("2", "Briptu", "Near", "bko", at=0.0),
        officer("3", "Briptu", "Nigh", "bko", at=0.0),
    ]
    slots = post_slots([post], {})
    filled = fill_slots(slots, [own], near, 1, LineTravel())
    assert filled.placed["1"] == 0 and slots[0].local_only
    assert len(filled.placed) == 2 and filled.vacant == []


def test_reserve_units_stay_whole_at_their_station(tiny, travel):
    """The Brimob platoon stands by at the KPU office, the TNI soldier at the Polres."""
    duties = _duties(tiny, travel)
    assert duties["Eko"][:2] == duties["Hana"][:2] == (Duty.RESERVE, "kpu_contoh")
    assert duties["Gunawan"][:2] == (Duty.RESERVE, "polres")


def test_a_guard_from_the_reserve_is_topped_up_by_the_nearest_own_officer(tiny, travel):
    """The KPU guard is 3; its platoon has 2, so Rudi (at the Polres, 0 min) joins them."""
    assert _duties(tiny, travel)["Rudi"][:2] == (Duty.GUARD, "kpu_contoh")


def test_padal_is_the_kapolsek_of_the_sector(tiny, travel):
    """Each kecamatan's Padal is its own Kapolsek."""
    duties = _duties(tiny, travel)
    assert duties["Sari"][:2] == (Duty.PADAL, HULU) and duties["Hadi"][:2] == (Duty.PADAL, HILIR)


def test_missing_perwira_is_reported_as_a_padal_shortage(travel):
    """Sari is sick: Hadi (next sector) controls Hulu, and Hilir is reported short of a Padal."""
    scenario = tiny_scenario(_with({"Sari": {"availability": Availability.SICK}}))
    result = staff(scenario, tiny_posts(), travel)
    padal = {a.target: a.nrp for a in result.assignments if a.duty is Duty.PADAL}
    assert padal == {HULU: NRP["Hadi"]}
    assert [(s.sector, s.needed, s.available) for s in result.shortages] == [(HILIR, 1, 0)]


def test_senior_leaders_stay_off_tps_even_when_strength_is_short(travel):
    """Three officers fall sick: seats stay empty (status short), the Kapolres stays at HQ."""
    sick = {"availability": Availability.SICK}
    scenario = tiny_scenario(_with({"Budi": sick, "Citra": sick, "Joko": sick}))
    result = staff(scenario, tiny_posts(), travel)
    duties = {a.nrp: a.duty for a in result.assignments}
    assert duties[NRP["Bambang"]] is Duty.HQ and duties[NRP["Wira"]] is Duty.HQ
    assert result.status == "short" and result.numbers["vacant_seats"] == 2
    assert sum(s.missing for s in result.shortages) == 2


def test_polres_reserve_takes_sat_samapta_first(travel):
    """With one officer held at Mapolres, it is Rudi of Sat Samapta; Wati guards instead."""
    scenario = tiny_scenario(
        reserve={
            "unit_types": ["brimob", "tni"],
            "floor": 1,
            "polres_reserve": 1,
            "stations": {"brimob": "kpu_contoh"},
        }
    )
    duties = _duties(scenario, travel)
    assert duties["Rudi"][:2] == (Duty.RESERVE, "polres")
    assert duties["Wati"][:2] == (Duty.GUARD, "kpu_contoh")


def test_requirement_mode_asks_bko_only_for_what_own_officers_cannot_fill(travel):
    """Requirement mode, Hulu's 4 seats: own officers (quota 6) fill them all, BKO wait at HQ."""
    scenario = tiny_scenario(mode="requirement")
    result = staff(scenario, tiny_posts()[:2], travel)
    duties = {a.nrp: a.duty for a in result.assignments}
    assert result.numbers["own_on_tps"] == 4 and result.numbers["lent_on_tps"] == 0
    assert duties[NRP["Fajar"]] is duties[NRP["Gita"]] is Duty.HQ


def test_same_scenario_gives_the_same_staffing(tiny, travel):
    """Staffing is deterministic."""
    first = staff(tiny, tiny_posts(), travel).assignments
    assert staff(tiny, tiny_posts(), travel).assignments == first


def test_slot_of_tni_takes_only_soldiers():
    """A TNI seat never takes a policeman, a police seat never a soldier."""
    slot = Slot("P", Duty.POST, (-4.0, 104.0), tni=True)
    soldier = officer("9", "Serka", "Tentara", "kodim")
    police = officer("8", "Bripka", "Polisi", "polres")
    filled = fill_slots([slot], [police], [soldier], 0, LineTravel())
    assert filled.placed == {"9": 0}


def test_seats_by_kind_of_officer_cost_what_the_full_assignment_costs(oku, oku_plan, monkeypatch):
    """On OKU the transportation problem over kinds of officer and the officer-by-officer
    assignment find the same least travel, filling every seat with the same quota."""
    from pamtps.planner import slots
    from pamtps.planner.travel import travel_for

    travel = travel_for(oku)
    by_kind = staff(oku, oku_plan.posts, travel, own_on_tps=418)
    monkeypatch.setattr(slots, "_transport", lambda *args: None)  # the fallback: one by one
    one_by_one = staff(oku, oku_plan.posts, travel, own_on_tps=418)
    assert by_kind.objective == one_by_one.objective
    assert by_kind.numbers["vacant_seats"] == one_by_one.numbers["vacant_seats"] == 0
    assert by_kind.numbers["own_on_tps"] == one_by_one.numbers["own_on_tps"] == 418
