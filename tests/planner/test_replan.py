"""replan() keeps what still holds and changes only what reality forces, and says what changed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pamtps.domain import Availability, VulnerabilityClass
from pamtps.domain.plan import Duty, Plan, Scenario
from pamtps.planner.replanning import replan
from pamtps.planner.sectors import sector_of_tps
from pamtps.planner.solve import plan
from pamtps.planner.validation import validate


def _sick(scenario: Scenario, nrps: set[str]) -> Scenario:
    people = [
        replace(o, availability=Availability.SICK) if o.nrp in nrps else o
        for o in scenario.dataset.personnel
    ]
    return Scenario(scenario.dataset.with_personnel(people), scenario.operation)


def _broken(plan_: Plan, scenario: Scenario) -> list[str]:
    return [r.rule for r in validate(plan_, scenario) if not r.ok]


@pytest.fixture(scope="module")
def ten_sick(oku, oku_plan):
    """Ten own officers on OKU posts (every 41st) fall sick; the plan is re-made."""
    local = {o.nrp for o in oku.dataset.personnel if o.origin.is_local}
    on_post = [a for a in oku_plan.assignments if a.duty is Duty.POST and a.nrp in local]
    sick = on_post[::41][:10]
    scenario = _sick(oku, {a.nrp for a in sick})
    return sick, scenario, *replan(oku_plan, scenario, seed=oku_plan.seed)


def test_ten_sick_officers_change_only_the_posts_that_had_them(ten_sick):
    """Exactly the posts of the ten sick officers change, each losing him and gaining one."""
    sick, _, _, diff = ten_sick
    assert {c.post for c in diff.posts} == {a.target for a in sick}
    for change in diff.posts:
        assert change.change == "team" and len(change.left) == 1 and len(change.joined) == 1
    assert diff.rebuilt_sectors == []


def test_every_other_officer_keeps_his_duty(ten_sick, oku_plan):
    """Only the ten sick and their ten replacements change duty; the rest are kept."""
    sick, _, new, diff = ten_sick
    assert len(diff.officers) == 20 and diff.kept == len(oku_plan.assignments) - 20
    assert {c.nrp for c in diff.officers if c.reason == "sick"} == {a.nrp for a in sick}
    assert all(c.reason.startswith("replaces ") for c in diff.officers if c.reason != "sick")
    assert len(new.assignments) == len(oku_plan.assignments)


def test_the_diff_says_who_left_and_who_replaced_him(ten_sick):
    """str(diff) names every changed post and every sick officer, with the reason."""
    sick, _, _, diff = ten_sick
    text = str(diff)
    assert text.startswith("Re-plan: 10 post(s) changed, 20 officer(s) changed duty")
    for a in sick:
        assert (
            f"Post {a.target} (team)" in text
            and f"({a.nrp}): post {a.target} -> unavailable" in text
        )
    assert text.count("(sick)") == 10


def test_the_replanned_plan_meets_every_rule(ten_sick):
    """The re-plan passes the validator in the changed reality."""
    _, scenario, new, _ = ten_sick
    assert _broken(new, scenario) == []
    assert new.version == 2


def test_a_withdrawn_bko_unit_is_replaced_by_own_officers(oku, oku_plan):
    """The Polda withdraws its 59 BKO: own officers take their seats, the posts stay, every
    rule still holds (own officers above the quota are allowed) and the diff explains it."""
    people = [o for o in oku.dataset.personnel if o.unit_code != "bko.16.01"]
    scenario = Scenario(oku.dataset.with_personnel(people), oku.operation)
    new, diff = replan(oku_plan, scenario)
    assert [p.id for p in new.posts] == [p.id for p in oku_plan.posts]
    assert sum(1 for c in diff.officers if c.reason == "withdrawn from the roster") == 59
    assert _broken(new, scenario) == []
    assert any("above the quota of 418" in note for note in diff.notes)


def test_reclassified_tps_rebuild_only_their_sector(oku, oku_plan):
    """Polri makes two kurang rawan TPS of one sector rawan: only that sector's posts change."""
    sector_of = sector_of_tps(oku.dataset)
    plain = [
        c
        for c, v in sorted(oku_plan.classes.items())
        if v is VulnerabilityClass.KURANG_RAWAN and sector_of[c] == "polsek.16.01.28"
    ][:2]
    classification = replace(
        oku.operation.classification,
        overrides=dict.fromkeys(plain, VulnerabilityClass.RAWAN),
    )
    scenario = Scenario(
        oku.dataset, oku.operation.replace(classification=classification)
    )
    new, diff = replan(oku_plan, scenario)
    assert diff.rebuilt_sectors == ["polsek.16.01.28"]
    assert {c.post.split("-")[0] for c in diff.posts} == {"polsek.16.01.28"}
    assert all(new.classes[c] is VulnerabilityClass.RAWAN for c in plain)
    assert _broken(new, scenario) == []


def test_tiny_replan_changes_only_the_sick_leaders_post(tiny):
    """The rawan post's leader falls sick: only his post changes, and an officer who was free
    (on duty at his unit) takes the seat."""
    before = plan(tiny)
    rawan = next(p for p in before.posts if p.vulnerability is VulnerabilityClass.RAWAN)
    leader = next(a.nrp for a in before.team(rawan.id) if a.leader)
    after, diff = replan(before, _sick(tiny, {leader}))
    assert [(c.post, c.change, c.left) for c in diff.posts] == [(rawan.id, "team", [leader])]
    duty_before = {a.nrp: a.duty for a in before.assignments}
    assert [duty_before[n] for n in diff.posts[0].joined] == [Duty.HQ]
    assert _broken(after, _sick(tiny, {leader})) == []
