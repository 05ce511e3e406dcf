"""Classification: every TPS gets Polri's class by named rules, and the reasons for it."""

from __future__ import annotations

import pytest

from pamtps.domain import VulnerabilityClass
from pamtps.domain.plan import ClassReason, Scenario
from pamtps.i18n import reason_text
from pamtps.planner import classify as classify_module
from tests.planner.toy import KHUSUS, TALANG_1, TALANG_2, TALANG_3, TPS, VIOLENT, toy_scenario

V = VulnerabilityClass


def classify(
    scenario: Scenario,
) -> tuple[dict[str, VulnerabilityClass], dict[str, list[ClassReason]]]:
    """The classes, and the reasons as an English reader sees them."""
    classes, reasons = classify_module.classify(scenario)
    return classes, {code: [reason_text(r, "en") for r in why] for code, why in reasons.items()}


def test_khusus_tps_is_class_khusus() -> None:
    """Pasar Hilir 901, a special TPS, is khusus and says so."""
    classes, reasons = classify(toy_scenario())
    assert classes[KHUSUS] is V.KHUSUS
    assert reasons[KHUSUS] == ["TPS khusus (number 901): khusus"]


def test_khusus_can_be_switched_off() -> None:
    """With khusus_is_class false, a special TPS is classed like any other."""
    classes, _ = classify(toy_scenario(classification={"khusus_is_class": False}))
    assert classes[KHUSUS] is V.KURANG_RAWAN


def test_bawaslu_indicator_makes_a_tps_rawan() -> None:
    """Kota Hulu 006 carries riwayat_kekerasan, a rawan indicator of the operation."""
    classes, reasons = classify(toy_scenario())
    assert classes[VIOLENT] is V.RAWAN
    assert reasons[VIOLENT] == ["Bawaslu indicator riwayat_kekerasan: rawan"]


def test_sangat_rawan_indicator_beats_rawan() -> None:
    """Listed as a sangat-rawan indicator, the same TPS is sangat rawan."""
    scenario = toy_scenario(classification={"sangat_rawan_indicators": ["riwayat_kekerasan"]})
    classes, reasons = classify(scenario)
    assert classes[VIOLENT] is V.SANGAT_RAWAN
    assert reasons[VIOLENT][0] == "Bawaslu indicator riwayat_kekerasan: sangat rawan"


def test_enough_indicators_of_any_kind_make_a_tps_rawan() -> None:
    """min_indicators_for_rawan counts indicators whatever they are."""
    scenario = toy_scenario(
        classification={"rawan_indicators": [], "min_indicators_for_rawan": 1}
    )
    classes, reasons = classify(scenario)
    assert classes[VIOLENT] is V.RAWAN
    assert reasons[VIOLENT] == ["1 Bawaslu indicators (riwayat_kekerasan), 1 or more: rawan"]


def test_prescreen_makes_the_n_hardest_to_reach_rawan() -> None:
    """With prescreen_rawan 2, Talang Jauh 003 and 002 are rawan, 001 (rank 3) is not."""
    classes, reasons = classify(toy_scenario())
    assert (classes[TALANG_3], classes[TALANG_2], classes[TALANG_1]) == (
        V.RAWAN, V.RAWAN, V.KURANG_RAWAN
    )
    assert reasons[TALANG_3] == [
        "pre-screen: rank 1 of 17 hardest to reach (26.5 km from Polsek Hulu, desa 0.04 TPS/km2);"
        " driven by: travel time 185 min from base, sparse TPS: 26.7 km² per TPS"
    ]
    assert reasons[TALANG_1] == ["no indicator; not among the 2 hardest to reach (rank 3 of 17)"]


def test_override_wins_and_says_why() -> None:
    """Polri's override decides, up or down, and its reason comes first."""
    scenario = toy_scenario(
        classification={"overrides": {TALANG_1: "sangat_rawan", TALANG_3: "kurang_rawan"}}
    )
    classes, reasons = classify(scenario)
    assert classes[TALANG_1] is V.SANGAT_RAWAN
    assert reasons[TALANG_1][0] == "Polri override: sangat rawan (the rules gave kurang rawan)"
    assert classes[TALANG_3] is V.KURANG_RAWAN
    assert reasons[TALANG_3][0] == "Polri override: kurang rawan (the rules gave rawan)"
    assert reasons[TALANG_3][1].startswith("pre-screen: rank 1 of 17")


def test_override_of_an_unknown_tps_is_refused() -> None:
    """An override naming no TPS of the dataset is a clear error."""
    scenario = toy_scenario(classification={"overrides": {"1698019999001": "rawan"}})
    with pytest.raises(ValueError, match="no such TPS in the dataset: 1698019999001"):
        classify(scenario)


def test_highest_class_wins_when_rules_agree_on_more() -> None:
    """A special TPS that is also pre-screened stays khusus, with both reasons."""
    scenario = toy_scenario(classification={"prescreen_rawan": 17})
    classes, reasons = classify(scenario)
    assert classes[KHUSUS] is V.KHUSUS
    assert reasons[KHUSUS][0] == "TPS khusus (number 901): khusus"
    assert reasons[KHUSUS][1].startswith("pre-screen: rank")


def test_every_tps_has_a_class_and_a_reason() -> None:
    """17 TPS: 3 rawan, 1 khusus, 13 kurang rawan, each with at least one reason."""
    classes, reasons = classify(toy_scenario())
    assert set(classes) == set(reasons) == {t.code for t in TPS}
    assert all(reasons[code] for code in classes)
    counts = {c: sum(1 for v in classes.values() if v is c) for c in V}
    assert counts == {V.KURANG_RAWAN: 13, V.RAWAN: 3, V.SANGAT_RAWAN: 0, V.KHUSUS: 1}


def test_without_prescreen_the_reason_says_it_is_off() -> None:
    """prescreen_rawan 0: nothing is pre-screened and kurang rawan TPS say why."""
    classes, reasons = classify(toy_scenario(classification={"prescreen_rawan": 0}))
    assert classes[TALANG_3] is V.KURANG_RAWAN
    assert reasons[TALANG_3] == ["no indicator; geographic pre-screen off"]
