"""validate() checks every rule without a solver; explain_* say who guards what and why."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pamtps.domain.plan import Assignment, Duty
from pamtps.planner.rules import RULES
from pamtps.planner.validation import explain_officer, explain_tps, validate
from tests.planner.test_rules import move
from tests.planner.tiny import NRP, T_RAWAN, T_TALANG


def _broken(results) -> list[str]:
    return [r.rule for r in results if not r.ok]


def test_the_hand_made_plan_passes_every_rule(tiny, good_plan):
    """validate() returns one passing result per rule, in RULES order."""
    results = validate(good_plan, tiny)
    assert [r.rule for r in results] == [rule.__name__.removeprefix("rule_") for rule in RULES]
    assert _broken(results) == []


def test_moving_an_officer_off_a_rawan_post_names_the_broken_rules(tiny, good_plan):
    """Budi leaves rawan P1 for his Polsek: the rawan minimum, the pattern and the TPS share
    break, and so does the home-sector rule (BKO Gita holds a Hulu seat he could take)."""
    move(good_plan, "Budi", Duty.HQ, "polsek_hulu")
    assert _broken(validate(good_plan, tiny)) == [
        "min_officers_at_rawan_tps",
        "posts_meet_pattern",
        "tps_share_met",
        "polsek_officers_in_own_sector",
    ]


def test_duplicating_an_nrp_names_every_officer_accounted(tiny, good_plan):
    """A second duty for Andi breaks exactly the one-duty-each rule."""
    good_plan.assignments.append(Assignment(NRP["Andi"], Duty.HQ, "polsek_hulu"))
    assert _broken(validate(good_plan, tiny)) == ["every_officer_accounted"]


def test_validate_runs_without_any_solver():
    """With scipy and numpy unimportable, validate() still checks the hand-made plan."""
    code = (
        "import sys\n"
        "for m in ('scipy', 'scipy.optimize', 'numpy'): sys.modules[m] = None\n"
        "from tests.planner.tiny import tiny_plan, tiny_scenario\n"
        "from pamtps.planner.validation import validate\n"
        "assert all(r.ok for r in validate(tiny_plan(), tiny_scenario()))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_explain_tps_gives_class_post_team_leader_and_reserve(tiny, good_plan):
    """The rawan TPS: its class and reasons, post P1, Andi leading Budi, reserve 48 min away."""
    text = explain_tps(good_plan, tiny, T_RAWAN)
    assert "class: rawan\n  - test class" in text
    assert "post P1 (rawan, Polsek Hulu): 1 TPS, 2 of 2 officers" in text
    assert "leader: Bripka Andi (NRP 88030005" in text
    assert "member: Brigpol Budi (NRP 90030006" in text
    assert text.endswith("nearest reserve: 48 min")


def test_explain_tps_says_when_a_tps_is_not_covered(tiny, good_plan):
    """A TPS dropped from its post is reported as not covered."""
    good_plan.post_by_id()["P4"].tps.remove(T_TALANG)
    assert "post: none (this TPS is not covered)" in explain_tps(good_plan, tiny, T_TALANG)


def test_explain_officer_gives_duty_partner_and_travel(tiny, good_plan):
    """Gita (BKO) serves at P2 with Citra, who leads, 20 minutes from her base."""
    text = explain_officer(good_plan, tiny, NRP["Gita"])
    assert "duty: post P2: TPS 1699012001001, 1699012002001" in text
    assert "partner: Briptu Citra (NRP 92030007, polsek_hulu) (leader)" in text
    assert "travel: 20 min from base" in text


def test_explain_officer_for_the_unavailable_and_the_unknown(tiny, good_plan):
    """Dewi (sick) has no duty; an unknown NRP raises KeyError."""
    assert "unavailable: no duty in this plan" in explain_officer(good_plan, tiny, NRP["Dewi"])
    with pytest.raises(KeyError):
        explain_officer(good_plan, tiny, "00000000")
    with pytest.raises(KeyError):
        explain_tps(good_plan, tiny, "0000000000999")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_rule_reads_from_the_catalogue(tiny, good_plan, lang):
    """Each rule's text for a reader (its key, filled with its figures) is in the catalogue of
    both languages, with no placeholder left; the Indonesian differs from the English."""
    from pamtps.i18n import catalog
    from pamtps.planner import check_objective

    results = [*validate(good_plan, tiny), check_objective(good_plan, tiny)]
    for result in results:
        assert result.message in catalog(lang), result.message
        text = catalog(lang)[result.message].format(**result.params)
        assert "{" not in text and text.strip()
    texts = {r.rule: catalog(lang)[r.message].format(**r.params) for r in results}
    assert texts["every_tps_covered"] == (
        "setiap TPS tepat di satu pos" if lang == "id" else "every TPS in exactly one post"
    )
