"""`pamtps plan` with the lent forces and settings a Kabag Ops gives, and every bad operation file
or flag refused in one line naming where and why, with no plan written."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from pamtps.io.operation_file import bundled_operation

# OKU's demo roster: 627 own officers, 59 BKO Polri, 80 Brimob (3 platoons), 30 TNI.
OKU_BKO = 59


def plan_json(cli, *args: str, out: Path) -> dict:
    result = cli("plan", *args, "--json", "--no-documents", "--out", str(out))
    assert result.exit_code == 0, result.output
    numbers: dict = json.loads(result.stdout)
    return numbers


def test_bundled_plan_has_exactly_the_lent_forces_given(cli, tmp_path):
    """OKU Timur (16.08) on a generated roster of 491 own, 120 BKO, 54 Brimob, 30 TNI: the
    TPS get two thirds of 491 and all 120 BKO; the reserve holds all 54 Brimob and 30 TNI."""
    numbers = plan_json(cli, "--regency", "16.08", "--strength", "491", "--bko", "120",
                        "--brimob", "54", "--tni", "30", out=tmp_path / "p")
    assert numbers["officers_on_tps_by_origin"] == {
        "polres": 491 * 2 // 3, "bko_polri": 120, "brimob": 0, "tni": 0}
    assert numbers["reserve"] == {"polres": 0, "bko_polri": 0, "brimob": 54, "tni": 30}
    assert numbers["tps"] == numbers["tps_covered"] == 2180
    settings = numbers["settings"]
    assert (settings["strength"], settings["bko_polri"], settings["brimob"], settings["tni"]) == (
        491, 120, 54, 30)
    assert settings["brimob_platoons"] == 2
    assert numbers["rules_passed"] == numbers["rules_total"]


def test_plan_file_records_the_forces_so_validate_rebuilds_the_same_roster(cli, tmp_path):
    """The plan file keeps the figures and settings; validate rebuilds that roster and passes."""
    out = tmp_path / "p"
    plan_json(cli, "--regency", "16.73", "--strength", "400", "--bko", "25", "--brimob", "31",
              "--tni", "12", "--polsek-share", "30%", "--tps-share", "3/4",
              "--prescreen-rawan", "5", out=out)
    document = json.loads((out / "plan.json").read_text())
    figures = document["source"]["figures"]
    assert (figures["polres"], figures["bko_polri"], figures["brimob"], figures["tni"]) == (
        400, 25, 31, 12)
    assert figures["polsek_share"] == pytest.approx(0.30)
    operation = document["operation_config"]
    assert operation["tps_share"] == "3/4"
    assert operation["classification"]["prescreen_rawan"] == 5
    assert operation["forces"]["bko_polri"] == 25
    result = cli("validate", str(out / "plan.json"))
    assert result.exit_code == 0, result.output


def test_bundled_settings_reach_the_plan(cli, tmp_path):
    """TPS share 3/4, Polsek share 30 %, 5 pre-screened rawan: the summary shows each of them."""
    numbers = plan_json(cli, "--regency", "16.73", "--strength", "400", "--tps-share", "3/4",
                        "--polsek-share", "30%", "--prescreen-rawan", "5", "--bko", "0",
                        out=tmp_path / "p")
    assert numbers["officers_on_tps_by_origin"]["polres"] == 300
    assert numbers["officers_on_tps_by_origin"]["bko_polri"] == 0
    assert numbers["settings"]["tps_quota"] == 300
    assert numbers["settings"]["polsek"] == round(400 * 0.30)
    assert numbers["tps_by_class"]["rawan"] == 5


@pytest.fixture
def demo(cli) -> None:
    """The OKU demo data loaded into the database, not planned."""
    result = cli("demo", "--no-plan")
    assert result.exit_code == 0, result.output


def test_database_bko_sets_how_many_of_the_roster_go_on_tps(cli, demo, oku, tmp_path):
    """40 of the roster's 59 BKO Polri on TPS duty, the other 19 at their unit's base; when one
    of the 40 falls sick, the re-plan sends one of the 19, so 40 stay on TPS."""
    out = tmp_path / "p"
    numbers = plan_json(cli, "--bko", "40", out=out)
    assert numbers["officers_on_tps_by_origin"]["bko_polri"] == 40
    assert numbers["settings"]["bko_polri"] == 40
    assert numbers["settings"]["bko_polri_on_roster"] == OKU_BKO
    assert numbers["rules_passed"] == numbers["rules_total"]
    bko = {o.nrp for o in oku.dataset.personnel if o.summary_group == "bko_polri"}  # the demo's
    assert len(bko) == OKU_BKO
    plan = json.loads((out / "plan.json").read_text())["plan"]
    duties = Counter(a["duty"] for a in plan["assignments"] if a["nrp"] in bko)
    assert duties == {"post": 40, "hq": OKU_BKO - 40}
    sick = next(a["nrp"] for a in plan["assignments"] if a["nrp"] in bko and a["duty"] == "post")
    result = cli("replan", str(out / "plan.json"), "--sick", sick, "--no-documents",
                 "--out", str(tmp_path / "r"))
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "r" / "plan.json").read_text())
    assert document["operation_config"]["forces"]["bko_polri"] == 40
    duties = Counter(a["duty"] for a in document["plan"]["assignments"] if a["nrp"] in bko)
    assert duties == {"post": 40, "hq": OKU_BKO - 41, "unavailable": 1}
    result = cli("validate", str(tmp_path / "r" / "plan.json"))
    assert result.exit_code == 0, result.output


def test_database_bko_above_the_roster_is_refused(cli, demo, tmp_path):
    """--bko 60 with 59 BKO on the roster: one line naming the flag and both numbers."""
    out = tmp_path / "p"
    result = cli("plan", "--bko", "60", "--json", "--no-documents", "--out", str(out))
    assert result.exit_code == 1
    assert "--bko: 60 BKO Polri set for TPS duty, but the imported roster has only 59" in (
        result.output)
    assert not out.exists()


def test_database_brimob_other_than_the_roster_is_refused(cli, demo, tmp_path):
    """Brimob come from the imported roster: 54 set against 80 on the roster is refused."""
    out = tmp_path / "p"
    result = cli("plan", "--brimob", "54", "--no-documents", "--out", str(out))
    assert result.exit_code == 1
    assert "--brimob: 54 Brimob set, but the imported roster has 80" in result.output
    assert not out.exists()


def with_change(tmp_path: Path, old: str, new: str) -> Path:
    """The bundled default operation file with one change."""
    text = bundled_operation("default").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "operasi.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


PRESCREEN = "prescreen_rawan = 10"
BAD_FILES = {
    "unknown TPS": (
        "[classification]\n",
        '[classification]\noverrides = { "1673019999001" = "rawan" }\n',
        "classification.overrides.1673019999001: unknown TPS code",
    ),
    "unknown class": (
        "[classification]\n",
        '[classification]\noverrides = { "1673011001001" = "gawat" }\n',
        "classification.overrides.1673011001001: Input should be 'kurang_rawan'",
    ),
    "negative number": (
        PRESCREEN, "prescreen_rawan = -3",
        "classification.prescreen_rawan: Input should be greater than or equal to 0 (given: -3)",
    ),
    "not a number": (
        PRESCREEN, 'prescreen_rawan = "banyak"',
        "classification.prescreen_rawan: Input should be a valid integer",
    ),
    "share above 1": (
        'tps_share = "2/3"', 'tps_share = "3/2"', "tps_share: must be above 0 and at most 1: 3/2",
    ),
    "unknown key": (
        PRESCREEN, "prescreen_rawn = 10", "classification.prescreen_rawn: unknown key",
    ),
    "negative BKO": (
        "[solver]", "[forces]\nbko_polri = -5\n\n[solver]",
        "forces.bko_polri: Input should be greater than or equal to 0 (given: -5)",
    ),
    "Polsek share above 1": (
        "[solver]", '[forces]\npolsek_share = "150%"\n\n[solver]',
        "forces.polsek_share: must be from 0 and at most 1: 150%",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_operation_file_is_refused_in_one_line(cli, tmp_path, case):
    """Exit 1, one line with the file, the key and the reason; no plan file written."""
    old, new, expected = BAD_FILES[case]
    path = with_change(tmp_path, old, new)
    out = tmp_path / "p"
    result = cli("plan", "--regency", "16.73", "--operation", str(path), "--no-documents",
                 "--out", str(out))
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    assert errors[0].startswith(f"Error: {path}: {expected}")
    assert "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize(("flag", "value"), [
    ("--bko", "-1"), ("--brimob", "x"), ("--tps-share", "3/2"), ("--tps-share", "dua"),
    ("--polsek-share", "-10%"), ("--prescreen-rawan", "-2"),
])
def test_bad_flag_is_a_usage_error(cli, tmp_path, flag, value):
    """A bad number or share on the command line: exit 2 naming the flag, nothing written."""
    out = tmp_path / "p"
    result = cli("plan", "--regency", "16.73", flag, value, "--no-documents", "--out", str(out))
    assert result.exit_code == 2
    assert flag in result.output
    assert not out.exists()


def test_lp_bound_finishes_a_wide_gap_and_forms_posts_from_it(cli, tmp_path):
    """Ogan Ilir (16.10): the bound's counted steps alone (--no-lp-bound) leave a gap above 2 %;
    by default (--lp-bound) the bound goes to the LP of its model (HiGHS), higher and still below
    the plan, and the posts that LP opens are tried: the plan is no dearer, the gap under 2 %."""
    steps = plan_json(cli, "--regency", "16.10", "--no-lp-bound", out=tmp_path / "steps")
    finished = plan_json(cli, "--regency", "16.10", out=tmp_path / "lp")
    assert finished["objective"] <= steps["objective"]
    assert steps["gap"] > 0.02
    assert steps["lower_bound"] < finished["lower_bound"] <= finished["objective"]
    assert finished["gap"] <= 0.02
    assert finished["rules_passed"] == finished["rules_total"]
