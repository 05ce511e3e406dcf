"""The imported Bawaslu rawan list in the classification, and reasons rendered per language."""

from __future__ import annotations

from dataclasses import replace

from pamtps.domain import VulnerabilityClass
from pamtps.domain.plan import Plan, Reason, Scenario
from pamtps.domain.rawan import RawanListing
from pamtps.i18n import reason_text
from pamtps.planner import explain_tps
from pamtps.planner.classify import classify
from tests.planner.toy import KHUSUS, TALANG_1, TALANG_3, VIOLENT, toy_scenario

V = VulnerabilityClass
HARD_TO_REACH = RawanListing(TALANG_1, V.RAWAN, (("lokasi", "sulit dijangkau"), ("sinyal", "ya")),
                             "dusun di seberang sungai", "rawan-2024.xlsx")


def listed(scenario: Scenario, *listings: RawanListing) -> Scenario:
    dataset = replace(scenario.dataset, bawaslu_rawan={item.tps: item for item in listings})
    return Scenario(dataset, scenario.operation)


def test_a_listed_tps_gets_the_listed_class_and_the_prescreen_asked_for_none():
    """Talang Jauh 001 is listed rawan: rawan; with the pre-screen set to none (what `pamtps
    plan` sets once a list is imported) 003, the hardest to reach, is not rawan, and says it is
    not on the list; the indicator rule still makes the violent TPS rawan."""
    scenario = toy_scenario(classification={"prescreen_rawan": 0})
    classes, reasons = classify(listed(scenario, HARD_TO_REACH))
    assert classes[TALANG_1] is V.RAWAN and classes[TALANG_3] is V.KURANG_RAWAN
    assert {code for code, v in classes.items() if v is V.RAWAN} == {TALANG_1, VIOLENT}
    [reason] = reasons[TALANG_1]
    assert isinstance(reason, Reason) and reason.code == "bawaslu_list"
    assert reason_text(reasons[TALANG_3][0], "id") == (
        "tanpa indikator; tidak ada dalam daftar TPS rawan Bawaslu")


def test_pre_screened_tps_asked_for_are_added_to_the_list():
    """With the toy operation's pre-screen of 2 kept on top of the list, Talang Jauh 003 and 002
    (the two hardest to reach) are rawan as well as the listed 001."""
    classes, reasons = classify(listed(toy_scenario(), HARD_TO_REACH))
    assert classes[TALANG_1] is V.RAWAN and classes[TALANG_3] is V.RAWAN
    assert reasons[TALANG_3][0].code == "prescreen"
    assert reasons[TALANG_1][0].code == "bawaslu_list"


def test_the_listed_class_stands_even_below_the_rules_and_an_override_still_wins():
    """A TPS khusus listed kurang_rawan is kurang_rawan; a listed TPS overridden by Polri takes
    the override, with the Bawaslu reason kept after it."""
    down = RawanListing(KHUSUS, V.KURANG_RAWAN)
    scenario = listed(toy_scenario(classification={"overrides": {TALANG_1: "sangat_rawan"}}),
                      HARD_TO_REACH, down)
    classes, reasons = classify(scenario)
    assert classes[KHUSUS] is V.KURANG_RAWAN
    assert classes[TALANG_1] is V.SANGAT_RAWAN
    assert [r.code for r in reasons[TALANG_1] if isinstance(r, Reason)] == [
        "override", "bawaslu_list"]
    assert classes[VIOLENT] is V.RAWAN  # the indicator rule still applies to unlisted TPS


def test_the_bawaslu_reason_reads_in_indonesian_and_in_english():
    """Alasan, indicators (a 'ya' shows the name only) and the file, in both languages."""
    _, reasons = classify(listed(toy_scenario(), HARD_TO_REACH))
    [reason] = reasons[TALANG_1]
    assert reason_text(reason, "id") == (
        "Bawaslu: rawan; alasan: dusun di seberang sungai; "
        "indikator: lokasi (sulit dijangkau), sinyal; daftar rawan-2024.xlsx")
    assert reason_text(reason, "en") == (
        "Bawaslu: rawan; reason: dusun di seberang sungai; "
        "indicators: lokasi (sulit dijangkau), sinyal; list rawan-2024.xlsx")


def test_prescreen_drivers_are_named_with_their_values_in_the_readers_language():
    """The indicators that drove a rank are listed, most decisive first; numbers are written
    2.150 in Indonesian and 2,150 in English; an unknown key shows as itself."""
    reason = Reason("prescreen", {"rank": 3, "of": 1225, "km": 34.2, "base": "Polsek Ulu Ogan",
                                  "density": None, "drivers": [["jarak_jalan", 2150.0],
                                                               ["indeks_bahaya_banjir", 0.42],
                                                               ["lereng", 12.5]]})
    assert reason_text(reason, "id") == (
        "pra-seleksi geografis: peringkat 3 dari 1225 TPS tersulit dijangkau (34,2 km dari "
        "Polsek Ulu Ogan); penentu utama: jarak ke jalan 2.150 m, indeks bahaya banjir 0,42, "
        "lereng 12,5")
    assert reason_text(reason, "en") == (
        "pre-screen: rank 3 of 1225 hardest to reach (34.2 km from Polsek Ulu Ogan); "
        "driven by: distance to a road 2,150 m, flood hazard index 0.42, lereng 12.5")


def test_a_plan_round_trips_its_reasons_and_an_old_plain_text_reason_reads_as_itself():
    """to_dict/from_dict keep a Reason; a plan file from before reason codes keeps its text."""
    scenario = listed(toy_scenario(), HARD_TO_REACH)
    classes, reasons = classify(scenario)
    plan = Plan("toy", "op", "16.99", "allocation", 1, classes, reasons, [], [], {},
                quality=_quality())
    data = plan.to_dict()
    data["reasons"][TALANG_3] = ["no indicator; geographic pre-screen off"]
    again = Plan.from_dict(data)
    assert again.reasons[TALANG_1] == reasons[TALANG_1]
    assert reason_text(again.reasons[TALANG_3][0], "id") == (
        "no indicator; geographic pre-screen off")
    text = explain_tps(again, scenario, TALANG_1, lambda r: reason_text(r, "id"))
    assert "  - Bawaslu: rawan; alasan: dusun di seberang sungai" in text


def _quality():
    from pamtps.domain.plan import Quality

    return Quality(objective=0.0, lower_bound=None, status="heuristic", seconds=0.0, seed=1)
