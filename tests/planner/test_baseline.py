"""The manual method makes a Plan like the planner's, so validate() and compare() can judge it."""

from __future__ import annotations

from pamtps.planner.baseline import baseline, compare
from pamtps.planner.validation import validate
from tests.planner.tiny import CLASSES, NRP, T_KHUSUS, T_PASAR, T_RAWAN, T_SUKAMAJU_1, T_TALANG


def _manual(tiny, travel):
    return baseline(tiny, classes=CLASSES, reasons={}, travel=travel, seed=7)


def test_each_polsek_pairs_its_officers_in_roster_order_over_tps_in_code_order(tiny, travel):
    """Hulu: Andi+Budi take Sukamaju 001-002, Citra+Gita (BKO) Sukadamai; Hilir: Joko+Lina
    take Pasar 001 and 901, Tono (HQ)+Fajar (BKO) Talang Jaya."""
    plan = _manual(tiny, travel)
    teams = {tuple(p.tps): sorted(a.nrp for a in plan.team(p.id)) for p in plan.posts}
    assert teams == {
        (T_SUKAMAJU_1, T_RAWAN): sorted([NRP["Andi"], NRP["Budi"]]),
        ("1699012002001",): sorted([NRP["Citra"], NRP["Gita"]]),
        (T_PASAR, T_KHUSUS): sorted([NRP["Joko"], NRP["Lina"]]),
        (T_TALANG,): sorted([NRP["Tono"], NRP["Fajar"]]),
    }


def test_manual_plan_breaks_the_rawan_rules_the_planner_keeps(tiny, travel):
    """Sharing the rawan and khusus TPS with others breaks exactly two rules."""
    broken = [r.rule for r in validate(_manual(tiny, travel), tiny) if not r.ok]
    assert broken == ["min_officers_at_rawan_tps", "max_tps_per_post"]


def test_compare_shows_travel_saved_and_rawan_coverage(tiny, travel, good_plan):
    """To posts the optimum travels 26 min and the manual method 98; with the ground the posts
    cover (30 and 4), 56 against 102: 46 min (45.1 %) saved."""
    report = compare(good_plan, _manual(tiny, travel), tiny, travel)
    mine, manual = report["plan"], report["baseline"]
    assert (mine["travel_to_posts_min"], manual["travel_to_posts_min"]) == (26.0, 98.0)
    assert (mine["ground_min"], manual["ground_min"]) == (30.0, 4.0)
    assert (report["travel_saved_min"], report["travel_saved_pct"]) == (46.0, 45.1)
    assert (mine["rawan_covered"], manual["rawan_covered"]) == ("1 of 1", "0 of 1")
    assert (mine["rules_passed"], manual["rules_passed"]) == (19, 17)
    assert manual["max_tps_per_pair"] == 2.0


def test_manual_baseline_is_heuristic_with_no_bound(tiny, travel):
    """A baseline plan says 'heuristic' and has no lower bound."""
    quality = _manual(tiny, travel).quality
    assert quality.status == "heuristic" and quality.lower_bound is None and quality.gap is None


def test_oku_planner_beats_the_manual_method(oku, oku_plan):
    """On OKU the plan travels less than the manual method and covers every rawan TPS."""
    manual = baseline(oku, classes=oku_plan.classes, reasons=oku_plan.reasons)
    report = compare(oku_plan, manual, oku)
    assert report["travel_saved_min"] > 0
    assert report["plan"]["rawan_covered"] == "20 of 20"
    assert report["plan"]["rules_passed"] == report["plan"]["rules_total"]
    assert report["baseline"]["rules_passed"] < report["baseline"]["rules_total"]
