"""`pamtps plan --polda CODE --bko N --brimob N --tni N`: a Polda's run from the command line,
every bad setting refused in one line with nothing written; `pamtps view DIR`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pamtps.scale.polda_file import bundled_polda

SMALL_POLDA = ('\n[polda]\ncode = "16"\nbko_polri = 0\nreserve_share = "10%"\n'
               'polres = ["16.72", "16.74"]\n')


def polda_file(tmp_path: Path, section: str = SMALL_POLDA) -> Path:
    """The bundled Polda 16 file with its [polda] section replaced."""
    text = bundled_polda("16").read_text(encoding="utf-8")
    path = tmp_path / "polda.toml"
    path.write_text(text[: text.index("\n[polda]\n")] + section, encoding="utf-8")
    return path


def test_polda_run_lends_within_the_pool_and_reports_each_polres(cli, tmp_path):
    """Two Polres, 40 BKO, 2 platoons, 10 TNI, 10 % kept: the JSON gives each Polres's share and
    coverage; the Sprint BKO, the records, the viewer and each plan are written, and the
    validator finds each plan short exactly where the run says it is."""
    out = tmp_path / "out"
    result = cli("plan", "--polda", "16", "--operation", str(polda_file(tmp_path)),
                 "--bko", "40", "--brimob", "60", "--tni", "10", "--no-documents", "--json",
                 "--time-limit", "5", "--out", str(out))
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["kept_in_reserve"] == {"bko_polri": 4, "brimob": 30, "brimob_platoons": 1,
                                          "tni": 1}
    assert summary["lent"]["bko_polri"] <= 36 and summary["lent"]["brimob"] <= 30
    assert [p["polres_code"] for p in summary["polres"]] == ["16.72", "16.74"]
    for polres in summary["polres"]:
        assert polres["shortfall"] == polres["shortfall_expected"] > 0  # 36 BKO is short
        assert polres["rawan_covered"] == polres["rawan"]
    assert summary["totals"]["bko_polri"] == summary["lent"]["bko_polri"] == 36
    for name in ("sprint-bko.xlsx", "sprint-bko.pdf", "index.html", "index.en.html",
                 "ringkasan-polda.json", "polres/16.72.json", "16.74/plan.json"):
        assert (out / name).exists(), name
    for polres in summary["polres"]:
        broken = broken_rules(out / polres["polres_code"] / "plan.json")
        # The validator, on its own: only the pattern is broken, on as many posts as the
        # reported shortfall needs (each post short of one or two of its two officers).
        assert set(broken) == {"posts_meet_pattern"}
        assert broken["posts_meet_pattern"] <= polres["shortfall"] <= 2 * broken[
            "posts_meet_pattern"]


def broken_rules(plan_file: Path) -> dict[str, int]:
    """The validator's broken rules of a plan file, with how many cases each fails."""
    from pamtps.planner import validate
    from pamtps.scenarios import build_scenario, read_plan_file

    plan, source, config = read_plan_file(plan_file)
    results = validate(plan, build_scenario(source, config, None))
    return {r.rule: r.total - r.satisfied for r in results if not r.ok}


@pytest.mark.parametrize(("args", "section", "message"), [
    (["--polda-reserve", "150%"], SMALL_POLDA, "--polda-reserve"),
    (["--bko", "-1"], SMALL_POLDA, "greater than or equal to 0"),
    ([], SMALL_POLDA.replace('"16.74"', '"16.99"'), "polda.polres: unknown kabupaten/kota 16.99"),
    ([], SMALL_POLDA.replace('bko_polri = 0', 'bko_polri = "many"'), "polda.bko_polri"),
    ([], SMALL_POLDA.replace('code = "16"', 'code = "17"').split("polres")[0], "polda.code"),
    ([], SMALL_POLDA.replace('code = "16"', 'code = "17"'), "polda.polres"),
    ([], "\n", "missing section [polda]"),
])
def test_bad_polda_settings_are_refused_with_nothing_written(cli, tmp_path, args, section,
                                                            message):
    """Each bad setting: exit code not 0, one message naming it, no output folder."""
    out = tmp_path / "out"
    result = cli("plan", "--polda", "16", "--operation", str(polda_file(tmp_path, section)),
                 "--out", str(out), *args)
    assert result.exit_code != 0
    assert message in result.output
    assert not out.exists()


def test_view_rebuilds_the_page_from_records(cli, tmp_path):
    """`pamtps view DIR` writes index.html from polres/*.json; a folder without them fails."""
    (tmp_path / "polres").mkdir()
    record = {"polres_code": "16.72", "polres_name": "Kota Pagar Alam", "polda_code": "16",
              "tps": 494, "rawan": 11, "officers_own": 168, "bko_polri": 52, "brimob": 30,
              "tni": 0, "rawan_short": 0, "shortfall": 0, "objective": 1.0,
              "synthetic_roster": True, "estimated_positions": True}
    (tmp_path / "polres" / "16.72.json").write_text(json.dumps(record), encoding="utf-8")
    result = cli("view", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "Kota Pagar Alam" in (tmp_path / "index.html").read_text(encoding="utf-8")
    missing = cli("view", str(tmp_path / "nothing"))
    assert missing.exit_code == 1 and "no polres/ folder" in missing.output


def test_an_error_quoting_a_file_section_shows_it_as_written(cli):
    """The error names the [polda] section in brackets (printed as text, not read as markup)."""
    result = cli("plan", "--polda", "99", "--bko", "1", "--no-documents")
    assert result.exit_code == 1
    assert "an operation file with a [polda] section" in result.output
