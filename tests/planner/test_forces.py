"""The lent forces a Kabag Ops sets: the generated roster has exactly his numbers, Brimob formed
into even platoons, and the planner sends exactly the BKO Polri the operation sets to the TPS."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from fractions import Fraction

import pytest

from pamtps.datasets import load_dataset
from pamtps.datasets.roster import RosterFigures, brimob_platoons, generate_roster
from pamtps.domain import Origin, UnitType
from pamtps.domain.operation import ForcesConfig, parse_share
from pamtps.domain.plan import Duty, Scenario
from pamtps.io.operation_file import OperationFileError, parse_operation
from pamtps.planner import plan, summary, validate

FAJAR, GITA = "93060014", "96060015"  # the tiny regency's two BKO Polri


@pytest.mark.parametrize(("officers", "platoons"), [
    (54, [27, 27]), (80, [27, 27, 26]), (30, [30]), (31, [16, 15]), (1, [1]), (0, []),
])
def test_brimob_are_formed_into_even_platoons_of_at_most_30(officers, platoons):
    """54 Brimob make 2 platoons of 27; 31 make 16 and 15; none make no platoon."""
    assert brimob_platoons(officers) == platoons


def test_generated_roster_has_exactly_the_figures_given():
    """OKU's data with 491 own (30 % in the Polsek), 120 BKO, 54 Brimob, 30 TNI."""
    dataset = load_dataset("oku-2024")
    figures = RosterFigures(polres=491, bko_polri=120, brimob=54, tni=30, polsek_share=0.30)
    officers, units = generate_roster(dataset, figures)
    groups = Counter(o.summary_group for o in officers)
    assert groups == {"polres": 491, "bko_polri": 120, "brimob": 54, "tni": 30}
    assert sum(1 for o in officers if o.origin is Origin.POLSEK) == round(491 * 0.30)
    sizes = Counter(o.unit_code for o in officers if o.summary_group == "brimob")
    platoons = [u.code for u in units if u.type is UnitType.BRIMOB]
    assert [sizes[code] for code in platoons] == [27, 27]


def test_polsek_share_of_one_keeps_the_kapolres_at_hq():
    """Every own officer but the Kapolres and his deputy in the Polsek: HQ keeps those two."""
    dataset = load_dataset("oku-2024")
    officers, _ = generate_roster(dataset, RosterFigures(polres=200, polsek_share=1.0))
    hq = [o.function for o in officers if o.origin is Origin.POLRES]
    assert hq == ["Kapolres", "Wakapolres"]


def with_bko(scenario: Scenario, count: int | None) -> Scenario:
    return replace(scenario, operation=scenario.operation.replace(
        forces=ForcesConfig(bko_polri=count)))


def test_planner_sends_exactly_the_bko_set_the_first_in_roster_order(tiny):
    """bko_polri = 1 of the tiny regency's 2: Fajar (the lower NRP) on a post, Gita at her
    unit's base. The 4 posts need 8 officers and now have 7: the plan says it is short, and
    the only rule it breaks is the pattern minimum."""
    scenario = with_bko(tiny, 1)
    result = plan(scenario)
    duty = {a.nrp: a.duty for a in result.assignments}
    assert (duty[FAJAR], duty[GITA]) == (Duty.POST, Duty.HQ)
    assert summary(result, scenario)["officers_on_tps_by_origin"]["bko_polri"] == 1
    assert result.quality.status == "short" and result.shortages
    assert [r.rule for r in validate(result, scenario) if not r.ok] == ["posts_meet_pattern"]


@pytest.mark.parametrize(("count", "on_tps"), [(None, 2), (0, 0), (2, 2), (5, 2)])
def test_bko_on_tps_is_the_setting_or_every_one_the_roster_has(tiny, count, on_tps):
    """Unset: both BKO on TPS; 0: none; more than the roster holds: the roster's (the CLI
    refuses that case before planning)."""
    scenario = with_bko(tiny, count)
    numbers = summary(plan(scenario), scenario)
    assert numbers["officers_on_tps_by_origin"]["bko_polri"] == on_tps
    assert numbers["settings"]["bko_polri"] == on_tps


@pytest.mark.parametrize(("text", "share"), [
    ("2/3", Fraction(2, 3)), ("0.45", Fraction(9, 20)), ("45%", Fraction(9, 20)),
    (" 70 % ", Fraction(7, 10)),
])
def test_a_share_reads_as_a_kabag_ops_writes_it(text, share):
    assert parse_share(text) == share


@pytest.mark.parametrize("text", ["dua pertiga", "1/0", "%", ""])
def test_a_share_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError, match="not a share"):
        parse_share(text)


def test_forces_survive_the_plan_file_round_trip(tiny):
    """The [forces] table is written with the plan and read back unchanged."""
    config = tiny.operation.replace(
        forces=ForcesConfig(bko_polri=120, brimob=54, tni=30, polsek_share="45%"))
    assert parse_operation(config.to_dict()) == config


def test_operation_refuses_a_polsek_share_above_one(tiny):
    data = tiny.operation.to_dict()
    data["forces"] = {"polsek_share": "1.5"}
    with pytest.raises(OperationFileError, match=r"^x.toml: forces.polsek_share: must be from 0"):
        parse_operation(data, "x.toml")
