"""`pamtps plan`, `validate`, `replan` and `explain` on the OKU demo, as a Kabag Ops runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import summary_json


@pytest.fixture
def oku_plan(cli, tmp_path) -> tuple[dict, Path]:
    """The demo loaded and planned once (without the slow documents)."""
    assert cli("demo", "--no-plan").exit_code == 0
    out = tmp_path / "plan"
    result = cli("plan", "--json", "--no-documents", "--out", str(out))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), out / "plan.json"


def test_plan_json_reports_the_oku_operation(oku_plan):
    """All 1,225 TPS covered, 20 rawan with 2 each, 418 + 59 on TPS, 80 Brimob and 30 TNI held."""
    numbers, _ = oku_plan
    assert numbers["tps"] == numbers["tps_covered"] == 1225
    assert numbers["tps_by_class"]["rawan"] == 20
    assert numbers["min_officers_at_rawan_tps"] >= 2
    assert numbers["officers_on_tps_by_origin"] == {
        "polres": 418, "bko_polri": 59, "brimob": 0, "tni": 0}
    assert numbers["reserve"]["brimob"] == 80 and numbers["reserve"]["tni"] == 30
    for key in ("posts", "officers_on_tps", "objective", "lower_bound", "gap", "seconds", "seed",
                "stopped_by", "bound_problem"):
        assert key in numbers
    assert numbers["lower_bound"] <= numbers["objective"]
    assert numbers["stopped_by"] in ("iterations", "converged")
    assert "any post formation the rules allow" in numbers["bound_problem"]
    assert numbers["rules_passed"] == numbers["rules_total"]


def test_validate_passes_on_the_plan_and_names_the_rule_a_tampered_plan_breaks(
    cli, oku_plan, tmp_path
):
    """validate accepts the plan; an officer moved off a rawan post breaks the rawan minimum."""
    _, path = oku_plan
    assert cli("validate", str(path)).exit_code == 0
    document = json.loads(path.read_text())
    plan = document["plan"]
    rawan_posts = {p["id"] for p in plan["posts"] if p["vulnerability"] == "rawan"}
    victim = next(a for a in plan["assignments"] if a["target"] in rawan_posts)
    victim["duty"], victim["target"] = "hq", ""
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document))
    result = cli("validate", str(tampered))
    assert result.exit_code == 1
    assert "min_officers_at_rawan_tps" in result.output


def test_validate_refuses_a_file_that_is_not_a_plan(cli, tmp_path):
    """A clear message, not a traceback."""
    path = tmp_path / "x.json"
    path.write_text("[1, 2]")
    result = cli("validate", str(path))
    assert result.exit_code == 1 and "not a PamTPS plan file" in result.output


def test_the_same_seed_gives_the_same_plan(cli, oku_plan, tmp_path):
    """Planning again with the same seed gives identical posts and assignments."""
    _, path = oku_plan
    again = tmp_path / "again"
    assert cli("plan", "--no-documents", "--out", str(again)).exit_code == 0
    first = json.loads(path.read_text())["plan"]
    second = json.loads((again / "plan.json").read_text())["plan"]
    for key in ("classes", "posts", "assignments", "reserve_minutes"):
        assert first[key] == second[key], key


def test_replan_after_ten_officers_fall_sick_changes_only_their_posts(cli, oku_plan, tmp_path):
    """Ten officers on posts fall sick: only their posts change, and the output says so."""
    _, path = oku_plan
    plan = json.loads(path.read_text())["plan"]
    on_posts = [a for a in plan["assignments"] if a["duty"] == "post"]
    sick = on_posts[::40][:10]
    out = tmp_path / "replan"
    result = cli("replan", str(path), "--sick", ",".join(a["nrp"] for a in sick),
                 "--out", str(out), "--no-documents")
    assert result.exit_code == 0, result.output
    new = json.loads((out / "plan.json").read_text())["plan"]
    before = {a["nrp"]: (a["duty"], a["target"]) for a in plan["assignments"]}
    after = {a["nrp"]: (a["duty"], a["target"]) for a in new["assignments"]}
    changed_posts = {t for nrp in before if before[nrp] != after[nrp]
                     for d, t in (before[nrp], after[nrp]) if d == "post"}
    assert changed_posts == {a["target"] for a in sick}
    assert all(after[a["nrp"]][0] == "unavailable" for a in sick)
    assert cli("validate", str(out / "plan.json")).exit_code == 0


def test_explain_tells_why_a_tps_is_rawan(cli, oku_plan):
    """A rawan TPS's explanation names the pre-screen as its reason."""
    _, path = oku_plan
    plan = json.loads(path.read_text())["plan"]
    code = next(c for c, cls in plan["classes"].items() if cls == "rawan")
    result = cli("explain", str(path), "--tps", code)
    assert result.exit_code == 0, result.output
    assert code in result.output


def test_plan_does_not_change_the_database(cli, oku_plan, oku_loaded_summary):
    """Planning reads the data; the summary stays as the demo left it."""
    assert summary_json(cli) == oku_loaded_summary


def test_plan_works_for_another_sumsel_regency_from_a_strength_figure(cli, tmp_path):
    """Kota Pagar Alam (16.73), with no Polsek table: one sector per kecamatan, every TPS
    covered and every rule holding, on a roster generated from a strength of 400."""
    result = cli("plan", "--regency", "16.73", "--strength", "400", "--json", "--no-documents",
                 "--out", str(tmp_path / "pagar-alam"))
    assert result.exit_code == 0, result.output
    numbers = json.loads(result.stdout)
    assert numbers["tps"] == numbers["tps_covered"] == 635
    assert numbers["officers_on_tps_by_origin"]["polres"] == 400 * 2 // 3
    assert numbers["rules_passed"] == numbers["rules_total"]
